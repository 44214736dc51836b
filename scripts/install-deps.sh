#!/usr/bin/env bash
# Installs what building, testing and the demo need, from Debian 12's own packages.
# --build-only: just what building the binary and its .deb needs (the Dockerfile's build stage),
# without the database servers and the validators the tests use.
set -euo pipefail
packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev libqt6sql6-mysql libmariadb-dev libgl-dev
    qt6-httpserver-dev qt6-websockets-dev
    qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6svg6 qtkeychain-qt6-dev
    tzdata ca-certificates
    dpkg-dev file
)
# libmariadb-dev: the headers of MariaDB Connector/C, which QMYSQL runs on; a first load reads
# through it directly (core/db/TextProtocolQuery.h).
# dpkg-dev and file: cpack -G DEB runs dpkg-shlibdeps (which uses file) to work out the .deb's
# dependencies. The test-only packages: the sandbox servers, and the packaging test's validators
# (docker-compose parses compose.yaml without a Docker engine; systemd brings systemd-analyze),
# and headless chromium, which renders the health dashboard in tst_health and scripts/screenshots.sh.
# The desktop app: Qt Charts (pool view; its CMake package needs libqt6opengl6-dev, only a recommends), Qt Svg with libqt6svg6's icon plugin (SVG icons), QtKeychain
# (passwords in the OS keychain); xvfb and xauth run the window for scripts/gui-screenshots.sh.
# qt6-websockets-dev: Debian's qt6-httpserver-dev CMake package needs it but does not depend on it.
# python3: runs ../shared/tools/delayproxy.py, the TCP delay proxy tst_pool measures a round trip
# through (this kernel has no netem).
# openssl: the sandbox makes the target server's throwaway CA and certificate with it (tst_tls);
# ca-certificates happens to pull it in today, which is no promise.
# gnome-keyring, libsecret-tools and dbus-daemon (dbus-run-session): a real Secret Service in a private D-Bus session
# for tst_keychain (tests/support/with-keyring.sh); secret-tool reads back what the app stored.
# dunst (a notification service), trayer (a system tray) and x11-utils (xwininfo): the desktop
# tst_desktop runs the window on (tests/support/with-desktop.sh).
test_packages=(
    mariadb-server mariadb-client openssl python3
    docker-compose systemd desktop-file-utils appstream
    chromium
    xvfb xauth
    gnome-keyring libsecret-tools dbus-daemon
    dunst trayer x11-utils
)
[ "${1:-}" = --build-only ] || packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
