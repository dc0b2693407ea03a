/* Constants shared by the assembly and C sides of the arch layer. */
#ifndef BH_ASM_DEFS_H
#define BH_ASM_DEFS_H

/* An unsigned constant in C (MISRA 7.2, 10.4), a plain number to the
 * assembler, which has no integer suffixes. */
#ifdef __ASSEMBLER__
#define BH_U(n) n
#else
#define BH_U(n) ((unsigned int)(n))
#endif

/* struct arch_regs layout (vcpu_ctx.h): x0..x30, pc, spsr, pad. */
#define REGS_X30 BH_U(240)
#define REGS_PC BH_U(248)
#define REGS_SPSR BH_U(256)
#define REGS_SIZE BH_U(272)

/* struct arch_cpu: stack top is the first field. */
#define CPU_STACK_TOP 0

/* Kinds of exception passed to arch_trap / arch_hyp_fault. */
#define TRAP_SYNC BH_U(0)
#define TRAP_IRQ BH_U(1)
#define TRAP_FIQ BH_U(2)
#define TRAP_SERROR BH_U(3)

/* arch_hvc's answer to the vectors. */
#define HVC_FAST BH_U(0)
#define HVC_FULL BH_U(1)
#define HVC_FULL_RESET BH_U(2)

#define ESR_EC_HVC64 0x16
/* ISR_EL1.A: a physical SError is pending (read at EL2). */
#define ISR_A_BIT 8
#define HVC_XEN_IMM_ASM 0xea1

#endif
