#!/usr/bin/env bash
# tablesync's benchmark, side by side with the tools a DBA would use instead.
#
#   bash bench/run.sh [ROWS]        (default 1000000)
#
# On the sandbox servers (tests/support/sandbox.sh; TABLESYNC_SANDBOX_DIR, TABLESYNC_SOURCE_PORT,
# TABLESYNC_TARGET_PORT and TABLESYNC_SANDBOX_SETTINGS=tuned|defaults choose them; see
# bench/defaults.sh for servers at MariaDB's default settings) it creates the `orders` table (bench/orders.sql,
# deterministic), then measures in one run:
#   initial copy     tablesync --once | mysqldump | mysql | mydumper + myloader (2 threads)
#   1% updates + 0.1% inserts   tablesync --once | pt-table-sync --execute
#   nothing changed  tablesync --once
#   0.1% deletes    tablesync --once with deletes: propagate | pt-table-sync --execute
#   verification   tablesync --verify | pt-table-sync --print (identical tables)
# After each step the target is checked equal to the source (row count and an MD5 aggregate of
# every column). Before each initial copy both servers flush their dirty pages (quiesce). It prints wall time, rows/s and peak RSS, and the ratios to the peers.
# BENCH_ONE_WAY_MS=5 puts ../shared/tools/delayproxy.py in front of each server (a 10 ms round
# trip): every measured tool talks through it; setting up and checking go direct.
# bench/compare.sh repeats only the delete-detection and verify steps, interleaving two builds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
export LC_ALL=C

scripts/install-deps.sh
for tool in mydumper myloader pt-table-sync /usr/bin/time; do
    command -v "$tool" >/dev/null || {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mydumper percona-toolkit time >/dev/null
        break
    }
done
# shellcheck source=bench/bench-env.sh
. bench/bench-env.sh
release_tablesync # TABLESYNC=/path/to/tablesync measures that build instead
sandbox_ports
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The ports the measured tools use: the servers', or a delay proxy's in front of each.
FAR_SRC=$SRC_PORT
FAR_TGT=$TGT_PORT
ONE_WAY_MS=${BENCH_ONE_WAY_MS:-0}
if [ "$ONE_WAY_MS" != 0 ]; then
    start_delay_proxies "$ONE_WAY_MS"
    trap 'kill "${PROXY_PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
RESULTS=$WORK/results.tsv

verify() { # label server-function database
    local want got
    want=$(fingerprint src bench_src)
    got=$(fingerprint "$2" "$3")
    if [ "$want" != "$got" ]; then
        echo "MISMATCH after $1: source [$want] target [$got]" >&2
        exit 1
    fi
}
# Runs a command under GNU time; records step, tool, wall seconds, peak RSS (kB).
measure() { # step tool command...
    local step=$1 tool=$2
    shift 2
    local status=0
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$WORK/out.log" 2>&1 || status=$?
    # pt-table-sync exits 2 when it found (and fixed) differences: that is its success here.
    if [ "$status" -ne 0 ] && ! { [ "$tool" = "pt-table-sync --execute" ] && [ "$status" -eq 2 ]; }; then
        cat "$WORK/out.log" >&2
        echo "$tool failed with status $status" >&2
        exit 1
    fi
    read -r wall rss < <(tail -n 1 "$WORK/time")
    printf '%s\t%s\t%s\t%s\n' "$step" "$tool" "$wall" "$rss" >>"$RESULTS"
    printf '  %-28s %-22s %7.2f s %8d kB\n' "$step" "$tool" "$wall" "$rss"
}

echo "== generating $ROWS rows in bench_src.orders"
src -e "DROP DATABASE IF EXISTS bench_src; CREATE DATABASE bench_src"
{ echo "SET @rows = $ROWS;"; cat bench/orders.sql; } | src bench_src
src bench_src -e "ANALYZE TABLE orders" >/dev/null
for db in bench_tgt bench_dump bench_mydumper; do tgt -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"; done

write_bench_env "$WORK/.env" "$FAR_SRC" "$FAR_TGT"
echo '[{"table": "orders", "primary_key": "id", "modifier": "updated_at"}]' >"$WORK/tables.json"
SYNC_ONCE=("$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables.json")

echo "== initial copy"
quiesce
measure "initial copy" tablesync "${SYNC_ONCE[@]}"
verify "tablesync initial copy" tgt bench_tgt
quiesce
measure "initial copy" "mysqldump | mysql" bash -c "mariadb-dump ${CRED[*]} -P$FAR_SRC --single-transaction \
    --skip-lock-tables bench_src orders | mariadb ${CRED[*]} -P$FAR_TGT bench_dump"
verify "mysqldump" tgt bench_dump
quiesce
measure "initial copy" "mydumper+myloader -t2" bash -c "mydumper -h 127.0.0.1 -P $FAR_SRC -u tablesync \
    -p tablesync -B bench_src -T orders -r 50000 -t 2 -o $WORK/dump >/dev/null && myloader -h 127.0.0.1 \
    -P $FAR_TGT -u tablesync -p tablesync -d $WORK/dump -B bench_mydumper -t 2 -o >/dev/null"
verify "mydumper" tgt bench_mydumper
if [ "${BENCH_COPY_ONLY:-0}" = 1 ]; then # the initial copy alone
    awk -F'\t' '{ wall[$2] = $3 } END { t = wall["tablesync"]
        printf "\ninitial copy: tablesync / mysqldump|mysql = %.2f, tablesync / mydumper+myloader -t2 = %.2f\n",
            t / wall["mysqldump | mysql"], t / wall["mydumper+myloader -t2"] }' "$RESULTS"
    exit 0
fi

echo "== 1% updates and 0.1% inserts in the source"
src bench_src -e "UPDATE orders SET amount = amount + 1, status = 'changed', updated_at = NOW(3) WHERE id MOD 100 = 7;
    INSERT INTO orders SELECT id + $ROWS, customer_id, status, amount, note, created_at, NOW(3), attributes
    FROM orders WHERE id MOD 1000 = 3"
measure "incremental (1%+0.1%)" tablesync "${SYNC_ONCE[@]}"
verify "tablesync incremental" tgt bench_tgt
measure "incremental (1%+0.1%)" "pt-table-sync --execute" pt-table-sync --execute --no-check-slave \
    "h=127.0.0.1,P=$FAR_SRC,u=tablesync,p=tablesync,D=bench_src,t=orders" \
    "h=127.0.0.1,P=$FAR_TGT,u=tablesync,p=tablesync,D=bench_dump,t=orders"
verify "pt-table-sync" tgt bench_dump

echo "== nothing changed"
measure "no change" tablesync "${SYNC_ONCE[@]}"
verify "tablesync no-change run" tgt bench_tgt

echo "== 0.1% deletes in the source"
src bench_src -e "DELETE FROM orders WHERE id MOD 1000 = 5"
echo '[{"table": "orders", "primary_key": "id", "modifier": "updated_at", "deletes": "propagate"}]' \
    >"$WORK/tables-deletes.json"
SYNC_DELETES=("$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables-deletes.json")
measure "incremental + deletes" tablesync "${SYNC_DELETES[@]}"
verify "tablesync delete propagation" tgt bench_tgt
measure "incremental + deletes" "pt-table-sync --execute" pt-table-sync --execute --no-check-slave \
    "h=127.0.0.1,P=$FAR_SRC,u=tablesync,p=tablesync,D=bench_src,t=orders" \
    "h=127.0.0.1,P=$FAR_TGT,u=tablesync,p=tablesync,D=bench_dump,t=orders"
verify "pt-table-sync deletes" tgt bench_dump

echo "== verification of identical tables"
measure "verify (identical)" "tablesync --verify" "$TABLESYNC" --verify --env "$WORK/.env" --tables "$WORK/tables.json"
measure "verify (identical)" "pt-table-sync --print" pt-table-sync --print --no-check-slave \
    "h=127.0.0.1,P=$FAR_SRC,u=tablesync,p=tablesync,D=bench_src,t=orders" \
    "h=127.0.0.1,P=$FAR_TGT,u=tablesync,p=tablesync,D=bench_dump,t=orders"

echo
echo "== results: $ROWS rows, $((2 * ONE_WAY_MS)) ms round trip, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
awk -F'\t' -v rows="$ROWS" '
    { wall[$1 FS $2] = $3; rss[$1 FS $2] = $4; order[++n] = $1 FS $2 }
    END {
        printf "| %-24s | %-24s | %8s | %10s | %9s |\n", "step", "tool", "wall s", "rows/s", "peak MB"
        printf "|%s|%s|%s|%s|%s|\n", "--------------------------", "--------------------------", "----------", "------------", "-----------"
        for (i = 1; i <= n; i++) {
            split(order[i], k, FS)
            moved = (k[1] == "initial copy") ? rows : (k[1] ~ /incremental/ ? rows * 0.011 : 0)
            rate = (wall[order[i]] > 0 && moved > 0) ? sprintf("%d", moved / wall[order[i]]) : "-"
            printf "| %-24s | %-24s | %8.2f | %10s | %9.1f |\n", k[1], k[2], wall[order[i]], rate, rss[order[i]] / 1024
        }
        t = wall["initial copy" FS "tablesync"]
        printf "\ninitial copy: tablesync / mysqldump|mysql = %.2f (target <= 0.50), tablesync / mydumper = %.2f\n",
            t / wall["initial copy" FS "mysqldump | mysql"], t / wall["initial copy" FS "mydumper+myloader -t2"]
        printf "incremental: tablesync / pt-table-sync = %.3f (target <= 0.05)\n",
            wall["incremental (1%+0.1%)" FS "tablesync"] / wall["incremental (1%+0.1%)" FS "pt-table-sync --execute"]
        printf "no change: %.2f s for the whole process (target < 1 s)\n", wall["no change" FS "tablesync"]
        printf "delete detection adds %.2f s to an incremental run (target < 1 s)\n",
            wall["incremental + deletes" FS "tablesync"] - wall["no change" FS "tablesync"]
        printf "verify: tablesync / pt-table-sync --print = %.2f (target < 1)\n",
            wall["verify (identical)" FS "tablesync --verify"] / wall["verify (identical)" FS "pt-table-sync --print"]
    }' "$RESULTS"
