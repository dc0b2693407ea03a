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

#define PSCI_CPU_ON 0xc4000003ull
#define PSCI_SYSTEM_OFF 0x84000008ull
#define PSCI_SYSTEM_RESET 0x84000009ull
#define MPIDR_AFF_MASK 0xff00ffffffull

struct arch_cpu arch_cpus[BH_MAX_CPUS];
uint32_t arch_num_lrs;
uint8_t arch_stacks[BH_MAX_CPUS][PLAT_STACK_SIZE] __attribute__((aligned(16), section(".noinit")));

extern char _start[], __hyp_end[];
void secondary_entry(void);
void arch_cpu_main(uint64_t cpu) __attribute__((noreturn));

static const uint64_t plat_mpidr[] = PLAT_CPU_MPIDR;

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
    /* PTW: a stage-1 table read from a Device page (pass-through) is a
     * stage-2 fault, never a device access (LLR-ARCH-070). */
    sysreg_write(hcr_el2, HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |
                              HCR_TWI | HCR_TWE | HCR_TSC | HCR_RW);
    sysreg_write(cptr_el2, 0x33ffu);           /* RES1 bits; FP/SIMD not trapped */
    sysreg_write(mdcr_el2, (sysreg_read(pmcr_el0) >> 11) & 0x1fu); /* HPMN = all counters */
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
        uint64_t footprint = (uint64_t)(uintptr_t)(__hyp_end - _start);
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
