-- pgTAP: asset_stream.match_recognize() with the linear matcher (the
-- default) equals it with the reference backtracking matcher
-- (asset_stream.match_matcher = 'backtrack') on random data, random
-- patterns, every rows-per-match and skip mode, and real DEFINE conditions,
-- history-free and history-dependent, runtime skip errors included; and a
-- V-shape query equals an independent SQL formulation on random data.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(29);

SELECT setseed(0.7071);

-- 40 data sets of 3 partitions of 0 to 8 rows: x in 0 .. 3, s 'u' or 'v'.
CREATE TEMP TABLE mrp ON COMMIT DROP AS
SELECT ds, p, (row_number() OVER ())::int AS id,
       floor(random() * 4)::int AS x,
       CASE WHEN random() < 0.5 THEN 'u' ELSE 'v' END AS s
  FROM generate_series(1, 40) ds, generate_series(1, 3) p,
       LATERAL generate_series(1, floor(random() * 9)::int + p * 0) r;

-- A random pattern over a, b, c: variables, (), ^, $, concatenation,
-- alternation, greedy and reluctant quantifiers with bounds up to 3.
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
    RETURN CASE WHEN r < 0.35 THEN 'a' WHEN r < 0.65 THEN 'b' WHEN r < 0.88 THEN 'c'
                WHEN r < 0.93 THEN '()' WHEN r < 0.97 THEN '^' ELSE '$' END;
  END IF;
  n := 2 + (random() * 1.2)::int;
  IF r < 0.6 THEN
    FOR i IN 1..n LOOP parts := parts || pg_temp.gen(depth + 1); END LOOP;
    RETURN array_to_string(parts, ' ');
  ELSIF r < 0.75 THEN
    FOR i IN 1..n LOOP parts := parts || pg_temp.gen(depth + 1); END LOOP;
    RETURN '(' || array_to_string(parts, ' | ') || ')';
  ELSE
    lo := (random() * 2)::int;
    hi := lo + (random() * 2)::int;
    r := random();
    q := CASE WHEN r < 0.25 THEN '*' WHEN r < 0.45 THEN '+' WHEN r < 0.6 THEN '?'
              WHEN r < 0.7 THEN '{' || lo || '}' WHEN r < 0.8 THEN '{' || lo || ',}'
              WHEN r < 0.87 THEN '{,' || hi || '}' ELSE '{' || lo || ',' || hi || '}' END;
    IF random() < 0.4 THEN q := q || '?'; END IF;
    RETURN '(' || pg_temp.gen(depth + 1) || ')' || q;
  END IF;
END $$;

-- A DEFINE condition for variable v of a pattern with variables vars:
-- history-free (the row and physical PREV / NEXT only) or history-dependent
-- (other variables' rows, the match's first row, running counts, labels),
-- sometimes two joined by OR / AND.
CREATE FUNCTION pg_temp.cond(v text, vars text[], hist bool) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  o text := vars[1 + floor(random() * array_length(vars, 1))::int];
  free text[] := ARRAY['x > PREV(x)', 'x = 1', 'x % 2 = 0', 'NEXT(x) > x', 's = ''u''',
                       'x <= 1', 'PREV(x) IS DISTINCT FROM x'];
  dep text[] := ARRAY[format('%s.x > %s.x', v, o), format('count(%s.*) < 3', o), 'x > FIRST(x)',
                      format('LAST(%s.x) IS NULL', o), format('PREV(CLASSIFIER()) = %L', upper(o)),
                      'count(*) <= 3', format('x >= coalesce(LAST(%s.x, 1), 0)', o),
                      format('CLASSIFIER() = %L OR FIRST(%s.s) = s', upper(v), o)];
  c text;
BEGIN
  IF hist THEN c := dep[1 + floor(random() * array_length(dep, 1))::int];
  ELSE c := free[1 + floor(random() * array_length(free, 1))::int];
  END IF;
  IF random() < 0.2 THEN
    c := '(' || c || ')' || CASE WHEN random() < 0.5 THEN ' OR ' ELSE ' AND ' END
         || '(' || free[1 + floor(random() * array_length(free, 1))::int] || ')';
  END IF;
  RETURN c;
END $$;

-- match_recognize over data set ds with one matcher: its rows as text (in
-- output order), or its error.
CREATE FUNCTION pg_temp.run(matcher text, clause text, all_rows bool, ds int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  res text;
  cols text := CASE WHEN all_rows THEN 'p int, id int, mn bigint, cls text, fid int, lid int, n bigint'
                    ELSE 'p int, mn bigint, cls text, fid int, lid int, n bigint' END;
  fmt text := CASE WHEN all_rows THEN 'format(''%s/%s/%s/%s/%s/%s/%s'', p, id, mn, cls, fid, lid, n)'
                   ELSE 'format(''%s/%s/%s/%s/%s/%s'', p, mn, cls, fid, lid, n)' END;
BEGIN
  PERFORM set_config('asset_stream.match_matcher', matcher, true);
  EXECUTE format($q$SELECT coalesce(string_agg(%s, ' ' ORDER BY ordinality), '')
                      FROM ROWS FROM (asset_stream.match_recognize($1, $2) AS (%s)) WITH ORDINALITY AS t$q$,
                 fmt, cols)
    INTO res USING format('SELECT p, id, x, s FROM mrp WHERE ds = %s', ds), clause;
  RETURN res;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;

-- n random clauses, each over k random data sets: the first disagreement,
-- or NULL.  Records what was exercised in stats.
CREATE TEMP TABLE stats (hist bool, matched bool, skip_error bool, other_error bool) ON COMMIT DROP;
CREATE FUNCTION pg_temp.compare_batch(n int, k int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  pat text;
  vars text[];
  defs text[];
  hist bool;
  all_rows bool;
  clause text;
  modes text;
  lin text;
  bt text;
  r float8;
  ds int;
BEGIN
  FOR i IN 1..n LOOP
    pat := pg_temp.gen(0);
    vars := ARRAY(SELECT DISTINCT m[1] FROM regexp_matches(pat, '\m([abc])\M', 'g') m ORDER BY 1);
    defs := '{}';
    hist := false;
    IF array_length(vars, 1) > 0 THEN
      FOR j IN 1..array_length(vars, 1) LOOP
        CONTINUE WHEN random() < 0.1;                     -- no DEFINE: always true
        r := random();
        defs := defs || (vars[j] || ' AS ' || pg_temp.cond(vars[j], vars, r < 0.5));
        hist := hist OR r < 0.5;
      END LOOP;
    END IF;
    r := random();
    all_rows := r >= 0.25;
    modes := CASE WHEN r < 0.25 THEN 'ONE ROW PER MATCH'
                  WHEN r < 0.5 THEN 'ALL ROWS PER MATCH'
                  WHEN r < 0.75 THEN 'ALL ROWS PER MATCH OMIT EMPTY MATCHES'
                  ELSE 'ALL ROWS PER MATCH WITH UNMATCHED ROWS' END;
    r := random();
    modes := modes || CASE WHEN r < 0.35 THEN ''
                           WHEN r < 0.6 THEN ' AFTER MATCH SKIP TO NEXT ROW'
                           WHEN r < 0.75 AND pat ~ '\ma\M' THEN ' AFTER MATCH SKIP TO FIRST a'
                           WHEN r < 0.9 AND pat ~ '\mb\M' THEN ' AFTER MATCH SKIP TO LAST b'
                           ELSE ' AFTER MATCH SKIP PAST LAST ROW' END;
    clause := 'PARTITION BY p ORDER BY id MEASURES MATCH_NUMBER() AS mn, CLASSIFIER() AS cls, '
              'FIRST(id) AS fid, LAST(id) AS lid, count(*) AS n '
              || modes || ' PATTERN (' || pat || ')'
              || CASE WHEN array_length(defs, 1) > 0 THEN ' DEFINE ' || array_to_string(defs, ', ') ELSE '' END;
    FOR j IN 1..k LOOP
      ds := 1 + floor(random() * 40)::int;
      lin := pg_temp.run('linear', clause, all_rows, ds);
      bt := pg_temp.run('backtrack', clause, all_rows, ds);
      IF lin IS DISTINCT FROM bt THEN
        RETURN format('%s over data set %s: linear [%s] backtrack [%s]', clause, ds, lin, bt);
      END IF;
      INSERT INTO stats VALUES (hist, lin ~ '/[1-9][0-9]*( |$)', lin LIKE 'ERROR 22000%',
                                lin LIKE 'ERROR%' AND lin NOT LIKE 'ERROR 22000%');
    END LOOP;
  END LOOP;
  RETURN NULL;
END $$;

SELECT is(pg_temp.compare_batch(60, 2), NULL,
          format('batch %s: linear = backtrack on 60 random clauses x 2 data sets', b))
  FROM generate_series(1, 20) b;
RESET asset_stream.match_matcher;

-- The batches were not vacuous.
SELECT is((SELECT count(*)::int FROM stats), 2400, '2400 cases compared');
SELECT cmp_ok((SELECT count(*)::int FROM stats WHERE matched), '>', 900,
              'many cases had non-empty matches');
SELECT cmp_ok((SELECT count(*)::int FROM stats WHERE matched AND hist), '>', 350,
              'many of them with history-dependent DEFINE conditions');
SELECT cmp_ok((SELECT count(*)::int FROM stats WHERE skip_error), '>', 100,
              'some cases raised the same runtime skip error (22000) in both matchers');
SELECT is((SELECT count(*)::int FROM stats WHERE other_error), 0,
          'no other errors (both matchers ran every other case)');

-- V-shape with a history-free DEFINE against plain SQL.  Random data: 100
-- partitions of 0 to 40 rows, x in 0 .. 4 (ties are neither down nor up)
-- and a few NULLs.
SELECT setseed(0.1234);
CREATE TEMP TABLE v ON COMMIT DROP AS
SELECT p, (row_number() OVER ())::int AS id,
       CASE WHEN random() < 0.05 THEN NULL ELSE floor(random() * 5)::int END AS x
  FROM generate_series(1, 100) p, LATERAL generate_series(1, floor(random() * 41)::int + p * 0) r;

-- The SQL: D / U rows by comparison with the previous row; from a start row
-- s, the pattern matches iff row s + 1 is D and the D run from there is
-- followed by a U row; greedy down+ and up+ take whole runs.  The matches
-- are found one after the other: the leftmost start at or after the row
-- that follows the previous match.
CREATE TEMP TABLE v_sql ON COMMIT DROP AS
WITH RECURSIVE r AS (
  SELECT p, id, x, row_number() OVER w AS i,
         CASE WHEN x < lag(x) OVER w THEN 'D' WHEN x > lag(x) OVER w THEN 'U' END AS c
    FROM v WINDOW w AS (PARTITION BY p ORDER BY id)),
run_end AS (   -- the last row of the run of r.c rows that starts at r.i
  SELECT r.*, (SELECT min(j.i) FROM r j
                WHERE j.p = r.p AND j.i >= r.i
                  AND NOT EXISTS (SELECT 1 FROM r k WHERE k.p = j.p AND k.i = j.i + 1 AND k.c = r.c)) AS e
    FROM r),
cand AS (      -- every start row s with its match: s .. e, bottom row b
  SELECT s.p, s.i AS s, d.e AS b, u.e AS e
    FROM r s
    JOIN run_end d ON d.p = s.p AND d.i = s.i + 1 AND d.c = 'D'
    JOIN run_end u ON u.p = s.p AND u.i = d.e + 1 AND u.c = 'U'),
m AS (
  SELECT * FROM (SELECT DISTINCT ON (p) p, s, b, e FROM cand ORDER BY p, s) f
  UNION ALL
  SELECT m.p, nx.s, nx.b, nx.e
    FROM m CROSS JOIN LATERAL (SELECT s, b, e FROM cand
                                WHERE cand.p = m.p AND cand.s > m.e ORDER BY s LIMIT 1) nx)
SELECT m.p, rs.id AS sid, rb.x AS bottom, re.id AS eid, (m.e - m.s + 1)::bigint AS n, rs.c AS strt_class
  FROM m JOIN r rs ON rs.p = m.p AND rs.i = m.s
         JOIN r rb ON rb.p = m.p AND rb.i = m.b
         JOIN r re ON re.p = m.p AND re.i = m.e;

-- The function under each matcher.
CREATE FUNCTION pg_temp.v_check(matcher text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM set_config('asset_stream.match_matcher', matcher, true);
  RETURN NEXT results_eq(
    $$SELECT p, sid, bottom, eid, n FROM asset_stream.match_recognize('SELECT * FROM v',
        'PARTITION BY p ORDER BY id
         MEASURES FIRST(strt.id) AS sid, LAST(down.x) AS bottom, LAST(up.id) AS eid, count(*) AS n
         ONE ROW PER MATCH PATTERN (strt down+ up+)
         DEFINE down AS x < PREV(x), up AS x > PREV(x)') AS t(p int, sid int, bottom int, eid int, n bigint)
      ORDER BY p, sid$$,
    $$SELECT p, sid, bottom, eid, n FROM v_sql ORDER BY p, sid$$,
    format('random data: V-shape (strt down+ up+), %s matcher = the SQL formulation', matcher));
END $f$;
SELECT pg_temp.v_check('linear');
SELECT pg_temp.v_check('backtrack');
RESET asset_stream.match_matcher;
SELECT cmp_ok((SELECT count(*)::int FROM v_sql), '>', 200, 'the V-shape data has many matches');
SELECT cmp_ok((SELECT count(*)::int FROM v_sql WHERE strt_class = 'D'), '>', 10,
              'some V-shape matches start on a down row that follows the previous match');

SELECT * FROM finish();
ROLLBACK;
