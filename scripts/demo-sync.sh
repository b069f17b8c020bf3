#!/usr/bin/env bash
# The README's demo, run by scripts/run.sh inside the private session (HOME = build/demo-home): a simulated
# clinic week in IDEXX Neo and the Odis backend double, both as processes over HTTPS with one test CA, and
# the agent's real job against them: enroll (once), save the IDEXX login, `odis-agent sync --once
# --headless`, then its summary. Running it again reuses the same install, backend state and clinic: the
# second sync finds nothing new to upload.
#   demo-sync.sh <build dir>
set -euo pipefail
build=$1
agent="$build/agent/odis-agent"
state="$HOME/demo-world"
tls="$state/pki"
mkdir -p "$state"

# The clinic week of seed 7 (Monday 2026-03-09 to Sunday 2026-03-15, America/Los_Angeles), seen on
# Thursday evening 18:00: Monday to Thursday's visits are over, so there are notes to read and calls to plan.
# The simulator's clock stands still there, and the agent's starts there (ODIS_TEST_NOW, a test seam:
# agent/run/clock_seam.h); half past the minute, so the seconds between the two never cross a minute.
neo_now=2026-03-13T01:00:30Z

pids=()
stop_simulators() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_simulators EXIT

# Starts a simulator in the background and prints its URL once it said READY.
start_simulator() {
    local program=$1
    shift
    local name out
    name=$(basename "$program")
    out="$state/$name.out"
    : >"$out"
    "$build/tests/sim/$program" "$@" >"$out" 2>"$state/$name.log" &
    pids+=("$!")
    for _ in $(seq 1 300); do
        if grep -q '^READY ' "$out"; then
            sed -n 's/^READY //p' "$out"
            return 0
        fi
        if ! kill -0 "${pids[-1]}" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "demo: $name did not start; its log:" >&2
    cat "$state/$name.log" >&2
    return 1
}

backend=$(start_simulator backend/odis-backend-sim --port 0 --tls-dir "$tls" --state-dir "$state/backend" \
    --posthog-api-key phc_odis_demo)
neo=$(start_simulator neo/odis-neo-sim --port 0 --tls-dir "$tls" --seed 7 --days 7 --now "$neo_now")
ca="$tls/ca.pem"
http() { curl --silent --show-error --fail --cacert "$ca" "$@"; }
echo "demo: IDEXX Neo simulator at $neo, backend double at $backend (test CA $ca)"

# Chromium (QtWebEngine) trusts the test CA through this HOME's NSS store, as a clinic's workstation
# trusts a corporate CA; TLS errors are never ignored.
nssdb="$HOME/.pki/nssdb"
if [ ! -f "$nssdb/cert9.db" ]; then
    mkdir -p "$nssdb"
    certutil -N -d "sql:$nssdb" --empty-password
fi
certutil -A -d "sql:$nssdb" -n "odis-demo-ca-$(sha256sum "$ca" | cut -c1-16)" -t "C,," -a -i "$ca"

# The clinic profile tells the agent where the clinic's Neo is: here, the simulator.
http "$backend/__admin/clinic-profile" | jq --arg url "$neo" '.profile | .idexx.base_url = $url' |
    http -X PUT --data-binary @- "$backend/__admin/clinic-profile" >/dev/null

# The agent's configuration: the backend double, its CA, and PostHog events to the double's /batch/.
config_dir="$HOME/.config/Odis/odis-agent"
mkdir -p "$config_dir"
jq -n --arg url "$backend" --arg ca "$ca" '{
    backend: {url: $url, ca_file: $ca},
    telemetry: {enabled: true, posthog_host: $url, posthog_api_key: "phc_odis_demo"},
    log_level: "info"}' >"$config_dir/config.json"

code=$(http -X POST --data '{}' "$backend/__admin/enrollment-codes" | jq -r .code)
"$agent" enroll --code "$code"

http "$neo/__admin/credentials" | jq -r '.company_id // "", .username, .password' | "$agent" credentials set

# Chromium will not start its sandbox as root (this demo machine's user); an ordinary clinic user keeps it.
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
echo "demo: odis-agent sync --once --headless"
rc=0
ODIS_TEST_NOW="$neo_now" "$agent" sync --once --headless || rc=$?

echo "demo: the backend double now holds $(http "$backend/__admin/summary" |
    jq -r '"\(.items) item(s), \(.observations) observation(s), \(.duplicates) duplicate(s), \(.run_reports) run report(s), \(.posthog_events) analytics event(s)"')"
exit "$rc"
