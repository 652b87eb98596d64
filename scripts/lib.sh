#!/usr/bin/env bash
# scripts/lib.sh: shared shell functions for the test, demo and benchmark
# scripts: Debian packages, build and install, and a throwaway PostgreSQL
# cluster run as a non-root OS user.  Source it; do not run it.

AS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AS_PGBIN=/usr/lib/postgresql/15/bin
AS_PACKAGES="make gcc libc6-dev postgresql-15 postgresql-server-dev-15 postgresql-15-postgis-3 postgresql-15-pgtap libmosquitto-dev libmicrohttpd-dev mosquitto mosquitto-clients curl"

as_log() { printf '[asset_stream] %s\n' "$*" >&2; }

# as_ensure_packages PKG...: install what is missing when root, else print the command.
as_ensure_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        as_log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null || {
            as_log "apt-get install failed"; return 1; }
    else
        as_log "missing Debian packages; run:"
        echo "sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        return 1
    fi
}

# as_build_install: build with warnings as errors and install the extension.
as_build_install() {
    (cd "$AS_ROOT" && make -s PG_CONFIG="$AS_PGBIN/pg_config" >/dev/null) || return 1
    if [ -w "$("$AS_PGBIN/pg_config" --pkglibdir)" ]; then
        (cd "$AS_ROOT" && make -s PG_CONFIG="$AS_PGBIN/pg_config" install >/dev/null) || return 1
    else
        as_log "cannot write $("$AS_PGBIN/pg_config" --pkglibdir); run:"
        echo "sudo make -C $AS_ROOT PG_CONFIG=$AS_PGBIN/pg_config install" >&2
        return 1
    fi
}

# The OS user that owns throwaway clusters: postgres when we are root.
as_db_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

# as_run CMD...: run a command as the cluster's OS user.
as_run() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# as_free_port: a TCP port nothing listens on.
as_free_port() {
    local p
    for p in $(shuf -i 20000-40000 -n 50); do
        (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
}

# as_cluster_start DIR [extra postgresql.conf lines...]: initdb and start a
# private cluster in DIR (socket in DIR, own port).  Sets PGHOST, PGPORT,
# PGUSER, PGDATA for the caller.
as_cluster_start() {
    local dir=$1; shift
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    export PGHOST=$dir PGPORT=$(as_free_port) PGUSER=postgres PGDATA=$dir/data
    as_run "$AS_PGBIN/initdb" -D "$PGDATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; return 1; }
    {
        echo "port = $PGPORT"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir'"
        echo "shared_preload_libraries = 'asset_stream'"
        echo "max_worker_processes = 24"
        echo "fsync = off"
        echo "asset_stream.launcher_naptime = 1"
        echo "asset_stream.maintenance_interval = 3600"
        local line
        for line in "$@"; do echo "$line"; done
    } | as_run tee -a "$PGDATA/postgresql.conf" >/dev/null
    # 9>&-: the server must not inherit the install lock of test.sh
    as_run "$AS_PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/server.log" -w -t 60 start >/dev/null 9>&- || {
        cat "$dir/server.log" >&2; return 1; }
}

# as_cluster_stop DIR: stop the cluster (fast, then immediate) and remove DIR.
as_cluster_stop() {
    local dir=$1
    [ -n "$dir" ] && [ -d "$dir/data" ] || { rm -rf "$dir"; return 0; }
    as_run "$AS_PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_run "$AS_PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
}

# as_psql ARGS...: psql as the cluster's superuser, quiet, stop on error.
as_psql() { as_run "$AS_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# as_shared_data: the shared/data folder beside the checkout, if present.
as_shared_data() {
    local d
    for d in "$AS_ROOT/../shared/data" "$AS_ROOT/shared/data"; do
        [ -d "$d" ] && { (cd "$d" && pwd); return 0; }
    done
    return 1
}

# Minimal TAP output for the shell tests in test/cluster/.
AS_TAP_N=0
AS_TAP_FAILED=0
# as_is GOT WANT DESC: ok when GOT equals WANT.
as_is() {
    AS_TAP_N=$((AS_TAP_N + 1))
    if [ "$1" = "$2" ]; then
        echo "ok $AS_TAP_N - $3"
    else
        echo "not ok $AS_TAP_N - $3"
        echo "#   got:  '$1'"
        echo "#   want: '$2'"
        AS_TAP_FAILED=$((AS_TAP_FAILED + 1))
    fi
}
# as_tap_done: the plan line and the exit status.
as_tap_done() { echo "1..$AS_TAP_N"; [ "$AS_TAP_FAILED" -eq 0 ]; }
# as_q DB SQL: one value, unaligned.
as_q() { as_run "$AS_PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2" 2>&1; }
# as_wait_for DB SQL: poll (30 s at most) until the query returns t.
as_wait_for() {
    local i
    for i in $(seq 1 300); do
        [ "$(as_q "$1" "$2" 2>/dev/null)" = t ] && return 0
        sleep 0.1
    done
    return 1
}

# as_fuzz_setup: the start of a fuzz script (test/fuzz/*.sh): a temp dir
# ($work), the install lock held on fd 9 until the script exits, build and
# install, a throwaway cluster ($cluster) with a database "fuzz" holding the
# extension; the cluster is stopped and the dir removed on exit.
as_fuzz_setup() {
    work=$(mktemp -d /tmp/asset_stream_fuzz.XXXXXX)
    chmod 755 "$work"
    trap as_fuzz_cleanup EXIT
    trap 'exit 130' INT TERM
    exec 9>/tmp/asset_stream_install.lock
    flock 9
    as_build_install || return 1
    cluster=$work/cluster
    as_cluster_start "$cluster" || return 1
    as_psql -d postgres -c "CREATE DATABASE fuzz" || return 1
    as_psql -d fuzz -c "SET client_min_messages = warning; CREATE EXTENSION asset_stream CASCADE" || return 1
}

as_fuzz_cleanup() {
    [ -n "${cluster:-}" ] && as_cluster_stop "$cluster"
    rm -rf "$work"
}
