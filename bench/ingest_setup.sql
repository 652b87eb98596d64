-- bench/ingest_setup.sql: the reads files and the stream of bench/ingest.
-- psql variables: rows, assets, hours, csv (COPY input), ndjson (the same
-- reads, one JSON object a line).
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\o /dev/null

CREATE SCHEMA bench;
CREATE TABLE bench.meta AS SELECT now() AS t_ref;

-- Fail with msg unless ok.
CREATE FUNCTION bench.check(ok boolean, msg text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'bench/ingest check failed: %', msg;
    END IF;
END $$;

-- One row per timed load.  rows_got: rows in the stream afterwards
-- (short only for an MQTT QoS 0 receiver whose messages the broker dropped).
CREATE TABLE bench.result (
    method   text    NOT NULL,
    run      integer NOT NULL,
    nth      integer NOT NULL,   -- place in its round
    secs     float8  NOT NULL,
    rows_got bigint  NOT NULL,
    pub_secs float8              -- MQTT: how long the publisher took
);
CREATE TABLE bench.latency (
    method text NOT NULL,
    rate   float8 NOT NULL,      -- achieved publish rate, reads/s
    n      bigint NOT NULL,
    p50    float8, p95 float8, p99 float8, pmax float8,  -- milliseconds
    id     serial
);

-- The reads, made once: :rows reads of :assets assets in event-time order
-- (with up to 2 s of disorder) over the last :hours hours; 80 % with a
-- position, 10 % with attrs (battery, tamper).  Deterministic apart from now().
SELECT setseed(0.42);
CREATE UNLOGGED TABLE bench.src AS
SELECT i,
       'asset-' || lpad((1 + floor(random() * :assets))::int::text, 5, '0') AS asset_id,
       m.t_ref - :hours * interval '1 hour' * (1 - i::float8 / :rows)
               - random() * interval '2 seconds'                         AS event_time,
       'reader-' || (1 + floor(random() * 500))::int                     AS source_id,
       CASE WHEN random() < 0.8 THEN round((13.30 + random() * 0.2)::numeric, 6) END AS lon,
       round((52.45 + random() * 0.1)::numeric, 6)                       AS lat_any,
       round((-30 - random() * 60)::numeric, 1)                          AS rssi,
       random() < 0.1                                                    AS has_attrs,
       floor(random() * 100)::int                                        AS battery,
       random() < 0.01                                                   AS tamper
FROM bench.meta m, generate_series(1, :rows) i;

-- CSV for COPY: position as EWKT
COPY (
    SELECT asset_id, event_time, source_id,
           CASE WHEN lon IS NOT NULL THEN format('SRID=4326;POINT(%s %s)', lon, lat_any) END,
           rssi,
           CASE WHEN has_attrs THEN jsonb_build_object('battery', battery, 'tamper', tamper) END
    FROM bench.src ORDER BY i
) TO :'csv' WITH (FORMAT csv);

-- NDJSON for the sources: the same reads, lon/lat as numbers, event_time
-- as ISO 8601 text, battery and tamper as top-level keys (they go to attrs)
COPY (
    SELECT json_strip_nulls(json_build_object(
               'asset_id', asset_id, 'event_time', event_time, 'source_id', source_id,
               'lon', lon, 'lat', CASE WHEN lon IS NOT NULL THEN lat_any END, 'rssi', rssi,
               'battery', CASE WHEN has_attrs THEN battery END,
               'tamper', CASE WHEN has_attrs THEN tamper END))::text
    FROM bench.src ORDER BY i
) TO :'ndjson' WITH (FORMAT text);

-- What every load must produce, as one checksum row: counts and sums over
-- each column (order-independent; floats summed exactly as numeric).
CREATE FUNCTION bench.checksum(rel regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE format($q$
        SELECT concat_ws(' ', count(*), count(position), count(attrs),
                         sum(hashtext(asset_id)::numeric), sum(hashtext(source_id)::numeric),
                         sum(extract(epoch FROM event_time)), sum(rssi::numeric),
                         sum(ST_X(position)::numeric), sum(ST_Y(position)::numeric),
                         sum(hashtext(attrs::text)::numeric))
        FROM %s $q$, rel) INTO r;
    RETURN r;
END $$;
CREATE VIEW bench.expected AS
SELECT asset_id, event_time, source_id,
       CASE WHEN lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon::float8, lat_any::float8), 4326) END AS position,
       rssi::real AS rssi,
       CASE WHEN has_attrs THEN jsonb_build_object('battery', battery, 'tamper', tamper) END AS attrs
FROM bench.src;
CREATE TABLE bench.expected_sum AS SELECT bench.checksum('bench.expected') AS sum;

-- Wait until source src has taken want more rows than base (accepted +
-- rejected), polling its counters every 50 ms; give up after stall_s
-- seconds without progress.  done_at: commit time of its last batch.
CREATE FUNCTION bench.wait_source(src text, base bigint, want bigint, stall_s float8,
                                  OUT got bigint, OUT rejected bigint, OUT done_at float8)
LANGUAGE plpgsql AS $$
DECLARE
    acc bigint; rej bigint; lc timestamptz;
    last bigint := -1;
    last_change timestamptz := clock_timestamp();
BEGIN
    LOOP
        SELECT s.rows_accepted + s.rows_rejected, s.rows_rejected, s.last_commit_at
          INTO acc, rej, lc FROM asset_stream.sources s WHERE s.name = src;
        got := acc - base;
        IF got >= want OR (acc = last AND clock_timestamp() - last_change > stall_s * interval '1 s') THEN
            rejected := rej;
            done_at := extract(epoch FROM coalesce(lc, clock_timestamp()));
            RETURN;
        END IF;
        IF acc <> last THEN
            last := acc;
            last_change := clock_timestamp();
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;

-- The stream, with hourly partitions over the reads' hours: create_stream()
-- makes the current hour and some ahead; a seed read per past hour, moved
-- out of the default partition by run_maintenance(), makes the past hours.
SELECT asset_stream.create_stream('reads', partition_interval => '1 hour');
INSERT INTO reads (asset_id, event_time)
SELECT 'seed', h FROM bench.meta m,
       generate_series(m.t_ref - :hours * interval '1 hour' - interval '1 minute', now(), interval '1 hour') h;
SELECT count(*) AS partitions_made FROM asset_stream.run_maintenance();
SELECT bench.check((SELECT count(*) FROM reads_default) = 0, 'seed reads left in the default partition');
TRUNCATE reads;

\o
SELECT format('%s hourly partitions (+ default), event_time %s .. %s UTC',
              (SELECT count(*) FROM asset_stream._partitions('reads') WHERE NOT is_default),
              to_char(t_ref - :hours * interval '1 hour', 'YYYY-MM-DD HH24:MI'),
              to_char(t_ref, 'HH24:MI')) AS info
FROM bench.meta;
