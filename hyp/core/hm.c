/*
 * Health monitor; see hm.h. The decision is a table lookup; the only state
 * is one log ring per partition and each partition's restart count.
 */
#include "hm.h"

#include "arch_if.h"
#include "console.h"
#include "part.h"

static const char *const hm_error_names[HM_NUM_ERRORS] = {
    "stage-2 violation", "undefined or trapped instruction", "unexpected mode",
    "illegal hypercall", "reported error",                    "crash",
    "shutdown",          "DMA fault",
};

/* The reason part_stop prints when the action is IDLE. */
static const char *const hm_idle_reasons[HM_NUM_ERRORS] = {
    "fault", "fault", "fault", "illegal hypercall", "reported error", "crash", "poweroff",
    "DMA fault",
};

static const char *const hm_action_names[HM_NUM_ACTIONS] = {
    "IDLE", "IGNORE", "WARM_RESTART", "COLD_RESTART",
};

/* One partition's records, oldest overwritten first; written counts every
 * record ever added, so the ring holds written - HM_LOG_PART_SIZE .. written
 * - 1 (or 0 .. written - 1), in seq order. */
struct hm_ring {
    uint32_t written;
    struct hm_event ev[HM_LOG_PART_SIZE];
};

static struct {
    bh_lock_t lock;
    uint32_t next_seq; /* seq of the next event; 1 for the first */
    struct hm_ring part[BH_MAX_PARTS];
} hm_log;

static uint32_t hm_module_action;

/* Implements: LLR-HM-006 */
void hm_set_module_action(uint32_t action)
{
    hm_module_action = action;
}

/* Implements: LLR-HM-006 */
void hm_module_error(const char *what)
{
    bool reset = (hm_module_action == BH_CFG_MODULE_RESET);
    console_log("module error: %s -> %s", what, reset ? "RESET" : "HALT");
    if (reset) {
        arch_reset();
    }
    arch_halt();
}

/* Implements: LLR-HM-001 */
void hm_init(void)
{
    hm_log.next_seq = 1;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        hm_log.part[i].written = 0;
    }
}

const char *hm_error_name(uint32_t e)
{
    return (e < (uint32_t)HM_NUM_ERRORS) ? hm_error_names[e] : "?";
}

const char *hm_action_name(uint32_t a)
{
    return (a < (uint32_t)HM_NUM_ACTIONS) ? hm_action_names[a] : "?";
}

/* Implements: LLR-HM-002 */
enum hm_action hm_decide(const struct partition *p, uint32_t e)
{
    if (e >= (uint32_t)HM_NUM_ERRORS || p->cfg == NULL) {
        return HM_IDLE;
    }
    uint32_t a = p->cfg->hm_action[e];
    if (a >= (uint32_t)HM_NUM_ACTIONS) {
        return HM_IDLE;
    }
    bool restart = (a == (uint32_t)HM_WARM_RESTART || a == (uint32_t)HM_COLD_RESTART);
    if (restart && p->restarts >= p->cfg->restart_limit) {
        return HM_IDLE;
    }
    return (enum hm_action)a;
}

/*
 * Implements: LLR-HM-008 (the record goes to the partition's own ring).
 * Implements: LLR-HM-009 (a repeat of the partition's newest record is
 * folded into it: count, time and seq updated, no record added).
 * The partition id indexes part_table, so it is below BH_MAX_PARTS.
 */
static void hm_log_append(const struct vcpu *v, uint32_t e, uint64_t detail, enum hm_action a)
{
    arch_lock(&hm_log.lock);
    struct hm_ring *r = &hm_log.part[v->part->id];
    struct hm_event *ev = &r->ev[(r->written + HM_LOG_PART_SIZE - 1u) % HM_LOG_PART_SIZE];
    bool repeat = r->written != 0u && ev->vcpu == (uint8_t)v->vid && ev->error == (uint8_t)e &&
                  ev->detail == detail && ev->action == (uint8_t)a && ev->count < HM_FOLD_MAX;
    if (repeat) {
        ev->count++;
    } else {
        ev = &r->ev[r->written % HM_LOG_PART_SIZE];
        r->written++;
        ev->detail = detail;
        ev->part = (uint8_t)v->part->id;
        ev->vcpu = (uint8_t)v->vid;
        ev->error = (uint8_t)e;
        ev->action = (uint8_t)a;
        ev->count = 1;
        ev->reserved = 0;
    }
    ev->time = arch_now();
    ev->seq = hm_log.next_seq;
    hm_log.next_seq++;
    arch_unlock(&hm_log.lock);
}

/* Implements: LLR-HM-003 */
enum hm_action hm_raise(struct vcpu *v, uint32_t e, uint64_t detail)
{
    struct partition *p = v->part;
    if (!part_vcpu_live(v)) {
        /* An error of a vCPU whose partition another CPU already stopped or
         * restarts belongs to the old incarnation: no action (LLR-PART-010). */
        return HM_IGNORE;
    }
    enum hm_action a = hm_decide(p, e);
    uint32_t ei = (e < (uint32_t)HM_NUM_ERRORS) ? e : (uint32_t)HM_ERR_MODE;

    hm_log_append(v, ei, detail, a);
    struct console_rec line = {.kind = CONSOLE_REC_HM,
                               .vcpu = v->vid,
                               .text = hm_error_names[ei],
                               .text2 = hm_action_names[a]};
    console_log_part(p, &line);
    switch (a) {
    case HM_IGNORE:
        break;
    case HM_WARM_RESTART:
    case HM_COLD_RESTART:
        (void)part_restart(p, a == HM_COLD_RESTART, false); /* counts it */
        break;
    default:
        part_stop(p, hm_idle_reasons[ei]);
        break;
    }
    return a;
}

/* Implements: LLR-HM-007 */
bool hm_shutdown(struct vcpu *v, const char *reason)
{
    enum hm_action a = hm_decide(v->part, HM_ERR_SHUTDOWN);
    if (a != HM_WARM_RESTART && a != HM_COLD_RESTART) {
        part_stop(v->part, reason);
        return false;
    }
    (void)hm_raise(v, HM_ERR_SHUTDOWN, 0);
    return true;
}

/* Index (counted like written) of r's first record with seq >= from_seq, or
 * written when there is none. Caller holds the log lock. */
static uint32_t hm_ring_first(const struct hm_ring *r, uint32_t from_seq)
{
    uint32_t k = (r->written > HM_LOG_PART_SIZE) ? r->written - HM_LOG_PART_SIZE : 0u;
    while (k < r->written && r->ev[k % HM_LOG_PART_SIZE].seq < from_seq) { /* <= ring size */
        k++;
    }
    return k;
}

/*
 * Implements: LLR-HM-004, LLR-HM-010 (the partitions' rings merged in seq
 * order: each ring is in seq order already, so each turn copies the
 * smallest of the rings' next records).
 */
uint32_t hm_log_read(struct hm_event *out, uint32_t max, uint32_t from_seq)
{
    uint32_t next[BH_MAX_PARTS];
    uint32_t n = 0;
    arch_lock(&hm_log.lock);
    for (uint32_t p = 0; p < BH_MAX_PARTS; p++) {
        next[p] = hm_ring_first(&hm_log.part[p], from_seq);
    }
    /* At most BH_MAX_PARTS x HM_LOG_PART_SIZE turns: each copies a record. */
    for (; n < max; n++) {
        const struct hm_event *best = NULL;
        uint32_t best_part = 0;
        for (uint32_t p = 0; p < BH_MAX_PARTS; p++) {
            const struct hm_ring *r = &hm_log.part[p];
            const struct hm_event *ev = &r->ev[next[p] % HM_LOG_PART_SIZE];
            if (next[p] < r->written && (best == NULL || ev->seq < best->seq)) {
                best = ev;
                best_part = p;
            }
        }
        if (best == NULL) {
            break;
        }
        out[n] = *best;
        next[best_part]++;
    }
    arch_unlock(&hm_log.lock);
    return n;
}

/* Implements: LLR-HM-005 */
uint32_t hm_fault(struct vcpu *v, const struct fault_report *r)
{
    struct console_rec line = {.kind = CONSOLE_REC_FAULT,
                               .vcpu = v->vid,
                               .text = (r->what != NULL) ? r->what : "unknown",
                               .esr_class = r->esr_class,
                               .esr = r->esr,
                               .addr = r->addr,
                               .pc = r->pc};
    console_log_part(v->part, &line);
    return (uint32_t)hm_raise(v, r->hm_error, r->esr);
}
