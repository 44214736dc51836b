#!/bin/bash
# healthcheck.sh of the test-only MariaDB image (see the Dockerfile beside it): our own, with the
# two tests compose.yaml's health checks ask for, each of which must pass:
#   --connect             the server accepts TCP connections (it does not while the entrypoint's
#                         first-start server, socket only, runs the init scripts)
#   --innodb_initialized  the InnoDB engine is up
# It logs in as the account the entrypoint created on first start. Exit 0 = healthy.
set -euo pipefail

CNF=/var/lib/mysql/.healthcheck.cnf
SOCKET=/run/mysqld/mysqld.sock

[ -r "$CNF" ] || { echo "healthcheck: $CNF missing: the first start has not finished" >&2; exit 1; }
query() {
    mariadb --defaults-file="$CNF" --connect-timeout=3 --batch --skip-column-names "$@"
}
[ $# -gt 0 ] || set -- --connect

for test in "$@"; do
    case "$test" in
        --connect)
            port=$(query --protocol=socket --socket="$SOCKET" -e 'SELECT @@port')
            [ "$(query --protocol=tcp --host=127.0.0.1 --port="$port" -e 'SELECT 1')" = 1 ] ;;
        --innodb_initialized)
            [ "$(query --protocol=socket --socket="$SOCKET" \
                -e "SELECT 1 FROM information_schema.ENGINES WHERE ENGINE = 'InnoDB' AND SUPPORT IN ('YES', 'DEFAULT')")" = 1 ] ;;
        *) echo "healthcheck: unknown test $test (this test image knows --connect and --innodb_initialized)" >&2; exit 2 ;;
    esac
done
