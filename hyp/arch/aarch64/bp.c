/*
 * Branch predictors between partitions (Spectre variant 2, issue 15).
 *
 * Two halves. The hypervisor itself has no indirect branch for a partition
 * to train the predictor against (no function pointers, -fno-jump-tables;
 * the build refuses an image with a BR or BLR: LLR-ARCH-096). Between
 * partitions, a CPU that does not report CSV2 (ID_AA64PFR0_EL1, bits
 * [59:56]) may let one partition's training steer another's speculation,
 * so at every switch to another partition the predictors are invalidated
 * through the firmware's SMCCC_ARCH_WORKAROUND_1, when the firmware offers
 * it. Discovery follows SMCCC: PSCI_FEATURES(SMCCC_VERSION) says whether
 * SMCCC_VERSION exists, a version of 1.1 or later that SMCCC_ARCH_FEATURES
 * does, and SMCCC_ARCH_FEATURES(WORKAROUND_1) == 0 that the workaround is
 * there. No other SMC is made: firmware without SMCCC 1.1 may not answer
 * an unknown function. The answer is read once, at boot, on CPU 0.
 * Implements: LLR-ARCH-096 (with the Makefile's check), LLR-ARCH-097, LLR-ARCH-098.
 */
#include "arch.h"
#include "console.h"
#include "sysreg.h"

#define PSCI_FEATURES 0x8400000aULL
#define SMCCC_VERSION 0x80000000ULL
#define SMCCC_ARCH_FEATURES 0x80000001ULL
#define SMCCC_ARCH_WORKAROUND_1 0x80008000ULL
#define SMCCC_VERSION_1_1 0x10001ULL
#define ID_AA64PFR0_CSV2_SHIFT 56u

/* Written once by bp_init on CPU 0 before any secondary starts. */
static bool bp_flush_at_switch;

/* Whether the firmware offers SMCCC_ARCH_WORKAROUND_1 (see above). */
static bool bp_firmware_workaround(void)
{
    int64_t has_version = (int64_t)arch_smc(PSCI_FEATURES, SMCCC_VERSION, 0u, 0u);
    if (has_version < 0) {
        return false;
    }
    int64_t version = (int64_t)arch_smc(SMCCC_VERSION, 0u, 0u, 0u);
    if (version < (int64_t)SMCCC_VERSION_1_1) {
        return false;
    }
    return (int64_t)arch_smc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0u, 0u) == 0;
}

/* Implements: LLR-ARCH-097 (the decision, said at boot). */
void bp_init(void)
{
    uint64_t csv2 = (sysreg_read(id_aa64pfr0_el1) >> ID_AA64PFR0_CSV2_SHIFT) & 0xfu;
    if (csv2 != 0u) {
        console_log("branch predictors: the CPU reports CSV2; nothing to do at partition switches");
        return;
    }
    bp_flush_at_switch = bp_firmware_workaround();
    if (bp_flush_at_switch) {
        console_log("branch predictors: invalidated at every partition switch "
                    "(SMCCC_ARCH_WORKAROUND_1)");
    } else {
        console_log("warning: branch predictors are not invalidated at partition switches: "
                    "no CSV2, and the firmware offers no SMCCC_ARCH_WORKAROUND_1");
    }
}

/* Implements: LLR-ARCH-098 (called by vcpu_switch when the partition on
 * this CPU changes). */
void bp_partition_switch(void)
{
    if (bp_flush_at_switch) {
        (void)arch_smc(SMCCC_ARCH_WORKAROUND_1, 0u, 0u, 0u);
    }
}
