#!/usr/bin/env bash
# Installs what this project needs on Debian 12 and is not installed yet (apt; sudo when not root).
# Safe to run again: it asks apt only for what is missing.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build pkg-config ccache
    qt6-base-dev qt6-webengine-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-l10n-tools
    qt6-charts-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6webenginecore6-bin
    qtkeychain-qt6-dev libsqlcipher-dev sqlcipher libspdlog-dev libssl-dev zlib1g-dev libphonenumber-dev
    # tests and the demo: private D-Bus session with a real keyring, a display for tray tests, NSS for the
    # test CA, curl and jq for the simulators' admin APIs
    dbus-daemon dbus-x11 gnome-keyring libsecret-tools xvfb xauth trayer x11-apps imagemagick
    libnss3-tools procps sqlite3 curl jq
    # an HTTP/2 server for the backend client's pin tests (tst_backend_pins)
    nghttp2-server
    # the resident agent's tests: a real proxy (tinyproxy), a bundle read back (unzip), another user
    # (runuser, util-linux)
    tinyproxy unzip util-linux
    # machine-speed independence: the suite run with one core kept busy (README, "Fast feedback")
    stress-ng
    # one format, checked (scripts/format.sh: this version pinned)
    clang-format-14
    # fuzzing (scripts/fuzz.sh): Debian's clang-14 cannot compile GCC 12's <expected>; clang-16 with its
    # sanitizer and libFuzzer runtimes
    clang-16 libclang-rt-16-dev libfuzzer-16-dev
    # packaging
    lintian wixl msitools
    # benchmarks (bench/): Google Benchmark for the micro-benchmarks; Node (npm below) and Debian's
    # Chromium for the Playwright peer, which CTest's bench_smoke_side_by_side runs
    libbenchmark-dev nodejs chromium
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Debian's nodejs comes without npm (package npm); a NodeSource nodejs brings its own and conflicts with it.
if ! command -v npm >/dev/null && ! dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q "install ok installed"; then
    missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
