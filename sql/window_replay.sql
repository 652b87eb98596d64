-- window_replay: the push-based window core over a recorded stream
-- (watermarks, firing, allowed lateness, emit modes, sessions, snapshots).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO';
\set SHOW_CONTEXT never

-- The SQLSTATE a statement fails with, or 'ok'.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

-- Milliseconds since the epoch, as Flink's operator tests write times.
CREATE FUNCTION pg_temp.ms(t timestamptz) RETURNS bigint LANGUAGE sql AS
$$ SELECT CASE WHEN isfinite(t) THEN (extract(epoch FROM t) * 1000)::bigint END $$;

-- A recorded stream: reads (k, t_ms, v) and watermarks (wm_ms), in ord order.
CREATE TABLE ev (ord int PRIMARY KEY, k text, t_ms bigint, v int, wm_ms bigint);
CREATE VIEW evv AS
    SELECT ord, k, 'epoch'::timestamptz + t_ms * interval '1 ms' AS t, v,
           'epoch'::timestamptz + wm_ms * interval '1 ms' AS wm
    FROM ev;

-- Replay ev with its explicit watermarks; times in ms.
CREATE FUNCTION pg_temp.replay(kind text, size interval, slide interval DEFAULT NULL,
                               lateness interval DEFAULT '0', emit text DEFAULT 'final',
                               flush boolean DEFAULT true, stop bigint DEFAULT NULL,
                               snap bytea DEFAULT NULL)
RETURNS TABLE (seq bigint, kind text, wm bigint, ord bigint, key text,
               w_start bigint, w_end bigint, w_time bigint, ev_time bigint,
               firing int, sum bigint, n bigint)
LANGUAGE sql AS $$
    SELECT seq, kind, pg_temp.ms(watermark), ordinal, key, pg_temp.ms(window_start),
           pg_temp.ms(window_end), pg_temp.ms(window_time), pg_temp.ms(event_time),
           firing, sum, count
    FROM asset_stream.window_replay('SELECT * FROM evv ORDER BY ord', 't', 'k',
            kind, size, slide, 'sum(v), count(*)', allowed_lateness => lateness,
            emit => emit, flush_at_end => flush, watermark_column => 'wm',
            stop_after => stop, resume_from => snap)
      AS (seq bigint, kind text, watermark timestamptz, ordinal bigint, key text,
          window_start timestamptz, window_end timestamptz, window_time timestamptz,
          event_time timestamptz, firing int, sum bigint, count bigint)
$$;

CREATE FUNCTION pg_temp.snap(kind text, size interval, slide interval, lateness interval,
                             emit text, stop bigint, snap bytea DEFAULT NULL)
RETURNS bytea LANGUAGE sql AS $$
    SELECT asset_stream.window_replay_snapshot('SELECT * FROM evv ORDER BY ord', 't', 'k',
            kind, size, slide, 'sum(v), count(*)', allowed_lateness => lateness,
            emit => emit, watermark_column => 'wm', stop_after => stop, resume_from => snap)
$$;

------------------------------------------------------------------------
-- Flink WindowOperatorTest, tumbling 3 s, explicit watermarks: a window
-- fires when the watermark reaches window_end - 1 ms.  Snapshot after the
-- watermark 1999 and restore, as the Flink test does.
INSERT INTO ev VALUES
 (1, 'key2', 3999, 1, NULL), (2, 'key2', 3000, 1, NULL),
 (3, 'key1', 20, 1, NULL), (4, 'key1', 0, 1, NULL), (5, 'key1', 999, 1, NULL),
 (6, 'key2', 1998, 1, NULL), (7, 'key2', 1999, 1, NULL), (8, 'key2', 1000, 1, NULL),
 (9, NULL, NULL, NULL, 999), (10, NULL, NULL, NULL, 1999),
 (11, NULL, NULL, NULL, 2999), (12, NULL, NULL, NULL, 3999),
 (13, NULL, NULL, NULL, 4999), (14, NULL, NULL, NULL, 5999),
 (15, NULL, NULL, NULL, 6999), (16, NULL, NULL, NULL, 7999);
-- expected: at 2999 key1 3 and key2 3 for [0, 3000); at 5999 key2 2 for [3000, 6000)
SELECT * FROM pg_temp.replay('tumble', '3 s', flush => false);
-- the same through a snapshot after input row 10 (watermark 1999)
SELECT * FROM pg_temp.replay('tumble', '3 s', flush => false, stop => 10);
SELECT * FROM pg_temp.replay('tumble', '3 s', flush => false,
    snap => pg_temp.snap('tumble', '3 s', NULL, '0', 'final', 10));

-- Flink sliding 3 s / 1 s on the same input, snapshot after watermark 2999:
-- 999: key1 3; 1999: key1 3, key2 3; 2999: key1 3, key2 3; 3999: key2 5;
-- 4999: key2 2; 5999: key2 2.
SELECT * FROM pg_temp.replay('hop', '3 s', '1 s', flush => false, stop => 11);
SELECT * FROM pg_temp.replay('hop', '3 s', '1 s', flush => false,
    snap => pg_temp.snap('hop', '3 s', '1 s', '0', 'final', 11));

------------------------------------------------------------------------
-- Flink testDropDueToLatenessSessionZeroLateness: gap 3 s, lateness 0.
-- Expected: (1000, 11500) sum 5 at 11501; (11600, 14600) sum 1 at 14600;
-- 10000 is late; (14500, 17500) sum 1 at 20000.
TRUNCATE ev;
INSERT INTO ev VALUES
 (1, 'key2', 1000, 1, NULL), (2, NULL, NULL, NULL, 1999),
 (3, 'key2', 2000, 1, NULL), (4, NULL, NULL, NULL, 4998),
 (5, 'key2', 4500, 1, NULL), (6, 'key2', 8500, 1, NULL), (7, NULL, NULL, NULL, 7400),
 (8, 'key2', 7000, 1, NULL), (9, NULL, NULL, NULL, 11501),
 (10, 'key2', 11600, 1, NULL), (11, NULL, NULL, NULL, 14600),
 (12, 'key2', 10000, 1, NULL),
 (13, 'key2', 14500, 1, NULL), (14, NULL, NULL, NULL, 20000),
 (15, NULL, NULL, NULL, 100000);
SELECT * FROM pg_temp.replay('session', '3 s');
-- testDropDueToLatenessSessionWithLateness: lateness 10 ms.  10000 now
-- merges into the fired (11600, 14600), which fires again at once as
-- (10000, 14600) sum 2; 14500 extends it to (10000, 17500), sum 3 at 20000.
SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms');
-- update mode: every change, retractions of merged-away sessions
SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update');
-- snapshot/restore at every position gives the same emissions
SELECT count(*) AS cut_points_differing FROM generate_series(0, 15) AS cut
WHERE EXISTS (
    (SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update')
     EXCEPT ALL
     (SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update', stop => cut)
      UNION ALL
      SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update',
          snap => pg_temp.snap('session', '3 s', NULL, '10 ms', 'update', cut))))
    UNION ALL
    ((SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update', stop => cut)
      UNION ALL
      SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update',
          snap => pg_temp.snap('session', '3 s', NULL, '10 ms', 'update', cut)))
     EXCEPT ALL
     SELECT * FROM pg_temp.replay('session', '3 s', lateness => '10 ms', emit => 'update')));

------------------------------------------------------------------------
-- Allowed lateness with derived watermarks (reference §4): tumble 5 s,
-- bound 0, lateness 2 s.  Rows 1 s, 6 s ([0,5) fires), 3 s (re-fires with
-- both rows), 8 s ([0,5) cleaned up), 2 s (late).
CREATE TABLE rd (ord int, k text, t timestamptz, v int);
INSERT INTO rd VALUES
 (1, 'a', '2024-01-01 00:00:01', 1), (2, 'a', '2024-01-01 00:00:06', 2),
 (3, 'a', '2024-01-01 00:00:03', 3), (4, 'a', '2024-01-01 00:00:08', 4),
 (5, 'a', '2024-01-01 00:00:02', 5);
SELECT seq, kind, watermark, ordinal, window_start, window_end, window_time, event_time,
       firing, count, sum, avg
FROM asset_stream.window_replay('SELECT k, t, v FROM rd ORDER BY ord', 't', 'k', 'tumble', '5 s',
    aggregates => 'count(*), sum(v), avg(v)', allowed_lateness => '2 s')
  AS (seq bigint, kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, window_time timestamptz, event_time timestamptz, firing int,
      count bigint, sum bigint, avg numeric);
-- Lateness boundary is <=: tumble 1 s, lateness 2 s.  After a row at
-- 4.999 s (watermark 4.999 s) the window [2, 3) is past cleanup
-- (2.999 + 2 <= 4.999): a row at 2.5 s is late.  [3, 4) is not
-- (3.999 + 2 > 4.999): a row at 3 s fires it at once.
SELECT kind, watermark, ordinal, window_start, window_end, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:00.5+00'::timestamptz), (2, '2024-01-01 00:00:04.999'),
        (3, '2024-01-01 00:00:02.5'), (4, '2024-01-01 00:00:03')) v(o, t) ORDER BY o$$,
    't', NULL, 'tumble', '1 s', allowed_lateness => '2 s', flush_at_end => false)
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, count bigint);
-- bounded out-of-orderness 2 s: the watermark trails the largest time by 2 s
SELECT kind, watermark, ordinal, window_start, count
FROM asset_stream.window_replay('SELECT k, t FROM rd ORDER BY ord', 't', 'k', 'tumble', '5 s',
    out_of_orderness => '2 s')
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz, count bigint);
-- sub-millisecond: [0,5) fires at watermark 4.999; a row at 4.9995 is late
-- for it even though it is ahead of the watermark, and is never lost
SELECT kind, watermark, ordinal, window_start, event_time, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:04.999+00'::timestamptz), (2, '2024-01-01 00:00:04.9995')) v(o, t)
        ORDER BY o$$, 't', NULL, 'tumble', '5 s')
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      event_time timestamptz, count bigint);

-- emit => 'update': every change, then the final result at close
SELECT seq, kind, ordinal, window_start, count, sum
FROM asset_stream.window_replay('SELECT k, t, v FROM rd ORDER BY ord', 't', 'k', 'tumble', '5 s',
    aggregates => 'count(*), sum(v)', allowed_lateness => '2 s', emit => 'update')
  AS (seq bigint, kind text, ordinal bigint, window_start timestamptz, count bigint, sum bigint);

-- hop 10 s / 5 s: a row behind the watermark still counts in its open
-- window and reports the closed one it missed ('missed', not 'late')
SELECT kind, watermark, ordinal, window_start, window_end, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:01+00'::timestamptz), (2, '2024-01-01 00:00:11'),
        (3, '2024-01-01 00:00:07')) v(o, t) ORDER BY o$$,
    't', NULL, 'hop', '10 s', '5 s')
  AS (kind text, watermark timestamptz, ordinal bigint, window_start timestamptz,
      window_end timestamptz, count bigint);

-- cumulate step 2 s, size 6 s
SELECT kind, ordinal, window_start, window_end, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:01+00'::timestamptz), (2, '2024-01-01 00:00:03'),
        (3, '2024-01-01 00:00:07')) v(o, t) ORDER BY o$$,
    't', NULL, 'cumulate', '6 s', '2 s')
  AS (kind text, ordinal bigint, window_start timestamptz, window_end timestamptz, count bigint);

-- sessions, gap 3 s: rows 0 s and 5 s, then 2.5 s merges both into [0, 8)
SELECT kind, ordinal, window_start, window_end, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:00+00'::timestamptz), (2, '2024-01-01 00:00:05'),
        (3, '2024-01-01 00:00:02.5')) v(o, t) ORDER BY o$$,
    't', NULL, 'session', '3 s', out_of_orderness => '10 s')
  AS (kind text, ordinal bigint, window_start timestamptz, window_end timestamptz, count bigint);
-- a gap larger than the data: one session
SELECT kind, window_start, window_end, count
FROM asset_stream.window_replay('SELECT k, t FROM rd ORDER BY ord', 't', 'k', 'session', '1 hour')
  AS (kind text, window_start timestamptz, window_end timestamptz, count bigint);

------------------------------------------------------------------------
-- NULLs: a NULL time drops the row; a NULL key is a key of its own; NULL
-- arguments are skipped by strict aggregates; FILTER and expressions
SELECT kind, key, window_start, count, n_v, sum, big
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, 'a', '2024-01-01 00:00:01+00'::timestamptz, 5),
        (2, NULL, '2024-01-01 00:00:02', 7),
        (3, 'a', NULL, 100),
        (4, 'a', '2024-01-01 00:00:03', NULL),
        (5, NULL, '2024-01-01 00:00:04', 1)) v(o, k, t, v) ORDER BY o$$,
    't', 'k', 'tumble', '10 s',
    aggregates => 'count(*), count(v) AS n_v, sum(v * 10), count(*) FILTER (WHERE v > 3) AS big')
  AS (kind text, key text, window_start timestamptz, count bigint, n_v bigint, sum bigint, big bigint);
-- empty input, all-NULL times, one row
SELECT count(*) FROM asset_stream.window_replay('SELECT now() AS t WHERE false', 't', NULL,
    'tumble', '1 min') AS (kind text);
SELECT count(*) FROM asset_stream.window_replay('SELECT NULL::timestamptz AS t', 't', NULL,
    'tumble', '1 min') AS (kind text);
SELECT kind, watermark, ordinal, window_start, window_end, window_time, count
FROM asset_stream.window_replay($$SELECT '2024-01-01 08:07:30+00'::timestamptz AS t$$, 't', NULL,
    'tumble', '1 min') AS (kind text, watermark timestamptz, ordinal bigint,
    window_start timestamptz, window_end timestamptz, window_time timestamptz, count bigint);
-- without flush the last window stays open
SELECT count(*) FROM asset_stream.window_replay($$SELECT '2024-01-01 08:07:30+00'::timestamptz AS t$$,
    't', NULL, 'tumble', '1 min', flush_at_end => false) AS (kind text);
-- other aggregates: internal states (numeric avg, string_agg, array_agg), min/max
SELECT kind, avg, s, a, min, max
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, '2024-01-01 00:00:01+00'::timestamptz, 1.5, 'x'), (2, '2024-01-01 00:00:02', 2.5, 'y')) v(o, t, x, s)
        ORDER BY o$$, 't', NULL, 'tumble', '1 min',
    aggregates => $$avg(x), string_agg(s, ',') AS s, array_agg(x) AS a, min(s), max(x)$$)
  AS (kind text, avg numeric, s text, a numeric[], min text, max numeric);
-- keys of another type; timestamp without time zone
SELECT kind, key, window_start, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES (1, 10, '2024-01-01 00:00:01'::timestamp),
        (2, 20, '2024-01-01 00:00:02'), (3, 10, '2024-01-01 00:00:03')) v(o, k, t) ORDER BY o$$,
    't', 'k', 'tumble', '1 min') AS (kind text, key integer, window_start timestamp, count bigint);

-- a key stored compressed in a table and the same key computed in the
-- query are one key; keys of fixed length by reference (uuid)
CREATE TABLE bigkey (o int, k text, t timestamptz);
INSERT INTO bigkey VALUES (1, repeat('k', 5000), '2024-01-01 00:00:01+00');
SELECT pg_column_compression(k) IS NOT NULL AS stored_compressed FROM bigkey;
SELECT kind, length(key), count
FROM asset_stream.window_replay($$SELECT * FROM (SELECT o, k, t FROM bigkey
        UNION ALL SELECT 2, repeat('k', 5000), '2024-01-01 00:00:02+00'
        UNION ALL SELECT 3, repeat('k', 4999) || 'x', '2024-01-01 00:00:03+00') s ORDER BY o$$,
    't', 'k', 'tumble', '1 min') AS (kind text, key text, count bigint);
SELECT kind, key, count
FROM asset_stream.window_replay($$SELECT * FROM (VALUES
        (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '2024-01-01 00:00:01+00'::timestamptz),
        (2, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '2024-01-01 00:00:02'),
        (3, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-01-01 00:00:03')) v(o, k, t) ORDER BY o$$,
    't', 'k', 'tumble', '1 min') AS (kind text, key uuid, count bigint);

-- tumbling windows on a wall clock with daylight saving time: rows of the
-- repeated hour at the fall-back change go to the windows tumble() gives
SET TimeZone = 'Europe/Berlin';
SELECT r.window_start, r.count, t.count AS tumble_count
FROM asset_stream.window_replay($$SELECT g AS v, timestamptz '2024-10-26 22:30+00' + g * interval '5 minutes' AS t
        FROM generate_series(1, 60) g ORDER BY g$$, 't', NULL, 'tumble', '1 hour')
     AS r(kind text, window_start timestamptz, count bigint)
FULL JOIN (SELECT window_start, count(*) FROM asset_stream.tumble(
        $$SELECT g AS v, timestamptz '2024-10-26 22:30+00' + g * interval '5 minutes' AS t FROM generate_series(1, 60) g$$,
        't', '1 hour') AS w(window_start timestamptz) GROUP BY 1) t USING (window_start)
ORDER BY 1;
-- spring forward: cumulate 30 min steps; the local ends 02:00 and 03:00 are
-- the same instant (02:00 is skipped) but not the same window_time, so they
-- are two windows with one row each, as cumulate() gives them
SELECT r.window_end, r.window_time, r.count
FROM asset_stream.window_replay($$SELECT timestamptz '2024-03-31 00:45+00' AS t$$, 't', NULL,
        'cumulate', '1 day', '30 minutes') AS r(window_end timestamptz, window_time timestamptz, count bigint)
WHERE r.window_end < '2024-03-31 04:00+02'
EXCEPT ALL
SELECT window_end, window_time, 1
FROM asset_stream.cumulate($$SELECT timestamptz '2024-03-31 00:45+00' AS t$$, 't', '30 minutes', '1 day')
     AS w(window_end timestamptz, window_time timestamptz)
WHERE window_end < '2024-03-31 04:00+02';
SELECT count(*) AS windows_before_04
FROM asset_stream.window_replay($$SELECT timestamptz '2024-03-31 00:45+00' AS t$$, 't', NULL,
        'cumulate', '1 day', '30 minutes') AS r(window_end timestamptz)
WHERE r.window_end < '2024-03-31 04:00+02';
-- a 45-minute hop window that starts in the skipped hour ends before it
-- starts; a snapshot holding it restores
SELECT kind, window_start, window_end, window_time, count
FROM asset_stream.window_replay($$SELECT t FROM (VALUES (1, timestamptz '2024-03-31 01:10+00'), (2, '2024-03-31 05:00+00')) v(o, t) ORDER BY o$$,
        't', NULL, 'hop', '45 minutes', '15 minutes',
        resume_from => asset_stream.window_replay_snapshot(
            $$SELECT t FROM (VALUES (1, timestamptz '2024-03-31 01:10+00'), (2, '2024-03-31 05:00+00')) v(o, t) ORDER BY o$$,
            't', NULL, 'hop', '45 minutes', '15 minutes', stop_after => 1))
  AS (kind text, window_start timestamptz, window_end timestamptz, window_time timestamptz, count bigint)
ORDER BY window_time, window_start;
-- America/Sitka skipped a whole day in 1867: a snapshot across it restores
SET TimeZone = 'America/Sitka';
SELECT (SELECT count(*) FROM asset_stream.window_replay($$SELECT * FROM (VALUES (1, timestamptz '1867-10-18 12:00+14:58:47'), (2, timestamptz '1867-10-25 12:00-09:01:13')) v(o, t) ORDER BY o$$,
          't', NULL, 'hop', '1 day', '30 minutes',
          resume_from => asset_stream.window_replay_snapshot($$SELECT * FROM (VALUES (1, timestamptz '1867-10-18 12:00+14:58:47'), (2, timestamptz '1867-10-25 12:00-09:01:13')) v(o, t) ORDER BY o$$,
              't', NULL, 'hop', '1 day', '30 minutes', stop_after => 1)) AS (kind text)) AS resumed,
       (SELECT count(*) FROM asset_stream.window_replay($$SELECT * FROM (VALUES (1, timestamptz '1867-10-18 12:00+14:58:47'), (2, timestamptz '1867-10-25 12:00-09:01:13')) v(o, t) ORDER BY o$$,
          't', NULL, 'hop', '1 day', '30 minutes') AS (kind text)) AS uninterrupted;
SET TimeZone = 'UTC';
-- a session that would end past the timestamp range is an error, as in session()
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay(
    'SELECT timestamptz ''294276-12-31 23:00+00'' AS t', 't', NULL, 'session', '2 hours') AS (kind text)$$) AS session_past_range;

------------------------------------------------------------------------
-- Bad arguments
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT 1 AS x', 't', NULL, 'tumble', '1 min') AS (kind text)$$) AS no_column;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT 1 AS t', 't', NULL, 'tumble', '1 min') AS (kind text)$$) AS bad_time_type;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '0 s') AS (kind text)$$) AS zero_size;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 mon') AS (kind text)$$) AS month_size;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'hop', '1 min') AS (kind text)$$) AS hop_no_slide;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'cumulate', '5 min', '2 min') AS (kind text)$$) AS cumulate_not_multiple;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'sliding', '1 min') AS (kind text)$$) AS bad_kind;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', emit => 'always') AS (kind text)$$) AS bad_emit;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', allowed_lateness => '-1 s') AS (kind text)$$) AS negative_lateness;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay(NULL, 't', NULL, 'tumble', '1 min') AS (kind text)$$) AS null_input;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', NULL) AS (kind text)$$) AS null_size;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'now()') AS (kind text)$$) AS not_aggregate;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'count(*) FROM pg_class') AS (kind text)$$) AS injection;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'count(*); DROP TABLE ev') AS (kind text)$$) AS injection2;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'avg(nope)') AS (kind text)$$) AS unknown_arg;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'mode() WITHIN GROUP (ORDER BY t)') AS (kind text)$$) AS ordered_set;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', aggregates => 'count(DISTINCT t)') AS (kind text)$$) AS distinct_agg;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t, 1 AS x', 't', NULL, 'session', '1 min', aggregates => 'array_agg(x)') AS (kind text)$$) AS session_no_combine;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min') AS (nope text)$$) AS unknown_output;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min') AS (count int)$$) AS wrong_output_type;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min', resume_from => '\x00'::bytea) AS (kind text)$$) AS bad_snapshot;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '2 min',
    resume_from => asset_stream.window_replay_snapshot('SELECT now() AS t', 't', NULL, 'tumble', '1 min')) AS (kind text)$$) AS snapshot_other_args;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT ''infinity''::timestamptz AS t', 't', NULL, 'tumble', '1 min') AS (kind text)$$) AS infinite_time;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('DELETE FROM ev RETURNING now() AS t', 't', NULL, 'tumble', '1 min') AS (kind text)$$) AS not_read_only;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT now() AS t, 1 AS v, now() AS w', 't', NULL, 'tumble', '1 min', watermark_column => 'w', out_of_orderness => '1 s') AS (kind text)$$) AS wm_and_bound;
SELECT pg_temp.sqlstate_of($$SELECT * FROM asset_stream.window_replay('SELECT g AS k, now() AS t FROM generate_series(1, 100) g', 't', 'k', 'tumble', '1 min', max_open_windows => 10) AS (kind text)$$) AS too_many_windows;
SELECT pg_temp.sqlstate_of($$SELECT asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min')$$) AS select_list;
-- messages
SELECT * FROM asset_stream.window_replay('SELECT now() AS t', 't', NULL, 'tumble', '1 min') AS (count int);
SELECT * FROM asset_stream.window_replay('SELECT g AS k, now() AS t FROM generate_series(1, 100) g', 't', 'k',
    'tumble', '1 min', max_open_windows => 10) AS (kind text);
SELECT * FROM asset_stream.window_replay('SELECT now() AS t, 1 AS x', 't', NULL, 'session', '1 min',
    aggregates => 'array_agg(x)') AS (kind text);
