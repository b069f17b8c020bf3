# The phases of one unchanged re-sync (bench/peer-bench.sh, phase_run), in seconds, from:
#   input lines "<EPOCHREALTIME>\t<stdout line>" (odis-agent-sync --progress-lines, stamped on arrival);
#   $start (the fork), $m[0] (odis-bench-measure: wall_s ...), $n[0] (the simulator's request counts),
#   $times[0] ([{route, method, t}]: when each Neo request reached the simulator, same clock), $tag, $busy.
# Each step lasts from its line to the next; before the first: process start, store open, keychain.
# neo_login is split by the arrival times of the login's requests:
#   neo_login:engine_start  the step's start to the first request: NeoSession, QtWebEngine's profile and
#                           page, the keychain read, the renderer process, the TLS connection;
#   neo_login:requests      the first login request to the last: the login page, the form's submit and the
#                           redirect, each answered at the simulator's latency, and their rendering;
#   neo_login:verdict       the last login request to the next step: its answer, the outcome script, the
#                           credential record and the audit entries.
# When no request falls inside the step, neo_login stays whole.
def split_login($from; $to):
    [$times[0][] | select(.t >= $from and .t <= $to)] as $login
    | if ($login | length) == 0 then [{step: "neo_login", s: ($to - $from)}]
      else [{step: "neo_login:engine_start", s: ($login[0].t - $from)},
            {step: "neo_login:requests", s: ($login[-1].t - $login[0].t)},
            {step: "neo_login:verdict", s: ($to - $login[-1].t)}] end;

[inputs | split("\t") | {t: (.[0] | tonumber), line: (.[1] | ltrimstr("@odis-run ") | try fromjson catch {})}] as $lines
| [$lines[] | select(.line.event == "step")] as $steps
| ($lines | map(select(.line.event == "result")) | first // null) as $result
| ($start + $m[0].wall_s) as $exit
| {tag: $tag, other_core: $busy, status: ($result.line.status // "no_result")} + $m[0] + $n[0] + {
    phases_s: ([{step: "process_start_store_keychain", s: (($steps[0].t // $exit) - $start)}]
        + ([range(0; $steps | length) as $i
            | (if $i + 1 < ($steps | length) then $steps[$i + 1].t else ($result.t // $exit) end) as $stop
            | if $steps[$i].line.step == "neo_login" then split_login($steps[$i].t; $stop)
              else [{step: $steps[$i].line.step, s: ($stop - $steps[$i].t)}] end] | add)
        + [{step: "result_to_exit", s: ($exit - ($result.t // $exit))}]
        | map(.s |= (. * 1000 | round / 1000)))}
