#!/bin/sh
# Runs the `can` benchmark RUNS times (default 10) and prints, for each group,
# the fastest floor and the fastest check of all runs with their ratio, then
# the median and range of the per-run ratios.
#
# Noise on a shared machine only ever adds time, so the fastest of many runs
# is the estimate of what a check costs; the per-run ratios show how far the
# machine moved the two apart while the runs lasted.
#
#   sh benches/ratios.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
. benches/times.sh
bench_times ratios.sh can "${1:-10}" "$out" "$log"

# Per run and group: the floor and the check.
awk '
    {
        split($2, name, "/"); g = name[1]
        if (!(g in seen)) { seen[g] = 1; order[++groups] = g }
        if (name[2] == "floor") floor[$1, g] = $3; else check[$1, g] = $3
        if ($1 > last) last = $1
    }
    END {
        if (groups == 0) { print "ratios.sh: no timings found" > "/dev/stderr"; exit 1 }
        for (k = 1; k <= groups; k++) {
            g = order[k]
            for (run = 0; run <= last; run++) {
                if (!((run, g) in floor) || !((run, g) in check)) {
                    print "ratios.sh: group " g " lacks its floor or its check" > "/dev/stderr"; exit 1
                }
                f = floor[run, g]; c = check[run, g]
                n[g]++; r[g, n[g]] = c / f
                if (n[g] == 1 || f < minf[g]) minf[g] = f
                if (n[g] == 1 || c < minc[g]) minc[g] = c
            }
        }
        printf "%-12s %5s %9s %9s %7s %8s %13s\n", "group", "runs", "floor", "can", "ratio", "median", "range"
        for (k = 1; k <= groups; k++) {
            g = order[k]; m = n[g]
            # Insertion sort of this group'"'"'s ratios.
            for (a = 2; a <= m; a++) {
                x = r[g, a]
                for (b = a - 1; b >= 1 && r[g, b] > x; b--) r[g, b + 1] = r[g, b]
                r[g, b + 1] = x
            }
            med = (m % 2) ? r[g, (m + 1) / 2] : (r[g, m / 2] + r[g, m / 2 + 1]) / 2
            printf "%-12s %5d %7.2fns %7.2fns %6.2fx %7.2fx %5.2f-%.2fx\n", g, m, minf[g], minc[g], minc[g] / minf[g], med, r[g, 1], r[g, m]
        }
    }' "$out"
