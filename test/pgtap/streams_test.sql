-- pgTAP: the streams API — objects, column contract, partitions, durability,
-- rejected reads with their SQLSTATEs, and maintenance.
BEGIN;
SELECT plan(37);
SET LOCAL TimeZone = 'UTC';

-- the extension's objects
SELECT has_schema('asset_stream');
SELECT has_function('asset_stream', 'create_stream', ARRAY['text', 'interval', 'interval', 'text']);
SELECT has_function('asset_stream', 'drop_stream', ARRAY['text']);
SELECT has_function('asset_stream', 'run_maintenance', ARRAY['text']);
SELECT has_function('asset_stream', 'worker_status', '{}'::text[]);
SELECT has_view('asset_stream', 'streams', 'streams view');
SELECT columns_are('asset_stream', 'streams',
    ARRAY['name', 'relation', 'partition_interval', 'retention', 'durability',
          'partitions', 'estimated_rows', 'oldest_bound', 'newest_bound']);
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'asset_stream'), '0.1.0', 'version 0.1.0');
SELECT has_extension('postgis', 'CASCADE brought PostGIS');

-- a stream and its column contract
SELECT is(asset_stream.create_stream('tap_reads', '30 minutes', '3 days')::text, 'tap_reads', 'create_stream returns the table');
SELECT columns_are('public', 'tap_reads',
    ARRAY['asset_id', 'event_time', 'source_id', 'received_at', 'position', 'rssi', 'attrs']);
SELECT col_type_is('public', 'tap_reads', 'position', 'geometry(Point,4326)', 'position is a 4326 point');
SELECT col_not_null('public', 'tap_reads', 'asset_id', 'asset_id NOT NULL');
SELECT col_not_null('public', 'tap_reads', 'event_time', 'event_time NOT NULL');
SELECT col_not_null('public', 'tap_reads', 'received_at', 'received_at NOT NULL');
SELECT is(pg_get_partkeydef('tap_reads'::regclass), 'RANGE (event_time)', 'range-partitioned on event_time');
SELECT ok(EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = 'tap_reads'::regclass
                  AND pg_get_indexdef(i.indexrelid) LIKE '%(asset_id, event_time)'), 'btree on (asset_id, event_time)');
SELECT is((SELECT count(*)::int FROM asset_stream._partitions('tap_reads') WHERE NOT is_default), 5,
          'current partition and 4 ahead');
SELECT is((SELECT array_agg(DISTINCT c.relpersistence::text) FROM asset_stream._partitions('tap_reads') p
           JOIN pg_class c ON c.oid = p.partition), ARRAY['u'], 'every partition is unlogged');
SELECT is((SELECT upper_bound - lower_bound FROM asset_stream._partitions('tap_reads')
           WHERE NOT is_default LIMIT 1), interval '30 minutes', 'partitions span partition_interval');
SELECT ok((SELECT bool_and(extract(epoch FROM lower_bound)::bigint % 1800 = 0)
           FROM asset_stream._partitions('tap_reads') WHERE NOT is_default), 'bounds aligned on the interval');

-- rejected reads: SQLSTATEs, and nothing half-inserted
SELECT throws_ok($$INSERT INTO tap_reads (asset_id, event_time) VALUES ('a', now()), (NULL, now())$$,
                 '23502', NULL, 'NULL asset_id: not_null_violation');
SELECT throws_ok($$INSERT INTO tap_reads (asset_id, event_time) VALUES ('a', NULL)$$,
                 '23502', NULL, 'NULL event_time: not_null_violation');
SELECT throws_ok($$INSERT INTO tap_reads (asset_id, event_time) VALUES ('a', now() + interval '10 minutes')$$,
                 '22008', NULL, 'event_time beyond max_future: datetime_field_overflow');
SELECT throws_ok($$INSERT INTO tap_reads (asset_id, event_time) VALUES ('', now())$$,
                 '22026', 'asset_id must not be empty', 'empty asset_id');
SELECT is((SELECT count(*)::int FROM tap_reads), 0, 'no rejected statement left rows behind');

-- accepted reads, in and out of the premade range
SELECT lives_ok($$INSERT INTO tap_reads (asset_id, event_time) VALUES
                  ('a', now()), ('a', now() - interval '2 days'), ('b', now() - interval '10 days')$$,
                'reads of past days are accepted before maintenance');
SELECT is((SELECT count(*)::int FROM tap_reads_default), 2, 'two reads parked in the default partition');
SELECT is((SELECT count(*)::int FROM asset_stream.run_maintenance('tap_reads') WHERE action = 'created'), 1,
          'maintenance makes a partition for the read within retention');
SELECT is((SELECT count(*)::int FROM tap_reads_default), 0, 'default partition emptied');
SELECT is((SELECT array_agg(asset_id ORDER BY event_time) FROM tap_reads), ARRAY['a', 'a'],
          'the read older than retention is gone');

-- bad arguments
SELECT throws_ok($$SELECT asset_stream.create_stream('tap_reads')$$, '42P07', NULL, 'duplicate stream');
SELECT throws_ok($$SELECT asset_stream.create_stream('x', '1 mon')$$, '22023', NULL, 'month interval');
SELECT throws_ok($$SELECT asset_stream.create_stream('x', durability => 'maybe')$$, '22023', NULL, 'bad durability');
SELECT throws_ok($$SELECT asset_stream.drop_stream('nope')$$, '42P01', NULL, 'unknown stream');

-- logged durability
SELECT asset_stream.create_stream('tap_logged', durability => 'logged');
SELECT is((SELECT array_agg(DISTINCT c.relpersistence::text) FROM asset_stream._partitions('tap_logged') p
           JOIN pg_class c ON c.oid = p.partition), ARRAY['p'], 'logged stream: permanent partitions');

-- drop
SELECT asset_stream.drop_stream('tap_logged');
SELECT hasnt_table('public', 'tap_logged', 'drop_stream drops the table');

SELECT * FROM finish();
ROLLBACK;
