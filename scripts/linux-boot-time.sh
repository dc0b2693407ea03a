#!/usr/bin/env bash
# Linux boot time to its shell in virtual time (QEMU -icount shift=0: one
# instruction = 1 ns), with and without Bulkhead. The same kernel and
# initramfs boot (a) in the linux system's partition (build/<tc>/images/
# linux.img, 2 vCPUs, beside the heartbeat), and in a one-vCPU variant of it,
# and (b) directly on QEMU virt at EL1 with 2 CPUs (and with 1) and 256 MiB, from QEMU's own device tree with the devices
# the partition lacks removed (PCIe, virtio-mmio, flash, RTC, GPIO, fw-cfg),
# so both kernels probe the same kind of machine: a GICv3, the architected
# timer, PSCI through HVC and a PL011. The figure is the uptime Linux's /init
# prints in its marker line ("linux-init: up, ... uptime S"), which counts
# from the kernel's timekeeping start on both sides. Reports only.
#
#   scripts/linux-boot-time.sh [TOOLCHAIN]
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/qemu.sh"
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

# (a) in a partition: the linux system (2 vCPUs), and the same with one vCPU
# alone on CPU 1 (built here from config/linux.dts, not a committed system).
run_hyp() { # image log
    timeout -k 2 300 "$QEMU" "${QEMU_FLAGS[@]}" "${ICOUNT[@]}" -kernel "$1" </dev/null 2>&1 |
        tr -d '\r' | sed '/linux stopped/q' >"$2"
}
run_hyp "$IMG" "$OUT/linux-hyp.log"
sed -e 's/^\t\t\tcpus = <2>;/\t\t\tcpus = <1>;/' -e 's/bulkhead,cpus = <1 0>;.*/bulkhead,cpus = <1>;/' \
    "$ROOT/config/linux.dts" >"$OUT/linux-1cpu.dts"
"$ROOT/build/host/tools/bulkhead" build "$OUT/linux-1cpu.dts" -I "$ROOT/build/$TC" -I "$ROOT/build" \
    -o "$OUT/linux-1cpu.img" >/dev/null
run_hyp "$OUT/linux-1cpu.img" "$OUT/linux-hyp-1cpu.log"

# (b) directly at EL1, with 2 CPUs and with 1.
run_direct() { # cpus log
    local dtb=$OUT/virt-el1-$1.dtb
    "$QEMU" -M virt,gic-version=3,dumpdtb="$dtb" -cpu cortex-a57 -smp "$1" -m 256M \
        "${QEMU_EVERY[@]}" >/dev/null 2>&1
    for node in $(fdtget -l "$dtb" / | grep -E '^(pcie|virtio_mmio|flash|pl031|pl061|fw-cfg|gpio-keys)'); do
        fdtput -r "$dtb" "/$node"
    done
    fdtput -t s "$dtb" /psci method hvc 2>/dev/null || true
    timeout -k 2 300 "$QEMU" -M virt,gic-version=3 -cpu cortex-a57 -smp "$1" -m 256M \
        "${QEMU_EVERY[@]}" "${ICOUNT[@]}" -dtb "$dtb" -kernel "$LNX/Image" -initrd "$LNX/initramfs.cpio.gz" \
        -append "console=ttyAMA0 earlycon=pl011,0x9000000 bulkhead.run=\"$RUN\"" </dev/null 2>&1 |
        tr -d '\r' | sed '/reboot: Power down/q' >"$2"
}
run_direct 2 "$OUT/linux-direct.log"
run_direct 1 "$OUT/linux-direct-1cpu.log"

echo "Linux boot to /init's marker line, virtual time (QEMU -icount shift=0), kernel $(head -n1 "$LNX/VERSION" | cut -d' ' -f2)"
report() { # label hyp-log direct-log
    local h d
    h=$(uptime_of "$2")
    d=$(uptime_of "$3")
    printf '  %-38s %6s s under Bulkhead, %6s s directly' "$1" "${h:-n/a}" "${d:-n/a}"
    if [ -n "$h" ] && [ -n "$d" ]; then
        awk -v h="$h" -v d="$d" 'BEGIN { printf ", ratio %.2f", h / d }'
    fi
    echo
}
report "2 vCPUs (one shares CPU 0, 10 ms slices)" "$OUT/linux-hyp.log" "$OUT/linux-direct.log"
report "1 vCPU (alone on CPU 1)" "$OUT/linux-hyp-1cpu.log" "$OUT/linux-direct-1cpu.log"
