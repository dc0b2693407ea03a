/* DMA isolation policy; see dma.h. The StreamID table is filled once at boot. */
#include "dma.h"

#include "arch_if.h"
#include "console.h"
#include "hm.h"
#include "part.h"

struct dma_stream {
    uint32_t sid;
    struct partition *owner;
};

static struct dma_stream dma_table[BH_CFG_MAX_STREAMS];
static uint32_t dma_count;

/* Stop the boot: the SMMU could not be set up as configured. */
static void dma_fail(const char *what)
{
    console_log("SMMU: %s; refusing to start", what);
    arch_halt();
}

/* Map partition i's RAM and the shared regions it maps. Implements: LLR-DMA-010 */
static void dma_map_part(const struct bh_cfg *cfg, uint32_t i)
{
    const struct bh_cfg_part *c = &cfg->parts[i];
    struct partition *p = &part_table[i];
    if (arch_dma_map(p, c->ram_gpa, c->ram_pa, c->ram_size, false) != 0) {
        dma_fail("table pool exhausted mapping a partition's RAM");
    }
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        const struct bh_cfg_shm *s = &cfg->shms[r];
        if (((s->map_mask >> i) & 1u) != 0u &&
            arch_dma_map(p, s->gpa[i], s->pa, s->size, ((s->ro_mask >> i) & 1u) != 0u) != 0) {
            dma_fail("table pool exhausted mapping a shared region");
        }
    }
}

/* Implements: LLR-DMA-010 */
void dma_init(const struct bh_cfg *cfg)
{
    uint32_t mapped = 0; /* bit i: partition i's map is built */
    dma_count = 0u;
    if (cfg->num_streams == 0u) {
        return;
    }
    if (arch_dma_init() != 0) {
        dma_fail("no usable SMMU, or it did not acknowledge its reset");
    }
    for (uint32_t k = 0; k < cfg->num_streams && k < BH_CFG_MAX_STREAMS; k++) {
        uint32_t i = cfg->passthru[cfg->streams[k].pt].part;
        struct partition *p = &part_table[i];
        if (((mapped >> i) & 1u) == 0u) {
            dma_map_part(cfg, i);
            mapped |= 1u << i;
        }
        if (arch_dma_attach(p, cfg->streams[k].sid) != 0) {
            dma_fail("no context for a partition");
        }
        dma_table[k].sid = cfg->streams[k].sid;
        dma_table[k].owner = p;
        dma_count = k + 1u;
        console_log("partition %s: StreamID 0x%x confined by the SMMU", p->name,
                    cfg->streams[k].sid);
    }
    if (arch_dma_enable() != 0) {
        dma_fail("a command or an enable was not completed in time");
    }
}

/* Implements: LLR-DMA-011 */
void dma_fault(uint32_t sid, uint32_t type, uint64_t addr)
{
    for (uint32_t k = 0; k < dma_count; k++) {
        struct partition *p = dma_table[k].owner;
        if (dma_table[k].sid == sid) {
            struct console_rec line = {
                .kind = CONSOLE_REC_DMA, .esr_class = sid, .esr = type, .addr = addr};
            console_log_part(p, &line);
            (void)hm_raise(p->vcpus[0], HM_ERR_DMA, addr);
            return;
        }
    }
    console_log("SMMU: event 0x%x of StreamID 0x%x, address 0x%llx: no partition owns it", type,
                sid, (unsigned long long)addr);
}
