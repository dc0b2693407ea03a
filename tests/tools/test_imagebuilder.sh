#!/usr/bin/env bash
# Tests of `bulkhead import-imagebuilder`: an ImageBuilder configuration for
# two bare-metal domUs imports, checks and builds with no hand edit; static
# memory becomes a hand placement; the default schedule is listed; every
# configuration in tests/tools/imagebuilder/bad/ is refused with the message
# its "# expect:" lines give (each must appear) and nothing written;
# oversized and binary input is refused without a crash.
#   tests/tools/test_imagebuilder.sh BULKHEAD WORKDIR
# Prints "PASS tools/<name>" or "FAIL tools/<name>" per test; exits 1 if any failed.
set -uo pipefail

BH=${1:?usage: $0 BULKHEAD WORKDIR}
WORK=${2:?usage: $0 BULKHEAD WORKDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
case $BH in /*) ;; *) BH=$PWD/$BH ;; esac # the cases run in their own directory
IB=$HERE/imagebuilder
. "$HERE/fake_inputs.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
fake_tree "$WORK/tree"
T=$WORK/tree
failed=0

result() { # name status
    if [ "$2" -eq 0 ]; then echo "PASS tools/$1"; else echo "FAIL tools/$1"; failed=1; fi
}

# Two domUs: one note per variable name with no meaning here, a source with
# one xen,domain per domU whose modules name their files (no reg, so no
# --module), accepted by check and built, RAM and vCPUs placed
# automatically, the default schedule listed; the same import twice, and to
# stdout, gives the same bytes.
# Verifies: LLR-TOOL-082, LLR-TOOL-083, LLR-TOOL-085, LLR-TOOL-086, LLR-TOOL-088, LLR-TOOL-089
t_two() {
    local s=$WORK/two.dts log=$WORK/two.log
    (cd "$IB" && "$BH" import-imagebuilder two-domus.cfg -o "$s") 2>"$log" || { cat "$log"; return 1; }
    [ "$(grep -c ': note: ' "$log")" -eq 9 ] && [ "$(wc -l <"$log")" -eq 9 ] &&
        grep -qF "two-domus.cfg:8: XEN_CMD: note: Xen's own setting: the hypervisor is Bulkhead's (hyp/bulkhead.bin, or --hyp): ignored" "$log" &&
        grep -qF 'two-domus.cfg:9: DOM0_KERNEL: note: empty: ignored' "$log" &&
        grep -qF 'two-domus.cfg:16: DOMU_ENHANCED: note: Xen PV interfaces (xen,enhanced): no meaning to Bulkhead: ignored (here and 1 more times)' "$log" ||
        { cat "$log"; return 1; }
    grep -qxF "$(printf '\t\tdomU0 {')" "$s" && grep -qxF "$(printf '\t\tdomU1 {')" "$s" && ! grep -q 'reg = ' "$s" &&
        grep -qF 'memory = <0x0 0x4000>; /* KiB: 16 MiB, DOMU_MEM */' "$s" &&
        grep -qF 'bulkhead,path = "guests/witness.bin"; /* line 18 */' "$s" &&
        grep -qF 'bootargs = "console=ttyAMA0 \"quiet\""; /* line 20 */' "$s" &&
        grep -qF 'bootargs = "console=ttyAMA0"; /* ImageBuilder'"'"'s default */' "$s" || return 1
    "$BH" check "$s" -I "$T" >"$log" 2>&1 && grep -qF "$s: ok: 2 partitions, 2 CPUs" "$log" || { cat "$log"; return 1; }
    "$BH" build "$s" -I "$T" -o "$WORK/two.img" --print-placement >"$log" 2>&1 || { cat "$log"; return 1; }
    grep -qE '^  domU0 +RAM 0x0040[0-9a-f]{6}\.\.0x[0-9a-f]{10} +16384 KiB \(automatic\), vCPUs on CPU 0 \(automatic\)$' "$log" &&
        grep -qE '^  domU1 +RAM .* 131072 KiB \(automatic\), vCPUs on CPU 1 \(automatic\)$' "$log" &&
        grep -qxF 'default schedule (no schedules node): major frame 10000 us, 1 slice of 10000 us' "$log" &&
        grep -qxF '  cpu0: 0..10000 us domU0 vcpu0' "$log" &&
        grep -qxF '  cpu1: 0..10000 us domU1 vcpu0' "$log" || { cat "$log"; return 1; }
    (cd "$IB" && "$BH" import-imagebuilder two-domus.cfg 2>/dev/null) >"$WORK/two-stdout.dts" &&
        cmp -s "$s" "$WORK/two-stdout.dts"
}
t_two
result imagebuilder_two_domus $?

# Static memory: one range becomes bulkhead,ram-pa (and ram-gpa, direct map,
# unless DOMU_DIRECT_MAP=0); an empty DOMU_CMD is the default; a ramdisk becomes a ramdisk module; CPU 0
# runs two vCPUs, so the default frame is two slices and CPU 1 idles in
# the second. Verifies: LLR-TOOL-086, LLR-TOOL-087, LLR-TOOL-089
t_static() {
    local s=$WORK/static.dts log=$WORK/static.log
    (cd "$IB" && "$BH" import-imagebuilder static-mem.cfg -o "$s") 2>"$log" && [ ! -s "$log" ] || { cat "$log"; return 1; }
    grep -qF 'bulkhead,ram-pa = <0x0 0x50000000>; /* DOMU_STATIC_MEM, line 7 */' "$s" &&
        grep -qF 'bulkhead,ram-gpa = <0x0 0x50000000>; /* direct map */' "$s" &&
        [ "$(grep -c 'bulkhead,ram-gpa' "$s")" -eq 1 ] &&
        [ "$(grep -c 'bootargs = "console=ttyAMA0"; /\* ImageBuilder' "$s")" -eq 2 ] &&
        grep -qF 'compatible = "multiboot,ramdisk", "multiboot,module";' "$s" || return 1
    "$BH" build "$s" -I "$T" -o "$WORK/static.img" --print-placement >"$log" 2>&1 || { cat "$log"; return 1; }
    grep -qE '^  fixed +RAM 0x0050000000\.\.0x0050ffffff +16384 KiB \(bulkhead,ram-pa\)' "$log" &&
        grep -qE '^  domU1 +RAM 0x0060000000\.\.0x0060ffffff +16384 KiB \(bulkhead,ram-pa\), vCPUs on CPU 1, 0 \(automatic\)$' "$log" &&
        grep -qxF 'default schedule (no schedules node): major frame 20000 us, 2 slices of 10000 us' "$log" &&
        grep -qxF '  cpu0: 0..10000 us fixed vcpu0, 10000..20000 us domU1 vcpu1' "$log" &&
        grep -qxF '  cpu1: 0..10000 us domU1 vcpu0, 10000..20000 us idle' "$log" || return 1
    "$BH" show "$s" -I "$T" --out-dir "$WORK" >"$log" 2>/dev/null &&
        grep -qF 'Schedule (default: one major frame of 20000 us, the rest of a CPU'"'"'s idle):' "$log" &&
        grep -qxE ' +10000 us .. +20000 us  idle' "$log"
}
t_static
result imagebuilder_static_mem $?

# Each broken configuration: exit 1, its expected messages with line
# numbers, "nothing written" and no output file.
# Verifies: LLR-TOOL-082, LLR-TOOL-083, LLR-TOOL-084, LLR-TOOL-085, LLR-TOOL-086, LLR-TOOL-087, LLR-TOOL-088
for cfg in "$IB"/bad/*.cfg; do
    name=$(basename "$cfg" .cfg)
    log=$WORK/bad-$name.log
    rm -f "$WORK/bad.dts"
    (cd "$IB/bad" && "$BH" import-imagebuilder "$name.cfg" -o "$WORK/bad.dts") >"$log" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq 1 ] || why="exit status $rc, expected 1"
    [ -e "$WORK/bad.dts" ] && why="output written"
    grep -q '^# expect: ' "$cfg" || why="no expectation in the case"
    while IFS= read -r text; do
        [ -n "$why" ] && break
        grep -qF -- "$text" "$log" || why="missing: $text"
    done < <(sed -n 's|^# expect: *||p' "$cfg")
    [ -z "$why" ] && ! grep -qF "$name.cfg: 1 error: nothing written" "$log" && why="no summary line"
    if [ -z "$why" ]; then
        echo "PASS tools/imagebuilder/bad/$name"
    else
        echo "FAIL tools/imagebuilder/bad/$name: $why"
        sed 's/^/    /' "$log"
        failed=1
    fi
done

# Bounds: a line over 4096 characters, a file over 1 MiB, binary bytes; a
# missing file is an I/O error and a missing argument a usage error.
# Verifies: LLR-TOOL-082, LLR-TOOL-084
t_bounds() {
    local f=$WORK/long.cfg log=$WORK/bounds.log
    { echo 'NUM_DOMUS=1'; printf 'DOMU_CMD[0]="%05000d"\n' 0; echo 'DOMU_KERNEL[0]=a.bin'; } >"$f"
    "$BH" import-imagebuilder "$f" >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF "$f:2: line: 5014 characters: a line is at most 4096" "$log" || return 1
    { printf 'DOMU_CMD[0]="%01030d"\n' 0; echo 'DOMU_KERNEL[0]=a.bin'; echo 'NUM_DOMUS=1'; } >"$f"
    "$BH" import-imagebuilder "$f" >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF "$f:1: DOMU_CMD: value longer than 1023 characters" "$log" || return 1
    head -c 1048577 /dev/zero | tr '\0' '#' >"$f"
    "$BH" import-imagebuilder "$f" >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF "$f: file: 1048577 bytes: an ImageBuilder configuration is at most 1048576 bytes" "$log" || return 1
    head -c 4096 "$T/guests/good.bin" >"$f"
    "$BH" import-imagebuilder "$f" >"$log" 2>&1
    [ $? -eq 1 ] && grep -q "only printable ASCII text is read" "$log" || return 1
    "$BH" import-imagebuilder "$WORK/none.cfg" >"$log" 2>&1
    [ $? -eq 3 ] || return 1
    "$BH" import-imagebuilder >"$log" 2>&1
    [ $? -eq 2 ] && grep -q "missing argument" "$log"
}
t_bounds
result imagebuilder_bounds $?

# 300 mutations of the good configurations (bytes flipped, inserted and
# deleted, lines duplicated and cut; seeded, so the same every run): each
# is imported (into a source dtc accepts) or refused, exit status 0 or 1,
# never a crash or a sanitizer finding (status 99). Verifies: LLR-TOOL-083, LLR-TOOL-084
t_mutations() {
    local d=$WORK/mut rc f
    mkdir -p "$d"
    python3 - "$d" "$IB/two-domus.cfg" "$IB/static-mem.cfg" "$IB"/bad/*.cfg <<'PY' || return 1
import random, sys
out, seeds = sys.argv[1], [open(f, 'rb').read() for f in sys.argv[2:]]
rng = random.Random(17)
pick = b'"\'\\$`[]=#; \t\n\r\x00\x7f\xffNUM_DOMUS=DOMU_KERNEL[0]0123456789'
for i in range(300):
    b = bytearray(rng.choice(seeds[:2] if rng.random() < 0.7 else seeds))
    for _ in range(rng.randint(1, 3)):
        k, at = rng.randrange(5), rng.randrange(len(b) + 1)
        if k == 0 and at < len(b):
            b[at] = rng.choice(pick)
        elif k == 1:
            b[at:at] = bytes([rng.choice(pick)]) * rng.randint(1, 3)
        elif k == 2:
            del b[at:at + rng.randint(1, 6)]
        elif k == 3:
            lines = b.split(b'\n')
            j = rng.randrange(len(lines))
            lines.insert(j, lines[j])
            b = bytearray(b'\n'.join(lines))
        else:
            del b[at:]
    open('%s/m%03d.cfg' % (out, i), 'wb').write(bytes(b))
PY
    for f in "$d"/m*.cfg; do
        "$BH" import-imagebuilder "$f" -o "$d/out.dts" >/dev/null 2>&1
        rc=$?
        [ $rc -le 1 ] || { echo "    $f: exit status $rc"; return 1; }
        [ $rc -eq 1 ] || dtc -q -I dts -O dtb -o /dev/null "$d/out.dts" ||
            { echo "    $f: written source not accepted by dtc"; return 1; }
    done
}
t_mutations
result imagebuilder_mutations $?

exit $failed
