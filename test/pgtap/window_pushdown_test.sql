-- pgTAP: the GROUP BY pushdown of the window table functions (Custom Scan
-- AssetStreamWindowAggregate) returns exactly the rows of the ordinary plan
-- (asset_stream.window_pushdown = off), on random data around both DST
-- changes of 2024 in Europe/Berlin; and it is used only where it applies.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(64);

-- 3000 random reads: 35 % over 36 hours around the spring-forward change
-- (2024-03-31 01:00 UTC), 35 % around the fall-back change (2024-10-27
-- 01:00 UTC), 30 % packed into the three hours around each change.  A
-- quarter of the times sit on a 5-minute grid (duplicate times, rows on
-- window bounds and on the change instants), 1 % are NULL; keys and values
-- are sometimes NULL.  Values are exact in every aggregate used below
-- (r: multiples of 0.25), so sums do not depend on the order of the rows.
SELECT setseed(0.2718);
CREATE TEMP TABLE rnd ON COMMIT DROP AS
SELECT g AS id,
       CASE WHEN u[1] < 0.03 THEN NULL ELSE 'asset-' || (u[2] * 11)::int END AS asset_id,
       CASE WHEN u[3] < 0.05 THEN NULL ELSE (ARRAY['north', 'south', 'east'])[1 + (u[4] * 2)::int] END AS zone,
       CASE WHEN u[5] < 0.01 THEN NULL
            WHEN u[6] < 0.25 THEN date_bin('5 minutes', ts, timestamptz '2000-01-01 00:00+00')
            ELSE ts END AS t,
       CASE WHEN u[7] < 0.05 THEN NULL ELSE (u[8] * 100)::int END AS v,
       CASE WHEN u[9] < 0.05 THEN NULL ELSE round((u[10] * 10000)::numeric / 8, 3) END AS x,
       ((u[11] * 100)::int / 4.0)::real AS r,
       CASE WHEN u[12] < 0.05 THEN NULL ELSE u[13] < 0.5 END AS flag
  FROM generate_series(1, 3000) g
       CROSS JOIN LATERAL (SELECT array_agg(random()) AS u FROM generate_series(1, 15) WHERE g > 0) a
       CROSS JOIN LATERAL (
         SELECT CASE WHEN u[14] < 0.35 THEN timestamptz '2024-03-30 12:00+00' + u[15] * interval '36 hours'
                     WHEN u[14] < 0.70 THEN timestamptz '2024-10-26 12:00+00' + u[15] * interval '36 hours'
                     WHEN u[14] < 0.85 THEN timestamptz '2024-03-31 00:00+00' + u[15] * interval '3 hours'
                     ELSE timestamptz '2024-10-26 23:30+00' + u[15] * interval '3 hours' END AS ts) b;

-- long keys, stored compressed
CREATE TEMP TABLE big ON COMMIT DROP AS
SELECT repeat(md5((id % 4)::text), 100) AS k, t, v FROM rnd WHERE id <= 800;

-- an input query stored in a table
CREATE TEMP TABLE wp_src ON COMMIT DROP AS SELECT 'SELECT * FROM rnd'::text AS q;

-- The rows of a query, as sorted text, with the pushdown on or off; an
-- error becomes a one-element result so that it shows in the comparison.
CREATE FUNCTION pg_temp.wp_rows(q text, tz text, pushdown boolean) RETURNS text[]
LANGUAGE plpgsql AS $f$
DECLARE
  rec record;
  acc text[] := '{}';
BEGIN
  PERFORM set_config('TimeZone', tz, true);
  PERFORM set_config('asset_stream.window_pushdown', CASE WHEN pushdown THEN 'on' ELSE 'off' END, true);
  FOR rec IN EXECUTE q LOOP
    acc := acc || rec::text;
  END LOOP;
  RETURN ARRAY(SELECT x FROM unnest(acc) x ORDER BY x COLLATE "C");
EXCEPTION WHEN OTHERS THEN
  RETURN ARRAY['ERROR ' || SQLSTATE || ': ' || SQLERRM];
END
$f$;

-- EXPLAIN (COSTS OFF) of a query; pushdown NULL: leave the setting alone.
CREATE FUNCTION pg_temp.wp_plan(q text, pushdown boolean) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  line text;
  acc text := '';
BEGIN
  IF pushdown IS NOT NULL THEN
    PERFORM set_config('asset_stream.window_pushdown', CASE WHEN pushdown THEN 'on' ELSE 'off' END, true);
  END IF;
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    acc := acc || line || E'\n';
  END LOOP;
  RETURN acc;
END
$f$;

-- The multiset difference of two results, both ways ('' when equal): at
-- most 20 rows, in row order, so that the two sides of a group sit together.
CREATE FUNCTION pg_temp.wp_diff(a text[], b text[]) RETURNS text
LANGUAGE sql AS $f$
  SELECT coalesce(string_agg(side || x, E'\n' ORDER BY x COLLATE "C", side), '')
    FROM (SELECT side, x
            FROM (SELECT 'only with pushdown on:  ' AS side, x
                    FROM (SELECT unnest(a) EXCEPT ALL SELECT unnest(b)) s(x)
                  UNION ALL
                  SELECT 'only with pushdown off: ', x
                    FROM (SELECT unnest(b) EXCEPT ALL SELECT unnest(a)) s(x)) u
           ORDER BY x COLLATE "C", side LIMIT 20) l
$f$;

-- Turned off before anything of asset_stream ran in this session (the
-- library is loaded when the planner first sees one of its functions, the
-- statements above did not): the setting holds once the library defines it.
SELECT set_config('asset_stream.window_pushdown', 'off', true);
SELECT doesnt_match(pg_temp.wp_plan($$SELECT window_start, count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour') AS w(window_start timestamptz)
     GROUP BY window_start$$, NULL),
  'AssetStreamWindowAggregate',
  'set to off before the library is loaded: GROUP BY over tumble is not pushed down');
SELECT is(current_setting('asset_stream.window_pushdown', true), 'off',
          'set to off before the library is loaded: the setting is still off');
RESET asset_stream.window_pushdown;

-- The default is auto: hop and cumulate are always pushed down; tumble and
-- session only when their input comes in (key, time) order without a full
-- sort, as from a btree index on (key, time).
SELECT is(current_setting('asset_stream.window_pushdown'), 'auto', 'asset_stream.window_pushdown is auto by default');
SELECT matches(pg_temp.wp_plan($$SELECT window_start, count(*)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '1 hour', '2 hours') AS w(window_start timestamptz)
     GROUP BY window_start$$, NULL),
  'Custom Scan \(AssetStreamWindowAggregate\)',
  'auto: GROUP BY over hop runs as Custom Scan (AssetStreamWindowAggregate)');
SELECT doesnt_match(pg_temp.wp_plan($$SELECT asset_id, window_start, count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour') AS w(asset_id text, window_start timestamptz)
     GROUP BY 1, 2$$, NULL),
  'AssetStreamWindowAggregate',
  'auto: tumble over an input the database would have to sort is not pushed down');
CREATE INDEX rnd_key_time ON rnd (asset_id, t);
SET LOCAL enable_sort = off;
SELECT matches(pg_temp.wp_plan($$SELECT asset_id, window_start, count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour') AS w(asset_id text, window_start timestamptz)
     GROUP BY 1, 2$$, NULL),
  'Custom Scan \(AssetStreamWindowAggregate\)',
  'auto: tumble over an input read in (key, time) order from an index is pushed down');
SELECT matches(pg_temp.wp_plan($$SELECT asset_id, window_start, count(*)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '10 minutes', 'asset_id') AS w(asset_id text, window_start timestamptz)
     GROUP BY 1, 2$$, NULL),
  'Custom Scan \(AssetStreamWindowAggregate\)',
  'auto: session over an input read in (key, time) order from an index is pushed down');
RESET enable_sort;
DROP INDEX rnd_key_time;

-- The cases: the query, the session TimeZone, whether the pushdown must
-- apply, and whether the query must return rows.
--
-- Around a DST change, windows cut on the local wall clock are not disjoint
-- ranges of instants: at the fall-back change a window holds rows of both
-- passes of the repeated hour, and a bound in the skipped spring hour is
-- read with the offset before the change, so a window can end, as an
-- instant, before some of its rows, and two different windows can share
-- their window_start or their window_end.  GROUP BY one window column then
-- merges such windows; the cases in Europe/Berlin check exactly that.
CREATE TEMP TABLE wp_case (
  id serial, tz text, pushdown boolean, nonempty boolean, descr text, q text) ON COMMIT DROP;

INSERT INTO wp_case (tz, pushdown, nonempty, descr, q) VALUES
-- TUMBLE
('Europe/Berlin', true, true, 'tumble 10 min, Berlin, by asset_id + window_start + window_end',
 $q$SELECT asset_id, window_start, window_end, count(*), count(v), sum(v), avg(x), max(r), min(t), max(t)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes')
           AS w(asset_id text, t timestamptz, v int, x numeric, r real,
                window_start timestamptz, window_end timestamptz)
     GROUP BY asset_id, window_start, window_end$q$),
('Europe/Berlin', true, true, 'tumble 25 min, Berlin, by asset_id + zone + window_start (NULL keys)',
 $q$SELECT asset_id, zone, window_start, count(*), sum(v), min(t)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '25 minutes')
           AS w(asset_id text, zone text, t timestamptz, v int, window_start timestamptz)
     GROUP BY asset_id, zone, window_start$q$),
('Europe/Berlin', true, true, 'tumble 1 day offset -90 min, Berlin (23- and 25-hour days): window_end - window_start, count(*) * 10 + 1',
 $q$SELECT window_start, window_end - window_start AS len, count(*) * 10 + 1, sum(v), avg(x), min(t), max(t)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 day', '-90 minutes')
           AS w(t timestamptz, v int, x numeric, window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
('Europe/Berlin', true, true, 'tumble 1 day offset 150 min (bound in the repeated and the skipped hour), Berlin, by window_start + window_end',
 $q$SELECT window_start, window_end, count(*), sum(v), min(t), max(t)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 day', '150 minutes')
           AS w(t timestamptz, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
('Europe/Berlin', true, true, 'tumble 1 hour offset 20 min, Berlin, by window_start only',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour', '20 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', true, true, 'tumble 1 day offset 6 hours, Berlin, by zone + window_time, HAVING count(*) > 1',
 $q$SELECT zone, window_time, count(*), sum(v), max(x)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 day', '6 hours')
           AS w(zone text, v int, x numeric, window_time timestamptz)
     GROUP BY zone, window_time HAVING count(*) > 1$q$),
('Europe/Berlin', true, true, 'tumble 10 min, Berlin, by window_end only, HAVING count(*) > 1 AND sum(v) > 100',
 $q$SELECT window_end, count(*), sum(v), count(*) * 10 + 1
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes') AS w(v int, window_end timestamptz)
     GROUP BY window_end HAVING count(*) > 1 AND sum(v) > 100$q$),
('UTC', true, true, 'tumble 10 min, UTC, by asset_id + window_start: count/sum/avg/min/max/bool_and/bool_or/bit_or, internal-state and polymorphic aggregates',
 $q$SELECT asset_id, window_start, count(*), count(v), sum(v), avg(v), min(v), max(v),
           sum(x), avg(x), min(x), max(r), sum(r), avg(r), bool_and(flag), bool_or(flag), bit_or(v),
           min(zone), max(t), sum(v::bigint), avg(v::bigint), stddev_samp(x), sum(x * x),
           array_length(array_agg(v), 1), cardinality(array_agg(asset_id)), max(ARRAY[v]), count(flag)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes')
           AS w(asset_id text, zone text, t timestamptz, v int, x numeric, r real, flag boolean,
                window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
-- HOP
('Europe/Berlin', true, true, 'hop 10 / 25 min (size not a multiple), Berlin, by asset_id + window_start + window_end',
 $q$SELECT asset_id, window_start, window_end, count(*), sum(v), avg(x), min(r)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes')
           AS w(asset_id text, v int, x numeric, r real, window_start timestamptz, window_end timestamptz)
     GROUP BY asset_id, window_start, window_end$q$),
('Europe/Berlin', true, true, 'hop 10 / 25 min, Berlin, by asset_id + zone + window (NULL keys): expression arguments, FILTER',
 $q$SELECT asset_id, zone, window_start, window_end, count(*), sum(v * 2 + 1), count(*) FILTER (WHERE v > 50),
           sum(x) FILTER (WHERE flag), avg(x) FILTER (WHERE zone IS NULL), max(v) FILTER (WHERE asset_id IS NULL),
           var_samp(x), min(asset_id COLLATE "C"), regr_count(v, r), count(v + x)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes')
           AS w(asset_id text, zone text, v int, x numeric, r real, flag boolean,
                window_start timestamptz, window_end timestamptz)
     GROUP BY asset_id, zone, window_start, window_end$q$),
('Europe/Berlin', true, true, 'hop 10 / 25 min, Berlin, by window_start only',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', true, true, 'hop 10 / 25 min, Berlin, by window_end only',
 $q$SELECT window_end, count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes') AS w(v int, window_end timestamptz)
     GROUP BY window_end$q$),
('UTC', true, true, 'hop 10 / 25 min, UTC, by window_start only',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', true, true, 'hop 10 / 30 min (size a multiple), Berlin, by zone + window_end',
 $q$SELECT zone, window_end, count(*), count(v), sum(x), bool_or(flag)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '30 minutes')
           AS w(zone text, v int, x numeric, flag boolean, window_end timestamptz)
     GROUP BY zone, window_end$q$),
('Europe/Berlin', true, true, 'hop 1 h / 20 min offset 5 min (size < slide), Berlin, by window_start + window_end',
 $q$SELECT window_start, window_end, count(*), sum(v), min(t), max(t)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '1 hour', '20 minutes', '5 minutes')
           AS w(t timestamptz, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
-- CUMULATE
('Europe/Berlin', true, true, 'cumulate 15 min / 2 h, Berlin, by asset_id + window_start + window_end',
 $q$SELECT asset_id, window_start, window_end, count(*), sum(v), avg(x), max(r)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '15 minutes', '2 hours')
           AS w(asset_id text, v int, x numeric, r real, window_start timestamptz, window_end timestamptz)
     GROUP BY asset_id, window_start, window_end$q$),
('Europe/Berlin', true, true, 'cumulate 10 / 30 min offset 20 min, Berlin, by window_end only',
 $q$SELECT window_end, count(*), sum(v)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '10 minutes', '30 minutes', '20 minutes')
           AS w(v int, window_end timestamptz)
     GROUP BY window_end$q$),
('UTC', true, true, 'cumulate 10 / 30 min offset 20 min, UTC, by window_end only',
 $q$SELECT window_end, count(*), sum(v)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '10 minutes', '30 minutes', '20 minutes')
           AS w(v int, window_end timestamptz)
     GROUP BY window_end$q$),
('Europe/Berlin', true, true, 'cumulate 6 h / 1 day offset 2 h, Berlin, by zone + window_time, HAVING count(*) > 1',
 $q$SELECT zone, window_time, count(*) * 10 + 1, sum(v), avg(x)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '6 hours', '1 day', '2 hours')
           AS w(zone text, v int, x numeric, window_time timestamptz)
     GROUP BY zone, window_time HAVING count(*) > 1$q$),
-- SESSION
('Europe/Berlin', true, true, 'session 20 min partition asset_id, by asset_id + all window columns',
 $q$SELECT asset_id, window_start, window_end, window_time, window_end - window_start, count(*), sum(v), avg(x), min(t), max(t)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '20 minutes', 'asset_id')
           AS w(asset_id text, t timestamptz, v int, x numeric,
                window_start timestamptz, window_end timestamptz, window_time timestamptz)
     GROUP BY asset_id, window_start, window_end, window_time$q$),
('Europe/Berlin', true, true, 'session 20 min partition asset_id, by asset_id + window_start only',
 $q$SELECT asset_id, window_start, count(*), sum(v), bool_and(flag)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '20 minutes', 'asset_id')
           AS w(asset_id text, v int, flag boolean, window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
('UTC', true, true, 'session 2 min, NULL partition_by, shuffled input, by window_start + window_end',
 $q$SELECT window_start, window_end, count(*), sum(v), max(r)
      FROM asset_stream.session('SELECT * FROM rnd ORDER BY random()', 't', '2 minutes')
           AS w(v int, r real, window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
('UTC', true, true, 'session 2 min, NULL partition_by, by window_end only',
 $q$SELECT window_end, count(*) * 10 + 1, sum(v)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '2 minutes', NULL)
           AS w(v int, window_end timestamptz)
     GROUP BY window_end$q$),
('Europe/Berlin', true, true, 'session 5 min partition zone (NULL keys), by zone + window_start, HAVING count(*) > 1',
 $q$SELECT zone, window_start, count(*), sum(v), min(asset_id)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '5 minutes', 'zone')
           AS w(zone text, asset_id text, v int, window_start timestamptz)
     GROUP BY zone, window_start HAVING count(*) > 1$q$),
-- timestamp without time zone
('Europe/Berlin', true, true, 'tumble 7 min over timestamp, by asset_id + window_start + window_time',
 $q$SELECT asset_id, window_start, window_time, count(*), sum(v)
      FROM asset_stream.tumble('SELECT asset_id, v, t AT TIME ZONE ''UTC'' AS ts FROM rnd', 'ts', '7 minutes')
           AS w(asset_id text, v int, window_start timestamp, window_time timestamp)
     GROUP BY asset_id, window_start, window_time$q$),
('Europe/Berlin', true, true, 'hop 10 / 25 min over Berlin wall-clock timestamps (repeated hour), by window_start only',
 $q$SELECT window_start, count(*), sum(v), min(ts), max(ts)
      FROM asset_stream.hop('SELECT v, t AT TIME ZONE ''Europe/Berlin'' AS ts FROM rnd', 'ts', '10 minutes', '25 minutes')
           AS w(v int, ts timestamp, window_start timestamp)
     GROUP BY window_start$q$),
('UTC', true, true, 'session 20 min over timestamp partition asset_id, by asset_id + window_end',
 $q$SELECT asset_id, window_end, count(*), sum(v)
      FROM asset_stream.session('SELECT asset_id, v, t::timestamp AS ts FROM rnd', 'ts', '20 minutes', 'asset_id')
           AS w(asset_id text, v int, window_end timestamp)
     GROUP BY asset_id, window_end$q$),
-- keys, inputs and queries around the aggregation
('Europe/Berlin', true, true, 'tumble 1 hour by integer and boolean keys (NULLs) + window_start',
 $q$SELECT v, flag, window_start, count(*), sum(x)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour')
           AS w(v int, flag boolean, x numeric, window_start timestamptz)
     GROUP BY v, flag, window_start$q$),
('Europe/Berlin', true, true, 'hop 30 min / 1 h by long compressed text keys',
 $q$SELECT md5(k), length(k), window_start, count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM big', 't', '30 minutes', '1 hour')
           AS w(k text, v int, window_start timestamptz)
     GROUP BY k, window_start$q$),
('Europe/Berlin', true, true, 'hourly times on window bounds (duplicates): tumble 1 hour by asset_id + window_start',
 $q$SELECT asset_id, window_start, count(*), sum(v)
      FROM asset_stream.tumble('SELECT asset_id, v, date_trunc(''hour'', t) AS t FROM rnd', 't', '1 hour')
           AS w(asset_id text, v int, window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
('Europe/Berlin', true, true, 'hourly times, session gap exactly 1 hour, partition zone',
 $q$SELECT zone, window_start, window_end, count(*), sum(v)
      FROM asset_stream.session('SELECT zone, v, date_trunc(''hour'', t) AS t FROM rnd', 't', '1 hour', 'zone')
           AS w(zone text, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY zone, window_start, window_end$q$),
('Europe/Berlin', true, true, 'input built by constant || (folded), with WITH, ORDER BY, LIMIT and a trailing semicolon',
 $q$SELECT asset_id, window_end, count(*), sum(v)
      FROM asset_stream.cumulate('WITH a AS (SELECT * FROM rnd WHERE v IS NOT NULL) '
                                 || 'SELECT * FROM a ORDER BY id LIMIT 2000;', 't', '10 minutes', '1 hour')
           AS w(asset_id text, v int, window_end timestamptz)
     GROUP BY asset_id, window_end$q$),
('Europe/Berlin', true, true, 'grouped query in a subquery, joined, with rank() over the counts',
 $q$SELECT g.asset_id, g.window_start, g.n, rank() OVER (PARTITION BY g.asset_id ORDER BY g.n DESC, g.window_start)
      FROM (SELECT asset_id, window_start, count(*) AS n
              FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour')
                   AS w(asset_id text, window_start timestamptz)
             GROUP BY asset_id, window_start) g
      JOIN (VALUES ('asset-1'), ('asset-2')) a(id) ON a.id = g.asset_id$q$),
('Europe/Berlin', true, true, 'ORDER BY an aggregate + LIMIT, grouping columns not in the select list',
 $q$SELECT count(*), sum(v)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '25 minutes')
           AS w(asset_id text, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY window_end, window_start, asset_id
     ORDER BY count(*) DESC, sum(v) DESC NULLS LAST, window_start, window_end, asset_id NULLS FIRST LIMIT 15$q$),
('UTC', true, true, 'input query from a constant subquery in FROM (flattened to a constant)',
 $q$SELECT window_start, count(*), sum(v)
      FROM (SELECT 'SELECT * FROM rnd' AS q) s,
           asset_stream.tumble(s.q, 't', '10 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
-- small fixed inputs through the DST changes
('Europe/Berlin', true, true, 'fixed: tumble 1 hour over 5-minute readings through the fall-back change, by window',
 $q$SELECT window_start, window_end, count(*), sum(v), min(t), max(t)
      FROM asset_stream.tumble('SELECT g AS v, timestamptz ''2024-10-26 22:30+00'' + g * interval ''5 minutes'' AS t
                                  FROM generate_series(1, 60) g', 't', '1 hour')
           AS w(v int, t timestamptz, window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
('Europe/Berlin', true, true, 'fixed: hop 10 / 25 min over 1-minute readings through the spring-forward change, by window_start',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.hop('SELECT g AS v, timestamptz ''2024-03-31 00:00+00'' + g * interval ''1 minute'' AS t
                               FROM generate_series(1, 200) g', 't', '10 minutes', '25 minutes')
           AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', true, false, 'empty input',
 $q$SELECT asset_id, window_start, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd WHERE false', 't', '10 minutes')
           AS w(asset_id text, v int, window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
('Europe/Berlin', true, false, 'only NULL times (all rows dropped)',
 $q$SELECT asset_id, window_start, count(*)
      FROM asset_stream.session('SELECT * FROM rnd WHERE t IS NULL', 't', '10 minutes', 'asset_id')
           AS w(asset_id text, window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
('Europe/Berlin', true, true, 'a single row (in three hop windows)',
 $q$SELECT asset_id, window_start, window_end, count(*), sum(v), min(t)
      FROM asset_stream.hop('SELECT * FROM rnd WHERE t IS NOT NULL ORDER BY id LIMIT 1', 't', '10 minutes', '25 minutes')
           AS w(asset_id text, t timestamptz, v int, window_start timestamptz, window_end timestamptz)
     GROUP BY asset_id, window_start, window_end$q$),
-- NOT pushed down: the ordinary plan, same rows
('Europe/Berlin', false, true, 'not pushed down: WHERE on the function output',
 $q$SELECT asset_id, window_start, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes')
           AS w(asset_id text, v int, window_start timestamptz)
     WHERE v > 10
     GROUP BY asset_id, window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: HAVING on a grouping column only (moved to WHERE)',
 $q$SELECT asset_id, window_start, count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes')
           AS w(asset_id text, window_start timestamptz)
     GROUP BY asset_id, window_start HAVING asset_id > 'asset-3'$q$),
('Europe/Berlin', false, true, 'not pushed down: count(DISTINCT v)',
 $q$SELECT window_start, count(DISTINCT v), count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '25 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: ORDER BY inside the aggregate, ordered-set aggregate',
 $q$SELECT window_start, array_agg(v ORDER BY v), percentile_disc(0.5) WITHIN GROUP (ORDER BY v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '25 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: GROUP BY lower(asset_id)',
 $q$SELECT lower(asset_id), window_start, count(*)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes')
           AS w(asset_id text, window_start timestamptz)
     GROUP BY lower(asset_id), window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: tumble grouped by no window column',
 $q$SELECT asset_id, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '10 minutes') AS w(asset_id text, v int)
     GROUP BY asset_id$q$),
('Europe/Berlin', false, true, 'not pushed down: cumulate grouped by window_start only',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.cumulate('SELECT * FROM rnd', 't', '15 minutes', '2 hours')
           AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: session partition asset_id grouped by zone',
 $q$SELECT zone, window_start, count(*)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '20 minutes', 'asset_id')
           AS w(zone text, window_start timestamptz)
     GROUP BY zone, window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: session partition asset_id grouped by the window only',
 $q$SELECT window_start, window_end, count(*)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '20 minutes', 'asset_id')
           AS w(window_start timestamptz, window_end timestamptz)
     GROUP BY window_start, window_end$q$),
('Europe/Berlin', false, true, 'not pushed down: session without partition grouped by asset_id + window',
 $q$SELECT asset_id, window_start, count(*)
      FROM asset_stream.session('SELECT * FROM rnd', 't', '2 minutes')
           AS w(asset_id text, window_start timestamptz)
     GROUP BY asset_id, window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: GROUP BY ROLLUP',
 $q$SELECT asset_id, window_start, count(*), sum(v)
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour')
           AS w(asset_id text, v int, window_start timestamptz)
     GROUP BY ROLLUP (asset_id, window_start)$q$),
('Europe/Berlin', false, true, 'not pushed down: input query not a constant (current_setting)',
 $q$SELECT window_start, count(*), sum(v)
      FROM asset_stream.tumble(current_setting('wp_test.input'), 't', '10 minutes')
           AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: input query read from a table (another FROM item)',
 $q$SELECT window_start, count(*), sum(v)
      FROM wp_src s, asset_stream.tumble(s.q, 't', '10 minutes') AS w(v int, window_start timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: aggregate over a window column',
 $q$SELECT window_start, max(window_end), count(*)
      FROM asset_stream.hop('SELECT * FROM rnd', 't', '10 minutes', '30 minutes')
           AS w(window_start timestamptz, window_end timestamptz)
     GROUP BY window_start$q$),
('Europe/Berlin', false, true, 'not pushed down: FILTER over a window column',
 $q$SELECT asset_id, window_start, count(*) FILTER (WHERE window_start >= timestamptz '2024-10-27 00:00+02')
      FROM asset_stream.tumble('SELECT * FROM rnd', 't', '1 hour')
           AS w(asset_id text, window_start timestamptz)
     GROUP BY asset_id, window_start$q$);

SELECT set_config('wp_test.input', 'SELECT * FROM rnd', true);

-- run every case twice and explain it twice
CREATE TEMP TABLE wp_res ON COMMIT DROP AS
SELECT c.*,
       pg_temp.wp_plan(q, true) AS plan_on,
       pg_temp.wp_plan(q, false) AS plan_off,
       pg_temp.wp_rows(q, tz, true) AS rows_on,
       pg_temp.wp_rows(q, tz, false) AS rows_off
  FROM wp_case c ORDER BY id;

-- per case: the plan with the pushdown on is the expected one, and the rows
-- are the same with the pushdown on and off
SELECT is(concat_ws(E'\n',
                    CASE WHEN (plan_on LIKE '%Custom Scan (AssetStreamWindowAggregate)%') <> pushdown
                         THEN CASE WHEN pushdown THEN 'expected Custom Scan (AssetStreamWindowAggregate), got:'
                                   ELSE 'expected the ordinary plan, got:' END || E'\n' || plan_on END,
                    nullif(pg_temp.wp_diff(rows_on, rows_off), '')),
          '',
          descr || CASE WHEN pushdown THEN ': pushed down' ELSE ': ordinary plan' END
                || ', same rows with the pushdown on and off')
  FROM wp_res ORDER BY id;

-- with the setting off, no plan uses the custom scan
SELECT is(ARRAY(SELECT descr FROM wp_res WHERE plan_off LIKE '%AssetStreamWindowAggregate%' ORDER BY id),
          '{}'::text[], 'asset_stream.window_pushdown = off: no plan uses AssetStreamWindowAggregate');

-- every case returns rows without error (except the empty ones), so that
-- the comparisons above can fail
SELECT is(ARRAY(SELECT descr FROM wp_res
                 WHERE nonempty <> (cardinality(rows_off) > 0)
                    OR EXISTS (SELECT FROM unnest(rows_on || rows_off) x WHERE x LIKE 'ERROR %')
                 ORDER BY id),
          '{}'::text[], 'every case returns rows (none for the empty inputs) and raises no error');

SELECT * FROM finish();
ROLLBACK;
