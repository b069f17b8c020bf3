#!/usr/bin/env bash
# Configures and builds into build/ (Release with debug info, warnings as errors). Extra arguments go
# to the cmake configure step. ODIS_BUILD_TARGETS (space-separated) builds only those targets and what
# they need (./scripts/run.sh builds the agent and the two simulators, not the test suite); unset, all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build="${ODIS_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DODIS_WERROR=ON "$@" >/dev/null
targets=()
for target in ${ODIS_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build" --parallel "$(nproc)" "${targets[@]}"
