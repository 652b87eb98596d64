#!/usr/bin/env bash
# What survives what: a clean restart keeps every stream's rows; a crash
# (kill -9 of one backend, or an immediate stop) empties the unlogged
# partitions and keeps the logged ones; streams, partitions, the catalog and
# the workers come back.  Prints TAP.
set -u
. "$(dirname "$0")/../../scripts/lib.sh"
dir=$(mktemp -d /tmp/asset_stream_crash.XXXXXX)
trap 'as_cluster_stop "$dir"' EXIT
as_cluster_start "$dir" || exit 1
db=postgres

as_q $db "CREATE EXTENSION asset_stream CASCADE" >/dev/null
as_q $db "SELECT asset_stream.create_stream('hot'); SELECT asset_stream.create_stream('kept', durability => 'logged')" >/dev/null
load() {
    as_q $db "INSERT INTO $1 (asset_id, event_time, rssi)
              SELECT 'tag-' || (i % 50), now() - (i % 600) * interval '1 second', -50
              FROM generate_series(1, 1000) i;
              INSERT INTO $1 (asset_id, event_time) VALUES ('old', now() - interval '2 days')" >/dev/null
}
count() { as_q $db "SELECT count(*) FROM $1"; }
load hot; load kept
as_is "$(count hot)/$(count kept)" "1001/1001" "both streams loaded"

# 1. clean restart: unlogged buffers are written by the shutdown checkpoint
as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -m fast -w restart >/dev/null
as_is "$(count hot)/$(count kept)" "1001/1001" "clean restart keeps unlogged and logged rows"

# 2. kill -9 of one backend: the postmaster reinitialises (crash recovery)
as_run "$AS_PGBIN/psql" -X -q -d $db -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
as_wait_for $db "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)')"
victim=$(as_q $db "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'")
kill -9 "$victim"
wait 2>/dev/null
sleep 1
as_wait_for $db "SELECT true"
as_is "$(count hot)" "0" "after kill -9 of a backend the unlogged stream is empty"
as_is "$(count kept)" "1001" "after kill -9 of a backend the logged stream keeps its rows"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.streams")" "2" "both streams are still registered"
as_is "$(as_q $db "SELECT count(*) > 5 FROM asset_stream._partitions('hot')")" "t" "the unlogged stream keeps its partitions"
grep -q "all server processes terminated; reinitializing" "$dir/server.log"
as_is "$?" "0" "the server log shows the crash restart"
as_wait_for $db "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'asset_stream maintenance')"
as_is "$?" "0" "the maintenance worker is back after the crash"
load hot
as_is "$(count hot)" "1001" "the unlogged stream takes reads again"

# 3. immediate stop (like a power cut of the server): same outcome
as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null
as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -w start >/dev/null
as_is "$(count hot)/$(count kept)" "0/1001" "after an immediate stop: unlogged emptied, logged kept"
as_is "$(as_q $db "SELECT count(*) FROM asset_stream.run_maintenance()")" "0" "maintenance finds everything in place"

as_tap_done
