-- MATCH_RECOGNIZE expressions (docs/match_recognize.md, "Expressions"):
-- every navigation form and its nesting, RUNNING and FINAL, row references,
-- CLASSIFIER, MATCH_NUMBER, aggregates (built-in and user-defined), DEFINE
-- conditions that look at the match so far, PostGIS, and every error with
-- its SQLSTATE.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
CREATE SCHEMA mre;
SET search_path = mre, public;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- one symbol, eight days: 10 12 11 9 8 13 15 14
CREATE TABLE px (sym text, day int, price numeric, name text);
INSERT INTO px SELECT 'A', i, (ARRAY[10, 12, 11, 9, 8, 13, 15, 14])[i], 'r' || i
FROM generate_series(1, 8) i;

-- the SQLSTATE and message a statement fails with, or 'ok'
CREATE FUNCTION pg_temp.err(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END $$;
-- the same for one clause over px
CREATE FUNCTION pg_temp.clause_err(clause text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.err(format('SELECT * FROM asset_stream.match_recognize(%L, %L) AS t(day int)',
                              'SELECT day, price, name FROM mre.px', clause))
$$;

-- ------------------------------------------------------------ navigation
-- The match: s = day 2 (12), d = days 3..5 (11 9 8), u = days 6, 7 (13 15).
-- Physical PREV / NEXT leave the match (days 1 and 8) but not the partition;
-- LAST is capped at the current row (RUNNING), FINAL sees the whole match.
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  $$ ORDER BY day
     MEASURES CLASSIFIER() AS cls,
              PREV(price) AS prev1, PREV(price, 2) AS prev2, NEXT(price) AS next1,
              NEXT(price, 0) AS next0, LAST(price, 1) AS last1,
              FINAL LAST(price) AS final_last, FINAL LAST(price, 1) AS final_last1,
              d.price AS d_price, FINAL d.price AS final_d
     ALL ROWS PER MATCH
     PATTERN (s d+ u+)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(day int, price numeric, cls text, prev1 numeric, prev2 numeric, next1 numeric,
       next0 numeric, last1 numeric, final_last numeric, final_last1 numeric,
       d_price numeric, final_d numeric);

-- FIRST counts among the rows of its variable from the first one; RUNNING
-- sees the rows up to the current one, so FIRST(d.price, 1) appears at the
-- second d row; FINAL sees them all.  Nested: PREV(LAST(d.price, 1), 2) is
-- two rows before the second-to-last d row; NEXT(FIRST(u.price)) the row
-- after the first u row.
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  $$ ORDER BY day
     MEASURES FIRST(price) AS first0, FIRST(price, 1) AS first1,
              FIRST(d.price, 1) AS first_d1, FINAL FIRST(d.price, 1) AS final_first_d1,
              FINAL FIRST(d.price, 5) AS beyond,
              PREV(LAST(d.price, 1), 2) AS nest_prev, NEXT(FIRST(u.price)) AS nest_next,
              FINAL NEXT(FIRST(u.price)) AS nest_final, PREV(FINAL LAST(price), 3) AS nest_inner_final
     ALL ROWS PER MATCH
     PATTERN (s d+ u+)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(day int, first0 numeric, first1 numeric, first_d1 numeric, final_first_d1 numeric,
       beyond numeric, nest_prev numeric, nest_next numeric, nest_final numeric,
       nest_inner_final numeric);

-- SUBSET: du.price is the last row of d or u; CLASSIFIER(du) its label;
-- PREV / NEXT of CLASSIFIER() report the neighbours' labels (NULL outside
-- the match), FINAL CLASSIFIER() the last row's.
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  $$ ORDER BY day
     MEASURES CLASSIFIER() AS cls, du.price AS du_price, CLASSIFIER(du) AS du_cls,
              FIRST(CLASSIFIER(du)) AS first_du_cls, PREV(CLASSIFIER()) AS prev_cls,
              NEXT(CLASSIFIER()) AS next_cls, FINAL CLASSIFIER() AS final_cls,
              MATCH_NUMBER() AS mno
     ALL ROWS PER MATCH
     PATTERN (s d+ u+)
     SUBSET du = (d, u)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(day int, cls text, du_price numeric, du_cls text, first_du_cls text, prev_cls text,
       next_cls text, final_cls text, mno bigint);

-- ------------------------------------------------------------ aggregates
CREATE FUNCTION mre.dash(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce($1 || '-', '') || $2 $$;
CREATE AGGREGATE mre.dashjoin(text) (sfunc = mre.dash, stype = text);

-- running in ALL ROWS PER MATCH, and FINAL
SELECT * FROM asset_stream.match_recognize('SELECT day, price, name FROM mre.px',
  $$ ORDER BY day
     MEASURES count(*) AS n, count(d.*) AS n_d, FINAL count(u.*) AS final_n_u,
              sum(d.price) AS sum_d, avg(price)::numeric(6,2) AS avg_all, min(price) AS lo,
              FINAL max(price) AS final_hi, array_agg(price) AS prices,
              string_agg(CLASSIFIER(), '') AS labels, dashjoin(d.name) AS d_names,
              array_agg(MATCH_NUMBER()) AS mnos
     ALL ROWS PER MATCH
     PATTERN (s d+ u+)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(day int, n bigint, n_d bigint, final_n_u bigint, sum_d numeric, avg_all numeric,
       lo numeric, final_hi numeric, prices numeric[], labels text, d_names text,
       mnos bigint[]);

-- ONE ROW PER MATCH: evaluated at the last row, RUNNING = FINAL
SELECT * FROM asset_stream.match_recognize('SELECT sym, day, price, name FROM mre.px',
  $$ PARTITION BY sym ORDER BY day
     MEASURES count(*) AS n, RUNNING count(*) AS running_n, FINAL count(*) AS final_n,
              string_agg(CLASSIFIER(), ',') AS labels, dashjoin(name) AS names,
              LAST(d.day) AS bottom, MATCH_NUMBER() AS mno
     PATTERN (s d+ u+)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(sym text, n bigint, running_n bigint, final_n bigint, labels text, names text,
       bottom int, mno bigint);

-- a column named like a variable: count(d) counts the column (every row),
-- count(d.*) and count(d.d) the rows mapped to d
SELECT * FROM asset_stream.match_recognize('SELECT day, price, price AS d FROM mre.px',
  $$ ORDER BY day
     MEASURES count(d) AS by_column, count(d.*) AS by_variable, count(d.d) AS by_both
     PATTERN (s d+ u+)
     DEFINE d AS price < PREV(price), u AS price > PREV(price) $$)
  AS t(by_column bigint, by_variable bigint, by_both bigint);

-- an empty match: row references and CLASSIFIER are NULL, count() is 0
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px WHERE day <= 2',
  $$ ORDER BY day
     MEASURES MATCH_NUMBER() AS mno, count(*) AS n, sum(price) AS total, CLASSIFIER() AS cls,
              price AS p, PREV(price) AS prev_p, FINAL LAST(price) AS last_p
     ALL ROWS PER MATCH
     PATTERN (a*) DEFINE a AS price > 100 $$)
  AS t(day int, price numeric, mno bigint, n bigint, total numeric, cls text, p numeric,
       prev_p numeric, last_p numeric);

-- ------------------------------------------------- DEFINE with a history
-- an aggregate in DEFINE includes the row being tried: runs of three rows
SELECT day, cls, mno, n FROM asset_stream.match_recognize('SELECT day FROM mre.px',
  $$ ORDER BY day MEASURES CLASSIFIER() AS cls, MATCH_NUMBER() AS mno, count(*) AS n
     ALL ROWS PER MATCH PATTERN (g+) DEFINE g AS count(*) <= 3 $$)
  AS t(day int, cls text, mno bigint, n bigint);

-- another variable's row: b rows cost more than the match's a row
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  $$ ORDER BY day MEASURES FIRST(a.day) AS first_day, LAST(b.day) AS last_day,
     FINAL avg(b.price)::numeric(6,2) AS avg_b
     PATTERN (a b+) DEFINE b AS price > a.price $$)
  AS t(first_day int, last_day int, avg_b numeric);

-- CLASSIFIER in DEFINE: the previous row's label decides (NULL before the
-- match), so a and b alternate
SELECT day, cls FROM asset_stream.match_recognize('SELECT day FROM mre.px WHERE day <= 5',
  $$ ORDER BY day MEASURES CLASSIFIER() AS cls ALL ROWS PER MATCH
     PATTERN ((a | b)+)
     DEFINE a AS PREV(CLASSIFIER()) IS DISTINCT FROM 'A' $$)
  AS t(day int, cls text);

-- MATCH_NUMBER in DEFINE is the number the match would get
SELECT * FROM asset_stream.match_recognize('SELECT day FROM mre.px',
  $$ ORDER BY day MEASURES MATCH_NUMBER() AS mno, a.day AS at_day
     PATTERN (a) DEFINE a AS MATCH_NUMBER() <= 2 $$)
  AS t(mno bigint, at_day int);

-- a running average: each u row is above the average of the match so far
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  $$ ORDER BY day MEASURES FIRST(day) AS first_day, count(*) AS n,
     array_agg(price) AS prices
     PATTERN (s u+) DEFINE u AS price > avg(price) $$)
  AS t(first_day int, n bigint, prices numeric[]);

-- ---------------------------------------------------------------- PostGIS
-- jumps of more than 4.5 from the previous read: where from, and where to
-- (the next read, after the match)
CREATE TABLE mre.track (asset text, seq int, x float8, y float8);
INSERT INTO mre.track VALUES
  ('t1', 1, 0, 0), ('t1', 2, 1, 0), ('t1', 3, 2, 0), ('t1', 4, 10, 0), ('t1', 5, 11, 0),
  ('t1', 6, 30, 0), ('t2', 1, 0, 0), ('t2', 2, 0, 3), ('t2', 3, 4, 0);
SELECT * FROM asset_stream.match_recognize(
  'SELECT asset, seq, x, y, ST_MakePoint(x, y) AS pos FROM mre.track',
  $$ PARTITION BY asset ORDER BY seq
     MEASURES jump.seq AS seq_at,
              ST_Distance(ST_MakePoint(PREV(jump.x), PREV(jump.y)), ST_MakePoint(jump.x, jump.y)) AS dist,
              ST_AsText(PREV(jump.pos)) AS came_from, ST_AsText(NEXT(jump.pos)) AS went_to
     PATTERN (jump)
     DEFINE jump AS ST_Distance(ST_MakePoint(PREV(x), PREV(y)), ST_MakePoint(x, y)) > 4.5 $$)
  AS t(asset text, seq_at int, dist float8, came_from text, went_to text);
-- total path length of each asset with a geometry aggregate over the match
SELECT * FROM asset_stream.match_recognize(
  'SELECT asset, seq, ST_MakePoint(x, y) AS pos FROM mre.track',
  $$ PARTITION BY asset ORDER BY seq
     MEASURES ST_Length(ST_MakeLine(pos)) AS path, ST_Distance(FIRST(pos), LAST(pos)) AS direct
     PATTERN (r+) $$)
  AS t(asset text, path float8, direct float8);

-- ----------------------------------------------------------------- errors
SELECT c AS clause, pg_temp.clause_err(c) AS result FROM (VALUES
  -- 42601 misused navigation and keywords
  ('ORDER BY day PATTERN (a b) DEFINE a AS FINAL LAST(price) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(b.price + a.price) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(price + a.price) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(price, day) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(sum(price)) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS sum(PREV(price)) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(PREV(price)) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS FIRST(LAST(price)) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(LAST(price) + 1) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS MATCH_STATUS() = ''MATCH'''),
  ('ORDER BY day PATTERN (a b) DEFINE a AS CLASSIFIER(1) = ''A'''),
  ('ORDER BY day PATTERN (a b) DEFINE a AS MATCH_NUMBER(1) = 1'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV() = 1'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(price, 1, 2) = 1'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(x => price) = 1'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS LAST(price) FILTER (WHERE true) = 1'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS price > 0; SELECT 1'),
  ('ORDER BY day MEASURES FINAL upper(name) AS x PATTERN (a b)'),
  ('ORDER BY day MEASURES LAST(FINAL price) AS x PATTERN (a b)'),
  -- 22023 / 42804 offsets
  ('ORDER BY day PATTERN (a b) DEFINE a AS PREV(price, -1) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS NEXT(price, NULL) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS FIRST(price, 1.5) > 0'),
  -- 42804 not boolean, 42703 unknown names, 42803 nested aggregates
  ('ORDER BY day PATTERN (a b) DEFINE a AS price'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS nosuch > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS b.nosuch > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS CLASSIFIER(zz) = ''A'''),
  ('ORDER BY day PATTERN (a b) DEFINE a AS sum(sum(price)) > 0'),
  -- 0A000 not supported, 42P20 window functions
  ('ORDER BY day PATTERN (a b) DEFINE a AS price > (SELECT 1)'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS EXISTS (SELECT 1)'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS generate_series(1, 2) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS count(DISTINCT price) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS string_agg(name, '','' ORDER BY name) > '''''),
  ('ORDER BY day PATTERN (a b) DEFINE a AS count(*) FILTER (WHERE price > 1) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS percentile_cont(0.5) WITHIN GROUP (ORDER BY price) > 0'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS count(*) > 0 AND GROUPING(price) = 0'),
  ('ORDER BY day MEASURES b.price.x AS x PATTERN (a b)'),
  ('ORDER BY day PATTERN (a b) DEFINE a AS sum(price) OVER () > 0'),
  -- at run time, with the DEFINE in the context
  ('ORDER BY day ALL ROWS PER MATCH PATTERN (a) DEFINE a AS price / (day - 1) > 0')
) v(c);

-- the placeholders cannot be called outside MATCH_RECOGNIZE
SELECT pg_temp.err('SELECT asset_stream._mr_nav(1)');
SELECT pg_temp.err('SELECT asset_stream._mr_classifier()');

-- positions point into the clause
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  'ORDER BY day MEASURES PREV(price, -1) AS p PATTERN (a)') AS t(p numeric);
SELECT * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px',
  'ORDER BY day MEASURES b.price AS p PATTERN (a b)
     DEFINE b AS CLASSIFIER() = 1') AS t(p numeric);
-- the context names the expression, when compiled and at run time
CREATE FUNCTION pg_temp.context_of(clause text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ctx text;
BEGIN
    PERFORM * FROM asset_stream.match_recognize('SELECT day, price FROM mre.px', clause)
        AS t(day int);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
    RETURN split_part(ctx, E'\n', 1);
END $$;
SELECT pg_temp.context_of('ORDER BY day MEASURES PREV(price, -1) AS "Prev" ALL ROWS PER MATCH PATTERN (a)');
SELECT pg_temp.context_of('ORDER BY day ALL ROWS PER MATCH PATTERN (a) DEFINE a AS price / (day - 1) > 0');
SELECT pg_temp.context_of('ORDER BY day MEASURES price / (day - 1) AS q ALL ROWS PER MATCH PATTERN (a)');

-- functions and aggregates need EXECUTE permission
CREATE ROLE mre_nobody;
GRANT USAGE ON SCHEMA mre TO mre_nobody;
GRANT SELECT ON mre.px TO mre_nobody;
REVOKE EXECUTE ON FUNCTION mre.dash(text, text) FROM PUBLIC;
REVOKE EXECUTE ON ROUTINE mre.dashjoin(text) FROM PUBLIC;
SET ROLE mre_nobody;
SELECT pg_temp.clause_err('ORDER BY day MEASURES dashjoin(name) AS x PATTERN (a)');
SELECT pg_temp.clause_err('ORDER BY day MEASURES dash(name, name) AS x PATTERN (a)');
RESET ROLE;
DROP OWNED BY mre_nobody;
DROP ROLE mre_nobody;

DROP SCHEMA mre CASCADE;
