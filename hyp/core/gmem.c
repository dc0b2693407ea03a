/*
 * Hypercall arguments in guest memory: page-wise translation and copies.
 * Loops run once per guest page of a buffer; every caller bounds its
 * buffer, so they are bounded too.
 */
#include "gmem.h"

#include "arch_if.h"
#include "part.h"
#include "util.h"

/* Implements: LLR-GMEM-001 */
/*@ requires \valid_read(v) && \valid(piece);
    requires v->part == \null || \valid_read(v->part);
    assigns *piece;
    ensures *piece <= len && *piece <= GMEM_PAGE_SIZE - gva % GMEM_PAGE_SIZE;
    ensures len != 0 ==> *piece >= 1;
 */
void *gmem_piece(const struct vcpu *v, uint64_t gva, uint64_t len, bool write, uint64_t *piece)
{
    uint64_t room = GMEM_PAGE_SIZE - (gva % GMEM_PAGE_SIZE);
    uint64_t ipa;
    *piece = (len < room) ? len : room;
    if (!arch_guest_translate(gva, write, &ipa)) {
        return NULL;
    }
    return part_guest_ptr(v->part, ipa, *piece);
}

/* Implements: LLR-GMEM-002 */
bool gmem_check(const struct vcpu *v, uint64_t gva, uint64_t len, bool write)
{
    uint64_t done = 0;
    while (done < len) {
        uint64_t piece;
        if (gmem_piece(v, gva + done, len - done, write, &piece) == NULL) {
            return false;
        }
        done += piece;
    }
    return true;
}

/* Copy len bytes between the host and guest-virtual gva, page piece by
 * page piece: into the guest from `from` when it is given, else out of the
 * guest into `to`. False at the first piece that fails, with what came
 * before copied. */
static bool gmem_copy(const struct vcpu *v, uint64_t gva, uint8_t *to, const uint8_t *from,
                      uint64_t len)
{
    bool write = (from != NULL);
    uint64_t done = 0;
    while (done < len) {
        uint64_t piece;
        uint8_t *g = gmem_piece(v, gva + done, len - done, write, &piece);
        if (g == NULL) {
            return false;
        }
        if (write) {
            bh_memcpy(g, from + done, (size_t)piece);
        } else {
            bh_memcpy(to + done, g, (size_t)piece);
        }
        done += piece;
    }
    return true;
}

/* Implements: LLR-GMEM-002 */
bool gmem_read(const struct vcpu *v, void *dst, uint64_t gva, uint64_t len)
{
    return gmem_copy(v, gva, dst, NULL, len);
}

/* Implements: LLR-GMEM-003 (EVTCHNOP_send's port: the hot hypercall
 * argument, no byte-wise copy) */
bool gmem_read_u32(const struct vcpu *v, uint64_t gva, uint32_t *val)
{
    uint64_t piece;
    if ((gva & 3u) != 0u) {
        return gmem_read(v, val, gva, sizeof(*val)); /* may cross a page */
    }
    const uint32_t *src = gmem_piece(v, gva, sizeof(*val), false, &piece);
    if (src == NULL) {
        return false;
    }
    *val = __atomic_load_n(src, __ATOMIC_RELAXED); /* one read: the guest may write it meanwhile */
    return true;
}

/* Implements: LLR-GMEM-002 */
bool gmem_write(const struct vcpu *v, uint64_t gva, const void *src, uint64_t len)
{
    /* Every page first, so that a failure writes nothing; a piece failing
     * after that means another vCPU of the guest changed its tables. */
    return gmem_check(v, gva, len, true) && gmem_copy(v, gva, NULL, src, len);
}
