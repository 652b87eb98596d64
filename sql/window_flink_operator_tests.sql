-- window_flink_operator_tests: more of Apache Flink's window operator tests,
-- transcribed for asset_stream.window_replay (explicit watermarks, ms times).
--
-- Sources (apache/flink; inputs and expected outputs transcribed by hand,
-- the expectations are Flink's published ones, never our output):
--
--  flink-streaming-java/src/test/java/org/apache/flink/streaming/runtime/
--  operators/windowing/WindowOperatorTest.java (DataStream WindowOperator):
--    ds_session          testSessionWindows, testSessionWindowsWithProcessFunction
--    ds_session_reduce   testReduceSessionWindows(WithProcessFunction) (other arrival order)
--    ds_session_huge     testNotSideOutputDueToLatenessSessionWithHugeLateness
--    ds_session_zero_p   testSideOutputDueToLatenessSessionZeroLatenessPurgingTrigger
--                        (PurgingTrigger, but with lateness 0 purge-on-fire and
--                        cleanup happen at the same watermark: same semantics)
--    ds_session_cleanup  testCleanupTimerWithEmptyReduceStateForSessionWindows
--    ds_tumble_cleanup   testCleanupTimerWithEmptyReduceStateForTumblingWindows
--                        (and ...WithEmptyListStateForTumblingWindows: same output)
--    ds_side_tumbling    testSideOutputDueToLatenessTumbling
--    ds_side_sliding     testSideOutputDueToLatenessSliding
--    testCleanupTimeOverflow: an analog near PostgreSQL's largest timestamp
--                        (Flink's Long.MAX_VALUE - 1750 ms is not representable)
--
--  flink-table/flink-table-runtime/src/test/java/org/apache/flink/table/runtime/
--  operators/aggregate/window/ (window TVF aggregation, Flink SQL):
--    sql_hop             SlicingWindowAggOperatorTest.testEventTimeHoppingWindows
--    sql_cumulate        SlicingWindowAggOperatorTest.testEventTimeCumulativeWindows
--    sql_tumble          SlicingWindowAggOperatorTest.testEventTimeTumblingWindows
--    sql_session         UnslicingWindowAggOperatorTest.testEventTimeSessionWindows
--
--  flink-table/flink-table-runtime/src/test/java/org/apache/flink/table/runtime/
--  operators/window/groupwindow/operator/WindowOperatorTest.java (legacy group
--  window aggregate, SUM and COUNT, window start/end):
--    tg_sliding          testEventTimeSlidingWindows
--    tg_cumulate         testEventTimeCumulativeWindows
--    tg_cumulate_late    testEventTimeCumulativeWindowsWithLateArrival (lateness 500 ms)
--    tg_tumbling         testEventTimeTumblingWindows
--    tg_session          testEventTimeSessionWindows
--    tg_lateness         testLateness (lateness 500 ms, produceUpdates)
--    tg_tumble_cleanup   testCleanupTimerWithEmptyReduceStateForTumblingWindows
--
--  Window assigners and time zones (replayed with a key per element):
--    asg_*               TumblingEventTimeWindowsTest, SlidingEventTimeWindowsTest
--                        (flink-streaming-java), CumulativeWindowAssignerTest
--                        (flink-table-runtime groupwindow/assigners), offsets
--    DST assignment      {Tumbling,Hopping,Cumulative}SliceAssignerTest.testDstSaving
--                        (flink-table-runtime window/tvf/slicing), America/Los_Angeles
--    DST firing          TimeWindowUtilTest.testDaylightSaving (flink-table-runtime
--                        runtime/util) with TimeWindowUtil.isWindowFired
--
-- Not transcribed (no counterpart in window_replay): count/continuous/custom
-- triggers, evictors, processing time, purging triggers with lateness > 0
-- (DataStream testLateness, ...SessionWithLatenessPurgingTrigger,
-- ...SessionWithHugeLatenessPurgingTrigger), dynamic session gaps, point
-- sessions (custom assigner), early/late firing triggers, changelog input.
--
-- How the comparison works.  Flink's main output is compared with our
-- 'final' rows (firing 1 = on time, 2, 3, ... = Flink's re-firing inside the
-- allowed lateness, i.e. UPDATE_AFTER in the table operator); Flink's late
-- side output / dropped records (numLateRecordsDropped, "should be dropped")
-- with our 'late' rows, one per input row (we emit one 'late' row per window
-- the row would have joined).  Our 'missed' rows have no Flink counterpart
-- (Flink drops those silently) and are only counted.  `ord` is the input
-- position (read or watermark) after which Flink's test asserts the output;
-- where the test asserts only at its end it is not compared.  DataStream
-- tests give the record timestamp window.maxTimestamp() = end - 1 ms (and
-- sessions give start and end); window bounds below are derived from it and
-- the window size.  DataStream tests give the sum only; count is not compared
-- there.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set SHOW_CONTEXT never

-- Recorded streams: reads (k, t_ms, v) and watermarks (wm_ms), per case, in ord order.
CREATE TEMP TABLE fev (c text, ord int, k text, t_ms bigint, v int, wm_ms bigint,
                       PRIMARY KEY (c, ord),
                       CHECK ((t_ms IS NULL) <> (wm_ms IS NULL)));
CREATE TEMP VIEW fevv AS
    SELECT c, ord, k, 'epoch'::timestamptz + t_ms * interval '1 ms' AS t, v,
           'epoch'::timestamptz + wm_ms * interval '1 ms' AS wm
    FROM fev;

-- Window definition and what each Flink test states.
CREATE TEMP TABLE fcase (c text PRIMARY KEY, kind text, size interval, slide interval,
                         lateness interval, pin_ord boolean, has_count boolean,
                         check_late boolean, off interval DEFAULT '0');

-- Expected emissions (Flink's).  kind 'final' or 'late'; times in ms since the epoch.
CREATE TEMP TABLE fexp (c text, kind text, ord int, key text, w_start bigint, w_end bigint,
                        ev_time bigint, sum bigint, n bigint);

-- Milliseconds since the epoch.
CREATE FUNCTION pg_temp.ms(t timestamptz) RETURNS bigint LANGUAGE sql AS
$$ SELECT CASE WHEN isfinite(t) THEN (extract(epoch FROM t) * 1000)::bigint END $$;

-- Replay one case with its explicit watermarks, no end-of-input flush
-- (Flink's tests end without a final watermark).
CREATE FUNCTION pg_temp.fl(cname text)
RETURNS TABLE (seq bigint, kind text, wm bigint, ord bigint, key text,
               w_start bigint, w_end bigint, ev_time bigint, firing int, sum bigint, n bigint)
LANGUAGE sql AS $$
    SELECT r.seq, r.kind, pg_temp.ms(r.watermark), r.ordinal, r.key, pg_temp.ms(r.window_start),
           pg_temp.ms(r.window_end), pg_temp.ms(r.event_time), r.firing, r.sum, r.count
    FROM fcase f,
         asset_stream.window_replay(format('SELECT k, t, v, wm FROM fevv WHERE c = %L ORDER BY ord', f.c),
            't', 'k', f.kind, f.size, f.slide, 'sum(v), count(*)',
            allowed_lateness => f.lateness, flush_at_end => false, watermark_column => 'wm',
            "offset" => f.off)
         AS r(seq bigint, kind text, watermark timestamptz, ordinal bigint, key text,
              window_start timestamptz, window_end timestamptz, event_time timestamptz,
              firing int, sum bigint, count bigint)
    WHERE f.c = cname
$$;

-- Our output, normalised to what the Flink test states.
CREATE FUNCTION pg_temp.actual(cname text)
RETURNS TABLE (kind text, ord int, key text, w_start bigint, w_end bigint, ev_time bigint,
               sum bigint, n bigint)
LANGUAGE sql AS $$
    SELECT a.kind, CASE WHEN f.pin_ord THEN a.ord::int END, a.key, a.w_start, a.w_end, NULL::bigint,
           a.sum, CASE WHEN f.has_count THEN a.n END
    FROM fcase f, pg_temp.fl(f.c) a WHERE f.c = cname AND a.kind = 'final'
    UNION ALL
    SELECT DISTINCT 'late', CASE WHEN f.pin_ord THEN a.ord::int END, a.key, NULL::bigint, NULL::bigint,
           a.ev_time, NULL::bigint, NULL::bigint
    FROM fcase f, pg_temp.fl(f.c) a WHERE f.c = cname AND f.check_late AND a.kind = 'late'
$$;

CREATE FUNCTION pg_temp.expected(cname text)
RETURNS TABLE (kind text, ord int, key text, w_start bigint, w_end bigint, ev_time bigint,
               sum bigint, n bigint)
LANGUAGE sql AS $$
    SELECT e.kind, CASE WHEN f.pin_ord THEN e.ord END, e.key, e.w_start, e.w_end, e.ev_time,
           e.sum, CASE WHEN f.has_count THEN e.n END
    FROM fcase f JOIN fexp e USING (c) WHERE f.c = cname
      AND (e.kind = 'final' OR f.check_late)
$$;

-- Differences: 'missing' = Flink emits it, we do not; 'extra' = the reverse.
CREATE FUNCTION pg_temp.diff(cname text)
RETURNS TABLE (c text, side text, kind text, ord int, key text, w_start bigint, w_end bigint,
               ev_time bigint, sum bigint, n bigint)
LANGUAGE sql AS $$
    SELECT cname, 'missing', * FROM (SELECT * FROM pg_temp.expected(cname)
                                     EXCEPT ALL SELECT * FROM pg_temp.actual(cname)) m
    UNION ALL
    SELECT cname, 'extra', * FROM (SELECT * FROM pg_temp.actual(cname)
                                   EXCEPT ALL SELECT * FROM pg_temp.expected(cname)) x
    ORDER BY 2, 4, 5, 6
$$;

------------------------------------------------------------------------
-- ds_session: testSessionWindows.  Gap 3 s, sum of the values.  Snapshot
-- after row 5 in Flink (not replayed here).  Expected after watermark 12000:
-- (key1-6, 10, 5500), (key2-6, 0, 5500), (key2-20, 5501, 9050); after
-- watermark 17999: (key2-30, 15000, 18000).
INSERT INTO fcase VALUES ('ds_session', 'session', '3 s', NULL, '0', true, false, false);
INSERT INTO fev VALUES
 ('ds_session', 1, 'key2', 0, 1, NULL), ('ds_session', 2, 'key2', 1000, 2, NULL),
 ('ds_session', 3, 'key2', 2500, 3, NULL),
 ('ds_session', 4, 'key1', 10, 1, NULL), ('ds_session', 5, 'key1', 1000, 2, NULL),
 ('ds_session', 6, 'key1', 2500, 3, NULL),
 ('ds_session', 7, 'key2', 5501, 4, NULL), ('ds_session', 8, 'key2', 6000, 5, NULL),
 ('ds_session', 9, 'key2', 6000, 5, NULL), ('ds_session', 10, 'key2', 6050, 6, NULL),
 ('ds_session', 11, NULL, NULL, NULL, 12000),
 ('ds_session', 12, 'key2', 15000, 10, NULL), ('ds_session', 13, 'key2', 15000, 20, NULL),
 ('ds_session', 14, NULL, NULL, NULL, 17999);
INSERT INTO fexp VALUES
 ('ds_session', 'final', 11, 'key1', 10, 5500, NULL, 6, NULL),
 ('ds_session', 'final', 11, 'key2', 0, 5500, NULL, 6, NULL),
 ('ds_session', 'final', 11, 'key2', 5501, 9050, NULL, 20, NULL),
 ('ds_session', 'final', 14, 'key2', 15000, 18000, NULL, 30, NULL);
SELECT * FROM pg_temp.diff('ds_session');

-- ds_session_reduce: testReduceSessionWindows, the same rows with key1's
-- three rows after key2's first three; same expected output.
INSERT INTO fcase VALUES ('ds_session_reduce', 'session', '3 s', NULL, '0', true, false, false);
INSERT INTO fev VALUES
 ('ds_session_reduce', 1, 'key2', 0, 1, NULL), ('ds_session_reduce', 2, 'key2', 1000, 2, NULL),
 ('ds_session_reduce', 3, 'key2', 2500, 3, NULL),
 ('ds_session_reduce', 4, 'key1', 10, 1, NULL), ('ds_session_reduce', 5, 'key1', 1000, 2, NULL),
 ('ds_session_reduce', 6, 'key1', 2500, 3, NULL),
 ('ds_session_reduce', 7, 'key2', 5501, 4, NULL), ('ds_session_reduce', 8, 'key2', 6000, 5, NULL),
 ('ds_session_reduce', 9, 'key2', 6000, 5, NULL), ('ds_session_reduce', 10, 'key2', 6050, 6, NULL),
 ('ds_session_reduce', 11, NULL, NULL, NULL, 12000),
 ('ds_session_reduce', 12, 'key2', 15000, 10, NULL), ('ds_session_reduce', 13, 'key2', 15000, 20, NULL),
 ('ds_session_reduce', 14, NULL, NULL, NULL, 17999);
INSERT INTO fexp SELECT 'ds_session_reduce', kind, ord, key, w_start, w_end, ev_time, sum, n
                 FROM fexp WHERE c = 'ds_session';
SELECT * FROM pg_temp.diff('ds_session_reduce');

------------------------------------------------------------------------
-- ds_session_huge: testNotSideOutputDueToLatenessSessionWithHugeLateness.
-- Gap 3 s, lateness 10 s, EventTimeTrigger (accumulating).  The row at
-- 10000 bridges the fired (1000, 11500) and (11600, 14600), both still
-- kept: the merged (1000, 14600) fires at once with sum 7; 14500 extends it
-- to (1000, 17500), sum 8 at watermark 20000.  No side output.
INSERT INTO fcase VALUES ('ds_session_huge', 'session', '3 s', NULL, '10 s', true, false, true);
INSERT INTO fev VALUES
 ('ds_session_huge', 1, 'key2', 1000, 1, NULL), ('ds_session_huge', 2, NULL, NULL, NULL, 1999),
 ('ds_session_huge', 3, 'key2', 2000, 1, NULL), ('ds_session_huge', 4, NULL, NULL, NULL, 4998),
 ('ds_session_huge', 5, 'key2', 4500, 1, NULL), ('ds_session_huge', 6, 'key2', 8500, 1, NULL),
 ('ds_session_huge', 7, NULL, NULL, NULL, 7400),
 ('ds_session_huge', 8, 'key2', 7000, 1, NULL), ('ds_session_huge', 9, NULL, NULL, NULL, 11501),
 ('ds_session_huge', 10, 'key2', 11600, 1, NULL), ('ds_session_huge', 11, NULL, NULL, NULL, 14600),
 ('ds_session_huge', 12, 'key2', 10000, 1, NULL),
 ('ds_session_huge', 13, 'key2', 14500, 1, NULL), ('ds_session_huge', 14, NULL, NULL, NULL, 20000),
 ('ds_session_huge', 15, NULL, NULL, NULL, 100000);
INSERT INTO fexp VALUES
 ('ds_session_huge', 'final', 9, 'key2', 1000, 11500, NULL, 5, NULL),
 ('ds_session_huge', 'final', 11, 'key2', 11600, 14600, NULL, 1, NULL),
 ('ds_session_huge', 'final', 12, 'key2', 1000, 14600, NULL, 7, NULL),
 ('ds_session_huge', 'final', 14, 'key2', 1000, 17500, NULL, 8, NULL);
SELECT * FROM pg_temp.diff('ds_session_huge');

-- ds_session_zero_p: testSideOutputDueToLatenessSessionZeroLatenessPurgingTrigger.
-- Gap 3 s, lateness 0.  10000 and 10100 are both side output: the first late
-- row must not open a session the second one joins.
INSERT INTO fcase VALUES ('ds_session_zero_p', 'session', '3 s', NULL, '0', true, false, true);
INSERT INTO fev VALUES
 ('ds_session_zero_p', 1, 'key2', 1000, 1, NULL), ('ds_session_zero_p', 2, NULL, NULL, NULL, 1999),
 ('ds_session_zero_p', 3, 'key2', 2000, 1, NULL), ('ds_session_zero_p', 4, NULL, NULL, NULL, 4998),
 ('ds_session_zero_p', 5, 'key2', 4500, 1, NULL), ('ds_session_zero_p', 6, 'key2', 8500, 1, NULL),
 ('ds_session_zero_p', 7, NULL, NULL, NULL, 7400),
 ('ds_session_zero_p', 8, 'key2', 7000, 1, NULL), ('ds_session_zero_p', 9, NULL, NULL, NULL, 11501),
 ('ds_session_zero_p', 10, 'key2', 11600, 1, NULL), ('ds_session_zero_p', 11, NULL, NULL, NULL, 14600),
 ('ds_session_zero_p', 12, 'key2', 10000, 1, NULL), ('ds_session_zero_p', 13, 'key2', 10100, 1, NULL),
 ('ds_session_zero_p', 14, 'key2', 14500, 1, NULL), ('ds_session_zero_p', 15, NULL, NULL, NULL, 20000),
 ('ds_session_zero_p', 16, NULL, NULL, NULL, 100000);
INSERT INTO fexp VALUES
 ('ds_session_zero_p', 'final', 9, 'key2', 1000, 11500, NULL, 5, NULL),
 ('ds_session_zero_p', 'final', 11, 'key2', 11600, 14600, NULL, 1, NULL),
 ('ds_session_zero_p', 'late', 12, 'key2', NULL, NULL, 10000, NULL, NULL),
 ('ds_session_zero_p', 'late', 13, 'key2', NULL, NULL, 10100, NULL, NULL),
 ('ds_session_zero_p', 'final', 15, 'key2', 14500, 17500, NULL, 1, NULL);
SELECT * FROM pg_temp.diff('ds_session_zero_p');

-- ds_session_cleanup: testCleanupTimerWithEmptyReduceStateForSessionWindows.
-- Gap 3 s, lateness 10 ms: (key2-1, 1000, 4000) at watermark 4998, nothing at 14600.
INSERT INTO fcase VALUES ('ds_session_cleanup', 'session', '3 s', NULL, '10 ms', true, false, false);
INSERT INTO fev VALUES
 ('ds_session_cleanup', 1, 'key2', 1000, 1, NULL), ('ds_session_cleanup', 2, NULL, NULL, NULL, 4998),
 ('ds_session_cleanup', 3, NULL, NULL, NULL, 14600);
INSERT INTO fexp VALUES ('ds_session_cleanup', 'final', 2, 'key2', 1000, 4000, NULL, 1, NULL);
SELECT * FROM pg_temp.diff('ds_session_cleanup');

------------------------------------------------------------------------
-- ds_tumble_cleanup: testCleanupTimerWithEmptyReduceStateForTumblingWindows
-- (and tg_tumble_cleanup, the table operator's test of the same name, which
-- also gives count and bounds).  Tumble 2 s, lateness 1 ms: (key2, 1) at
-- 1999 fires at watermark 1999; 2000 and 5000 emit nothing.
INSERT INTO fcase VALUES ('ds_tumble_cleanup', 'tumble', '2 s', NULL, '1 ms', true, true, false);
INSERT INTO fev VALUES
 ('ds_tumble_cleanup', 1, 'key2', 1000, 1, NULL), ('ds_tumble_cleanup', 2, NULL, NULL, NULL, 1599),
 ('ds_tumble_cleanup', 3, NULL, NULL, NULL, 1999), ('ds_tumble_cleanup', 4, NULL, NULL, NULL, 2000),
 ('ds_tumble_cleanup', 5, NULL, NULL, NULL, 5000);
INSERT INTO fexp VALUES ('ds_tumble_cleanup', 'final', 3, 'key2', 0, 2000, NULL, 1, 1);
SELECT * FROM pg_temp.diff('ds_tumble_cleanup');

-- ds_side_tumbling: testSideOutputDueToLatenessTumbling.  Tumble 2 s,
-- lateness 0.  1980 arrives behind watermark 1985 but its window is not
-- fired yet; 1998 after watermark 1999 is side output.
INSERT INTO fcase VALUES ('ds_side_tumbling', 'tumble', '2 s', NULL, '0', true, false, true);
INSERT INTO fev VALUES
 ('ds_side_tumbling', 1, 'key2', 1000, 1, NULL), ('ds_side_tumbling', 2, NULL, NULL, NULL, 1985),
 ('ds_side_tumbling', 3, 'key2', 1980, 1, NULL), ('ds_side_tumbling', 4, NULL, NULL, NULL, 1999),
 ('ds_side_tumbling', 5, 'key2', 1998, 1, NULL), ('ds_side_tumbling', 6, 'key2', 2001, 1, NULL),
 ('ds_side_tumbling', 7, NULL, NULL, NULL, 2999), ('ds_side_tumbling', 8, NULL, NULL, NULL, 3999);
INSERT INTO fexp VALUES
 ('ds_side_tumbling', 'final', 4, 'key2', 0, 2000, NULL, 2, NULL),
 ('ds_side_tumbling', 'late', 5, 'key2', NULL, NULL, 1998, NULL, NULL),
 ('ds_side_tumbling', 'final', 8, 'key2', 2000, 4000, NULL, 1, NULL);
SELECT * FROM pg_temp.diff('ds_side_tumbling');

-- ds_side_sliding: testSideOutputDueToLatenessSliding.  Hop size 3 s slide
-- 1 s, lateness 0.  The two 2400 rows miss [0, 3000) (fired) but count in
-- [1000, 4000) and [2000, 5000): not side output.  The last 3001 is late
-- for all its windows: side output once.
INSERT INTO fcase VALUES ('ds_side_sliding', 'hop', '3 s', '1 s', '0', true, false, true);
INSERT INTO fev VALUES
 ('ds_side_sliding', 1, 'key2', 1000, 1, NULL), ('ds_side_sliding', 2, NULL, NULL, NULL, 1999),
 ('ds_side_sliding', 3, 'key2', 2000, 1, NULL), ('ds_side_sliding', 4, NULL, NULL, NULL, 3000),
 ('ds_side_sliding', 5, 'key1', 3001, 1, NULL),
 ('ds_side_sliding', 6, 'key2', 2400, 1, NULL), ('ds_side_sliding', 7, 'key2', 2400, 1, NULL),
 ('ds_side_sliding', 8, 'key1', 3001, 1, NULL), ('ds_side_sliding', 9, 'key2', 3900, 1, NULL),
 ('ds_side_sliding', 10, NULL, NULL, NULL, 6000),
 ('ds_side_sliding', 11, 'key1', 3001, 1, NULL), ('ds_side_sliding', 12, NULL, NULL, NULL, 25000);
INSERT INTO fexp VALUES
 ('ds_side_sliding', 'final', 2, 'key2', -1000, 2000, NULL, 1, NULL),
 ('ds_side_sliding', 'final', 4, 'key2', 0, 3000, NULL, 2, NULL),
 ('ds_side_sliding', 'final', 10, 'key2', 1000, 4000, NULL, 5, NULL),
 ('ds_side_sliding', 'final', 10, 'key1', 1000, 4000, NULL, 2, NULL),
 ('ds_side_sliding', 'final', 10, 'key2', 2000, 5000, NULL, 4, NULL),
 ('ds_side_sliding', 'final', 10, 'key1', 2000, 5000, NULL, 2, NULL),
 ('ds_side_sliding', 'final', 10, 'key2', 3000, 6000, NULL, 1, NULL),
 ('ds_side_sliding', 'final', 10, 'key1', 3000, 6000, NULL, 2, NULL),
 ('ds_side_sliding', 'late', 11, 'key1', NULL, NULL, 3001, NULL, NULL);
SELECT * FROM pg_temp.diff('ds_side_sliding');
-- what we add: one 'missed' row per 2400 row for [0, 3000), and the last
-- 3001 is reported late once per window it would have joined
SELECT kind, ord, key, w_start, w_end, ev_time FROM pg_temp.fl('ds_side_sliding')
WHERE kind IN ('missed', 'late') ORDER BY seq;

------------------------------------------------------------------------
-- The Flink SQL window aggregation (slicing/unslicing operators): SUM(v),
-- COUNT(*) with window start and end.  Same first 8 rows for hop, tumble,
-- session; Flink snapshots after watermark 2999 (hop) / 1999 (others).
CREATE TEMP TABLE base8 (ord int, k text, t_ms bigint);
INSERT INTO base8 VALUES (1, 'key2', 3999), (2, 'key2', 3000), (3, 'key1', 20), (4, 'key1', 0),
    (5, 'key1', 999), (6, 'key2', 1998), (7, 'key2', 1999), (8, 'key2', 1000);

-- sql_hop: testEventTimeHoppingWindows.  Hop 3 s / 1 s.  3500 is late for
-- [1000, 4000) but accumulates into [2000, 5000) and [3000, 6000); key1
-- 2999 is late for all its windows (numLateRecordsDropped = 1).
INSERT INTO fcase VALUES ('sql_hop', 'hop', '3 s', '1 s', '0', true, true, true);
INSERT INTO fev SELECT 'sql_hop', ord, k, t_ms, 1, NULL FROM base8;
INSERT INTO fev VALUES
 ('sql_hop', 9, NULL, NULL, NULL, 999), ('sql_hop', 10, NULL, NULL, NULL, 1999),
 ('sql_hop', 11, NULL, NULL, NULL, 2999), ('sql_hop', 12, NULL, NULL, NULL, 3999),
 ('sql_hop', 13, 'key2', 3500, 1, NULL), ('sql_hop', 14, NULL, NULL, NULL, 4999),
 ('sql_hop', 15, 'key1', 2999, 1, NULL), ('sql_hop', 16, NULL, NULL, NULL, 5999),
 ('sql_hop', 17, NULL, NULL, NULL, 6999), ('sql_hop', 18, NULL, NULL, NULL, 7999);
INSERT INTO fexp VALUES
 ('sql_hop', 'final', 9, 'key1', -2000, 1000, NULL, 3, 3),
 ('sql_hop', 'final', 10, 'key1', -1000, 2000, NULL, 3, 3),
 ('sql_hop', 'final', 10, 'key2', -1000, 2000, NULL, 3, 3),
 ('sql_hop', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('sql_hop', 'final', 11, 'key2', 0, 3000, NULL, 3, 3),
 ('sql_hop', 'final', 12, 'key2', 1000, 4000, NULL, 5, 5),
 ('sql_hop', 'final', 14, 'key2', 2000, 5000, NULL, 3, 3),
 ('sql_hop', 'late', 15, 'key1', NULL, NULL, 2999, NULL, NULL),
 ('sql_hop', 'final', 16, 'key2', 3000, 6000, NULL, 3, 3);
SELECT * FROM pg_temp.diff('sql_hop');

-- sql_cumulate: testEventTimeCumulativeWindows.  Cumulate step 1 s, max
-- 3 s.  key1 3500 (value 2) is late for [3000, 4000) but accumulates into
-- [3000, 5000) and [3000, 6000): sum 2, count 1.  key1 2999 is dropped.
INSERT INTO fcase VALUES ('sql_cumulate', 'cumulate', '3 s', '1 s', '0', true, true, true);
INSERT INTO fev VALUES
 ('sql_cumulate', 1, 'key2', 2999, 1, NULL), ('sql_cumulate', 2, 'key2', 3000, 1, NULL),
 ('sql_cumulate', 3, 'key1', 20, 1, NULL), ('sql_cumulate', 4, 'key1', 0, 1, NULL),
 ('sql_cumulate', 5, 'key1', 999, 1, NULL), ('sql_cumulate', 6, 'key2', 1998, 1, NULL),
 ('sql_cumulate', 7, 'key2', 1999, 1, NULL), ('sql_cumulate', 8, 'key2', 1000, 1, NULL),
 ('sql_cumulate', 9, NULL, NULL, NULL, 999), ('sql_cumulate', 10, NULL, NULL, NULL, 1999),
 ('sql_cumulate', 11, NULL, NULL, NULL, 2999), ('sql_cumulate', 12, NULL, NULL, NULL, 3999),
 ('sql_cumulate', 13, 'key1', 3500, 2, NULL), ('sql_cumulate', 14, NULL, NULL, NULL, 4999),
 ('sql_cumulate', 15, 'key1', 2999, 1, NULL), ('sql_cumulate', 16, NULL, NULL, NULL, 5999),
 ('sql_cumulate', 17, NULL, NULL, NULL, 6999), ('sql_cumulate', 18, NULL, NULL, NULL, 7999);
INSERT INTO fexp VALUES
 ('sql_cumulate', 'final', 9, 'key1', 0, 1000, NULL, 3, 3),
 ('sql_cumulate', 'final', 10, 'key1', 0, 2000, NULL, 3, 3),
 ('sql_cumulate', 'final', 10, 'key2', 0, 2000, NULL, 3, 3),
 ('sql_cumulate', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('sql_cumulate', 'final', 11, 'key2', 0, 3000, NULL, 4, 4),
 ('sql_cumulate', 'final', 12, 'key2', 3000, 4000, NULL, 1, 1),
 ('sql_cumulate', 'final', 14, 'key2', 3000, 5000, NULL, 1, 1),
 ('sql_cumulate', 'final', 14, 'key1', 3000, 5000, NULL, 2, 1),
 ('sql_cumulate', 'late', 15, 'key1', NULL, NULL, 2999, NULL, NULL),
 ('sql_cumulate', 'final', 16, 'key2', 3000, 6000, NULL, 1, 1),
 ('sql_cumulate', 'final', 16, 'key1', 3000, 6000, NULL, 2, 1);
SELECT * FROM pg_temp.diff('sql_cumulate');

-- sql_tumble: testEventTimeTumblingWindows.  Tumble 3 s; key1 2500 and
-- key2 2999 are dropped (numLateRecordsDropped = 2).
INSERT INTO fcase VALUES ('sql_tumble', 'tumble', '3 s', NULL, '0', true, true, true);
INSERT INTO fev SELECT 'sql_tumble', ord, k, t_ms, 1, NULL FROM base8;
INSERT INTO fev VALUES
 ('sql_tumble', 9, NULL, NULL, NULL, 999), ('sql_tumble', 10, NULL, NULL, NULL, 1999),
 ('sql_tumble', 11, NULL, NULL, NULL, 2999), ('sql_tumble', 12, NULL, NULL, NULL, 3999),
 ('sql_tumble', 13, 'key1', 2500, 1, NULL), ('sql_tumble', 14, NULL, NULL, NULL, 4999),
 ('sql_tumble', 15, 'key2', 2999, 1, NULL), ('sql_tumble', 16, NULL, NULL, NULL, 5999),
 ('sql_tumble', 17, NULL, NULL, NULL, 6999), ('sql_tumble', 18, NULL, NULL, NULL, 7999);
INSERT INTO fexp VALUES
 ('sql_tumble', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('sql_tumble', 'final', 11, 'key2', 0, 3000, NULL, 3, 3),
 ('sql_tumble', 'late', 13, 'key1', NULL, NULL, 2500, NULL, NULL),
 ('sql_tumble', 'late', 15, 'key2', NULL, NULL, 2999, NULL, NULL),
 ('sql_tumble', 'final', 16, 'key2', 3000, 6000, NULL, 2, 2);
SELECT * FROM pg_temp.diff('sql_tumble');

-- sql_session: UnslicingWindowAggOperatorTest.testEventTimeSessionWindows.
-- Gap 3 s.  key1 (0, 3999) fires at 3999; key2 3500 merges into the open
-- (1000, 6999), which fires at 6999 with 6 rows; key1 999 after 4999 is
-- dropped (numLateRecordsDropped = 1).
INSERT INTO fcase VALUES ('sql_session', 'session', '3 s', NULL, '0', true, true, true);
INSERT INTO fev SELECT 'sql_session', ord, k, t_ms, 1, NULL FROM base8;
INSERT INTO fev VALUES
 ('sql_session', 9, NULL, NULL, NULL, 999), ('sql_session', 10, NULL, NULL, NULL, 1999),
 ('sql_session', 11, NULL, NULL, NULL, 2999), ('sql_session', 12, NULL, NULL, NULL, 3999),
 ('sql_session', 13, 'key2', 3500, 1, NULL), ('sql_session', 14, NULL, NULL, NULL, 4999),
 ('sql_session', 15, 'key1', 999, 1, NULL), ('sql_session', 16, NULL, NULL, NULL, 5999),
 ('sql_session', 17, NULL, NULL, NULL, 6999), ('sql_session', 18, NULL, NULL, NULL, 7999),
 ('sql_session', 19, NULL, NULL, NULL, 8999);
INSERT INTO fexp VALUES
 ('sql_session', 'final', 12, 'key1', 0, 3999, NULL, 3, 3),
 ('sql_session', 'late', 15, 'key1', NULL, NULL, 999, NULL, NULL),
 ('sql_session', 'final', 17, 'key2', 1000, 6999, NULL, 6, 6);
SELECT * FROM pg_temp.diff('sql_session');

------------------------------------------------------------------------
-- The legacy group window operator (flink-table-runtime groupwindow
-- WindowOperatorTest): SUM, COUNT, window start/end/rowtime.

-- tg_sliding: testEventTimeSlidingWindows (hop 3 s / 1 s, watermarks only after the 8 rows).
INSERT INTO fcase VALUES ('tg_sliding', 'hop', '3 s', '1 s', '0', true, true, false);
INSERT INTO fev SELECT 'tg_sliding', ord, k, t_ms, 1, NULL FROM base8;
INSERT INTO fev SELECT 'tg_sliding', 8 + g, NULL, NULL, NULL, g * 1000 - 1 FROM generate_series(1, 8) g;
INSERT INTO fexp VALUES
 ('tg_sliding', 'final', 9, 'key1', -2000, 1000, NULL, 3, 3),
 ('tg_sliding', 'final', 10, 'key1', -1000, 2000, NULL, 3, 3),
 ('tg_sliding', 'final', 10, 'key2', -1000, 2000, NULL, 3, 3),
 ('tg_sliding', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('tg_sliding', 'final', 11, 'key2', 0, 3000, NULL, 3, 3),
 ('tg_sliding', 'final', 12, 'key2', 1000, 4000, NULL, 5, 5),
 ('tg_sliding', 'final', 13, 'key2', 2000, 5000, NULL, 2, 2),
 ('tg_sliding', 'final', 14, 'key2', 3000, 6000, NULL, 2, 2);
SELECT * FROM pg_temp.diff('tg_sliding');

-- tg_cumulate: testEventTimeCumulativeWindows (cumulate step 1 s, max 3 s).
-- A window whose last step added nothing is still emitted: key2 [3000, 5000)
-- and [3000, 6000) with the one row at 3000.
INSERT INTO fcase VALUES ('tg_cumulate', 'cumulate', '3 s', '1 s', '0', true, true, false);
INSERT INTO fev SELECT 'tg_cumulate', ord, k, t_ms, 1, NULL FROM fev WHERE c = 'sql_cumulate' AND ord <= 8;
INSERT INTO fev SELECT 'tg_cumulate', 8 + g, NULL, NULL, NULL, g * 1000 - 1 FROM generate_series(1, 8) g;
INSERT INTO fexp VALUES
 ('tg_cumulate', 'final', 9, 'key1', 0, 1000, NULL, 3, 3),
 ('tg_cumulate', 'final', 10, 'key1', 0, 2000, NULL, 3, 3),
 ('tg_cumulate', 'final', 10, 'key2', 0, 2000, NULL, 3, 3),
 ('tg_cumulate', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('tg_cumulate', 'final', 11, 'key2', 0, 3000, NULL, 4, 4),
 ('tg_cumulate', 'final', 12, 'key2', 3000, 4000, NULL, 1, 1),
 ('tg_cumulate', 'final', 13, 'key2', 3000, 5000, NULL, 1, 1),
 ('tg_cumulate', 'final', 14, 'key2', 3000, 6000, NULL, 1, 1);
SELECT * FROM pg_temp.diff('tg_cumulate');

-- tg_cumulate_late: testEventTimeCumulativeWindowsWithLateArrival.
-- Cumulate 1 s / 3 s, lateness 500 ms, updates.  Expected (asserted only
-- at the end, so positions are not compared): insert [0,1000) 1/1, insert
-- [0,2000) 2/2, update [0,2000) 2/2 -> 3/3, insert [0,3000) 3/3; 1998 is
-- dropped (numLateRecordsDropped = 1).
INSERT INTO fcase VALUES ('tg_cumulate_late', 'cumulate', '3 s', '1 s', '500 ms', false, true, true);
INSERT INTO fev VALUES
 ('tg_cumulate_late', 1, 'key2', 500, 1, NULL), ('tg_cumulate_late', 2, NULL, NULL, NULL, 1500),
 ('tg_cumulate_late', 3, 'key2', 1300, 1, NULL), ('tg_cumulate_late', 4, NULL, NULL, NULL, 2300),
 ('tg_cumulate_late', 5, 'key2', 1997, 1, NULL), ('tg_cumulate_late', 6, NULL, NULL, NULL, 6000),
 ('tg_cumulate_late', 7, 'key2', 1998, 1, NULL), ('tg_cumulate_late', 8, NULL, NULL, NULL, 7000);
INSERT INTO fexp VALUES
 ('tg_cumulate_late', 'final', NULL, 'key2', 0, 1000, NULL, 1, 1),
 ('tg_cumulate_late', 'final', NULL, 'key2', 0, 2000, NULL, 2, 2),
 ('tg_cumulate_late', 'final', NULL, 'key2', 0, 2000, NULL, 3, 3),
 ('tg_cumulate_late', 'final', NULL, 'key2', 0, 3000, NULL, 3, 3),
 ('tg_cumulate_late', 'late', NULL, 'key2', NULL, NULL, 1998, NULL, NULL);
SELECT * FROM pg_temp.diff('tg_cumulate_late');

-- tg_tumbling: testEventTimeTumblingWindows (tumble 3 s).
INSERT INTO fcase VALUES ('tg_tumbling', 'tumble', '3 s', NULL, '0', true, true, false);
INSERT INTO fev SELECT 'tg_tumbling', ord, k, t_ms, 1, NULL FROM base8;
INSERT INTO fev SELECT 'tg_tumbling', 8 + g, NULL, NULL, NULL, g * 1000 - 1 FROM generate_series(1, 8) g;
INSERT INTO fexp VALUES
 ('tg_tumbling', 'final', 11, 'key1', 0, 3000, NULL, 3, 3),
 ('tg_tumbling', 'final', 11, 'key2', 0, 3000, NULL, 3, 3),
 ('tg_tumbling', 'final', 14, 'key2', 3000, 6000, NULL, 2, 2);
SELECT * FROM pg_temp.diff('tg_tumbling');

-- tg_session: testEventTimeSessionWindows (gap 3 s).  As ds_session plus
-- counts, and a late key1 4000 after watermark 12000, which is dropped
-- (numLateRecordsDropped = 1) rather than reopening the fired (10, 5500).
INSERT INTO fcase VALUES ('tg_session', 'session', '3 s', NULL, '0', true, true, true);
INSERT INTO fev VALUES
 ('tg_session', 1, 'key2', 0, 1, NULL), ('tg_session', 2, 'key2', 1000, 2, NULL),
 ('tg_session', 3, 'key2', 2500, 3, NULL),
 ('tg_session', 4, 'key1', 10, 1, NULL), ('tg_session', 5, 'key1', 1000, 2, NULL),
 ('tg_session', 6, 'key1', 2500, 3, NULL),
 ('tg_session', 7, 'key2', 5501, 4, NULL), ('tg_session', 8, 'key2', 6000, 5, NULL),
 ('tg_session', 9, 'key2', 6000, 5, NULL), ('tg_session', 10, 'key2', 6050, 6, NULL),
 ('tg_session', 11, NULL, NULL, NULL, 12000),
 ('tg_session', 12, 'key1', 4000, 3, NULL),
 ('tg_session', 13, 'key2', 15000, 10, NULL), ('tg_session', 14, 'key2', 15000, 20, NULL),
 ('tg_session', 15, NULL, NULL, NULL, 17999);
INSERT INTO fexp VALUES
 ('tg_session', 'final', 11, 'key1', 10, 5500, NULL, 6, 3),
 ('tg_session', 'final', 11, 'key2', 0, 5500, NULL, 6, 3),
 ('tg_session', 'final', 11, 'key2', 5501, 9050, NULL, 20, 4),
 ('tg_session', 'late', 12, 'key1', NULL, NULL, 4000, NULL, NULL),
 ('tg_session', 'final', 15, 'key2', 15000, 18000, NULL, 30, 2);
SELECT * FROM pg_temp.diff('tg_session');

-- tg_lateness: testLateness (tumble 2 s, lateness 500 ms, updates).
-- Expected (asserted at the end): [0, 2000) 2/2, then the update to 3/3
-- for 1997; 1998 is dropped (numLateRecordsDropped = 1).
INSERT INTO fcase VALUES ('tg_lateness', 'tumble', '2 s', NULL, '500 ms', false, true, true);
INSERT INTO fev SELECT 'tg_lateness', ord, k, t_ms, v, wm_ms FROM fev WHERE c = 'tg_cumulate_late';
INSERT INTO fexp VALUES
 ('tg_lateness', 'final', NULL, 'key2', 0, 2000, NULL, 2, 2),
 ('tg_lateness', 'final', NULL, 'key2', 0, 2000, NULL, 3, 3),
 ('tg_lateness', 'late', NULL, 'key2', NULL, NULL, 1998, NULL, NULL);
SELECT * FROM pg_temp.diff('tg_lateness');
-- the correction comes at the row, as firing 2 (an upsert of firing 1)
SELECT kind, wm, ord, w_start, w_end, firing, sum, n FROM pg_temp.fl('tg_lateness') ORDER BY seq;

------------------------------------------------------------------------
-- Window assigner tests, replayed: each element under a key of its own,
-- then one watermark far ahead; expected = the windows the assigner gives.
--  flink-streaming-java .../windowing/TumblingEventTimeWindowsTest.java:
--    asg_tumble          testWindowAssignment (5000 ms)
--    asg_tumble_off      testWindowAssignmentWithGlobalOffset (5000 ms, offset 100 ms)
--    asg_tumble_negoff   testWindowAssignmentWithNegativeGlobalOffset (offset -100 ms)
--    asg_tumble_units    testTimeUnits (5 s, offset 1 s)
--  .../windowing/SlidingEventTimeWindowsTest.java:
--    asg_slide           testWindowAssignment (size 5000 ms, slide 1000 ms)
--    asg_slide_off       testWindowAssignmentWithOffset (offset 100 ms)
--    asg_slide_negoff    testWindowAssignmentWithNegativeOffset (offset -100 ms)
--    asg_slide_units     testTimeUnits (5 s, 1 s, offset 500 ms)
--  flink-table-runtime .../window/groupwindow/assigners/CumulativeWindowAssignerTest.java:
--    asg_cumulate        testWindowAssignment (max 5000 ms, step 1000 ms)
--    asg_cumulate_off    testWindowAssignmentWithOffset (offset 100 ms)
CREATE FUNCTION pg_temp.asg(cname text, kind text, size interval, slide interval, off interval,
                            times bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO fcase VALUES (cname, kind, size, slide, '0', false, true, false, off);
    INSERT INTO fev SELECT cname, i, 'e' || i, times[i], 1, NULL
                    FROM generate_subscripts(times, 1) i;
    INSERT INTO fev VALUES (cname, cardinality(times) + 1, NULL, NULL, NULL, 1000000);
$$;
-- expected: element i of the case is in [s, e)
CREATE FUNCTION pg_temp.asg_exp(cname text, i int, VARIADIC w bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO fexp SELECT cname, 'final', NULL, 'e' || i, w[j], w[j + 1], NULL, 1, 1
                     FROM generate_series(1, cardinality(w), 2) j;
$$;

SELECT pg_temp.asg('asg_tumble', 'tumble', '5000 ms', NULL, '0', '{0, 4999, 5000}');
SELECT pg_temp.asg_exp('asg_tumble', 1, 0, 5000), pg_temp.asg_exp('asg_tumble', 2, 0, 5000),
       pg_temp.asg_exp('asg_tumble', 3, 5000, 10000);
SELECT pg_temp.asg('asg_tumble_off', 'tumble', '5000 ms', NULL, '100 ms', '{100, 5099, 5100}');
SELECT pg_temp.asg_exp('asg_tumble_off', 1, 100, 5100), pg_temp.asg_exp('asg_tumble_off', 2, 100, 5100),
       pg_temp.asg_exp('asg_tumble_off', 3, 5100, 10100);
SELECT pg_temp.asg('asg_tumble_negoff', 'tumble', '5000 ms', NULL, '-100 ms', '{0, 4899, 4900}');
SELECT pg_temp.asg_exp('asg_tumble_negoff', 1, -100, 4900), pg_temp.asg_exp('asg_tumble_negoff', 2, -100, 4900),
       pg_temp.asg_exp('asg_tumble_negoff', 3, 4900, 9900);
SELECT pg_temp.asg('asg_tumble_units', 'tumble', '5 s', NULL, '1 s', '{1000, 5999, 6000}');
SELECT pg_temp.asg_exp('asg_tumble_units', 1, 1000, 6000), pg_temp.asg_exp('asg_tumble_units', 2, 1000, 6000),
       pg_temp.asg_exp('asg_tumble_units', 3, 6000, 11000);

SELECT pg_temp.asg('asg_slide', 'hop', '5000 ms', '1000 ms', '0', '{0, 4999, 5000}');
SELECT pg_temp.asg_exp('asg_slide', 1, -4000, 1000, -3000, 2000, -2000, 3000, -1000, 4000, 0, 5000),
       pg_temp.asg_exp('asg_slide', 2, 0, 5000, 1000, 6000, 2000, 7000, 3000, 8000, 4000, 9000),
       pg_temp.asg_exp('asg_slide', 3, 1000, 6000, 2000, 7000, 3000, 8000, 4000, 9000, 5000, 10000);
SELECT pg_temp.asg('asg_slide_off', 'hop', '5000 ms', '1000 ms', '100 ms', '{100, 5099, 5100}');
SELECT pg_temp.asg_exp('asg_slide_off', 1, -3900, 1100, -2900, 2100, -1900, 3100, -900, 4100, 100, 5100),
       pg_temp.asg_exp('asg_slide_off', 2, 100, 5100, 1100, 6100, 2100, 7100, 3100, 8100, 4100, 9100),
       pg_temp.asg_exp('asg_slide_off', 3, 1100, 6100, 2100, 7100, 3100, 8100, 4100, 9100, 5100, 10100);
SELECT pg_temp.asg('asg_slide_negoff', 'hop', '5000 ms', '1000 ms', '-100 ms', '{0, 4899, 4900}');
SELECT pg_temp.asg_exp('asg_slide_negoff', 1, -4100, 900, -3100, 1900, -2100, 2900, -1100, 3900, -100, 4900),
       pg_temp.asg_exp('asg_slide_negoff', 2, -100, 4900, 900, 5900, 1900, 6900, 2900, 7900, 3900, 8900),
       pg_temp.asg_exp('asg_slide_negoff', 3, 900, 5900, 1900, 6900, 2900, 7900, 3900, 8900, 4900, 9900);
SELECT pg_temp.asg('asg_slide_units', 'hop', '5 s', '1 s', '500 ms', '{100, 5499, 5100}');
SELECT pg_temp.asg_exp('asg_slide_units', 1, -4500, 500, -3500, 1500, -2500, 2500, -1500, 3500, -500, 4500),
       pg_temp.asg_exp('asg_slide_units', 2, 500, 5500, 1500, 6500, 2500, 7500, 3500, 8500, 4500, 9500),
       pg_temp.asg_exp('asg_slide_units', 3, 500, 5500, 1500, 6500, 2500, 7500, 3500, 8500, 4500, 9500);

SELECT pg_temp.asg('asg_cumulate', 'cumulate', '5000 ms', '1000 ms', '0', '{0, 4999, 5000}');
SELECT pg_temp.asg_exp('asg_cumulate', 1, 0, 1000, 0, 2000, 0, 3000, 0, 4000, 0, 5000),
       pg_temp.asg_exp('asg_cumulate', 2, 0, 5000),
       pg_temp.asg_exp('asg_cumulate', 3, 5000, 6000, 5000, 7000, 5000, 8000, 5000, 9000, 5000, 10000);
SELECT pg_temp.asg('asg_cumulate_off', 'cumulate', '5000 ms', '1000 ms', '100 ms', '{100, 5099, 5100}');
SELECT pg_temp.asg_exp('asg_cumulate_off', 1, 100, 1100, 100, 2100, 100, 3100, 100, 4100, 100, 5100),
       pg_temp.asg_exp('asg_cumulate_off', 2, 100, 5100),
       pg_temp.asg_exp('asg_cumulate_off', 3, 5100, 6100, 5100, 7100, 5100, 8100, 5100, 9100, 5100, 10100);

SELECT f.c, count(d.side) AS differences FROM fcase f LEFT JOIN LATERAL pg_temp.diff(f.c) d ON true
WHERE f.c LIKE 'asg%' GROUP BY 1 ORDER BY 1;

------------------------------------------------------------------------
-- Daylight saving time, America/Los_Angeles (flink-table-runtime
-- .../window/tvf/slicing/{Tumbling,Hopping,Cumulative}SliceAssignerTest.java,
-- testDstSaving): for each instant, the local [start, end) of the first
-- window to close that holds it (the slice end and its window start).
-- Tumble 4 h, hop 4 h / 1 h, cumulate 4 h / 1 h.
SET TimeZone = 'America/Los_Angeles';
CREATE TEMP TABLE dst (kind text, epoch_ms bigint, fl_start timestamp, fl_end timestamp);
INSERT INTO dst VALUES
 -- TumblingSliceAssignerTest.testDstSaving
 ('tumble', 1615708800000, '2021-03-14T00:00', '2021-03-14T04:00'),
 ('tumble', 1615712400000, '2021-03-14T00:00', '2021-03-14T04:00'),
 ('tumble', 1615716000000, '2021-03-14T00:00', '2021-03-14T04:00'),
 ('tumble', 1615719600000, '2021-03-14T04:00', '2021-03-14T08:00'),
 ('tumble', 1636268400000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('tumble', 1636272000000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('tumble', 1636275600000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('tumble', 1636279200000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('tumble', 1636282800000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('tumble', 1636286400000, '2021-11-07T04:00', '2021-11-07T08:00'),
 -- HoppingSliceAssignerTest.testDstSaving
 ('hop', 1615708800000, '2021-03-13T21:00', '2021-03-14T01:00'),
 ('hop', 1615712400000, '2021-03-13T22:00', '2021-03-14T02:00'),
 ('hop', 1615716000000, '2021-03-14T00:00', '2021-03-14T04:00'),
 ('hop', 1615719600000, '2021-03-14T01:00', '2021-03-14T05:00'),
 ('hop', 1636268400000, '2021-11-06T21:00', '2021-11-07T01:00'),
 ('hop', 1636272000000, '2021-11-06T22:00', '2021-11-07T02:00'),
 ('hop', 1636275600000, '2021-11-06T22:00', '2021-11-07T02:00'),
 ('hop', 1636279200000, '2021-11-06T23:00', '2021-11-07T03:00'),
 ('hop', 1636282800000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('hop', 1636286400000, '2021-11-07T01:00', '2021-11-07T05:00'),
 -- CumulativeSliceAssignerTest.testDstSaving
 ('cumulate', 1615708800000, '2021-03-14T00:00', '2021-03-14T01:00'),
 ('cumulate', 1615712400000, '2021-03-14T00:00', '2021-03-14T02:00'),
 ('cumulate', 1615716000000, '2021-03-14T00:00', '2021-03-14T04:00'),
 ('cumulate', 1615719600000, '2021-03-14T04:00', '2021-03-14T05:00'),
 ('cumulate', 1636268400000, '2021-11-07T00:00', '2021-11-07T01:00'),
 ('cumulate', 1636272000000, '2021-11-07T00:00', '2021-11-07T02:00'),
 ('cumulate', 1636275600000, '2021-11-07T00:00', '2021-11-07T02:00'),
 ('cumulate', 1636279200000, '2021-11-07T00:00', '2021-11-07T03:00'),
 ('cumulate', 1636282800000, '2021-11-07T00:00', '2021-11-07T04:00'),
 ('cumulate', 1636286400000, '2021-11-07T04:00', '2021-11-07T05:00');
-- each instant under a key of its own; its windows in closing order
CREATE FUNCTION pg_temp.dst_first(wkind text)
RETURNS TABLE (epoch_ms bigint, local_time timestamp, fl_start timestamp, fl_end timestamp,
               our_start timestamp, our_end timestamp)
LANGUAGE sql AS $$
    SELECT d.epoch_ms, ('epoch'::timestamptz + d.epoch_ms * interval '1 ms') AT TIME ZONE 'America/Los_Angeles',
           d.fl_start, d.fl_end,
           r.window_start AT TIME ZONE 'America/Los_Angeles', r.window_end AT TIME ZONE 'America/Los_Angeles'
    FROM dst d
    LEFT JOIN LATERAL (
        SELECT * FROM asset_stream.window_replay(
            format($q$SELECT 'epoch'::timestamptz + %s * interval '1 ms' AS t$q$, d.epoch_ms),
            't', NULL, wkind, '4 hours', CASE WHEN wkind <> 'tumble' THEN interval '1 hour' END)
          AS (seq bigint, window_start timestamptz, window_end timestamptz)
        ORDER BY seq LIMIT 1) r ON true
    WHERE d.kind = wkind ORDER BY d.epoch_ms
$$;
-- Flink gives local TIMESTAMPs; we give instants, and a local bound skipped
-- by the spring-forward change is read with the offset before it: Flink's
-- end 2021-03-14 02:00 is our instant 10:00Z, which prints as 03:00 PDT
-- (hop and cumulate at 1615712400000: same window, agrees = f by display).
SELECT *, (fl_start, fl_end) = (our_start, our_end) AS agrees FROM pg_temp.dst_first('tumble');
SELECT *, (fl_start, fl_end) = (our_start, our_end) AS agrees FROM pg_temp.dst_first('hop');
SELECT *, (fl_start, fl_end) = (our_start, our_end) AS agrees FROM pg_temp.dst_first('cumulate');

-- When those windows fire.  Flink SQL fires a window when the watermark
-- reaches toEpochMillsForTimer(window_end - 1 ms) (TimeWindowUtil.isWindowFired),
-- and so do we: window_time is the local window_end - 1 ms read that way;
-- flink-table-runtime .../runtime/util/TimeWindowUtilTest.java
-- testDaylightSaving pins that mapping: local 2021-03-14 02:00, 02:30,
-- 02:59:59 (skipped) -> 1615716000000 (10:00Z); 03:59:59 -> 1615719599000;
-- 2021-11-07 00:00:01 -> 1636268401000 (PDT); 01:59:59 -> 1636279199000
-- (the second, PST, 01:59:59).  So on 2021-11-07 the window ending at local
-- 01:00 fires at 07:59:59.999Z, and on 2021-03-14 the window ending at local
-- 03:00 fires at 10:00:00.000Z.  Expected per input position: the local
-- window start and the count ('late' = dropped).
-- dst_fallback: tumble 1 hour, lateness 0.  Flink's rows that we do not
-- produce (none):
SELECT ord, kind, local_start, count FROM (VALUES
        (2, 'final', timestamp '2021-11-07 00:00', 1::bigint),
        (4, 'late', timestamp '2021-11-07 00:00', NULL),
        (7, 'final', timestamp '2021-11-07 01:00', 2)) e(ord, kind, local_start, count)
EXCEPT ALL
SELECT ordinal, kind, window_start AT TIME ZONE 'America/Los_Angeles', count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, timestamptz '2021-11-07 07:30+00', NULL::timestamptz),  -- 00:30 PDT
        (2, NULL, '2021-11-07 07:59:59.999+00'),
        (3, NULL, '2021-11-07 08:30+00'),
        (4, '2021-11-07 07:45+00', NULL),                           -- 00:45 PDT
        (5, '2021-11-07 08:15+00', NULL),                           -- 01:15 PDT
        (6, '2021-11-07 09:15+00', NULL),                           -- 01:15 PST
        (7, NULL, '2021-11-07 09:59:59.999+00')) v(o, t, w) ORDER BY o$$,
    't', NULL, 'tumble', '1 hour', watermark_column => 'w', flush_at_end => false)
  AS (kind text, ordinal bigint, window_start timestamptz, count bigint);
-- ours, in full
SELECT kind, watermark, ordinal, window_start AT TIME ZONE 'America/Los_Angeles' AS local_start,
       window_end AT TIME ZONE 'America/Los_Angeles' AS local_end, window_time, event_time, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, timestamptz '2021-11-07 07:30+00', NULL::timestamptz),
        (2, NULL, '2021-11-07 07:59:59.999+00'),
        (3, NULL, '2021-11-07 08:30+00'),
        (4, '2021-11-07 07:45+00', NULL),
        (5, '2021-11-07 08:15+00', NULL),
        (6, '2021-11-07 09:15+00', NULL),
        (7, NULL, '2021-11-07 09:59:59.999+00')) v(o, t, w) ORDER BY o$$,
    't', NULL, 'tumble', '1 hour', watermark_column => 'w', flush_at_end => false)
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, window_time timestamptz, event_time timestamptz, count bigint);
-- dst_spring: hop 4 hours / 1 hour, one row at 09:30Z (01:30 PST).  Flink's
-- rows that we do not produce (none):
SELECT ord, kind, local_start, count FROM (VALUES
        (2, 'final', timestamp '2021-03-13 22:00', 1::bigint),
        (3, 'final', timestamp '2021-03-13 23:00', 1),
        (4, 'final', timestamp '2021-03-14 00:00', 1),
        (5, 'final', timestamp '2021-03-14 01:00', 1)) e(ord, kind, local_start, count)
EXCEPT ALL
SELECT ordinal, kind, window_start AT TIME ZONE 'America/Los_Angeles', count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, timestamptz '2021-03-14 09:30+00', NULL::timestamptz),
        (2, NULL, '2021-03-14 09:59:59.999+00'),
        (3, NULL, '2021-03-14 10:00:00+00'),
        (4, NULL, '2021-03-14 10:59:59.999+00'),
        (5, NULL, '2021-03-14 11:59:59.999+00')) v(o, t, w) ORDER BY o$$,
    't', NULL, 'hop', '4 hours', '1 hour', watermark_column => 'w', flush_at_end => false)
  AS (kind text, ordinal bigint, window_start timestamptz, count bigint);
SELECT kind, watermark, ordinal, window_start AT TIME ZONE 'America/Los_Angeles' AS local_start,
       window_end AT TIME ZONE 'America/Los_Angeles' AS local_end, window_end, window_time, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, timestamptz '2021-03-14 09:30+00', NULL::timestamptz),
        (2, NULL, '2021-03-14 09:59:59.999+00'),
        (3, NULL, '2021-03-14 10:00:00+00'),
        (4, NULL, '2021-03-14 10:59:59.999+00'),
        (5, NULL, '2021-03-14 11:59:59.999+00')) v(o, t, w) ORDER BY o$$,
    't', NULL, 'hop', '4 hours', '1 hour', watermark_column => 'w', flush_at_end => false)
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, window_time timestamptz, count bigint);
-- a snapshot after every input row of dst_fallback, restored: the same
-- emissions as one uninterrupted replay (window_time is recomputed on restore)
CREATE TEMP TABLE dst_ev AS SELECT * FROM (VALUES
        (1, timestamptz '2021-11-07 07:30+00', NULL::timestamptz),
        (2, NULL, '2021-11-07 07:59:59.999+00'),
        (3, NULL, '2021-11-07 08:30+00'),
        (4, '2021-11-07 07:45+00', NULL),
        (5, '2021-11-07 08:15+00', NULL),
        (6, '2021-11-07 09:15+00', NULL),
        (7, NULL, '2021-11-07 09:59:59.999+00')) v(o, t, w);
CREATE FUNCTION pg_temp.dst_replay(stop bigint, snap bytea)
RETURNS TABLE (seq bigint, kind text, ordinal bigint, window_start timestamptz,
               window_time timestamptz, count bigint)
LANGUAGE sql AS $$
    SELECT seq, kind, ordinal, window_start, window_time, count
    FROM asset_stream.window_replay('SELECT * FROM dst_ev ORDER BY o', 't', NULL, 'tumble',
            '1 hour', watermark_column => 'w', stop_after => stop, resume_from => snap)
      AS (seq bigint, kind text, ordinal bigint, window_start timestamptz,
          window_time timestamptz, count bigint)
$$;
CREATE FUNCTION pg_temp.dst_resumed(cut bigint)
RETURNS TABLE (seq bigint, kind text, ordinal bigint, window_start timestamptz,
               window_time timestamptz, count bigint)
LANGUAGE sql AS $$
    SELECT * FROM pg_temp.dst_replay(cut, NULL)
    UNION ALL
    SELECT * FROM pg_temp.dst_replay(NULL, asset_stream.window_replay_snapshot(
        'SELECT * FROM dst_ev ORDER BY o', 't', NULL, 'tumble', '1 hour',
        watermark_column => 'w', stop_after => cut))
$$;
SELECT cut, (SELECT count(*) FROM ((SELECT * FROM pg_temp.dst_replay(NULL, NULL)
                                    EXCEPT ALL SELECT * FROM pg_temp.dst_resumed(cut))
                                   UNION ALL
                                   (SELECT * FROM pg_temp.dst_resumed(cut)
                                    EXCEPT ALL SELECT * FROM pg_temp.dst_replay(NULL, NULL))) d) AS differences
FROM generate_series(0, 7) cut ORDER BY cut;
SET TimeZone = 'UTC';

------------------------------------------------------------------------
-- All cases again, with the windows aligned on Asia/Shanghai's wall clock
-- (Flink runs the table tests in UTC and Asia/Shanghai; whole seconds, so
-- the windows are the same instants).
SET TimeZone = 'Asia/Shanghai';
SELECT f.c, count(d.side) AS differences FROM fcase f LEFT JOIN LATERAL pg_temp.diff(f.c) d ON true
GROUP BY 1 ORDER BY 1;
SET TimeZone = 'UTC';
SELECT count(*) AS cases, sum((SELECT count(*) FROM pg_temp.diff(c))) AS differences FROM fcase;

------------------------------------------------------------------------
-- testCleanupTimeOverflow, as an analog: Flink puts a row at
-- Long.MAX_VALUE - 1750 ms (tumble 1 s, lateness 2 s) so that window_time +
-- lateness overflows; a watermark before window_time must not clean the
-- window up, and the watermark window_time fires it with the row.  Here the
-- window is the last whole second before PostgreSQL's largest timestamp.
SELECT kind, watermark, ordinal, window_start, window_end, window_time, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '294276-12-31 23:59:58.25+00'::timestamptz, NULL::timestamptz),
        (2, NULL, '294276-12-31 23:59:58.5+00'),
        (3, NULL, '294276-12-31 23:59:58.999+00')) v(o, t, w) ORDER BY o$$,
    't', NULL, 'tumble', '1 s', allowed_lateness => '2 s', flush_at_end => false,
    watermark_column => 'w')
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, window_time timestamptz, count bigint);
