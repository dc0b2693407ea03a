/*
 * Attacks through memory management and the shared-info interface (issue
 * 15, attack 21 and others): the partition's stage-1 tables placed in the
 * vGIC window, shared-info and vcpu_info frames at hostile places, TLB and
 * cache maintenance storms, and the vPL011 register file.
 */
#include "hostile.h"

#define RAM_END 0x41000000ull
#define VUART_BASE 0x22000000ull

/* Stage 1 on with its table base in the vGIC distributor: every fetch's
 * walk reads an emulated device, which HCR_EL2.PTW makes a stage-2 fault
 * for the health monitor (here a warm restart, and again on every boot). */
HOSTILE_MODE(s1_in_vgic, "stage-1 tables in the vGIC window, MMU on")
{
    (void)args;
    uint64_t tcr = 16u | (1ull << 23); /* T0SZ = 16 (48-bit), EPD1: no TTBR1 walks */
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "isb\n\t"
                     "mrs x9, sctlr_el1\n\t"
                     "orr x9, x9, #1\n\t"
                     "msr sctlr_el1, x9\n\t"
                     "isb\n\t"
                     "nop"
                     :
                     : "r"(0xFFull), "r"(tcr), "r"(GICD_BASE)
                     : "x9", "memory");
    gputs("not ok - ran with its tables in the vGIC\n");
}

struct reg_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
struct add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

/* vcpu_info and shared info at hostile frames and offsets, for vCPUs that
 * do not exist, twice; each must be refused or land in this partition's
 * RAM (checked by the hypervisor), never elsewhere. */
HOSTILE_MODE(shinfo_hostile, "vcpu_info and shared info at hostile frames and offsets")
{
    (void)args;
    static const uint64_t frame[] = {0u, GICD_BASE >> 12, VUART_BASE >> 12, (RAM_END >> 12) - 1u,
                                     RAM_END >> 12, UINT64_MAX >> 12, UINT64_MAX};
    static const uint32_t offset[] = {0u, 8u, 4032u, 4090u, 4095u, 4096u, 0xFFFFFFFFu};
    static struct reg_vcpu_info r;
    static struct add_to_physmap m;
    uint32_t calls = 0;
    for (uint32_t f = 0; f < sizeof(frame) / sizeof(frame[0]); f++) {
        for (uint32_t o = 0; o < sizeof(offset) / sizeof(offset[0]); o++) {
            for (uint32_t vcpu = 0; vcpu < 4u; vcpu++) {
                r.mfn = frame[f];
                r.offset = offset[o];
                (void)hypercall(24u, 10u, vcpu * 33u, (uint64_t)(uintptr_t)&r, 0, 0);
                calls++;
            }
        }
        m.domid = 0x7FF0u;
        m.space = (f == 0u) ? 0u : (uint32_t)frame[f];
        m.idx = frame[f];
        m.gpfn = frame[f];
        (void)hypercall(12u, 7u, (uint64_t)(uintptr_t)&m, 0, 0, 0);
        calls++;
    }
    gprintf("%u calls\n", calls);
    hostile_check(true, "every hostile vcpu_info and shared-info call came back");
}

/* TLB invalidation by VMID, broadcast, in a loop (the partition's own
 * VMID only; on hardware the broadcasts also load the interconnect). */
HOSTILE_MODE(tlbi_storm, "TLBI VMALLE1IS and DSB in a loop")
{
    uint64_t n = bh_arg(args, "rounds", 0, 100000);
    for (uint64_t i = 0; i < n; i++) {
        __asm__ volatile("tlbi vmalle1is\n\tdsb ish\n\tic ialluis\n\tisb" ::: "memory");
    }
    hostile_check(true, "the TLB storm ran");
}

/* Clean and invalidate its whole RAM by VA, repeatedly (the caches are
 * shared on hardware: see docs/isolation.md). */
HOSTILE_MODE(cache_maint, "DC CIVAC over its whole RAM, repeatedly")
{
    uint64_t n = bh_arg(args, "rounds", 0, 4);
    for (uint64_t i = 0; i < n; i++) {
        for (uint64_t a = 0x40000000u; a < RAM_END; a += 64u) {
            __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
        }
        __asm__ volatile("dsb sy" ::: "memory");
    }
    hostile_check(true, "the cache maintenance ran");
}

/* Every vPL011 register but the data register, read and written at widths
 * 1, 2 and 4 (the data register is read only: a write would print). */
HOSTILE_MODE(vuart_sweep, "every vPL011 register at widths 1, 2 and 4")
{
    (void)args;
    for (uint64_t off = 0; off < 0x1000u; off += 2u) {
        uint64_t a = VUART_BASE + off;
        (void)mmio_read8(a);
        (void)*(volatile uint16_t *)(uintptr_t)a;
        if ((off & 3u) == 0u) {
            (void)mmio_read32(a);
        }
        if (off >= 4u) {
            mmio_write8(a, 0xFFu);
            *(volatile uint16_t *)(uintptr_t)a = 0xFFFFu;
            if ((off & 3u) == 0u) {
                mmio_write32(a, 0xFFFFFFFFu);
            }
        }
    }
    hostile_check(true, "every vPL011 access came back");
}

/* The random-MMIO fuzzer over the emulated windows (the vGIC distributor,
 * both redistributors, the vPL011 but its data register): seeded and
 * reproducible (the seed is printed), random offsets, widths, values. */
static uint64_t mmio_rng;

static uint64_t mmio_next(void)
{
    return hostile_rand(&mmio_rng);
}

HOSTILE_MODE(mmio_fuzz, "random accesses over the emulated device windows")
{
    static const uint64_t base[] = {GICD_BASE, GICR_BASE, GICR_BASE + GICR_STRIDE, VUART_BASE};
    static const uint64_t size[] = {0x10000u, GICR_STRIDE, GICR_STRIDE, 0x1000u};
    mmio_rng = bh_arg(args, "seed", 0, 0x2545F4914F6CDD1Dull) | 1u;
    uint64_t n = bh_arg(args, "accesses", 0, 20000) * (bh_arg(args, "long", 0, 0) != 0u ? 20u : 1u);
    gprintf("seed 0x%lx, %lu accesses\n", (unsigned long)mmio_rng, (unsigned long)n);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = mmio_next();
        uint32_t w = (uint32_t)(r % 4u);            /* width 1, 2, 4, 8 bytes */
        uint32_t frame = (uint32_t)((r >> 2) % 4u);
        uint64_t off = ((r >> 8) % size[frame]) & ~((1ull << w) - 1u); /* aligned */
        if (frame == 3u && off < 4u) {
            off = 4u; /* not UARTDR: a write would print */
        }
        uint64_t a = base[frame] + off;
        uint64_t v = mmio_next();
        bool write = ((r >> 40) & 1u) != 0u;
        switch (w) {
        case 0:
            if (write) {
                mmio_write8(a, (uint8_t)v);
            } else {
                (void)mmio_read8(a);
            }
            break;
        case 1:
            if (write) {
                *(volatile uint16_t *)(uintptr_t)a = (uint16_t)v;
            } else {
                (void)*(volatile uint16_t *)(uintptr_t)a;
            }
            break;
        case 2:
            if (write) {
                mmio_write32(a, (uint32_t)v);
            } else {
                (void)mmio_read32(a);
            }
            break;
        default:
            if (write) {
                mmio_write64(a, v);
            } else {
                (void)mmio_read64(a);
            }
            break;
        }
    }
    hostile_check(true, "every random device access came back");
}

/* Attack 27: cache maintenance, stores, zeroing and exclusives on a page
 * the witness shares with this partition read-only (config/hostile.dts.
 * in). Each write is a stage-2 permission fault for this partition's
 * health monitor (IGNORE here: the access is skipped); maintenance that
 * only cleans is allowed and changes nothing. The witness checks its
 * pattern at every tick, and this partition reads it back at the end. */
#define RO_SHM 0x42000000ull
#define RO_WORDS 1024u
#define RO_PATTERN 0x5A000000u

static bool ro_intact(const volatile uint32_t *w)
{
    for (uint32_t i = 0; i < RO_WORDS; i++) {
        if (w[i] != (RO_PATTERN | i)) {
            return false;
        }
    }
    return true;
}

HOSTILE_MODE(ro_shared, "cache maintenance, stores and exclusives on a read-only shared page")
{
    uint32_t rounds = (uint32_t)bh_arg(args, "rounds", 0, 20);
    volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)RO_SHM;
    /* The witness writes the pattern in its first window (within 2 ms). */
    uint64_t deadline = timer_now() + timer_freq() / 10u;
    while (!ro_intact(w) && timer_now() < deadline) {
    }
    if (!hostile_check(ro_intact(w), "the witness's pattern is readable")) {
        return;
    }
    for (uint32_t n = 0; n < rounds; n++) {
        for (uint64_t a = RO_SHM; a < RO_SHM + 0x1000u; a += 64u) {
            uint64_t v = 0;
            uint32_t status = 0;
            __asm__ volatile("dc civac, %0\n\t"
                             "dc cvac, %0\n\t"
                             "dc ivac, %0\n\t"
                             "dc cvau, %0\n\t"
                             "dc zva, %0\n\t"
                             "str xzr, [%0]\n\t"
                             "ldxr %1, [%0]\n\t"
                             "stxr %w2, %1, [%0]\n\t"
                             "ldaxr %1, [%0]\n\t"
                             "stlxr %w2, xzr, [%0]\n\t"
                             "prfm pstl1keep, [%0]\n\t"
                             "dsb sy"
                             : "+r"(a), "+r"(v), "+r"(status)
                             :
                             : "memory");
        }
    }
    hostile_check(ro_intact(w), "the read-only page is unchanged after the attack");
}
