#!/usr/bin/env bash
# Installs the Playwright peer's pinned Node packages (package-lock.json, from the npm registry) for
# <dir>: the peer's scripts are copied into <dir>, and <dir>/node_modules links to a cached install
# keyed by the lock file's SHA-256, so that `npm ci` runs once per lock file on a machine, not once per
# build directory or clean clone (CI). Never downloads a browser: the peer drives Debian's chromium (apt).
#   bench/peer/install.sh <dir>
# The cache: $ODIS_BENCH_CACHE, else $XDG_CACHE_HOME/odis-bench, else ~/.cache/odis-bench; a finished
# install is <cache>/peer/<lock sha256>/node_modules (read-only use; delete the directory to refresh).
# Exit status: 0 installed; 77 when the packages are not cached and the npm registry cannot be reached
# (said on stderr; CTest reports the side-by-side smoke as skipped, not passed); 1 any other failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: bench/peer/install.sh <dir>" >&2; exit 2; }
dir=$1
for program in node npm; do
    command -v "$program" >/dev/null || { echo "peer: $program is missing (apt-get install nodejs npm)" >&2; exit 1; }
done
[ -x /usr/bin/chromium ] || { echo "peer: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
mkdir -p "$dir"
cp "$here"/package.json "$here"/package-lock.json "$here"/*.mjs "$dir"/

lock=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
cache="${ODIS_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/odis-bench}/peer"
cached="$cache/$lock"
if [ ! -f "$cached/.complete" ]; then
    mkdir -p "$cache"
    # Installed beside the cache entry and moved into place whole: a run stopped half-way, or two runs
    # at once, never leave a partial node_modules behind the entry's name.
    staging=$(mktemp -d "$cache/.staging.XXXXXX")
    trap 'rm -rf "$staging"' EXIT
    cp "$here"/package.json "$here"/package-lock.json "$staging"/
    # The registry first, briefly: unreachable means skipped (said so), not minutes of npm's retries.
    if ! npm ping --cache "$cache/.npm" --fetch-timeout=15000 --fetch-retries=0 >/dev/null 2>&1; then
        echo "peer: SKIPPED: the npm registry ($(npm config get registry)) cannot be reached and the" \
            "peer's packages for this lock file are not cached in $cached" >&2
        exit 77
    fi
    echo "peer: installing the pinned packages (npm ci, lock $lock) into $cached" >&2
    (cd "$staging" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error \
        --cache "$cache/.npm") || { echo "peer: npm ci failed (the registry answers)" >&2; exit 1; }
    touch "$staging/.complete"
    if ! mv -T "$staging" "$cached" 2>/dev/null; then
        [ -f "$cached/.complete" ] || { echo "peer: cannot move the install into $cached" >&2; exit 1; }
    fi
fi
# An earlier install.sh put a real node_modules here: the link replaces it.
[ -L "$dir/node_modules" ] || rm -rf "$dir/node_modules"
ln -sfn "$cached/node_modules" "$dir/node_modules.tmp"
mv -T "$dir/node_modules.tmp" "$dir/node_modules"
