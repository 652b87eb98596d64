#!/usr/bin/env bash
# Without shared_preload_libraries: streams still work, maintenance runs by
# hand, and what needs the workers says how to get them.  Prints TAP.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
dir=$(mktemp -d /tmp/asset_stream_nopreload.XXXXXX)
trap 'as_cluster_stop "$dir"' EXIT
as_cluster_start "$dir" "shared_preload_libraries = ''" || exit 1
db=postgres

as_is "$(as_q $db "CREATE EXTENSION asset_stream CASCADE" >/dev/null; echo $?)" "0" "CREATE EXTENSION works without preloading"
out=$(as_q $db "SELECT asset_stream.create_stream('r')")
as_is "$(echo "$out" | grep -c 'WARNING:.*no maintenance worker')" "1" "create_stream warns that no worker will maintain it"
as_is "$(echo "$out" | grep -c 'HINT:.*shared_preload_libraries')" "1" "... with a hint naming shared_preload_libraries"
err=$(as_run "$AS_PGBIN/psql" -X -q -d $db -v VERBOSITY=verbose -c "SELECT * FROM asset_stream.worker_status()" 2>&1)
as_is "$(echo "$err" | grep -c 'ERROR:  55000: asset_stream.worker_status() needs the asset_stream background workers')" "1" "worker_status() fails with SQLSTATE 55000"
as_is "$(echo "$err" | grep -c 'HINT:  Add asset_stream to shared_preload_libraries')" "1" "... and a hint"
as_q $db "INSERT INTO r (asset_id, event_time) VALUES ('a', now() - interval '1 day')" >/dev/null
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.run_maintenance() WHERE action = 'created'")" "1" "run_maintenance() works by hand"
as_is "$(as_q $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'asset_stream%'")" "0" "no asset_stream workers run"

as_tap_done
