-- asset_stream demo, part 2: an HTTP ingest source.  Run by scripts/demo.sh,
-- which POSTs the BLE gateway reads with curl between the two halves.
\if :{?part2}
\echo '== 12. What the source took, and what it refused'
SELECT name, kind, state, rows_accepted, rows_rejected, batches, bytes, last_error FROM asset_stream.sources;
SELECT source, left(payload, 40) AS payload, error FROM asset_stream.rejected ORDER BY id;

\echo '== 13. The posted reads are an ordinary stream: tags per zone per 5 minutes (tumble)'
SELECT window_start, zone, count(DISTINCT asset_id) AS tags, count(*) AS reads, round(avg(rssi)) AS avg_rssi
FROM asset_stream.tumble($$SELECT asset_id, event_time, rssi, attrs->>'zone' AS zone FROM ble$$,
                         'event_time', '5 minutes')
     AS w(window_start timestamptz, zone text, asset_id text, rssi real)
GROUP BY 1, 2 ORDER BY 1, 2;
SELECT asset_stream.drop_source('ble_gateway');
\else
\echo '== 10. An HTTP source: a background worker takes POSTed reads and writes them in batches'
\echo '==     (BLE tags at a building exit, UCI dataset 586, CC BY 4.0: CSV with epoch-ms times)'
SET client_min_messages = warning;
SELECT asset_stream.create_stream('ble', '1 hour', retention => NULL);
SELECT asset_stream.add_source('ble', 'ble_gateway', 'http', jsonb_build_object(
    'port', :port, 'token', 'demo-token', 'format', 'csv', 'csv_header', true,
    'csv_columns', jsonb_build_array('asset_id', 'zone', 'event_time', 'rssi', 'rssi_two'),
    'time_format', 'epoch_ms', 'batch_rows', 5000));
RESET client_min_messages;
\endif
