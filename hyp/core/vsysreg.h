/*
 * Trapped system registers whose guest-visible behaviour is a constant:
 * the PMU, the debug registers, ACTLR_EL1 and the set/way cache operations
 * (docs/architecture.md, "PMU, debug and other trap controls"). The arch
 * layer traps them (MDCR_EL2, HCR_EL2) and asks here what a partition sees.
 */
#ifndef BH_VSYSREG_H
#define BH_VSYSREG_H

#include "types.h"

/* An AArch64 system register or system instruction encoding, as a key:
 * op0 (2 bits), op1 (3), CRn (4), CRm (4), op2 (3), from high to low. */
#define VSYSREG_KEY(op0, op1, crn, crm, op2)                                                       \
    (((uint32_t)(op0) << 14u) | ((uint32_t)(op1) << 11u) | ((uint32_t)(crn) << 7u) |             \
     ((uint32_t)(crm) << 3u) | (uint32_t)(op2))

/* OSLSR_EL1 as a partition reads it: OSLM = 0b10 (the OS lock is
 * implemented), OSLK = 0 (never locked: OSLAR_EL1 writes are ignored). */
#define VSYSREG_OSLSR_VALUE 0x8u

/*
 * True when key is emulated with a constant: a read (MRS) returns *val, a
 * write (MSR, or a set/way DC operation) is ignored and the instruction
 * completes. False: the access has no emulation and is an undefined
 * instruction for the health monitor (IMPLEMENTATION DEFINED registers,
 * trace, anything else). *val is written only when true is returned.
 * Implements: LLR-ARCH-083 .. LLR-ARCH-086.
 */
bool vsysreg_emulate(uint32_t key, uint64_t *val);

#endif
