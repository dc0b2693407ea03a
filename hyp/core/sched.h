/*
 * ARINC 653 time partitioning. Each schedule is a major frame and, per
 * physical CPU, a list of windows (partition vCPU, offset, duration). All
 * CPUs follow one module time: frames start together everywhere. Time in no
 * window is idle. The system partition may request another schedule; the
 * switch happens at the next major frame boundary, never inside a frame.
 */
#ifndef BH_SCHED_H
#define BH_SCHED_H

#include "types.h"

struct vcpu;
struct bh_cfg;

#define SCHED_NO_EVENT UINT64_MAX

/* What the system partition may read about scheduling (BH_HC_SCHED_GET). */
struct sched_status {
    uint32_t current;     /* schedule in force now */
    uint32_t next;        /* schedule requested for the next frame (== current if none) */
    uint64_t frames;      /* major frames started since boot, all schedules */
    uint64_t last_switch; /* module time of the last schedule switch (boot: the epoch) */
    uint64_t frame_start; /* module time the current frame started */
};

/*
 * Build the window tables of every configured schedule (microseconds
 * converted to counter ticks at ticks_per_sec) and start schedule 0 with
 * its first frame at module time epoch. A configuration without schedules
 * gets one built from the rotation slice: each vCPU pinned to a CPU has one
 * slice-long window, and the frame is as long as the busiest CPU needs.
 * Pre: cfg validated, part_build_all done. Implements: LLR-SCHED-001.
 */
void sched_init(const struct bh_cfg *cfg, uint64_t ticks_per_sec, uint64_t epoch);

/*
 * Decide what cpu runs at time now: the vCPU of the window containing now
 * on that cpu, if it can run (its partition is not IDLE and it is runnable
 * or wakes: pending virtual interrupt or expired virtual timer); otherwise
 * nothing (the window's time is not given to anyone else). *next_event is
 * the next window boundary on that cpu, or earlier the virtual-timer
 * deadline of the window's blocked vCPU. A requested schedule switch takes
 * effect here once now reaches its frame boundary.
 * Implements: LLR-SCHED-002 .. LLR-SCHED-004.
 */
struct vcpu *sched_pick(uint32_t cpu, uint64_t now, uint64_t *next_event);

/* The running vCPU gives up the CPU: in a window nobody else may use, so
 * it simply continues. Implements: LLR-SCHED-005. */
void sched_yield(struct vcpu *v);

/* v waits for an interrupt (WFI, SCHEDOP_block). Implements: LLR-SCHED-006. */
void sched_block(struct vcpu *v);

/* True when cpu must call sched_pick before returning to a guest. */
bool sched_need_pick(uint32_t cpu);

/* Mark that cpu must call sched_pick (after an event that changes choice). */
void sched_request_pick(uint32_t cpu);

/* The vCPU currently chosen on cpu (NULL when idle). */
struct vcpu *sched_current(uint32_t cpu);

/*
 * Request schedule id from the next major frame boundary after now.
 * Returns 0, or -XEN_EINVAL for an unknown schedule. A second request
 * before the boundary replaces the first. Implements: LLR-SCHED-008.
 */
int64_t sched_request_switch(uint32_t id, uint64_t now);

/* Fill *st as of time now. Implements: LLR-SCHED-009. */
void sched_get_status(uint64_t now, struct sched_status *st);

/* Length in ticks of the major frame of the schedule in force. */
uint64_t sched_frame_ticks(void);

/*
 * Deliver the expiry of v's virtual timer: masked in v's saved timer state
 * (the guest unmasks on re-arm; for a loaded vCPU the arch masks the
 * register as well), PPI 27 pending, and a port bound to VIRQ_TIMER raised.
 * Used by the scheduler when it wakes v on its timer and by the arch when
 * the physical timer interrupt arrives for the running vCPU.
 * Implements: LLR-SCHED-003.
 */
void sched_timer_deliver(struct vcpu *v);

#endif
