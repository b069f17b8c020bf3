#!/usr/bin/env bash
# Formats every C++ file the repository tracks (.cpp, .h, .mm) with clang-format from Debian 12, version 14
# pinned (another version lays out the same code differently), by the committed .clang-format.
#   scripts/format.sh           formats the files in place
#   scripts/format.sh --check   changes nothing; fails naming every file that is not formatted
#                               (scripts/test.sh runs this before building)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
formatter=clang-format-14
if ! command -v "$formatter" >/dev/null; then
    echo "format: $formatter is missing (scripts/setup-debian.sh installs it)" >&2
    exit 1
fi
mode=(-i)
case "${1:-}" in
--check) mode=(--dry-run -Werror) ;;
"") ;;
*)
    echo "usage: scripts/format.sh [--check]" >&2
    exit 2
    ;;
esac
cd "$root"
# Tracked files only: nothing in build trees, nothing generated.
git ls-files -z -- '*.cpp' '*.h' '*.mm' | xargs -0 -r -n 50 "$formatter" --style=file "${mode[@]}" || {
    echo "format: files above are not formatted; scripts/format.sh formats them" >&2
    exit 1
}
