/*
 * PSCI and SMCCC for partitions: version and feature discovery, vCPU power
 * (CPU_ON, CPU_OFF, AFFINITY_INFO) inside the caller's partition, and
 * SYSTEM_OFF / SYSTEM_RESET as the end or cold restart of that partition.
 */
#include "psci.h"

#include "arch_inline.h"
#include "hm.h"
#include "part.h"
#include "sched.h"

#define PSCI_FN_LOW32(x) ((uint32_t)(x))
#define PSCI_ENTRY_ALIGN 4u

/*
 * The functions PSCI_FEATURES reports as implemented (result 0): every one
 * psci_call answers, other than by NOT_SUPPORTED.
 */
static const uint32_t psci_offered[] = {
    PSCI_FN_VERSION,        PSCI_FN_CPU_OFF,         PSCI_FN_CPU_ON,
    PSCI_FN64_CPU_ON,       PSCI_FN_AFFINITY_INFO,   PSCI_FN64_AFFINITY_INFO,
    PSCI_FN_MIGRATE_INFO_TYPE, PSCI_FN_SYSTEM_OFF,   PSCI_FN_SYSTEM_RESET,
    PSCI_FN_FEATURES,       SMCCC_FN_VERSION,
};
#define PSCI_NUM_OFFERED (sizeof(psci_offered) / sizeof(psci_offered[0]))

/* Implements: LLR-PSCI-002 (PSCI_FEATURES: 0 for an offered function, NOT_SUPPORTED otherwise). */
static int64_t psci_features(uint32_t fn)
{
    for (uint32_t i = 0; i < PSCI_NUM_OFFERED; i++) {
        if (psci_offered[i] == fn) {
            return PSCI_SUCCESS;
        }
    }
    return PSCI_NOT_SUPPORTED;
}

/* The vCPU of v's partition with MPIDR target (Aff0 = vCPU index, every
 * other affinity level and bit zero, so the value is the index), or NULL. */
static struct vcpu *psci_target(const struct vcpu *v, uint64_t target)
{
    const struct partition *p = v->part;
    if (target >= p->num_vcpus) {
        return NULL;
    }
    /* The guest's index, masked after the check. Implements: LLR-ARCH-093 */
    return p->vcpus[arch_index_nospec((uint32_t)target, p->num_vcpus)];
}

/*
 * CPU_ON: start an off vCPU of the caller's partition at entry (a 4-aligned
 * address inside its RAM) with x0 = context, and make its CPU choose again.
 * Implements: LLR-PSCI-003
 */
static int64_t psci_cpu_on(const struct vcpu *v, uint64_t target, uint64_t entry,
                           uint64_t context)
{
    struct vcpu *t = psci_target(v, target);
    if (t == NULL) {
        return PSCI_INVALID_PARAMETERS;
    }
    if ((entry & (PSCI_ENTRY_ALIGN - 1u)) != 0u ||
        part_guest_ptr(t->part, entry, PSCI_ENTRY_ALIGN) == NULL) {
        return PSCI_INVALID_ADDRESS;
    }
    /* Under the life lock: a start asked by a vCPU whose partition is
     * stopping or restarting meanwhile never takes effect (LLR-PART-010). */
    struct partition *p = t->part;
    arch_lock(&p->life);
    bool on = (t->state == VCPU_OFF && p->state == PART_RUNNING);
    if (on) {
        arch_vcpu_reset(t, entry, context);
        t->vtimer.ctl = 0;
        t->vtimer.cval = 0;
        __atomic_store_n(&t->state, VCPU_RUNNABLE, __ATOMIC_SEQ_CST);
    }
    arch_unlock(&p->life);
    if (!on) {
        return PSCI_ALREADY_ON;
    }
    sched_request_pick(t->pcpu);
    (void)vgic_kick(t); /* outside its window, t starts when the window does */
    return PSCI_SUCCESS;
}

/* Implements: LLR-PSCI-004 (AFFINITY_INFO at level 0: ON or OFF of a vCPU
 * of the caller's partition). */
static int64_t psci_affinity_info(const struct vcpu *v, uint64_t target, uint64_t level)
{
    const struct vcpu *t = psci_target(v, target);
    if (t == NULL || level != 0u) {
        return PSCI_INVALID_PARAMETERS;
    }
    return (t->state == VCPU_OFF) ? PSCI_AFFINITY_OFF : PSCI_AFFINITY_ON;
}

/* Implements: LLR-PSCI-005 (CPU_OFF: the caller's vCPU is off until a CPU_ON). */
static int64_t psci_cpu_off(struct vcpu *v)
{
    v->state = VCPU_OFF;
    sched_request_pick(v->pcpu);
    return PSCI_SUCCESS;
}

/*
 * SYSTEM_OFF stops the caller's partition, unless its health-monitor table
 * restarts it (hm_shutdown); SYSTEM_RESET restarts it cold. A restart only
 * begins here: the return value is written to the caller's frame first, and
 * the reset at the end of the reload (LLR-PART-011) then sets x0 to the
 * device-tree address. vCPU 0 is given that address as the return value as
 * well, so its x0 is right whichever comes last.
 * Implements: LLR-PSCI-006
 */
static int64_t psci_system(struct vcpu *v, bool reset)
{
    if (reset) {
        (void)part_restart(v->part, true, false);
    } else if (!hm_shutdown(v, "poweroff (PSCI SYSTEM_OFF)")) {
        return PSCI_SUCCESS;
    } else {
        /* restarted by the health monitor: v has been reset */
    }
    return (v->vid == 0u) ? (int64_t)v->part->cfg->dtb_gpa : 0;
}

/* Implements: LLR-PSCI-001 (version, SMCCC discovery, routing; unknown
 * functions NOT_SUPPORTED). */
int64_t psci_call(struct vcpu *v, const uint64_t args[4])
{
    if (!part_vcpu_live(v)) {
        return PSCI_DENIED; /* its partition stopped or restarts: LLR-PART-010 */
    }
    switch (PSCI_FN_LOW32(args[0])) {
    case PSCI_FN_VERSION:
        return PSCI_VERSION_1_0;
    case PSCI_FN_FEATURES:
        return psci_features(PSCI_FN_LOW32(args[1]));
    case SMCCC_FN_VERSION:
        return SMCCC_VERSION_1_1;
    case PSCI_FN_MIGRATE_INFO_TYPE:
        return PSCI_MIGRATE_NONE;
    case PSCI_FN_CPU_ON:
        return psci_cpu_on(v, PSCI_FN_LOW32(args[1]), PSCI_FN_LOW32(args[2]),
                           PSCI_FN_LOW32(args[3]));
    case PSCI_FN64_CPU_ON:
        return psci_cpu_on(v, args[1], args[2], args[3]);
    case PSCI_FN_AFFINITY_INFO:
        return psci_affinity_info(v, PSCI_FN_LOW32(args[1]), PSCI_FN_LOW32(args[2]));
    case PSCI_FN64_AFFINITY_INFO:
        return psci_affinity_info(v, args[1], args[2]);
    case PSCI_FN_CPU_OFF:
        return psci_cpu_off(v);
    case PSCI_FN_SYSTEM_OFF:
        return psci_system(v, false);
    case PSCI_FN_SYSTEM_RESET:
        return psci_system(v, true);
    default:
        /* SMCCC_ARCH_FEATURES included: no firmware workaround is offered. */
        return PSCI_NOT_SUPPORTED;
    }
}
