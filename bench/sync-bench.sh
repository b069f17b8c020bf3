#!/usr/bin/env bash
# The agent's main job, measured: `odis-agent sync --once --headless` against the IDEXX Neo simulator
# and the backend double (HTTPS, loopback, one test CA), each world a fresh install with fresh simulators.
#   typical_first / typical_resync: seed 7, 3 vets, 7 days from Monday 2026-03-09, Thursday 18:00 clinic
#     time; the first sync, then the same install again with nothing changed;
#   large_first / large_resync: 4 vets, 14 days, Sunday 2026-03-22 18:00 (the end of the second week),
#     the clinic profile reconciling 14 days so that the first sync reads both weeks.
# Per sync: wall time, peak RSS of the agent and of its process tree (QtWebEngine included; /proc every
# 100 ms), items uploaded, consultations read, Neo requests. A table on stdout, JSON to --out, and the
# targets of bench/targets.json checked: exit 1 naming every target missed.
# Runs inside scripts/in-private-session.sh (bench/run.sh does that and builds first).
#   sync-bench.sh <build dir> [--out FILE] [--targets FILE] [--only typical|large]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sim-world.sh
source "$root/scripts/lib/sim-world.sh"
# shellcheck source=bench/lib/process-tree.sh
source "$root/bench/lib/process-tree.sh"

usage() { sed -n 's/^#   //p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
build=$(cd "$1" && pwd)
shift
out="$build/sync-bench-results.json"
targets="$root/bench/targets.json"
only=""
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) usage ;;
    esac
done
if [ -z "${ODIS_IN_PRIVATE_SESSION:-}" ]; then
    echo "bench: run inside scripts/in-private-session.sh (bench/run.sh does)" >&2
    exit 2
fi
agent="$build/agent/odis-agent"
for program in "$agent" "$build/tests/sim/neo/odis-neo-sim" "$build/tests/sim/backend/odis-backend-sim"; do
    [ -x "$program" ] || { echo "bench: $program is not built" >&2; exit 2; }
done
jq -e '.targets | length > 0' "$targets" >/dev/null

work="$HOME/sync-bench"
rm -rf "$work"
mkdir -p "$work/results"
session_home=$HOME
result_files=()
agent_pid=""
sampler_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null
    [ -n "$sampler_pid" ] && kill -TERM "$sampler_pid" 2>/dev/null
    sim_world_stop
}
trap cleanup EXIT
# A signal ends the script through exit, so that the EXIT trap stops the agent and the simulators.
trap 'exit 130' INT
trap 'exit 143' TERM

# Chromium will not start its sandbox as root (this machine's user); an ordinary clinic user keeps it.
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

# Routes of the simulator that read clinic data; the others are the login and the pages around it.
neo_data_routes='["schedule","consultation","schedule_configs","appointment_view","appointment","schedule_page","consultation_details"]'

# A fresh install: its own HOME (configuration, encrypted store, install id that namespaces its keychain
# entries, NSS store) inside the session, whose D-Bus and keyring stay.
fresh_install() {
    local home=$1
    mkdir -p "$home"
    export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
        XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state"
}

# measure_sync <scenario> <description> <world dir> <now>: one sync, its numbers in results/<scenario>.json.
measure_sync() {
    local scenario=$1 description=$2 dir=$3 now=$4 start end rc=0 report run_id
    sim_world_http -X DELETE "$neo/__admin/requests" >/dev/null
    start=$(date +%s%N)
    ODIS_TEST_NOW="$now" "$agent" sync --once --headless >"$dir/$scenario.agent.out" 2>"$dir/$scenario.agent.log" &
    agent_pid=$!
    process_tree_peaks "$agent_pid" 0.1 "$dir/$scenario.memory.json" &
    sampler_pid=$!
    wait "$agent_pid" || rc=$?
    end=$(date +%s%N)
    agent_pid=""
    wait "$sampler_pid"
    sampler_pid=""
    if [ "$rc" -ne 0 ]; then
        echo "bench: $scenario: odis-agent sync exited with $rc (its output: $dir/$scenario.agent.*)" >&2
    fi
    # The end report of the run just made (its id is on the summary's first line).
    run_id=$(sed -n 's/^Sync run \([0-9a-f-]*\):.*/\1/p' "$dir/$scenario.agent.out")
    report=$(sim_world_http "$backend/__admin/run-reports?run_id=${run_id:-none}" |
        jq -c '[.run_reports[].report | select(.finished_at != null)] | last // {}')
    sim_world_http "$neo/__admin/requests" | jq \
        --arg scenario "$scenario" --arg description "$description" --arg now "$now" \
        --argjson rc "$rc" --argjson wall_ns "$((end - start))" --argjson report "$report" \
        --argjson world "$world_json" --argjson data_routes "$neo_data_routes" \
        --slurpfile memory "$dir/$scenario.memory.json" '
        ($memory[0]) as $m | .counts as $c | {
            scenario: $scenario, description: $description, world: ($world + {now: $now}),
            exit_code: $rc, status: ($report.status // "no_report"),
            wall_s: ($wall_ns / 1e9 * 10 | round / 10),
            run_duration_s: (($report.duration_ms // 0) / 100 | round / 10),
            agent_peak_rss_mb: ($m.agent_peak_rss_kb / 1024 | round),
            agent_reported_peak_rss_mb: ($report.peak_rss_mb // 0),
            tree_peak_rss_mb: ($m.tree_peak_rss_kb / 1024 | round),
            tree_peak_pss_mb: ($m.tree_peak_pss_kb / 1024 | round),
            tree_peak_processes: $m.tree_peak_processes, memory_samples: $m.samples,
            appointments_read: ($report.counts.appointments_seen // 0),
            consultations_read: ($report.counts.consultations_fetched // 0),
            items_uploaded: ($report.counts.items_uploaded // 0),
            neo_requests: .total,
            neo_data_requests: ([$c | to_entries[] | select(.key as $k | $data_routes | index($k)) | .value] | add // 0),
            neo_requests_by_route: $c }' >"$work/results/$scenario.json"
    result_files+=("$work/results/$scenario.json")
}

# run_world <name> <providers> <days> <now> <profile filter> <first description> <resync description>
run_world() {
    local name=$1 providers=$2 days=$3 now=$4 filter=$5 first=$6 again=$7
    local dir="$work/$name"
    fresh_install "$dir/home"
    sim_world_init "$build" "$dir" bench
    world_json=$(jq -nc --argjson providers "$providers" --argjson days "$days" --arg filter "$filter" \
        '{seed: 7, providers: $providers, days: $days, first_day: "2026-03-09", profile_change: $filter}')
    sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$sim_world_tls" \
        --state-dir "$dir/backend" --posthog-api-key phc_odis_demo
    sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$sim_world_tls" --seed 7 \
        --providers "$providers" --days "$days" --start-date 2026-03-09 --now "$now"
    sim_world_trust_ca odis-bench-ca
    sim_world_set_clinic_profile "$backend" "$neo" "$filter"
    sim_world_write_agent_config "$backend"
    sim_world_write_managed_config "$neo"
    sim_world_enroll "$agent" "$backend" >"$dir/enroll.out"
    sim_world_save_credentials "$agent" "$neo" >"$dir/credentials.out"
    echo "bench: $name: ${providers} vets, ${days} days, now $now: first sync" >&2
    measure_sync "${name}_first" "$first" "$dir" "$now"
    echo "bench: $name: unchanged second sync" >&2
    measure_sync "${name}_resync" "$again" "$dir" "$now"
    sim_world_stop
    export HOME="$session_home"
}

# Thursday 18:00:30 and Sunday 18:00:30 clinic time (America/Los_Angeles, PDT): half past the minute, so
# the seconds between the simulator's clock and the agent's never cross a minute.
if [ -z "$only" ] || [ "$only" = typical ]; then
    run_world typical 3 7 2026-03-13T01:00:30Z . \
        "typical clinic week, first sync" "typical clinic week, unchanged second sync"
fi
if [ -z "$only" ] || [ "$only" = large ]; then
    run_world large 4 14 2026-03-23T01:00:30Z '.sync.reconcile_days = 14' \
        "large clinic, 2 weeks, first sync" "large clinic, 2 weeks, unchanged second sync"
fi

jq -s --slurpfile targets "$targets" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --arg host "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)" \
    --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" '
    . as $results | {
        date: $date, machine: $host, commit: $commit, results: $results,
        missed: [$targets[0].targets[] as $t | $results[]
            | .scenario as $s | select(any($t.scenarios[]; . == "*" or . == $s))
            | select(.exit_code != 0 or .status != "completed" or .[$t.metric] > $t.max)
            | {target: $t.id, scenario, metric: $t.metric, max: $t.max, value: .[$t.metric],
               status, exit_code}]
    }' "${result_files[@]}" >"$out"

printf '\n%-46s %7s %9s %9s %9s %8s %8s %9s\n' scenario "wall s" "agent MiB" "tree MiB" "tree PSS" uploaded consults "neo(data)"
jq -r '.results[] | [.description, .wall_s, .agent_peak_rss_mb, .tree_peak_rss_mb, .tree_peak_pss_mb,
    .items_uploaded, .consultations_read, "\(.neo_requests)(\(.neo_data_requests))"] | @tsv' "$out" |
    while IFS=$'\t' read -r d w a t p u c n; do
        printf '%-46s %7.1f %9s %9s %9s %8s %8s %9s\n' "$d" "$w" "$a" "$t" "$p" "$u" "$c" "$n"
    done
echo "bench: results in $out"
missed=$(jq -r '.missed[] | "bench: target missed: \(.target) (\(.scenario)): \(.metric) = \(.value), max \(.max), sync \(.status), exit \(.exit_code)"' "$out")
if [ -n "$missed" ]; then
    echo "$missed" >&2
    exit 1
fi
echo "bench: every target met ($(jq '.targets | length' "$targets") targets)"
