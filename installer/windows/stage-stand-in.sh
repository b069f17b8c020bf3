#!/usr/bin/env bash
# A staging folder for the MSI where no Windows build exists (here, CI): the Linux program stands in for
# odis-agent.exe, with the notices beside it. It proves the package logic, not the Windows program.
#   installer/windows/stage-stand-in.sh <build dir> <staging folder>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
cp "$1/agent/odis-agent" "$2/odis-agent.exe"
cp "$1/agent/odis-agent-sync" "$2/odis-agent-sync.exe"
cp "$here/../linux/copyright" "$2/copyright.txt"
echo "$2"
