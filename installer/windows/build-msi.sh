#!/usr/bin/env bash
# Builds the Windows installer from a staging folder:
#   installer/windows/build-msi.sh <staging folder> <version> <output dir>
# The staging folder is what the Windows build deploys (odis-agent.exe with its Qt DLLs, plugins,
# QtWebEngineProcess.exe and resources, as windeployqt lays them out). Every file in it is harvested
# (wixl-heat) into the component group Payload; odis-agent.exe is the source's own component, which the
# Run key names. wixl cannot write component conditions, so msibuild sets them afterwards: each policy
# value is written only when its property is set, the Run key only with AUTOSTART=1. Prints the path.
set -euo pipefail
stage=$(cd "$1" && pwd)
version=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$stage/odis-agent.exe" ]; then
    echo "build-msi: $stage has no odis-agent.exe" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# wixl resolves sources relative to the working folder.
(cd "$stage" && find . -type f ! -path ./odis-agent.exe | sed 's|^\./||' | LC_ALL=C sort |
    wixl-heat -p "" --var var.PayloadDir --directory-ref INSTALLDIR --component-group Payload --win64) \
    >"$work/payload.wxs"
msi="$out/odis-agent-$version-x64.msi"
(cd "$stage" && wixl --arch x64 -D Version="$version" -D PayloadDir=. -D Win64=yes \
    -o "$msi" "$here/odis-agent.wxs" "$work/payload.wxs") 2>"$work/wixl.log" || {
    cat "$work/wixl.log" >&2
    exit 1
}

conditions=(
    "PolicyBackendUrl=BACKEND_URL"
    "PolicyNeoBaseUrl=NEO_BASE_URL"
    "PolicyTelemetry=TELEMETRY"
    "PolicyLogLevel=LOG_LEVEL"
    "PolicyEnrollmentCode=ENROLLMENT_CODE"
    'AutostartRunKey=AUTOSTART = "1"'
)
for entry in "${conditions[@]}"; do
    component=${entry%%=*}
    condition=${entry#*=}
    msibuild "$msi" -q "UPDATE \`Component\` SET \`Condition\` = '$condition' WHERE \`Component\` = '$component'"
done
echo "$msi"
