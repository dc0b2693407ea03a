/*
 * Health monitor: what happens when a partition misbehaves. Every error the
 * hypervisor detects, and every error a partition reports about itself, is
 * looked up in that partition's configured table, logged to that
 * partition's ring (the system partition reads all rings, merged in
 * raising order), announced on the console (within the partition's
 * hypervisor-line budget) and acted on.
 */
#ifndef BH_HM_H
#define BH_HM_H

#include "types.h"

struct vcpu;
struct partition;

/* Error kinds, the index into a partition's table (blob ABI: keep values). */
enum hm_error {
    HM_ERR_STAGE2 = 0,  /* stage-2 abort outside any emulated device */
    HM_ERR_UNDEF = 1,   /* undefined or trapped instruction, SMC, bad HVC */
    HM_ERR_MODE = 2,    /* unexpected exception level or mode (SError, FIQ) */
    HM_ERR_HCALL = 3,   /* hypercall use the configuration forbids */
    HM_ERR_REPORTED = 4, /* the partition reported an error about itself */
    HM_ERR_CRASH = 5,   /* the partition declared itself crashed */
    HM_ERR_SHUTDOWN = 6, /* the partition powered itself off (see hm_shutdown) */
    HM_ERR_DMA = 7,     /* the SMMU refused a DMA of a device the partition owns */
    HM_NUM_ERRORS = 8,
};

/* Actions (blob ABI: keep values). Zero is IDLE, so a table left empty
 * stops a misbehaving partition rather than ignoring it. */
enum hm_action {
    HM_IDLE = 0,          /* the partition goes to IDLE mode */
    HM_IGNORE = 1,        /* log only; a faulting instruction is skipped */
    HM_WARM_RESTART = 2,  /* vCPUs reset, memory kept, mode WARM_START */
    HM_COLD_RESTART = 3,  /* image restored from the blob, mode COLD_START */
    HM_NUM_ACTIONS = 4,
};

/*
 * One record of the health-monitor log (guest ABI of BH_HC_HM_LOG_READ). A
 * record stands for count occurrences of one error: a repeat of the
 * partition's newest record (same vCPU, error, detail and action) is folded
 * into it, which then takes the repeat's time and a new seq, so a reader
 * going on from its last seq sees the record again with the new count.
 */
struct hm_event {
    uint64_t time;     /* module time of the latest occurrence, counter ticks */
    uint64_t detail;   /* e.g. ESR, faulting address or the reported code */
    uint32_t seq;      /* of the latest occurrence: 1, 2, ... never reused */
    uint8_t part;      /* partition id */
    uint8_t vcpu;      /* vCPU index in the partition */
    uint8_t error;     /* enum hm_error */
    uint8_t action;    /* enum hm_action taken */
    uint32_t count;    /* occurrences folded into this record, 1 .. HM_FOLD_MAX */
    uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct hm_event) == 32u, "hm_event layout");

/* Records kept per partition; a partition's older ones are overwritten by
 * its own newer ones only, so no partition can evict another's. */
#define HM_LOG_PART_SIZE 16u
/* Occurrences one record stands for at most; the next starts a record, so
 * a reader sees an endless repeat advance and count never overflows. */
#define HM_FOLD_MAX 65535u

/* Clear the log. Implements: LLR-HM-001. */
void hm_init(void);

/*
 * The action for error e in partition p: its configured action, except that
 * a restart once p has used up its restart limit becomes HM_IDLE. An
 * out-of-range error or configured value is treated as HM_IDLE (the safe
 * choice). Implements: LLR-HM-002.
 */
enum hm_action hm_decide(const struct partition *p, uint32_t e);

/*
 * Raise error e, with detail, for vCPU v: decide, log (folding a repeat,
 * LLR-HM-009), announce ("partition <name> vcpu <n> health monitor: <error>
 * -> <action>", within the partition's budget of hypervisor lines) and act.
 * Returns the action taken, so the caller knows whether to skip a faulting
 * instruction (HM_IGNORE) or not. Implements: LLR-HM-003.
 */
enum hm_action hm_raise(struct vcpu *v, uint32_t e, uint64_t detail);

/*
 * Partition of v powers itself off (PSCI SYSTEM_OFF, SCHEDOP_shutdown
 * poweroff). A normal end, not an error: the partition is stopped with
 * reason, nothing is logged. Only when its table asks for a restart on
 * HM_ERR_SHUTDOWN (and the restart limit allows) is the error raised, the
 * restart logged and done. Returns true when the partition was restarted
 * (v has then been reset). Implements: LLR-HM-007.
 */
bool hm_shutdown(struct vcpu *v, const char *reason);

/*
 * Copy up to max records with seq >= from_seq, of every partition, in seq
 * order (oldest first), to out. Returns the number copied.
 * Implements: LLR-HM-004, LLR-HM-010.
 */
uint32_t hm_log_read(struct hm_event *out, uint32_t max, uint32_t from_seq);

/* What a trap decoder tells the core about a fault in a partition. */
struct fault_report {
    const char *what;   /* "stage-2 abort", "undefined instruction", ... */
    uint32_t hm_error;  /* enum hm_error */
    uint32_t esr_class; /* exception class (ESR_EL2.EC) */
    uint64_t esr;       /* full syndrome */
    uint64_t addr;      /* faulting guest-physical or virtual address */
    uint64_t pc;        /* guest PC of the faulting instruction */
};

/*
 * A vCPU of a partition faulted: print a decoded report ("partition <name>
 * vcpu <n> fault: <what>, ESR class .., ESR .., address .., pc ..") and raise
 * r->hm_error with the ESR as detail. Returns the action taken: with
 * HM_IGNORE the caller skips the faulting instruction. Implements: LLR-HM-005.
 */
uint32_t hm_fault(struct vcpu *v, const struct fault_report *r);

/* Record the configured module-level action (BH_CFG_MODULE_HALT or
 * BH_CFG_MODULE_RESET). Implements: LLR-HM-006. */
void hm_set_module_action(uint32_t action);

/*
 * A fault in the hypervisor itself: a module-level error. Announces it and
 * halts or resets the module as configured; never returns, never hangs
 * silently. Implements: LLR-HM-006.
 */
void hm_module_error(const char *what) __attribute__((noreturn));

/* Name of an error or action for messages ("?" when out of range). */
const char *hm_error_name(uint32_t e);
const char *hm_action_name(uint32_t a);

#endif
