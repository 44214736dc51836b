#!/usr/bin/env bash
# The README's test command: installs what it needs, builds, starts the sandbox servers and runs
# every test (unit and integration). Exits non-zero if any test fails or cannot reach its server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh dev
tests/support/sandbox.sh start
cd build/dev
ctest --output-on-failure --parallel 2 --timeout 900 "$@"
