/*
 * Direct pass-through: a device's MMIO range and its interrupt, named in
 * the configuration, given to one partition. The range is mapped at stage 2
 * at its own address; the physical SPI is routed to the CPU of the owner's
 * vCPU 0 and forwarded as the virtual SPI the configuration names.
 *
 * Forwarding: on arrival the physical SPI is masked at the distributor (and
 * its activation completed), the virtual SPI made pending, and its list
 * register asks for an EOI maintenance interrupt. Once the guest has
 * completed the virtual SPI (neither pending nor active any more) the
 * physical SPI is unmasked: a level-triggered device that still asserts its
 * line then interrupts again, and one interrupt is never in flight twice.
 */
#ifndef BH_PASSTHRU_H
#define BH_PASSTHRU_H

#include "types.h"

struct partition;

/* Map every device of the validated configuration into its owner, route its
 * SPI and reset its forwarding (passthru_reset). Pre: part_build_all(cfg) done. Halts when a
 * stage-2 map fails. Implements: LLR-PT-010. */
void passthru_init(const struct bh_cfg *cfg);

/* A physical interrupt arrived: when it is a pass-through SPI, mask it,
 * make its virtual SPI pending in the owner, kick the owner's other CPUs and
 * return true; else false. Implements: LLR-PT-011. */
bool passthru_irq(uint32_t intid);

/* Unmask the physical SPI of each device of p whose virtual SPI the guest
 * has completed (neither pending, active nor in a list register).
 * Implements: LLR-PT-012. */
void passthru_sync(struct partition *p);

/* After p's vGIC was reset (boot, restart): mark p's pass-through virtual
 * SPIs for EOI notification again and unmask their physical SPIs, which no
 * guest state holds any more. Implements: LLR-PT-015. */
void passthru_reset(struct partition *p);

#endif
