#!/usr/bin/env bash
# The long version of tst_horizon's soak: six writers run random transactions on the source
# (inserts, updates and deletes; 15% held open 0.5-4 s, 10% rolled back) while the engine syncs
# every second, then the target must equal the source row for row.
#   bench/soak.sh [SECONDS]    default 600; needs a dev build and the sandbox servers
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
tests/support/sandbox.sh start >/dev/null
[ -x build/dev/tests/integration/tst_horizon ] || scripts/build.sh dev
# QtTest ends any test function after 300 s unless told otherwise.
QTEST_FUNCTION_TIMEOUT=$(((seconds + 600) * 1000)) TABLESYNC_SOAK_SECONDS=$seconds build/dev/tests/integration/tst_horizon soakWithConcurrentWriters 2>&1 |
    grep -E 'soak:|^PASS|^FAIL|Totals'
