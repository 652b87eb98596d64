-- Streams: create_stream(), partitions made ahead and on demand, durability,
-- INSERT and COPY, rejected reads, drop_stream() and the streams view.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- The SQLSTATE a statement fails with, or 'ok'.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

-- Let this database's maintenance worker finish its first run, so that it
-- does not race the maintenance runs below (the test cluster sets
-- asset_stream.maintenance_interval to an hour).
DO $$
BEGIN
    FOR i IN 1..300 LOOP
        EXIT WHEN EXISTS (SELECT 1 FROM asset_stream.worker_status()
                          WHERE database = current_database() AND runs > 0);
        PERFORM pg_sleep(0.1);
    END LOOP;
END $$;

SELECT asset_stream.create_stream('reads');

-- the canonical columns
SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull
FROM pg_attribute WHERE attrelid = 'reads'::regclass AND attnum > 0 ORDER BY attnum;

-- partitioned by range on event_time; the current partition plus premake (4) ahead, and a default
SELECT pg_get_partkeydef('reads'::regclass);
SELECT count(*) FILTER (WHERE NOT is_default) AS ranged, count(*) FILTER (WHERE is_default) AS defaults
FROM asset_stream._partitions('reads');
SELECT DISTINCT c.relpersistence FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'reads'::regclass;

-- reads spanning three days are accepted before any maintenance run
BEGIN;
INSERT INTO reads (asset_id, event_time, source_id, rssi)
SELECT 'tag-' || d, now() - d * interval '1 day', 'antenna-1', -60 - d
FROM generate_series(0, 2) d;
SELECT count(*) AS all_rows FROM reads;
SELECT count(*) AS parked_in_default FROM reads_default;
SELECT bool_and(received_at = now()) AS received_at_set_on_ingest FROM reads;
COMMIT;

-- maintenance gives the parked rows partitions of their own
SELECT action, count(*) FROM asset_stream.run_maintenance('reads') GROUP BY action;
SELECT count(*) AS all_rows FROM reads;
SELECT count(*) AS parked_in_default FROM reads_default;
SELECT count(DISTINCT tableoid) AS partitions_holding_rows FROM reads;
SELECT DISTINCT c.relpersistence FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'reads'::regclass;
-- a second run has nothing to do
SELECT count(*) FROM asset_stream.run_maintenance('reads');

-- bad reads: the statement fails whole, nothing of it is inserted
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('ok-1', now()), (NULL, now())$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('ok-2', now()), ('x', NULL)$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('ok-3', now()), ('x', now() + interval '1 hour')$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('', now())$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('x', 'infinity')$$);
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES (repeat('x', 2000), now())$$);
SELECT count(*) AS all_rows FROM reads;
-- the messages
\set VERBOSITY terse
INSERT INTO reads (asset_id, event_time) VALUES ('', now());
INSERT INTO reads (asset_id, event_time) VALUES ('x', '-infinity');
\set VERBOSITY default
-- a read slightly ahead is fine; max_future is a setting (-1: off)
INSERT INTO reads (asset_id, event_time) VALUES ('ahead', now() + interval '1 minute');
SET asset_stream.max_future = '2h';
INSERT INTO reads (asset_id, event_time) VALUES ('ahead', now() + interval '1 hour');
SET asset_stream.max_future = 0;
SELECT pg_temp.sqlstate_of($$INSERT INTO reads (asset_id, event_time) VALUES ('ahead', now() + interval '1 minute')$$);
RESET asset_stream.max_future;
SELECT count(*) AS all_rows FROM reads;

-- COPY FROM STDIN, with positions and attributes; old reads go to the default partition
SELECT asset_stream.create_stream('public.history', '1 day', NULL, 'logged');
COPY history (asset_id, event_time, source_id, position, rssi, attrs) FROM STDIN WITH (FORMAT csv);
pallet-1,2025-03-01 10:00:00+00,dock-1,SRID=4326;POINT(-2.98 53.40),-55.5,"{""battery"": 3.1}"
pallet-1,2025-03-01 10:05:00+00,dock-2,SRID=4326;POINT(-2.97 53.41),-61,
pallet-2,2025-03-02 23:59:59.999+00,gate,,,
\.
SELECT asset_id, event_time, source_id, ST_AsText(position), rssi, attrs FROM history ORDER BY asset_id, event_time;
SELECT count(*) AS parked_in_default FROM history_default;
SELECT action, count(*) FROM asset_stream.run_maintenance('history') GROUP BY action ORDER BY action;
SELECT p.lower_bound, p.upper_bound, (SELECT count(*) FROM history h WHERE h.tableoid = p.partition) AS rows
FROM asset_stream._partitions('history') p WHERE p.lower_bound < '2026-01-01' ORDER BY 1;
SELECT DISTINCT c.relpersistence FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'history'::regclass;
-- a bad row in COPY rejects the whole COPY
\set VERBOSITY terse
COPY history (asset_id, event_time) FROM STDIN WITH (FORMAT csv);
pallet-3,2025-03-03 10:00:00+00
,2025-03-03 10:00:00+00
\.
\set VERBOSITY default
SELECT count(*) FROM history;

-- retention: partitions whose upper bound is older than now() - retention are dropped
SELECT asset_stream.create_stream('short', '1 hour', '2 days');
INSERT INTO short (asset_id, event_time) VALUES ('a', now() - interval '36 hours'), ('b', now() - interval '5 days');
SELECT action, count(*) FROM asset_stream.run_maintenance('short') GROUP BY action ORDER BY action;
SELECT asset_id FROM short;
UPDATE asset_stream.stream_config SET retention = '1 day' WHERE relid = 'short'::regclass;
SELECT action, count(*) FROM asset_stream.run_maintenance('short') GROUP BY action ORDER BY action;
SELECT count(*) FROM short;
SELECT min(lower_bound) > now() - interval '1 day' - interval '1 hour' AS nothing_older_kept
FROM asset_stream._partitions('short') WHERE NOT is_default;

-- the streams view
SELECT name, relation, partition_interval, retention, durability, partitions > 0 AS has_partitions
FROM asset_stream.streams ORDER BY name;
ANALYZE history;
SELECT estimated_rows, oldest_bound, newest_bound > now() AS ready_ahead
FROM asset_stream.streams WHERE name = 'public.history';

-- schema-qualified and quoted names
CREATE SCHEMA site;
SELECT asset_stream.create_stream('site."Gate Reads"', '15 minutes');
SELECT name FROM asset_stream.streams WHERE name LIKE 'site.%';
INSERT INTO site."Gate Reads" (asset_id, event_time) VALUES ('x', now());

-- bad arguments
SELECT asset_stream.create_stream('reads');
SELECT asset_stream.create_stream(NULL);
SELECT asset_stream.create_stream('m', '1 month');
SELECT asset_stream.create_stream('m', '10 seconds');
SELECT asset_stream.create_stream('m', '1 hour', '-1 day');
SELECT asset_stream.create_stream('m', '1 hour', '1 day', 'sometimes');
SELECT asset_stream.create_stream('a.b.c');
SELECT asset_stream.create_stream('nosuchschema.m');
SELECT asset_stream.drop_stream('nosuch');
SELECT asset_stream.drop_stream(NULL);
SELECT asset_stream.run_maintenance('nosuch');
CREATE TABLE plain (x int);
SELECT asset_stream.drop_stream('plain');

-- drop_stream removes the table, its partitions and its catalog row
SELECT asset_stream.drop_stream('short');
SELECT to_regclass('short') IS NULL AS gone, count(*) AS catalog_rows
FROM asset_stream.stream_config WHERE relid::text = 'short';
-- a stream dropped with DROP TABLE is forgotten by the next maintenance run
DROP TABLE site."Gate Reads";
SELECT count(*) FROM asset_stream.run_maintenance();
SELECT name FROM asset_stream.streams ORDER BY name;
