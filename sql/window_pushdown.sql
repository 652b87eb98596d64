-- GROUP BY pushdown for the window table functions (docs/windows.md
-- "GROUP BY pushdown"): which queries run as one window aggregation, what
-- they return, and that errors are the functions' own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
-- on: wherever it applies (the default, auto, is tested at the end)
SET asset_stream.window_pushdown = on;

CREATE TEMP TABLE pr (asset text, zone text, t timestamptz, v int);
INSERT INTO pr VALUES
  ('a', 'dock', '2024-01-01 08:00:10+00', 1),
  ('a', 'dock', '2024-01-01 08:00:50+00', 2),
  ('a', 'gate', '2024-01-01 08:01:10+00', 3),
  ('a', 'gate', '2024-01-01 08:09:00+00', 4),
  ('b', 'dock', '2024-01-01 08:00:20+00', NULL),
  ('b', 'dock', NULL, 6),
  (NULL, 'dock', '2024-01-01 08:00:30+00', 7),
  (NULL, 'gate', '2024-01-01 08:00:40+00', 8);

-- tumble: one custom scan, no function scan, no hash aggregate
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*), sum(v)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz)
GROUP BY asset, window_start;

SELECT asset, window_start, window_end, count(*), count(v), sum(v), max(v) FILTER (WHERE v < 3)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3 ORDER BY 1, 2;

-- the same with the pushdown off
SET asset_stream.window_pushdown = off;
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*), sum(v)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz)
GROUP BY asset, window_start;
SELECT asset, window_start, window_end, count(*), count(v), sum(v), max(v) FILTER (WHERE v < 3)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3 ORDER BY 1, 2;
SET asset_stream.window_pushdown = on;

-- two grouping columns, HAVING, expressions over groups and aggregates;
-- EXPLAIN VERBOSE shows the aggregates the scan computes
EXPLAIN (COSTS OFF, VERBOSE)
SELECT asset, zone, window_end - window_start AS len, count(*) * 10 + 1 AS c
FROM asset_stream.hop('SELECT * FROM pr', 't', '5 minutes', '10 minutes')
     AS w(asset text, zone text, window_start timestamptz, window_end timestamptz)
GROUP BY asset, zone, window_start, window_end HAVING count(*) > 1;

SELECT asset, zone, window_start, window_end - window_start AS len, count(*) * 10 + 1 AS c
FROM asset_stream.hop('SELECT * FROM pr', 't', '5 minutes', '10 minutes')
     AS w(asset text, zone text, window_start timestamptz, window_end timestamptz)
GROUP BY asset, zone, window_start, window_end HAVING count(*) > 1
ORDER BY 1, 2, 3;

-- cumulate grouped by window_end; session per asset
SELECT window_start, window_end, count(*), sum(v)
FROM asset_stream.cumulate('SELECT * FROM pr', 't', '5 minutes', '15 minutes')
     AS w(v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2 ORDER BY 1, 2;

EXPLAIN (COSTS OFF)
SELECT asset, window_start, window_end, count(*)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'asset')
     AS w(asset text, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3;
SELECT asset, window_start, window_end, count(*), avg(v)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'asset')
     AS w(asset text, v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3 ORDER BY 1, 2;

-- several partition columns, named in another order and case: pushed down
-- when the grouping columns are exactly them; results equal the plain plan
EXPLAIN (COSTS OFF)
SELECT zone, asset, window_start, count(*)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'Zone, asset')
     AS w(asset text, zone text, window_start timestamptz)
GROUP BY 1, 2, 3;
SELECT zone, asset, window_start, window_end, count(*), sum(v)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'Zone, asset')
     AS w(asset text, zone text, v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3;
SET asset_stream.window_pushdown = off;
SELECT zone, asset, window_start, window_end, count(*), sum(v)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'Zone, asset')
     AS w(asset text, zone text, v int, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3;
SET asset_stream.window_pushdown = on;
-- grouping by only one of them is not the same thing
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'zone, asset')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
-- partition_by 'A' is the input column "A" (exact name first), not a: not
-- the grouping column, so not pushed down, and the answer of the plain plan
SELECT a, count(*)
FROM asset_stream.session($$SELECT 1 AS "A", 2 AS a, timestamptz '2024-01-01' AS t$$, 't', '5 minutes', 'A')
     AS w(a int, window_start timestamptz)
GROUP BY a, window_start;
-- partition_by 'a,b' names the column "a,b" when there is one, as session()
-- reads it: not the grouping columns a and b, so not pushed down
SELECT a, b, count(*)
FROM asset_stream.session($$SELECT 1 AS "a,b", 2 AS a, 3 AS b, timestamptz '2024-01-01' + g * interval '1 min' AS t
                            FROM generate_series(1, 3) g$$, 't', '5 minutes', 'a,b')
     AS w(a int, b int, window_start timestamptz)
GROUP BY a, b, window_start;
-- a partition key session() cannot hash (tsvector sorts but has no hash
-- function) is left to the function, which refuses it
SELECT k, window_start, count(*)
FROM asset_stream.session($$SELECT 'a b'::tsvector AS k, now() AS t$$, 't', '1 min', 'k')
     AS w(k tsvector, window_start timestamptz)
GROUP BY 1, 2;
-- a malformed list is left to the function's own error
SELECT asset, window_start, count(*)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'zone,,asset')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;

-- DST (America/Los_Angeles, 2021-03-14): hop windows [22:00, 02:00) and
-- [23:00, 03:00) share window_end but not window_time, so grouping by
-- window_end merges them and grouping by window_time does not, as GROUP BY
-- over the function's rows does
SET TimeZone = 'America/Los_Angeles';
SELECT window_end, window_time, count(*)
FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
     AS w(window_end timestamptz, window_time timestamptz)
GROUP BY 1, 2 ORDER BY 1, 2;
SELECT window_end, count(*)
FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
     AS w(window_end timestamptz)
GROUP BY 1 ORDER BY 1;
SELECT window_time, count(*)
FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
     AS w(window_time timestamptz)
GROUP BY 1 ORDER BY 1;
SET asset_stream.window_pushdown = off;
SELECT window_end, count(*)
FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
     AS w(window_end timestamptz)
GROUP BY 1 ORDER BY 1;
SELECT window_time, count(*)
FROM asset_stream.hop($$SELECT timestamptz '2021-03-14 09:30+00' AS t$$, 't', '1 hour', '4 hours')
     AS w(window_time timestamptz)
GROUP BY 1 ORDER BY 1;
SET asset_stream.window_pushdown = on;
SET TimeZone = 'UTC';

-- empty input: no groups
SELECT count(*) FROM (
  SELECT window_start, count(*)
  FROM asset_stream.tumble('SELECT * FROM pr WHERE false', 't', '1 minute')
       AS w(window_start timestamptz)
  GROUP BY 1) s;

-- the usual plan where the pushdown would not give the same answer, or
-- cannot see the query: a WHERE on the output, DISTINCT, an expression as
-- key, cumulate by start only, session by another column, grouping sets,
-- an aggregate of a window column, a non-constant input
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz)
WHERE v > 1 GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT window_start, count(DISTINCT asset)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT lower(asset), window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT window_start, count(*)
FROM asset_stream.cumulate('SELECT * FROM pr', 't', '5 minutes', '15 minutes')
     AS w(window_start timestamptz)
GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT zone, window_start, count(*)
FROM asset_stream.session('SELECT * FROM pr', 't', '2 minutes', 'asset')
     AS w(zone text, window_start timestamptz)
GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY ROLLUP (asset, window_start);
EXPLAIN (COSTS OFF)
SELECT asset, window_start, max(window_end)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz, window_end timestamptz)
GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT q.n, window_start, count(*)
FROM (VALUES ('SELECT * FROM pr')) q(n),
     asset_stream.tumble(q.n, 't', '1 minute') AS w(window_start timestamptz)
GROUP BY 1, 2;

-- errors are the functions' own: unknown column, wrong type, bad time
-- column, NULL and bad intervals
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, nope int, window_start timestamptz) GROUP BY 1, 2;
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset int, window_start timestamptz) GROUP BY 1, 2;
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 'v', '1 minute')
     AS w(asset text, window_start timestamptz) GROUP BY 1, 2;
SELECT window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', NULL)
     AS w(window_start timestamptz) GROUP BY 1;
SELECT window_start, count(*)
FROM asset_stream.hop('SELECT * FROM pr', 't', '0 minutes', '10 minutes')
     AS w(window_start timestamptz) GROUP BY 1;
SELECT window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr; ', 't', '1 month')
     AS w(window_start timestamptz) GROUP BY 1;
-- a trailing semicolon and comment in the input are fine
SELECT window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr; -- all reads', 't', '1 hour')
     AS w(window_start timestamptz) GROUP BY 1;

-- auto, the default: hop and cumulate always; tumble and session only when
-- the input comes in (key, time) order without sorting it all, as from a
-- btree index on (key, time)
RESET asset_stream.window_pushdown;
SHOW asset_stream.window_pushdown;
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.hop('SELECT * FROM pr', 't', '5 minutes', '10 minutes')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
CREATE INDEX pr_asset_t ON pr (asset, t);
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2 ORDER BY 1, 2;
RESET enable_sort;
-- a prepared statement is planned again when the index comes or goes
DROP INDEX pr_asset_t;
SET enable_sort = off;
PREPARE by_minute AS
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2;
EXPLAIN (COSTS OFF) EXECUTE by_minute;
CREATE INDEX pr_asset_t ON pr (asset, t);
EXPLAIN (COSTS OFF) EXECUTE by_minute;
DEALLOCATE by_minute;
RESET enable_sort;

-- read in part (LIMIT, a cursor) and read again (a rescan for each outer
-- row: HAVING depends on it)
SET asset_stream.window_pushdown = on;
SELECT asset, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, window_start timestamptz)
GROUP BY 1, 2 LIMIT 1;
BEGIN;
DECLARE c CURSOR FOR
  SELECT window_start, count(*)
  FROM asset_stream.hop('SELECT * FROM pr', 't', '5 minutes', '10 minutes')
       AS w(window_start timestamptz)
  GROUP BY 1;
FETCH 1 FROM c;
FETCH ALL FROM c;
CLOSE c;
COMMIT;
SELECT v.x, l.groups
FROM (VALUES (0), (1), (2)) v(x),
     LATERAL (SELECT count(*) AS groups FROM (
        SELECT asset, window_start, count(*)
        FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
             AS w(asset text, window_start timestamptz)
        GROUP BY 1, 2 HAVING count(*) > v.x) s) l
ORDER BY 1;
EXPLAIN (COSTS OFF)
SELECT v.x, l.groups
FROM (VALUES (0), (1), (2)) v(x),
     LATERAL (SELECT count(*) AS groups FROM (
        SELECT asset, window_start, count(*)
        FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
             AS w(asset text, window_start timestamptz)
        GROUP BY 1, 2 HAVING count(*) > v.x) s) l;

-- a rescan with the same arguments replays the groups: the input runs once
-- (random() in the input gives one sum, whatever the outer row)
SELECT count(DISTINCT l.s) AS distinct_sums, count(*) AS outer_rows
FROM (VALUES (0), (1), (2)) v(x),
     LATERAL (SELECT sum(s) s FROM (
        SELECT asset, window_start, sum(r) s
        FROM asset_stream.tumble('SELECT asset, t, random() r FROM pr', 't', '1 minute')
             AS w(asset text, r float8, window_start timestamptz)
        GROUP BY 1, 2 HAVING count(*) > v.x * 0) q) l;
-- arguments that change with the outer row run the input again
SELECT v.x, l.n
FROM (VALUES (interval '1 minute'), (interval '1 hour')) v(x),
     LATERAL (SELECT count(*) n FROM (
        SELECT asset, window_start, count(*)
        FROM asset_stream.tumble('SELECT asset, t FROM pr', 't', v.x)
             AS w(asset text, window_start timestamptz)
        GROUP BY 1, 2) q) l
ORDER BY 1;

-- a cursor left open at COMMIT, one WITH HOLD, one across a rolled back
-- savepoint: the input belongs to the scan and ends with it
BEGIN;
DECLARE c1 CURSOR FOR SELECT asset, window_start, count(*)
  FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
       AS w(asset text, window_start timestamptz) GROUP BY 1, 2;
FETCH 1 FROM c1;
COMMIT;
BEGIN;
DECLARE c2 CURSOR WITH HOLD FOR SELECT asset, window_start, count(*)
  FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
       AS w(asset text, window_start timestamptz) GROUP BY 1, 2 ORDER BY 1, 2;
FETCH 1 FROM c2;
COMMIT;
FETCH 2 FROM c2;
CLOSE c2;
BEGIN;
DECLARE c3 CURSOR FOR SELECT count(*) FROM (SELECT asset, window_start, count(*)
  FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
       AS w(asset text, window_start timestamptz) GROUP BY 1, 2) s;
SAVEPOINT s;
FETCH 1 FROM c3;
ROLLBACK TO s;
COMMIT;

-- parameters in aggregate arguments or FILTER: not pushed down
EXPLAIN (COSTS OFF)
SELECT asset, window_start, sum(v * (SELECT 2))
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(asset text, v int, window_start timestamptz) GROUP BY 1, 2;
PREPARE wp_p(int) AS SELECT count(*) FILTER (WHERE v > $1)
FROM asset_stream.tumble('SELECT * FROM pr', 't', '1 minute')
     AS w(v int, window_start timestamptz) GROUP BY window_start ORDER BY window_start;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE wp_p(1);
EXECUTE wp_p(1);
RESET plan_cache_mode;

-- the input sees the statement's snapshot, not the rows it is inserting
CREATE TEMP TABLE h (k text, t timestamptz);
INSERT INTO h SELECT 'k', timestamptz '2024-01-01' + g * interval '1 s' FROM generate_series(1, 3000) g;
INSERT INTO h SELECT k || '0', window_start
FROM asset_stream.tumble('SELECT * FROM h', 't', '1 second')
     AS w(k text, window_start timestamptz) GROUP BY 1, 2;
SELECT k, count(*) FROM h GROUP BY 1 ORDER BY 1;

-- an input column with a nondeterministic collation, grouped under the
-- column definition list's (deterministic) one: the sort uses the latter
CREATE COLLATION wp_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TEMP TABLE nd (k text COLLATE wp_ci, t timestamptz);
INSERT INTO nd SELECT CASE WHEN g % 2 = 0 THEN 'a' ELSE 'A' END,
                      timestamptz '2024-01-01' + g * interval '1 s'
FROM generate_series(1, 6) g;
SELECT k, window_start, count(*)
FROM asset_stream.tumble('SELECT * FROM nd', 't', '1 hour')
     AS w(k text, window_start timestamptz)
GROUP BY 1, 2 ORDER BY k COLLATE "C";
