#!/usr/bin/env bash
# bench/run.sh against a second pair of sandbox servers at MariaDB's default durability settings
# (96M of redo log, a flush at every commit), as many production servers run, beside the tuned
# pair the tests use. Same buffer pool (1G), so the table fits in memory on both.
#
#   bash bench/defaults.sh [ROWS]                  the whole benchmark
#   BENCH_COPY_ONLY=1 bash bench/defaults.sh       the initial copy only
set -euo pipefail
cd "$(dirname "$0")/.."
export TABLESYNC_SANDBOX_DIR=${TABLESYNC_DEFAULTS_DIR:-/tmp/tablesync-sandbox-defaults}
export TABLESYNC_SOURCE_PORT=13316 TABLESYNC_TARGET_PORT=13317 TABLESYNC_SANDBOX_SETTINGS=defaults
tests/support/sandbox.sh start
echo "servers: $(mariadb --no-defaults -h127.0.0.1 -P13317 -utablesync -ptablesync -N -e \
    "SELECT CONCAT('innodb_log_file_size=', @@innodb_log_file_size DIV 1048576, 'M, innodb_flush_log_at_trx_commit=',
    @@innodb_flush_log_at_trx_commit, ', innodb_buffer_pool_size=', @@innodb_buffer_pool_size DIV 1048576, 'M')")"
exec bash bench/run.sh "$@"
