#!/usr/bin/env bash
# Tests of the bulkhead command against a fake hypervisor and fake guest
# images: every config/*.dts builds and round-trips through decode, the
# corruption kinds, show, usage and exit codes.
#   tests/tools/test_bulkhead.sh BULKHEAD WORKDIR
# Prints "PASS tools/<name>" or "FAIL tools/<name>" per test; exits 1 if any failed.
set -uo pipefail

BH=${1:?usage: $0 BULKHEAD WORKDIR}
WORK=${2:?usage: $0 BULKHEAD WORKDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/fake_inputs.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
fake_tree "$WORK/tree"
T=$WORK/tree
failed=0

result() { # name status
    if [ "$2" -eq 0 ]; then echo "PASS tools/$1"; else echo "FAIL tools/$1"; failed=1; fi
}

# Every system builds; the image carries the blob at align_up(0x18000, 64 KiB)
# and declares its full size (config/linux.dts: with a ramdisk). Verifies: LLR-TOOL-006, LLR-TOOL-021 .. LLR-TOOL-028, LLR-TOOL-050, LLR-TOOL-014
t_build() { # system (source in $SRC)
    "$BH" build "$SRC" -I "$T" -o "$WORK/$1.img" --blob "$WORK/$1.blob" \
        >"$WORK/$1.log" 2>&1 || return 1
    python3 - "$WORK/$1.img" "$WORK/$1.blob" <<'PY' || return 1
import struct, sys
img = open(sys.argv[1], 'rb').read(); blob = open(sys.argv[2], 'rb').read()
assert struct.unpack_from('<I', img, 56)[0] == 0x644d5241
assert struct.unpack_from('<Q', img, 16)[0] == len(img)
assert img[0x20000:] == blob
magic, version, total = struct.unpack_from('<III', blob, 0)
assert magic == 0x44484b42 and version == 4 and total == len(blob)
PY
    grep -q "^$1: [0-9] partitions" "$WORK/$1.log"
}

# decode prints source that builds the same image again, byte for byte, and
# whose meaning matches the original. Verifies: LLR-TOOL-012, LLR-TOOL-032, LLR-TOOL-033,
# LLR-TOOL-034 .. LLR-TOOL-037, LLR-TOOL-065 (tests/tools/good and config/evt_ports.dts: every version 2 and 3 binding, byte for byte)
t_roundtrip() { # system
    local d=$WORK/rt-$1
    mkdir -p "$d"
    "$BH" decode "$WORK/$1.img" --extract "$d" >"$d/$1.dts" 2>"$d/err" || return 1
    "$BH" build "$d/$1.dts" -o "$d/again.img" >/dev/null 2>&1 || return 1
    cmp -s "$WORK/$1.img" "$d/again.img" || return 1
    # Same meaning: the properties of both sources agree, partition by partition.
    # Labels are left out: decode names them its own way.
    local f
    for f in src rt; do
        [ "$f" = src ] && cp "$SRC" "$d/meaning.src.dts" || cp "$d/$1.dts" "$d/meaning.rt.dts"
        dtc -q -I dts -O dts "$d/meaning.$f.dts" | sed -E 's/^(\s*)[A-Za-z_][A-Za-z0-9_]*: /\1/' |
            grep -E '^\s*(bulkhead,(cpus|ram-pa|ram-gpa|num-cpus|system|hcall-hm|period-us|evtchn-ports)|memory|cpus|[a-z_0-9]+ \{)' |
            grep -vE '(kernel|chosen|schedules) \{' >"$d/meaning.$f" || return 1
    done
    diff "$d/meaning.src" "$d/meaning.rt" >"$d/diff"
}

# The systems in config/ and the tool tests' own (tests/tools/good/: schedules,
# health monitor, system partition), each by its path.
for src in "$ROOT"/config/*.dts "$HERE"/good/*.dts; do
    sys=$(basename "$src" .dts)
    SRC=$src
    t_build "$sys"
    result "build_$sys" $?
    t_roundtrip "$sys"
    result "decode_roundtrip_$sys" $?
done

# Each corruption kind is written but refused by the boot check, naming its field.
# Verifies: LLR-TOOL-007, LLR-TOOL-008, LLR-TOOL-028
declare -A FIELD=(
    [checksum]=header.checksum [magic]=header.magic [version]=header.version
    [overlap]='parts\[1\].ram_pa' [hyp-overlap]='parts\[0\].ram_pa'
    [cpu]='parts\[0\].vcpu_cpu\[0\]' [image-bounds]='parts\[0\].image_offset'
    [truncated]=header.total_size [image-size]=image
)
for kind in checksum magic version overlap hyp-overlap cpu image-bounds truncated image-size; do
    out=$WORK/bad-$kind.img
    "$BH" build "$ROOT/config/demo.dts" -I "$T" -o "$out" --corrupt "$kind" \
        >"$WORK/bad-$kind.log" 2>&1 && [ -s "$out" ] &&
        grep -q "^demo: boot check error: ${FIELD[$kind]}: " "$WORK/bad-$kind.log" &&
        ! "$BH" decode "$out" >/dev/null 2>&1
    result "corrupt_$kind" $?
done

# Unknown corruption kinds are a usage error. Verifies: LLR-TOOL-008, LLR-TOOL-029
"$BH" build "$ROOT/config/demo.dts" -I "$T" -o "$WORK/x.img" --corrupt nonsense 2>"$WORK/x.log"
[ $? -eq 2 ] && grep -q "unknown corruption kind" "$WORK/x.log" && [ ! -e "$WORK/x.img" ]
result corrupt_unknown_kind $?

# A failed build removes a stale output. Verifies: LLR-TOOL-028
t_stale() {
    cp "$WORK/demo.img" "$WORK/stale.img"
    ! "$BH" build "$HERE/bad/pin-cpu.dts" -I "$T" -o "$WORK/stale.img" 2>/dev/null &&
        [ ! -e "$WORK/stale.img" ]
}
t_stale
result stale_output_removed $?

# show prints the schedule and maps and writes two SVG files.
# Verifies: LLR-TOOL-030, LLR-TOOL-031
t_show() {
    mkdir -p "$WORK/show"
    "$BH" show "$ROOT/config/demo.dts" -I "$T" --out-dir "$WORK/show" >"$WORK/show.txt" || return 1
    grep -q "^Schedule 0 (runs at boot): major frame 50000 us, 3 windows" "$WORK/show.txt" &&
        grep -qE "^ +25000 us .. +45000 us  charlie vcpu0$" "$WORK/show.txt" &&
        grep -q "0x0048000000..0x0048ffffff .* alpha RAM" "$WORK/show.txt" &&
        grep -q "<svg" "$WORK/show/demo-schedule.svg" && grep -q "bravo vcpu0" "$WORK/show/demo-schedule.svg" &&
        grep -q "vPL011" "$WORK/show/demo-memory.svg" &&
        python3 -c 'import sys, xml.dom.minidom as m; [m.parse(f) for f in sys.argv[1:]]' \
            "$WORK/show/demo-schedule.svg" "$WORK/show/demo-memory.svg"
}
t_show
result show_demo $?

# Without a schedules node, show draws the default rotation.
t_show_rotation() {
    mkdir -p "$WORK/show3"
    "$BH" show "$ROOT/config/vtimer.dts" -I "$T" --out-dir "$WORK/show3" >"$WORK/show3.txt" || return 1
    grep -q "cpu0: rotation of 20000 us" "$WORK/show3.txt" && grep -q "timer_b vcpu0" "$WORK/show3.txt"
}
t_show_rotation
result show_rotation $?

# With schedules, show draws each schedule's major frame per CPU, idle gaps
# included, as text and SVG. Verifies: LLR-TOOL-040, LLR-TOOL-041
t_show_frames() {
    mkdir -p "$WORK/show2"
    "$BH" show "$HERE/good/twosched.dts" -I "$T" --out-dir "$WORK/show2" >"$WORK/show2.txt" || return 1
    local svg=$WORK/show2/twosched-schedule.svg
    grep -q "2 CPUs, 2 ARINC 653 schedules, 3 partitions" "$WORK/show2.txt" &&
        grep -q "^Schedule 0 (runs at boot): major frame 20000 us, 5 windows" "$WORK/show2.txt" &&
        grep -q "^Schedule 1: major frame 10000 us, 2 windows" "$WORK/show2.txt" &&
        grep -qE "^ +5000 us .. +10000 us  alpha vcpu0$" "$WORK/show2.txt" &&
        grep -qE "^ +12000 us .. +16000 us  alpha vcpu1$" "$WORK/show2.txt" &&
        grep -qE "^ +2000 us .. +5000 us  \(idle\)$" "$WORK/show2.txt" &&
        ! grep -q "rotation" "$WORK/show2.txt" &&
        grep -q "schedule 1, major frame 10000 us" "$svg" && grep -q ">monitor vcpu0<" "$svg" &&
        grep -q ">alpha vcpu1<" "$svg" && [ "$(grep -c '>bravo vcpu0<' "$svg")" -eq 2 ] &&
        python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$svg"
}
t_show_frames
result show_schedules $?

# decode prints the version 2 bindings: schedules with windows in blob order
# naming partitions by label, flags, period, restart limit, HM tables.
# Verifies: LLR-TOOL-039
t_decode_v2() {
    local f=$WORK/rt-twosched/twosched.dts
    grep -q 'bulkhead,module-hm-action = "reset";' "$f" &&
        grep -q 'monitor: monitor {' "$f" && grep -q 'bulkhead,partition = <&monitor>;' "$f" &&
        grep -q 'bulkhead,system;' "$f" && grep -q 'bulkhead,hcall-hm;' "$f" &&
        grep -q 'bulkhead,period-us = <5000>;' "$f" && grep -q 'bulkhead,no-window-in = <1>;' "$f" &&
        grep -q 'bulkhead,restart-limit = <3>;' "$f" && grep -q 'crash = "cold-restart";' "$f" &&
        grep -q 'illegal-hypercall = "ignore";' "$f" && ! grep -q 'unexpected-mode' "$f" &&
        # windows sorted by cpu, then offset: bravo's cpu1 window is the fourth
        python3 - "$f" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
s0 = t.split('schedule@0')[1].split('schedule@1')[0]
w = re.findall(r'cpu = <(\d+)>;\s*bulkhead,partition = <&(\w+)>;\s*bulkhead,vcpu = <(\d+)>;\s*bulkhead,offset-us = <(\d+)>', s0)
assert w == [('0','monitor','0','0'), ('0','alpha','0','5000'), ('0','alpha','0','15000'),
             ('1','bravo','0','0'), ('1','alpha','1','12000')], w
PY
}
t_decode_v2
result decode_v2_bindings $?

# Partition names that are no device-tree labels get labels p<i>_<name>.
# Verifies: LLR-TOOL-039
t_decode_labels() {
    sed 's/alpha: alpha {/alpha: al-pha {/' "$HERE/good/twosched.dts" >"$WORK/labels.dts"
    "$BH" build "$WORK/labels.dts" -I "$T" -o "$WORK/labels.img" >/dev/null || return 1
    local d=$WORK/rt-labels
    mkdir -p "$d"
    "$BH" decode "$WORK/labels.img" --extract "$d" >"$d/labels.dts" || return 1
    grep -q 'p1_al_pha: al-pha {' "$d/labels.dts" && grep -q '<&p0_monitor>' "$d/labels.dts" &&
        "$BH" build "$d/labels.dts" -o "$d/again.img" >/dev/null && cmp -s "$WORK/labels.img" "$d/again.img"
}
t_decode_labels
result decode_labels $?

# Partition device trees decode with dtc; bootargs reach /chosen.
# Verifies: LLR-TOOL-004, LLR-TOOL-024
t_dtb() {
    sed 's|bulkhead,path = "guests/demo_ticker.bin";|&\n\t\t\t\tbootargs = "console=hvc0 x=\\"y\\"";|' \
        "$ROOT/config/demo.dts" >"$WORK/args.dts"
    "$BH" build "$WORK/args.dts" -I "$T" -o "$WORK/args.img" --blob "$WORK/args.blob" >/dev/null || return 1
    # Device-tree offsets as decode reports them (independent of the table layout).
    "$BH" decode "$WORK/args.img" >"$WORK/args.dec" || return 1
    python3 - "$WORK/args.blob" "$WORK" "$WORK/args.dec" <<'PY' || return 1
import re, sys
b = open(sys.argv[1], 'rb').read()
found = re.findall(r'device tree: guest 0x[0-9a-f]+, 0x([0-9a-f]+) bytes, payload \+0x([0-9a-f]+)',
                   open(sys.argv[3]).read())
assert len(found) == 3
for i, (size, off) in enumerate(found):
    open(f"{sys.argv[2]}/p{i}.dtb", 'wb').write(b[int(off, 16):int(off, 16) + int(size, 16)])
PY
    for i in 0 1 2; do
        dtc -q -I dtb -O dts -o "$WORK/p$i.dts" "$WORK/p$i.dtb" || return 1
        grep -q 'hypervisor {' "$WORK/p$i.dts" && grep -q 'memory@40000000 {' "$WORK/p$i.dts" || return 1
    done
    grep -q 'bootargs = "console=hvc0 x=\\"y\\"";' "$WORK/p0.dts" &&
        ! grep -q bootargs "$WORK/p1.dts" &&
        "$BH" decode "$WORK/args.img" | grep -q 'bootargs = "console=hvc0 x=\\"y\\"";'
}
t_dtb
result dtb_and_bootargs $?

# Usage errors exit 2, --help 0, I/O errors 3, a broken dtb 1; run boots QEMU.
# Verifies: LLR-TOOL-010, LLR-TOOL-029, LLR-TOOL-021, LLR-TOOL-022
t_exits() {
    "$BH" >/dev/null 2>&1; [ $? -eq 2 ] || return 1
    "$BH" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || return 1
    "$BH" build "$ROOT/config/demo.dts" >/dev/null 2>&1; [ $? -eq 2 ] || return 1
    "$BH" check "$ROOT/config/demo.dts" --bogus x >/dev/null 2>&1; [ $? -eq 2 ] || return 1
    "$BH" decode "$WORK/demo.img" --corrupt magic >/dev/null 2>&1; [ $? -eq 2 ] || return 1
    for c in check build show decode run; do
        "$BH" "$c" --help | grep -q "^usage: bulkhead $c" || return 1
        "$BH" "$c" --help | grep -q "Exit status" || return 1
    done
    "$BH" check "$WORK/none.dts" >/dev/null 2>&1; [ $? -eq 3 ] || return 1
    "$BH" decode "$WORK/none.img" >/dev/null 2>&1; [ $? -eq 3 ] || return 1
    BULKHEAD_DTC=/nonexistent "$BH" check "$ROOT/config/demo.dts" >/dev/null 2>&1; [ $? -eq 3 ] || return 1
    "$BH" build "$ROOT/config/demo.dts" -I "$T" -o "$WORK/nodir/x.img" >/dev/null 2>&1; [ $? -eq 3 ] || return 1
    printf '\xd0\x0d\xfe\xed\x00\x00\x00\x30garbage' >"$WORK/broken.dtb"
    "$BH" check "$WORK/broken.dtb" 2>"$WORK/broken.log"; [ $? -eq 1 ] || return 1
    grep -q "not a valid flattened device tree" "$WORK/broken.log" || return 1
    "$BH" decode "$T/guests/good.bin" 2>"$WORK/noblob.log"; [ $? -eq 1 ] || return 1
    grep -q "no configuration blob" "$WORK/noblob.log" || return 1
    QEMU=true "$BH" run "$ROOT/config/demo.dts" -I "$T" -o "$WORK/run.img" >/dev/null
}
t_exits
result exit_codes $?

# Pass-through: the DMA waiver warning names node and partition, and show
# reports the waiver and the StreamIDs; the owner's device tree has the
# device node with the virtual SPI (33: SPI 1); decode prints the binding
# back. Verifies: LLR-PT-020, LLR-PT-021, LLR-PT-022, LLR-PT-023, LLR-DMA-021
t_passthru() {
    "$BH" build "$ROOT/config/linux-disk.dts" -I "$T" -o "$WORK/pt.img" --blob "$WORK/pt.blob" \
        >"$WORK/pt.log" 2>&1 || return 1
    grep -q "^/chosen/linux/passthrough@a003e00: warning: isolation waiver (bulkhead,dma-unconfined): passed through to partition linux with no SMMU in front: if the device masters DMA it reaches all physical memory" "$WORK/pt.log" || return 1
    ! grep -q "heart.*warning" "$WORK/pt.log" || return 1
    "$BH" show "$ROOT/config/linux-disk.dts" -I "$T" >"$WORK/pt.show" 2>&1 || return 1
    grep -q "^  linux: ISOLATION WAIVER (bulkhead,dma-unconfined)" "$WORK/pt.show" || return 1
    "$BH" show "$ROOT/config/attack-dma.dts" -I "$T" >"$WORK/dma.show" 2>&1 || return 1
    grep -q "^  StreamID 0x8 (PCIe 00:01.0) of device 0x3f000000: attacker, through the SMMU" \
        "$WORK/dma.show" || return 1
    ! grep -q "warning\|WAIVER" "$WORK/dma.show" || return 1
    "$BH" decode "$WORK/pt.img" >"$WORK/pt.dec" || return 1
    grep -q 'passthrough@a003e00 { /\* mapped 0xa003000+0x1000, virtual SPI 33 \*/' "$WORK/pt.dec" &&
        grep -q 'bulkhead,reg = <0x0 0xa003e00 0x0 0x200>;' "$WORK/pt.dec" &&
        grep -q 'interrupts = <0 47 1>;' "$WORK/pt.dec" &&
        grep -q 'bulkhead,device-compatible = "virtio,mmio";' "$WORK/pt.dec" &&
        grep -q 'bulkhead,dma-unconfined; /\* isolation waiver \*/' "$WORK/pt.dec" || return 1
    python3 - "$WORK/pt.blob" "$WORK" "$WORK/pt.dec" <<'PY' || return 1
import re, sys
b = open(sys.argv[1], 'rb').read()
found = re.findall(r'device tree: guest 0x[0-9a-f]+, 0x([0-9a-f]+) bytes, payload \+0x([0-9a-f]+)',
                   open(sys.argv[3]).read())
size, off = found[1]
open(f"{sys.argv[2]}/pt1.dtb", 'wb').write(b[int(off, 16):int(off, 16) + int(size, 16)])
PY
    dtc -q -I dtb -O dts -o "$WORK/pt1.dts" "$WORK/pt1.dtb" || return 1
    tr -d '\n\t' <"$WORK/pt1.dts" | grep -q 'passthrough@a003e00 {compatible = "virtio,mmio";reg = <0x00 0xa003e00 0x00 0x200>;interrupts = <0x00 0x01 0x01>;};' &&
        grep -q 'memory@50000000 {' "$WORK/pt1.dts"
}
t_passthru
result passthrough $?

# PCIe: the owner of the host bridge gets one pci-host-ecam-generic node
# with its window as ranges and INTB (its only INTx line beside INTA) in
# the interrupt map; the window has no node of its own.
# Verifies: LLR-DMA-022
t_pci_dt() {
    "$BH" build "$ROOT/config/linux-pci.dts" -I "$T" -o "$WORK/pci.img" --blob "$WORK/pci.blob" \
        >"$WORK/pci.log" 2>&1 || return 1
    ! grep -q "warning" "$WORK/pci.log" || return 1
    python3 - "$WORK/pci.blob" "$WORK/pci1.dtb" <<'PY' || return 1
import struct, sys
b = open(sys.argv[1], 'rb').read()
off, size = struct.unpack_from('<II', b, 32 + 152 + 76)
open(sys.argv[2], 'wb').write(b[off:off + size])
PY
    dtc -q -I dtb -O dts -o "$WORK/pci1.dts" "$WORK/pci1.dtb" || return 1
    local t
    t=$(tr -d '\n\t' <"$WORK/pci1.dts")
    grep -q 'pcie@3f000000 {compatible = "pci-host-ecam-generic";device_type = "pci";reg = <0x00 0x3f000000 0x00 0x1000000>;bus-range = <0x00 0x0f>;' <<<"$t" &&
        grep -q 'ranges = <0x2000000 0x00 0x10000000 0x00 0x10000000 0x00 0x200000>;' <<<"$t" &&
        grep -q 'interrupt-map-mask = <0x1800 0x00 0x00 0x07>;' <<<"$t" &&
        grep -q 'interrupt-map = <0x00 0x00 0x00 0x01 0x01 0x00 0x00 0x00 0x01 0x04 0x00 0x00 0x00 0x02 0x01 0x00 0x00 0x00 0x02 0x04 0x800 0x00 0x00 0x01 0x01 0x00 0x00 0x00 0x02 0x04 ' <<<"$t" &&
        ! grep -q 'passthrough@10000000' <<<"$t" && ! grep -q 'msi-parent\|iommu-map' <<<"$t"
}
t_pci_dt
result pci_dt $?

# A hypervisor given by --hyp whose header image_size is near 2^64 (the blob
# offset wrapped to 0 and the packer wrote past its buffer) is refused with
# exit status 1, naming --hyp and the file; nothing is written.
# (tests/tools/bad/hypervisor-image-size-huge.dts: the same by
# /chosen/bulkhead,hypervisor.) Verifies: LLR-TOOL-067
t_hyp_huge_size() {
    local h
    h=$(cd "$WORK" && pwd)/hyp-huge-size.bin # --hyp: absolute, or found like a source path
    fake_image "$h" 0x100000 0xfffffffffffff001
    "$BH" build "$ROOT/config/demo.dts" -I "$T" --hyp "$h" -o "$WORK/hyp-huge.img" \
        >"$WORK/hyp-huge.log" 2>&1
    [ $? -eq 1 ] && [ ! -e "$WORK/hyp-huge.img" ] &&
        grep -qF -- "demo.dts: --hyp: $h: hypervisor header image_size 0xfffffffffffff001 is larger" \
            "$WORK/hyp-huge.log"
}
t_hyp_huge_size
result hyp_image_size_huge $?

# Source locations whatever the lengths: a source whose base name has 245
# characters (dtc's annotation overflowed a 256-byte copy: a NULL write in
# annotate_line), one in a directory path of over 400 characters (named in
# full, not cut at 255), a property line of 10,000 characters (read in 8 KiB
# pieces before: the error got the node's line) and an included file whose
# name has over 255 characters (named by its last ones after "..."); each
# error names the file and line the property is on. Verifies: LLR-TOOL-068
t_long_locations() {
    local base long_dir inc_dir src log=$WORK/long-locations.log
    base=$(printf 'n%.0s' $(seq 245))
    long_dir=$WORK/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))
    mkdir -p "$long_dir"
    # the unknown property is on line 10 of chosen-unknown-prop.dts
    for src in "$WORK/$base.dts" "$long_dir/sys.dts"; do
        cp "$HERE/bad/chosen-unknown-prop.dts" "$src"
        "$BH" check "$src" -I "$T" >"$log" 2>&1
        [ $? -eq 1 ] && grep -qF "$src:10: /chosen: bulkhead,console: unknown property" "$log" ||
            return 1
    done
    src=$WORK/long-line.dts
    sed "s|bulkhead,console = \"dtuart\";|bulkhead,note = \"$(printf 'x%.0s' $(seq 10000))\";|" \
        "$HERE/bad/chosen-unknown-prop.dts" >"$src"
    "$BH" check "$src" -I "$T" >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF "$src:10: /chosen: bulkhead,note: unknown property" "$log" || return 1
    inc_dir=$(printf 'i%.0s' $(seq 200))/$(printf 'j%.0s' $(seq 100))
    mkdir -p "$WORK/$inc_dir"
    printf '\n\nbulkhead,note = "x";\n' >"$WORK/$inc_dir/part.dtsi"
    src=$WORK/include.dts
    sed "s|bulkhead,console = \"dtuart\";|/include/ \"$inc_dir/part.dtsi\"|" \
        "$HERE/bad/chosen-unknown-prop.dts" >"$src"
    "$BH" check "$src" -I "$T" >"$log" 2>&1
    [ $? -eq 1 ] && grep -qE "^\.\.\.i*/j{100}/part\.dtsi:3: /chosen: bulkhead,note: unknown property" "$log"
}
t_long_locations
result long_source_locations $?

# Paths up to PATH_MAX are used whole, longer ones refused, none cut: a
# system in a directory path of over 600 characters finds its files there
# and takes --hyp by an absolute path as long (the source's directory was cut
# at 255 characters, --hyp at 512); --out-dir and --extract paths of over
# 1,000 characters ("./" repeated; cut at 1,023 characters they named another
# file, here the directory itself) write where they say; over 4,095 characters they, and a source path, are refused
# with exit status 3 and nothing written. Verifies: LLR-TOOL-069
t_long_paths() {
    local dir dots far log=$WORK/long-paths.log
    dir=$(cd "$WORK" && pwd)/$(printf 'p%.0s' $(seq 200))/$(printf 'q%.0s' $(seq 200))
    dir=$dir/$(printf 'r%.0s' $(seq 200))
    mkdir -p "$dir/guests" "$dir/hyp" "$WORK/show-long" "$WORK/extract-long"
    cp "$ROOT/config/demo.dts" "$dir/demo.dts"
    cp "$T"/guests/demo_*.bin "$dir/guests/"
    cp "$T/hyp/bulkhead.bin" "$dir/hyp/other.bin"
    "$BH" build "$dir/demo.dts" --hyp "$dir/hyp/other.bin" -o "$WORK/long.img" >"$log" 2>&1 &&
        grep -q "^demo: 3 partitions" "$log" || return 1
    dots=$(printf './%.0s' $(seq 520))
    "$BH" show "$ROOT/config/demo.dts" -I "$T" --out-dir "$WORK/show-long/$dots" >"$log" 2>&1 &&
        [ -s "$WORK/show-long/demo-schedule.svg" ] && [ -s "$WORK/show-long/demo-memory.svg" ] &&
        [ "$(ls "$WORK/show-long" | wc -l)" -eq 2 ] || return 1
    "$BH" decode "$WORK/long.img" --extract "$WORK/extract-long/$dots" >"$log" 2>&1 &&
        [ -s "$WORK/extract-long/hyp.bin" ] && [ -s "$WORK/extract-long/alpha.bin" ] &&
        [ "$(ls "$WORK/extract-long" | wc -l)" -eq 4 ] || return 1
    far=$(printf './%.0s' $(seq 2100))
    rm -rf "$WORK/show-long" "$WORK/extract-long"
    mkdir -p "$WORK/show-long" "$WORK/extract-long"
    "$BH" show "$ROOT/config/demo.dts" -I "$T" --out-dir "$WORK/show-long/$far" >"$log" 2>&1
    [ $? -eq 3 ] && grep -q "path longer than 4095 characters" "$log" &&
        [ -z "$(ls "$WORK/show-long")" ] || return 1
    "$BH" decode "$WORK/long.img" --extract "$WORK/extract-long/$far" >"$log" 2>&1
    [ $? -eq 3 ] && grep -q "path longer than 4095 characters" "$log" &&
        [ -z "$(ls "$WORK/extract-long")" ] || return 1
    "$BH" check "$WORK/$far/demo.dts" -I "$T" >"$log" 2>&1
    [ $? -eq 3 ] && grep -q "path longer than 4095 characters" "$log"
}
t_long_paths
result long_paths $?

# A compiled tree is accepted as input too (no source lines then).
# Verifies: LLR-TOOL-021
dtc -q -I dts -O dtb -o "$WORK/demo.dtb" "$ROOT/config/demo.dts" &&
    "$BH" check "$WORK/demo.dtb" -I "$T" >/dev/null
result dtb_input $?

# decode prints static channels (both ends, labels <partition>_ev<port>, the
# priority unless 7), shared regions in each sharer (2-cell addresses,
# read-only flag) and bulkhead,evtchn-peers; the round trip above rebuilt
# them byte for byte. Verifies: LLR-TOOL-063
t_decode_links() {
    local f=$WORK/rt-evt_link/evt_link.dts g=$WORK/rt-links/links.dts
    grep -q 'a_ev10: evtchn@10 {' "$f" && grep -q 'xen,evtchn = <10 &b_ev10>;' "$f" &&
        grep -q 'xen,evtchn = <11 &c_ev10>;' "$f" &&
        [ "$(grep -c 'bulkhead,priority = <3>;' "$f")" -eq 2 ] &&
        grep -q 'xen,shared-mem = <0x0 0x4c000000 0x0 0x60000000 0x0 0x10000>;' "$f" &&
        [ "$(grep -c 'bulkhead,read-only;' "$f")" -eq 1 ] &&
        grep -q 'bulkhead,evtchn-peers = <&p1_io_2 &p2_ctl_3>;' "$g" &&
        grep -q 'xen,evtchn = <5 &p1_io_2_ev9>;' "$g" &&
        grep -q 'xen,shared-mem = <0x0 0x4c000000 0x1 0x0 0x0 0x4000>;' "$g"
}
t_decode_links
result decode_links $?

# show lists shared regions in the physical map and in the guest-physical map
# of each sharer, text and SVG. Verifies: LLR-TOOL-064
t_show_shm() {
    mkdir -p "$WORK/show3"
    "$BH" show "$ROOT/config/evt_link.dts" -I "$T" --out-dir "$WORK/show3" >"$WORK/show3.txt" || return 1
    grep -qF '0x004c000000..0x004c00ffff   64.0 KiB  shared "link" (a rw, b rw, c ro)' "$WORK/show3.txt" &&
        grep -qF '0x0050000000..0x005000ffff   64.0 KiB  shared "link" rw (PA 0x4c000000)' "$WORK/show3.txt" &&
        grep -qF '0x0060000000..0x006000ffff   64.0 KiB  shared "link" ro (PA 0x4c000000)' "$WORK/show3.txt" &&
        [ "$(grep -c 'shared "link"' "$WORK/show3/evt_link-memory.svg")" -eq 4 ] &&
        python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$WORK/show3/evt_link-memory.svg"
}
t_show_shm
result show_shared_memory $?

# The README's toolstack commands, as the README writes them: typed from the
# project root with build/host/tools on PATH (what `make` tells the user to
# do) and no -I, they find the build's own outputs (build/clang, build/).
# Run in a directory that holds only a link to config/, so the SVG files
# `show` writes land there. Needs `make` to have built hyp/ and guests/.
# Verifies: LLR-TOOL-066
t_readme() {
    local d=$WORK/readme cmds c n=0 bindir
    bindir=$(cd "$(dirname "$BH")" && pwd)
    mkdir -p "$d"
    ln -s "$ROOT/config" "$d/config"
    mapfile -t cmds < <(grep -oE '`bulkhead (check|build|show|run|decode) [^`]*`' "$ROOT/README.md" | tr -d '`')
    [ ${#cmds[@]} -gt 0 ] || return 1
    for c in "${cmds[@]}"; do
        (cd "$d" && PATH="$bindir:$PATH" QEMU=true bash -c "$c") >"$d/out.$n" 2>&1 || {
            echo "README command failed: $c"; cat "$d/out.$n"; return 1; }
        ! grep -q "not found" "$d/out.$n" || return 1
        n=$((n + 1))
    done
    # show drew the demo from the real build (its schedule names alpha).
    grep -q "alpha" "$d/demo-schedule.svg"
}
t_readme
result readme_commands $?

# A Xen dom0less tree as written for Xen (QEMU's host nodes, ImageBuilder's
# /chosen, modules by reg): check accepts it with notes only, one per
# distinct property and one for the 47 host nodes; build with --module
# places both partitions automatically (2 MiB aligned, above the footprint,
# in node order, vCPUs round-robin) and show draws them; the same build
# twice gives the same image. A file larger than reg's size and an unused
# --module are errors; a malformed --module is a usage error.
# Verifies: LLR-TOOL-070, LLR-TOOL-071, LLR-TOOL-073, LLR-TOOL-074, LLR-TOOL-075, LLR-TOOL-076
# Verifies: LLR-TOOL-080, LLR-TOOL-081
t_xen_tree() {
    local x=$HERE/xen/qemu-dom0less.dts log=$WORK/xen.log m
    m="--module 0x4a000000=$T/guests/good.bin --module 0x4a200000=$T/guests/demo_ticker.bin"
    "$BH" check "$x" -I "$T" $m >"$log" 2>&1 || { cat "$log"; return 1; }
    [ "$(grep -c ': note: ' "$log")" -eq 9 ] && ! grep -v -e ': note: ' -e ': ok: 2 partitions, 2 CPUs' "$log" | grep -q . &&
        grep -qF '/: note: 47 host nodes outside /chosen ignored: Bulkhead'"'"'s platform is built in (qemu-virt); /cpus and /memory checked against it' "$log" &&
        grep -qF '/chosen/domU1: xen,enhanced: note: Xen-only property, no meaning to Bulkhead: ignored (here and 1 more times)' "$log" &&
        grep -qF '/chosen: note: bulkhead,num-cpus not given: 2, the cpu nodes of /cpus' "$log" || return 1
    "$BH" build "$x" -I "$T" $m -o "$WORK/xen.img" --print-placement >"$log" 2>&1 || return 1
    grep -qE '^  domU1 +RAM 0x0040400000..0x00413fffff +16384 KiB \(automatic\), vCPUs on CPU 0 \(automatic\)$' "$log" &&
        grep -qE '^  domU2 +RAM 0x0041400000..0x00493fffff +131072 KiB \(automatic\), vCPUs on CPU 1 \(automatic\)$' "$log" || return 1
    "$BH" build "$x" -I "$T" $m -o "$WORK/xen2.img" >/dev/null 2>&1 && cmp -s "$WORK/xen.img" "$WORK/xen2.img" || return 1
    "$BH" show "$x" -I "$T" $m --out-dir "$WORK" >"$log" 2>/dev/null &&
        grep -q '0x0040400000..0x00413fffff .* domU1 RAM' "$log" || return 1
    fake_image "$WORK/big.bin" 0x200001 0x300000
    "$BH" check "$x" -I "$T" --module 0x4a000000="$WORK/big.bin" --module 0x4a200000=$T/guests/good.bin >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF "/chosen/domU1/module@4a000000: reg: $WORK/big.bin is 0x200001 bytes, more than reg's size 0x200000" "$log" || return 1
    "$BH" check "$x" -I "$T" $m --module 0x4a400000=$T/guests/good.bin >"$log" 2>&1
    [ $? -eq 1 ] && grep -qF -- "--module: 0x4a400000=$T/guests/good.bin: no module has reg at 0x4a400000" "$log" || return 1
    "$BH" check "$x" -I "$T" --module nonsense >"$log" 2>&1
    [ $? -eq 2 ] && grep -q "expected ADDR=FILE" "$log"
}
t_xen_tree
result xen_dom0less_tree $?

# Automatic placement beside hand-placed partitions and shared regions:
# the unplaced ones skip them, lowest 2 MiB aligned address first, in node
# order; pinning is round-robin over the unpinned vCPUs. Verifies: LLR-TOOL-074, LLR-TOOL-075
t_placement() {
    local s=$WORK/place.dts log=$WORK/place.log
    cat >"$s" <<'DTS'
/dts-v1/;
/ {
	chosen {
		bulkhead,num-cpus = <2>;
		a { compatible = "xen,domain"; memory = <0x0 0x1000>; cpus = <2>; vpl011;
		    kernel { compatible = "multiboot,kernel"; bulkhead,path = "guests/good.bin"; }; };
		b { compatible = "xen,domain"; memory = <0x0 0x4000>; cpus = <1>; vpl011;
		    bulkhead,ram-pa = <0x0 0x40800000>; bulkhead,cpus = <1>;
		    kernel { compatible = "multiboot,kernel"; bulkhead,path = "guests/good.bin"; }; };
		c { compatible = "xen,domain"; memory = <0x0 0x1000>; cpus = <1>; vpl011;
		    kernel { compatible = "multiboot,kernel"; bulkhead,path = "guests/good.bin"; }; };
	};
};
DTS
    "$BH" build "$s" -I "$T" -o "$WORK/place.img" --print-placement >"$log" 2>&1 || { cat "$log"; return 1; }
    grep -qE '^  a +RAM 0x0040400000..0x00407fffff +4096 KiB \(automatic\), vCPUs on CPU 0, 1 \(automatic\)$' "$log" &&
        grep -qE '^  b +RAM 0x0040800000..0x00417fffff +16384 KiB \(bulkhead,ram-pa\), vCPUs on CPU 1 \(bulkhead,cpus\)$' "$log" &&
        grep -qE '^  c +RAM 0x0041800000..0x0041bfffff +4096 KiB \(automatic\), vCPUs on CPU 0 \(automatic\)$' "$log"
}
t_placement
result automatic_placement $?

exit $failed
