/*
 * The inline primitives of arch_if.h for the Frama-C analysis of hyp/core
 * (verify/frama/harness.c). A guest atomic may give up on any call, as the
 * target's may when the guest keeps writing the word; the guest word itself
 * holds any value (the harness makes guest RAM unknown). Analysis code only.
 */
#ifndef BH_FRAMA_ARCH_INLINE_H
#define BH_FRAMA_ARCH_INLINE_H

#include "arch_if.h"

#include "__fc_builtin.h"

static inline bool arch_guest_fetch_or32(uint32_t *p, uint32_t bits, uint32_t *old)
{
    *old = *p;
    if (Frama_C_nondet(0, 1) != 0) {
        return false;
    }
    *p = *old | bits;
    return true;
}

static inline bool arch_guest_fetch_and32(uint32_t *p, uint32_t keep, uint32_t *old)
{
    *old = *p;
    if (Frama_C_nondet(0, 1) != 0) {
        return false;
    }
    *p = *old & keep;
    return true;
}

static inline bool arch_guest_cas32(uint32_t *p, uint32_t expected, uint32_t desired,
                                    uint32_t *old)
{
    *old = *p;
    if (*old != expected || Frama_C_nondet(0, 1) != 0) {
        return false;
    }
    *p = desired;
    return true;
}

/*@ assigns \nothing;
    ensures idx < size ==> \result == idx;
    ensures \result < size || \result == 0;
 */
static inline uint32_t arch_index_nospec(uint32_t idx, uint32_t size)
{
    return (idx < size) ? idx : 0u;
}

#endif
