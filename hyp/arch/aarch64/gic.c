/*
 * The physical GICv3: distributor, this CPU's redistributor, the EL2 CPU
 * interface and the virtual interface's list registers. The hypervisor owns
 * the GIC; partitions only ever see the virtual interface.
 * Implements: LLR-ARCH-020 (GIC bring-up), LLR-ARCH-021 (list registers).
 */
#include "arch.h"
#include "arch_if.h"
#include "console.h"
#include "sysreg.h"

#define GICD_CTLR 0x0000u
#define GICD_CTLR_RWP ((uint32_t)1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_TYPER 0x0004u
#define GICD_IGROUPR 0x0080u
#define GICD_ICENABLER 0x0180u
#define GICD_ISENABLER 0x0100u
#define GICD_IPRIORITYR 0x0400u
#define GICD_IROUTER 0x6000u
#define GICD_ICFGR 0x0c00u

#define GICR_TYPER 0x0008u
#define GICR_WAKER 0x0014u
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_SGI 0x10000u
#define GICR_IGROUPR0 (GICR_SGI + 0x0080u)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100u)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180u)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400u)

#define GIC_POLL_LIMIT 1000000u
#define GIC_MAX_RDIST 64u

/* Interrupts the hypervisor uses on every CPU. */
#define PPI_ENABLE_MASK                                                                            \
    (((uint32_t)1u << SGI_KICK) | ((uint32_t)1u << VGIC_PPI_MAINT) |                               \
     ((uint32_t)1u << VGIC_PPI_HYP_TIMER) | ((uint32_t)1u << VGIC_PPI_VTIMER))

static uint64_t rdist_base[BH_MAX_CPUS];
static const uint64_t cpu_mpidr[] = PLAT_CPU_MPIDR;

/* Spin on a register bit with a bound; a GIC that never settles is a
 * module-level fault, reported rather than hung on. */
static void gic_wait32(uint64_t addr, uint32_t mask, uint32_t want, const char *what)
{
    uint32_t i;
    for (i = 0; i < GIC_POLL_LIMIT; i++) {
        if ((mmio_read32(addr) & mask) == want) {
            return;
        }
    }
    console_log("GIC: %s did not complete", what);
    arch_halt();
}

void gic_init_dist(void)
{
    uint32_t lines = ((mmio_read32(PLAT_GICD_BASE + GICD_TYPER) & 0x1fu) + 1u) * 32u;
    uint32_t n;

    mmio_write32(PLAT_GICD_BASE + GICD_CTLR, 0);
    gic_wait32(PLAT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP, 0, "distributor disable");
    for (n = 1; n < lines / 32u; n++) {
        mmio_write32(PLAT_GICD_BASE + GICD_IGROUPR + 4u * n, 0xffffffffu);
        mmio_write32(PLAT_GICD_BASE + GICD_ICENABLER + 4u * n, 0xffffffffu);
    }
    mmio_write32(PLAT_GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    gic_wait32(PLAT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP, 0, "distributor enable");
}

/* Route SPI intid (32..1019) to CPU cpu at the hypervisor's priority,
 * leaving its enable bit alone. A CPU the platform does not have is taken
 * as CPU 0. */
static void gic_route_spi(uint32_t intid, uint32_t cpu)
{
    uint64_t aff = cpu_mpidr[cpu < sizeof(cpu_mpidr) / sizeof(cpu_mpidr[0]) ? cpu : 0u];
    uint64_t prio = PLAT_GICD_BASE + GICD_IPRIORITYR + ((uint64_t)intid & ~3ULL);
    uint32_t shift = 8u * (intid & 3u);
    /* IROUTER in two 32-bit halves: Aff2..Aff0, then Aff3. */
    mmio_write32(PLAT_GICD_BASE + GICD_IROUTER + 8u * intid, (uint32_t)(aff & 0xffffffu));
    mmio_write32(PLAT_GICD_BASE + GICD_IROUTER + 8u * intid + 4u, (uint32_t)((aff >> 32) & 0xffu));
    mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (0xa0u << shift));
}

/* Route SPI intid (32..1019) to CPU cpu at the hypervisor's priority and
 * enable it. Implements: LLR-CON-013. */
void gic_enable_spi(uint32_t intid, uint32_t cpu)
{
    gic_route_spi(intid, cpu);
    mmio_write32(PLAT_GICD_BASE + GICD_ISENABLER + 4u * (intid / 32u), 1u << (intid % 32u));
}

/* Make SPI intid (32..1019) edge-triggered, for a device that signals it
 * with a pulse (the SMMU's queues); before it is enabled.
 * Implements: LLR-ARCH-111 */
void gic_spi_edge(uint32_t intid)
{
    uint32_t word = intid / 16u;
    uint64_t a = PLAT_GICD_BASE + GICD_ICFGR + 4ULL * word;
    mmio_write32(a, mmio_read32(a) | (2u << (2u * (intid % 16u))));
}

/* Masked before it moves, and left masked: a pass-through SPI is never
 * enabled here, so a boot or a re-route cannot signal it to a CPU in
 * another partition's window (the core enables it, LLR-PT-026).
 * Implements: LLR-PT-014, LLR-PT-028 */
void arch_irq_route(uint32_t intid, uint32_t pcpu)
{
    arch_irq_mask(intid, true);
    gic_route_spi(intid, pcpu);
}

/* A mask returns once the distributor has completed the write
 * (GICD_CTLR.RWP clear): from then on the SPI is signalled to no CPU
 * interface, so a window switch that masks it hands the next partition a
 * CPU it cannot interrupt. Implements: LLR-PT-014, LLR-PT-028 */
void arch_irq_mask(uint32_t intid, bool masked)
{
    uint32_t reg = GICD_ISENABLER;
    if (masked) {
        reg = GICD_ICENABLER;
    }
    uint64_t word = 4u * ((uint64_t)intid / 32u);
    mmio_write32(PLAT_GICD_BASE + (uint64_t)reg + word, 1u << (intid % 32u));
    if (masked) {
        gic_wait32(PLAT_GICD_BASE + GICD_CTLR, GICD_CTLR_RWP, 0, "SPI disable");
    }
}

/* Find the redistributor whose affinity matches this CPU. */
static uint64_t gic_find_rdist(uint32_t cpu)
{
    uint64_t base = PLAT_GICR_BASE;
    uint32_t i;
    for (i = 0; i < GIC_MAX_RDIST; i++) {
        uint64_t typer = mmio_read64(base + GICR_TYPER);
        if ((typer >> 32) == cpu_mpidr[cpu]) {
            return base;
        }
        if ((typer & GICR_TYPER_LAST) != 0u) {
            break;
        }
        base += PLAT_GICR_STRIDE;
    }
    console_log("GIC: no redistributor for cpu%u", cpu);
    arch_halt();
}

void gic_init_cpu(uint32_t cpu)
{
    uint64_t rd = gic_find_rdist(cpu);
    uint32_t n;

    rdist_base[cpu] = rd;
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    gic_wait32(rd + GICR_WAKER, GICR_WAKER_ASLEEP, 0, "redistributor wake");
    mmio_write32(rd + GICR_IGROUPR0, 0xffffffffu);
    mmio_write32(rd + GICR_ICENABLER0, 0xffffffffu);
    for (n = 0; n < 8u; n++) {
        mmio_write32(rd + GICR_IPRIORITYR + 4u * (uint64_t)n, 0xa0a0a0a0u);
    }
    mmio_write32(rd + GICR_ISENABLER0, PPI_ENABLE_MASK);

    /* System-register interface at EL2, and let EL1 use it too. */
    sysreg_write(S3_4_C12_C9_5, 0xfu); /* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
    isb();
    sysreg_write(S3_0_C4_C6_0, 0xf0u);   /* ICC_PMR_EL1 */
    sysreg_write(S3_0_C12_C12_3, 0u);    /* ICC_BPR1_EL1 */
    sysreg_write(S3_0_C12_C12_4, 0u);    /* ICC_CTLR_EL1: EOImode 0 */
    sysreg_write(S3_0_C12_C12_7, 1u);    /* ICC_IGRPEN1_EL1 */
    isb();
    arch_num_lrs = (uint32_t)(sysreg_read(S3_4_C12_C11_1) & 0x1fu) + 1u; /* ICH_VTR_EL2 */
    if (arch_num_lrs > VGIC_MAX_LRS) {
        arch_num_lrs = VGIC_MAX_LRS;
    }
    for (n = 0; n < arch_num_lrs; n++) {
        gic_lr_write(n, 0);
    }
    sysreg_write(S3_4_C12_C11_0, 1u); /* ICH_HCR_EL2.En */
    isb();
}

uint32_t gic_ack(void)
{
    return (uint32_t)sysreg_read(S3_0_C12_C12_0) & 0xffffffu; /* ICC_IAR1_EL1 */
}

void gic_eoi(uint32_t iar)
{
    sysreg_write(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
    isb();
}

/* A CPU the platform does not have gets nothing. Implements: LLR-ARCH-071 */
void gic_send_sgi(uint32_t cpu, uint32_t sgi)
{
    if (cpu >= sizeof(cpu_mpidr) / sizeof(cpu_mpidr[0])) {
        return;
    }
    uint64_t aff = cpu_mpidr[cpu];
    uint64_t v = ((uint64_t)sgi << 24) | (1ULL << (aff & 0xfu)) | (((aff >> 8) & 0xffu) << 16) |
                 (((aff >> 16) & 0xffu) << 32) | (((aff >> 32) & 0xffu) << 48);
    dsb_ish();
    sysreg_write(S3_0_C12_C11_5, v); /* ICC_SGI1R_EL1 */
    isb();
}

/* The list registers are separate system registers: one case each. */
uint64_t gic_lr_read(uint32_t n)
{
    switch (n) {
    case 0: return sysreg_read(S3_4_C12_C12_0);
    case 1: return sysreg_read(S3_4_C12_C12_1);
    case 2: return sysreg_read(S3_4_C12_C12_2);
    case 3: return sysreg_read(S3_4_C12_C12_3);
    case 4: return sysreg_read(S3_4_C12_C12_4);
    case 5: return sysreg_read(S3_4_C12_C12_5);
    case 6: return sysreg_read(S3_4_C12_C12_6);
    case 7: return sysreg_read(S3_4_C12_C12_7);
    case 8: return sysreg_read(S3_4_C12_C13_0);
    case 9: return sysreg_read(S3_4_C12_C13_1);
    case 10: return sysreg_read(S3_4_C12_C13_2);
    case 11: return sysreg_read(S3_4_C12_C13_3);
    case 12: return sysreg_read(S3_4_C12_C13_4);
    case 13: return sysreg_read(S3_4_C12_C13_5);
    case 14: return sysreg_read(S3_4_C12_C13_6);
    case 15: return sysreg_read(S3_4_C12_C13_7);
    default: return 0;
    }
}

void gic_lr_write(uint32_t n, uint64_t v)
{
    switch (n) {
    case 0: sysreg_write(S3_4_C12_C12_0, v); break;
    case 1: sysreg_write(S3_4_C12_C12_1, v); break;
    case 2: sysreg_write(S3_4_C12_C12_2, v); break;
    case 3: sysreg_write(S3_4_C12_C12_3, v); break;
    case 4: sysreg_write(S3_4_C12_C12_4, v); break;
    case 5: sysreg_write(S3_4_C12_C12_5, v); break;
    case 6: sysreg_write(S3_4_C12_C12_6, v); break;
    case 7: sysreg_write(S3_4_C12_C12_7, v); break;
    case 8: sysreg_write(S3_4_C12_C13_0, v); break;
    case 9: sysreg_write(S3_4_C12_C13_1, v); break;
    case 10: sysreg_write(S3_4_C12_C13_2, v); break;
    case 11: sysreg_write(S3_4_C12_C13_3, v); break;
    case 12: sysreg_write(S3_4_C12_C13_4, v); break;
    case 13: sysreg_write(S3_4_C12_C13_5, v); break;
    case 14: sysreg_write(S3_4_C12_C13_6, v); break;
    case 15: sysreg_write(S3_4_C12_C13_7, v); break;
    default: break;
    }
}
