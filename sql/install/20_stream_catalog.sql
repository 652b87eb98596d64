-- Stream catalog: one row per stream, and the helpers that read partition bounds.

CREATE TABLE stream_config (
    relid              regclass PRIMARY KEY,
    partition_interval interval NOT NULL CHECK (partition_interval >= interval '1 minute'),
    retention          interval CHECK (retention > interval '0'),
    durability         text NOT NULL CHECK (durability IN ('unlogged', 'logged')),
    created_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE stream_config IS
'One row per stream made by create_stream(); retention NULL keeps partitions forever';
SELECT pg_catalog.pg_extension_config_dump('stream_config', '');
GRANT SELECT ON stream_config TO PUBLIC;

-- The partitions of a stream with their bounds (NULL bounds for the default partition).
CREATE FUNCTION _partitions(stream regclass)
RETURNS TABLE (partition regclass, lower_bound timestamptz, upper_bound timestamptz, is_default boolean)
LANGUAGE sql STABLE
AS $$
    SELECT c.oid::regclass,
           substring(b.bound FROM $re$FROM \('([^']*)'\)$re$)::timestamptz,
           substring(b.bound FROM $re$TO \('([^']*)'\)$re$)::timestamptz,
           b.bound = 'DEFAULT'
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL (SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound) b
    WHERE i.inhparent = stream
$$;

-- Record a stream; only the owner of the table may.
CREATE FUNCTION _register_stream(parent regclass, partition_interval interval,
                                 retention interval, durability text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = parent), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table %', parent USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO asset_stream.stream_config (relid, partition_interval, retention, durability)
    VALUES (parent, partition_interval, retention, durability);
END
$$;

-- Forget a stream; only the owner of the table may.
CREATE FUNCTION _unregister_stream(parent regclass)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = parent), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table %', parent USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM asset_stream.stream_config WHERE relid = parent;
END
$$;

-- Forget streams whose table was dropped with DROP TABLE instead of drop_stream().
CREATE FUNCTION _forget_dropped_streams()
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM asset_stream.stream_config s
    WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = s.relid::oid)
$$;

-- Look a stream up by name; raises undefined_table when it is not a stream.
CREATE FUNCTION _stream_relid(name text)
RETURNS regclass
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    rel regclass;
BEGIN
    IF name IS NULL THEN
        RAISE EXCEPTION 'stream name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    rel := pg_catalog.to_regclass(name);
    IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM asset_stream.stream_config WHERE relid = rel) THEN
        RAISE EXCEPTION 'stream "%" does not exist', name USING ERRCODE = 'undefined_table',
              HINT = 'asset_stream.streams lists the streams.';
    END IF;
    RETURN rel;
END
$$;
