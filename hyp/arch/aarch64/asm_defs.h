/* Constants shared by the assembly and C sides of the arch layer. */
#ifndef BH_ASM_DEFS_H
#define BH_ASM_DEFS_H

/* struct arch_regs layout (vcpu_ctx.h): x0..x30, pc, spsr, pad. */
#define REGS_X30 240
#define REGS_PC 248
#define REGS_SPSR 256
#define REGS_SIZE 272

/* struct arch_cpu: stack top is the first field. */
#define CPU_STACK_TOP 0

/* Kinds of exception passed to arch_trap / arch_hyp_fault. */
#define TRAP_SYNC 0
#define TRAP_IRQ 1
#define TRAP_FIQ 2
#define TRAP_SERROR 3

/* arch_hvc's answer to the vectors. */
#define HVC_FAST 0
#define HVC_FULL 1
#define HVC_FULL_RESET 2

#define ESR_EC_HVC64 0x16
/* ISR_EL1.A: a physical SError is pending (read at EL2). */
#define ISR_A_BIT 8
#define HVC_XEN_IMM_ASM 0xea1

#endif
