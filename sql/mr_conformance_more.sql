-- Conformance of asset_stream.match_recognize with more public
-- MATCH_RECOGNIZE test suites and documentation, not covered by
-- mr_conformance_{trino,oracle,flink}.sql:
--
--   * Apache Flink, MatchRecognizeITCase (flink-table-planner, stream
--     tests in src/test/scala/.../runtime/stream/sql and batch tests in
--     src/test/java/.../runtime/batch/sql): the expected rows of each test;
--   * Snowflake, "MATCH_RECOGNIZE" reference (docs.snowflake.com/en/
--     sql-reference/constructs/match_recognize, Examples) and the user
--     guide "Identifying Sequences of Rows That Match a Pattern"
--     (docs.snowflake.com/en/user-guide/match-recognize-introduction), on
--     the stock_price_history table, with the published outputs;
--   * Apache Calcite, core/src/test/resources/sql/match.iq (the enabled
--     cases on "hr"."emps");
--   * Trino, TestAggregationsInRowPatternMatching: the two cases built on
--     max_by that mr_conformance_trino.sql left out (max_by written here as
--     a user-defined aggregate).
--
-- Translations: Snowflake's LAG(x) / LEAD(x) -> PREV(x) / NEXT(x);
-- MATCH_SEQUENCE_NUMBER() -> RUNNING count(*); CLASSIFIER (no parentheses)
-- -> CLASSIFIER(); a window function in DEFINE (avg(price) OVER (...),
-- refused here: 42P20) -> a column of the input query; a measure alias
-- without AS gets AS.  Flink's proctime -> the row's id, rowtime ->
-- a timestamp column; MATCH_ROWTIME() of a one-row match -> A.rowtime;
-- TUMBLE windows -> date_bin in the surrounding query; Flink UDFs ->
-- SQL functions / aggregates of the same definition.  Calcite's
-- "hr"."emps" -> a table with HrSchema's four employees.  PostgreSQL
-- types: count -> bigint, sum(int) -> bigint, avg(int) -> numeric,
-- MATCH_NUMBER() -> bigint, CLASSIFIER() -> text.
--
-- Where a published result is not what the standard gives (as Trino and
-- Oracle implement it, and asset_stream follows it), the expected rows
-- below are the standard's, derived by hand, and the comment quotes the
-- published rows and says why they differ.
--
-- Every query runs through pg_temp.check(query, expected) (see
-- sql/mr_conformance_helpers.psql): the query's rows, then "ok" or
-- MISMATCH against the expected rows written under it.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/mr_conformance_helpers.psql'
\i :helpers

CREATE SCHEMA mr_conf_more;
SET search_path = mr_conf_more, public;

-- Flink MatchRecognizeITCase's tables
CREATE TABLE f_names (id int, name text, nullfield text);   -- testSimplePattern(WithNulls)
INSERT INTO f_names VALUES (1, 'a', NULL), (2, 'z', NULL), (3, 'b', NULL), (4, 'c', NULL),
  (5, 'd', NULL), (6, 'a', NULL), (7, 'b', NULL), (8, 'c', NULL), (9, 'h', NULL);
CREATE TABLE f_nulls (id int, name text, nullfield text);   -- testSimplePatternWithNulls
INSERT INTO f_nulls VALUES (1, 'a', NULL), (2, 'b', NULL), (3, 'c', NULL), (4, 'd', NULL),
  (5, NULL, NULL), (6, 'a', NULL), (7, 'b', NULL), (8, 'c', NULL), (9, NULL, NULL);
CREATE TABLE f_keys (id int, name text, key1 text, key2 text); -- testCodeSplitsAreProperlyGenerated
INSERT INTO f_keys VALUES (1, 'a', 'key1', 'second_key3'), (2, 'b', 'key1', 'second_key3'),
  (3, 'c', 'key1', 'second_key3'), (4, 'd', 'key', 'second_key'), (5, 'e', 'key', 'second_key'),
  (6, 'a', 'key2', 'second_key4'), (7, 'b', 'key2', 'second_key4'), (8, 'c', 'key2', 'second_key4'),
  (9, 'f', 'key', 'second_key');
CREATE TABLE f_order (secondaryorder int, ternaryorder int, name text, id int, tstamp timestamp); -- testEventsAreProperlyOrdered
INSERT INTO f_order VALUES
  (12, 1, 'a', 1, '1970-01-01 00:00:02'), (11, 2, 'b', 2, '1970-01-01 00:00:01'),
  (10, 3, 'c', 3, '1970-01-01 00:00:03'), (8, 4, 'a', 4, '1970-01-01 00:00:04'),
  (9, 5, 'b', 5, '1970-01-01 00:00:04'), (7, 6, 'c', 6, '1970-01-01 00:00:05'),
  (6, 8, 'a', 7, '1970-01-01 00:00:06'), (6, 7, 'b', 8, '1970-01-01 00:00:06'),
  (4, 9, 'c', 9, '1970-01-01 00:00:08'), (3, 10, 'a', 10, '1970-01-01 00:00:09'),
  (2, 11, 'b', 11, '1970-01-01 00:00:10'), (1, 12, 'c', 12, '1970-01-01 00:00:11');
CREATE TABLE f_win (symbol text, rowtime timestamp, price int, tax int); -- testMatchRecognizeAppliedToWindowedGrouping
INSERT INTO f_win VALUES
  ('ACME', '1970-01-01 00:00:01', 1, 1), ('ACME', '1970-01-01 00:00:02', 2, 2),
  ('ACME', '1970-01-01 00:00:04', 1, 4), ('ACME', '1970-01-01 00:00:05', 1, 3),
  ('ACME', '1970-01-01 00:00:07', 2, 3), ('ACME', '1970-01-01 00:00:08', 2, 3),
  ('ACME1', '1970-01-01 00:00:01', 20, 4), ('ACME1', '1970-01-01 00:00:01', 24, 4),
  ('ACME1', '1970-01-01 00:00:01', 25, 3), ('ACME1', '1970-01-01 00:00:01', 19, 8);
CREATE TABLE f_offsets (symbol text, tstamp bigint, price int, tax int); -- testLogicalOffsets
INSERT INTO f_offsets VALUES ('ACME', 1, 19, 1), ('ACME', 2, 17, 2), ('ACME', 3, 13, 3),
  ('ACME', 4, 20, 4), ('ACME', 5, 20, 5), ('ACME', 6, 26, 6), ('ACME', 7, 20, 7), ('ACME', 8, 25, 8);
CREATE TABLE f_star (id int, symbol text, tstamp bigint, price int); -- testLogicalOffsetsWithStarVariable
INSERT INTO f_star VALUES (1, 'ACME', 1, 20), (2, 'ACME', 2, 19), (3, 'ACME', 3, 18), (4, 'ACME', 4, 17),
  (5, 'ACME', 5, 16), (6, 'ACME', 6, 15), (7, 'ACME', 7, 14), (8, 'ACME', 8, 20);
CREATE TABLE f_aggs (id int, name text, price int, rate numeric, weight int); -- testAggregates
INSERT INTO f_aggs VALUES (1, 'a', 1, 0.8, 1), (2, 'z', 2, 0.8, 3), (3, 'b', 1, 0.8, 2),
  (4, 'c', 1, 0.8, 5), (5, 'd', 4, 0.1, 5), (6, 'a', 2, 1.5, 2), (7, 'b', 2, 0.8, 3),
  (8, 'c', 1, 0.8, 2), (9, 'h', 4, 0.8, 3), (10, 'h', 4, 0.8, 3), (11, 'h', 2, 0.8, 3),
  (12, 'h', 2, 0.8, 3);
CREATE TABLE f_aggnulls (id int, name text, price int); -- testAggregatesWithNullInputs
INSERT INTO f_aggnulls VALUES (1, 'a', 10), (2, 'z', 10), (3, 'b', NULL), (4, 'c', NULL),
  (5, 'd', 3), (6, 'c', 3), (7, 'c', 3), (8, 'c', 3), (9, 'c', 2);
CREATE TABLE f_udf (id int, name text, price bigint); -- testUserDefinedFunctions
INSERT INTO f_udf VALUES (1, 'a', 1), (2, 'a', 1), (3, 'a', 1), (4, 'a', 1), (5, 'a', 1),
  (6, 'b', 1), (7, 'a', 1), (8, 'a', 1), (9, 'f', 1);
CREATE TABLE f_within (id int, name text, ts timestamp); -- batch testTimeConstraint
INSERT INTO f_within SELECT id, name, '2023-12-01 12:00:00'::timestamp + s * interval '1 second'
  FROM (VALUES (1, 'z', 1), (2, 'a', 2), (3, 'b', 30), (4, 'c', 60), (5, 'x', 100),
               (6, 'a', 101), (7, 'b', 131), (8, 'c', 162), (9, 'z', 200)) v(id, name, s);
-- Flink's user-defined functions: PrefixingScalarFunc with prefix PREF,
-- RichAggFunc (a sum that starts at 4), WeightedAvg (integer
-- sum(value * weight) / sum(weight))
CREATE FUNCTION prefix(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'PREF:' || $1 $$;
CREATE AGGREGATE countfrom(bigint) (sfunc = int8pl, stype = bigint, initcond = '4');

-- Snowflake's stock_price_history
CREATE TABLE stock_price_history (company text, price_date date, price int);
INSERT INTO stock_price_history VALUES
    ('ABCD', '2020-10-01', 50), ('XYZ' , '2020-10-01', 89),
    ('ABCD', '2020-10-02', 36), ('XYZ' , '2020-10-02', 24),
    ('ABCD', '2020-10-03', 39), ('XYZ' , '2020-10-03', 37),
    ('ABCD', '2020-10-04', 42), ('XYZ' , '2020-10-04', 63),
    ('ABCD', '2020-10-05', 30), ('XYZ' , '2020-10-05', 65),
    ('ABCD', '2020-10-06', 47), ('XYZ' , '2020-10-06', 56),
    ('ABCD', '2020-10-07', 71), ('XYZ' , '2020-10-07', 50),
    ('ABCD', '2020-10-08', 80), ('XYZ' , '2020-10-08', 54),
    ('ABCD', '2020-10-09', 75), ('XYZ' , '2020-10-09', 30),
    ('ABCD', '2020-10-10', 63), ('XYZ' , '2020-10-10', 32);

-- Calcite's "hr"."emps" (testkit HrSchema), ord = the order of the array
CREATE TABLE emps (empid int, deptno int, name text, salary real, commission int, ord int);
INSERT INTO emps VALUES (100, 10, 'Bill', 10000, 1000, 1), (200, 20, 'Eric', 8000, 500, 2),
  (150, 10, 'Sebastian', 7000, NULL, 3), (110, 10, 'Theodore', 11500, 250, 4);

-- Trino's max_by(x, y): x of the row with the largest y (NULL y ignored)
CREATE FUNCTION max_by_step(s text[], v text, k text) RETURNS text[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN k IS NULL THEN s WHEN s IS NULL OR k > s[2] THEN ARRAY[v, k] ELSE s END $$;
CREATE FUNCTION max_by_step(s text[], v bigint, k text) RETURNS text[] LANGUAGE sql IMMUTABLE
  AS $$ SELECT max_by_step(s, v::text, k) $$;
CREATE FUNCTION max_by_text(s text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT s[1] $$;
CREATE FUNCTION max_by_bigint(s text[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT s[1]::bigint $$;
CREATE AGGREGATE max_by(text, text) (sfunc = max_by_step, stype = text[], finalfunc = max_by_text);
CREATE AGGREGATE max_by(bigint, text) (sfunc = max_by_step, stype = text[], finalfunc = max_by_bigint);

------------------------------------------------------------ Flink MatchRecognizeITCase
-- testSimplePattern: variables `A"` (a quoted name with a quote) and
-- \u006C (l)
SELECT * FROM pg_temp.check($q$
  SELECT aid, bid, cid
    FROM asset_stream.match_recognize('SELECT id, name FROM mr_conf_more.f_names', $c$
      ORDER BY id
      MEASURES
        "A""".id AS aid,
        l.id AS bid,
        C.id AS cid
      PATTERN ("A""" l C)
      DEFINE
        "A""" AS name = 'a',
        l AS name = 'b',
        C AS name = 'c' $c$)
    AS t(aid int, bid int, cid int) $q$,
  -- expected (Flink testSimplePattern): "6,7,8"
  $e$VALUES (6, 7, 8)$e$);

-- testSimplePatternWithNulls
SELECT * FROM pg_temp.check($q$
  SELECT aid, bnull, cid, anull
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_nulls', $c$
      ORDER BY id
      MEASURES
        A.id AS aid,
        A.nullField AS aNull,
        LAST(B.nullField) AS bNull,
        C.id AS cid
      PATTERN (A B C)
      DEFINE
        A AS name = 'a' AND nullField IS NULL,
        B AS name = 'b' AND LAST(A.nullField) IS NULL,
        C AS name = 'c' $c$)
    AS t(aid int, bnull text, cid int, anull text)
    ORDER BY aid $q$,
  -- expected (Flink testSimplePatternWithNulls): "1,null,3,null", "6,null,8,null"
  $e$VALUES (1, NULL::text, 3, NULL::text), (6, NULL, 8, NULL)$e$);

-- testCodeSplitsAreProperlyGenerated: two partition keys, LAST(A.name, 2)
-- beyond the A rows is NULL
SELECT * FROM pg_temp.check($q$
  SELECT key1, key2, aid, akey1, bid, cid, ckey2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_keys', $c$
      PARTITION BY key1, key2
      ORDER BY id
      MEASURES
        A.id AS aid,
        A.key1 AS akey1,
        LAST(B.id) AS bid,
        C.id AS cid,
        C.key2 AS ckey2
      PATTERN (A B C)
      DEFINE
        A AS name = 'a' AND key1 LIKE '%key%' AND id > 0,
        B AS name = 'b' AND LAST(A.name, 2) IS NULL,
        C AS name = 'c' AND LAST(A.name) = 'a' $c$)
    AS t(key1 text, key2 text, aid int, akey1 text, bid int, cid int, ckey2 text)
    ORDER BY key1 $q$,
  -- expected (Flink): "key1,second_key3,1,key1,2,3,second_key3", "key2,second_key4,6,key2,7,8,second_key4"
  $e$VALUES ('key1', 'second_key3', 1, 'key1', 2, 3, 'second_key3'),
            ('key2', 'second_key4', 6, 'key2', 7, 8, 'second_key4')$e$);

-- testEventsAreProperlyOrdered: ORDER BY time, secondary DESC, ternary ASC;
-- only the last a b c is in order
SELECT * FROM pg_temp.check($q$
  SELECT aid, bid, cid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_order', $c$
      ORDER BY tstamp, secondaryOrder DESC, ternaryOrder ASC
      MEASURES
        A.id AS aid,
        B.id AS bid,
        C.id AS cid
      PATTERN (A B C)
      DEFINE
        A AS name = 'a',
        B AS name = 'b',
        C AS name = 'c' $c$)
    AS t(aid int, bid int, cid int) $q$,
  -- expected (Flink): "10,11,12"
  $e$VALUES (10, 11, 12)$e$);

-- testMatchRecognizeAppliedToWindowedGrouping: MATCH_RECOGNIZE over
-- 3-second tumbling window sums (ACME 3, 2, 4; ACME1 88)
SELECT * FROM pg_temp.check($q$
  SELECT symbol, dprice, dtime
    FROM asset_stream.match_recognize($i$
      SELECT symbol, sum(price) AS price,
             date_bin('3 seconds', rowtime, '1970-01-01') + interval '3 seconds' - interval '1 millisecond' AS rowtime,
             date_bin('3 seconds', rowtime, '1970-01-01') AS starttime
        FROM mr_conf_more.f_win
       GROUP BY symbol, date_bin('3 seconds', rowtime, '1970-01-01') $i$, $c$
      PARTITION BY symbol
      ORDER BY rowTime
      MEASURES
        B.price as dPrice,
        B.startTime as dTime
      ONE ROW PER MATCH
      PATTERN (A B)
      DEFINE
        B AS B.price < A.price $c$)
    AS t(symbol text, dprice bigint, dtime timestamp) $q$,
  -- expected (Flink): "ACME,2,1970-01-01T00:00:03"
  $e$VALUES ('ACME', 2::bigint, timestamp '1970-01-01 00:00:03')$e$);

-- testWindowedGroupingAppliedToMatchRecognize: tumbling windows over the
-- matches; MATCH_ROWTIME() of the one-row match is A.rowtime
SELECT * FROM pg_temp.check($q$
  SELECT symbol, sum(price) AS price,
         date_bin('3 seconds', matchrowtime, '1970-01-01') + interval '3 seconds' - interval '1 millisecond' AS rowtime,
         date_bin('3 seconds', matchrowtime, '1970-01-01') AS starttime
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_win WHERE symbol = ''ACME'' AND rowtime < ''1970-01-01 00:00:06''', $c$
      PARTITION BY symbol
      ORDER BY rowtime
      MEASURES
        A.price as price,
        A.tax as tax,
        A.rowtime as matchRowtime
      ONE ROW PER MATCH
      PATTERN (A)
      DEFINE
        A AS A.price > 0 $c$)
    AS t(symbol text, price int, tax int, matchrowtime timestamp)
   GROUP BY symbol, date_bin('3 seconds', matchrowtime, '1970-01-01') $q$,
  -- expected (Flink): "ACME,3,1970-01-01T00:00:02.999,1970-01-01T00:00",
  --                   "ACME,2,1970-01-01T00:00:05.999,1970-01-01T00:00:03"
  $e$VALUES ('ACME', 3::bigint, timestamp '1970-01-01 00:00:02.999', timestamp '1970-01-01 00:00:00'),
            ('ACME', 2, '1970-01-01 00:00:05.999', '1970-01-01 00:00:03')$e$);

-- testLogicalOffsets: PATTERN (DOWN{2,} UP), DOWN compares with the
-- previous DOWN row (LAST(DOWN.price, 1)).
-- Flink publishes only "6,7,8,33,33".  The standard also finds rows 1-3:
-- DOWN{2,} takes 19 17 13, 20 is neither DOWN nor UP (20 < 19 fails), so
-- the greedy DOWN{2,} gives 13 back and UP = 13 < FIRST(DOWN.price) = 19:
-- (1, 2, 3, 19+1+1, 13+3).  Flink's NFA does not backtrack into a greedy
-- loop (see mr_conformance_flink.sql).
SELECT * FROM pg_temp.check($q$
  SELECT start_tstamp, bottom_tstamp, end_tstamp, bottom_total, end_total
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_offsets', $c$
      ORDER BY tstamp
      MEASURES
        FIRST(DOWN.tstamp) AS start_tstamp,
        LAST(DOWN.tstamp) AS bottom_tstamp,
        UP.tstamp AS end_tstamp,
        FIRST(DOWN.price + DOWN.tax + 1) AS bottom_total,
        UP.price + UP.tax AS end_total
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (DOWN{2,} UP)
      DEFINE
        DOWN AS price < LAST(DOWN.price, 1) OR LAST(DOWN.price, 1) IS NULL,
        UP AS price < FIRST(DOWN.price) $c$)
    AS t(start_tstamp bigint, bottom_tstamp bigint, end_tstamp bigint, bottom_total int, end_total int)
    ORDER BY start_tstamp $q$,
  -- expected (standard; Flink publishes the second row only):
  $e$VALUES (1::bigint, 2::bigint, 3::bigint, 21, 16), (6, 7, 8, 33, 33)$e$);

-- testPartitionByWithParallelSource
SELECT * FROM pg_temp.check($q$
  SELECT symbol, bottom_tax, end_tax
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_offsets WHERE tstamp <= 4', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES
        DOWN.tax AS bottom_tax,
        UP.tax AS end_tax
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (DOWN UP)
      DEFINE
        DOWN AS DOWN.price = 13,
        UP AS UP.price = 20 $c$)
    AS t(symbol text, bottom_tax int, end_tax int) $q$,
  -- expected (Flink): "ACME,3,4"
  $e$VALUES ('ACME', 3, 4)$e$);

-- testLogicalOffsetsWithStarVariable: FIRST / LAST with offsets over all
-- rows, variable `DOWN"`
SELECT * FROM pg_temp.check($q$
  SELECT id0, id1, id2, id3, id4, id5, id6, id7, id8, id9, id10, id11, id12, id13, id14, id15
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_star', $c$
      ORDER BY tstamp
      MEASURES
        FIRST(id, 0) as id0,
        FIRST(id, 1) as id1,
        FIRST(id, 2) as id2,
        FIRST(id, 3) as id3,
        FIRST(id, 4) as id4,
        FIRST(id, 5) as id5,
        FIRST(id, 6) as id6,
        FIRST(id, 7) as id7,
        LAST(id, 0) as id8,
        LAST(id, 1) as id9,
        LAST(id, 2) as id10,
        LAST(id, 3) as id11,
        LAST(id, 4) as id12,
        LAST(id, 5) as id13,
        LAST(id, 6) as id14,
        LAST(id, 7) as id15
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN ("DOWN"""{2,} UP)
      DEFINE
        "DOWN""" AS price < LAST(price, 1) OR LAST(price, 1) IS NULL,
        UP AS price = FIRST(price) AND price > FIRST(price, 3) AND price = LAST(price, 7) $c$)
    AS t(id0 int, id1 int, id2 int, id3 int, id4 int, id5 int, id6 int, id7 int,
         id8 int, id9 int, id10 int, id11 int, id12 int, id13 int, id14 int, id15 int) $q$,
  -- expected (Flink): "1,2,3,4,5,6,7,8,8,7,6,5,4,3,2,1"
  $e$VALUES (1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1)$e$);

-- testLogicalOffsetOutsideOfRangeInMeasures: FIRST(DOWN.price, 5) of a
-- 3-row DOWN is NULL; measures named first and last
SELECT * FROM pg_temp.check($q$
  SELECT "first", "last", nullprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_offsets WHERE tstamp <= 4', $c$
      ORDER BY tstamp
      MEASURES
        FIRST(DOWN.price) as first,
        LAST(DOWN.price) as last,
        FIRST(DOWN.price, 5) as nullPrice
      ONE ROW PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (DOWN{2,} UP)
      DEFINE
        DOWN AS price < LAST(DOWN.price, 1) OR LAST(DOWN.price, 1) IS NULL,
        UP AS price > LAST(DOWN.price) $c$)
    AS t("first" int, "last" int, nullprice int) $q$,
  -- expected (Flink): "19,13,null"
  $e$VALUES (19, 13, NULL::int)$e$);

-- testAggregates: aggregates over variables and over expressions in
-- DEFINE and MEASURES; weightedAvg(price, weight) is the integer
-- sum(price * weight) / sum(weight) of Flink's WeightedAvg.
-- Flink publishes "1,5,0,null,2,3,3.4,8" and "9,4,0,null,3,4,3.2,12":
-- its first match ends at row 8 with no D row.  In the standard, D? is
-- greedy: A = 1-4, B = 5-6, C = 7, D = 8, E = 9 is preferred to C = 7,
-- E = 8 (C, D and E are true for every row), so the match ends at row 9
-- with countD 1, sumD 1 (Flink's NFA reports the first match to reach its
-- final state, E at row 8).  From row 10 no match: A = {10} (4 + 2 > 6
-- stops A+), B = 11-12, then no row for C.
SELECT * FROM pg_temp.check($q$
  SELECT startid, suma, countd, sumd, wavg, avgb, sumexprb, endid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_aggs', $c$
      ORDER BY id
      MEASURES
        FIRST(id) as startId,
        SUM(A.price) AS sumA,
        COUNT(D.price) AS countD,
        SUM(D.price) as sumD,
        SUM(price * weight) / SUM(weight) as wAvg,
        AVG(B.price) AS avgB,
        SUM(B.price * B.rate) as sumExprB,
        LAST(id) as endId
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A+ B+ C D? E )
      DEFINE
        A AS SUM(A.price) < 6,
        B AS SUM(B.price * B.rate) < SUM(A.price) AND
             SUM(B.price * B.rate) > 0.2 AND
             SUM(B.price) >= 1 AND
             AVG(B.price) >= 1 AND
             SUM(price * weight) / SUM(weight) > 1 $c$)
    AS t(startid int, suma bigint, countd bigint, sumd bigint, wavg bigint, avgb numeric,
         sumexprb numeric, endid int) $q$,
  -- expected (standard; Flink's rows above):
  $e$VALUES (1, 5::bigint, 1::bigint, 1::bigint, 2::bigint, 3::numeric, 3.4, 9)$e$);

-- testAggregatesWithNullInputs: SUM skips NULL prices; COUNT(A.id),
-- COUNT(A.price), COUNT(*), COUNT(price)
SELECT * FROM pg_temp.check($q$
  SELECT suma, countaid, countaprice, countall, countallprice, endid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_aggnulls', $c$
      ORDER BY id
      MEASURES
        SUM(A.price) as sumA,
        COUNT(A.id) as countAId,
        COUNT(A.price) as countAPrice,
        COUNT(*) as countAll,
        COUNT(price) as countAllPrice,
        LAST(id) as endId
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A+ C)
      DEFINE
        A AS SUM(A.price) < 30,
        C AS C.name = 'c' $c$)
    AS t(suma bigint, countaid bigint, countaprice bigint, countall bigint,
         countallprice bigint, endid int) $q$,
  -- expected (Flink): "29,7,5,8,6,8"
  $e$VALUES (29::bigint, 7::bigint, 5::bigint, 8::bigint, 6::bigint, 8)$e$);

-- testAccessingCurrentTime: CURRENT_TIMESTAMP in DEFINE, an interval in a
-- navigation
SELECT * FROM pg_temp.check($q$
  SELECT aid
    FROM asset_stream.match_recognize('SELECT 1 AS id, ''a''::text AS name, now() AS proctime', $c$
      ORDER BY proctime
      MEASURES
        A.id AS aid,
        A.proctime AS aProctime,
        LAST(A.proctime + INTERVAL '1' second) as calculatedField
      PATTERN (A)
      DEFINE
        A AS proctime >= (CURRENT_TIMESTAMP - INTERVAL '1' day) $c$)
    AS t(aid int) $q$,
  -- expected (Flink): "1"
  $e$VALUES (1)$e$);

-- testUserDefinedFunctions: a scalar function and an aggregate (a sum
-- starting at 4) in DEFINE and MEASURES
SELECT * FROM pg_temp.check($q$
  SELECT firstid, prefixednamea, countfroma, lastid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_udf', $c$
      ORDER BY id
      MEASURES
        FIRST(id) as firstId,
        mr_conf_more.prefix(A.name) as prefixedNameA,
        mr_conf_more.countFrom(A.price) as countFromA,
        LAST(id) as lastId
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A+ C)
      DEFINE
        A AS mr_conf_more.prefix(A.name) = 'PREF:a' AND mr_conf_more.countFrom(A.price) <= 8 $c$)
    AS t(firstid int, prefixednamea text, countfroma bigint, lastid int)
    ORDER BY firstid $q$,
  -- expected (Flink): "1,PREF:a,8,5", "7,PREF:a,6,9"
  $e$VALUES (1, 'PREF:a', 8::bigint, 5), (7, 'PREF:a', 6, 9)$e$);

-- batch testTimeConstraint: WITHIN INTERVAL '1' MINUTE; a b c within 58 s
-- match, within 61 s not
SELECT * FROM pg_temp.check($q$
  SELECT aid, bid, cid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.f_within', $c$
      ORDER BY ts
      MEASURES
        A.id AS aid,
        B.id AS bid,
        C.id AS cid
      PATTERN (A B C) WITHIN INTERVAL '1' MINUTE
      DEFINE
        A AS name = 'a',
        B AS name = 'b',
        C AS name = 'c' $c$)
    AS t(aid int, bid int, cid int) $q$,
  -- expected (Flink batch testTimeConstraint): Row.of(2, 3, 4)
  $e$VALUES (2, 3, 4)$e$);

------------------------------------------------------------ Snowflake reference, Examples
-- V shapes, AFTER MATCH SKIP TO LAST row_with_price_increase (the match
-- after starts on the last row of the one before)
SELECT * FROM pg_temp.check($q$
  SELECT company, match_number, start_date, end_date, rows_in_sequence, num_decreases, num_increases
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
    PARTITION BY company
    ORDER BY price_date
    MEASURES
      MATCH_NUMBER() AS match_number,
      FIRST(price_date) AS start_date,
      LAST(price_date) AS end_date,
      COUNT(*) AS rows_in_sequence,
      COUNT(row_with_price_decrease.*) AS num_decreases,
      COUNT(row_with_price_increase.*) AS num_increases
    ONE ROW PER MATCH
    AFTER MATCH SKIP TO LAST row_with_price_increase
    PATTERN(row_before_decrease row_with_price_decrease+ row_with_price_increase+)
    DEFINE
      row_with_price_decrease AS price < PREV(price),
      row_with_price_increase AS price > PREV(price) $c$)
    AS m(company text, match_number bigint, start_date date, end_date date,
         rows_in_sequence bigint, num_decreases bigint, num_increases bigint)
    ORDER BY company, match_number $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', 1::bigint, date '2020-10-01', date '2020-10-04', 4::bigint, 1::bigint, 2::bigint),
            ('ABCD', 2, '2020-10-04', '2020-10-08', 5, 1, 3),
            ('XYZ', 1, '2020-10-01', '2020-10-05', 5, 1, 3),
            ('XYZ', 2, '2020-10-05', '2020-10-08', 4, 2, 1),
            ('XYZ', 3, '2020-10-08', '2020-10-10', 3, 1, 1)$e$);

-- ALL ROWS PER MATCH, MATCH_SEQUENCE_NUMBER() (RUNNING count(*)), a
-- measure named "MATCH_NUMBER"
SELECT * FROM pg_temp.check($q$
  SELECT price_date, "MATCH_NUMBER", msq, price, cl
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history WHERE company = ''ABCD''', $c$
    order by price_date
    measures
        match_number() as "MATCH_NUMBER",
        running count(*) as msq,
        classifier() as cl
    all rows per match
    pattern(ANY_ROW UP+)
    define
        ANY_ROW AS TRUE,
        UP as price > prev(price) $c$)
    AS m(company text, price_date date, price int, "MATCH_NUMBER" bigint, msq bigint, cl text)
    ORDER BY "MATCH_NUMBER", msq $q$,
  -- expected (Snowflake):
  $e$VALUES (date '2020-10-02', 1::bigint, 1::bigint, 36, 'ANY_ROW'),
            ('2020-10-03', 1, 2, 39, 'UP'), ('2020-10-04', 1, 3, 42, 'UP'),
            ('2020-10-05', 2, 1, 30, 'ANY_ROW'), ('2020-10-06', 2, 2, 47, 'UP'),
            ('2020-10-07', 2, 3, 71, 'UP'), ('2020-10-08', 2, 4, 80, 'UP')$e$);

-- OMIT EMPTY MATCHES: OVERAVG* matches empty at every row not over the
-- partition's average (53.3 for ABCD, 50 for XYZ), and each empty match
-- takes a match number
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "MATCH_NUMBER"
    FROM asset_stream.match_recognize($i$
      SELECT company, price_date, price, avg(price) OVER (PARTITION BY company) AS avg_price
        FROM mr_conf_more.stock_price_history $i$, $c$
    partition by company
    order by price_date
    measures
        match_number() as "MATCH_NUMBER"
    all rows per match omit empty matches
    pattern(OVERAVG*)
    define
        OVERAVG as price > avg_price $c$)
    AS m(company text, price_date date, price int, "MATCH_NUMBER" bigint)
    ORDER BY company, price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-07', 71, 7::bigint), ('ABCD', '2020-10-08', 80, 7),
            ('ABCD', '2020-10-09', 75, 7), ('ABCD', '2020-10-10', 63, 7),
            ('XYZ', '2020-10-01', 89, 1), ('XYZ', '2020-10-04', 63, 4),
            ('XYZ', '2020-10-05', 65, 4), ('XYZ', '2020-10-06', 56, 4),
            ('XYZ', '2020-10-08', 54, 6)$e$);

-- WITH UNMATCHED ROWS, OVERAVG+
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "MATCH_NUMBER", cl
    FROM asset_stream.match_recognize($i$
      SELECT company, price_date, price, avg(price) OVER (PARTITION BY company) AS avg_price
        FROM mr_conf_more.stock_price_history $i$, $c$
    partition by company
    order by price_date
    measures
        match_number() as "MATCH_NUMBER",
        classifier() as cl
    all rows per match with unmatched rows
    pattern(OVERAVG+)
    define
        OVERAVG as price > avg_price $c$)
    AS m(company text, price_date date, price int, "MATCH_NUMBER" bigint, cl text)
    ORDER BY company, price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-01', 50, NULL::bigint, NULL::text), ('ABCD', '2020-10-02', 36, NULL, NULL),
            ('ABCD', '2020-10-03', 39, NULL, NULL), ('ABCD', '2020-10-04', 42, NULL, NULL),
            ('ABCD', '2020-10-05', 30, NULL, NULL), ('ABCD', '2020-10-06', 47, NULL, NULL),
            ('ABCD', '2020-10-07', 71, 1, 'OVERAVG'), ('ABCD', '2020-10-08', 80, 1, 'OVERAVG'),
            ('ABCD', '2020-10-09', 75, 1, 'OVERAVG'), ('ABCD', '2020-10-10', 63, 1, 'OVERAVG'),
            ('XYZ', '2020-10-01', 89, 1, 'OVERAVG'), ('XYZ', '2020-10-02', 24, NULL, NULL),
            ('XYZ', '2020-10-03', 37, NULL, NULL), ('XYZ', '2020-10-04', 63, 2, 'OVERAVG'),
            ('XYZ', '2020-10-05', 65, 2, 'OVERAVG'), ('XYZ', '2020-10-06', 56, 2, 'OVERAVG'),
            ('XYZ', '2020-10-07', 50, NULL, NULL), ('XYZ', '2020-10-08', 54, 3, 'OVERAVG'),
            ('XYZ', '2020-10-09', 30, NULL, NULL), ('XYZ', '2020-10-10', 32, NULL, NULL)$e$);

-- FINAL FIRST / FINAL LAST in ALL ROWS PER MATCH, measures with quoted
-- names holding parentheses and a dot
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "FINAL FIRST(LT45.price)", "FINAL LAST(LT45.price)"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               FINAL FIRST(LT45.price) AS "FINAL FIRST(LT45.price)",
               FINAL LAST(LT45.price)  AS "FINAL LAST(LT45.price)"
           ALL ROWS PER MATCH
           AFTER MATCH SKIP PAST LAST ROW
           PATTERN (LT45 LT45)
           DEFINE
               LT45 AS price < 45.00 $c$)
    AS m(company text, price_date date, price int, "FINAL FIRST(LT45.price)" int, "FINAL LAST(LT45.price)" int)
   WHERE company = 'ABCD'
   ORDER BY price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-02', 36, 36, 39), ('ABCD', '2020-10-03', 39, 36, 39),
            ('ABCD', '2020-10-04', 42, 42, 30), ('ABCD', '2020-10-05', 30, 42, 30)$e$);

------------------------------------------------------------ Snowflake user guide
-- "Defining the Pattern of Rows to Match": under 45, then down 10 %, then
-- up 5 %
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           ALL ROWS PER MATCH
           PATTERN (LESS_THAN_45 DECREASED_10_PERCENT INCREASED_05_PERCENT)
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               DECREASED_10_PERCENT AS PREV(price) * 0.90 >= price,
               INCREASED_05_PERCENT AS PREV(price) * 1.05 <= price $c$)
    AS m(company text, price_date date, price int)
    ORDER BY company, price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-04', 42), ('ABCD', '2020-10-05', 30), ('ABCD', '2020-10-06', 47)$e$);

-- "Excluding Rows from the Output": the same with {- DECREASED_10_PERCENT -}
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           ALL ROWS PER MATCH
           PATTERN (LESS_THAN_45 {- DECREASED_10_PERCENT -} INCREASED_05_PERCENT)
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               DECREASED_10_PERCENT AS PREV(price) * 0.90 >= price,
               INCREASED_05_PERCENT AS PREV(price) * 1.05 <= price $c$)
    AS m(company text, price_date date, price int)
    ORDER BY price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-04', 42), ('ABCD', '2020-10-06', 47)$e$);

-- "Matching Patterns Relative to the Beginning or End of a Partition": ^
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "Match #", "Match Sequence #"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #"
           ALL ROWS PER MATCH
           PATTERN (^ GT60)
           DEFINE
               GT60 AS price > 60.00 $c$)
    AS m(company text, price_date date, price int, "Match #" bigint, "Match Sequence #" bigint)
    ORDER BY "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('XYZ', date '2020-10-01', 89, 1::bigint, 1::bigint)$e$);

-- ... and $
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "Match #", "Match Sequence #"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #"
           ALL ROWS PER MATCH
           PATTERN (GT50 $)
           DEFINE
               GT50 AS price > 50.00 $c$)
    AS m(company text, price_date date, price int, "Match #" bigint, "Match Sequence #" bigint)
    ORDER BY "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-10', 63, 1::bigint, 1::bigint)$e$);

-- "Generating One Row for Each Match vs Generating All Rows for Each
-- Match": ALL ROWS PER MATCH (COUNT(*) running) ...
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "Match #", "Match Sequence #", "Num Rows In Match"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #",
               COUNT(*) AS "Num Rows In Match"
           ALL ROWS PER MATCH
           PATTERN (LESS_THAN_45 UP UP)
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               UP AS price > PREV(price) $c$)
    AS m(company text, price_date date, price int, "Match #" bigint, "Match Sequence #" bigint,
         "Num Rows In Match" bigint)
   WHERE company = 'ABCD'
   ORDER BY "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-02', 36, 1::bigint, 1::bigint, 1::bigint),
            ('ABCD', '2020-10-03', 39, 1, 2, 2), ('ABCD', '2020-10-04', 42, 1, 3, 3),
            ('ABCD', '2020-10-05', 30, 2, 1, 1), ('ABCD', '2020-10-06', 47, 2, 2, 2),
            ('ABCD', '2020-10-07', 71, 2, 3, 3)$e$);

-- ... and ONE ROW PER MATCH
SELECT * FROM pg_temp.check($q$
  SELECT company, "Match #", "Match Sequence #", "Num Rows In Match"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #",
               COUNT(*) AS "Num Rows In Match"
           ONE ROW PER MATCH
           PATTERN (LESS_THAN_45 UP UP)
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               UP AS price > PREV(price) $c$)
    AS m(company text, "Match #" bigint, "Match Sequence #" bigint, "Num Rows In Match" bigint)
   WHERE company = 'ABCD'
   ORDER BY "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', 1::bigint, 3::bigint, 3::bigint), ('ABCD', 2, 3, 3)$e$);

-- "Excluding Rows from the Output": rise then fall, all rows ...
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           ALL ROWS PER MATCH
           PATTERN ( LESS_THAN_45 UP UP* DOWN DOWN* )
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               UP   AS price > PREV(price),
               DOWN AS price < PREV(price) $c$)
    AS m(company text, price_date date, price int)
   WHERE company = 'XYZ'
   ORDER BY price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('XYZ', date '2020-10-02', 24), ('XYZ', '2020-10-03', 37), ('XYZ', '2020-10-04', 63),
            ('XYZ', '2020-10-05', 65), ('XYZ', '2020-10-06', 56), ('XYZ', '2020-10-07', 50)$e$);

-- ... and with {- LESS_THAN_45 -} UP {- UP* -} DOWN {- DOWN* -}: the match
-- is the same (24 .. 50); the first UP (37) and the first DOWN (56) stay.
-- Snowflake publishes only the 37 row, against its own text ("show only
-- the first day the stock rose ... and only the first day it dropped");
-- expected (standard) keeps 56 too.
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           ALL ROWS PER MATCH
           PATTERN ( {- LESS_THAN_45 -}  UP  {- UP* -}  DOWN  {- DOWN* -} )
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               UP   AS price > PREV(price),
               DOWN AS price < PREV(price) $c$)
    AS m(company text, price_date date, price int)
   WHERE company = 'XYZ'
   ORDER BY price_date $q$,
  -- expected (standard; Snowflake publishes the first row only):
  $e$VALUES ('XYZ', date '2020-10-03', 37), ('XYZ', '2020-10-06', 56)$e$);

-- "Basic Match Information": MATCH_NUMBER, MATCH_SEQUENCE_NUMBER,
-- CLASSIFIER (labels upper-cased)
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "Match #", "Match Sequence #", "Symbol Matched"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #",
               CLASSIFIER() AS "Symbol Matched"
           ALL ROWS PER MATCH
           PATTERN (LESS_THAN_45 DECREASED_10_PERCENT INCREASED_05_PERCENT)
           DEFINE
               LESS_THAN_45 AS price < 45.00,
               DECREASED_10_PERCENT AS PREV(price) * 0.90 >= price,
               INCREASED_05_PERCENT AS PREV(price) * 1.05 <= price $c$)
    AS m(company text, price_date date, price int, "Match #" bigint, "Match Sequence #" bigint,
         "Symbol Matched" text)
    ORDER BY company, "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-04', 42, 1::bigint, 1::bigint, 'LESS_THAN_45'),
            ('ABCD', '2020-10-05', 30, 1, 2, 'DECREASED_10_PERCENT'),
            ('ABCD', '2020-10-06', 47, 1, 3, 'INCREASED_05_PERCENT')$e$);

-- "Windows, Window Frames, and Navigational Functions": every 3 rows
-- (SKIP TO NEXT ROW), FIRST / LAG / LEAD / LAST in MEASURES.
-- Snowflake publishes LAG(price_date) NULL on the first row of every
-- match and LEAD(price_date) NULL on the last ("LAG() and LEAD() return
-- NULL for expressions that attempt to reference rows outside the match
-- group (i.e. outside the window frame)").  In the standard (Oracle,
-- Trino, asset_stream) PREV / NEXT in MEASURES may leave the match, only
-- not the partition: PREV is NULL only on 2020-10-01 and NEXT only on
-- 2020-10-10.  Expected (standard); the published table is the same
-- with lag NULL where seq = 1 and lead NULL where seq = 3.
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, "First(price_date)", "Lag(price_date)", "Lead(price_date)",
         "Last(price_date)", "Match#", "MatchSeq#", "Classifier"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
            PARTITION BY company
            ORDER BY price_date
            MEASURES
                -- Show the "edges" of the "window frame".
                FIRST(price_date) AS "First(price_date)",
                PREV(price_date) AS "Lag(price_date)",
                NEXT(price_date) AS "Lead(price_date)",
                LAST(price_date) AS "Last(price_date)",
                MATCH_NUMBER() AS "Match#",
                RUNNING COUNT(*) AS "MatchSeq#",
                CLASSIFIER() AS "Classifier"
            ALL ROWS PER MATCH
            AFTER MATCH SKIP TO NEXT ROW
            PATTERN (CURRENT_ROW T2 T3)
            DEFINE
                CURRENT_ROW AS TRUE,
                T2 AS TRUE,
                T3 AS TRUE $c$)
    AS m(company text, price_date date, "First(price_date)" date, "Lag(price_date)" date,
         "Lead(price_date)" date, "Last(price_date)" date, "Match#" bigint, "MatchSeq#" bigint,
         "Classifier" text)
    ORDER BY company, "Match#", "MatchSeq#" $q$,
  -- expected (standard), 8 matches of 3 rows per company:
  $e$SELECT c, d, d0 + m - 1, CASE WHEN d > date '2020-10-01' THEN d - 1 END,
            CASE WHEN d < date '2020-10-10' THEN d + 1 END, d, m::bigint, s::bigint,
            (ARRAY['CURRENT_ROW', 'T2', 'T3'])[s]
       FROM (VALUES ('ABCD'), ('XYZ')) AS co(c), generate_series(1, 8) AS m, generate_series(1, 3) AS s,
            LATERAL (SELECT date '2020-10-01' AS d0, date '2020-10-01' + m + s - 2 AS d) AS x$e$);

-- "Find Multi-Day Price Increases"
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "Match #", "Match Sequence #"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
           PARTITION BY company
           ORDER BY price_date
           MEASURES
               MATCH_NUMBER() AS "Match #",
               RUNNING COUNT(*) AS "Match Sequence #"
           ALL ROWS PER MATCH
           PATTERN (MINIMUM_37 UP UP)
           DEFINE
               MINIMUM_37 AS price >= 37.00,
               UP AS price > PREV(price) $c$)
    AS m(company text, price_date date, price int, "Match #" bigint, "Match Sequence #" bigint)
    ORDER BY company, "Match #", "Match Sequence #" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-06', 47, 1::bigint, 1::bigint), ('ABCD', '2020-10-07', 71, 1, 2),
            ('ABCD', '2020-10-08', 80, 1, 3), ('XYZ', '2020-10-03', 37, 1, 1),
            ('XYZ', '2020-10-04', 63, 1, 2), ('XYZ', '2020-10-05', 65, 1, 3)$e$);

-- "Demonstrate the PERMUTE Operator": spikes, SKIP TO NEXT ROW
SELECT * FROM pg_temp.check($q$
  SELECT company, "MATCH_NUMBER", "START", "END", ups, "PRICE_COUNT", up_spike
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
        partition by company
        order by price_date
        measures
            match_number() as "MATCH_NUMBER",
            first(price_date) as "START",
            last(price_date) as "END",
            count(up.price) as ups,
            count(*) as "PRICE_COUNT",
            last(classifier()) = 'DOWN' AS up_spike
        after match skip to next row
        pattern(ANY_ROW PERMUTE(UP{2}, DOWN+))
        define
            ANY_ROW AS TRUE,
            UP as price > prev(price),
            DOWN as price < prev(price) $c$)
    AS m(company text, "MATCH_NUMBER" bigint, "START" date, "END" date, ups bigint,
         "PRICE_COUNT" bigint, up_spike boolean)
    ORDER BY company, "MATCH_NUMBER" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', 1::bigint, date '2020-10-01', date '2020-10-04', 2::bigint, 4::bigint, false),
            ('ABCD', 2, '2020-10-02', '2020-10-05', 2, 4, true),
            ('ABCD', 3, '2020-10-04', '2020-10-07', 2, 4, false),
            ('ABCD', 4, '2020-10-06', '2020-10-10', 2, 5, true),
            ('XYZ', 1, '2020-10-01', '2020-10-04', 2, 4, false),
            ('XYZ', 2, '2020-10-03', '2020-10-07', 2, 5, true)$e$);

-- "Demonstrate the SKIP TO NEXT ROW Option": overlapping W shapes
SELECT * FROM pg_temp.check($q$
  SELECT company, "MATCH_NUMBER", "START", "END", "PRICE_COUNT"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
    partition by company
    order by price_date
    measures
        match_number() as "MATCH_NUMBER",
        first(price_date) as "START",
        last(price_date) as "END",
        count(*) as "PRICE_COUNT"
    after match skip to next row
    pattern(ANY_ROW DOWN+ UP+ DOWN+ UP+)
    define
        ANY_ROW AS TRUE,
        UP as price > prev(price),
        DOWN as price < prev(price) $c$)
    AS m(company text, "MATCH_NUMBER" bigint, "START" date, "END" date, "PRICE_COUNT" bigint)
    ORDER BY company, "MATCH_NUMBER" $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', 1::bigint, date '2020-10-01', date '2020-10-08', 8::bigint),
            ('XYZ', 1, '2020-10-01', '2020-10-08', 8),
            ('XYZ', 2, '2020-10-05', '2020-10-10', 6),
            ('XYZ', 3, '2020-10-06', '2020-10-10', 5)$e$);

-- "Exclusion Syntax": W shapes without the falling rows; the running
-- COUNT(*) counts the excluded rows
SELECT * FROM pg_temp.check($q$
  SELECT company, price_date, price, "MATCH_NUMBER", cl, "PRICE_COUNT"
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
        partition by company
        order by price_date
        measures
            match_number() as "MATCH_NUMBER",
            classifier() as cl,
            count(*) as "PRICE_COUNT"
        all rows per match
        pattern(ANY_ROW {- DOWN+ -} UP+ {- DOWN+ -} UP+)
        define
            ANY_ROW AS TRUE,
            UP as price > prev(price),
            DOWN as price < prev(price) $c$)
    AS m(company text, price_date date, price int, "MATCH_NUMBER" bigint, cl text, "PRICE_COUNT" bigint)
    ORDER BY company, price_date $q$,
  -- expected (Snowflake):
  $e$VALUES ('ABCD', date '2020-10-01', 50, 1::bigint, 'ANY_ROW', 1::bigint),
            ('ABCD', '2020-10-03', 39, 1, 'UP', 3), ('ABCD', '2020-10-04', 42, 1, 'UP', 4),
            ('ABCD', '2020-10-06', 47, 1, 'UP', 6), ('ABCD', '2020-10-07', 71, 1, 'UP', 7),
            ('ABCD', '2020-10-08', 80, 1, 'UP', 8),
            ('XYZ', '2020-10-01', 89, 1, 'ANY_ROW', 1), ('XYZ', '2020-10-03', 37, 1, 'UP', 3),
            ('XYZ', '2020-10-04', 63, 1, 'UP', 4), ('XYZ', '2020-10-05', 65, 1, 'UP', 5),
            ('XYZ', '2020-10-08', 54, 1, 'UP', 8)$e$);

------------------------------------------------------------ Calcite match.iq
-- The enabled cases on "hr"."emps", ORDER BY "empid" DESC, PATTERN (s up),
-- up."commission" < prev(up."commission").  In that order the rows are
-- 200 (500), 150 (NULL), 110 (250), 100 (1000): no row is below the one
-- before it (NULL comparisons are not true), so the standard finds no
-- match.  Calcite publishes two rows for each query, C = 1000 / 500,
-- EMPID = 100 / 200 (and CL = S / UP, LAST(S.empid) = 100 / 100): the two
-- rows of the match {100, 200} in the array's order, one output row per
-- matched row.  Calcite's enumerable MATCH_RECOGNIZE neither sorts by
-- ORDER BY nor applies ONE ROW PER MATCH; the second group of checks
-- shows that its rows are what ALL ROWS PER MATCH gives over the rows in
-- the array's order.
-- "select * ... measures "commission" as c, "empid" as empid"
SELECT * FROM pg_temp.check($q$
  SELECT c, empid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.emps', $c$
    order by empid desc
    measures "commission" as c,
    "empid" as empid
    pattern (s up)
    define up as up."commission" < prev(up."commission") $c$)
    AS m(c int, empid int) $q$,
  -- expected (standard): no row.  Calcite: (1000, 100), (500, 200)
  NULL);

-- "Test Classifier"
SELECT * FROM pg_temp.check($q$
  SELECT c, empid, cl
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.emps', $c$
    order by "empid" desc
    measures "commission" as c,
    "empid" as empid,
    CLASSIFIER() as cl
    pattern (s up)
    define up as up."commission" < prev(up."commission") $c$)
    AS m(c int, empid int, cl text) $q$,
  -- expected (standard): no row.  Calcite: (1000, 100, S), (500, 200, UP)
  NULL);

-- "Test Simple LAST"
SELECT * FROM pg_temp.check($q$
  SELECT c, empid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.emps', $c$
    order by "empid" desc
    measures "commission" as c,
    LAST("empid") as empid
    pattern (s up)
    define up as up."commission" < prev(up."commission") $c$)
    AS m(c int, empid int) $q$,
  -- expected (standard): no row.  Calcite: (1000, 100), (500, 200)
  NULL);

-- "Test LAST with Classifier"
SELECT * FROM pg_temp.check($q$
  SELECT c, cl, empid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.emps', $c$
    order by "empid" desc
    measures "commission" as c,
    CLASSIFIER() as cl,
    LAST(S."empid") as empid
    pattern (s up)
    define up as up."commission" < prev(up."commission") $c$)
    AS m(c int, cl text, empid int) $q$,
  -- expected (standard): no row.  Calcite: (1000, S, 100), (500, UP, 100)
  NULL);

-- Calcite's published rows, as ALL ROWS PER MATCH over the array's order
-- (the measures renamed: empid would clash with the input column)
SELECT * FROM pg_temp.check($q$
  SELECT c, e, cl, last_s
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.emps', $c$
    order by ord
    measures "commission" as c,
    "empid" as e,
    CLASSIFIER() as cl,
    LAST(S."empid") as last_s
    all rows per match
    pattern (s up)
    define up as up."commission" < prev(up."commission") $c$)
    AS m(c int, e int, cl text, last_s int)
    ORDER BY e $q$,
  -- expected (Calcite match.iq's rows, put together):
  $e$VALUES (1000, 100, 'S', 100), (500, 200, 'UP', 100)$e$);

------------------------------------------------------------ Trino max_by
-- TestAggregationsInRowPatternMatching.testAggregationArguments: the
-- second argument of the aggregation is runtime-evaluated (CLASSIFIER())
SELECT * FROM pg_temp.check($q$
  SELECT id, measure
    FROM asset_stream.match_recognize('SELECT * FROM (VALUES (1, ''p''), (2, ''q''), (3, ''r''), (4, ''s'')) AS t(id, value)', $c$
      ORDER BY id
      MEASURES max_by(value, CLASSIFIER()) AS measure
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B D C)
      DEFINE A AS true $c$)
    AS m(id int, measure text)
    ORDER BY id $q$,
  -- expected (Trino):
  $e$VALUES (1, 'p'), (2, 'q'), (3, 'r'), (4, 'r')$e$);

-- TestAggregationsInRowPatternMatching.testMultipleAggregationArguments:
-- both arguments runtime-evaluated, in MEASURES (RUNNING, FINAL) and DEFINE
SELECT * FROM pg_temp.check($q$
  SELECT id, classy, match, running_measure, final_measure
    FROM asset_stream.match_recognize('SELECT * FROM generate_series(1, 8) AS t(id)', $c$
      ORDER BY id
      MEASURES
              MATCH_NUMBER() AS match,
              CLASSIFIER() AS classy,
              RUNNING max_by(MATCH_NUMBER() * 100 + id, CLASSIFIER()) AS running_measure,
              FINAL max_by(-MATCH_NUMBER() - id, lower(CLASSIFIER())) AS final_measure
      ALL ROWS PER MATCH
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (A B C D)
      DEFINE A AS max_by(MATCH_NUMBER(), CLASSIFIER()) > 0 $c$)
    AS m(id int, classy text, match bigint, running_measure bigint, final_measure bigint)
    ORDER BY id $q$,
  -- expected (Trino):
  $e$VALUES (1, 'A', 1::bigint, 101::bigint, -5::bigint), (2, 'B', 1, 102, -5), (3, 'C', 1, 103, -5),
            (4, 'D', 1, 104, -5), (5, 'A', 2, 205, -10), (6, 'B', 2, 206, -10),
            (7, 'C', 2, 207, -10), (8, 'D', 2, 208, -10)$e$);

------------------------------------------------------------ Snowflake spellings (dialect)
-- Snowflake's own spellings, translated above, are errors here:
-- LAG(price) in DEFINE (PostgreSQL's lag() is a window function),
-- CLASSIFIER without parentheses (a column), MATCH_SEQUENCE_NUMBER()
-- (no such function), a measure alias without AS (SQL:2016 requires AS),
-- a window function in DEFINE (avg(price) OVER (...)).
SELECT variant, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_more.stock_price_history', $c$
    PARTITION BY company
    ORDER BY price_date
    MEASURES %s
    ALL ROWS PER MATCH
    PATTERN (any_row up+)
    DEFINE up AS %s $c$)
    AS m(company text, x text) $q$, measure, cond)) AS error
  FROM (VALUES ('LAG in DEFINE', 'MATCH_NUMBER() AS x', 'price > LAG(price)'),
               ('CLASSIFIER', 'CLASSIFIER AS x', 'price > PREV(price)'),
               ('MATCH_SEQUENCE_NUMBER', 'MATCH_SEQUENCE_NUMBER() AS x', 'price > PREV(price)'),
               ('alias without AS', 'CLASSIFIER() x', 'price > PREV(price)'),
               ('window function in DEFINE', 'MATCH_NUMBER() AS x',
                'price > avg(price) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)'))
       AS v(variant, measure, cond);
-- expected: 42809 (lag requires an OVER clause), 42703 (column
-- "classifier"), 42883 (match_sequence_number()), 42601 (Expected AS and a
-- measure name), 42P20 (window functions are not allowed)

SET client_min_messages = warning;
DROP SCHEMA mr_conf_more CASCADE;
