#!/usr/bin/env bash
# Builds the macOS installer package (on a Mac, with Apple's pkgbuild and productbuild):
#   installer/macos/build-pkg.sh <Odis Clinic Agent.app> <version> <output dir>
# The app bundle is what the macOS build deploys (macdeployqt: the program with Qt's frameworks and
# QtWebEngine's helper). The pkg installs it in /Applications and the LaunchAgent in /Library/LaunchAgents,
# with the preinstall/postinstall scripts (scripts/), for every user.
#
# Where pkgbuild does not exist (Linux, CI here), it checks the inputs (check_plists.py) and packs them as
# pkgbuild and productbuild would take them (root/, scripts/, distribution.xml) in
# odis-agent-<version>-macos-pkg-inputs.tar.gz with BUILD-ON-MAC.txt (the two commands that make the .pkg
# from them); it says plainly that no .pkg was built. Prints the path of what it made.
set -euo pipefail
app=$1
version=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

python3 "$here/check_plists.py" "$here" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/Applications" "$root/Library/LaunchAgents"
cp -R "$app" "$root/Applications/Odis Clinic Agent.app"
install -m 0644 "$here/com.odis.agent.plist" "$root/Library/LaunchAgents/com.odis.agent.plist"
mkdir -p "$work/scripts"
install -m 0755 "$here/scripts/preinstall" "$here/scripts/postinstall" "$work/scripts/"
sed "s/@VERSION@/$version/" "$here/distribution.xml" >"$work/distribution.xml"

if command -v pkgbuild >/dev/null && command -v productbuild >/dev/null; then
    pkgbuild --root "$root" --scripts "$work/scripts" --identifier com.odis.agent --version "$version" \
        --install-location / "$work/odis-agent-component.pkg" >&2
    productbuild --distribution "$work/distribution.xml" --package-path "$work" \
        "$out/odis-agent-$version.pkg" >&2
    echo "$out/odis-agent-$version.pkg"
    exit 0
fi

echo "build-pkg: pkgbuild/productbuild exist only on macOS: no .pkg built; its checked inputs are packed," \
    "with the two commands that make the .pkg from them on a Mac (BUILD-ON-MAC.txt)" >&2
cat >"$work/BUILD-ON-MAC.txt" <<TEXT
The inputs of odis-agent-$version.pkg, laid out and checked on Linux. On a Mac, replace
"root/Applications/Odis Clinic Agent.app" by the macOS build's app bundle if it is a stand-in, then:

  pkgbuild --root root --scripts scripts --identifier com.odis.agent --version $version \\
      --install-location / odis-agent-component.pkg
  productbuild --distribution distribution.xml --package-path . odis-agent-$version.pkg

(installer/macos/build-pkg.sh in the repository does the same from an app bundle.)
TEXT
inputs="$out/odis-agent-$version-macos-pkg-inputs.tar.gz"
tar -C "$work" --owner=0 --group=0 -czf "$inputs" root scripts distribution.xml BUILD-ON-MAC.txt
echo "$inputs"
