-- asset_stream demo: streams of real reads, queried with plain SQL.
-- Run by scripts/demo.sh against a throwaway cluster; :datadir is shared/data.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION asset_stream CASCADE;
RESET client_min_messages;

\echo '== 1. Streams: tables of reads in UNLOGGED hourly partitions'
SELECT asset_stream.create_stream('bus_gps');
SELECT asset_stream.create_stream('ward_rfid', '15 minutes', '2 days');

\echo '== 2. Load 1,533 GPS fixes of 8 Liverpool buses (UK Bus Open Data Service, OGL),'
\echo '==    shifted so that the last fix is now: 2.5 hours of reads, most of them older'
\echo '==    than the partitions made ahead of time.  They are accepted all the same.'
CREATE TEMP TABLE bus_raw (id bigint, vehicle_id text, trip_id text, ts timestamp, lat float8,
    lon float8, bearing float8, origin text, destination text, route text, direction text, operator text);
\set bus_csv :datadir '/liverpool_bus/route14_outbound.csv'
COPY bus_raw FROM :'bus_csv' WITH (FORMAT csv, HEADER);
INSERT INTO bus_gps (asset_id, event_time, source_id, position, attrs)
SELECT 'bus-' || vehicle_id,
       ts AT TIME ZONE 'UTC' + (now() - (SELECT max(ts) AT TIME ZONE 'UTC' FROM bus_raw)),
       'gps',
       ST_SetSRID(ST_MakePoint(lon, lat), 4326),
       jsonb_build_object('trip', trip_id, 'bearing', bearing)
FROM bus_raw;

\echo '== 3. Load one trial of the clinical RFID dataset (UCI 427, Torres et al., CC BY 4.0):'
\echo '==    a tag worn by a patient, read by 4 antennas, time shifted to end now.'
CREATE TEMP TABLE rfid_raw (t float8, ax float8, ay float8, az float8, antenna int, rssi real,
    phase float8, freq float8, activity int);
\set rfid_csv :datadir '/rfid_clinical/S1_Dataset/d1p01M'
COPY rfid_raw FROM :'rfid_csv' WITH (FORMAT csv);
INSERT INTO ward_rfid (asset_id, event_time, source_id, rssi, attrs)
SELECT 'patient-d1p01', now() - make_interval(secs => (SELECT max(t) FROM rfid_raw) - t),
       'antenna-' || antenna, rssi, jsonb_build_object('activity', activity)
FROM rfid_raw;

\echo '== 4. Maintenance (run by the background worker every minute; here by hand)'
\echo '==    gives the early reads partitions of their own'
SELECT stream, action, count(*) FROM asset_stream.run_maintenance() GROUP BY 1, 2 ORDER BY 1, 2;
ANALYZE bus_gps, ward_rfid;
SELECT name, partition_interval, retention, durability, partitions, estimated_rows FROM asset_stream.streams;
SELECT p.partition, p.lower_bound, c.relpersistence, (SELECT count(*) FROM bus_gps b WHERE b.tableoid = p.partition) AS reads
FROM asset_stream._partitions('bus_gps') p JOIN pg_class c ON c.oid = p.partition
WHERE NOT p.is_default ORDER BY p.lower_bound LIMIT 4;

\echo '== 5. Where is each bus now, and since when has it been reporting?'
SELECT DISTINCT ON (asset_id) asset_id, event_time AS last_seen,
       round(ST_Y(position)::numeric, 5) AS lat, round(ST_X(position)::numeric, 5) AS lon
FROM bus_gps ORDER BY asset_id, event_time DESC;

\echo '== 6. How far did each trip go (PostGIS over the ordered fixes)?'
SELECT attrs->>'trip' AS trip, asset_id, count(*) AS fixes,
       round(ST_Length(ST_MakeLine(position ORDER BY event_time)::geography)::numeric / 1000, 2) AS km
FROM bus_gps GROUP BY 1, 2 ORDER BY km DESC LIMIT 5;

\echo '== 7. Which antenna hears the patient, per 5 minutes?'
SELECT date_bin('5 minutes', event_time, '2000-01-01') AS five_min, source_id, count(*) AS reads,
       round(avg(rssi)::numeric, 1) AS avg_rssi
FROM ward_rfid GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 8;

\echo '== 7b. The same with asset_stream.tumble (Flink TUMBLE), and trips as sessions per bus'
\echo '==     (a gap of 5 minutes without a fix closes a session)'
SELECT window_start, source_id, count(*) AS reads
FROM asset_stream.tumble('SELECT source_id, event_time FROM ward_rfid', 'event_time', '5 minutes')
     AS w(source_id text, window_start timestamptz)
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 4;
SELECT asset_id, window_start, window_end, count(*) AS fixes
FROM asset_stream.session('SELECT asset_id, event_time FROM bus_gps', 'event_time', '5 minutes', 'asset_id')
     AS w(asset_id text, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3 ORDER BY 1, 2 LIMIT 6;
\echo '==     Fixes per bus in 10-minute windows every 5 minutes (HOP): a GROUP BY over a'
\echo '==     window function runs as one window aggregation over the rows sorted by (bus, time)'
EXPLAIN (COSTS OFF)
SELECT asset_id, window_start, count(*) AS fixes
FROM asset_stream.hop('SELECT asset_id, event_time FROM bus_gps', 'event_time', '5 minutes', '10 minutes')
     AS w(asset_id text, window_start timestamptz)
GROUP BY 1, 2;
SELECT asset_id, window_start, count(*) AS fixes
FROM asset_stream.hop('SELECT asset_id, event_time FROM bus_gps', 'event_time', '5 minutes', '10 minutes')
     AS w(asset_id text, window_start timestamptz)
GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 4;

\echo '== 8b. Patterns over the patient''s reads (MATCH_RECOGNIZE): the patient got out of bed:'
\echo '==     lying, maybe sitting on the bed, then walking (activity labels of the RFID trial)'
SELECT * FROM asset_stream.match_recognize(
  $$SELECT asset_id, event_time, (attrs->>'activity')::int AS activity FROM ward_rfid$$,
  $$ PARTITION BY asset_id ORDER BY event_time
     MEASURES FIRST(lying.event_time) AS lay_down, FIRST(walking.event_time) AS walked_off,
              count(sitting.*) AS reads_sitting_on_bed, MATCH_NUMBER() AS n
     ONE ROW PER MATCH
     PATTERN (lying+ sitting* walking+)
     DEFINE lying AS activity = 3, sitting AS activity = 1, walking AS activity = 4 $$)
  AS t(asset_id text, n bigint, lay_down timestamptz, walked_off timestamptz, reads_sitting_on_bed bigint);
\echo '==     ... and each stay in bed that ended, with its last activity (10 s without a bed read)'
SELECT * FROM asset_stream.match_recognize(
  $$SELECT asset_id, event_time, (attrs->>'activity')::int AS activity FROM ward_rfid$$,
  $$ PARTITION BY asset_id ORDER BY event_time
     MEASURES FIRST(event_time) AS from_time, LAST(event_time) AS to_time, count(*) AS reads,
              LAST(CLASSIFIER()) AS last_state
     PATTERN ((bed | lying)+) FOLLOWED BY NO bed FOR INTERVAL '10 seconds'
     DEFINE bed AS activity = 1, lying AS activity = 3 $$)
  AS t(asset_id text, from_time timestamptz, to_time timestamptz, reads bigint, last_state text);

\echo '== 8. Bad reads are refused whole, with a SQLSTATE (here: a clock far in the future)'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
INSERT INTO bus_gps (asset_id, event_time) VALUES ('bus-x', now() + interval '1 day');
\set VERBOSITY default
\set ON_ERROR_STOP 1

\echo '== 9. The background workers'
SELECT kind, database, pid IS NOT NULL AS running, runs FROM asset_stream.worker_status();
SELECT backend_type, datname FROM pg_stat_activity WHERE backend_type LIKE 'asset_stream%';
