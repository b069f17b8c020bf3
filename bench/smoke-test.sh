#!/usr/bin/env bash
# CTest's bench_smoke_side_by_side (label bench-smoke): installs the Playwright peer's pinned packages
# (bench/peer/install.sh, npm registry; once per lock file) into <build>/bench/peer, then runs
# bench/peer-bench.sh --smoke: the agent and the peer each do a small first sync in both regimes and an
# unchanged re-sync, every read is checked against the simulator's ground truth and the other side's
# requests. No timing is asserted. Runs inside scripts/in-private-session.sh (as ctest does in
# scripts/test.sh).
#   bench/smoke-test.sh <build dir>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: bench/smoke-test.sh <build dir>" >&2; exit 2; }
build=$(cd "$1" && pwd)
"$root/bench/peer/install.sh" "$build/bench/peer"
exec "$root/bench/peer-bench.sh" "$build" "$build/bench/peer" --smoke --out "$build/bench/smoke-results"
