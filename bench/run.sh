#!/usr/bin/env bash
# Builds what the benchmarks need (the agent and both simulators) if it is out of date, then runs
# bench/sync-bench.sh (or, with `idle` first, bench/idle-bench.sh: the resident agent at rest) in a private
# session with a fresh temporary HOME (its own D-Bus, keyring and Xvfb; deleted afterwards). Run by hand:
# each takes a few minutes and is not part of ctest.
#   ./bench/run.sh [--out FILE] [--targets FILE] [--only typical|large]
#   ./bench/run.sh idle [--out FILE] [--targets FILE] [--minutes N]
#   ./bench/run.sh --peer [--out PREFIX] [--reps N] [--smoke] [--skip-peer]
#     the agent side by side with the Playwright peer (bench/peer-bench.sh; installs the peer's pinned
#     Node packages into <build>/bench/peer with bench/peer/install.sh first)
#   ./bench/run.sh scale [--out PREFIX] [--paced] [--smoke] [--sizes "1x1 3x7 10x14 20x14"]
#     a first sync from one vet for a day to a 20-vet hospital over 14 days (bench/scale-bench.sh)
#   ./bench/run.sh micro [Google Benchmark options]   parsing, hashing, reconciling, planning 10,000 visits
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
if [ "${1:-}" = micro ]; then
    shift
    cmake --build "$build" --parallel "$(nproc)" --target odis-micro-bench
    exec "$build/bench/odis-micro-bench" "$@"
fi
targets=(odis-agent odis-agent-sync odis-neo-sim odis-backend-sim)
if [ "${1:-}" = --peer ] || [ "${1:-}" = scale ]; then
    targets+=(odis-bench-measure)
fi
build_args=()
for target in "${targets[@]}"; do build_args+=(--target "$target"); done
cmake --build "$build" --parallel "$(nproc)" "${build_args[@]}"
bench=("$root/bench/sync-bench.sh" "$build")
case "${1:-}" in
idle)
    bench=("$root/bench/idle-bench.sh" "$build")
    shift
    ;;
scale)
    bench=("$root/bench/scale-bench.sh" "$build")
    shift
    ;;
--peer)
    shift
    if [[ " $* " != *" --skip-peer "* ]]; then
        "$root/bench/peer/install.sh" "$build/bench/peer"
    fi
    bench=("$root/bench/peer-bench.sh" "$build" "$build/bench/peer")
    ;;
esac
exec env -u ODIS_SESSION_HOME "$root/scripts/in-private-session.sh" "${bench[@]}" "$@"
