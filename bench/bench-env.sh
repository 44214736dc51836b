# shellcheck shell=bash
# Sourced by the bench scripts: the sandbox servers' ports and a client for each (src, tgt), the
# .env they give tablesync for the bench_src and bench_tgt databases, and helpers built on those.
# Starts the sandbox servers (when they are not running) and sets SRC_PORT, TGT_PORT and CRED
# (the mariadb client's options) for them.
# shellcheck disable=SC2034 # the ports and CRED are for the scripts that source this
sandbox_ports() {
    local env_file
    tests/support/sandbox.sh start >/dev/null
    env_file=$(tests/support/sandbox.sh env)
    SRC_PORT=$(grep '^SOURCE_DB_PORT=' "$env_file" | cut -d= -f2)
    TGT_PORT=$(grep '^TARGET_DB_PORT=' "$env_file" | cut -d= -f2)
    CRED=(--no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -utablesync -ptablesync)
}
# A mariadb client for each sandbox server (after sandbox_ports), in SRC_DB / TGT_DB when set.
src() { mariadb "${CRED[@]}" -P"$SRC_PORT" ${SRC_DB:+"$SRC_DB"} "$@"; }
tgt() { mariadb "${CRED[@]}" -P"$TGT_PORT" ${TGT_DB:+"$TGT_DB"} "$@"; }

write_bench_env() { # file source-port target-port
    cat >"$1" <<ENV
SOURCE_DB_HOST=127.0.0.1
SOURCE_DB_PORT=$2
SOURCE_DB_USER=tablesync
SOURCE_DB_PASS=tablesync
SOURCE_DB_NAME=bench_src
TARGET_DB_HOST=127.0.0.1
TARGET_DB_PORT=$3
TARGET_DB_USER=tablesync
TARGET_DB_PASS=tablesync
TARGET_DB_NAME=bench_tgt
INTERVAL=0
POOL_STATUS_INTERVAL=0
ENV
    chmod 600 "$1"
}

# The same fingerprint on both sides: row count and an XOR of per-row MD5s over every column.
fingerprint() { # server-function database
    "$1" -N "$2" -e "SELECT COUNT(*), BIT_XOR(CAST(CONV(LEFT(MD5(CONCAT_WS('|', id, customer_id, status, amount,
        HEX(note), created_at, updated_at, IFNULL(HEX(attributes), 'null'))), 16), 16, 10) AS UNSIGNED)) FROM orders"
}
# Flushes both servers' dirty pages before a copy is timed, so that no step pays for the flushing
# the one before it (or the data generator) left behind: 1M copied rows leave ~350 MB dirty, which
# InnoDB otherwise writes out in the background over the next minute, beside the next tool.
quiesce() {
    local server dirty settings
    for server in src tgt; do
        settings=$("$server" -N -e "SELECT @@innodb_io_capacity, @@innodb_io_capacity_max, @@innodb_max_dirty_pages_pct")
        read -r io io_max pct <<<"$settings"
        "$server" -e "SET GLOBAL innodb_io_capacity_max = 20000, innodb_io_capacity = 20000,
            innodb_max_dirty_pages_pct = 0"
        for _ in $(seq 1 240); do
            dirty=$("$server" -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)
            [ "$dirty" -lt 100 ] && break
            sleep 0.5
        done
        "$server" -e "SET GLOBAL innodb_max_dirty_pages_pct = $pct, innodb_io_capacity = $io,
            innodb_io_capacity_max = $io_max"
    done
}

# The binary to measure: $TABLESYNC when set (another build), else the release preset, built now.
release_tablesync() {
    if [ -z "${TABLESYNC:-}" ]; then
        scripts/build.sh release tablesync >/dev/null
        TABLESYNC=$PWD/build/release/app/tablesync
    fi
}

# Puts the shared TCP delay proxy (../shared/tools/delayproxy.py; this kernel has no netem) in
# front of each sandbox server, after sandbox_ports: FAR_SRC and FAR_TGT are their ports, and a
# round trip through either costs twice the one-way delay. The caller kills PROXY_PIDS at exit.
start_delay_proxies() { # one-way-ms
    local proxy=../shared/tools/delayproxy.py port
    [ -f "$proxy" ] || {
        echo "$proxy is missing" >&2
        return 1
    }
    free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    FAR_SRC=$(free_port)
    FAR_TGT=$(free_port)
    python3 "$proxy" "$FAR_SRC" "$SRC_PORT" "$1" &
    PROXY_PIDS=($!)
    python3 "$proxy" "$FAR_TGT" "$TGT_PORT" "$1" &
    PROXY_PIDS+=($!)
    for port in "$FAR_SRC" "$FAR_TGT"; do
        for _ in $(seq 50); do
            mariadb "${CRED[@]}" -P"$port" -e 'SELECT 1' >/dev/null 2>&1 && break
            sleep 0.1
        done
    done
}
