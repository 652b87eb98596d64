#!/usr/bin/env bash
# scripts/test.sh: build, install and run every asset_stream test against a
# throwaway PostgreSQL 15 cluster: the pg_regress suite (sql/ + expected/),
# the pgTAP suite (test/pgtap/, via pg_prove) and the tests that need a
# cluster of their own (test/cluster/*.sh: crashes, no preload).
# Ends with "N passed, N failed".
#
# Usage: scripts/test.sh            (as root it installs missing Debian packages)
#        scripts/test.sh regress    (only one part: regress, pgtap or cluster)
set -u
. "$(dirname "$0")/lib.sh"

only=${1:-all}
passed=0 failed=0
work=$(mktemp -d /tmp/asset_stream_test.XXXXXX)
chmod 755 "$work"
cleanup() {
    [ -n "${cluster:-}" ] && as_cluster_stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_ensure_packages $AS_PACKAGES || exit 1
# One run at a time per machine: every checkout installs into the same
# PostgreSQL directories.
exec 9>/tmp/asset_stream_install.lock
flock 9
as_build_install || { echo "0 passed, 1 failed"; exit 1; }

# A copy of the test inputs the cluster's OS user can read.
mkdir -p "$work/src" "$work/out"
cp -r "$AS_ROOT/sql" "$AS_ROOT/expected" "$AS_ROOT/test" "$work/src/"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work/src" "$work/out"

count_tap() {   # count_tap FILE RC: add its ok / not ok lines to the totals
    local ok nok
    ok=$(grep -cE '^ *ok [0-9]+' "$1")
    nok=$(grep -cE '^ *not ok [0-9]+' "$1")
    [ "$2" -ne 0 ] && [ "$nok" -eq 0 ] && nok=1
    passed=$((passed + ok)); failed=$((failed + nok))
}

if [ "$only" = all ] || [ "$only" = regress ] || [ "$only" = pgtap ]; then
    cluster=$work/cluster
    as_cluster_start "$cluster" || { echo "0 passed, 1 failed"; exit 1; }
fi

if [ "$only" = all ] || [ "$only" = regress ]; then
    tests=$(cd "$AS_ROOT" && make -s print-regress PG_CONFIG="$AS_PGBIN/pg_config")
    as_log "pg_regress: $tests"
    as_run "$AS_PGBIN/../lib/pgxs/src/test/regress/pg_regress" \
        --inputdir="$work/src" --outputdir="$work/out" --bindir="$AS_PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=as_regress \
        $tests >"$work/out/regress.log" 2>&1
    rc=$?
    cat "$work/out/regress.log"
    ok=$(grep -cE '^test .* \.\.\. ok' "$work/out/regress.log")
    nok=$(grep -cE '^test .* \.\.\. (FAILED|failed)' "$work/out/regress.log")
    [ $rc -ne 0 ] && [ "$nok" -eq 0 ] && nok=1
    passed=$((passed + ok)); failed=$((failed + nok))
    [ -f "$work/out/regression.diffs" ] && head -200 "$work/out/regression.diffs"
    # keep the results for inspection (gitignored)
    rm -rf "$AS_ROOT/results" && cp -r "$work/out/results" "$AS_ROOT/results" 2>/dev/null
    cp "$work/out/regression.diffs" "$AS_ROOT/regression.diffs" 2>/dev/null
    cp "$cluster/server.log" "$AS_ROOT/results/server.log" 2>/dev/null
fi

if [ "$only" = all ] || [ "$only" = pgtap ]; then
    as_psql -d postgres -c "CREATE DATABASE as_pgtap"
    as_psql -d as_pgtap -c "CREATE EXTENSION pgtap; CREATE EXTENSION asset_stream CASCADE;"
    as_log "pgTAP: $(ls "$work/src/test/pgtap")"
    (cd "$work/src" && as_run pg_prove --verbose --ext .sql -h "$PGHOST" -p "$PGPORT" -U postgres \
        -d as_pgtap test/pgtap/) >"$work/out/pgtap.log" 2>&1
    rc=$?
    cat "$work/out/pgtap.log"
    count_tap "$work/out/pgtap.log" $rc
fi

if [ -n "${cluster:-}" ]; then as_cluster_stop "$cluster"; cluster=; fi

if [ "$only" = all ] || [ "$only" = cluster ]; then
    for t in "$AS_ROOT"/test/cluster/*.sh; do
        [ -f "$t" ] || continue
        as_log "cluster test: $(basename "$t")"
        bash "$t" >"$work/out/cluster.log" 2>&1 9>&-
        rc=$?
        cat "$work/out/cluster.log"
        count_tap "$work/out/cluster.log" $rc
    done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
