#!/usr/bin/env bash
# Regenerates docs/dashboard.png, the README's picture of the health dashboard, from a real run:
# starts the sandbox servers, loads the demo schema plus a larger table and a table that fails,
# runs tablesync headless, and has headless Chromium photograph /dashboard while the large
# table is being copied.
#
#   scripts/screenshots.sh [BUILD_DIR]      default build/dev (build it first)
#
# SCREENSHOT_PORT (default 18089) is the health port used meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
tablesync=$build/app/tablesync
port=${SCREENSHOT_PORT:-18089}
out=docs/dashboard.png

[ -x "$tablesync" ] || { echo "screenshots: no $tablesync; build first: cmake --build $build" >&2; exit 1; }
command -v chromium >/dev/null || { echo "screenshots: chromium not found; run scripts/install-deps.sh" >&2; exit 1; }

tests/support/sandbox.sh start >/dev/null
sandbox_env=$(tests/support/sandbox.sh env)
source_port=$(grep '^SOURCE_DB_PORT=' "$sandbox_env" | cut -d= -f2)
target_port=$(grep '^TARGET_DB_PORT=' "$sandbox_env" | cut -d= -f2)
sql() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -utablesync -ptablesync "$@"; }

work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    sql -P"$source_port" -e 'DROP DATABASE IF EXISTS shot_src' || true
    sql -P"$target_port" -e 'DROP DATABASE IF EXISTS shot_tgt' || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== loading the demo schema and a 600,000-row table into the source"
sql -P"$source_port" -e 'DROP DATABASE IF EXISTS shot_src; CREATE DATABASE shot_src'
sql -P"$target_port" -e 'DROP DATABASE IF EXISTS shot_tgt; CREATE DATABASE shot_tgt'
sql -P"$source_port" shot_src <packaging/demo/demo-schema.sql
sql -P"$source_port" shot_src -e "
    CREATE TABLE events (id INT PRIMARY KEY, kind VARCHAR(20) NOT NULL, payload VARCHAR(200),
                         created_at DATETIME(6) NOT NULL);
    INSERT INTO events WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600000)
    SELECT i, ELT(1 + i % 4, 'click', 'view', 'order', 'refund'), REPEAT('x', 120),
           TIMESTAMPADD(SECOND, i, '2024-01-01') FROM n;"

sed -e 's/^SOURCE_DB_NAME=.*/SOURCE_DB_NAME=shot_src/' -e 's/^TARGET_DB_NAME=.*/TARGET_DB_NAME=shot_tgt/' \
    -e '/^INTERVAL=/d' "$sandbox_env" >"$work/.env"
# Pool statistics every second, so that the pool cards show the run in progress.
printf 'INTERVAL=300\nPOOL_STATUS_INTERVAL=1\n' >>"$work/.env"
# The demo tables, the large one (a full refresh, so the engine estimates its size) and one
# that does not exist in the source, to show how a failure looks.
cat >"$work/tables.json" <<'JSON'
[
  {"table": "customers", "primary_key": "id", "modifier": "updated_at", "initial_value": "2024-01-01 00:00:00"},
  {"table": "order_lines", "primary_key": ["order_id", "line_no"], "modifier": "updated_at"},
  {"table": "products", "primary_key": "sku"},
  {"table": "events", "primary_key": "id", "batch_size": 5000},
  {"table": "invoices", "primary_key": "id", "modifier": "updated_at"}
]
JSON

echo "== running tablesync with its health server on 127.0.0.1:$port"
"$tablesync" --headless --env "$work/.env" --tables "$work/tables.json" --health-port "$port" >"$work/log" 2>&1 &
pid=$!

# One GET with bash alone (the server closes the connection after its answer).
http_get() {
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    cat <&3
    exec 3<&-
}
metric() { awk -v key="$1" '$1 == key { print $2 }' <<<"$2"; }

# Wait until the large table is a third of the way through.
for _ in $(seq 1 600); do
    metrics=$(http_get /metrics 2>/dev/null || true)
    done_rows=$(metric 'tablesync_table_rows_this_run{table="events"}' "$metrics")
    estimate=$(metric 'tablesync_table_estimated_rows{table="events"}' "$metrics")
    if [ -n "$estimate" ] && [ -n "$done_rows" ] && [ "$((done_rows * 3))" -ge "$estimate" ]; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; echo "screenshots: tablesync exited" >&2; exit 1; }
    sleep 0.2
done

echo "== photographing http://127.0.0.1:$port/dashboard"
mkdir -p "$(dirname "$out")"
# --virtual-time-budget gives the page time to fetch /status and render before the picture.
HOME=$work chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/chromium" \
    --hide-scrollbars --force-device-scale-factor=1 --window-size=1360,1020 --virtual-time-budget=3000 \
    --screenshot="$PWD/$out" "http://127.0.0.1:$port/dashboard" 2>"$work/chromium.log" >/dev/null
[ -s "$out" ] || { cat "$work/chromium.log" >&2; echo "screenshots: chromium wrote no picture" >&2; exit 1; }
echo "== wrote $out"
