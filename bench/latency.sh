#!/usr/bin/env bash
# tablesync across a network with real latency: many small tables, as a DBA with a few hundred
# tables and servers in another data centre has them.
#
#   bash bench/latency.sh [TABLES] [ONE_WAY_MS]        (default 300 tables, 5 ms each way)
#
# On the sandbox servers it creates TABLES tables of 100 rows in the source and puts the shared
# TCP delay proxy (../shared/tools/delayproxy.py; this kernel has no netem) in front of each
# server, so every round trip costs 2 x ONE_WAY_MS. Then, through the proxies, with SYNC_WORKERS=4:
#   first load          tablesync --once into an empty target | mysqldump | mysql (same tables)
#   nothing to do       tablesync --once when no row changed (after a run that re-checked the
#                       rows of the first load's safe window, and the lag after it)
# and for the nothing-to-do run the statements each server received per table (its Questions
# and Com_stmt_prepare counters; every statement and every prepare is at least one round trip),
# so a regression shows as a number. The target is checked equal to the source after each step.
set -euo pipefail
cd "$(dirname "$0")/.."
TABLES=${1:-300}
ONE_WAY_MS=${2:-5}
ROWS_PER_TABLE=100
export LC_ALL=C

scripts/install-deps.sh
# shellcheck source=bench/bench-env.sh
. bench/bench-env.sh
release_tablesync # TABLESYNC=/path/to/tablesync measures that build instead
sandbox_ports
PROXY=../shared/tools/delayproxy.py
[ -f "$PROXY" ] || {
    echo "latency.sh: $PROXY is missing" >&2
    exit 1
}
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SRC_PROXY=$(free_port)
TGT_PROXY=$(free_port)
python3 "$PROXY" "$SRC_PROXY" "$SRC_PORT" "$ONE_WAY_MS" &
PROXY_PIDS=($!)
python3 "$PROXY" "$TGT_PROXY" "$TGT_PORT" "$ONE_WAY_MS" &
PROXY_PIDS+=($!)
trap 'kill "${PROXY_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT
for port in "$SRC_PROXY" "$TGT_PROXY"; do
    for _ in $(seq 50); do
        mariadb "${CRED[@]}" -P"$port" -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.1
    done
done
src_far() { mariadb "${CRED[@]}" -P"$SRC_PROXY" "$@"; }
tgt_far() { mariadb "${CRED[@]}" -P"$TGT_PROXY" "$@"; }

src -e 'DROP DATABASE IF EXISTS bench_src; CREATE DATABASE bench_src'
tgt -e 'DROP DATABASE IF EXISTS bench_tgt; CREATE DATABASE bench_tgt; DROP DATABASE IF EXISTS bench_dump;
        CREATE DATABASE bench_dump'
{
    for i in $(seq "$TABLES"); do
        echo "CREATE TABLE t$i (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(10,2) NOT NULL,
              updated_at DATETIME(6) NOT NULL, KEY (updated_at));
              INSERT INTO t$i SELECT seq, CONCAT('row ', seq), seq / 7, TIMESTAMPADD(SECOND, seq, '2024-01-01')
              FROM seq_1_to_$ROWS_PER_TABLE;"
    done
} | SRC_DB=bench_src src
write_bench_env "$WORK/.env" "$SRC_PROXY" "$TGT_PROXY"
echo "SYNC_WORKERS=4" >>"$WORK/.env"
{
    echo "["
    for i in $(seq "$TABLES"); do
        sep=","
        [ "$i" -eq "$TABLES" ] && sep=""
        echo "  {\"table\": \"t$i\", \"primary_key\": \"id\", \"modifier\": \"updated_at\"}$sep"
    done
    echo "]"
} >"$WORK/tables.json"
SYNC=("$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables.json")

seconds() { # command...: wall seconds
    local start end
    start=$(date +%s%N)
    "$@" >"$WORK/out.log" 2>&1 || {
        cat "$WORK/out.log" >&2
        exit 1
    }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}
same() { # target database: every table equal to the source's
    local want got
    want=$(
        for i in 1 "$((TABLES / 2))" "$TABLES"; do
            SRC_DB=bench_src src -N -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, name, amount, updated_at))) FROM t$i"
        done)
    got=$(for i in 1 "$((TABLES / 2))" "$TABLES"; do
        TGT_DB=$1 tgt -N -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, name, amount, updated_at))) FROM t$i"
    done)
    [ "$want" = "$got" ] || {
        echo "MISMATCH in $1: [$want] against [$got]" >&2
        exit 1
    }
}
counters() { # server-function: Questions and Com_stmt_prepare
    "$1" -N -e "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME SEPARATOR ' ') FROM
                information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('QUESTIONS', 'COM_STMT_PREPARE')"
}

load=$(seconds "${SYNC[@]}")
same bench_tgt
dump=$(seconds bash -c "mysqldump ${CRED[*]} -P$SRC_PROXY --single-transaction bench_src |
                        mariadb ${CRED[*]} -P$TGT_PROXY bench_dump")
same bench_dump
"${SYNC[@]}" >/dev/null 2>&1 # re-checks the rows of the first load's safe window
sleep 7                      # the default lag (5 s) and a second for the marks
read -r src_prep0 src_q0 <<<"$(counters src)"
read -r tgt_prep0 tgt_q0 <<<"$(counters tgt)"
idle=$(seconds "${SYNC[@]}")
read -r src_prep1 src_q1 <<<"$(counters src)"
read -r tgt_prep1 tgt_q1 <<<"$(counters tgt)"
grep -q " 0 row(s) written, 0 re-checked" "$WORK/out.log" || {
    echo "the nothing-to-do run wrote or re-read rows:" >&2
    tail -3 "$WORK/out.log" >&2
    exit 1
}
per_table() { awk -v n="$1" -v t="$TABLES" 'BEGIN { printf "%.1f", n / t }'; }

echo
echo "$TABLES tables of $ROWS_PER_TABLE rows, SYNC_WORKERS=4, $((2 * ONE_WAY_MS)) ms round trip to each server"
echo "($(date -u +%F), $(nproc) cores, sandbox servers):"
printf '%-44s %8s\n' "step" "seconds"
printf '%-44s %8s\n' "first load, tablesync --once" "$load"
printf '%-44s %8s\n' "first load, mysqldump | mysql" "$dump"
printf '%-44s %8s\n' "nothing to do, tablesync --once" "$idle"
# Less one: the counters query of the second reading.
echo "nothing to do, per table: source $(per_table $((src_q1 - src_q0 - 1))) statements and" \
    "$(per_table $((src_prep1 - src_prep0))) prepares, target $(per_table $((tgt_q1 - tgt_q0 - 1)))" \
    "statements and $(per_table $((tgt_prep1 - tgt_prep0))) prepares"
