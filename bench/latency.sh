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
#   nothing to do       tablesync --once when no row changed (after the runs that re-check the
#                       rows of the first load's safe window until its marks settle)
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
WORK=$(mktemp -d)
start_delay_proxies "$ONE_WAY_MS"
trap 'kill "${PROXY_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT

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
write_bench_env "$WORK/.env" "$FAR_SRC" "$FAR_TGT"
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
dump=$(seconds bash -c "mysqldump ${CRED[*]} -P$FAR_SRC --single-transaction bench_src |
                        mariadb ${CRED[*]} -P$FAR_TGT bench_dump")
same bench_dump
# The first load's marks settle once they are older than the default lag (5 s) and a second: a
# run re-checks the rows of the safe window until then. After the second of these, every table's
# cursor is at its last row, however fast the first load was.
for _ in 1 2; do
    "${SYNC[@]}" >/dev/null 2>&1
    sleep 7
done
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
