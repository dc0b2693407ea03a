/*
 * Boot of each physical CPU: console first, then the EL2 map, the GIC and
 * timers, the configuration check and partition build (primary only), the
 * secondary CPUs through PSCI CPU_ON, and finally the first guest.
 * Implements: LLR-ARCH-050 (boot order), LLR-ARCH-051 (secondary start).
 */
#include "arch.h"
#include "boot.h"
#include "conin.h"
#include "console.h"
#include "sched.h"
#include "sysreg.h"
#include "util.h"

#define PSCI_CPU_ON 0xc4000003ULL
#define PSCI_SYSTEM_OFF 0x84000008ULL
#define PSCI_SYSTEM_RESET 0x84000009ULL
#define MPIDR_AFF_MASK 0xff00ffffffULL

struct arch_cpu arch_cpus[BH_MAX_CPUS];
uint32_t arch_num_lrs;
uint8_t arch_stacks[BH_MAX_CPUS][PLAT_STACK_SIZE] __attribute__((aligned(16), section(".noinit")));

extern char _start[], __hyp_end[];
void secondary_entry(void);
void arch_cpu_main(uint64_t cpu) __attribute__((noreturn));

static const uint64_t plat_mpidr[] = PLAT_CPU_MPIDR;

/*
 * What a partition traps of the CPU it shares with the others, set once per
 * CPU at boot (docs/architecture.md, "PMU, debug and other trap controls").
 * The PMU and the debug registers are one set per CPU, switched for no one:
 * every EL1/EL0 access traps and trap.c gives it the constant of
 * vsysreg_emulate. A trap bit of a later extension is RES0 on a CPU without
 * it (Cortex-A57 has none of them), so it is set only when the ID registers
 * announce the extension. FP/SIMD are not trapped.
 * Implements: LLR-ARCH-080, LLR-ARCH-081, LLR-ARCH-082.
 */
static void cpu_init_traps(void)
{
    uint64_t dfr0 = sysreg_read(id_aa64dfr0_el1);
    uint64_t pfr0 = sysreg_read(id_aa64pfr0_el1);
    uint32_t pmuver = ID_FIELD(dfr0, DFR0_PMUVER);
    /* PTW: a stage-1 table read from a Device page (pass-through) is a
     * stage-2 fault, never a device access (LLR-ARCH-070). */
    uint64_t hcr = HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_TWI |
                   HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW;
    /* HPMN = every counter; TDE stays clear (debug exceptions stay at EL1). */
    uint64_t mdcr = ((sysreg_read(pmcr_el0) >> 11) & 0x1fu) | MDCR_TPMCR | MDCR_TPM | MDCR_TDA |
                    MDCR_TDOSA | MDCR_TDRA;
    uint64_t cptr = CPTR_RES1;

    if (ID_FIELD(pfr0, PFR0_RAS) != 0u) {
        hcr |= HCR_TERR | HCR_TEA; /* error records are shared; errors go to the HM */
    }
    if (pmuver >= 4u && pmuver != 0xfu) {
        mdcr |= MDCR_HPMD; /* no counting of EL2 */
    }
    if (ID_FIELD(dfr0, DFR0_TRACEVER) != 0u) {
        cptr |= CPTR_TTA;
    }
    if (ID_FIELD(pfr0, PFR0_AMU) != 0u) {
        cptr |= CPTR_TAM;
    }
    sysreg_write(hcr_el2, hcr);
    sysreg_write(mdcr_el2, mdcr);
    sysreg_write(cptr_el2, cptr);
    /* No lower EL may write the IMPLEMENTATION DEFINED controls (on
     * Cortex-A57: CPUACTLR, CPUECTLR, L2CTLR, L2ECTLR, L2ACTLR), whatever
     * ran at EL2 before; TIDCP traps their accesses anyway. */
    sysreg_write(actlr_el2, 0u);
}

/* Per-CPU EL2 controls: what partitions trap, and the virtual timer's view. */
static void cpu_init_el2(uint32_t cpu)
{
    struct arch_cpu *c = &arch_cpus[cpu];
    c->id = cpu;
    c->stack_top = (uint64_t)(uintptr_t)&arch_stacks[cpu][PLAT_STACK_SIZE];
    c->current = NULL;
    sysreg_write(tpidr_el2, (uint64_t)(uintptr_t)c);

    mmu_enable();
    mmu_stage2_init_cpu();
    cpu_init_traps();
    sysreg_write(cnthctl_el2, 1u);             /* EL1 counter yes, EL1 physical timer traps */
    sysreg_write(cntvoff_el2, 0u);             /* virtual counter = module time */
    sysreg_write(cnthp_ctl_el2, 0u);
    sysreg_write(cntv_ctl_el0, 0u);
    isb();
    gic_init_cpu(cpu);
}

/* What a pass-through device may be: the device region, minus the frames
 * the hypervisor or the platform keep. Implements: LLR-PT-014. */
static void plat_passthru_limits(struct cfg_platform *pl)
{
    static const struct cfg_frame reserved[PLAT_NUM_RESERVED_FRAMES] = PLAT_RESERVED_FRAMES;
    _Static_assert(PLAT_NUM_RESERVED_FRAMES <= CFG_MAX_RESERVED, "reserved frames table");
    bh_memset(pl->reserved, 0, sizeof(pl->reserved));
    bh_memcpy(pl->reserved, reserved, sizeof(reserved));
    pl->dev_base = PLAT_DEV_BASE;
    pl->dev_size = PLAT_DEV_SIZE;
    pl->hyp_spi = PLAT_UART_INTID;
    pl->spi_end = PLAT_SPI_END;
    pl->smmu_sids = PLAT_SMMU_SIDS;
    pl->smmu_spi_first = PLAT_SMMU_SPI_FIRST;
    pl->smmu_spi_count = PLAT_SMMU_SPI_COUNT;
    pl->smmu_table_pages = PLAT_SMMU_TABLE_PAGES;
}

/* The blob follows the hypervisor at the next PLAT_BLOB_ALIGN boundary; the
 * packer grew the Image header's image_size to cover it. An image_size that
 * reaches past the end of RAM (or wraps) is the boot check's first error
 * (LLR-CFG-026), found before the blob is read. */
static void boot_config(uint64_t footprint, uint64_t image_size)
{
    struct cfg_platform pl;
    uint64_t blob_off = (footprint + PLAT_BLOB_ALIGN - 1u) & ~(PLAT_BLOB_ALIGN - 1u);
    pl.ram_base = PLAT_RAM_BASE;
    pl.ram_size = PLAT_RAM_SIZE;
    pl.hyp_base = PLAT_HYP_BASE;
    pl.hyp_end = PLAT_HYP_BASE + image_size;
    pl.num_cpus = PLAT_NUM_CPUS;
    pl.s2_table_pages = PLAT_S2_TABLE_PAGES;
    plat_passthru_limits(&pl);
    if (image_size <= blob_off) {
        console_log("config error: image: no configuration blob after the hypervisor "
                    "(image_size 0x%lx)", (unsigned long)image_size);
        console_log("refusing to start: configuration invalid");
        arch_halt();
    }
    boot_primary(PLAT_NAME, &pl, arch_pa_to_ptr(PLAT_HYP_BASE + blob_off), image_size - blob_off);
}

static void start_secondaries(uint32_t num_cpus)
{
    uint32_t cpu;
    for (cpu = 1; cpu < num_cpus; cpu++) {
        uint64_t ret = arch_smc(PSCI_CPU_ON, plat_mpidr[cpu] & MPIDR_AFF_MASK,
                                (uint64_t)(uintptr_t)secondary_entry, cpu);
        if (ret != 0u) {
            console_log("cpu%u: PSCI CPU_ON failed (%ld)", cpu, (long)ret);
        }
    }
}

static void __attribute__((noreturn)) enter_first_guest(struct arch_cpu *c)
{
    sched_request_pick(c->id);
    guest_resume(arch_resume(c));
}

void arch_cpu_main(uint64_t cpu_arg)
{
    uint32_t cpu = (uint32_t)cpu_arg;

    if (cpu == 0u) {
        uint64_t footprint = (uint64_t)(uintptr_t)__hyp_end - (uint64_t)(uintptr_t)_start;
        uint64_t image_size = *(volatile uint64_t *)(uintptr_t)(_start + 16);
        uint32_t el = (uint32_t)(sysreg_read(CurrentEL) >> 2) & 3u;

        plat_uart_init();
        console_init();
        if (el != 2u) {
            console_log("entered at EL%u; Bulkhead must be entered at EL2", el);
            arch_halt();
        }
        mmu_init_tables();
        cpu_init_el2(0);
        gic_init_dist();
        boot_config(footprint, image_size);
        mmu_s2_report();
        bp_init();
        conin_reset();
        gic_enable_spi(PLAT_UART_INTID, 0u); /* console input, taken on CPU 0 */
        start_secondaries(boot_num_cpus());
    } else {
        cpu_init_el2(cpu);
        console_log("cpu%u online", cpu);
    }
    enter_first_guest(&arch_cpus[cpu]);
}

uint32_t arch_cpu_id(void)
{
    const struct arch_cpu *c = (const struct arch_cpu *)sysreg_read(tpidr_el2);
    return c->id;
}

void arch_halt(void)
{
    console_log("module halted");
    (void)arch_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;) {
        wfi();
    }
}

void arch_reset(void)
{
    (void)arch_smc(PSCI_SYSTEM_RESET, 0, 0, 0);
    for (;;) {
        wfi();
    }
}

void arch_system_off(void)
{
    (void)arch_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;) {
        wfi();
    }
}

void arch_kick(uint32_t pcpu)
{
    gic_send_sgi(pcpu, SGI_KICK);
}

uint64_t arch_now(void)
{
    return sysreg_read(cntpct_el0);
}

uint64_t arch_ticks_per_sec(void)
{
    return sysreg_read(cntfrq_el0);
}
