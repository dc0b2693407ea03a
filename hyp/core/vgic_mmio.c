/*
 * The guest's view of its virtual GICv3 (Arm IHI 0069): distributor and
 * redistributor registers, emulated on a data abort in their frames. One
 * configuration of the architecture: affinity routing on (ARE=1), one
 * Security state (DS=1), group 1 only (group 0 and IGRPMODR read as zero),
 * no LPIs, no extended ranges, VGIC_NUM_SPIS SPIs.
 *
 * Rules this file keeps, beyond the architecture text:
 * - IPRIORITYR keeps the top 5 bits of a priority (VGIC_PRIO_MASK).
 * - IROUTER.Interrupt_Routing_Mode=1 (1 of N) routes the SPI to vCPU 0. An
 *   IROUTER naming an affinity no vCPU has leaves the SPI unrouted; it can be
 *   pending but is delivered to nobody until it is routed again.
 * - Every guest write to a register of an implemented interrupt marks the
 *   vCPU the interrupt targets `dirty`; GICD_CTLR writes mark every vCPU;
 *   each marked vCPU is then kicked by the one rule (vgic_kick).
 */
#include "vgic.h"

#include "arch_inline.h"
#include "part.h"
#include "vgic_state.h"

_Static_assert(VGIC_NUM_SPIS % 32u == 0u && VGIC_NUM_IRQS <= 1020u, "SPI count");

#define GICD_CTLR_FIXED 0x50u /* ARE (bit 4) and DS (bit 6) read as one */
/* IDbits 15 (16 bits of INTID), ITLinesNumber for VGIC_NUM_IRQS */
#define GICD_TYPER_VALUE ((15u << 19) | (VGIC_NUM_IRQS / 32u - 1u))
#define GIC_PIDR2_VALUE 0x3Bu /* ArchRev 3 (GICv3) */
#define GICR_TYPER_LAST 0x10u
#define GICR_SGI_OFFSET 0x10000u /* SGI_base inside a redistributor frame */
#define IROUTER_IRM 0x80000000ULL
#define IROUTER_MASK 0x80FFFFFFULL /* GICD_TYPER.A3V=0: Aff3 is RES0 */

/* The three register frames a guest address can fall in. */
enum vgic_frame { FRAME_DIST, FRAME_RD, FRAME_SGI };

enum vgic_reg {
    REG_GICD_CTLR,
    REG_GICD_TYPER,
    REG_IIDR,
    REG_PIDR2,
    REG_GICR_TYPER,
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
 * STATUSR, TYPER2, GICR_CTLR, GICR_WAKER, IGRPMODR, NSACR, ITARGETSR, SGIR).
 * GICR_WAKER is RAZ/WI as in Xen's vGICv3: the redistributor is always
 * awake, so a guest written for Xen, which never wakes it, gets its
 * private interrupts (docs/xen-compatibility.md). In the
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
    uint32_t marked; /* bit k: a write marked vCPU k of part dirty */
};

/* A guest write changed state that concerns t: mark it, and remember it
 * for the kick after the lock is released (vgic_mmio). */
static void access_mark(struct vgic_access *a, struct vcpu *t)
{
    if (t != NULL) {
        vgic_mark_irqs(t, VGIC_ALL_IRQS); /* the change may concern any of its INTIDs */
        a->marked |= 1u << t->vid;
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
    /* Offsets are the guest's: masked after the check. Implements: LLR-ARCH-093 */
    return &a->part->vgic.spi[arch_index_nospec(intid - VGIC_NUM_PRIVATE, VGIC_NUM_SPIS)];
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
            vgic_irq_pend(q);
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
            access_mark(a, a->owner != NULL ? a->owner : vgic_spi_target(a->part, q));
        } else {
            a->rval |= (uint64_t)irq_field_read(r->reg, q) << (j * r->bits);
        }
    }
}

/* A 64-bit register read whole or as one 32-bit half. */
static uint64_t reg64_read(const struct vgic_access *a, uint64_t value)
{
    return a->size == 8u ? value : (value >> ((a->off & 4u) * 8u)) & 0xFFFFFFFFULL;
}

static uint64_t reg64_merge(const struct vgic_access *a, uint64_t old)
{
    uint32_t shift = (a->off & 4u) * 8u;
    if (a->size == 8u) {
        return a->wval;
    }
    return (old & ~(0xFFFFFFFFULL << shift)) | (a->wval << shift);
}

/* The vCPU index an IROUTER value selects (vCPU k has Aff0 = k). */
static uint8_t route_of(const struct partition *p, uint64_t irouter)
{
    if ((irouter & IROUTER_IRM) != 0u) {
        return 0u;
    }
    if ((irouter & 0xFFFF00ULL) != 0u || (irouter & 0xFFULL) >= vgic_part_vcpus(p)) {
        return VGIC_NO_TARGET;
    }
    return (uint8_t)(irouter & 0xFFULL);
}

/* Implements: LLR-VGIC-005 */
static void irouter_access(struct vgic_access *a)
{
    uint32_t intid = (a->off - 0x6000u) / 8u;
    if (intid < VGIC_NUM_PRIVATE || intid >= VGIC_NUM_IRQS) {
        return;
    }
    uint32_t i = arch_index_nospec(intid - VGIC_NUM_PRIVATE, VGIC_NUM_SPIS);
    struct vgic_dist *d = &a->part->vgic;
    if (!a->write) {
        a->rval = reg64_read(a, d->irouter[i]);
        return;
    }
    access_mark(a, vgic_spi_target(a->part, &d->spi[i]));
    d->irouter[i] = reg64_merge(a, d->irouter[i]) & IROUTER_MASK;
    d->spi[i].target = route_of(a->part, d->irouter[i]);
    access_mark(a, vgic_spi_target(a->part, &d->spi[i]));
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
    for (uint32_t k = 0; k < vgic_part_vcpus(p); k++) {
        access_mark(a, p->vcpus[k]);
    }
}

/* Implements: LLR-VGIC-006 */
static uint64_t gicr_typer(const struct vgic_access *a)
{
    uint64_t last = (a->k + 1u == vgic_part_vcpus(a->part)) ? (uint64_t)GICR_TYPER_LAST : 0u;
    return ((uint64_t)a->k << 32) | ((uint64_t)a->k << 8) | last;
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
    if (a->k >= vgic_part_vcpus(a->part)) {
        return false;
    }
    a->owner = a->part->vcpus[arch_index_nospec(a->k, vgic_part_vcpus(a->part))];
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
    uint32_t drop = 64u - 8u * size;
    a.wval = write ? (*val & (~0ULL >> drop)) : 0u;
    a.rval = 0u;
    a.marked = 0u;
    if (r != NULL) {
        arch_lock(&a.part->vgic.lock);
        reg_access(&a, r);
        arch_unlock(&a.part->vgic.lock);
    }
    /* A write may have made an interrupt deliverable to a vCPU blocked on
     * another CPU, which would otherwise wait for that CPU's next trap;
     * a read marks nobody. */
    if (write) {
        vgic_kick_marked(a.part, a.marked);
    }
    if (!write) {
        *val = a.rval;
    }
    return MMIO_HANDLED;
}
