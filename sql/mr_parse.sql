-- MATCH_RECOGNIZE foundation: the clause parser (_mr_parse), the pattern
-- compiler (_mr_program) and the matchers on given DEFINE results
-- (_mr_match = linear thread list, _mr_match_backtrack = reference).
-- Every expected row was checked by hand against SQL:2016 / Trino semantics
-- (docs/match_recognize.md, shared reference match_recognize.md).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;

-- SQLSTATE, message and detail of an error (or 'ok').
CREATE FUNCTION pg_temp.err(clause text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  PERFORM asset_stream._mr_parse(clause);
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ': ' || msg || coalesce(' | ' || nullif(det, ''), '');
END $$;

-- The matcher output as "match:row=CLASSIFIER ..." (- for NULL), after
-- checking that the linear matcher and the backtracker agree.
CREATE FUNCTION pg_temp.m(clause text, rows text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE lin text; bt text; st text; msg text;
BEGIN
  SELECT string_agg(coalesce(match_number::text, '-') || ':' || coalesce(row_index::text, '-')
                    || coalesce('=' || classifier, ''), ' ' ORDER BY ord)
    INTO lin FROM asset_stream._mr_match(clause, rows) WITH ORDINALITY
         AS t(match_number, row_index, classifier, ord);
  SELECT string_agg(coalesce(match_number::text, '-') || ':' || coalesce(row_index::text, '-')
                    || coalesce('=' || classifier, ''), ' ' ORDER BY ord)
    INTO bt FROM asset_stream._mr_match_backtrack(clause, rows) WITH ORDINALITY
         AS t(match_number, row_index, classifier, ord);
  IF lin IS DISTINCT FROM bt THEN
    RETURN 'MISMATCH linear: ' || coalesce(lin, '(none)') || ' backtrack: ' || coalesce(bt, '(none)');
  END IF;
  RETURN coalesce(lin, '(none)');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

CREATE FUNCTION pg_temp.prog(clause text) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(pc || ' ' || instruction, '; ' ORDER BY pc) FROM asset_stream._mr_program(clause)
$$;

------------------------------------------------------------------ the clause
-- Every element once, with comments and quoting.
SELECT jsonb_pretty(asset_stream._mr_parse($c$
  PARTITION BY asset_id, "Zone" /* two keys */
  ORDER BY event_time DESC NULLS LAST, seq
  MEASURES FINAL LAST(A.rssi) AS last_rssi,   -- a comment, with a comma
           count(*) AS n,
           RUNNING avg(B.rssi) AS "Avg"
  ALL ROWS PER MATCH WITH UNMATCHED ROWS
  AFTER MATCH SKIP TO FIRST b
  PATTERN (^ a+? b{2,} (c | "d")* PERMUTE(a, b) $)
  WITHIN INTERVAL '2' HOUR EMIT TIMEOUTS
  SUBSET u = (a, b), "V" = ("d")
  DEFINE a AS a.rssi > -70 AND source_id = 'antenna, 1',
         b AS b.rssi < PREV(b.rssi)
$c$));

-- Clause keywords are case-insensitive; defaults.
SELECT asset_stream._mr_parse('pattern (A) define a as true')
  - 'pattern_tree' - 'variables';

-- ROWS PER MATCH and SKIP variants
SELECT clause, j->>'rows_per_match' AS rows_per_match, j->>'skip' AS skip, j->>'skip_to' AS skip_to
  FROM (VALUES ('ONE ROW PER MATCH PATTERN (a)'),
               ('ALL ROWS PER MATCH PATTERN (a)'),
               ('ALL ROWS PER MATCH SHOW EMPTY MATCHES PATTERN (a)'),
               ('ALL ROWS PER MATCH OMIT EMPTY MATCHES PATTERN (a)'),
               ('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a)'),
               ('AFTER MATCH SKIP PAST LAST ROW PATTERN (a)'),
               ('AFTER MATCH SKIP TO NEXT ROW PATTERN (a)'),
               ('AFTER MATCH SKIP TO FIRST a PATTERN (a)'),
               ('AFTER MATCH SKIP TO LAST a PATTERN (a)'),
               ('AFTER MATCH SKIP TO a PATTERN (a)'),
               ('AFTER MATCH SKIP TO u PATTERN (a b) SUBSET u = (a, b)'),
               -- keywords as variable names: LAST, FIRST, NEXT, PATTERN
               ('AFTER MATCH SKIP TO last PATTERN (last)'),
               ('AFTER MATCH SKIP TO LAST last PATTERN (last)'),
               ('AFTER MATCH SKIP TO first PATTERN (first)'),
               ('AFTER MATCH SKIP TO next PATTERN (next)'),
               ('AFTER MATCH SKIP TO LAST pattern PATTERN (pattern)')) v(clause),
       LATERAL asset_stream._mr_parse(clause) j;

-- The expression scanner: strings, escapes, dollar quotes, quoted
-- identifiers, brackets, nested comments, subqueries, keywords inside
-- expressions.  Each expression is delimited verbatim.
SELECT e->>'pos' AS pos, e->>'expr' AS expr
  FROM jsonb_array_elements(asset_stream._mr_parse($c$
    PARTITION BY 'a,b', E'it''s, \' tricky', $q$ x, y $q$, $$ORDER BY$$,
                 "weird ""name"", here", arr[1], f(1, (2, 3)), x /* c1 /* nested, */ c2 */ + 1
    PATTERN (a)$c$)->'partition_by') e;
SELECT e->>'pos' AS pos, e->>'expr' AS expr, e->'desc' AS desc, e->>'nulls' AS nulls
  FROM jsonb_array_elements(asset_stream._mr_parse($c$
    ORDER BY t ASC NULLS FIRST, u DESC, v NULLS LAST, lower(w) COLLATE "C" DESC NULLS FIRST
    PATTERN (a)$c$)->'order_by') e;
SELECT e->>'name' AS name, e->>'expr' AS expr, e->>'semantics' AS semantics, e->'has_final' AS has_final
  FROM jsonb_array_elements(asset_stream._mr_parse($c$
    MEASURES CAST(A.x AS numeric(10, 2)) AS c1,
             array_agg(A.v ORDER BY A.t) AS "Agg",
             (SELECT max(t.x) FROM t WHERE t.y = B.y) AS sub,
             A.x::pg_catalog.int4 AS c4,
             pg_catalog.upper(classifier()) AS c5,
             x > ALL (ARRAY[1, 2]) AS c6,
             RUNNING LAST(A.x) - FINAL FIRST(A.x) AS c7,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY B.v) AS c8,
             count(A.*) AS c9
    ONE ROW PER MATCH
    PATTERN (a b)$c$)->'measures') e;
SELECT e->>'var' AS var, e->>'expr' AS expr
  FROM jsonb_array_elements(asset_stream._mr_parse($c$
    PATTERN (a b c) DEFINE a AS x > ALL (SELECT 1) AND y IN (1, 2),   -- all after
      b AS b.v BETWEEN 1 AND 2 -- a trailing comment, not part of it
      , c AS $$,$$ || ',' = '' AND percentile_disc(0.5) WITHIN GROUP (ORDER BY x) > 1
  $c$)->'define') e;

-- Identifiers: unquoted names fold to lower case (one variable), CLASSIFIER
-- labels are upper case for unquoted names and as written for quoted ones.
SELECT asset_stream._mr_parse('PATTERN (a A "b" B "Mixed Case" x_1$) DEFINE A AS true')
  -> 'variables';
SELECT asset_stream._mr_parse('PATTERN (Ä ü)') -> 'variables';

-- The pattern: precedence, flattening, quantifiers, anchors, exclusion,
-- PERMUTE, empty pattern; the deparsed form.
SELECT clause, asset_stream._mr_parse(clause)->>'pattern' AS pattern
  FROM (VALUES ('PATTERN (a b | c d)'),
               ('PATTERN ((a b) c)'),
               ('PATTERN ((a | b) | c)'),
               ('PATTERN (a (b | c) d)'),
               ('PATTERN (a* b+ c? d{3} e{3,} f{,4} g{2,5} h{,})'),
               ('PATTERN (a*? b+? c?? d{3}? e{3,}? f{,4}? g{2,5}?)'),
               ('PATTERN ((a b)+ (c | d)*? ((e)*)+)'),
               ('PATTERN (^ a $)'),
               ('PATTERN (^* $+ (^|a))'),
               ('PATTERN ({- a -} b {- {- c -} d -})'),
               ('PATTERN (a + b *  ?)'),
               ('PATTERN ({-a-})'),
               ('PATTERN (PERMUTE(a, b c, d | e))'),
               ('PATTERN (permute)'),
               ('PATTERN ()'),
               ('PATTERN (() a ()*)'),
               ('PATTERN (a{ 2 , 3 } b { , })'),
               ('PATTERN(a--comment)
)'),
               ('PATTERN (a/**/b)')) v(clause);
SELECT jsonb_pretty(asset_stream._mr_parse('PATTERN (a (b | c)+? PERMUTE(d, {- e -}) ^ $ ())')->'pattern_tree');

-- Extensions: WITHIN, EMIT TIMEOUTS, FOLLOWED BY NO ... FOR.
SELECT clause, j->'within' AS within, j->'followed_by_no' AS followed_by_no
  FROM (VALUES ($$PATTERN (a b) WITHIN INTERVAL '2 hours'$$),
               ($$PATTERN (a b) WITHIN '90 seconds' EMIT TIMEOUTS$$),
               ($$PATTERN (a b) WITHIN INTERVAL '2' HOUR$$),
               ($$PATTERN (a b) WITHIN INTERVAL '1-6' YEAR TO MONTH$$),
               ($$PATTERN (a b) WITHIN INTERVAL '1 12:30' DAY TO MINUTE$$),
               ($$PATTERN (w+ o+ r+) FOLLOWED BY NO ROW FOR INTERVAL '10 minutes'$$),
               ($$PATTERN (w+ o+ r+) FOLLOWED BY NO r FOR '10 minutes'$$),
               ($$PATTERN (w+ o+ r+) FOLLOWED BY NO x FOR '10 minutes' DEFINE x AS zone = 'R'$$),
               ($$PATTERN (a b) FOLLOWED BY NO ROW FOR '1 min' WITHIN '1 hour' EMIT TIMEOUTS$$),
               ($$PATTERN (row) FOLLOWED BY NO "row" FOR '1 min'$$)) v(clause),
       LATERAL asset_stream._mr_parse(clause) j;

------------------------------------------------------------------ errors
-- Syntax errors: 42601 with the position (1-based characters) and what was
-- expected.
SELECT clause, pg_temp.err(clause) AS error
  FROM (VALUES (''),
               ('   -- only a comment'),
               ('DEFINE a AS true'),
               ('PATTERN a'),
               ('PATTERN (a'),
               ('PATTERN (a))'),
               ('PATTERN (a | )'),
               ('PATTERN (| a)'),
               ('PATTERN (a**)'),
               ('PATTERN (a{})'),
               ('PATTERN (a{2,1})'),
               ('PATTERN (a{x})'),
               ('PATTERN (a{2)'),
               ('PATTERN (a{2,3)'),
               ('PATTERN ({- -})'),
               ('PATTERN ({--})'),
               ('PATTERN ({- a)'),
               ('PATTERN (a -})'),
               ('PATTERN (PERMUTE())'),
               ('PATTERN (PERMUTE(a b)'),
               ('PATTERN (PERMUTE(a,))'),
               ('PATTERN (a.b)'),
               ('PATTERN (a) DEFINE'),
               ('PATTERN (a) DEFINE a'),
               ('PATTERN (a) DEFINE a AS'),
               ('PATTERN (a) DEFINE a AS ,'),
               ('PATTERN (a) DEFINE a AS (x'),
               ('PATTERN (a) DEFINE a AS x)'),
               ('PATTERN (a) DEFINE a AS f(x]'),
               ('PATTERN (a) DEFINE a AS ''open'),
               ('PATTERN (a) DEFINE a AS $$open'),
               ('PATTERN (a) DEFINE a AS "open'),
               ('PATTERN (a) DEFINE a AS x /* open'),
               ('PATTERN (a) DEFINE a AS "" = 1'),
               ('PATTERN ("")'),
               ('PARTITION asset PATTERN (a)'),
               ('PARTITION BY PATTERN (a)'),
               ('PARTITION BY x, PATTERN (a)'),
               ('ORDER BY t NULLS PATTERN (a)'),
               ('ORDER BY t PARTITION BY x PATTERN (a)'),
               ('MEASURES x PATTERN (a)'),
               ('MEASURES x AS PATTERN (a)'),
               ('MEASURES x AS 1 PATTERN (a)'),
               ('MEASURES x AS y, PATTERN (a)'),
               ('ONE ROW PATTERN (a)'),
               ('ALL ROWS PER MATCH SHOW PATTERN (a)'),
               ('ALL ROWS PER MATCH WITH PATTERN (a)'),
               ('AFTER MATCH SKIP PATTERN (a)'),
               ('AFTER MATCH SKIP TO PATTERN (a)'),
               ('AFTER MATCH SKIP PAST ROW PATTERN (a)'),
               ('AFTER SKIP TO NEXT ROW PATTERN (a)'),
               ('PATTERN (a) ONE ROW PER MATCH'),
               ('PATTERN (a) DEFINE a AS true SUBSET u = (a)'),
               ('PATTERN (a) SUBSET u (a)'),
               ('PATTERN (a) SUBSET u = ()'),
               ('PATTERN (a) SUBSET u = (a'),
               ('PATTERN (a) WITHIN'),
               ('PATTERN (a) WITHIN 10 minutes'),
               ($$PATTERN (a) WITHIN '1' HOUR TO DAY$$),
               ($$PATTERN (a) WITHIN '1 hour' EMIT$$),
               ($$PATTERN (a) WITHIN '1 hour' WITHIN '2 hours'$$),
               ($$PATTERN (a) FOLLOWED NO ROW FOR '1 min'$$),
               ($$PATTERN (a) FOLLOWED BY NO FOR '1 min'$$),
               ($$PATTERN (a) FOLLOWED BY NO ROW '1 min'$$),
               ('PATTERN (a) ;'),
               ('PATTERN (a) DEFINE a AS x WITHIN ''1 hour'''),
               ('PATTERN (a) DEFINE a AS x, b'),
               ('AFTER MATCH SKIP TO LAST PATTERN (a)'),
               ('ORDER BY t NULLS LAST NULLS FIRST PATTERN (a)')) v(clause);

-- Positions count characters, not bytes.
SELECT pg_temp.err('PARTITION BY ärger, öl PATTERN (ä ü ?!)');

-- Semantic errors: undefined variables 42703, wrong kind 42809, duplicates
-- 42712 / 42701, invalid values 22007 / 22023.
SELECT clause, pg_temp.err(clause) AS error
  FROM (VALUES ('PATTERN (a) DEFINE b AS true'),
               ('PATTERN (a) DEFINE a AS true, a AS false'),
               ('PATTERN (a) DEFINE A AS true, "a" AS false'),
               ('PATTERN (a) SUBSET u = (a) DEFINE u AS true'),
               ('PATTERN (a) SUBSET u = (b)'),
               ('PATTERN (a) SUBSET a = (a)'),
               ('PATTERN (a) SUBSET u = (a), u = (a)'),
               ('PATTERN (a b) SUBSET u = (a), v = (u)'),
               ('AFTER MATCH SKIP TO FIRST x PATTERN (a)'),
               ('AFTER MATCH SKIP TO x PATTERN (a)'),
               ('MEASURES x.v AS v PATTERN (a)'),
               ('MEASURES count(x.*) AS n PATTERN (a)'),
               ('MEASURES a.v AS v, b.w AS v PATTERN (a b)'),
               ('PATTERN (a) DEFINE a AS a.v > z.v'),
               ('PATTERN (a "A")'),
               ('PATTERN (a) SUBSET "A" = (a)'),
               ('PATTERN ({- a -}) ALL ROWS PER MATCH WITH UNMATCHED ROWS'),
               ('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (b {- a -})'),
               ($$PATTERN (a) WITHIN 'soon'$$),
               ($$PATTERN (a) WITHIN '0 seconds'$$),
               ($$PATTERN (a) WITHIN '-1 hour'$$),
               ($$PATTERN (a) FOLLOWED BY NO x FOR '1 min'$$),
               ($$PATTERN (a) SUBSET u = (a) FOLLOWED BY NO ROW FOR '1 min'$$),
               ($$PATTERN (a b) FOLLOWED BY NO ROW FOR '1 min' SUBSET u = (a) DEFINE u AS true$$),
               ('PATTERN (' || repeat('x', 64) || ')')) v(clause);

-- Limits: 54000 / 54001, never a crash or a deep recursion.
SELECT pg_temp.err('PATTERN (a{100001})');
SELECT pg_temp.err('PATTERN (a{99999999999999999999})');
SELECT pg_temp.err('PATTERN (a{100000})');          -- parses
SELECT pg_temp.err('PATTERN (' || repeat('(', 100) || 'a' || repeat(')', 100) || ')');   -- 100 levels: ok
SELECT pg_temp.err('PATTERN (' || repeat('(', 101) || 'a' || repeat(')', 101) || ')');
SELECT pg_temp.err('PATTERN (' || repeat('(', 100000) || ')');
SELECT pg_temp.err('PATTERN (' || repeat('{-', 200) || 'a' || repeat('-}', 200) || ')');
SELECT pg_temp.err('PATTERN (a' || repeat(' | a', 100000) || ')');
SELECT pg_temp.err('PATTERN (' || (SELECT string_agg('v' || i, ' ') FROM generate_series(1, 1001) i) || ')');
SELECT pg_temp.err('PARTITION BY ' || repeat('(', 100000) || 'x' || repeat(')', 100000) || ' PATTERN (a)');
SELECT pg_temp.m('PATTERN ((a{1000}){1001})', '{a}');
SELECT pg_temp.m('PATTERN (PERMUTE(a, b, c, d, e, f, g, h, i, j))', '{a}');
SELECT count(*) FROM asset_stream._mr_program('PATTERN (PERMUTE(a, b, c, d, e, f))');

------------------------------------------------------------------ compiling
SELECT clause, pg_temp.prog(clause) AS program
  FROM (VALUES ('PATTERN (a b)'),
               ('PATTERN (a | b | c)'),
               ('PATTERN (a*)'),
               ('PATTERN (a*?)'),
               ('PATTERN (a+)'),
               ('PATTERN (a+?)'),
               ('PATTERN (a?)'),
               ('PATTERN (a??)'),
               ('PATTERN (a{2,4})'),
               ('PATTERN (a{2,4}?)'),
               ('PATTERN (a{3,})'),
               ('PATTERN (a{,2})'),
               ('PATTERN (a{0})'),
               ('PATTERN (PERMUTE(a, b, c))'),
               ('PATTERN ({- a -} b)'),
               ('PATTERN (^ a $)'),
               ('PATTERN (())'),
               ('PATTERN (()*)')) v(clause);

------------------------------------------------------------------ matching
-- Output: match:row=CLASSIFIER; "m:-" an empty match, "-:r" an unmatched row.

-- Greedy vs reluctant (ALL ROWS PER MATCH shows every row of a match)
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a+)',   '{a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a+?)',  '{a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a*?)',  '{a,a}');          -- empty matches
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{2,}?)', '{a,a,a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a+ b)',  '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a+? b)', '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a* a)',  '{a,a,a}');        -- backtracks one row
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a?? b)', '{"a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a? b)',  '{"a b",b}');
-- preferment, not the longest match
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a | a b)', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a b | a)', '{a,b}');
-- alternation order decides the label
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a | b)', '{"a b","a b"}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (b | a)', '{"a b","a b"}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (b | c | a)', '{"a b c"}');
-- a less preferred branch wins when the preferred one fails later
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((a a | a) b)', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((a b | a) b c)', '{a,b,c}');

-- PERMUTE: lexicographic order of the permutations
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (PERMUTE(a, b))', '{"a b","a b"}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (PERMUTE(b, a))', '{"a b","a b"}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (PERMUTE(a, b, c))', '{"b c","a c","a b"}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (PERMUTE(a, b, c))', '{c,b,a,"a b c","a b c","a b c"}');

-- Anchors are partition anchors
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (^ a)', '{a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a $)', '{a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (^ a+ $)', '{a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (^ a+ $)', '{a,b,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a ^)', '{a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ($ a)', '{a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (^*)', '{a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((^ | b) a)', '{a,b,a,a}');

-- Exclusion: rows are matched but not output with ALL ROWS PER MATCH
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a {- b+ -} c)', '{a,b,b,c}');
SELECT pg_temp.m('ONE ROW PER MATCH PATTERN (a {- b -})', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ({- a -})', '{a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ({- a* -} b)', '{b}');

-- Empty matches: one per row that starts no non-empty match; every one
-- takes a MATCH_NUMBER, even when omitted.
SELECT pg_temp.m('ONE ROW PER MATCH PATTERN (a*)', '{b,b,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a*)', '{b,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH SHOW EMPTY MATCHES PATTERN (a*)', '{b,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH OMIT EMPTY MATCHES PATTERN (a*)', '{b,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a*)', '{b,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ()', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (() | a)', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a | ())', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (()*)', '{a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((a*)*)', '{a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((b ()*)*)', '{b,b,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((a?)+ b)', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a*)', '{}');

-- Unmatched rows
SELECT pg_temp.m('ALL ROWS PER MATCH WITH UNMATCHED ROWS PATTERN (a b)', '{a,b,c,a,a,b,a}');
SELECT pg_temp.m('ONE ROW PER MATCH PATTERN (a b)', '{a,b,c,a,a,b,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a b)', '{c,c}');
-- rows of an earlier match are not unmatched (SKIP TO NEXT ROW)
SELECT pg_temp.m('ALL ROWS PER MATCH WITH UNMATCHED ROWS AFTER MATCH SKIP TO NEXT ROW PATTERN (a b+)', '{a,"a b",b,b,c}');

-- Quantifier bounds
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{2,3})', '{a,a,a,a,a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{2,3}?)', '{a,a,a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{3})', '{a,a,b,a,a,a}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{,2} b)', '{a,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a{2,} b)', '{a,b,a,a,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN ((a b){2})', '{a,b,a,b,a,b}');

-- AFTER MATCH SKIP
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (a b+)', '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO NEXT ROW PATTERN (a b+)', '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO FIRST b PATTERN (a b+)', '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO LAST b PATTERN (a b+)', '{a,"a b","a b",b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO b PATTERN (a b c)', '{a,"a b",c,a,b,c}');
SELECT pg_temp.m('ONE ROW PER MATCH AFTER MATCH SKIP TO LAST u PATTERN (a b c) SUBSET u = (a, b)', '{a,"a b","a c",a,b,c}');
-- runtime errors: skipping to the first row of the match, or to a variable
-- not in the match
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO FIRST a PATTERN (a b)', '{a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO LAST a PATTERN (a b)', '{a,b,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO c PATTERN (a (b | c))', '{a,c,a,b}');
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO u PATTERN (a (b | c)) SUBSET u = (b, c)', '{a,c,a,b}');
-- an empty match resumes at the next row whatever the skip mode
SELECT pg_temp.m('ALL ROWS PER MATCH AFTER MATCH SKIP TO FIRST a PATTERN (a*)', '{b,b}');

-- ONE ROW PER MATCH reports the last row and its label
SELECT pg_temp.m('PATTERN (a b+ c?)', '{a,b,b,c,a,b}');

-- Names in the rows: case folding, quoted names, unknown names ignored
SELECT pg_temp.m('ALL ROWS PER MATCH PATTERN (a "b" "C")', '{A,"\"b\"","\"C\" x"}');

-- Partial-match blow-up: (a+)+ b over rows that never end in b stays linear
SELECT count(*) FROM asset_stream._mr_match('PATTERN ((a+)+ b)', array_fill('a'::text, ARRAY[5000]));
SELECT count(*), min(row_index), max(row_index)
  FROM asset_stream._mr_match('ALL ROWS PER MATCH PATTERN ((a+)+ b)',
                              array_fill('a'::text, ARRAY[5000]) || '{b}'::text[]);

-- NULL rows are an error; NULL arguments give no rows (STRICT)
SELECT pg_temp.m('PATTERN (a)', '{a,NULL}');
SELECT count(*) FROM asset_stream._mr_match(NULL, '{a}');
