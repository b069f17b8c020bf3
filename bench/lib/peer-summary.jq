# bench/peer-bench.sh's summary (jq -s over every run's result.json): medians per regime and side,
# agent/peer ratios, the pacing floor, the re-sync phases, and the side-by-side targets of
# bench/targets.json ("side_by_side") checked against them. Arguments: $date $smoke $reps $machine $load
# $commit $failures $targets $world.

def median: sort | if length == 0 then null
    elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r(digits): if . == null then null else (. * pow(10; digits) | round) / pow(10; digits) end;
def mib: if . == null then null else . / 1024 end;
def ratio(a; b): if a == null or b == null or b == 0 then null else a / b end;
# The regimes' pacing and latency (bench/peer-bench.sh, set_regime).
def regime_rate: if . == "shipped" then 4 else null end;
def regime_latency_s: if . == "shipped" then 0.05 else 0 end;

. as $runs
| [$runs[] | select(.side == "agent" or .side == "peer")] as $syncs
| [$runs[] | select(.phases_s != null)] as $resyncs
| def side(reg; s): [$syncs[] | select(.regime == reg and .side == s)] | {
        runs: length,
        completed: ([.[] | select(.status == "completed")] | length),
        wall_s: ([.[].wall_s] | median | r(2)),
        cpu_s: ([.[].cpu_s] | median | r(2)),
        tree_pss_mib: ([.[].tree_peak_pss_kb] | median | mib | r(0)),
        tree_rss_mib: ([.[].tree_peak_rss_kb] | median | mib | r(0)),
        root_rss_mib: ([.[].root_max_rss_kb] | median | mib | r(0)),
        processes: ([.[].tree_peak_processes] | max),
        neo_data_requests: ([.[].neo_data_requests] | median),
        neo_login_requests: ([.[].neo_login_requests] | median),
        consultations_read: ([.[].consultations_read] | median),
        wall_all_s: [.[].wall_s], cpu_all_s: [.[].cpu_s],
        tree_pss_all_mib: [.[].tree_peak_pss_kb | mib | r(0)]};
  def regime(reg): side(reg; "agent") as $a | side(reg; "peer") as $p | {
        agent: $a, peer: (if $p.runs > 0 then $p else null end),
        agent_over_peer: (if $p.runs > 0 then {
            wall: (ratio($a.wall_s; $p.wall_s) | r(2)), cpu: (ratio($a.cpu_s; $p.cpu_s) | r(2)),
            tree_pss: (ratio($a.tree_pss_mib; $p.tree_pss_mib) | r(2)),
            tree_rss: (ratio($a.tree_rss_mib; $p.tree_rss_mib) | r(2))} else null end),
        # The least time the pacing allows a first sync: its data requests at the allowed rate, plus the
        # login's round trips at the simulator's latency (the issue's definition; the bucket's burst of 4
        # makes the true minimum about 1 s less).
        floor: (if (reg | regime_rate) == null then null else
            ([$syncs[] | select(.regime == reg and .side == "agent")
              | {floor_s: (.neo_data_requests / (reg | regime_rate) + .neo_login_requests * (reg | regime_latency_s)),
                 wall_s}
              | .ratio = (if .floor_s > 0 then .wall_s / .floor_s else null end)]) as $f
            | {floor_s: ([$f[].floor_s] | median | r(2)), agent_over_floor: ([$f[].ratio] | median | r(2)),
               per_run: [$f[] | {floor_s: (.floor_s | r(2)), wall_s, ratio: (.ratio | r(3))}]} end)};
  def phases(busy): [$resyncs[] | select(.other_core == busy)] as $rs
    | if ($rs | length) == 0 then null else {
        runs: ($rs | length),
        completed: ([$rs[] | select(.status == "completed")] | length),
        wall_s: ([$rs[].wall_s] | median | r(3)),
        cpu_s: ([$rs[].cpu_s] | median | r(3)),
        tree_pss_mib: ([$rs[].tree_peak_pss_kb] | median | mib | r(0)),
        phases_s: (([$rs[].phases_s[].step] | unique) as $names
            | [$rs[0].phases_s[].step] as $order
            | [($order + ($names - $order))[] as $n
               | {step: $n, s: ([$rs[].phases_s[] | select(.step == $n) | .s] | median | r(3))}])} end;
  {shipped: regime("shipped"), lifted: regime("lifted"),
   resync: {idle: phases("idle"), other_core_busy: phases("busy")}} as $summary
| {
    agent_peer_wall_shipped: $summary.shipped.agent_over_peer.wall,
    agent_peer_cpu_shipped: $summary.shipped.agent_over_peer.cpu,
    agent_peer_tree_pss_shipped: $summary.shipped.agent_over_peer.tree_pss,
    agent_peer_wall_lifted: $summary.lifted.agent_over_peer.wall,
    first_sync_over_floor: $summary.shipped.floor.agent_over_floor,
    unchanged_resync_wall_idle_s: $summary.resync.idle.wall_s,
    agent_tree_pss_mib: ([$summary.shipped.agent.tree_pss_mib, $summary.lifted.agent.tree_pss_mib,
                          $summary.resync.idle.tree_pss_mib] | map(select(. != null)) | max)
  } as $figures
| {
    date: $date, machine: $machine, load_average_at_end: $load, commit: $commit, smoke: ($smoke == 1),
    repetitions: $reps, check_failures: $failures,
    world: $world,
    summary: $summary, figures: $figures,
    targets_checked: [$targets[0].side_by_side[] | . as $t | $figures[$t.figure] as $v
                      | {id, figure, max, value: $v, met: ($v != null and $v <= $t.max)}],
    runs: $runs
  } | .missed = [.targets_checked[] | select(.value != null and (.met | not)) | del(.met)]
    | .not_measured = [.targets_checked[] | select(.value == null) | .id]
