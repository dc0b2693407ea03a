/*
 * The table of trapped system registers a partition sees as constants.
 * Each row is a group of encodings (key & mask == match): a whole group is
 * one row so that an encoding a later CPU adds to a trapped group is
 * harmless too. Rows are tried in order; the first match decides, so an
 * exception to a group (OSLSR_EL1) comes before its group.
 */
#include "vsysreg.h"

struct vsysreg_row {
    uint32_t match;
    uint32_t mask;
    uint64_t value; /* what a read returns */
};

/* Masks: the fields a row leaves free. */
#define ANY_OP2 0x7u
#define ANY_CRM_OP2 0x7fu
#define CRM_LOW2_OP2 0x1fu /* CRm bits [1:0] and op2 free */
#define CRM_LOW3_OP2 0x3fu /* CRm bits [2:0] and op2 free */
#define ANY_CRN_CRM_OP2 0x7ffu
#define EXACT 0u
#define FULL_MASK 0xffffu

#define ROW(key, free, val) {(key), (uint32_t)(FULL_MASK & ~(uint32_t)(free)), (val)}

static const struct vsysreg_row vsysreg_table[] = {
    /* OS lock status: implemented, unlocked (OSLAR_EL1 writes are ignored). */
    ROW(VSYSREG_KEY(2, 0, 1, 1, 4), EXACT, VSYSREG_OSLSR_VALUE),
    /* op0 = 2, op1 = 0: breakpoints, watchpoints, MDSCR_EL1, the OS lock and
     * double lock, DBGPRCR_EL1, MDRAR_EL1, claim tags, OS DTR: RAZ/WI. */
    ROW(VSYSREG_KEY(2, 0, 0, 0, 0), ANY_CRN_CRM_OP2, 0u),
    /* op0 = 2, op1 = 3, CRn = 0: the debug communications channel. */
    ROW(VSYSREG_KEY(2, 3, 0, 0, 0), ANY_CRM_OP2, 0u),
    /* PMU, EL0 view: PMCR_EL0 .. PMOVSSET_EL0 (CRn 9, CRm 12..15). */
    ROW(VSYSREG_KEY(3, 3, 9, 12, 0), CRM_LOW2_OP2, 0u),
    /* PMU: PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0 (CRn 14, CRm 8..15). */
    ROW(VSYSREG_KEY(3, 3, 14, 8, 0), CRM_LOW3_OP2, 0u),
    /* PMU: PMINTENSET_EL1, PMINTENCLR_EL1. */
    ROW(VSYSREG_KEY(3, 0, 9, 14, 0), ANY_OP2, 0u),
    /* ACTLR_EL1: no partition-settable IMPLEMENTATION DEFINED control. */
    ROW(VSYSREG_KEY(3, 0, 1, 0, 1), EXACT, 0u),
    /* DC ISW, DC CSW, DC CISW: no-ops (coherent memory; a partition must
     * not evict or write back the shared caches of the others). */
    ROW(VSYSREG_KEY(1, 0, 7, 6, 2), EXACT, 0u),
    ROW(VSYSREG_KEY(1, 0, 7, 10, 2), EXACT, 0u),
    ROW(VSYSREG_KEY(1, 0, 7, 14, 2), EXACT, 0u),
};

#define VSYSREG_ROWS (sizeof(vsysreg_table) / sizeof(vsysreg_table[0]))

/* Implements: LLR-ARCH-083, LLR-ARCH-084, LLR-ARCH-085, LLR-ARCH-086 */
bool vsysreg_emulate(uint32_t key, uint64_t *val)
{
    uint32_t i;
    for (i = 0; i < (uint32_t)VSYSREG_ROWS; i++) {
        if ((key & vsysreg_table[i].mask) == vsysreg_table[i].match) {
            *val = vsysreg_table[i].value;
            return true;
        }
    }
    return false;
}
