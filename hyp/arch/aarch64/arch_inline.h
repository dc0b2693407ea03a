/*
 * The inline primitives of arch_if.h for AArch64: bounded atomics on
 * guest memory and the speculation-safe index mask. They are on every
 * event-channel send, so they are inline: an out-of-line call of each
 * cost about 73 instructions a send (docs/performance.md).
 *
 * The build targets ARMv8.0 (no LSE), where a compiler's __atomic_* on a
 * word is an LDAXR/STLXR loop that retries for as long as the store
 * fails; a partition storing to that line from another CPU could then
 * hold the hypervisor in EL2. Each attempt here is one exclusive pair in
 * one asm statement, so that nothing the compiler emits runs between the
 * load and the store, and the C loop around it bounds the attempts.
 * LDAXR/STLXR give the ordering of a sequentially consistent atomic, as
 * the compiler's loop did.
 * Implements: LLR-ARCH-090, LLR-ARCH-091, LLR-ARCH-092
 */
#ifndef BH_ARCH_INLINE_H
#define BH_ARCH_INLINE_H

#include "arch_if.h"

/* One attempt at *p = (*p & keep) | bits; true when the store succeeded. */
static inline bool excl_update32(uint32_t *p, uint32_t keep, uint32_t bits, uint32_t *old)
{
    uint32_t v;
    uint32_t nv;
    uint32_t fail;
    __asm__ volatile("ldaxr %w[v], [%[p]]\n\t"
                     "and   %w[nv], %w[v], %w[k]\n\t"
                     "orr   %w[nv], %w[nv], %w[b]\n\t"
                     "stlxr %w[f], %w[nv], [%[p]]"
                     : [v] "=&r"(v), [nv] "=&r"(nv), [f] "=&r"(fail)
                     : [p] "r"(p), [k] "r"(keep), [b] "r"(bits)
                     : "memory");
    *old = v;
    return fail == 0u;
}

/* At most ARCH_GUEST_ATOMIC_TRIES attempts of excl_update32. */
static inline bool guest_update32(uint32_t *p, uint32_t keep, uint32_t bits, uint32_t *old)
{
    for (uint32_t i = 0; i < ARCH_GUEST_ATOMIC_TRIES; i++) {
        if (excl_update32(p, keep, bits, old)) {
            return true;
        }
    }
    return false;
}

static inline bool arch_guest_fetch_or32(uint32_t *p, uint32_t bits, uint32_t *old)
{
    return guest_update32(p, UINT32_MAX, bits, old);
}

static inline bool arch_guest_fetch_and32(uint32_t *p, uint32_t keep, uint32_t *old)
{
    return guest_update32(p, keep, 0u, old);
}

/* A value that differs leaves the exclusive monitor armed: CLREX disarms
 * it, so that no later STXR of this CPU can pair with this LDAXR. The
 * labels are numeric local ones: each inlined copy has its own. */
static inline bool arch_guest_cas32(uint32_t *p, uint32_t expected, uint32_t desired,
                                    uint32_t *old)
{
    uint32_t v;
    uint32_t fail;
    __asm__ volatile("ldaxr %w[v], [%[p]]\n\t"
                     "cmp   %w[v], %w[e]\n\t"
                     "b.ne  1f\n\t"
                     "stlxr %w[f], %w[d], [%[p]]\n\t"
                     "b     2f\n"
                     "1:\n\t"
                     "clrex\n\t"
                     "mov   %w[f], #1\n"
                     "2:"
                     : [v] "=&r"(v), [f] "=&r"(fail)
                     : [p] "r"(p), [e] "r"(expected), [d] "r"(desired)
                     : "cc", "memory");
    *old = v;
    return fail == 0u;
}

/*
 * CSEL picks idx or 0 from the flags of the compare; CSDB stops later
 * instructions from using a predicted (rather than the computed) result
 * of that CSEL while speculating, which is what a mispredicted bounds
 * check would otherwise let through. An out-of-range index becomes 0, an
 * entry every table indexed this way has. Three instructions where it is
 * used (no call, no return).
 */
static inline uint32_t arch_index_nospec(uint32_t idx, uint32_t size)
{
    uint32_t r;
    __asm__ volatile("cmp   %w[i], %w[s]\n\t"
                     "csel  %w[r], %w[i], wzr, lo\n\t"
                     "csdb"
                     : [r] "=r"(r)
                     : [i] "r"(idx), [s] "r"(size)
                     : "cc");
    return r;
}

#endif
