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
runs=${1:-5}
case $runs in
'' | *[!0-9]* | 0)
    echo "by_id_ratios.sh: RUNS must be a positive whole number, not '$runs'" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT

if ! cargo bench --bench by_id --no-run >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
bench=$(sed -n 's/.*Executable .*(\(.*\)).*/\1/p' "$log" | tail -n 1)
if [ -z "$bench" ]; then
    cat "$log" >&2
    echo "by_id_ratios.sh: cargo named no executable for the by_id benchmark" >&2
    exit 1
fi

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
        echo "by_id_ratios.sh: run $((i + 1)) of the benchmark failed" >&2
        exit 1
    fi
    # One line per benchmark and run: group/name, time (ns).
    awk '
        NF == 1 && /\// { id = $1 }
        / time: / {
            for (f = 1; f <= NF; f++) if ($f == "time:") break
            # The change since the last run, in per cent: not a time.
            if ($(f + 1) ~ /%/) next
            v = $(f + 3); u = $(f + 4)
            if (u == "ps") v /= 1000
            else if (u == "µs" || u == "us") v *= 1000
            else if (u == "ms") v *= 1000000
            else if (u != "ns") { print "unknown unit " u > "/dev/stderr"; exit 1 }
            if (f > 1) id = $1
            printf "%s %f\n", id, v
        }' "$log" >>"$out"
    i=$((i + 1))
done

awk '
    {
        if (!($1 in best)) { order[++n] = $1; best[$1] = $2 }
        else if ($2 < best[$1]) best[$1] = $2
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
