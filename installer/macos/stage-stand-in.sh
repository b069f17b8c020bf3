#!/usr/bin/env bash
# An app bundle for the pkg where no macOS build exists (here, CI): the Linux program stands in for the
# Mach-O one, in the layout macdeployqt makes. It proves the package layout, not the macOS program.
#   installer/macos/stage-stand-in.sh <build dir> <output folder>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$1/CMakeCache.txt")
app="$2/Odis Clinic Agent.app"
mkdir -p "$app/Contents/MacOS"
cp "$1/agent/odis-agent" "$app/Contents/MacOS/odis-agent"
cp "$1/agent/odis-agent-sync" "$app/Contents/MacOS/odis-agent-sync"
sed "s/@VERSION@/$version/g" "$here/Info.plist.in" >"$app/Contents/Info.plist"
echo "$app"
