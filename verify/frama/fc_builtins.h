/*
 * The compiler builtins hyp/core uses, for Frama-C (which has none of
 * them): forced in front of every analysed file (-include). Each atomic is
 * the plain access it performs on one CPU; the analysis is of run-time
 * errors, not of ordering (verify/*.pml and the LLRs cover that). A count
 * of trailing zeros of 0 is undefined: the model asserts it never happens.
 * Analysis code only.
 */
#ifndef BH_FRAMA_BUILTINS_H
#define BH_FRAMA_BUILTINS_H

#define __atomic_load_n(p, o) (*(p))
#define __atomic_store_n(p, v, o) ((void)(*(p) = (v)))
#define __atomic_thread_fence(o) ((void)0)
#define __atomic_fetch_or(p, v, o)                                                                 \
    ({                                                                                             \
        __typeof__(*(p)) fc_old_ = *(p);                                                           \
        *(p) = fc_old_ | (v);                                                                      \
        fc_old_;                                                                                   \
    })
#define __atomic_exchange_n(p, v, o)                                                               \
    ({                                                                                             \
        __typeof__(*(p)) fc_old_ = *(p);                                                           \
        *(p) = (v);                                                                                \
        fc_old_;                                                                                   \
    })
#define __atomic_compare_exchange_n(p, e, d, w, s, f)                                              \
    ((*(p) == *(e)) ? (*(p) = (d), 1) : (*(e) = *(p), 0))

/*@ requires x != 0;
    ensures 0 <= \result < 64;
    assigns \nothing; */
static inline int fc_ctzll(unsigned long long x)
{
    int n = 0;
    /*@ loop unroll 64; */
    while ((x & 1ull) == 0ull) {
        x >>= 1;
        n++;
    }
    return n;
}

/*@ requires x != 0;
    ensures 0 <= \result < 32;
    assigns \nothing; */
static inline int fc_ctz(unsigned int x)
{
    return fc_ctzll(x);
}

#define __builtin_ctzll(x) fc_ctzll(x)
#define __builtin_ctz(x) fc_ctz(x)

#endif
