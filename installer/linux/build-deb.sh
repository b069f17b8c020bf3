#!/usr/bin/env bash
# Builds the Debian package from a configured and built tree:
#   installer/linux/build-deb.sh <build dir> <output dir>
# It installs the build into a staging root (cmake --install, prefix /usr), strips the program, compresses
# the man page and the changelog, computes the shared-library dependencies (dpkg-shlibdeps) and adds the
# ones no library shows (QtWebEngine's helper process, a Secret Service provider for the keychain, the Qt
# platform plugins), writes the control files and builds odis-agent_<version>_<arch>.deb with dpkg-deb.
# Prints the package's path.
set -euo pipefail
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
# What ships reads no test hook (agent/test_hooks.h): a build configured with them is refused.
hooks=$(sed -n 's/^ODIS_TEST_HOOKS:BOOL=//p' "$build/CMakeCache.txt")
if [ "$hooks" != OFF ]; then
    echo "build-deb: $build is configured with ODIS_TEST_HOOKS=${hooks:-ON}; a package is built from a" \
        "build with -DODIS_TEST_HOOKS=OFF (scripts/package.sh makes one in build-release/)" >&2
    exit 1
fi
# The package's version is the program's: the changelog must say so (a native package: no revision).
changelog_version=$(sed -n '1s/^odis-agent (\([^)]*\)).*/\1/p' "$here/changelog")
if [ "$changelog_version" != "$version" ]; then
    echo "build-deb: installer/linux/changelog is at $changelog_version, the program at $version" >&2
    exit 1
fi
arch=$(dpkg --print-architecture)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
DESTDIR="$root" cmake --install "$build" --prefix /usr >/dev/null

# Debian policy: stripped binaries (the debug information stays in the build tree).
programs=("$root/usr/bin/odis-agent" "$root/usr/libexec/odis-agent/odis-agent-sync"
    "$root/usr/libexec/odis-agent/odis-agent-ui")
strip --strip-unneeded --remove-section=.comment --remove-section=.note "${programs[@]}"
gzip -9n "$root/usr/share/man/man1/odis-agent.1"
install -m 0644 "$here/changelog" "$root/usr/share/doc/odis-agent/changelog"
gzip -9n "$root/usr/share/doc/odis-agent/changelog"
# dpkg-deb takes the permissions as they are; the umask of the caller must not leak into the package.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "${programs[@]}"

# Shared libraries: dpkg-shlibdeps reads them from the binary (it wants a debian/control to exist).
mkdir -p "$work/src/debian"
printf 'Source: odis-agent\n\nPackage: odis-agent\nArchitecture: any\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "${programs[@]/#/-e}" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
# What no library shows: QtWebEngine's Chromium helper process (libqt6webenginecore6-bin), the Qt
# platform plugins for a desktop (xcb, wayland; offscreen comes with libqt6gui6) and a Secret Service
# provider for the keychain (gnome-keyring, or KeePassXC with its Secret Service integration turned on).
# Qt Network's TLS backend ships in libqt6network6, which the libraries already name.
depends=$shlibs
for extra in libqt6webenginecore6-bin qt6-qpa-plugins "gnome-keyring | keepassxc"; do
    case ", $depends," in
    *", ${extra%% *} "* | *", ${extra%% *},"*) ;; # already there, with its version
    *) depends="$depends, $extra" ;;
    esac
done

install -d -m 0755 "$root/DEBIAN"
installed_size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: odis-agent
Version: $version
Architecture: $arch
Maintainer: Odis Engineering <engineering@odis.example>
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Homepage: https://odis.example/agent
Description: Odis Clinic Agent: IDEXX Neo visits to Odis discharge calls
 The Odis Clinic Agent runs on a veterinary clinic's workstation. It logs in to
 IDEXX Neo with the clinic's own account in an embedded web page, reads the
 schedule and the consultations, works out which discharge calls to plan (and
 why not, for the others) and uploads that to the Odis backend over HTTPS.
 .
 Credentials are kept in the desktop's Secret Service keychain and everything
 cached is in an encrypted per-user store. IT may manage its settings and
 pre-provision an enrollment code in /etc/odis-agent/config.json.
CONTROL
# Files under /etc that the package ships are the administrator's to edit: dpkg keeps their changes.
(cd "$root" && find etc -type f -printf '/%p\n') >"$root/DEBIAN/conffiles"
install -m 0755 "$here/postrm" "$root/DEBIAN/postrm"
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k2) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

deb="$out/odis-agent_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
