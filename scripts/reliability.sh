#!/usr/bin/env bash
# The long variants of issue 16's reliability tests, which do not fit CI's time: one command each, run on
# this kind of 2-core machine, inside a private session (scripts/in-private-session.sh). Each writes its
# figures as JSON and Markdown into the output folder; docs/RELIABILITY.md holds the last full run's.
#
#   scripts/reliability.sh --month [--days N]   the simulated clinic month (default 30 days; CTest's
#                                               tst_reliability_month runs 3)
#   scripts/reliability.sh --crash [N]          N random SIGKILLs of the resident agent (default 200), then
#                                               the backend and Neo killed mid-run (tst_crash_trials;
#                                               ODIS_CRASH_SEED=<seed> replays; CTest runs 6)
#   scripts/reliability.sh --pairs              every simulator fault alone and in every pair
#                                               (tst_paired_faults; CTest draws 12 cases)
#   scripts/reliability.sh --fuzz [S]           every libFuzzer target for S seconds (default 300), one
#                                               after the other (scripts/fuzz.sh; 45 min at 300 s)
#   scripts/reliability.sh --all                month, crash, pairs and fuzz, one after the other (about
#                                               2 h 40 min on 2 cores, measured 2026-12-07: month 37 min,
#                                               200 crash trials 19, pairs 57, fuzzing 45; after the builds)
#
# Options: --out DIR (default <build>/reliability), --no-build (use what ODIS_BUILD_DIR holds).
# ODIS_BUILD_DIR as for scripts/build.sh (default build/). Exit status: 0 when every scenario run passed.
#
# Scenarios: one `run_<name>` function each, listed in `all_scenarios`. Fuzzing is scripts/fuzz.sh (its own
# build directory, build-fuzz/), which has more options.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${ODIS_BUILD_DIR:-$root/build}"
out=""
days=30
build_first=1
scenarios=()
all_scenarios=(month crash pairs fuzz)
trials=200
fuzz_seconds=300

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --month) scenarios+=(month) ;;
        --crash) scenarios+=(crash); if [[ "${2:-}" =~ ^[0-9]+$ ]]; then trials=$2; shift; fi ;;
        --pairs) scenarios+=(pairs) ;;
        --fuzz) scenarios+=(fuzz); if [[ "${2:-}" =~ ^[0-9]+$ ]]; then fuzz_seconds=$2; shift; fi ;;
        --all) scenarios=("${all_scenarios[@]}") ;;
        --days) days="$2"; shift ;;
        --out) out="$2"; shift ;;
        --no-build) build_first=0 ;;
        -h|--help) usage ;;
        *) echo "reliability.sh: unknown option $1" >&2; usage ;;
    esac
    shift
done
[ ${#scenarios[@]} -gt 0 ] || usage
out="${out:-$build/reliability}"
mkdir -p "$out"

# The environment CTest gives every test (tests/CMakeLists.txt, odis_add_test).
test_env=(QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 ODIS_SOURCE_DIR="$root"
    ODIS_BINARY_DIR="$build" ODIS_RELIABILITY_OUT="$out")

run_month() {
    if [ "$build_first" = 1 ]; then
        ODIS_BUILD_DIR="$build" ODIS_BUILD_TARGETS="tst_reliability_month odis-agent odis-agent-sync odis-neo-sim odis-backend-sim" \
            "$root/scripts/build.sh"
    fi
    local log="$out/reliability-month-${days}d.log"
    echo "month: $days simulated days; log $log"
    local start=$SECONDS rc=0
    # Qt Test's per-function watchdog: a month is one test function of up to ~3 hours.
    env "${test_env[@]}" ODIS_RELIABILITY_DAYS="$days" QTEST_FUNCTION_TIMEOUT=14400000 \
        "$root/scripts/in-private-session.sh" "$build/tests/reliability/tst_reliability_month" >"$log" 2>&1 || rc=$?
    echo "month: exit $rc after $((SECONDS - start)) s; figures in $out/reliability-month-${days}d.md"
    [ -f "$out/reliability-month-${days}d.md" ] && cat "$out/reliability-month-${days}d.md"
    return $rc
}

run_reliability_test() { # name log env...
    local name=$1 log=$2
    shift 2
    if [ "$build_first" = 1 ]; then
        ODIS_BUILD_DIR="$build" ODIS_BUILD_TARGETS="$name" "$root/scripts/build.sh"
    fi
    local start=$SECONDS rc=0
    env "${test_env[@]}" QTEST_FUNCTION_TIMEOUT=36000000 "$@" \
        "$root/scripts/in-private-session.sh" "$build/tests/reliability/$name" >"$log" 2>&1 || rc=$?
    echo "$name: exit $rc after $((SECONDS - start)) s; log $log"
    grep -E 'seed|a clean run took|trials in|cases in|died in|FAIL!|Totals' "$log" || true
    return $rc
}

run_crash() {
    run_reliability_test tst_crash_trials "$out/reliability-crash-${trials}.log" ODIS_CRASH_TRIALS="$trials"
}

run_pairs() {
    run_reliability_test tst_paired_faults "$out/reliability-pairs.log" ODIS_PAIRED_FAULTS=all
}

run_fuzz() {
    local log="$out/reliability-fuzz-${fuzz_seconds}s.log" start=$SECONDS rc=0
    echo "fuzz: every target for $fuzz_seconds s; log $log"
    "$root/scripts/fuzz.sh" --seconds "$fuzz_seconds" >"$log" 2>&1 || rc=$?
    echo "fuzz: exit $rc after $((SECONDS - start)) s"
    grep -E '^fuzz: |property broken|ERROR' "$log" || true
    return $rc
}

failed=0
for s in "${scenarios[@]}"; do
    "run_$s" || failed=1
done
exit $failed
