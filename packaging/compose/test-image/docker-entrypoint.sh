#!/bin/bash
# Entrypoint of the test-only MariaDB image (see the Dockerfile beside it), written for
# scripts/test-compose.sh; not taken from the official image, and offering only what compose.yaml
# relies on. On the first start (no system tables in /var/lib/mysql) it creates the system tables,
# gives root the MARIADB_ROOT_PASSWORD, creates MARIADB_DATABASE and MARIADB_USER (all privileges on
# that database), and runs /docker-entrypoint-initdb.d once, all on a server that listens on its
# socket only, so no client and no health check sees a half-made server. Then mariadbd runs as PID 1.
set -euo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
INITDB=/docker-entrypoint-initdb.d
HEALTHCHECK_CNF=$DATADIR/.healthcheck.cnf   # read by healthcheck.sh

log() { printf 'entrypoint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The client as root, by socket authentication (the entrypoint runs as root).
sql_as_root() {
    mariadb --no-defaults --protocol=socket --socket="$SOCKET" --user=root "$@"
}
# Same name and use as the official image's helper, for the *.sh init scripts (seed-source.sh):
# the client as root into MARIADB_DATABASE; client options as arguments, SQL on stdin.
# shellcheck disable=SC2120  # the sourced scripts pass arguments, this file does not
docker_process_sql() {
    sql_as_root ${MARIADB_DATABASE:+"--database=$MARIADB_DATABASE"} "$@"
}
export SOCKET
export -f sql_as_root docker_process_sql   # for init scripts that are executed rather than sourced

# Values from the environment as SQL literals: a string, and a `name`.
sql_string() { local s=${1//\\/\\\\}; s=${s//\'/\\\'}; printf "'%s'" "$s"; }
# shellcheck disable=SC2016  # backquotes, not an expansion
sql_name() { printf '`%s`' "${1//\`/\`\`}"; }

# Waits for the temporary server ($1: its pid) to answer on the socket.
wait_for_server() {
    for _ in $(seq 60); do
        sql_as_root -e 'SELECT 1' >/dev/null 2>&1 && return 0
        kill -0 "$1" 2>/dev/null || die "the first-start server exited (its log is above)"
        sleep 1
    done
    die "the first-start server did not answer on $SOCKET within 60 s"
}

# The accounts and the database, as SQL on stdout.
setup_sql() {
    local root_pw hc_pw
    root_pw=$(sql_string "$MARIADB_ROOT_PASSWORD")
    hc_pw=$(sql_string "$1")
    # root keeps socket authentication beside its password, so this script and the health check
    # need no password on the command line.
    echo "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD($root_pw) OR unix_socket;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $root_pw;"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    # healthcheck.sh's account: it may log in (over TCP too, for --connect) and nothing else.
    local host
    for host in localhost 127.0.0.1 ::1; do
        echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY $hc_pw;"
    done
    if [ -n "${MARIADB_DATABASE:-}" ]; then
        echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MARIADB_DATABASE");"
    fi
    if [ -n "${MARIADB_USER:-}" ]; then
        echo "CREATE USER $(sql_string "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_string "$MARIADB_PASSWORD");"
        if [ -n "${MARIADB_DATABASE:-}" ]; then
            echo "GRANT ALL ON $(sql_name "$MARIADB_DATABASE").* TO $(sql_string "$MARIADB_USER")@'%';"
        fi
    fi
}

# /docker-entrypoint-initdb.d in name order: *.sh sourced (or run, if executable), *.sql loaded.
# shellcheck disable=SC2119  # SQL files take no client options
run_init_scripts() {
    local f
    for f in "$INITDB"/*; do
        [ -e "$f" ] || continue
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    log "running $f"; "$f"
                else
                    log "sourcing $f"
                    # shellcheck source=/dev/null
                    . "$f"
                fi ;;
            *.sql) log "loading $f"; docker_process_sql <"$f" ;;
            *.sql.gz) log "loading $f"; zcat "$f" | docker_process_sql ;;
            *) log "ignoring $f" ;;
        esac
    done
}

first_start() {
    [ -n "${MARIADB_ROOT_PASSWORD:-}" ] || die "MARIADB_ROOT_PASSWORD is required (this test image has no empty or random root password)"
    [ "${MARIADB_USER:-}" != root ] || die "MARIADB_USER=root: root is set by MARIADB_ROOT_PASSWORD"
    if [ -n "${MARIADB_USER:-}" ] && [ -z "${MARIADB_PASSWORD:-}" ]; then
        die "MARIADB_USER needs MARIADB_PASSWORD"
    fi

    log "first start: creating the system tables in $DATADIR"
    if ! mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
            --auth-root-authentication-method=socket >/tmp/install-db.log 2>&1; then
        cat /tmp/install-db.log >&2
        die "mariadb-install-db failed"
    fi

    "$@" --skip-networking --socket="$SOCKET" &
    local pid=$!
    wait_for_server "$pid"

    local hc_pw
    hc_pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    setup_sql "$hc_pw" | sql_as_root
    (umask 077; printf '[client]\nuser=healthcheck\npassword=%s\n' "$hc_pw" >"$HEALTHCHECK_CNF")
    log "root, ${MARIADB_DATABASE:-no database} and ${MARIADB_USER:-no user} set up"

    run_init_scripts

    mariadb-admin --no-defaults --socket="$SOCKET" --user=root shutdown
    wait "$pid"
    log "first start done"
}

# Only options (compose.yaml's command): they are mariadbd's. Anything else runs as given.
case "${1:-}" in -*) set -- mariadbd "$@" ;; esac
case "${1:-}" in
    mariadbd|mysqld) ;;
    *) exec "$@" ;;
esac

[ -d "$DATADIR/mysql" ] || first_start "$@"
exec "$@"
