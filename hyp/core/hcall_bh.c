/*
 * Bulkhead's own hypercalls: ARINC 653 schedule and partition modes, and the
 * health monitor. The same rules as for the Xen ones: every guest pointer is
 * checked against the caller's RAM, every number against its range, and the
 * privileged calls answer -EPERM to every partition but the system one.
 */
#include "hcall.h"
#include "hcall_int.h"

#include "arch_if.h"
#include "gmem.h"
#include "hm.h"
#include "part.h"
#include "sched.h"
#include "util.h"

static uint32_t hcall_target(const struct vcpu *v, uint64_t arg)
{
    uint32_t id = (uint32_t)arg;
    return (id == BH_SELF) ? v->part->id : id;
}

/* Implements: LLR-HC-010 */
static int64_t hcall_sched_get(struct vcpu *v, uint64_t ptr)
{
    struct sched_status st;
    sched_get_status(arch_now(), &st);
    return gmem_write(v, ptr, &st, sizeof(st)) ? 0 : -XEN_EFAULT;
}

/* Implements: LLR-HC-012 */
static int64_t hcall_hm_log_read(struct vcpu *v, const uint64_t args[5])
{
    /* One buffer per CPU: the system partition's vCPUs may read at once. */
    static struct hm_event bufs[BH_MAX_CPUS][BH_HM_LOG_READ_MAX];
    struct hm_event *buf = bufs[arch_cpu_id() % BH_MAX_CPUS];
    uint64_t max = (args[1] < BH_HM_LOG_READ_MAX) ? args[1] : BH_HM_LOG_READ_MAX;
    if (!gmem_check(v, args[0], max * sizeof(struct hm_event), true)) {
        return -XEN_EFAULT;
    }
    uint32_t n = hm_log_read(buf, (uint32_t)max, (uint32_t)args[2]);
    return gmem_write(v, args[0], buf, (uint64_t)n * sizeof(struct hm_event)) ? (int64_t)n
                                                                               : -XEN_EFAULT;
}

/* The caller's own interrupt account (struct irq_time at guest address
 * out). Implements: LLR-HC-014 */
static int64_t hcall_irq_time(struct vcpu *v, uint64_t out)
{
    struct irq_time t;
    t.entries = v->irq_entries;
    t.ticks = v->irq_ticks;
    return gmem_write(v, out, &t, sizeof(t)) ? 0 : -XEN_EFAULT;
}

/* Implements: LLR-HC-009 .. LLR-HC-014 */
int64_t hcall_bulkhead(struct vcpu *v, uint64_t nr, uint64_t args[5])
{
    uint32_t mode = 0;
    int64_t rc;
    bool sys = v->part->system;

    switch (nr) {
    case BH_HC_SCHED_GET:
        return hcall_sched_get(v, args[0]);
    case BH_HC_SCHED_SWITCH:
        return sys ? sched_request_switch((uint32_t)args[0], arch_now()) : -XEN_EPERM;
    case BH_HC_MODE_GET:
        rc = part_get_mode(v, hcall_target(v, args[0]), &mode);
        return (rc == 0) ? (int64_t)mode : rc;
    case BH_HC_MODE_SET:
        return part_set_mode(v, hcall_target(v, args[0]), (uint32_t)args[1]);
    case BH_HC_HM_REPORT:
        (void)hm_raise(v, HM_ERR_REPORTED, args[0]);
        return 0;
    case BH_HC_HM_LOG_READ:
        return sys ? hcall_hm_log_read(v, args) : -XEN_EPERM;
    case BH_HC_PART_ID:
        return (int64_t)v->part->id;
    case BH_HC_IRQ_TIME:
        return hcall_irq_time(v, args[0]);
    default:
        return -XEN_ENOSYS;
    }
}
