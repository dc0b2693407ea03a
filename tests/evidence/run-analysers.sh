#!/usr/bin/env bash
# Tool-confidence tests of the object-level evidence tools (misra.py,
# coupling.py, stack.py, s2o.py, and size.py's counts) on small fixtures with known answers
# (tests/evidence/analysers/), each with seeded defects the tool must catch.
# Prints "PASS evidence-test/<case>" or "FAIL evidence-test/<case>: reason";
# exits 1 if any case failed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/tests/evidence/analysers"
EV="$ROOT/tools/evidence"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0
CFL="--target=aarch64-none-elf -std=c11 -O2 -ffreestanding -fno-builtin -nostdlib -mgeneral-regs-only -ffunction-sections -fno-asynchronous-unwind-tables"

# expect NAME RC OUTPUT-FILE REGEX...: the tool's exit status and lines.
expect() {
    local name=$1 want=$2 rc=$3 out=$4 re
    shift 4
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL evidence-test/$name: exit status $rc, expected $want"
        sed 's/^/    /' "$out"
        failed=$((failed + 1))
        return
    fi
    for re in "$@"; do
        if ! grep -qE -e "$re" "$out"; then
            echo "FAIL evidence-test/$name: no line matching: $re"
            sed 's/^/    /' "$out"
            failed=$((failed + 1))
            return
        fi
    done
    echo "PASS evidence-test/$name"
}

# --- coupling: hi (row 1) -> lo (row 2) -> arch_x (arch_if) -> arch_internal;
# arch_entry -> hi_g. Seeded: an upward call, a call to an arch internal, a
# write to another module's data, a call through a pointer.
coupling() {
    local name=$1 lo=$2 want=$3 d="$WORK/coupling-$1"
    shift 3
    cp -r "$FIX/layered" "$d"
    [ -n "$lo" ] && cp "$d/$lo" "$d/hyp/core/lo.c"
    (cd "$d" && python3 "$EV/coupling.py" --root . --cflags "$CFL -Ihyp/core" \
        --src hyp/core/hi.c hyp/core/lo.c hyp/arch/aarch64/x.c --layering layering.json \
        --irdir ir --json c.json --html c.html) >"$d/out" 2>&1
    expect "coupling-$name" "$want" $? "$d/out" "$@"
}
coupling clean "" 0 '^PASS evidence/coupling-layering$' '^PASS evidence/coupling-indirect-calls$'
coupling upward-call lo-upward.c 1 \
    '^FAIL evidence/coupling-layering: 1 .*call lo_f -> hi_g \(upward calls: lo \(row 2\) -> hi \(row 1\)\)'
coupling arch-internal lo-arch-internal.c 1 \
    '^FAIL evidence/coupling-layering: 1 .*lo_f -> arch_internal \(arch_internal is not an interface of arch'
coupling data-access lo-data.c 1 \
    '^FAIL evidence/coupling-layering: 1 .*writes lo_f -> hi_state \(upward data access'
coupling indirect-call lo-indirect.c 1 \
    '^FAIL evidence/coupling-indirect-calls: 1 function\(s\) call through a pointer: lo_f'
if python3 - "$WORK/coupling-clean/c.json" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
edges = sorted((x["from"], x["to"]) for x in r["edges"])
assert edges == [("arch_entry", "hi_g"), ("arch_x", "arch_internal"), ("hi_g", "lo_f"),
                 ("lo_f", "arch_x")], edges
acc = [(x["function"], x["global"], x["kind"]) for x in r["accesses"]]
assert acc == [("hi_g", "hi_state", "writes")], acc
PY
then echo "PASS evidence-test/coupling-graph (TOR-COUP-008)"
else echo "FAIL evidence-test/coupling-graph: call edges or data accesses of the clean fixture wrong"
    failed=$((failed + 1))
fi

# --- stack: entry -> mid -> leaf -> sink is the heaviest path; seeded
# recursion, an indirect call and a variable-size frame.
stack() {
    local name=$1 want=$2 d="$WORK/stack-$1"
    shift 2
    mkdir -p "$d/su"
    cp "$FIX/stack/$name.c" "$FIX/stack/table.json" "$FIX/stack/stack.h" "$FIX/stack/gates.json" "$d/"
    (cd "$d" && clang-19 $CFL -fstack-usage -c "$name.c" -o "su/$name.o" 2>&1 &&
        python3 "$EV/stack.py" --root . --cflags "$CFL" --src "$name.c" --su-dir su \
        --table table.json --gates gates.json --irdir ir --json s.json --html s.html) >"$d/out" 2>&1
    expect "stack-$name" "$want" $? "$d/out" "$@"
}
stack prog 0 '^PASS evidence/stack-sound$' '^PASS evidence/stack-margin$'
stack recursion 1 '^FAIL evidence/stack-sound: .*recursion walk: walk -> walk'
stack indirect 1 '^FAIL evidence/stack-sound: .*indirect entry: 1 call\(s\) through a pointer'
stack dynamic 1 '^FAIL evidence/stack-sound: .*dynamic entry: dynamic'
if python3 - "$WORK/stack-prog" 2>&1 <<'PY'
import json, sys
d = sys.argv[1]
su = {}
for line in open(d + "/su/prog.su"):
    loc, n, q = line.split("\t")
    su[loc.rsplit(":", 1)[1]] = int(n)
r = json.load(open(d + "/s.json"))
e = r["entries"][0]
want = su["entry"] + su["mid"] + su["leaf"] + su["sink"]
assert e["path"][:3] == ["entry", "mid", "leaf"], e["path"]
assert e["bytes"] == want, (e["bytes"], want)
assert r["stack_size"] == 0x400
PY
then echo "PASS evidence-test/stack-bound (TOR-STACK-007)"
else echo "FAIL evidence-test/stack-bound: worst path or its bound of the fixture wrong"
    failed=$((failed + 1))
fi
# Margin: the same program against a 256-byte stack must fail stack-margin.
d="$WORK/stack-prog"
(cd "$d" && sed 's/0x400/0x100/' stack.h >stack2.h && sed 's/stack.h/stack2.h/' table.json >t2.json &&
    python3 "$EV/stack.py" --root . --cflags "$CFL" --src prog.c --su-dir su --table t2.json \
    --gates gates.json --irdir ir) >"$d/out2" 2>&1
expect stack-margin 1 $? "$d/out2" '^FAIL evidence/stack-margin: worst [0-9]+ bytes \(entry\) over 128'

# --- MISRA: fix.c has two returns (rule 15.5); a deviation covers it; a
# missing or mis-scoped deviation must fail.
misra() {
    local name=$1 devs=$2 want=$3 d="$WORK/misra-$1"
    shift 3
    cp -r "$FIX/misra" "$d"
    (cd "$d" && python3 "$EV/misra.py" --root . --src fix.c --deviations "$devs" \
        --gates gates.json --json m.json --html m.html) >"$d/out" 2>&1
    expect "misra-$name" "$want" $? "$d/out" "$@"
}
misra deviated deviations.json 0 '^PASS evidence/misra-deviated$' 'misra: 1 findings, 1 rules'
if python3 - "$WORK/misra-deviated/m.json" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["per_rule"] == {"15.5": 1}, r["per_rule"]
assert [(f["file"], f["line"], f["deviation"]) for f in r["findings"]] == [("fix.c", 5, "DEV-FIX-1")]
# Every rule the addon checks is listed: 15.5 deviated, the others clean.
rules = r["rules"]
assert len(rules) > 100 and rules["15.5"]["status"] == "deviated", rules.get("15.5")
assert all(v["status"] == "clean" for k, v in rules.items() if k != "15.5")
PY
then echo "PASS evidence-test/misra-per-rule (TOR-MISRA-006)"
else echo "FAIL evidence-test/misra-per-rule: findings per rule of the fixture wrong"
    failed=$((failed + 1))
fi
misra unjustified none.json 1 '^FAIL evidence/misra-deviated: 1 finding\(s\) without a deviation: fix.c:5 rule 15.5'
misra wrong-scope wrongscope.json 1 '^FAIL evidence/misra-deviated: 1 .*fix.c:5 rule 15.5' \
    '^FAIL evidence/misra-deviations-valid: DEV-FIX-1: no kind|^PASS evidence/misra-deviations-valid'

# --- source to object: start (C, -g) calls helper (assembly). Built with
# line information everywhere it passes; helper assembled without -g must
# be caught as instructions without a line.
s2o() {
    local name=$1 asmg=$2 want=$3 d="$WORK/s2o-$1"
    shift 3
    cp -r "$FIX/s2o" "$d"
    (cd "$d" && clang-19 $CFL -g -c main.c -o main.o && clang-19 --target=aarch64-none-elf $asmg -c helper.S -o helper.o &&
        ld.lld-19 -T link.ld main.o helper.o -o prog.elf &&
        python3 "$EV/s2o.py" --elf prog.elf --gates "$FIX/misra/gates.json" --json o.json --html o.html) >"$d/out" 2>&1
    expect "s2o-$name" "$want" $? "$d/out" "$@"
}
s2o mapped -g 0 '^PASS evidence/s2o-line-table$' 's2o: [0-9]+ instructions, [0-9]+ mapped, 0 without a line'
if python3 - "$WORK/s2o-mapped/o.json" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
files = sorted(r["per_file"])
assert any(f.endswith("main.c") for f in files) and any(f.endswith("helper.S") for f in files), files
assert r["mapped"] + len(r["unmapped"]) + len(r["padding"]) == r["instructions"] > 0, r
assert sum(r["per_file"].values()) == r["mapped"], r["per_file"]
PY
then echo "PASS evidence-test/s2o-per-file (TOR-S2O-005)"
else echo "FAIL evidence-test/s2o-per-file: per-file counts of the fixture wrong"
    failed=$((failed + 1))
fi
s2o no-line "" 1 '^FAIL evidence/s2o-line-table: 2 instruction\(s\) outside every DWARF line sequence \(limit 0\) in helper'

# --- size: the trace fixture's hyp/core/fix.c has 9 lines of code (and
# comments and blank lines); no ELF, no budgets.
d="$WORK/size"
mkdir -p "$d"
cp -r "$ROOT/tests/evidence/fixtures/clean/." "$d/"
python3 "$EV/size.py" --root "$d" --elf none.elf --json "$d/z.json" --html "$d/z.html" >"$d/out" 2>&1
if [ $? -eq 0 ] && python3 - "$d/z.json" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = {x["name"]: (x["sloc"], x["files"]) for x in r["components"]}
assert c["hyp/core"] == (9, 1), c
assert r["hyp_sloc"] == 9 and r["image"] is None, r
assert [x["level"] for x in r["estimate"]] == ["A", "B", "C", "D", "E"]
assert r["estimate"][0]["hours"] == round(9 * 0.67), r["estimate"][0]
PY
then echo "PASS evidence-test/size-count (TOR-SIZE-005)"
else echo "FAIL evidence-test/size-count: SLOC or estimate of the fixture wrong"
    failed=$((failed + 1))
fi

[ "$failed" -eq 0 ]
