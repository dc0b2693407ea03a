/*
 * Shared info and per-vCPU info areas: the memory_op and vcpu_op subset an
 * unmodified Xen-aware Linux needs to start. Arguments are copied out of
 * guest memory byte-wise before they are looked at (the guest may change
 * them meanwhile, and they may be unaligned).
 */
#include "shinfo.h"

#include "arch_inline.h"
#include "evtchn.h"
#include "gmem.h"
#include "part.h"
#include "util.h"

/* Info area of each vCPU (index: vcpu gid), NULL before registration. */
static uint8_t *shinfo_vcpu_info[BH_MAX_VCPUS];
/* Shared-info frame of each partition (guest-physical), 0 before add_to_physmap. */
static uint64_t shinfo_shared[BH_MAX_PARTS];

/* True when domid names the caller's own partition. */
static bool shinfo_is_self(const struct partition *p, uint32_t domid)
{
    return domid == EVTCHN_DOMID_SELF || domid == EVTCHN_DOMID(p);
}

/* Implements: LLR-SHI-001 */
static int64_t shinfo_add_to_physmap(struct vcpu *v, uint64_t arg_gva)
{
    struct partition *p = v->part;
    uint8_t a[SHINFO_XATP_SIZE];
    uint16_t domid;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
    if (!gmem_read(v, a, arg_gva, sizeof(a))) {
        return -XEN_EFAULT;
    }
    bh_memcpy(&domid, &a[0], sizeof(domid));
    bh_memcpy(&space, &a[4], sizeof(space));
    bh_memcpy(&idx, &a[8], sizeof(idx));
    bh_memcpy(&gpfn, &a[16], sizeof(gpfn));
    if (space != XENMAPSPACE_SHARED_INFO) {
        return -XEN_ENOSYS;
    }
    if (!shinfo_is_self(p, domid)) {
        /* No such domain, as Xen answers; another partition's: refused. */
        return (domid == 0u || domid > part_count) ? -XEN_ESRCH : -XEN_EPERM;
    }
    /* A frame number so large that its address overflows is not in RAM. */
    if (idx != 0u || gpfn >= (UINT64_MAX / SHINFO_PAGE_SIZE) ||
        part_guest_ptr(p, gpfn * SHINFO_PAGE_SIZE, SHINFO_PAGE_SIZE) == NULL) {
        return -XEN_EINVAL;
    }
    shinfo_shared[p->id] = gpfn * SHINFO_PAGE_SIZE;
    return 0;
}

/* Implements: LLR-SHI-001 */
int64_t shinfo_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg_gva)
{
    if ((uint32_t)cmd != XENMEM_ADD_TO_PHYSMAP) {
        return -XEN_ENOSYS;
    }
    return shinfo_add_to_physmap(v, arg_gva);
}

/* Implements: LLR-SHI-002 */
static int64_t shinfo_register_vcpu_info(const struct vcpu *v, const struct vcpu *t,
                                         uint64_t arg_gva)
{
    const struct partition *p = v->part;
    uint8_t a[SHINFO_REG_VCPU_INFO_SIZE];
    uint64_t mfn;
    uint32_t offset;
    if (!gmem_read(v, a, arg_gva, sizeof(a))) {
        return -XEN_EFAULT;
    }
    bh_memcpy(&mfn, &a[0], sizeof(mfn));
    bh_memcpy(&offset, &a[8], sizeof(offset));
    if ((offset % SHINFO_VCPU_INFO_ALIGN) != 0u ||
        offset > SHINFO_PAGE_SIZE - SHINFO_VCPU_INFO_SIZE ||
        mfn >= (UINT64_MAX / SHINFO_PAGE_SIZE) ||
        __atomic_load_n(&shinfo_vcpu_info[t->gid], __ATOMIC_ACQUIRE) != NULL) {
        return -XEN_EINVAL;
    }
    uint8_t *info = part_guest_ptr(p, mfn * SHINFO_PAGE_SIZE + offset, SHINFO_VCPU_INFO_SIZE);
    if (info == NULL) {
        return -XEN_EINVAL;
    }
    /* Read by fifo_upcall on other CPUs. */
    __atomic_store_n(&shinfo_vcpu_info[t->gid], info, __ATOMIC_RELEASE);
    return 0;
}

/* Implements: LLR-SHI-002, LLR-SHI-003 */
int64_t shinfo_vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpu_id, uint64_t arg_gva)
{
    const struct partition *p = v->part;
    /* The command first, then the vCPU, in Xen on Arm's order. */
    if ((uint32_t)cmd != VCPUOP_REGISTER_VCPU_INFO &&
        (uint32_t)cmd != VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA) {
        return -XEN_EINVAL;
    }
    if ((uint32_t)vcpu_id >= p->num_vcpus) {
        return -XEN_ENOENT;
    }
    /* The guest's index, masked after the check. Implements: LLR-ARCH-093 */
    const struct vcpu *t = p->vcpus[arch_index_nospec((uint32_t)vcpu_id, p->num_vcpus)];
    uint64_t area;
    switch ((uint32_t)cmd) {
    case VCPUOP_REGISTER_VCPU_INFO:
        return shinfo_register_vcpu_info(v, t, arg_gva);
    default: /* VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA */
        /* Bulkhead reports no runstate: only the argument is checked. */
        return gmem_read(v, &area, arg_gva, sizeof(area)) ? 0 : -XEN_EFAULT;
    }
}

/* Implements: LLR-SHI-004 */
void shinfo_mark_upcall(const struct vcpu *v)
{
    uint8_t *info = __atomic_load_n(&shinfo_vcpu_info[v->gid], __ATOMIC_ACQUIRE);
    if (info != NULL) {
        /* evtchn_upcall_pending, byte 0: the guest clears it before it
         * looks at its queues, so setting it after linking loses nothing. */
        __atomic_store_n(&info[0], (uint8_t)1u, __ATOMIC_RELEASE);
    }
}

/* Implements: LLR-SHI-005 */
void shinfo_reset(const struct partition *p)
{
    for (uint32_t i = 0; i < p->num_vcpus && i < BH_MAX_VCPUS_PER_PART; i++) {
        __atomic_store_n(&shinfo_vcpu_info[p->vcpus[i]->gid], NULL, __ATOMIC_RELEASE);
    }
    shinfo_shared[p->id] = 0;
}

uint64_t shinfo_shared_gpa(const struct partition *p)
{
    return shinfo_shared[p->id];
}
