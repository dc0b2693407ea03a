#!/usr/bin/env bash
# Every test of Bulkhead: host unit tests, host tool tests, QEMU system tests.
# Echoes all output and ends with exactly one line "<N> passed, <M> failed";
# exits 1 if anything failed or a suite could not run.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
TC=${TOOLCHAIN:-clang}
passed=0
failed=0

# Count PASS/FAIL-style lines of a suite's output ($1: file, $2: pass regex,
# $3: fail regex) into p and f, and add them to the totals.
tally() {
    p=$(grep -cE -e "$2" "$1")
    f=$(grep -cE -e "$3" "$1")
    passed=$((passed + p))
    failed=$((failed + f))
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# (1) unit tests: cmocka prints "[       OK ] name" and "[  FAILED  ] name".
echo "== unit tests"
shopt -s nullglob
units=(build/host/unit/test_*)
shopt -u nullglob
if [ ${#units[@]} -eq 0 ]; then
    echo "FAIL unit: no unit test binaries in build/host/unit"
    failed=$((failed + 1))
fi
for t in "${units[@]}"; do
    [ -x "$t" ] || continue
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    # Only the per-test lines, not the summary that lists failures again.
    awk '/^\[=+\] .*test\(s\) run/ { exit } { print }' "$out" >"$out.run"
    tally "$out.run" '^\[ +OK +\] ' '^\[ +FAILED +\] '
    rm -f "$out.run"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL unit/$(basename "$t"): exited with status $rc"
        failed=$((failed + 1))
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL unit/$(basename "$t"): ran no tests"
        failed=$((failed + 1))
    fi
done

# One suite: run a command, echo its output, count its PASS/FAIL lines
# (prefix $2), and count a failing exit status or an empty run as a failure.
suite() { # title prefix command...
    local title=$1 prefix=$2
    shift 2
    echo "== $title"
    "$@" >"$out" 2>&1
    local rc=$?
    cat "$out"
    tally "$out" "^PASS $prefix" "^FAIL $prefix"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $title: exited with status $rc"
        failed=$((failed + 1))
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $title: ran nothing"
        failed=$((failed + 1))
    fi
}

MK=(make --no-print-directory TOOLCHAIN="$TC")
# (2) host tool tests and a short fuzzing run of the checker and decoder.
suite "tool tests" "tools/" "${MK[@]}" tools-test
suite "host programs built by gcc" "build/host-gcc" "${MK[@]}" host-gcc
suite "fuzz smoke" "fuzz/" "${MK[@]}" fuzz-smoke
# (3) system tests in QEMU.
suite "system tests" "system/" tests/system/run.sh "$TC"
# (3b) the hostile-partition suite: each attack briefly, beside a probe and a
# witness (tests/system/hostile-modes; images and cases from `make all`).
suite "hostile suite" "system/hostile-" env CASES_DIR="$ROOT/build/$TC/hostile/cases" \
    tests/system/run.sh "$TC" $(ls "$ROOT/build/$TC/hostile/cases")
# (3c) the same dom0less systems on Debian's Xen 4.17 and on Bulkhead, compared
# line by line (docs/xen-compatibility.md); skips only without the Xen package.
suite "xen-diff" "xen-diff/" "${MK[@]}" xen-diff
# (4) certification evidence: the gates, the evidence tools' own tests on
# fixtures, and seeded defects in copies of the tree.
suite "evidence" "evidence" "${MK[@]}" evidence-gate evidence-test evidence-seeded
# (5) formal models (SPIN).
suite "verify" "verify/" "${MK[@]}" verify

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
