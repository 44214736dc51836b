# Sourced by bench/run.sh and bench/compare.sh: the .env both give tablesync for the sandbox
# servers' bench_src and bench_tgt databases.
write_bench_env() { # file source-port target-port
    cat >"$1" <<ENV
SOURCE_DB_HOST=127.0.0.1
SOURCE_DB_PORT=$2
SOURCE_DB_USER=tablesync
SOURCE_DB_PASS=tablesync
SOURCE_DB_NAME=bench_src
TARGET_DB_HOST=127.0.0.1
TARGET_DB_PORT=$3
TARGET_DB_USER=tablesync
TARGET_DB_PASS=tablesync
TARGET_DB_NAME=bench_tgt
INTERVAL=0
POOL_STATUS_INTERVAL=0
ENV
    chmod 600 "$1"
}
