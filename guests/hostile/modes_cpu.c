/*
 * Attacks with the CPU alone: time taken with interrupts masked, and every
 * HVC and SMC immediate (issue 15, attacks 18 and 29).
 */
#include "hostile.h"

/* Interrupts masked, then a spin: the window's end must still come (the
 * physical timer interrupt goes to EL2 whatever PSTATE.I says at EL1). */
HOSTILE_MODE(spin_masked, "spin with interrupts masked, forever")
{
    (void)args;
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}

/* WFI with interrupts masked: nothing it waits for is ever taken at EL1. */
HOSTILE_MODE(wfi_masked, "WFI and WFE with interrupts masked, forever")
{
    (void)args;
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi\n\twfe\n\tsevl\n\twfe" ::: "memory");
    }
}

/* A two-instruction routine written at run time: insn, then RET. */
static uint32_t stub[2] __attribute__((aligned(64)));

static void stub_call(uint32_t insn)
{
    stub[0] = insn;
    stub[1] = 0xd65f03c0u; /* ret */
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" ::"r"(stub)
                     : "memory");
    register uint64_t x0 __asm__("x0") = 0x84000000u; /* PSCI_VERSION for HVC #0 */
    __asm__ volatile("blr %1"
                     : "+r"(x0)
                     : "r"(stub)
                     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                       "x13", "x14", "x15", "x16", "x17", "x30", "memory");
}

/* HVC #imm for every immediate the caller's bootargs range allows (all
 * 65,536 by default, 0xEA1 skipped: x16 holds no hypercall number), each an
 * undefined instruction for the health monitor except #0 (PSCI). */
HOSTILE_MODE(hvc_sweep, "HVC with every immediate")
{
    uint32_t last = (uint32_t)bh_arg(args, "last", 0, 0xFFFF);
    for (uint32_t imm = 0; imm <= last; imm++) {
        if (imm != 0xEA1u) {
            stub_call(0xd4000002u | (imm << 5)); /* hvc #imm */
        }
    }
    hostile_check(true, "every HVC immediate returned");
}

/* SMC #imm for every immediate: SMC is trapped (HCR_EL2.TSC), never reaches
 * the firmware, and is an undefined instruction for the health monitor. */
HOSTILE_MODE(smc_sweep, "SMC with every immediate")
{
    uint32_t last = (uint32_t)bh_arg(args, "last", 0, 0xFFFF);
    for (uint32_t imm = 0; imm <= last; imm++) {
        stub_call(0xd4000003u | (imm << 5)); /* smc #imm */
    }
    hostile_check(true, "every SMC immediate returned");
}
