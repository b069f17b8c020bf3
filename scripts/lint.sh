#!/usr/bin/env bash
# Runs clang-tidy (Debian 12's clang-tidy-16, pinned) with the committed .clang-tidy over the project's C++
# sources, using the build's compile_commands.json, and fails on any finding.
#   scripts/lint.sh                  every tracked .cpp the build compiles, every finding (10 to 20 CPU-seconds
#                                    a file, 458 files: 38 min on 2 cores, so by hand, not in CI)
#   scripts/lint.sh FILE...          these files, every finding
#   scripts/lint.sh --changed [REV]  the findings on lines changed since REV, in the .cpp files that changed
#                                    (clang-tidy-diff); REV by default: the merge base with main on a branch,
#                                    the parent commit on main (CI: the last landing). scripts/test.sh runs
#                                    this: a change answers for the lines it wrote, and a file's older
#                                    findings are fixed when someone lints the whole file. Changed lines in
#                                    headers are not checked this way.
# The build directory (ODIS_BUILD_DIR, default build/) must have been built: the sources include files the
# build generates (moc, resources). Why clang-tidy-16: Debian's clang-tidy-14 cannot parse GCC 12's
# <expected>; 16 can, once told that concepts are there (libstdc++ 12 tests __cpp_concepts >= 202002L,
# which clang 16 does not yet claim). The build's flags are GCC's: clang 16 spells -std=c++23 as c++2b and
# does not know -Wshadow=local, hence the extra arguments.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${ODIS_BUILD_DIR:-$root/build}"
tidy=clang-tidy-16
if ! command -v "$tidy" >/dev/null; then
    echo "lint: $tidy is missing (scripts/setup-debian.sh installs it)" >&2
    exit 1
fi
if [ ! -f "$build/compile_commands.json" ]; then
    echo "lint: no $build/compile_commands.json: build first (scripts/build.sh)" >&2
    exit 1
fi
cd "$root"

# What the build compiles, as paths relative to the repository (generated files are not ours to lint).
compiled=$(python3 - "$build/compile_commands.json" "$root" <<'EOF'
import json, os, sys
root = os.path.realpath(sys.argv[2])
for entry in json.load(open(sys.argv[1])):
    path = os.path.relpath(os.path.realpath(os.path.join(entry["directory"], entry["file"])), root)
    if path.split("/")[0] in ("agent", "sync", "storage", "ui", "tests", "bench"):
        print(path)
EOF
)

candidates=()
case "${1:-}" in
"")
    mapfile -t candidates < <(git ls-files -- '*.cpp')
    ;;
--changed)
    # On a branch: what it changed since it left main. On main itself (CI's clone): what the last commit
    # brought, which for a merge is the whole branch it merged.
    base="${2:-}"
    if [ -z "$base" ]; then
        if [ "$(git rev-parse HEAD)" != "$(git rev-parse -q --verify main 2>/dev/null || true)" ]; then
            base=$(git merge-base HEAD main 2>/dev/null || true)
        else
            base=$(git rev-parse -q --verify 'HEAD^1' 2>/dev/null || true)
        fi
    fi
    if [ -z "$base" ]; then
        echo "lint: nothing to compare with (no main, no parent commit): nothing to lint"
        exit 0
    fi
    echo "lint: files changed since $(git rev-parse --short "$base")"
    mapfile -t candidates < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp')
    ;;
-*)
    echo "usage: scripts/lint.sh [--changed [REV] | FILE...]" >&2
    exit 2
    ;;
*)
    candidates=("$@")
    ;;
esac

files=()
for f in "${candidates[@]}"; do
    if grep -qxF "$f" <<<"$compiled"; then
        files+=("$f")
    fi
done
if [ ${#files[@]} -eq 0 ]; then
    echo "lint: no compiled source to lint"
    exit 0
fi

extra=(-std=c++2b -Wno-unknown-warning-option -D__cpp_concepts=202002L)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$SECONDS
status=0
if [ -n "${base:-}" ]; then
    echo "lint: $tidy over the changed lines of ${#files[@]} files, $(nproc) at a time"
    git diff -U0 "$base" -- "${files[@]}" |
        clang-tidy-diff-16.py -p1 -path "$build" -clang-tidy-binary "$(command -v "$tidy")" -j "$(nproc)" \
            -quiet -iregex '.*\.cpp' "${extra[@]/#/-extra-arg=}" >"$log" 2>/dev/null || status=$?
else
    echo "lint: $tidy over ${#files[@]} files, $(nproc) at a time"
    printf '%s\0' "${files[@]}" |
        xargs -0 -n 1 -P "$(nproc)" "$tidy" -p "$build" --quiet "${extra[@]/#/--extra-arg=}" \
            >"$log" 2>/dev/null || status=$?
fi
# A header's finding is printed once per file that includes it: each once.
findings=$(grep -E '^[^ ].*: (warning|error): ' "$log" | sort -u || true)
echo "lint: $((SECONDS - start)) s"
if [ -n "$findings" ] || [ "$status" -ne 0 ]; then
    printf '%s\n' "$findings"
    echo "lint: findings above (fix them, or narrow .clang-tidy with a comment saying why)" >&2
    exit 1
fi
echo "lint: clean"
