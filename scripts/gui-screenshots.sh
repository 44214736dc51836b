#!/usr/bin/env bash
# Screenshots of the desktop app for README.md and docs/desktop-app.md (not a test): starts the sandbox servers, loads the
# demo schema into databases of its own (screens_src, screens_tgt) plus one table without a key,
# and runs the real window under Xvfb on the demo profile (packaging/demo/tables.json). The
# driver (tests/gui/gui_screenshots.cpp) tests both connections, discovers the source, runs a sync
# and writes one PNG per page to docs/screenshots/ at 1024x700; then it changes the target behind
# the tool's back (the --target-sql statements below) and photographs the Verify page's report,
# and last the source's schema (--source-sql) and photographs the preview of the next run.
#
#   scripts/gui-screenshots.sh [BUILD_DIR]      default build/dev (configured with the dev preset)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
scripts/install-deps.sh
[ "$build" != build/dev ] || cmake --preset dev >/dev/null
cmake --build "$build" --target tablesync-gui-screenshots
tests/support/sandbox.sh start

sandbox_env=$(tests/support/sandbox.sh env)
sql() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -utablesync -ptablesync "$@"; }
source_port=$(grep '^SOURCE_DB_PORT=' "$sandbox_env" | cut -d= -f2)
target_port=$(grep '^TARGET_DB_PORT=' "$sandbox_env" | cut -d= -f2)
sql -P"$source_port" -e 'DROP DATABASE IF EXISTS screens_src; CREATE DATABASE screens_src'
sql -P"$target_port" -e 'DROP DATABASE IF EXISTS screens_tgt; CREATE DATABASE screens_tgt'
sql -P"$source_port" screens_src <packaging/demo/demo-schema.sql
# A table without a key: discovery offers it as a full refresh of the whole table.
sql -P"$source_port" screens_src -e "CREATE TABLE audit_log (at DATETIME NOT NULL, message TEXT);
    INSERT INTO audit_log VALUES (NOW(), 'demo'); ANALYZE TABLE customers, order_lines, products, audit_log;" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/^SOURCE_DB_NAME=.*/SOURCE_DB_NAME=screens_src/' -e 's/^TARGET_DB_NAME=.*/TARGET_DB_NAME=screens_tgt/' \
    -e 's/^INTERVAL=.*/INTERVAL=300/' "$sandbox_env" >"$work/.env"
chmod 600 "$work/.env"
cp packaging/demo/tables.json "$work/tables.json"

mkdir -p docs/screenshots
# A private settings and runtime location, so the user's own tablesync settings play no part.
XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime" TABLESYNC_KEYCHAIN=off QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" \
    "$build"/tests/gui/tablesync-gui-screenshots --env "$work/.env" --tables "$work/tables.json" \
    --out docs/screenshots \
    --source-sql "ALTER TABLE customers ADD COLUMN loyalty_tier VARCHAR(10) NULL" \
    --target-sql "UPDATE customers SET balance = balance + 100 WHERE id = 2" \
    --target-sql "DELETE FROM order_lines WHERE order_id = 1100" \
    --target-sql "UPDATE order_lines SET quantity = 99 WHERE order_id = 1250 AND line_no = 2" \
    --target-sql "INSERT INTO order_lines (order_id, line_no, product_sku, quantity, unit_price, note, updated_at,
                  _dlt_load_id, _dlt_id) SELECT 9999, 1, product_sku, quantity, unit_price, note, updated_at,
                  _dlt_load_id, 'extra' FROM order_lines WHERE order_id = 1001 AND line_no = 1"
