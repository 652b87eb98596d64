-- Ingest from SQL: ingest() parses a payload as a source would and writes
-- it with the ingest writer (multi-insert, partitions on demand, rejects to
-- asset_stream.rejected), in the caller's transaction.

CREATE FUNCTION ingest(stream regclass, payload text, options jsonb DEFAULT '{}',
                       content_type text DEFAULT NULL, source text DEFAULT 'sql')
RETURNS TABLE (rows_written bigint, rows_rejected bigint)
AS 'MODULE_PATHNAME', 'as_ingest'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ingest(regclass, text, jsonb, text, text) IS
'Parse a JSON, NDJSON or CSV payload with a source''s format options and write its reads into a stream (needs INSERT on it); rows it cannot take go to asset_stream.rejected';

-- Internal, for tests and bench/ingest_writer: write reads given as arrays
-- (no parsing) with the ingest writer.  A read has a position when its lon
-- and lat are both not NULL; each element of rejects becomes a rejected
-- payload.  Needs INSERT on the stream.
CREATE FUNCTION _write_rows(stream regclass, asset_ids text[], times timestamptz[],
                            lons float8[] DEFAULT NULL, lats float8[] DEFAULT NULL,
                            source_ids text[] DEFAULT NULL, rssis real[] DEFAULT NULL,
                            attrs jsonb[] DEFAULT NULL, rejects text[] DEFAULT NULL,
                            source text DEFAULT 'test')
RETURNS TABLE (rows_written bigint, rows_rejected bigint)
AS 'MODULE_PATHNAME', 'as_write_rows'
LANGUAGE C VOLATILE;
