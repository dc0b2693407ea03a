/*
 * Attacks through the hypercall and PSCI interfaces (issue 15, attacks 1,
 * 2, 19 and 23, and the in-partition hypercall fuzzer): hostile pointers,
 * extreme values, CPU_ON racing CPU_OFF. Every call must come back with
 * an error number, never fault the hypervisor or touch another partition.
 */
#include "evtchn.h"
#include "hostile.h"

#define RAM_BASE 0x40000000ull
#define RAM_END 0x41000000ull /* 16 MiB (config/hostile.dts.in) */
#define XENVER_EXTRAVERSION 1u

/* Guest-physical addresses a buffer must never reach (stage 1 is off, so
 * these are also the virtual addresses): no RAM, the vGIC, the vPL011,
 * across RAM's end, the top of the address space. */
static const uint64_t bad_ptr[] = {
    0x0ull,         0x1000ull,         GICD_BASE,          GICR_BASE,            0x22000000ull,
    RAM_END,        RAM_END - 4u,      RAM_END - 1u,       0x3FFFFFF8ull,        0xFFFFFFFFFFFFF000ull,
    UINT64_MAX - 7u, 0x0000FFFFFFFFF000ull, 0x8000000000000000ull,
};
#define NUM_BAD (sizeof(bad_ptr) / sizeof(bad_ptr[0]))

/* Buffer hypercalls with each bad pointer: -EFAULT, and nothing written
 * below RAM's end by a buffer that straddles it (all or nothing). */
HOSTILE_MODE(buf_bad, "buffer hypercalls pointing outside RAM, at devices, across RAM's end")
{
    (void)args;
    volatile uint64_t *last = (volatile uint64_t *)(uintptr_t)(RAM_END - 8u);
    *last = 0x5555555555555555ull;
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < NUM_BAD; i++) {
        uint64_t p = bad_ptr[i];
        int64_t r[4];
        r[0] = hc_console_write(p, 64);
        r[1] = hc_xen_version(XENVER_EXTRAVERSION, p);
        r[2] = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_ALLOC_UNBOUND, p, 0, 0, 0);
        r[3] = hypercall(BH_HC_HM_LOG_READ, p, 8, 0, 0, 0);
        for (uint32_t k = 0; k < 4u; k++) {
            /* hm_log_read is the system partition's: -EPERM comes first. */
            bool ok = r[k] == -XEN_EFAULT || (k == 3u && r[k] == -1);
            if (!ok) {
                gprintf("call %u with 0x%lx returned %ld\n", k, (unsigned long)p, (long)r[k]);
                wrong++;
            }
        }
    }
    hostile_check(wrong == 0u, "every buffer outside RAM refused with -EFAULT");
    hostile_check(*last == 0x5555555555555555ull, "a buffer across RAM's end wrote nothing");
}

/* Every event-channel operation with extreme ports and domain ids. */
HOSTILE_MODE(evtchn_extreme, "every EVTCHNOP with extreme port and domid values")
{
    (void)args;
    static const uint32_t val[] = {0u, 1u, 2u, 3u, 4u, 1023u, 1024u, 4095u, 131071u, 131072u,
                                   0x7FF0u, 0x7FFFu, 0xFFFFu, 0x80000000u, 0xFFFFFFFFu};
    static uint32_t arg[8] __attribute__((aligned(8)));
    uint32_t calls = 0;
    uint32_t ok = 0;
    for (uint32_t op = 0; op < 16u; op++) {
        for (uint32_t a = 0; a < sizeof(val) / sizeof(val[0]); a++) {
            for (uint32_t b = 0; b < sizeof(val) / sizeof(val[0]); b++) {
                for (uint32_t k = 0; k < 8u; k++) {
                    arg[k] = (k % 2u == 0u) ? val[a] : val[b];
                }
                int64_t r = hypercall(HC_EVENT_CHANNEL_OP, op, (uint64_t)(uintptr_t)arg, 0, 0, 0);
                calls++;
                ok += (r <= 0 && r > -200) ? 1u : 0u;
            }
        }
    }
    gprintf("%u calls\n", calls);
    hostile_check(ok == calls, "every extreme EVTCHNOP returned 0 or an error number");
}

static volatile uint32_t vcpu1_runs;

/* vCPU 1's work in psci_hostile: count the run, then turn itself off. */
static void vcpu1_off_at_once(void)
{
    __atomic_fetch_add(&vcpu1_runs, 1u, __ATOMIC_SEQ_CST);
    (void)psci_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* CPU_ON with hostile entry points and affinities (errors), then CPU_ON
 * racing vCPU 1's own CPU_OFF, rounds times. */
HOSTILE_MODE(psci_hostile, "PSCI CPU_ON with hostile entries and affinities, racing CPU_OFF")
{
    static const uint64_t target[] = {0x0u, 0x2u, 0x3u, 0x100u, 0x10000u, 0xFF00FFFFFFull,
                                      UINT64_MAX};
    static const uint64_t entry[] = {0x0u, 0x1000u, 0x40000001u, 0x08000000u, RAM_END, UINT64_MAX};
    uint32_t wrong = 0;
    for (uint32_t t = 0; t < sizeof(target) / sizeof(target[0]); t++) {
        int64_t r = psci_call(PSCI_CPU_ON, target[t], (uint64_t)(uintptr_t)hostile_vcpu1_entry, 0);
        wrong += (r >= 0) ? 1u : 0u; /* no such vCPU (vCPU 0 is on) */
    }
    for (uint32_t e = 0; e < sizeof(entry) / sizeof(entry[0]); e++) {
        int64_t r = psci_call(PSCI_CPU_ON, 1u, entry[e], 0);
        wrong += (r >= 0) ? 1u : 0u; /* an entry outside RAM or misaligned */
    }
    hostile_check(wrong == 0u, "CPU_ON refused for every hostile target and entry");
    uint64_t rounds = bh_arg(args, "rounds", 0, 200);
    uint32_t started = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        if (hostile_start_vcpu1(vcpu1_off_at_once)) {
            started++;
        }
    }
    uint64_t until = timer_now() + timer_freq() / 100u; /* let the last one run */
    while (timer_now() < until && vcpu1_runs < started) {
    }
    gprintf("CPU_ON accepted %u of %lu times, vCPU 1 ran %u times\n", started,
            (unsigned long)rounds, vcpu1_runs);
    hostile_check(started > 0u && vcpu1_runs == started,
                  "every accepted CPU_ON ran vCPU 1 once, racing its CPU_OFF");
}

/* Every register offset of the vGIC distributor and of this vCPU's
 * redistributor at widths 1, 2, 4 and 8, read and written (aligned: with
 * its MMU off the partition's own alignment check would fault first). */
static void sweep_frame(uint64_t base, uint64_t size, uint64_t step)
{
    for (uint64_t off = 0; off < size; off += step) {
        uint64_t a = base + off;
        (void)mmio_read8(a);
        mmio_write8(a, 0xFFu);
        if ((off & 1u) == 0u) {
            (void)*(volatile uint16_t *)(uintptr_t)a;
            *(volatile uint16_t *)(uintptr_t)a = 0xFFFFu;
        }
        if ((off & 3u) == 0u) {
            (void)mmio_read32(a);
            mmio_write32(a, 0xFFFFFFFFu);
        }
        if ((off & 7u) == 0u) {
            (void)mmio_read64(a);
            mmio_write64(a, UINT64_MAX);
        }
    }
}

HOSTILE_MODE(vgic_sweep, "every vGIC offset at widths 1, 2, 4 and 8, read and written")
{
    uint64_t step = bh_arg(args, "step", 0, 4);
    sweep_frame(GICD_BASE, 0x10000u, step);               /* GICD */
    sweep_frame(GICR_BASE, GICR_STRIDE, step);            /* GICR of vCPU 0 */
    sweep_frame(GICR_BASE + GICR_STRIDE, GICR_STRIDE, step); /* GICR of vCPU 1 */
    hostile_check(true, "every vGIC offset answered");
}

/* The in-partition hypercall fuzzer: seeded, reproducible (the seed is
 * printed), random numbers, sub-operations, values and pointers. Calls
 * that would end or block the attacker itself are left out: its own end
 * proves nothing about the others. */
static uint64_t fuzz_state;

static uint64_t fuzz_next(void)
{
    return hostile_rand(&fuzz_state);
}

static uint8_t fuzz_buf[8192] __attribute__((aligned(4096)));

static uint64_t fuzz_value(void)
{
    uint64_t r = fuzz_next();
    switch (r % 8u) {
    case 0:
        return (uint64_t)(uintptr_t)fuzz_buf + (fuzz_next() % sizeof(fuzz_buf));
    case 1:
        return bad_ptr[fuzz_next() % NUM_BAD];
    case 2:
        return fuzz_next() % 64u;
    case 3:
        return RAM_END - (fuzz_next() % 64u);
    case 4:
        return 0x7FF0u; /* DOMID_SELF */
    default:
        return fuzz_next();
    }
}

HOSTILE_MODE(hcall_fuzz, "hypercall fuzzer: random numbers, sub-operations, values, pointers")
{
    static const uint64_t numbers[] = {17u, 18u, 29u, 32u, 0x100u, 0x101u, 0x102u, 0x104u, 0x105u,
                                       0x106u};
    fuzz_state = bh_arg(args, "seed", 0, 0x9E3779B97F4A7C15ull) | 1u;
    /* long=1 (make hostile): 50 times as many, 10^6 with calls=20000. */
    uint64_t n = bh_arg(args, "calls", 0, 20000) * (bh_arg(args, "long", 0, 0) != 0u ? 50u : 1u);
    gprintf("seed 0x%lx, %lu calls\n", (unsigned long)fuzz_state, (unsigned long)n);
    uint64_t errors = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = fuzz_next();
        uint64_t nr = (r % 4u == 0u) ? (fuzz_next() % 0x200u) : numbers[r % 10u];
        uint64_t a0 = (fuzz_next() % 2u == 0u) ? fuzz_next() % 16u : fuzz_value();
        uint64_t a1 = fuzz_value();
        uint64_t a2 = fuzz_value();
        if (nr == 29u && (a0 == 1u || a0 == 2u)) {
            continue; /* SCHEDOP_block, SCHEDOP_shutdown: the attacker's own end */
        }
        if (nr == 18u) {
            a1 %= 256u; /* CONSOLEIO_write: a count the call can finish */
        }
        if (nr == 0x103u) {
            continue; /* MODE_SET: the attacker stopping itself */
        }
        errors += (hypercall(nr, a0, a1, a2, fuzz_value(), fuzz_value()) < 0) ? 1u : 0u;
    }
    gprintf("%lu calls, %lu refused\n", (unsigned long)n, (unsigned long)errors);
    hostile_check(true, "the fuzzer's calls all returned");
}
