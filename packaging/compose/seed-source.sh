# shellcheck shell=bash
# Sourced (not run: it is not executable) by the mariadb image's entrypoint on the source server's
# first start, from /docker-entrypoint-initdb.d, so its docker_process_sql is at hand: it runs the
# client as root into MARIADB_DATABASE. The demo schema goes through this script rather than being
# mounted as a .sql file so that the client's character set is utf8mb4 for certain: for a .sql file
# it would follow the image's locale, and the demo data holds 4-byte characters (emoji).
docker_process_sql --default-character-set=utf8mb4 </tablesync-demo/demo-schema.sql
# PROCESS lets tablesync see the source's open transactions, so rows an application commits late
# are never skipped (docs/how-sync-works.md, "Late commits"); without it the runner warns every run.
user_literal=${MARIADB_USER//\\/\\\\}
user_literal=${user_literal//\'/\'\'}
docker_process_sql <<<"GRANT PROCESS ON *.* TO '${user_literal}'@'%';"
