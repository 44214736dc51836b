#!/usr/bin/env bash
# Peak memory of tablesync against the table size: for each ROWS it generates the benchmark's
# `orders` table (bench/orders.sql) in the sandbox source, copies it into an empty target with
# tablesync --once (a first load), checks the copy equals the source, then times a run with
# nothing to do. Prints wall time and peak RSS of both runs per size. No peers: bench/run.sh
# compares those on 1M rows.
#
#   bash bench/memory.sh [ROWS...]          (default 1000000 10000000)
#
# 10M rows take ~2.2 GB in the source and ~2.5 GB in the target, and a few minutes each way.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000 10000000)
export LC_ALL=C
TABLESYNC=${TABLESYNC:-$PWD/build/release/app/tablesync}
[ -x "$TABLESYNC" ] || scripts/build.sh release tablesync >/dev/null

# shellcheck source=bench/bench-env.sh
. bench/bench-env.sh
sandbox_ports
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
write_bench_env "$WORK/.env" "$SRC_PORT" "$TGT_PORT"
echo '[{"table": "orders", "primary_key": "id", "modifier": "updated_at"}]' >"$WORK/tables.json"
ONCE=("$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables.json")

timed() { # label command... -> "wall peak-MB"
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
    awk '{ printf "%.2f %.1f\n", $1, $2 / 1024 }' "$WORK/time"
}

printf '| %10s | %14s | %14s | %15s | %15s |\n' rows "first load s" "first load MB" "no change s" "no change MB"
for rows in "${SIZES[@]}"; do
    src -e "DROP DATABASE IF EXISTS bench_src; CREATE DATABASE bench_src"
    { echo "SET @rows = $rows;"; cat bench/orders.sql; } | src bench_src
    src bench_src -e "ANALYZE TABLE orders" >/dev/null
    tgt -e "DROP DATABASE IF EXISTS bench_tgt; CREATE DATABASE bench_tgt"
    quiesce
    read -r load_s load_mb < <(timed "${ONCE[@]}")
    want=$(fingerprint src bench_src)
    got=$(fingerprint tgt bench_tgt)
    [ "$want" = "$got" ] || { echo "MISMATCH at $rows rows: source [$want] target [$got]" >&2; exit 1; }
    [ "$(echo "$want" | cut -f1)" = "$rows" ] || { echo "the source has [$want], not $rows rows" >&2; exit 1; }
    read -r idle_s idle_mb < <(timed "${ONCE[@]}")
    printf '| %10s | %14s | %14s | %15s | %15s |\n' "$rows" "$load_s" "$load_mb" "$idle_s" "$idle_mb"
done
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F), $TABLESYNC"
