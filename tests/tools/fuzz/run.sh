#!/usr/bin/env bash
# Verifies: LLR-TOOL-013, LLR-TOOL-022 (arbitrary bytes reach the device-tree
# check and the blob decoder without a crash, a hang or a sanitizer report)
# Run each fuzz target for SECONDS over its corpus; prints "PASS fuzz/<t>" or
# "FAIL fuzz/<t>" (crash inputs are kept in DIR/crash-<t>-*).
#   tests/tools/fuzz/run.sh DIR SECONDS TARGET...
set -uo pipefail
DIR=${1:?} SECS=${2:?}
shift 2
failed=0
for t in "$@"; do
    log=$DIR/fuzz_$t.log
    if "$DIR/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$DIR/crash-$t-" -print_final_stats=1 "$DIR/corpus-$t" >"$log" 2>&1; then
        echo "PASS fuzz/$t ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs)"
    else
        echo "FAIL fuzz/$t"
        tail -n 30 "$log"
        failed=1
    fi
done
exit $failed
