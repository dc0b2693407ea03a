/*
 * Configuration checks of the StreamID table (DMA confined by the SMMU),
 * shared by the hypervisor's boot check and the toolstack like cfg.c.
 *
 * Each StreamID belongs to one pass-through device; the SMMU translates its
 * DMA with its owner's tables (device address = guest-physical) and aborts
 * every StreamID the table does not list. The SMMU's own interrupts are
 * never passed through, and its stage-1 tables for all DMA-owning
 * partitions fit its static pool: the same count as the stage-2 budget
 * (cfg_s2_tables), which bounds the SMMU's tables as they are built the
 * same way from fewer ranges (RAM and shared regions, no devices).
 */
#include "cfg.h"
#include "cfg_int.h"

#include "util.h"

#define U64(x) ((unsigned long long)(x))

static void st_err(struct cfg_report *rep, uint32_t k, const char *name, const char *fmt,
                   uint64_t a, uint64_t b)
{
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "streams[%u].%s", k, name);
    cfg_err(rep, field, fmt, U64(a), U64(b));
}

/* Implements: LLR-DMA-002 */
bool cfg_pt_confined(const struct bh_cfg *c, uint32_t k)
{
    for (uint32_t s = 0; s < c->num_streams && s < BH_CFG_MAX_STREAMS; s++) {
        if (c->streams[s].pt == k) {
            return true;
        }
    }
    return false;
}

/* Implements: LLR-DMA-001 (count in range, reserved zero, unused entries
 * zero). Returns the entries to check further. */
static uint32_t st_check_table(const struct bh_cfg *c, struct cfg_report *rep)
{
    if (c->reserved_st != 0u) {
        cfg_err(rep, "header.reserved_st", "0x%x, must be zero", c->reserved_st);
    }
    if (c->num_streams > BH_CFG_MAX_STREAMS) {
        cfg_err(rep, "header.num_streams", "%u not in 0..%u", c->num_streams, BH_CFG_MAX_STREAMS);
        return 0u;
    }
    for (uint32_t k = c->num_streams; k < BH_CFG_MAX_STREAMS; k++) {
        if (c->streams[k].sid != 0u || c->streams[k].pt != 0u) {
            st_err(rep, k, "sid", "unused (num_streams %llu) but not all zero", c->num_streams,
                   0u);
        }
    }
    return c->num_streams;
}

/* Implements: LLR-DMA-001 (a StreamID the platform's SMMU covers, given
 * once, belonging to an existing pass-through device). */
static void st_check_entry(const struct bh_cfg *c, const struct cfg_platform *pl, uint32_t k,
                           struct cfg_report *rep)
{
    const struct bh_cfg_stream *e = &c->streams[k];
    if (e->sid >= pl->smmu_sids) {
        st_err(rep, k, "sid", "0x%llx beyond the SMMU's StreamIDs (%llu; 0: no SMMU)", e->sid,
               pl->smmu_sids);
    }
    if (e->pt >= c->num_passthru || e->pt >= BH_CFG_MAX_PASSTHRU) {
        st_err(rep, k, "pt", "%llu not a pass-through device (num_passthru %llu)", e->pt,
               c->num_passthru);
    }
    for (uint32_t j = 0; j < k; j++) {
        if (c->streams[j].sid == e->sid) {
            st_err(rep, k, "sid", "0x%llx already given by streams[%llu]", e->sid, j);
        }
    }
}

/* Implements: LLR-DMA-003 (no pass-through device takes an SMMU interrupt). */
static void st_check_spis(const struct bh_cfg *c, const struct cfg_platform *pl,
                          struct cfg_report *rep)
{
    for (uint32_t k = 0; k < c->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        uint32_t i = c->passthru[k].pintid;
        if (i >= pl->smmu_spi_first && i - pl->smmu_spi_first < pl->smmu_spi_count) {
            char field[CFG_FIELD_LEN];
            (void)bh_snprintf(field, sizeof(field), "passthru[%u].pintid", k);
            cfg_err(rep, field, "%u is an interrupt of the SMMU", i);
        }
    }
}

/* Implements: LLR-DMA-001, LLR-DMA-003 */
void cfg_check_streams(const struct bh_cfg *c, const struct cfg_platform *pl,
                       struct cfg_report *rep)
{
    uint32_t n = st_check_table(c, rep);
    for (uint32_t k = 0; k < n; k++) {
        st_check_entry(c, pl, k, rep);
    }
    st_check_spis(c, pl, rep);
}

/* Implements: LLR-DMA-004 (the SMMU's stage-1 tables of every partition
 * that owns a StreamID fit its pool). Pre: every other check passed, so
 * num_parts, num_streams and each entry's device are within their tables. */
void cfg_check_smmu_budget(const struct bh_cfg *c, const struct cfg_platform *pl,
                           struct cfg_report *rep)
{
    uint32_t used = 0;
    for (uint32_t i = 0; i < c->num_parts; i++) {
        bool owns = false;
        for (uint32_t s = 0; s < c->num_streams; s++) {
            owns = owns || c->passthru[c->streams[s].pt].part == i;
        }
        if (owns) {
            used += cfg_s2_tables(c, i);
            if (used > pl->smmu_table_pages) {
                cfg_perr(rep, i, "streams", "SMMU tables: %u pages needed so far, %u in the pool",
                         used, pl->smmu_table_pages);
            }
        }
    }
}
