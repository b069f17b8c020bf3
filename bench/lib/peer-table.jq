# bench/peer-bench.sh's Markdown table, from its summary JSON (bench/lib/peer-summary.jq).
def f: if . == null then "–" else tostring end;
def row(cells): "| " + (cells | map(f) | join(" | ")) + " |";
.summary as $s
| (["shipped", "lifted"] | map(. as $r | $s[$r] | {r: $r, a: .agent, p: .peer, x: .agent_over_peer})) as $regimes
| "Side by side (\(.date), commit \(.commit), \(.machine), load average at the end \(.load_average_at_end); " +
  "median of \(.repetitions) run(s) each\(if .smoke then ", SMOKE: one run, figures not meaningful" else "" end))",
  "",
  "| regime | side | wall s | CPU s | tree PSS MiB | tree RSS MiB | processes | Neo data (login) requests | consultations |",
  "|---|---|---|---|---|---|---|---|---|",
  ($regimes[] | . as $g | ([["agent", $g.a], ["peer", $g.p], ["agent/peer", $g.x]][] | select(.[1] != null)) as [$n, $v]
    | if $n == "agent/peer" then row([$g.r, $n, $v.wall, $v.cpu, $v.tree_pss, $v.tree_rss, null, null, null])
      else row([$g.r, $n, $v.wall_s, $v.cpu_s, $v.tree_pss_mib, $v.tree_rss_mib, $v.processes,
                "\($v.neo_data_requests) (\($v.neo_login_requests))", $v.consultations_read]) end),
  "",
  (if $s.shipped.floor then "Pacing floor of the shipped first sync: \($s.shipped.floor.floor_s) s; agent wall / floor = \($s.shipped.floor.agent_over_floor)" else empty end),
  "",
  "Unchanged re-sync (odis-agent-sync, phases from its own step lines, median s):",
  "",
  ([$s.resync.idle, $s.resync.other_core_busy] | map(select(. != null))) as $rs
  | ($rs[0].phases_s | map(.step)) as $steps
  | row(["", "wall", "CPU"] + $steps),
    ("|" + ([range(0; ($steps | length) + 3)] | map("---") | join("|")) + "|"),
    (["idle", "other core busy"] as $names | [$s.resync.idle, $s.resync.other_core_busy] | to_entries[]
      | select(.value != null) | .key as $k | .value as $v
      | row([$names[$k], $v.wall_s, $v.cpu_s] + [$steps[] as $n | ($v.phases_s[] | select(.step == $n) | .s)])),
  "",
  "Targets:",
  "",
  "| target | figure | value | max | |",
  "|---|---|---|---|---|",
  (.targets_checked[] | row([.id, .figure, .value, .max, (if .value == null then "not measured" elif .met then "met" else "MISSED" end)]))
