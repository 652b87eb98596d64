-- Conformance of asset_stream.match_recognize with Trino's row pattern
-- recognition: the cases of Trino's TestRowPatternMatching and
-- TestAggregationsInRowPatternMatching (core/trino-main/src/test/java/
-- io/trino/sql/query/) and the example of Trino's documentation
-- (docs/src/main/sphinx/sql/match-recognize.md), transcribed to
-- PostgreSQL: Trino's FROM t MATCH_RECOGNIZE (...) AS m becomes
-- asset_stream.match_recognize('SELECT ... FROM t', $c$ ... $c$) AS m(...),
-- the column definition list picking the output columns by name.
--
-- Translations (documented at each case): PostgreSQL result types
-- (count -> bigint, sum(int) -> bigint, sum(bigint) -> numeric, avg(int)
-- -> numeric, MATCH_NUMBER() -> bigint, CLASSIFIER() -> text), count() ->
-- count(*), arbitrary(x) -> max(x), concat_ws('', array) ->
-- array_to_string(array, ''); cases built on max_by / min_by are left out.
-- Measure names never equal an input column name (they would clash in
-- ALL ROWS PER MATCH).
--
-- Every query runs through pg_temp.check(query, expected) (see
-- sql/mr_conformance_helpers.psql): the query's rows, then "ok" or
-- MISMATCH against the expected rows written under it: Trino's published
-- VALUES, or a hand derivation where noted.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/mr_conformance_helpers.psql'
\i :helpers

CREATE SCHEMA mr_conf_trino;
SET search_path = mr_conf_trino, public;

-- TestRowPatternMatching's VALUES tables
CREATE TABLE t8 (id int, value int);          -- testSimpleQuery, testExclusionSyntax
INSERT INTO t8 VALUES (1, 90), (2, 80), (3, 70), (4, 80), (5, 90), (6, 50), (7, 40), (8, 60);
CREATE TABLE t4 (id int, value int);          -- testRowPattern, testPatternQuantifiers, ...
INSERT INTO t4 VALUES (1, 90), (2, 80), (3, 70), (4, 70);
CREATE TABLE t6 (id int, value int);          -- testAfterMatchSkip
INSERT INTO t6 VALUES (1, 90), (2, 80), (3, 70), (4, 80), (5, 70), (6, 80);
CREATE TABLE t6e (id int, value int);         -- testEmptyMatches
INSERT INTO t6e VALUES (1, 100), (2, 100), (3, 90), (4, 80), (5, 70), (6, 100);
CREATE TABLE t3 (id int, value int);          -- testNavigationFunctions
INSERT INTO t3 VALUES (1, 10), (2, 20), (3, 30);
CREATE TABLE t5 (id int, value int);          -- testNavigationFunctions, outside the match
INSERT INTO t5 VALUES (1, 10), (2, 20), (3, 30), (4, 30), (5, 40);
CREATE TABLE t400 (id int, value int);        -- testSubqueries, testInPredicateWithoutSubquery
INSERT INTO t400 VALUES (1, 100), (2, 200), (3, 300), (4, 400);
CREATE TABLE ones (value int);                -- testBackReference, testPotentiallyExponentialMatch
INSERT INTO ones SELECT 1 FROM generate_series(1, 20);
CREATE TABLE pp (id int, part text, value int); -- testPartitioningAndOrdering (unordered input)
INSERT INTO pp VALUES (1, 'p1', 90), (2, 'p1', 80), (6, 'p1', 80), (2, 'p2', 20), (2, 'p3', 60),
  (1, 'p3', 50), (3, 'p1', 70), (4, 'p1', 80), (5, 'p1', 90), (1, 'p2', 20), (3, 'p3', 70), (3, 'p2', 10);
CREATE TABLE pu (id int, value int);          -- testPartitioningAndOrdering, no partitioning
INSERT INTO pu VALUES (5, 10), (2, 90), (1, 80), (4, 20), (3, 30);
CREATE TABLE pn (id int, part text, value int); -- testPartitioningAndOrdering, no measures
INSERT INTO pn VALUES (5, 'p2', 10), (2, 'p1', 90), (1, 'p1', 80), (4, 'p2', 20), (3, 'p1', 30);
-- TestAggregationsInRowPatternMatching's tables
CREATE TABLE pa (id int, part text, value int); -- testPartitioning, testTentativeLabelMatch
INSERT INTO pa VALUES (1, 'p1', 1), (2, 'p1', 1), (6, 'p1', 1), (2, 'p2', 10), (2, 'p3', 100),
  (1, 'p3', 100), (3, 'p1', 1), (4, 'p1', 1), (5, 'p1', 1), (1, 'p2', 10), (3, 'p3', 100), (3, 'p2', 10);
CREATE TABLE pb (id int, part text, value int); -- testTentativeLabelMatch (sum, max)
INSERT INTO pb VALUES (1, 'p1', 1), (2, 'p1', 1), (3, 'p1', 1), (4, 'p1', 1), (5, 'p1', 1),
  (1, 'p2', 2), (2, 'p2', 2), (3, 'p2', 2), (4, 'p2', 2), (5, 'p2', 2);
CREATE TABLE pm (id int, part text, value int); -- testTentativeLabelMatch (max)
INSERT INTO pm VALUES (1, 'p1', 1), (2, 'p1', 2), (3, 'p1', 3), (4, 'p1', 4), (5, 'p1', 5),
  (1, 'p2', 2), (2, 'p2', 4), (3, 'p2', 6), (4, 'p2', 8), (5, 'p2', 10);
CREATE TABLE letters (part text, id int, value text); -- testAggregationArguments, testOneRowPerMatch
INSERT INTO letters VALUES ('p1', 1, 'a'), ('p1', 2, 'b'), ('p1', 3, 'c'), ('p1', 4, 'd'),
  ('p1', 5, 'e'), ('p1', 6, 'f'), ('p2', 1, 'g'), ('p2', 2, 'h'), ('p2', 3, 'i'),
  ('p3', 1, 'j'), ('p3', 2, 'k'), ('p3', 3, 'l');
CREATE TABLE excl (part text, id int, value text); -- testExclusions (aggregations)
INSERT INTO excl VALUES ('p1', 1, '1a'), ('p1', 2, '1b'), ('p1', 3, '1c'), ('p1', 4, '1d'), ('p1', 5, '1e'),
  ('p2', 1, '2a'), ('p2', 2, '2b'), ('p2', 3, '2c'), ('p2', 4, '2d'), ('p2', 5, '2e');
CREATE TABLE balance (id int, value int);     -- testBalancingSums
INSERT INTO balance VALUES (1, 4), (2, 6), (3, 10), (4, 1), (5, 1), (6, 1), (7, 10), (8, 5), (9, 1);
CREATE TABLE heartbeat (user_id int, minute_of_the_day int); -- testPeriodLength
INSERT INTO heartbeat VALUES (1, 3), (1, 4), (1, 5), (1, 8), (1, 9), (2, 2), (2, 3), (2, 4);
-- the orders of Trino's documentation example
CREATE TABLE orders (custkey int, orderdate date, totalprice numeric);
INSERT INTO orders VALUES
  (1, '2024-01-01', 100), (1, '2024-01-02', 90), (1, '2024-01-03', 80), (1, '2024-01-04', 95),
  (1, '2024-01-05', 110), (1, '2024-01-06', 120), (1, '2024-01-07', 115),
  (2, '2024-01-01', 50), (2, '2024-01-02', 40), (2, '2024-01-03', 45), (2, '2024-01-04', 49),
  (2, '2024-01-05', 30), (2, '2024-01-06', 60);

------------------------------------------------------------ documentation
-- Trino docs, "Example": V-shape over totalprice that climbs past the
-- starting price, SUBSET U = (C, D).  Data made up for it; expected rows
-- hand-derived.  Customer 1: A 100, B 90 80, C 95, D 110 120 (D+ stops
-- at 115).  Customer 2: A 50, B 40, then the greedy C+ takes 45 49 but
-- 30 is no D, so C+ gives 49 back: C 45, D 49; from 30 on, 60 is no B.
SELECT * FROM pg_temp.check($q$
  SELECT custkey, starting_price, bottom_price, top_price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.orders', $c$
      PARTITION BY custkey
      ORDER BY orderdate
      MEASURES A.totalprice AS starting_price,
               LAST(B.totalprice) AS bottom_price,
               LAST(U.totalprice) AS top_price
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B+ C+ D+)
      SUBSET U = (C, D)
      DEFINE B AS totalprice < PREV(totalprice),
             C AS totalprice > PREV(totalprice) AND totalprice <= A.totalprice,
             D AS totalprice > PREV(totalprice) $c$)
    AS m(custkey int, starting_price numeric, bottom_price numeric, top_price numeric)
    ORDER BY custkey, starting_price $q$,
  -- expected (hand-derived):
  $e$VALUES (1, 100, 80, 120), (2, 50, 40, 49)$e$);

-- Trino docs, "exclusion syntax": the same match with ALL ROWS PER MATCH
-- and PATTERN (A {- B+ C+ -} D+) outputs the starting row and the D rows.
SELECT * FROM pg_temp.check($q$
  SELECT custkey, orderdate, totalprice, cls, top_price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.orders', $c$
      PARTITION BY custkey
      ORDER BY orderdate
      MEASURES CLASSIFIER() AS cls, LAST(U.totalprice) AS top_price
      ALL ROWS PER MATCH
      PATTERN (A {- B+ C+ -} D+)
      SUBSET U = (C, D)
      DEFINE B AS totalprice < PREV(totalprice),
             C AS totalprice > PREV(totalprice) AND totalprice <= A.totalprice,
             D AS totalprice > PREV(totalprice) $c$)
    AS m(custkey int, orderdate date, totalprice numeric, cls text, top_price numeric)
    ORDER BY custkey, orderdate $q$,
  -- expected (hand-derived; top_price is running: NULL at the A row)
  $e$VALUES (1, date '2024-01-01', 100, 'A', NULL::numeric),
            (1, '2024-01-05', 110, 'D', 110),
            (1, '2024-01-06', 120, 'D', 120),
            (2, '2024-01-01', 50, 'A', NULL), (2, '2024-01-04', 49, 'D', 49)$e$);

------------------------------------------------------------ TestRowPatternMatching
-- testSimpleQuery
SELECT * FROM pg_temp.check($q$
  SELECT id, match, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS match,
               RUNNING LAST(value) AS val,
               CLASSIFIER() AS label
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B+ C+)
      DEFINE /* A defaults to True, matches any row */
             B AS B.value < PREV (B.value),
             C AS C.value > PREV (C.value) $c$)
    AS m(id int, match bigint, val int, label text)
    ORDER BY id $q$,
  -- expected (Trino TestRowPatternMatching.testSimpleQuery):
  $e$VALUES (1, 1, 90, 'A'), (2, 1, 80, 'B'), (3, 1, 70, 'B'), (4, 1, 80, 'C'),
            (5, 1, 90, 'C'), (6, 2, 50, 'A'), (7, 2, 40, 'B'), (8, 2, 60, 'C')$e$);

-- testRowPattern: empty pattern in the preferred branch of an alternation
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (() | A)
      DEFINE A AS true $c$)
    AS m(id int, match_no bigint, val int, label text)
    ORDER BY id $q$,
  -- expected (Trino testRowPattern, "empty pattern"):
  $e$VALUES (1, 1, NULL::int, NULL::text), (2, 2, NULL, NULL), (3, 3, NULL, NULL), (4, 4, NULL, NULL)$e$);

-- testRowPattern: anchors ^A, A^, A$, $A
SELECT * FROM pg_temp.check($q$
  SELECT p AS pattern, id, match_no, val, label
    FROM unnest(ARRAY['^A', 'A^', '^A^', 'A$', '$A', '$A$']) WITH ORDINALITY AS u(p, ord),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ') DEFINE A AS true')
         AS m(id int, match_no bigint, val int, label text)
    ORDER BY ord, id $q$,
  -- expected (Trino testRowPattern, anchors: only ^A and A$ match)
  $e$VALUES ('^A', 1, 1, 90, 'A'), ('A$', 4, 1, 70, 'A')$e$);

-- testRowPattern: concatenation, and the same pattern grouped
SELECT * FROM pg_temp.check($q$
  SELECT p, id, match_no, val, label
    FROM unnest(ARRAY['A B C', '((A) (B (C)))']) AS u(p),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ')
            DEFINE B AS B.value < PREV (B.value), C AS C.value = PREV (C.value)')
         AS m(id int, match_no bigint, val int, label text)
    ORDER BY p COLLATE "C", id $q$,
  -- expected (Trino testRowPattern, "pattern concatenation", "grouped pattern"):
  $e$VALUES ('((A) (B (C)))', 2, 1, 80, 'A'), ('((A) (B (C)))', 3, 1, 70, 'B'), ('((A) (B (C)))', 4, 1, 70, 'C'),
            ('A B C', 2, 1, 80, 'A'), ('A B C', 3, 1, 70, 'B'), ('A B C', 4, 1, 70, 'C')$e$);

-- testRowPattern: alternation, the first alternative that matches wins
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
      ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B | C | A)
      DEFINE B AS B.value < PREV (B.value), C AS C.value <= PREV (C.value) $c$)
    AS m(id int, match_no bigint, val int, label text)
    ORDER BY id $q$,
  -- expected (Trino testRowPattern, "pattern alternation"):
  $e$VALUES (1, 1, 90, 'A'), (2, 2, 80, 'B'), (3, 3, 70, 'B'), (4, 4, 70, 'C')$e$);

-- testRowPattern: PERMUTE, the lexicographically first order wins
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
      ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
      PATTERN (PERMUTE(B, C))
      DEFINE B AS B.value < PREV (B.value), C AS C.value < PREV (C.value) $c$)
    AS m(id int, match_no bigint, val int, label text)
    ORDER BY id $q$,
  -- expected (Trino testRowPattern, "pattern permutation"):
  $e$VALUES (2, 1, 80, 'B'), (3, 1, 70, 'C')$e$);

-- testPatternQuantifiers: DEFINE B AS B.value <= PREV(B.value) over 90 80 70 70,
-- one query per quantifier, shown as "pattern: id/match/val/label ..."
SELECT * FROM pg_temp.check($q$
  SELECT p, string_agg(id || '/' || match_no || '/' || coalesce(val::text, '-') || '/' || coalesce(label, '-'),
                       ' ' ORDER BY match_no, id) AS rows
    FROM unnest(ARRAY['B*', 'B*?', 'B+', 'B+?', 'B?', 'B??', 'B{,}', 'B{,}?', 'B{1,}?', 'B{2,}',
                      'B{2,}?', 'B{5,}', 'B{,1}', 'B{,2}', 'B{,2}?', 'B{1,1}', 'B{1,5}',
                      'B{1,5}?', 'B{5,7}', 'B{2}', 'B{2}?', 'B{5}']) AS u(p)
    LEFT JOIN LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ') DEFINE B AS B.value <= PREV (B.value)')
         AS m(id int, match_no bigint, val int, label text) ON true
    GROUP BY p ORDER BY p COLLATE "C" $q$,
  -- expected (Trino testPatternQuantifiers; NULL = no row):
  $e$VALUES ('B*',     '1/1/-/- 2/2/80/B 3/2/70/B 4/2/70/B'),
            ('B*?',    '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('B+',     '2/1/80/B 3/1/70/B 4/1/70/B'),
            ('B+?',    '2/1/80/B 3/2/70/B 4/3/70/B'),
            ('B?',     '1/1/-/- 2/2/80/B 3/3/70/B 4/4/70/B'),
            ('B??',    '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('B{,}',   '1/1/-/- 2/2/80/B 3/2/70/B 4/2/70/B'),
            ('B{,}?',  '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('B{1,}?', '2/1/80/B 3/2/70/B 4/3/70/B'),
            ('B{2,}',  '2/1/80/B 3/1/70/B 4/1/70/B'),
            ('B{2,}?', '2/1/80/B 3/1/70/B'),
            ('B{5,}',  NULL),
            ('B{,1}',  '1/1/-/- 2/2/80/B 3/3/70/B 4/4/70/B'),
            ('B{,2}',  '1/1/-/- 2/2/80/B 3/2/70/B 4/3/70/B'),
            ('B{,2}?', '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('B{1,1}', '2/1/80/B 3/2/70/B 4/3/70/B'),
            ('B{1,5}', '2/1/80/B 3/1/70/B 4/1/70/B'),
            ('B{1,5}?', '2/1/80/B 3/2/70/B 4/3/70/B'),
            ('B{5,7}', NULL),
            ('B{2}',   '2/1/80/B 3/1/70/B'),
            ('B{2}?',  '2/1/80/B 3/1/70/B'),
            ('B{5}',   NULL)$e$);

-- testExclusionSyntax: 90 80 70 80 90 50 40 60, B falls, C rises; one query per pattern
SELECT * FROM pg_temp.check($q$
  SELECT p, string_agg(id || '/' || match_no || '/' || val || '/' || label, ' ' ORDER BY match_no, id) AS rows
    FROM unnest(ARRAY['A B+ C+', 'A {- B+ -} C+', '{- A -} {- B+ -} C+', 'A {- {- B+ -} C+ -}',
                      '{- A B+ C+ -}', 'A B+ {- ()* -} C+', 'A {- B -}+ {- C -}+', 'A {- B -}* {- C -}*',
                      'A {- B -}{1,2} {- C -}{1,2}', 'A {- C -}{2,3} {- B -}{2,3}']) AS u(p)
    LEFT JOIN LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ')
            DEFINE B AS B.value < PREV (B.value), C AS C.value > PREV (C.value)')
         AS m(id int, match_no bigint, val int, label text) ON true
    GROUP BY p ORDER BY p COLLATE "C" $q$,
  -- expected (Trino testExclusionSyntax):
  $e$VALUES ('A B+ C+', '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 5/1/90/C 6/2/50/A 7/2/40/B 8/2/60/C'),
            ('A {- B+ -} C+', '1/1/90/A 4/1/80/C 5/1/90/C 6/2/50/A 8/2/60/C'),
            ('{- A -} {- B+ -} C+', '4/1/80/C 5/1/90/C 8/2/60/C'),
            ('A {- {- B+ -} C+ -}', '1/1/90/A 6/2/50/A'),
            ('{- A B+ C+ -}', NULL),
            ('A B+ {- ()* -} C+', '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 5/1/90/C 6/2/50/A 7/2/40/B 8/2/60/C'),
            ('A {- B -}+ {- C -}+', '1/1/90/A 6/2/50/A'),
            ('A {- B -}* {- C -}*', '1/1/90/A 6/2/50/A'),
            ('A {- B -}{1,2} {- C -}{1,2}', '1/1/90/A 6/2/50/A'),
            ('A {- C -}{2,3} {- B -}{2,3}', '3/1/70/A')$e$);

-- Exclusion with ONE ROW PER MATCH is allowed and changes nothing (ISO/IEC
-- 19075-5 4.14.3, as Trino and Oracle): the measures still see every row
SELECT * FROM pg_temp.check($q$
  SELECT match_no, val, label, cnt
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, LAST(value) AS val, classifier() AS label, count(*) AS cnt
      ONE ROW PER MATCH
      PATTERN (A {- B+ -} C+)
      DEFINE B AS B.value < PREV (B.value), C AS C.value > PREV (C.value) $c$)
    AS m(match_no bigint, val int, label text, cnt bigint)
    ORDER BY match_no $q$,
  -- expected (hand-derived, as testExclusionSyntax's matches):
  $e$VALUES (1, 90, 'C', 5), (2, 60, 'C', 3)$e$);

-- testBackReference: X refers to the value at label A, then at label B
-- (two equal rows, no ORDER BY)
SELECT * FROM pg_temp.check($q$
  SELECT v, value, classy
    FROM unnest(ARRAY['A', 'B']) AS u(v),
         LATERAL asset_stream.match_recognize('SELECT value FROM mr_conf_trino.ones LIMIT 2',
           'MEASURES CLASSIFIER() AS classy
            ALL ROWS PER MATCH
            PATTERN ((A | B)* X)
            DEFINE X AS value = ' || v || '.value')
         AS m(value int, classy text)
    ORDER BY v, classy $q$,
  -- expected (Trino testBackReference, both queries):
  $e$VALUES ('A', 1, 'A'), ('A', 1, 'X'), ('B', 1, 'B'), ('B', 1, 'X')$e$);

-- testBackReference: X needs nested navigations over A and B; the match
-- B A A A B X is the first of the preference order that satisfies it
SELECT * FROM pg_temp.check($q$
  SELECT value, classy, defining_condition
    FROM asset_stream.match_recognize('SELECT g AS value FROM generate_series(1, 6) AS g', $c$
      ORDER BY value
      MEASURES CLASSIFIER() AS classy,
               PREV(LAST(A.value), 3) + FIRST(A.value) + PREV(LAST(B.value), 2) AS defining_condition
      ALL ROWS PER MATCH
      PATTERN ((A | B)* X)
      DEFINE X AS value = PREV(LAST(A.value), 3) + FIRST(A.value) + PREV(LAST(B.value), 2) $c$)
    AS m(value int, classy text, defining_condition int)
    ORDER BY value $q$,
  -- expected (Trino testBackReference):
  $e$VALUES (1, 'B', NULL::int), (2, 'A', NULL), (3, 'A', NULL), (4, 'A', NULL), (5, 'B', 6), (6, 'X', 6)$e$);

-- testBackReference: X refers to the labels themselves, through a union variable
SELECT * FROM pg_temp.check($q$
  SELECT value, classy, defining_condition
    FROM asset_stream.match_recognize('SELECT g AS value FROM generate_series(1, 5) AS g', $c$
      ORDER BY value
      MEASURES CLASSIFIER() AS classy,
               PREV(CLASSIFIER(U), 1) = 'A' AND LAST(CLASSIFIER(), 3) = 'B' AND FIRST(CLASSIFIER(U)) = 'B'
                 AS defining_condition
      ALL ROWS PER MATCH
      PATTERN ((A | B)* X $)
      SUBSET U = (A, B)
      DEFINE X AS PREV(CLASSIFIER(U), 1) = 'A' AND LAST(CLASSIFIER(), 3) = 'B' AND FIRST(CLASSIFIER(U)) = 'B' $c$)
    AS m(value int, classy text, defining_condition boolean)
    ORDER BY value $q$,
  -- expected (Trino testBackReference):
  $e$VALUES (1, 'B', NULL::boolean), (2, 'B', false), (3, 'A', false), (4, 'A', true), (5, 'X', true)$e$);

-- testEmptyCycle: DEFINE B AS B.value < PREV(B.value) over 90 80 70 70
SELECT * FROM pg_temp.check($q$
  SELECT p, string_agg(id || '/' || match_no || '/' || coalesce(val::text, '-') || '/' || coalesce(label, '-'),
                       ' ' ORDER BY match_no, id) AS rows
    FROM unnest(ARRAY['()* | B', '()+ | B', '(){5,} | B', 'B | ()*', '(B ()*)*', '(B ()*)*?',
                      '^* | B', '^+ | B', '^* A B', '$* | B', '$+ | B', 'B A $+']) AS u(p)
    LEFT JOIN LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ') DEFINE B AS B.value < PREV (B.value)')
         AS m(id int, match_no bigint, val int, label text) ON true
    GROUP BY p ORDER BY p COLLATE "C" $q$,
  -- expected (Trino testEmptyCycle):
  $e$VALUES ('()* | B',    '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('()+ | B',    '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('(){5,} | B', '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('B | ()*',    '1/1/-/- 2/2/80/B 3/3/70/B 4/4/-/-'),
            ('(B ()*)*',   '1/1/-/- 2/2/80/B 3/2/70/B 4/3/-/-'),
            ('(B ()*)*?',  '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('^* | B',     '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('^+ | B',     '1/1/-/- 2/2/80/B 3/3/70/B'),
            ('^* A B',     '1/1/90/A 2/1/80/B'),
            ('$* | B',     '1/1/-/- 2/2/-/- 3/3/-/- 4/4/-/-'),
            ('$+ | B',     '2/1/80/B 3/2/70/B'),
            ('B A $+',     '3/1/70/B 4/1/70/A')$e$);

-- testOutputModes: ONE ROW PER MATCH (also the default) shows empty matches
SELECT * FROM pg_temp.check($q$
  SELECT rpm, match_no, val, label
    FROM unnest(ARRAY['ONE ROW PER MATCH', '']) AS u(rpm),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ' || rpm || ' AFTER MATCH SKIP PAST LAST ROW
            PATTERN (B*) DEFINE B AS B.value < PREV (B.value)')
         AS m(match_no bigint, val int, label text)
    ORDER BY rpm, match_no $q$,
  -- expected (Trino testOutputModes):
  $e$VALUES ('', 1, NULL::int, NULL::text), ('', 2, 70, 'B'), ('', 3, NULL, NULL),
            ('ONE ROW PER MATCH', 1, NULL, NULL), ('ONE ROW PER MATCH', 2, 70, 'B'), ('ONE ROW PER MATCH', 3, NULL, NULL)$e$);

-- testOutputModes: ONE ROW PER MATCH omits unmatched rows
SELECT * FROM pg_temp.check($q$
  SELECT match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
      ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B+) DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(match_no bigint, val int, label text)
    ORDER BY match_no $q$,
  -- expected (Trino testOutputModes):
  $e$VALUES (1, 70, 'B')$e$);

-- testOutputModes: ALL ROWS PER MATCH, SHOW / OMIT EMPTY MATCHES, WITH UNMATCHED ROWS
SELECT * FROM pg_temp.check($q$
  SELECT rpm || ' ' || p AS mode, string_agg(id || '/' || coalesce(match_no::text, '-') || '/'
                         || coalesce(val::text, '-') || '/' || coalesce(label, '-'), ' ' ORDER BY id) AS rows
    FROM (VALUES ('ALL ROWS PER MATCH', 'B*'), ('ALL ROWS PER MATCH', 'B+'),
                 ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 'B*'), ('ALL ROWS PER MATCH OMIT EMPTY MATCHES', 'B*'),
                 ('ALL ROWS PER MATCH OMIT EMPTY MATCHES', 'B+'), ('ALL ROWS PER MATCH WITH UNMATCHED ROWS', 'B+'),
                 ('ALL ROWS PER MATCH WITH UNMATCHED ROWS', 'B*'))
         AS u(rpm, p),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t4',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ' || rpm || ' AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ') DEFINE B AS B.value < PREV (B.value)')
         AS m(id int, match_no bigint, val int, label text)
    GROUP BY 1 ORDER BY (rpm || ' ' || p) COLLATE "C" $q$,
  -- expected (Trino testOutputModes; an empty match outputs its start row):
  $e$VALUES ('ALL ROWS PER MATCH B*', '1/1/-/- 2/2/80/B 3/2/70/B 4/3/-/-'),
            ('ALL ROWS PER MATCH B+', '2/1/80/B 3/1/70/B'),
            ('ALL ROWS PER MATCH OMIT EMPTY MATCHES B*', '2/2/80/B 3/2/70/B'),
            ('ALL ROWS PER MATCH OMIT EMPTY MATCHES B+', '2/1/80/B 3/1/70/B'),
            ('ALL ROWS PER MATCH SHOW EMPTY MATCHES B*', '1/1/-/- 2/2/80/B 3/2/70/B 4/3/-/-'),
            ('ALL ROWS PER MATCH WITH UNMATCHED ROWS B+', '1/-/-/- 2/1/80/B 3/1/70/B 4/-/-/-'),
            -- Trino docs: "Unmatched rows can only occur when the pattern does
            -- not allow an empty match" (hand-derived: as SHOW EMPTY MATCHES)
            ('ALL ROWS PER MATCH WITH UNMATCHED ROWS B*', '1/1/-/- 2/2/80/B 3/2/70/B 4/3/-/-')$e$);

-- testAfterMatchSkip: PATTERN (A B+ C+ D?), D never true, over 90 80 70 80 70 80
SELECT * FROM pg_temp.check($q$
  SELECT skip, string_agg(id || '/' || match_no || '/' || val || '/' || label, ' ' ORDER BY match_no, id) AS rows
    FROM unnest(ARRAY['PAST LAST ROW', 'TO NEXT ROW', 'TO FIRST C', 'TO LAST B', 'TO B', 'TO U']) AS u(skip),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t6',
           'ORDER BY id
            MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
            ALL ROWS PER MATCH
            AFTER MATCH SKIP ' || skip || '
            PATTERN (A B+ C+ D?)
            SUBSET U = (C, D)
            DEFINE B AS B.value < PREV (B.value), C AS C.value > PREV (C.value), D AS false')
         AS m(id int, match_no bigint, val int, label text)
    GROUP BY skip ORDER BY skip $q$,
  -- expected (Trino testAfterMatchSkip):
  $e$VALUES ('PAST LAST ROW', '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C'),
            ('TO NEXT ROW',   '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 2/2/80/A 3/2/70/B 4/2/80/C 4/3/80/A 5/3/70/B 6/3/80/C'),
            ('TO FIRST C',    '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 4/2/80/A 5/2/70/B 6/2/80/C'),
            ('TO LAST B',     '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 4/2/80/A 5/2/70/B 6/2/80/C'),
            ('TO B',          '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 4/2/80/A 5/2/70/B 6/2/80/C'),
            ('TO U',          '1/1/90/A 2/1/80/B 3/1/70/B 4/1/80/C 4/2/80/A 5/2/70/B 6/2/80/C')$e$);

-- testAfterMatchSkip: the two runtime errors
SELECT skip, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t6', $c$
      ORDER BY id
      MEASURES match_number() AS match_no
      ALL ROWS PER MATCH
      AFTER MATCH SKIP %s
      PATTERN (A B+ C+ D?)
      SUBSET U = (C, D)
      DEFINE B AS B.value < PREV (B.value), C AS C.value > PREV (C.value), D AS false $c$)
    AS m(id int, match_no bigint) $q$, skip)) AS error
  FROM unnest(ARRAY['TO A', 'TO D', 'TO FIRST A']) AS u(skip);
-- expected (Trino testAfterMatchSkip): TO A and TO FIRST A fail with
-- "AFTER MATCH SKIP failed: cannot skip to first row of match", TO D with
-- "AFTER MATCH SKIP failed: pattern variable is not present in match"
-- (SQLSTATE 22000 here)

-- testEmptyMatches: WITH UNMATCHED ROWS + SKIP TO NEXT ROW: rows 4 and 5
-- fail as start rows but were part of a match, so they are not unmatched
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, value, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t6e', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, classifier() AS label
      ALL ROWS PER MATCH WITH UNMATCHED ROWS
      AFTER MATCH SKIP TO NEXT ROW
      PATTERN (A B{2})
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(id int, match_no bigint, value int, label text)
    ORDER BY id, match_no $q$,
  -- expected (Trino testEmptyMatches):
  $e$VALUES (1, NULL::bigint, 100, NULL::text), (2, 1, 100, 'A'), (3, 1, 90, 'B'), (3, 2, 90, 'A'),
            (4, 1, 80, 'B'), (4, 2, 80, 'B'), (5, 2, 70, 'B'), (6, NULL, 100, NULL)$e$);

-- testUnionVariable: CLASSIFIER(U) and CLASSIFIER(W) (W = all variables)
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, lower_or_higher, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8 WHERE id <= 4', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val,
               classifier(U) AS lower_or_higher, classifier(W) AS label
      ALL ROWS PER MATCH
      PATTERN ((L | H) A)
      SUBSET U = (L, H), W = (A, L, H)
      DEFINE A AS A.value = 80, L AS L.value < 80, H AS H.value > 80 $c$)
    AS m(id int, match_no bigint, val int, lower_or_higher text, label text)
    ORDER BY id $q$,
  -- expected (Trino testUnionVariable):
  $e$VALUES (1, 1, 90, 'H', 'H'), (2, 1, 80, 'H', 'A'), (3, 2, 70, 'L', 'L'), (4, 2, 80, 'L', 'A')$e$);

-- testNavigationFunctions: bare column, LAST, FIRST, RUNNING / FINAL
SELECT * FROM pg_temp.check($q$
  SELECT id, m_value, m_last, m_running_last, m_final_last, m_first, m_running_first, m_final_first, m_final_last_2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t3', $c$
      ORDER BY id
      MEASURES value AS m_value, LAST(value) AS m_last, RUNNING LAST(value) AS m_running_last,
               FINAL LAST(value) AS m_final_last, FIRST(value) AS m_first,
               RUNNING FIRST(value) AS m_running_first, FINAL FIRST(value) AS m_final_first,
               FINAL LAST(value, 2) AS m_final_last_2
      ALL ROWS PER MATCH
      PATTERN (A+)
      DEFINE A AS true $c$)
    AS m(id int, m_value int, m_last int, m_running_last int, m_final_last int, m_first int,
         m_running_first int, m_final_first int, m_final_last_2 int)
    ORDER BY id $q$,
  -- expected (Trino testNavigationFunctions):
  $e$VALUES (1, 10, 10, 10, 30, 10, 10, 10, 10), (2, 20, 20, 20, 30, 10, 10, 10, 10),
            (3, 30, 30, 30, 30, 10, 10, 10, 10)$e$);

-- testNavigationFunctions: logical offsets.  RUNNING FIRST(value, 2) is
-- NULL until the third row is part of the running match: the expectation
-- of Trino after trinodb/trino#27006 (issue #26981, same as Oracle); the
-- older test expected 30 on every row.
SELECT * FROM pg_temp.check($q$
  SELECT id, m_first_2, m_last_10, m_first_10
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t3', $c$
      ORDER BY id
      MEASURES FIRST(value, 2) AS m_first_2, LAST(value, 10) AS m_last_10, FIRST(value, 10) AS m_first_10
      ALL ROWS PER MATCH
      PATTERN (A+)
      DEFINE A AS true $c$)
    AS m(id int, m_first_2 int, m_last_10 int, m_first_10 int)
    ORDER BY id $q$,
  -- expected (Trino testNavigationFunctions, with #27006):
  $e$VALUES (1, NULL::int, NULL::int, NULL::int), (2, NULL, NULL, NULL), (3, 30, NULL, NULL)$e$);

-- testNavigationFunctions: physical offsets, alone and around FIRST / LAST
SELECT * FROM pg_temp.check($q$
  SELECT id, m_prev, m_next, m_next_first_2, m_next_first_10, m_prev_first_10, m_prev_first10_2, m_prev_last10_2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t3', $c$
      ORDER BY id
      MEASURES PREV(value) AS m_prev, NEXT(value) AS m_next,
               NEXT(FIRST(value), 2) AS m_next_first_2, NEXT(FIRST(value), 10) AS m_next_first_10,
               PREV(FIRST(value), 10) AS m_prev_first_10, PREV(FIRST(value, 10), 2) AS m_prev_first10_2,
               PREV(LAST(value, 10), 2) AS m_prev_last10_2
      ALL ROWS PER MATCH
      PATTERN (A+)
      DEFINE A AS true $c$)
    AS m(id int, m_prev int, m_next int, m_next_first_2 int, m_next_first_10 int, m_prev_first_10 int,
         m_prev_first10_2 int, m_prev_last10_2 int)
    ORDER BY id $q$,
  -- expected (Trino testNavigationFunctions):
  $e$VALUES (1, NULL::int, 20, 30, NULL::int, NULL::int, NULL::int, NULL::int),
            (2, 10, 30, 30, NULL, NULL, NULL, NULL),
            (3, 20, NULL, 30, NULL, NULL, NULL, NULL)$e$);

-- testNavigationFunctions: PREV / NEXT reach rows outside the match (within the partition)
SELECT * FROM pg_temp.check($q$
  SELECT prev4, prev3, prev2, next1, next2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t5', $c$
      ORDER BY id
      MEASURES PREV(B.value, 4) AS prev4, PREV(B.value, 3) AS prev3, PREV(B.value, 2) AS prev2,
               NEXT(B.value, 1) AS next1, NEXT(B.value, 2) AS next2
      ONE ROW PER MATCH
      PATTERN (A B)
      DEFINE B AS B.value = PREV(B.value) $c$)
    AS m(prev4 int, prev3 int, prev2 int, next1 int, next2 int) $q$,
  -- expected (Trino testNavigationFunctions: rows 3, 4 match):
  $e$VALUES (NULL::int, 10, 20, 40, NULL::int)$e$);

-- ... the same rows with ALL ROWS PER MATCH: NEXT(value) of the match's
-- last row is the row after the match (hand-derived, Trino docs: "it is
-- possible to navigate and retrieve values outside the match")
SELECT * FROM pg_temp.check($q$
  SELECT id, label, next_value, prev_value
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t5', $c$
      ORDER BY id
      MEASURES CLASSIFIER() AS label, NEXT(value) AS next_value, PREV(value, 2) AS prev_value
      ALL ROWS PER MATCH
      PATTERN (A B)
      DEFINE B AS B.value = PREV(B.value) $c$)
    AS m(id int, label text, next_value int, prev_value int)
    ORDER BY id $q$,
  -- expected (hand-derived):
  $e$VALUES (3, 'A', 30, 10), (4, 'B', 40, 20)$e$);

-- NEXT in DEFINE reads the next input row (physical navigation); beyond
-- the partition it is NULL: local maxima of 90 80 70 80 90 50 40 60
SELECT * FROM pg_temp.check($q$
  SELECT id, value, match_no
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS match_no
      ALL ROWS PER MATCH
      PATTERN (P)
      DEFINE P AS value > PREV(value) AND value > NEXT(value) $c$)
    AS m(id int, value int, match_no bigint)
    ORDER BY id $q$,
  -- expected (hand-derived: only 90 on row 5; row 8 has no next row):
  $e$VALUES (5, 90, 1)$e$);

-- testClassifierFunctionPastCurrentRow: in MEASURES the match is complete,
-- so NEXT(CLASSIFIER()) sees the label of the next row
SELECT * FROM pg_temp.check($q$
  SELECT id, value, label, next_label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8 WHERE id <= 4', $c$
      ORDER BY id
      MEASURES CLASSIFIER() AS label, NEXT(CLASSIFIER()) AS next_label
      ALL ROWS PER MATCH
      PATTERN (A B+ C+)
      DEFINE B AS B.value < PREV(B.value), C AS C.value > PREV(C.value) $c$)
    AS m(id int, value int, label text, next_label text)
    ORDER BY id $q$,
  -- expected (Trino testClassifierFunctionPastCurrentRow):
  $e$VALUES (1, 90, 'A', 'B'), (2, 80, 'B', 'B'), (3, 70, 'B', 'C'), (4, 80, 'C', NULL)$e$);

-- testClassifierFunctionPastCurrentRow: ... in DEFINE no row after the
-- current one is matched yet: NEXT(CLASSIFIER()) is NULL, A never holds
SELECT * FROM pg_temp.check($q$
  SELECT id, val
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8 WHERE id <= 4', $c$
      ORDER BY id
      MEASURES value AS val
      ALL ROWS PER MATCH
      PATTERN (A+)
      DEFINE A AS NEXT(CLASSIFIER()) = 'A' $c$)
    AS m(id int, val int)
    ORDER BY id $q$,
  -- expected (Trino: empty result):
  NULL);

-- testCaseSensitiveLabels: a -> 'A', "b" stays 'b'
SELECT * FROM pg_temp.check($q$
  SELECT id, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8 WHERE id <= 4', $c$
      ORDER BY id
      MEASURES CLASSIFIER() AS label
      ALL ROWS PER MATCH
      PATTERN (a "b"+ C+)
      DEFINE "b" AS "b".value < PREV("b".value), C AS C.value > PREV(C.value) $c$)
    AS m(id int, label text)
    ORDER BY id $q$,
  -- expected (Trino testCaseSensitiveLabels):
  $e$VALUES (1, 'A'), (2, 'b'), (3, 'b'), (4, 'C')$e$);

-- testScalarFunctions (Trino's CAST(... AS varchar(7)) kept as text)
SELECT * FROM pg_temp.check($q$
  SELECT id, label
    FROM asset_stream.match_recognize('SELECT * FROM (VALUES (1, 90), (2, 80), (3, 60)) AS t(id, value)', $c$
      ORDER BY id
      MEASURES lower(LAST(CLASSIFIER())) || '_label' AS label
      ALL ROWS PER MATCH
      PATTERN (A B+)
      DEFINE B AS B.value + 10 < abs(PREV (B.value)) $c$)
    AS m(id int, label text)
    ORDER BY id $q$,
  -- expected (Trino testScalarFunctions):
  $e$VALUES (2, 'a_label'), (3, 'b_label')$e$);

-- testRunningAndFinal
SELECT * FROM pg_temp.check($q$
  SELECT id, label, final_label, running_value, final_value, a_running_value, a_final_value,
         b_running_value, b_final_value, c_running_value, c_final_value
    FROM asset_stream.match_recognize(
           'SELECT * FROM (VALUES (1, 90), (2, 80), (3, 70), (4, 100), (5, 200)) AS t(id, value)', $c$
      ORDER BY id
      MEASURES CLASSIFIER() AS label,
               FINAL LAST(CLASSIFIER()) AS final_label,
               RUNNING LAST(value) AS running_value,
               FINAL LAST(value) AS final_value,
               RUNNING LAST(A.value) AS A_running_value,
               FINAL LAST(A.value) AS A_final_value,
               RUNNING LAST(B.value) AS B_running_value,
               FINAL LAST(B.value) AS B_final_value,
               RUNNING LAST(C.value) AS C_running_value,
               FINAL LAST(C.value) AS C_final_value
      ALL ROWS PER MATCH
      PATTERN (A B+ C+)
      DEFINE B AS B.value < PREV (B.value), C AS C.value > PREV (C.value) $c$)
    AS m(id int, label text, final_label text, running_value int, final_value int, a_running_value int,
         a_final_value int, b_running_value int, b_final_value int, c_running_value int, c_final_value int)
    ORDER BY id $q$,
  -- expected (Trino testRunningAndFinal):
  $e$VALUES (1, 'A', 'C',  90, 200, 90, 90, NULL::int, 70, NULL::int, 200),
            (2, 'B', 'C',  80, 200, 90, 90, 80, 70, NULL, 200),
            (3, 'B', 'C',  70, 200, 90, 90, 70, 70, NULL, 200),
            (4, 'C', 'C', 100, 200, 90, 90, 70, 70, 100, 200),
            (5, 'C', 'C', 200, 200, 90, 90, 70, 70, 200, 200)$e$);

-- testPartitioningAndOrdering: several partitions, unordered input
SELECT * FROM pg_temp.check($q$
  SELECT part, id, match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pp', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES match_number() AS match_no, PREV(RUNNING LAST(value)) AS val, classifier() AS label
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(part text, id int, match_no bigint, val int, label text)
    ORDER BY part, id $q$,
  -- expected (Trino testPartitioningAndOrdering):
  $e$VALUES ('p1', 2, 1, 90, 'B'), ('p1', 3, 1, 80, 'B'), ('p1', 6, 2, 90, 'B'), ('p2', 3, 1, 20, 'B')$e$);

-- ... ^ and $ anchor at the start / end of each partition, not of the input
SELECT * FROM pg_temp.check($q$
  SELECT p, part, id, value
    FROM unnest(ARRAY['^A', 'A$', '^A A A$']) AS u(p),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pp',
           'PARTITION BY part ORDER BY id ALL ROWS PER MATCH PATTERN (' || p || ')')
         AS m(part text, id int, value int)
    ORDER BY p COLLATE "C", part, id $q$,
  -- expected (hand-derived; p2 and p3 have 3 rows, p1 has 6):
  $e$VALUES ('A$', 'p1', 6, 80), ('A$', 'p2', 3, 10), ('A$', 'p3', 3, 70),
            ('^A', 'p1', 1, 90), ('^A', 'p2', 1, 20), ('^A', 'p3', 1, 50),
            ('^A A A$', 'p2', 1, 20), ('^A A A$', 'p2', 2, 20), ('^A A A$', 'p2', 3, 10),
            ('^A A A$', 'p3', 1, 50), ('^A A A$', 'p3', 2, 60), ('^A A A$', 'p3', 3, 70)$e$);

-- ... rows with a NULL partition key form one partition of their own
SELECT * FROM pg_temp.check($q$
  SELECT part, id, match_no, val
    FROM asset_stream.match_recognize(
           'SELECT * FROM mr_conf_trino.pp UNION ALL SELECT * FROM (VALUES (2, NULL, 80), (1, NULL, 90)) AS n',
           $c$
      PARTITION BY part
      ORDER BY id
      MEASURES match_number() AS match_no, PREV(RUNNING LAST(value)) AS val
      ALL ROWS PER MATCH
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(part text, id int, match_no bigint, val int)
    ORDER BY part NULLS FIRST, id $q$,
  -- expected (Trino testPartitioningAndOrdering + the NULL partition, hand-derived):
  $e$VALUES (NULL, 2, 1, 90), ('p1', 2, 1, 90), ('p1', 3, 1, 80), ('p1', 6, 2, 90), ('p2', 3, 1, 20)$e$);

-- ... ORDER BY DESC: PREV is the row before in that order
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, prev_val
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pu', $c$
      ORDER BY id DESC
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, PREV(value) AS prev_val
      ALL ROWS PER MATCH
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(id int, match_no bigint, val int, prev_val int)
    ORDER BY id $q$,
  -- expected (hand-derived: ids 5 4 3 2 1 hold 10 20 30 90 80):
  $e$VALUES (1, 1, 80, 90)$e$);

-- testPartitioningAndOrdering: empty input
SELECT * FROM pg_temp.check($q$
  SELECT part, id, match_no
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pp WHERE false', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES match_number() AS match_no
      ALL ROWS PER MATCH
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(part text, id int, match_no bigint) $q$,
  -- expected (Trino: empty result):
  NULL);

-- testPartitioningAndOrdering: no partitioning, unordered input
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, val, label
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pu', $c$
      ORDER BY id
      MEASURES match_number() AS match_no, RUNNING LAST(value) AS val, classifier() AS label
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(id int, match_no bigint, val int, label text)
    ORDER BY id $q$,
  -- expected (Trino testPartitioningAndOrdering):
  $e$VALUES (3, 1, 30, 'B'), (4, 1, 20, 'B'), (5, 1, 10, 'B')$e$);

-- testPartitioningAndOrdering: no measures
SELECT * FROM pg_temp.check($q$
  SELECT id, part
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pn', $c$
      PARTITION BY part
      ORDER BY id
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B+)
      DEFINE B AS B.value < PREV (B.value) $c$)
    AS m(id int, part text)
    ORDER BY id $q$,
  -- expected (Trino testPartitioningAndOrdering):
  $e$VALUES (3, 'p1'), (5, 'p2')$e$);

-- testMultipleMatchRecognize: three calls in one FROM
SELECT * FROM pg_temp.check($q$
  SELECT first.classy AS c1, second.classy AS c2, third.classy AS c3
    FROM asset_stream.match_recognize('SELECT * FROM (VALUES (1), (2), (3)) AS t(id)', $c$
           ORDER BY id MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH PATTERN (A) DEFINE A AS true $c$)
           AS first(classy text),
         asset_stream.match_recognize('SELECT * FROM (VALUES (10), (20)) AS t(id)', $c$
           ORDER BY id MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH PATTERN (B) DEFINE B AS true $c$)
           AS second(classy text),
         asset_stream.match_recognize('SELECT 100 AS id', $c$
           ORDER BY id MEASURES CLASSIFIER() AS classy ALL ROWS PER MATCH PATTERN (C) DEFINE C AS true $c$)
           AS third(classy text) $q$,
  -- expected (Trino testMultipleMatchRecognize):
  $e$VALUES ('A', 'B', 'C'), ('A', 'B', 'C'), ('A', 'B', 'C'), ('A', 'B', 'C'), ('A', 'B', 'C'), ('A', 'B', 'C')$e$);

-- testSubqueries: uncorrelated subqueries in MEASURES and DEFINE.  Trino
-- returns ('x', 1400) for each of the 4 matches; asset_stream documents
-- subqueries in MATCH_RECOGNIZE expressions as not supported (0A000).
SELECT what, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t400', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS mno, %s AS val
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO NEXT ROW
      PATTERN (A+)
      DEFINE A AS %s $c$)
    AS m(mno bigint, val text) $q$, measure, define)) AS error
  FROM (VALUES ('scalar subqueries', '(SELECT ''x'')', '(SELECT true)'),
               ('in navigations', 'FINAL LAST(A.value + (SELECT 1000))::text', 'FIRST(A.value < 0 OR (SELECT true))'),
               ('EXISTS', 'LAST(A.value < 0 OR EXISTS (SELECT 1))::text', 'true'),
               ('in an aggregate', 'array_agg(''X'' || (SELECT ''Y''))::text', 'true')) AS u(what, measure, define);
-- expected: 0A000 (not supported) for all four

-- testInPredicateWithoutSubquery
SELECT * FROM pg_temp.check($q$
  SELECT mno, in_nav, in_classifier, in_match_number
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t400', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS mno,
               FIRST(A.value) IN (300, LAST(A.value)) AS in_nav,
               CLASSIFIER() IN ('X', lower(CLASSIFIER())) AS in_classifier,
               MATCH_NUMBER() IN (0, MATCH_NUMBER()) AS in_match_number
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO NEXT ROW
      PATTERN (A+)
      DEFINE A AS true $c$)
    AS m(mno bigint, in_nav boolean, in_classifier boolean, in_match_number boolean)
    ORDER BY mno $q$,
  -- expected (Trino testInPredicateWithoutSubquery):
  $e$VALUES (1, false, false, true), (2, false, false, true), (3, true, false, true), (4, true, false, true)$e$);

-- testPotentiallyExponentialMatch: (A+)+ B over 20 rows that are all A
SELECT * FROM pg_temp.check($q$
  SELECT classy
    FROM asset_stream.match_recognize('SELECT value FROM mr_conf_trino.ones', $c$
      MEASURES CLASSIFIER() AS classy
      PATTERN ((A+)+ B)
      DEFINE A AS value = 1, B AS value = 2 $c$)
    AS m(classy text) $q$,
  -- expected (Trino: empty result):
  NULL);

-- testExponentialMatch: the match B B B B B B B B LAST is the last one
-- tried of over 2^9; LAST is a pattern variable here
SELECT * FROM pg_temp.check($q$
  SELECT value, classy
    FROM asset_stream.match_recognize('SELECT g AS value FROM generate_series(1, 9) AS g', $c$
      ORDER BY value
      MEASURES CLASSIFIER() AS classy
      ALL ROWS PER MATCH
      PATTERN ((A | B)+ LAST)
      DEFINE LAST AS FIRST(CLASSIFIER()) = 'B' AND
                     FIRST(CLASSIFIER(), 1) = 'B' AND
                     FIRST(CLASSIFIER(), 2) = 'B' AND
                     FIRST(CLASSIFIER(), 3) = 'B' AND
                     FIRST(CLASSIFIER(), 4) = 'B' AND
                     FIRST(CLASSIFIER(), 5) = 'B' AND
                     FIRST(CLASSIFIER(), 6) = 'B' AND
                     FIRST(CLASSIFIER(), 7) = 'B' $c$)
    AS m(value int, classy text)
    ORDER BY value $q$,
  -- expected (Trino testExponentialMatch):
  $e$VALUES (1, 'B'), (2, 'B'), (3, 'B'), (4, 'B'), (5, 'B'), (6, 'B'), (7, 'B'), (8, 'B'), (9, 'LAST')$e$);

-- testKillThread: (Y?){2,} takes all five rows in one match
SELECT * FROM pg_temp.check($q$
  SELECT foo
    FROM asset_stream.match_recognize('SELECT g AS x FROM generate_series(1, 5) AS g', $c$
      MEASURES 'foo' AS foo
      PATTERN ((Y?){2,})
      DEFINE Y AS true $c$)
    AS m(foo text) $q$,
  -- expected (Trino testKillThread):
  $e$VALUES ('foo')$e$);

------------------------------------------------------------ TestAggregationsInRowPatternMatching
-- testSimpleQuery: running sum
SELECT * FROM pg_temp.check($q$
  SELECT id, running_sum
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES RUNNING sum(id) AS running_sum
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A*)
      DEFINE A AS true $c$)
    AS m(id int, running_sum bigint)
    ORDER BY id $q$,
  -- expected (Trino testSimpleQuery):
  $e$VALUES (1, 1), (2, 3), (3, 6), (4, 10), (5, 15), (6, 21), (7, 28), (8, 36)$e$);

-- testSimpleQuery: array_agg(CLASSIFIER(A))
SELECT * FROM pg_temp.check($q$
  SELECT id, running_labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES RUNNING array_agg(CLASSIFIER(A)) AS running_labels
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A*)
      DEFINE A AS true $c$)
    AS m(id int, running_labels text[])
    ORDER BY id $q$,
  -- expected (Trino testSimpleQuery):
  $e$VALUES (1, ARRAY['A']), (2, ARRAY['A', 'A']), (3, ARRAY['A', 'A', 'A']), (4, ARRAY['A', 'A', 'A', 'A']),
            (5, ARRAY['A', 'A', 'A', 'A', 'A']), (6, ARRAY['A', 'A', 'A', 'A', 'A', 'A']),
            (7, ARRAY['A', 'A', 'A', 'A', 'A', 'A', 'A']), (8, ARRAY['A', 'A', 'A', 'A', 'A', 'A', 'A', 'A'])$e$);

-- testSimpleQuery: labels of a union variable, quoted variable "!"
-- (Trino's concat_ws('', array) is array_to_string(array, ''))
SELECT * FROM pg_temp.check($q$
  SELECT id, running_labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES array_to_string(RUNNING array_agg(lower(CLASSIFIER(U))), '') AS running_labels
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (M A X X T C H "!")
      SUBSET U = (M, A, T, C, H, "!")
      DEFINE M AS true $c$)
    AS m(id int, running_labels text)
    ORDER BY id $q$,
  -- expected (Trino testSimpleQuery):
  $e$VALUES (1, 'm'), (2, 'ma'), (3, 'ma'), (4, 'ma'), (5, 'mat'), (6, 'matc'), (7, 'match'), (8, 'match!')$e$);

-- testPartitioning: running sum per partition
SELECT * FROM pg_temp.check($q$
  SELECT part, id, running_sum
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pa', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES RUNNING sum(value) AS running_sum
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (B+)
      DEFINE B AS true $c$)
    AS m(part text, id int, running_sum bigint)
    ORDER BY part, id $q$,
  -- expected (Trino testPartitioning):
  $e$VALUES ('p1', 1, 1), ('p1', 2, 2), ('p1', 3, 3), ('p1', 4, 4), ('p1', 5, 5), ('p1', 6, 6),
            ('p2', 1, 10), ('p2', 2, 20), ('p2', 3, 30), ('p3', 1, 100), ('p3', 2, 200), ('p3', 3, 300)$e$);

-- testPartitioning: SKIP TO NEXT ROW, a rolling sum per match
SELECT * FROM pg_temp.check($q$
  SELECT part, match_no, id, running_sum
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pa', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES RUNNING sum(value) AS running_sum, MATCH_NUMBER() AS match_no
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO NEXT ROW
      PATTERN (B+)
      DEFINE B AS true $c$)
    AS m(part text, match_no bigint, id int, running_sum bigint)
    ORDER BY part, match_no, id $q$,
  -- expected (Trino testPartitioning):
  $e$VALUES ('p1', 1, 1, 1), ('p1', 1, 2, 2), ('p1', 1, 3, 3), ('p1', 1, 4, 4), ('p1', 1, 5, 5), ('p1', 1, 6, 6),
            ('p1', 2, 2, 1), ('p1', 2, 3, 2), ('p1', 2, 4, 3), ('p1', 2, 5, 4), ('p1', 2, 6, 5),
            ('p1', 3, 3, 1), ('p1', 3, 4, 2), ('p1', 3, 5, 3), ('p1', 3, 6, 4),
            ('p1', 4, 4, 1), ('p1', 4, 5, 2), ('p1', 4, 6, 3),
            ('p1', 5, 5, 1), ('p1', 5, 6, 2),
            ('p1', 6, 6, 1),
            ('p2', 1, 1, 10), ('p2', 1, 2, 20), ('p2', 1, 3, 30), ('p2', 2, 2, 10), ('p2', 2, 3, 20), ('p2', 3, 3, 10),
            ('p3', 1, 1, 100), ('p3', 1, 2, 200), ('p3', 1, 3, 300), ('p3', 2, 2, 100), ('p3', 2, 3, 200),
            ('p3', 3, 3, 100)$e$);

-- testTentativeLabelMatch: the row being tried as A is not yet a B row (avg(int) is numeric here)
SELECT * FROM pg_temp.check($q$
  SELECT id, classy, running_avg_b
    FROM asset_stream.match_recognize('SELECT * FROM (VALUES (1, 4), (2, 6), (3, 0)) AS t(id, value)', $c$
      ORDER BY id
      MEASURES RUNNING avg(B.value) AS running_avg_B, CLASSIFIER() AS classy
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B)*)
      DEFINE A AS avg(B.value) = 5 $c$)
    AS m(id int, classy text, running_avg_b numeric)
    ORDER BY id $q$,
  -- expected (Trino testTentativeLabelMatch):
  $e$VALUES (1, 'B', 4), (2, 'B', 5), (3, 'A', 5)$e$);

-- testTentativeLabelMatch: ... but it is an A row in A's own aggregate
SELECT * FROM pg_temp.check($q$
  SELECT id, classy, running_avg_a
    FROM asset_stream.match_recognize('SELECT * FROM (VALUES (1, 4), (2, 6), (3, 0), (4, 5)) AS t(id, value)', $c$
      ORDER BY id
      MEASURES RUNNING avg(A.value) AS running_avg_A, CLASSIFIER() AS classy
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B)*)
      DEFINE A AS avg(A.value) = 5 $c$)
    AS m(id int, classy text, running_avg_a numeric)
    ORDER BY id $q$,
  -- expected (Trino testTentativeLabelMatch):
  $e$VALUES (1, 'B', NULL::numeric), (2, 'B', NULL), (3, 'B', NULL), (4, 'A', 5)$e$);

-- testTentativeLabelMatch: the tentative A must be dropped (sum > 1000
-- never holds; the same with Trino's arbitrary(value), here max(value))
SELECT * FROM pg_temp.check($q$
  SELECT define_a, part, id, running_sum
    FROM unnest(ARRAY['sum(value) > 1000', 'max(value) > 1000']) AS u(define_a),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pa',
           'PARTITION BY part
            ORDER BY id
            MEASURES RUNNING sum(value) AS running_sum
            ALL ROWS PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN (B (A | B) B)
            DEFINE A AS ' || define_a)
         AS m(part text, id int, running_sum bigint)
    ORDER BY define_a COLLATE "C", part, id $q$,
  -- expected (Trino testTentativeLabelMatch, both queries):
  $e$SELECT d, p, i, s FROM (VALUES ('max(value) > 1000'), ('sum(value) > 1000')) AS a(d),
       (VALUES ('p1', 1, 1), ('p1', 2, 2), ('p1', 3, 3), ('p1', 4, 1), ('p1', 5, 2), ('p1', 6, 3),
               ('p2', 1, 10), ('p2', 2, 20), ('p2', 3, 30),
               ('p3', 1, 100), ('p3', 2, 200), ('p3', 3, 300)) AS b(p, i, s)$e$);

-- testTentativeLabelMatch: A once the running sum exceeds 4
SELECT * FROM pg_temp.check($q$
  SELECT part, id, classy, running_sum
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pb', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES RUNNING sum(value) AS running_sum, CLASSIFIER() AS classy
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B)*)
      DEFINE A AS sum(value) > 4 $c$)
    AS m(part text, id int, classy text, running_sum bigint)
    ORDER BY part, id $q$,
  -- expected (Trino testTentativeLabelMatch):
  $e$VALUES ('p1', 1, 'B', 1), ('p1', 2, 'B', 2), ('p1', 3, 'B', 3), ('p1', 4, 'B', 4), ('p1', 5, 'A', 5),
            ('p2', 1, 'B', 2), ('p2', 2, 'B', 4), ('p2', 3, 'A', 6), ('p2', 4, 'A', 8), ('p2', 5, 'A', 10)$e$);

-- testTentativeLabelMatch (max) and ...WithRuntimeEvaluatedAggregationArgument (max(value + MATCH_NUMBER()))
SELECT * FROM pg_temp.check($q$
  SELECT define_a, part, id, classy, running_max
    FROM unnest(ARRAY['max(value) > 4', 'max(value + MATCH_NUMBER()) > 5']) AS u(define_a),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_trino.pm',
           'PARTITION BY part
            ORDER BY id
            MEASURES RUNNING max(value) AS running_max, CLASSIFIER() AS classy
            ALL ROWS PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN ((A | B)*)
            DEFINE A AS ' || define_a)
         AS m(part text, id int, classy text, running_max int)
    ORDER BY define_a COLLATE "C", part, id $q$,
  -- expected (Trino, both tests):
  $e$SELECT d, p, i, c, mx FROM (VALUES ('max(value) > 4'), ('max(value + MATCH_NUMBER()) > 5')) AS a(d),
       (VALUES ('p1', 1, 'B', 1), ('p1', 2, 'B', 2), ('p1', 3, 'B', 3), ('p1', 4, 'B', 4), ('p1', 5, 'A', 5),
               ('p2', 1, 'B', 2), ('p2', 2, 'B', 4), ('p2', 3, 'A', 6), ('p2', 4, 'A', 8), ('p2', 5, 'A', 10))
       AS b(p, i, c, mx)$e$);

-- testAggregationArguments: value || CLASSIFIER()
SELECT * FROM pg_temp.check($q$
  SELECT part, id, measure
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.letters', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES array_agg(value || CLASSIFIER()) AS measure
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (X Y Z+)
      DEFINE X AS true $c$)
    AS m(part text, id int, measure text[])
    ORDER BY part, id $q$,
  -- expected (Trino testAggregationArguments):
  $e$VALUES ('p1', 1, ARRAY['aX']), ('p1', 2, ARRAY['aX', 'bY']), ('p1', 3, ARRAY['aX', 'bY', 'cZ']),
            ('p1', 4, ARRAY['aX', 'bY', 'cZ', 'dZ']), ('p1', 5, ARRAY['aX', 'bY', 'cZ', 'dZ', 'eZ']),
            ('p1', 6, ARRAY['aX', 'bY', 'cZ', 'dZ', 'eZ', 'fZ']),
            ('p2', 1, ARRAY['gX']), ('p2', 2, ARRAY['gX', 'hY']), ('p2', 3, ARRAY['gX', 'hY', 'iZ']),
            ('p3', 1, ARRAY['jX']), ('p3', 2, ARRAY['jX', 'kY']), ('p3', 3, ARRAY['jX', 'kY', 'lZ'])$e$);

-- testAggregationArguments: the same input column twice, and MATCH_NUMBER()
-- in an argument (Trino's variants with subqueries are in the error case
-- of testSubqueries above)
SELECT * FROM pg_temp.check($q$
  SELECT id, measure, measure_mn
    FROM asset_stream.match_recognize('SELECT id, value FROM mr_conf_trino.letters WHERE part = ''p2''', $c$
      ORDER BY id
      MEASURES array_agg(value || value || CLASSIFIER()) AS measure,
               array_agg(MATCH_NUMBER() = 1) AS measure_mn
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (X Y Z)
      DEFINE X AS true $c$)
    AS m(id int, measure text[], measure_mn boolean[])
    ORDER BY id $q$,
  -- expected (Trino testAggregationArguments, over g h i):
  $e$VALUES (1, ARRAY['ggX'], ARRAY[true]),
            (2, ARRAY['ggX', 'hhY'], ARRAY[true, true]),
            (3, ARRAY['ggX', 'hhY', 'iiZ'], ARRAY[true, true, true])$e$);

-- testSelectiveAggregation: aggregates over the rows of union U = (X, Z)
SELECT * FROM pg_temp.check($q$
  SELECT id, measure_1, measure_2, measure_3
    FROM asset_stream.match_recognize('SELECT id, value FROM mr_conf_trino.letters WHERE part = ''p1'' AND id <= 4', $c$
      ORDER BY id
      MEASURES array_agg(U.id) AS measure_1,
               array_agg(CLASSIFIER(U)) AS measure_2,
               array_agg(U.value || CLASSIFIER(U)) AS measure_3
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (X Y Z Y)
      SUBSET U = (X, Z)
      DEFINE X AS true $c$)
    AS m(id int, measure_1 int[], measure_2 text[], measure_3 text[])
    ORDER BY id $q$,
  -- expected (Trino testSelectiveAggregation):
  $e$VALUES (1, ARRAY[1], ARRAY['X'], ARRAY['aX']), (2, ARRAY[1], ARRAY['X'], ARRAY['aX']),
            (3, ARRAY[1, 3], ARRAY['X', 'Z'], ARRAY['aX', 'cZ']), (4, ARRAY[1, 3], ARRAY['X', 'Z'], ARRAY['aX', 'cZ'])$e$);

-- testCountAggregation: count(*) (Trino's count() is count(*) here)
SELECT * FROM pg_temp.check($q$
  SELECT id, measure_1
    FROM asset_stream.match_recognize('SELECT id, value FROM mr_conf_trino.letters WHERE part = ''p1'' AND id <= 4', $c$
      ORDER BY id
      MEASURES count(*) AS measure_1
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (X Y Z)
      DEFINE X AS id > 1 $c$)
    AS m(id int, measure_1 bigint)
    ORDER BY id $q$,
  -- expected (Trino testCountAggregation):
  $e$VALUES (2, 1), (3, 2), (4, 3)$e$);

-- testCountAggregation: RUNNING / FINAL count(*), count(C.*), count(U.*)
SELECT * FROM pg_temp.check($q$
  SELECT id, measure_1, measure_2, measure_3, measure_4
    FROM asset_stream.match_recognize('SELECT id, value FROM mr_conf_trino.letters WHERE part = ''p1'' AND id <= 4', $c$
      ORDER BY id
      MEASURES RUNNING count(*) AS measure_1, FINAL count(*) AS measure_2,
               count(C.*) AS measure_3, count(U.*) AS measure_4
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B C D)
      SUBSET U = (B, D)
      DEFINE A AS true $c$)
    AS m(id int, measure_1 bigint, measure_2 bigint, measure_3 bigint, measure_4 bigint)
    ORDER BY id $q$,
  -- expected (Trino testCountAggregation):
  $e$VALUES (1, 1, 4, 0, 0), (2, 2, 4, 0, 1), (3, 3, 4, 1, 1), (4, 4, 4, 1, 2)$e$);

-- testLabelAndColumnNames: an input column named like the variable A
SELECT * FROM pg_temp.check($q$
  SELECT id, classy, measure_1, measure_2, measure_3
    FROM asset_stream.match_recognize(
           'SELECT * FROM (VALUES (1, ''p''), (2, ''q''), (3, NULL), (4, ''s'')) AS t(id, A)', $c$
      ORDER BY id
      MEASURES CLASSIFIER() AS classy,
               count(A.A) AS measure_1,   -- non-null A values of rows mapped to A
               count(A) AS measure_2,     -- non-null A values of all rows
               count(A.*) AS measure_3    -- rows mapped to A
      ALL ROWS PER MATCH
      PATTERN (A B A A)
      DEFINE A AS true $c$)
    AS m(id int, classy text, measure_1 bigint, measure_2 bigint, measure_3 bigint)
    ORDER BY id $q$,
  -- expected (Trino testLabelAndColumnNames):
  $e$VALUES (1, 'A', 1, 1, 1), (2, 'B', 1, 2, 1), (3, 'A', 1, 2, 2), (4, 'A', 2, 3, 3)$e$);

-- testOneRowPerMatch
SELECT * FROM pg_temp.check($q$
  SELECT part, measure
    FROM asset_stream.match_recognize(
           'SELECT part, id, value FROM mr_conf_trino.letters WHERE part <> ''p3''
            UNION ALL SELECT ''p2'', id + 3, chr(ascii(value) + 3) FROM mr_conf_trino.letters WHERE part = ''p2''', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES array_agg(value || CLASSIFIER()) AS measure
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (X Y Z)
      DEFINE X AS true $c$)
    AS m(part text, measure text[])
    ORDER BY part, measure $q$,
  -- expected (Trino testOneRowPerMatch; input p1 = a..f, p2 = g..l):
  $e$VALUES ('p1', ARRAY['aX', 'bY', 'cZ']), ('p1', ARRAY['dX', 'eY', 'fZ']),
            ('p2', ARRAY['gX', 'hY', 'iZ']), ('p2', ARRAY['jX', 'kY', 'lZ'])$e$);

-- testExclusions: excluded rows are not output but are aggregated
SELECT * FROM pg_temp.check($q$
  SELECT part, id, measure_1, measure_2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.excl', $c$
      PARTITION BY part
      ORDER BY id
      MEASURES array_agg(value) AS measure_1, array_agg(value || CLASSIFIER()) AS measure_2
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (P {- Q R -} S)
      DEFINE P AS id > 1 $c$)
    AS m(part text, id int, measure_1 text[], measure_2 text[])
    ORDER BY part, id $q$,
  -- expected (Trino testExclusions; the id column added for the order):
  $e$VALUES ('p1', 2, ARRAY['1b'], ARRAY['1bP']),
            ('p1', 5, ARRAY['1b', '1c', '1d', '1e'], ARRAY['1bP', '1cQ', '1dR', '1eS']),
            ('p2', 2, ARRAY['2b'], ARRAY['2bP']),
            ('p2', 5, ARRAY['2b', '2c', '2d', '2e'], ARRAY['2bP', '2cQ', '2dR', '2eS'])$e$);

-- testBalancingSums
SELECT * FROM pg_temp.check($q$
  SELECT id, classy, running_sum_a, running_sum_b
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.balance', $c$
      ORDER BY id
      MEASURES RUNNING sum(A.value) AS running_sum_A, RUNNING sum(B.value) AS running_sum_B,
               CLASSIFIER() AS classy
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B)*)
      DEFINE A AS sum(A.value) - A.value <= sum(B.value) $c$)
    AS m(id int, classy text, running_sum_a bigint, running_sum_b bigint)
    ORDER BY id $q$,
  -- expected (Trino testBalancingSums):
  $e$VALUES (1, 'B', NULL::bigint, 4), (2, 'A', 6, 4), (3, 'B', 6, 14), (4, 'A', 7, 14), (5, 'A', 8, 14),
            (6, 'A', 9, 14), (7, 'A', 19, 14), (8, 'B', 19, 19), (9, 'A', 20, 19)$e$);

-- testPeriodLength: D for 1-element sequences, A B* C for longer ones
SELECT * FROM pg_temp.check($q$
  SELECT user_id, periods_total
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.heartbeat', $c$
      PARTITION BY user_id
      ORDER BY minute_of_the_day
      MEASURES COALESCE(sum(C.minute_of_the_day) - sum(A.minute_of_the_day), 0) AS periods_total
      ONE ROW PER MATCH
      PATTERN ((A B* C | D)*)
      DEFINE B AS minute_of_the_day = PREV(minute_of_the_day) + 1,
             C AS minute_of_the_day = PREV(minute_of_the_day) + 1 $c$)
    AS m(user_id int, periods_total bigint)
    ORDER BY user_id $q$,
  -- expected (Trino testPeriodLength):
  $e$VALUES (1, 3), (2, 2)$e$);

-- testSetPartitioning: 1..8 into two subsets of equal sums
SELECT * FROM pg_temp.check($q$
  SELECT id, running_labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES RUNNING array_agg(CLASSIFIER()) AS running_labels
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (^(A | B)* (LAST_A | LAST_B)$)
      DEFINE LAST_A AS sum(A.id) + id = sum(B.id),
             LAST_B AS sum(B.id) + id = sum(A.id) $c$)
    AS m(id int, running_labels text[])
    ORDER BY id $q$,
  -- expected (Trino testSetPartitioning):
  $e$VALUES (1, ARRAY['A']), (2, ARRAY['A', 'A']), (3, ARRAY['A', 'A', 'A']), (4, ARRAY['A', 'A', 'A', 'A']),
            (5, ARRAY['A', 'A', 'A', 'A', 'B']), (6, ARRAY['A', 'A', 'A', 'A', 'B', 'B']),
            (7, ARRAY['A', 'A', 'A', 'A', 'B', 'B', 'B']), (8, ARRAY['A', 'A', 'A', 'A', 'B', 'B', 'B', 'LAST_A'])$e$);

-- testSetPartitioning: 1..6 into three subsets of equal sums
SELECT * FROM pg_temp.check($q$
  SELECT id, running_labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 6) AS g', $c$
      ORDER BY id
      MEASURES RUNNING array_agg(CLASSIFIER()) AS running_labels
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (^(A | B | C)* (LAST_A | LAST_B | LAST_C)$)
      DEFINE LAST_A AS sum(A.id) + id = sum(B.id) AND sum(B.id) = sum(C.id),
             LAST_B AS sum(B.id) + id = sum(A.id) AND sum(A.id) = sum(C.id),
             LAST_C AS sum(C.id) + id = sum(A.id) AND sum(A.id) = sum(B.id) $c$)
    AS m(id int, running_labels text[])
    ORDER BY id $q$,
  -- expected (Trino testSetPartitioning):
  $e$VALUES (1, ARRAY['A']), (2, ARRAY['A', 'B']), (3, ARRAY['A', 'B', 'C']), (4, ARRAY['A', 'B', 'C', 'C']),
            (5, ARRAY['A', 'B', 'C', 'C', 'B']), (6, ARRAY['A', 'B', 'C', 'C', 'B', 'LAST_A'])$e$);

-- testForkingThreads: each thread keeps its own aggregate state
SELECT * FROM pg_temp.check($q$
  SELECT id, running_labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 4) AS g', $c$
      ORDER BY id
      MEASURES RUNNING array_agg(CLASSIFIER()) AS running_labels
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B | C)* X)
      DEFINE X AS array_agg(CLASSIFIER()) = ARRAY['C', 'A', 'B', 'X'] $c$)
    AS m(id int, running_labels text[])
    ORDER BY id $q$,
  -- expected (Trino testForkingThreads):
  $e$VALUES (1, ARRAY['C']), (2, ARRAY['C', 'A']), (3, ARRAY['C', 'A', 'B']), (4, ARRAY['C', 'A', 'B', 'X'])$e$);

-- testMultipleAggregationsInDefine: aggregates of CLASSIFIER() and MATCH_NUMBER() in DEFINE
SELECT * FROM pg_temp.check($q$
  SELECT match_no, labels
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS match_no, array_agg(CLASSIFIER()) AS labels
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ((A | B){4})
      DEFINE A AS max(id - 2 * MATCH_NUMBER()) > 1 AND max(CLASSIFIER()) = 'B',
             B AS min(lower(CLASSIFIER())) = 'b' OR min(MATCH_NUMBER() + 100) < 0 $c$)
    AS m(match_no bigint, labels text[])
    ORDER BY match_no $q$,
  -- expected (Trino testMultipleAggregationsInDefine):
  $e$VALUES (1, ARRAY['B', 'B', 'B', 'A']), (2, ARRAY['B', 'A', 'A', 'A'])$e$);

-- testRunningAndFinalAggregations (sum(bigint) is numeric in PostgreSQL)
SELECT * FROM pg_temp.check($q$
  SELECT id, match_no, running_labels, final_labels, running_match, final_match
    FROM asset_stream.match_recognize('SELECT g AS id FROM generate_series(1, 8) AS g', $c$
      ORDER BY id
      MEASURES MATCH_NUMBER() AS match_no,
               RUNNING array_agg(CLASSIFIER()) AS running_labels,
               FINAL array_agg(lower(CLASSIFIER())) AS final_labels,
               RUNNING sum(MATCH_NUMBER() * 100) AS running_match,
               FINAL sum(-MATCH_NUMBER()) AS final_match
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B C D)
      DEFINE A AS true $c$)
    AS m(id int, match_no bigint, running_labels text[], final_labels text[], running_match numeric, final_match numeric)
    ORDER BY id $q$,
  -- expected (Trino testRunningAndFinalAggregations):
  $e$VALUES (1, 1, ARRAY['A'], ARRAY['a', 'b', 'c', 'd'], 100, -4),
            (2, 1, ARRAY['A', 'B'], ARRAY['a', 'b', 'c', 'd'], 200, -4),
            (3, 1, ARRAY['A', 'B', 'C'], ARRAY['a', 'b', 'c', 'd'], 300, -4),
            (4, 1, ARRAY['A', 'B', 'C', 'D'], ARRAY['a', 'b', 'c', 'd'], 400, -4),
            (5, 2, ARRAY['A'], ARRAY['a', 'b', 'c', 'd'], 200, -8),
            (6, 2, ARRAY['A', 'B'], ARRAY['a', 'b', 'c', 'd'], 400, -8),
            (7, 2, ARRAY['A', 'B', 'C'], ARRAY['a', 'b', 'c', 'd'], 600, -8),
            (8, 2, ARRAY['A', 'B', 'C', 'D'], ARRAY['a', 'b', 'c', 'd'], 800, -8)$e$);

------------------------------------------------------------ errors
-- Trino docs: "It is forbidden to specify pattern exclusions with the
-- option ALL ROWS PER MATCH WITH UNMATCHED ROWS" (42601 here)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES CLASSIFIER() AS label ALL ROWS PER MATCH WITH UNMATCHED ROWS
      PATTERN (A {- B+ -} C+) DEFINE B AS B.value < PREV(B.value), C AS C.value > PREV(C.value) $c$)
    AS m(id int, label text) $q$) AS exclusion_with_unmatched_rows;

-- Trino docs: FINAL can only be specified in the MEASURES clause (42601 here)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES CLASSIFIER() AS label ALL ROWS PER MATCH
      PATTERN (A B+) DEFINE B AS B.value < FINAL LAST(A.value) $c$)
    AS m(id int, label text) $q$) AS final_in_define;

-- Trino docs: all references inside one navigation must name one
-- variable: LAST(A.value + B.value) is incorrect (42601 here)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES LAST(A.value + B.value) AS mixed ONE ROW PER MATCH
      PATTERN (A B) $c$)
    AS m(mixed int) $q$) AS navigation_over_two_variables;

-- Trino docs: aggregate arguments must not contain navigations (42601 here)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES sum(PREV(value)) AS s ONE ROW PER MATCH
      PATTERN (A B) $c$)
    AS m(s bigint) $q$) AS navigation_in_aggregate;

-- ONE ROW PER MATCH outputs the partition columns and the measures only:
-- asking for another input column fails (42703)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES CLASSIFIER() AS label ONE ROW PER MATCH PATTERN (A) $c$)
    AS m(label text, value int) $q$) AS one_row_has_no_input_columns;

-- The column definition list must give a type the output can be assigned
-- to: MATCH_NUMBER() is bigint, which int accepts and point does not (42804)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES MATCH_NUMBER() AS mno ONE ROW PER MATCH PATTERN (A) $c$)
    AS m(mno int) $q$) AS match_number_into_int;
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_trino.t8', $c$
      ORDER BY id MEASURES MATCH_NUMBER() AS mno ONE ROW PER MATCH PATTERN (A) $c$)
    AS m(mno point) $q$) AS match_number_not_into_point;

SET client_min_messages = warning;
DROP SCHEMA mr_conf_trino CASCADE;
