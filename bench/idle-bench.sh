#!/usr/bin/env bash
# The resident agent at rest, measured: `odis-agent --headless` in a fresh install against the simulators,
# a first sync asked for with `odis-agent sync-now` (its web engine runs in a child process), then the idle
# agent watched for <minutes> (default 5) from the end of that run:
#   tree_pss_mb       PSS of the agent and every descendant at the end of the window (/proc/*/smaps_rollup)
#   tree_pss_max_mb   the highest PSS sampled in the window (every 5 s)
#   tree_rss_mb       RSS of the same processes at the end (pages shared with other processes counted whole:
#                     what the agent would hold on a machine where nothing else uses its libraries)
#   cpu_s             CPU seconds (user + system) the agent's tree used during the window
#   chromium_processes  QtWebEngineProcess processes of this install alive at the end (orphans included)
#   heartbeats        heartbeats the backend double received during the window (every 2 minutes)
# Timers are the production ones (a minute's clock check, the 2-minute heartbeat); only the date is a test
# seam (ODIS_TEST_CLOCK_FILE, standing still at the simulated clinic's Thursday evening) so that the first
# run reads the simulated week. JSON to --out; the targets of bench/targets.json for the scenario
# resident_idle are checked (exit 1 naming every one missed).
# Runs inside scripts/in-private-session.sh (`bench/run.sh idle` does that and builds first).
#   idle-bench.sh <build dir> [--out FILE] [--targets FILE] [--minutes N]
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
out="$build/idle-bench-results.json"
targets="$root/bench/targets.json"
minutes=5
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    *) usage ;;
    esac
done
if [ -z "${ODIS_IN_PRIVATE_SESSION:-}" ]; then
    echo "bench: run inside scripts/in-private-session.sh (bench/run.sh idle does)" >&2
    exit 2
fi
agent="$build/agent/odis-agent"
for program in "$agent" "$build/agent/odis-agent-sync" "$build/tests/sim/neo/odis-neo-sim" \
    "$build/tests/sim/backend/odis-backend-sim"; do
    [ -x "$program" ] || { echo "bench: $program is not built" >&2; exit 2; }
done

work="$HOME/idle-bench"
rm -rf "$work"
mkdir -p "$work"
agent_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
    sim_world_stop
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

home="$work/home"
mkdir -p "$home"
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state"
now=2026-03-13T01:00:30Z # Thursday 18:00:30 in the clinic (America/Los_Angeles)
sim_world_init "$build" "$work" bench
sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$sim_world_tls" --state-dir "$work/backend" \
    --posthog-api-key phc_odis_demo
sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$sim_world_tls" --seed 7 --days 7 --now "$now"
sim_world_trust_ca odis-bench-ca
sim_world_set_clinic_profile "$backend" "$neo"
sim_world_write_agent_config "$backend"
sim_world_write_managed_config "$neo" # IT allows the simulated Neo (README, Configuration)
sim_world_enroll "$agent" "$backend" >"$work/enroll.out"
sim_world_save_credentials "$agent" "$neo" >"$work/credentials.out"
printf '{"now": "%s", "monotonic_ms": 0}\n' "$now" >"$work/clock.json"

ODIS_TEST_CLOCK_FILE="$work/clock.json" "$agent" --headless >"$work/agent.out" 2>"$work/agent.err" &
agent_pid=$!
status() { "$agent" status --json 2>/dev/null || echo '{}'; }
# Up to 5 minutes: the keychain probe may retry, and this machine may be busy.
for _ in $(seq 1 1500); do
    [ "$(status | jq -r '.agent // ""')" = running ] && break
    kill -0 "$agent_pid" 2>/dev/null || { echo "bench: the agent exited:" >&2; cat "$work/agent.err" >&2; exit 1; }
    sleep 0.2
done
[ "$(status | jq -r '.agent // ""')" = running ] || { echo "bench: the agent did not come up:" >&2; cat "$work/agent.err" >&2; exit 1; }
echo "bench: resident agent $agent_pid started; first sync" >&2
"$agent" sync-now >/dev/null
for _ in $(seq 1 3000); do
    s=$(status)
    if [ "$(jq -r '.last_run.status // ""' <<<"$s")" != "" ] && [ "$(jq -r '.run' <<<"$s")" = null ]; then break; fi
    sleep 0.2
done
run_status=$(status | jq -r '.last_run.status // "none"')
echo "bench: first sync $run_status; idle for $minutes minute(s)" >&2

tree_cpu_ticks() {
    local total=0 pid line rest f
    process_tree_collect "$agent_pid"
    for pid in "${process_tree_pids[@]}"; do
        { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
        rest=${line##*) }
        # shellcheck disable=SC2206 # fields separated by spaces
        f=($rest)
        total=$((total + f[11] + f[12])) # utime, stime (fields 14 and 15 of stat)
    done
    echo "$total"
}
tree_rss_kb() {
    local sum=0 pid
    process_tree_collect "$agent_pid"
    for pid in "${process_tree_pids[@]}"; do
        process_tree_read_kb "$pid" status VmRSS:
        sum=$((sum + process_tree_value))
    done
    echo "$sum"
}
tree_pss_kb() {
    local sum=0 pid
    process_tree_collect "$agent_pid"
    for pid in "${process_tree_pids[@]}"; do
        process_tree_read_kb "$pid" smaps_rollup Pss:
        sum=$((sum + process_tree_value))
    done
    echo "$sum"
}
beats() { sim_world_http "$backend/__admin/heartbeats" | jq '.heartbeats | length'; }

hz=$(getconf CLK_TCK)
cpu_start=$(tree_cpu_ticks)
beats_start=$(beats)
pss_max=0
end=$(($(date +%s) + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$agent_pid" 2>/dev/null || { echo "bench: the agent exited" >&2; exit 1; }
    pss=$(tree_pss_kb)
    [ "$pss" -gt "$pss_max" ] && pss_max=$pss
    sleep 5
done
cpu_end=$(tree_cpu_ticks)
pss_end=$(tree_pss_kb)
rss_end=$(tree_rss_kb)
[ "$pss_end" -gt "$pss_max" ] && pss_max=$pss_end
process_tree_collect "$agent_pid"
processes=${#process_tree_pids[@]}
agent_pss=0
process_tree_read_kb "$agent_pid" smaps_rollup Pss:
agent_pss=$process_tree_value
chromium=0
for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    grep -q QtWebEngineProcess "/proc/$pid/cmdline" 2>/dev/null || continue
    tr '\0' '\n' <"$environ" 2>/dev/null | grep -qx "XDG_DATA_HOME=$XDG_DATA_HOME" && chromium=$((chromium + 1))
done
beats_end=$(beats)

jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --arg host "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)" \
    --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --arg run_status "$run_status" --argjson minutes "$minutes" --argjson pss_end "$pss_end" \
    --argjson pss_max "$pss_max" --argjson agent_pss "$agent_pss" --argjson processes "$processes" \
    --argjson rss_end "$rss_end" \
    --argjson cpu_ticks "$((cpu_end - cpu_start))" --argjson hz "$hz" --argjson chromium "$chromium" \
    --argjson beats "$((beats_end - beats_start))" --slurpfile targets "$targets" '
    {scenario: "resident_idle", status: $run_status, exit_code: 0, idle_minutes: $minutes,
     tree_pss_mb: ($pss_end / 1024 * 10 | round / 10), tree_pss_max_mb: ($pss_max / 1024 * 10 | round / 10),
     agent_pss_mb: ($agent_pss / 1024 * 10 | round / 10), tree_processes: $processes,
     tree_rss_mb: ($rss_end / 1024 * 10 | round / 10),
     cpu_s: ($cpu_ticks / $hz * 100 | round / 100),
     cpu_s_per_5_min: ($cpu_ticks / $hz / $minutes * 5 * 100 | round / 100),
     chromium_processes: $chromium, heartbeats: $beats} as $r |
    {date: $date, machine: $host, commit: $commit, results: [$r],
     missed: [$targets[0].targets[] as $t | select(any($t.scenarios[]; . == "resident_idle"))
              | select($r.status != "completed" or $r[$t.metric] > $t.max)
              | {target: $t.id, metric: $t.metric, max: $t.max, value: $r[$t.metric], status: $r.status}]}' >"$out"

jq -r '.results[0] | "resident agent idle \(.idle_minutes) min after a \(.status) run: tree PSS \(.tree_pss_mb) MiB (max \(.tree_pss_max_mb), agent \(.agent_pss_mb), \(.tree_processes) process(es)), RSS \(.tree_rss_mb) MiB, CPU \(.cpu_s) s (\(.cpu_s_per_5_min) s per 5 min), Chromium processes \(.chromium_processes), heartbeats \(.heartbeats)"' "$out"
echo "bench: results in $out"
missed=$(jq -r '.missed[] | "bench: target missed: \(.target): \(.metric) = \(.value), max \(.max), run \(.status)"' "$out")
if [ -n "$missed" ]; then
    echo "$missed" >&2
    exit 1
fi
echo "bench: every resident_idle target met"
