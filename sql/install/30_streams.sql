-- Streams: create_stream(), drop_stream().

CREATE FUNCTION create_stream(name text,
                              partition_interval interval DEFAULT '1 hour',
                              retention interval DEFAULT '7 days',
                              durability text DEFAULT 'unlogged')
RETURNS regclass
LANGUAGE plpgsql
AS $fn$
DECLARE
    parts      text[];
    nsp        text;
    tbl        text;
    geo_nsp    text;
    parent     regclass;
    persist    text;
BEGIN
    IF name IS NULL OR partition_interval IS NULL OR durability IS NULL THEN
        RAISE EXCEPTION 'name, partition_interval and durability must not be NULL'
              USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF extract(year FROM partition_interval) <> 0 OR extract(month FROM partition_interval) <> 0 THEN
        RAISE EXCEPTION 'partition_interval must not contain months or years: %', partition_interval
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Use days, for example ''30 days''.';
    END IF;
    IF partition_interval < interval '1 minute' THEN
        RAISE EXCEPTION 'partition_interval must be at least 1 minute: %', partition_interval
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF retention IS NOT NULL AND retention <= interval '0' THEN
        RAISE EXCEPTION 'retention must be positive, or NULL to keep every partition: %', retention
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    durability := lower(durability);
    IF durability NOT IN ('unlogged', 'logged') THEN
        RAISE EXCEPTION 'durability must be ''unlogged'' or ''logged'', not ''%''', durability
              USING ERRCODE = 'invalid_parameter_value';
    END IF;

    parts := pg_catalog.parse_ident(name);
    IF array_length(parts, 1) = 1 THEN
        nsp := pg_catalog.current_schema();
        tbl := parts[1];
        IF nsp IS NULL THEN
            RAISE EXCEPTION 'no schema has been selected to create stream "%" in', name
                  USING ERRCODE = 'invalid_schema_name';
        END IF;
    ELSIF array_length(parts, 1) = 2 THEN
        nsp := parts[1];
        tbl := parts[2];
    ELSE
        RAISE EXCEPTION 'invalid stream name "%"', name
              USING ERRCODE = 'invalid_name', HINT = 'Use table or schema.table.';
    END IF;
    IF pg_catalog.to_regnamespace(quote_ident(nsp)) IS NULL THEN
        RAISE EXCEPTION 'schema "%" does not exist', nsp USING ERRCODE = 'invalid_schema_name';
    END IF;
    IF pg_catalog.to_regclass(format('%I.%I', nsp, tbl)) IS NOT NULL THEN
        RAISE EXCEPTION 'relation "%.%" already exists', nsp, tbl USING ERRCODE = 'duplicate_table';
    END IF;

    SELECT n.nspname INTO geo_nsp
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'postgis';

    EXECUTE format($ddl$
        CREATE TABLE %I.%I (
            asset_id    text NOT NULL,
            event_time  timestamptz NOT NULL,
            source_id   text,
            received_at timestamptz NOT NULL DEFAULT now(),
            position    %I.geometry(Point, 4326),
            rssi        real,
            attrs       jsonb,
            CONSTRAINT read_is_valid CHECK (asset_stream.read_is_valid(asset_id, event_time))
        ) PARTITION BY RANGE (event_time)$ddl$, nsp, tbl, geo_nsp);
    parent := format('%I.%I', nsp, tbl)::regclass;
    EXECUTE format('COMMENT ON TABLE %s IS %L', parent, 'asset_stream stream');
    EXECUTE format('CREATE INDEX ON %s (asset_id, event_time)', parent);

    persist := CASE durability WHEN 'unlogged' THEN 'UNLOGGED' ELSE '' END;
    EXECUTE format('CREATE %s TABLE %I.%I PARTITION OF %s DEFAULT',
                   persist, nsp, left(tbl, 50) || '_default', parent);

    PERFORM asset_stream._register_stream(parent, partition_interval, retention, durability);
    PERFORM asset_stream._maintain_stream(parent, partition_interval, retention, durability);

    IF NOT asset_stream._workers_available() THEN
        RAISE WARNING 'asset_stream is not in shared_preload_libraries: no maintenance worker will make partitions for stream %', parent
              USING HINT = 'Add asset_stream to shared_preload_libraries, or call asset_stream.run_maintenance() regularly (from cron).';
    END IF;
    RETURN parent;
END
$fn$;
COMMENT ON FUNCTION create_stream(text, interval, interval, text) IS
'Create a stream: a table of reads partitioned by range on event_time, UNLOGGED partitions unless durability => ''logged''';

CREATE FUNCTION drop_stream(name text)
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
    parent regclass := asset_stream._stream_relid(name);
BEGIN
    PERFORM asset_stream._unregister_stream(parent);
    EXECUTE format('DROP TABLE %s', parent);
END
$fn$;
COMMENT ON FUNCTION drop_stream(text) IS 'Drop a stream with all its partitions';
