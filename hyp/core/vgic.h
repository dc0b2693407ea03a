/*
 * The virtual GICv3 of a partition: distributor and redistributor registers
 * emulated from trapped accesses, and the list-register contents the arch
 * layer loads into the hardware virtual CPU interface.
 */
#ifndef BH_VGIC_H
#define BH_VGIC_H

#include "arch_if.h"
#include "types.h"

struct vcpu;
struct partition;

/* Guest-physical windows (Xen's arch-arm.h guest map for GICv3). */
#define VGIC_GICD_BASE 0x03001000ULL
#define VGIC_GICD_SIZE 0x00010000ULL
#define VGIC_GICR_BASE 0x03020000ULL
#define VGIC_GICR_STRIDE 0x00020000ULL /* RD_base + SGI_base per vCPU */
#define VGIC_GICR_SIZE 0x01000000ULL

#define VGIC_NUM_PRIVATE 32u            /* SGIs 0..15, PPIs 16..31 */
#define VGIC_NUM_SPIS 32u               /* SPIs 32..63 */
#define VGIC_NUM_IRQS (VGIC_NUM_PRIVATE + VGIC_NUM_SPIS)
#define VGIC_MAX_LRS 16u

#define VGIC_PPI_MAINT 25u
#define VGIC_PPI_HYP_TIMER 26u
#define VGIC_PPI_VTIMER 27u
#define VGIC_PPI_EVTCHN 31u  /* Xen's GUEST_EVTCHN_PPI */
#define VGIC_SPI_VPL011 32u  /* Xen's GUEST_VPL011_SPI */

/* State of one virtual interrupt. */
struct vgic_irq {
    uint8_t priority;
    uint8_t enabled;
    uint8_t pending;
    uint8_t active;
    uint8_t edge;       /* 1: edge-triggered, 0: level */
    uint8_t group1;
    uint8_t in_lr;      /* currently held in a list register */
    uint8_t target;     /* SPI: vCPU index it is routed to */
    uint8_t pend_extra; /* pending state its list register does not carry */
};

/* SPI target of an IROUTER value naming no vCPU: never delivered. */
#define VGIC_NO_TARGET 0xFFu

/*
 * GICD_IIDR and GICR_IIDR: ProductID 0x42 ('B'), Variant 0, Revision 1,
 * Implementer 0x000 (Bulkhead has no JEP106 code, so none is claimed).
 */
#define VGIC_IIDR 0x42001000u

/* Priority bits kept: 5 (32 levels), as ICH_VTR_EL2.PRIbits reports on the
 * targets, so a list-register priority is never truncated by the CPU. */
#define VGIC_PRIO_MASK 0xF8u

/*
 * The vGIC state of a partition (this distributor and the vgic_cpu of each
 * of its vCPUs) is read and written by the CPUs of all its vCPUs: a guest
 * may program any interrupt from any vCPU, and a pass-through interrupt is
 * injected where it is taken. `lock` orders them: every entry point below
 * that reads or writes that state holds it, except for inbox and cand_in,
 * which are atomic, and for `dirty`, which the arch layer may read without
 * it (a stale read only delays a fill to the next return to the guest).
 * Held for one access or one fill; never held while calling another module.
 * Implements: LLR-VGIC-015.
 */
struct vgic_dist {
    bh_lock_t lock;
    uint32_t ctlr;
    struct vgic_irq spi[VGIC_NUM_SPIS];
    uint64_t irouter[VGIC_NUM_SPIS];
    /* bit i: SPI 32+i is a pass-through one; its list register asks for an
     * EOI maintenance interrupt. Cleared by vgic_init, set by passthru.c. */
    uint32_t notify;
};

struct vgic_cpu {
    struct vgic_irq priv[VGIC_NUM_PRIVATE];
    uint32_t lr_count;     /* list registers in use after last fill */
    uint32_t lr_intid[VGIC_MAX_LRS];
    bool dirty;            /* state changed since last fill */
    uint64_t inbox;        /* INTIDs posted from other CPUs (bit n: INTID n) */
    /* Bit n: INTID n may be pending or active for this vCPU outside a list
     * register; every interrupt that is has its bit set in cand | cand_in (a
     * superset). Marks from any CPU are ORed atomically into cand_in: all
     * ones for a change, one bit for an injection or an interrupt leaving a
     * list register. The vCPU's own CPU merges cand_in into cand before it
     * looks (fill, vgic_has_pending), and a fill that leaves no candidate
     * behind clears cand. */
    uint64_t cand;    /* the vCPU's own CPU only */
    uint64_t cand_in; /* any CPU, atomic */
};

/* Reset the distributor of p and the redistributors of its vCPUs (not the
 * lock, which stays usable by other CPUs meanwhile).
 * Implements: LLR-VGIC-001. */
void vgic_init(struct partition *p);

/*
 * Emulate a guest access of `size` bytes (1, 2, 4 or 8) at gpa by vCPU v.
 * Reserved registers read as zero and ignore writes, as the GIC
 * architecture specifies; forbidden widths give MMIO_BAD_ACCESS.
 * Implements: LLR-VGIC-002 .. LLR-VGIC-006.
 */
enum mmio_result vgic_mmio(struct vcpu *v, uint64_t gpa, uint32_t size, bool write, uint64_t *val);

/* Make intid pending for v (private) or for the SPI's target vCPU, then
 * vgic_kick that vCPU (an SPI may be routed to a vCPU of another CPU).
 * Implements: LLR-VGIC-007, LLR-VGIC-016. */
void vgic_inject(struct vcpu *v, uint32_t intid);

/*
 * Make intid pending for v from the calling physical CPU. When v runs on
 * this CPU it is injected at once (vgic_inject); otherwise it is posted to
 * v's inbox with an atomic OR, and v's own CPU applies it (vgic_drain) when
 * it next returns to v: a post from another CPU never waits for the lock.
 * The post is followed by vgic_kick(v); returns whether it kicked.
 * Implements: LLR-VGIC-012, LLR-VGIC-014.
 */
bool vgic_post(struct vcpu *v, uint32_t intid);

/*
 * Interrupt t's CPU so that it looks at t's interrupt state now, when t is
 * on another CPU than the caller's (below BH_MAX_CPUS) and owns that CPU's
 * current window; a vCPU
 * outside its window sees the state when its window starts, and one on the
 * caller's CPU when the caller returns to a guest. Returns whether it kicked.
 * Pre: the caller has published its change to t's state (an atomic or a
 * lock release). Implements: LLR-VGIC-016.
 */
bool vgic_kick(const struct vcpu *t);

/* Apply the INTIDs posted to v's inbox (on v's own CPU). Returns true when
 * there were any. Implements: LLR-VGIC-012. */
bool vgic_drain(struct vcpu *v);

/* True when the vGIC state of the vCPU c belongs to changed since its last
 * fill: its list registers are to be filled again. Read without the lock
 * (see vgic_dist). Implements: LLR-VGIC-015. */
static inline bool vgic_dirty(const struct vgic_cpu *c)
{
    return __atomic_load_n(&c->dirty, __ATOMIC_RELAXED);
}

/* True when v has a pending, enabled interrupt its distributor forwards.
 * Implements: LLR-VGIC-008. */
bool vgic_has_pending(struct vcpu *v);

/* True when SPI intid of p is neither pending nor active nor in a list
 * register (false for any other INTID). Implements: LLR-VGIC-015. */
bool vgic_irq_idle(struct partition *p, uint32_t intid);

/* The vCPU SPI intid of p is routed to (GICD_IROUTER), or NULL when it is
 * unrouted or intid is not one of the vGIC's SPIs. Implements: LLR-PT-027. */
struct vcpu *vgic_spi_vcpu(struct partition *p, uint32_t intid);

/*
 * Emulate a guest write of ICC_SGI1R_EL1: make the SGI pending on the
 * targeted vCPUs of the same partition (vgic_post, which kicks). Returns
 * the bit mask of the physical CPUs it kicked. Implements: LLR-VGIC-009.
 */
uint32_t vgic_sgi(struct vcpu *v, uint64_t sgi1r);

/*
 * Write into lr[0..nlr-1] the GICv3 list-register values for v's highest
 * priority pending or active interrupts; unused entries are 0. *underflow is
 * set when more remain than fit. Returns the number used.
 * Implements: LLR-VGIC-010.
 */
uint32_t vgic_lr_fill(struct vcpu *v, uint64_t *lr, uint32_t nlr, bool *underflow);

/* Take back the list registers after v ran: interrupts the guest acknowledged
 * or completed change state. Implements: LLR-VGIC-011. */
void vgic_lr_sync(struct vcpu *v, const uint64_t *lr, uint32_t nlr);

#endif
