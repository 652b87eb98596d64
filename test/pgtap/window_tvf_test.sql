-- pgTAP: window table functions against plain SQL, and their error SQLSTATEs.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(26);

SET LOCAL TimeZone = 'Europe/Berlin';

-- Random reads over three days around the spring-forward DST change, 25
-- assets, microsecond times, a few NULL times.
SELECT setseed(0.4242);
CREATE TEMP TABLE rnd ON COMMIT DROP AS
SELECT 'asset-' || (random() * 24)::int AS asset_id,
       CASE WHEN random() < 0.01 THEN NULL
            ELSE timestamptz '2024-03-30 00:00+01' + random() * interval '72 hours' END AS t,
       (random() * 100)::int AS v
  FROM generate_series(1, 4000);

-- TUMBLE = date_bin on the local wall clock (origin 1970-01-01), both for
-- a 1-hour and a 1-day size, and with an offset.
SELECT results_eq(
  $$SELECT asset_id, window_start, window_end, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour')
           AS w(asset_id text, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY 1, 2, 3 ORDER BY 1, 2$$,
  $$SELECT asset_id, ws AT TIME ZONE 'Europe/Berlin', (ws + interval '1 hour') AT TIME ZONE 'Europe/Berlin', count(*), sum(v)
      FROM (SELECT *, date_bin('1 hour', t AT TIME ZONE 'Europe/Berlin', timestamp '1970-01-01') AS ws
              FROM rnd WHERE t IS NOT NULL) s
     GROUP BY 1, 2, 3 ORDER BY 1, 2$$,
  'random data: tumble 1 hour = GROUP BY date_bin on Berlin wall clock');

SELECT results_eq(
  $$SELECT window_start, window_end, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 day', '-90 minutes')
           AS w(v int, window_start timestamptz, window_end timestamptz)
     GROUP BY 1, 2 ORDER BY 1$$,
  $$SELECT ws AT TIME ZONE 'Europe/Berlin', (ws + interval '1 day') AT TIME ZONE 'Europe/Berlin', count(*), sum(v)
      FROM (SELECT *, date_bin('1 day', t AT TIME ZONE 'Europe/Berlin', timestamp '1970-01-01' - interval '90 minutes') AS ws
              FROM rnd WHERE t IS NOT NULL) s
     GROUP BY 1, 2 ORDER BY 1$$,
  'random data: tumble 1 day offset -90 min = date_bin (23-hour DST day included)');

SELECT results_eq(
  $$SELECT window_start, window_end, window_time, count(*)
      FROM asset_stream.tumble('SELECT t::timestamp AS t FROM rnd', 't', '7 minutes')
           AS w(window_start timestamp, window_end timestamp, window_time timestamp)
     GROUP BY 1, 2, 3 ORDER BY 1$$,
  $$SELECT ws, ws + interval '7 minutes', ws + interval '7 minutes' - interval '1 millisecond', count(*)
      FROM (SELECT date_bin('7 minutes', t::timestamp, timestamp '1970-01-01') AS ws FROM rnd WHERE t IS NOT NULL) s
     GROUP BY 1 ORDER BY 1$$,
  'random data: tumble 7 min over timestamp = date_bin from the Unix epoch; window_time = end - 1 ms');

-- HOP (size 25 min, slide 10 min: not a multiple) = join with generate_series.
-- On the spring-forward day a local bound in the skipped hour is read as
-- PostgreSQL reads it (offset before the change), so two windows can share
-- a window_start instant: order by window_end too.
SELECT results_eq(
  $$SELECT asset_id, window_start, window_end, count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes')
           AS w(asset_id text, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
  $$SELECT asset_id, s AT TIME ZONE 'Europe/Berlin', (s + interval '25 minutes') AT TIME ZONE 'Europe/Berlin', count(*), sum(v)
      FROM (SELECT *, t AT TIME ZONE 'Europe/Berlin' AS lt FROM rnd WHERE t IS NOT NULL) r,
           generate_series(date_bin('10 minutes', lt, timestamp '1970-01-01') - interval '30 minutes',
                           date_bin('10 minutes', lt, timestamp '1970-01-01'), interval '10 minutes') s
     WHERE s > lt - interval '25 minutes'
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
  'random data: hop 10/25 min = generate_series join');

-- HOP with size < slide: rows in the gaps are in no window
SELECT results_eq(
  $$SELECT window_start, count(*)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '1 hour', '20 minutes', '5 minutes')
           AS w(window_start timestamptz) GROUP BY 1 ORDER BY 1$$,
  $$SELECT s AT TIME ZONE 'Europe/Berlin', count(*)
      FROM (SELECT date_bin('1 hour', t AT TIME ZONE 'Europe/Berlin', timestamp '1970-01-01 00:05') AS s,
                   t AT TIME ZONE 'Europe/Berlin' AS lt FROM rnd WHERE t IS NOT NULL) r
     WHERE lt < s + interval '20 minutes'
     GROUP BY 1 ORDER BY 1$$,
  'random data: hop slide 1 h size 20 min offset 5 min = date_bin with a filter');

-- CUMULATE (step 15 min, max 2 hours) = date_bin + generate_series of ends
SELECT results_eq(
  $$SELECT asset_id, window_start, window_end, count(*), sum(v)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '15 minutes', '2 hours')
           AS w(asset_id text, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
  $$SELECT asset_id, ws AT TIME ZONE 'Europe/Berlin', (ws + k * interval '15 minutes') AT TIME ZONE 'Europe/Berlin', count(*), sum(v)
      FROM (SELECT *, t AT TIME ZONE 'Europe/Berlin' AS lt,
                   date_bin('2 hours', t AT TIME ZONE 'Europe/Berlin', timestamp '1970-01-01') AS ws
              FROM rnd WHERE t IS NOT NULL) r,
           generate_series(1, 8) k
     WHERE ws + k * interval '15 minutes' > lt
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
  'random data: cumulate 15 min / 2 h = date_bin + generate_series');

-- SESSION (gap 20 min) per asset = lag + running sum
SELECT results_eq(
  $$SELECT asset_id, window_start, window_end, window_time, count(*), sum(v)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '20 minutes', 'asset_id')
           AS w(asset_id text, v int, window_start timestamptz, window_end timestamptz, window_time timestamptz)
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2$$,
  $$SELECT asset_id, min(t), max(t) + interval '20 minutes', max(t) + interval '20 minutes' - interval '1 ms', count(*), sum(v)
      FROM (SELECT *, sum(brk) OVER (PARTITION BY asset_id ORDER BY t) AS sid
              FROM (SELECT *, CASE WHEN t - lag(t) OVER (PARTITION BY asset_id ORDER BY t) <= interval '20 minutes'
                                   THEN 0 ELSE 1 END AS brk
                      FROM rnd WHERE t IS NOT NULL) a) b
     GROUP BY asset_id, sid ORDER BY 1, 2$$,
  'random data: session 20 min per asset = lag + running sum');

-- SESSION without a key, over shuffled input (out of order)
SELECT results_eq(
  $$SELECT window_start, window_end, count(*)
      FROM asset_stream.session('SELECT * FROM rnd ORDER BY random()', 't', '2 minutes')
           AS w(window_start timestamptz, window_end timestamptz)
     GROUP BY 1, 2 ORDER BY 1$$,
  $$SELECT min(t), max(t) + interval '2 minutes', count(*)
      FROM (SELECT *, sum(brk) OVER (ORDER BY t) AS sid
              FROM (SELECT *, CASE WHEN t - lag(t) OVER (ORDER BY t) <= interval '2 minutes'
                                   THEN 0 ELSE 1 END AS brk
                      FROM rnd WHERE t IS NOT NULL) a) b
     GROUP BY sid ORDER BY 1$$,
  'random data: session 2 min, one timeline, shuffled input = lag + running sum');

-- every row with a time comes out exactly once from tumble and session
SELECT is((SELECT count(*) FROM asset_stream.tumble('SELECT * FROM rnd', 't', '13 minutes') AS w(v int)),
          (SELECT count(*) FROM rnd WHERE t IS NOT NULL), 'tumble: one output row per row with a time');
SELECT is((SELECT count(*) FROM asset_stream.session('SELECT * FROM rnd', 't', '1 minute', 'v') AS w(v int)),
          (SELECT count(*) FROM rnd WHERE t IS NOT NULL), 'session: one output row per row with a time');

-- error SQLSTATEs
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 't', '0 s') AS w(v int)$$,
                 '22023', NULL, 'tumble size 0: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.hop('SELECT * FROM rnd', 't', '-1 s', '1 min') AS w(v int)$$,
                 '22023', NULL, 'hop slide < 0: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '7 min', '1 hour') AS w(v int)$$,
                 '22023', NULL, 'cumulate size not a multiple of step: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.session('SELECT * FROM rnd', 't', '-5 min') AS w(v int)$$,
                 '22023', NULL, 'session gap < 0: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 mon') AS w(v int)$$,
                 '22023', NULL, 'month size: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.hop('SELECT * FROM rnd', 't', '1 s', '1 year') AS w(v int)$$,
                 '22023', NULL, 'year size: invalid_parameter_value');
SELECT throws_ok($$SELECT * FROM asset_stream.hop('SELECT * FROM rnd', 't', '1 ms', '1 day') AS w(v int)$$,
                 '54000', NULL, 'too many windows per row: program_limit_exceeded');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 't', NULL) AS w(v int)$$,
                 '22004', NULL, 'NULL size: null_value_not_allowed');
SELECT throws_ok($$SELECT * FROM asset_stream.session(NULL, 't', '1 s') AS w(v int)$$,
                 '22004', NULL, 'NULL input: null_value_not_allowed');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 'ts', '1 h') AS w(v int)$$,
                 '42703', NULL, 'unknown time column: undefined_column');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 h') AS w(x int)$$,
                 '42703', NULL, 'unknown output column: undefined_column');
SELECT throws_ok($$SELECT * FROM asset_stream.session('SELECT * FROM rnd', 't', '1 h', 'x') AS w(v int)$$,
                 '42703', NULL, 'unknown partition_by column: undefined_column');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 'v', '1 h') AS w(v int)$$,
                 '42804', NULL, 'integer time column: datatype_mismatch');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 h') AS w(v bigint)$$,
                 '42804', NULL, 'wrong output column type: datatype_mismatch');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble($q$SELECT timestamptz '-infinity' AS t$q$, 't', '1 h') AS w(t timestamptz)$$,
                 '22008', NULL, 'infinite time: datetime_field_overflow');
SELECT throws_ok($$SELECT * FROM asset_stream.tumble('SELECT t, v AS window_start FROM rnd', 't', '1 h') AS w(t timestamptz)$$,
                 '42701', NULL, 'input column named window_start: duplicate_column');

SELECT * FROM finish();
ROLLBACK;
