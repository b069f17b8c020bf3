#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, docs/RELIABILITY.md "Fuzzing") in a build dir of their own
# with clang-16, AddressSanitizer and UBSan, and runs each for a while. Any crash, sanitizer report or
# broken property fails the script; the input that did it is kept under <out>/crashes/<target>/. Commit
# it under tests/fuzz/regressions/<target>/ with the fix: tst_fuzz_replay then replays it in every build.
#
#   scripts/fuzz.sh                 60 s per target (9 targets: about 10 minutes after the build)
#   scripts/fuzz.sh --quick         10 s per target
#   scripts/fuzz.sh --seconds N     N s per target
#   scripts/fuzz.sh --hours H       H hours per target (the full variant: --hours 1)
#   scripts/fuzz.sh --build-only    build, run nothing
#   scripts/fuzz.sh ... html_text canonical_json    only these targets
# ODIS_FUZZ_BUILD_DIR (default build-fuzz/) and ODIS_FUZZ_OUT (default <build dir>/fuzz-out/, the inputs
# the fuzzer found interesting and the crashes) move them. Needs clang-16 and libclang-rt-16-dev
# (scripts/setup-debian.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build="${ODIS_FUZZ_BUILD_DIR:-$root/build-fuzz}"
out="${ODIS_FUZZ_OUT:-$build/fuzz-out}"

seconds=60
build_only=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) seconds=10 ;;
    --seconds) seconds="$2"; shift ;;
    --hours) seconds=$(( $2 * 3600 )); shift ;;
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
    esac
    shift
done
if [ ${#targets[@]} -eq 0 ]; then
    targets=(neo_schedule neo_consultation neo_appointment neo_config dom_extraction html_text canonical_json
             backend_reply agent_config)
fi

for tool in clang-16 clang++-16; do
    command -v "$tool" >/dev/null || { echo "fuzz: $tool missing (scripts/setup-debian.sh)" >&2; exit 2; }
done

started=$(date +%s)
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang-16 CXX=clang++-16 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DODIS_FUZZ=ON -DODIS_BUILD_TESTS=OFF >/dev/null
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$build" --parallel "$(nproc)" "${build_targets[@]}"
echo "fuzz: build took $(( $(date +%s) - started )) s"
[ "$build_only" -eq 0 ] || exit 0

# A broken property aborts; UBSan stops at its first report (the build has -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$out/corpus/$t" "$out/crashes/$t"
    log="$out/$t.log"
    echo "fuzz: $t for ${seconds} s"
    # The first corpus folder receives what the fuzzer finds; the committed ones are only read.
    if ! "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$out/crashes/$t/" \
            "$out/corpus/$t" "$root/tests/fuzz/corpus/$t" "$root/tests/fuzz/regressions/$t" >"$log" 2>&1; then
        failed+=("$t")
        grep -E 'ERROR|fuzz property broken|runtime error|Test unit written' "$log" | head -5 >&2 || true
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | tr '\n' ' ' || true
    echo
done
echo "fuzz: done in $(( $(date +%s) - started )) s; crashes under $out/crashes"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs in $out/<target>.log)" >&2
    exit 1
fi
