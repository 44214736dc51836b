#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev), everything or only the named targets.
# Usage: scripts/build.sh [dev|asan|release] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
shift || true
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
    cmake --build "build/$preset" --parallel "$(nproc)" --target "$@"
else
    cmake --build "build/$preset" --parallel "$(nproc)"
fi
