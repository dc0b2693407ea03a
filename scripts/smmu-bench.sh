#!/usr/bin/env bash
# What the SMMU costs:
#   1. boot to the first guest instruction, in virtual time (QEMU -icount
#      shift=0: one instruction = 1 ns): bench.img (no StreamID, SMMU
#      untouched) against bench-smmu.img (one PCIe partition, the SMMU
#      programmed), both on a QEMU with the SMMU and the disk;
#   2. Linux reading 64 MiB with dd (O_DIRECT, eight times, so that the
#      10 ms clock of /proc/uptime resolves it) from a virtio-blk disk: through the SMMU
#      (linux-pci's partition, PCIe) against the 1:1 virtio-mmio disk
#      (linux-disk's partition, waived), same kernel, same ext4 image of
#      72 MiB made here. In real time, without -icount: under -icount the
#      disk's asynchronous completions arrive in host time while an idle
#      guest's virtual clock jumps ahead, so the virtual figure measures
#      the host's load, not the path (runs gave 1.4 s and 44 s).
# Reports only. Needs make (images) and the fetched Linux (build/linux).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/qemu.sh"
TC=${TOOLCHAIN:-clang}
B="$ROOT/build/$TC"
OUT="$B/smmu-bench"
mkdir -p "$OUT"
ICOUNT=(-icount shift=0,sleep=off)
SMMU=(-M highmem=off,iommu=smmuv3)
NULLDISK=(-drive if=none,id=d0,driver=null-co,read-zeroes=on,size=1M
    -device virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on,addr=1)

boot_ns() {
    timeout -k 2 60 "$QEMU" "${QEMU_FLAGS[@]}" "${ICOUNT[@]}" "${SMMU[@]}" "${NULLDISK[@]}" \
        -kernel "$1" </dev/null 2>&1 | tr -d '\r' >"$OUT/$(basename "$1" .img).log"
    sed -nE 's/.*BENCH boot_to_first_instruction_ns ([0-9.]+).*/\1/p' \
        "$OUT/$(basename "$1" .img).log" | head -n1
}
plain=$(boot_ns "$B/images/bench.img")
smmu=$(boot_ns "$B/images/bench-smmu.img")
printf 'boot to first guest instruction: %s ns without StreamIDs, %s ns with the SMMU programmed\n' \
    "${plain:-n/a}" "${smmu:-n/a}"

# 3. The event path: attack-dma under -icount; the attacker's interrupt
#    account around each request (a good one first, then four that fault).
timeout -k 2 60 "$QEMU" "${QEMU_FLAGS[@]}" "${ICOUNT[@]}" "${SMMU[@]}" "${NULLDISK[@]}" \
    -kernel "$B/images/attack-dma.img" </dev/null 2>&1 | tr -d '\r' >"$OUT/attack-dma.log"
grep -E 'interrupts while it ran|DMA fault, StreamID' "$OUT/attack-dma.log"

# A 72 MiB ext4 image with the file the initramfs expects.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "smmu-bench disk" >"$dir/hello.txt"
MKE2FS=$(command -v mke2fs || echo /sbin/mke2fs)
"$MKE2FS" -q -F -t ext4 -d "$dir" "$OUT/big.img" 72M
RUN='bulkhead.run=\\"cat /proc/uptime;for i in 1 2 3 4 5 6 7 8;do dd if=/dev/vda of=/dev/null bs=1M count=64 iflag=direct;done;cat /proc/uptime;poweroff -f\\"'
dd_run() { # system, extra QEMU arguments...
    local sys=$1
    shift
    sed -E "s|bootargs = \"console=ttyAMA0 earlycon=pl011,0x22000000 bulkhead.disk .*\";|bootargs = \"console=ttyAMA0 bulkhead.disk $RUN\";|" \
        "$ROOT/config/$sys.dts" >"$OUT/$sys-dd.dts"
    "$ROOT/build/host/tools/bulkhead" build "$OUT/$sys-dd.dts" -I "$B" -I "$ROOT/build" \
        -o "$OUT/$sys-dd.img" >/dev/null || return 1
    timeout -k 2 600 "$QEMU" "${QEMU_FLAGS[@]}" "$@" -kernel "$OUT/$sys-dd.img" \
        </dev/null 2>&1 | tr -d '\r' >"$OUT/$sys-dd.log"
    grep -E 'copied|^\[linux\] [0-9.]+ [0-9.]+$' "$OUT/$sys-dd.log"
}
dd_run linux-disk -drive if=none,file="$OUT/big.img",format=raw,id=d0,snapshot=on \
    -device virtio-blk-device,drive=d0
dd_run linux-pci "${SMMU[@]}" -drive if=none,file="$OUT/big.img",format=raw,id=d0,snapshot=on \
    -device virtio-blk-pci,drive=d0,disable-legacy=on,iommu_platform=on,addr=1
