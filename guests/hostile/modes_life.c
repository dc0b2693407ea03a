/*
 * Attacks through the partition's own life cycle and its privileges
 * (issue 15, attacks 4, 5, 20, 24, 25, 26, 28): restart loops through
 * every path, the IDLE escape with two vCPUs, simultaneous faults,
 * continued hypercalls racing a restart, schedule switches in a tight
 * loop, connections the policy forbids, and MMIO accesses the vGIC
 * cannot decode. Each restart mode restarts on every boot: the mode line
 * runs again after each, and the probe and witness must not notice.
 */
#include "evtchn.h"
#include "hostile.h"

#define UNMAPPED 0x7F000000ull /* no RAM, no device: a stage-2 violation */

/* SCHEDOP_shutdown(reboot) at once, every boot. */
HOSTILE_MODE(restart_shutdown, "SCHEDOP_shutdown(reboot) on every boot")
{
    (void)args;
    static const uint32_t reason = SHUTDOWN_REBOOT;
    (void)hc_sched_op(SCHEDOP_SHUTDOWN, (uint64_t)(uintptr_t)&reason);
    gputs("not ok - reboot refused\n");
}

/* PSCI SYSTEM_RESET at once, every boot: restarts this partition only. */
HOSTILE_MODE(restart_psci, "PSCI SYSTEM_RESET on every boot")
{
    (void)args;
    (void)psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    gputs("not ok - SYSTEM_RESET refused\n");
}

/* MODE_SET(self, WARM_START), then COLD_START, alternating: the word is
 * in .data (not zero, so not .bss, which the start code clears), survives
 * the warm restart, and the cold one reloads it as 1. */
static volatile uint32_t next_start = 1u; /* 1: warm next, 2: cold next */
HOSTILE_MODE(restart_mode, "MODE_SET(self) warm and cold starts on every boot")
{
    (void)args;
    uint32_t mode = (next_start == 2u) ? BH_MODE_COLD_START : BH_MODE_WARM_START;
    next_start = 2u;
    (void)bh_mode_set(BH_SELF, BH_MODE_NORMAL);
    (void)bh_mode_set(BH_SELF, mode);
    gputs("not ok - MODE_SET restart refused\n");
}

/* vCPU 1 keeps its timer firing and counts; vCPU 0 then faults with the
 * IDLE action: neither may run again (attack 5). */
static volatile uint64_t vcpu1_beats;
static void beat_forever(void)
{
    for (;;) {
        vcpu1_beats++;
        delay_ticks(timer_freq() / 10000u);
    }
}
HOSTILE_MODE(idle_escape, "fault with the IDLE action while vCPU 1 keeps running")
{
    (void)args;
    if (!hostile_check(hostile_start_vcpu1(beat_forever), "vCPU 1 started")) {
        return;
    }
    uint64_t until = timer_now() + timer_freq() / 1000u;
    while (timer_now() < until) {
    }
    (void)mmio_read32(UNMAPPED); /* stage-2 violation -> IDLE */
    gputs("not ok - ran on after the IDLE action\n");
}

/* Both vCPUs fault at the same time (a shared flag), the action a warm
 * restart (attack 26). */
static volatile uint32_t go;
static void fault_on_go(void)
{
    while (go == 0u) {
    }
    (void)mmio_read32(UNMAPPED);
}
HOSTILE_MODE(double_fault, "both vCPUs fault at once, the action a warm restart")
{
    (void)args;
    go = 0u;
    if (hostile_start_vcpu1(fault_on_go)) {
        delay_ticks(timer_freq() / 20000u);
        go = 1u;
        (void)mmio_read32(UNMAPPED);
    }
    gputs("not ok - ran on after the restart action\n");
}

/* vCPU 1 writes 64 KiB through CONSOLEIO_write (continued every 1,024
 * bytes) while vCPU 0 restarts the partition warm (attack 28). */
static char big[65536];
static void write_forever(void)
{
    for (;;) {
        (void)hc_console_write((uint64_t)(uintptr_t)big, sizeof(big));
    }
}
HOSTILE_MODE(cont_restart, "a continued CONSOLEIO_write racing a warm restart")
{
    (void)args;
    for (uint32_t i = 0; i < sizeof(big); i++) {
        big[i] = (i % 64u == 63u) ? '\n' : '.';
    }
    if (hostile_start_vcpu1(write_forever)) {
        delay_ticks(timer_freq() / 2000u);
    }
    (void)bh_mode_set(BH_SELF, BH_MODE_NORMAL);
    (void)bh_mode_set(BH_SELF, BH_MODE_WARM_START);
    gputs("not ok - warm restart refused\n");
}

/* As the system partition: schedule switches in a tight loop, to the
 * running schedule and to ones that do not exist (attack 25). */
HOSTILE_MODE(sched_flip, "the system partition switching schedules in a tight loop")
{
    uint64_t n = bh_arg(args, "switches", 0, 20000);
    uint64_t refused = 0;
    for (uint64_t i = 0; i < n; i++) {
        refused += (bh_sched_switch((uint32_t)(i % 3u == 2u ? 7u + i : 0u)) < 0) ? 1u : 0u;
    }
    hostile_check(refused == n / 3u, "switches to an unknown schedule refused, the others taken");
}

/* Connections the policy does not allow: to the probe (domain 2) and the
 * witness (domain 3), unbound ports for them, binds to their ports, and
 * to domains that do not exist (attack 24). */
HOSTILE_MODE(evtchn_noperm, "event channels to partitions the policy does not connect")
{
    (void)args;
    uint32_t wrong = 0;
    uint32_t port = 0;
    for (uint16_t dom = 2; dom <= 6u; dom++) {
        wrong += (evtchn_alloc_unbound(DOMID_SELF, dom, &port) == 0) ? 1u : 0u;
        for (uint32_t rport = 0; rport < 64u; rport++) {
            wrong += (evtchn_bind_interdomain(dom, rport, &port) == 0) ? 1u : 0u;
        }
    }
    hostile_check(wrong == 0u, "no connection to a partition the policy does not allow");
}

/* MMIO the vGIC cannot decode: load/store pair, writeback, exclusives,
 * DC ZVA (attack 20); each a stage-2 violation for the health monitor. */
HOSTILE_MODE(mmio_odd, "LDP/STP, writeback, exclusives and DC ZVA on the vGIC")
{
    uint64_t rounds = bh_arg(args, "rounds", 0, 100);
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t a = GICD_BASE + 0x100u;
        uint64_t x, y;
        __asm__ volatile("ldp %0, %1, [%2]" : "=r"(x), "=r"(y) : "r"(a) : "memory");
        __asm__ volatile("stp %0, %1, [%2]" ::"r"(x), "r"(y), "r"(a) : "memory");
        uint64_t b = a;
        __asm__ volatile("ldr %w0, [%1, #4]!" : "=r"(x), "+r"(b) : : "memory");
        uint32_t st;
        __asm__ volatile("ldxr %w0, [%2]\n\tstxr %w1, %w0, [%2]"
                         : "=&r"(x), "=&r"(st)
                         : "r"(a)
                         : "memory");
        __asm__ volatile("dc zva, %0" ::"r"(GICD_BASE + 0x1000u) : "memory");
    }
    hostile_check(true, "every undecodable vGIC access came back");
}
