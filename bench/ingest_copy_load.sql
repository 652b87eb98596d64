-- bench/ingest_copy_load.sql: one timed COPY of the reads file into one
-- target.  psql variables: target, csv, rows, run, nth (place in its
-- round), has_default (true for a stream) and default_part.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\o /dev/null
TRUNCATE :"target";
-- every load starts from the same state: no dirty WAL-logged buffers
-- and a fresh checkpoint (untimed)
CHECKPOINT;
SELECT pg_current_wal_insert_lsn() AS lsn0, clock_timestamp() AS t0 \gset
COPY :"target" (asset_id, event_time, source_id, position, rssi, attrs) FROM :'csv' WITH (FORMAT csv);
-- the COPY committed (autocommit, synchronous_commit = on) before this runs
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS secs,
       pg_wal_lsn_diff(pg_current_wal_insert_lsn(), :'lsn0') AS wal_bytes \gset
SELECT count(*) AS rows_total FROM :"target" \gset
\if :has_default
SELECT count(*) AS rows_default FROM :"default_part" \gset
\else
\set rows_default NULL
\endif
INSERT INTO bench.result VALUES (:'target', :run, :nth, :secs, :wal_bytes, :rows_total, :rows_default);
SELECT bench.check(:rows_total = :rows, format('%s holds %s rows after COPY, not %s', :'target', :rows_total, :rows));
SELECT bench.check(coalesce(:rows_default, 0) = 0,
                   format('%s got %s rows: add partitions', :'default_part', :rows_default));
-- leave nothing behind for the next load (nor for a checkpoint or vacuum)
TRUNCATE :"target";
\o
SELECT format('run %s  %-15s %s s  %s rows/s  WAL %s MB', :run, :'target',
              to_char(:secs, '990.00'), to_char(:rows / :secs, '9,999,999'),
              to_char(:wal_bytes / 1e6, '99,990.0')) AS line;
