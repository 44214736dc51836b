#!/usr/bin/env bash
# Runs a command on a small real desktop, never the user's: an Xvfb screen, a private D-Bus session,
# dunst (a freedesktop.org notification service) and trayer (a system tray, the XEmbed kind), the
# parts a tray icon and desktop notifications talk to. QT_QPA_PLATFORM=xcb, so Qt uses them.
#
#   tests/support/with-desktop.sh COMMAND...
#
# The command can ask dunst what it was shown: `dunstctl close-all; dunstctl history` (JSON).
set -euo pipefail

if [[ "${1:-}" == --inside ]]; then
    shift
    dunst -config /dev/null >"$WORK/dunst.log" 2>&1 &
    trayer --expand false --transparent false --SetDockType true >"$WORK/trayer.log" 2>&1 &
    # Both are ready when they own what clients look for: the bus name, the tray's X selection.
    for _ in $(seq 100); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null |
            grep -q "boolean true" && xwininfo -root -tree 2>/dev/null | grep -qi "panel"; then
            break
        fi
        sleep 0.1
    done
    export QT_QPA_PLATFORM=xcb
    exec "$@"
fi

for tool in Xvfb dbus-run-session dunst dunstctl trayer xwininfo; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
WORK=$(mktemp -d)
export WORK
exec 3>"$WORK/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [[ -s "$WORK/display" ]] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$WORK/display")"
unset WAYLAND_DISPLAY
dbus-run-session -- "$0" --inside "$@"
