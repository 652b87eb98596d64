-- window_replay properties on random data: replay equals batch results,
-- and snapshot + restore at any cut point equals an uninterrupted replay.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(11);
SET LOCAL TimeZone = 'UTC';
SELECT setseed(0.42);

-- 3000 reads of 25 assets over two hours, ms precision, some NULL values.
CREATE TEMP TABLE r AS
SELECT g AS ord, 'asset' || (1 + floor(random() * 25))::int AS k,
       timestamptz '2024-03-01 08:00' + floor(random() * 7200000) * interval '1 ms' AS t,
       CASE WHEN random() < 0.05 THEN NULL ELSE (random() * 100)::int END AS v
FROM generate_series(1, 3000) g;
-- in event-time order, and in a shuffled arrival order
CREATE TEMP TABLE r_sorted AS SELECT row_number() OVER (ORDER BY t, ord) AS pos, k, t, v FROM r;
CREATE TEMP TABLE r_shuffled AS SELECT row_number() OVER (ORDER BY random()) AS pos, k, t, v FROM r;

CREATE FUNCTION pg_temp.replay(input text, kind text, size interval, slide interval,
                               bound interval, lateness interval, emit text,
                               stop bigint DEFAULT NULL, snap bytea DEFAULT NULL)
RETURNS TABLE (seq bigint, kind text, wm timestamptz, ordinal bigint, key text,
               ws timestamptz, we timestamptz, n bigint, nv bigint, s bigint, a numeric)
LANGUAGE sql AS $$
    SELECT * FROM asset_stream.window_replay(input, 't', 'k', kind, size, slide,
        'count(*), count(v) AS nv, sum(v), avg(v)', out_of_orderness => bound,
        allowed_lateness => lateness, emit => emit, stop_after => stop, resume_from => snap)
      AS (seq bigint, kind text, watermark timestamptz, ordinal bigint, key text,
          window_start timestamptz, window_end timestamptz, count bigint, nv bigint,
          sum bigint, avg numeric)
$$;

-- the last result of every window (corrections replace earlier results)
CREATE FUNCTION pg_temp.last_final(input text, kind text, size interval, slide interval,
                                   bound interval, lateness interval)
RETURNS TABLE (key text, ws timestamptz, we timestamptz, n bigint, nv bigint, s bigint, a numeric)
LANGUAGE sql AS $$
    SELECT DISTINCT ON (key, ws, we) key, ws, we, n, nv, s, a
    FROM pg_temp.replay(input, kind, size, slide, bound, lateness, 'final')
    WHERE kind = 'final'
    ORDER BY key, ws, we, seq DESC
$$;

-- 1. in-order tumble 1 min = GROUP BY date_bin
SELECT results_eq(
    $$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_sorted ORDER BY pos', 'tumble', '1 min', NULL, '0', '0')$$,
    $$SELECT k, date_bin('1 min', t, 'epoch'), date_bin('1 min', t, 'epoch') + interval '1 min',
             count(*), count(v), sum(v), avg(v)
      FROM r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
    'in-order tumble replay equals GROUP BY date_bin');

-- 2. shuffled arrival, unbounded lateness: the final results are the batch results
SELECT results_eq(
    $$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'tumble', '1 min', NULL, '0', '100000 days')$$,
    $$SELECT k, date_bin('1 min', t, 'epoch'), date_bin('1 min', t, 'epoch') + interval '1 min',
             count(*), count(v), sum(v), avg(v)
      FROM r GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
    'shuffled tumble replay with unbounded lateness equals GROUP BY date_bin');

SELECT is(
    (SELECT count(*) FROM pg_temp.replay('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'tumble', '1 min', NULL, '0', '100000 days', 'final')
     WHERE kind IN ('late', 'missed')),
    0::bigint, 'unbounded lateness: nothing is late');

-- 3. hop 10 min / 5 min = GROUP BY over the covering windows
SELECT results_eq(
    $$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'hop', '10 min', '5 min', '0', '100000 days')$$,
    $$SELECT k, ws, ws + interval '10 min', count(*), count(v), sum(v), avg(v)
      FROM r, LATERAL (VALUES (date_bin('5 min', t, 'epoch')),
                              (date_bin('5 min', t, 'epoch') - interval '5 min')) w(ws)
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
    'hop replay with unbounded lateness equals SQL hop windows');

-- 4. in-order sessions (gap 2 min) = lag + running sum sessionisation
SELECT results_eq(
    $$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_sorted ORDER BY pos', 'session', '2 min', NULL, '0', '0')$$,
    $$WITH m AS (SELECT k, t, v, CASE WHEN t - lag(t) OVER (PARTITION BY k ORDER BY t) <= interval '2 min'
                                  THEN 0 ELSE 1 END AS brk FROM r),
           s AS (SELECT *, sum(brk) OVER (PARTITION BY k ORDER BY t ROWS UNBOUNDED PRECEDING) AS sid FROM m)
      SELECT k, min(t), max(t) + interval '2 min', count(*), count(v), sum(v), avg(v)
      FROM s GROUP BY k, sid ORDER BY 1, 2, 3$$,
    'in-order session replay equals SQL sessionisation');

-- 5. shuffled sessions, unbounded lateness and bound: merges give the batch sessions
SELECT results_eq(
    $$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'session', '2 min', NULL, '3 hours', '0')$$,
    $$WITH m AS (SELECT k, t, v, CASE WHEN t - lag(t) OVER (PARTITION BY k ORDER BY t) <= interval '2 min'
                                  THEN 0 ELSE 1 END AS brk FROM r),
           s AS (SELECT *, sum(brk) OVER (PARTITION BY k ORDER BY t ROWS UNBOUNDED PRECEDING) AS sid FROM m)
      SELECT k, min(t), max(t) + interval '2 min', count(*), count(v), sum(v), avg(v)
      FROM s GROUP BY k, sid ORDER BY 1, 2, 3$$,
    'out-of-order session replay within the bound equals SQL sessionisation');

-- 6. the batch window functions (branch win-tvf), once both are installed
CREATE FUNCTION pg_temp.batch_check() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    IF to_regprocedure('asset_stream.tumble(text, text, interval, interval)') IS NULL THEN
        RETURN NEXT skip('asset_stream.tumble() is not installed', 1);
        RETURN;
    END IF;
    RETURN NEXT results_eq(
        $q$SELECT * FROM pg_temp.last_final('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'tumble', '1 min', NULL, '0', '100000 days')$q$,
        $q$SELECT k, window_start, window_end, count(*), count(v), sum(v), avg(v)
           FROM asset_stream.tumble('SELECT k, t, v FROM r', 't', '1 min')
                AS w(k text, t timestamptz, v int, window_start timestamptz, window_end timestamptz)
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$q$,
        'replay with unbounded lateness equals tumble() + GROUP BY');
END $$;
SELECT * FROM pg_temp.batch_check();

-- 7-10. snapshot after N rows + resume = uninterrupted replay, at 25 cut points
CREATE FUNCTION pg_temp.cut_mismatches(input text, kind text, size interval, slide interval,
                                       bound interval, lateness interval, emit text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    bad bigint := 0;
    cut bigint;
    d bigint;
BEGIN
    CREATE TEMP TABLE full_run ON COMMIT DROP AS
        SELECT * FROM pg_temp.replay(input, kind, size, slide, bound, lateness, emit);
    FOR cut IN SELECT unnest(ARRAY[0, 1, 2, 3, 17, 99, 100, 101, 500, 999, 1000, 1234, 1500,
                                   1777, 2000, 2222, 2500, 2750, 2900, 2990, 2998, 2999, 3000, 3001, 5000]) LOOP
        CREATE TEMP TABLE cut_run ON COMMIT DROP AS
            SELECT * FROM pg_temp.replay(input, kind, size, slide, bound, lateness, emit, stop => cut)
            UNION ALL
            SELECT * FROM pg_temp.replay(input, kind, size, slide, bound, lateness, emit,
                snap => asset_stream.window_replay_snapshot(input, 't', 'k', kind, size, slide,
                    'count(*), count(v) AS nv, sum(v), avg(v)', out_of_orderness => bound,
                    allowed_lateness => lateness, emit => emit, stop_after => cut));
        SELECT count(*) INTO d FROM ((TABLE full_run EXCEPT ALL TABLE cut_run)
                                     UNION ALL (TABLE cut_run EXCEPT ALL TABLE full_run)) x;
        IF d > 0 THEN bad := bad + 1; END IF;
        DROP TABLE cut_run;
    END LOOP;
    DROP TABLE full_run;
    RETURN bad;
END $$;

SELECT is(pg_temp.cut_mismatches('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'tumble', '1 min', NULL, '30 s', '5 min', 'final'),
          0::bigint, 'tumble: restore at 25 cut points equals the uninterrupted replay');
SELECT is(pg_temp.cut_mismatches('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'hop', '10 min', '3 min', '1 min', '2 min', 'update'),
          0::bigint, 'hop (update mode): restore at 25 cut points equals the uninterrupted replay');
SELECT is(pg_temp.cut_mismatches('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'session', '2 min', NULL, '20 min', '5 min', 'update'),
          0::bigint, 'session (update mode): restore at 25 cut points equals the uninterrupted replay');
SELECT is(pg_temp.cut_mismatches('SELECT k, t, v FROM r_shuffled ORDER BY pos', 'cumulate', '30 min', '5 min', '10 min', '0', 'final'),
          0::bigint, 'cumulate: restore at 25 cut points equals the uninterrupted replay');

SELECT * FROM finish();
ROLLBACK;
