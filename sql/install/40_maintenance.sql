-- Partition maintenance: make partitions ahead, move parked rows out of the
-- default partition, drop partitions past retention.  Run by the maintenance
-- worker every asset_stream.maintenance_interval, or by hand.
--
-- Partitions are aligned on multiples of partition_interval counted from
-- 2000-01-01 00:00 UTC (date_bin), so a '1 day' partition runs from UTC
-- midnight to UTC midnight.

-- Make the partition [lo, hi) unless one exists, moving its rows out of the
-- default partition.  Returns the new partition's name, or NULL.
CREATE FUNCTION _ensure_partition(parent regclass, def regclass, lo timestamptz,
                                  hi timestamptz, durability text)
RETURNS text
LANGUAGE plpgsql
AS $fn$
DECLARE
    nsp   text;
    tbl   text;
    pname text;
BEGIN
    IF EXISTS (SELECT 1 FROM asset_stream._partitions(parent) p
               WHERE NOT p.is_default AND p.lower_bound < hi AND p.upper_bound > lo) THEN
        RETURN NULL;
    END IF;
    SELECT n.nspname, c.relname INTO nsp, tbl
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = parent;
    IF NOT FOUND THEN
        RETURN NULL;            -- dropped meanwhile
    END IF;
    pname := left(tbl, 40) || '_p' || to_char(lo AT TIME ZONE 'UTC', 'YYYYMMDD"_"HH24MISS');

    EXECUTE format('CREATE %s TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   CASE durability WHEN 'unlogged' THEN 'UNLOGGED' ELSE '' END, nsp, pname, parent);
    IF def IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE event_time >= $1 AND event_time < $2 RETURNING *)
                        INSERT INTO %I.%I SELECT * FROM moved', def, nsp, pname)
        USING lo, hi;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   parent, nsp, pname, lo, hi);
    RETURN format('%I.%I', nsp, pname);
END
$fn$;

-- Maintain one stream.
CREATE FUNCTION _maintain_stream(parent regclass, partition_interval interval,
                                 retention interval, durability text)
RETURNS TABLE (stream regclass, action text, partition_name text)
LANGUAGE plpgsql
AS $fn$
#variable_conflict use_variable
DECLARE
    origin  constant timestamptz := '2000-01-01 00:00:00+00';
    premake integer := coalesce(nullif(current_setting('asset_stream.premake', true), '')::integer, 4);
    cutoff  timestamptz := now() - retention;   -- NULL: keep forever
    current timestamptz := date_bin(partition_interval, now(), origin);
    def     regclass;
    lo      timestamptz;
    made    text;
    n       bigint;
    p       record;
BEGIN
    stream := parent;
    -- one maintainer per stream at a time
    PERFORM 1 FROM asset_stream.stream_config c WHERE c.relid = parent FOR UPDATE;
    IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = parent) THEN
        RETURN;                 -- dropped while we waited for the lock
    END IF;
    SELECT d.partition INTO def FROM asset_stream._partitions(parent) d WHERE d.is_default;

    -- 1. partitions ahead of time
    FOR lo IN SELECT generate_series(current, current + partition_interval * premake, partition_interval) LOOP
        made := asset_stream._ensure_partition(parent, def, lo, lo + partition_interval, durability);
        IF made IS NOT NULL THEN
            action := 'created'; partition_name := made; RETURN NEXT;
        END IF;
    END LOOP;

    IF def IS NOT NULL THEN
        -- 2. rows parked in the default partition get a partition of their own
        FOR lo IN EXECUTE format('SELECT DISTINCT date_bin($1, event_time, $2) FROM %s
                                  WHERE $3::timestamptz IS NULL OR event_time >= $3 ORDER BY 1', def)
                  USING partition_interval, origin, cutoff LOOP
            made := asset_stream._ensure_partition(parent, def, lo, lo + partition_interval, durability);
            IF made IS NOT NULL THEN
                action := 'created'; partition_name := made; RETURN NEXT;
            END IF;
        END LOOP;

        -- 3. parked rows older than the retention are dropped with it
        IF cutoff IS NOT NULL THEN
            EXECUTE format('DELETE FROM %s WHERE event_time < $1', def) USING cutoff;
            GET DIAGNOSTICS n = ROW_COUNT;
            IF n > 0 THEN
                action := format('deleted %s expired rows', n); partition_name := def::text; RETURN NEXT;
            END IF;
        END IF;
    END IF;

    -- 4. partitions past retention
    IF cutoff IS NOT NULL THEN
        FOR p IN SELECT d.partition FROM asset_stream._partitions(parent) d
                 WHERE NOT d.is_default AND d.upper_bound <= cutoff ORDER BY d.lower_bound LOOP
            partition_name := p.partition::text;
            EXECUTE format('DROP TABLE %s', p.partition);
            action := 'dropped'; RETURN NEXT;
        END LOOP;
    END IF;
END
$fn$;

CREATE FUNCTION run_maintenance(name text DEFAULT NULL)
RETURNS TABLE (stream regclass, action text, partition_name text)
LANGUAGE plpgsql
AS $fn$
#variable_conflict use_variable
DECLARE
    only_rel regclass;
    cfg      record;
BEGIN
    IF name IS NOT NULL THEN
        only_rel := asset_stream._stream_relid(name);
    END IF;
    PERFORM asset_stream._forget_dropped_streams();
    FOR cfg IN SELECT c.* FROM asset_stream.stream_config c
               JOIN pg_catalog.pg_class r ON r.oid = c.relid
               WHERE (only_rel IS NULL OR c.relid = only_rel)
                 AND pg_catalog.pg_has_role(r.relowner, 'USAGE')
               ORDER BY c.relid::oid LOOP
        RETURN QUERY SELECT * FROM asset_stream._maintain_stream(cfg.relid, cfg.partition_interval,
                                                                 cfg.retention, cfg.durability);
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION run_maintenance(text) IS
'Make partitions ahead (asset_stream.premake), move rows parked in the default partition into partitions of their own, drop partitions past retention; for one stream or all the caller owns';
