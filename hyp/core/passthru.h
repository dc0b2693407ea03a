/*
 * Direct pass-through: a device's MMIO range and its interrupt, named in
 * the configuration, given to one partition. The range is mapped at stage 2
 * at its own address; the physical SPI is forwarded as the virtual SPI the
 * configuration names.
 *
 * Forwarding: on arrival the physical SPI is masked at the distributor (and
 * its activation completed), the virtual SPI made pending, and its list
 * register asks for an EOI maintenance interrupt. Once the guest has
 * completed the virtual SPI (neither pending nor active any more) the
 * physical SPI may be unmasked: a level-triggered device that still asserts
 * its line then interrupts again, and one interrupt is never in flight twice.
 *
 * Time partitioning: the physical SPI is routed to the CPU of the vCPU its
 * virtual SPI is routed to, and is enabled only while its owner holds that
 * CPU's current window (the scheduler reports each change of window,
 * passthru_window). So it is never taken while another partition's vCPU
 * runs (docs/passthrough.md states the bound at a window switch).
 */
#ifndef BH_PASSTHRU_H
#define BH_PASSTHRU_H

#include "types.h"

struct partition;

/* Map every device of the validated configuration into its owner, route its
 * SPI, masked, to the CPU of the owner's vCPU 0, and reset its forwarding
 * (passthru_reset). Forgets which partition holds each CPU's window. Pre:
 * part_build_all(cfg) done, no window chosen yet. Halts when a stage-2 map
 * fails. Implements: LLR-PT-010. */
void passthru_init(const struct bh_cfg *cfg);

/* A physical interrupt arrived: when it is a pass-through SPI, mask it,
 * make its virtual SPI pending in the owner, kick the owner's other CPUs and
 * return true; else false. Implements: LLR-PT-011. */
bool passthru_irq(uint32_t intid);

/* For each device of p: route its physical SPI to the CPU of the vCPU its
 * virtual SPI is routed to now; once the guest has completed the virtual SPI
 * (neither pending, active nor in a list register) it is no longer held;
 * then enable the physical SPI if the owner holds the current window of
 * that CPU, else mask it. Called after every list-register sync and every
 * guest write to the vGIC. Implements: LLR-PT-012, LLR-PT-027. */
void passthru_sync(struct partition *p);

/* After p's vGIC was reset (boot, restart): mark p's pass-through virtual
 * SPIs for EOI notification again and sync them (passthru_sync): no guest
 * state holds them any more. Implements: LLR-PT-015. */
void passthru_reset(struct partition *p);

/* The current window of CPU cpu now belongs to a vCPU of p (NULL: a gap).
 * Called by the scheduler on that CPU whenever the window's owner changes,
 * before that vCPU runs: masks the physical SPIs routed to cpu whose owner
 * is not p, and enables those of p that no guest state holds.
 * Implements: LLR-PT-026. */
void passthru_window(uint32_t cpu, const struct partition *p);

#endif
