# Sourced by ratios.sh, by_id_ratios.sh and report.sh: the part they share.
#
#   bench_times SCRIPT BENCH RUNS OUT LOG
#
# Builds the benchmark BENCH of this crate, runs it RUNS times (pinned to
# the last CPU, away from the first where interrupts tend to land, when that
# CPU may be used) and appends to OUT one line per benchmark and run: the
# run's number, the benchmark's id (group/name) and its time in ns. LOG is a
# scratch file. Any failure is reported under SCRIPT's name and ends the
# script.
# Prints, for each benchmark criterion reported in LOG, a line: RUN, the
# benchmark's id (group/name) and its time in ns.
#
#   parse_times RUN LOG
parse_times() {
    awk -v run="$1" '
        # A long benchmark name stands on a line of its own, above its time.
        NF == 1 && /\// { id = $1 }
        / time: / {
            for (f = 1; f <= NF; f++) if ($f == "time:") break
            # The change since the last run, in per cent: not a time.
            if ($(f + 1) ~ /%/) next
            v = $(f + 3); u = $(f + 4)
            if (u == "ps") v /= 1000
            else if (u == "µs" || u == "us") v *= 1000
            else if (u == "ms") v *= 1000000
            else if (u == "s") v *= 1000000000
            else if (u != "ns") { print "unknown unit " u > "/dev/stderr"; exit 1 }
            if (f > 1) id = $1
            printf "%d %s %f\n", run, id, v
        }' "$2"
}

bench_times() {
    script=$1 name=$2 runs=$3 out=$4 log=$5
    case $runs in
    '' | *[!0-9]* | 0)
        echo "$script: RUNS must be a positive whole number, not '$runs'" >&2
        exit 2
        ;;
    esac

    # Cargo names the benchmark's executable as it builds it.
    if ! cargo bench --bench "$name" --no-run >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    bench=$(sed -n 's/.*Executable .*(\(.*\)).*/\1/p' "$log" | tail -n 1)
    if [ -z "$bench" ]; then
        cat "$log" >&2
        echo "$script: cargo named no executable for the $name benchmark" >&2
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
            echo "$script: run $((i + 1)) of the benchmark failed" >&2
            exit 1
        fi
        parse_times "$i" "$log" >>"$out"
        i=$((i + 1))
    done
}
