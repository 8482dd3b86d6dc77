#!/bin/sh
# Runs every benchmark of the workspace once and prints, as the Markdown
# table of BENCHMARKS.md, each benchmark's time beside the floor of its
# group measured in the same run, and their ratio.
#
# A benchmark is read against the floor of its group whose name ends as its
# own does (`engine_1000` against `floor_1000`, `record_strict` against
# `floor_strict`), or else against the group's `floor`.
#
#   sh benches/report.sh > /tmp/report.md
set -eu
cd "$(dirname "$0")/.."
log=$(mktemp)
times=$(mktemp)
trap 'rm -f "$log" "$times"' EXIT
. benches/times.sh

if ! cargo bench --workspace --no-run >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
benches=$(sed -n 's/.*Executable benches\/.*(\(.*\)).*/\1/p' "$log")
[ -n "$benches" ] || { echo "report.sh: cargo named no benchmark" >&2; exit 1; }

pin=""
if command -v taskset >/dev/null 2>&1 && command -v nproc >/dev/null 2>&1; then
    cpu=$(($(nproc) - 1))
    taskset -c "$cpu" true >/dev/null 2>&1 && pin="taskset -c $cpu"
fi

for bench in $benches; do
    echo "report.sh: running $bench" >&2
    if ! $pin "$bench" --bench --noplot >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    parse_times 0 "$log" | cut -d' ' -f2- >>"$times"
done

awk '
    function show(ns) {
        if (ns < 1000) return sprintf("%.2f ns", ns)
        if (ns < 1000000) return sprintf("%.2f µs", ns / 1000)
        if (ns < 1000000000) return sprintf("%.2f ms", ns / 1000000)
        return sprintf("%.2f s", ns / 1000000000)
    }
    {
        split($1, part, "/"); g = part[1]; n = part[2]
        if (!(g in seen)) { seen[g] = 1; order[++groups] = g }
        count[g]++; name[g, count[g]] = n; t[g, n] = $2
        if (n ~ /^floor/) floors[g] = floors[g] " " n
    }
    END {
        print "| group | benchmark | time | floor | floor time | ratio |"
        print "|---|---|---|---|---|---|"
        for (k = 1; k <= groups; k++) {
            g = order[k]
            for (i = 1; i <= count[g]; i++) {
                n = name[g, i]
                if (n ~ /^floor/) continue
                best = ""; len = -1
                m = split(floors[g], fl, " ")
                for (j = 1; j <= m; j++) {
                    suffix = substr(fl[j], 6)
                    if (fl[j] == "floor" && len < 0) { best = fl[j]; len = 0 }
                    if (suffix != "" && length(suffix) > len && substr(n, length(n) - length(suffix) + 1) == suffix) {
                        best = fl[j]; len = length(suffix)
                    }
                }
                if (best == "" && m == 1) best = fl[1]
                if (best == "") { printf "| %s | %s | %s | none | | |\n", g, n, show(t[g, n]); continue }
                printf "| %s | %s | %s | %s | %s | %.2f× |\n", g, n, show(t[g, n]), best, show(t[g, best]), t[g, n] / t[g, best]
            }
        }
    }' "$times"
