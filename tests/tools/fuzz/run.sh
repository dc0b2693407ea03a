#!/usr/bin/env bash
# Verifies: LLR-TOOL-013, LLR-TOOL-022, LLR-TOOL-067, LLR-TOOL-068 (arbitrary
# bytes reach the device-tree check, the source annotations, the image
# header and packing and the blob decoder without a crash, a hang or a
# sanitizer report)
# Run each fuzz target over its corpus DIR/corpus-<t>: for RUNS executions
# when given as <t>=RUNS (libFuzzer -runs: the count is certain), else for
# SECONDS. Prints "PASS fuzz/<t> (N runs) in S s" or "FAIL fuzz/<t> ..." each
# (finding inputs are kept as DIR/crash-<t>-*), then one line
# "fuzz: N executions in all, M crashes" (M: findings: crashes, leaks,
# timeouts, out-of-memory).
#   tests/tools/fuzz/run.sh DIR SECONDS TARGET[=RUNS]...
set -uo pipefail
DIR=${1:?} SECS=${2:?}
shift 2
failed=0 total=0 findings=0

# Finding artifacts of target $1 (slow units are reported, not failures).
artifacts() {
    find "$DIR" -maxdepth 1 -name "crash-$1-*" ! -name "crash-$1-slow-unit-*" | wc -l
}

for spec in "$@"; do
    t=${spec%%=*} runs=
    [ "$spec" != "$t" ] && runs=${spec#*=}
    log=$DIR/fuzz_$t.log
    limit=(-max_total_time="$SECS")
    [ -n "$runs" ] && limit=(-runs="$runs")
    before=$(artifacts "$t")
    start=$(date +%s)
    "$DIR/fuzz_$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$DIR/crash-$t-" -print_final_stats=1 "$DIR/corpus-$t" >"$log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    n=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    n=${n:-0}
    total=$((total + n))
    new=$(($(artifacts "$t") - before))
    [ "$rc" -ne 0 ] && [ "$new" -eq 0 ] && new=1 # a finding without an artifact
    findings=$((findings + new))
    if [ "$rc" -eq 0 ] && { [ -z "$runs" ] || [ "$n" -ge "$runs" ]; }; then
        echo "PASS fuzz/$t ($n runs) in $secs s"
    else
        echo "FAIL fuzz/$t ($n runs${runs:+ of $runs}) in $secs s"
        tail -n 30 "$log"
        failed=1
    fi
done
echo "fuzz: $total executions in all, $findings crashes"
exit $failed
