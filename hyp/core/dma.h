/*
 * DMA isolation: the policy side of the SMMU. At boot every partition that
 * owns a StreamID gets, in the SMMU, a map of its own memory only (its RAM
 * and the shared regions it maps, device address = guest-physical); each
 * listed StreamID is attached to its owner's map and every other StreamID
 * aborts. A fault the SMMU records goes to the owner's health monitor as
 * HM_ERR_DMA. The architecture layer programs the SMMU (arch_dma_*).
 */
#ifndef BH_DMA_H
#define BH_DMA_H

#include "types.h"

/* With no StreamID in the configuration: nothing (the SMMU is not touched).
 * Else: set the SMMU up with every StreamID aborting, map each DMA-owning
 * partition's RAM and shared regions, attach each StreamID to its owner,
 * enable. Any step failing (a bounded wait given up, the table pool
 * exhausted) stops the boot with a message. Pre: part_build_all(cfg) done.
 * Implements: LLR-DMA-010. */
void dma_init(const struct bh_cfg *cfg);

/* The SMMU recorded event type for StreamID sid at device address addr:
 * report it and raise HM_ERR_DMA (detail addr) in the StreamID's owner; an
 * event of a StreamID no partition owns is only reported.
 * Implements: LLR-DMA-011. */
void dma_fault(uint32_t sid, uint32_t type, uint64_t addr);

#endif
