#!/usr/bin/env bash
# Configures and builds into build/ (Release with debug info, warnings as errors). Extra arguments go
# to the cmake configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build="${ODIS_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DODIS_WERROR=ON "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
