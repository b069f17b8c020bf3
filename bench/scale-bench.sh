#!/usr/bin/env bash
# How a first sync grows from one vet for a day to a 20-vet hospital over 14 days (bench/README.md,
# "Scale"): for each clinic size a fresh install and fresh simulators, one first sync measured by
# odis-bench-measure (wall, CPU of the whole tree, peak tree PSS and RSS), with the consultations it read
# and the Neo requests it made. By default the pacing is lifted (ODIS_TEST_NEO_PACING, 0 ms latency), so
# that the figures are the engine's own cost and the series takes minutes, not an hour; --paced keeps the
# shipped pacing and 50 ms latency (a 20-vet first sync is then about 10 minutes on its own). The shipped
# first-sync time of every size is also given as its pacing floor (data requests / 4 a second).
# Writes <out>.json and <out>.md (default <build>/scale-bench-results.*), prints the table.
# --smoke: the two smallest sizes only, nothing asserted but that every sync completes.
# Runs inside scripts/in-private-session.sh (./bench/run.sh scale does that and builds first).
#   scale-bench.sh <build dir> [--out PREFIX] [--paced] [--smoke] [--sizes "1x1 3x7 10x14 20x14"]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sim-world.sh
source "$root/scripts/lib/sim-world.sh"

usage() { sed -n 's/^#   //p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
build=$(cd "$1" && pwd)
shift
out="$build/scale-bench-results"
paced=0
sizes="1x1 3x7 4x14 10x14 20x14"
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --paced) paced=1; shift ;;
    --smoke) sizes="1x1 2x2"; shift ;;
    --sizes) sizes=$2; shift 2 ;;
    *) usage ;;
    esac
done
if [ -z "${ODIS_IN_PRIVATE_SESSION:-}" ]; then
    echo "bench: run inside scripts/in-private-session.sh (bench/run.sh scale does)" >&2
    exit 2
fi
agent="$build/agent/odis-agent"
measure="$build/bench/odis-bench-measure"
for program in "$agent" "$build/agent/odis-agent-sync" "$measure" "$build/tests/sim/neo/odis-neo-sim" \
    "$build/tests/sim/backend/odis-backend-sim"; do
    [ -x "$program" ] || { echo "bench: $program is not built" >&2; exit 2; }
done
work="$HOME/scale-bench"
rm -rf "$work"
mkdir -p "$work"
session_home=$HOME
trap sim_world_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
neo_data_routes='["schedule","consultation","schedule_configs","appointment_view","appointment","schedule_page","consultation_details"]'
failures=0

for size in $sizes; do
    [[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "bench: a size is <vets>x<days>: $size" >&2; exit 2; }
    vets=${BASH_REMATCH[1]} days=${BASH_REMATCH[2]}
    # The evening of the last generated day (18:00:30 clinic time, PDT from 2026-03-08): every visit has
    # happened; a window of 14 days when more than a week was generated.
    now=$(date -u -d "2026-03-09 +$((days - 1)) days 18:00:30 -0700" +%Y-%m-%dT%H:%M:%SZ)
    reconcile=7
    [ "$days" -gt 7 ] && reconcile=14
    dir="$work/${vets}x${days}"
    mkdir -p "$dir/home"
    export HOME="$dir/home" XDG_DATA_HOME="$dir/home/.local/share" XDG_CONFIG_HOME="$dir/home/.config" \
        XDG_CACHE_HOME="$dir/home/.cache" XDG_STATE_HOME="$dir/home/.local/state"
    sim_world_init "$build" "$dir" bench
    sim_world_start backend backend/odis-backend-sim --port 0 --tls-dir "$sim_world_tls" \
        --state-dir "$dir/backend" --posthog-api-key phc_odis_demo
    sim_world_start neo neo/odis-neo-sim --port 0 --tls-dir "$sim_world_tls" --seed 7 \
        --providers "$vets" --days "$days" --start-date 2026-03-09 --now "$now"
    sim_world_trust_ca odis-bench-ca >/dev/null
    sim_world_set_clinic_profile "$backend" "$neo" ".sync.reconcile_days = $reconcile"
    sim_world_write_agent_config "$backend"
    sim_world_write_managed_config "$neo"
    sim_world_enroll "$agent" "$backend" >"$dir/enroll.out"
    sim_world_save_credentials "$agent" "$neo" >"$dir/credentials.out"
    pacing=""
    if [ "$paced" = 1 ]; then
        sim_world_http -X PUT --data '{"latency_ms": 50, "jitter_ms": 10}' "$neo/__admin/faults/*" >/dev/null
    else
        pacing="64:10000:10000"
    fi
    sim_world_http -X DELETE "$neo/__admin/requests" >/dev/null
    echo "bench: ${vets} vets, ${days} days: first sync" >&2
    rc=0
    env ${pacing:+ODIS_TEST_NEO_PACING=$pacing} ODIS_TEST_NOW="$now" \
        "$measure" --out "$dir/measure.json" -- "$agent" sync --once --headless \
        >"$dir/agent.out" 2>"$dir/agent.log" || rc=$?
    run_id=$(sed -n 's/^Sync run \([0-9a-f-]*\):.*/\1/p' "$dir/agent.out")
    report=$(sim_world_http "$backend/__admin/run-reports?run_id=${run_id:-none}" |
        jq -c '[.run_reports[].report | select(.finished_at != null)] | last // {}')
    sim_world_http "$neo/__admin/requests" | jq --argjson vets "$vets" --argjson days "$days" \
        --arg now "$now" --argjson rc "$rc" --argjson report "$report" --argjson data_routes "$neo_data_routes" \
        --argjson paced "$paced" --slurpfile m "$dir/measure.json" '.counts as $c
        | ([$c | to_entries[] | select(.key as $k | $data_routes | index($k)) | .value] | add // 0) as $data
        | $m[0] + {vets: $vets, days: $days, now: $now, paced: ($paced == 1), exit_code: $rc,
            status: ($report.status // "no_report"),
            appointments_read: ($report.counts.appointments_seen // 0),
            consultations_read: ($report.counts.consultations_fetched // 0),
            items_uploaded: ($report.counts.items_uploaded // 0),
            neo_requests: .total, neo_data_requests: $data,
            shipped_floor_s: ($data / 4 + (.total - $data) * 0.05)}' >"$dir/result.json"
    if [ "$rc" != 0 ] || [ "$(jq -r .status "$dir/result.json")" != completed ]; then
        echo "bench: CHECK FAILED: ${vets}x${days}: the sync exited with $rc, status $(jq -r .status "$dir/result.json") (see $dir)" >&2
        failures=$((failures + 1))
    fi
    sim_world_stop
    export HOME="$session_home"
done

jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --arg machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)" \
    --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" '
    def r(d): (. * pow(10; d) | round) / pow(10; d);
    {date: $date, machine: $machine, load_average_at_end: $load, commit: $commit,
     sizes: [.[] | . + {
        cpu_ms_per_consultation: (if .consultations_read > 0 then .cpu_s * 1000 / .consultations_read | r(1) else null end),
        tree_pss_mib: (.tree_peak_pss_kb / 1024 | round), tree_rss_mib: (.tree_peak_rss_kb / 1024 | round)}]}' \
    "$work"/*/result.json >"$out.json"
jq -r '"Scale (\(.date), commit \(.commit), \(.machine), load average at the end \(.load_average_at_end); " +
        "pacing \(if .sizes[0].paced then "as shipped, 50 ms latency" else "lifted, 0 ms latency" end))", "",
    "| clinic | appointments | consultations read | Neo data requests | wall s | shipped floor s | CPU s | CPU ms / consultation | tree PSS MiB | tree RSS MiB |",
    "|---|---|---|---|---|---|---|---|---|---|",
    (.sizes | sort_by(.vets * 100 + .days)[] | "| \(.vets) vet\(if .vets == 1 then "" else "s" end), \(.days) day\(if .days == 1 then "" else "s" end) | \(.appointments_read) | \(.consultations_read) | \(.neo_data_requests) | \(.wall_s) | \(.shipped_floor_s * 10 | round / 10) | \(.cpu_s) | \(.cpu_ms_per_consultation) | \(.tree_pss_mib) | \(.tree_rss_mib) |")' \
    "$out.json" >"$out.md"
cat "$out.md"
echo "bench: results in $out.json and $out.md" >&2
[ "$failures" = 0 ] || { echo "bench: $failures sync(s) failed" >&2; exit 1; }
