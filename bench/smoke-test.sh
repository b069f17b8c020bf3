#!/usr/bin/env bash
# CTest's bench_smoke_side_by_side (label bench-smoke): installs the Playwright peer's pinned packages
# (bench/peer/install.sh: a machine-wide cache keyed by the lock file, npm registry only the first time)
# into <build>/bench/peer, then runs bench/peer-bench.sh --smoke: the agent and the peer each do a small
# first sync in both regimes and an unchanged re-sync, every read is checked against the simulator's
# ground truth and the other side's requests. No timing is asserted. Runs inside
# scripts/in-private-session.sh (as ctest does in scripts/test.sh).
# When the peer's packages are neither cached nor installable because the npm registry cannot be
# reached, the agent's side still runs with every check, and the test then exits 77 (CTest: skipped)
# saying that the peer's side was not run: a skip, never a pass.
#   bench/smoke-test.sh <build dir>
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: bench/smoke-test.sh <build dir>" >&2; exit 2; }
build=$(cd "$1" && pwd)
rc=0
"$root/bench/peer/install.sh" "$build/bench/peer" || rc=$?
if [ "$rc" = 77 ]; then
    "$root/bench/peer-bench.sh" "$build" "$build/bench/peer" --smoke --skip-peer \
        --out "$build/bench/smoke-results"
    echo "bench smoke: SKIPPED: the agent's side passed its checks, the Playwright peer's side was NOT run" \
        "(npm registry unreachable, no cached packages; see above)" >&2
    exit 77
fi
[ "$rc" = 0 ] || exit "$rc"
exec "$root/bench/peer-bench.sh" "$build" "$build/bench/peer" --smoke --out "$build/bench/smoke-results"
