#!/usr/bin/env bash
# test-compose.sh: runs packaging/compose.yaml for real, with podman, on a Debian 12 machine without
# a Docker engine or a reachable container registry, and checks what docs/deployment.md promises of it.
#
#   sudo scripts/test-compose.sh [--keep-images] [--head] [--debootstrap]
#
#   --keep-images  keep the images it built (Debian base, MariaDB stand-in, tablesync and the
#                  build's cached layers): the next run reuses them, so after a change to the
#                  sources only `COPY . .` and the compile run again (install-deps, ~2 minutes, not)
#   --head         build and run the last commit (git archive HEAD) instead of the working tree,
#                  e.g. while the tree is half-way through an edit
#   --debootstrap  make the Debian base image with debootstrap even if /tmp/fresh-base.tar exists
#
# Steps: install podman, runc, docker-compose, debootstrap, curl and the MariaDB client from Debian
# if missing; make the base images without a registry (a Debian 12 root file system imported as
# debian:12 and debian:12-slim; mariadb:10.11 built from Debian's mariadb-server by
# packaging/compose/test-image/); build the tablesync image from packaging/Dockerfile with
# `podman build --format docker`; run compose.yaml with Debian's docker-compose against a private
# `podman system service`; check the three services healthy, /healthz and /, the token on /status,
# the demo tables synced (row counts on both published ports), and that SIGTERM ends the runner
# with status 0; then take everything down. Clean-up runs on failure too.
#
# Needs root (rootful podman, apt-get) and free ports 3307, 3308 and 8089. About 15 minutes cold
# on 2 busy cores, 13-14 of them the tablesync image build. Not part of .ci/run (see docs/deployment.md).
# Why podman needs what it needs here: ../shared/FACTS-podman.md where it exists.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly PROJECT=tablesync-compose-test        # Compose project: names its containers, volumes, network
readonly TEST_IMAGE_DIR=$ROOT/packaging/compose/test-image
readonly FRESH_BASE_TAR=/tmp/fresh-base.tar     # made by ../shared/tools/fresh/make-base.sh
readonly FRESH_BASE_DOC=$ROOT/../shared/tools/fresh/make-base.sh
# Fully qualified names: podman's Docker API looks short names such as `mariadb:10.11` up as
# docker.io/library/..., so that is where the images the Dockerfile and compose.yaml name must be.
readonly DEBIAN_IMAGES=(docker.io/library/debian:12 docker.io/library/debian:12-slim)
readonly MARIADB_IMAGE=docker.io/library/mariadb:10.11
readonly TABLESYNC_IMAGE=docker.io/library/tablesync:latest
readonly PACKAGES=(podman runc netavark aardvark-dns iptables docker-compose debootstrap curl mariadb-client ca-certificates)

KEEP_IMAGES=0
FROM_HEAD=0
FORCE_DEBOOTSTRAP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-images) KEEP_IMAGES=1 ;;
        --head) FROM_HEAD=1 ;;
        --debootstrap) FORCE_DEBOOTSTRAP=1 ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0"; exit 0 ;;
        *) echo "test-compose: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

# --- Progress, timings and failure ------------------------------------------------------------

STEP_NAMES=()
STEP_SECONDS=()
CURRENT_STEP=""
STEP_START=0
RUN_START=$SECONDS

step() {
    end_step
    CURRENT_STEP=$1
    STEP_START=$SECONDS
    printf '\n==> %s\n' "$1"
}
end_step() {
    if [ -n "$CURRENT_STEP" ]; then
        STEP_NAMES+=("$CURRENT_STEP")
        STEP_SECONDS+=($((SECONDS - STEP_START)))
        CURRENT_STEP=""
    fi
}
say() { printf '    %s\n' "$*"; }
die() {
    printf '\ntest-compose: FAILED in "%s": %s\n' "${CURRENT_STEP:-start}" "$*" >&2
    exit 1
}
# Runs "$@" with its output in a log file; on failure shows the log's end and fails with $what.
run_logged() {
    local what=$1 log=$2
    shift 2
    if ! "$@" >"$log" 2>&1; then
        tail -n 40 "$log" | sed 's/^/    | /' >&2
        die "$what failed (whole log: $log)"
    fi
}

# --- State that clean-up needs ------------------------------------------------------------------

WORK=""                 # temporary directory: socket, logs, containers.conf, the --head snapshot
SERVICE_PID=""          # podman system service
HEALTH_PID=""           # the background loop that runs the health checks
STACK_UP=0              # 1 from docker-compose up until down has succeeded
IMAGES_BEFORE=""        # image ids present before this run: never removed
CONTAINERS_BEFORE=""    # the same for containers (podman build's leftovers are removed)
IP_FORWARD_BEFORE=""    # podman turns IPv4 forwarding on; put back what was there
NETAVARK_RULES_BEFORE=0 # netavark's firewall rules already there (another user of podman): left alone

podman_ids() { podman "$@" 2>/dev/null | sort -u || true; }

cleanup() {
    local rc=$1
    end_step
    set +e
    printf '\n==> clean-up\n'
    if [ -n "$HEALTH_PID" ]; then
        touch "$WORK/stop-healthchecks"
        # The loop looks for the file every 3 s; a health check in flight ends within its timeout.
        timeout 40 tail --pid="$HEALTH_PID" -f /dev/null || kill "$HEALTH_PID"
        wait "$HEALTH_PID" 2>/dev/null
    fi
    if [ "$STACK_UP" = 1 ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
        [ "$rc" = 0 ] || { say "last lines of each service's log:"; compose logs --no-color --tail=15 2>&1 | sed 's/^/    | /'; }
        if ! timeout 120 "${COMPOSE[@]}" down --volumes --remove-orphans --timeout 70 >"$WORK/down.log" 2>&1; then
            tail -n 5 "$WORK/down.log" | sed 's/^/    | /'
            say "docker-compose down failed; removing by label"
        fi
    fi
    if command -v podman >/dev/null; then
        # Whatever compose down left (or never got to): by the project's labels and names only.
        # (podman rm complains that it cannot remove the health checks' systemd timers: there are none.)
        podman ps -aq --filter "label=com.docker.compose.project=$PROJECT" | xargs -r podman rm -f -t 10 >/dev/null 2>&1
        podman volume ls -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r podman volume rm -f >/dev/null
        podman network exists "${PROJECT}_default" 2>/dev/null && podman network rm -f "${PROJECT}_default" >/dev/null
        # Working containers of a failed podman build.
        comm -13 <(echo "$CONTAINERS_BEFORE") <(podman_ids ps -aq --external --no-trunc) | xargs -r podman rm -f >/dev/null 2>&1
        local left
        left="$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT") $(podman volume ls -q --filter "label=com.docker.compose.project=$PROJECT")"
        [ -z "${left// /}" ] || say "WARNING: could not remove: $left"
    fi
    if [ -n "$SERVICE_PID" ]; then
        kill "$SERVICE_PID" 2>/dev/null
        wait "$SERVICE_PID" 2>/dev/null
    fi
    if command -v podman >/dev/null && [ -n "$WORK" ]; then
        if [ "$KEEP_IMAGES" = 1 ]; then
            say "images kept (--keep-images): $(podman images --format '{{.Repository}}:{{.Tag}}' | grep -E 'debian|mariadb|tablesync' | sort -u | tr '\n' ' ')"
        else
            # Every image that was not there before this run: the tags and the build's layers.
            local new
            new=$(comm -13 <(echo "$IMAGES_BEFORE") <(podman_ids images -aq --no-trunc))
            if [ -n "$new" ]; then
                say "removing the $(wc -l <<<"$new") images this run made (--keep-images keeps them)"
                xargs podman rmi -f <<<"$new" >/dev/null 2>&1
            fi
        fi
    fi
    if [ -n "$IP_FORWARD_BEFORE" ] && [ "$(cat /proc/sys/net/ipv4/ip_forward)" != "$IP_FORWARD_BEFORE" ]; then
        echo "$IP_FORWARD_BEFORE" >/proc/sys/net/ipv4/ip_forward
    fi
    # netavark removes a network's rules with it but leaves its (then empty) chains and the jumps
    # to them; drop those too when no container is left that could use them.
    if [ "$NETAVARK_RULES_BEFORE" = 0 ] && command -v iptables-save >/dev/null \
        && iptables-save | grep -q NETAVARK && [ -z "$(podman ps -q 2>/dev/null)" ]; then
        iptables-save | grep -v NETAVARK | iptables-restore
    fi
    if [ -n "$WORK" ]; then
        # debootstrap may leave /proc or /sys mounted in its root when it fails.
        awk -v d="$WORK/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
        if [ "$rc" = 0 ]; then
            rm -rf --one-file-system "$WORK"
        else
            # The logs stay for a look; not the copies of the sources or of a root file system.
            rm -rf --one-file-system "$WORK/head" "$WORK/rootfs" "$WORK/rootfs.tar" "$WORK/podman.sock"
            say "logs kept in $WORK (remove it when done)"
        fi
    fi
    summary "$rc"
}
on_exit() {
    local rc=$?
    trap - EXIT INT TERM HUP
    cleanup "$rc"
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

summary() {
    local i
    printf '\n==> summary\n'
    for i in "${!STEP_NAMES[@]}"; do
        printf '    %5d s  %s\n' "${STEP_SECONDS[$i]}" "${STEP_NAMES[$i]}"
    done
    printf '    %5d s  total\n' $((SECONDS - RUN_START))
    if [ "$1" = 0 ]; then
        printf '\ntest-compose: PASSED: packaging/compose.yaml ran with podman; all checks above passed\n'
    else
        printf '\ntest-compose: FAILED (status %s), see the message above the clean-up\n' "$1" >&2
    fi
}

# --- Steps --------------------------------------------------------------------------------------

preflight() {
    step "preflight"
    [ "$(id -u)" = 0 ] || die "needs root (rootful podman and apt-get): sudo $0"
    local port
    for port in 3307 3308 8089; do
        # A successful connect means something listens there already, which compose would clash with.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            die "port $port on 127.0.0.1 is in use; compose.yaml publishes 3307, 3308 and 8089"
        fi
    done
    WORK=$(mktemp -d /tmp/tablesync-compose-test.XXXXXX)
    IP_FORWARD_BEFORE=$(cat /proc/sys/net/ipv4/ip_forward)
    NETAVARK_RULES_BEFORE=$({ iptables-save 2>/dev/null || true; } | grep -c NETAVARK || true)
    echo "# scripts/test-compose.sh: compose.yaml's defaults, HEALTH_TOKEN from the environment" >"$WORK/compose.env"
    say "work directory $WORK"
}

install_packages() {
    step "install packages from Debian"
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "all present: ${PACKAGES[*]}"
    else
        say "installing ${missing[*]}"
        run_logged "apt-get update" "$WORK/apt.log" apt-get -o DPkg::Lock::Timeout=600 update
        run_logged "apt-get install ${missing[*]}" "$WORK/apt.log" env DEBIAN_FRONTEND=noninteractive \
            apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
    fi
    say "$(podman --version), $(runc --version | head -n1), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"
    IMAGES_BEFORE=$(podman_ids images -aq --no-trunc)
    CONTAINERS_BEFORE=$(podman_ids ps -aq --external --no-trunc)
}

# containers.conf for every podman call of this run, the service's included.
write_containers_conf() {
    step "containers.conf"
    # Rootful podman raises nofile/nproc to 1048576 in each container, which fails where the host's
    # hard limits are lower (setrlimit: Operation not permitted); stay within them. conmon, the
    # containers' parent, runs with nproc at most kernel.pid_max (measured: 32768 here, while the
    # shell's hard limit is higher), so that caps nproc too. runc, because crun refuses a hybrid
    # cgroup v1/v2 layout.
    local nofile nproc pid_max
    nofile=$(ulimit -Hn); [ "$nofile" != unlimited ] || nofile=1048576
    nproc=$(ulimit -Hu); [ "$nproc" != unlimited ] || nproc=1048576
    pid_max=$(cat /proc/sys/kernel/pid_max)
    [ "$nproc" -le "$pid_max" ] || nproc=$pid_max
    cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
EOF
    export CONTAINERS_CONF=$WORK/containers.conf
    say "nofile $nofile, nproc $nproc, runtime runc ($CONTAINERS_CONF)"
}

image_exists() { podman image exists "$1" 2>/dev/null; }

# debian:12 and debian:12-slim, which no registry can give here.
make_debian_images() {
    step "Debian base images (no registry)"
    if image_exists "${DEBIAN_IMAGES[0]}" && image_exists "${DEBIAN_IMAGES[1]}"; then
        say "present already: ${DEBIAN_IMAGES[*]}"
        return
    fi
    local tar
    if [ "$FORCE_DEBOOTSTRAP" = 0 ] && [ -s "$FRESH_BASE_TAR" ] && [ -f "$FRESH_BASE_DOC" ]; then
        # make-base.sh's tarball: debootstrap --variant=minbase bookworm, upgraded, Debian's apt
        # sources of this machine (see that script).
        tar=$FRESH_BASE_TAR
        say "root file system: $tar (made by $(realpath "$FRESH_BASE_DOC"))"
    else
        tar=$WORK/rootfs.tar
        debootstrap_rootfs "$tar"
    fi
    run_logged "podman import" "$WORK/import.log" podman import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' "$tar" "${DEBIAN_IMAGES[0]}"
    podman tag "${DEBIAN_IMAGES[0]}" "${DEBIAN_IMAGES[1]}"
    rm -f "$WORK/rootfs.tar"
    say "imported as ${DEBIAN_IMAGES[*]}"
}

# A minimal bookworm (what Debian's own images hold, more or less) into tarball $1.
debootstrap_rootfs() {
    local dir=$WORK/rootfs mirror
    # The first Debian archive this machine's apt uses (a URI ending in /debian).
    mirror=$(awk '!/^[[:space:]]*#/ { for (i = 1; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }' \
        /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1)
    mirror=${mirror:-http://deb.debian.org/debian}
    say "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
    run_logged "debootstrap" "$WORK/debootstrap.log" debootstrap --variant=minbase bookworm "$dir" "$mirror"
    # debootstrap writes only the release suite; the official images also have -updates and -security.
    rm -f "$dir/etc/apt/sources.list"
    cat >"$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # How this machine reaches its mirror (proxies, snapshot mirrors' date checks) applies inside too.
    local f
    for f in /etc/apt/apt.conf.d/*; do
        [ -f "$f" ] && grep -Eiq 'proxy|Check-Valid-Until|Check-Date' "$f" && cp "$f" "$dir/etc/apt/apt.conf.d/"
    done
    rm -rf "${dir:?}/var/lib/apt/lists/"* "$dir/var/cache/apt/archives/"*.deb
    if grep -q " $dir/" /proc/self/mounts; then die "mounts left under $dir by debootstrap"; fi
    tar --numeric-owner -C "$dir" -cf "$1" .
    rm -rf --one-file-system "$dir"
}

# mariadb:10.11: the official image cannot be pulled, so a stand-in of our own (test-image/).
make_mariadb_image() {
    step "MariaDB image (stand-in from Debian's mariadb-server)"
    if image_exists "$MARIADB_IMAGE" \
        && [ -z "$(podman image inspect --format '{{index .Labels "org.tablesync.test-image"}}' "$MARIADB_IMAGE")" ]; then
        say "using the $MARIADB_IMAGE present already (not our stand-in: the official image, probably)"
        return
    fi
    run_logged "building the MariaDB stand-in" "$WORK/mariadb-build.log" \
        podman build --format docker -t "$MARIADB_IMAGE" "$TEST_IMAGE_DIR"
    say "built $MARIADB_IMAGE from $TEST_IMAGE_DIR"
}

# The directory the image is built from and compose.yaml runs in: the working tree, or HEAD.
SRC=$ROOT
source_tree() {
    if [ "$FROM_HEAD" = 1 ]; then
        step "snapshot of HEAD (--head)"
        SRC=$WORK/head
        mkdir "$SRC"
        git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
        say "$(git -C "$ROOT" log -1 --format='%h %s' | cut -c1-100)"
        say "into $SRC (test-image/ still comes from $TEST_IMAGE_DIR)"
    fi
    COMPOSE=(docker-compose --project-name "$PROJECT" --env-file "$WORK/compose.env"
             --file "$SRC/packaging/compose.yaml")
}

build_tablesync_image() {
    step "tablesync image (podman build --format docker, packaging/Dockerfile)"
    # --format docker: the default OCI format has no HEALTHCHECK and podman would drop it.
    say "13-14 minutes cold on this 2-core machine; log: $WORK/tablesync-build.log"
    local rc=0
    podman build --format docker -f "$SRC/packaging/Dockerfile" -t "$TABLESYNC_IMAGE" "$SRC" 2>&1 \
        | tee "$WORK/tablesync-build.log" | { grep --line-buffered -E 'STEP [0-9]+/[0-9]+:|^COMMIT' | sed -u 's/^\(.\{100\}\).*/\1 .../; s/^/    /' || true; } \
        || rc=$?
    if [ "$rc" != 0 ]; then
        tail -n 40 "$WORK/tablesync-build.log" | sed 's/^/    | /' >&2
        die "podman build of packaging/Dockerfile failed (status $rc)"
    fi
    local hc
    hc=$(podman image inspect --format '{{json .HealthCheck}}' "$TABLESYNC_IMAGE")
    case "$hc" in
        *healthz*) say "image's HEALTHCHECK kept: $hc" ;;
        *) die "the image has no HEALTHCHECK ($hc): built without --format docker?" ;;
    esac
}

# Debian's docker-compose 1.29, talking to podman through DOCKER_HOST. --env-file: our own file,
# so a developer's packaging/.env does not change what is tested.
COMPOSE=()
compose() { "${COMPOSE[@]}" "$@"; }

start_podman_service() {
    step "podman system service (Docker API for docker-compose)"
    local sock=$WORK/podman.sock
    podman system service --time=0 "unix://$sock" >"$WORK/service.log" 2>&1 &
    SERVICE_PID=$!
    export DOCKER_HOST=unix://$sock
    local _
    for _ in $(seq 30); do
        [ "$(curl -s --unix-socket "$sock" http://d/_ping 2>/dev/null)" = OK ] && { say "answering on $sock"; return; }
        kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log" >&2; die "podman system service exited"; }
        sleep 1
    done
    die "podman system service did not answer on $sock within 30 s"
}

# podman 4.3 runs health checks from systemd timers; without systemd as PID 1 nothing would run
# them and every service would stay "starting". So: run them by hand, every 3 s, in the background.
drive_healthchecks() {
    local c
    while [ ! -e "$WORK/stop-healthchecks" ]; do
        for c in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
            timeout 30 podman healthcheck run "$c" >/dev/null 2>&1 || true
        done
        sleep 3
    done
}

container_of() {
    podman ps -aq --filter "label=com.docker.compose.project=$PROJECT" \
        --filter "label=com.docker.compose.service=$1"
}
health_of() { podman inspect --format '{{.State.Health.Status}}' "$(container_of "$1")" 2>/dev/null; }

compose_up() {
    step "docker-compose up (compose.yaml unchanged)"
    # Compose reads these from its environment; clear what a developer's shell may have set so
    # compose.yaml's own defaults are what is tested, and guard /status with a token.
    unset SOURCE_ROOT_PASSWORD TARGET_ROOT_PASSWORD SOURCE_DB_PASS TARGET_DB_PASS TABLESYNC_BIND INTERVAL
    HEALTH_TOKEN="compose-test-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
    export HEALTH_TOKEN
    drive_healthchecks &
    HEALTH_PID=$!
    STACK_UP=1
    # up waits for source and target to be healthy (depends_on: service_healthy) before it
    # starts the runner, so it takes as long as the seeding.
    if ! timeout 600 "${COMPOSE[@]}" up -d --no-build 2>&1 | sed 's/^/    /'; then
        die "docker-compose up failed"
    fi
    local s
    for s in source target tablesync; do
        [ -n "$(container_of "$s")" ] || die "no container for service $s"
    done
}

wait_healthy() {
    step "all three services healthy"
    local s state deadline=$((SECONDS + 240)) pending
    while :; do
        pending=()
        for s in source target tablesync; do
            # An exited dependency is not waited for: docker-compose 1.29 looks at running
            # containers only, so it counts an exited database as healthy and starts the runner.
            state=$(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$(container_of "$s")")
            case "$state" in
                running*) ;;
                *) die "service $s is not running ($state): see its log below" ;;
            esac
            state=$(health_of "$s")
            [ "$state" = healthy ] || pending+=("$s:${state:-no status}")
            [ "$state" != unhealthy ] || die "service $s is unhealthy"
        done
        [ ${#pending[@]} -gt 0 ] || break
        [ $SECONDS -lt "$deadline" ] || die "not healthy within 240 s: ${pending[*]}"
        sleep 2
    done
    compose ps | sed 's/^/    /'
}

check_http() {
    step "health server on 127.0.0.1:8089"
    local url=http://127.0.0.1:8089 body code
    body=$(curl -fsS --max-time 10 "$url/healthz") || die "GET /healthz failed"
    say "GET /healthz: $(head -c 200 <<<"$body")"
    body=$(curl -fsS --max-time 10 "$url/") || die "GET / failed"
    [ "$body" = "We are Groot!" ] || die "GET / answered '$body', not 'We are Groot!'"
    say "GET /: $body"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/status")
    [ "$code" = 401 ] || die "GET /status without the token answered $code, not 401"
    say "GET /status without the token: 401"
    code=$(curl -s -o "$WORK/status.json" -w '%{http_code}' --max-time 10 \
        -H "Authorization: Bearer $HEALTH_TOKEN" "$url/status")
    [ "$code" = 200 ] || die "GET /status with the token answered $code, not 200"
    say "GET /status with Authorization: Bearer: 200, $(wc -c <"$WORK/status.json") bytes of JSON"
}

# $1: port, $2: database, rest: mariadb client arguments. Over TCP to the published port.
sql_at() {
    local port=$1 db=$2
    shift 2
    MYSQL_PWD=tablesync mariadb --no-defaults --protocol=tcp --host=127.0.0.1 --port="$port" \
        --user=tablesync --batch --skip-column-names --default-character-set=utf8mb4 "$db" "$@"
}

check_synced() {
    step "demo tables seeded on the source and synced to the target"
    # The tables tablesync syncs: those packaging/demo/tables.json names.
    local tables t src dst deadline=$((SECONDS + 180)) waiting
    mapfile -t tables < <(grep -o '"table": *"[^"]*"' "$SRC/packaging/demo/tables.json" | sed 's/.*"\([^"]*\)"$/\1/')
    [ ${#tables[@]} -gt 0 ] || die "no tables found in packaging/demo/tables.json"
    for t in "${tables[@]}"; do
        src=$(sql_at 3307 source_db -e "SELECT COUNT(*) FROM \`$t\`") || die "counting $t on the source (3307) failed"
        [ "$src" -gt 0 ] || die "source table $t is empty: the seed did not run"
    done
    # The first run starts with the runner; the demo is small, so it is done in seconds.
    while :; do
        waiting=()
        for t in "${tables[@]}"; do
            src=$(sql_at 3307 source_db -e "SELECT COUNT(*) FROM \`$t\`")
            dst=$(sql_at 3308 target_db -e "SELECT COUNT(*) FROM \`$t\`" 2>/dev/null || echo missing)
            [ "$src" = "$dst" ] || waiting+=("$t: source $src, target $dst")
        done
        [ ${#waiting[@]} -gt 0 ] || break
        [ $SECONDS -lt "$deadline" ] || die "target not in step within 180 s: ${waiting[*]}"
        sleep 3
    done
    for t in "${tables[@]}"; do
        say "$(printf '%-12s %6s rows on the source (3307), the same on the target (3308)' "$t" \
            "$(sql_at 3307 source_db -e "SELECT COUNT(*) FROM \`$t\`")")"
    done
    # The seed's point is utf8mb4 (emoji, CJK): the text must arrive as it was written.
    local q='SELECT sku, title, price FROM products ORDER BY sku'
    [ "$(sql_at 3307 source_db -e "$q")" = "$(sql_at 3308 target_db -e "$q")" ] \
        || die "products differ between source and target ($q)"
    say "products' text identical on both sides: $(sql_at 3308 target_db -e "SELECT title FROM products WHERE sku = 'SKU-002'")"
}

check_sigterm() {
    step "SIGTERM ends the runner with status 0"
    local c t0 rc state
    c=$(container_of tablesync)
    t0=$SECONDS
    # compose stop sends the image's STOPSIGNAL (SIGTERM) and waits stop_grace_period (60 s)
    # before it would SIGKILL: status 137 then, so 0 proves tablesync ended by itself.
    compose stop tablesync 2>&1 | sed 's/^/    /' || die "docker-compose stop tablesync failed"
    state=$(podman inspect --format '{{.State.Status}}' "$c")
    rc=$(podman inspect --format '{{.State.ExitCode}}' "$c")
    [ "$state" = exited ] || die "the runner is $state after docker-compose stop"
    [ "$rc" = 0 ] || { podman logs --tail 20 "$c" 2>&1 | sed 's/^/    | /'; die "the runner exited with status $rc, not 0"; }
    say "exited with status 0 after $((SECONDS - t0)) s"
    podman logs --tail 3 "$c" 2>&1 | sed 's/^/    | /'
    # Not failures, but worth a look: what the runner warned about in this setup.
    local warnings
    warnings=$(podman logs "$c" 2>&1 | grep -Ei 'warning|error|failed' | grep -v ' 0 failed' | cut -c1-160 || true)
    say "the runner's log: $(grep -c . <<<"$warnings") line(s) with warning/error/failed${warnings:+:}"
    [ -z "$warnings" ] || head -n 10 <<<"$warnings" | sed 's/^/    | /'
    # The seed grants the source user PROCESS: the safe start must not be missing it.
    ! grep -q 'lacks the PROCESS privilege' <<<"$warnings" || die "the source user lacks PROCESS (seed-source.sh grants it)"
    # restart: unless-stopped must not bring a stopped runner back.
    sleep 5
    state=$(podman inspect --format '{{.State.Status}}' "$c")
    [ "$state" = exited ] || die "the runner is $state 5 s after it was stopped (restart policy)"
}

compose_down() {
    step "docker-compose down -v"
    compose down --volumes --remove-orphans --timeout 70 2>&1 | sed 's/^/    /' \
        || die "docker-compose down failed"
    local left
    left="$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT")$(podman volume ls -q --filter "label=com.docker.compose.project=$PROJECT")"
    [ -z "$left" ] || die "containers or volumes left after down: $left"
    if podman network exists "${PROJECT}_default"; then die "network ${PROJECT}_default left after down"; fi
    STACK_UP=0
    say "no container, volume or network of $PROJECT left"
}

preflight
install_packages
write_containers_conf
make_debian_images
make_mariadb_image
source_tree
build_tablesync_image
start_podman_service
compose_up
wait_healthy
check_http
check_synced
check_sigterm
compose_down
