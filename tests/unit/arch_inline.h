/*
 * The inline primitives of arch_if.h on the host, for the unit tests of
 * hyp/core (the target's are hyp/arch/aarch64/arch_inline.h). The atomics
 * are the compiler's, which cannot fail on the host; a test makes chosen
 * calls give up through fake_gatomic_gives_up (fake_arch.c: fake.gatomic_*)
 * to reach the callers' give-up paths.
 */
#ifndef BH_FAKE_ARCH_INLINE_H
#define BH_FAKE_ARCH_INLINE_H

#include "arch_if.h"
#include "util.h"

/* True when this guest atomic is to give up (fake.gatomic_fail*); counts
 * the call. */
bool fake_gatomic_gives_up(void);

static inline bool arch_guest_fetch_or32(uint32_t *p, uint32_t bits, uint32_t *old)
{
    if (fake_gatomic_gives_up()) {
        *old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
        return false;
    }
    *old = __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
    return true;
}

static inline bool arch_guest_fetch_and32(uint32_t *p, uint32_t keep, uint32_t *old)
{
    if (fake_gatomic_gives_up()) {
        *old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
        return false;
    }
    *old = __atomic_fetch_and(p, keep, __ATOMIC_SEQ_CST);
    return true;
}

/* A forced give-up reads the word and stores nothing, as a failed
 * store-exclusive after a matching load does. */
static inline bool arch_guest_cas32(uint32_t *p, uint32_t expected, uint32_t desired,
                                    uint32_t *old)
{
    if (fake_gatomic_gives_up()) {
        *old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
        return false;
    }
    *old = expected;
    return __atomic_compare_exchange_n(p, old, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_ACQUIRE);
}

/* The host's form of the target's CMP/CSEL/CSDB (LLR-ARCH-092): idx when
 * idx < size, else 0, branch-free. (uint64_t)idx - size wraps to 2^64 - k,
 * bit 63 set, exactly when idx < size (both below 2^32). */
static inline uint32_t arch_index_nospec(uint32_t idx, uint32_t size)
{
    uint64_t borrow = ((uint64_t)idx - (uint64_t)size) >> 63;
    uint32_t mask = 0u - (uint32_t)borrow;
    return idx & mask;
}

#endif
