#!/usr/bin/env bash
# Runs a command in a private session: its own HOME, a private D-Bus session bus with an unlocked
# gnome-keyring (QtKeychain's backend on Linux) and an Xvfb display. Nothing of the caller's keyring,
# NSS store or settings is touched.
#   ODIS_SESSION_HOME=dir  keep that HOME (and its keyring) across runs; default: a fresh, deleted one.
set -euo pipefail

if [ -z "${ODIS_IN_PRIVATE_SESSION:-}" ]; then
    if [ -n "${ODIS_SESSION_HOME:-}" ]; then
        home="$ODIS_SESSION_HOME"
        mkdir -p "$home"
    else
        home=$(mktemp -d /tmp/odis-test-home.XXXXXX)
        trap 'rm -rf "$home"' EXIT
    fi
    # The compiler cache stays the caller's: a build inside the session (the deb test's build without test
    # hooks) is then mostly cache hits instead of a cold compile of every product file.
    if [ -z "${CCACHE_DIR:-}" ] && command -v ccache >/dev/null; then
        CCACHE_DIR=$(ccache -k cache_dir 2>/dev/null || true)
        [ -z "$CCACHE_DIR" ] || export CCACHE_DIR
    fi
    export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
        XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state" XDG_RUNTIME_DIR="$home/run" \
        ODIS_IN_PRIVATE_SESSION=1
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    rc=0
    dbus-run-session -- "$0" "$@" || rc=$?
    exit $rc
fi

# Inside the session bus: start the keyring with a known password so it is unlocked.
eval "$(printf 'odis-session' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# Creating the default collection the first time needs a moment; wait until secret-tool answers.
for _ in $(seq 1 50); do
    if secret-tool store --label=odis-probe odis probe <<<"x" 2>/dev/null; then
        secret-tool clear odis probe || true
        break
    fi
    sleep 0.1
done

# A display for the tray and setup-window tests. Xvfb picks a free number itself and writes it to
# -displayfd (two sessions started at once would otherwise take the same one).
display_file=$(mktemp)
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$display_file" >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true; rm -f "$display_file"' EXIT
for _ in $(seq 1 300); do
    [ -s "$display_file" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
done
display=$(tr -dc '0-9' <"$display_file")
if [ -z "$display" ]; then
    echo "in-private-session.sh: Xvfb did not start" >&2
    exit 1
fi
export ODIS_TEST_DISPLAY=":$display"
"$@"
