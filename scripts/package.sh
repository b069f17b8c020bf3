#!/usr/bin/env bash
# Builds the three installers in one go, into build/packages/ (installer/README.md is the guide for IT):
#   odis-agent_<version>_<arch>.deb            the Debian package (this machine's build, stripped)
#   odis-agent-<version>-x64.msi               the Windows installer, from $ODIS_WINDOWS_STAGING (the
#                                              Windows build's deployed folder); without it the Linux
#                                              program stands in for odis-agent.exe (package logic only)
#   odis-agent-<version>.pkg                   on a Mac, from $ODIS_MACOS_APP (the deployed .app); on
#   or odis-agent-<version>-macos-pkg-inputs.tar.gz   Linux, where pkgbuild does not exist, its checked
#                                              inputs, for a Mac to build the .pkg from
# It installs what is missing (apt) and builds first, as scripts/run.sh does.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
# What ships is built without the test hooks (agent/test_hooks.h) and without the tests, in a tree of its
# own (build-release/, next to build/ so that the compiler cache serves both).
build="${ODIS_PACKAGE_BUILD_DIR:-$root/build-release}"
ODIS_BUILD_DIR="$build" "$root/scripts/build.sh" -DODIS_TEST_HOOKS=OFF -DODIS_BUILD_TESTS=OFF
out="${ODIS_BUILD_DIR:-$root/build}/packages"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")

deb=$("$root/installer/linux/build-deb.sh" "$build" "$out")
lintian --pedantic --display-info --fail-on error,warning,info,pedantic "$deb"
echo "package: $deb (lintian clean)"

staging=${ODIS_WINDOWS_STAGING:-}
if [ -z "$staging" ]; then
    staging=$("$root/installer/windows/stage-stand-in.sh" "$build" "$work/windows")
    echo "package: no ODIS_WINDOWS_STAGING: the Linux program stands in for odis-agent.exe"
fi
msi=$("$root/installer/windows/build-msi.sh" "$staging" "$version" "$out")
python3 "$root/installer/windows/check_msi.py" "$msi" "$version" "$staging/odis-agent.exe" >/dev/null
echo "package: $msi (checked with msiinfo)"

app=${ODIS_MACOS_APP:-}
if [ -z "$app" ]; then
    app=$("$root/installer/macos/stage-stand-in.sh" "$build" "$work/macos")
    echo "package: no ODIS_MACOS_APP: the Linux program stands in for the app bundle's"
fi
pkg=$("$root/installer/macos/build-pkg.sh" "$app" "$version" "$out")
echo "package: $pkg"
