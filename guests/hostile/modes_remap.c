/*
 * Attack 3 of issue 15: another vCPU remaps a hypercall's buffer while the
 * hypercall runs. Stage 1 is on (identity, 4 KiB pages in the last 2 MiB
 * of RAM), and vCPU 1 rewrites the page-table entry of one buffer page in
 * a loop: to another RAM page, to nothing, to the vGIC, to an address with
 * no stage-2 mapping, past RAM's end. Meanwhile vCPU 0 makes buffer
 * hypercalls through that page and across its edges. The hypervisor
 * translates each page once and then uses the guest-physical address it
 * checked, so each call must come back with a result or an error number,
 * never a hypervisor fault, and never write outside the pages the buffer
 * could have named.
 */
#include "evtchn.h"
#include "hostile.h"

#define PAGE 0x1000ull
#define AREA 0x40E00000ull /* the last 2 MiB of RAM: 4 KiB pages */
#define FLIP AREA          /* the page vCPU 1 remaps */
#define CANARY (AREA + 4u * PAGE)
#define XENVER_EXTRAVERSION 1u
#define XENVER_GET_FEATURES 6u

/* Descriptor bits (VMSAv8-64, 4 KiB granule). */
#define D_VALID 1ull
#define D_TABLE 3ull /* table (levels 1, 2) or page (level 3) */
#define D_AF (1ull << 10)
#define D_ISH (3ull << 8)
#define D_NORMAL (0ull << 2) /* MAIR attribute 0: write-back */
#define D_DEVICE (1ull << 2) /* MAIR attribute 1: Device-nGnRnE */
#define D_XN (3ull << 53)
#define MEM_PAGE (D_TABLE | D_AF | D_ISH | D_NORMAL)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

/* Where vCPU 1 points the buffer page, in turn. */
static const uint64_t flip_to[] = {
    FLIP | MEM_PAGE,                 /* itself */
    (FLIP + PAGE) | MEM_PAGE,        /* its neighbour */
    0,                               /* nothing */
    GICD_BASE | MEM_PAGE,            /* the vGIC, as memory */
    0x10000000ull | MEM_PAGE,        /* no stage-2 mapping */
    0x41000000ull | MEM_PAGE,        /* RAM's end */
    (FLIP + 2u * PAGE) | MEM_PAGE,   /* another RAM page */
};
#define NUM_FLIP (sizeof(flip_to) / sizeof(flip_to[0]))

static volatile uint32_t remap_stop;
static volatile uint64_t remap_count;

static void build_tables(void)
{
    /* 0..1 GiB: devices (vGIC, vPL011); 1..2 GiB: RAM through l2. */
    l1[0] = 0x0ull | D_VALID | D_AF | D_DEVICE | D_XN;
    l1[1] = (uint64_t)(uintptr_t)l2 | D_TABLE;
    for (uint64_t i = 0; i < 7u; i++) { /* 0x40000000 .. 0x40E00000 in 2 MiB blocks */
        l2[i] = (0x40000000ull + i * 0x200000ull) | D_VALID | D_AF | D_ISH | D_NORMAL;
    }
    l2[7] = (uint64_t)(uintptr_t)l3 | D_TABLE;
    for (uint64_t i = 0; i < 512u; i++) {
        l3[i] = (AREA + i * PAGE) | MEM_PAGE;
    }
}

/* Stage 1 on with the tables above: T0SZ 25 (39 bits, the walk starts at
 * level 1), 4 KiB granule, write-back walks, no TTBR1 walks. */
static void mmu_on(void)
{
    uint64_t tcr = 25u | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32);
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb nsh\n\t"
                     "isb\n\t"
                     "mrs x9, sctlr_el1\n\t"
                     "orr x9, x9, #(1 << 0)\n\t"  /* M */
                     "orr x9, x9, #(1 << 2)\n\t"  /* C */
                     "orr x9, x9, #(1 << 12)\n\t" /* I */
                     "msr sctlr_el1, x9\n\t"
                     "isb"
                     :
                     : "r"(0x00FFull), "r"(tcr), "r"((uint64_t)(uintptr_t)l1)
                     : "x9", "memory");
}

static void remap_loop(void)
{
    mmu_on();
    for (uint64_t i = 0; remap_stop == 0u; i++) {
        l3[0] = flip_to[i % NUM_FLIP];
        /* No TLBI: the hypervisor's walk (AT) may use a TLB entry or the
         * new descriptor, and either must be safe. (QEMU's AT reads the
         * tables afresh; a TLBI there, broadcast by HCR_EL2.FB, costs
         * vCPU 1 its turn, so it would remap once a window.) */
        __asm__ volatile("dsb ishst" ::: "memory");
        remap_count = i + 1u;
    }
    remap_count = 0;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* True when every byte of the canary page still holds its pattern. */
static bool canary_intact(void)
{
    const volatile uint8_t *c = (const volatile uint8_t *)(uintptr_t)CANARY;
    for (uint32_t i = 0; i < PAGE; i++) {
        if (c[i] != (uint8_t)(0xC3u ^ i)) {
            return false;
        }
    }
    return true;
}

/* A result, or one of Xen's error numbers (the buffer's contents are
 * whatever the last call or remap left, so any error may be right). */
static bool result_ok(int64_t r)
{
    return r >= -4095;
}

HOSTILE_MODE(remap_race, "vCPU 1 remaps a hypercall's buffer page while vCPU 0 uses it")
{
    /* Module time, so both vCPUs have had windows whatever QEMU's turns. */
    uint64_t ms = bh_arg(args, "ms", 0, 60);
    volatile uint8_t *c = (volatile uint8_t *)(uintptr_t)CANARY;
    for (uint32_t i = 0; i < PAGE; i++) {
        c[i] = (uint8_t)(0xC3u ^ i);
    }
    build_tables();
    mmu_on();
    if (!hostile_check(hostile_start_vcpu1(remap_loop), "vCPU 1 started")) {
        return;
    }
    /* Buffers in the page, across its start and across its end. */
    const uint64_t bufs[] = {FLIP, FLIP + 0x800u, FLIP - 0x10u, FLIP + PAGE - 0x10u};
    uint32_t wrong = 0, faults = 0, done = 0;
    uint64_t end = timer_now() + timer_freq() / 1000u * ms;
    while (timer_now() < end) {
        for (uint32_t b = 0; b < sizeof(bufs) / sizeof(bufs[0]); b++) {
            int64_t r[3];
            r[0] = hc_xen_version(XENVER_EXTRAVERSION, bufs[b]);
            r[1] = hc_xen_version(XENVER_GET_FEATURES, bufs[b]);
            r[2] = hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_STATUS, bufs[b], 0, 0, 0);
            for (uint32_t k = 0; k < 3u; k++) {
                if (!result_ok(r[k]) && wrong++ == 0u) {
                    gprintf("call %u on 0x%lx returned %ld\n", k, (unsigned long)bufs[b], (long)r[k]);
                }
                faults += (r[k] == -XEN_EFAULT) ? 1u : 0u;
                done += (r[k] >= 0) ? 1u : 0u;
            }
        }
    }
    uint64_t remaps = remap_count;
    remap_stop = 1u;
    gprintf("remap_race: %u calls done, %u refused with -EFAULT, %lu remaps\n", done, faults,
            (unsigned long)remaps);
    hostile_check(wrong == 0u, "every call on a remapped buffer returned a result or an error");
    hostile_check(done != 0u && faults != 0u && remaps > 1000u,
                  "some calls saw RAM and some saw no RAM, over 1,000 remaps");
    hostile_check(canary_intact(), "no byte outside the buffer's pages was written");
}
