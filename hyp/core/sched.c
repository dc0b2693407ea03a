/*
 * ARINC 653 time partitioning; see sched.h.
 *
 * Windows are kept per schedule as one array ordered by CPU then offset,
 * with each CPU's slice of it, in counter ticks, so the lookup at a
 * boundary is one bounded scan of at most BH_CFG_MAX_WINDOWS entries.
 * Which schedule is in force is a function of time: the schedule and the
 * epoch its frames count from, plus a pending switch with its own epoch.
 * Every CPU evaluates the same function of the same module time, so all
 * CPUs change schedule at the same boundary without talking to each other.
 */
#include "sched.h"

#include "arch_if.h"
#include "console.h"
#include "evtchn.h"
#include "part.h"
#include "passthru.h"
#include "vgic.h"

#define VTIMER_CTL_ENABLE 1u
#define VTIMER_CTL_IMASK 2u
#define US_PER_SEC 1000000u
#define SCHED_RELOAD_POLL_US 100u

struct sched_win {
    uint64_t start; /* ticks from the frame start */
    uint64_t end;
    struct vcpu *v;
};

struct sched_plan {
    uint64_t frame; /* ticks, > 0 for a configured plan */
    uint32_t first[BH_MAX_CPUS];
    uint32_t count[BH_MAX_CPUS];
    struct sched_win win[BH_CFG_MAX_WINDOWS];
};

struct sched_cpu {
    struct vcpu *current;    /* NULL while idle */
    struct vcpu *owner;      /* owner of the current window, NULL in a gap */
    volatile bool need_pick; /* written by other CPUs (part_stop, kicks) */
    uint64_t next_event;     /* the last pick's answer: when this CPU looks again */
};

/* The schedule in force and a pending switch; shared by all CPUs. */
struct sched_timeline {
    bh_lock_t lock;
    uint32_t cur;          /* plan in force from cur_epoch */
    uint64_t cur_epoch;    /* a frame boundary of plan cur */
    uint64_t frames_before; /* frames completed under earlier plans */
    bool pending;
    uint32_t next;         /* plan from next_epoch */
    uint64_t next_epoch;
};

static struct sched_plan sched_plans[BH_CFG_MAX_SCHEDS];
static uint32_t sched_num_plans;
static uint32_t sched_num_cpus; /* CPUs the system uses: 1..BH_MAX_CPUS */
static uint64_t sched_reload_poll;  /* ticks between looks at a restart that waits */
static struct sched_cpu sched_cpus[BH_MAX_CPUS];
static struct sched_timeline sched_tl;

static uint64_t sched_us_to_ticks(uint32_t us, uint64_t tps)
{
    return (uint64_t)us * tps / US_PER_SEC;
}

/* The vCPU a window names, or NULL when the names are out of range (the
 * validator rejects those; this keeps the table safe regardless). */
static struct vcpu *sched_window_vcpu(const struct bh_cfg_window *w)
{
    if (w->part >= part_count || w->vcpu >= part_table[w->part].num_vcpus) {
        return NULL;
    }
    return part_table[w->part].vcpus[w->vcpu];
}

/* Plan s from a configured schedule. Windows arrive ordered by CPU. */
static void sched_plan_from_cfg(struct sched_plan *pl, const struct bh_cfg_sched *cs,
                                uint64_t tps)
{
    uint32_t n = (cs->num_windows < BH_CFG_MAX_WINDOWS) ? cs->num_windows : BH_CFG_MAX_WINDOWS;
    pl->frame = sched_us_to_ticks(cs->major_frame_us, tps);
    for (uint32_t i = 0; i < n; i++) {
        const struct bh_cfg_window *w = &cs->windows[i];
        uint32_t cpu = (w->cpu < BH_MAX_CPUS) ? w->cpu : BH_MAX_CPUS - 1u;
        if (pl->count[cpu] == 0u) {
            pl->first[cpu] = i;
        }
        pl->count[cpu]++;
        pl->win[i].start = sched_us_to_ticks(w->offset_us, tps);
        pl->win[i].end = sched_us_to_ticks(w->offset_us + w->duration_us, tps);
        pl->win[i].v = sched_window_vcpu(w);
    }
}

/* Without configured schedules: one slice-long window per pinned vCPU. */
static void sched_plan_from_slice(struct sched_plan *pl, uint64_t slice)
{
    uint32_t busiest = 1;
    uint32_t i = 0;
    for (uint32_t cpu = 0; cpu < BH_MAX_CPUS; cpu++) {
        pl->first[cpu] = i;
        for (uint32_t g = 0; g < vcpu_count && i < BH_CFG_MAX_WINDOWS; g++) {
            struct vcpu *v = &vcpu_table[g];
            if (v->pcpu == cpu) {
                pl->win[i].start = (uint64_t)pl->count[cpu] * slice;
                pl->win[i].end = pl->win[i].start + slice;
                pl->win[i].v = v;
                pl->count[cpu]++;
                i++;
            }
        }
        busiest = (pl->count[cpu] > busiest) ? pl->count[cpu] : busiest;
    }
    pl->frame = (uint64_t)busiest * slice;
}

/* Implements: LLR-SCHED-001 */
void sched_init(const struct bh_cfg *cfg, uint64_t ticks_per_sec, uint64_t epoch)
{
    for (uint32_t s = 0; s < BH_CFG_MAX_SCHEDS; s++) {
        struct sched_plan *pl = &sched_plans[s];
        pl->frame = 0;
        for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
            pl->first[c] = 0;
            pl->count[c] = 0;
        }
    }
    sched_num_plans = (cfg->num_scheds < BH_CFG_MAX_SCHEDS) ? cfg->num_scheds : BH_CFG_MAX_SCHEDS;
    for (uint32_t s = 0; s < sched_num_plans; s++) {
        sched_plan_from_cfg(&sched_plans[s], &cfg->scheds[s], ticks_per_sec);
    }
    if (sched_num_plans == 0u) {
        uint64_t slice = sched_us_to_ticks(cfg->slice_us, ticks_per_sec);
        sched_plan_from_slice(&sched_plans[0], (slice > 0u) ? slice : 1u);
        sched_num_plans = 1;
    }
    sched_reload_poll = sched_us_to_ticks(SCHED_RELOAD_POLL_US, ticks_per_sec);
    sched_num_cpus = (cfg->num_cpus >= 1u && cfg->num_cpus <= BH_MAX_CPUS) ? cfg->num_cpus
                                                                              : BH_MAX_CPUS;
    for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
        sched_cpus[c].current = NULL;
        sched_cpus[c].owner = NULL; /* every vcpu.in_window starts false (zeroed table) */
        sched_cpus[c].need_pick = true;
        sched_cpus[c].next_event = 0;
    }
    sched_tl.cur = 0;
    sched_tl.cur_epoch = epoch;
    sched_tl.frames_before = 0;
    sched_tl.pending = false;
    sched_tl.next = 0;
    sched_tl.next_epoch = 0;
}

/* Make a switch whose boundary has come the schedule in force. Caller
 * holds the timeline lock. */
static void sched_commit_locked(uint64_t now)
{
    if (sched_tl.pending && now >= sched_tl.next_epoch) {
        const struct sched_plan *old = &sched_plans[sched_tl.cur];
        sched_tl.frames_before += (sched_tl.next_epoch - sched_tl.cur_epoch) / old->frame;
        sched_tl.cur = sched_tl.next;
        sched_tl.cur_epoch = sched_tl.next_epoch;
        sched_tl.pending = false;
    }
}

static void sched_commit(uint64_t now)
{
    /* Unlocked look first: a switch is rare, picks are frequent. */
    if (sched_tl.pending) {
        arch_lock(&sched_tl.lock);
        sched_commit_locked(now);
        arch_unlock(&sched_tl.lock);
    }
}

/*
 * The window of plan pl containing now on cpu: its vCPU (NULL for a gap)
 * and in *boundary the module time at which that answer next changes.
 * Pre: now >= epoch, pl->frame > 0. Implements: LLR-SCHED-002.
 */
static struct vcpu *sched_window_at(const struct sched_plan *pl, uint32_t cpu, uint64_t now,
                                    uint64_t epoch, uint64_t *boundary)
{
    uint64_t off = (now - epoch) % pl->frame;
    uint64_t frame_start = now - off;
    uint32_t first = pl->first[cpu];
    uint32_t n = pl->count[cpu];

    for (uint32_t i = first; i < first + n; i++) {
        const struct sched_win *w = &pl->win[i];
        if (off < w->start) {
            *boundary = frame_start + w->start;
            return NULL;
        }
        if (off < w->end) {
            *boundary = frame_start + w->end;
            return w->v;
        }
    }
    *boundary = frame_start + pl->frame + ((n > 0u) ? pl->win[first].start : 0u);
    return NULL;
}

static bool sched_timer_armed(const struct vcpu *v)
{
    return (v->vtimer.ctl & VTIMER_CTL_ENABLE) != 0u && (v->vtimer.ctl & VTIMER_CTL_IMASK) == 0u;
}

/*
 * Publish v as the owner of cpu's current window (vgic_post, psci and the
 * arch reset hand-over read vcpu.in_window to decide whether to kick), then
 * order that before the caller reads the owner's inbox and state. A change
 * of owner is reported to passthru_window before v runs, so that the
 * pass-through SPIs routed to cpu are enabled only in their owner's windows.
 * Implements: LLR-SCHED-010, LLR-PT-026
 */
static void sched_set_owner(uint32_t cpu, struct vcpu *v)
{
    struct vcpu *old = sched_cpus[cpu].owner;
    if (old != v) {
        if (old != NULL) {
            __atomic_store_n(&old->in_window, false, __ATOMIC_SEQ_CST);
        }
        if (v != NULL) {
            __atomic_store_n(&v->in_window, true, __ATOMIC_SEQ_CST);
        }
        sched_cpus[cpu].owner = v;
        passthru_window(cpu, (v != NULL) ? v->part : NULL);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * A vCPU woken by its timer resumes with the interrupt to take, however
 * late the physical timer interrupt would come: waking it without one lets
 * its WFI return for nothing, again and again, until that interrupt arrives.
 * Implements: LLR-SCHED-003
 */
void sched_timer_deliver(struct vcpu *v)
{
    v->vtimer.ctl |= VTIMER_CTL_IMASK;
    vgic_inject(v, VGIC_PPI_VTIMER);
    evtchn_send_virq(v, EVTCHN_VIRQ_TIMER);
}

/*
 * The boundary a CPU looks again at, no later than a pending switch's epoch.
 * Publishes it first, then reads the pending switch: sched_request_switch
 * publishes the switch, then reads every CPU's boundary. With both orders
 * sequentially consistent, at least one side sees the other: this CPU sees
 * the switch, or the requester sees a boundary beyond the epoch and kicks.
 * Implements: LLR-SCHED-008
 */
static uint64_t sched_switch_bound(uint32_t cpu, uint64_t bound)
{
    uint64_t boundary = bound;
    __atomic_store_n(&sched_cpus[cpu].next_event, boundary, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sched_tl.pending, __ATOMIC_SEQ_CST) && sched_tl.next_epoch < boundary) {
        boundary = sched_tl.next_epoch;
        __atomic_store_n(&sched_cpus[cpu].next_event, boundary, __ATOMIC_SEQ_CST);
    }
    return boundary;
}

/* v's state from `from` to `to`, unless another CPU changed it meanwhile. */
static void sched_vcpu_cas(struct vcpu *v, enum vcpu_state from, enum vcpu_state to)
{
    enum vcpu_state expected = from;
    (void)__atomic_compare_exchange_n(&v->state, &expected, to, false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST);
}

/* Implements: LLR-SCHED-002, LLR-SCHED-003, LLR-SCHED-004, LLR-CON-017 */
struct vcpu *sched_pick(uint32_t cpu, uint64_t now, uint64_t *next_event)
{
    uint64_t boundary;
    struct vcpu *v;
    struct vcpu *chosen = NULL;

    if (cpu >= BH_MAX_CPUS) {
        *next_event = SCHED_NO_EVENT;
        return NULL;
    }
    sched_cpus[cpu].need_pick = false;
    sched_commit(now);
    if (now < sched_tl.cur_epoch) {
        sched_set_owner(cpu, NULL);
        sched_cpus[cpu].current = NULL;
        *next_event = sched_tl.cur_epoch;
        return NULL;
    }
    v = sched_window_at(&sched_plans[sched_tl.cur], cpu, now, sched_tl.cur_epoch, &boundary);
    boundary = sched_switch_bound(cpu, boundary);
    sched_set_owner(cpu, v);
    if (v != NULL) {
        console_drain(v->part); /* its queued output, in its own window */
    }
    if (v != NULL && v->part->state == PART_RESTARTING && v == v->part->vcpus[0] &&
        !part_reload_step(v->part, now, boundary)) {
        /* The restart goes on in this window: look again soon, or at its end. */
        uint64_t poll = arch_now() + sched_reload_poll;
        boundary = (poll < boundary) ? poll : boundary;
    }
    if (v != NULL) {
        (void)vgic_drain(v); /* injections other CPUs posted for it */
    }
    if (v != NULL && v->state == VCPU_BLOCKED) {
        bool expired = sched_timer_armed(v) && v->vtimer.cval <= now;
        if (expired) {
            sched_timer_deliver(v);
        }
        if (expired || vgic_has_pending(v)) {
            /* Only from BLOCKED: an OFF stored meanwhile by part_stop or
             * part_restart stays. Implements: LLR-SCHED-003, LLR-PART-010 */
            sched_vcpu_cas(v, VCPU_BLOCKED, VCPU_RUNNABLE);
        }
    }
    if (v != NULL && v->state == VCPU_RUNNABLE && v->part->state == PART_RUNNING) {
        chosen = v;
    } else if (v != NULL && v->state == VCPU_BLOCKED && sched_timer_armed(v) &&
               v->vtimer.cval < boundary) {
        boundary = v->vtimer.cval;
    } else {
        /* nothing to run, no earlier timer */
    }
    sched_cpus[cpu].current = chosen;
    *next_event = boundary;
    return chosen;
}

/* Implements: LLR-SCHED-005 */
void sched_yield(struct vcpu *v)
{
    BH_UNUSED(v);
}

/*
 * Only a runnable vCPU blocks: an OFF one (its partition is idle) stays
 * OFF. A vCPU with an interrupt already pending does not block, so a
 * wake-up that arrived before the WFI is never lost.
 * Implements: LLR-SCHED-006
 */
void sched_block(struct vcpu *v)
{
    if (!vgic_has_pending(v)) {
        sched_vcpu_cas(v, VCPU_RUNNABLE, VCPU_BLOCKED); /* never from OFF */
    }
    sched_request_pick(v->pcpu);
}

/* Implements: LLR-SCHED-007 */
bool sched_need_pick(uint32_t cpu)
{
    return cpu < BH_MAX_CPUS && sched_cpus[cpu].need_pick;
}

/* Implements: LLR-SCHED-007 */
void sched_request_pick(uint32_t cpu)
{
    if (cpu < BH_MAX_CPUS) {
        sched_cpus[cpu].need_pick = true;
    }
}

/* Implements: LLR-SCHED-007 */
struct vcpu *sched_current(uint32_t cpu)
{
    return (cpu < BH_MAX_CPUS) ? sched_cpus[cpu].current : NULL;
}

/*
 * A CPU that will look again by the new epoch needs nothing; one waiting for
 * a boundary beyond it would miss the switch, so it is asked to pick again
 * (kicked when it is another CPU). Only the system's CPUs are looked at, and
 * a CPU is kicked at most once per request epoch: after its pick its
 * boundary is the epoch, so repeated requests interrupt no window.
 * Implements: LLR-SCHED-008
 */
int64_t sched_request_switch(uint32_t id, uint64_t now)
{
    uint32_t self = arch_cpu_id();
    if (id >= sched_num_plans) {
        return -XEN_EINVAL;
    }
    arch_lock(&sched_tl.lock);
    sched_commit_locked(now);
    uint64_t at = now;
    if (at < sched_tl.cur_epoch) {
        at = sched_tl.cur_epoch;
    }
    const struct sched_plan *pl = &sched_plans[sched_tl.cur];
    uint64_t frames = (at - sched_tl.cur_epoch) / pl->frame + 1u;
    sched_tl.next = id;
    sched_tl.next_epoch = sched_tl.cur_epoch + frames * pl->frame;
    __atomic_store_n(&sched_tl.pending, true, __ATOMIC_SEQ_CST);
    uint64_t epoch = sched_tl.next_epoch;
    arch_unlock(&sched_tl.lock);
    for (uint32_t c = 0; c < sched_num_cpus; c++) {
        if (__atomic_load_n(&sched_cpus[c].next_event, __ATOMIC_SEQ_CST) > epoch) {
            sched_request_pick(c);
            if (c != self) {
                arch_kick(c);
            }
        }
    }
    return 0;
}

/* Implements: LLR-PART-012 (the rate of restarts: one per major frame) */
uint64_t sched_frame_ticks(void)
{
    return sched_plans[sched_tl.cur].frame;
}

/* Implements: LLR-SCHED-009 */
void sched_get_status(uint64_t now, struct sched_status *st)
{
    arch_lock(&sched_tl.lock);
    sched_commit_locked(now);
    const struct sched_plan *pl = &sched_plans[sched_tl.cur];
    uint64_t since = (now > sched_tl.cur_epoch) ? now - sched_tl.cur_epoch : 0u;
    st->current = sched_tl.cur;
    st->next = sched_tl.pending ? sched_tl.next : sched_tl.cur;
    st->frames = sched_tl.frames_before + since / pl->frame + 1u;
    st->last_switch = sched_tl.cur_epoch;
    st->frame_start = sched_tl.cur_epoch + (since / pl->frame) * pl->frame;
    arch_unlock(&sched_tl.lock);
}
