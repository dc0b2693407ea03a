/* Internal to the hypercall module (hcall.c, hcall_bh.c). */
#ifndef BH_HCALL_INT_H
#define BH_HCALL_INT_H

#include "types.h"

struct vcpu;

/* Bulkhead's own hypercalls, nr in BH_HC_FIRST..BH_HC_LAST; -ENOSYS for
 * others. Implements: LLR-HC-009 .. LLR-HC-013. */
int64_t hcall_bulkhead(struct vcpu *v, uint64_t nr, uint64_t args[5]);

#endif
