/*
 * Hypercall arguments in guest memory. On Arm a Xen guest names its
 * hypercall argument buffers by guest-virtual address (Linux passes kernel
 * pointers; a guest with its MMU off passes physical ones, which its flat
 * mapping makes the same). Each page of a buffer is translated through the
 * calling vCPU's stage-1 tables (arch_guest_translate) and must then lie in
 * the caller's RAM; consecutive virtual pages need not be consecutive
 * physical ones. Frame numbers in arguments (gfn, mfn) are guest-physical
 * and are not translated; part_guest_ptr checks those.
 *
 * Pre for every function: v is the vCPU whose hypercall is being handled,
 * on this CPU.
 */
#ifndef BH_GMEM_H
#define BH_GMEM_H

#include "types.h"

struct vcpu;

#define GMEM_PAGE_SIZE 4096u

/*
 * The longest piece of [gva, gva+len) that lies in one guest page: a
 * hypervisor pointer to it and its length in *piece (at most len, at least
 * 1 when len > 0). NULL when the page does not translate (for a write when
 * write is set) or its frame is not in v's RAM. Implements: LLR-GMEM-001.
 */
void *gmem_piece(const struct vcpu *v, uint64_t gva, uint64_t len, bool write, uint64_t *piece);

/* True when every page of [gva, gva+len) passes gmem_piece (for a write
 * when write is set). Implements: LLR-GMEM-002. */
bool gmem_check(const struct vcpu *v, uint64_t gva, uint64_t len, bool write);

/* Copy len bytes from guest-virtual gva to dst. False, with dst partly
 * written, when any page of the range fails gmem_piece. Implements: LLR-GMEM-002. */
bool gmem_read(const struct vcpu *v, void *dst, uint64_t gva, uint64_t len);

/* Read the 32-bit value at guest-virtual gva into *val: an aligned one
 * with one translation and one load (it cannot cross a page; a failure
 * leaves *val alone), any other as gmem_read. Implements: LLR-GMEM-003. */
bool gmem_read_u32(const struct vcpu *v, uint64_t gva, uint32_t *val);

/* Copy len bytes from src to guest-virtual gva. Every page is checked before
 * the first byte is written: false leaves guest memory unchanged.
 * Implements: LLR-GMEM-002. */
bool gmem_write(const struct vcpu *v, uint64_t gva, const void *src, uint64_t len);

#endif
