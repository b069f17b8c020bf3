# shellcheck shell=bash
# The simulated world shared by scripts/demo-sync.sh and bench/sync-bench.sh (sourced, not run): the
# IDEXX Neo simulator and the Odis backend double as processes over HTTPS with one test CA, and an agent
# install configured against them (NSS trust, clinic profile, config.json, enrollment, IDEXX login).
# Everything happens under the current HOME, so callers run inside scripts/in-private-session.sh.
#
#   sim_world_init <build dir> <state dir> <tag>   once per world; <tag> prefixes messages ("demo")
#   sim_world_start <var> <program> [args...]      start tests/sim/<program>; <var> = its URL
#   sim_world_stop                                 stop every simulator started (for an EXIT trap)
#   sim_world_http [curl args...]                  curl that trusts exactly the world's test CA
#   sim_world_trust_ca <nickname prefix>           the CA in this HOME's NSS store (for QtWebEngine)
#   sim_world_set_clinic_profile <backend> <neo> [jq filter]   idexx.base_url (+ filter on the profile)
#   sim_world_write_agent_config <backend>         config.json: backend, its CA, PostHog to the double
#   sim_world_write_managed_config <neo>           IT's file (ODIS_MANAGED_CONFIG, exported): the simulated
#                                                  Neo may receive the clinic's password
#   sim_world_enroll <agent> <backend>             a fresh enrollment code, `odis-agent enroll`
#   sim_world_save_credentials <agent> <neo>       the simulator's login into the agent's keychain
#
# A simulator's stdout is one READY line and its stderr has its made-up login: both stay in files under
# the state dir and are never printed.

sim_world_pids=()

sim_world_init() {
    sim_world_build=$1
    sim_world_state=$2
    sim_world_tag=$3
    sim_world_tls="$sim_world_state/pki"
    sim_world_ca="$sim_world_tls/ca.pem"
    mkdir -p "$sim_world_state"
}

sim_world_stop() {
    local pid
    for pid in "${sim_world_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${sim_world_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    sim_world_pids=()
}

# Not run in a command substitution: the pid must be recorded in this shell so that sim_world_stop sees it.
sim_world_start() {
    local var=$1 program=$2
    shift 2
    local name out
    name=$(basename "$program")
    out="$sim_world_state/$name.out"
    : >"$out"
    "$sim_world_build/tests/sim/$program" "$@" >"$out" 2>"$sim_world_state/$name.log" &
    sim_world_pids+=("$!")
    for _ in $(seq 1 300); do
        if grep -q '^READY ' "$out"; then
            printf -v "$var" '%s' "$(sed -n 's/^READY //p' "$out")"
            return 0
        fi
        if ! kill -0 "${sim_world_pids[-1]}" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "$sim_world_tag: $name did not start; its log:" >&2
    # The log's login lines are a simulator's made-up account; the rest says why it failed.
    grep -v 'login' "$sim_world_state/$name.log" >&2 || true
    return 1
}

sim_world_http() { curl --silent --show-error --fail --cacert "$sim_world_ca" "$@"; }

# Chromium (QtWebEngine) trusts the test CA through this HOME's NSS store, as a clinic's workstation
# trusts a corporate CA; TLS errors are never ignored.
sim_world_trust_ca() {
    local prefix=$1
    local nssdb="$HOME/.pki/nssdb"
    if [ ! -f "$nssdb/cert9.db" ]; then
        mkdir -p "$nssdb"
        certutil -N -d "sql:$nssdb" --empty-password
    fi
    certutil -A -d "sql:$nssdb" -n "$prefix-$(sha256sum "$sim_world_ca" | cut -c1-16)" -t "C,," -a \
        -i "$sim_world_ca"
}

# The clinic profile tells the agent where the clinic's Neo is: here, the simulator. An optional jq filter
# changes more of the profile (e.g. '.sync.reconcile_days = 14').
sim_world_set_clinic_profile() {
    local backend=$1 neo=$2 filter=${3:-.}
    sim_world_http "$backend/__admin/clinic-profile" |
        jq --arg url "$neo" ".profile | .idexx.base_url = \$url | $filter" |
        sim_world_http -X PUT --data-binary @- "$backend/__admin/clinic-profile" >/dev/null
}

# The agent's configuration: the backend double, its CA, and PostHog events to the double's /batch/.
sim_world_write_agent_config() {
    local backend=$1
    local config_dir="$HOME/.config/Odis/odis-agent"
    mkdir -p "$config_dir"
    jq -n --arg url "$backend" --arg ca "$sim_world_ca" '{
        backend: {url: $url, ca_file: $ca},
        telemetry: {enabled: true, posthog_host: $url, posthog_api_key: "phc_odis_demo"},
        log_level: "info"}' >"$config_dir/config.json"
}

# The agent types the clinic's IDEXX password only on IDEXX Neo's own origins and those IT's managed file
# allows; the simulator on 127.0.0.1 is allowed here, as IT would allow a clinic's proxy.
sim_world_write_managed_config() {
    local neo=$1
    export ODIS_MANAGED_CONFIG="$sim_world_state/managed-config.json"
    jq -n --arg origin "$neo" '{neo: {allowed_origins: [$origin]}}' >"$ODIS_MANAGED_CONFIG"
}

sim_world_enroll() {
    local agent=$1 backend=$2 code
    code=$(sim_world_http -X POST --data '{}' "$backend/__admin/enrollment-codes" | jq -r .code)
    # On standard input: an argument would show the code in the process list.
    printf '%s\n' "$code" | "$agent" enroll
}

# The login goes from the simulator's admin API straight into the agent's stdin, never to the terminal.
sim_world_save_credentials() {
    local agent=$1 neo=$2
    sim_world_http "$neo/__admin/credentials" | jq -r '.company_id // "", .username, .password' |
        "$agent" credentials set
}
