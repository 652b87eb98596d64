-- bench/ingest_copy_setup.sql: the reads file and the three targets of
-- bench/ingest_copy.  psql variables: rows, assets, hours, csv, with_index.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\o /dev/null

CREATE SCHEMA bench;
CREATE TABLE bench.meta AS SELECT now() AS t_ref;

-- Fail with msg unless ok.
CREATE FUNCTION bench.check(ok boolean, msg text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'ingest_copy check failed: %', msg;
    END IF;
END $$;

CREATE TABLE bench.result (
    target     text    NOT NULL,
    run        integer NOT NULL,
    nth        integer NOT NULL,   -- 1st, 2nd or 3rd load of its round
    secs       float8  NOT NULL,
    wal_bytes  numeric NOT NULL,
    rows_total bigint  NOT NULL,
    rows_default bigint
);

-- The reads, made once: :rows reads of :assets assets in event-time order
-- (with up to 2 s of disorder) over the last :hours hours; 80 % with a
-- position (EWKT), 10 % with attrs.  Deterministic apart from now().
SELECT setseed(0.42);
COPY (
    SELECT 'asset-' || lpad((1 + floor(random() * :assets))::int::text, 5, '0') AS asset_id,
           m.t_ref - :hours * interval '1 hour' * (1 - i::float8 / :rows)
                   - random() * interval '2 seconds'                         AS event_time,
           'reader-' || (1 + floor(random() * 500))::int                     AS source_id,
           CASE WHEN random() < 0.8 THEN
               format('SRID=4326;POINT(%s %s)', round((13.30 + random() * 0.2)::numeric, 6),
                                                round((52.45 + random() * 0.1)::numeric, 6))
           END                                                               AS position,
           round((-30 - random() * 60)::numeric, 1)                          AS rssi,
           CASE WHEN random() < 0.1 THEN
               jsonb_build_object('battery', floor(random() * 100)::int, 'tamper', random() < 0.01)
           END                                                               AS attrs
    FROM bench.meta m, generate_series(1, :rows) i
) TO :'csv' WITH (FORMAT csv);

-- (a) and (b): streams with hourly partitions.  create_stream() makes the
-- current hour and 4 ahead; a seed read per past hour, moved out of the
-- default partition by run_maintenance(), makes the past hours.
SELECT asset_stream.create_stream('bench_unlogged', partition_interval => '1 hour');
SELECT asset_stream.create_stream('bench_logged', partition_interval => '1 hour', durability => 'logged');
INSERT INTO bench_unlogged (asset_id, event_time)
SELECT 'seed', h FROM bench.meta m,
       generate_series(m.t_ref - :hours * interval '1 hour' - interval '1 minute', now(), interval '1 hour') h;
INSERT INTO bench_logged SELECT * FROM bench_unlogged;
SELECT count(*) AS partitions_made FROM asset_stream.run_maintenance();
SELECT bench.check((SELECT count(*) FROM bench_unlogged_default) = 0
               AND (SELECT count(*) FROM bench_logged_default) = 0, 'seed reads left in a default partition');
TRUNCATE bench_unlogged, bench_logged;

-- (c) a plain logged table: the same columns, defaults and btree index as a
-- stream, without partitioning and without the read_is_valid CHECK.
CREATE TABLE bench_plain (
    asset_id    text NOT NULL,
    event_time  timestamptz NOT NULL,
    source_id   text,
    received_at timestamptz NOT NULL DEFAULT now(),
    position    geometry(Point, 4326),
    rssi        real,
    attrs       jsonb
);
CREATE INDEX ON bench_plain (asset_id, event_time);

-- For the record only (INDEX=0): the same without that index, on all three.
\if :with_index
\else
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT indexrelid::regclass AS idx FROM pg_index
             WHERE indrelid IN ('bench_unlogged'::regclass, 'bench_logged'::regclass, 'bench_plain'::regclass)
    LOOP
        EXECUTE format('DROP INDEX %s', r.idx);   -- on a stream: drops the partitions' indexes too
    END LOOP;
END $$;
\endif

-- like with like: every partition and the plain table has that index (or,
-- with INDEX=0, none has any), and the streams' partitions have the
-- durability asked for
SELECT bench.check(bool_and(EXISTS (SELECT 1 FROM pg_index x JOIN pg_attribute a1
                                      ON a1.attrelid = x.indrelid AND a1.attnum = x.indkey[0]
                                    JOIN pg_attribute a2
                                      ON a2.attrelid = x.indrelid AND a2.attnum = x.indkey[1]
                                    WHERE x.indrelid = c.oid AND x.indnatts = 2
                                      AND a1.attname = 'asset_id' AND a2.attname = 'event_time')
                            = :with_index
                            AND (SELECT count(*) FROM pg_index x WHERE x.indrelid = c.oid)
                                = CASE WHEN :with_index THEN 1 ELSE 0 END),
                   'the targets do not all have exactly the (asset_id, event_time) index')
FROM pg_class c
WHERE c.oid IN (SELECT inhrelid FROM pg_inherits
                WHERE inhparent IN ('bench_unlogged'::regclass, 'bench_logged'::regclass))
   OR c.oid = 'bench_plain'::regclass;
SELECT bench.check(bool_and(c.relpersistence::text = CASE i.inhparent WHEN 'bench_unlogged'::regclass THEN 'u' ELSE 'p' END),
                   'a stream partition has the wrong persistence')
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent IN ('bench_unlogged'::regclass, 'bench_logged'::regclass);

\o
SELECT format('%s hourly partitions per stream (+ default), event_time %s .. %s UTC',
              (SELECT count(*) FROM asset_stream._partitions('bench_unlogged') WHERE NOT is_default),
              to_char(t_ref - :hours * interval '1 hour', 'YYYY-MM-DD HH24:MI'),
              to_char(t_ref, 'HH24:MI')) AS info
FROM bench.meta;
