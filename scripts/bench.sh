#!/usr/bin/env bash
# Benchmarks under QEMU -icount (1 instruction = 1 ns of virtual time): runs
# the bench image, collects its "BENCH <name> <ns>" lines and prints them next
# to Bulkhead's targets and published figures of peers. Reports only; a figure
# never makes it fail (a missing image or run does).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/qemu.sh"
TC=${TOOLCHAIN:-clang}
IMG=${1:-$ROOT/build/$TC/images/bench.img}
LOG_DIR="$ROOT/build/$TC/bench"
LOG="$LOG_DIR/bench.log"

if [ ! -f "$IMG" ]; then
    echo "bench: $IMG not found (run make first)" >&2
    exit 1
fi
mkdir -p "$LOG_DIR"
timeout -k 2 60 "$QEMU" "${QEMU_FLAGS[@]}" -icount shift=0,sleep=off -kernel "$IMG" </dev/null 2>&1 |
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

# ARINC 653 windows: build/<tc>/images/bench_sched.img, one CPU, two
# back-to-back 500 us windows in a 1 ms frame, 1,000 frames measured.
SCHED_IMG="$ROOT/build/$TC/images/bench_sched.img"
SLOG="$LOG_DIR/bench_sched.log"
sw_ns=n/a
jit_ns=n/a
share=n/a
if [ -f "$SCHED_IMG" ]; then
    timeout -k 2 60 "$QEMU" "${QEMU_FLAGS[@]}" -icount shift=0,sleep=off -kernel "$SCHED_IMG" </dev/null 2>&1 |
        tr -d '\r' >"$SLOG"
    grep -E 'BENCH|tests:' "$SLOG"
    sw_ns=$(sed -nE 's/.*BENCH window_switch_ns ([0-9]+).*/\1/p' "$SLOG" | sort -n | tail -n1)
    jit_ns=$(sed -nE 's/.*BENCH window_jitter_ns ([0-9]+).*/\1/p' "$SLOG" | sort -n | tail -n1)
    share=$(sed -nE 's/.*BENCH partition_ns_per_frame ([0-9]+).*/\1/p' "$SLOG" |
        awk '{ s += $1 } END { if (NR == 2) printf "%.2f", (1000000 - s) / 10000 }')
    sw_ns=${sw_ns:-n/a}
    jit_ns=${jit_ns:-n/a}
    share=${share:-n/a}
fi
printf '%-28s %14s %10s %10s %14s\n' "window switch (ns = insns)" "$sw_ns" "<= 1000" "" "~1700 (switch)"
printf '%-28s %14s %10s %10s %14s\n' "window start jitter (ns)" "$jit_ns" "0" "" ""
printf '%-28s %14s %10s %10s %14s\n' "hypervisor share of frame %" "$share" "" "" ""

# Event channels: build/<tc>/images/bench_evt.img, partitions a (CPU 0) and
# b (CPU 1) running at the same time (no schedules node, one vCPU per CPU).
# Under -icount QEMU runs the CPUs round-robin: cross-CPU figures are the
# instructions both CPUs execute on the path, one after the other.
EVT_IMG="$ROOT/build/$TC/images/bench_evt.img"
ELOG="$LOG_DIR/bench_evt.log"
evt() { sed -nE "s/.*BENCH $1 ([0-9.]+).*/\1/p" "$ELOG" 2>/dev/null | head -n1; }
send_ns=n/a oneway_ns=n/a rtt_ns=n/a rate=n/a
if [ -f "$EVT_IMG" ]; then
    timeout -k 2 60 "$QEMU" "${QEMU_FLAGS[@]}" -icount shift=0,sleep=off -kernel "$EVT_IMG" </dev/null 2>&1 |
        tr -d '\r' >"$ELOG"
    grep -E 'BENCH|tests:' "$ELOG"
    send_ns=$(evt evt_send_ns) oneway_ns=$(evt evt_oneway_ns)
    rtt_ns=$(evt evt_roundtrip_ns) rate=$(evt evt_events_per_s)
    send_ns=${send_ns:-n/a} oneway_ns=${oneway_ns:-n/a} rtt_ns=${rtt_ns:-n/a} rate=${rate:-n/a}
fi
printf '%-28s %14s %10s %10s %14s\n' "evtchn send, linked (ns)" "$send_ns" "<= 250" "" "~2440"
printf '%-28s %14s %10s %10s %14s\n' "evtchn one way, 2 CPUs (ns)" "$oneway_ns" "<= 1500" "" "~6000"
printf '%-28s %14s %10s %10s %14s\n' "evtchn round trip, 2 CPUs" "$rtt_ns" "" "" ""
printf '%-28s %14s %10s %10s %14s\n' "evtchn events/s sustained" "$rate" "" "" ""

# Hypervisor memory per partition (one vCPU) from the flight build's symbol
# sizes: its port table and free bitmap (the bytes per port times the limit: 1,024,
# the default, and 131,072), event-channel and FIFO state, partition and
# vCPU entries.
ELF="$ROOT/build/$TC/hyp/bulkhead.elf"
NM=$(command -v llvm-nm-19 || command -v llvm-nm || command -v aarch64-linux-gnu-nm)
if [ -f "$ELF" ] && [ -n "$NM" ]; then
    "$NM" --print-size -t d "$ELF" | awk '
        { size[$4] = $2 + 0 }
        END {
            parts = 8; vcpus = 32
            port = (size["evtchn_pool"] + size["evtchn_free_words"]) / (131072 + 7 * 1024) # 2^17 + 7 x 2^10 ports
            other = (size["evtchn_parts"] + size["evtchn_fifo_parts"] + size["part_table"] + \
                     size["evtchn_policy"] + size["evtchn_free_sum"]) / parts + \
                    (size["vcpu_table"] + size["evtchn_fifo_vcpus"]) / vcpus
            printf "%-28s %14d %10s %10s %14s\n", "bytes/partition, 1024 ports", 1024 * port + other, "", "", ""
            printf "%-28s %14d %10s %10s %14s\n", "bytes/partition, 131072 ports", 131072 * port + other, "", "", ""
        }'
fi

# Linux boot time, with and without the hypervisor (needs the fetched kernel,
# which `make` fetches for the linux systems).
if [ -f "$ROOT/build/$TC/images/linux.img" ]; then
    "$ROOT/scripts/linux-boot-time.sh" "$TC" || echo "bench: Linux boot time not measured" >&2
fi

if [ "$null_ns" = n/a ] || [ "$sw_ns" = n/a ] || [ "$gicd_ns" = n/a ] || [ "$boot_ns" = n/a ] || [ "$oneway_ns" = n/a ]; then
    echo "bench: some figures missing; see $LOG" >&2
    exit 1
fi
exit 0
