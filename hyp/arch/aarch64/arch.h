/*
 * Internal interface of the aarch64 arch layer (not visible to the core).
 */
#ifndef BH_ARCH_H
#define BH_ARCH_H

#include "arch_if.h"
#include "asm_defs.h"
#include "part.h"
#include "platform.h"
#include "types.h"

/* Guest general registers as the vectors save them (asm_defs.h layout). */
struct arch_regs {
    uint64_t x[31];
    uint64_t pc;
    uint64_t spsr;
    uint64_t pad;
};
_Static_assert(sizeof(struct arch_regs) == REGS_SIZE, "arch_regs layout");

/* EL1 system registers a partition owns, switched with the vCPU. */
enum el1_reg {
    EL1_SCTLR, EL1_TTBR0, EL1_TTBR1, EL1_TCR, EL1_MAIR, EL1_AMAIR, EL1_VBAR,
    EL1_CONTEXTIDR, EL1_TPIDR_EL0, EL1_TPIDRRO_EL0, EL1_TPIDR_EL1, EL1_SP_EL0,
    EL1_SP_EL1, EL1_ELR, EL1_SPSR, EL1_ESR, EL1_FAR, EL1_AFSR0, EL1_AFSR1,
    EL1_CPACR, EL1_CNTKCTL, EL1_PAR, EL1_CSSELR, EL1_MDSCR, EL1_NUM
};

struct arch_vcpu {
    struct arch_regs regs; /* first: SP_EL2 points here while the guest runs */
    uint64_t el1[EL1_NUM];
    uint64_t fpsimd[66];   /* q0..q31, fpsr, fpcr */
    uint64_t ich_vmcr;
    uint64_t ich_ap0r0;
    uint64_t ich_ap1r0;
    uint64_t vmpidr;
    bool reload;           /* reset while loaded: reload EL1 state */
};

struct arch_cpu {
    uint64_t stack_top;    /* first: read by the vectors */
    uint32_t id;
    struct vcpu *current;  /* vCPU whose state is loaded, NULL if none */
    const struct partition *last_part; /* whose code ran here last (bp.c) */
};

extern struct arch_vcpu arch_vcpus[BH_MAX_VCPUS];
extern struct arch_cpu arch_cpus[BH_MAX_CPUS];
extern uint32_t arch_num_lrs;

/* mmu.c */
void mmu_init_tables(void);           /* primary, before any CPU enables */
void mmu_enable(void);                /* each CPU */
void mmu_stage2_init_cpu(void);       /* VTCR, per CPU */
void mmu_s2_report(void);             /* print the stage-2 pool pages used */
uint64_t mmu_vttbr(const struct partition *p);

/* gic.c */
void gic_init_dist(void);
void gic_init_cpu(uint32_t cpu);
void gic_enable_spi(uint32_t intid, uint32_t cpu);
void gic_spi_edge(uint32_t intid);
/* An SMMU interrupt (event queue, global error): drained, true; any other
 * intid, or no SMMU in use: false. */
bool smmu_irq(uint32_t intid);
uint32_t gic_ack(void);               /* INTID, 1023 when none */
void gic_eoi(uint32_t iar);
void gic_send_sgi(uint32_t cpu, uint32_t sgi);
uint64_t gic_lr_read(uint32_t n);
void gic_lr_write(uint32_t n, uint64_t v);

/* vcpu.c */
void vcpu_switch(struct arch_cpu *c, struct vcpu *next);
/* Apply the vCPU resets other CPUs handed to CPU cpu (arch_vcpu_reset);
 * true when there were any. Called by arch_resume around its choice. */
bool vcpu_apply_resets(uint32_t cpu);
/* How many times v's context was reset: a caller that sees it change across
 * a call knows the frame it held was rewritten (arch_hvc). */
uint32_t vcpu_reset_count(const struct vcpu *v);
void vcpu_lrs_sync(struct vcpu *v);
void vcpu_lrs_fill(struct vcpu *v);

/* bp.c: branch predictors between partitions */
void bp_init(void);             /* CPU 0, at boot, before the secondaries */
void bp_partition_switch(void); /* the partition on this CPU changes */

/* trap.c */
struct arch_regs *arch_resume(struct arch_cpu *c);

/* psci / asm helpers */
uint64_t arch_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void arch_fpsimd_save(uint64_t *area);
/* AT S1E1W (write != 0) or S1E1R of va; PAR_EL1's value, or PAR.F alone
 * when the walk aborted. The guest's PAR_EL1 is kept. */
uint64_t arch_at_s1e1(uint64_t va, uint64_t write);
void arch_fpsimd_restore(const uint64_t *area);
void guest_resume(struct arch_regs *frame) __attribute__((noreturn));

/* Platform UART (hyp/platform/<board>/uart.c). */
void plat_uart_init(void);
void plat_uart_write(const char *s, size_t n);
uint32_t plat_uart_room(void);
int plat_uart_getc(void); /* next received byte, -1 when none */

#define SGI_KICK 0u

#endif
