# shellcheck shell=bash
# Peak memory of a process and of its whole tree, sampled from /proc (sourced by bench/sync-bench.sh).
# The agent's own peak (getrusage) misses QtWebEngine: Chromium's zygote, renderer and utility processes
# are its children (or grandchildren through the zygote), so the tree is found again at every sample.
#
#   process_tree_peaks <root pid> <interval s> <out file>
#     samples until <root pid> has exited (or is a zombie), then writes one JSON object to <out file>:
#     {samples, agent_peak_rss_kb, tree_peak_rss_kb, tree_peak_pss_kb, tree_peak_processes}
#
# RSS summed over processes counts the pages they share (Qt and Chromium libraries, shared memory)
# once per process: an upper bound of what the tree holds. PSS splits shared pages among their users and
# adds up to the tree's real share of the machine's memory; both are recorded.
# Only bash builtins run inside a sample (plus `sleep` between samples), so sampling costs little CPU.

# Sets process_tree_pids to <root> and every descendant alive now.
process_tree_collect() {
    local root=$1 stat line rest ppid pid
    local -A children=()
    for stat in /proc/[0-9]*/stat; do
        { read -r line <"$stat"; } 2>/dev/null || continue
        # The command name (field 2) may hold spaces and parentheses: cut after its last ")".
        rest=${line##*) }
        rest=${rest#* }
        ppid=${rest%% *}
        pid=${stat#/proc/}
        pid=${pid%/stat}
        children[$ppid]+=" $pid"
    done
    process_tree_pids=("$root")
    local i=0
    while [ "$i" -lt "${#process_tree_pids[@]}" ]; do
        pid=${process_tree_pids[$i]}
        # shellcheck disable=SC2206 # the list is numbers separated by spaces, split on purpose
        [ -n "${children[$pid]:-}" ] && process_tree_pids+=(${children[$pid]})
        i=$((i + 1))
    done
}

# Sets process_tree_value to the kB of "<key>" in /proc/<pid>/<file> (0 when gone, or a zombie's).
process_tree_read_kb() {
    local pid=$1 file=$2 wanted=$3 key value _
    process_tree_value=0
    {
        while read -r key value _; do
            if [ "$key" = "$wanted" ]; then
                process_tree_value=$value
                break
            fi
        done <"/proc/$pid/$file"
    } 2>/dev/null || true
}

process_tree_peaks() {
    local root=$1 interval=$2 out=$3
    local samples=0 agent_peak=0 tree_peak=0 pss_peak=0 procs_peak=0 rss_sum pss_sum agent pid
    local began elapsed_us wait_us interval_us pause
    interval_us=$(awk -v s="$interval" 'BEGIN { printf "%d", s * 1000000 }')
    while true; do
        began=${EPOCHREALTIME/./}
        process_tree_read_kb "$root" status VmRSS:
        agent=$process_tree_value
        # Gone, or exited and not yet reaped: a zombie has no VmRSS line.
        [ "$agent" -gt 0 ] || break
        process_tree_collect "$root"
        rss_sum=0
        pss_sum=0
        for pid in "${process_tree_pids[@]}"; do
            process_tree_read_kb "$pid" status VmRSS:
            rss_sum=$((rss_sum + process_tree_value))
            process_tree_read_kb "$pid" smaps_rollup Pss:
            pss_sum=$((pss_sum + process_tree_value))
        done
        samples=$((samples + 1))
        [ "$agent" -gt "$agent_peak" ] && agent_peak=$agent
        [ "$rss_sum" -gt "$tree_peak" ] && tree_peak=$rss_sum
        [ "$pss_sum" -gt "$pss_peak" ] && pss_peak=$pss_sum
        [ "${#process_tree_pids[@]}" -gt "$procs_peak" ] && procs_peak=${#process_tree_pids[@]}
        # Sleep what is left of the interval, so that the sampling period stays near <interval> when
        # a sample itself takes a while on a busy machine.
        elapsed_us=$((${EPOCHREALTIME/./} - began))
        wait_us=$((interval_us - elapsed_us))
        [ "$wait_us" -lt 10000 ] && wait_us=10000
        printf -v pause '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000))
        sleep "$pause"
    done
    printf '{"samples": %d, "agent_peak_rss_kb": %d, "tree_peak_rss_kb": %d, "tree_peak_pss_kb": %d, "tree_peak_processes": %d}\n' \
        "$samples" "$agent_peak" "$tree_peak" "$pss_peak" "$procs_peak" >"$out"
}
