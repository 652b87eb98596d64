-- bench/ingest_copy_report.sql: medians and ratios.  psql variable: rows.
\pset footer off
WITH per_run AS (
    SELECT target, :rows / secs AS rate, secs, wal_bytes FROM bench.result
), med AS (
    SELECT target,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY rate)      AS rate,
           min(rate) AS min_rate, max(rate) AS max_rate,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY secs)      AS secs,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY wal_bytes) AS wal,
           count(*) AS runs
    FROM per_run GROUP BY target
)
SELECT CASE target WHEN 'bench_unlogged' THEN '(a) stream, unlogged partitions'
                   WHEN 'bench_logged'   THEN '(b) stream, durability => logged'
                   ELSE '(c) plain logged table' END                 AS target,
       runs,
       to_char(secs, 'FM990.00')                                     AS "median s",
       to_char(rate, 'FM9,999,999')                                  AS "median rows/s",
       to_char(min_rate, 'FM9,999,999') || ' .. ' || to_char(max_rate, 'FM9,999,999') AS "range rows/s",
       to_char(wal / 1e6, 'FM99,990.0')                              AS "WAL MB",
       to_char(wal / :rows, 'FM9,990')                               AS "WAL B/row"
FROM med ORDER BY 1;

WITH med AS (
    SELECT target, percentile_cont(0.5) WITHIN GROUP (ORDER BY :rows / secs) AS rate
    FROM bench.result GROUP BY target
), r AS (
    SELECT max(rate) FILTER (WHERE target = 'bench_unlogged') AS u,
           max(rate) FILTER (WHERE target = 'bench_logged')   AS l,
           max(rate) FILTER (WHERE target = 'bench_plain')    AS p
    FROM med
)
SELECT ratio, to_char(value, 'FM990.00') || 'x' AS "median throughput ratio"
FROM r, LATERAL (VALUES ('unlogged stream / logged stream', u / l),
                        ('unlogged stream / plain table',   u / p),
                        ('logged stream / plain table',     l / p)) v(ratio, value);
