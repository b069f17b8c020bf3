#!/usr/bin/env bash
# The Debian package as IT would use it, on this machine (CI runs as root):
#   deb_install_test.sh <build dir> <source dir>
# builds what ships (no test hooks, in <build dir>-release) and the deb from it, runs lintian (pedantic,
# every tag fails), installs it with apt-get, checks what it put where and that the installed program
# stands on its own (no path into the build tree, every library found), runs `odis-agent --version` and
# then, pre-provisioned the way IT would (an enrollment code and the backend in
# /etc/odis-agent/config.json), the installed program's first start and one real `sync --once --headless`
# at the real time (a test hook set in its environment must change nothing) against the simulators of the
# build tree; then purges the package and checks that nothing it installed is left, /etc/odis-agent/
# included, while the user's data stays.
#
# The installed /usr/bin/odis-agent is on the machine only while this runs: every other test and script
# runs the build tree's program by its absolute path. The EXIT trap purges the package whatever happens,
# and a machine-wide lock keeps two runs (two worktrees) from installing at once. IT's file is given to
# the installed program only, in a private mount namespace, so that no other test running meanwhile reads it.
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

[ "$(id -u)" = 0 ] || fail "installing a package needs root (CI runs as root)"
[ -n "${ODIS_IN_PRIVATE_SESSION:-}" ] || fail "run inside scripts/in-private-session.sh (keychain, NSS store)"

exec 9>/var/lock/odis-agent-package-test.lock
flock -w 1800 9 || fail "another package test held the lock for 30 minutes"

work=$(mktemp -d /tmp/odis-deb-test.XXXXXX)
apt_options=(-y -q -o DPkg::Lock::Timeout=600)
cleanup() {
    local rc=$?
    set +e
    if declare -F sim_world_stop >/dev/null; then sim_world_stop; fi
    if dpkg-query -W -f='${Status}' odis-agent 2>/dev/null | grep -q 'installed\|config-files'; then
        DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_options[@]}" odis-agent >/dev/null 2>&1
    fi
    rmdir /etc/odis-agent 2>/dev/null
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT

# A package left installed by a run that was killed before its trap ran: purge it first. Anything else
# at /usr/bin/odis-agent is not ours to remove.
if dpkg-query -W -f='${Status}' odis-agent 2>/dev/null | grep -q 'installed\|config-files'; then
    DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_options[@]}" odis-agent >/dev/null
fi
[ ! -e /usr/bin/odis-agent ] || fail "/usr/bin/odis-agent exists and does not belong to the odis-agent package"
[ ! -e /etc/odis-agent ] || fail "/etc/odis-agent exists before the package is installed"

step "build without test hooks, as a package is built"
# A tree of its own next to the build tree (same depth: the compiler cache serves both; only
# agent/test_hooks.cpp differs), the program only. The package must read no ODIS_TEST_* variable, so the
# sync below runs at the real time against simulators whose clock follows it.
release="$(dirname "$build")/$(basename "$build")-release"
ODIS_BUILD_DIR="$release" "$source_dir/scripts/build.sh" -DODIS_TEST_HOOKS=OFF -DODIS_BUILD_TESTS=OFF \
    >"$work/release-build.log" 2>&1 || {
    tail -40 "$work/release-build.log" >&2
    fail "the build without test hooks failed"
}

step "build the deb"
if "$source_dir/installer/linux/build-deb.sh" "$build" "$work/refused" >/dev/null 2>"$work/refused.err"; then
    fail "build-deb.sh packaged a build with test hooks"
fi
grep -q "ODIS_TEST_HOOKS=ON" "$work/refused.err" || fail "build-deb.sh refused for another reason: $(cat "$work/refused.err")"
deb=$("$source_dir/installer/linux/build-deb.sh" "$release" "$work/out")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$release/CMakeCache.txt")
[ "$(basename "$deb")" = "odis-agent_${version}_$(dpkg --print-architecture).deb" ] || fail "package named $deb"
dpkg-deb --info "$deb" | sed 's/^/   /'

step "lintian --pedantic"
# Every tag fails, pedantic and info included. The package carries no lintian overrides.
lintian --pedantic --display-info --fail-on error,warning,info,pedantic "$deb" || fail "lintian found tags"

step "apt-get install ./$(basename "$deb")"
(cd "$(dirname "$deb")" && DEBIAN_FRONTEND=noninteractive apt-get install "${apt_options[@]}" \
    "./$(basename "$deb")") >"$work/apt-install.log" 2>&1 || {
    cat "$work/apt-install.log" >&2
    fail "apt-get install"
}
dpkg-query -L odis-agent >"$work/installed.txt"
for path in /usr/bin/odis-agent /usr/libexec/odis-agent/odis-agent-sync /usr/libexec/odis-agent/odis-agent-ui /usr/share/applications/odis-agent.desktop /etc/xdg/autostart/odis-agent.desktop \
    /usr/share/man/man1/odis-agent.1.gz /usr/share/doc/odis-agent/copyright /usr/share/doc/odis-agent/changelog.gz \
    /usr/share/icons/hicolor/scalable/apps/odis-agent.svg; do
    grep -qx "$path" "$work/installed.txt" || fail "the package does not install $path"
    [ -e "$path" ] || fail "$path is listed but missing"
done
dpkg-query -W -f='${Depends}\n' odis-agent | grep -q 'libqt6webenginecore6-bin' || fail "no dependency on QtWebEngine's helper"
dpkg-query -W -f='${Depends}\n' odis-agent | grep -q 'gnome-keyring' || fail "no dependency on a Secret Service provider"
grep -qx '/etc/xdg/autostart/odis-agent.desktop' /var/lib/dpkg/info/odis-agent.conffiles || fail "autostart entry is not a conffile"
# The autostart entry starts the installed program's resident agent, for every user: without a verb (in
# a desktop session it hands over to odis-agent-ui, the tray) or with an option this program knows; a verb
# would be a one-shot run.
exec_line=$(sed -n 's/^Exec=//p' /etc/xdg/autostart/odis-agent.desktop)
option=$(echo "$exec_line" | awk '{print $2}')
case "$option" in
"") [ "$exec_line" = odis-agent ] || fail "the autostart entry runs '$exec_line': not the installed odis-agent"
    /usr/bin/odis-agent --help | grep -q "^Usage: odis-agent \[--headless\]" ||
    fail "odis-agent without a verb is not the resident agent any more" ;;
--*) /usr/bin/odis-agent --help | grep -q "^Usage: odis-agent \[$option\]" ||
    fail "the autostart entry runs '$exec_line': not how the resident agent starts" ;;
*) fail "the autostart entry runs '$exec_line': a verb, not the resident agent" ;;
esac

step "the installed program stands on its own"
[ "$(/usr/bin/odis-agent --version)" = "odis-agent $version" ] || fail "odis-agent --version: $(/usr/bin/odis-agent --version)"
if grep -aqF -e "$build" -e "$release" -e "$source_dir" /usr/bin/odis-agent; then
    fail "/usr/bin/odis-agent names the build or source tree"
fi
for program in /usr/bin/odis-agent /usr/libexec/odis-agent/odis-agent-sync /usr/libexec/odis-agent/odis-agent-ui; do
    if ldd "$program" | grep -q 'not found'; then fail "$program: libraries not found: $(ldd "$program" | grep 'not found')"; fi
    if ldd "$program" | grep -qF -e "$build" -e "$release" -e "$source_dir"; then fail "$program: a library comes from the build tree"; fi
    [ -z "$(readelf -d "$program" | grep -E 'RPATH|RUNPATH')" ] || fail "$program carries an RPATH"
done

step "pre-provisioned first start and one real sync from /usr/bin/odis-agent"
# shellcheck source=scripts/lib/sim-world.sh
source "$source_dir/scripts/lib/sim-world.sh"
state="$work/world"
# The real time (the package reads no test clock), the clinic's week around it: the simulated clock follows
# the wall clock from the same instant as the agent's. The default clinic is in America/Los_Angeles.
neo_now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
start_date=$(TZ=America/Los_Angeles date -d '2 days ago' +%Y-%m-%d)
sim_world_init "$build" "$state" deb-test
sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$state/pki" --state-dir "$state/backend" \
    --posthog-api-key phc_odis_deb
sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$state/pki" --seed 7 --days 7 \
    --start-date "$start_date" --now "$neo_now" --clock-speed 1
sim_world_trust_ca odis-deb-test-ca >/dev/null
sim_world_set_clinic_profile "$backend" "$neo"
code=$(sim_world_http -X POST --data '{}' "$backend/__admin/enrollment-codes" | jq -r .code)
[ -n "$code" ] && [ "$code" != null ] || fail "the backend double issued no enrollment code"

# IT's managed file, as a provisioning script would write it (root-owned, readable by every user).
mkdir -p "$work/etc-odis-agent"
# The simulated Neo is no IDEXX Neo origin: IT allows it as it would a clinic's own Neo host.
neo_origin=$(echo "$neo" | sed -E 's|^(https://[^/]+).*|\1|')
jq -n --arg url "$backend" --arg ca "$sim_world_ca" --arg code "$code" --arg neo "$neo_origin" '{
    backend: {url: $url, ca_file: $ca},
    neo: {allowed_origins: [$neo]},
    telemetry: {enabled: true, posthog_host: $url, posthog_api_key: "phc_odis_deb"},
    enrollment: {code: $code}}' >"$work/etc-odis-agent/config.json"
chmod 0644 "$work/etc-odis-agent/config.json"
mkdir /etc/odis-agent # empty: another test reading it meanwhile finds no file, as before
neo_login=$(sim_world_http "$neo/__admin/credentials" | jq -r '.company_id // "", .username, .password')
# A test hook set here changes nothing in the package: the sync must still run at the real time.
export ODIS_TEST_NOW=2026-03-13T01:00:30Z QTWEBENGINE_DISABLE_SANDBOX=1
# In a private mount namespace, /etc/odis-agent is the managed folder written above.
unshare --mount --propagation private bash -c '
    set -euo pipefail
    mount --bind "$1/etc-odis-agent" /etc/odis-agent
    cd /
    printf "%s\n" "$2" | /usr/bin/odis-agent credentials set >"$1/first-start.out" 2>"$1/first-start.err"
    /usr/bin/odis-agent sync --once --headless >"$1/sync.out" 2>"$1/sync.err"
' provision "$work" "$neo_login" || {
    cat "$work"/first-start.* "$work"/sync.* >&2 || true
    fail "the installed program's first start or sync failed"
}
grep -q "enrolled with the pre-provisioned enrollment code from /etc/odis-agent/config.json" "$work/first-start.err" ||
    fail "the first start did not enroll with the pre-provisioned code: $(cat "$work/first-start.err")"
if jq -e '.enrollment.code' "$work/etc-odis-agent/config.json" >/dev/null; then
    fail "the used enrollment code is still in IT's file (root may rewrite it)"
fi
jq -e '.backend.url' "$work/etc-odis-agent/config.json" >/dev/null || fail "IT's other settings were lost"
logs="$HOME/.local/share/Odis/odis-agent/logs"
if grep -rqF "$code" "$work"/*.out "$work"/*.err "$logs"; then fail "the enrollment code was printed or logged"; fi
items=$(sim_world_http "$backend/__admin/summary" | jq -r .items)
[ "$items" -gt 0 ] || fail "the sync delivered nothing"
grep -q ": completed" "$work/sync.out" || fail "the sync did not complete: $(cat "$work/sync.out")"
echo "   enrolled by the pre-provisioned code; sync delivered $items item(s)"
sim_world_stop

step "apt-get purge odis-agent"
DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_options[@]}" odis-agent >"$work/apt-purge.log" 2>&1 || {
    cat "$work/apt-purge.log" >&2
    fail "apt-get purge"
}
if dpkg-query -W -f='${Status}' odis-agent 2>/dev/null | grep -q 'installed\|config-files'; then
    fail "odis-agent is still known to dpkg after purge"
fi
left=()
while IFS= read -r path; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    if [ ! -d "$path" ]; then
        left+=("$path")
    # A folder another package owns, or that holds someone else's files, is not ours to remove.
    elif ! dpkg-query -S "$path" >/dev/null 2>&1 && [ -z "$(ls -A "$path")" ]; then
        left+=("$path/")
    fi
done <"$work/installed.txt"
[ ${#left[@]} -eq 0 ] || fail "left after purge: ${left[*]}"
[ ! -e /etc/odis-agent ] || fail "/etc/odis-agent/ is left after purge"
[ ! -e /usr/share/doc/odis-agent ] || fail "/usr/share/doc/odis-agent is left after purge"
# The user's data is theirs: purge does not reach into home folders (installer/README.md says how).
[ -f "$HOME/.local/share/Odis/odis-agent/agent.db" ] || fail "the user's store went with the package"
echo "PASS: deb built, lintian clean, installed, enrolled and synced from /usr/bin/odis-agent, purged"
