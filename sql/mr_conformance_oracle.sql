-- Conformance of asset_stream.match_recognize with Oracle Database's
-- MATCH_RECOGNIZE: the examples of the Data Warehousing Guide, chapter
-- "SQL for Pattern Matching" (12c: docs.oracle.com/database/121/DWHSG/
-- pattern.htm, Examples 20-1 to 20-4 on the Ticker table, the SUBSET
-- example), the published outputs of oracle-base.com's "Pattern Matching
-- (MATCH_RECOGNIZE) in Oracle Database 12c" (sales_history, sales_audit),
-- the sessionization script of Oracle's LiveSQL pattern matching
-- tutorial (Keith Laker, clickdata), and cases for the chapter's
-- concepts (SKIP TO, empty matches, WITH UNMATCHED ROWS, PERMUTE,
-- exclusion, reluctant quantifiers, nested navigation, CLASSIFIER and
-- MATCH_NUMBER) on the same Ticker data.  Where the published output
-- could not be read, the expected rows are hand-derived and say so.
--
-- Translations: Oracle's DATE -> date, NUMBER -> integer / numeric,
-- VARCHAR2 -> text; Oracle's FROM t MATCH_RECOGNIZE (...) MR becomes
-- asset_stream.match_recognize('SELECT ... FROM t', $c$ ... $c$) AS mr(...),
-- the column definition list picking the output columns by name (Oracle's
-- SELECT * columns, in its order).  PostgreSQL types: COUNT -> bigint,
-- AVG(integer) -> numeric, MATCH_NUMBER() -> bigint, CLASSIFIER() -> text.
--
-- Every query runs through pg_temp.check(query, expected) (see
-- sql/mr_conformance_helpers.psql): the query's rows, then "ok" or
-- MISMATCH against the expected rows written under it.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/mr_conformance_helpers.psql'
\i :helpers

CREATE SCHEMA mr_conf_oracle;
SET search_path = mr_conf_oracle, public;

-- Oracle doc, Example 20-1: CREATE TABLE Ticker (SYMBOL VARCHAR2(10), tstamp DATE, price NUMBER)
CREATE TABLE ticker (symbol text, tstamp date, price integer);
INSERT INTO ticker VALUES
  ('ACME', '2011-04-01', 12), ('ACME', '2011-04-02', 17), ('ACME', '2011-04-03', 19),
  ('ACME', '2011-04-04', 21), ('ACME', '2011-04-05', 25), ('ACME', '2011-04-06', 12),
  ('ACME', '2011-04-07', 15), ('ACME', '2011-04-08', 20), ('ACME', '2011-04-09', 24),
  ('ACME', '2011-04-10', 25), ('ACME', '2011-04-11', 19), ('ACME', '2011-04-12', 15),
  ('ACME', '2011-04-13', 25), ('ACME', '2011-04-14', 25), ('ACME', '2011-04-15', 14),
  ('ACME', '2011-04-16', 12), ('ACME', '2011-04-17', 14), ('ACME', '2011-04-18', 24),
  ('ACME', '2011-04-19', 23), ('ACME', '2011-04-20', 22);

-- oracle-base: sales_history (TIMESTAMP days there, date here)
CREATE TABLE sales_history (id integer, product text, tstamp date, units_sold integer);
INSERT INTO sales_history VALUES
  ( 1, 'TWINKIES', '2014-10-01', 17), ( 2, 'TWINKIES', '2014-10-02', 19), ( 3, 'TWINKIES', '2014-10-03', 23),
  ( 4, 'TWINKIES', '2014-10-04', 23), ( 5, 'TWINKIES', '2014-10-05', 16), ( 6, 'TWINKIES', '2014-10-06', 10),
  ( 7, 'TWINKIES', '2014-10-07', 14), ( 8, 'TWINKIES', '2014-10-08', 16), ( 9, 'TWINKIES', '2014-10-09', 15),
  (10, 'TWINKIES', '2014-10-10', 17), (11, 'TWINKIES', '2014-10-11', 23), (12, 'TWINKIES', '2014-10-12', 30),
  (13, 'TWINKIES', '2014-10-13', 31), (14, 'TWINKIES', '2014-10-14', 29), (15, 'TWINKIES', '2014-10-15', 25),
  (16, 'TWINKIES', '2014-10-16', 21), (17, 'TWINKIES', '2014-10-17', 35), (18, 'TWINKIES', '2014-10-18', 46),
  (19, 'TWINKIES', '2014-10-19', 45), (20, 'TWINKIES', '2014-10-20', 30);

-- oracle-base: sales_audit
CREATE TABLE sales_audit (id integer, product text, tstamp timestamp);
INSERT INTO sales_audit VALUES
  ( 1, 'TWINKIES', '2014-10-01 12:00:01'), ( 2, 'TWINKIES', '2014-10-01 12:00:02'),
  ( 3, 'DINGDONGS', '2014-10-01 12:00:03'), ( 4, 'HOHOS', '2014-10-01 12:00:04'),
  ( 5, 'HOHOS', '2014-10-01 12:00:05'), ( 6, 'TWINKIES', '2014-10-01 12:00:06'),
  ( 7, 'TWINKIES', '2014-10-01 12:00:07'), ( 8, 'DINGDONGS', '2014-10-01 12:00:08'),
  ( 9, 'DINGDONGS', '2014-10-01 12:00:09'), (10, 'HOHOS', '2014-10-01 12:00:10'),
  (11, 'HOHOS', '2014-10-01 12:00:11'), (12, 'TWINKIES', '2014-10-01 12:00:12'),
  (13, 'TWINKIES', '2014-10-01 12:00:13'), (14, 'DINGDONGS', '2014-10-01 12:00:14'),
  (15, 'DINGDONGS', '2014-10-01 12:00:15'), (16, 'HOHOS', '2014-10-01 12:00:16'),
  (17, 'TWINKIES', '2014-10-01 12:00:17'), (18, 'TWINKIES', '2014-10-01 12:00:18'),
  (19, 'TWINKIES', '2014-10-01 12:00:19'), (20, 'TWINKIES', '2014-10-01 12:00:20');

-- LiveSQL pattern matching tutorial: clickdata (tstamp integer, userid varchar2(15))
CREATE TABLE clickdata (tstamp integer, userid text);
INSERT INTO clickdata VALUES
  (1, 'Mary'), (2, 'Sam'), (11, 'Mary'), (12, 'Sam'), (22, 'Sam'), (23, 'Mary'), (32, 'Sam'),
  (34, 'Mary'), (43, 'Sam'), (44, 'Mary'), (47, 'Sam'), (48, 'Sam'), (53, 'Mary'), (59, 'Sam'),
  (60, 'Sam'), (63, 'Mary'), (68, 'Sam');

------------------------------------------------------------ the Ticker examples
-- Oracle doc, Example 20-1 "Pattern Match for a Simple V-Shape with 1 Row
-- Output per Match"
SELECT * FROM pg_temp.check($q$
  SELECT symbol, start_tstamp, bottom_tstamp, end_tstamp
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               LAST(DOWN.tstamp) AS bottom_tstamp,
               LAST(UP.tstamp) AS end_tstamp
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      DEFINE
         DOWN AS DOWN.price < PREV(DOWN.price),
         UP AS UP.price > PREV(UP.price) $c$)
    AS mr(symbol text, start_tstamp date, bottom_tstamp date, end_tstamp date)
    ORDER BY symbol, start_tstamp $q$,
  -- expected (Oracle doc, Example 20-1, published):
  $e$VALUES ('ACME', date '2011-04-05', date '2011-04-06', date '2011-04-10'),
            ('ACME', '2011-04-10', '2011-04-12', '2011-04-13'),
            ('ACME', '2011-04-14', '2011-04-16', '2011-04-18')$e$);

-- Oracle doc, Example 20-2 "Pattern Match for a Simple V-Shape with All
-- Rows Output per Match": 10-Apr is the last row of match 1 and the first
-- of match 2
SELECT * FROM pg_temp.check($q$
  SELECT symbol, tstamp, start_tstamp, bottom_tstamp, end_tstamp, match_num, var_match, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               FINAL LAST(DOWN.tstamp) AS bottom_tstamp,
               FINAL LAST(UP.tstamp) AS end_tstamp,
               MATCH_NUMBER() AS match_num,
               CLASSIFIER() AS var_match
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      DEFINE
         DOWN AS DOWN.price < PREV(DOWN.price),
         UP AS UP.price > PREV(UP.price) $c$)
    AS mr(symbol text, tstamp date, start_tstamp date, bottom_tstamp date, end_tstamp date,
          match_num bigint, var_match text, price integer)
    ORDER BY symbol, match_num, tstamp $q$,
  -- expected (Oracle doc, Example 20-2; 15 rows, hand-checked):
  $e$VALUES ('ACME', date '2011-04-05', date '2011-04-05', date '2011-04-06', date '2011-04-10', 1, 'STRT', 25),
            ('ACME', '2011-04-06', '2011-04-05', '2011-04-06', '2011-04-10', 1, 'DOWN', 12),
            ('ACME', '2011-04-07', '2011-04-05', '2011-04-06', '2011-04-10', 1, 'UP', 15),
            ('ACME', '2011-04-08', '2011-04-05', '2011-04-06', '2011-04-10', 1, 'UP', 20),
            ('ACME', '2011-04-09', '2011-04-05', '2011-04-06', '2011-04-10', 1, 'UP', 24),
            ('ACME', '2011-04-10', '2011-04-05', '2011-04-06', '2011-04-10', 1, 'UP', 25),
            ('ACME', '2011-04-10', '2011-04-10', '2011-04-12', '2011-04-13', 2, 'STRT', 25),
            ('ACME', '2011-04-11', '2011-04-10', '2011-04-12', '2011-04-13', 2, 'DOWN', 19),
            ('ACME', '2011-04-12', '2011-04-10', '2011-04-12', '2011-04-13', 2, 'DOWN', 15),
            ('ACME', '2011-04-13', '2011-04-10', '2011-04-12', '2011-04-13', 2, 'UP', 25),
            ('ACME', '2011-04-14', '2011-04-14', '2011-04-16', '2011-04-18', 3, 'STRT', 25),
            ('ACME', '2011-04-15', '2011-04-14', '2011-04-16', '2011-04-18', 3, 'DOWN', 14),
            ('ACME', '2011-04-16', '2011-04-14', '2011-04-16', '2011-04-18', 3, 'DOWN', 12),
            ('ACME', '2011-04-17', '2011-04-14', '2011-04-16', '2011-04-18', 3, 'UP', 14),
            ('ACME', '2011-04-18', '2011-04-14', '2011-04-16', '2011-04-18', 3, 'UP', 24)$e$);

-- Oracle doc, Example 20-3 "Pattern Match with an Aggregate on a Variable":
-- FINAL COUNT over UP and over all rows, RUNNING COUNT, an expression
-- mixing a universal (price) and a qualified (STRT.price) reference
SELECT * FROM pg_temp.check($q$
  SELECT symbol, tstamp, match_num, var_match, up_days, total_days, cnt_days, price_dif, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES
        MATCH_NUMBER() AS match_num,
        CLASSIFIER() AS var_match,
        FINAL COUNT(UP.tstamp) AS up_days,
        FINAL COUNT(tstamp) AS total_days,
        RUNNING COUNT(tstamp) AS cnt_days,
        price - STRT.price AS price_dif
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      DEFINE
        DOWN AS DOWN.price < PREV(DOWN.price),
        UP AS UP.price > PREV(UP.price) $c$)
    AS mr(symbol text, tstamp date, match_num bigint, var_match text, up_days bigint, total_days bigint,
          cnt_days bigint, price_dif integer, price integer)
    ORDER BY symbol, match_num, tstamp $q$,
  -- expected (Oracle doc, Example 20-3; hand-checked):
  $e$VALUES ('ACME', date '2011-04-05', 1, 'STRT', 4, 6, 1, 0, 25),
            ('ACME', '2011-04-06', 1, 'DOWN', 4, 6, 2, -13, 12),
            ('ACME', '2011-04-07', 1, 'UP', 4, 6, 3, -10, 15),
            ('ACME', '2011-04-08', 1, 'UP', 4, 6, 4, -5, 20),
            ('ACME', '2011-04-09', 1, 'UP', 4, 6, 5, -1, 24),
            ('ACME', '2011-04-10', 1, 'UP', 4, 6, 6, 0, 25),
            ('ACME', '2011-04-10', 2, 'STRT', 1, 4, 1, 0, 25),
            ('ACME', '2011-04-11', 2, 'DOWN', 1, 4, 2, -6, 19),
            ('ACME', '2011-04-12', 2, 'DOWN', 1, 4, 3, -10, 15),
            ('ACME', '2011-04-13', 2, 'UP', 1, 4, 4, 0, 25),
            ('ACME', '2011-04-14', 3, 'STRT', 2, 5, 1, 0, 25),
            ('ACME', '2011-04-15', 3, 'DOWN', 2, 5, 2, -11, 14),
            ('ACME', '2011-04-16', 3, 'DOWN', 2, 5, 3, -13, 12),
            ('ACME', '2011-04-17', 3, 'UP', 2, 5, 4, -11, 14),
            ('ACME', '2011-04-18', 3, 'UP', 2, 5, 5, -1, 24)$e$);

-- Oracle doc, Example 20-4 "Pattern Match for a W-Shape": one W, 5-Apr to 13-Apr
SELECT * FROM pg_temp.check($q$
  SELECT symbol, tstamp, match_num, var_match, start_tstamp, end_tstamp, price
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES
        MATCH_NUMBER() AS match_num,
        CLASSIFIER() AS var_match,
        STRT.tstamp AS start_tstamp,
        FINAL LAST(UP.tstamp) AS end_tstamp
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+ DOWN+ UP+)
      DEFINE
        DOWN AS DOWN.price < PREV(DOWN.price),
        UP AS UP.price > PREV(UP.price) $c$)
    AS mr(symbol text, tstamp date, match_num bigint, var_match text, start_tstamp date, end_tstamp date,
          price integer)
    ORDER BY symbol, match_num, tstamp $q$,
  -- expected (Oracle doc, Example 20-4: "The query results show one W-shape"; rows hand-derived):
  $e$VALUES ('ACME', date '2011-04-05', 1, 'STRT', date '2011-04-05', date '2011-04-13', 25),
            ('ACME', '2011-04-06', 1, 'DOWN', '2011-04-05', '2011-04-13', 12),
            ('ACME', '2011-04-07', 1, 'UP', '2011-04-05', '2011-04-13', 15),
            ('ACME', '2011-04-08', 1, 'UP', '2011-04-05', '2011-04-13', 20),
            ('ACME', '2011-04-09', 1, 'UP', '2011-04-05', '2011-04-13', 24),
            ('ACME', '2011-04-10', 1, 'UP', '2011-04-05', '2011-04-13', 25),
            ('ACME', '2011-04-11', 1, 'DOWN', '2011-04-05', '2011-04-13', 19),
            ('ACME', '2011-04-12', 1, 'DOWN', '2011-04-05', '2011-04-13', 15),
            ('ACME', '2011-04-13', 1, 'UP', '2011-04-05', '2011-04-13', 25)$e$);

-- Oracle doc, "Defining Union Row Pattern Variables": SUBSET STDN = (STRT, DOWN)
SELECT * FROM pg_temp.check($q$
  SELECT symbol, strt_time, bottom, round(stdn_avgprice, 2) AS stdn_avgprice
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol
      ORDER BY tstamp
      MEASURES FIRST(STRT.tstamp) AS strt_time,
               LAST(DOWN.tstamp) AS bottom,
               AVG(STDN.price) AS stdn_avgprice
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      SUBSET STDN = (STRT, DOWN)
      DEFINE
        UP AS UP.price > PREV(UP.price),
        DOWN AS DOWN.price < PREV(DOWN.price) $c$)
    AS mr(symbol text, strt_time date, bottom date, stdn_avgprice numeric)
    ORDER BY symbol, strt_time $q$,
  -- expected (hand-derived: (25+12)/2, (25+19+15)/3, (25+14+12)/3):
  $e$VALUES ('ACME', date '2011-04-05', date '2011-04-06', 18.50),
            ('ACME', '2011-04-10', '2011-04-12', 19.67),
            ('ACME', '2011-04-14', '2011-04-16', 17.00)$e$);

------------------------------------------------------------ AFTER MATCH SKIP
-- Oracle doc, "AFTER MATCH SKIP: Restarting the Matching Process", on
-- Example 20-1 with each skip mode: TO NEXT ROW (and TO FIRST DOWN) also
-- find the V-shapes that start on the descending slope of an earlier one;
-- PAST LAST ROW starts the second V on 11 Apr
SELECT * FROM pg_temp.check($q$
  SELECT skip, string_agg(to_char(start_tstamp, 'DD') || '-' || to_char(end_tstamp, 'DD'), ' ' ORDER BY mno) AS matches
    FROM unnest(ARRAY['PAST LAST ROW', 'TO NEXT ROW', 'TO FIRST DOWN', 'TO LAST DOWN', 'TO FIRST UP']) AS u(skip),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker',
           'PARTITION BY symbol
            ORDER BY tstamp
            MEASURES STRT.tstamp AS start_tstamp, LAST(UP.tstamp) AS end_tstamp, MATCH_NUMBER() AS mno
            ONE ROW PER MATCH
            AFTER MATCH SKIP ' || skip || '
            PATTERN (STRT DOWN+ UP+)
            DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price)')
         AS mr(start_tstamp date, end_tstamp date, mno bigint)
    GROUP BY skip ORDER BY skip COLLATE "C" $q$,
  -- expected (hand-derived; day of the first and the last row of each match):
  $e$VALUES ('PAST LAST ROW', '05-10 11-13 14-18'),
            ('TO NEXT ROW',   '05-10 10-13 11-13 14-18 15-18'),
            ('TO FIRST DOWN', '05-10 10-13 11-13 14-18 15-18'),
            ('TO LAST DOWN',  '05-10 10-13 14-18'),
            ('TO FIRST UP',   '05-10 10-13 14-18')$e$);

-- Oracle doc: skipping to the first row of the match is an error
-- (ORA-62514 in Oracle; 22000 here), and so is skipping to a variable
-- that has no row in the match (FLAT* is empty in every match)
SELECT skip, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno
      ONE ROW PER MATCH
      AFTER MATCH SKIP %s
      PATTERN (STRT DOWN+ FLAT* UP+)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price),
             FLAT AS FLAT.price = PREV(FLAT.price) $c$)
    AS mr(mno bigint) $q$, skip)) AS error
  FROM unnest(ARRAY['TO STRT', 'TO FIRST STRT', 'TO LAST FLAT']) AS u(skip);
-- expected: TO STRT, TO FIRST STRT: 22000 cannot skip to first row of
-- match; TO LAST FLAT: 22000 pattern variable is not present in match

------------------------------------------------------------ oracle-base
-- oracle-base: peaks, PATTERN (STRT UP+ FLAT* DOWN+), ONE ROW PER MATCH
SELECT * FROM pg_temp.check($q$
  SELECT product, start_tstamp, peak_tstamp, end_tstamp, mno
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.sales_history', $c$
      PARTITION BY product
      ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               LAST(UP.tstamp) AS peak_tstamp,
               LAST(DOWN.tstamp) AS end_tstamp,
               MATCH_NUMBER() AS mno
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST DOWN
      PATTERN (STRT UP+ FLAT* DOWN+)
      DEFINE
        UP AS UP.units_sold > PREV(UP.units_sold),
        FLAT AS FLAT.units_sold = PREV(FLAT.units_sold),
        DOWN AS DOWN.units_sold < PREV(DOWN.units_sold) $c$)
    AS mr(product text, start_tstamp date, peak_tstamp date, end_tstamp date, mno bigint)
    ORDER BY product, start_tstamp $q$,
  -- expected (oracle-base, published):
  $e$VALUES ('TWINKIES', date '2014-10-01', date '2014-10-03', date '2014-10-06', 1),
            ('TWINKIES', '2014-10-06', '2014-10-08', '2014-10-09', 2),
            ('TWINKIES', '2014-10-09', '2014-10-13', '2014-10-16', 3),
            ('TWINKIES', '2014-10-16', '2014-10-18', '2014-10-20', 4)$e$);

-- oracle-base: the same with ALL ROWS PER MATCH and CLASSIFIER()
SELECT * FROM pg_temp.check($q$
  SELECT product, tstamp, start_tstamp, peak_tstamp, end_tstamp, mno, cls, id, units_sold
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.sales_history', $c$
      PARTITION BY product
      ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               FINAL LAST(UP.tstamp) AS peak_tstamp,
               FINAL LAST(DOWN.tstamp) AS end_tstamp,
               MATCH_NUMBER() AS mno,
               CLASSIFIER() AS cls
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST DOWN
      PATTERN (STRT UP+ FLAT* DOWN+)
      DEFINE
        UP AS UP.units_sold > PREV(UP.units_sold),
        DOWN AS DOWN.units_sold < PREV(DOWN.units_sold),
        FLAT AS FLAT.units_sold = PREV(FLAT.units_sold) $c$)
    AS mr(product text, tstamp date, start_tstamp date, peak_tstamp date, end_tstamp date, mno bigint,
          cls text, id integer, units_sold integer)
    ORDER BY product, mno, tstamp $q$,
  -- expected (oracle-base, published, 23 rows):
  $e$VALUES ('TWINKIES', date '2014-10-01', date '2014-10-01', date '2014-10-03', date '2014-10-06', 1, 'STRT', 1, 17),
            ('TWINKIES', '2014-10-02', '2014-10-01', '2014-10-03', '2014-10-06', 1, 'UP', 2, 19),
            ('TWINKIES', '2014-10-03', '2014-10-01', '2014-10-03', '2014-10-06', 1, 'UP', 3, 23),
            ('TWINKIES', '2014-10-04', '2014-10-01', '2014-10-03', '2014-10-06', 1, 'FLAT', 4, 23),
            ('TWINKIES', '2014-10-05', '2014-10-01', '2014-10-03', '2014-10-06', 1, 'DOWN', 5, 16),
            ('TWINKIES', '2014-10-06', '2014-10-01', '2014-10-03', '2014-10-06', 1, 'DOWN', 6, 10),
            ('TWINKIES', '2014-10-06', '2014-10-06', '2014-10-08', '2014-10-09', 2, 'STRT', 6, 10),
            ('TWINKIES', '2014-10-07', '2014-10-06', '2014-10-08', '2014-10-09', 2, 'UP', 7, 14),
            ('TWINKIES', '2014-10-08', '2014-10-06', '2014-10-08', '2014-10-09', 2, 'UP', 8, 16),
            ('TWINKIES', '2014-10-09', '2014-10-06', '2014-10-08', '2014-10-09', 2, 'DOWN', 9, 15),
            ('TWINKIES', '2014-10-09', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'STRT', 9, 15),
            ('TWINKIES', '2014-10-10', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'UP', 10, 17),
            ('TWINKIES', '2014-10-11', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'UP', 11, 23),
            ('TWINKIES', '2014-10-12', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'UP', 12, 30),
            ('TWINKIES', '2014-10-13', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'UP', 13, 31),
            ('TWINKIES', '2014-10-14', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'DOWN', 14, 29),
            ('TWINKIES', '2014-10-15', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'DOWN', 15, 25),
            ('TWINKIES', '2014-10-16', '2014-10-09', '2014-10-13', '2014-10-16', 3, 'DOWN', 16, 21),
            ('TWINKIES', '2014-10-16', '2014-10-16', '2014-10-18', '2014-10-20', 4, 'STRT', 16, 21),
            ('TWINKIES', '2014-10-17', '2014-10-16', '2014-10-18', '2014-10-20', 4, 'UP', 17, 35),
            ('TWINKIES', '2014-10-18', '2014-10-16', '2014-10-18', '2014-10-20', 4, 'UP', 18, 46),
            ('TWINKIES', '2014-10-19', '2014-10-16', '2014-10-18', '2014-10-20', 4, 'DOWN', 19, 45),
            ('TWINKIES', '2014-10-20', '2014-10-16', '2014-10-18', '2014-10-20', 4, 'DOWN', 20, 30)$e$);

-- oracle-base: a general rise with a single dip, PATTERN (STRT UP+ DOWN{1} UP+)
SELECT * FROM pg_temp.check($q$
  SELECT product, tstamp, start_tstamp, peak_tstamp, mno, cls, id, units_sold
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.sales_history', $c$
      PARTITION BY product
      ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               FINAL LAST(UP.tstamp) AS peak_tstamp,
               MATCH_NUMBER() AS mno,
               CLASSIFIER() AS cls
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST DOWN
      PATTERN (STRT UP+ DOWN{1} UP+)
      DEFINE
        UP AS UP.units_sold > PREV(UP.units_sold),
        DOWN AS DOWN.units_sold < PREV(DOWN.units_sold) $c$)
    AS mr(product text, tstamp date, start_tstamp date, peak_tstamp date, mno bigint, cls text,
          id integer, units_sold integer)
    ORDER BY product, tstamp $q$,
  -- expected (oracle-base, published, 8 rows):
  $e$VALUES ('TWINKIES', date '2014-10-06', date '2014-10-06', date '2014-10-13', 1, 'STRT', 6, 10),
            ('TWINKIES', '2014-10-07', '2014-10-06', '2014-10-13', 1, 'UP', 7, 14),
            ('TWINKIES', '2014-10-08', '2014-10-06', '2014-10-13', 1, 'UP', 8, 16),
            ('TWINKIES', '2014-10-09', '2014-10-06', '2014-10-13', 1, 'DOWN', 9, 15),
            ('TWINKIES', '2014-10-10', '2014-10-06', '2014-10-13', 1, 'UP', 10, 17),
            ('TWINKIES', '2014-10-11', '2014-10-06', '2014-10-13', 1, 'UP', 11, 23),
            ('TWINKIES', '2014-10-12', '2014-10-06', '2014-10-13', 1, 'UP', 12, 30),
            ('TWINKIES', '2014-10-13', '2014-10-06', '2014-10-13', 1, 'UP', 13, 31)$e$);

-- oracle-base: runs of TWINKIES separated by exactly three DINGDONGS or
-- HOHOS, no PARTITION BY; a quantified alternation
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, start_tstamp, end_tstamp, mno, cls, id, product
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.sales_audit', $c$
      --PARTITION BY product
      ORDER BY tstamp
      MEASURES FIRST(TWINKIES.tstamp) AS start_tstamp,
               FINAL LAST(TWINKIES.tstamp) AS end_tstamp,
               MATCH_NUMBER() AS mno,
               CLASSIFIER() AS cls
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST TWINKIES
      PATTERN(TWINKIES+ (DINGDONGS | HOHOS){3} TWINKIES+)
      DEFINE
        TWINKIES AS TWINKIES.product='TWINKIES',
        DINGDONGS AS DINGDONGS.product='DINGDONGS',
        HOHOS AS HOHOS.product='HOHOS' $c$)
    AS mr(tstamp timestamp, start_tstamp timestamp, end_tstamp timestamp, mno bigint, cls text,
          id integer, product text)
    ORDER BY mno, tstamp $q$,
  -- expected (oracle-base, published, 16 rows):
  $e$VALUES (timestamp '2014-10-01 12:00:01', timestamp '2014-10-01 12:00:01', timestamp '2014-10-01 12:00:07', 1, 'TWINKIES', 1, 'TWINKIES'),
            ('2014-10-01 12:00:02', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'TWINKIES', 2, 'TWINKIES'),
            ('2014-10-01 12:00:03', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'DINGDONGS', 3, 'DINGDONGS'),
            ('2014-10-01 12:00:04', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'HOHOS', 4, 'HOHOS'),
            ('2014-10-01 12:00:05', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'HOHOS', 5, 'HOHOS'),
            ('2014-10-01 12:00:06', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'TWINKIES', 6, 'TWINKIES'),
            ('2014-10-01 12:00:07', '2014-10-01 12:00:01', '2014-10-01 12:00:07', 1, 'TWINKIES', 7, 'TWINKIES'),
            ('2014-10-01 12:00:12', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 12, 'TWINKIES'),
            ('2014-10-01 12:00:13', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 13, 'TWINKIES'),
            ('2014-10-01 12:00:14', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'DINGDONGS', 14, 'DINGDONGS'),
            ('2014-10-01 12:00:15', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'DINGDONGS', 15, 'DINGDONGS'),
            ('2014-10-01 12:00:16', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'HOHOS', 16, 'HOHOS'),
            ('2014-10-01 12:00:17', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 17, 'TWINKIES'),
            ('2014-10-01 12:00:18', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 18, 'TWINKIES'),
            ('2014-10-01 12:00:19', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 19, 'TWINKIES'),
            ('2014-10-01 12:00:20', '2014-10-01 12:00:12', '2014-10-01 12:00:20', 2, 'TWINKIES', 20, 'TWINKIES')$e$);

------------------------------------------------------------ sessionization
-- LiveSQL tutorial (Oracle, Keith Laker): sessions are runs of clicks at
-- most 10 apart, PATTERN (b s*), session_id = MATCH_NUMBER()
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, userid, session_id
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.clickdata', $c$
      PARTITION BY userid ORDER BY tstamp
      MEASURES match_number() as session_id
      ALL ROWS PER MATCH
      PATTERN (b s*)
      DEFINE
          s as (s.tstamp - prev(s.tstamp) <= 10) $c$)
    AS mr(tstamp integer, userid text, session_id bigint)
    ORDER BY userid, tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES (1, 'Mary', 1), (11, 'Mary', 1), (23, 'Mary', 2), (34, 'Mary', 3), (44, 'Mary', 3),
            (53, 'Mary', 3), (63, 'Mary', 3),
            (2, 'Sam', 1), (12, 'Sam', 1), (22, 'Sam', 1), (32, 'Sam', 1), (43, 'Sam', 2), (47, 'Sam', 2),
            (48, 'Sam', 2), (59, 'Sam', 3), (60, 'Sam', 3), (68, 'Sam', 3)$e$);

-- LiveSQL tutorial: the same with running count, start and duration
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, userid, session_id, no_of_events, start_time, session_duration
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.clickdata', $c$
      PARTITION BY userid ORDER BY tstamp
      MEASURES match_number() as session_id,
               count(*) as no_of_events,
               first(tstamp) as start_time,
               last(tstamp) - first(tstamp) as session_duration
      ALL ROWS PER MATCH
      PATTERN (b s*)
      DEFINE
          s as (s.tstamp - prev(s.tstamp) <= 10) $c$)
    AS mr(tstamp integer, userid text, session_id bigint, no_of_events bigint, start_time integer,
          session_duration integer)
    ORDER BY userid, tstamp $q$,
  -- expected (hand-derived; the measures are running):
  $e$VALUES (1, 'Mary', 1, 1, 1, 0), (11, 'Mary', 1, 2, 1, 10), (23, 'Mary', 2, 1, 23, 0),
            (34, 'Mary', 3, 1, 34, 0), (44, 'Mary', 3, 2, 34, 10), (53, 'Mary', 3, 3, 34, 19),
            (63, 'Mary', 3, 4, 34, 29),
            (2, 'Sam', 1, 1, 2, 0), (12, 'Sam', 1, 2, 2, 10), (22, 'Sam', 1, 3, 2, 20), (32, 'Sam', 1, 4, 2, 30),
            (43, 'Sam', 2, 1, 43, 0), (47, 'Sam', 2, 2, 43, 4), (48, 'Sam', 2, 3, 43, 5),
            (59, 'Sam', 3, 1, 59, 0), (60, 'Sam', 3, 2, 59, 1), (68, 'Sam', 3, 3, 59, 9)$e$);

-- Oracle doc, "Sessionization ... Aggregated by Session": one row per session
SELECT * FROM pg_temp.check($q$
  SELECT userid, session_id, no_of_events, start_time, session_duration
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.clickdata', $c$
      PARTITION BY userid ORDER BY tstamp
      MEASURES match_number() AS session_id,
               count(*) AS no_of_events,
               first(tstamp) AS start_time,
               last(tstamp) - first(tstamp) AS session_duration
      ONE ROW PER MATCH
      PATTERN (b s*)
      DEFINE s AS (s.tstamp - prev(s.tstamp) <= 10) $c$)
    AS mr(userid text, session_id bigint, no_of_events bigint, start_time integer, session_duration integer)
    ORDER BY userid, session_id $q$,
  -- expected (hand-derived):
  $e$VALUES ('Mary', 1, 2, 1, 10), ('Mary', 2, 1, 23, 0), ('Mary', 3, 4, 34, 29),
            ('Sam', 1, 4, 2, 30), ('Sam', 2, 3, 43, 5), ('Sam', 3, 3, 59, 9)$e$);

------------------------------------------------------------ concepts of the chapter
-- "Empty matches": PATTERN (DOWN*) on 1..8 Apr matches empty at every row
-- but 6 Apr (12 < 25); each empty match takes a MATCH_NUMBER.  SHOW EMPTY
-- MATCHES outputs the start row with NULL classifier, OMIT EMPTY MATCHES
-- drops them, ONE ROW PER MATCH shows them.
SELECT * FROM pg_temp.check($q$
  SELECT rpm, mno, cls, cnt, first_tstamp
    FROM unnest(ARRAY['ALL ROWS PER MATCH SHOW EMPTY MATCHES', 'ALL ROWS PER MATCH OMIT EMPTY MATCHES',
                      'ONE ROW PER MATCH']) AS u(rpm),
         LATERAL asset_stream.match_recognize(
           'SELECT symbol, tstamp, price FROM mr_conf_oracle.ticker WHERE tstamp <= ''2011-04-08''',
           'PARTITION BY symbol ORDER BY tstamp
            MEASURES MATCH_NUMBER() AS mno, CLASSIFIER() AS cls, COUNT(*) AS cnt,
                     FIRST(tstamp) AS first_tstamp
            ' || rpm || '
            PATTERN (DOWN*)
            DEFINE DOWN AS DOWN.price < PREV(DOWN.price)')
         AS mr(mno bigint, cls text, cnt bigint, first_tstamp date)
    ORDER BY rpm COLLATE "C", mno $q$,
  -- expected (hand-derived; match 6 is 6 Apr, the others are empty):
  $e$VALUES ('ALL ROWS PER MATCH OMIT EMPTY MATCHES', 6, 'DOWN', 1, date '2011-04-06'),
            ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 1, NULL, 0, NULL), ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 2, NULL, 0, NULL),
            ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 3, NULL, 0, NULL), ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 4, NULL, 0, NULL),
            ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 5, NULL, 0, NULL), ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 6, 'DOWN', 1, '2011-04-06'),
            ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 7, NULL, 0, NULL), ('ALL ROWS PER MATCH SHOW EMPTY MATCHES', 8, NULL, 0, NULL),
            ('ONE ROW PER MATCH', 1, NULL, 0, NULL), ('ONE ROW PER MATCH', 2, NULL, 0, NULL),
            ('ONE ROW PER MATCH', 3, NULL, 0, NULL), ('ONE ROW PER MATCH', 4, NULL, 0, NULL),
            ('ONE ROW PER MATCH', 5, NULL, 0, NULL), ('ONE ROW PER MATCH', 6, 'DOWN', 1, '2011-04-06'),
            ('ONE ROW PER MATCH', 7, NULL, 0, NULL), ('ONE ROW PER MATCH', 8, NULL, 0, NULL)$e$);

-- "Empty matches": ALL ROWS PER MATCH outputs the input row an empty match
-- starts on, with NULL column references in the measures
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, price, mno, cls, first_price
    FROM asset_stream.match_recognize(
           'SELECT symbol, tstamp, price FROM mr_conf_oracle.ticker WHERE tstamp <= ''2011-04-08''', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno, CLASSIFIER() AS cls, FIRST(price) AS first_price
      ALL ROWS PER MATCH
      PATTERN (DOWN*)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price) $c$)
    AS mr(tstamp date, price integer, mno bigint, cls text, first_price integer)
    ORDER BY tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES (date '2011-04-01', 12, 1, NULL::text, NULL::integer), ('2011-04-02', 17, 2, NULL, NULL),
            ('2011-04-03', 19, 3, NULL, NULL), ('2011-04-04', 21, 4, NULL, NULL), ('2011-04-05', 25, 5, NULL, NULL),
            ('2011-04-06', 12, 6, 'DOWN', 12), ('2011-04-07', 15, 7, NULL, NULL), ('2011-04-08', 20, 8, NULL, NULL)$e$);

-- "WITH UNMATCHED ROWS" with SKIP PAST LAST ROW: every row exactly once,
-- unmatched rows with NULL measures (SKIP PAST LAST ROW here, so the
-- second V starts on 11 Apr)
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, price, mno, cls, cnt
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno, CLASSIFIER() AS cls, COUNT(*) AS cnt
      ALL ROWS PER MATCH WITH UNMATCHED ROWS
      AFTER MATCH SKIP PAST LAST ROW
      PATTERN (STRT DOWN+ UP+)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price) $c$)
    AS mr(tstamp date, price integer, mno bigint, cls text, cnt bigint)
    ORDER BY tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES (date '2011-04-01', 12, NULL::bigint, NULL::text, NULL::bigint), ('2011-04-02', 17, NULL, NULL, NULL),
            ('2011-04-03', 19, NULL, NULL, NULL), ('2011-04-04', 21, NULL, NULL, NULL),
            ('2011-04-05', 25, 1, 'STRT', 1), ('2011-04-06', 12, 1, 'DOWN', 2), ('2011-04-07', 15, 1, 'UP', 3),
            ('2011-04-08', 20, 1, 'UP', 4), ('2011-04-09', 24, 1, 'UP', 5), ('2011-04-10', 25, 1, 'UP', 6),
            ('2011-04-11', 19, 2, 'STRT', 1), ('2011-04-12', 15, 2, 'DOWN', 2), ('2011-04-13', 25, 2, 'UP', 3),
            ('2011-04-14', 25, 3, 'STRT', 1), ('2011-04-15', 14, 3, 'DOWN', 2), ('2011-04-16', 12, 3, 'DOWN', 3),
            ('2011-04-17', 14, 3, 'UP', 4), ('2011-04-18', 24, 3, 'UP', 5),
            ('2011-04-19', 23, NULL, NULL, NULL), ('2011-04-20', 22, NULL, NULL, NULL)$e$);

-- "Excluding portions of the pattern from the output": {- DOWN+ -} hides
-- the DOWN rows; the running COUNTs still count them
SELECT * FROM pg_temp.check($q$
  SELECT tstamp, mno, cls, cnt, down_cnt
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno, CLASSIFIER() AS cls, COUNT(*) AS cnt, COUNT(DOWN.price) AS down_cnt
      ALL ROWS PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT {- DOWN+ -} UP+)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price) $c$)
    AS mr(tstamp date, mno bigint, cls text, cnt bigint, down_cnt bigint)
    ORDER BY mno, tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES (date '2011-04-05', 1, 'STRT', 1, 0), ('2011-04-07', 1, 'UP', 3, 1), ('2011-04-08', 1, 'UP', 4, 1),
            ('2011-04-09', 1, 'UP', 5, 1), ('2011-04-10', 1, 'UP', 6, 1),
            ('2011-04-10', 2, 'STRT', 1, 0), ('2011-04-13', 2, 'UP', 4, 2),
            ('2011-04-14', 3, 'STRT', 1, 0), ('2011-04-17', 3, 'UP', 4, 2), ('2011-04-18', 3, 'UP', 5, 2)$e$);

-- "PERMUTE": a high (> 20) and a low (< 15) day next to each other, in
-- either order; HI LO is tried before LO HI
SELECT * FROM pg_temp.check($q$
  SELECT first_day, last_day, first_cls, last_cls
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES FIRST(tstamp) AS first_day, LAST(tstamp) AS last_day,
               FIRST(CLASSIFIER()) AS first_cls, LAST(CLASSIFIER()) AS last_cls
      ONE ROW PER MATCH
      PATTERN (PERMUTE(HI, LO))
      DEFINE HI AS HI.price > 20, LO AS LO.price < 15 $c$)
    AS mr(first_day date, last_day date, first_cls text, last_cls text)
    ORDER BY first_day $q$,
  -- expected (hand-derived):
  $e$VALUES (date '2011-04-05', date '2011-04-06', 'HI', 'LO'), ('2011-04-14', '2011-04-15', 'HI', 'LO'),
            ('2011-04-17', '2011-04-18', 'LO', 'HI')$e$);

-- "Reluctant Versus Greedy Quantifier": UP+? at the end of the pattern
-- takes one row; UP+ takes the whole rise (SKIP PAST LAST ROW)
SELECT * FROM pg_temp.check($q$
  SELECT p, string_agg(to_char(start_tstamp, 'DD') || '-' || to_char(end_tstamp, 'DD'), ' ' ORDER BY mno) AS matches
    FROM unnest(ARRAY['STRT DOWN+ UP+?', 'STRT DOWN+ UP+', 'STRT DOWN+? UP+?', 'STRT DOWN{1,2}? UP{2,}']) AS u(p),
         LATERAL asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker',
           'PARTITION BY symbol ORDER BY tstamp
            MEASURES STRT.tstamp AS start_tstamp, LAST(tstamp) AS end_tstamp, MATCH_NUMBER() AS mno
            ONE ROW PER MATCH
            AFTER MATCH SKIP PAST LAST ROW
            PATTERN (' || p || ')
            DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price)')
         AS mr(start_tstamp date, end_tstamp date, mno bigint)
    GROUP BY p ORDER BY p COLLATE "C" $q$,
  -- expected (hand-derived):
  $e$VALUES ('STRT DOWN+ UP+', '05-10 11-13 14-18'),
            ('STRT DOWN+ UP+?', '05-07 10-13 14-17'),
            ('STRT DOWN+? UP+?', '05-07 10-13 14-17'),
            ('STRT DOWN{1,2}? UP{2,}', '05-10 14-18')$e$);

-- "Nesting FIRST and LAST within PREV and NEXT", PREV of a variable
-- reference: rows outside the match are reachable
SELECT * FROM pg_temp.check($q$
  SELECT start_tstamp, before_first_down, after_last_up, before_strt, two_after_strt
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES STRT.tstamp AS start_tstamp,
               PREV(FIRST(DOWN.price), 1) AS before_first_down,
               NEXT(LAST(UP.price), 1) AS after_last_up,
               PREV(STRT.price) AS before_strt,
               NEXT(STRT.price, 2) AS two_after_strt
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price) $c$)
    AS mr(start_tstamp date, before_first_down integer, after_last_up integer, before_strt integer,
          two_after_strt integer)
    ORDER BY start_tstamp $q$,
  -- expected (hand-derived):
  $e$VALUES (date '2011-04-05', 25, 19, 21, 15), ('2011-04-10', 25, 25, 24, 15), ('2011-04-14', 25, 23, 25, 12)$e$);

-- CLASSIFIER() and MATCH_NUMBER() with ONE ROW PER MATCH: the label of the
-- last row; RUNNING and FINAL are the same
SELECT * FROM pg_temp.check($q$
  SELECT mno, cls, running_last, final_last, running_cnt, final_cnt
    FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno, CLASSIFIER() AS cls,
               RUNNING LAST(price) AS running_last, FINAL LAST(price) AS final_last,
               RUNNING COUNT(*) AS running_cnt, FINAL COUNT(*) AS final_cnt
      ONE ROW PER MATCH
      AFTER MATCH SKIP TO LAST UP
      PATTERN (STRT DOWN+ UP+)
      DEFINE DOWN AS DOWN.price < PREV(DOWN.price), UP AS UP.price > PREV(UP.price) $c$)
    AS mr(mno bigint, cls text, running_last integer, final_last integer, running_cnt bigint, final_cnt bigint)
    ORDER BY mno $q$,
  -- expected (hand-derived):
  $e$VALUES (1, 'UP', 25, 25, 6, 6), (2, 'UP', 25, 25, 4, 4), (3, 'UP', 24, 24, 5, 5)$e$);

------------------------------------------------------------ errors
-- Oracle doc, "Rules and Restrictions": a variable defined twice (42712
-- here), an unknown variable in DEFINE (42703), FINAL in DEFINE (42601)
SELECT what, pg_temp.err(format($q$
  SELECT * FROM asset_stream.match_recognize('SELECT * FROM mr_conf_oracle.ticker', $c$
      PARTITION BY symbol ORDER BY tstamp
      MEASURES MATCH_NUMBER() AS mno
      PATTERN (STRT DOWN+ UP+)
      DEFINE %s $c$)
    AS mr(mno bigint) $q$, define)) AS error
  FROM (VALUES ('defined twice', 'DOWN AS price < PREV(price), DOWN AS price < 20'),
               ('unknown variable', 'FLAT AS price = PREV(price)'),
               ('FINAL in DEFINE', 'DOWN AS price < FINAL LAST(UP.price)')) AS u(what, define);

SET client_min_messages = warning;
DROP SCHEMA mr_conf_oracle CASCADE;
