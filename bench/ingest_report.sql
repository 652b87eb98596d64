-- bench/ingest_report.sql: medians, ratios, latency and the targets of
-- issue 5.  psql variable: rows.
\pset footer off
CREATE TEMP VIEW med AS
SELECT method,
       count(*) AS runs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY rows_got / secs) AS rate,
       min(rows_got / secs) AS min_rate, max(rows_got / secs) AS max_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS secs,
       min(rows_got) AS min_got,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY :rows / pub_secs) AS pub_rate
FROM bench.result GROUP BY method;

SELECT CASE method
         WHEN 'copy'  THEN '(a) psql \copy FROM STDIN (CSV)'
         WHEN 'http'  THEN '(b) HTTP source, batched POSTs'
         WHEN 'fn'    THEN '(diag) ingest() per chunk, psql'
         WHEN 'mqtt0' THEN '(c) MQTT source, QoS 0'
         WHEN 'sub0'  THEN '(d) mosquitto_sub, QoS 0'
         WHEN 'mqtt1' THEN '(c) MQTT source, QoS 1'
         WHEN 'sub1'  THEN '(d) mosquitto_sub, QoS 1' END             AS "receiver",
       runs,
       to_char(secs, 'FM990.00')                                       AS "median s",
       to_char(rate, 'FM9,999,999')                                    AS "median rows/s",
       to_char(min_rate, 'FM9,999,999') || ' .. ' || to_char(max_rate, 'FM9,999,999') AS "range rows/s",
       CASE WHEN min_got < :rows THEN 'SHORT: ' || min_got ELSE 'all' END AS "rows received",
       coalesce(to_char(pub_rate, 'FM9,999,999'), '')                  AS "publisher msg/s"
FROM med
ORDER BY array_position(array['copy', 'http', 'fn', 'mqtt0', 'sub0', 'mqtt1', 'sub1'], method);

SELECT l.method AS "latency: publish -> row committed",
       to_char(l.rate, 'FM99,999') AS "reads/s", l.n AS "rows",
       to_char(l.p50, 'FM9990.0') AS "p50 ms", to_char(l.p95, 'FM9990.0') AS "p95 ms",
       to_char(l.p99, 'FM9990.0') AS "p99 ms", to_char(l.pmax, 'FM9990.0') AS "max ms"
FROM bench.latency l ORDER BY l.id;

WITH r AS (SELECT method, rate FROM med), v AS (
    SELECT 'HTTP / COPY' AS ratio, (SELECT rate FROM r WHERE method = 'http') / (SELECT rate FROM r WHERE method = 'copy') AS x, 1.0 AS target
    UNION ALL
    SELECT 'MQTT QoS 0 / mosquitto_sub QoS 0', (SELECT rate FROM r WHERE method = 'mqtt0') / (SELECT rate FROM r WHERE method = 'sub0'), 0.8
    UNION ALL
    SELECT 'MQTT QoS 1 / mosquitto_sub QoS 1', (SELECT rate FROM r WHERE method = 'mqtt1') / (SELECT rate FROM r WHERE method = 'sub1'), 0.8
)
SELECT ratio AS "ratio of median rows/s", to_char(x, 'FM990.00') || 'x' AS value,
       '>= ' || to_char(target, 'FM0.0') || 'x' AS target,
       CASE WHEN x >= target THEN 'PASS' ELSE 'FAIL' END AS result
FROM v WHERE x IS NOT NULL
UNION ALL
SELECT '(diag) ingest() / COPY',
       to_char((SELECT rate FROM r WHERE method = 'fn') / (SELECT rate FROM r WHERE method = 'copy'), 'FM990.00') || 'x',
       '', ''
WHERE EXISTS (SELECT 1 FROM r WHERE method = 'fn') AND EXISTS (SELECT 1 FROM r WHERE method = 'copy')
UNION ALL
SELECT 'p99 latency ' || method || ' at ' || to_char(rate, 'FM99,999') || ' reads/s',
       to_char(p99, 'FM9990.0') || ' ms', '<= 50 ms',
       CASE WHEN p99 <= 50 AND n > 0 THEN 'PASS' ELSE 'FAIL' END
FROM bench.latency WHERE method NOT LIKE 'mosquitto_sub%';
