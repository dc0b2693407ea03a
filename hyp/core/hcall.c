/*
 * Hypercall dispatch: the subset of the Xen Arm guest interface Bulkhead
 * offers. Every guest pointer is checked against the caller's RAM before a
 * byte moves, and guest memory is touched byte-wise (bh_memcpy), because a
 * guest pointer may be unaligned. Sub-operation numbers are taken from the
 * low 32 bits of their register, as Xen's C prototypes (int cmd) do.
 */
#include "hcall.h"

#include "console.h"
#include "hcall_int.h"
#include "hm.h"
#include "evtchn.h"
#include "gmem.h"
#include "part.h"
#include "sched.h"
#include "shinfo.h"
#include "util.h"

/* The extra-version string: XEN_EXTRAVERSION_LEN bytes, NUL padded. */
static const char hcall_extraversion[XEN_EXTRAVERSION_LEN] = "-bulkhead";

/* struct xen_feature_info { uint32_t submap_idx; uint32_t submap; } */
#define FEATURE_INFO_SIZE 8u
#define FEATURE_SUBMAP_OFF 4u
#define BH_FEATURES ((1u << XENFEAT_WRITABLE_PAGE_TABLES) | (1u << XENFEAT_AUTO_TRANSLATED_PHYSMAP))

/* Implements: LLR-HC-002, LLR-HC-003, LLR-HC-004 */
static int64_t hcall_xen_version(struct vcpu *v, const uint64_t args[5])
{
    switch ((uint32_t)args[0]) {
    case XENVER_VERSION:
        return (int64_t)BH_XEN_VERSION;
    case XENVER_EXTRAVERSION:
        return gmem_write(v, args[1], hcall_extraversion, XEN_EXTRAVERSION_LEN) ? 0 : -XEN_EFAULT;
    case XENVER_PAGESIZE:
        return 4096; /* the stage-2 granule Bulkhead maps with, as Xen on Arm */
    case XENVER_GET_FEATURES: {
        uint8_t info[FEATURE_INFO_SIZE];
        uint32_t idx;
        uint32_t submap = BH_FEATURES;
        if (!gmem_read(v, info, args[1], sizeof(info))) {
            return -XEN_EFAULT;
        }
        bh_memcpy(&idx, info, sizeof(idx));
        if (idx >= XENFEAT_NR_SUBMAPS) {
            return -XEN_EINVAL;
        }
        return gmem_write(v, args[1] + FEATURE_SUBMAP_OFF, &submap, sizeof(submap)) ? 0
                                                                                    : -XEN_EFAULT;
    }
    default:
        return -XEN_ENOSYS;
    }
}

/*
 * CONSOLEIO_write: the count is Xen's 32-bit unsigned int. At most
 * HCALL_CONSOLE_CHUNK bytes are taken per entry, copied out of the caller's
 * memory before they are printed (nothing is printed when a page of the
 * chunk fails); a longer write advances its count and buffer in args[] and is
 * continued, and the finished call returns 0, as Xen's does.
 * Implements: LLR-HC-005, LLR-HC-006
 */
static int64_t hcall_console_io(struct vcpu *v, uint64_t args[5])
{
    switch ((uint32_t)args[0]) {
    case CONSOLEIO_WRITE: {
        uint32_t count = (uint32_t)args[1];
        uint32_t take = (count > HCALL_CONSOLE_CHUNK) ? HCALL_CONSOLE_CHUNK : count;
        char chunk[HCALL_CONSOLE_CHUNK];
        /* Only this entry's chunk is read: a continuation reads its own,
         * so the work per entry stays bounded whatever the count (a bad
         * page further on is found when its chunk comes, as in Xen). */
        if (!gmem_read(v, chunk, args[2], take)) {
            return -XEN_EFAULT;
        }
        console_guest_write(v->part, chunk, (size_t)take);
        if (count > HCALL_CONSOLE_CHUNK) {
            args[1] = (uint64_t)count - HCALL_CONSOLE_CHUNK;
            args[2] += HCALL_CONSOLE_CHUNK;
            return HCALL_CONTINUE;
        }
        return 0;
    }
    case CONSOLEIO_READ:
        return 0; /* no console input for partitions */
    default:
        return -XEN_ENOSYS;
    }
}

/*
 * SCHEDOP_shutdown, a deliberate subset: poweroff stops the partition (or
 * restarts it, when its health-monitor table says so: hm_shutdown), crash
 * raises HM_ERR_CRASH, reboot restarts it; suspend and watchdog are not offered
 * (-EINVAL). A reboot only begins here: this return value reaches the
 * caller's frame before the reset at the end of the reload (LLR-PART-011)
 * sets x0 to the device-tree address; vCPU 0 is given that address as the
 * return value too, so its x0 is right whichever comes last (the other
 * vCPUs are off after a restart).
 * Implements: LLR-HC-008
 */
static int64_t hcall_shutdown(struct vcpu *v, uint64_t arg_ptr)
{
    uint32_t reason;
    if (!gmem_read(v, &reason, arg_ptr, sizeof(reason))) {
        return -XEN_EFAULT;
    }
    switch (reason) {
    case SHUTDOWN_POWEROFF:
        if (!hm_shutdown(v, "poweroff")) {
            return 0;
        }
        break;
    case SHUTDOWN_CRASH:
        (void)hm_raise(v, HM_ERR_CRASH, 0);
        return 0;
    case SHUTDOWN_REBOOT:
        (void)part_restart(v->part, true, false);
        break;
    default:
        return -XEN_EINVAL;
    }
    return (v->vid == 0u) ? (int64_t)v->part->cfg->dtb_gpa : 0;
}

/* Implements: LLR-HC-007 */
static int64_t hcall_sched_op(struct vcpu *v, const uint64_t args[5])
{
    switch ((uint32_t)args[0]) {
    case SCHEDOP_YIELD:
        sched_yield(v);
        return 0;
    case SCHEDOP_BLOCK:
        sched_block(v);
        return 0;
    case SCHEDOP_SHUTDOWN:
        return hcall_shutdown(v, args[1]);
    default:
        return -XEN_ENOSYS;
    }
}

/* Implements: LLR-HC-001 */
/* The Xen hypercalls and Bulkhead's own range. */
static int64_t hcall_route(struct vcpu *v, uint64_t nr, uint64_t args[5])
{
    switch (nr) {
    case XEN_HC_XEN_VERSION:
        return hcall_xen_version(v, args);
    case XEN_HC_CONSOLE_IO:
        return hcall_console_io(v, args);
    case XEN_HC_SCHED_OP:
        return hcall_sched_op(v, args);
    case XEN_HC_EVENT_CHANNEL_OP:
        return evtchn_op(v, args[0], args[1]);
    case XEN_HC_MEMORY_OP:
        return shinfo_memory_op(v, args[0], args[1]);
    case XEN_HC_VCPU_OP:
        return shinfo_vcpu_op(v, args[0], args[1], args[2]);
    default:
        return hcall_bulkhead(v, nr, args);
    }
}

/*
 * A partition whose configuration flags it (BH_CFG_PART_F_HM_HCALL) has
 * every refused (-EPERM) or unknown (-ENOSYS) hypercall raised as a
 * health-monitor error. Implements: LLR-HC-001, LLR-HC-013
 */
int64_t hcall_dispatch(struct vcpu *v, uint64_t nr, uint64_t args[5])
{
    if (!part_vcpu_live(v)) {
        return -XEN_EPERM; /* its partition stopped or restarts: LLR-PART-010 */
    }
    int64_t rc = hcall_route(v, nr, args);
    bool flagged = (v->part->cfg != NULL) && ((v->part->cfg->flags & BH_CFG_PART_F_HM_HCALL) != 0u);
    if (flagged && (rc == -XEN_EPERM || rc == -XEN_ENOSYS)) {
        (void)hm_raise(v, HM_ERR_HCALL, nr);
    }
    return rc;
}
