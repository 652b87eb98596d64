-- pgTAP: the push MATCH_RECOGNIZE matcher (thread list with equivalence
-- pruning) equals the reference backtracker on random patterns x random
-- DEFINE results, in every rows-per-match and skip mode, errors included:
-- through _mr_match / _mr_match_backtrack, and through _mr_match_stream with
-- conditions on the label history, WITHIN, EMIT TIMEOUTS and FOLLOWED BY NO
-- over random times, the matcher serialized and restored after every row,
-- and watermarks between rows.  The pattern deparser round-trips.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(42);

SELECT setseed(0.2016);

-- A random pattern over a, b, c from a small grammar: variables, (), ^, $,
-- concatenation, alternation, quantifiers (greedy and reluctant, bounds up
-- to 3), PERMUTE and exclusion.
CREATE FUNCTION pg_temp.gen(depth int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r float8 := random();
  n int;
  parts text[] := '{}';
  q text;
  lo int;
  hi int;
BEGIN
  IF depth >= 3 OR r < 0.35 THEN
    r := random();
    RETURN CASE WHEN r < 0.35 THEN 'a' WHEN r < 0.65 THEN 'b' WHEN r < 0.85 THEN 'c'
                WHEN r < 0.91 THEN '()' WHEN r < 0.96 THEN '^' ELSE '$' END;
  END IF;
  n := 2 + (random() * 1.2)::int;
  IF r < 0.55 THEN
    FOR i IN 1..n LOOP parts := parts || pg_temp.gen(depth + 1); END LOOP;
    RETURN array_to_string(parts, ' ');
  ELSIF r < 0.7 THEN
    FOR i IN 1..n LOOP parts := parts || pg_temp.gen(depth + 1); END LOOP;
    RETURN '(' || array_to_string(parts, ' | ') || ')';
  ELSIF r < 0.92 THEN
    lo := (random() * 2)::int;
    hi := lo + (random() * 2)::int;
    r := random();
    q := CASE WHEN r < 0.25 THEN '*' WHEN r < 0.45 THEN '+' WHEN r < 0.6 THEN '?'
              WHEN r < 0.7 THEN '{' || lo || '}' WHEN r < 0.8 THEN '{' || lo || ',}'
              WHEN r < 0.87 THEN '{,' || hi || '}' ELSE '{' || lo || ',' || hi || '}' END;
    IF random() < 0.4 THEN q := q || '?'; END IF;
    RETURN '(' || pg_temp.gen(depth + 1) || ')' || q;
  ELSIF r < 0.97 THEN
    FOR i IN 1..n LOOP parts := parts || pg_temp.gen(depth + 1); END LOOP;
    RETURN 'PERMUTE(' || array_to_string(parts, ', ') || ')';
  ELSE
    RETURN '{- ' || pg_temp.gen(depth + 1) || ' -}';
  END IF;
END $$;

-- Random DEFINE results: up to 9 rows, each a random subset of a, b, c.
CREATE FUNCTION pg_temp.gen_rows() RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(concat_ws(' ', CASE WHEN random() < 0.6 THEN 'a' END,
                                           CASE WHEN random() < 0.45 THEN 'b' END,
                                           CASE WHEN random() < 0.3 THEN 'c' END)), '{}')
    FROM generate_series(1, (random() * 9)::int)
$$;

-- A random rows-per-match mode and AFTER MATCH SKIP for pattern pat (no WITH
-- UNMATCHED ROWS with exclusion; SKIP TO a variable the pattern has).
CREATE FUNCTION pg_temp.gen_modes(pat text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r float8;
  modes text;
BEGIN
    r := random();
    modes := CASE WHEN r < 0.25 THEN 'ONE ROW PER MATCH'
                  WHEN r < 0.5 THEN 'ALL ROWS PER MATCH'
                  WHEN r < 0.65 THEN 'ALL ROWS PER MATCH OMIT EMPTY MATCHES'
                  WHEN pat LIKE '%{-%' THEN 'ALL ROWS PER MATCH SHOW EMPTY MATCHES'
                  ELSE 'ALL ROWS PER MATCH WITH UNMATCHED ROWS' END;
    r := random();
    modes := modes || CASE WHEN r < 0.4 THEN ''
                           WHEN r < 0.7 THEN ' AFTER MATCH SKIP TO NEXT ROW'
                           WHEN r < 0.8 AND pat ~ '\ma\M' THEN ' AFTER MATCH SKIP TO FIRST a'
                           WHEN r < 0.9 AND pat ~ '\mb\M' THEN ' AFTER MATCH SKIP TO LAST b'
                           ELSE ' AFTER MATCH SKIP PAST LAST ROW' END;
  RETURN modes;
END $$;

-- One matcher's output as text, or its error.
CREATE FUNCTION pg_temp.run(fn text, clause text, rows text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE res text;
BEGIN
  EXECUTE format($q$SELECT coalesce(string_agg(coalesce(match_number::text, '-') || ':' ||
                   coalesce(row_index::text, '-') || coalesce('=' || classifier, ''), ' ' ORDER BY ord), '')
                 FROM asset_stream.%I($1, $2) WITH ORDINALITY AS t(match_number, row_index, classifier, ord)$q$, fn)
    INTO res USING clause, rows;
  RETURN res;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- n random patterns with a random mode each, k row sequences per pattern:
-- the first disagreement, or NULL.  Also counts what was exercised.
CREATE TEMP TABLE stats (matched int, empty int, errors int, cases int);
CREATE FUNCTION pg_temp.compare_batch(n int, k int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  pat text;
  clause text;
  rows text[];
  lin text;
  bt text;
  modes text;
  s_matched int := 0;
  s_empty int := 0;
  s_errors int := 0;
  s_cases int := 0;
BEGIN
  FOR i IN 1..n LOOP
    pat := pg_temp.gen(0);
    modes := pg_temp.gen_modes(pat);
    clause := modes || ' PATTERN (' || pat || ')';
    FOR j IN 1..k LOOP
      rows := pg_temp.gen_rows();
      lin := pg_temp.run('_mr_match', clause, rows);
      bt := pg_temp.run('_mr_match_backtrack', clause, rows);
      s_cases := s_cases + 1;
      IF lin IS DISTINCT FROM bt THEN
        RETURN format('%s over %s: linear [%s] backtrack [%s]', clause, rows, lin, bt);
      END IF;
      IF lin LIKE 'ERROR%' THEN s_errors := s_errors + 1;
      ELSIF lin ~ '^[0-9]+:[0-9]' OR lin ~ ' [0-9]+:[0-9]' THEN s_matched := s_matched + 1;
      ELSIF lin ~ '[0-9]+:-' THEN s_empty := s_empty + 1;
      END IF;
    END LOOP;
  END LOOP;
  INSERT INTO stats VALUES (s_matched, s_empty, s_errors, s_cases);
  RETURN NULL;
END $$;

SELECT is(pg_temp.compare_batch(150, 4), NULL, format('batch %s: linear matcher = backtracker on 150 random patterns x 4 sequences', b))
  FROM generate_series(1, 20) b;

-- The batches were not vacuous.
SELECT cmp_ok((SELECT sum(cases) FROM stats)::int, '=', 12000, '12000 cases compared');
SELECT cmp_ok((SELECT sum(matched) FROM stats)::int, '>', 3000, 'many cases had non-empty matches');
SELECT cmp_ok((SELECT sum(empty) FROM stats)::int, '>', 300, 'many cases had only empty matches');
SELECT cmp_ok((SELECT sum(errors) FROM stats)::int, '>', 20, 'some cases raised the same skip error in both matchers');

-- ------------------------------------------------ the stream matcher

-- DEFINE results with conditions on the history: "v/u" makes v true at the
-- row if the row before it in the match is labelled u.
CREATE FUNCTION pg_temp.gen_item(v text, p float8, cond bool) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN NOT cond THEN CASE WHEN random() < p THEN v END
              WHEN random() < 0.25 THEN v
              WHEN random() < 0.7 THEN v || '/' || (ARRAY['a', 'b', 'c'])[1 + floor(random() * 3)::int]
                   || CASE WHEN random() < 0.4
                           THEN ' ' || v || '/' || (ARRAY['a', 'b', 'c'])[1 + floor(random() * 3)::int]
                           ELSE '' END
         END
$$;
CREATE FUNCTION pg_temp.gen_rows_h(n int, cond bool) RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(concat_ws(' ', pg_temp.gen_item('a', 0.6, cond), pg_temp.gen_item('b', 0.45, cond),
                                           pg_temp.gen_item('c', 0.3, cond),
                                           CASE WHEN random() < 0.1 THEN 'd' END) ORDER BY g), '{}')
    FROM generate_series(1, n) g
$$;
-- Non-decreasing times, 0 to 2 minutes apart.
CREATE FUNCTION pg_temp.gen_times(n int) RETURNS timestamptz[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(timestamptz '2024-01-01 00:00+00' + make_interval(mins => s::int) ORDER BY g), '{}')
    FROM (SELECT g, sum(floor(random() * 3)) OVER (ORDER BY g) AS s FROM generate_series(1, n) g) x
$$;

CREATE FUNCTION pg_temp.run_stream(clause text, rows text[], times timestamptz[], until timestamptz,
                                   rt bool, hf bool, wm bool, ref bool) RETURNS text LANGUAGE plpgsql AS $$
DECLARE res text;
BEGIN
  SELECT coalesce(string_agg(coalesce(match_number::text, '-') || ':' || coalesce(row_index::text, '-')
                             || coalesce('=' || classifier, '') || coalesce('/' || left(status, 1), ''),
                             ' ' ORDER BY ord), '')
    INTO res
    FROM asset_stream._mr_match_stream(clause, rows, times, until, roundtrip => rt, history_free => hf,
                                       watermarks => wm, reference => ref)
         WITH ORDINALITY AS t(match_number, row_index, classifier, status, ord);
  RETURN res;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- n random clauses (patterns as above, or an alternation in a loop, which
-- makes threads with other histories meet), each over one random input:
-- the first disagreement between the push matcher and the reference, or
-- NULL.  Counts what was exercised.
CREATE TEMP TABLE stream_stats (kind text);
CREATE FUNCTION pg_temp.compare_stream(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  pat text; clause text; rows text[]; times timestamptz[]; until timestamptz;
  push text; ref text; r float8; modes text; ext text; absent text;
  cond bool; hf bool; rt bool; wm bool;
BEGIN
  FOR i IN 1..n LOOP
    pat := CASE WHEN random() < 0.5 THEN pg_temp.gen(0)
                ELSE '(' || pg_temp.gen(2) || ' | ' || pg_temp.gen(2) || ' | ' || pg_temp.gen(2) || ')'
                     || (ARRAY['+', '*', '{2,}', '+?'])[1 + floor(random() * 4)::int] || ' ' || pg_temp.gen(1) END;
    modes := pg_temp.gen_modes(pat);
    r := random();
    ext := CASE WHEN r < 0.3 THEN ''
                WHEN r < 0.6 THEN format(' WITHIN INTERVAL %L', (1 + floor(random() * 6)::int) || ' minutes')
                ELSE format(' WITHIN INTERVAL %L EMIT TIMEOUTS', (1 + floor(random() * 6)::int) || ' minutes') END;
    absent := NULL;
    IF random() < 0.4 THEN
      absent := (ARRAY['ROW', 'a', 'b', 'c', 'd'])[1 + floor(random() * 5)::int];
      ext := ext || format(' FOLLOWED BY NO %s FOR INTERVAL %L', absent, (1 + floor(random() * 4)::int) || ' minutes');
    END IF;
    clause := modes || ' PATTERN (' || pat || ')' || ext
              || CASE WHEN absent <> 'ROW' THEN ' DEFINE ' || absent || ' AS true' ELSE '' END;
    cond := random() < 0.4;
    hf := NOT cond AND random() < 0.5;
    rt := random() < 0.25;
    wm := random() < 0.25;
    rows := pg_temp.gen_rows_h(floor(random() * 15)::int, cond);
    times := pg_temp.gen_times(cardinality(rows));
    until := CASE WHEN random() < 0.5 OR cardinality(rows) = 0 THEN 'infinity'
                  ELSE times[cardinality(rows)] + make_interval(mins => floor(random() * 8)::int) END;
    push := pg_temp.run_stream(clause, rows, times, until, rt, hf, wm, false);
    ref := pg_temp.run_stream(clause, rows, times, until, false, hf, false, true);
    IF push IS DISTINCT FROM ref THEN
      RETURN format('%s over %s at %s until %s (roundtrip %s, history_free %s, watermarks %s): push [%s] reference [%s]',
                    clause, rows, times, until, rt, hf, wm, push, ref);
    END IF;
    INSERT INTO stream_stats
      SELECT k FROM unnest(ARRAY[
        'case',
        CASE WHEN push LIKE 'ERROR%' THEN 'error' END,
        CASE WHEN push ~ '/T' THEN 'timeout' END,
        CASE WHEN push ~ '[0-9]+:[0-9]+=[A-Z]+/M' AND ext LIKE '%WITHIN%' THEN 'within match' END,
        CASE WHEN push ~ '[0-9]+:[0-9]+=[A-Z]+/M' AND absent IS NOT NULL THEN 'absence match' END,
        CASE WHEN push ~ '[0-9]+:[0-9]+=[A-Z]+/M' AND cond THEN 'history match' END,
        CASE WHEN rt THEN 'roundtrip' END]) AS k
      WHERE k IS NOT NULL;
  END LOOP;
  RETURN NULL;
END $$;

SELECT is(pg_temp.compare_stream(400), NULL,
          format('stream batch %s: push matcher = reference on 400 random clauses with history conditions, WITHIN, EMIT TIMEOUTS, FOLLOWED BY NO', b))
  FROM generate_series(1, 10) b;

SELECT cmp_ok((SELECT count(*)::int FROM stream_stats WHERE kind = 'case'), '=', 4000, '4000 stream cases compared');
SELECT cmp_ok((SELECT count(*)::int FROM stream_stats WHERE kind = 'timeout'), '>', 150, 'many had timed-out matches');
SELECT cmp_ok((SELECT count(*)::int FROM stream_stats WHERE kind = 'absence match'), '>', 300, 'many had matches after an absence');
SELECT cmp_ok((SELECT count(*)::int FROM stream_stats WHERE kind = 'history match'), '>', 300, 'many had matches under history conditions');
SELECT cmp_ok((SELECT count(*)::int FROM stream_stats WHERE kind = 'roundtrip'), '>', 800, 'many ran with serialize / restore after every row');

-- Deparse round trip: parse(deparse(p)) deparses to the same text and tree.
SELECT is((SELECT count(*)::int FROM (
             SELECT j1, asset_stream._mr_parse('PATTERN (' || (j1->>'pattern') || ')') AS j2
               FROM (SELECT asset_stream._mr_parse('PATTERN (' || pg_temp.gen(0) || ')') AS j1
                       FROM generate_series(1, 2000)) s) t
           WHERE j1->'pattern' IS DISTINCT FROM j2->'pattern'
              OR j1->'pattern_tree' IS DISTINCT FROM j2->'pattern_tree'), 0,
          'deparsed patterns parse back to the same pattern (2000 random patterns)');

-- Linear time: (a+)+ b and a* b over rows that never complete take no
-- longer than a few times a+ b (the backtracker would be exponential).
SELECT cmp_ok((SELECT count(*)::int FROM asset_stream._mr_match('PATTERN ((a+)+ b)', array_fill('a'::text, ARRAY[20000]))),
              '=', 0, '(a+)+ b over 20000 rows of a: no match, and it returns');
SELECT is((SELECT count(*)::int FROM asset_stream._mr_match('ALL ROWS PER MATCH PATTERN (((a | b)+)+ c)',
                                                            array_fill('a b'::text, ARRAY[20000]) || '{c}'::text[])),
          20001, '((a | b)+)+ c over 20000 rows: one match of every row');

SELECT * FROM finish();
ROLLBACK;
