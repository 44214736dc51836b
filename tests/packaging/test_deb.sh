#!/usr/bin/env bash
# Packaging test (CTest label `packaging`): the .deb as an admin would get it.
#
#   tests/packaging/test_deb.sh BUILD_DIR SOURCE_DIR
#
# 1. cpack -G DEB from BUILD_DIR (the build tree under test, whatever its preset), into a temp dir,
#    so parallel runs and the build tree itself are never disturbed;
# 2. control data and file list: dependencies, maintainer scripts, every installed file in place;
# 3. dpkg-deb -x into a temp root; the unpacked binary's --version, and a headless --once sync of the
#    shipped example tables.json (with the shipped example .env as template) against the sandbox
#    servers, in databases of its own (pkg_src, pkg_tgt);
# 4. the unpacked .desktop, AppStream and SVG files through their validators, the systemd unit
#    through systemd-analyze verify, and packaging/compose.yaml through docker-compose config.
# Needs the sandbox servers (the CTest fixture starts them) and scripts/install-deps.sh's packages.
set -euo pipefail

build_dir=$(cd "${1:?usage: test_deb.sh BUILD_DIR SOURCE_DIR}" && pwd)
source_dir=$(cd "${2:?usage: test_deb.sh BUILD_DIR SOURCE_DIR}" && pwd)

work=$(mktemp -d /tmp/tablesync-pkgtest.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
need() {
    command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $1 not found; run scripts/install-deps.sh" >&2; exit 1; }
}
for tool in cpack dpkg-deb readelf mariadb desktop-file-validate appstreamcli docker-compose; do
    need "$tool"
done
# Debian's own Python (docker-compose depends on it and on python3-yaml), not whatever python3 comes
# first in PATH, which may lack the yaml module.
py=/usr/bin/python3
need "$py"

step "cpack -G DEB from $build_dir"
[ -f "$build_dir/CPackConfig.cmake" ] || { echo "FAIL: $build_dir has no CPackConfig.cmake" >&2; exit 1; }
if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack" >&2
    exit 1
fi
debs=("$work"/out/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
    echo "FAIL: expected one .deb, got: ${debs[*]}" >&2
    exit 1
fi
deb=${debs[0]}
echo "built $(basename "$deb")"

step "control data"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = tablesync ] || fail "Package is '$(field Package)'"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
echo "Depends: $depends"
# libqt6sql6-mysql is named explicitly (a plugin); the rest must come from dpkg-shlibdeps.
depends_names=$(sed 's/ *([^)]*)//g; s/, */\n/g' <<<"$depends")
for dep in libqt6sql6-mysql libqt6core6 libqt6sql6 libqt6network6 libqt6widgets6 libc6 libstdc++6; do
    grep -qxF "$dep" <<<"$depends_names" || fail "Depends lacks $dep"
done
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
    [ -x "$work/control/$script" ] || { fail "maintainer script $script missing or not executable"; continue; }
    sh -n "$work/control/$script" || fail "$script: syntax error"
done
# The runtime image installs the .deb with apt: every dependency must be satisfiable from Debian 12.
# (Simulated; the build machine has the Qt libraries already, so this needs no network.)
if ! apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    fail "apt cannot satisfy the .deb's dependencies"
fi

step "file list"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$work/files"
expected=(
    /usr/bin/tablesync
    /usr/share/applications/tablesync.desktop
    /usr/share/icons/hicolor/scalable/apps/tablesync.svg
    /usr/share/metainfo/tablesync.metainfo.xml
    /usr/lib/systemd/system/tablesync.service
    /usr/lib/sysusers.d/tablesync.conf
    /usr/share/doc/tablesync/examples/tablesync.env
    /usr/share/doc/tablesync/examples/tables.json
    /usr/share/doc/tablesync/examples/demo-schema.sql
)
for f in "${expected[@]}"; do
    grep -qxF "$f" "$work/files" || fail "the package lacks $f"
done
# Nothing from the build or test trees, no headers, nothing under /usr/local or /etc.
if grep -Ev '^/usr/(bin|share|lib/systemd/system|lib/sysusers\.d)(/|$)|^/usr/(lib/(systemd/)?)?$|^/$' "$work/files"; then
    fail "the package holds files outside /usr/bin, /usr/share and the systemd directories (listed above)"
fi
dpkg-deb -c "$deb" | awk '$6 == "./usr/bin/tablesync" && $1 !~ /^-rwxr-xr-x$/ {exit 1}' \
    || fail "/usr/bin/tablesync is not mode 0755"

step "unpack (dpkg-deb -x) and run the unpacked binary"
root=$work/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/tablesync
# No RPATH/RUNPATH: the installed binary must find everything in the system library paths, never
# in the build tree it came from.
if readelf -d "$bin" | grep -E 'R(UN)?PATH'; then fail "the packaged binary has an RPATH/RUNPATH"; fi
if ldd "$bin" | grep 'not found'; then fail "the packaged binary has unresolved libraries"; fi
version_out=$("$bin" --version)
echo "$version_out"
upstream=$(field Version)
upstream=${upstream%-*}
[[ $version_out == "tablesync $upstream "* ]] || fail "--version says '$version_out', the package is $upstream"
"$bin" --help | grep -q -- '--headless' || fail "--help does not mention --headless"

step "headless --once sync of the shipped examples against the sandbox"
sandbox_env=$("$source_dir/tests/support/sandbox.sh" env)
[ -f "$sandbox_env" ] || { echo "FAIL: no $sandbox_env; start the sandbox: tests/support/sandbox.sh start" >&2; exit 1; }
env_value() { sed -n "s/^$1=//p" "$sandbox_env" | tail -n 1; }
db_user=$(env_value SOURCE_DB_USER)
db_pass=$(env_value SOURCE_DB_PASS)
source_port=$(env_value SOURCE_DB_PORT)
target_port=$(env_value TARGET_DB_PORT)
# The password goes through MYSQL_PWD, not the command line (where ps would show it).
sql() {
    local port=$1
    shift
    MYSQL_PWD=$db_pass mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$port" -u"$db_user" "$@"
}
sql "$source_port" -e 'DROP DATABASE IF EXISTS pkg_src; CREATE DATABASE pkg_src CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
sql "$target_port" -e 'DROP DATABASE IF EXISTS pkg_tgt; CREATE DATABASE pkg_tgt CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
examples=$root/usr/share/doc/tablesync/examples
sql "$source_port" pkg_src <"$examples/demo-schema.sql"

# A free port for the health server, so this run never collides with another tablesync on 8089.
health_port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The shipped example .env with the sandbox's connection filled in: the example must parse as is.
sed -e "s/^SOURCE_DB_PORT=.*/SOURCE_DB_PORT=$source_port/" \
    -e "s/^TARGET_DB_PORT=.*/TARGET_DB_PORT=$target_port/" \
    -e "s/^\(SOURCE\|TARGET\)_DB_USER=.*/\1_DB_USER=$db_user/" \
    -e "s/^\(SOURCE\|TARGET\)_DB_PASS=.*/\1_DB_PASS='$db_pass'/" \
    -e 's/^SOURCE_DB_NAME=.*/SOURCE_DB_NAME=pkg_src/' \
    -e 's/^TARGET_DB_NAME=.*/TARGET_DB_NAME=pkg_tgt/' \
    -e 's/^INTERVAL=.*/INTERVAL=0/' \
    -e "s/^HEALTH_PORT=.*/HEALTH_PORT=$health_port/" \
    "$examples/tablesync.env" >"$work/tablesync.env"
chmod 600 "$work/tablesync.env"
# From an empty directory, so only --env and --tables can supply the configuration.
mkdir "$work/run"
status=0
(cd "$work/run" && timeout 120 "$bin" --headless --once --env "$work/tablesync.env" \
    --tables "$examples/tables.json") >"$work/sync.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    cat "$work/sync.log" >&2
    fail "headless --once sync exited with $status"
else
    tail -n 5 "$work/sync.log"
fi
counts=$(sql "$target_port" pkg_tgt -N -e "
    SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM order_lines), (SELECT COUNT(*) FROM products),
           (SELECT COUNT(*) FROM _dlt_loads WHERE status = 0)" 2>&1) || true
[ "$(tr -s '\t ' ' ' <<<"$counts")" = "3 2000 4 1" ] \
    || fail "target counts (customers, order_lines, products, complete loads) are '$counts', expected 3 2000 4 1"
# Text and decimals arrive byte for byte (the demo has 4-byte UTF-8 and 4-digit scales).
digest="SELECT MD5(GROUP_CONCAT(sku, HEX(title), price ORDER BY sku)) FROM products"
[ "$(sql "$source_port" pkg_src -N -e "$digest")" = "$(sql "$target_port" pkg_tgt -N -e "$digest")" ] \
    || fail "products differ between source and target"

step "desktop entry, AppStream metainfo, icon"
desktop-file-validate "$root/usr/share/applications/tablesync.desktop" || fail "desktop-file-validate"
# The id stays `tablesync` (matching tablesync.desktop) until the project has a domain for an
# rDNS id; AppStream only recommends one, so that one hint is downgraded to info.
appstreamcli validate --no-net --pedantic --override=cid-desktopapp-is-not-rdns=info \
    "$root/usr/share/metainfo/tablesync.metainfo.xml" || fail "appstreamcli validate"
"$py" - "$root" "$upstream" <<'PY' || fail "icon or metainfo check"
import sys, xml.etree.ElementTree as ET
root, version = sys.argv[1], sys.argv[2]
svg = ET.parse(root + "/usr/share/icons/hicolor/scalable/apps/tablesync.svg").getroot()
assert svg.tag == "{http://www.w3.org/2000/svg}svg", "the icon is not an SVG document: " + svg.tag
meta = ET.parse(root + "/usr/share/metainfo/tablesync.metainfo.xml").getroot()
releases = [r.get("version") for r in meta.iter("release")]
assert releases and releases[0] == version, f"newest metainfo release {releases[:1]} is not the package version {version}"
assert meta.findtext("launchable") == "tablesync.desktop", "metainfo launchable is not tablesync.desktop"
PY

step "systemd unit"
unit=$root/usr/lib/systemd/system/tablesync.service
grep -qx 'ExecStart=/usr/bin/tablesync --headless --env /etc/tablesync/tablesync.env --tables /etc/tablesync/tables.json' \
    "$unit" || fail "unexpected ExecStart in tablesync.service"
grep -qx 'User=tablesync' "$unit" || fail "tablesync.service does not run as User=tablesync"
grep -q '^u tablesync ' "$root/usr/lib/sysusers.d/tablesync.conf" || fail "sysusers.d does not create tablesync"
if ! command -v systemd-analyze >/dev/null 2>&1; then
    fail "systemd-analyze not found; install systemd (scripts/install-deps.sh)"
else
    # verify checks that ExecStart's binary exists, so it sees a copy of the unit pointing at the
    # unpacked binary; everything else is the shipped unit unchanged.
    mkdir "$work/units"
    sed "s#/usr/bin/tablesync#$bin#" "$unit" >"$work/units/tablesync.service"
    printf '[Service]\nExecStart=/bin/true\n' >"$work/units/probe.service"
    if ! systemd-analyze verify "$work/units/probe.service" >"$work/probe.log" 2>&1; then
        # The tool itself cannot run here (e.g. no usable systemd in this container): say so, loudly.
        echo "SKIP: systemd-analyze verify cannot run in this environment:" >&2
        cat "$work/probe.log" >&2
    elif ! systemd-analyze verify "$work/units/tablesync.service" >"$work/verify.log" 2>&1 \
        || [ -s "$work/verify.log" ]; then
        # verify exits 0 on unknown keys and only prints them: any output is a failure.
        cat "$work/verify.log" >&2
        fail "systemd-analyze verify tablesync.service"
    else
        echo "systemd-analyze verify: clean"
        # The offline security review scores the hardening; below 3.0 is systemd's "OK" band.
        exposure=$(systemd-analyze security --offline=yes "$work/units/tablesync.service" 2>/dev/null \
            | sed -n 's/.*Overall exposure level for tablesync.service: \([0-9.]*\).*/\1/p')
        echo "systemd-analyze security: exposure ${exposure:-unknown}"
        if [ -n "$exposure" ] && ! awk -v e="$exposure" 'BEGIN { exit !(e < 3.0) }'; then
            fail "systemd-analyze security exposure $exposure is not below 3.0"
        fi
    fi
fi

step "compose.yaml (docker-compose config: parsed and checked against the Compose schema, no engine needed)"
compose=$source_dir/packaging/compose.yaml
if ! docker-compose -f "$compose" config >"$work/compose.yaml" 2>"$work/compose.err"; then
    cat "$work/compose.err" >&2
    fail "docker-compose config rejects packaging/compose.yaml"
else
    "$py" - "$work/compose.yaml" <<'PY' || fail "compose.yaml does not describe the expected services"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
s = c["services"]
assert set(s) == {"source", "target", "tablesync"}, sorted(s)
def published(svc):
    return {p.split(":")[-2] for p in s[svc].get("ports", [])}
assert published("source") == {"3307"}, s["source"]["ports"]
assert published("target") == {"3308"}, s["target"]["ports"]
assert published("tablesync") == {"8089"}, s["tablesync"]["ports"]
for db in ("source", "target"):
    assert s[db]["image"].startswith("mariadb:"), s[db]["image"]
    assert "healthcheck.sh" in s[db]["healthcheck"]["test"], s[db]["healthcheck"]
    assert s["tablesync"]["depends_on"][db]["condition"] == "service_healthy", s["tablesync"]["depends_on"]
assert any("demo-schema.sql" in v for v in s["source"]["volumes"]), "the source is not seeded with the demo schema"
assert any(v.endswith("/docker-entrypoint-initdb.d/10-seed-source.sh:ro") for v in s["source"]["volumes"])
assert "http://127.0.0.1:8089/healthz" in s["tablesync"]["healthcheck"]["test"], s["tablesync"]["healthcheck"]
assert s["tablesync"]["environment"]["HEALTH_HOST"] == "0.0.0.0"
assert s["tablesync"]["build"]["dockerfile"] == "packaging/Dockerfile"
PY
fi
# Files the compose file mounts must exist, and the seed script must be sourced (not executable) so
# it gets the entrypoint's docker_process_sql.
for f in demo/demo-schema.sql demo/tables.json compose/seed-source.sh Dockerfile; do
    [ -f "$source_dir/packaging/$f" ] || fail "packaging/$f is missing"
done
if [ -x "$source_dir/packaging/compose/seed-source.sh" ]; then
    fail "packaging/compose/seed-source.sh must not be executable"
fi
grep -q '^HEALTHCHECK .*/healthz' "$source_dir/packaging/Dockerfile" || fail "the Dockerfile has no /healthz HEALTHCHECK"
grep -q '^USER tablesync$' "$source_dir/packaging/Dockerfile" || fail "the Dockerfile does not run as tablesync"

if [ "$failures" -ne 0 ]; then
    echo "packaging test: $failures check(s) failed" >&2
    exit 1
fi
echo "packaging test: all checks passed"
