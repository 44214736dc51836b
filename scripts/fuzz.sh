#!/usr/bin/env bash
# Fuzzes the .env and tables.json parsers with libFuzzer for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS]      (default 60)
#
# Builds tests/fuzz/fuzz_config.cpp with clang and ASan+UBSan into build/fuzz, runs it on a copy of
# tests/fuzz/corpus, and stops after SECONDS. A crash leaves its input as build/fuzz/crash-*:
# add it as a data row of tests/unit/tst_envfile.cpp or tst_tablesfile.cpp so it stays fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scripts/install-deps.sh >/dev/null
command -v clang++ >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
mkdir -p build/fuzz/corpus
cp -n tests/fuzz/corpus/* build/fuzz/corpus/ 2>/dev/null || true
qt_flags=$(pkg-config --cflags Qt6Core)
qt_libs=$(pkg-config --libs Qt6Core)
# The parsers and what they use, compiled into the fuzzer itself (no CMake: a different compiler).
clang++ -std=c++20 -g -O1 -fPIC -fsanitize=fuzzer,address,undefined -DQT_NO_CAST_FROM_ASCII -DQT_USE_QSTRINGBUILDER -DQT_NO_CAST_TO_ASCII \
    $qt_flags -Icore \
    tests/fuzz/fuzz_config.cpp core/config/EnvFile.cpp core/config/TablesFile.cpp core/config/Settings.cpp \
    $qt_libs -o build/fuzz/fuzz_config
cd build/fuzz
./fuzz_config -max_total_time="$seconds" -max_len=4096 -timeout=5 corpus
