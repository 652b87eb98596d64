-- Conformance of asset_stream.match_recognize with the examples of Apache
-- Flink's documentation, "Pattern Recognition" (docs/content/docs/dev/
-- table/sql/queries/match_recognize.md): the Ticker examples
-- (introduction, aggregations, greedy and reluctant quantifiers, time
-- constraint, output mode, pattern navigation tables, the AFTER MATCH
-- strategies table), with Flink's published result under each query.
--
-- Flink is not the standard (shared/reference/match_recognize.md §9): its
-- NFA does not backtrack into a greedy loop, and its WITHIN example is not
-- what its own engine does at the window border.  Where the standard (as
-- Trino and Oracle implement it, and as asset_stream follows it) gives
-- other rows, the expected rows below are the standard's, derived by hand,
-- and the comment quotes Flink's published rows and says why they differ.
--
-- Translations: Flink's rowtime (TIMESTAMP(3) time attribute) -> a
-- timestamp column ordered ascending; price / tax (BIGINT) -> integer;
-- WITHIN INTERVAL ... after PATTERN is asset_stream's WITHIN; Flink's
-- ONE ROW PER MATCH output = PARTITION BY columns + measures, picked by
-- name here.  PostgreSQL types: AVG(integer) -> numeric, SUM(integer) ->
-- bigint.
--
-- Every query runs through pg_temp.check(query, expected) (see
-- sql/mr_conformance_helpers.psql): the query's rows, then "ok" or
-- MISMATCH against the expected rows written under it.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/mr_conformance_helpers.psql'
\i :helpers

CREATE SCHEMA mr_conf_flink;
SET search_path = mr_conf_flink, public;

-- "Examples": the Ticker of the introduction
CREATE TABLE ticker (symbol text, rowtime timestamp, price integer, tax integer);
INSERT INTO ticker VALUES
  ('ACME', '2011-04-01 10:00:00', 12, 1), ('ACME', '2011-04-01 10:00:01', 17, 2),
  ('ACME', '2011-04-01 10:00:02', 19, 1), ('ACME', '2011-04-01 10:00:03', 21, 3),
  ('ACME', '2011-04-01 10:00:04', 25, 2), ('ACME', '2011-04-01 10:00:05', 18, 1),
  ('ACME', '2011-04-01 10:00:06', 15, 1), ('ACME', '2011-04-01 10:00:07', 14, 2),
  ('ACME', '2011-04-01 10:00:08', 24, 2), ('ACME', '2011-04-01 10:00:09', 25, 2),
  ('ACME', '2011-04-01 10:00:10', 19, 1);

-- "Aggregations"
CREATE TABLE ticker_agg (symbol text, rowtime timestamp, price integer, tax integer);
INSERT INTO ticker_agg VALUES
  ('ACME', '2011-04-01 10:00:00', 12, 1), ('ACME', '2011-04-01 10:00:01', 17, 2),
  ('ACME', '2011-04-01 10:00:02', 13, 1), ('ACME', '2011-04-01 10:00:03', 16, 3),
  ('ACME', '2011-04-01 10:00:04', 25, 2), ('ACME', '2011-04-01 10:00:05', 2, 1),
  ('ACME', '2011-04-01 10:00:06', 4, 1), ('ACME', '2011-04-01 10:00:07', 10, 2),
  ('ACME', '2011-04-01 10:00:08', 15, 2), ('ACME', '2011-04-01 10:00:09', 25, 2),
  ('ACME', '2011-04-01 10:00:10', 25, 1), ('ACME', '2011-04-01 10:00:11', 30, 1);

-- "Greedy & Reluctant Quantifiers"
CREATE TABLE ticker_greedy (symbol text, tax integer, price integer, rowtime timestamp);
INSERT INTO ticker_greedy VALUES
  ('XYZ', 1, 10, '2018-09-17 10:00:02'), ('XYZ', 2, 11, '2018-09-17 10:00:03'),
  ('XYZ', 1, 12, '2018-09-17 10:00:04'), ('XYZ', 2, 13, '2018-09-17 10:00:05'),
  ('XYZ', 1, 14, '2018-09-17 10:00:06'), ('XYZ', 2, 16, '2018-09-17 10:00:07');

-- "Time constraint"
CREATE TABLE ticker_within (symbol text, rowtime timestamp, price integer, tax integer);
INSERT INTO ticker_within VALUES
  ('ACME', '2011-04-01 10:00:00', 20, 1), ('ACME', '2011-04-01 10:20:00', 17, 2),
  ('ACME', '2011-04-01 10:40:00', 18, 1), ('ACME', '2011-04-01 11:00:00', 11, 3),
  ('ACME', '2011-04-01 11:20:00', 14, 2), ('ACME', '2011-04-01 11:40:00', 9, 1),
  ('ACME', '2011-04-01 12:00:00', 15, 1), ('ACME', '2011-04-01 12:20:00', 14, 2),
  ('ACME', '2011-04-01 12:40:00', 24, 2), ('ACME', '2011-04-01 13:00:00', 1, 2),
  ('ACME', '2011-04-01 13:20:00', 19, 1);

-- "Output Mode"
CREATE TABLE ticker_output (symbol text, tax integer, price integer, rowtime timestamp);
INSERT INTO ticker_output VALUES
  ('XYZ', 1, 10, '2018-09-17 10:00:02'), ('XYZ', 2, 12, '2018-09-17 10:00:03'),
  ('XYZ', 1, 13, '2018-09-17 10:00:04'), ('XYZ', 2, 11, '2018-09-17 10:00:05');

-- "Pattern Navigation": the prices of the tables (no times published:
-- one second apart here); seq2 is "if the second row did not map to B"
CREATE TABLE ticker_nav (symbol text, rowtime timestamp, price integer);
INSERT INTO ticker_nav VALUES
  ('nav', '2018-09-17 10:00:01', 10), ('nav', '2018-09-17 10:00:02', 15), ('nav', '2018-09-17 10:00:03', 20),
  ('nav', '2018-09-17 10:00:04', 31), ('nav', '2018-09-17 10:00:05', 35),
  ('seq1', '2018-09-17 10:00:01', 10), ('seq1', '2018-09-17 10:00:02', 15), ('seq1', '2018-09-17 10:00:03', 20),
  ('seq2', '2018-09-17 10:00:01', 10), ('seq2', '2018-09-17 10:00:02', 20);

-- "After Match Strategy"
CREATE TABLE ticker_skip (symbol text, tax integer, price integer, rowtime timestamp);
INSERT INTO ticker_skip VALUES
  ('XYZ', 1, 7, '2018-09-17 10:00:01'), ('XYZ', 2, 9, '2018-09-17 10:00:02'),
  ('XYZ', 1, 10, '2018-09-17 10:00:03'), ('XYZ', 2, 5, '2018-09-17 10:00:04'),
  ('XYZ', 2, 10, '2018-09-17 10:00:05'), ('XYZ', 2, 7, '2018-09-17 10:00:06'),
  ('XYZ', 2, 14, '2018-09-17 10:00:07');

-- the MyTable of the first example (made-up rows)
CREATE TABLE mytable (userid integer, proctime timestamp, id integer, name text);
INSERT INTO mytable VALUES
  (1, '2024-01-01 00:00:01', 1, 'a'), (1, '2024-01-01 00:00:02', 2, 'b'), (1, '2024-01-01 00:00:03', 3, 'c'),
  (1, '2024-01-01 00:00:04', 4, 'a'), (1, '2024-01-01 00:00:05', 5, 'c'),
  (2, '2024-01-01 00:00:06', 6, 'a'), (2, '2024-01-01 00:00:07', 7, 'b'), (2, '2024-01-01 00:00:08', 8, 'b'),
  (2, '2024-01-01 00:00:09', 9, 'c'), (2, '2024-01-01 00:00:10', 10, 'a'), (2, '2024-01-01 00:00:11', 11, 'b'),
  (2, '2024-01-01 00:00:12', 12, 'c');

------------------------------------------------------------ examples
-- The first example: PATTERN (A B C) over names (rows made up)
SELECT * FROM pg_temp.check($q$
  SELECT userid, aid, bid, cid
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.mytable', $c$
      PARTITION BY userid
      ORDER BY proctime
      MEASURES
        A.id AS aid,
        B.id AS bid,
        C.id AS cid
      PATTERN (A B C)
      DEFINE
        A AS name = 'a',
        B AS name = 'b',
        C AS name = 'c' $c$)
    AS t(userid integer, aid integer, bid integer, cid integer)
    ORDER BY userid, aid $q$,
  -- expected (hand-derived):
  $e$VALUES (1, 1, 2, 3), (2, 10, 11, 12)$e$);

-- "Examples": periods of a decreasing price
SELECT * FROM pg_temp.check($q$
  SELECT symbol, start_tstamp, bottom_tstamp, end_tstamp
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            START_ROW.rowtime AS start_tstamp,
            LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
            LAST(PRICE_UP.rowtime) AS end_tstamp
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST PRICE_UP
        PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
        DEFINE
            PRICE_DOWN AS
                (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR
                    PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
            PRICE_UP AS
                PRICE_UP.price > LAST(PRICE_DOWN.price, 1) $c$)
    AS mr(symbol text, start_tstamp timestamp, bottom_tstamp timestamp, end_tstamp timestamp)
    ORDER BY symbol, start_tstamp $q$,
  -- expected (Flink docs, published):
  $e$VALUES ('ACME', timestamp '2011-04-01 10:00:04', timestamp '2011-04-01 10:00:07', timestamp '2011-04-01 10:00:08')$e$);

-- "Aggregations": the longest periods whose average price stays below 15
SELECT * FROM pg_temp.check($q$
  SELECT symbol, start_tstamp, end_tstamp, avgprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_agg', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            FIRST(A.rowtime) AS start_tstamp,
            LAST(A.rowtime) AS end_tstamp,
            AVG(A.price) AS avgPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A+ B)
        DEFINE
            A AS AVG(A.price) < 15 $c$)
    AS mr(symbol text, start_tstamp timestamp, end_tstamp timestamp, avgprice numeric)
    ORDER BY symbol, start_tstamp $q$,
  -- expected (Flink docs, published):
  $e$VALUES ('ACME', timestamp '2011-04-01 10:00:00', timestamp '2011-04-01 10:00:03', 14.5),
            ('ACME', '2011-04-01 10:00:05', '2011-04-01 10:00:10', 13.5)$e$);

-- "Aggregations" may apply to an expression of one variable: SUM(A.price * A.tax)
SELECT * FROM pg_temp.check($q$
  SELECT symbol, start_tstamp, weighted
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_agg', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES FIRST(A.rowtime) AS start_tstamp, SUM(A.price * A.tax) AS weighted
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A+ B)
        DEFINE A AS AVG(A.price) < 15 $c$)
    AS mr(symbol text, start_tstamp timestamp, weighted bigint)
    ORDER BY symbol, start_tstamp $q$,
  -- expected (hand-derived: 12*1 + 17*2 + 13*1 + 16*3; 2 + 4 + 10*2 + 15*2 + 25*2 + 25*1):
  $e$VALUES ('ACME', timestamp '2011-04-01 10:00:00', 107), ('ACME', '2011-04-01 10:00:05', 131)$e$);

-- "Greedy & Reluctant Quantifiers": B* swallows 12, 13, 14
SELECT * FROM pg_temp.check($q$
  SELECT symbol, lastprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_greedy', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            C.price AS lastPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B* C)
        DEFINE
            A AS A.price > 10,
            B AS B.price < 15,
            C AS C.price > 12 $c$)
    AS mr(symbol text, lastprice integer)
    ORDER BY symbol, lastprice $q$,
  -- expected (Flink docs, published):
  $e$VALUES ('XYZ', 16)$e$);

-- ... B*? takes only 12
SELECT * FROM pg_temp.check($q$
  SELECT symbol, lastprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_greedy', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            C.price AS lastPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B*? C)
        DEFINE
            A AS A.price > 10,
            B AS B.price < 15,
            C AS C.price > 12 $c$)
    AS mr(symbol text, lastprice integer)
    ORDER BY symbol, lastprice $q$,
  -- expected (Flink docs, published):
  $e$VALUES ('XYZ', 13), ('XYZ', 16)$e$);

-- Flink rejects a greedy quantifier on the last variable, PATTERN (A B*);
-- the standard allows it: 11 then B 12 13 14; then 16 with no B
SELECT * FROM pg_temp.check($q$
  SELECT symbol, firstprice, lastb
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_greedy', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES FIRST(A.price) AS firstPrice, LAST(B.price) AS lastB
        ONE ROW PER MATCH
        AFTER MATCH SKIP PAST LAST ROW
        PATTERN (A B*)
        DEFINE
            A AS A.price > 10,
            B AS B.price < 15 $c$)
    AS mr(symbol text, firstprice integer, lastb integer)
    ORDER BY symbol, firstprice $q$,
  -- expected (hand-derived, standard semantics):
  $e$VALUES ('XYZ', 11, 14), ('XYZ', 16, NULL)$e$);

-- "Time constraint": a price drop of more than 10 within 1 hour (Flink's
-- DEFINE lacks a comma after B's condition; added here), and the same
-- with one more minute and without WITHIN.
--
-- WITHIN INTERVAL '1' HOUR: Flink's docs publish ('ACME', 13:00:00, 14),
-- the drop from 15 at 12:00 to 1 at 13:00, exactly one hour apart.
-- Flink's engine keeps a match only if last - first < interval (NFA's
-- testWindowBorders: "elements whose timestamp difference is exactly the
-- window length are not matched"), and so does asset_stream
-- (docs/match_recognize.md §3); then 12:00 cannot reach 13:00 and the drop
-- found is 14 at 12:20 -> 1 at 13:00, dropDiff 13.
-- WITHIN INTERVAL '61' MINUTE: 12:00 -> 13:00 is inside: Flink's row.
-- No WITHIN: the first drop, 20 at 10:00 -> 9 at 11:40 (11, the text's
-- "drop by 11" that is too slow), then 15 at 12:00 -> 1 at 13:00.
SELECT * FROM pg_temp.check($q$
  SELECT within, symbol, droptime, dropdiff
    FROM unnest(ARRAY['WITHIN INTERVAL ''1'' HOUR', 'WITHIN INTERVAL ''61'' MINUTE', '']) AS u(within),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_within',
           'PARTITION BY symbol
            ORDER BY rowtime
            MEASURES
                C.rowtime AS dropTime,
                A.price - C.price AS dropDiff
            ONE ROW PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN (A B* C) ' || within || '
            DEFINE
                B AS B.price > A.price - 10,
                C AS C.price < A.price - 10')
         AS mr(symbol text, droptime timestamp, dropdiff integer)
    ORDER BY within COLLATE "C", symbol, droptime $q$,
  -- expected (1 hour: strict border, hand-derived, Flink publishes
  -- ('ACME', 13:00, 14); 61 minutes: Flink's published row; no WITHIN:
  -- hand-derived):
  $e$VALUES ('WITHIN INTERVAL ''1'' HOUR', 'ACME', timestamp '2011-04-01 13:00:00', 13),
            ('WITHIN INTERVAL ''61'' MINUTE', 'ACME', '2011-04-01 13:00:00', 14),
            ('', 'ACME', '2011-04-01 11:40:00', 11), ('', 'ACME', '2011-04-01 13:00:00', 14)$e$);

-- "Output Mode": partition columns, then measures
SELECT * FROM pg_temp.check($q$
  SELECT symbol, startprice, topprice, lastprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_output', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES
            FIRST(A.price) AS startPrice,
            LAST(A.price) AS topPrice,
            B.price AS lastPrice
        ONE ROW PER MATCH
        PATTERN (A+ B)
        DEFINE
            A AS LAST(A.price, 1) IS NULL OR A.price > LAST(A.price, 1),
            B AS B.price < LAST(A.price) $c$)
    AS mr(symbol text, startprice integer, topprice integer, lastprice integer)
    ORDER BY symbol, startprice $q$,
  -- expected (Flink docs, published):
  $e$VALUES ('XYZ', 10, 13, 11)$e$);

------------------------------------------------------------ pattern navigation
-- "Pattern Variable Referencing": the table's Classifier column, SUM(price)
-- and SUM(B.price) as running measures; row #5 (35) is not mapped
SELECT * FROM pg_temp.check($q$
  SELECT price, classifier, sum_price, sum_b_price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_nav WHERE symbol = ''nav''', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES CLASSIFIER() AS classifier, SUM(price) AS sum_price, SUM(B.price) AS sum_b_price
        ALL ROWS PER MATCH
        PATTERN (A B+)
        DEFINE
          A AS A.price >= 10,
          B AS B.price > A.price AND SUM(price) < 100 AND SUM(B.price) < 80 $c$)
    AS mr(price integer, classifier text, sum_price bigint, sum_b_price bigint)
    ORDER BY price $q$,
  -- expected (Flink docs' table):
  $e$VALUES (10, 'A', 10, NULL::bigint), (15, 'B', 25, 15), (20, 'B', 45, 35), (31, 'B', 76, 66)$e$);

-- "Logical Offsets": LAST(B.price, 1), LAST(B.price, 2); 35 is not mapped
-- because 35 < 2 * 20
SELECT * FROM pg_temp.check($q$
  SELECT price, classifier, last_b_1, last_b_2
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_nav WHERE symbol = ''nav''', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES CLASSIFIER() AS classifier, LAST(B.price, 1) AS last_b_1, LAST(B.price, 2) AS last_b_2
        ALL ROWS PER MATCH
        PATTERN (A B+)
        DEFINE
          A AS A.price >= 10,
          B AS (LAST(B.price, 1) IS NULL OR B.price > LAST(B.price, 1)) AND
               (LAST(B.price, 2) IS NULL OR B.price > 2 * LAST(B.price, 2)) $c$)
    AS mr(price integer, classifier text, last_b_1 integer, last_b_2 integer)
    ORDER BY price $q$,
  -- expected (Flink docs' table):
  $e$VALUES (10, 'A', NULL::integer, NULL::integer), (15, 'B', NULL, NULL), (20, 'B', 15, NULL), (31, 'B', 20, 15)$e$);

-- "Logical Offsets" with the default pattern variable: LAST(price, 1) is
-- the row before C, whether it is B (seq1) or A (seq2)
SELECT * FROM pg_temp.check($q$
  SELECT symbol, price, classifier, last_price_1
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_nav WHERE symbol <> ''nav''', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES CLASSIFIER() AS classifier, LAST(price, 1) AS last_price_1
        ALL ROWS PER MATCH
        PATTERN (A B? C)
        DEFINE
          B AS B.price < 20,
          C AS LAST(price, 1) < C.price $c$)
    AS mr(symbol text, price integer, classifier text, last_price_1 integer)
    ORDER BY symbol, price $q$,
  -- expected (Flink docs' tables):
  $e$VALUES ('seq1', 10, 'A', NULL::integer), ('seq1', 15, 'B', 10), ('seq1', 20, 'C', 15),
            ('seq2', 10, 'A', NULL), ('seq2', 20, 'C', 10)$e$);

------------------------------------------------------------ after match strategy
-- "After Match Strategy": PATTERN (A+ C), A AS SUM(A.price) < 30 over
-- 7 9 10 5 10 7 14, the docs' query with [AFTER MATCH STRATEGY] =
-- SKIP PAST LAST ROW and SKIP TO NEXT ROW.  For TO NEXT ROW Flink
-- publishes five rows; the standard finds a sixth: from #6, A+ takes 7 and
-- 14 (sum 21), then has no row for C, so it gives 14 back to C: A = {7},
-- C = 14.
SELECT * FROM pg_temp.check($q$
  SELECT skip, symbol, sumprice, starttime, endtime
    FROM unnest(ARRAY['PAST LAST ROW', 'TO NEXT ROW']) AS u(skip),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_skip',
           'PARTITION BY symbol
            ORDER BY rowtime
            MEASURES
                SUM(A.price) AS sumPrice,
                FIRST(rowtime) AS startTime,
                LAST(rowtime) AS endTime
            ONE ROW PER MATCH
            AFTER MATCH SKIP ' || skip || '
            PATTERN (A+ C)
            DEFINE
                A AS SUM(A.price) < 30')
         AS mr(symbol text, sumprice bigint, starttime timestamp, endtime timestamp)
    ORDER BY skip, symbol, starttime $q$,
  -- expected (PAST LAST ROW: Flink docs, published; TO NEXT ROW: Flink's
  -- five rows + the standard's sixth, hand-derived):
  $e$VALUES ('PAST LAST ROW', 'XYZ', 26, timestamp '2018-09-17 10:00:01', timestamp '2018-09-17 10:00:04'),
            ('PAST LAST ROW', 'XYZ', 17, '2018-09-17 10:00:05', '2018-09-17 10:00:07'),
            ('TO NEXT ROW', 'XYZ', 26, '2018-09-17 10:00:01', '2018-09-17 10:00:04'),
            ('TO NEXT ROW', 'XYZ', 24, '2018-09-17 10:00:02', '2018-09-17 10:00:05'),
            ('TO NEXT ROW', 'XYZ', 25, '2018-09-17 10:00:03', '2018-09-17 10:00:06'),
            ('TO NEXT ROW', 'XYZ', 22, '2018-09-17 10:00:04', '2018-09-17 10:00:07'),
            ('TO NEXT ROW', 'XYZ', 17, '2018-09-17 10:00:05', '2018-09-17 10:00:07'),
            ('TO NEXT ROW', 'XYZ', 7, '2018-09-17 10:00:06', '2018-09-17 10:00:07')$e$);

-- ... AFTER MATCH SKIP TO LAST A.  Flink publishes (26, #1-#4), (25, #3-#6),
-- (17, #5-#7).  The standard goes on from the last A of the third match,
-- #6, and finds A = {#6}, C = #7 (as above); that match's last A is its
-- first row, so skipping to it fails: "cannot skip to first row of match"
-- (22000).
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_skip', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES SUM(A.price) AS sumPrice, FIRST(rowtime) AS startTime, LAST(rowtime) AS endTime
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST A
        PATTERN (A+ C)
        DEFINE A AS SUM(A.price) < 30 $c$)
    AS mr(symbol text, sumprice bigint, starttime timestamp, endtime timestamp) $q$) AS skip_to_last_a;

-- ... AFTER MATCH SKIP TO FIRST A: the first A is the first row of the
-- match; Flink's docs: "will produce a runtime exception"
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_skip', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES SUM(A.price) AS sumPrice
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO FIRST A
        PATTERN (A+ C)
        DEFINE A AS SUM(A.price) < 30 $c$)
    AS mr(symbol text, sumprice bigint) $q$) AS skip_to_first_a;

-- Flink's docs: with SKIP TO FIRST/LAST variable "there might be no rows
-- mapped to that variable (e.g. for pattern A*)": a runtime error
-- (22000: pattern variable is not present in match)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_skip', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES COUNT(A.*) AS a_rows
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST A
        PATTERN (A* C)
        DEFINE A AS A.price > 20 $c$)
    AS mr(symbol text, a_rows bigint) $q$) AS skip_to_absent_variable;

------------------------------------------------------------ controlling memory consumption
-- "Controlling Memory Consumption": with B undefined (true), A B+ C keeps
-- going in a stream; over a finished input the greedy B+ gives rows back
-- to the last C (price > 20).  The reluctant B+? stops at the first C.
SELECT * FROM pg_temp.check($q$
  SELECT p, start_tstamp, c_tstamp, c_price
    FROM unnest(ARRAY['A B+ C', 'A B+? C']) AS u(p),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_agg',
           'PARTITION BY symbol
            ORDER BY rowtime
            MEASURES FIRST(A.rowtime) AS start_tstamp, C.rowtime AS c_tstamp, C.price AS c_price
            ONE ROW PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ')
            DEFINE A AS A.price > 10, C AS C.price > 20')
         AS mr(start_tstamp timestamp, c_tstamp timestamp, c_price integer)
    ORDER BY p COLLATE "C", start_tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES ('A B+ C', timestamp '2011-04-01 10:00:00', timestamp '2011-04-01 10:00:11', 30),
            ('A B+? C', '2011-04-01 10:00:00', '2011-04-01 10:00:04', 25),
            ('A B+? C', '2011-04-01 10:00:08', '2011-04-01 10:00:10', 25)$e$);

------------------------------------------------------------ errors
-- Flink: "The MATCH_RECOGNIZE clause assumes a time attribute with
-- ascending ordering as the first argument to ORDER BY"; asset_stream
-- needs that for WITHIN: ORDER BY price (42804), ORDER BY rowtime DESC
-- (42601)
SELECT order_by, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_within', $c$
        PARTITION BY symbol
        ORDER BY %s
        MEASURES C.rowtime AS dropTime
        PATTERN (A B* C) WITHIN INTERVAL '1' HOUR
        DEFINE B AS B.price > A.price - 10, C AS C.price < A.price - 10 $c$)
    AS mr(symbol text, droptime timestamp) $q$, order_by)) AS error
  FROM unnest(ARRAY['price', 'rowtime DESC']) AS u(order_by);

-- WITHIN needs a positive interval (22023)
SELECT pg_temp.err($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_flink.ticker_within', $c$
        PARTITION BY symbol
        ORDER BY rowtime
        MEASURES C.rowtime AS dropTime
        PATTERN (A B* C) WITHIN INTERVAL '0' HOUR
        DEFINE B AS B.price > A.price - 10, C AS C.price < A.price - 10 $c$)
    AS mr(symbol text, droptime timestamp) $q$) AS within_zero;

SET client_min_messages = warning;
DROP SCHEMA mr_conf_flink CASCADE;
