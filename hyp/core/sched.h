/*
 * CPU sharing. Each physical CPU owns the vCPUs pinned to it and rotates
 * among the runnable ones with a fixed slice. The ARINC 653 scheduler will
 * replace this module behind the same functions.
 */
#ifndef BH_SCHED_H
#define BH_SCHED_H

#include "types.h"

struct vcpu;

#define SCHED_NO_EVENT UINT64_MAX

/* Build the per-CPU rotation from vcpu_table; slice in counter ticks.
 * Implements: LLR-SCHED-001. */
void sched_init(uint64_t slice_ticks);

/*
 * Decide what cpu runs from time now. Keeps the current vCPU while it is
 * runnable and its slice has not ended; otherwise moves to the next runnable
 * vCPU of the cpu in rotation order (bounded by the number pinned there).
 * Blocked vCPUs whose virtual timer has expired or that have a pending
 * virtual interrupt become runnable first. Returns NULL when nothing can run.
 * *next_event is the absolute time at which the cpu must decide again
 * (slice end, or the earliest timer of a blocked vCPU), or SCHED_NO_EVENT.
 * Implements: LLR-SCHED-002 .. LLR-SCHED-004.
 */
struct vcpu *sched_pick(uint32_t cpu, uint64_t now, uint64_t *next_event);

/* The running vCPU gives up the rest of its slice. Implements: LLR-SCHED-005. */
void sched_yield(struct vcpu *v);

/* v waits for an interrupt (WFI, SCHEDOP_block). Implements: LLR-SCHED-006. */
void sched_block(struct vcpu *v);

/* True when cpu must call sched_pick before returning to a guest. */
bool sched_need_pick(uint32_t cpu);

/* Mark that cpu must call sched_pick (after an event that changes choice). */
void sched_request_pick(uint32_t cpu);

/* The vCPU currently chosen on cpu (NULL when idle). */
struct vcpu *sched_current(uint32_t cpu);

#endif
