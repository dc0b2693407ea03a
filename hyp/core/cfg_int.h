/*
 * Internal to the configuration checker (cfg.c, cfg_sched.c): error
 * reporting and the checks of the time-partitioning and health-monitor
 * tables. Not for other modules.
 */
#ifndef BH_CFG_INT_H
#define BH_CFG_INT_H

#include "cfg.h"

/* Record one error against field; the first CFG_MAX_ERRORS are kept, all
 * are counted. Implements: LLR-CFG-012. */
void cfg_err(struct cfg_report *rep, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, for field `name` of parts[i]. */
void cfg_perr(struct cfg_report *rep, uint32_t i, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Health-monitor table, restart limit, period and no-window mask of parts[i];
 * at most one system partition. Pre: header fields checked. Implements: LLR-CFG-013. */
void cfg_check_part_hm(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep);

/* Every schedule and window, and every partition's presence in each
 * schedule. Implements: LLR-CFG-014 .. LLR-CFG-016. */
void cfg_check_schedules(const struct bh_cfg *c, struct cfg_report *rep);

/* Static event channels and permission rows. Pre: 1 <= num_parts <= MAX_PARTS.
 * Implements: LLR-CFG-020, LLR-CFG-023. */
void cfg_check_channels(const struct bh_cfg *c, struct cfg_report *rep);

/* Event-channel port limits of the partitions. Pre: num_parts <= MAX_PARTS.
 * Implements: LLR-CFG-024. */
void cfg_check_evtchn_ports(const struct bh_cfg *c, struct cfg_report *rep);

/* Static shared-memory regions. Pre: 1 <= num_parts <= MAX_PARTS.
 * Implements: LLR-CFG-021, LLR-CFG-022. */
void cfg_check_shms(const struct bh_cfg *c, const struct cfg_platform *pl, struct cfg_report *rep);

/* The name of the first emulated device window [base, base+size) overlaps,
 * or NULL. Pre: base + size does not wrap. */
const char *cfg_device_window_at(uint64_t base, uint64_t size);

/* The pass-through table: each device's range (clear of the reserved
 * frames and of its owner's RAM and shared regions), interrupts, owner and
 * unused entries. Implements: LLR-PT-001 .. LLR-PT-004, LLR-PT-024, LLR-PT-025. */
void cfg_check_passthru(const struct bh_cfg *c, const struct cfg_platform *pl,
                        struct cfg_report *rep);

/* The stage-2 tables of all partitions together within pl->s2_table_pages,
 * reported on parts[i].stage2 for each partition that does not fit beside
 * the ones before it. Pre: every other check passed (ranges valid, below
 * 2^39, pairwise disjoint per partition; num_parts <= MAX_PARTS).
 * Implements: LLR-CFG-025. */
void cfg_check_s2_budget(const struct bh_cfg *c, const struct cfg_platform *pl,
                         struct cfg_report *rep);

/* Whether pass-through device k has a StreamID (its DMA goes through the
 * SMMU). Implements: LLR-DMA-002. */
bool cfg_pt_confined(const struct bh_cfg *c, uint32_t k);

/* The StreamID table: each entry's StreamID and device, unused entries;
 * no pass-through device on an SMMU interrupt. Pre: the pass-through
 * table's count checked. Implements: LLR-DMA-001, LLR-DMA-003. */
void cfg_check_streams(const struct bh_cfg *c, const struct cfg_platform *pl,
                       struct cfg_report *rep);

/* The SMMU's tables of all DMA-owning partitions within
 * pl->smmu_table_pages. Pre: as cfg_check_s2_budget. Implements: LLR-DMA-004. */
void cfg_check_smmu_budget(const struct bh_cfg *c, const struct cfg_platform *pl,
                           struct cfg_report *rep);

#endif
