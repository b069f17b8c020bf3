#!/usr/bin/env bash
# The README's demo, run by scripts/run.sh inside the private session (HOME = build/demo-home): a simulated
# clinic week in IDEXX Neo and the Odis backend double, both as processes over HTTPS with one test CA, and
# the agent's real job against them: enroll (once), save the IDEXX login, `odis-agent sync --once
# --headless`, then its summary. Running it again reuses the same install, backend state and clinic: the
# second sync finds nothing new to upload.
#   demo-sync.sh <build dir>
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sim-world.sh
source "$root/scripts/lib/sim-world.sh"
agent="$build/agent/odis-agent"
state="$HOME/demo-world"
tls="$state/pki"

# The clinic week of seed 7 (Monday 2026-03-09 to Sunday 2026-03-15, America/Los_Angeles), seen on
# Thursday evening 18:00: Monday to Thursday's visits are over, so there are notes to read and calls to plan.
# The simulator's clock stands still there, and the agent's starts there (ODIS_TEST_NOW, a test seam:
# agent/run/clock_seam.h); half past the minute, so the seconds between the two never cross a minute.
neo_now=2026-03-13T01:00:30Z

trap sim_world_stop EXIT
sim_world_init "$build" "$state" demo

sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$tls" --state-dir "$state/backend" \
    --posthog-api-key phc_odis_demo
# The agent's IDEXX login is bound to the Neo origin where it was accepted: the simulator keeps its port
# from one demo run to the next (a new one would have to be confirmed, as a clinic's IT would).
neo_port=$(cat "$state/neo.port" 2>/dev/null || echo 0)
if ! sim_world_start neo neo/odis-neo-sim --port "$neo_port" --tls-dir "$tls" --seed 7 --days 7 \
    --now "$neo_now" 2>/dev/null; then
    sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$tls" --seed 7 --days 7 --now "$neo_now"
fi
moved=$([ "$neo_port" != 0 ] && [ "${neo##*:}" != "$neo_port" ] && echo yes || true)
echo "${neo##*:}" >"$state/neo.port"
echo "demo: IDEXX Neo simulator at $neo, backend double at $backend (test CA $sim_world_ca)"

sim_world_trust_ca odis-demo-ca
sim_world_set_clinic_profile "$backend" "$neo"
sim_world_write_agent_config "$backend"
sim_world_write_managed_config "$neo"
sim_world_enroll "$agent" "$backend"
sim_world_save_credentials "$agent" "$neo"
if [ -n "$moved" ]; then
    echo "demo: the simulator could not get its earlier port; confirming its new address for the saved login"
    ODIS_TEST_NOW="$neo_now" "$agent" sync --once --headless >/dev/null 2>&1 || true
    "$agent" credentials confirm-origin "$neo"
fi

# Chromium will not start its sandbox as root (this demo machine's user); an ordinary clinic user keeps it.
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
echo "demo: odis-agent sync --once --headless"
rc=0
ODIS_TEST_NOW="$neo_now" "$agent" sync --once --headless || rc=$?

echo "demo: the backend double now holds $(sim_world_http "$backend/__admin/summary" |
    jq -r '"\(.items) item(s), \(.observations) observation(s), \(.duplicates) duplicate(s), \(.run_reports) run report(s), \(.posthog_events) analytics event(s)"')"
exit "$rc"
