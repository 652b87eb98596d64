-- The worked examples of Apache Flink's documentation (Windowing TVF and
-- Window Aggregation pages, the Bid table), written with asset_stream's
-- window functions plus GROUP BY.  Each query is followed by a check
-- against Flink's published result table, copied here as VALUES.
-- Flink's bidtime is TIMESTAMP(3): a timestamp column here.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never

CREATE TEMP TABLE bid (bidtime timestamp(3), price numeric(10, 2), item text, supplier_id text);
INSERT INTO bid VALUES
  ('2020-04-15 08:05', 4.00, 'C', 'supplier1'),
  ('2020-04-15 08:07', 2.00, 'A', 'supplier1'),
  ('2020-04-15 08:09', 5.00, 'D', 'supplier2'),
  ('2020-04-15 08:11', 3.00, 'B', 'supplier2'),
  ('2020-04-15 08:13', 1.00, 'E', 'supplier1'),
  ('2020-04-15 08:17', 6.00, 'F', 'supplier2');

-- Compare a query's rows with a published table (as multisets); true = equal.
CREATE FUNCTION pg_temp.same_rows(got text, published text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) a', got, published) INTO n;
    IF n > 0 THEN RETURN false; END IF;
    EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL (%s)) a', published, got) INTO n;
    RETURN n = 0;
END $$;

-- TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES): the TVF's rows
SELECT * FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes')
  AS w(bidtime timestamp, price numeric, item text,
       window_start timestamp, window_end timestamp, window_time timestamp)
  ORDER BY bidtime;

-- ... with SUM(price) GROUP BY window_start, window_end
SELECT window_start, window_end, sum(price) AS price
  FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes')
       AS w(window_start timestamp, window_end timestamp, price numeric)
  GROUP BY window_start, window_end ORDER BY 1, 2;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, sum(price) FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes')
      AS w(window_start timestamp, window_end timestamp, price numeric) GROUP BY 1, 2$$,
  $$VALUES (timestamp '2020-04-15 08:00', timestamp '2020-04-15 08:10', 11.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', 10.00)$$) AS tumble_matches_flink;

-- HOP(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES)
SELECT bidtime, price, item, window_start, window_end, window_time
  FROM asset_stream.hop('SELECT * FROM bid', 'bidtime', '5 minutes', '10 minutes')
  AS w(bidtime timestamp, price numeric, item text,
       window_start timestamp, window_end timestamp, window_time timestamp)
  ORDER BY bidtime, window_start;
SELECT window_start, window_end, sum(price) AS price
  FROM asset_stream.hop('SELECT * FROM bid', 'bidtime', '5 minutes', '10 minutes')
       AS w(window_start timestamp, window_end timestamp, price numeric)
  GROUP BY window_start, window_end ORDER BY 1, 2;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, sum(price) FROM asset_stream.hop('SELECT * FROM bid', 'bidtime', '5 minutes', '10 minutes')
      AS w(window_start timestamp, window_end timestamp, price numeric) GROUP BY 1, 2$$,
  $$VALUES (timestamp '2020-04-15 08:00', timestamp '2020-04-15 08:10', 11.00),
           ('2020-04-15 08:05', '2020-04-15 08:15', 15.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', 10.00),
           ('2020-04-15 08:15', '2020-04-15 08:25',  6.00)$$) AS hop_matches_flink;

-- CUMULATE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES)
SELECT bidtime, price, item, window_start, window_end, window_time
  FROM asset_stream.cumulate('SELECT * FROM bid', 'bidtime', '2 minutes', '10 minutes')
  AS w(bidtime timestamp, price numeric, item text,
       window_start timestamp, window_end timestamp, window_time timestamp)
  ORDER BY bidtime, window_end;
SELECT window_start, window_end, sum(price) AS price
  FROM asset_stream.cumulate('SELECT * FROM bid', 'bidtime', '2 minutes', '10 minutes')
       AS w(window_start timestamp, window_end timestamp, price numeric)
  GROUP BY window_start, window_end ORDER BY 1, 2;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, sum(price) FROM asset_stream.cumulate('SELECT * FROM bid', 'bidtime', '2 minutes', '10 minutes')
      AS w(window_start timestamp, window_end timestamp, price numeric) GROUP BY 1, 2$$,
  $$VALUES (timestamp '2020-04-15 08:00', timestamp '2020-04-15 08:06',  4.00),
           ('2020-04-15 08:00', '2020-04-15 08:08',  6.00),
           ('2020-04-15 08:00', '2020-04-15 08:10', 11.00),
           ('2020-04-15 08:10', '2020-04-15 08:12',  3.00),
           ('2020-04-15 08:10', '2020-04-15 08:14',  4.00),
           ('2020-04-15 08:10', '2020-04-15 08:16',  4.00),
           ('2020-04-15 08:10', '2020-04-15 08:18', 10.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', 10.00)$$) AS cumulate_matches_flink;

-- TUMBLE with offset: INTERVAL '10' MINUTES, INTERVAL '1' MINUTES
SELECT window_start, window_end, sum(price) AS price
  FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes', '1 minute')
       AS w(window_start timestamp, window_end timestamp, price numeric)
  GROUP BY window_start, window_end ORDER BY 1, 2;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, sum(price) FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes', '1 minute')
      AS w(window_start timestamp, window_end timestamp, price numeric) GROUP BY 1, 2$$,
  $$VALUES (timestamp '2020-04-15 08:01', timestamp '2020-04-15 08:11', 11.00),
           ('2020-04-15 08:11', '2020-04-15 08:21', 10.00)$$) AS tumble_offset_matches_flink;

-- The offset table of the Windowing TVF page: a row at 2021-06-30 00:00:04,
-- 10-minute tumble, for each offset the published window.
SELECT o AS "offset", window_start, window_end
  FROM unnest(ARRAY['-16 min', '-6 min', '-4 min', '0', '4 min', '6 min', '16 min']::interval[]) o,
       LATERAL asset_stream.tumble($$SELECT timestamp '2021-06-30 00:00:04' AS t$$, 't', '10 minutes', o)
         AS w(window_start timestamp, window_end timestamp)
  ORDER BY o;

-- Window Aggregation page: GROUPING SETS per supplier within 10-minute tumbles
SELECT window_start, window_end, supplier_id, sum(price) AS total_price
  FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes')
       AS w(window_start timestamp, window_end timestamp, supplier_id text, price numeric)
  GROUP BY window_start, window_end, GROUPING SETS ((supplier_id), ())
  ORDER BY 1, 3 NULLS FIRST;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, supplier_id, sum(price) FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '10 minutes')
      AS w(window_start timestamp, window_end timestamp, supplier_id text, price numeric)
      GROUP BY window_start, window_end, GROUPING SETS ((supplier_id), ())$$,
  $$VALUES (timestamp '2020-04-15 08:00', timestamp '2020-04-15 08:10', NULL, 11.00),
           ('2020-04-15 08:00', '2020-04-15 08:10', 'supplier2', 5.00),
           ('2020-04-15 08:00', '2020-04-15 08:10', 'supplier1', 6.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', NULL, 10.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', 'supplier2', 9.00),
           ('2020-04-15 08:10', '2020-04-15 08:20', 'supplier1', 1.00)$$) AS grouping_sets_matches_flink;

-- Window Aggregation page: cascading windows through window_time (5-minute
-- tumbles per supplier, rolled into 10-minute tumbles: 11.00 and 10.00)
CREATE TEMP VIEW window1 AS
SELECT window_start AS window_5mintumble_start, window_end AS window_5mintumble_end,
       window_time AS rowtime, sum(price) AS partial_price
  FROM asset_stream.tumble('SELECT * FROM bid', 'bidtime', '5 minutes')
       AS w(supplier_id text, price numeric, window_start timestamp, window_end timestamp, window_time timestamp)
  GROUP BY supplier_id, window_start, window_end, window_time;
SELECT window_start, window_end, sum(partial_price) AS total_price
  FROM asset_stream.tumble('SELECT * FROM window1', 'rowtime', '10 minutes')
       AS w(window_start timestamp, window_end timestamp, partial_price numeric)
  GROUP BY window_start, window_end ORDER BY 1;

-- SESSION: the Windowing TVF page uses another Bid table
TRUNCATE bid;
INSERT INTO bid (bidtime, price, item) VALUES
  ('2020-04-15 08:07', 4.00, 'A'),
  ('2020-04-15 08:06', 2.00, 'A'),
  ('2020-04-15 08:09', 5.00, 'B'),
  ('2020-04-15 08:08', 3.00, 'A'),
  ('2020-04-15 08:17', 1.00, 'B');

-- SESSION(TABLE Bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES)
SELECT bidtime, price, item, window_start, window_end, window_time
  FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes', 'item')
  AS w(bidtime timestamp, price numeric, item text,
       window_start timestamp, window_end timestamp, window_time timestamp)
  ORDER BY item, bidtime;
SELECT window_start, window_end, item, sum(price) AS total_price
  FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes', 'item')
       AS w(window_start timestamp, window_end timestamp, item text, price numeric)
  GROUP BY item, window_start, window_end ORDER BY 1, 3;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, item, sum(price) FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes', 'item')
      AS w(window_start timestamp, window_end timestamp, item text, price numeric) GROUP BY 1, 2, 3$$,
  $$VALUES (timestamp '2020-04-15 08:06', timestamp '2020-04-15 08:13', 'A', 9.00),
           ('2020-04-15 08:09', '2020-04-15 08:14', 'B', 5.00),
           ('2020-04-15 08:17', '2020-04-15 08:22', 'B', 1.00)$$) AS session_partitioned_matches_flink;

-- SESSION(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES)
SELECT bidtime, price, item, window_start, window_end, window_time
  FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes')
  AS w(bidtime timestamp, price numeric, item text,
       window_start timestamp, window_end timestamp, window_time timestamp)
  ORDER BY bidtime;
SELECT window_start, window_end, sum(price) AS total_price
  FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes')
       AS w(window_start timestamp, window_end timestamp, price numeric)
  GROUP BY window_start, window_end ORDER BY 1;
SELECT pg_temp.same_rows(
  $$SELECT window_start, window_end, sum(price) FROM asset_stream.session('SELECT * FROM bid', 'bidtime', '5 minutes')
      AS w(window_start timestamp, window_end timestamp, price numeric) GROUP BY 1, 2$$,
  $$VALUES (timestamp '2020-04-15 08:06', timestamp '2020-04-15 08:14', 14.00),
           ('2020-04-15 08:17', '2020-04-15 08:22', 1.00)$$) AS session_matches_flink;

-- The same examples over timestamptz in a zone with an offset give the same
-- local windows (wall-clock alignment, as Flink does for TIMESTAMP_LTZ).
SET TimeZone = 'Asia/Kathmandu';   -- UTC+05:45: UTC-aligned 10-minute windows would start at :05, :15
SELECT window_start, window_end, sum(price) AS total_price
  FROM asset_stream.session('SELECT bidtime::timestamptz AS bidtime, price FROM bid', 'bidtime', '5 minutes')
       AS w(window_start timestamptz, window_end timestamptz, price numeric)
  GROUP BY window_start, window_end ORDER BY 1;
SELECT window_start, window_end, sum(price) AS price
  FROM asset_stream.hop('SELECT bidtime::timestamptz AS bidtime, price FROM bid', 'bidtime', '5 minutes', '10 minutes')
       AS w(window_start timestamptz, window_end timestamptz, price numeric)
  GROUP BY window_start, window_end ORDER BY 1, 2;
