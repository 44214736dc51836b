#!/usr/bin/env bash
# Two throwaway MariaDB servers (source and target) for the tests, the demo and CI.
#
#   tests/support/sandbox.sh start    start both (no-op for one already answering)
#   tests/support/sandbox.sh stop     stop both by the pid in their pid files
#   tests/support/sandbox.sh status   say which answer
#   tests/support/sandbox.sh env      print the path of the .env describing them
#   restart-target, kill-target (SIGKILL), start-target, stop-source, start-source: for the recovery tests
#
# Settings (environment): TABLESYNC_SANDBOX_DIR (default /tmp/tablesync-sandbox),
# TABLESYNC_SOURCE_PORT (13306), TABLESYNC_TARGET_PORT (13307), TABLESYNC_SANDBOX_SETTINGS
# (tuned, or defaults: MariaDB's own redo log size and flush at every commit, as many servers run).
# Each server lives in $DIR/<role>/ with its own config, data, socket, log and pid file, listens on
# 127.0.0.1 only, and has a user `tablesync` (password `tablesync`) owning the database
# `source_db` (source) or `target_db` (target). $DIR/sandbox.env is a ready tablesync .env for them.
# The target also offers TLS, with a throwaway CA made here ($DIR/tls: ca.pem signed the target's
# server-cert.pem, for 127.0.0.1 and localhost; other-ca.pem signed nothing the sandbox serves).
# The source offers no TLS, and sandbox.env names no TLS files: plain connections work on both.
# Servers run without systemd, as FACTS-qt-mysql.md describes.
set -euo pipefail

DIR=${TABLESYNC_SANDBOX_DIR:-/tmp/tablesync-sandbox}
SETTINGS=${TABLESYNC_SANDBOX_SETTINGS:-tuned}
case "$SETTINGS" in tuned | defaults) ;; *) echo "sandbox: TABLESYNC_SANDBOX_SETTINGS must be tuned or defaults" >&2; exit 2 ;; esac
SOURCE_PORT=${TABLESYNC_SOURCE_PORT:-13306}
TARGET_PORT=${TABLESYNC_TARGET_PORT:-13307}
USER_NAME=tablesync
USER_PASS=tablesync

die() { echo "sandbox: $*" >&2; exit 1; }

find_server() {
    for candidate in mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld; do
        if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return; fi
    done
    die "no mariadbd found; install it with: apt-get install -y mariadb-server mariadb-client"
}

port_of() { [ "$1" = source ] && echo "$SOURCE_PORT" || echo "$TARGET_PORT"; }
db_of() { [ "$1" = source ] && echo source_db || echo target_db; }

# Root over the private socket: works before any TCP user exists.
root_sql() { mariadb --no-defaults -uroot --socket="$DIR/$1/mysqld.sock" --default-character-set=utf8mb4 "${@:2}"; }

answers() { root_sql "$1" -N -e 'SELECT 1' >/dev/null 2>&1; }

# The CA and the target's certificate, made once. Built aside and renamed into place, so that two
# starts at once never see half a set.
make_tls() {
    local tls=$DIR/tls tmp
    if [ -f "$tls/server-cert.pem" ]; then return; fi
    command -v openssl >/dev/null 2>&1 || die "openssl is needed for the target's TLS certificate: apt-get install -y openssl"
    tmp=$(mktemp -d "$DIR/tls.XXXXXX")
    (
        cd "$tmp"
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=tablesync sandbox CA" \
            -keyout ca-key.pem -out ca.pem
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr
        printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
            -extfile server.ext -out server-cert.pem
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=tablesync sandbox other CA" \
            -keyout other-ca-key.pem -out other-ca.pem
        chmod 600 ./*-key.pem
    ) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf "$tmp"; die "could not make the TLS certificates"; }
    mv -T "$tmp" "$tls" 2>/dev/null || rm -rf "$tmp" # another start made them meanwhile
}

# Only the target offers TLS, so the tests can tell an encrypted session from a plain one.
tls_config() {
    [ "$1" = target ] || return 0
    printf 'ssl-ca=%s\nssl-cert=%s\nssl-key=%s\n' "$DIR/tls/ca.pem" "$DIR/tls/server-cert.pem" "$DIR/tls/server-key.pem"
}

# Tuned: a redo log that holds a large copy's writes and a flush once a second instead of at
# every commit. Defaults: what MariaDB 10.11 does without them (96M of redo, a flush per commit).
durability_config() {
    [ "$SETTINGS" = tuned ] || return 0
    printf 'innodb_log_file_size=256M\ninnodb_flush_log_at_trx_commit=2\nsync_binlog=0\n'
}

# The buffer pool holds the benchmark's 1M-row table with room to spare, as a production server's
# holds its working set: with 256M a table scan on the target read a third of its pages from disk.
# InnoDB takes the memory as pages are used, so small test databases cost little.
write_config() {
    local role=$1 home=$DIR/$1
    cat >"$home/my.cnf" <<CNF
[mariadbd]
datadir=$home/data
socket=$home/mysqld.sock
pid-file=$home/mysqld.pid
log-error=$home/error.log
port=$(port_of "$role")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
max_connections=300
local_infile=ON
max_recursive_iterations=10000000
innodb_buffer_pool_size=1G
$(durability_config)
skip-log-bin
$(tls_config "$role")
CNF
}

start_one() {
    local role=$1 home=$DIR/$1 server
    if answers "$role"; then echo "sandbox: $role already running on port $(port_of "$role")"; return; fi
    server=$(find_server)
    mkdir -p "$home"
    if [ "$role" = target ]; then make_tls; fi
    write_config "$role"
    if [ ! -d "$home/data/mysql" ]; then
        rm -rf "$home/data"
        mariadb-install-db --defaults-file="$home/my.cnf" --user=root \
            --auth-root-authentication-method=normal --skip-test-db >"$home/install.log" 2>&1 \
            || { cat "$home/install.log" >&2; die "mariadb-install-db failed for $role"; }
    fi
    # Detached from this shell so the server outlives the script; stopped by `stop`.
    setsid "$server" --defaults-file="$home/my.cnf" --user=root </dev/null >>"$home/stdout.log" 2>&1 &
    for _ in $(seq 1 300); do
        answers "$role" && break
        sleep 0.1
    done
    answers "$role" || { tail -n 30 "$home/error.log" >&2 || true; die "$role server did not answer within 30 s"; }
    root_sql "$role" -e "
        CREATE USER IF NOT EXISTS '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$USER_PASS';
        CREATE USER IF NOT EXISTS '$USER_NAME'@'localhost' IDENTIFIED BY '$USER_PASS';
        GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'127.0.0.1' WITH GRANT OPTION;
        GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'localhost' WITH GRANT OPTION;
        CREATE DATABASE IF NOT EXISTS \`$(db_of "$role")\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        FLUSH PRIVILEGES;"
    echo "sandbox: $role running on 127.0.0.1:$(port_of "$role") (pid $(cat "$home/mysqld.pid"))"
}

stop_one() {
    local role=$1 pidfile=$DIR/$1/mysqld.pid pid
    [ -f "$pidfile" ] || { echo "sandbox: $role not running"; return; }
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$pidfile"
    echo "sandbox: $role stopped"
}

# SIGKILL, as a crash or the OOM killer would: no clean shutdown, InnoDB recovers at the next start.
kill_one() {
    local role=$1 pidfile=$DIR/$1/mysqld.pid pid
    [ -f "$pidfile" ] || { echo "sandbox: $role not running"; return; }
    pid=$(cat "$pidfile")
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
    echo "sandbox: $role killed"
}

write_env() {
    cat >"$DIR/sandbox.env" <<ENV
# Written by tests/support/sandbox.sh: the two sandbox servers.
SOURCE_DB_HOST=127.0.0.1
SOURCE_DB_PORT=$SOURCE_PORT
SOURCE_DB_USER=$USER_NAME
SOURCE_DB_PASS=$USER_PASS
SOURCE_DB_NAME=source_db
TARGET_DB_HOST=127.0.0.1
TARGET_DB_PORT=$TARGET_PORT
TARGET_DB_USER=$USER_NAME
TARGET_DB_PASS=$USER_PASS
TARGET_DB_NAME=target_db
INTERVAL=0
ENV
    chmod 600 "$DIR/sandbox.env"
}

case ${1:-start} in
start)
    mkdir -p "$DIR" && chmod 700 "$DIR"
    start_one source
    start_one target
    write_env
    ;;
stop) stop_one source; stop_one target ;;
restart-target) stop_one target; start_one target ;;
kill-target) kill_one target ;;
start-target) start_one target ;;
stop-source) stop_one source ;;
start-source) start_one source ;;
status)
    for role in source target; do
        if answers "$role"; then echo "$role: running on $(port_of "$role")"; else echo "$role: not running"; fi
    done
    ;;
env) echo "$DIR/sandbox.env" ;;
*) die "usage: $0 start|stop|status|env|restart-target|kill-target|start-target|stop-source|start-source" ;;
esac
