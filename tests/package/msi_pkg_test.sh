#!/usr/bin/env bash
# The Windows and macOS installers, as far as this machine can build and read them:
#   msi_pkg_test.sh <build dir> <source dir>
# MSI: built with wixl from a staging folder whose odis-agent.exe is the Linux program (a stand-in: the
# Windows build of the program is out of reach here, the package logic is not), then read back with
# msiinfo (check_msi.py: properties, policy registry rows and their conditions, the Run key, the major
# upgrade and the closing of running agents). macOS: the LaunchAgent, the example profile, the
# distribution and the install scripts checked (check_plists.py), and the pkg's inputs laid out by
# build-pkg.sh from a stand-in app bundle.
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
work=$(mktemp -d /tmp/odis-msi-pkg-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")

"$source_dir/installer/windows/stage-stand-in.sh" "$build" "$work/stage" >/dev/null
msi=$("$source_dir/installer/windows/build-msi.sh" "$work/stage" "$version" "$work/out")
[ "$(basename "$msi")" = "odis-agent-$version-x64.msi" ] || fail "MSI named $msi"
python3 "$source_dir/installer/windows/check_msi.py" "$msi" "$version" "$work/stage/odis-agent.exe"
# The payload in the MSI's cabinet is the staged program, byte for byte.
mkdir "$work/extracted"
(cd "$work/extracted" && msiextract "$msi" >/dev/null)
extracted=$(find "$work/extracted" -name odis-agent.exe)
cmp -s "$extracted" "$work/stage/odis-agent.exe" || fail "odis-agent.exe in the MSI is not the staged program"

python3 "$source_dir/installer/macos/check_plists.py" "$source_dir/installer/macos"
"$source_dir/installer/macos/stage-stand-in.sh" "$build" "$work/app" >/dev/null
inputs=$("$source_dir/installer/macos/build-pkg.sh" "$work/app/Odis Clinic Agent.app" "$version" "$work/out" 2>/dev/null)
listing=$(tar -tzf "$inputs")
for entry in "root/Applications/Odis Clinic Agent.app/Contents/MacOS/odis-agent" \
    "root/Applications/Odis Clinic Agent.app/Contents/Info.plist" root/Library/LaunchAgents/com.odis.agent.plist \
    scripts/preinstall scripts/postinstall distribution.xml BUILD-ON-MAC.txt; do
    grep -qxF "$entry" <<<"$listing" || fail "the pkg's inputs lack $entry"
done
tar -xzf "$inputs" -C "$work" distribution.xml
grep -q "version=\"$version\"" "$work/distribution.xml" || fail "distribution.xml does not carry the version"
echo "PASS: MSI built and checked; macOS pkg inputs checked and laid out"
