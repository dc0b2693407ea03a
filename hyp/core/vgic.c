/*
 * Virtual GICv3 (Arm IHI 0069) of a partition, as one configuration of the
 * architecture: affinity routing on (ARE=1), one Security state (DS=1),
 * group 1 only (group 0 and IGRPMODR read as zero), no LPIs, no extended
 * ranges, VGIC_NUM_SPIS SPIs.
 *
 * Rules this file keeps, beyond the architecture text:
 * - IPRIORITYR keeps the top 5 bits of a priority (VGIC_PRIO_MASK).
 * - IROUTER.Interrupt_Routing_Mode=1 (1 of N) routes the SPI to vCPU 0. An
 *   IROUTER naming an affinity no vCPU has leaves the SPI unrouted; it can be
 *   pending but is delivered to nobody until it is routed again.
 * - An interrupt is delivered to vCPU v when it is pending and enabled, and
 *   for an SPI, GICD_CTLR.EnableGrp1 is set and it is routed to v; for an SGI
 *   or PPI, v's GICR_WAKER.ProcessorSleep is 0. Active interrupts of v are
 *   always put in list registers so that the guest can complete them.
 * - Every guest write to a register of an implemented interrupt marks the
 *   vCPU the interrupt targets `dirty`; GICD_CTLR writes mark every vCPU.
 * - While an interrupt is held in a list register, the list register is
 *   its state; at sync the state comes back from it, plus any pending state
 *   the list register did not carry (pend_extra: set when the interrupt was
 *   made pending again after the fill, or was pending but not forwardable).
 */
#include "vgic.h"

#include "arch_if.h"
#include "part.h"
#include "util.h"

_Static_assert(BH_MAX_VCPUS_PER_PART <= 16u, "SGI target lists cover Aff0 0..15 only");
_Static_assert(VGIC_NUM_SPIS % 32u == 0u && VGIC_NUM_IRQS <= 1020u, "SPI count");
_Static_assert(VGIC_NUM_IRQS == 64u, "inbox and cand: one 64-bit mask bit per INTID");

#define VGIC_ALL_IRQS (~0ull) /* a cand mask naming every INTID */

#define GICD_CTLR_GRP1 0x2u   /* EnableGrp1 (single Security state view) */
#define GICD_CTLR_FIXED 0x50u /* ARE (bit 4) and DS (bit 6) read as one */
/* IDbits 15 (16 bits of INTID), ITLinesNumber for VGIC_NUM_IRQS */
#define GICD_TYPER_VALUE ((15u << 19) | (VGIC_NUM_IRQS / 32u - 1u))
#define GIC_PIDR2_VALUE 0x3Bu  /* ArchRev 3 (GICv3) */
#define GICR_WAKER_PS 0x2u     /* ProcessorSleep */
#define GICR_WAKER_ASLEEP 0x6u /* ProcessorSleep and ChildrenAsleep */
#define GICR_TYPER_LAST 0x10u
#define GICR_SGI_OFFSET 0x10000u /* SGI_base inside a redistributor frame */
#define IROUTER_IRM 0x80000000ull
#define IROUTER_MASK 0x80FFFFFFull /* GICD_TYPER.A3V=0: Aff3 is RES0 */
#define SGI1R_IRM (1ull << 40)
#define SGI1R_AFF_MASK 0x00FF00FF00FF0000ull /* Aff3, Aff2, Aff1 */
#define LR_STATE_PENDING 1u
#define LR_STATE_ACTIVE 2u
#define LR_GROUP1 (1ull << 60)
#define LR_EOI (1ull << 41) /* HW=0: maintenance interrupt on deactivation */

/* The three register frames a guest address can fall in. */
enum vgic_frame { FRAME_DIST, FRAME_RD, FRAME_SGI };

enum vgic_reg {
    REG_GICD_CTLR,
    REG_GICD_TYPER,
    REG_IIDR,
    REG_PIDR2,
    REG_GICR_TYPER,
    REG_GICR_WAKER,
    REG_IROUTER,
    REG_IGROUPR, /* from here on: per-interrupt fields, see bank_access */
    REG_ISENABLER,
    REG_ICENABLER,
    REG_ISPENDR,
    REG_ICPENDR,
    REG_ISACTIVER,
    REG_ICACTIVER,
    REG_IPRIORITYR,
    REG_ICFGR,
};

/* One emulated register (array): byte offsets [start, end) in its frame,
 * bits per interrupt for the per-interrupt arrays, allowed access sizes as a
 * bit set of byte counts (4 always; 1 for priorities; 8 for 64-bit ones). */
struct vgic_reg_desc {
    uint16_t start;
    uint16_t end;
    uint8_t frame;
    uint8_t reg;
    uint8_t bits;
    uint8_t widths;
};

/* Offsets absent from this table read as zero and ignore writes (reserved,
 * STATUSR, TYPER2, GICR_CTLR, IGRPMODR, NSACR, ITARGETSR, SGIR). In the
 * distributor, entries of interrupts 0..31 are RAZ/WI because ARE=1. */
static const struct vgic_reg_desc vgic_regs[] = {
    {0x0000, 0x0004, FRAME_DIST, REG_GICD_CTLR, 0, 4},
    {0x0004, 0x0008, FRAME_DIST, REG_GICD_TYPER, 0, 4},
    {0x0008, 0x000C, FRAME_DIST, REG_IIDR, 0, 4},
    {0x0080, 0x0100, FRAME_DIST, REG_IGROUPR, 1, 4},
    {0x0100, 0x0180, FRAME_DIST, REG_ISENABLER, 1, 4},
    {0x0180, 0x0200, FRAME_DIST, REG_ICENABLER, 1, 4},
    {0x0200, 0x0280, FRAME_DIST, REG_ISPENDR, 1, 4},
    {0x0280, 0x0300, FRAME_DIST, REG_ICPENDR, 1, 4},
    {0x0300, 0x0380, FRAME_DIST, REG_ISACTIVER, 1, 4},
    {0x0380, 0x0400, FRAME_DIST, REG_ICACTIVER, 1, 4},
    {0x0400, 0x0800, FRAME_DIST, REG_IPRIORITYR, 8, 1 | 4},
    {0x0C00, 0x0D00, FRAME_DIST, REG_ICFGR, 2, 4},
    {0x6000, 0x7FE0, FRAME_DIST, REG_IROUTER, 0, 4 | 8},
    {0xFFE8, 0xFFEC, FRAME_DIST, REG_PIDR2, 0, 4},
    {0x0004, 0x0008, FRAME_RD, REG_IIDR, 0, 4},
    {0x0008, 0x0010, FRAME_RD, REG_GICR_TYPER, 0, 4 | 8},
    {0x0014, 0x0018, FRAME_RD, REG_GICR_WAKER, 0, 4},
    {0xFFE8, 0xFFEC, FRAME_RD, REG_PIDR2, 0, 4},
    {0x0080, 0x0084, FRAME_SGI, REG_IGROUPR, 1, 4},
    {0x0100, 0x0104, FRAME_SGI, REG_ISENABLER, 1, 4},
    {0x0180, 0x0184, FRAME_SGI, REG_ICENABLER, 1, 4},
    {0x0200, 0x0204, FRAME_SGI, REG_ISPENDR, 1, 4},
    {0x0280, 0x0284, FRAME_SGI, REG_ICPENDR, 1, 4},
    {0x0300, 0x0304, FRAME_SGI, REG_ISACTIVER, 1, 4},
    {0x0380, 0x0384, FRAME_SGI, REG_ICACTIVER, 1, 4},
    {0x0400, 0x0420, FRAME_SGI, REG_IPRIORITYR, 8, 1 | 4},
    {0x0C00, 0x0C08, FRAME_SGI, REG_ICFGR, 2, 4},
};

#define VGIC_NUM_REGS (sizeof(vgic_regs) / sizeof(vgic_regs[0]))

/* One decoded guest access. owner is the vCPU of a redistributor frame
 * (index k in its partition), NULL for the distributor. */
struct vgic_access {
    struct partition *part;
    struct vcpu *owner;
    uint32_t k;
    uint32_t frame;
    uint32_t off;
    uint32_t size;
    bool write;
    uint64_t wval;
    uint64_t rval;
    uint32_t touched; /* bit k: a write marked vCPU k of part dirty */
};

/* vCPUs of p, never more than its vcpus[] table holds. */
static uint32_t part_vcpus(const struct partition *p)
{
    return p->num_vcpus < BH_MAX_VCPUS_PER_PART ? p->num_vcpus : BH_MAX_VCPUS_PER_PART;
}

static struct vcpu *spi_target(const struct partition *p, const struct vgic_irq *q)
{
    return q->target < part_vcpus(p) ? p->vcpus[q->target] : NULL;
}

static struct vgic_irq *irq_of(struct vcpu *v, uint32_t intid)
{
    return intid < VGIC_NUM_PRIVATE ? &v->vgic.priv[intid]
                                    : &v->part->vgic.spi[intid - VGIC_NUM_PRIVATE];
}

/* The vCPU an interrupt of v's partition is delivered to, or NULL. */
static struct vcpu *irq_owner(struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    return intid < VGIC_NUM_PRIVATE ? v : spi_target(v->part, q);
}

/* Make the INTIDs of bits candidates of t; any CPU may call this for any
 * vCPU. Implements: LLR-VGIC-013 */
static void cand_add(struct vcpu *t, uint64_t bits)
{
    (void)__atomic_fetch_or(&t->vgic.cand_in, bits, __ATOMIC_RELEASE);
}

/* Mark t dirty, the INTIDs of bits its candidates. */
static void mark_irqs(struct vcpu *t, uint64_t bits)
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

static void irq_pend(struct vgic_irq *q)
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
    for (uint32_t k = 0; k < part_vcpus(p); k++) {
        struct vgic_cpu *c = &p->vcpus[k]->vgic;
        for (uint32_t i = 0; i < VGIC_NUM_PRIVATE; i++) {
            irq_reset(&c->priv[i], i < 16u ? 1u : 0u);
        }
        c->waker = GICR_WAKER_ASLEEP;
        c->lr_count = 0u;
        bh_memset(c->lr_intid, 0, sizeof(c->lr_intid));
        __atomic_store_n(&c->dirty, false, __ATOMIC_RELAXED);
        c->cand = VGIC_ALL_IRQS;
        __atomic_store_n(&c->cand_in, 0u, __ATOMIC_RELEASE);
        __atomic_store_n(&c->inbox, 0u, __ATOMIC_RELEASE); /* posts before a reset are void */
    }
    arch_unlock(&p->vgic.lock);
}

/* ---------------------------------------------------------------- MMIO --- */

/* A guest write changed state that concerns t: mark it, and remember it
 * for the kick after the lock is released (vgic_mmio). */
static void access_mark(struct vgic_access *a, struct vcpu *t)
{
    if (t != NULL) {
        mark_irqs(t, VGIC_ALL_IRQS); /* the change may concern any of its INTIDs */
        a->touched |= 1u << t->vid;
    }
}

/* The interrupt a per-interrupt register entry names in this frame, or NULL
 * when the entry is RAZ/WI there. */
static struct vgic_irq *frame_irq(const struct vgic_access *a, uint32_t intid)
{
    if (a->owner != NULL) {
        return &a->owner->vgic.priv[intid]; /* SGI_base arrays end at 31 */
    }
    if (intid < VGIC_NUM_PRIVATE || intid >= VGIC_NUM_IRQS) {
        return NULL;
    }
    return &a->part->vgic.spi[intid - VGIC_NUM_PRIVATE];
}

static uint32_t irq_field_read(uint32_t reg, const struct vgic_irq *q)
{
    switch (reg) {
    case REG_IGROUPR:
        return q->group1;
    case REG_ISENABLER:
    case REG_ICENABLER:
        return q->enabled;
    case REG_ISPENDR:
    case REG_ICPENDR:
        return q->pending;
    case REG_ISACTIVER:
    case REG_ICACTIVER:
        return q->active;
    case REG_IPRIORITYR:
        return q->priority;
    default: /* REG_ICFGR: bit 1 of the field is "edge", bit 0 RAZ */
        return (uint32_t)q->edge << 1;
    }
}

/* Group writes are ignored (group 1 only); SGIs stay edge-triggered. */
static void irq_field_write(uint32_t reg, struct vgic_irq *q, uint32_t intid, uint32_t f)
{
    uint8_t one = (uint8_t)(f & 1u);
    switch (reg) {
    case REG_ISENABLER:
        q->enabled = (uint8_t)(q->enabled | one);
        break;
    case REG_ICENABLER:
        q->enabled = (uint8_t)(q->enabled & (one ^ 1u));
        break;
    case REG_ISPENDR:
        if (one != 0u) {
            irq_pend(q);
        }
        break;
    case REG_ICPENDR:
        q->pending = (uint8_t)(q->pending & (one ^ 1u));
        break;
    case REG_ISACTIVER:
        q->active = (uint8_t)(q->active | one);
        break;
    case REG_ICACTIVER:
        q->active = (uint8_t)(q->active & (one ^ 1u));
        break;
    case REG_IPRIORITYR:
        q->priority = (uint8_t)(f & VGIC_PRIO_MASK);
        break;
    case REG_ICFGR:
        if (intid >= 16u) {
            q->edge = (uint8_t)((f >> 1) & 1u);
        }
        break;
    default: /* REG_IGROUPR */
        break;
    }
}

/* Per-interrupt register arrays: `bits` bits per interrupt, interrupt 0 at
 * the array start, as in both the distributor and SGI_base. */
static void bank_access(struct vgic_access *a, const struct vgic_reg_desc *r)
{
    uint32_t first = (a->off - r->start) * 8u / r->bits;
    uint32_t n = a->size * 8u / r->bits;
    uint32_t fmask = (1u << r->bits) - 1u;
    for (uint32_t j = 0; j < n; j++) { /* n <= 32: 4 bytes at most */
        struct vgic_irq *q = frame_irq(a, first + j);
        if (q == NULL) {
            continue;
        }
        if (a->write) {
            uint32_t f = (uint32_t)(a->wval >> (j * r->bits)) & fmask;
            irq_field_write(r->reg, q, first + j, f);
            access_mark(a, a->owner != NULL ? a->owner : spi_target(a->part, q));
        } else {
            a->rval |= (uint64_t)irq_field_read(r->reg, q) << (j * r->bits);
        }
    }
}

/* A 64-bit register read whole or as one 32-bit half. */
static uint64_t reg64_read(const struct vgic_access *a, uint64_t value)
{
    return a->size == 8u ? value : (value >> ((a->off & 4u) * 8u)) & 0xFFFFFFFFull;
}

static uint64_t reg64_merge(const struct vgic_access *a, uint64_t old)
{
    uint32_t shift = (a->off & 4u) * 8u;
    if (a->size == 8u) {
        return a->wval;
    }
    return (old & ~(0xFFFFFFFFull << shift)) | (a->wval << shift);
}

/* The vCPU index an IROUTER value selects (vCPU k has Aff0 = k). */
static uint8_t route_of(const struct partition *p, uint64_t irouter)
{
    if ((irouter & IROUTER_IRM) != 0u) {
        return 0u;
    }
    if ((irouter & 0xFFFF00ull) != 0u || (irouter & 0xFFull) >= part_vcpus(p)) {
        return VGIC_NO_TARGET;
    }
    return (uint8_t)(irouter & 0xFFull);
}

/* Implements: LLR-VGIC-005 */
static void irouter_access(struct vgic_access *a)
{
    uint32_t intid = (a->off - 0x6000u) / 8u;
    if (intid < VGIC_NUM_PRIVATE || intid >= VGIC_NUM_IRQS) {
        return;
    }
    uint32_t i = intid - VGIC_NUM_PRIVATE;
    struct vgic_dist *d = &a->part->vgic;
    if (!a->write) {
        a->rval = reg64_read(a, d->irouter[i]);
        return;
    }
    access_mark(a, spi_target(a->part, &d->spi[i]));
    d->irouter[i] = reg64_merge(a, d->irouter[i]) & IROUTER_MASK;
    d->spi[i].target = route_of(a->part, d->irouter[i]);
    access_mark(a, spi_target(a->part, &d->spi[i]));
}

/* Implements: LLR-VGIC-003 */
static void gicd_ctlr_access(struct vgic_access *a)
{
    struct partition *p = a->part;
    if (!a->write) {
        a->rval = p->vgic.ctlr | GICD_CTLR_FIXED;
        return;
    }
    p->vgic.ctlr = (uint32_t)a->wval & GICD_CTLR_GRP1;
    for (uint32_t k = 0; k < part_vcpus(p); k++) {
        access_mark(a, p->vcpus[k]);
    }
}

/* Implements: LLR-VGIC-006 */
static uint64_t gicr_typer(const struct vgic_access *a)
{
    uint64_t last = (a->k + 1u == part_vcpus(a->part)) ? GICR_TYPER_LAST : 0u;
    return ((uint64_t)a->k << 32) | ((uint64_t)a->k << 8) | last;
}

/* Implements: LLR-VGIC-006 */
static void gicr_waker_access(struct vgic_access *a)
{
    struct vgic_cpu *c = &a->owner->vgic;
    if (a->write) {
        c->waker = (a->wval & GICR_WAKER_PS) != 0u ? GICR_WAKER_ASLEEP : 0u;
        access_mark(a, a->owner);
    }
    a->rval = c->waker;
}

/* Implements: LLR-VGIC-003, LLR-VGIC-004, LLR-VGIC-006 */
static void reg_access(struct vgic_access *a, const struct vgic_reg_desc *r)
{
    switch (r->reg) {
    case REG_GICD_CTLR:
        gicd_ctlr_access(a);
        break;
    case REG_GICD_TYPER:
        a->rval = GICD_TYPER_VALUE;
        break;
    case REG_IIDR:
        a->rval = VGIC_IIDR;
        break;
    case REG_PIDR2:
        a->rval = GIC_PIDR2_VALUE;
        break;
    case REG_GICR_TYPER:
        a->rval = reg64_read(a, gicr_typer(a));
        break;
    case REG_GICR_WAKER:
        gicr_waker_access(a);
        break;
    case REG_IROUTER:
        irouter_access(a);
        break;
    default:
        bank_access(a, r);
        break;
    }
}

static const struct vgic_reg_desc *reg_find(uint32_t frame, uint32_t off)
{
    for (uint32_t i = 0; i < VGIC_NUM_REGS; i++) {
        const struct vgic_reg_desc *r = &vgic_regs[i];
        if (r->frame == frame && off >= r->start && off < r->end) {
            return r;
        }
    }
    return NULL;
}

/* Place gpa in a frame of v's partition; false when it is in neither window
 * or in the frame of a vCPU the partition does not have. */
static bool decode(struct vcpu *v, uint64_t gpa, struct vgic_access *a)
{
    a->part = v->part;
    a->owner = NULL;
    a->k = 0u;
    if (gpa - VGIC_GICD_BASE < VGIC_GICD_SIZE) {
        a->frame = FRAME_DIST;
        a->off = (uint32_t)(gpa - VGIC_GICD_BASE);
        return true;
    }
    if (gpa - VGIC_GICR_BASE >= VGIC_GICR_SIZE) {
        return false;
    }
    uint64_t rel = gpa - VGIC_GICR_BASE;
    a->k = (uint32_t)(rel / VGIC_GICR_STRIDE);
    if (a->k >= part_vcpus(a->part)) {
        return false;
    }
    a->owner = a->part->vcpus[a->k];
    a->off = (uint32_t)(rel % VGIC_GICR_STRIDE);
    a->frame = a->off < GICR_SGI_OFFSET ? FRAME_RD : FRAME_SGI;
    a->off &= GICR_SGI_OFFSET - 1u;
    return true;
}

/* Implements: LLR-VGIC-002, LLR-VGIC-015 */
enum mmio_result vgic_mmio(struct vcpu *v, uint64_t gpa, uint32_t size, bool write, uint64_t *val)
{
    struct vgic_access a;
    if (!decode(v, gpa, &a)) {
        return MMIO_NOT_MINE;
    }
    if ((size != 1u && size != 4u && size != 8u) || (a.off & (size - 1u)) != 0u) {
        return MMIO_BAD_ACCESS;
    }
    const struct vgic_reg_desc *r = reg_find(a.frame, a.off);
    uint32_t widths = r != NULL ? r->widths : 4u;
    if ((widths & size) == 0u) {
        return MMIO_BAD_ACCESS;
    }
    a.size = size;
    a.write = write;
    a.wval = write ? (*val & (~0ull >> (64u - 8u * size))) : 0u;
    a.rval = 0u;
    a.touched = 0u;
    if (r != NULL) {
        arch_lock(&a.part->vgic.lock);
        reg_access(&a, r);
        arch_unlock(&a.part->vgic.lock);
    }
    /* A write may have made an interrupt deliverable to a vCPU blocked on
     * another CPU, which would otherwise wait for that CPU's next trap. */
    while (a.touched != 0u) { /* each turn clears a bit: at most 16 */
        (void)vgic_kick(a.part->vcpus[__builtin_ctz(a.touched)]);
        a.touched &= a.touched - 1u;
    }
    if (!write) {
        *val = a.rval;
    }
    return MMIO_HANDLED;
}

/* ------------------------------------------------------------ delivery --- */

/* Pre: intid < VGIC_NUM_IRQS, the partition's vGIC lock held. */
static void irq_inject(struct vcpu *v, uint32_t intid)
{
    struct vgic_irq *q = irq_of(v, intid);
    irq_pend(q);
    mark_irqs(irq_owner(v, intid, q), 1ull << intid); /* only this one changed */
}

/* Implements: LLR-VGIC-007, LLR-VGIC-015 */
void vgic_inject(struct vcpu *v, uint32_t intid)
{
    if (intid >= VGIC_NUM_IRQS) {
        return;
    }
    arch_lock(&v->part->vgic.lock);
    irq_inject(v, intid);
    arch_unlock(&v->part->vgic.lock);
}

/* The one kick rule (LLR-VGIC-014). The fence orders the caller's change
 * before the read of in_window; the scheduler orders its write of in_window
 * before its look at the state (sched_set_owner), so either it sees the
 * change or this CPU sees t in its window. */
static bool kick_needed(const struct vcpu *t)
{
    if (t->pcpu == arch_cpu_id()) {
        return false;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return __atomic_load_n(&t->in_window, __ATOMIC_SEQ_CST);
}

/* Implements: LLR-VGIC-014, LLR-VGIC-016 */
bool vgic_kick(const struct vcpu *t)
{
    bool kick = kick_needed(t);
    if (kick) {
        arch_kick(t->pcpu);
    }
    return kick;
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
    (void)__atomic_fetch_or(&v->vgic.inbox, 1ull << intid, __ATOMIC_SEQ_CST);
    return kick_needed(v);
}

/* Implements: LLR-VGIC-012, LLR-VGIC-015 */
bool vgic_drain(struct vcpu *v)
{
    /* Cheap when empty (every return to a guest drains): one load. */
    if (__atomic_load_n(&v->vgic.inbox, __ATOMIC_RELAXED) == 0u) {
        return false;
    }
    uint64_t bits = __atomic_exchange_n(&v->vgic.inbox, 0u, __ATOMIC_ACQUIRE);
    arch_lock(&v->part->vgic.lock);
    while (bits != 0u) { /* one INTID a turn, each clears a bit: at most 64 */
        irq_inject(v, (uint32_t)__builtin_ctzll(bits));
        bits &= bits - 1u;
    }
    arch_unlock(&v->part->vgic.lock);
    return true;
}

static bool irq_is_for(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    return intid < VGIC_NUM_PRIVATE || q->target == v->vid;
}

/* Pending state of q that may be signalled to v now. */
static bool irq_deliverable(const struct vcpu *v, uint32_t intid, const struct vgic_irq *q)
{
    bool forward = intid < VGIC_NUM_PRIVATE ? (v->vgic.waker & GICR_WAKER_PS) == 0u
                                            : (v->part->vgic.ctlr & GICD_CTLR_GRP1) != 0u;
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
        found = q->pending != 0u && irq_deliverable(v, intid, q);
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

/* vCPUs (bit k: vCPU k of the partition) an ICC_SGI1R_EL1 value targets. */
static uint32_t sgi_targets(const struct vcpu *v, uint64_t sgi1r)
{
    uint32_t all = (1u << part_vcpus(v->part)) - 1u;
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
    uint32_t kick = 0u;
    for (uint32_t k = 0; k < part_vcpus(v->part); k++) {
        struct vcpu *t = v->part->vcpus[k];
        if ((targets & (1u << k)) == 0u) {
            continue;
        }
        if (vgic_post(t, intid) && t->pcpu < 32u) {
            kick |= 1u << t->pcpu;
        }
    }
    return kick;
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
    uint64_t state =
        (show_pending ? LR_STATE_PENDING : 0u) | (q->active != 0u ? LR_STATE_ACTIVE : 0u);
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
            cand_add(t, 1ull << v->vgic.lr_intid[i]);
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
        q->pend_extra = (uint8_t)(q->pending != 0u && !show);
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
