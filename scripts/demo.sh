#!/usr/bin/env bash
# The README's main command: installs, builds, starts two throwaway MariaDB servers, loads the
# demo schema into the source, and runs real headless syncs, printing what they did.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release tablesync  # the demo needs only the program
tests/support/sandbox.sh start

sandbox_env=$(tests/support/sandbox.sh env)
sql() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -utablesync -ptablesync "$@"; }
source_port=$(grep '^SOURCE_DB_PORT=' "$sandbox_env" | cut -d= -f2)
target_port=$(grep '^TARGET_DB_PORT=' "$sandbox_env" | cut -d= -f2)

echo "== loading the demo schema into the source (port $source_port)"
sql -P"$source_port" -e 'DROP DATABASE IF EXISTS source_db; CREATE DATABASE source_db'
sql -P"$target_port" -e 'DROP DATABASE IF EXISTS target_db; CREATE DATABASE target_db'
sql -P"$source_port" source_db <packaging/demo/demo-schema.sql

demo_dir=$(mktemp -d)
cp "$sandbox_env" "$demo_dir/.env"
cp packaging/demo/tables.json "$demo_dir/tables.json"
tablesync=build/release/app/tablesync

echo "== first sync: creates the target tables and copies every row"
"$tablesync" --headless --once --env "$demo_dir/.env" --tables "$demo_dir/tables.json"

echo "== changing the source: an update, an insert and a new column"
sql -P"$source_port" source_db -e "
    UPDATE customers SET balance = balance + 100, updated_at = NOW(6) WHERE id = 2;
    INSERT INTO customers (id, name, city, balance) VALUES (4, 'Łukasz Żółw', 'Gdańsk', 7.77);
    ALTER TABLE products ADD COLUMN origin VARCHAR(40) NULL;
    UPDATE products SET origin = 'Česko' WHERE sku = 'SKU-001';"

echo "== second sync: only the changes move"
"$tablesync" --headless --once --env "$demo_dir/.env" --tables "$demo_dir/tables.json"

echo "== the target now holds"
sql -P"$target_port" target_db -e "
    SELECT 'customers' AS tbl, COUNT(*) AS row_count FROM customers
    UNION ALL SELECT 'order_lines', COUNT(*) FROM order_lines
    UNION ALL SELECT 'products', COUNT(*) FROM products;
    SELECT id, name, city, balance FROM customers ORDER BY id;
    SELECT sku, title, price, origin FROM products ORDER BY sku;
    SELECT load_id, status FROM _dlt_loads ORDER BY load_id;"
rm -rf "$demo_dir"
echo "== done. The servers keep running; stop them with: tests/support/sandbox.sh stop"
