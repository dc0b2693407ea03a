/*
 * Bounded atomics on guest memory and the speculation-safe index mask
 * (arch_if.h). The build targets ARMv8.0 (no LSE), where a compiler's
 * __atomic_* on a word is an LDAXR/STLXR loop that retries for as long as
 * the store fails; a partition storing to that line from another CPU
 * could then hold the hypervisor in EL2. Each function here makes one
 * exclusive pair per attempt, in one asm statement so that nothing runs
 * between the load and the store, and the C loop around it bounds the
 * attempts. LDAXR/STLXR give the ordering of a sequentially consistent
 * atomic, as the compiler's loop did.
 * Implements: LLR-ARCH-090, LLR-ARCH-091, LLR-ARCH-092
 */
#include "arch_if.h"

/* One attempt at *p = *p | bits (or_mask) or *p = *p & keep (and_mask);
 * true when the store succeeded. */
static bool excl_update(uint32_t *p, uint32_t or_mask, uint32_t and_mask, uint32_t *old)
{
    uint32_t v;
    uint32_t nv;
    uint32_t fail;
    __asm__ volatile("ldaxr %w[v], [%[p]]\n\t"
                     "orr   %w[nv], %w[v], %w[o]\n\t"
                     "and   %w[nv], %w[nv], %w[a]\n\t"
                     "stlxr %w[f], %w[nv], [%[p]]"
                     : [v] "=&r"(v), [nv] "=&r"(nv), [f] "=&r"(fail)
                     : [p] "r"(p), [o] "r"(or_mask), [a] "r"(and_mask)
                     : "memory");
    *old = v;
    return fail == 0u;
}

bool arch_guest_fetch_or32(uint32_t *p, uint32_t bits, uint32_t *old)
{
    for (uint32_t i = 0; i < ARCH_GUEST_ATOMIC_TRIES; i++) {
        if (excl_update(p, bits, UINT32_MAX, old)) {
            return true;
        }
    }
    return false;
}

bool arch_guest_fetch_and32(uint32_t *p, uint32_t keep, uint32_t *old)
{
    for (uint32_t i = 0; i < ARCH_GUEST_ATOMIC_TRIES; i++) {
        if (excl_update(p, 0u, keep, old)) {
            return true;
        }
    }
    return false;
}

/* A value that differs leaves the exclusive monitor armed: CLREX disarms
 * it, so that no later STXR of this CPU can pair with this LDAXR. */
bool arch_guest_cas32(uint32_t *p, uint32_t expected, uint32_t desired, uint32_t *old)
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
 * entry every table indexed this way has.
 */
uint32_t arch_index_nospec(uint32_t idx, uint32_t size)
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
