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
runs=${1:-10}
case $runs in
'' | *[!0-9]* | 0)
    echo "ratios.sh: RUNS must be a positive whole number, not '$runs'" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT

# Cargo names the benchmark's executable as it builds it.
if ! cargo bench --bench can --no-run >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
bench=$(sed -n 's/.*Executable .*(\(.*\)).*/\1/p' "$log" | tail -n 1)
if [ -z "$bench" ]; then
    cat "$log" >&2
    echo "ratios.sh: cargo named no executable for the can benchmark" >&2
    exit 1
fi

# Pinned to the last CPU, away from the first where interrupts tend to land,
# when that CPU may be used; otherwise the scheduler places the runs.
pin=""
if command -v taskset >/dev/null 2>&1 && command -v nproc >/dev/null 2>&1; then
    cpu=$(($(nproc) - 1))
    if taskset -c "$cpu" true >/dev/null 2>&1; then
        pin="taskset -c $cpu"
    fi
fi

i=0
while [ "$i" -lt "$runs" ]; do
    if ! $pin "$bench" --bench --noplot >"$log" 2>&1; then
        cat "$log" >&2
        echo "ratios.sh: run $((i + 1)) of the benchmark failed" >&2
        exit 1
    fi
    # One line per group and run: group, floor (ns), check (ns).
    awk '
        # A long benchmark name stands on a line of its own, above its time.
        NF == 1 && /\// { id = $1 }
        / time: / {
            for (f = 1; f <= NF; f++) if ($f == "time:") break
            v = $(f + 3); u = $(f + 4)
            if (u == "ps") v /= 1000
            else if (u == "µs" || u == "us") v *= 1000
            else if (u == "ms") v *= 1000000
            else if (u == "s") v *= 1000000000
            else if (u != "ns") { print "unknown unit " u > "/dev/stderr"; exit 1 }
            if (f > 1) id = $1
            split(id, name, "/")
            if (name[2] == "floor") { floor = v; group = name[1] }
            else if (name[1] == group && floor > 0) { printf "%s %f %f\n", name[1], floor, v; group = "" }
            else { print "no floor before " id > "/dev/stderr"; exit 1 }
        }' "$log" >>"$out"
    i=$((i + 1))
done

awk '
    {
        g = $1
        if (!(g in n)) { order[++groups] = g; minf[g] = $2; minc[g] = $3 }
        n[g]++; r[g, n[g]] = $3 / $2
        if ($2 < minf[g]) minf[g] = $2
        if ($3 < minc[g]) minc[g] = $3
    }
    END {
        if (groups == 0) { print "ratios.sh: no timings found" > "/dev/stderr"; exit 1 }
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
