/*
 * Attacks on the console and the health monitor (issue 15): output and
 * errors in a loop, each of which once cost EL2 time in whatever window
 * came next. Each loops for ever, so that the probe's whole run is under
 * attack; the health-monitor modes say "ok" once, after their first
 * thousand rounds, from output of their own that the attack does not use.
 */
#include "hostile.h"

#define VPL011_DR 0x22000000ull /* the emulated PL011's data register */
#define OK_AFTER 1000u

/* One CONSOLEIO_write of 1 KiB after another: 1-character lines (the most
 * line work per byte), then 120-character lines (the most bytes). */
HOSTILE_MODE(console_flood, "CONSOLEIO_write of 1 KiB, for ever")
{
    static char shortl[1024];
    static char longl[1024];
    (void)args;
    for (uint32_t i = 0; i < sizeof(shortl); i += 2u) {
        shortl[i] = 's';
        shortl[i + 1u] = '\n';
    }
    for (uint32_t i = 0; i < sizeof(longl); i++) {
        longl[i] = ((i % 121u) == 120u) ? '\n' : (char)('a' + (char)(i % 26u));
    }
    for (uint32_t n = 0;; n++) {
        const char *buf = ((n & 1u) == 0u) ? shortl : longl;
        (void)hc_console_write((uint64_t)(uintptr_t)buf, 1024u);
    }
}

/* Byte by byte to the emulated PL011's data register: every byte a trap. */
HOSTILE_MODE(uart_flood, "vPL011 UARTDR writes, a byte at a time, for ever")
{
    static const char text[] = "uart flood: the quick brown fox jumps over the lazy dog, "
                               "again and again and again, until the end of time\n";
    (void)args;
    for (;;) {
        for (uint32_t i = 0; i + 1u < sizeof(text); i++) {
            mmio_write32(VPL011_DR, (uint32_t)(unsigned char)text[i]);
        }
    }
}

/* A read of guest-physical memory nobody maps: a stage-2 abort, ignored
 * and skipped by the health monitor, two hypervisor lines each once. */
HOSTILE_MODE(fault_loop, "stage-2 faults under IGNORE, for ever")
{
    uint64_t addr = bh_arg(args, "addr", 0, 0x10000000u);
    for (uint32_t n = 1;; n++) {
        (void)mmio_read32(addr);
        if (n == OK_AFTER) {
            hostile_check(true, "1000 stage-2 faults ignored, the attacker still runs");
        }
    }
}

/* Hypercall numbers nobody offers: -ENOSYS and, with bulkhead,hcall-hm,
 * the health-monitor error "illegal hypercall", ignored. */
HOSTILE_MODE(unknown_hcall, "unknown hypercall numbers, for ever")
{
    (void)args;
    for (uint32_t n = 1;; n++) {
        int64_t rc = hypercall(0x200u + (n % 64u), n, 0, 0, 0, 0);
        if (n == OK_AFTER) {
            hostile_check(rc == -XEN_ENOSYS, "1000 unknown hypercalls answered -ENOSYS");
        }
    }
}

/* Bulkhead's HM_REPORT with a new code each time, so that no record of the
 * log folds into another: the partition's own ring is all it can fill. */
HOSTILE_MODE(hm_report_flood, "HM_REPORT with a new code each time, for ever")
{
    (void)args;
    for (uint32_t n = 1;; n++) {
        int64_t rc = bh_hm_report(n);
        if (n == OK_AFTER) {
            hostile_check(rc == 0, "1000 reported errors ignored");
        }
    }
}
