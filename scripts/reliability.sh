#!/usr/bin/env bash
# The long variants of the reliability suite (issue 16; docs/RELIABILITY.md), on the build in build/
# (ODIS_BUILD_DIR), each in a private session (scripts/in-private-session.sh). Builds what it runs.
#   --crash [N]   N random SIGKILLs of the resident agent (default 200), then the backend double and the
#                 Neo simulator killed mid-run (tst_crash_trials). ODIS_CRASH_SEED=<seed> replays a run.
#   --pairs       every simulator fault alone and every pair (tst_paired_faults, ODIS_PAIRED_FAULTS=all).
# Without an option: both. The quick variants are the CTest label `reliability`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${ODIS_BUILD_DIR:-$root/build}"
crash=0 pairs=0 trials=200
while [ $# -gt 0 ]; do
    case "$1" in
        --crash) crash=1; if [[ "${2:-}" =~ ^[0-9]+$ ]]; then trials=$2; shift; fi ;;
        --pairs) pairs=1 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "reliability.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ $crash = 1 ] || [ $pairs = 1 ] || { crash=1; pairs=1; }

targets=""
[ $crash = 1 ] && targets="$targets tst_crash_trials"
[ $pairs = 1 ] && targets="$targets tst_paired_faults"
ODIS_BUILD_DIR="$build" ODIS_BUILD_TARGETS="$targets" "$root/scripts/build.sh"

# The executables directly (CTest's per-test timeouts are sized for the quick variants), with the
# environment odis_add_test gives them. Full output in build/reliability-*.log.
export QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 ODIS_SOURCE_DIR="$root" ODIS_BINARY_DIR="$build" \
    QTEST_FUNCTION_TIMEOUT=36000000
rc=0
run() { # name log summary-pattern
    local name=$1 log=$2 pattern=$3
    if "$root/scripts/in-private-session.sh" "$build/tests/reliability/$name" >"$log" 2>&1; then
        echo "$name: PASS"
    else
        echo "$name: FAIL (see $log)"
        rc=1
    fi
    grep -E "$pattern" "$log" || true
}
if [ $crash = 1 ]; then
    echo "== crash trials: $trials kills of the resident agent"
    ODIS_CRASH_TRIALS=$trials run tst_crash_trials "$build/reliability-crash.log" \
        'crash trials:|a clean run took|trials in|died in|FAIL!|Totals'
fi
if [ $pairs = 1 ]; then
    echo "== paired faults: the whole matrix"
    ODIS_PAIRED_FAULTS=all run tst_paired_faults "$build/reliability-pairs.log" 'cases in|FAIL!|Totals'
fi
exit $rc
