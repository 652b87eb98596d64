#!/usr/bin/env bash
# A source worker killed with SIGKILL comes back: PostgreSQL treats the
# death as a crash and restarts every process (unlogged streams are emptied,
# logged ones kept), then the launcher, the maintenance worker and the
# source worker return by themselves and the source serves again.  Prints TAP.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
dir=$(mktemp -d /tmp/asset_stream_kill9.XXXXXX)
trap 'as_cluster_stop "$dir"' EXIT
as_cluster_start "$dir" || exit 1
db=postgres

as_q $db "CREATE EXTENSION asset_stream CASCADE" >/dev/null
as_q $db "SELECT asset_stream.create_stream('k', durability => 'logged')" >/dev/null
port=$(as_free_port)
as_q $db "SELECT asset_stream.add_source('k', 'gate', 'http', '{\"port\": $port}')" >/dev/null
as_wait_for $db "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'gate'"
as_is "$?" "0" "the source is running"

post() {
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "{\"asset_id\": \"$1\", \"event_time\": \"$(date -u +%FT%TZ)\"}" \
        "http://127.0.0.1:$port/"
}
as_is "$(post before)" "200" "a read is accepted before the kill"

pid=$(as_q $db "SELECT pid FROM asset_stream.sources WHERE name = 'gate'")
kill -KILL "$pid"
as_wait_for $db "SELECT state = 'running' AND pid <> $pid FROM asset_stream.sources WHERE name = 'gate'"
as_is "$?" "0" "after kill -9 the source worker is back with a new pid"
as_is "$(post after)" "200" "... and accepts reads again"
as_is "$(as_q $db "SELECT string_agg(asset_id, ',' ORDER BY asset_id) FROM k")" "after,before" \
    "the logged stream kept the committed read and has the new one"
as_is "$(grep -c 'terminated by signal 9' "$dir/server.log")" "1" \
    "the server log shows the one kill"

as_tap_done
