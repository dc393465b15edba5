#!/usr/bin/env bash
# Run the test suite on SQLite, then on PostgreSQL, and print how each database did.
#
# PostgreSQL: a postgres DATABASE_URL in the environment is used as it is (its user needs the
# right to create the test database). Otherwise a throwaway PostgreSQL cluster is started in a
# temporary directory on a free port of 127.0.0.1 and removed afterwards. Without PostgreSQL
# binaries that half is skipped with a warning, or fails under CI=true.
#
# Arguments are passed to pytest: scripts/test.sh -k referral
#
# Environment: PY (python of the virtualenv, default .venv/bin/python), PG_BIN (directory of
# initdb and pg_ctl, default /usr/lib/postgresql/15/bin, else the newest installed version).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CI=${CI:-false}
export DJANGO_SETTINGS_MODULE=nas.config.settings.test

# Tests never touch the developer's var/ (demo database, demo secret key).
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/nas-test.XXXXXX")
pg_dir=""
pg_ctl_as=()

cleanup() {
    if [[ -n $pg_dir && -f $pg_dir/data/postmaster.pid ]]; then
        "${pg_ctl_as[@]}" "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [[ -n $pg_dir ]] && rm -rf "$pg_dir"
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

heading() { printf '\n==== %s ====\n' "$*"; }
warn() { printf '\n!!!!!!!!!!\n!!! WARNING: %s\n!!!!!!!!!!\n\n' "$*" >&2; }

# Run pytest with DATABASE_URL=$1 and the remaining arguments; set $result for the summary.
# Exit code 5 (no tests collected) is a failure only under CI.
run_suite() {
    local database_url=$1
    shift
    local rc=0
    DATABASE_URL=$database_url NAS_VAR_DIR=$work_dir/var "$PY" -m pytest "$@" || rc=$?
    case $rc in
        0) result="passed" ;;
        5) if [[ $CI == true ]]; then result="FAILED (no tests collected)"; else result="no tests collected"; fi ;;
        *) result="FAILED (pytest exit code $rc)" ;;
    esac
}

find_pg_bin() {
    if [[ -n ${PG_BIN:-} ]]; then
        return
    fi
    PG_BIN=/usr/lib/postgresql/15/bin
    if [[ ! -x $PG_BIN/initdb ]]; then
        local newest
        newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
        [[ -n $newest ]] && PG_BIN=$newest
    fi
}

# Start a throwaway cluster; set pg_dir, pg_ctl_as and database_url.
start_cluster() {
    pg_dir=$(mktemp -d /tmp/nas-pg.XXXXXX)
    if [[ $(id -u) == 0 ]]; then
        # initdb refuses to run as root: the cluster belongs to the postgres system user.
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
        fi
        chown postgres:postgres "$pg_dir"
        pg_ctl_as=(runuser -u postgres --)
    fi
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${pg_ctl_as[@]}" "$PG_BIN/initdb" -D "$pg_dir/data" -U nas --auth=trust --encoding=UTF8 \
        --no-locale --no-sync --no-instructions >"$pg_dir/initdb.log" 2>&1 \
        || { cat "$pg_dir/initdb.log" >&2; return 1; }
    # Durability is worthless for a cluster that lives for one test run.
    cat >>"$pg_dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
    "${pg_ctl_as[@]}" "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        >/dev/null || { cat "$pg_dir/server.log" >&2; return 1; }
    "${pg_ctl_as[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U nas nas || return 1
    database_url="postgres://nas@127.0.0.1:$port/nas"
}

result=""
heading "Tests on SQLite"
run_suite "" "$@"
sqlite_result=$result

heading "Tests on PostgreSQL"
postgres_result=""
database_url=${DATABASE_URL:-}
if [[ $database_url =~ ^(postgres|postgresql|pgsql)(\+[a-z0-9]+)?:// ]]; then
    echo "Using DATABASE_URL from the environment."
else
    find_pg_bin
    if [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]]; then
        echo "Starting a throwaway PostgreSQL cluster ($PG_BIN)."
        start_cluster || postgres_result="FAILED (could not start PostgreSQL)"
    elif [[ $CI == true ]]; then
        postgres_result="FAILED (no PostgreSQL binaries in $PG_BIN; required under CI)"
    else
        warn "PostgreSQL binaries not found in $PG_BIN: the PostgreSQL half of the suite is SKIPPED.
!!! Install PostgreSQL 15 (apt-get install postgresql-15) or set DATABASE_URL to a postgres URL."
        postgres_result="SKIPPED (no PostgreSQL binaries)"
    fi
fi
if [[ -z $postgres_result ]]; then
    run_suite "$database_url" "$@"
    postgres_result=$result
fi

heading "Summary"
echo "sqlite: $sqlite_result / postgresql: $postgres_result"
[[ $sqlite_result != FAILED* && $postgres_result != FAILED* ]]
