/* Unit tests of hyp/core/vsysreg.c (what a partition sees of trapped system
 * registers: the PMU, debug, ACTLR_EL1, set/way cache operations). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vsysreg.h"

#define POISON 0x5a5a5a5a5a5a5a5aull

/* The value key reads, or POISON when it is not emulated. */
static uint64_t read_of(uint32_t key)
{
    uint64_t v = POISON;
    return vsysreg_emulate(key, &v) ? v : POISON;
}

/* Verifies: LLR-ARCH-083 (every PMU register, each group at both ends and
 * the registers an attacker uses: RAZ/WI) */
static void test_pmu_raz(void **state)
{
    (void)state;
    static const uint32_t keys[] = {
        VSYSREG_KEY(3, 3, 9, 12, 0),  /* PMCR_EL0 */
        VSYSREG_KEY(3, 3, 9, 12, 1),  /* PMCNTENSET_EL0 */
        VSYSREG_KEY(3, 3, 9, 12, 7),  /* PMCEID1_EL0 */
        VSYSREG_KEY(3, 3, 9, 13, 0),  /* PMCCNTR_EL0 */
        VSYSREG_KEY(3, 3, 9, 13, 2),  /* PMXEVCNTR_EL0 */
        VSYSREG_KEY(3, 3, 9, 14, 0),  /* PMUSERENR_EL0 */
        VSYSREG_KEY(3, 3, 9, 14, 3),  /* PMOVSSET_EL0 */
        VSYSREG_KEY(3, 0, 9, 14, 1),  /* PMINTENSET_EL1 */
        VSYSREG_KEY(3, 0, 9, 14, 2),  /* PMINTENCLR_EL1 */
        VSYSREG_KEY(3, 3, 14, 8, 0),  /* PMEVCNTR0_EL0 */
        VSYSREG_KEY(3, 3, 14, 11, 7), /* PMEVCNTR31_EL0 (none such: harmless) */
        VSYSREG_KEY(3, 3, 14, 12, 0), /* PMEVTYPER0_EL0 */
        VSYSREG_KEY(3, 3, 14, 15, 7), /* PMCCFILTR_EL0 */
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        assert_int_equal(read_of(keys[i]), 0);
    }
}

/* Verifies: LLR-ARCH-084 (debug registers RAZ/WI; OSLSR_EL1 reads
 * implemented and unlocked, whatever OSLAR_EL1 was written) */
static void test_debug(void **state)
{
    (void)state;
    static const uint32_t keys[] = {
        VSYSREG_KEY(2, 0, 0, 0, 4),  /* DBGBVR0_EL1 */
        VSYSREG_KEY(2, 0, 0, 5, 5),  /* DBGBCR5_EL1 */
        VSYSREG_KEY(2, 0, 0, 15, 7), /* DBGWCR15_EL1 */
        VSYSREG_KEY(2, 0, 0, 0, 6),  /* DBGWVR0_EL1 */
        VSYSREG_KEY(2, 0, 0, 2, 2),  /* MDSCR_EL1 */
        VSYSREG_KEY(2, 0, 1, 0, 0),  /* MDRAR_EL1 */
        VSYSREG_KEY(2, 0, 1, 0, 4),  /* OSLAR_EL1 */
        VSYSREG_KEY(2, 0, 1, 3, 4),  /* OSDLR_EL1 */
        VSYSREG_KEY(2, 0, 1, 4, 4),  /* DBGPRCR_EL1 */
        VSYSREG_KEY(2, 0, 7, 8, 6),  /* DBGCLAIMSET_EL1 */
        VSYSREG_KEY(2, 0, 7, 14, 6), /* DBGAUTHSTATUS_EL1 */
        VSYSREG_KEY(2, 3, 0, 1, 0),  /* MDCCSR_EL0 */
        VSYSREG_KEY(2, 3, 0, 5, 0),  /* DBGDTRRX_EL0 */
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        assert_int_equal(read_of(keys[i]), 0);
    }
    assert_int_equal(read_of(VSYSREG_KEY(2, 0, 1, 1, 4)), VSYSREG_OSLSR_VALUE);
}

/* Verifies: LLR-ARCH-085 (ACTLR_EL1 RAZ/WI; DC ISW/CSW/CISW completed as
 * no-ops) */
static void test_actlr_setway(void **state)
{
    (void)state;
    assert_int_equal(read_of(VSYSREG_KEY(3, 0, 1, 0, 1)), 0);
    assert_int_equal(read_of(VSYSREG_KEY(1, 0, 7, 6, 2)), 0);
    assert_int_equal(read_of(VSYSREG_KEY(1, 0, 7, 10, 2)), 0);
    assert_int_equal(read_of(VSYSREG_KEY(1, 0, 7, 14, 2)), 0);
}

/* Verifies: LLR-ARCH-086 (everything else is not emulated, and *val is left
 * alone: IMPLEMENTATION DEFINED registers, trace, neighbours of the rows) */
static void test_not_emulated(void **state)
{
    (void)state;
    static const uint32_t keys[] = {
        VSYSREG_KEY(3, 1, 15, 2, 0),  /* CPUACTLR_EL1 (IMPDEF, TIDCP) */
        VSYSREG_KEY(3, 1, 11, 0, 2),  /* L2CTLR_EL1 (IMPDEF, TIDCP) */
        VSYSREG_KEY(3, 0, 15, 0, 0),  /* IMPDEF */
        VSYSREG_KEY(2, 1, 0, 1, 0),   /* TRCPRGCTLR (trace, CPTR_EL2.TTA) */
        VSYSREG_KEY(2, 3, 1, 0, 0),   /* op0 2, op1 3 beyond the DCC */
        VSYSREG_KEY(3, 0, 12, 11, 5), /* ICC_SGI1R_EL1: the arch's own case */
        VSYSREG_KEY(3, 3, 14, 2, 1),  /* CNTP_CTL_EL0 */
        VSYSREG_KEY(3, 3, 9, 11, 7),  /* below the PMU rows */
        VSYSREG_KEY(3, 3, 14, 7, 7),  /* below PMEVCNTR0_EL0 */
        VSYSREG_KEY(3, 0, 9, 13, 0),  /* beside PMINTENSET_EL1 */
        VSYSREG_KEY(3, 0, 1, 0, 0),   /* SCTLR_EL1, beside ACTLR_EL1 */
        VSYSREG_KEY(3, 0, 1, 0, 2),   /* CPACR_EL1 */
        VSYSREG_KEY(1, 0, 7, 6, 1),   /* DC IVAC: by VA, not trapped */
        VSYSREG_KEY(1, 0, 7, 14, 1),  /* DC CIVAC */
        VSYSREG_KEY(1, 0, 7, 2, 2),   /* no such set/way operation */
        VSYSREG_KEY(0, 0, 0, 0, 0),
        0xffffu,
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        assert_int_equal(read_of(keys[i]), POISON);
    }
}

/* Verifies: LLR-ARCH-083 (the key packs each field where the table expects) */
static void test_key_layout(void **state)
{
    (void)state;
    assert_int_equal(VSYSREG_KEY(3, 0, 0, 0, 0), 0xc000u);
    assert_int_equal(VSYSREG_KEY(0, 7, 0, 0, 0), 0x3800u);
    assert_int_equal(VSYSREG_KEY(0, 0, 15, 0, 0), 0x0780u);
    assert_int_equal(VSYSREG_KEY(0, 0, 0, 15, 0), 0x0078u);
    assert_int_equal(VSYSREG_KEY(0, 0, 0, 0, 7), 0x0007u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pmu_raz),     cmocka_unit_test(test_debug),
        cmocka_unit_test(test_actlr_setway), cmocka_unit_test(test_not_emulated),
        cmocka_unit_test(test_key_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
