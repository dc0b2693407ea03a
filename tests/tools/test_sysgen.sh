#!/usr/bin/env bash
# Tests of a system generator (the demo system's, built with the real driver)
# against a fake hypervisor and fake guest images made here, so they need
# neither the target toolchain nor QEMU.
#   tests/tools/test_sysgen.sh GEN WORKDIR
# Prints "PASS tools/<name>" or "FAIL tools/<name>" per test; exits 1 if any failed.
set -uo pipefail

GEN=${1:?usage: $0 GEN WORKDIR}
WORK=${2:?usage: $0 GEN WORKDIR}
rm -rf "$WORK"
mkdir -p "$WORK/guests"
failed=0

result() { # name status
    if [ "$2" -eq 0 ]; then echo "PASS tools/$1"; else echo "FAIL tools/$1"; failed=1; fi
}

# fake_image PATH FILE_SIZE HEADER_IMAGE_SIZE [MAGIC]
fake_image() {
    python3 - "$@" <<'EOF'
import struct, sys
path, size, mem = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
magic = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x644d5241
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, 0, mem, 0, 0, 0, 0, magic, 0)
open(path, 'wb').write(hdr + bytes(size - len(hdr)))
EOF
}

# blob_u32 BLOB OFFSET: the little-endian u32 at OFFSET of the blob
blob_u32() {
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(); \
print(struct.unpack_from("<I", d, int(sys.argv[2]))[0])' "$1" "$2"
}

HYP=$WORK/hyp.bin
fake_image "$HYP" 0x3000 0x18000
for p in demo_ticker demo_worker demo_sharer; do
    fake_image "$WORK/guests/$p.bin" 0x200 0x4000
done
run_gen() { "$GEN" --hyp "$HYP" --guests "$WORK/guests" "$@"; }

# A valid system packs, validates and the output declares its full size.
# Verifies: LLR-TOOL-006, LLR-TOOL-007, LLR-TOOL-010
t_valid() {
    run_gen -o "$WORK/ok.img" --blob "$WORK/ok.blob" >"$WORK/ok.log" 2>&1 || return 1
    local size; size=$(stat -c %s "$WORK/ok.img")
    python3 - "$WORK/ok.img" "$size" "$WORK/ok.blob" <<'EOF' || return 1
import struct, sys
img = open(sys.argv[1], 'rb').read(); blob = open(sys.argv[3], 'rb').read()
assert struct.unpack_from('<I', img, 56)[0] == 0x644d5241
assert struct.unpack_from('<Q', img, 16)[0] == int(sys.argv[2]) == len(img)
assert img[0x20000:] == blob                      # align_up(0x18000, 64 KiB)
magic, version, total = struct.unpack_from('<III', blob, 0)
assert magic == 0x44484b42 and version == 1 and total == len(blob)
EOF
    grep -q "demo: 3 partitions" "$WORK/ok.log"
}
t_valid
result valid_system $?

# Each corruption kind is written but rejected by the host check, naming its field.
# Verifies: LLR-TOOL-007, LLR-TOOL-008, LLR-TOOL-010
declare -A FIELD=(
    [checksum]=header.checksum [magic]=header.magic [version]=header.version
    [overlap]='parts\[1\].ram_pa' [hyp-overlap]='parts\[0\].ram_pa'
    [cpu]='parts\[0\].vcpu_cpu\[0\]' [image-bounds]='parts\[0\].image_offset'
    [truncated]=header.total_size
)
for kind in checksum magic version overlap hyp-overlap cpu image-bounds truncated; do
    out=$WORK/bad-$kind.img
    run_gen -o "$out" --corrupt "$kind" >"$WORK/bad-$kind.log" 2>&1 && [ -s "$out" ] &&
        grep -q "^demo: error: ${FIELD[$kind]}: " "$WORK/bad-$kind.log"
    result "corrupt_$kind" $?
done

# Unknown corruption kinds are refused and nothing is written.
# Verifies: LLR-TOOL-008, LLR-TOOL-010
t_unknown_kind() {
    ! run_gen -o "$WORK/x.img" --corrupt nonsense 2>"$WORK/x.log" &&
        grep -q "unknown corruption kind" "$WORK/x.log" && [ ! -e "$WORK/x.img" ]
}
t_unknown_kind
result corrupt_unknown_kind $?

# A guest image without the arm64 magic is rejected, naming the partition, and a
# stale output is removed. Verifies: LLR-TOOL-001, LLR-TOOL-010
t_guest_magic() {
    mkdir -p "$WORK/badguests"
    cp "$WORK"/guests/*.bin "$WORK/badguests/"
    fake_image "$WORK/badguests/demo_worker.bin" 0x200 0x4000 0x12345678
    cp "$WORK/ok.img" "$WORK/stale.img"
    ! "$GEN" --hyp "$HYP" --guests "$WORK/badguests" -o "$WORK/stale.img" 2>"$WORK/gm.log" &&
        grep -q "^demo: error: parts\[1\] (bravo, .*): not an arm64 Image" "$WORK/gm.log" &&
        [ ! -e "$WORK/stale.img" ]
}
t_guest_magic
result guest_without_magic $?

# A hypervisor binary without the arm64 magic is rejected. Verifies: LLR-TOOL-001, LLR-TOOL-006
t_hyp_magic() {
    fake_image "$WORK/badhyp.bin" 0x3000 0x18000 0
    ! "$GEN" --hyp "$WORK/badhyp.bin" --guests "$WORK/guests" -o "$WORK/y.img" 2>"$WORK/hm.log" &&
        grep -q "badhyp.bin: not an arm64 Image" "$WORK/hm.log"
}
t_hyp_magic
result hyp_without_magic $?

# Missing guest program and bad usage. Verifies: LLR-TOOL-010, LLR-TOOL-011
t_usage() {
    ! "$GEN" --hyp "$HYP" --guests "$WORK/nowhere" -o "$WORK/z.img" 2>/dev/null || return 1
    "$GEN" --hyp "$HYP" -o "$WORK/z.img" 2>/dev/null; [ $? -eq 2 ] || return 1
    "$GEN" --hyp "$HYP" --guests "$WORK/guests" -o "$WORK/z.img" --bogus 1 2>/dev/null
    [ $? -eq 2 ]
}
t_usage
result usage_errors $?

# Every partition's DTB decodes with dtc and has the Xen and memory nodes.
# Verifies: LLR-TOOL-004, LLR-TOOL-005
t_dtb() {
    local blob=$WORK/ok.blob
    for i in 0 1 2; do
        local base=$((32 + 136 * i)) # sizeof(struct bh_cfg_part)
        local off size
        off=$(blob_u32 "$blob" $((base + 76))) && size=$(blob_u32 "$blob" $((base + 80))) ||
            return 1
        dd if="$blob" of="$WORK/p$i.dtb" bs=1 skip="$off" count="$size" status=none
        dtc -q -I dtb -O dts -o "$WORK/p$i.dts" "$WORK/p$i.dtb" || return 1
        grep -q 'hypervisor {' "$WORK/p$i.dts" &&
            grep -Eq 'compatible = "xen,xen-4.17(", "|\\0)xen,xen";' "$WORK/p$i.dts" &&
            grep -q 'memory@40000000 {' "$WORK/p$i.dts" &&
            grep -q 'reg = <0x00 0x40000000 0x00 0x1000000>;' "$WORK/p$i.dts" || return 1
    done
    grep -q 'model = "Bulkhead partition charlie";' "$WORK/p2.dts"
}
t_dtb
result dtb_decodes $?

exit $failed
