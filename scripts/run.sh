#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the agent's main job on its built-in default:
# one real sync (`odis-agent sync --once --headless`) of a simulated clinic week from the bundled IDEXX Neo
# simulator to the bundled backend double, both over HTTPS (scripts/demo-sync.sh), then its summary.
# The agent runs in a private session whose HOME (with its keyring and encrypted store) is kept in
# build/demo-home, so later runs and `./scripts/run.sh verify-audit` see the same install.
#   ./scripts/run.sh                 the default job
#   ./scripts/run.sh <verb> [args]   any other odis-agent verb in the same demo install
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
# Only what the job runs: the agent (its CLI and sync program) and the two simulators; the test command
# builds the rest.
ODIS_BUILD_TARGETS="odis-agent odis-agent-sync odis-neo-sim odis-backend-sim" "$root/scripts/build.sh"
build="${ODIS_BUILD_DIR:-$root/build}"
if [ $# -eq 0 ]; then
    # The main job: a real sync of a simulated clinic week (IDEXX Neo simulator) to the backend double.
    exec env ODIS_SESSION_HOME="$build/demo-home" "$root/scripts/in-private-session.sh" \
        "$root/scripts/demo-sync.sh" "$build"
fi
ODIS_SESSION_HOME="$build/demo-home" "$root/scripts/in-private-session.sh" "$build/agent/odis-agent" "$@"
