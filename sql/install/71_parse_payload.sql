-- parse_payload(): what a source would make of a payload, without a source.

CREATE FUNCTION parse_payload(payload text,
                              options jsonb DEFAULT '{}',
                              content_type text DEFAULT NULL,
                              topic_source_id text DEFAULT NULL)
RETURNS TABLE (asset_id text, event_time timestamptz, source_id text,
               lon float8, lat float8, rssi real, attrs jsonb,
               error text, rejected_payload text)
AS 'MODULE_PATHNAME', 'as_parse_payload'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION parse_payload(text, jsonb, text, text) IS
'Parse a payload with a source''s format options: one row per read, one per reject (error set); try options here before add_source()';
