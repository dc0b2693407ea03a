/*
 * Attacks through interrupts and timers (issue 15, attacks 16 and 17): SGIs
 * with foreign affinities and through the group 0 and alias registers,
 * IROUTER with foreign affinities, an interrupt storm from the virtual
 * timer, and the EL1 physical timer, which is the hypervisor's.
 */
#include "hostile.h"

#define GICD_IROUTER 0x6100u

static inline void sysreg_write_sgi1r(uint64_t v)
{
    __asm__ volatile("msr S3_0_C12_C11_5, %0" ::"r"(v) : "memory"); /* ICC_SGI1R_EL1 */
}

/* SGIs with every affinity field set to values of no vCPU of this
 * partition, to all-but-self (IRM), and through ICC_ASGI1R_EL1 and
 * ICC_SGI0R_EL1 (attack 16): only this partition's vCPUs may be hit. */
HOSTILE_MODE(sgi_foreign, "SGIs with foreign affinities, IRM, ASGI1R and SGI0R")
{
    uint64_t rounds = bh_arg(args, "rounds", 0, 1000);
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t intid = (i % 16u) << 24;
        sysreg_write_sgi1r(intid | (1ull << 16) | 0xFFFFu);       /* Aff1 = 1 */
        sysreg_write_sgi1r(intid | (0xFFull << 32) | 0xFFFFu);    /* Aff2 */
        sysreg_write_sgi1r(intid | (0xFFull << 48) | 0xFFFFu);    /* Aff3 */
        sysreg_write_sgi1r(intid | (1ull << 40) | 0x1u);          /* IRM: all but self */
        sysreg_write_sgi1r(intid | 0xFFFCu);                      /* vCPUs 2..15 */
        __asm__ volatile("msr S3_0_C12_C11_6, %0" ::"r"(intid | 0xFFFFu) : "memory"); /* ASGI1R */
        __asm__ volatile("msr S3_0_C12_C11_7, %0" ::"r"(intid | 0xFFFFu) : "memory"); /* SGI0R */
    }
    hostile_check(true, "every SGI write came back");
}

/* IROUTER of every SPI with foreign affinities and the IRM bit (attack 16):
 * the partition owns no SPI here, so every write is ignored. */
HOSTILE_MODE(irouter_foreign, "GICD_IROUTER of every SPI with foreign affinities")
{
    (void)args;
    static const uint64_t aff[] = {0x1ull, 0x100ull, 0x10000ull, 0xFF00000000ull,
                                   1ull << 31, UINT64_MAX};
    for (uint32_t spi = 32; spi < 1020u; spi++) {
        uint64_t a = GICD_BASE + GICD_IROUTER + 8u * (spi - 32u);
        for (uint32_t k = 0; k < sizeof(aff) / sizeof(aff[0]); k++) {
            /* A plain STR (no writeback): the syndrome the vGIC decodes. */
            __asm__ volatile("str %0, [%1]" ::"r"(aff[k]), "r"(a) : "memory");
        }
    }
    hostile_check(true, "every IROUTER write came back");
}

/* The virtual timer re-armed in the past from its own handler: an
 * interrupt storm on this vCPU (each one through the hypervisor). */
static volatile uint64_t storm_irqs;
static uint64_t storm_limit;
static void rearm_at_once(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        storm_irqs++;
        if (storm_irqs < storm_limit) {
            vtimer_arm_at(0);
        } else {
            vtimer_stop();
        }
    }
}
HOSTILE_MODE(timer_storm, "virtual timer interrupts back to back")
{
    storm_limit = bh_arg(args, "irqs", 0, 20000);
    gic_init();
    irq_set_handler(rearm_at_once);
    gic_enable_private(VTIMER_PPI, 0x80);
    uint64_t start = timer_now();
    vtimer_arm_at(0);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (storm_irqs < storm_limit) {
    }
    uint64_t us = (timer_now() - start) * 1000000u / timer_freq();
    gprintf("%lu timer interrupts back to back in %lu us\n", (unsigned long)storm_irqs,
            (unsigned long)us);
    hostile_check(true, "the storm ran");
}

/* The EL1 physical timer and counter registers (CNTP_CTL, CVAL, TVAL,
 * CNTPCT; attack 17): the physical timer is the hypervisor's. */
HOSTILE_MODE(cntp_regs, "the EL1 physical timer's registers, read and written")
{
    uint64_t rounds = bh_arg(args, "rounds", 0, 100);
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t v = 0;
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
        __asm__ volatile("msr cntp_ctl_el0, %0" ::"r"(1ull) : "memory");
        __asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v));
        __asm__ volatile("msr cntp_cval_el0, %0" ::"r"(0ull) : "memory");
        __asm__ volatile("mrs %0, cntp_tval_el0" : "=r"(v));
        __asm__ volatile("msr cntp_tval_el0, %0" ::"r"(1ull) : "memory");
        __asm__ volatile("mrs %0, cntpct_el0" : "=r"(v));
        (void)v;
    }
    hostile_check(true, "every physical timer access came back");
}
