/*
 * Xen's shared-info page and per-vCPU info areas, as an unmodified Xen-aware
 * Linux on Arm sets them up (XENMEM_add_to_physmap of the shared info,
 * VCPUOP_register_vcpu_info, VCPUOP_register_runstate_memory_area), and the
 * one word of them the hypervisor writes: evtchn_upcall_pending of a vCPU's
 * info, set when an event upcall is raised.
 *
 * Bulkhead keeps no page of its own for these. Xen replaces the guest frame
 * named by add_to_physmap with a hypervisor page; Bulkhead leaves the
 * guest's own (zeroed) frame where it is and only checks it belongs to the
 * caller. The guest sees the same: a zeroed page at the address it chose.
 * The runstate area is accepted and never written (no steal time is
 * reported). Every pointer kept here points into the partition's own RAM.
 */
#ifndef BH_SHINFO_H
#define BH_SHINFO_H

#include "types.h"

struct partition;
struct vcpu;

/* Hypercall numbers and sub-operations, from Xen's public memory.h and vcpu.h. */
#define XEN_HC_MEMORY_OP 12u
#define XEN_HC_VCPU_OP 24u
#define XENMEM_ADD_TO_PHYSMAP 7u
#define XENMAPSPACE_SHARED_INFO 0u
#define VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA 5u
#define VCPUOP_REGISTER_VCPU_INFO 10u

/* struct xen_add_to_physmap on Arm: domid(16) size(16) space(32) idx(64) gpfn(64). */
#define SHINFO_XATP_SIZE 24u
/* struct vcpu_register_vcpu_info: mfn(64) offset(32) rsvd(32). */
#define SHINFO_REG_VCPU_INFO_SIZE 16u
/* struct vcpu_info on Arm: upcall pending and mask bytes, pending_sel
 * (64-bit), an empty arch part, vcpu_time_info (32 bytes): 48 bytes, 8-byte
 * aligned. */
#define SHINFO_VCPU_INFO_SIZE 48u
#define SHINFO_VCPU_INFO_ALIGN 8u
#define SHINFO_PAGE_SIZE 4096u

/*
 * memory_op: XENMEM_add_to_physmap with space XENMAPSPACE_shared_info,
 * domid DOMID_SELF (or the caller's own id) and idx 0 records guest frame
 * gpfn as the partition's shared-info page and returns 0. -EFAULT: argument
 * not in the caller's RAM; -EPERM: another domain; -EINVAL: idx not 0 or a
 * frame outside the caller's RAM; -ENOSYS: any other space or command (the
 * grant table among them, so that Linux takes its fallbacks).
 * Implements: LLR-SHI-001.
 */
int64_t shinfo_memory_op(struct vcpu *v, uint64_t cmd, uint64_t arg_gva);

/*
 * vcpu_op for vCPU vcpu_id of the caller's partition (-ENOENT when there is
 * none): VCPUOP_register_vcpu_info places its info area at byte offset of
 * guest frame mfn (-EINVAL: offset misaligned or the area would cross the
 * page, the frame is not in the caller's RAM, or an area is already
 * registered); VCPUOP_register_runstate_memory_area is accepted and the area
 * never written; -EFAULT for an argument outside the caller's RAM, -ENOSYS
 * for every other command. Implements: LLR-SHI-002, LLR-SHI-003.
 */
int64_t shinfo_vcpu_op(struct vcpu *v, uint64_t cmd, uint64_t vcpu_id, uint64_t arg_gva);

/*
 * Set evtchn_upcall_pending in v's registered info area; nothing when it has
 * none. Called whenever an event upcall is raised for v. Implements: LLR-SHI-004.
 */
void shinfo_mark_upcall(const struct vcpu *v);

/* Forget p's shared-info frame and the info areas of its vCPUs (partition
 * built or restarted). Implements: LLR-SHI-005. */
void shinfo_reset(const struct partition *p);

/* Guest-physical address of p's shared-info page, 0 when none is set. */
uint64_t shinfo_shared_gpa(const struct partition *p);

#endif
