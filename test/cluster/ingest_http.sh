#!/usr/bin/env bash
# HTTP ingest sources end to end: real curl clients against a source
# worker.  200 only after commit (rows visible at once), JSON / NDJSON / CSV
# bodies, 401 / 404 / 405 / 400 / 413, rejects recorded, counters, port in
# use then freed, SIGTERM restart, disable / enable, and many concurrent
# clients.  Prints TAP.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
dir=$(mktemp -d /tmp/asset_stream_http.XXXXXX)
bg_pids=()
cleanup() {
    local p
    for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    as_cluster_stop "$dir"
}
trap cleanup EXIT
as_cluster_start "$dir" || exit 1
db=postgres
work=$dir/client
mkdir -p "$work"

as_q $db "CREATE EXTENSION asset_stream CASCADE" >/dev/null
as_q $db "SELECT asset_stream.create_stream('hr')" >/dev/null

port=$(as_free_port)
url=http://127.0.0.1:$port/ingest
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
as_q $db "SELECT asset_stream.add_source('hr', 'web', 'http',
          '{\"port\": $port, \"path\": \"/ingest\", \"token\": \"s3cret\",
            \"csv_columns\": [\"asset_id\", \"event_time\", \"rssi\"]}')" >/dev/null
running() { as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = '$1'"; }
running web
as_is "$?" "0" "the http source is running"

# post CONTENT_TYPE BODY [curl args...]: prints "STATUS BODY"
post() {
    local ct=$1 body=$2; shift 2
    local code
    code=$(curl -s -o "$work/resp" -w '%{http_code}' -H 'Authorization: Bearer s3cret' \
        -H "Content-Type: $ct" --data-binary "$body" "$@" "$url")
    echo "$code $(tr -d '\n' <"$work/resp" 2>/dev/null)"
}
rows() { as_q $db "SELECT count(*) FROM hr WHERE asset_id LIKE '$1'"; }

# 1. a JSON array: 200 with the counts, and the rows are committed by then
out=$(post application/json "[{\"asset_id\": \"j-1\", \"event_time\": \"$now\", \"rssi\": -50},
                              {\"asset_id\": \"j-2\", \"event_time\": \"$now\"},
                              {\"asset_id\": \"j-3\", \"event_time\": \"$now\", \"rssi\": -70.5}]")
got=$(rows 'j-%')
as_is "$out" '200 {"accepted":3,"rejected":0}' "JSON array: 200 with the counts"
as_is "$got" "3" "the rows are visible as soon as the 200 arrives (commit before answer)"
as_is "$(as_q $db "SELECT rssi FROM hr WHERE asset_id = 'j-3'")" "-70.5" "values arrive intact"

# 2. NDJSON and CSV, chosen by Content-Type
out=$(post application/x-ndjson "{\"asset_id\": \"n-1\", \"event_time\": \"$now\"}
{\"asset_id\": \"n-2\", \"event_time\": \"$now\"}")
as_is "$out" '200 {"accepted":2,"rejected":0}' "NDJSON body: 200"
out=$(post text/csv "c-1,$now,-40
c-2,$now,-41")
as_is "$out" '200 {"accepted":2,"rejected":0}' "CSV body: 200"
as_is "$(rows 'n-%')/$(rows 'c-%')" "2/2" "NDJSON and CSV rows are stored"

# 3. authentication, method, path
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' --data-binary '[]' "$url")
as_is "$code" "401" "wrong token: 401"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary '[]' "$url")
as_is "$code" "401" "no token: 401"
hdrs=$(curl -s -i -H 'Authorization: Bearer s3cret' "$url" | tr -d '\r')
as_is "$(echo "$hdrs" | head -1 | cut -d' ' -f2)" "405" "GET: 405"
as_is "$(echo "$hdrs" | grep -ci '^allow: POST')" "1" "... with an Allow: POST header"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer s3cret' --data-binary '[]' \
    "http://127.0.0.1:$port/other")
as_is "$code" "404" "another path: 404"

# 4. malformed JSON: 400 with the reason, and a row in rejected
out=$(post application/json '{"asset_id": "x", not json')
as_is "${out%% *}" "400" "malformed JSON: 400"
as_is "$(echo "$out" | grep -c '"error":')" "1" "... with the reason in the body"
as_wait_for $db "SELECT count(*) = 1 FROM asset_stream.rejected WHERE source = 'web' AND payload LIKE '%not json%'"
as_is "$?" "0" "the malformed payload is in asset_stream.rejected"

# 5. good and bad rows together: 200, counts, the bad row rejected
out=$(post application/json "[{\"asset_id\": \"m-1\", \"event_time\": \"$now\"},
                              {\"event_time\": \"$now\", \"rssi\": -1},
                              {\"asset_id\": \"m-2\", \"event_time\": \"not a time\"}]")
as_is "$out" '200 {"accepted":1,"rejected":2}' "mixed rows: 200 with accepted and rejected counts"
as_is "$(rows 'm-%')" "1" "the good row is stored"
as_wait_for $db "SELECT count(*) = 3 FROM asset_stream.rejected WHERE source = 'web'"
as_is "$?" "0" "the bad rows are in asset_stream.rejected"

# 6. counters
as_wait_for $db "SELECT rows_accepted = 8 AND rows_rejected = 3 AND batches >= 4 AND bytes > 0
                 FROM asset_stream.sources WHERE name = 'web'"
as_is "$?" "0" "sources shows rows_accepted 8, rows_rejected 3, batches and bytes"
as_is "$(as_q $db "SELECT options ? 'token' FROM asset_stream.sources WHERE name = 'web'")" "f" \
    "sources does not show the token"

# 7. a body over max_payload: 413, counted as a reject
port2=$(as_free_port)
as_q $db "SELECT asset_stream.add_source('hr', 'small', 'http', '{\"port\": $port2, \"max_payload\": 200}')" >/dev/null
running small
big=$(printf '[%s{"asset_id": "big", "event_time": "%s"}]' "$(printf ' %.0s' $(seq 1 400))" "$now")
code=$(curl -s -o "$work/resp" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$big" "http://127.0.0.1:$port2/")
as_is "$code" "413" "a body over max_payload: 413"
as_is "$(grep -c 'exceeds max_payload (200)' "$work/resp")" "1" "... saying so"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'Transfer-Encoding: chunked' --data-binary "$big" "http://127.0.0.1:$port2/")
as_is "$code" "413" "a chunked body over max_payload: 413"
as_wait_for $db "SELECT count(*) = 2 FROM asset_stream.rejected WHERE source = 'small' AND error LIKE '%exceeds max_payload (200)%'"
as_is "$?" "0" "both oversize bodies are in asset_stream.rejected"
out=$(curl -s -H 'Content-Type: application/json' --data-binary "[{\"asset_id\": \"s-1\", \"event_time\": \"$now\"}]" \
    "http://127.0.0.1:$port2/any/path")
as_is "$out" '{"accepted":1,"rejected":0}' "without token and path options any path is served"

# 8. the port is in use: retrying with the reason, then up once it is free
port3=$(as_free_port)
python3 -c "import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port3)); s.listen(); time.sleep(120)" &
squatter=$!
bg_pids+=("$squatter")
for i in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$port3) 2>/dev/null && break; sleep 0.1; done
as_q $db "SELECT asset_stream.add_source('hr', 'late', 'http', '{\"port\": $port3}')" >/dev/null
as_wait_for $db "SELECT state = 'retrying' AND last_error = 'could not listen on 127.0.0.1:$port3: address already in use'
                 FROM asset_stream.sources WHERE name = 'late'"
as_is "$?" "0" "port in use: state retrying, last_error says so"
kill "$squatter"; wait "$squatter" 2>/dev/null
running late
as_is "$?" "0" "once the port is free the source comes up"
out=$(curl -s --data-binary "[{\"asset_id\": \"l-1\", \"event_time\": \"$now\"}]" "http://127.0.0.1:$port3/")
as_is "$out" '{"accepted":1,"rejected":0}' "... and serves"
as_q $db "SELECT asset_stream.drop_source('late')" >/dev/null

# 9. SIGTERM: the worker comes back with a new pid and serves again
old=$(as_q $db "SELECT pid FROM asset_stream.sources WHERE name = 'web'")
kill -TERM "$old"
as_wait_for $db "SELECT state = 'running' AND pid <> $old FROM asset_stream.sources WHERE name = 'web'"
as_is "$?" "0" "after SIGTERM the worker is back with a new pid"
out=$(post application/json "[{\"asset_id\": \"t-1\", \"event_time\": \"$now\"}]")
as_is "$out" '200 {"accepted":1,"rejected":0}' "... and serves again"

# 10. disable: the port closes within about a second; enable: it answers again
as_q $db "SELECT asset_stream.enable_source('web', false)" >/dev/null
t0=$(date +%s%N)
closed=no
for i in $(seq 1 40); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then closed=yes; break; fi
    sleep 0.05
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# port closed ${ms} ms after enable_source(false)"
as_is "$closed" "yes" "disable: the port closes within 2 s"
as_wait_for $db "SELECT state = 'stopped' AND pid IS NULL FROM asset_stream.sources WHERE name = 'web'"
as_is "$?" "0" "disable: the source is stopped"
as_q $db "SELECT asset_stream.enable_source('web', true)" >/dev/null
running web
out=$(post application/json "[{\"asset_id\": \"e-1\", \"event_time\": \"$now\"}]")
as_is "$out" '200 {"accepted":1,"rejected":0}' "enable: it answers again"

# latency of one client (informational): 20 one-row requests in a row
t0=$(date +%s%N)
for i in $(seq 1 20); do post application/json "[{\"asset_id\": \"q-$i\", \"event_time\": \"$now\"}]" >/dev/null; done
echo "# one client, one row per request: $(( ($(date +%s%N) - t0) / 20000000 )) ms per request (batch_ms 20)"
t0=$(date +%s%N)
for i in $(seq 1 20); do curl -s -o /dev/null "$url"; done
echo "# for comparison, a 405 answer: $(( ($(date +%s%N) - t0) / 20000000 )) ms per request"
as_is "$(rows 'q-%')" "20" "20 requests in a row from one client are stored"

# 11. many concurrent clients: 20 loops x 50 requests x 100 rows
mkdir -p "$work/c"
awk -v now="$now" -v dir="$work/c" 'BEGIN {
    for (l = 1; l <= 20; l++) for (r = 1; r <= 50; r++) {
        f = dir "/" l "_" r ".json"; printf "[" > f
        for (i = 1; i <= 100; i++)
            printf "%s{\"asset_id\": \"p%d-%d-%d\", \"event_time\": \"%s\", \"rssi\": %d}", (i > 1 ? "," : ""), l, r, i, now, -i > f
        printf "]" > f; close(f)
    } }'
: >"$work/failures"
t0=$(date +%s%N)
loops=()
for l in $(seq 1 20); do
    (
        for r in $(seq 1 50); do
            code=$(curl -s -o "$work/c/resp_$l" -w '%{http_code}' -H 'Authorization: Bearer s3cret' \
                -H 'Content-Type: application/json' --data-binary "@$work/c/${l}_$r.json" "$url")
            if [ "$code" != 200 ] || [ "$(cat "$work/c/resp_$l")" != '{"accepted":100,"rejected":0}' ]; then
                echo "$l/$r: $code $(cat "$work/c/resp_$l")" >>"$work/failures"
            fi
        done
    ) &
    loops+=("$!")
done
wait "${loops[@]}"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# 100000 rows in 1000 requests from 20 clients: ${ms} ms"
as_is "$(wc -l <"$work/failures")" "0" "20 concurrent clients: every request answered 200 with its counts"
head -5 "$work/failures" | sed 's/^/# /'
as_is "$(as_q $db "SELECT count(*), count(DISTINCT asset_id) FROM hr WHERE asset_id LIKE 'p%'")" "100000|100000" \
    "all 100000 rows are stored, none twice"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.rejected WHERE source = 'web'")" "3" "no new rejects"

# 12. SIGTERM under load: every request answered 200 is stored whole, and
# no request is stored in part (clients that got no 200 would resend)
awk -v now="$now" -v dir="$work/c" 'BEGIN {
    for (l = 1; l <= 5; l++) for (r = 1; r <= 40; r++) {
        f = dir "/k" l "_" r ".json"; printf "[" > f
        for (i = 1; i <= 100; i++)
            printf "%s{\"asset_id\": \"k%d-%d-%d\", \"event_time\": \"%s\"}", (i > 1 ? "," : ""), l, r, i, now > f
        printf "]" > f; close(f)
    } }'
: >"$work/answers"
loops=()
for l in $(seq 1 5); do
    (
        for r in $(seq 1 40); do
            code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer s3cret' \
                -H 'Content-Type: application/json' --data-binary "@$work/c/k${l}_$r.json" "$url")
            echo "k$l-$r- $code" >>"$work/answers"
            sleep 0.01
        done
    ) &
    loops+=("$!")
done
sleep 0.5
old=$(as_q $db "SELECT pid FROM asset_stream.sources WHERE name = 'web'")
kill -TERM "$old"
wait "${loops[@]}"
ok200=$(grep -c ' 200$' "$work/answers")
echo "# under SIGTERM: $ok200 of 200 requests answered 200, the others: $(grep -v ' 200$' "$work/answers" | awk '{print $2}' | sort | uniq -c | tr '\n' ' ')"
per_req=$(as_q $db "SELECT string_agg(p || ' ' || n, E'\n' ORDER BY p) FROM (
                      SELECT substring(asset_id from '^(k[0-9]+-[0-9]+-)') AS p, count(*) AS n
                      FROM hr WHERE asset_id LIKE 'k%' GROUP BY 1) s")
stored_200=0
for pfx in $(grep ' 200$' "$work/answers" | awk '{print $1}'); do
    echo "$per_req" | grep -qx "$pfx 100" && stored_200=$((stored_200 + 1))
done
as_is "$stored_200" "$ok200" "SIGTERM under load: every request answered 200 has all its rows"
as_is "$(echo "$per_req" | awk 'NF == 2 && $2 != 100' | wc -l)" "0" "... and no request is stored in part"
as_is "$((ok200 > 0))" "1" "... and some requests were answered 200"
as_wait_for $db "SELECT state = 'running' AND pid <> $old FROM asset_stream.sources WHERE name = 'web'"
as_is "$?" "0" "... and the worker is back"

# 13. nothing crashed
as_is "$(grep -cE 'server process .* was terminated by signal|PANIC|terminating any other active server processes' "$dir/server.log")" "0" \
    "no crash in the server log"

if [ "$AS_TAP_FAILED" -gt 0 ]; then
    echo "# server log, last asset_stream / error lines:"
    grep -E 'asset_stream|ERROR|FATAL|WARNING' "$dir/server.log" | tail -40 | sed 's/^/#   /'
fi
as_tap_done
