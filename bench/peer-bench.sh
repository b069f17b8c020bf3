#!/usr/bin/env bash
# The agent side by side with the Playwright peer (bench/README.md, "Side by side"), on one simulated
# clinic week (seed 7, 3 vets, 7 days, Thursday 18:00 clinic time), in two regimes:
#   shipped: the Neo pacing as shipped (4 in flight, 4 a second, burst 4), simulator latency 50 ms +-10 ms;
#   lifted:  pacing lifted (64 in flight, 10000 a second; the agent through ODIS_TEST_NEO_PACING), 0 ms.
# Per regime, agent and peer alternate for --reps repetitions, each agent run a fresh install (a first
# sync), each measured by odis-bench-measure (wall, CPU of the whole tree, peak tree PSS and RSS). Every
# run's reads are checked: the peer's against the simulator's ground truth, and both sides must send Neo
# the same data requests. Then the phases of an unchanged re-sync (from the run's own step lines), idle
# and with the other core busy, and the pacing floor of each first sync.
# Writes <out>.json and <out>.md (default <build>/peer-bench-results.*) and prints the table.
# --smoke: one repetition of each on a smaller world (2 vets, 2 days), no phases under load, and NO
# timing asserted: it checks that every run completes and reads what it must (CTest's bench_smoke).
# --skip-peer: the agent's side only (no Node or Chromium needed). Exit 0 when every check passed (and,
# outside --smoke, every target of bench/targets.json "side_by_side" was met), 1 otherwise, 2 on bad usage.
# Runs inside scripts/in-private-session.sh (bench/run.sh --peer does that, builds and installs the peer).
#   peer-bench.sh <build dir> <peer dir> [--out PREFIX] [--reps N] [--smoke] [--skip-peer] [--work DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sim-world.sh
source "$root/scripts/lib/sim-world.sh"

usage() { sed -n 's/^#   //p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
build=$(cd "$1" && pwd)
peer_dir=$2
shift 2
out="$build/peer-bench-results"
reps=5
smoke=0
skip_peer=0
work=""
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --smoke) smoke=1; reps=1; shift ;;
    --skip-peer) skip_peer=1; shift ;;
    --work) work=$2; shift 2 ;;
    *) usage ;;
    esac
done
[[ $reps =~ ^[1-9][0-9]?$ ]] || { echo "bench: --reps takes 1..99" >&2; exit 2; }
if [ -z "${ODIS_IN_PRIVATE_SESSION:-}" ]; then
    echo "bench: run inside scripts/in-private-session.sh (bench/run.sh --peer does)" >&2
    exit 2
fi
agent="$build/agent/odis-agent"
agent_sync="$build/agent/odis-agent-sync"
measure="$build/bench/odis-bench-measure"
for program in "$agent" "$agent_sync" "$measure" "$build/tests/sim/neo/odis-neo-sim" \
    "$build/tests/sim/backend/odis-backend-sim"; do
    [ -x "$program" ] || { echo "bench: $program is not built" >&2; exit 2; }
done
if [ "$skip_peer" = 0 ]; then
    [ -f "$peer_dir/peer.mjs" ] && [ -d "$peer_dir/node_modules/playwright-core" ] ||
        { echo "bench: the peer is not installed in $peer_dir (bench/peer/install.sh $peer_dir)" >&2; exit 2; }
    command -v node >/dev/null || { echo "bench: node is missing" >&2; exit 2; }
fi

# Every run's files (outputs, logs, measurements), kept until the session's HOME goes unless --work.
if [ -n "$work" ]; then
    [ ! -e "$work" ] || [ -z "$(ls -A "$work")" ] || { echo "bench: --work $work is not empty" >&2; exit 2; }
else
    work=$HOME/peer-bench
    rm -rf "$work"
fi
mkdir -p "$work/runs"
session_home=$HOME
busy_pid=""
cleanup() {
    [ -n "$busy_pid" ] && kill -TERM "$busy_pid" 2>/dev/null
    sim_world_stop
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Chromium will not start its sandbox as root (this machine's user); an ordinary clinic user keeps it.
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

seed=7 providers=3 days=7 first_day=2026-03-09 now=2026-03-13T01:00:30Z
if [ "$smoke" = 1 ]; then
    # Two vets, two days, Tuesday 18:00 clinic time: the same work in small, so that CI stays short.
    providers=2 days=2 now=2026-03-11T01:00:30Z
fi
neo_data_routes='["schedule","consultation","schedule_configs","appointment_view","appointment","schedule_page","consultation_details"]'
failures=0
fail() { echo "bench: CHECK FAILED: $*" >&2; failures=$((failures + 1)); }

use_home() {
    export HOME="$1" XDG_DATA_HOME="$1/.local/share" XDG_CONFIG_HOME="$1/.config" \
        XDG_CACHE_HOME="$1/.cache" XDG_STATE_HOME="$1/.local/state"
    mkdir -p "$1"
}

# The world: both simulators, started once; every agent run gets a fresh install against them.
world="$work/world"
sim_world_init "$build" "$world" bench
sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$sim_world_tls" \
    --state-dir "$world/backend" --posthog-api-key phc_odis_demo
sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$sim_world_tls" --seed "$seed" \
    --providers "$providers" --days "$days" --start-date "$first_day" --now "$now"
sim_world_set_clinic_profile "$backend" "$neo" .
# The agent types the login only on origins IT allows: the simulator, as in the demo (sim-world.sh).
sim_world_write_managed_config "$neo"
profile=$(sim_world_http "$backend/__admin/clinic-profile" | jq -c .profile)
zone=$(jq -r .timezone <<<"$profile")
country=$(jq -r .country <<<"$profile")
reconcile_days=$(jq -r '.sync.reconcile_days // 7' <<<"$profile")
lookahead_days=$(jq -r '.sync.lookahead_days // 1' <<<"$profile")
# What a perfect agent reads at `now` (the simulator's own implementation of the rules).
sim_world_http "$neo/__admin/ground-truth?at=$now&sync_times=$now" >"$world/ground-truth.json"
# Chromium of the peer trusts the test CA through its own HOME's NSS store, as the agent's does.
use_home "$work/peer-home"
sim_world_trust_ca odis-bench-ca >/dev/null
export HOME="$session_home"

install_count=0
fresh_install() {
    install_count=$((install_count + 1))
    local home="$work/installs/$install_count"
    use_home "$home"
    sim_world_trust_ca odis-bench-ca >/dev/null
    sim_world_write_agent_config "$backend"
    sim_world_enroll "$agent" "$backend" >"$home/enroll.out"
    sim_world_save_credentials "$agent" "$neo" >"$home/credentials.out"
}

# set_regime shipped|lifted: the simulator's latency on every route, the pacing both sides use.
set_regime() {
    regime=$1
    if [ "$regime" = shipped ]; then
        sim_world_http -X PUT --data '{"latency_ms": 50, "jitter_ms": 10}' "$neo/__admin/faults/*" >/dev/null
        pacing=(4 4 4) latency_s=0.05 agent_pacing=""
    else
        sim_world_http -X DELETE "$neo/__admin/faults" >/dev/null
        pacing=(64 10000 10000) latency_s=0 agent_pacing="64:10000:10000"
    fi
}

# neo_counts <file>: the simulator's request log since the last clear (counts only, no entries).
neo_counts() {
    sim_world_http "$neo/__admin/requests" | jq -c --argjson data_routes "$neo_data_routes" '.counts as $c | {
        neo_requests: .total,
        neo_data_requests: ([$c | to_entries[] | select(.key as $k | $data_routes | index($k)) | .value] | add // 0),
        neo_login_requests: (.total - ([$c | to_entries[] | select(.key as $k | $data_routes | index($k)) | .value] | add // 0)),
        neo_requests_by_route: $c}' >"$1"
}

# run_agent <tag>: a first sync of a fresh install, measured.
run_agent() {
    local tag=$1 dir="$work/runs/$1" rc=0 run_id report
    mkdir -p "$dir"
    fresh_install
    sim_world_http -X DELETE "$neo/__admin/requests" >/dev/null
    env ${agent_pacing:+ODIS_TEST_NEO_PACING=$agent_pacing} ODIS_TEST_NOW="$now" \
        "$measure" --out "$dir/measure.json" -- "$agent" sync --once --headless \
        >"$dir/agent.out" 2>"$dir/agent.log" || rc=$?
    neo_counts "$dir/neo.json"
    run_id=$(sed -n 's/^Sync run \([0-9a-f-]*\):.*/\1/p' "$dir/agent.out")
    report=$(sim_world_http "$backend/__admin/run-reports?run_id=${run_id:-none}" |
        jq -c '[.run_reports[].report | select(.finished_at != null)] | last // {}')
    jq -n --arg tag "$tag" --arg regime "$regime" --argjson rc "$rc" --argjson report "$report" \
        --slurpfile m "$dir/measure.json" --slurpfile n "$dir/neo.json" '$m[0] + $n[0] + {
            tag: $tag, side: "agent", regime: $regime, exit_code: $rc,
            status: ($report.status // "no_report"),
            consultations_read: ($report.counts.consultations_fetched // 0),
            items_uploaded: ($report.counts.items_uploaded // 0)}' >"$dir/result.json"
    [ "$rc" = 0 ] || fail "$tag: odis-agent sync exited with $rc (see $dir/agent.*)"
    [ "$(jq -r .status "$dir/result.json")" = completed ] || fail "$tag: the run did not complete"
    export HOME="$session_home"
}

# run_peer <tag>: the peer doing the same first read, measured, its reads checked against the ground truth.
run_peer() {
    local tag=$1 dir="$work/runs/$1" rc=0
    mkdir -p "$dir"
    use_home "$work/peer-home"
    sim_world_http -X DELETE "$neo/__admin/requests" >/dev/null
    # The login goes from the simulator's admin API to the peer's stdin, never to a file or a terminal.
    sim_world_http "$neo/__admin/credentials" | jq -r '.company_id // "", .username, .password' |
        "$measure" --out "$dir/measure.json" -- node "$peer_dir/peer.mjs" --base-url "$neo" --now "$now" \
            --zone "$zone" --country "$country" --out "$dir/read.json" --reconcile-days "$reconcile_days" \
            --lookahead-days "$lookahead_days" --in-flight "${pacing[0]}" --rate "${pacing[1]}" \
            --burst "${pacing[2]}" >"$dir/peer.out" 2>"$dir/peer.log" || rc=$?
    neo_counts "$dir/neo.json"
    [ "$rc" = 0 ] || fail "$tag: the peer exited with $rc (see $dir/peer.*)"
    # The same work as a perfect agent: every consultation of the ground truth, nothing else; every
    # appointment of the window in the schedule it read.
    local check
    check=$(jq -n --slurpfile read "$dir/read.json" --slurpfile truth "$world/ground-truth.json" '
        ($read[0].consultations | keys | sort) as $got
        | ([$truth[0].consultations[].neo_consultation_id | tostring] | sort) as $want
        | ($read[0].schedule | if type == "array" then . else (.events // .appointments // .data) end) as $rows
        | {consultations_read: ($got | length), consultations_expected: ($want | length),
           consultations_match: ($got == $want),
           schedule_rows: ($rows | length),
           appointments_expected: ([$truth[0].appointments[] | select(.removed | not)] | length),
           failed_reads: ($read[0].failures | length), peak_in_flight: $read[0].peak_in_flight,
           phases_ms: $read[0].phases_ms}' 2>/dev/null || echo '{}')
    jq -n --arg tag "$tag" --arg regime "$regime" --argjson rc "$rc" --argjson check "$check" \
        --slurpfile m "$dir/measure.json" --slurpfile n "$dir/neo.json" '$m[0] + $n[0] + $check + {
            tag: $tag, side: "peer", regime: $regime, exit_code: $rc,
            status: (if $rc == 0 and ($check.consultations_match // false) then "completed" else "failed" end)}' \
        >"$dir/result.json"
    jq -e '.consultations_match' "$dir/result.json" >/dev/null ||
        fail "$tag: the peer's consultations are not the ground truth's ($(jq -c '{consultations_read, consultations_expected}' "$dir/result.json"))"
    jq -e '.schedule_rows == .appointments_expected' "$dir/result.json" >/dev/null ||
        fail "$tag: the peer's schedule has $(jq .schedule_rows "$dir/result.json") rows, the ground truth $(jq .appointments_expected "$dir/result.json")"
    export HOME="$session_home"
}

for r in shipped lifted; do
    set_regime "$r"
    for i in $(seq 1 "$reps"); do
        echo "bench: $regime, repetition $i of $reps: agent" >&2
        run_agent "${regime}_agent_$i"
        if [ "$skip_peer" = 0 ]; then
            echo "bench: $regime, repetition $i of $reps: peer" >&2
            run_peer "${regime}_peer_$i"
            # Both did the same work: the same data requests to Neo, route by route.
            a=$(jq -c '.neo_requests_by_route | with_entries(select(.key as $k | '"$neo_data_routes"' | index($k)))' "$work/runs/${regime}_agent_$i/neo.json")
            p=$(jq -c '.neo_requests_by_route | with_entries(select(.key as $k | '"$neo_data_routes"' | index($k)))' "$work/runs/${regime}_peer_$i/neo.json")
            [ "$a" = "$p" ] || fail "$regime $i: the agent's Neo data requests $a are not the peer's $p"
        fi
    done
done

# The phases of an unchanged re-sync of the last install, from the run's own step lines (the resident
# agent's --progress-lines, each stamped as it arrives), idle and with the other core busy.
set_regime shipped
phase_run() {
    local tag=$1 dir="$work/runs/$1" start rc=0
    mkdir -p "$dir"
    use_home "$work/installs/$install_count"
    sim_world_http -X DELETE "$neo/__admin/requests" >/dev/null
    start=$EPOCHREALTIME
    # The pipeline's left side runs in a subshell: its exit status comes back through a file.
    { rc=0; ODIS_TEST_NOW="$now" "$measure" --out "$dir/measure.json" -- "$agent_sync" sync --once \
        --headless --progress-lines 2>"$dir/agent.log" || rc=$?; echo "$rc" >"$dir/rc"; } |
        while IFS= read -r line; do printf '%s\t%s\n' "$EPOCHREALTIME" "$line"; done >"$dir/steps.tsv"
    rc=$(cat "$dir/rc")
    neo_counts "$dir/neo.json"
    # When each Neo request reached the simulator (its clock is this machine's): routes and times only.
    sim_world_http "$neo/__admin/requests" | jq -c '[.entries[] | {route, method,
        t: (.received_at | capture("^(?<s>[^.]+)\\.(?<ms>[0-9]+)Z$") | (.s + "Z" | fromdateiso8601) + (.ms | tonumber) / 1000)}]
        | sort_by(.t)' >"$dir/neo-times.json"
    [ "$rc" = 0 ] || fail "$tag: odis-agent-sync exited with $rc (see $dir/agent.log)"
    # The phases (bench/lib/resync-phases.jq): from the step lines and the simulator's arrival times.
    jq -Rn --argjson start "$start" --arg tag "$tag" --arg busy "$2" --slurpfile m "$dir/measure.json" \
        --slurpfile n "$dir/neo.json" --slurpfile times "$dir/neo-times.json" \
        -f "$root/bench/lib/resync-phases.jq" <"$dir/steps.tsv" >"$dir/result.json"
    [ "$(jq -r .status "$dir/result.json")" = completed ] || fail "$tag: the re-sync did not complete"
    jq -e '.neo_data_requests == 1' "$dir/result.json" >/dev/null ||
        fail "$tag: an unchanged re-sync made $(jq .neo_data_requests "$dir/result.json") Neo data requests, not 1"
    export HOME="$session_home"
}
phase_reps=$reps
for i in $(seq 1 "$phase_reps"); do
    echo "bench: unchanged re-sync $i of $phase_reps, idle" >&2
    phase_run "resync_idle_$i" idle
done
if [ "$smoke" = 0 ]; then
    # The other core busy: one process spinning at normal priority for the whole series.
    bash -c 'while :; do :; done' &
    busy_pid=$!
    for i in $(seq 1 "$phase_reps"); do
        echo "bench: unchanged re-sync $i of $phase_reps, the other core busy" >&2
        phase_run "resync_busy_$i" busy
    done
    kill -TERM "$busy_pid"
    wait "$busy_pid" 2>/dev/null || true
    busy_pid=""
fi

# Everything into one JSON, then the table.
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson smoke "$smoke" --argjson reps "$reps" \
    --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --argjson failures "$failures" --slurpfile targets "$root/bench/targets.json" \
    --argjson world "$(jq -nc --argjson seed "$seed" --argjson providers "$providers" --argjson days "$days" \
        --arg first_day "$first_day" --arg now "$now" '{$seed, $providers, $days, $first_day, $now}')" \
    -f "$root/bench/lib/peer-summary.jq" "$work"/runs/*/result.json >"$out.json"
jq -r -f "$root/bench/lib/peer-table.jq" "$out.json" >"$out.md"
cat "$out.md"
echo "bench: results in $out.json and $out.md (runs in $work/runs until the session ends)" >&2
if [ "$failures" -gt 0 ]; then
    echo "bench: $failures check(s) failed" >&2
    exit 1
fi
if [ "$smoke" = 1 ]; then
    echo "bench: smoke: every run completed and read what it must (no timing asserted)"
    exit 0
fi
missed=$(jq -r '.missed[] | "bench: target missed: \(.id): \(.value) > \(.max)"' "$out.json")
if [ -n "$missed" ]; then
    echo "$missed" >&2
    exit 1
fi
echo "bench: every side-by-side target met"
