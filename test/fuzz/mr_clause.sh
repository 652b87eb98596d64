#!/usr/bin/env bash
# test/fuzz/mr_clause.sh: fuzz the MATCH_RECOGNIZE clause parser and the
# matchers (not part of scripts/test.sh).
#
# Builds and installs the extension (under the same machine-wide lock as
# scripts/test.sh), starts a throwaway cluster and runs N cases (default
# 120000) in batches: each batch is one psql call whose plpgsql loop
# generates clauses from a grammar (valid and nearly valid ones: every
# clause element, quoting, comments, keywords as names, extensions),
# mutates most of them (byte flips, insertions, deletions, truncations,
# token shuffles, duplicated spans) or builds an extreme one (deep nesting,
# huge quantifiers, long lists and names), and runs each through _mr_parse,
# then those that parse through _mr_match and, on short inputs,
# _mr_match_backtrack (whose result must equal _mr_match's unless it hits
# its step limit).  Every case runs in its own EXCEPTION block.
#
# Reports the number of cases, outcomes by SQLSTATE per function, matcher
# disagreements and crashes.  A crash is a batch whose connection was lost
# or a change of pg_postmaster_start_time(); both must be 0.
#
# Usage: test/fuzz/mr_clause.sh [cases] [seed]
set -u
. "$(dirname "$0")/../../scripts/lib.sh"

total=${1:-120000}
seed=${2:-42}
batch=4000
as_fuzz_setup || exit 1

as_psql -d fuzz <<'SQL' || exit 1
CREATE TABLE fuzz_stats (fn text, outcome text, n bigint, PRIMARY KEY (fn, outcome));
CREATE TABLE fuzz_mismatch (clause text, rows text[], linear text, backtrack text);

CREATE FUNCTION pick(a text[]) RETURNS text LANGUAGE sql AS
  $fn$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $fn$;

CREATE FUNCTION ws() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.85 THEN ' '
              ELSE pick(ARRAY[E'\n', E'\t', ' -- c, )( ' || E'\n', ' /* x /* y */ , */ ', '  '])
         END $fn$;

-- Mostly a, b, c (so that many clauses are valid), sometimes an odd name.
CREATE FUNCTION var() RETURNS text LANGUAGE sql AS $fn$
  SELECT CASE WHEN random() < 0.8 THEN pick(ARRAY['a', 'b', 'c', 'A', 'B'])
              ELSE pick(ARRAY['d', '"Q"', '"q"', 'last', 'first', 'next', '"row"', 'permute',
                              'Ä', 'x_1', '"a b"', 'pattern']) END $fn$;

CREATE FUNCTION pat(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random(); n int := 1 + floor(random() * 3)::int; s text[] := '{}';
BEGIN
  IF depth > 4 OR r < 0.35 THEN
    RETURN pick(ARRAY[var(), var(), var(), '()', '^', '$']);
  ELSIF r < 0.55 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN array_to_string(s, ws());
  ELSIF r < 0.7 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN '(' || array_to_string(s, ' | ') || ')';
  ELSIF r < 0.9 THEN
    RETURN '(' || pat(depth + 1) || ')' ||
           pick(ARRAY['*', '+', '?', '{2}', '{1,}', '{,3}', '{0,2}', '{,}', '{0}', '{3,1}',
                      '{' || floor(random() * 6)::int || ',' || floor(random() * 9)::int || '}']) ||
           CASE WHEN random() < 0.3 THEN '?' ELSE '' END;
  ELSIF r < 0.96 THEN
    FOR i IN 1..n LOOP s := s || pat(depth + 1); END LOOP;
    RETURN 'PERMUTE(' || array_to_string(s, ', ') || ')';
  ELSE
    RETURN '{- ' || pat(depth + 1) || ' -}';
  END IF;
END $fn$;

CREATE FUNCTION expr(depth int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE r float8 := random();
BEGIN
  IF depth > 2 OR r < 0.4 THEN
    RETURN pick(ARRAY['x', 'A.x', 'b.rssi', '"Zone"', '1', '-2.5', '''s,t''', '''it''''s''',
                      'E''\''x''', '$$a,b$$', '$t$ ) $t$', 'NULL', 'count(*)', 'count(A.*)',
                      'PREV(A.x, 2)', 'CLASSIFIER()', 'MATCH_NUMBER()', 'arr[1]', 'y',
                      'pg_catalog.upper(x)', 'x::pg_catalog.int4', 'FINAL LAST(a.x)', 'RUNNING sum(x)']);
  ELSIF r < 0.7 THEN
    RETURN expr(depth + 1) || ws() || pick(ARRAY['+', '>', 'AND', 'OR', '||', '=', 'IS DISTINCT FROM', ',']) ||
           ws() || expr(depth + 1);
  ELSIF r < 0.85 THEN
    RETURN pick(ARRAY['f', 'coalesce', 'array_agg', 'CAST']) || '(' || expr(depth + 1) ||
           pick(ARRAY[')', ', 1)', ' ORDER BY t)', ' AS int)', ' ORDER BY t DESC)']);
  ELSE
    RETURN '(' || pick(ARRAY['SELECT max(t.v) FROM t WHERE t.k = ', '']) || expr(depth + 1) || ')';
  END IF;
END $fn$;

CREATE FUNCTION intv() RETURNS text LANGUAGE sql AS $fn$
  SELECT pick(ARRAY['INTERVAL ''10 minutes''', '''2 hours''', 'INTERVAL ''2'' HOUR', 'INTERVAL ''1-2'' YEAR TO MONTH',
                    '''0 s''', '''-1 h''', '''soon''', 'INTERVAL ''1'' DAY TO SECOND', '10 minutes']) $fn$;

CREATE FUNCTION clause() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE s text := ''; n int;
BEGIN
  IF random() < 0.4 THEN
    s := s || 'PARTITION BY ' || expr(0);
    IF random() < 0.4 THEN s := s || ',' || ws() || expr(0); END IF;
    s := s || ws();
  END IF;
  IF random() < 0.5 THEN
    s := s || 'ORDER BY ' || expr(1) || pick(ARRAY['', ' ASC', ' DESC', ' NULLS FIRST', ' DESC NULLS LAST', ' NULLS']);
    IF random() < 0.3 THEN s := s || ', ' || expr(1); END IF;
    s := s || ws();
  END IF;
  IF random() < 0.4 THEN
    s := s || 'MEASURES ' || expr(0) || ' AS m1';
    IF random() < 0.5 THEN s := s || ',' || ws() || expr(0) || ' AS ' || pick(ARRAY['m2', '"M"', 'm1', 'last']); END IF;
    s := s || ws();
  END IF;
  IF random() < 0.5 THEN
    s := s || pick(ARRAY['ONE ROW PER MATCH', 'ALL ROWS PER MATCH', 'ALL ROWS PER MATCH SHOW EMPTY MATCHES',
                         'ALL ROWS PER MATCH OMIT EMPTY MATCHES', 'ALL ROWS PER MATCH WITH UNMATCHED ROWS']) || ws();
  END IF;
  IF random() < 0.5 THEN
    s := s || 'AFTER MATCH SKIP ' || pick(ARRAY['PAST LAST ROW', 'TO NEXT ROW', 'TO FIRST ' || var(),
                                                 'TO LAST ' || var(), 'TO ' || var()]) || ws();
  END IF;
  s := s || 'PATTERN (' || pat(0) || ')' || ws();
  IF random() < 0.2 THEN
    s := s || 'WITHIN ' || intv() || CASE WHEN random() < 0.5 THEN ' EMIT TIMEOUTS' ELSE '' END || ws();
  END IF;
  IF random() < 0.15 THEN
    s := s || 'FOLLOWED BY NO ' || pick(ARRAY['ROW', var()]) || ' FOR ' || intv() || ws();
  END IF;
  IF random() < 0.3 THEN
    s := s || 'SUBSET ' || pick(ARRAY['u', 'v', '"U"', 'a']) || ' = (' || var() ||
         CASE WHEN random() < 0.6 THEN ', ' || var() ELSE '' END || ')' || ws();
  END IF;
  IF random() < 0.02 THEN
    s := s || 'DEFINE z.q AS x';
  ELSIF random() < 0.7 THEN
    s := s || 'DEFINE ' || var() || ' AS ' || expr(0);
    n := floor(random() * 3)::int;
    FOR i IN 1..n LOOP s := s || ',' || ws() || var() || ' AS ' || expr(0); END LOOP;
  END IF;
  RETURN s;
END $fn$;

-- Mutations of a clause.
CREATE FUNCTION mutate(s text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  len int := length(s);
  p int := 1 + floor(random() * greatest(len, 1))::int;
  q int := p + floor(random() * 12)::int;
  r float8 := random();
  toks text[];
  i int; j int; t text;
  junk text := pick(ARRAY['(', ')', '{', '}', '{-', '-}', '|', '^', '$', '*', '+', '?', ',', '''', '"',
                           '/*', '*/', '--', E'\n', '$$', '$t$', '.', '=', ';', '[', ']', '\', 'E''',
                           chr(1 + floor(random() * 126)::int), chr(128 + floor(random() * 1000)::int),
                           'PATTERN', 'DEFINE', 'AS', 'SKIP', 'MATCH', 'ROWS', '{99999}', '{100001}',
                           '{,2147483648}', 'PERMUTE(']);
BEGIN
  IF r < 0.25 THEN           -- replace one character
    RETURN overlay(s placing junk from p for 1);
  ELSIF r < 0.45 THEN        -- insert
    RETURN overlay(s placing junk from p for 0);
  ELSIF r < 0.55 THEN        -- delete a span
    RETURN overlay(s placing '' from p for q - p);
  ELSIF r < 0.7 THEN         -- truncate
    RETURN left(s, p);
  ELSIF r < 0.85 THEN        -- swap tokens
    toks := regexp_split_to_array(s, '\s+');
    FOR k IN 1..1 + floor(random() * 3)::int LOOP
      i := 1 + floor(random() * array_length(toks, 1))::int;
      j := 1 + floor(random() * array_length(toks, 1))::int;
      t := toks[i]; toks[i] := toks[j]; toks[j] := t;
    END LOOP;
    RETURN array_to_string(toks, ' ');
  ELSE                       -- duplicate a span
    RETURN overlay(s placing substr(s, p, q - p) from q for 0);
  END IF;
END $fn$;

-- Extreme inputs.
CREATE FUNCTION extreme() RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE n int := 1 + floor(random() * 3000)::int;
BEGIN
  RETURN pick(ARRAY[
    'PATTERN (' || repeat('(', n) || 'a' || repeat(')', n) || ')',
    'PATTERN (' || repeat('(', n) || 'a' || ')',
    'PATTERN (' || repeat('{- ', n) || 'a' || repeat(' -}', n) || ')',
    'PATTERN (' || repeat('(a', n) || repeat(')*', n) || ')',
    'PATTERN (a' || repeat(' | b', n * 10) || ')',
    'PATTERN (' || repeat('a ', n * 10) || ')',
    'PATTERN (a{' || (floor(random() * 200000))::int || '})',
    'PATTERN ((a{' || (floor(random() * 2000))::int || '}){' || (floor(random() * 2000))::int || ',})',
    'PATTERN (a{' || repeat('9', 1 + floor(random() * 30)::int) || ',})',
    'PATTERN (PERMUTE(' || (SELECT string_agg('v' || i, ', ') FROM generate_series(1, 1 + n % 12) i) || '))',
    'PATTERN (' || (SELECT string_agg('v' || i, ' ') FROM generate_series(1, n) i) || ')',
    'PATTERN (' || repeat('x', n) || ')',
    'PATTERN (a) DEFINE a AS ' || repeat('(', n * 20) || 'x' || repeat(')', n * 20),
    'PATTERN (a) DEFINE a AS ' || repeat('''', n),
    'PARTITION BY ' || repeat('x, ', n) || 'y PATTERN (a)',
    'MEASURES ' || (SELECT string_agg('x AS m' || i, ', ') FROM generate_series(1, n) i) || ' PATTERN (a)',
    repeat('/*', n) || ' PATTERN (a)',
    'PATTERN (' || repeat('^*', n) || repeat('()*', n) || ')',
    'PATTERN ((((a*)*)*)* b)',
    'PATTERN (' || repeat('a?', 200) || repeat('a', 200) || ')']);
END $fn$;

CREATE FUNCTION note(fn text, outcome text) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO fuzz_stats VALUES (fn, outcome, 1)
  ON CONFLICT (fn, outcome) DO UPDATE SET n = fuzz_stats.n + 1 $fn$;

CREATE FUNCTION run_matcher(fn text, c text, rows text[]) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE res text;
BEGIN
  EXECUTE format('SELECT coalesce(string_agg(concat_ws(%L, match_number, row_index, classifier), %L), %L) FROM asset_stream.%I($1, $2)',
                 ':', ' ', '', fn) INTO res USING c, rows;
  RETURN res;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $fn$;

CREATE FUNCTION fuzz_batch(seed float8, n int) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  c text; r float8; rows text[]; lin text; bt text; st text;
  local_stats jsonb := '{}';
BEGIN
  PERFORM setseed(seed);
  FOR i IN 1..n LOOP
    r := random();
    IF r < 0.1 THEN c := extreme();
    ELSIF r < 0.4 THEN c := clause();
    ELSE
      c := mutate(clause());
      IF random() < 0.4 THEN c := mutate(c); END IF;
    END IF;
    BEGIN
      PERFORM asset_stream._mr_parse(c);
      st := 'ok';
    EXCEPTION WHEN OTHERS THEN
      st := SQLSTATE;
    END;
    PERFORM note('_mr_parse', st);
    IF st = 'ok' THEN
      rows := (SELECT coalesce(array_agg(concat_ws(' ', CASE WHEN random() < 0.5 THEN pick(ARRAY['a', 'A', 'b', 'c', 'last', '"Q"', '"q"']) END,
                                                         CASE WHEN random() < 0.4 THEN pick(ARRAY['b', 'd', 'first', 'permute', 'x_1', '"row"']) END)), '{}')
                 FROM generate_series(1, floor(random() * 12)::int));
      lin := run_matcher('_mr_match', c, rows);
      PERFORM note('_mr_match', CASE WHEN lin LIKE 'ERROR%' THEN substr(lin, 7) ELSE 'ok' END);
      IF cardinality(rows) <= 8 THEN
        bt := run_matcher('_mr_match_backtrack', c, rows);
        PERFORM note('_mr_match_backtrack', CASE WHEN bt LIKE 'ERROR%' THEN substr(bt, 7) ELSE 'ok' END);
        IF lin IS DISTINCT FROM bt AND bt <> 'ERROR 54000' AND bt <> 'ERROR 54001' THEN
          INSERT INTO fuzz_mismatch VALUES (c, rows, lin, bt);
        END IF;
      END IF;
    END IF;
  END LOOP;
END $fn$;
SQL

start=$(as_q fuzz "SELECT pg_postmaster_start_time()")
crashes=0 timeouts=0 done_cases=0 b=0
t0=$(date +%s)
while [ "$done_cases" -lt "$total" ]; do
    b=$((b + 1))
    n=$(( total - done_cases < batch ? total - done_cases : batch ))
    bseed=$(awk -v s="$seed" -v b="$b" 'BEGIN { srand(s * 1000 + b); printf "%.6f", rand() * 2 - 1 }')
    out=$(as_run "$AS_PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d fuzz \
            -c "SET statement_timeout = '600s'" -c "SELECT fuzz_batch($bseed, $n)" 2>&1)
    rc=$?
    now=$(as_q fuzz "SELECT pg_postmaster_start_time()" 2>/dev/null)
    if [ "$now" != "$start" ]; then
        crashes=$((crashes + 1))
        as_log "batch $b (seed $bseed): server restarted: $out"
        as_wait_for fuzz "SELECT true" || { as_log "server did not come back"; break; }
        start=$(as_q fuzz "SELECT pg_postmaster_start_time()")
    elif [ $rc -ne 0 ]; then
        case "$out" in
            *"statement timeout"*) timeouts=$((timeouts + 1)) ;;
            *) crashes=$((crashes + 1)) ;;
        esac
        as_log "batch $b (seed $bseed) failed: $out"
    fi
    done_cases=$((done_cases + n))
done
t1=$(date +%s)

echo "MATCH_RECOGNIZE clause fuzz: $done_cases cases in $b batches, $((t1 - t0)) s, seed $seed"
as_q fuzz "SELECT format('  %-20s %-6s %s', fn, outcome, n) FROM fuzz_stats ORDER BY fn, n DESC"
mismatches=$(as_q fuzz "SELECT count(*) FROM fuzz_mismatch")
echo "  matcher disagreements: $mismatches"
[ "$mismatches" -gt 0 ] && as_q fuzz "SELECT clause, rows, linear, backtrack FROM fuzz_mismatch LIMIT 5"
echo "  server crashes: $crashes, batch timeouts: $timeouts"
errs=$(grep -cE "PANIC|TRAP|terminated by signal|server process .* was terminated" "$cluster/server.log")
echo "  PANIC/TRAP/signal lines in the server log: $errs"
[ "$crashes" -eq 0 ] && [ "$timeouts" -eq 0 ] && [ "$mismatches" -eq 0 ] && [ "$errs" -eq 0 ]
