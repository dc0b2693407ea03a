/*
 * PSCI 1.0 and SMCCC 1.1 for partitions, reached through HVC #0 (the
 * conduit a partition's device tree names: psci { method = "hvc"; }).
 * Every call acts on the caller's own partition only: its vCPUs are started
 * and stopped, and a system off or reset ends or restarts that partition,
 * never the module. Function IDs and return values are those of Arm's PSCI
 * (DEN0022) and SMCCC (DEN0028) specifications.
 */
#ifndef BH_PSCI_H
#define BH_PSCI_H

#include "types.h"

struct vcpu;

/* Function IDs (w0). */
#define PSCI_FN_VERSION 0x84000000u
#define PSCI_FN_CPU_SUSPEND 0x84000001u
#define PSCI_FN_CPU_OFF 0x84000002u
#define PSCI_FN_CPU_ON 0x84000003u
#define PSCI_FN_AFFINITY_INFO 0x84000004u
#define PSCI_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FN_SYSTEM_OFF 0x84000008u
#define PSCI_FN_SYSTEM_RESET 0x84000009u
#define PSCI_FN_FEATURES 0x8400000Au
#define PSCI_FN64_CPU_ON 0xC4000003u
#define PSCI_FN64_AFFINITY_INFO 0xC4000004u
#define SMCCC_FN_VERSION 0x80000000u
#define SMCCC_FN_ARCH_FEATURES 0x80000001u

/* Return values (x0, negative as signed). */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_INVALID_ADDRESS (-9)

#define PSCI_VERSION_1_0 0x10000       /* major 1, minor 0 */
#define SMCCC_VERSION_1_1 0x10001      /* major 1, minor 1 */
#define PSCI_MIGRATE_NONE 2            /* MIGRATE_INFO_TYPE: no trusted OS */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1

/*
 * Handle the PSCI or SMCCC call in args (x0 = function ID, x1..x3 its
 * arguments) from vCPU v and return the value for x0. Function IDs are
 * compared in their low 32 bits (SMCCC: w0); 32-bit calls use the low 32 bits
 * of their arguments. Anything not offered returns PSCI_NOT_SUPPORTED.
 * Implements: LLR-PSCI-001 .. LLR-PSCI-006.
 */
int64_t psci_call(struct vcpu *v, const uint64_t args[4]);

#endif
