/*
 * What vgic.c (interrupt state, delivery, list registers) and vgic_mmio.c
 * (the guest's register interface) share; no other module includes it.
 * Every function here expects the partition's vGIC lock held by the caller
 * when it touches distributor or vCPU interface state (LLR-VGIC-015).
 */
#ifndef BH_VGIC_STATE_H
#define BH_VGIC_STATE_H

#include "part.h"
#include "vgic.h"

#define VGIC_ALL_IRQS (~0ULL)   /* a cand mask naming every INTID */
#define GICD_CTLR_GRP1 0x2u     /* EnableGrp1 (single Security state view) */

/* The vCPUs of p, never more than its vcpus[] table holds.
 * Implements: LLR-VGIC-005, LLR-VGIC-006. */
uint32_t vgic_part_vcpus(const struct partition *p);

/* The vCPU SPI state q of p is routed to, or NULL when it is unrouted.
 * Implements: LLR-VGIC-005. */
struct vcpu *vgic_spi_target(const struct partition *p, const struct vgic_irq *q);

/* Make q pending; one held in a list register also keeps the pending state
 * for the sync (pend_extra). Implements: LLR-VGIC-007. */
void vgic_irq_pend(struct vgic_irq *q);

/* Mark t (may be NULL: nothing happens) dirty and the INTIDs of bits its
 * candidates; any CPU may mark any vCPU. Implements: LLR-VGIC-013. */
void vgic_mark_irqs(struct vcpu *t, uint64_t bits);

/* vgic_kick each vCPU k of p with bit k set in marked: the vCPUs a change
 * marked dirty. Pre: the lock is released (the change is published).
 * Implements: LLR-VGIC-016. */
void vgic_kick_marked(const struct partition *p, uint32_t marked);

#endif
