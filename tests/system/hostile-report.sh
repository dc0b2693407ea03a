#!/usr/bin/env bash
# After `make hostile`: the worst window-start latency the probe saw beside
# each attack of the long suite, and the pass/fail count of those cases.
#   tests/system/hostile-report.sh [TOOLCHAIN]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TC=${1:-clang}
pass=0 fail=0
printf '%-28s %14s  %s\n' "attack" "worst latency" "result"
for c in "$ROOT/build/$TC/hostile/cases-long"/hostile-*; do
    [ -e "$c" ] || continue
    name=$(basename "$c")
    log="$ROOT/build/$TC/system/$name.log"
    worst=$(grep -oE 'window start latency [0-9]+\.\.[0-9]+ ns' "$log" 2>/dev/null | tail -1 |
        sed -E 's/.*\.\.([0-9]+) ns/\1 ns/')
    if grep -qE '^\[probe\] tests: [1-9][0-9]* passed, 0 failed' "$log" 2>/dev/null &&
        ! grep -qE 'not ok|hypervisor fault' "$log"; then
        res=pass pass=$((pass + 1))
    else
        res=FAIL fail=$((fail + 1))
    fi
    mode=${name#hostile-}
    printf '%-28s %14s  %s\n' "${mode%-long}" "${worst:-n/a}" "$res"
done
echo "$pass passed, $fail failed"
