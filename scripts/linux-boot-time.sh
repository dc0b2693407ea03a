#!/usr/bin/env bash
# Linux boot time to its shell in virtual time (QEMU -icount shift=0: one
# instruction = 1 ns), with and without Bulkhead. The same kernel and
# initramfs boot (a) in the linux system's partition (build/<tc>/images/
# linux.img, 2 vCPUs, beside the heartbeat) and (b) directly on QEMU virt at
# EL1 with 2 CPUs and 256 MiB, from QEMU's own device tree with the devices
# the partition lacks removed (PCIe, virtio-mmio, flash, RTC, GPIO, fw-cfg),
# so both kernels probe the same kind of machine: a GICv3, the architected
# timer, PSCI through HVC and a PL011. The figure is the uptime Linux's /init
# prints in its marker line ("linux-init: up, ... uptime S"), which counts
# from the kernel's timekeeping start on both sides. Reports only.
#
#   scripts/linux-boot-time.sh [TOOLCHAIN]
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TC=${1:-${TOOLCHAIN:-clang}}
IMG=$ROOT/build/$TC/images/linux.img
LNX=$ROOT/build/linux
OUT=$ROOT/build/$TC/bench
mkdir -p "$OUT"
ICOUNT=(-icount shift=0,sleep=off)
RUN='echo linux-test: $((6*7)) on $(uname -m); poweroff -f'

for f in "$IMG" "$LNX/Image" "$LNX/initramfs.cpio.gz"; do
    [ -f "$f" ] || { echo "linux-boot-time: $f missing (run make first)" >&2; exit 1; }
done

uptime_of() {
    sed -nE 's/.*linux-init: up, kernel [^ ]+, uptime ([0-9.]+).*/\1/p' "$1" | head -n1
}

timeout -k 2 300 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
    -smp 2 -m 1G -nographic "${ICOUNT[@]}" -kernel "$IMG" </dev/null 2>&1 |
    tr -d '\r' | sed '/linux stopped/q' >"$OUT/linux-hyp.log"

dtb=$OUT/virt-el1.dtb
qemu-system-aarch64 -M virt,gic-version=3,dumpdtb="$dtb.full" -cpu cortex-a57 -smp 2 -m 256M \
    -nographic >/dev/null 2>&1
cp "$dtb.full" "$dtb"
for node in $(fdtget -l "$dtb" / | grep -E '^(pcie|virtio_mmio|flash|pl031|pl061|fw-cfg|gpio-keys)'); do
    fdtput -r "$dtb" "/$node"
done
fdtput -t s "$dtb" /psci method hvc 2>/dev/null || true
timeout -k 2 300 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 2 -m 256M \
    -nographic "${ICOUNT[@]}" -dtb "$dtb" -kernel "$LNX/Image" -initrd "$LNX/initramfs.cpio.gz" \
    -append "console=ttyAMA0 earlycon=pl011,0x9000000 bulkhead.run=\"$RUN\"" </dev/null 2>&1 |
    tr -d '\r' | sed '/reboot: Power down/q' >"$OUT/linux-direct.log"

hyp=$(uptime_of "$OUT/linux-hyp.log")
direct=$(uptime_of "$OUT/linux-direct.log")
echo "Linux boot to /init's marker line, virtual time (QEMU -icount shift=0), kernel $(head -n1 "$LNX/VERSION" | cut -d' ' -f2)"
echo "  in a Bulkhead partition: ${hyp:-n/a} s   (log: $OUT/linux-hyp.log)"
echo "  directly on QEMU virt:   ${direct:-n/a} s   (log: $OUT/linux-direct.log)"
if [ -n "$hyp" ] && [ -n "$direct" ]; then
    awk -v h="$hyp" -v d="$direct" 'BEGIN { printf "  ratio (Bulkhead / direct): %.2f\n", h / d }'
fi
