/*
 * EL2 exception vectors and the guest entry/exit path.
 *
 * While a guest runs, SP_EL2 points at its vCPU register frame (struct
 * arch_regs), so the vector can store the guest's registers with no scratch
 * register. It then moves to the CPU's own stack (from TPIDR_EL2) and calls
 * arch_trap(frame, kind), which returns the frame to resume: the same vCPU,
 * or another one after a context switch.
 *
 * HVC #0xEA1 takes a shorter path: only the registers a C call may clobber
 * (x0..x18, x30) are stored, since the C code preserves x19..x29 for the
 * guest. arch_hvc() says how to return: HVC_FAST restores the caller-saved
 * registers of the same vCPU; HVC_FULL first stores x19..x29 into the
 * caller's frame (it is leaving the CPU, or its frame must be complete) and
 * restores a whole frame; HVC_FULL_RESET restores a whole frame without that
 * store, because the caller's frame was just reset and is authoritative.
 * Exceptions taken from EL2 itself are hypervisor faults: arch_hyp_fault.
 * Implements: LLR-ARCH-003 (trap entry/exit).
 */
#include "asm_defs.h"

/*
 * Make an SError the partition caused come due while it is still current:
 * DSB SY waits for its outstanding accesses (a posted write a device
 * answers with an error raises the SError then), ISB makes the pending
 * state visible, and ISR_EL1.A (read at EL2: the physical SError) says
 * whether one is pending. When one is, the exit branches to \pending
 * (x0 = the frame, all of the guest's registers stored or still live),
 * which takes it and reports it against this vCPU. Clobbers x1.
 * Implements: LLR-ARCH-094
 */
/* Store x19..x29, which the HVC path leaves in the CPU, into the frame at
 * \frame (offsets of struct arch_regs). */
.macro store_x19_x29 frame
    stp     x19, x20, [\frame, #152]
    stp     x21, x22, [\frame, #168]
    stp     x23, x24, [\frame, #184]
    stp     x25, x26, [\frame, #200]
    stp     x27, x28, [\frame, #216]
    str     x29, [\frame, #232]
.endm

.macro serror_check pending
    dsb     sy
    isb
    mrs     x1, isr_el1
    tbnz    x1, #ISR_A_BIT, \pending
.endm

.macro guest_exit kind
    .balign 128
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #REGS_X30]
    str     x1, [sp, #REGS_SPSR]
    mov     x0, sp
    mrs     x2, tpidr_el2
    ldr     x2, [x2, #CPU_STACK_TOP]
    mov     sp, x2
    serror_check .Lserror_exit
    mov     x1, #\kind
    b       guest_trap
.endm

/* Synchronous exception from a partition: HVC #0xEA1 or anything else. */
.macro guest_exit_sync
    .balign 128
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    mrs     x0, esr_el2
    lsr     x1, x0, #26
    cmp     x1, #ESR_EC_HVC64
    b.ne    sync_full_entry
    and     x1, x0, #0xffff
    cmp     x1, #HVC_XEN_IMM_ASM
    b.eq    hvc_entry
    b       sync_full_entry
.endm

.macro hyp_exception kind
    .balign 128
    sub     sp, sp, #32
    stp     x0, x1, [sp]
    mov     x0, #\kind
    b       hyp_trap
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .globl el2_vectors
el2_vectors:
    /* Current EL with SP_EL0: never used. */
    hyp_exception TRAP_SYNC
    hyp_exception TRAP_IRQ
    hyp_exception TRAP_FIQ
    hyp_exception TRAP_SERROR
    /* Current EL with SP_EL2: a fault inside the hypervisor. */
    hyp_exception TRAP_SYNC
    hyp_exception TRAP_IRQ
    hyp_exception TRAP_FIQ
    hyp_exception TRAP_SERROR
    /* Lower EL, AArch64: the partitions. */
    guest_exit_sync
    guest_exit TRAP_IRQ
    guest_exit TRAP_FIQ
    guest_exit TRAP_SERROR
    /* Lower EL, AArch32: HCR_EL2.RW=1 makes this unreachable. */
    hyp_exception TRAP_SYNC
    hyp_exception TRAP_IRQ
    hyp_exception TRAP_FIQ
    hyp_exception TRAP_SERROR

sync_full_entry:
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #REGS_X30]
    str     x1, [sp, #REGS_SPSR]
    mov     x0, sp
    mrs     x2, tpidr_el2
    ldr     x2, [x2, #CPU_STACK_TOP]
    mov     sp, x2
    serror_check .Lserror_exit_sync
    mov     x1, #TRAP_SYNC
    b       guest_trap

hvc_entry:
    str     x18, [sp, #144]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x30, x0, [sp, #REGS_X30]
    str     x1, [sp, #REGS_SPSR]
    mov     x0, sp
    mrs     x2, tpidr_el2
    ldr     x2, [x2, #CPU_STACK_TOP]
    mov     sp, x2
    serror_check .Lserror_exit_hvc
    str     x0, [sp, #-16]!
    bl      arch_hvc                    /* x0 = frame to resume, x1 = how */
    ldr     x2, [sp], #16               /* the caller's frame */
    cbnz    x1, hvc_full
    mov     sp, x0
    ldp     x30, x1, [sp, #REGS_X30]
    ldr     x2, [sp, #REGS_SPSR]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldr     x18, [sp, #144]
    eret

hvc_full:
    cmp     x1, #HVC_FULL_RESET
    b.eq    guest_resume
    store_x19_x29 x2
    b       guest_resume

/*
 * An SError is pending at a partition's exit (serror_check); x0 = its
 * frame. The exit's own cause is set aside, to come again: an interrupt
 * stays pending, a trapped instruction is retried at ELR, and an HVC (whose
 * ELR is the next instruction) is stepped back by 4 so that it is made
 * again, since it was not. The hypercall path first stores x19..x29, so
 * that the frame is whole. Then PSTATE.A is cleared for the two-point
 * window .Lserror_open/.Lserror_close: an SError pending when it is
 * unmasked is taken at the latest once the ISB completes. It is taken at
 * EL2 (vec_el2h_serror), where hyp_trap recognises the window and resumes
 * at .Lserror_close, with ESR_EL2 holding the SError's syndrome;
 * arch_trap then reports it as TRAP_SERROR against this vCPU, still
 * current. Implements: LLR-ARCH-094, LLR-ARCH-095
 */
.Lserror_exit_hvc:
    store_x19_x29 x0
    b       .Lserror_hvc_back
.Lserror_exit_sync:
    mrs     x1, esr_el2
    lsr     x1, x1, #26
    cmp     x1, #ESR_EC_HVC64
    b.ne    .Lserror_exit
.Lserror_hvc_back:
    ldr     x1, [x0, #REGS_PC]
    sub     x1, x1, #4
    str     x1, [x0, #REGS_PC]
.Lserror_exit:
    msr     daifclr, #4
.Lserror_open:
    isb
.Lserror_close:
    msr     daifset, #4
    mov     x1, #TRAP_SERROR
    /* fall through */

guest_trap:
    bl      arch_trap
    /* fall through: x0 = frame to resume */

    .globl guest_resume
guest_resume:
    mov     sp, x0
    ldp     x30, x1, [sp, #REGS_X30]
    ldr     x2, [sp, #REGS_SPSR]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    eret

/*
 * A synchronous exception at EL2 is a hypervisor fault, except at the two
 * AT instructions of arch_at_s1e1: there the guest's own stage-1 tables made
 * the walk abort (a table descriptor into a device page that answers with a
 * bus error). That is the guest's doing, so it resumes at .Lat_abort, which
 * reports a failed translation, and the hypercall fails with -EFAULT.
 * x0 = kind; x0, x1 of the interrupted code are at [sp].
 */
hyp_trap:
    cmp     x0, #TRAP_SERROR
    b.eq    .Lhyp_serror
    cmp     x0, #TRAP_SYNC
    b.ne    .Lhyp_fault
    mrs     x1, elr_el2
    adr     x0, .Lat_read
    cmp     x1, x0
    b.eq    1f
    adr     x0, .Lat_write
    cmp     x1, x0
    b.eq    1f
    mov     x0, #TRAP_SYNC
    b       .Lhyp_fault
1:  adr     x0, .Lat_abort
    msr     elr_el2, x0
    ldp     x0, x1, [sp]
    add     sp, sp, #32
    eret
/* An SError at EL2 is a hypervisor fault, except in the window of
 * .Lserror_exit, where the exiting partition's SError is expected: resume
 * after the window (PSTATE.A is set again there). Implements: LLR-ARCH-095 */
.Lhyp_serror:
    mrs     x1, elr_el2
    adr     x0, .Lserror_open
    cmp     x1, x0
    b.eq    3f
    adr     x0, .Lserror_close
    cmp     x1, x0
    b.eq    3f
    mov     x0, #TRAP_SERROR
    b       .Lhyp_fault
3:  adr     x0, .Lserror_close
    msr     elr_el2, x0
    ldp     x0, x1, [sp]
    add     sp, sp, #32
    eret
.Lhyp_fault:
    mrs     x1, esr_el2
    mrs     x2, elr_el2
    mrs     x3, far_el2
    bl      arch_hyp_fault
4:  wfi
    b       4b

/*
 * uint64_t arch_at_s1e1(uint64_t va, uint64_t write): the guest's stage-1
 * walk of va (AT S1E1W when write is non-zero, else AT S1E1R) in the
 * running vCPU's EL1 regime. Returns PAR_EL1 as the walk left it, or PAR.F
 * alone when the walk aborted (hyp_trap resumes at .Lat_abort); PAR_EL1 is
 * the guest's, so its value is put back. Uses x0..x2 only.
 */
    .globl arch_at_s1e1
arch_at_s1e1:
    mrs     x2, par_el1
    cbnz    x1, 1f
.Lat_read:
    at      s1e1r, x0
    b       2f
1:
.Lat_write:
    at      s1e1w, x0
2:  isb
    mrs     x0, par_el1
    msr     par_el1, x2
    ret
.Lat_abort:
    mov     x0, #1                      /* PAR_EL1.F: no translation */
    msr     par_el1, x2
    ret

/* FP/SIMD state of a vCPU: q0..q31 then FPSR, FPCR (528 bytes). */
    .arch_extension fp
    .arch_extension simd
    .text
    .globl arch_fpsimd_save
arch_fpsimd_save:
    stp     q0, q1, [x0, #0]
    stp     q2, q3, [x0, #32]
    stp     q4, q5, [x0, #64]
    stp     q6, q7, [x0, #96]
    stp     q8, q9, [x0, #128]
    stp     q10, q11, [x0, #160]
    stp     q12, q13, [x0, #192]
    stp     q14, q15, [x0, #224]
    stp     q16, q17, [x0, #256]
    stp     q18, q19, [x0, #288]
    stp     q20, q21, [x0, #320]
    stp     q22, q23, [x0, #352]
    stp     q24, q25, [x0, #384]
    stp     q26, q27, [x0, #416]
    stp     q28, q29, [x0, #448]
    stp     q30, q31, [x0, #480]
    mrs     x1, fpsr
    mrs     x2, fpcr
    add     x0, x0, #512
    stp     x1, x2, [x0]
    ret

    .globl arch_fpsimd_restore
arch_fpsimd_restore:
    ldp     q0, q1, [x0, #0]
    ldp     q2, q3, [x0, #32]
    ldp     q4, q5, [x0, #64]
    ldp     q6, q7, [x0, #96]
    ldp     q8, q9, [x0, #128]
    ldp     q10, q11, [x0, #160]
    ldp     q12, q13, [x0, #192]
    ldp     q14, q15, [x0, #224]
    ldp     q16, q17, [x0, #256]
    ldp     q18, q19, [x0, #288]
    ldp     q20, q21, [x0, #320]
    ldp     q22, q23, [x0, #352]
    ldp     q24, q25, [x0, #384]
    ldp     q26, q27, [x0, #416]
    ldp     q28, q29, [x0, #448]
    ldp     q30, q31, [x0, #480]
    add     x0, x0, #512
    ldp     x1, x2, [x0]
    msr     fpsr, x1
    msr     fpcr, x2
    ret

/* x0..x3 = PSCI function and arguments; returns x0. SMC conduit. */
    .globl arch_smc
arch_smc:
    smc     #0
    ret
