#!/usr/bin/env bash
# test/fuzz/window_pushdown.sh: differential fuzz of the GROUP BY pushdown
# of the window table functions (not part of scripts/test.sh).
#
# Builds and installs the extension (under the same machine-wide lock as
# scripts/test.sh), starts a throwaway cluster, makes random reads (NULL
# keys, values and times, duplicate times, two DST changes) and runs N
# random queries: a window kind with random sizes, slides and offsets, a
# time zone, grouping columns, aggregates (FILTER included), HAVING, over a
# random input query.  Each query runs with asset_stream.window_pushdown =
# on and = off; the sorted results must be equal, or both must fail with the
# same SQLSTATE.  Every case runs in its own EXCEPTION block.
#
# Reports the number of cases, how many were pushed down, errors by
# SQLSTATE, disagreements (kept in table fuzz_mismatch and printed) and
# crashes (a lost connection or a new pg_postmaster_start_time()); the last
# two must be 0.
#
# Usage: test/fuzz/window_pushdown.sh [cases] [seed]
set -u
. "$(dirname "$0")/../../scripts/lib.sh"

total=${1:-2000}
seed=${2:-42}
batch=250
as_fuzz_setup || exit 1

as_psql -d fuzz -v seed="$seed" <<'SQL' || exit 1
SELECT setseed(:seed / 1000.0);
CREATE TABLE rd AS
SELECT CASE WHEN random() < 0.03 THEN NULL ELSE 'a' || (random() * 6)::int END AS asset,
       CASE WHEN random() < 0.5 THEN 'dock' ELSE 'gate' END AS zone,
       CASE WHEN random() < 0.02 THEN NULL
            WHEN random() < 0.5 THEN timestamptz '2024-03-31 00:00+00' + random() * interval '5 hours'
            ELSE timestamptz '2024-10-26 23:00+00' + (random() * 300)::int * interval '1 minute' END AS t,
       CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 100)::int END AS v,
       (random() * 10)::numeric(6,2) AS x
FROM generate_series(1, 1500);
CREATE INDEX ON rd (asset, t);
ANALYZE rd;
CREATE TABLE fuzz_stats (outcome text PRIMARY KEY, n bigint);
CREATE TABLE fuzz_mismatch (q text, tz text, on_result text, off_result text);

CREATE FUNCTION pick(a text[]) RETURNS text LANGUAGE sql AS
  $fn$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $fn$;

CREATE FUNCTION run(q text, mode text, OUT res text, OUT state text, OUT pushed boolean)
LANGUAGE plpgsql AS $fn$
DECLARE p text;
BEGIN
  PERFORM set_config('asset_stream.window_pushdown', mode, true);
  pushed := false;
  FOR p IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    pushed := pushed OR p LIKE '%AssetStreamWindowAggregate%';
  END LOOP;
  EXECUTE 'SELECT string_agg(r::text, '';'' ORDER BY r::text) FROM (' || q || ') r' INTO res;
  state := 'ok';
EXCEPTION WHEN OTHERS THEN
  res := NULL; state := SQLSTATE;
END $fn$;

-- One random query.
CREATE FUNCTION gen() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  kind text := pick(ARRAY['tumble', 'tumble', 'hop', 'hop', 'cumulate', 'session', 'session']);
  input text := pick(ARRAY['SELECT * FROM rd', 'SELECT * FROM rd WHERE v > 20',
                           'SELECT asset, zone, t, v, x FROM rd ORDER BY v',
                           'SELECT asset, zone, t::timestamp AS t, v, x FROM rd',
                           'SELECT * FROM rd UNION ALL SELECT * FROM rd WHERE zone = ''gate''']);
  sz text := pick(ARRAY['1 minute', '7 minutes', '10 minutes', '25 minutes', '1 hour', '90 minutes', '1 day']);
  sl text := pick(ARRAY['1 minute', '5 minutes', '10 minutes', '30 minutes', '1 hour']);
  off text := pick(ARRAY['0', '0', '2 minutes', '-20 minutes', '1 hour']);
  ttype text := CASE WHEN input LIKE '%::timestamp%' THEN 'timestamp' ELSE 'timestamptz' END;
  keys text[] := '{}';
  wcols text[];
  args text;
  aggs text := pick(ARRAY['count(*)', 'count(v)', 'sum(v)', 'avg(x)', 'min(v)', 'max(zone)',
                          'sum(v) FILTER (WHERE zone = ''dock'')', 'bool_or(v > 50)',
                          'sum(v * 2 + 1)', 'count(*) * 10 + 1']);
  cols text;
  q text;
BEGIN
  IF random() < 0.7 THEN aggs := aggs || ', ' || pick(ARRAY['count(*)', 'avg(v)', 'max(x)', 'stddev(v)', 'min(asset)']); END IF;
  IF kind = 'session' THEN
    IF random() < 0.75 THEN keys := ARRAY['asset']::text[]; END IF;
    IF keys <> '{}' AND random() < 0.3 THEN keys := pick(ARRAY['{asset,zone}', '{zone,asset}'])::text[]; END IF;
    wcols := string_to_array(pick(ARRAY['window_start', 'window_end', 'window_start,window_end']), ',');
    args := format('%L, %L, %L, %s', input, 't', sz,
                   CASE WHEN keys = '{}' THEN 'NULL'
                        ELSE quote_literal(pick(ARRAY[array_to_string(keys, ', '), array_to_string(keys, ',')])) END);
  ELSE
    IF random() < 0.7 THEN keys := array_append(keys, 'asset'); END IF;
    IF random() < 0.3 THEN keys := array_append(keys, 'zone'); END IF;
    IF kind = 'cumulate' THEN
      wcols := string_to_array(pick(ARRAY['window_end', 'window_time', 'window_start,window_end']), ',');
    ELSE
      wcols := string_to_array(pick(ARRAY['window_start', 'window_end', 'window_time', 'window_start,window_end']), ',');
    END IF;
    IF kind = 'tumble' THEN
      args := format('%L, %L, %L, %L', input, 't', sz, off);
    ELSIF kind = 'hop' THEN
      args := format('%L, %L, %L, %L, %L', input, 't', sl, sz, off);
    ELSE
      args := format('%L, %L, %L, %L, %L', input, 't', sl, (ARRAY['1 hour', '2 hours', '1 day'])[1 + floor(random() * 3)::int], off);
    END IF;
  END IF;
  cols := array_to_string(keys || wcols, ', ');
  q := format('SELECT %s, %s FROM asset_stream.%s(%s) AS w(asset text, zone text, v int, x numeric, %s) GROUP BY %s',
              cols, aggs, kind, args,
              array_to_string(ARRAY(SELECT c || ' ' || ttype FROM unnest(wcols) c), ', '), cols);
  IF random() < 0.2 THEN q := q || ' HAVING count(*) > 1'; END IF;
  RETURN q;
END $fn$;
SQL

as_psql -d fuzz <<'SQL' || exit 1
CREATE PROCEDURE fuzz_batch(n int) LANGUAGE plpgsql AS $do$
DECLARE
  q text; tz text; a record; b record;
BEGIN
  FOR i IN 1 .. n LOOP
    q := gen();
    tz := pick(ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu']);
    PERFORM set_config('TimeZone', tz, false);
    SELECT * INTO a FROM run(q, 'on');
    SELECT * INTO b FROM run(q, 'off');
    INSERT INTO fuzz_stats VALUES (CASE WHEN a.state <> 'ok' THEN 'error ' || a.state
                                        WHEN a.pushed THEN 'pushed down' ELSE 'not pushed down' END, 1)
      ON CONFLICT (outcome) DO UPDATE SET n = fuzz_stats.n + 1;
    IF a.state IS DISTINCT FROM b.state OR a.res IS DISTINCT FROM b.res THEN
      INSERT INTO fuzz_mismatch VALUES (q, tz, coalesce(a.res, a.state), coalesce(b.res, b.state));
    END IF;
  END LOOP;
END $do$;
SQL

cases=0 crashes=0
start=$(as_psql -d fuzz -At -c "SELECT pg_postmaster_start_time()")
while [ "$cases" -lt "$total" ]; do
    n=$(( total - cases < batch ? total - cases : batch ))
    as_psql -d fuzz -q -v ON_ERROR_STOP=1 -c "CALL fuzz_batch($n)" >"$work/batch.log" 2>&1 ||
        { crashes=$((crashes + 1)); tail -3 "$work/batch.log"; }
    cases=$((cases + n))
done
now=$(as_psql -d fuzz -At -c "SELECT pg_postmaster_start_time()" 2>/dev/null)
[ "$now" = "$start" ] || crashes=$((crashes + 1))
mism=$(as_psql -d fuzz -At -c "SELECT count(*) FROM fuzz_mismatch")
echo "window pushdown fuzz: $cases cases, seed $seed"
as_psql -d fuzz -At -c "SELECT outcome || ': ' || n FROM fuzz_stats ORDER BY outcome"
echo "disagreements: $mism"
as_psql -d fuzz -At -c "SELECT tz || ' | ' || q || E'\n  on:  ' || left(on_result, 300) || E'\n  off: ' || left(off_result, 300) FROM fuzz_mismatch LIMIT 5"
echo "crashes: $crashes"
[ "$mism" = 0 ] && [ "$crashes" = 0 ]
