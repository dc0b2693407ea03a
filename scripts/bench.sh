#!/usr/bin/env bash
# Benchmarks under QEMU -icount (1 instruction = 1 ns of virtual time): runs
# the bench image, collects its "BENCH <name> <ns>" lines and prints them next
# to Bulkhead's targets and published figures of peers. Reports only; a figure
# never makes it fail (a missing image or run does).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TC=${TOOLCHAIN:-clang}
IMG=${1:-$ROOT/build/$TC/images/bench.img}
LOG_DIR="$ROOT/build/$TC/bench"
LOG="$LOG_DIR/bench.log"

if [ ! -f "$IMG" ]; then
    echo "bench: $IMG not found (run make first)" >&2
    exit 1
fi
mkdir -p "$LOG_DIR"
timeout -k 2 60 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
    -smp 2 -m 1G -nographic -icount shift=0,sleep=off -kernel "$IMG" </dev/null 2>&1 |
    tr -d '\r' >"$LOG"
grep -E 'BENCH|bulkhead' "$LOG"

# Value of BENCH line $1, or "n/a".
figure() {
    local v
    v=$(sed -nE "s/.*BENCH $1 ([0-9.]+).*/\1/p" "$LOG" | head -n1)
    echo "${v:-n/a}"
}

null_ns=$(figure null_hypercall_ns)
gicd_ns=$(figure gicd_read_ns)
boot_ns=$(figure boot_to_first_instruction_ns)
boot_ms=n/a
if [ "$boot_ns" != n/a ]; then
    boot_ms=$(awk -v ns="$boot_ns" 'BEGIN { printf "%.3f", ns / 1000000 }')
fi

echo
echo "Bulkhead benchmarks (QEMU -icount shift=0: virtual time, 1 instruction = 1 ns)"
printf '%-28s %14s %10s %10s %14s\n' "measure" "Bulkhead" "target" "Bao" "Xen 4.17"
printf '%-28s %14s %10s %10s %14s\n' "null hypercall (ns)" "$null_ns" "<= 100" "146" "~420"
printf '%-28s %14s %10s %10s %14s\n' "trapped GICD read (ns)" "$gicd_ns" "<= 150" "224" "635"
printf '%-28s %14s %10s %10s %14s\n' "boot to first guest insn (ms)" "$boot_ms" "<= 0.3" "0.50" "~23"

if [ "$null_ns" = n/a ] || [ "$gicd_ns" = n/a ] || [ "$boot_ns" = n/a ]; then
    echo "bench: some figures missing; see $LOG" >&2
    exit 1
fi
exit 0
