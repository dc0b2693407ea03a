/*
 * Round-robin sharing of each physical CPU among the vCPUs pinned to it.
 * Each CPU has a fixed ring of vCPUs (built once from vcpu_table in gid
 * order) and rotates through it; CPUs never look at each other's rings, so
 * a partition can only take time from CPUs its configuration names.
 */
#include "sched.h"

#include "part.h"
#include "vgic.h"

#define VTIMER_CTL_ENABLE 1u
#define VTIMER_CTL_IMASK 2u

struct sched_cpu {
    struct vcpu *ring[BH_MAX_VCPUS]; /* vCPUs pinned here, gid order */
    uint32_t count;                  /* <= BH_MAX_VCPUS, set only by sched_init */
    uint32_t last;                   /* ring index of the most recent choice */
    struct vcpu *current;            /* NULL while idle */
    uint64_t slice_end;              /* current keeps the CPU while now < slice_end */
    volatile bool need_pick;         /* written by other CPUs (part_stop) */
};

static struct sched_cpu sched_cpus[BH_MAX_CPUS];
static uint64_t sched_slice;

/* Implements: LLR-SCHED-001 */
void sched_init(uint64_t slice_ticks)
{
    sched_slice = slice_ticks;
    for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
        struct sched_cpu *sc = &sched_cpus[c];
        sc->count = 0;
        sc->current = NULL;
        sc->slice_end = 0;
        sc->need_pick = true;
    }
    for (uint32_t g = 0; g < vcpu_count && g < BH_MAX_VCPUS; g++) {
        struct vcpu *v = &vcpu_table[g];
        if (v->pcpu < BH_MAX_CPUS) {
            struct sched_cpu *sc = &sched_cpus[v->pcpu];
            sc->ring[sc->count] = v;
            sc->count++;
        }
    }
    /* The first rotation starts at ring index 0. */
    for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
        struct sched_cpu *sc = &sched_cpus[c];
        sc->last = (sc->count == 0u) ? 0u : sc->count - 1u;
    }
}

/* An enabled, unmasked virtual timer: its deadline can wake the vCPU. */
static bool sched_timer_armed(const struct vcpu *v)
{
    return (v->vtimer.ctl & VTIMER_CTL_ENABLE) != 0u && (v->vtimer.ctl & VTIMER_CTL_IMASK) == 0u;
}

/* Implements: LLR-SCHED-003 */
static void sched_wake(const struct sched_cpu *sc, uint64_t now)
{
    for (uint32_t i = 0; i < sc->count; i++) {
        struct vcpu *v = sc->ring[i];
        if (v->state != VCPU_BLOCKED) {
            continue;
        }
        bool timer_fired = sched_timer_armed(v) && v->vtimer.cval <= now;
        if (timer_fired || vgic_has_pending(v)) {
            v->state = VCPU_RUNNABLE;
        }
    }
}

static uint64_t sched_add_sat(uint64_t a, uint64_t b)
{
    return (a > UINT64_MAX - b) ? UINT64_MAX : a + b;
}

/* Implements: LLR-SCHED-002 */
static struct vcpu *sched_choose(struct sched_cpu *sc, uint64_t now)
{
    struct vcpu *cur = sc->current;
    if (cur != NULL && cur->state == VCPU_RUNNABLE && now < sc->slice_end) {
        return cur;
    }
    /* Start after the last choice; the last one itself comes last, so it
     * runs again only when nothing else on this CPU can. */
    for (uint32_t i = 1; i <= sc->count; i++) {
        uint32_t idx = (sc->last + i) % sc->count;
        if (sc->ring[idx]->state == VCPU_RUNNABLE) {
            sc->last = idx;
            sc->slice_end = sched_add_sat(now, sched_slice);
            return sc->ring[idx];
        }
    }
    return NULL;
}

/* Implements: LLR-SCHED-004 */
static uint64_t sched_next_event(const struct sched_cpu *sc, const struct vcpu *chosen)
{
    uint64_t next = SCHED_NO_EVENT;
    for (uint32_t i = 0; i < sc->count; i++) {
        const struct vcpu *v = sc->ring[i];
        if (chosen != NULL && v != chosen && v->state != VCPU_OFF) {
            /* Someone else may want this CPU: the slice end matters. */
            next = sc->slice_end;
            break;
        }
    }
    for (uint32_t i = 0; i < sc->count; i++) {
        const struct vcpu *v = sc->ring[i];
        if (v->state == VCPU_BLOCKED && sched_timer_armed(v) && v->vtimer.cval < next) {
            next = v->vtimer.cval;
        }
    }
    return next;
}

/* Implements: LLR-SCHED-002, LLR-SCHED-003, LLR-SCHED-004 */
struct vcpu *sched_pick(uint32_t cpu, uint64_t now, uint64_t *next_event)
{
    if (cpu >= BH_MAX_CPUS) {
        *next_event = SCHED_NO_EVENT;
        return NULL;
    }
    struct sched_cpu *sc = &sched_cpus[cpu];
    sc->need_pick = false;
    sched_wake(sc, now);
    struct vcpu *chosen = sched_choose(sc, now);
    sc->current = chosen;
    *next_event = sched_next_event(sc, chosen);
    return chosen;
}

/* Implements: LLR-SCHED-005 */
void sched_yield(struct vcpu *v)
{
    if (v->pcpu < BH_MAX_CPUS && sched_cpus[v->pcpu].current == v) {
        sched_cpus[v->pcpu].slice_end = 0; /* every now is past it */
    }
    sched_request_pick(v->pcpu);
}

/*
 * Only a runnable vCPU blocks: an OFF one (its partition was stopped)
 * stays OFF. A vCPU with an interrupt already pending does not block, so a
 * wake-up that arrived before the WFI is never lost.
 * Implements: LLR-SCHED-006
 */
void sched_block(struct vcpu *v)
{
    if (v->state == VCPU_RUNNABLE && !vgic_has_pending(v)) {
        v->state = VCPU_BLOCKED;
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
