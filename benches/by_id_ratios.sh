#!/bin/sh
# Runs the `by_id` benchmark RUNS times (default 5) and prints, for each
# group, the fastest time of every benchmark over all runs, and the ratios
# the benchmark is read by: each check by user id against `Policy::can` on
# the same user as a subject value, and the bulk check of 1,000 resources
# against 1,000 floor checks.
#
# Noise on a shared machine only ever adds time, so the fastest of several
# runs is the estimate of what each costs.
#
#   sh benches/by_id_ratios.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
. benches/times.sh
bench_times by_id_ratios.sh by_id "${1:-5}" "$out" "$log"

awk '
    {
        if (!($2 in best)) { order[++n] = $2; best[$2] = $3 }
        else if ($3 < best[$2]) best[$2] = $3
    }
    END {
        if (n == 0) { print "by_id_ratios.sh: no timings found" > "/dev/stderr"; exit 1 }
        printf "%-18s %-6s %9s %9s %7s %12s %12s %7s\n", "group", "teams", "policy", "by id", "ratio", "floor x1000", "bulk x1000", "ratio"
        for (k = 1; k <= n; k++) {
            split(order[k], p, "/")
            if (p[2] != "floor") continue
            g = p[1]
            for (t = 0; t <= 16; t++) {
                pc = best[g "/policy_can_" t "_teams"]; ec = best[g "/engine_can_" t "_teams"]
                if (pc == "" || ec == "") continue
                f1 = best[g "/floor_1000"]; b1 = best[g "/engine_can_many_1000"]
                if (t == 0)
                    printf "%-18s %-6d %7.2fns %7.2fns %6.2fx %10.0fns %10.0fns %6.2fx\n", g, t, pc, ec, ec / pc, f1, b1, b1 / f1
                else
                    printf "%-18s %-6d %7.2fns %7.2fns %6.2fx\n", g, t, pc, ec, ec / pc
            }
        }
    }' "$out"
