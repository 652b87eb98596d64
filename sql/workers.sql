-- Background workers: the launcher and this database's maintenance worker are
-- visible in pg_stat_activity, the worker maintains streams on its own, and
-- DROP DATABASE is not blocked by a worker connected to that database.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- Wait (at most 30 s) until a condition holds; returns whether it did.
CREATE FUNCTION pg_temp.wait_for(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    ok boolean;
BEGIN
    FOR i IN 1..300 LOOP
        EXECUTE 'SELECT ' || cond INTO ok;
        IF ok THEN RETURN true; END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN false;
END $$;

SELECT pg_temp.wait_for($$EXISTS (SELECT 1 FROM pg_stat_activity
                                  WHERE backend_type = 'asset_stream maintenance'
                                    AND datname = current_database())$$) AS maintenance_worker_running;
SELECT backend_type, datname IS NULL AS no_database, application_name
FROM pg_stat_activity WHERE backend_type = 'asset_stream launcher';
SELECT backend_type, application_name, wait_event_type
FROM pg_stat_activity WHERE backend_type = 'asset_stream maintenance' AND datname = current_database();

SELECT kind, pid IS NOT NULL AS running FROM asset_stream.worker_status()
WHERE kind = 'launcher' OR database = current_database() ORDER BY kind;

-- the worker maintains streams by itself: rows parked in the default
-- partition get a partition within a maintenance interval
SELECT asset_stream.create_stream('worked', '1 hour', '30 days');
INSERT INTO worked (asset_id, event_time) VALUES ('w', now() - interval '3 days');
SELECT count(*) AS parked FROM worked_default;
ALTER SYSTEM SET asset_stream.maintenance_interval = 1;
SELECT pg_reload_conf();
-- (poll the catalog only: a lock on the default partition would block the worker)
SELECT pg_temp.wait_for($$EXISTS (SELECT 1 FROM asset_stream._partitions('worked')
                                  WHERE lower_bound < now() - interval '2 days')$$) AS moved_by_worker;
SELECT count(*) AS rows, count(DISTINCT tableoid) AS partitions FROM worked;
ALTER SYSTEM RESET asset_stream.maintenance_interval;
SELECT pg_reload_conf();
SELECT failures, last_error FROM asset_stream.worker_status() WHERE database = current_database();

-- another database gets its own worker once the extension is created there
CREATE DATABASE as_dropme;
\c as_dropme
SET client_min_messages = warning;
CREATE EXTENSION asset_stream CASCADE;
RESET client_min_messages;
\c as_regress
\set SHOW_CONTEXT never
CREATE FUNCTION pg_temp.wait_for(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    ok boolean;
BEGIN
    FOR i IN 1..300 LOOP
        EXECUTE 'SELECT ' || cond INTO ok;
        IF ok THEN RETURN true; END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN false;
END $$;
SELECT pg_temp.wait_for($$EXISTS (SELECT 1 FROM pg_stat_activity
                                  WHERE backend_type = 'asset_stream maintenance'
                                    AND datname = 'as_dropme')$$) AS second_worker_running;
-- ... and DROP DATABASE still works: the worker is asked to leave first
DROP DATABASE as_dropme;
SELECT count(*) FROM pg_database WHERE datname = 'as_dropme';

-- a database without the extension gets no lasting worker: the one the
-- launcher starts finds no extension and leaves without taking a slot
CREATE DATABASE as_plain;
SELECT pg_temp.wait_for($$NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = 'as_plain')$$) AS no_worker_in_plain_db;
SELECT count(*) AS slots_of_plain_db FROM asset_stream.worker_status() WHERE database = 'as_plain';
DROP DATABASE as_plain;

SELECT asset_stream.drop_stream('worked');
