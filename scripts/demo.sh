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
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir/demo.sql" "$dir/demo_data"

as_log "PostgreSQL $("$AS_PGBIN/postgres" --version | awk '{print $3}') on socket $PGHOST port $PGPORT"
as_run "$AS_PGBIN/psql" -X -e -d postgres -v datadir="$dir/demo_data" -f "$dir/demo.sql"
