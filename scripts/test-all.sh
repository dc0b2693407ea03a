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

# (2) host tool tests, if the Makefile has them.
echo "== tool tests"
if make -n tools-test >/dev/null 2>&1; then
    make --no-print-directory TOOLCHAIN="$TC" tools-test >"$out" 2>&1
    rc=$?
    cat "$out"
    tally "$out" '^PASS' '^FAIL'
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL tools-test: make exited with status $rc"
        failed=$((failed + 1))
    fi
else
    echo "(no tools-test target)"
fi

# (2b) a short fuzzing run of the configuration checker and blob decoder.
echo "== fuzz smoke"
make --no-print-directory TOOLCHAIN="$TC" fuzz-smoke >"$out" 2>&1
rc=$?
cat "$out"
tally "$out" '^PASS fuzz/' '^FAIL fuzz/'
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL fuzz: make exited with status $rc"
    failed=$((failed + 1))
fi

# (3) system tests in QEMU.
echo "== system tests"
tests/system/run.sh "$TC" >"$out" 2>&1
rc=$?
cat "$out"
tally "$out" '^PASS system/' '^FAIL system/'
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL system: run.sh exited with status $rc"
    failed=$((failed + 1))
elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL system: no cases ran"
    failed=$((failed + 1))
fi

# (4) certification evidence: trace and coverage gates, and the evidence
# tools' own tests on fixtures with seeded defects.
echo "== evidence"
make --no-print-directory TOOLCHAIN="$TC" evidence-gate evidence-test evidence-seeded >"$out" 2>&1
rc=$?
cat "$out"
tally "$out" '^PASS evidence' '^FAIL evidence'
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL evidence: make exited with status $rc"
    failed=$((failed + 1))
fi

# (5) formal models (SPIN).
echo "== verify"
make --no-print-directory verify >"$out" 2>&1
rc=$?
cat "$out"
tally "$out" '^PASS verify/' '^FAIL verify/'
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL verify: make exited with status $rc"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
