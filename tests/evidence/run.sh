#!/usr/bin/env bash
# Tool-confidence tests of tools/evidence/trace.py: each case is the clean
# fixture tree with an overlay (tests/evidence/fixtures/<case>/) copied over
# it; trace.py must pass the clean tree and catch every seeded defect. Then
# the object-level analysers (run-analysers.sh) and the lifecycle plans
# (plans-check.py, with defects seeded into a copy of docs/plans).
# Prints "PASS evidence-test/<case>" or "FAIL evidence-test/<case>: reason";
# exits 1 if any case failed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/evidence/fixtures"
TRACE="$ROOT/tools/evidence/trace.py"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0

# case name, expected exit status (0 or 1), then regexes that must match a
# line of trace.py's output.
check() {
    local name=$1 want_rc=$2 dir="$WORK/$1" out rc re
    shift 2
    mkdir -p "$dir"
    cp -r "$FIX/clean/." "$dir/"
    [ "$name" != clean ] && cp -r "$FIX/$name/." "$dir/"
    out=$(python3 "$TRACE" --root "$dir" --json "$dir/t.json" --html "$dir/t.html" 2>&1)
    rc=$?
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL evidence-test/$name: exit status $rc, expected $want_rc"
        printf '%s\n' "$out" | sed 's/^/    /'
        failed=$((failed + 1))
        return
    fi
    for re in "$@"; do
        if ! grep -qE -e "$re" <<<"$out"; then
            echo "FAIL evidence-test/$name: no line matching: $re"
            printf '%s\n' "$out" | sed 's/^/    /'
            failed=$((failed + 1))
            return
        fi
    done
    if [ ! -s "$dir/t.json" ] || [ ! -s "$dir/t.html" ]; then
        echo "FAIL evidence-test/$name: JSON or HTML output missing"
        failed=$((failed + 1))
        return
    fi
    echo "PASS evidence-test/$name"
}

# Clean tree: every gate passes; the range tag covered LLR-FIX-002 and -003;
# the analysis-verified HLR-002 needs no test.
check clean 0 '^PASS evidence/trace-hlr-tested$' '^PASS evidence/trace-llr-code$' \
    '^PASS evidence/trace-llr-tested$' '^PASS evidence/trace-unknown-ids$' \
    '^PASS evidence/trace-hyp-files-tagged$' '^PASS evidence/trace-llr-refines$' \
    '^PASS evidence/trace-llr-design$' '^PASS evidence/trace-design-realised$'
check hlr-no-test 1 '^FAIL evidence/trace-hlr-tested: 1 .*HLR-003' '^PASS evidence/trace-llr-code$'
check llr-no-code 1 '^FAIL evidence/trace-llr-code: 1 .*LLR-FIX-004' '^PASS evidence/trace-llr-tested$'
check llr-no-test 1 '^FAIL evidence/trace-llr-tested: 1 .*LLR-FIX-005' '^PASS evidence/trace-llr-code$'
check unknown-id 1 '^FAIL evidence/trace-unknown-ids: 1 .*LLR-FIX-099 \(tests/unit/test_fix\.c:[0-9]+\)'
check untagged-file 1 '^FAIL evidence/trace-hyp-files-tagged: 1 .*hyp/core/orphan\.c'
check bad-refines 1 '^FAIL evidence/trace-llr-refines: 1 .*LLR-FIX-006'
check accepted-gap 0 '^PASS evidence/trace-hlr-tested$'
# The design trace both ways (TOR-TRACE-013, TOR-TRACE-014): an LLR with no
# Design line, and a design section that no LLR names.
check llr-no-design 1 '^FAIL evidence/trace-llr-design: 1 .*LLR-FIX-002' \
    '^PASS evidence/trace-llr-code$'
check design-unnamed 1 '^FAIL evidence/trace-design-realised: 1 .*DES-FIX-SPARE' \
    '^PASS evidence/trace-llr-design$'

# The JSON of the clean tree traces both ways.
dir="$WORK/clean"
if python3 - "$dir/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
assert t["counts"] == {"hlr": 2, "llr": 3, "code_tags": 2, "test_tags": 3,
                       "hlr_by_analysis": 1, "llr_by_analysis": 0}, t["counts"]
assert sorted(t["hlr"]["HLR-001"]["llrs"]) == ["LLR-FIX-001", "LLR-FIX-002", "LLR-FIX-003"]
assert [w["site"] for w in t["llr"]["LLR-FIX-003"]["code"]] == ["fix_get"]
assert [w["kind"] for w in t["hlr"]["HLR-001"]["tests"]] == ["system"]
assert [w["site"] for w in t["llr"]["LLR-FIX-001"]["tests"]] == ["test_init"]
PY
then
    echo "PASS evidence-test/clean-json (TOR-TRACE-012)"
else
    echo "FAIL evidence-test/clean-json: trace JSON of the clean tree is wrong"
    failed=$((failed + 1))
fi
# The object-level analysers (MISRA, coupling, stack, source to object).
"$ROOT/tests/evidence/run-analysers.sh" || failed=$((failed + 1))

# The lifecycle plans (docs/plans/): every file, make target and gate they
# name exists, and the PSAC table covers Annex A. Then the check itself must
# catch defects seeded into a copy of the plans.
PLANS_CHECK="$ROOT/tests/evidence/plans-check.py"
python3 "$PLANS_CHECK" --root "$ROOT" || failed=$((failed + 1))
plans_seeded() { # name sed-expression file expected-regex
    local dir="$WORK/plans-$1" out
    rm -rf "$dir"
    cp -r "$ROOT/docs/plans" "$dir"
    sed -i -e "$2" "$dir/$3"
    if cmp -s "$dir/$3" "$ROOT/docs/plans/$3"; then
        echo "FAIL evidence-test/plans-seeded-$1: the seed changed nothing"
        failed=$((failed + 1))
        return
    fi
    out=$(python3 "$PLANS_CHECK" --root "$ROOT" --plans "$dir" 2>&1)
    if [ $? -eq 1 ] && grep -qE -e "$4" <<<"$out"; then
        echo "PASS evidence-test/plans-seeded-$1"
    else
        echo "FAIL evidence-test/plans-seeded-$1: no line matching: $4"
        printf '%s\n' "$out" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}
plans_seeded path 's#`tools/evidence/coverage.py`#`tools/evidence/covrage.py`#' psac.md \
    "^FAIL evidence-test/plans-names: .*no such path 'tools/evidence/covrage.py'"
plans_seeded target 's#`make evidence-gate`#`make evidence-gates`#' svp.md \
    "^FAIL evidence-test/plans-names: .*no make target 'evidence-gates'"
plans_seeded gate 's#(stack-sound)#(stack-bound)#' sdp.md \
    "^FAIL evidence-test/plans-names: .*no evidence gate 'stack-bound'"
plans_seeded row '/^| A-7.5 /d' psac.md \
    '^FAIL evidence-test/plans-annex-a: .*A-7.5 missing'
plans_seeded status 's#^\(| A-5.4 .*\)| partly met |#\1| mostly met |#' psac.md \
    "^FAIL evidence-test/plans-annex-a: .*A-5.4: status 'mostly met'"
plans_seeded figures 's#0 of them interim#1 of them interim#' sdp.md \
    '^FAIL evidence-test/plans-figures: .*sdp.md says [0-9]+ deviations, 1 interim'
plans_seeded reason 's#^\(| A-7.9 .*| partly met |\).*#\1 |#' psac.md \
    '^FAIL evidence-test/plans-annex-a: .*A-7.9: partly met without a reason'
[ "$failed" -eq 0 ]
