#!/usr/bin/env bash
# MQTT sources end to end, against a real mosquitto broker on a loopback
# port: option checks, rows and rejects, topic fields, the sources view,
# broker restart, server restart with a persistent session, SIGTERM flush,
# disable/enable/drop latency, many concurrent QoS 1 publishers.  Prints TAP.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
dir=$(mktemp -d /tmp/asset_stream_mqtt.XXXXXX)
bdir=$(mktemp -d /tmp/asset_stream_mqtt_broker.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$bdir"
bport=$(as_free_port)
db=postgres

broker_pid() { cat "$bdir/mosquitto.pid" 2>/dev/null; }
broker_start() {
    # not as root: mosquitto would switch to the user "mosquitto"; in the
    # foreground (a daemon's fork can lose a race with runuser's exit)
    local try i
    for try in 1 2 3; do
        rm -f "$bdir/mosquitto.pid"
        as_run /usr/sbin/mosquitto -c "$bdir/mosquitto.conf" >>"$bdir/mosquitto.out" 2>&1 9>&- &
        for i in $(seq 1 50); do
            (exec 3<>/dev/tcp/127.0.0.1/$bport) 2>/dev/null && [ -s "$bdir/mosquitto.pid" ] && return 0
            sleep 0.1
        done
        echo "# mosquitto did not start (try $try):"
        sed 's/^/#   /' "$bdir/mosquitto.log" "$bdir/mosquitto.out" 2>/dev/null | tail -5
        broker_stop
    done
    return 1
}
broker_stop() {
    local pid i
    pid=$(broker_pid)
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$bdir/mosquitto.pid"; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    rm -f "$bdir/mosquitto.pid"
}
cleanup() {
    broker_stop
    as_cluster_stop "$dir"
    rm -rf "$bdir"
}
trap cleanup EXIT

# The broker keeps QoS 1 messages for persistent sessions (also across its
# own restarts), with room for the whole burst of the last test.
cat >"$bdir/mosquitto.conf" <<EOF
listener $bport 127.0.0.1
allow_anonymous true
persistence true
persistence_location $bdir/
pid_file $bdir/mosquitto.pid
log_dest file $bdir/mosquitto.log
max_queued_messages 100000
EOF
[ "$(id -u)" -eq 0 ] && chown postgres: "$bdir/mosquitto.conf"
broker_start || { echo "Bail out! could not start mosquitto"; exit 1; }
as_cluster_start "$dir" || { echo "Bail out! could not start the cluster"; exit 1; }

now_iso() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
ms() { date +%s%3N; }
pub() {   # pub TOPIC MESSAGE: one QoS 1 message
    mosquitto_pub -h 127.0.0.1 -p "$bport" -q 1 -i "as-test-$$-$RANDOM" -t "$1" -m "$2"
}
row() {   # row ASSET: one good JSON read
    printf '{"asset_id": "%s", "event_time": "%s", "rssi": -60}' "$1" "$(now_iso)"
}
count() { as_q $db "SELECT count(*) FROM reads${1:+ WHERE $1}"; }
state() { as_q $db "SELECT state FROM asset_stream.sources WHERE name = '$1'"; }
pid_of() { as_q $db "SELECT coalesce(pid, 0) FROM asset_stream.sources WHERE name = '$1'"; }
wait_long() {   # wait_long SECONDS SQL: poll until the query returns t
    local i
    for i in $(seq 1 $(($1 * 10))); do
        [ "$(as_q $db "$2" 2>/dev/null)" = t ] && return 0
        sleep 0.1
    done
    return 1
}
sqlstate() {    # sqlstate SQL: the SQLSTATE of its error, or "ok"
    local out
    out=$(as_run "$AS_PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d $db -c "$1" 2>&1) &&
        { echo ok; return; }
    echo "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -1
}

as_q $db "CREATE EXTENSION asset_stream CASCADE" >/dev/null
as_q $db "SELECT asset_stream.create_stream('reads')" >/dev/null

# 1. options are checked when the source is added
add() { echo "SELECT asset_stream.add_source('reads', 'bad', 'mqtt', '$1')"; }
as_is "$(sqlstate "$(add '{"host": "127.0.0.1"}')")" "22023" "a source without topics is refused (22023)"
as_is "$(sqlstate "$(add '{"topics": ["site/#/reads"]}')")" "22023" "an invalid topic filter is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "qos": 2}')")" "22023" "qos 2 is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "port": 70000}')")" "22023" "a port out of range is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "tls": {"cafile": "/x"}}')")" "22023" "an unknown tls key is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "topic_fields": {"asset": 1}}')")" "22023" "an unknown topic field is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "reconnect_min_ms": 5000, "reconnect_max_ms": 1000}')")" "22023" "reconnect_max_ms below reconnect_min_ms is refused"
as_is "$(sqlstate "$(add '{"topics": "a/b", "keepalive": 2}')")" "22023" "keepalive 1..4 is refused"
msg=$(as_q $db "$(add '{"topics": ["ok/+", "bad/#/x"]}')")
as_is "$(echo "$msg" | grep -c 'invalid MQTT topic filter "bad/#/x"')" "1" "the error names the bad filter"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.sources")" "0" "no source was added"

# 2. a source, running
as_q $db "SELECT asset_stream.add_source('reads', 'm1', 'mqtt',
          '{\"host\": \"127.0.0.1\", \"port\": $bport, \"topics\": [\"site/+/reads\"], \"qos\": 1,
            \"topic_fields\": {\"source_id\": 2}, \"max_payload\": 2000,
            \"reconnect_min_ms\": 100, \"reconnect_max_ms\": 1000}')" >/dev/null
as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'm1'"
as_is "$(state m1)" "running" "the source connects and runs"
as_is "$(as_q $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'asset_stream source'")" "1" "one source worker runs"

pub site/gate-1/reads "$(row tag-1)"
as_wait_for $db "SELECT count(*) = 1 FROM reads"
as_is "$(count)" "1" "a published row arrives"
as_is "$(as_q $db "SELECT asset_id || ' ' || source_id FROM reads")" "tag-1 gate-1" "the topic's second level fills source_id"

pub site/gate-2/reads "[$(row tag-2), $(row tag-3), $(row tag-4)]"
as_wait_for $db "SELECT count(*) = 4 FROM reads"
as_is "$(count "source_id = 'gate-2'")" "3" "a JSON array payload gives one row per element"

# 3. bad payloads go to rejected, good rows keep flowing
pub site/gate-3/reads 'this is not json'
pub site/gate-3/reads '{"asset_id": "no-time"}'
pub site/gate-3/reads "{\"asset_id\": \"big\", \"event_time\": \"$(now_iso)\", \"attrs\": {\"pad\": \"$(head -c 3000 /dev/zero | tr '\0' x)\"}}"
pub site/gate-3/reads "$(row tag-5)"
as_wait_for $db "SELECT count(*) = 5 FROM reads"
as_is "$(count)" "5" "good rows keep flowing after bad payloads"
as_wait_for $db "SELECT count(*) = 3 FROM asset_stream.rejected WHERE source = 'm1'"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.rejected WHERE source = 'm1'")" "3" "the bad payloads are in asset_stream.rejected"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.rejected WHERE source = 'm1' AND error LIKE '%max_payload%'")" "1" "an oversize payload is rejected naming max_payload"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.rejected WHERE payload = 'this is not json'")" "1" "the rejected payload is kept"
as_wait_for $db "SELECT rows_accepted = 5 AND rows_rejected = 3 FROM asset_stream.sources WHERE name = 'm1'"
as_is "$(as_q $db "SELECT rows_accepted || '/' || rows_rejected || ' ' || (batches > 0) || ' ' || (bytes > 3000) || ' ' || (last_event_time IS NOT NULL) FROM asset_stream.sources WHERE name = 'm1'")" \
    "5/3 true true true" "sources shows the counters"

# 4. the broker goes away and comes back
broker_stop
as_wait_for $db "SELECT state = 'retrying' FROM asset_stream.sources WHERE name = 'm1'"
as_is "$(state m1)" "retrying" "with the broker down the source is retrying"
as_is "$(as_q $db "SELECT last_error ~ 'connection|connect' FROM asset_stream.sources WHERE name = 'm1'")" "t" "last_error says why"
broker_start || echo "# could not restart mosquitto"
as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'm1'"
as_is "$(state m1)" "running" "the source reconnects when the broker is back"
pub site/gate-4/reads "$(row tag-6)"
as_wait_for $db "SELECT count(*) = 6 FROM reads"
as_is "$(count)" "6" "rows flow again after the broker restart"

# a broker that is not there: retrying, saying why, without disturbing m1
deadport=$(as_free_port)
as_q $db "SELECT asset_stream.add_source('reads', 'm3', 'mqtt',
          '{\"port\": $deadport, \"topics\": \"x/#\", \"reconnect_min_ms\": 50, \"reconnect_max_ms\": 200}')" >/dev/null
as_wait_for $db "SELECT state = 'retrying' FROM asset_stream.sources WHERE name = 'm3'"
as_is "$(as_q $db "SELECT state || ': ' || last_error FROM asset_stream.sources WHERE name = 'm3'")" \
    "retrying: could not connect to 127.0.0.1:$deadport: Connection refused; retrying" "a refused connect is shown in last_error"
sleep 1
as_is "$(grep -c "source \"m3\": could not connect" "$dir/server.log")" "1" "the log has the first failure of an outage only"
as_q $db "SELECT asset_stream.drop_source('m3')" >/dev/null

# 5. server restart: QoS 1 messages published meanwhile arrive afterwards
#    (persistent session: the broker queues them for the source's client id)
( for i in $(seq 1 100); do pub site/flow/reads "$(row "flow-$i")"; sleep 0.02; done ) &
flow=$!
sleep 0.5
as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
for i in $(seq 1 50); do pub site/down/reads "$(row "down-$i")"; done
as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -w start >/dev/null 9>&-
wait $flow
wait_long 30 "SELECT count(*) = 50 FROM reads WHERE source_id = 'down'"
as_is "$(count "source_id = 'down'")" "50" "messages published while the server was down arrive after its restart"
wait_long 30 "SELECT count(*) = 100 FROM reads WHERE source_id = 'flow'"
as_is "$(count "source_id = 'flow'")" "100" "messages published across the restart all arrive, once"
as_is "$(state m1)" "running" "the source runs again after the server restart"

# 6. SIGTERM: the worker writes its open batch, and comes back
as_q $db "SELECT asset_stream.add_source('reads', 'm2', 'mqtt',
          '{\"port\": $bport, \"topics\": \"slow/+/reads\", \"topic_fields\": {\"source_id\": 2},
            \"batch_ms\": 60000, \"batch_rows\": 100000}')" >/dev/null
as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'm2'"
for i in 1 2 3 4 5; do pub slow/s2/reads "$(row "slow-$i")"; done
sleep 1
as_is "$(count "source_id = 's2'")" "0" "with batch_ms 60000 the rows wait in the open batch"
old=$(pid_of m2)
kill -TERM "$old"
as_wait_for $db "SELECT count(*) = 5 FROM reads WHERE source_id = 's2'"
as_is "$(count "source_id = 's2'")" "5" "SIGTERM writes the open batch before the worker exits"
as_wait_for $db "SELECT state = 'running' AND pid <> $old FROM asset_stream.sources WHERE name = 'm2'"
as_is "$(as_q $db "SELECT state = 'running' AND pid <> $old FROM asset_stream.sources WHERE name = 'm2'")" "t" "the worker comes back with a new pid"
grep -q "asset_stream source \"m2\" stopped" "$dir/server.log"
as_is "$?" "0" "the server log shows the clean stop"

# a cancel request means nothing to a source worker
old=$(pid_of m1)
as_q $db "SELECT pg_cancel_backend($old)" >/dev/null
pub site/cancel/reads "$(row cancel-1)"
as_wait_for $db "SELECT count(*) = 1 FROM reads WHERE source_id = 'cancel'"
as_is "$(count "source_id = 'cancel'")/$(pid_of m1)" "1/$old" "pg_cancel_backend() leaves the worker running"

# 7. disable, enable, drop: the worker follows within about a second
wait_gone() {   # wait_gone PID: until no process has it in pg_stat_activity
    as_wait_for $db "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)"
}
old=$(pid_of m1)
t0=$(ms)
as_q $db "SELECT asset_stream.enable_source('m1', false)" >/dev/null
wait_gone "$old"
t1=$(ms)
as_is "$(( t1 - t0 < 2000 ))" "1" "disable: the worker stopped in $(( t1 - t0 )) ms"
as_is "$(state m1)" "stopped" "a disabled source is stopped"
for i in 1 2 3; do pub site/off/reads "$(row "off-$i")"; done
t0=$(ms)
as_q $db "SELECT asset_stream.enable_source('m1', true)" >/dev/null
as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'm1'"
t1=$(ms)
as_is "$(( t1 - t0 < 2000 ))" "1" "enable: the worker runs again in $(( t1 - t0 )) ms"
as_wait_for $db "SELECT count(*) = 3 FROM reads WHERE source_id = 'off'"
as_is "$(count "source_id = 'off'")" "3" "messages published while the source was disabled arrive after enable"
old=$(pid_of m2)
t0=$(ms)
as_q $db "SELECT asset_stream.drop_source('m2')" >/dev/null
wait_gone "$old"
t1=$(ms)
as_is "$(( t1 - t0 < 2000 ))" "1" "drop: the worker stopped in $(( t1 - t0 )) ms"
as_is "$(as_q $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'asset_stream source'")" "1" "only m1's worker is left"

# 8. many concurrent publishers, QoS 1: every row arrives
before=$(count)
t0=$(ms)
now=$(now_iso)
pids=()
for p in $(seq 1 20); do
    awk -v p="$p" -v t="$now" 'BEGIN { for (j = 1; j <= 500; j++)
        printf "{\"asset_id\": \"pub%d-%d\", \"event_time\": \"%s\"}\n", p, j, t }' |
        mosquitto_pub -h 127.0.0.1 -p "$bport" -q 1 -i "as-burst-$$-$p" -t "site/burst/reads" -l &
    pids+=($!)
done
pubfail=0
for p in "${pids[@]}"; do wait "$p" || pubfail=$((pubfail + 1)); done
as_is "$pubfail" "0" "20 publishers sent 500 messages each"
wait_long 60 "SELECT count(*) = 10000 FROM reads WHERE source_id = 'burst'"
t1=$(ms)
as_is "$(count "source_id = 'burst'")" "10000" "all 10000 QoS 1 messages arrive ($(( t1 - t0 )) ms)"
as_is "$(as_q $db "SELECT count(DISTINCT asset_id) FROM reads WHERE source_id = 'burst'")" "10000" "... each once"
as_is "$(state m1)" "running" "the source still runs"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.rejected WHERE source = 'm1'")" "3" "and rejected nothing more"

# the worker's memory does not grow with the messages (per-loop context)
mpid=$(pid_of m1)
rss1=$(awk '/VmRSS/ { print $2 }' "/proc/$mpid/status" 2>/dev/null)
now=$(now_iso)
for p in $(seq 1 4); do
    awk -v p="$p" -v t="$now" 'BEGIN { for (j = 1; j <= 2500; j++)
        printf "{\"asset_id\": \"mem%d-%d\", \"event_time\": \"%s\"}\n", p, j, t }' |
        mosquitto_pub -h 127.0.0.1 -p "$bport" -q 1 -i "as-mem-$$-$p" -t "site/mem/reads" -l
done
wait_long 60 "SELECT count(*) = 10000 FROM reads WHERE source_id = 'mem'"
rss2=$(awk '/VmRSS/ { print $2 }' "/proc/$mpid/status" 2>/dev/null)
echo "# worker RSS: ${rss1:-?} kB after the burst, ${rss2:-?} kB after 10000 more messages"
as_is "$(( ${rss2:-0} - ${rss1:-0} < 8192 ))" "1" "the worker's memory stays flat over 10000 more messages"

# 9. drop the last source at the end: the worker disconnects cleanly
old=$(pid_of m1)
as_q $db "SELECT asset_stream.drop_source('m1')" >/dev/null
wait_gone "$old"
as_is "$(as_q $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'asset_stream source'")" "0" "no source worker is left"
as_is "$(grep -c 'PANIC\|TRAP:\|terminated by signal' "$dir/server.log")" "0" "no crash in the server log"

as_tap_done
