#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing, builds with warnings as errors, then runs every test (unit, integration, gui, reliability) in a private test session.
# .ci/run calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
# One format, checked before anything is built (clang-format-14, pinned in the script).
"$root/scripts/format.sh" --check
"$root/scripts/build.sh"
build="${ODIS_BUILD_DIR:-$root/build}"
# Lint on the lines the last landing changed (clang-tidy-16): the whole tree takes over half an hour on 2
# cores, more than CI can spend (README, "Lint").
"$root/scripts/lint.sh" --changed
"$root/scripts/in-private-session.sh" \
    ctest --test-dir "$build" --output-on-failure --parallel 2 --timeout 900 "$@"
