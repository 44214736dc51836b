#!/usr/bin/env bash
# Full refresh of a lookup table: the three ways tablesync can switch a table to the source's
# content, measured side by side on the sandbox servers.
#
#   bash bench/refresh.sh [ROWS]        (default 100000)
#
# Two copies of one table of ROWS rows are synced as full-refresh tables; in the target, a foreign
# key of another table then points at one of them ("tied"), so it is refreshed in place while the
# other ("free") is swapped in with RENAME TABLE. Then, three times each, 10 rows of both source
# tables change and each table is synced on its own (median wall time of tablesync --once):
#   swap                   the free table: staging copy of every row, RENAME, DROP
#   in place, differences  the tied table: chunk checksums against one source snapshot, only the
#                          differing rows deleted and copied (no staging copy)
# and once with a fifth of the rows changed, where the tied table goes by its staging copy
# (more than a tenth differs) and the free one is swapped as before. After each step both
# targets are checked equal to their sources.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
export LC_ALL=C

scripts/install-deps.sh
# shellcheck source=bench/bench-env.sh
. bench/bench-env.sh
release_tablesync # TABLESYNC=/path/to/tablesync measures that build instead
sandbox_ports
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
write_bench_env "$WORK/.env" "$SRC_PORT" "$TGT_PORT"
cat >"$WORK/tables.json" <<'JSON'
[{"table": "lookup_free", "primary_key": "id"}, {"table": "lookup_tied", "primary_key": "id"}]
JSON

src -e 'DROP DATABASE IF EXISTS bench_src; CREATE DATABASE bench_src'
tgt -e 'DROP DATABASE IF EXISTS bench_tgt; CREATE DATABASE bench_tgt'
SRC_DB=bench_src
TGT_DB=bench_tgt
for t in lookup_free lookup_tied; do
    src -e "CREATE TABLE $t (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, name VARCHAR(100) NOT NULL,
            price DECIMAL(10,2) NOT NULL, updated DATETIME(6) NOT NULL, UNIQUE KEY (code));
            INSERT INTO $t SELECT seq, CONCAT('C', seq), CONCAT('Artikel ', seq, ' – größe ', seq MOD 7),
            (seq MOD 10000) / 100, TIMESTAMPADD(SECOND, seq, '2024-01-01') FROM seq_1_to_$ROWS"
done
sync_table() { "$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables.json" --table "$1" >"$WORK/log" 2>&1 || {
    cat "$WORK/log" >&2
    exit 1
}; }
"$TABLESYNC" --headless --once --env "$WORK/.env" --tables "$WORK/tables.json" >/dev/null
tgt -e "CREATE TABLE order_lines (id INT PRIMARY KEY, product INT NOT NULL,
        CONSTRAINT fk_lines_product FOREIGN KEY (product) REFERENCES lookup_tied (id));
        INSERT INTO order_lines VALUES (1, 5), (2, 6)"

check() {
    local t want got
    for t in lookup_free lookup_tied; do
        want=$(src -N -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, code, name, price, updated))) FROM $t")
        got=$(tgt -N -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, code, name, price, updated))) FROM $t")
        [ "$want" = "$got" ] || {
            echo "MISMATCH in $t: source [$want] target [$got]" >&2
            exit 1
        }
    done
}
seconds() { # table: wall seconds of one sync of it
    local start end
    start=$(date +%s%N)
    sync_table "$1"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.2f\n", ns / 1e9 }'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

declare -a free_times tied_times
for round in 1 2 3; do
    for t in lookup_free lookup_tied; do
        src -e "UPDATE $t SET price = price + 1, updated = NOW(6) WHERE id MOD ($ROWS / 10) = $round"
    done
    free_times+=("$(seconds lookup_free)")
    tied_times+=("$(seconds lookup_tied)")
    grep -q "compared .* chunk(s) with the source" "$WORK/log" || {
        echo "the tied table was not refreshed from its differences:" >&2
        cat "$WORK/log" >&2
        exit 1
    }
    check
done
for t in lookup_free lookup_tied; do
    src -e "UPDATE $t SET price = price + 1 WHERE id MOD 5 = 0"
done
free_many=$(seconds lookup_free)
tied_many=$(seconds lookup_tied)
grep -q "copying the table to apply them" "$WORK/log" || {
    echo "the tied table did not fall back to its staging copy:" >&2
    cat "$WORK/log" >&2
    exit 1
}
check

echo
echo "Full refresh of one $ROWS-row table ($(date -u +%F), $(nproc) cores, sandbox servers):"
printf '%-48s %8s\n' "change" "seconds"
printf '%-48s %8s\n' "10 rows, swap (free table)" "$(median3 "${free_times[@]}")"
printf '%-48s %8s\n' "10 rows, in place by differences (tied table)" "$(median3 "${tied_times[@]}")"
printf '%-48s %8s\n' "$((ROWS / 5)) rows, swap (free table)" "$free_many"
printf '%-48s %8s\n' "$((ROWS / 5)) rows, in place by staging copy (tied table)" "$tied_many"
