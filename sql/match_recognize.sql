-- asset_stream.match_recognize(): the contract (output layouts, binding by
-- name, partitions, sorting by the database, errors) and the event-time
-- extensions with the two documented examples (docs/match_recognize.md §3).
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
SET client_min_messages = warning;
CREATE SCHEMA mrt;
SET search_path = mrt, public;
SET TimeZone = 'UTC';

-- a small ticker, deliberately inserted out of order
CREATE TABLE ticker (symbol text, day int, price numeric);
INSERT INTO ticker VALUES
  ('B', 3, 10), ('A', 1, 12), ('A', 2, 11), ('A', 3, 10), ('A', 4, 11), ('A', 5, 13),
  ('A', 6, 12), ('A', 7, 11), ('A', 8, 14), ('B', 1, 12), ('B', 2, 11), ('B', 4, 12),
  ('A', 9, 14), ('C', 1, 5);

-- ONE ROW PER MATCH: partition columns, then measures; bound by name in any order
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker',
  $$ PARTITION BY symbol ORDER BY day
     MEASURES FIRST(strt.day) AS start_day, LAST(down.day) AS bottom_day,
              LAST(up.day) AS end_day, MATCH_NUMBER() AS mno
     ONE ROW PER MATCH
     AFTER MATCH SKIP TO LAST up
     PATTERN (strt down+ up+)
     DEFINE down AS price < PREV(price), up AS price > PREV(price) $$)
  AS t(mno bigint, symbol text, start_day int, bottom_day int, end_day int)
ORDER BY symbol, mno;

-- ALL ROWS PER MATCH: every input column and the measures
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''A''',
  $$ PARTITION BY symbol ORDER BY day
     MEASURES CLASSIFIER() AS cls, MATCH_NUMBER() AS mno, RUNNING count(*) AS n
     ALL ROWS PER MATCH
     PATTERN (strt down+ up+)
     DEFINE down AS price < PREV(price), up AS price > PREV(price) $$)
  AS t(symbol text, day int, price numeric, cls text, mno bigint, n bigint)
ORDER BY day;

-- WITH UNMATCHED ROWS: unmatched rows have NULL measures
SELECT day, price, cls, mno FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''A''',
  $$ ORDER BY day
     MEASURES CLASSIFIER() AS cls, MATCH_NUMBER() AS mno
     ALL ROWS PER MATCH WITH UNMATCHED ROWS
     PATTERN (down{2})
     DEFINE down AS price < PREV(price) $$)
  AS t(day int, price numeric, cls text, mno bigint)
ORDER BY day;

-- no PARTITION BY: one partition; an input query with its own ORDER BY,
-- LIMIT and a trailing semicolon
SELECT * FROM asset_stream.match_recognize(
  'SELECT day, price FROM mrt.ticker WHERE symbol = ''B'' ORDER BY day DESC LIMIT 10;',
  $$ ORDER BY day MEASURES count(*) AS n, sum(price) AS total PATTERN (a+) $$)
  AS t(n bigint, total numeric);

-- the database sorts only the columns the clause and the output read: the
-- others may have duplicate names or a NOT NULL domain type
CREATE DOMAIN pos_int AS int NOT NULL CHECK (VALUE > 0);
SELECT * FROM asset_stream.match_recognize(
  $$SELECT day, price, day AS day, 1::mrt.pos_int AS d FROM mrt.ticker WHERE symbol = 'B'$$,
  $$ ORDER BY price MEASURES count(*) AS n, FIRST(price) AS low PATTERN (a+) $$)
  AS t(n bigint, low numeric);

-- empty input, and a partition without a match
SELECT count(*) FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE false',
  'PARTITION BY symbol ORDER BY day MEASURES count(*) AS n PATTERN (a)')
  AS t(symbol text, n bigint);
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker',
  $$ PARTITION BY symbol ORDER BY day MEASURES count(*) AS n PATTERN (a b)
     DEFINE a AS price = 5, b AS true $$)
  AS t(symbol text, n bigint);

-- empty matches: ONE ROW gives the partition columns and MATCH_NUMBER
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''C''',
  $$ PARTITION BY symbol ORDER BY day MEASURES MATCH_NUMBER() AS mno, count(*) AS n,
     CLASSIFIER() AS cls PATTERN (a*) DEFINE a AS price > 100 $$)
  AS t(symbol text, mno bigint, n bigint, cls text);

-- a declared type the value can be assigned to (as INSERT would cast it)
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''A''',
  $$ PARTITION BY symbol ORDER BY day MEASURES count(*) AS n, avg(price) AS avg_price,
     MATCH_NUMBER() AS mno PATTERN (a{3}) $$)
  AS t(symbol varchar(1), mno int, n int, avg_price numeric(6,1));
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''A''',
  $$ PARTITION BY symbol ORDER BY day MEASURES sum(price) AS total PATTERN (a{5}) $$)
  AS t(total int2);

-- ORDER BY DESC and NULLS handled by the database's sort
SELECT * FROM asset_stream.match_recognize(
  'SELECT * FROM mrt.ticker WHERE symbol = ''B''',
  $$ ORDER BY day DESC MEASURES FIRST(day) AS first_day, LAST(day) AS last_day
     PATTERN (a b) DEFINE b AS price < PREV(price) $$)
  AS t(first_day int, last_day int);

-- a large partition with little work_mem: the row store spills, results unchanged
SET work_mem = '64kB';
SELECT count(*), sum(n), min(first_i), max(last_i) FROM asset_stream.match_recognize(
  $$SELECT i, repeat('x', 200) AS pad, (i % 7) AS v FROM generate_series(1, 50000) i$$,
  $$ ORDER BY i MEASURES count(*) AS n, FIRST(i) AS first_i, LAST(i) AS last_i
     PATTERN (a b+ c) DEFINE a AS v = 0, b AS v > PREV(v), c AS v = 6 AND length(pad) = 200 $$)
  AS t(n bigint, first_i int, last_i int);
SELECT count(*) FROM asset_stream.match_recognize(
  $$SELECT i, repeat('x', 200) AS pad FROM generate_series(1, 20000) i$$,
  $$ ORDER BY i MEASURES FIRST(a.pad) = LAST(a.pad) AS same ALL ROWS PER MATCH PATTERN (a+) $$)
  AS t(i int, same boolean)
WHERE same;
-- rows are kept deformed: an expanded array (array_append returns one) is
-- flattened, fixed-length by-reference values (interval, uuid) and a
-- cstring are copied, and all come back right from the temporary file
SELECT count(*), sum(n), bool_and(first_arr = ARRAY[first_i, first_i]) AS arr_ok,
       bool_and(last_iv = make_interval(secs => last_i)) AS iv_ok,
       bool_and(first_u = md5(first_i::text)::uuid) AS u_ok, bool_and(last_cs = 'c' || last_i) AS cs_ok
  FROM asset_stream.match_recognize(
  $$SELECT i, array_append(ARRAY[i], i) AS arr, make_interval(secs => i) AS iv,
           md5(i::text)::uuid AS u, textout('c' || i) AS cs, repeat('y', 300) AS pad
      FROM generate_series(1, 20000) i$$,
  $$ ORDER BY i
     MEASURES FIRST(arr) AS first_arr, FIRST(i) AS first_i, LAST(iv) AS last_iv, LAST(i) AS last_i,
              FIRST(u) AS first_u, textin(LAST(cs)) AS last_cs, count(*) AS n
     PATTERN (a+) DEFINE a AS i - FIRST(a.i) < 1000 AND length(pad) = 300 $$)
  AS t(first_arr int[], first_i int, last_iv interval, last_i int, first_u uuid, last_cs text, n bigint);
RESET work_mem;
SELECT * FROM asset_stream.match_recognize(
  $$SELECT i, array_append(ARRAY[i], i) AS arr FROM generate_series(1, 3) i$$,
  $$ ORDER BY i MEASURES PREV(arr) AS prev_arr ALL ROWS PER MATCH PATTERN (a+) $$)
  AS t(i int, arr int[], prev_arr int[]);

-- ---------------------------------------------------------------- errors
\set VERBOSITY default
-- column definition list: unknown name, wrong type, input column in ONE ROW
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'PARTITION BY symbol ORDER BY day MEASURES count(*) AS n PATTERN (a)') AS t(nope int);
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'PARTITION BY symbol ORDER BY day MEASURES count(*) AS n PATTERN (a)') AS t(n point);
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'PARTITION BY symbol ORDER BY day MEASURES count(*) AS n PATTERN (a)') AS t(price numeric);
-- PARTITION BY / ORDER BY must be input columns
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'PARTITION BY sym ORDER BY day PATTERN (a)') AS t(sym text);
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'PARTITION BY symbol ORDER BY day + 1 PATTERN (a)') AS t(symbol text);
-- a measure named like an output input column
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'ORDER BY day MEASURES count(*) AS price ALL ROWS PER MATCH PATTERN (a)') AS t(day int);
-- the clause's own errors keep their position
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'ORDER BY day PATTERN (a b') AS t(day int);
-- the input query: errors are PostgreSQL's, run with the caller's rights
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.nonexistent',
  'ORDER BY day PATTERN (a)') AS t(day int);
CREATE ROLE mr_nobody;
SET ROLE mr_nobody;
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  'ORDER BY day PATTERN (a)') AS t(day int);
RESET ROLE;
DROP ROLE mr_nobody;
-- NULL arguments
SELECT * FROM asset_stream.match_recognize(NULL, 'PATTERN (a)') AS t(x int);
-- runtime skip error
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker WHERE symbol = ''A''',
  $$ ORDER BY day MEASURES count(*) AS n AFTER MATCH SKIP TO FIRST a PATTERN (a b)
     DEFINE a AS true $$) AS t(n bigint);
-- the cap on live partial matches
SET asset_stream.max_partial_matches = 10;
SELECT count(*) FROM asset_stream.match_recognize(
  'SELECT i FROM generate_series(1, 100) i',
  $$ ORDER BY i MEASURES count(*) AS n PATTERN (a+ b) DEFINE a AS i > FIRST(a.i) OR true,
     b AS i = 0 $$) AS t(n bigint);
RESET asset_stream.max_partial_matches;

-- --------------------------------------------------- event-time extensions
-- The hospital (docs/match_recognize.md §3): waiting room, doctor's office,
-- recovery, then 10 minutes without a read => the procedure is over.
CREATE TABLE ward_reads (patient text, event_time timestamptz, zone text);
INSERT INTO ward_reads VALUES
  -- p1: W O R R, then silence: done at 10:40 (last R 10:30 + 10 min)
  ('p1', '2026-11-24 10:00', 'W'), ('p1', '2026-11-24 10:05', 'W'),
  ('p1', '2026-11-24 10:15', 'O'), ('p1', '2026-11-24 10:25', 'R'),
  ('p1', '2026-11-24 10:30', 'R'),
  -- p2: W O R, then a read 5 minutes later (not over), then R, then silence
  ('p2', '2026-11-24 11:00', 'W'), ('p2', '2026-11-24 11:10', 'O'),
  ('p2', '2026-11-24 11:20', 'R'), ('p2', '2026-11-24 11:25', 'X'),
  ('p2', '2026-11-24 11:50', 'R'),
  -- p3: W O R, next read exactly 10 minutes later: the absence held
  ('p3', '2026-11-24 12:00', 'W'), ('p3', '2026-11-24 12:10', 'O'),
  ('p3', '2026-11-24 12:20', 'R'), ('p3', '2026-11-24 12:30', 'W'),
  -- p4: still in recovery when the input ends
  ('p4', '2026-11-24 13:00', 'W'), ('p4', '2026-11-24 13:10', 'O'),
  ('p4', '2026-11-24 13:20', 'R');

SELECT * FROM asset_stream.match_recognize(
  'SELECT patient, event_time, zone FROM mrt.ward_reads',
  $$ PARTITION BY patient ORDER BY event_time
     MEASURES FIRST(w.event_time) AS arrived, LAST(r.event_time) AS recovered,
              count(*) AS reads
     PATTERN (w+ o+ r+) FOLLOWED BY NO ROW FOR INTERVAL '10 minutes'
     DEFINE w AS zone = 'W', o AS zone = 'O', r AS zone = 'R' $$)
  AS t(patient text, arrived timestamptz, recovered timestamptz, reads bigint)
ORDER BY patient;
-- the same, with the input complete only up to 13:25: p4 is not over yet
SELECT patient, recovered FROM asset_stream.match_recognize(
  'SELECT patient, event_time, zone FROM mrt.ward_reads',
  $$ PARTITION BY patient ORDER BY event_time
     MEASURES LAST(r.event_time) AS recovered
     PATTERN (w+ o+ r+) FOLLOWED BY NO ROW FOR INTERVAL '10 minutes'
     DEFINE w AS zone = 'W', o AS zone = 'O', r AS zone = 'R' $$,
  complete_until => '2026-11-24 13:25+00')
  AS t(patient text, recovered timestamptz)
ORDER BY patient;
-- NO r: only a recovery-room read within 10 minutes ends it (p2's X does not)
SELECT patient, recovered FROM asset_stream.match_recognize(
  'SELECT patient, event_time, zone FROM mrt.ward_reads',
  $$ PARTITION BY patient ORDER BY event_time
     MEASURES LAST(r.event_time) AS recovered
     PATTERN (w+ o+ r+) FOLLOWED BY NO r FOR INTERVAL '10 minutes'
     DEFINE w AS zone = 'W', o AS zone = 'O', r AS zone = 'R' $$)
  AS t(patient text, recovered timestamptz)
ORDER BY patient;

-- Started but not completed within 2 hours: timed-out partial matches.
CREATE TABLE order_events (order_id int, event_time timestamp, step text);
INSERT INTO order_events VALUES
  (1, '2026-11-24 08:00', 'ordered'), (1, '2026-11-24 08:30', 'picked'),
  (1, '2026-11-24 09:00', 'shipped'),                      -- completed in time
  (2, '2026-11-24 08:00', 'ordered'), (2, '2026-11-24 09:00', 'picked'),
  (2, '2026-11-24 10:30', 'shipped'),                      -- shipped too late
  (3, '2026-11-24 09:00', 'ordered'),                      -- nothing since
  (4, '2026-11-24 11:00', 'ordered'), (4, '2026-11-24 11:10', 'picked'); -- not due yet at 12:00
SELECT * FROM asset_stream.match_recognize(
  'SELECT order_id, event_time, step FROM mrt.order_events',
  $$ PARTITION BY order_id ORDER BY event_time
     MEASURES MATCH_STATUS() AS status, FIRST(o.event_time) AS started,
              MATCH_DEADLINE() AS deadline, count(*) AS steps, LAST(CLASSIFIER()) AS last_step
     ONE ROW PER MATCH
     PATTERN (o p* s) WITHIN INTERVAL '2 hours' EMIT TIMEOUTS
     DEFINE o AS step = 'ordered', p AS step NOT IN ('ordered', 'shipped'), s AS step = 'shipped' $$,
  complete_until => '2026-11-24 12:00+00')
  AS t(order_id int, status text, started timestamp, deadline timestamptz, steps bigint, last_step text)
ORDER BY order_id, started;
-- WITHIN without EMIT TIMEOUTS: only completed matches; the border is
-- strict (order 1 took exactly 1 hour: a match within 61 minutes, not within 1 hour)
SELECT * FROM asset_stream.match_recognize(
  'SELECT order_id, event_time, step FROM mrt.order_events',
  $$ PARTITION BY order_id ORDER BY event_time
     MEASURES FIRST(o.event_time) AS started, LAST(s.event_time) AS shipped
     PATTERN (o p* s) WITHIN INTERVAL '61 minutes'
     DEFINE o AS step = 'ordered', p AS step NOT IN ('ordered', 'shipped'), s AS step = 'shipped' $$)
  AS t(order_id int, started timestamp, shipped timestamp)
ORDER BY order_id;
SELECT count(*) FROM asset_stream.match_recognize(
  'SELECT order_id, event_time, step FROM mrt.order_events',
  $$ PARTITION BY order_id ORDER BY event_time
     MEASURES FIRST(o.event_time) AS started
     PATTERN (o p* s) WITHIN INTERVAL '1 hour'
     DEFINE o AS step = 'ordered', p AS step NOT IN ('ordered', 'shipped'), s AS step = 'shipped' $$)
  AS t(order_id int);
-- extensions need an ascending timestamp ORDER BY column without NULLs
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.ticker',
  $$ ORDER BY day PATTERN (a) WITHIN INTERVAL '1 hour' $$) AS t(day int);
SELECT * FROM asset_stream.match_recognize('SELECT * FROM mrt.order_events',
  $$ ORDER BY event_time DESC PATTERN (a) WITHIN INTERVAL '1 hour' $$) AS t(order_id int);
SELECT * FROM asset_stream.match_recognize(
  $$SELECT 1 AS id, NULL::timestamptz AS t$$,
  $$ ORDER BY t ALL ROWS PER MATCH PATTERN (a) WITHIN INTERVAL '1 hour' $$) AS t(id int);

-- names are exact: a quoted measure "Foo" is not the input column foo
SELECT * FROM asset_stream.match_recognize('SELECT g AS id, g * 2 AS foo FROM generate_series(1, 3) g',
  $c$ ORDER BY id MEASURES A.foo + 1 AS "Foo" ALL ROWS PER MATCH PATTERN (A) DEFINE A AS true $c$)
  AS t(id int, foo int, "Foo" int);

RESET search_path;
DROP SCHEMA mrt CASCADE;
