-- Window table functions: tumble(), hop(), cumulate(), session().
-- Expected rows are worked out by hand from the rules in docs/windows.md.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE TEMP TABLE r (asset text, t timestamptz, v int);
INSERT INTO r VALUES
  ('a', '2024-01-01 08:07:00+00', 1),
  ('a', '2024-01-01 08:10:00+00', 2),   -- on a boundary: starts [08:10, ...)
  ('b', '2024-01-01 08:02:30+00', 3),
  ('b', '2024-01-01 08:14:59.999999+00', 4),
  ('c', NULL, 5);                        -- NULL time: dropped

-- TUMBLE 5 min
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '5 minutes')
  AS w(asset text, v int, window_start timestamptz, window_end timestamptz, window_time timestamptz)
  ORDER BY v;

-- offsets act modulo the size: +2, -3 and +12 minutes give the same windows
SELECT v, window_start, window_end
  FROM asset_stream.tumble('SELECT * FROM r', 't', '5 minutes', '2 minutes')
  AS w(v int, window_start timestamptz, window_end timestamptz) ORDER BY v;
SELECT (SELECT array_agg(window_start ORDER BY v) FROM asset_stream.tumble('SELECT * FROM r', 't', '5 minutes', o1)
          AS w(v int, window_start timestamptz))
     = (SELECT array_agg(window_start ORDER BY v) FROM asset_stream.tumble('SELECT * FROM r', 't', '5 minutes', o2)
          AS w(v int, window_start timestamptz)) AS same
  FROM (VALUES ('2 minutes'::interval, '-3 minutes'::interval), ('2 minutes', '12 minutes'),
               ('0', '-10 minutes')) o(o1, o2);

-- day windows with an offset start on the previous day when pushed there
SELECT window_start, window_end
  FROM asset_stream.tumble($$SELECT timestamptz '2024-01-02 01:30+00' AS t$$, 't', '1 day', '6 hours')
  AS w(window_start timestamptz, window_end timestamptz);
SELECT window_start, window_end
  FROM asset_stream.tumble($$SELECT timestamptz '2024-01-02 01:30+00' AS t$$, 't', '1 day', '-8 hours')
  AS w(window_start timestamptz, window_end timestamptz);

-- pre-epoch: floor, not truncation (size 5 s, 1969-12-31 23:59:58)
SELECT window_start, window_end
  FROM asset_stream.tumble($$SELECT timestamp '1969-12-31 23:59:58' AS t$$, 't', '5 seconds')
  AS w(window_start timestamp, window_end timestamp);
-- a 7 s window aligns to the Unix epoch, not to the data (60 s -> [56 s, 63 s)),
-- also far from 1970: 2024-01-01 00:00:00 is 1704067200 s = 243438171*7 + 3
SELECT window_start, window_end
  FROM asset_stream.tumble($$SELECT t FROM unnest(ARRAY[timestamp '1970-01-01 00:01:00', '2024-01-01 00:00:00']) t$$, 't', '7 seconds')
  AS w(window_start timestamp, window_end timestamp) ORDER BY 1;
-- 7-day windows start on Thursdays, like 1970-01-01
SELECT DISTINCT to_char(window_start, 'Dy') AS dow
  FROM asset_stream.tumble($$SELECT timestamp '2024-01-01' + x * interval '1 day' AS t FROM generate_series(0, 30) x$$, 't', '7 days')
  AS w(window_start timestamp);

-- HOP slide 5 min, size 10 min: a row at 08:07 is in [08:00,08:10) and [08:05,08:15)
SELECT asset, v, window_start, window_end
  FROM asset_stream.hop('SELECT * FROM r', 't', '5 minutes', '10 minutes')
  AS w(asset text, v int, window_start timestamptz, window_end timestamptz)
  ORDER BY v, window_start;

-- HOP with size not a multiple of slide (slide 5 s, size 9 s):
-- 3 s -> [-5,4) and [0,9); 4 s -> [0,9) only; 7 s -> [0,9) and [5,14)
SELECT extract(epoch FROM t) AS t, extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.hop($$SELECT to_timestamp(x) AS t FROM unnest(ARRAY[3, 4, 7]) x$$, 't', '5 seconds', '9 seconds')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz)
  ORDER BY 1, 2;
-- size smaller than slide: rows in the gaps belong to no window
SELECT extract(epoch FROM t) AS t, extract(epoch FROM window_start) AS ws
  FROM asset_stream.hop($$SELECT to_timestamp(x) AS t FROM unnest(ARRAY[1, 3, 5, 6]) x$$, 't', '5 seconds', '2 seconds')
  AS w(t timestamptz, window_start timestamptz)
  ORDER BY 1, 2;
-- hop offset acts modulo the slide
SELECT extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.hop($$SELECT to_timestamp(7) AS t$$, 't', '5 seconds', '10 seconds', '-14 seconds')
  AS w(window_start timestamptz, window_end timestamptz) ORDER BY 1;

-- CUMULATE step 2 min, max 10 min: a row at 08:05 is in windows ending 08:06, 08:08, 08:10
SELECT v, window_start, window_end, window_time
  FROM asset_stream.cumulate($$SELECT 1 AS v, timestamptz '2024-01-01 08:05+00' AS t$$, 't', '2 minutes', '10 minutes')
  AS w(v int, window_start timestamptz, window_end timestamptz, window_time timestamptz);
-- a row on a step boundary (08:06) is not in the window ending 08:06
SELECT window_end
  FROM asset_stream.cumulate($$SELECT timestamptz '2024-01-01 08:06+00' AS t$$, 't', '2 minutes', '10 minutes')
  AS w(window_end timestamptz);
-- with an offset of 1 min the windows start at 08:01
SELECT window_start, window_end
  FROM asset_stream.cumulate($$SELECT timestamptz '2024-01-01 08:05+00' AS t$$, 't', '2 minutes', '10 minutes', '1 minute')
  AS w(window_start timestamptz, window_end timestamptz);

-- by-name binding: any subset, any order
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 hour')
  AS w(window_time timestamptz, v int, asset text) ORDER BY v;
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 hour')
  AS w(window_end timestamptz, t timestamptz) ORDER BY 2;
SELECT count(*) FROM asset_stream.tumble('SELECT * FROM r', 't', '1 hour') AS w(v int);

-- timestamp (without time zone) time column: window columns are timestamp
SELECT * FROM asset_stream.tumble($$SELECT timestamp '2024-05-05 10:31:00' AS ts$$, 'ts', '15 minutes')
  AS w(ts timestamp, window_start timestamp, window_end timestamp, window_time timestamp);

-- empty input, one row, all-NULL times
SELECT * FROM asset_stream.tumble('SELECT * FROM r WHERE false', 't', '1 minute')
  AS w(asset text, window_start timestamptz);
SELECT * FROM asset_stream.hop('SELECT * FROM r WHERE v = 1', 't', '1 minute', '2 minutes')
  AS w(asset text, window_start timestamptz) ORDER BY 2;
SELECT * FROM asset_stream.session('SELECT * FROM r WHERE t IS NULL', 't', '1 minute')
  AS w(asset text, window_start timestamptz);

-- SESSION
CREATE TEMP TABLE s (k text, t timestamptz, n int);
INSERT INTO s VALUES
  ('x', '2024-01-01 08:05+00', 1),
  ('x', '2024-01-01 08:07+00', 2),     -- exactly one gap (2 min) later: same session
  ('x', '2024-01-01 08:10+00', 3),     -- 3 min later: new session
  ('y', '2024-01-01 08:06+00', 4),
  ('y', NULL, 5),
  (NULL, '2024-01-01 08:00+00', 6),    -- a NULL key is a key of its own
  (NULL, '2024-01-01 08:01+00', 7);
SELECT k, n, window_start, window_end, window_time
  FROM asset_stream.session('SELECT * FROM s', 't', '2 minutes', 'k')
  AS w(k text, n int, window_start timestamptz, window_end timestamptz, window_time timestamptz)
  ORDER BY n;
-- without a partition key there is one timeline: 08:00..08:10 chain into one session
SELECT window_start, window_end, count(*)
  FROM asset_stream.session('SELECT * FROM s', 't', '2 minutes')
  AS w(window_start timestamptz, window_end timestamptz)
  GROUP BY 1, 2 ORDER BY 1;
-- a gap larger than the data: one session per key
SELECT k, window_start, window_end, count(*)
  FROM asset_stream.session('SELECT * FROM s', 't', '1 day', 'k')
  AS w(k text, window_start timestamptz, window_end timestamptz)
  GROUP BY 1, 2, 3 ORDER BY 1, 2;
-- out-of-order rows merge sessions (gap 3 s): 0 s and 5 s are apart, 2.5 s
-- arriving last bridges them into [0, 8)
SELECT extract(epoch FROM t) AS t, extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.session($$SELECT to_timestamp(x) AS t FROM unnest(ARRAY[0, 5, 2.5]) x$$, 't', '3 seconds')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz) ORDER BY 1;
-- and without the bridge they stay apart
SELECT extract(epoch FROM t) AS t, extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.session($$SELECT to_timestamp(x) AS t FROM unnest(ARRAY[5, 0]) x$$, 't', '3 seconds')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz) ORDER BY 1;
-- integer partition key and extra columns kept with each row
SELECT g, label, extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.session($$SELECT x % 2 AS g, 'r' || x AS label, to_timestamp(x * 10) AS t
                               FROM generate_series(1, 6) x$$, 't', '20 seconds', 'g')
  AS w(label text, g int, window_start timestamptz, window_end timestamptz) ORDER BY label;
-- several partition columns, as Flink's SESSION(... PARTITION BY item, supplier_id ...):
-- sessions per (g, h); the NULL h is a value of its own; names fold like
-- identifiers unless quoted, in any order
SELECT g, "H", label, extract(epoch FROM window_start) AS ws, extract(epoch FROM window_end) AS we
  FROM asset_stream.session($$SELECT x % 2 AS g, nullif(x % 3, 2) AS "H", 'r' || x AS label,
                                     to_timestamp(x * 10) AS t
                               FROM generate_series(1, 8) x$$, 't', '60 seconds', '"H", G')
  AS w(label text, g int, "H" int, window_start timestamptz, window_end timestamptz) ORDER BY g, "H", label;
-- column name arguments: exact first, else read as identifiers
SELECT count(*) FROM asset_stream.tumble('SELECT * FROM r', 'T', '1 day') AS w(t timestamptz);
SELECT count(*) FROM asset_stream.session('SELECT t AS "Time", v FROM r', '"Time"', '1 day', ' V ') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', '"T"', '1 day') AS w(v int);

-- Europe/Berlin: day windows start at Berlin midnight, also on DST days
SET TimeZone = 'Europe/Berlin';
SELECT t, window_start, window_end, window_end - window_start AS length
  FROM asset_stream.tumble($$SELECT t FROM unnest(ARRAY[
         timestamptz '2024-03-30 23:30+01',   -- day before spring forward
         timestamptz '2024-03-31 12:00+02',   -- spring forward: 23 h day
         timestamptz '2024-10-27 00:30+02',   -- fall back: 25 h day
         timestamptz '2024-10-27 02:30+01',   -- second 02:30 of that day
         timestamptz '2024-10-28 00:00+01']) t$$, 't', '1 day')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz) ORDER BY t;
-- hour windows across the spring-forward gap (02:00 local does not exist)
SELECT t, window_start, window_end
  FROM asset_stream.tumble($$SELECT t FROM unnest(ARRAY[
         timestamptz '2024-03-31 01:59+01', timestamptz '2024-03-31 03:00+02']) t$$, 't', '1 hour')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz) ORDER BY t;
-- the reference example: Asia/Shanghai, 1-day tumble
SET TimeZone = 'Asia/Shanghai';
SELECT window_start AT TIME ZONE 'UTC' AS ws_utc, window_end AT TIME ZONE 'UTC' AS we_utc
  FROM asset_stream.tumble($$SELECT timestamptz '2024-01-01 20:00+00' AS t$$, 't', '1 day')
  AS w(window_start timestamptz, window_end timestamptz);
-- a timestamp column is not shifted by the TimeZone
SELECT window_start
  FROM asset_stream.tumble($$SELECT timestamp '2024-01-01 20:00' AS t$$, 't', '1 day')
  AS w(window_start timestamp);
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- cascading: minute windows rolled into hours through window_time
SELECT h.window_start, sum(h.c) AS reads
  FROM asset_stream.tumble(
         $$SELECT window_time AS minute_time, count(*) AS c
             FROM asset_stream.tumble('SELECT * FROM r', 't', '1 minute')
                  AS m(window_start timestamptz, window_time timestamptz)
            GROUP BY window_start, window_time$$, 'minute_time', '1 hour')
       AS h(window_start timestamptz, c bigint)
  GROUP BY 1;

-- window_time around DST changes (America/Los_Angeles): the local end - 1 ms
-- as Flink reads it.  Fall-back day: [00:00, 01:00) ends at the ambiguous
-- 01:00 (window_end read as PST) but its window_time is 00:59:59.999 PDT;
-- [01:00, 02:00) holds both 01:xx hours.  Cascading 30-minute windows into
-- hours through window_time keeps every row in its local hour.
SET TimeZone = 'America/Los_Angeles';
CREATE TEMP TABLE dst (t timestamptz);
INSERT INTO dst VALUES ('2021-11-07 07:20+00'), ('2021-11-07 07:50+00'), ('2021-11-07 08:15+00'),
  ('2021-11-07 08:45+00'), ('2021-11-07 09:15+00'), ('2021-11-07 09:45+00');
SELECT t, window_start, window_end, window_time
  FROM asset_stream.tumble('SELECT * FROM dst', 't', '1 hour')
  AS w(t timestamptz, window_start timestamptz, window_end timestamptz, window_time timestamptz)
  ORDER BY t;
SELECT h.window_start, sum(h.c) AS reads
  FROM asset_stream.tumble(
         $$SELECT window_time AS half_time, count(*) AS c
             FROM asset_stream.tumble('SELECT * FROM dst', 't', '30 minutes')
                  AS m(window_start timestamptz, window_time timestamptz)
            GROUP BY window_start, window_time$$, 'half_time', '1 hour')
       AS h(window_start timestamptz, c bigint)
  GROUP BY 1 ORDER BY 1;
-- spring-forward day: hop 4 h / 1 h over 01:30 PST; [22:00, 02:00) and
-- [23:00, 03:00) share window_end 03:00 PDT (local 02:00 is skipped) but not
-- window_time: [23:00, 03:00)'s is the instant of the change, 03:00 PDT
SELECT window_start, window_end, window_time
  FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
  AS w(window_start timestamptz, window_end timestamptz, window_time timestamptz)
  ORDER BY 1;
SET TimeZone = 'UTC';

-- errors
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '0 minutes') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '-1 minute') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 month') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day', '1 mon') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', NULL) AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day', NULL) AS w(v int);
SELECT * FROM asset_stream.tumble(NULL, 't', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', NULL, '1 day') AS w(v int);
SELECT * FROM asset_stream.hop('SELECT * FROM r', 't', '0 s', '1 min') AS w(v int);
SELECT * FROM asset_stream.hop('SELECT * FROM r', 't', '1 min', '-1 min') AS w(v int);
SELECT * FROM asset_stream.hop('SELECT * FROM r', 't', '1 microsecond', '1 day') AS w(v int);
SELECT * FROM asset_stream.cumulate('SELECT * FROM r', 't', '3 min', '10 min') AS w(v int);
SELECT * FROM asset_stream.cumulate('SELECT * FROM r', 't', '0 min', '10 min') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '0 s') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 s', 'nope') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 s', 'v, nope') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 s', 'v,, t') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 s', 'v, V') AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 s', ' ') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 'nope', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 'v', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day') AS w(nope int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day') AS w(v text);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day') AS w(window_start timestamp);
SELECT * FROM asset_stream.tumble('SELECT t, t AS window_end FROM r', 't', '1 day') AS w(t timestamptz);
SELECT * FROM asset_stream.hop('SELECT * FROM r', 't', '1 hour', '1 day', NULL) AS w(v int);
SELECT * FROM asset_stream.cumulate('SELECT * FROM r', 't', '1 hour', NULL) AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', NULL) AS w(v int);
SELECT * FROM asset_stream.session('SELECT * FROM r', 't', '1 mon') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT t, v AS t FROM r', 't', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('DELETE FROM r', 't', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM no_such_table', 't', '1 day') AS w(v int);
SELECT * FROM asset_stream.tumble('SELECT * FROM r', 't', '1 day');
SELECT asset_stream.tumble('SELECT * FROM r', 't', '1 day');
SELECT * FROM asset_stream.tumble($$SELECT timestamptz 'infinity' AS t$$, 't', '1 day') AS w(t timestamptz);
SELECT * FROM asset_stream.tumble($$SELECT timestamp '294276-12-31 00:00' AS t$$, 't', '7 days') AS w(window_end timestamp);
SELECT * FROM asset_stream.session($$SELECT point(1,1) AS p, now() AS t$$, 't', '1 s', 'p') AS w(t timestamptz);
