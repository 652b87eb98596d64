#!/usr/bin/env bash
# test/fuzz/mr_function.sh: fuzz asset_stream.match_recognize() itself, with
# real DEFINE and MEASURES expressions (not part of scripts/test.sh).
#
# Cases come from a grammar over a few small input tables (0 rows, 1 row,
# 50 rows in 3 partitions plus a NULL one, NULLs in every column including
# the event time, duplicate times, a toasted string) and input queries
# (column subsets, a PostGIS column, duplicate names, 400 generated rows,
# broken queries).  Clauses: PARTITION BY / ORDER BY on right and wrong
# columns; MEASURES and DEFINE with typed expressions over columns, A.col,
# A.*, PREV / NEXT / FIRST / LAST with offsets (huge, negative, NULL,
# non-constant), nested navigation, RUNNING / FINAL in odd places,
# CLASSIFIER, MATCH_NUMBER / STATUS / DEADLINE, aggregates (built-in, a
# user aggregate, DISTINCT / ORDER BY / FILTER), PostGIS, casts, CASE,
# subqueries, window functions, SRFs, type errors, NULLs, huge strings;
# WITHIN / EMIT TIMEOUTS / FOLLOWED BY NO with good and bad intervals;
# every rows-per-match and skip mode; then mutations of such clauses and a
# few extremes.  The column definition list is usually learnt from the
# function's own error (a probe with a column that does not exist lists
# the available ones) and then used as is, as a subset, shuffled, with a
# wrong type, an extra or a duplicate column; sometimes it is random.
# Some cases pass complete_until, a small asset_stream.max_partial_matches
# or a small work_mem.  A subset of the cases that succeed runs again with
# asset_stream.match_matcher = 'backtrack'; when both succeed the results
# (row count and md5 of the rows in output order) must be equal.  Cases
# whose clause calls one of the generator's own functions (which draw on
# random()) are not compared.
#
# Each case is one top-level statement (psql \gexec) with
# statement_timeout = 2 s and its own EXCEPTION block; the outcome is kept
# in the case's row.  The run holds the machine-wide install lock in chunks
# of at most MR_FUZZ_CHUNK_SECONDS (default 540): each chunk builds and
# installs, starts a throwaway cluster, runs whole batches, saves its
# figures and stops the cluster before the lock is released.  Cases are
# numbered and seeded per batch, so a run is reproducible whatever the
# chunking.  A crash is a lost connection, a change of
# pg_postmaster_start_time(), or a PANIC / TRAP / signal line in the
# server log; a hang is a batch still running after 10 minutes.  The
# crashing statement (from the server log) and its case are reported.
#
# Usage: test/fuzz/mr_function.sh [cases] [seed]
# MR_FUZZ_OUT=dir keeps the per-case findings (mismatches, crashes,
# internal errors, every case's outcome) in dir.
# MR_FUZZ_VALGRIND=1 runs the server under valgrind memcheck (statement
# timeout 120 s) and reports every valgrind error with a frame in the
# extension's sources (stacks in dir/valgrind.txt).
set -u
. "$(dirname "$0")/../../scripts/lib.sh"

total=${1:-100000}
seed=${2:-42}
batch=${MR_FUZZ_BATCH:-500}
chunk_seconds=${MR_FUZZ_CHUNK_SECONDS:-540}
valgrind=${MR_FUZZ_VALGRIND:-}
case_timeout=2s
[ -n "$valgrind" ] && case_timeout=120s
work=$(mktemp -d /tmp/asset_stream_mrfuzz.XXXXXX)
chmod 755 "$work"
out=${MR_FUZZ_OUT:-$work/out}
mkdir -p "$out"
cluster=
cleanup() {
    [ -n "$cluster" ] && as_cluster_stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
exec 9>/tmp/asset_stream_install.lock

setup_sql() {
    cat <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA fz;
SET search_path = fz, public;

-- ------------------------------------------------------------ inputs
CREATE TABLE t50 (part text, ts timestamptz, seq int, price numeric, name text,
                  x float8, y float8, flag boolean, lt timestamp, j json, tags text[], big text);
INSERT INTO t50
SELECT CASE WHEN i % 17 = 0 THEN NULL ELSE 'p' || (i % 3) END,
       CASE WHEN i % 11 = 0 THEN NULL
            ELSE timestamptz '2026-01-01 10:00+00' + (i / 2) * interval '5 minutes' END,
       CASE WHEN i % 13 = 0 THEN NULL ELSE i - (i % 19 = 0)::int END,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 23)::numeric / 2 END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE (ARRAY['alpha', 'beta', 'gamma', '12', '', 'ü x', 'A'])[1 + i % 7] END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 13 % 17)::float8 END,
       CASE WHEN i % 12 = 0 THEN NULL WHEN i = 25 THEN 'NaN' WHEN i = 26 THEN 'Infinity'
            ELSE (i * 7 % 11)::float8 END,
       CASE WHEN i % 8 = 0 THEN NULL ELSE i % 2 = 0 END,
       CASE WHEN i % 14 = 0 THEN NULL
            ELSE timestamp '2026-01-01 10:00' + (i / 3) * interval '7 minutes' END,
       CASE WHEN i % 6 = 0 THEN NULL ELSE json_build_object('i', i) END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE ARRAY['t' || i % 4, NULL] END,
       CASE i WHEN 4 THEN (SELECT string_agg(md5(k::text), '') FROM generate_series(1, 3000) k)
              WHEN 8 THEN repeat('z', 50000) WHEN 9 THEN 'short' END
FROM generate_series(1, 50) i;
CREATE TABLE t1 AS SELECT * FROM t50 WHERE seq = 1;
CREATE TABLE t0 AS SELECT * FROM t50 WHERE false;
ANALYZE t50, t1, t0;

CREATE FUNCTION dash(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $fn$ SELECT coalesce($1 || '-', '') || $2 $fn$;
CREATE AGGREGATE dashjoin(text) (sfunc = dash, stype = text);
CREATE AGGREGATE mysum(numeric) (sfunc = numeric_add, stype = numeric);

-- ------------------------------------------------------- bookkeeping
CREATE TABLE cases (
    id bigint PRIMARY KEY, batch int, kind text, input text, clause text,
    cols text, cols_mode text, cu text, maxpm int, wm text, want_bt boolean,
    used_cols text, lin text, lin_rows bigint, lin_md5 text, lin_smd5 text, lin_msg text,
    bt text, bt_rows bigint, bt_md5 text, bt_smd5 text, bt_msg text);

CREATE FUNCTION pick(a text[]) RETURNS text LANGUAGE sql AS
  $fn$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $fn$;

CREATE FUNCTION ws() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.9 THEN ' '
              ELSE pick(ARRAY[E'\n', E'\t', ' -- c, )( ' || E'\n', ' /* x */ ', '  ']) END $fn$;

-- ------------------------------------------------------- the grammar
-- Half of the clauses are "clean": no deliberate mistakes (variables of
-- the pattern only, constant small offsets, FINAL only in MEASURES,
-- supported forms only, PostGIS columns only when the input has them, the
-- event-time extensions only over an input without NULL times), so that
-- most of them run; the others take odd branches at every level.  The
-- settings fz.clean, fz.ctx (define / measure), fz.vars (the variables in
-- scope), fz.pos and fz.tsok (the input has pos / no NULL ts) steer it.
CREATE FUNCTION clean() RETURNS boolean LANGUAGE sql AS
  $fn$ SELECT current_setting('fz.clean') = 'on' $fn$;
CREATE FUNCTION odd(p float8) RETURNS boolean LANGUAGE sql AS
  $fn$ SELECT NOT clean() AND random() < p $fn$;
CREATE FUNCTION in_define() RETURNS boolean LANGUAGE sql AS
  $fn$ SELECT current_setting('fz.ctx') = 'define' $fn$;
CREATE FUNCTION has_pos() RETURNS boolean LANGUAGE sql AS
  $fn$ SELECT NOT clean() OR current_setting('fz.pos') = 'on' $fn$;

CREATE FUNCTION var() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN clean() OR random() < 0.85 THEN pick(string_to_array(current_setting('fz.vars'), ','))
              WHEN random() < 0.7 THEN pick(ARRAY['a', 'b', 'c', 'A', 'B'])
              ELSE pick(ARRAY['u', 'z', '"A"', 'x', 'last', '"b"']) END $fn$;

CREATE FUNCTION qual(col text) RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.5 THEN col ELSE var() || '.' || col END $fn$;

CREATE FUNCTION ncol() RETURNS text LANGUAGE sql AS $fn$
  SELECT qual(pick(ARRAY['price', 'price', 'seq', 'seq', 'x', 'y'])) $fn$;
CREATE FUNCTION tcol() RETURNS text LANGUAGE sql AS $fn$
  SELECT qual(pick(ARRAY['name', 'name', 'part', 'big'])) $fn$;
CREATE FUNCTION tscol() RETURNS text LANGUAGE sql AS $fn$
  SELECT qual(pick(ARRAY['ts', 'ts', 'lt'])) $fn$;

CREATE FUNCTION off() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.4 THEN ''
              WHEN NOT odd(0.4) THEN pick(ARRAY[', 0', ', 1', ', 1', ', 2', ', 3', ', 5'])
              ELSE pick(ARRAY[', 49', ', 1000000', ', 2147483647', ', 2147483648',
                              ', 9223372036854775807', ', 99999999999999999999', ', -1', ', -0',
                              ', NULL', ', seq', ', 1.5', ', 1 + 1', ', ''3''', ', 2::smallint',
                              ', 3::bigint', ', CAST(NULL AS int)', ', (SELECT 1)', ', a.seq',
                              ', MATCH_NUMBER()', ', 1, 2', ', x => 1']) END $fn$;

-- RUNNING / FINAL before a navigation or an aggregate
CREATE FUNCTION sem() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.8 THEN ''
              WHEN clean() AND in_define() THEN 'RUNNING '
              ELSE pick(ARRAY['RUNNING ', 'FINAL ', 'FINAL ', 'final ']) END $fn$;

-- a navigation of an expression
CREATE FUNCTION nav(inner_e text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random();
BEGIN
  IF odd(0.08) THEN
    RETURN pick(ARRAY['PREV(PREV(' || inner_e || '))', 'FIRST(LAST(' || inner_e || '))',
                      'PREV(' || inner_e || ' + ' || ncol() || ')', 'LAST(sum(' || inner_e || '))',
                      'sum(PREV(' || inner_e || '))', 'PREV(' || inner_e || ', 1) + PREV(' || inner_e || ', 2)',
                      'NEXT(FINAL LAST(' || inner_e || '))', 'PREV(' || inner_e || ') FILTER (WHERE true)',
                      'LAST(' || inner_e || ' ORDER BY seq)', 'PREV()', 'nav(' || inner_e || ')',
                      'PREV(LAST(' || inner_e || ') + 1)', 'FIRST(' || inner_e || ') OVER ()']);
  ELSIF r < 0.22 THEN RETURN sem() || 'PREV(' || inner_e || off() || ')';
  ELSIF r < 0.36 THEN RETURN sem() || 'NEXT(' || inner_e || off() || ')';
  ELSIF r < 0.56 THEN RETURN sem() || 'FIRST(' || inner_e || off() || ')';
  ELSIF r < 0.8 THEN RETURN sem() || 'LAST(' || inner_e || off() || ')';
  ELSE
    RETURN sem() || pick(ARRAY['PREV(', 'NEXT(']) || CASE WHEN clean() THEN '' ELSE sem() END ||
           pick(ARRAY['FIRST(', 'LAST(']) || inner_e || off() || ')' || off() || ')';
  END IF;
END $fn$;

CREATE FUNCTION nagg(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE v text := var();
BEGIN
  IF odd(0.2) THEN
    RETURN sem() || pick(ARRAY[
      'sum(' || nexpr(depth + 1) || ')', 'sum(DISTINCT ' || ncol() || ')', 'sum(' || ncol() || ' ORDER BY seq)',
      'count(*) FILTER (WHERE ' || bexpr(depth + 1) || ')',
      'percentile_cont(0.5) WITHIN GROUP (ORDER BY price)', 'count(DISTINCT CLASSIFIER())',
      'sum(sum(price))', 'sum(price) OVER ()', 'row_number() OVER ()', 'count(a.price + b.price)',
      'ST_Length(ST_MakeLine(ST_MakePoint(' || ncol() || ', ' || ncol() || ')))', 'count()', 'sum(*)',
      'max(DISTINCT ' || v || '.*)', 'GROUPING(price)']);
  END IF;
  RETURN sem() || pick(ARRAY[
    'count(*)', 'count(*)', 'count(' || v || '.*)', 'count(' || ncol() || ')',
    'sum(' || ncol() || ')', 'avg(' || ncol() || ')', 'min(' || ncol() || ')',
    'max(' || ncol() || ')', 'mysum(' || qual('price') || ')', 'stddev(' || ncol() || ')',
    'count(CLASSIFIER())', 'sum(MATCH_NUMBER())', 'bit_and(' || qual('seq') || ')',
    'count(' || v || '.*) * 2', 'sum(' || v || '.price * ' || v || '.x)', 'avg(price)::numeric(10,3)',
    'count(' || v || '.flag)']);
END $fn$;

CREATE FUNCTION postgis(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE v text := var();
BEGIN
  IF odd(0.2) THEN
    RETURN pick(ARRAY['ST_Distance(ST_MakePoint(x), ST_MakePoint(y))', 'ST_Distance(FIRST(pos), LAST(pos))',
                      'ST_Distance(ST_MakePoint(x, y), ''POINT(1 1 junk)''::geometry)', 'ST_X(price)']);
  END IF;
  RETURN pick(ARRAY[
    'ST_Distance(ST_MakePoint(x, y), ST_MakePoint(PREV(x), PREV(y)))',
    'ST_Distance(ST_MakePoint(' || v || '.x, ' || v || '.y), ST_MakePoint(FIRST(' || v || '.x), FIRST(' || v || '.y)))',
    'ST_X(ST_MakePoint(' || nexpr(depth + 1) || ', ' || nexpr(depth + 1) || '))',
    'ST_Distance(ST_MakePoint(x, y), ST_MakePoint(' || ncol() || ', 0))',
    CASE WHEN has_pos() THEN 'ST_Distance(FIRST(pos), LAST(pos))' ELSE 'ST_Y(ST_MakePoint(x, y))' END,
    CASE WHEN has_pos() THEN 'ST_X(' || qual('pos') || ')' ELSE 'ST_X(ST_MakePoint(x, y))' END,
    'ST_Distance(ST_MakePoint(x, y), ''POINT(1 1)''::geometry)']);
END $fn$;

CREATE FUNCTION nexpr(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random();
BEGIN
  IF depth > 3 OR r < 0.3 THEN
    IF random() < 0.75 THEN RETURN ncol(); END IF;
    IF odd(0.3) THEN RETURN pick(ARRAY['1e308', '9223372036854775807', '2147483647']); END IF;
    RETURN pick(ARRAY['1', '0', '-2.5', 'NULL', '0.1', '100']);
  ELSIF r < 0.45 THEN RETURN nav(CASE WHEN NOT odd(0.2) THEN ncol() ELSE nexpr(depth + 1) END);
  ELSIF r < 0.6 THEN RETURN nagg(depth);
  ELSIF r < 0.7 THEN
    RETURN nexpr(depth + 1) || ws() ||
           CASE WHEN odd(0.3) THEN pick(ARRAY['/', '%', '^']) ELSE pick(ARRAY['+', '-', '*']) END ||
           ws() || nexpr(depth + 1);
  ELSIF r < 0.75 THEN
    RETURN 'CASE WHEN ' || bexpr(depth + 1) || ' THEN ' || nexpr(depth + 1) || ' ELSE ' || nexpr(depth + 1) || ' END';
  ELSIF r < 0.8 THEN
    IF odd(0.3) THEN
      RETURN 'CAST(' || texpr(depth + 1) || ' AS ' || pick(ARRAY['int', 'numeric', 'float8']) || ')';
    END IF;
    RETURN '(' || nexpr(depth + 1) || ')::' || pick(ARRAY['int', 'bigint', 'numeric(12,2)', 'float8', 'numeric', 'real']);
  ELSIF r < 0.83 THEN RETURN 'MATCH_NUMBER()';
  ELSIF r < 0.86 THEN RETURN 'length(' || texpr(depth + 1) || ')';
  ELSIF r < 0.89 THEN RETURN postgis(depth);
  ELSIF r < 0.91 THEN RETURN 'extract(epoch FROM ' || tsexpr(depth + 1) || ')';
  ELSIF r < 0.94 THEN
    IF odd(0.6) THEN
      RETURN pick(ARRAY['(SELECT max(seq) FROM fz.t50)', 'generate_series(1, 2)', 'unnest(ARRAY[1, 2])',
                        '(SELECT ' || ncol() || ')', '1 / (seq - seq)', 'sqrt(' || nexpr(depth + 1) || ')',
                        'public.first(price)', 'asset_stream._mr_nav(price)', 'MATCH_NUMBER(1)',
                        '(' || var() || '.*).price', 'price.x', 'nosuch(price)', 'price + ''x''']);
    END IF;
    RETURN pick(ARRAY['array_length(tags, 1)', 'count(*) + count(*)', 'abs(' || nexpr(depth + 1) || ')',
                      'greatest(' || nexpr(depth + 1) || ', ' || nexpr(depth + 1) || ')',
                      'pg_catalog.abs(' || ncol() || ')', 'char_length(' || var() || '.*::text)',
                      'round(' || nexpr(depth + 1) || ')', 'length(' || tcol() || ' COLLATE "C")']);
  ELSIF r < 0.97 THEN RETURN 'coalesce(' || nexpr(depth + 1) || ', ' || nexpr(depth + 1) || ')';
  ELSIF odd(1) THEN
    RETURN pick(ARRAY['FINAL ' || ncol(), 'RUNNING (' || nexpr(depth + 1) || ')', 'FINAL 1',
                      'RUNNING RUNNING count(*)', 'FINAL RUNNING LAST(price)', ncol() || ' FINAL',
                      'FINAL(price)', 'RUNNING', 'FINAL MATCH_NUMBER()', 'FINAL ' || var() || '.price']);
  ELSE
    RETURN CASE WHEN in_define() THEN 'RUNNING ' ELSE 'FINAL ' END || 'LAST(' || ncol() || ')';
  END IF;
END $fn$;

CREATE FUNCTION texpr(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random(); v text := var();
BEGIN
  IF depth > 3 OR r < 0.3 THEN
    IF random() < 0.5 THEN RETURN tcol(); END IF;
    IF odd(0.15) THEN
      RETURN pick(ARRAY['CLASSIFIER(1)', 'CLASSIFIER(' || var() || ', ' || var() || ')', 'CLASSIFIER(z)', 'MATCH_STATUS(1)']);
    END IF;
    RETURN pick(ARRAY['CLASSIFIER()', 'CLASSIFIER(' || v || ')', '''A''', '''''', 'NULL',
                      '''it''''s''', 'E''\x41''', '$$a,b$$', 'classifier()',
                      CASE WHEN in_define() AND clean() THEN 'CLASSIFIER()' ELSE 'MATCH_STATUS()' END]);
  ELSIF r < 0.45 THEN
    RETURN nav(CASE WHEN random() < 0.7 THEN tcol() ELSE pick(ARRAY['CLASSIFIER()', 'CLASSIFIER(' || v || ')']) END);
  ELSIF r < 0.6 THEN
    IF odd(0.25) THEN
      RETURN sem() || pick(ARRAY['string_agg(DISTINCT name, '','')', 'string_agg(name, '','' ORDER BY name)',
                                 'string_agg(name, '','') FILTER (WHERE flag)', 'string_agg(' || texpr(depth + 1) || ', ''|'')',
                                 'string_agg(a.name || b.name, '','')', 'string_agg(PREV(name), '','')',
                                 'string_agg(a.name || CLASSIFIER(), '','')']);
    END IF;
    RETURN sem() || pick(ARRAY[
      'string_agg(' || tcol() || ', '','')', 'string_agg(CLASSIFIER(), '''')', 'min(' || tcol() || ')',
      'max(' || tcol() || ')', 'dashjoin(' || tcol() || ')', 'array_agg(CLASSIFIER())::text',
      'array_agg(MATCH_NUMBER())::text', 'string_agg(CLASSIFIER(' || v || '), '';'')',
      'max(' || v || '.*::text)', 'string_agg(' || v || '.name || CLASSIFIER(' || v || '), '' '')',
      'min(' || v || '.name COLLATE "C")']);
  ELSIF r < 0.68 THEN RETURN texpr(depth + 1) || ws() || '||' || ws() || texpr(depth + 1);
  ELSIF r < 0.74 THEN RETURN pick(ARRAY['upper(', 'lower(', 'md5(', 'reverse(']) || texpr(depth + 1) || ')';
  ELSIF r < 0.8 THEN RETURN '(' || pick(ARRAY[nexpr(depth + 1), tsexpr(depth + 1), bexpr(depth + 1)]) || ')::text';
  ELSIF r < 0.84 THEN
    RETURN 'CASE WHEN ' || bexpr(depth + 1) || ' THEN ' || texpr(depth + 1) || ' ELSE ' || texpr(depth + 1) || ' END';
  ELSIF r < 0.88 THEN
    RETURN 'repeat(' || texpr(depth + 1) || ', ' ||
           CASE WHEN odd(0.5) THEN pick(ARRAY['100000', '-1', 'seq', 'NULL', '2147483647']) ELSE pick(ARRAY['2', '3', '100']) END || ')';
  ELSIF r < 0.91 THEN RETURN 'substr(' || texpr(depth + 1) || ', (' || nexpr(depth + 1) || ')::int)';
  ELSIF r < 0.94 THEN
    RETURN pick(ARRAY['ST_AsText(ST_MakePoint(' || nexpr(depth + 1) || ', ' || nexpr(depth + 1) || '))',
                      'row_to_json(' || v || '.*)::text', 'format(''%s/%s'', ' || texpr(depth + 1) || ', ' || nexpr(depth + 1) || ')',
                      'j::text', '(j->>''i'')', 'tags[1]',
                      CASE WHEN has_pos() THEN 'ST_AsText(' || nav('pos') || ')' ELSE 'ST_AsText(ST_MakePoint(x, 1))' END,
                      'concat_ws('','', ' || tcol() || ', ' || tcol() || ')']);
  ELSIF r < 0.97 THEN RETURN 'coalesce(' || texpr(depth + 1) || ', ' || texpr(depth + 1) || ')';
  ELSIF odd(1) THEN
    RETURN pick(ARRAY['''' || repeat('h', 100000) || '''', 'repeat(''ab'', 300000)',
                      '(SELECT string_agg(name, '','') FROM fz.t50)', 'FINAL CLASSIFIER()',
                      'CLASSIFIER(u)', 'name::int::text', 'FINAL ' || v || '.name']);
  ELSE
    RETURN pick(ARRAY['name COLLATE "C"', 'PREV(CLASSIFIER(), 2)', 'NEXT(CLASSIFIER(), 3)',
                      'CLASSIFIER(' || v || ')', 'FIRST(CLASSIFIER(), 1)']);
  END IF;
END $fn$;

CREATE FUNCTION tsexpr(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random();
BEGIN
  IF depth > 3 OR r < 0.35 THEN RETURN tscol();
  ELSIF r < 0.6 THEN RETURN nav(tscol());
  ELSIF r < 0.7 THEN RETURN CASE WHEN clean() AND in_define() THEN tscol() ELSE 'MATCH_DEADLINE()' END;
  ELSIF r < 0.8 THEN
    RETURN tsexpr(depth + 1) || ' + interval ''' ||
           CASE WHEN odd(0.3) THEN '1000000 years' ELSE pick(ARRAY['1 hour', '-5 minutes', '1 month']) END || '''';
  ELSIF r < 0.9 THEN RETURN sem() || pick(ARRAY['max(', 'min(']) || tscol() || ')';
  ELSE RETURN pick(ARRAY['timestamptz ''2026-01-01 10:30+00''', '''infinity''::timestamptz',
                         'date_trunc(''hour'', ' || tsexpr(depth + 1) || ')']);
  END IF;
END $fn$;

CREATE FUNCTION bexpr(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random(); v text := var();
BEGIN
  IF depth > 3 OR r < 0.12 THEN
    RETURN pick(ARRAY[qual('flag'), qual('flag'), 'true', 'false', 'NULL']);
  ELSIF r < 0.45 THEN
    RETURN nexpr(depth + 1) || ws() || pick(ARRAY['<', '>', '=', '<=', '>=', '<>']) || ws() || nexpr(depth + 1);
  ELSIF r < 0.53 THEN
    RETURN texpr(depth + 1) || pick(ARRAY[' = ', ' < ', ' IS DISTINCT FROM ']) || texpr(depth + 1);
  ELSIF r < 0.56 THEN
    RETURN texpr(depth + 1) || pick(ARRAY[' LIKE ''%a%''', ' IS NULL', ' ~ ''^[ab]''']);
  ELSIF r < 0.68 THEN
    RETURN bexpr(depth + 1) || pick(ARRAY[' AND ', ' OR ']) || bexpr(depth + 1);
  ELSIF r < 0.72 THEN RETURN 'NOT ' || bexpr(depth + 1);
  ELSIF r < 0.78 THEN
    RETURN pick(ARRAY[tsexpr(depth + 1) || ' > ' || tsexpr(depth + 1),
                      'ts - PREV(ts) < interval ''10 minutes''',
                      tsexpr(depth + 1) || ' IS NOT DISTINCT FROM ' || tsexpr(depth + 1),
                      qual('ts') || ' - FIRST(ts) <= interval ''1 hour''']);
  ELSIF r < 0.83 THEN
    RETURN pick(ARRAY['PREV(CLASSIFIER()) IS DISTINCT FROM ''A''', 'CLASSIFIER() = ''A''',
                      'count(*) <= ' || floor(random() * 5)::int, 'MATCH_NUMBER() <= 2',
                      'count(' || v || '.*) < 3', 'CLASSIFIER(' || v || ') IS NULL',
                      'PREV(CLASSIFIER()) = CLASSIFIER()', 'count(*) % 2 = 0']);
  ELSIF r < 0.87 THEN RETURN nav(qual('flag'));
  ELSIF r < 0.9 THEN
    RETURN sem() || pick(ARRAY['bool_and(' || qual('flag') || ')', 'every(flag)',
                               CASE WHEN odd(1) THEN 'bool_or(' || bexpr(depth + 1) || ')' ELSE 'bool_or(' || v || '.flag)' END]);
  ELSIF r < 0.93 THEN
    RETURN pick(ARRAY['ST_DWithin(ST_MakePoint(x, y), ST_MakePoint(PREV(x), PREV(y)), 5)',
                      'ST_Intersects(ST_MakePoint(' || ncol() || ', 0), ST_MakePoint(1, 0))']);
  ELSIF odd(0.6) THEN
    RETURN pick(ARRAY[nexpr(depth + 1), texpr(depth + 1), 'MATCH_STATUS() = ''MATCH''',
                      'EXISTS (SELECT 1)', 'price IN (SELECT 1)', 'MATCH_DEADLINE() IS NULL',
                      'FINAL LAST(flag)', 'name::int > 0', 'j = j', 'flag AND 1']);
  ELSE
    RETURN pick(ARRAY['flag = ANY (ARRAY[true])', '(' || bexpr(depth + 1) || ')::int = 1',
                      'RUNNING LAST(' || qual('flag') || ')', v || '.* IS NOT NULL',
                      'tags @> ARRAY[''t1'']', 'price BETWEEN 2 AND 8', 'seq IN (1, 2, 3, 40)',
                      'coalesce(' || qual('flag') || ', true)', 'CASE WHEN flag THEN true END']);
  END IF;
END $fn$;

-- a value of any type (for MEASURES)
CREATE FUNCTION aexpr() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random(); v text := var();
BEGIN
  IF r < 0.38 THEN RETURN nexpr(0);
  ELSIF r < 0.65 THEN RETURN texpr(0);
  ELSIF r < 0.75 THEN RETURN bexpr(0);
  ELSIF r < 0.85 THEN RETURN tsexpr(0);
  ELSIF odd(0.3) THEN
    RETURN pick(ARRAY[v || '.*', 'ROW(price, name)', 'FINAL LAST(' || v || '.*)', 'array_agg(' || v || '.*)',
                      'PREV(' || v || '.*)', 'pos', 'ST_MakeLine(ST_MakePoint(a.x, b.y))']);
  ELSE
    IF random() < 0.4 THEN
      RETURN sem() || pick(ARRAY['array_agg(CLASSIFIER())', 'array_agg(' || ncol() || ')', 'jsonb_agg(price)',
                                 'ST_MakeLine(ST_MakePoint(x, y))', 'array_agg(' || v || '.name)']);
    END IF;
    RETURN pick(ARRAY['row_to_json(' || v || '.*)', 'ST_MakePoint(' || ncol() || ', ' || ncol() || ')',
                      'ts - PREV(ts)', 'tags', 'j', nav(qual('tags')), 'big',
                      'NULL', 'MATCH_DEADLINE()', 'MATCH_STATUS()', 'MATCH_NUMBER()',
                      CASE WHEN has_pos() THEN nav(qual('pos')) ELSE 'ST_MakePoint(1, 2)' END]);
  END IF;
END $fn$;

CREATE FUNCTION pat(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random(); n int := 1 + floor(random() * 3)::int; s text[] := '{}';
BEGIN
  IF depth > 3 OR r < 0.4 THEN
    RETURN pick(ARRAY['a', 'a', 'b', 'b', 'c', '()', '^', '$']);
  ELSIF r < 0.6 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN array_to_string(s, ' ');
  ELSIF r < 0.72 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN '(' || array_to_string(s, ' | ') || ')';
  ELSIF r < 0.92 THEN
    RETURN '(' || pat(depth + 1) || ')' ||
           pick(ARRAY['*', '+', '?', '{2}', '{1,}', '{,3}', '{0,2}', '+', '*']) ||
           CASE WHEN random() < 0.25 THEN '?' ELSE '' END;
  ELSIF r < 0.97 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN 'PERMUTE(' || array_to_string(s, ', ') || ')';
  ELSE
    RETURN '{- ' || pat(depth + 1) || ' -}';
  END IF;
END $fn$;

CREATE FUNCTION intv() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN NOT odd(0.3)
              THEN pick(ARRAY['INTERVAL ''10 minutes''', '''1 hour''', 'INTERVAL ''2'' HOUR', 'INTERVAL ''1 day''',
                              '''30 s''', 'INTERVAL ''5 minutes''', 'INTERVAL ''20 minutes''', '''1 microsecond''',
                              'INTERVAL ''100000 days'''])
              ELSE pick(ARRAY['''0 s''', '''-1 h''', '''soon''', '10 minutes', 'INTERVAL ''1'' DAY TO SECOND',
                              'INTERVAL ''1 month''', 'INTERVAL ''1000000 years''', 'INTERVAL ''2562047788 hours''',
                              'INTERVAL ''178000000 years''', '''1 month -30 days''', 'NULL', '''''']) END $fn$;

CREATE FUNCTION clause() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  p text := pat(0);
  vars text[];
  s text := '';
  n int;
  timed boolean := NOT clean() OR current_setting('fz.tsok') = 'on';
  within text := '';
  absence text := '';
  subset text := '';
  define text[] := '{}';
BEGIN
  SELECT array_agg(DISTINCT m[1] ORDER BY m[1]) INTO vars FROM regexp_matches(p, '\m([abc])\M', 'g') m;
  IF vars IS NULL THEN p := 'a ' || p; vars := '{a}'; END IF;
  IF random() < 0.2 THEN
    IF NOT odd(0.3) THEN
      SELECT string_agg(v, ', ') INTO subset FROM unnest(vars) v WHERE random() < 0.7;
      subset := coalesce(subset, vars[1]);
    ELSE
      subset := pick(ARRAY['a', 'b', 'a, b', 'b, c', 'a, c', 'z']);
    END IF;
    subset := 'SUBSET u = (' || subset || ')' || ws();
    vars := vars || 'u'::text;
  END IF;
  PERFORM set_config('fz.vars', array_to_string(vars, ','), false);

  IF random() < 0.5 THEN
    s := s || 'PARTITION BY ' || CASE WHEN NOT odd(0.2) THEN pick(ARRAY['part', 'part', 'part', 'flag', 'part, flag', 'flag, part'])
                                      ELSE pick(ARRAY['nosuch', 'part + 1', 'j', 'tags', 'big', 'pos', 'ts', 'a.part', 'price', '"part"', 'PART', '(part)']) END || ws();
  END IF;
  IF random() < 0.15 AND timed THEN
    within := 'WITHIN ' || intv() || CASE WHEN random() < 0.5 THEN ' EMIT TIMEOUTS' ELSE '' END || ws();
  END IF;
  IF random() < 0.1 AND timed THEN
    absence := 'FOLLOWED BY NO ' || CASE WHEN random() < 0.5 THEN 'ROW' WHEN clean() THEN vars[1] ELSE pick(ARRAY[var(), 'd']) END ||
               ' FOR ' || intv() || ws();
  END IF;
  IF clean() AND (within <> '' OR absence <> '') THEN
    s := s || 'ORDER BY ' || pick(ARRAY['ts', 'ts, seq', 'ts ASC', 'ts, seq DESC']) || ws();
  ELSIF random() < 0.88 THEN
    s := s || 'ORDER BY ' || CASE WHEN NOT odd(0.15) THEN pick(ARRAY['ts', 'ts', 'ts', 'seq', 'seq', 'ts, seq', 'ts NULLS FIRST', 'seq DESC', 'lt', 'ts DESC NULLS LAST'])
                                  ELSE pick(ARRAY['name', 'price', 'nosuch', 'seq + 1', 'j', 'pos', 'seq ASC NULLS FIRST, ts DESC', 'ts, ts', 'tags']) END || ws();
  END IF;
  IF random() < 0.8 THEN
    PERFORM set_config('fz.ctx', 'measure', false);
    n := 1 + floor(random() * 4)::int;
    s := s || 'MEASURES ';
    FOR i IN 1..n LOOP
      s := s || CASE WHEN i > 1 THEN ',' || ws() ELSE '' END || aexpr() || ' AS ' ||
           CASE WHEN NOT odd(0.04) THEN 'm' || i ELSE pick(ARRAY['price', 'm1', '"Mx"', 'part', 'ts', '"m 1"']) END;
    END LOOP;
    s := s || ws();
  END IF;
  IF random() < 0.75 THEN
    s := s || pick(ARRAY['ONE ROW PER MATCH', 'ALL ROWS PER MATCH', 'ALL ROWS PER MATCH SHOW EMPTY MATCHES',
                         'ALL ROWS PER MATCH OMIT EMPTY MATCHES', 'ALL ROWS PER MATCH WITH UNMATCHED ROWS']) || ws();
  END IF;
  IF random() < 0.5 THEN
    s := s || 'AFTER MATCH SKIP ' || pick(ARRAY['PAST LAST ROW', 'TO NEXT ROW', 'TO FIRST ' || var(),
                                                 'TO LAST ' || var(), 'TO ' || var()]) || ws();
  END IF;
  s := s || 'PATTERN (' || p || ')' || ws() || within || absence || subset;
  IF random() < 0.85 THEN
    PERFORM set_config('fz.ctx', 'define', false);
    IF clean() THEN
      FOR i IN 1..cardinality(vars) LOOP
        IF vars[i] <> 'u' AND random() < 0.75 THEN define := define || (vars[i] || ' AS ' || bexpr(0)); END IF;
      END LOOP;
    ELSE
      FOR i IN 1..cardinality(vars) LOOP
        IF vars[i] <> 'u' AND random() < 0.8 THEN
          define := define || (CASE WHEN random() < 0.95 THEN vars[i] ELSE var() END || ' AS ' || bexpr(0));
        END IF;
      END LOOP;
      IF random() < 0.05 THEN define := define || ('d AS ' || bexpr(0)); END IF;
    END IF;
    IF cardinality(define) > 0 THEN s := s || 'DEFINE ' || array_to_string(define, ',' || ws()); END IF;
  END IF;
  RETURN s;
END $fn$;

-- Mutations of a clause (as in mr_clause.sh, with expression junk).
CREATE FUNCTION mutate(s text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  len int := length(s);
  p int := 1 + floor(random() * greatest(len, 1))::int;
  q int := p + floor(random() * 12)::int;
  r float8 := random();
  toks text[];
  i int; j int; t text;
  junk text := pick(ARRAY['(', ')', '{', '}', '|', '*', '+', '?', ',', '''', '"', '/*', '--', E'\n',
                           '$$', '.', '=', ';', '[', ']', '\', 'E''', '::', '.*', '::int', '::text',
                           chr(1 + floor(random() * 126)::int), chr(128 + floor(random() * 1000)::int),
                           'PREV(', 'NEXT(', 'FIRST(', 'LAST(', 'FINAL ', 'RUNNING ', 'CLASSIFIER()',
                           'MATCH_NUMBER()', 'count(*)', 'sum(', ', -1)', ', 99999999999)', ' OVER ()',
                           ' FILTER (WHERE true)', 'a.', 'b.*', 'u.', '(SELECT 1)', 'NULL', ' AS ',
                           'PATTERN', 'DEFINE', 'MEASURES', 'SKIP', 'ROWS', 'WITHIN ''1 s''', ' DESC',
                           '{99999}', 'PERMUTE(', 'CASE WHEN ', ' END', ' AND ', '1/0']);
BEGIN
  IF r < 0.25 THEN
    RETURN overlay(s placing junk from p for 1);
  ELSIF r < 0.45 THEN
    RETURN overlay(s placing junk from p for 0);
  ELSIF r < 0.55 THEN
    RETURN overlay(s placing '' from p for q - p);
  ELSIF r < 0.65 THEN
    RETURN left(s, p);
  ELSIF r < 0.85 THEN
    toks := regexp_split_to_array(s, '\s+');
    FOR k IN 1..1 + floor(random() * 3)::int LOOP
      i := 1 + floor(random() * array_length(toks, 1))::int;
      j := 1 + floor(random() * array_length(toks, 1))::int;
      t := toks[i]; toks[i] := toks[j]; toks[j] := t;
    END LOOP;
    RETURN array_to_string(toks, ' ');
  ELSE
    RETURN overlay(s placing substr(s, p, q - p) from q for 0);
  END IF;
END $fn$;

-- Extremes: deep or long expressions, many measures, huge literals.
CREATE FUNCTION extreme() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE n int := 1 + floor(random() * 2000)::int;
BEGIN
  RETURN pick(ARRAY[
    'ORDER BY seq MEASURES ' || repeat('(', n) || 'price' || repeat(')', n) || ' AS m1 PATTERN (a+)',
    'ORDER BY seq MEASURES ' || repeat('abs(', n) || 'price' || repeat(')', n) || ' AS m1 PATTERN (a+)',
    'ORDER BY seq PATTERN (a b) DEFINE a AS ' || repeat('NOT ', n) || 'flag',
    'ORDER BY seq MEASURES ' || repeat('coalesce(', n) || 'LAST(price)' || repeat(', 1)', n) || ' AS m1 PATTERN (a+)',
    'ORDER BY seq MEASURES ' || repeat('price + ', n * 5) || 'price AS m1 ALL ROWS PER MATCH PATTERN (a+)',
    'ORDER BY seq MEASURES ' || repeat('PREV(', least(n, 50)) || 'price' || repeat(')', least(n, 50)) || ' AS m1 PATTERN (a)',
    'ORDER BY seq MEASURES ' || (SELECT string_agg('PREV(price, ' || i || ') AS m' || i, ', ') FROM generate_series(1, n) i) || ' PATTERN (a)',
    'ORDER BY seq MEASURES ' || (SELECT string_agg('sum(price) AS m' || i, ', ') FROM generate_series(1, least(n, 300)) i) || ' ALL ROWS PER MATCH PATTERN (a+)',
    'ORDER BY seq MEASURES ''' || repeat('q', 900000) || ''' AS m1 PATTERN (a)',
    'ORDER BY seq MEASURES length(repeat(name, 1000000)) AS m1 PATTERN (a)',
    'ORDER BY seq MEASURES string_agg(repeat(big, 20), '','') AS m1 ALL ROWS PER MATCH PATTERN (a*)',
    'ORDER BY seq PATTERN (a{' || n * 50 || '}) DEFINE a AS true',
    'ORDER BY seq MEASURES count(*) AS m1 PATTERN (' || repeat('(a | b)*', least(n, 30)) || ' c) DEFINE c AS price > sum(price)',
    'ORDER BY seq MEASURES count(*) AS m1 ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN ((a | b)+ c) DEFINE a AS count(*) > 0, c AS false',
    'ORDER BY seq MEASURES FINAL array_agg(CLASSIFIER()) AS m1 ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN ((a+)+ b*) DEFINE a AS PREV(a.price) IS DISTINCT FROM price',
    'ORDER BY seq PATTERN (a) DEFINE a AS ' || repeat('CASE WHEN flag THEN ', least(n, 500)) || 'true' || repeat(' END', least(n, 500)),
    'ORDER BY seq MEASURES ' || repeat('ARRAY[', n) || '1' || repeat(']', n) || ' AS m1 PATTERN (a)',
    'ORDER BY seq MEASURES NEXT(price, ' || repeat('9', 1 + floor(random() * 30)::int) || ') AS m1 PATTERN (a)',
    'ORDER BY seq MEASURES ' || repeat('LAST(', 3) || 'price' || repeat(')', 3) || ' AS m1 PATTERN (a)']);
END $fn$;

-- The input query; sets fz.pos and fz.tsok for the grammar.
CREATE FUNCTION input() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  q text;
  ts_ok text[] := ARRAY['SELECT * FROM fz.t0', 'SELECT * FROM fz.t1',
                        'SELECT * FROM fz.t50 WHERE ts IS NOT NULL',
                        'SELECT *, ST_MakePoint(x, y) AS pos FROM fz.t50 WHERE ts IS NOT NULL',
                        $q$SELECT 'p' || (i % 2) AS part, timestamptz '2026-01-01' + (i / 3) * interval '1 minute' AS ts,
                                  i AS seq, (i % 5)::numeric AS price, (ARRAY['alpha', 'beta', 'A'])[1 + i % 3] AS name,
                                  (i % 9)::float8 AS x, 1.0::float8 AS y, i % 2 = 0 AS flag,
                                  timestamp '2026-01-01' + i * interval '1 minute' AS lt, NULL::json AS j,
                                  ARRAY['t' || i % 4] AS tags, NULL::text AS big
                           FROM generate_series(1, 400) i$q$];
BEGIN
  IF random() < 0.45 THEN q := 'SELECT * FROM fz.t50';
  ELSIF random() < 0.6 THEN q := pick(ts_ok);
  ELSIF NOT odd(0.5) THEN
    q := pick(ARRAY['SELECT *, ST_MakePoint(x, y) AS pos FROM fz.t50', 'SELECT * FROM fz.t50 ORDER BY seq DESC LIMIT 20;',
                    'SELECT *, repeat(name, 3000) AS pad FROM fz.t50', 'SELECT *, seq AS "A" FROM fz.t50',
                    'SELECT * FROM fz.t50 WHERE part = ''p1''']);
  ELSE
    q := pick(ARRAY['SELECT part, ts, seq, price FROM fz.t50', 'SELECT price, price, seq FROM fz.t50',
                    'SELECT seq AS ts, price, part, seq FROM fz.t50', 'VALUES (1, 2)', 'SELECT * FROM fz.nosuch',
                    'SELECT 1/0 AS seq', 'SELECT * FROM fz.t50; SELECT 1', '', 'SELECT * FROM fz.t50 WHERE',
                    'SELECT ts::timestamp AS ts, part, seq, price, name, flag FROM fz.t50',
                    'SELECT t50 AS r, * FROM fz.t50', 'SELECT * FROM fz.t50 FOR UPDATE',
                    'SELECT part, ts, seq, price::text AS price, name::int AS name FROM fz.t50 WHERE seq < 5',
                    'UPDATE fz.t0 SET seq = 1 RETURNING *', 'SELECT NULL::timestamptz AS ts, 1 AS seq']);
  END IF;
  PERFORM set_config('fz.pos', CASE WHEN q LIKE '%AS pos%' THEN 'on' ELSE 'off' END, false);
  PERFORM set_config('fz.tsok', CASE WHEN q = ANY (ts_ok) THEN 'on' ELSE 'off' END, false);
  RETURN q;
END $fn$;

-- a random column definition list
CREATE FUNCTION coldefs() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE s text[] := '{}';
BEGIN
  FOR i IN 1..1 + floor(random() * 4)::int LOOP
    s := s || (pick(ARRAY['m1', 'm2', 'm3', 'price', 'seq', 'part', 'ts', 'name', 'nosuch', 'flag']) || ' ' ||
               pick(ARRAY['int', 'bigint', 'numeric', 'text', 'timestamptz', 'boolean', 'float8',
                          'text[]', 'record', 'geometry', 'json', 'varchar(2)']));
  END LOOP;
  RETURN array_to_string(s, ', ');
END $fn$;

CREATE FUNCTION gen_cases(b int, seed float8, n int, first_id bigint) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE r float8; kind text; c text; mode text; q text;
BEGIN
  PERFORM setseed(seed);
  PERFORM set_config('fz.ctx', 'measure', false);
  PERFORM set_config('fz.vars', 'a', false);
  FOR i IN 0..n - 1 LOOP
    PERFORM set_config('fz.clean', CASE WHEN random() < 0.5 THEN 'on' ELSE 'off' END, false);
    q := input();
    r := random();
    IF r < 0.04 THEN kind := 'extreme'; c := extreme();
    ELSIF r < 0.6 THEN kind := 'grammar'; c := clause();
    ELSE
      kind := 'mutated'; c := mutate(clause());
      IF random() < 0.3 THEN c := mutate(c); END IF;
    END IF;
    IF kind = 'grammar' AND clean() THEN kind := 'grammar, clean'; END IF;
    r := random();
    mode := CASE WHEN r < 0.6 THEN 'exact' WHEN r < 0.7 THEN 'subset' WHEN r < 0.78 THEN 'shuffle'
                 WHEN r < 0.84 THEN 'wrongtype' WHEN r < 0.87 THEN 'extra' WHEN r < 0.89 THEN 'dup'
                 ELSE 'fixed' END;
    INSERT INTO cases (id, batch, kind, input, clause, cols, cols_mode, cu, maxpm, wm, want_bt)
    VALUES (first_id + i, b, kind, q, c,
            CASE WHEN mode = 'fixed' THEN coldefs() END, mode,
            CASE WHEN random() < 0.12 THEN pick(ARRAY['infinity', '-infinity', '2026-01-01 10:30+00',
                                                    '2026-01-01 11:00+00', 'NULL', '2026-01-01 12:05+00']) END,
            CASE WHEN random() < 0.1 THEN pick(ARRAY['1', '2', '5', '20'])::int END,
            CASE WHEN random() < 0.05 THEN '64kB' END,
            random() < 0.5 AND c !~ volatile_calls());
  END LOOP;
END $fn$;

-- A clause that calls one of the generator's own functions (the weird
-- item nav(x) does, and they draw on random()) gives other values on each
-- run: such cases are not compared between the matchers.
CREATE FUNCTION volatile_calls() RETURNS text LANGUAGE sql IMMUTABLE AS
  $fn$ SELECT '\m(nav|nagg|nexpr|texpr|tsexpr|bexpr|aexpr|var|pick|ncol|tcol|tscol|qual|off|sem|ws|postgis|pat|intv|odd|clean|in_define|has_pos)\s*\(' $fn$;

-- ------------------------------------------------------- running a case
CREATE FUNCTION run_sql(q text, OUT st text, OUT nrows bigint, OUT digest text, OUT sdigest text,
                        OUT msg text, OUT detail text)
LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE q INTO nrows, digest, sdigest;
  st := 'ok';
EXCEPTION
  WHEN query_canceled THEN
    st := '57014';
    msg := SQLERRM;
  WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
END $fn$;

CREATE FUNCTION mr_call(c cases, cdl text) RETURNS text LANGUAGE sql AS $fn$
  SELECT format('SELECT count(*), md5(string_agg(t::text, E''\n'')), md5(string_agg(t::text, E''\n'' ORDER BY t::text)) FROM asset_stream.match_recognize(%L, %L%s) AS t(%s)',
                c.input, c.clause,
                CASE WHEN c.cu IS NULL THEN '' WHEN c.cu = 'NULL' THEN ', NULL' ELSE format(', %L', c.cu) END,
                cdl) $fn$;

-- The column definition list from the probe's "Available columns: ..."
-- detail, changed as the case says; NULL when there is none.
CREATE FUNCTION learnt_cols(detail text, mode text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  items text[] := string_to_array(regexp_replace(detail, '^Available columns: (.*)\.$', '\1'), ', ');
  n int := cardinality(items);
  k int;
  keep text[] := '{}';
BEGIN
  IF n = 0 OR items[1] = '(none)' THEN RETURN NULL; END IF;
  k := 1 + floor(random() * n)::int;
  IF mode = 'subset' THEN
    FOR i IN 1..n LOOP IF random() < 0.6 OR i = k THEN keep := keep || items[i]; END IF; END LOOP;
    items := keep;
  ELSIF mode = 'shuffle' THEN
    SELECT array_agg(it ORDER BY random()) INTO items FROM unnest(items) it;
  ELSIF mode = 'wrongtype' THEN
    items[k] := split_part(items[k], ' ', 1) || ' ' ||
                pick(ARRAY['int', 'text', 'bytea', 'boolean', 'numeric(2,1)', 'varchar(3)', 'timestamp', 'geometry', 'record', 'name']);
  ELSIF mode = 'extra' THEN
    items := items || 'zz_extra int'::text;
  ELSIF mode = 'dup' THEN
    items := items || items[k];
  END IF;
  RETURN array_to_string(items, ', ');
END $fn$;

CREATE FUNCTION run_case(cid bigint, phase text) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE c cases; r record; cdl text;
BEGIN
  SELECT * INTO c FROM cases WHERE id = cid;
  PERFORM setseed((cid % 1000003)::float8 / 1000003);
  IF c.maxpm IS NOT NULL THEN PERFORM set_config('asset_stream.max_partial_matches', c.maxpm::text, true); END IF;
  IF c.wm IS NOT NULL THEN PERFORM set_config('work_mem', c.wm, true); END IF;
  IF phase = 'linear' THEN
    cdl := c.cols;
    IF cdl IS NULL THEN
      r := run_sql(mr_call(c, 'zz_probe int'));
      IF r.st = '42703' AND r.msg LIKE '%column definition list%' AND r.detail LIKE 'Available columns: %' THEN
        cdl := learnt_cols(r.detail, c.cols_mode);
      END IF;
    END IF;
    IF cdl IS NOT NULL THEN
      r := run_sql(mr_call(c, cdl));
    END IF;
    UPDATE cases SET used_cols = cdl, lin = r.st, lin_rows = r.nrows, lin_md5 = r.digest,
                     lin_smd5 = r.sdigest, lin_msg = left(r.msg, 300) WHERE id = cid;
  ELSIF c.lin = 'ok' THEN
    PERFORM set_config('asset_stream.match_matcher', 'backtrack', true);
    r := run_sql(mr_call(c, c.used_cols));
    UPDATE cases SET bt = r.st, bt_rows = r.nrows, bt_md5 = r.digest, bt_smd5 = r.sdigest, bt_msg = left(r.msg, 300)
    WHERE id = cid;
  END IF;
END $fn$;
SQL
}

# run_batch B SEED N FIRST_ID: generate and run one batch; sets rc.
run_batch() {
    local b=$1 bseed=$2 n=$3 first=$4
    as_run timeout 600 "$AS_PGBIN/psql" -X -q -At -d fuzz >/dev/null 2>"$work/batch.err" <<SQL
SET search_path = fz, public;
SET client_min_messages = warning;
SELECT gen_cases($b, $bseed, $n, $first);
SET statement_timeout = '$case_timeout';
SELECT format('SELECT run_case(%s, %L)', id, ph) FROM cases,
       unnest(CASE WHEN want_bt AND cu IS NULL THEN ARRAY['linear', 'backtrack'] ELSE ARRAY['linear'] END) ph
WHERE batch = $b ORDER BY id, ph DESC \gexec
SQL
    rc=$?
}

# valgrind_restart: the cluster's postmaster again, under valgrind.  Known
# PostgreSQL false positives (uninitialised padding written to WAL and to
# the relcache init file) are suppressed.
valgrind_restart() {
    mkdir -p "$work/vg"
    cat >"$work/vg.supp" <<'SUPP'
{
   pg_padding_wal
   Memcheck:Param
   pwrite64(buf)
   ...
   fun:XLog*
}
{
   pg_padding_relcache_init_file
   Memcheck:Param
   write(buf)
   ...
   fun:RelationCacheInitializePhase3
}
SUPP
    cat >"$work/postgres-vg" <<WRAP
#!/bin/sh
exec valgrind --quiet --track-origins=yes --num-callers=40 --error-limit=no \
    --suppressions=$work/vg.supp --log-file=$work/vg/%p.log $AS_PGBIN/postgres "\$@"
WRAP
    chmod 755 "$work/postgres-vg"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$work/vg"
    as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null &&
        as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -p "$work/postgres-vg" -l "$cluster/server.log" \
            -w -t 600 start >/dev/null 9>&-
}

# valgrind_errors: the errors of this chunk with a frame in src/*.c.
valgrind_errors() {
    local srcs
    srcs=$(cd "$AS_ROOT/src" && echo *.c)
    vgprocs=$((vgprocs + $(ls "$work"/vg/*.log 2>/dev/null | wc -l)))
    cat "$work"/vg/*.log 2>/dev/null | sed 's/^==[0-9]*== \{0,1\}//' |
        awk -v srcs="$srcs" 'BEGIN { RS = ""; n = split(srcs, s, " ") }
            { for (i = 1; i <= n; i++) if (index($0, "(" s[i] ":")) { print; print ""; break } }' \
        >>"$out/valgrind.txt"
    rm -rf "$work/vg"
}

# A chunk: install, cluster, batches until the time is up; figures saved.
run_chunk() {
    local t0 now bseed n rc_line failed
    flock 9
    as_build_install || exit 1
    cluster=$work/cluster
    as_cluster_start "$cluster" "synchronous_commit = off" "log_min_duration_statement = 500" || exit 1
    [ -n "$valgrind" ] && { valgrind_restart || exit 1; }
    as_psql -d postgres -c "CREATE DATABASE fuzz" || exit 1
    as_psql -d fuzz -c "SET client_min_messages = warning; CREATE EXTENSION asset_stream CASCADE" \
        -c "ALTER DATABASE fuzz SET search_path = fz, public" -c "ALTER DATABASE fuzz SET TimeZone = 'UTC'" || exit 1
    setup_sql | as_psql -d fuzz >/dev/null || exit 1
    start=$(as_q fuzz "SELECT pg_postmaster_start_time()")
    t0=$(date +%s)
    while [ "$done_cases" -lt "$total" ] && [ $(( $(date +%s) - t0 )) -lt "$chunk_seconds" ]; do
        b=$((b + 1))
        n=$(( total - done_cases < batch ? total - done_cases : batch ))
        bseed=$(awk -v s="$seed" -v b="$b" 'BEGIN { srand(s * 1000 + b); printf "%.6f", rand() * 2 - 1 }')
        run_batch "$b" "$bseed" "$n" "$((done_cases + 1))"
        now=$(as_q fuzz "SELECT pg_postmaster_start_time()" 2>/dev/null)
        if [ "$rc" -eq 124 ]; then
            hangs=$((hangs + 1))
            as_log "batch $b: still running after 600 s"
            as_q fuzz "SELECT pid, query FROM pg_stat_activity WHERE query LIKE 'SELECT run_case%'" >>"$out/hangs.txt"
            as_q fuzz "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT run_case%'" >/dev/null
        fi
        if [ "$now" != "$start" ] || [ "$rc" -eq 2 ]; then
            crashes=$((crashes + 1))
            as_log "batch $b (seed $bseed): server crash or lost connection (psql rc $rc)"
            as_wait_for fuzz "SELECT true" || { as_log "server did not come back"; exit 1; }
            start=$(as_q fuzz "SELECT pg_postmaster_start_time()")
        fi
        uncaught=$((uncaught + $(grep -c "ERROR:" "$work/batch.err")))
        grep "ERROR:" "$work/batch.err" | head -3 >>"$out/uncaught.txt"
        done_cases=$((done_cases + n))
    done
    # the statements that crashed, with their cases
    grep -o "Failed process was running: SELECT run_case([0-9]*, '[a-z]*')" "$cluster/server.log" |
        sed 's/.*run_case(\([0-9]*\), .\([a-z]*\).)/\1 \2/' | while read -r id ph; do
            as_q fuzz "SELECT format('case %s (%s), %s: input %L clause %L cols %L cu %L maxpm %s work_mem %s', id, '$ph', kind, input, clause, coalesce(used_cols, cols), cu, maxpm, wm) FROM cases WHERE id = $id" >>"$out/crashes.txt"
        done
    grep -o "duration: [0-9.]* ms  statement: SELECT run_case.*" "$cluster/server.log" >>"$out/slow.txt"
    logerrs=$((logerrs + $(grep -cE "PANIC|TRAP|terminated by signal|server process .* was terminated" "$cluster/server.log")))
    grep -E "PANIC|TRAP|terminated by signal|server process .* was terminated" "$cluster/server.log" >>"$out/server_log_lines.txt"
    as_q fuzz "COPY (SELECT 'linear', coalesce(lin, 'not run'), count(*) FROM cases GROUP BY 2
                     UNION ALL SELECT 'backtrack', bt, count(*) FROM cases WHERE bt IS NOT NULL GROUP BY 2
                     UNION ALL SELECT 'kind ' || kind, coalesce(lin, 'not run'), count(*) FROM cases GROUP BY 1, 2
                     UNION ALL SELECT 'figures', 'linear ok with rows', count(*) FROM cases WHERE lin = 'ok' AND lin_rows > 0
                     UNION ALL SELECT 'figures', 'compared', count(*) FROM cases WHERE lin = 'ok' AND bt = 'ok'
                     UNION ALL SELECT 'figures', 'compared with rows', count(*) FROM cases WHERE lin = 'ok' AND bt = 'ok' AND lin_rows > 0
                     UNION ALL SELECT 'figures', 'disagreements', count(*) FROM cases
                               WHERE lin = 'ok' AND bt = 'ok' AND (lin_rows, lin_smd5) IS DISTINCT FROM (bt_rows, bt_smd5)
                     UNION ALL SELECT 'figures', 'same rows, other order', count(*) FROM cases
                               WHERE lin = 'ok' AND bt = 'ok' AND (lin_rows, lin_smd5) = (bt_rows, bt_smd5)
                                 AND lin_md5 <> bt_md5
                     UNION ALL SELECT 'figures', 'output rows', coalesce(sum(lin_rows), 0) FROM cases WHERE lin = 'ok'
                    ) TO STDOUT" >>"$work/stats.tsv"
    as_q fuzz "COPY (SELECT id, kind, input, clause, used_cols, cu, maxpm, wm, lin_rows, bt_rows
                     FROM cases WHERE lin = 'ok' AND bt = 'ok' AND (lin_rows, lin_smd5) IS DISTINCT FROM (bt_rows, bt_smd5)) TO STDOUT" >>"$out/mismatches.tsv"
    as_q fuzz "COPY (SELECT id, kind, input, clause, used_cols, lin_rows
                     FROM cases WHERE lin = 'ok' AND bt = 'ok' AND (lin_rows, lin_smd5) = (bt_rows, bt_smd5) AND lin_md5 <> bt_md5) TO STDOUT" >>"$out/order.tsv"
    # internal errors (XX000: elog) and other unexpected classes, with a case each
    as_q fuzz "COPY (SELECT DISTINCT ON (st, msg) st, msg, id, input, clause, used_cols FROM (
                       SELECT lin AS st, lin_msg AS msg, id, input, clause, used_cols FROM cases
                       UNION ALL SELECT bt, bt_msg, id, input, clause, used_cols FROM cases WHERE bt IS NOT NULL) s
                     WHERE st ~ '^(XX|58|53|55|57)' ORDER BY st, msg, length(clause)) TO STDOUT" >>"$out/internal.tsv"
    as_q fuzz "COPY (SELECT lin, lin_msg, count(*) FROM cases WHERE lin <> 'ok' GROUP BY 1, 2) TO STDOUT" >>"$work/messages.tsv"
    if [ -n "${MR_FUZZ_OUT:-}" ]; then
        as_q fuzz "COPY (SELECT id, kind, left(input, 2000), left(clause, 20000), cols, cols_mode, cu, maxpm, wm,
                                used_cols, lin, lin_rows, lin_msg, bt, bt_rows, bt_msg FROM cases) TO STDOUT" >>"$out/cases.tsv"
    fi
    as_log "chunk $chunks: $done_cases cases done, $(( $(date +%s) - t0 )) s"
    as_cluster_stop "$cluster"
    [ -n "$valgrind" ] && valgrind_errors
    cluster=
    flock -u 9
}

done_cases=0 b=0 crashes=0 hangs=0 uncaught=0 logerrs=0 vgprocs=0
: >"$out/valgrind.txt"
: >"$work/stats.tsv"; : >"$work/messages.tsv"
: >"$out/mismatches.tsv"; : >"$out/cases.tsv"; : >"$out/slow.txt"; : >"$out/order.tsv"; : >"$out/crashes.txt"; : >"$out/internal.tsv"; : >"$out/uncaught.txt"
t_start=$(date +%s)
chunks=0
while [ "$done_cases" -lt "$total" ]; do
    [ "$chunks" -gt 0 ] && sleep 5     # let others take the lock
    chunks=$((chunks + 1))
    run_chunk
done
t_end=$(date +%s)

sum() {
    echo "  $1:"
    awk -F'\t' -v k="$1" '$1 == k { s[$2] += $3 } END { for (o in s) printf "%d\t%s\n", s[o], o }' "$work/stats.tsv" |
        sort -nr | awk -F'\t' '{ printf "    %-26s %d\n", $2, $1 }'
}
echo "MATCH_RECOGNIZE function fuzz: $done_cases cases in $b batches, $chunks chunks, $((t_end - t_start)) s, seed $seed"
sum linear
sum backtrack
sum "kind grammar"; sum "kind grammar, clean"; sum "kind mutated"; sum "kind extreme"
sum figures
echo "  most frequent errors:"
awk -F'\t' '{ s[$1 "\t" $2] += $3 } END { for (k in s) printf "%d\t%s\n", s[k], k }' "$work/messages.tsv" |
    sort -nr | head -40 | sed 's/^/    /'
mismatches=$(wc -l <"$out/mismatches.tsv")
internal=$(wc -l <"$out/internal.tsv")
echo "  matcher disagreements: $mismatches; internal / resource errors (distinct): $internal"
[ "$internal" -gt 0 ] && cut -f1,2,3 "$out/internal.tsv" | head -20 | sed 's/^/    /'
echo "  statements over 0.5 s: $(wc -l <"$out/slow.txt")"
echo "  server crashes: $crashes, hangs: $hangs, uncaught errors: $uncaught"
echo "  PANIC/TRAP/signal lines in the server log: $logerrs"
[ -n "$valgrind" ] && echo "  valgrind: $vgprocs processes; errors with a frame in src/: $(grep -c '^[A-Z]' "$out/valgrind.txt") (stacks in $out/valgrind.txt)"
[ -s "$out/crashes.txt" ] && sed 's/^/    /' "$out/crashes.txt" | cut -c1-2000
[ "$crashes" -eq 0 ] && [ "$hangs" -eq 0 ] && [ "$mismatches" -eq 0 ] && [ "$logerrs" -eq 0 ]
