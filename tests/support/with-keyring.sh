#!/usr/bin/env bash
# Runs a command against a real Secret Service: gnome-keyring in a private D-Bus session with a
# throw-away HOME, never the user's own keyring or session.
#
#   tests/support/with-keyring.sh working COMMAND...        a default "login" collection, unlocked
#   tests/support/with-keyring.sh no-collection COMMAND...  the service answers, but has no
#                                                           collection to store into
#
# "working" keeps the collection in gnome-keyring's plain-text keyring format inside the throw-away
# HOME, so nobody has to type an unlock password. "no-collection" is what an account without a
# login keyring looks like: reads answer "not found", every store fails. DISPLAY is unset, so the
# daemon can never put up a prompt and wait for a person.
set -euo pipefail

if [[ "${1:-}" == --inside ]]; then
    shift
    mode=$1
    shift
    if [[ "$mode" == working ]]; then
        keyrings="$XDG_DATA_HOME/keyrings"
        mkdir -p "$keyrings"
        chmod 700 "$keyrings"
        printf '[keyring]\ndisplay-name=login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n' \
            >"$keyrings/login.keyring"
        printf 'login' >"$keyrings/default"
        chmod 600 "$keyrings"/*
    fi
    eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
    export GNOME_KEYRING_CONTROL
    exec "$@"
fi

mode=${1:?usage: $0 working|no-collection COMMAND...}
shift
case "$mode" in working | no-collection) ;; *) echo "$0: unknown mode $mode" >&2; exit 2 ;; esac
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
# Not exec: the trap removes the throw-away HOME when the command is done.
dbus-run-session -- "$0" --inside "$mode" "$@"
