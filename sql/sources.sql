-- Sources: add_source(), drop_source(), enable_source(), the sources view
-- and option checking.  The workers' behaviour is tested with a real broker
-- and real HTTP clients in test/cluster/ingest_*.sh.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
\set SHOW_CONTEXT never
\set VERBOSITY terse

SELECT asset_stream.create_stream('src_reads');
-- Disabled right away, so that no worker binds the port in this test.
BEGIN;
SELECT asset_stream.add_source('src_reads', 'gate_http', 'http', '{"port": 18999, "token": "s3cret"}');
SELECT asset_stream.enable_source('gate_http', false);
COMMIT;
BEGIN;
SELECT asset_stream.add_source('src_reads', 'dock_mqtt', 'mqtt',
       '{"host": "127.0.0.1", "port": 1, "topics": ["site/+/reads"], "qos": 1, "username": "dock", "password": "pw"}');
SELECT asset_stream.enable_source('dock_mqtt', false);
COMMIT;

-- The view hides secrets and shows zero counters before any batch.
SELECT name, stream, kind, enabled, state, rows_accepted, rows_rejected, batches, bytes, options
FROM asset_stream.sources ORDER BY name;

-- Errors: NULLs, unknown stream, kind, duplicate name, bad options.
SELECT asset_stream.add_source('src_reads', NULL, 'http', '{}');
SELECT asset_stream.add_source('no_such_stream', 'x', 'http', '{"port": 8080}');
SELECT asset_stream.add_source('src_reads', 'x', 'kafka', '{}');
SELECT asset_stream.add_source('src_reads', 'gate_http', 'http', '{"port": 8080}');
SELECT asset_stream.add_source('src_reads', 'x', 'http', '[1, 2]');
SELECT asset_stream.add_source('src_reads', 'x', 'http', '{"port": 8080, "batch_rows": "many"}');
SELECT asset_stream.add_source('src_reads', 'x', 'http', '{"port": 8080, "batch_rows": 0}');
SELECT asset_stream.add_source('src_reads', 'x', 'http', '{"port": 8080, "batch_ms": 1.5}');
SELECT asset_stream.add_source('src_reads', '', 'http', '{"port": 8080}');
SELECT asset_stream.drop_source('nope');
SELECT asset_stream.enable_source('nope', true);
SELECT asset_stream.enable_source('gate_http', NULL);

-- Without INSERT on the stream a role can neither add nor change a source.
CREATE ROLE src_reader;
SET ROLE src_reader;
SELECT asset_stream.add_source('src_reads', 'y', 'http', '{"port": 8080}');
SELECT asset_stream.enable_source('gate_http', true);
SELECT count(*) FROM asset_stream._sources;
RESET ROLE;
-- ... and with INSERT it can (the source is kept disabled).
GRANT INSERT ON src_reads TO src_reader;
SET ROLE src_reader;
BEGIN;
SELECT asset_stream.add_source('src_reads', 'y', 'http', '{"port": 18998}');
SELECT asset_stream.enable_source('y', false);
COMMIT;
SELECT name, enabled FROM asset_stream.sources WHERE name = 'y';
SELECT asset_stream.drop_source('y');
RESET ROLE;
REVOKE INSERT ON src_reads FROM src_reader;
DROP ROLE src_reader;

-- drop_source forgets a source; dropping the stream drops its sources.
SELECT asset_stream.drop_source('gate_http');
SELECT name FROM asset_stream.sources ORDER BY name;
SELECT asset_stream.drop_stream('src_reads');
SELECT count(*) FROM asset_stream.sources;
