/*
 * Direct pass-through of devices (see passthru.h). The table is filled once
 * at boot from the validated configuration; nothing is allocated.
 */
#include "passthru.h"

#include "arch_if.h"
#include "console.h"
#include "part.h"
#include "vgic.h"

struct passthru_dev {
    struct partition *owner;
    uint32_t pintid;
    uint32_t vintid;
    bool masked; /* physical SPI masked: its virtual SPI is in the guest's hands */
};

static struct passthru_dev pt_table[BH_CFG_MAX_PASSTHRU];
static uint32_t pt_count;

/* Implements: LLR-PT-010 */
void passthru_init(const struct bh_cfg *cfg)
{
    pt_count = 0u;
    for (uint32_t k = 0; k < cfg->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *c = &cfg->passthru[k];
        struct passthru_dev *d = &pt_table[k];
        d->owner = &part_table[c->part];
        d->pintid = c->pintid;
        d->vintid = c->vintid;
        d->masked = true;
        pt_count = k + 1u;
        if (arch_s2_map_dev(d->owner, c->base, c->size) != 0) {
            console_log("partition %s: stage-2 map of a device failed (table pool exhausted or "
                        "range already mapped)",
                        d->owner->name);
            arch_halt();
        }
        arch_irq_route(c->pintid, d->owner->vcpus[0]->pcpu);
        console_log("partition %s: device 0x%lx+0x%lx passed through, SPI %u as %u", d->owner->name,
                    (unsigned long)c->base, (unsigned long)c->size, c->pintid, c->vintid);
    }
    for (uint32_t k = 0; k < pt_count; k++) {
        passthru_reset(pt_table[k].owner);
    }
}

/* Implements: LLR-PT-015 */
void passthru_reset(struct partition *p)
{
    for (uint32_t k = 0; k < pt_count; k++) {
        if (pt_table[k].owner == p) {
            p->vgic.notify |= 1u << (pt_table[k].vintid - VGIC_NUM_PRIVATE);
        }
    }
    passthru_sync(p);
}

/* Implements: LLR-PT-011 */
bool passthru_irq(uint32_t intid)
{
    for (uint32_t k = 0; k < pt_count; k++) {
        struct passthru_dev *d = &pt_table[k];
        if (d->pintid != intid) {
            continue;
        }
        arch_irq_mask(intid, true);
        d->masked = true;
        /* Kicks the vCPU the SPI is routed to when it is in its window on
         * another CPU; never a CPU in another partition's window. */
        vgic_inject(d->owner->vcpus[0], d->vintid);
        return true;
    }
    return false;
}

/* Implements: LLR-PT-012 */
void passthru_sync(struct partition *p)
{
    for (uint32_t k = 0; k < pt_count; k++) {
        struct passthru_dev *d = &pt_table[k];
        if (d->owner == p && d->masked && vgic_irq_idle(p, d->vintid)) {
            d->masked = false;
            arch_irq_mask(d->pintid, false);
        }
    }
}
