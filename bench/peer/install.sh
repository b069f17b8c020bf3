#!/usr/bin/env bash
# Installs the Playwright peer's pinned Node packages (package-lock.json, from the npm registry) into
# <dir>/node_modules, with the peer's scripts beside them, unless they are already there for this lock
# file. Never downloads a browser: the peer drives Debian's chromium (apt).
#   bench/peer/install.sh <dir>
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
stamp="$dir/node_modules/.odis-lock-sha256"
wanted=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$wanted" >"$stamp"
fi
