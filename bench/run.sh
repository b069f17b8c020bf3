#!/usr/bin/env bash
# Builds what the benchmarks need (the agent and both simulators) if it is out of date, then runs
# bench/sync-bench.sh (or, with `idle` first, bench/idle-bench.sh: the resident agent at rest) in a private
# session with a fresh temporary HOME (its own D-Bus, keyring and Xvfb; deleted afterwards). Run by hand:
# each takes a few minutes and is not part of ctest.
#   ./bench/run.sh [--out FILE] [--targets FILE] [--only typical|large]
#   ./bench/run.sh idle [--out FILE] [--targets FILE] [--minutes N]
# ODIS_BUILD_DIR chooses the build directory (default build/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${ODIS_BUILD_DIR:-$root/build}"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DODIS_WERROR=ON >/dev/null
fi
# Measured in the configuration the product ships in (optimised, with debug info): say so when not.
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
if [ "$build_type" != RelWithDebInfo ] && [ "$build_type" != Release ]; then
    echo "bench: warning: $build is a '$build_type' build; the targets are for RelWithDebInfo" >&2
fi
cmake --build "$build" --parallel "$(nproc)" --target odis-agent odis-agent-sync odis-neo-sim odis-backend-sim
bench="$root/bench/sync-bench.sh"
if [ "${1:-}" = idle ]; then
    bench="$root/bench/idle-bench.sh"
    shift
fi
exec env -u ODIS_SESSION_HOME "$root/scripts/in-private-session.sh" "$bench" "$build" "$@"
