/*
 * Virtual GICv3 (Arm IHI 0069) of a partition: interrupt state, delivery
 * (inject, post, SGIs, kicks) and the list registers. The guest's register
 * interface is in vgic_mmio.c; the configuration the two keep is described
 * there.
 *
 * Rules this file keeps, beyond the architecture text:
 * - An interrupt is delivered to vCPU v when it is pending and enabled, and
 *   for an SPI, GICD_CTLR.EnableGrp1 is set and it is routed to v (an SGI or
 *   PPI needs no more: the redistributor is always awake, GICR_WAKER reads
 *   as zero, as Xen's). Active interrupts of v are always put in list
 *   registers so that the guest can complete them.
 * - While an interrupt is held in a list register, the list register is
 *   its state; at sync the state comes back from it, plus any pending state
 *   the list register did not carry (pend_extra: set when the interrupt was
 *   made pending again after the fill, or was pending but not forwardable).
 */
#include "vgic.h"

#include "arch_if.h"
#include "part.h"
#include "util.h"
#include "vgic_state.h"

_Static_assert(BH_MAX_VCPUS_PER_PART <= 16u, "SGI target lists cover Aff0 0..15 only");
_Static_assert(VGIC_NUM_IRQS == 64u, "inbox and cand: one 64-bit mask bit per INTID");
_Static_assert(BH_MAX_CPUS <= 32u, "vgic_sgi: one bit per physical CPU");

#define SGI1R_IRM (1ULL << 40)
#define SGI1R_AFF_MASK 0x00FF00FF00FF0000ULL /* Aff3, Aff2, Aff1 */
#define LR_STATE_PENDING 1u
#define LR_STATE_ACTIVE 2u
#define LR_GROUP1 (1ULL << 60)
#define LR_EOI (1ULL << 41) /* HW=0: maintenance interrupt on deactivation */

/* Implements: LLR-VGIC-005, LLR-VGIC-006 */
uint32_t vgic_part_vcpus(const struct partition *p)
{
    return p->num_vcpus < BH_MAX_VCPUS_PER_PART ? p->num_vcpus : BH_MAX_VCPUS_PER_PART;
}

/* Implements: LLR-VGIC-005 */
struct vcpu *vgic_spi_target(const struct partition *p, const struct vgic_irq *q)
{
    return q->target < vgic_part_vcpus(p) ? p->vcpus[q->target] : NULL;
}

static struct vgic_irq *irq_of(struct vcpu *v, uint32_t intid)
{
    return intid < VGIC_NUM_PRIVATE ? &v->vgic.priv[intid]
                                    : &v->part->vgic.spi[intid - VGIC_NUM_PRIVATE];
}

/* The vCPU an interrupt of v's partition is delivered to, or NULL. */
static struct vcpu *irq_owner(struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    return intid < VGIC_NUM_PRIVATE ? v : vgic_spi_target(v->part, q);
}

/* Make the INTIDs of bits candidates of t; any CPU may call this for any
 * vCPU. Implements: LLR-VGIC-013 */
static void cand_add(struct vcpu *t, uint64_t bits)
{
    (void)__atomic_fetch_or(&t->vgic.cand_in, bits, __ATOMIC_RELEASE);
}

/* Implements: LLR-VGIC-013 */
void vgic_mark_irqs(struct vcpu *t, uint64_t bits)
{
    if (t != NULL) {
        __atomic_store_n(&t->vgic.dirty, true, __ATOMIC_RELAXED);
        cand_add(t, bits);
    }
}

/* v's candidate mask with every mark made since; on v's own CPU only.
 * Implements: LLR-VGIC-013 */
static uint64_t cand_take(struct vcpu *v)
{
    v->vgic.cand |= __atomic_exchange_n(&v->vgic.cand_in, 0u, __ATOMIC_ACQUIRE);
    return v->vgic.cand;
}

/* Implements: LLR-VGIC-007 */
void vgic_irq_pend(struct vgic_irq *q)
{
    q->pending = 1u;
    if (q->in_lr != 0u) {
        q->pend_extra = 1u;
    }
}

static void irq_reset(struct vgic_irq *q, uint8_t edge)
{
    bh_memset(q, 0, sizeof(*q)); /* disabled, idle, priority 0, target 0 */
    q->edge = edge;
    q->group1 = 1u;
}

/* Implements: LLR-VGIC-001, LLR-VGIC-015 */
void vgic_init(struct partition *p)
{
    arch_lock(&p->vgic.lock);
    p->vgic.ctlr = 0u;
    p->vgic.notify = 0u;
    for (uint32_t i = 0; i < VGIC_NUM_SPIS; i++) {
        irq_reset(&p->vgic.spi[i], 0u);
        p->vgic.irouter[i] = 0u;
    }
    for (uint32_t k = 0; k < vgic_part_vcpus(p); k++) {
        struct vgic_cpu *c = &p->vcpus[k]->vgic;
        for (uint32_t i = 0; i < VGIC_NUM_PRIVATE; i++) {
            irq_reset(&c->priv[i], i < 16u ? 1u : 0u);
        }
        c->lr_count = 0u;
        bh_memset(c->lr_intid, 0, sizeof(c->lr_intid));
        __atomic_store_n(&c->dirty, false, __ATOMIC_RELAXED);
        c->cand = VGIC_ALL_IRQS;
        __atomic_store_n(&c->cand_in, 0u, __ATOMIC_RELEASE);
        __atomic_store_n(&c->inbox, 0u, __ATOMIC_RELEASE); /* posts before a reset are void */
    }
    arch_unlock(&p->vgic.lock);
}

/* ------------------------------------------------------------ delivery --- */

/* Make intid pending; returns the vCPUs it marked (bit k: vCPU k), for
 * vgic_kick_marked. Pre: intid < VGIC_NUM_IRQS, the partition's vGIC lock
 * held. */
static uint32_t irq_inject(struct vcpu *v, uint32_t intid)
{
    struct vgic_irq *q = irq_of(v, intid);
    struct vcpu *t = irq_owner(v, intid, q);
    vgic_irq_pend(q);
    vgic_mark_irqs(t, 1ULL << intid); /* only this one changed */
    return t != NULL ? 1u << t->vid : 0u;
}

/* Implements: LLR-VGIC-007, LLR-VGIC-015, LLR-VGIC-016 */
void vgic_inject(struct vcpu *v, uint32_t intid)
{
    if (intid >= VGIC_NUM_IRQS) {
        return;
    }
    arch_lock(&v->part->vgic.lock);
    uint32_t marked = irq_inject(v, intid);
    arch_unlock(&v->part->vgic.lock);
    vgic_kick_marked(v->part, marked); /* an SPI may be routed to another CPU's vCPU */
}

/* The one kick rule (LLR-VGIC-014). The fence orders the caller's change
 * before the read of in_window; the scheduler orders its write of in_window
 * before its look at the state (sched_set_owner), so either it sees the
 * change or this CPU sees t in its window.
 * Implements: LLR-VGIC-014, LLR-VGIC-016 */
bool vgic_kick(const struct vcpu *t)
{
    /* A CPU number beyond the machine's (the configuration check excludes
     * it) is never signalled. */
    if (t->pcpu == arch_cpu_id() || t->pcpu >= BH_MAX_CPUS) {
        return false;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    bool kick = __atomic_load_n(&t->in_window, __ATOMIC_SEQ_CST);
    if (kick) {
        arch_kick(t->pcpu);
    }
    return kick;
}

/* Implements: LLR-VGIC-016 */
void vgic_kick_marked(const struct partition *p, uint32_t marked)
{
    uint32_t rest = marked;
    while (rest != 0u) { /* each turn clears a bit: at most BH_CFG_MAX_VCPUS */
        (void)vgic_kick(p->vcpus[__builtin_ctz(rest)]);
        rest &= rest - 1u;
    }
}

/* Implements: LLR-VGIC-012, LLR-VGIC-014 */
bool vgic_post(struct vcpu *v, uint32_t intid)
{
    if (intid >= VGIC_NUM_IRQS) {
        return false;
    }
    if (v->pcpu == arch_cpu_id()) {
        vgic_inject(v, intid);
        return false;
    }
    /* Post, then look whether v owns its CPU's window: the scheduler
     * publishes ownership, then drains (sched_pick). A vCPU outside its
     * window is not worth an interrupt: its CPU runs another partition,
     * whose time the kick would take; the post waits for v's next window. */
    (void)__atomic_fetch_or(&v->vgic.inbox, 1ULL << intid, __ATOMIC_SEQ_CST);
    return vgic_kick(v);
}

/* Implements: LLR-VGIC-012, LLR-VGIC-015 */
bool vgic_drain(struct vcpu *v)
{
    /* Cheap when empty (every return to a guest drains): one load. */
    if (__atomic_load_n(&v->vgic.inbox, __ATOMIC_RELAXED) == 0u) {
        return false;
    }
    uint64_t bits = __atomic_exchange_n(&v->vgic.inbox, 0u, __ATOMIC_ACQUIRE);
    uint32_t marked = 0u;
    arch_lock(&v->part->vgic.lock);
    while (bits != 0u) { /* one INTID a turn, each clears a bit: at most 64 */
        marked |= irq_inject(v, (uint32_t)__builtin_ctzll(bits));
        bits &= bits - 1u;
    }
    arch_unlock(&v->part->vgic.lock);
    vgic_kick_marked(v->part, marked & ~(1u << v->vid)); /* v is on this CPU */
    return true;
}

static bool irq_is_for(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    return intid < VGIC_NUM_PRIVATE || q->target == v->vid;
}

/* Pending state of q that may be signalled to v now. */
static bool irq_deliverable(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    bool forward = intid < VGIC_NUM_PRIVATE || (v->part->vgic.ctlr & GICD_CTLR_GRP1) != 0u;
    return q->pending != 0u && q->enabled != 0u && forward && irq_is_for(v, intid, q);
}

static const struct vgic_irq *irq_view(const struct vcpu *v, uint32_t intid)
{
    return intid < VGIC_NUM_PRIVATE ? &v->vgic.priv[intid]
                                    : &v->part->vgic.spi[intid - VGIC_NUM_PRIVATE];
}

/* Implements: LLR-VGIC-008, LLR-VGIC-013, LLR-VGIC-015 */
bool vgic_has_pending(struct vcpu *v)
{
    bool found = false;
    arch_lock(&v->part->vgic.lock);
    /* With list registers in use their interrupts' state is the hardware's:
     * look at every INTID as before; otherwise the candidates are all that
     * can be. */
    uint64_t scan = v->vgic.lr_count == 0u ? cand_take(v) : VGIC_ALL_IRQS;
    while (scan != 0u && !found) { /* one INTID a turn, each clears a bit: at most 64 */
        uint32_t intid = (uint32_t)__builtin_ctzll(scan);
        const struct vgic_irq *q = irq_view(v, intid);
        scan &= scan - 1u;
        found = irq_deliverable(v, intid, q);
    }
    arch_unlock(&v->part->vgic.lock);
    return found;
}

/* Implements: LLR-PT-012, LLR-VGIC-015 */
bool vgic_irq_idle(struct partition *p, uint32_t intid)
{
    if (intid < VGIC_NUM_PRIVATE || intid >= VGIC_NUM_IRQS) {
        return false;
    }
    arch_lock(&p->vgic.lock);
    const struct vgic_irq *q = &p->vgic.spi[intid - VGIC_NUM_PRIVATE];
    bool idle = (q->pending | q->active | q->in_lr) == 0u;
    arch_unlock(&p->vgic.lock);
    return idle;
}

/* Implements: LLR-PT-027, LLR-VGIC-015 */
struct vcpu *vgic_spi_vcpu(struct partition *p, uint32_t intid)
{
    if (intid < VGIC_NUM_PRIVATE || intid >= VGIC_NUM_IRQS) {
        return NULL;
    }
    arch_lock(&p->vgic.lock);
    struct vcpu *t = vgic_spi_target(p, &p->vgic.spi[intid - VGIC_NUM_PRIVATE]);
    arch_unlock(&p->vgic.lock);
    return t;
}

/* vCPUs (bit k: vCPU k of the partition) an ICC_SGI1R_EL1 value targets. */
static uint32_t sgi_targets(const struct vcpu *v, uint64_t sgi1r)
{
    uint32_t all = (1u << vgic_part_vcpus(v->part)) - 1u;
    if ((sgi1r & SGI1R_IRM) != 0u) {
        return all & ~(1u << v->vid);
    }
    /* Aff3..Aff1 and RS (Aff0 16 and up) select no vCPU of a partition */
    if ((sgi1r & SGI1R_AFF_MASK) != 0u || ((sgi1r >> 44) & 0xFu) != 0u) {
        return 0u;
    }
    return (uint32_t)(sgi1r & 0xFFFFu) & all;
}

/* Implements: LLR-VGIC-009 */
uint32_t vgic_sgi(struct vcpu *v, uint64_t sgi1r)
{
    uint32_t intid = (uint32_t)(sgi1r >> 24) & 0xFu;
    uint32_t targets = sgi_targets(v, sgi1r);
    uint32_t kicked = 0u;
    for (uint32_t k = 0; k < vgic_part_vcpus(v->part); k++) {
        struct vcpu *t = v->part->vcpus[k];
        if ((targets & (1u << k)) != 0u && vgic_post(t, intid)) {
            kicked |= 1u << t->pcpu;
        }
    }
    return kicked;
}

/* ------------------------------------------------------ list registers --- */

static bool lr_candidate(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    if (q->in_lr != 0u) {
        return false;
    }
    return (q->active != 0u && irq_is_for(v, intid, q)) || irq_deliverable(v, intid, q);
}

/* Insert candidate intid (priority prio) into the sorted out[0..*n), keeping
 * the best max; ties keep the lower INTID first, as INTIDs arrive in order.
 * Sets *more when a candidate does not fit or drops out. */
static void lr_insert(const struct vcpu *v, uint32_t intid, uint8_t prio, uint32_t *out,
                      uint32_t *n, uint32_t max, bool *more)
{
    uint32_t pos = *n;
    while (pos > 0u && irq_view(v, out[pos - 1u])->priority > prio) {
        pos--;
    }
    if (pos >= max) {
        *more = true;
        return;
    }
    if (*n == max) {
        *more = true; /* the last one drops out */
        *n -= 1u;
    }
    for (uint32_t k = *n; k > pos; k--) {
        out[k] = out[k - 1u];
    }
    out[pos] = intid;
    *n += 1u;
}

/*
 * The best max candidates of v (lowest priority value first, ties by lower
 * INTID) in out[], in one pass over the INTIDs of scan (v's candidate mask),
 * lowest first; *more is set when further candidates did not fit. Most interrupts
 * are neither pending nor active, so that test comes first. After an
 * upcall drained from the inbox the mask names that one PPI only.
 */
static uint32_t lr_select(const struct vcpu *v, uint64_t scan, uint32_t *out, uint32_t max,
                          bool *more)
{
    uint32_t n = 0u;
    uint64_t rest = scan;
    *more = false;
    while (rest != 0u) { /* one INTID a turn, each clears a bit: at most 64 */
        uint32_t intid = (uint32_t)__builtin_ctzll(rest);
        const struct vgic_irq *q = irq_view(v, intid);
        rest &= rest - 1u;
        if ((q->pending | q->active) != 0u && lr_candidate(v, intid, q)) {
            lr_insert(v, intid, q->priority, out, &n, max, more);
        }
    }
    return n;
}

/* ICH_LR<n>_EL2: State [63:62], Group [60], Priority [55:48], EOI [41],
 * vINTID. EOI is set for the pass-through SPIs (notify).
 * Implements: LLR-PT-013 */
static uint64_t lr_encode(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q,
                          bool show_pending)
{
    uint64_t state = (show_pending ? (uint64_t)LR_STATE_PENDING : 0u) |
                     (q->active != 0u ? (uint64_t)LR_STATE_ACTIVE : 0u);
    bool eoi = intid >= VGIC_NUM_PRIVATE &&
               ((v->part->vgic.notify >> (intid - VGIC_NUM_PRIVATE)) & 1u) != 0u;
    return (state << 62) | LR_GROUP1 | ((uint64_t)q->priority << 48) | (eoi ? LR_EOI : 0u) |
           intid;
}

/* Take v's interrupts out of its list registers, state unchanged (a fill
 * never synced left the in-memory state whole). Implements: LLR-VGIC-013 */
static void lr_release(struct vcpu *v)
{
    for (uint32_t i = 0; i < v->vgic.lr_count; i++) { /* <= VGIC_MAX_LRS */
        struct vgic_irq *q = irq_of(v, v->vgic.lr_intid[i]);
        q->in_lr = 0u;
        q->pend_extra = 0u;
        /* A candidate again, of the vCPU it is routed to now (an SPI may
         * have moved meanwhile). */
        struct vcpu *t = irq_owner(v, v->vgic.lr_intid[i], q);
        if (t != NULL) {
            cand_add(t, 1ULL << v->vgic.lr_intid[i]);
        }
    }
    v->vgic.lr_count = 0u;
}

/* Implements: LLR-VGIC-010, LLR-VGIC-013, LLR-VGIC-015 */
uint32_t vgic_lr_fill(struct vcpu *v, uint64_t *lr, uint32_t nlr, bool *underflow)
{
    uint32_t n = nlr < VGIC_MAX_LRS ? nlr : VGIC_MAX_LRS;
    uint32_t pick[VGIC_MAX_LRS];
    arch_lock(&v->part->vgic.lock);
    lr_release(v);
    uint32_t count = lr_select(v, cand_take(v), pick, n, underflow);
    for (uint32_t i = 0; i < n; i++) {
        lr[i] = 0u;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t intid = pick[i];
        struct vgic_irq *q = irq_of(v, intid);
        bool show = irq_deliverable(v, intid, q);
        lr[i] = lr_encode(v, intid, q, show);
        q->in_lr = 1u;
        q->pend_extra = (q->pending != 0u && !show) ? 1u : 0u;
        v->vgic.lr_intid[i] = intid;
    }
    v->vgic.lr_count = count;
    __atomic_store_n(&v->vgic.dirty, false, __ATOMIC_RELAXED);
    if (!*underflow) {
        v->vgic.cand = 0u; /* every candidate taken is in a list register now */
    }
    arch_unlock(&v->part->vgic.lock);
    return count;
}

/* Implements: LLR-VGIC-011, LLR-VGIC-015 */
void vgic_lr_sync(struct vcpu *v, const uint64_t *lr, uint32_t nlr)
{
    arch_lock(&v->part->vgic.lock);
    uint32_t count = v->vgic.lr_count;
    for (uint32_t i = 0; i < count && i < nlr; i++) {
        struct vgic_irq *q = irq_of(v, v->vgic.lr_intid[i]);
        uint32_t state = (uint32_t)(lr[i] >> 62);
        q->pending = (uint8_t)((state & LR_STATE_PENDING) | q->pend_extra);
        q->active = (uint8_t)((state & LR_STATE_ACTIVE) >> 1);
    }
    lr_release(v);
    if (count != 0u) {
        __atomic_store_n(&v->vgic.dirty, true, __ATOMIC_RELAXED);
    }
    arch_unlock(&v->part->vgic.lock);
}
