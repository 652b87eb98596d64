#!/usr/bin/env bash
# scripts/demo.sh: the main job, for now — a throwaway PostgreSQL 15 with
# asset_stream, streams of real reads from ../shared/data loaded and queried
# (demo/demo.sql).  As root it installs missing Debian packages.
set -u
. "$(dirname "$0")/lib.sh"

data=$(as_shared_data) || { as_log "shared/data not found beside the checkout"; exit 1; }
as_ensure_packages $AS_PACKAGES || exit 1
exec 9>/tmp/asset_stream_install.lock
flock 9
as_build_install || exit 1

dir=$(mktemp -d /tmp/asset_stream_demo.XXXXXX)
trap 'as_cluster_stop "$dir"' EXIT
trap 'exit 130' INT TERM
as_cluster_start "$dir" || exit 1
# the demo files must be readable by the cluster's OS user
cp "$AS_ROOT/demo/demo.sql" "$dir/demo.sql"
mkdir -p "$dir/demo_data"
cp -r "$data/liverpool_bus" "$data/rfid_clinical" "$dir/demo_data/"
cp "$AS_ROOT/demo/demo_ingest.sql" "$dir/demo_ingest.sql"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir/demo.sql" "$dir/demo_ingest.sql" "$dir/demo_data"

as_log "PostgreSQL $("$AS_PGBIN/postgres" --version | awk '{print $3}') on socket $PGHOST port $PGPORT"
as_run "$AS_PGBIN/psql" -X -e -d postgres -v datadir="$dir/demo_data" -f "$dir/demo.sql"

# Part 2: an HTTP source fed by curl.
port=$(as_free_port)
as_run "$AS_PGBIN/psql" -X -e -d postgres -v port="$port" -f "$dir/demo_ingest.sql" || exit 1
as_wait_for postgres "SELECT state = 'running' FROM asset_stream.sources WHERE name = 'ble_gateway'" ||
    { as_log "the HTTP source did not start"; exit 1; }
echo "== 11. curl POSTs the 13,584 reads (one CSV body), then a malformed one"
echo "\$ curl -H 'Authorization: Bearer demo-token' -H 'Content-Type: text/csv' --data-binary @raw_rssi.csv http://127.0.0.1:$port/"
curl -s -H 'Authorization: Bearer demo-token' -H 'Content-Type: text/csv' \
    --data-binary @"$data/ble_exit/raw_rssi.csv" "http://127.0.0.1:$port/"; echo
echo "\$ curl ... -H 'Content-Type: application/json' --data '[{\"asset_id\": \"x\", oops'"
curl -s -w ' (HTTP %{http_code})' -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json' \
    --data '[{"asset_id": "x", oops' "http://127.0.0.1:$port/"; echo
sleep 0.2
as_run "$AS_PGBIN/psql" -X -e -d postgres -v part2=1 -f "$dir/demo_ingest.sql"
