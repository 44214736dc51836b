#!/usr/bin/env bash
# Delete detection and --verify on the benchmark's `orders` table, repeated and interleaved
# between builds, so two builds are compared under the same (shared, noisy) machine load.
#
#   bash bench/compare.sh ROWS REPEATS TABLESYNC_BINARY...
#
# On the sandbox servers (tests/support/sandbox.sh; TABLESYNC_SANDBOX_DIR and the port variables
# choose them) it creates bench_src.orders (bench/orders.sql) and copies it once with the first
# binary, then times for every binary, REPEATS times each, alternating:
#   no change         --once, deletes keep (the run that delete detection is added to)
#   detect, none      --once, deletes propagate, nothing deleted
#   detect, 3 chunks  3 rows deleted in 3 chunks
#   detect, all       0.1% deleted (id MOD 1000 = 5): every chunk differs
#   verify            --verify of identical tables
# and pt-table-sync --print on identical tables (a plain copy in bench_dump, as bench/run.sh does).
# Two more steps run only when STEPS names them: initial (the first copy into an emptied
# bench_tgt, servers quiesced first, the copy checked equal) and mysqldump (mysqldump | mysql into
# bench_dump, quiesced alike), which compare initial copies under the same load. Deleted rows are put back into both servers
# after each timed run, so every repeat sees the same data. Prints the median and minimum.
# STEPS (a space-separated list of the step names below) limits the run to some steps.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:?rows}
REPEATS=${2:?repeats}
shift 2
BINARIES=("$@")
[ ${#BINARIES[@]} -gt 0 ] || { echo "usage: $0 ROWS REPEATS TABLESYNC_BINARY..." >&2; exit 2; }
export LC_ALL=C

# shellcheck source=bench/bench-env.sh
. bench/bench-env.sh
sandbox_ports
SRC_DB=bench_src # every query of this script is in these two
TGT_DB=bench_tgt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
write_bench_env "$WORK/.env" "$SRC_PORT" "$TGT_PORT"
echo '[{"table": "orders", "primary_key": "id", "modifier": "updated_at"}]' >"$WORK/keep.json"
echo '[{"table": "orders", "primary_key": "id", "modifier": "updated_at", "deletes": "propagate"}]' >"$WORK/propagate.json"

echo "== $ROWS rows in bench_src.orders, first copy"
mariadb "${CRED[@]}" -P"$SRC_PORT" -e "DROP DATABASE IF EXISTS bench_src; CREATE DATABASE bench_src"
{ echo "SET @rows = $ROWS;"; cat bench/orders.sql; } | src
src -e "ANALYZE TABLE orders" >/dev/null
mariadb "${CRED[@]}" -P"$TGT_PORT" -e "DROP DATABASE IF EXISTS bench_tgt; CREATE DATABASE bench_tgt"
"${BINARIES[0]}" --headless --once --env "$WORK/.env" --tables "$WORK/keep.json" >"$WORK/log" 2>&1 ||
    { cat "$WORK/log"; exit 1; }
# pt-table-sync compares against a plain copy, as in bench/run.sh (no _dlt_ columns).
mariadb "${CRED[@]}" -P"$TGT_PORT" -e "DROP DATABASE IF EXISTS bench_dump; CREATE DATABASE bench_dump"
mariadb-dump "${CRED[@]}" -P"$SRC_PORT" --single-transaction --skip-lock-tables bench_src orders |
    mariadb "${CRED[@]}" -P"$TGT_PORT" bench_dump

# Rows a step deletes, kept on both sides to be put back after each timed run.
save_rows() { # name condition
    src -e "DROP TABLE IF EXISTS saved_$1; CREATE TABLE saved_$1 (PRIMARY KEY (id)) AS SELECT * FROM orders WHERE $2"
    tgt -e "DROP TABLE IF EXISTS saved_$1; CREATE TABLE saved_$1 (PRIMARY KEY (id)) AS SELECT * FROM orders WHERE $2"
}
save_rows few "id IN (5, $((ROWS / 2)), $((ROWS - 5)))"
save_rows all "id MOD 1000 = 5"
delete_rows() { src -e "DELETE orders FROM orders JOIN saved_$1 USING (id)"; }
restore_rows() {
    src -e "INSERT IGNORE INTO orders SELECT * FROM saved_$1"
    tgt -e "INSERT IGNORE INTO orders SELECT * FROM saved_$1"
}

# Wall seconds of one command, appended to $WORK/<step>.<binary index>.
timed() { # step index command...
    local step=$1 index=$2
    shift 2
    /usr/bin/time -f '%e' -o "$WORK/time" "$@" >"$WORK/log" 2>&1 || {
        local status=$?
        # --verify exits 3 when tables differ: that would be a failure here too.
        cat "$WORK/log" >&2
        echo "$step failed with status $status" >&2
        exit 1
    }
    tail -n 1 "$WORK/time" >>"$WORK/$step.$index"
}

# STEPS="detect-none verify" (for example) runs only those steps.
STEPS=${STEPS:-no-change detect-none detect-3-chunks detect-every-chunk verify pt-table-sync-print}
want() { [[ " $STEPS " == *" $1 "* ]]; }
for ((r = 1; r <= REPEATS; r++)); do
    for i in "${!BINARIES[@]}"; do
        bin=${BINARIES[$i]}
        once=("$bin" --headless --once --env "$WORK/.env" --tables)
        if want initial; then
            tgt -e "DROP DATABASE bench_tgt; CREATE DATABASE bench_tgt"
            quiesce
            timed "initial" "$i" "${once[@]}" "$WORK/keep.json"
            [ "$(SRC_DB= fingerprint src bench_src)" = "$(TGT_DB= fingerprint tgt bench_tgt)" ] ||
                { echo "initial copy of build $i differs from the source" >&2; exit 1; }
        fi
        if want no-change; then timed "no-change" "$i" "${once[@]}" "$WORK/keep.json"; fi
        if want detect-none; then timed "detect-none" "$i" "${once[@]}" "$WORK/propagate.json"; fi
        if want detect-3-chunks; then
            delete_rows few
            timed "detect-3-chunks" "$i" "${once[@]}" "$WORK/propagate.json"
            restore_rows few
        fi
        if want detect-every-chunk; then
            delete_rows all
            timed "detect-every-chunk" "$i" "${once[@]}" "$WORK/propagate.json"
            restore_rows all
        fi
        if want verify; then timed "verify" "$i" "$bin" --verify --env "$WORK/.env" --tables "$WORK/keep.json"; fi
    done
    if want mysqldump; then
        tgt -e "DROP DATABASE bench_dump; CREATE DATABASE bench_dump"
        quiesce
        timed "mysqldump" 0 bash -c "mariadb-dump ${CRED[*]} -P$SRC_PORT --single-transaction --skip-lock-tables \
            bench_src orders | mariadb ${CRED[*]} -P$TGT_PORT bench_dump"
    fi
    if want pt-table-sync-print; then
        timed "pt-table-sync-print" 0 pt-table-sync --print --no-check-slave \
            "h=127.0.0.1,P=$SRC_PORT,u=tablesync,p=tablesync,D=bench_src,t=orders" \
            "h=127.0.0.1,P=$TGT_PORT,u=tablesync,p=tablesync,D=bench_dump,t=orders"
    fi
done

echo "== $ROWS rows, $REPEATS repeats, $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %-5s %8s %8s   %s\n' step build median min "all (s)"
for step in initial mysqldump no-change detect-none detect-3-chunks detect-every-chunk verify pt-table-sync-print; do
    for i in "${!BINARIES[@]}"; do
        [ -f "$WORK/$step.$i" ] || continue
        sort -n "$WORK/$step.$i" | awk -v step="$step" -v build="$i" '
            { v[NR] = $1; all = all " " $1 }
            END { printf "%-22s %-5s %8.2f %8.2f  %s\n", step, build, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], all }'
    done
done
for i in "${!BINARIES[@]}"; do echo "build $i: ${BINARIES[$i]}"; done
