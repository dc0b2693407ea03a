/*
 * Direct pass-through of devices (see passthru.h). The table is filled once
 * at boot from the validated configuration; nothing is allocated.
 *
 * The rule every function here keeps (LLR-PT-026): a device's physical SPI
 * is enabled at the distributor only while no guest state holds its virtual
 * SPI (held) and its owner holds the current window of the CPU the SPI is
 * routed to (pt_window). Each function changes one input of that rule under
 * pt_lock and then applies it (pt_apply), so whichever CPU comes last leaves
 * the distributor as the rule says.
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
    uint32_t pcpu; /* the CPU the physical SPI is routed to */
    bool held;     /* forwarded: its virtual SPI is in the guest's hands */
    bool enabled;  /* the physical SPI is enabled at the distributor */
};

static struct passthru_dev pt_table[BH_CFG_MAX_PASSTHRU];
static uint32_t pt_count;
/* The partition whose vCPU holds each CPU's current window (NULL: a gap, or
 * before the CPU's first choice). Slot c is written by CPU c only
 * (passthru_window), under pt_lock; other CPUs read it under pt_lock. */
static const struct partition *pt_window[BH_MAX_CPUS];
/* Orders the devices' routing, held and enabled state and pt_window between
 * CPUs. Held for one device (or one CPU's devices): its vGIC lookups, one
 * injection and a few distributor writes; taken before the vGIC lock, never
 * after it. */
static bh_lock_t pt_lock;

/* Enable or mask d's physical SPI as the rule says; a distributor write only
 * when that changes. Pre: pt_lock held. Implements: LLR-PT-026 */
static void pt_apply(struct passthru_dev *d)
{
    bool want = !d->held && pt_window[d->pcpu] == d->owner;
    if (want != d->enabled) {
        d->enabled = want;
        arch_irq_mask(d->pintid, !want);
    }
}

/* Route d's physical SPI to the CPU of the vCPU its virtual SPI is routed
 * to (vCPU 0 when it is unrouted); a move masks it first (arch_irq_route),
 * pt_apply enables it again where the rule allows. A CPU number beyond the
 * table (the boot check excludes it) is taken as CPU 0. Pre: pt_lock held,
 * or boot (passthru_init: no other CPU runs). Implements: LLR-PT-027 */
static void pt_route(struct passthru_dev *d)
{
    const struct vcpu *t = vgic_spi_vcpu(d->owner, d->vintid);
    if (t == NULL) {
        t = d->owner->vcpus[0];
    }
    uint32_t cpu = t->pcpu < BH_MAX_CPUS ? t->pcpu : 0u;
    if (cpu != d->pcpu) {
        d->pcpu = cpu;
        d->enabled = false;
        arch_irq_route(d->pintid, cpu);
    }
}

/* Implements: LLR-PT-010, LLR-PT-026 */
void passthru_init(const struct bh_cfg *cfg)
{
    pt_count = 0u;
    for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
        pt_window[c] = NULL;
    }
    for (uint32_t k = 0; k < cfg->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *c = &cfg->passthru[k];
        struct passthru_dev *d = &pt_table[k];
        d->owner = &part_table[c->part];
        d->pintid = c->pintid;
        d->vintid = c->vintid;
        d->pcpu = BH_MAX_CPUS; /* none yet: pt_route below routes it */
        d->held = true;
        d->enabled = false;
        pt_count = k + 1u;
        if (arch_s2_map_dev(d->owner, c->base, c->size) != 0) {
            console_log("partition %s: stage-2 map of a device failed (table pool exhausted or "
                        "range already mapped)",
                        d->owner->name);
            arch_halt();
        }
        pt_route(d); /* to vCPU 0's CPU: a reset vGIC routes every SPI there */
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

/* Implements: LLR-PT-011, LLR-PT-026 */
bool passthru_irq(uint32_t intid)
{
    for (uint32_t k = 0; k < pt_count; k++) {
        struct passthru_dev *d = &pt_table[k];
        if (d->pintid != intid) {
            continue;
        }
        arch_lock(&pt_lock);
        d->held = true;
        pt_apply(d);
        /* Under pt_lock: a completion on another CPU (passthru_sync) sees
         * the virtual SPI pending, never idle before it is. Kicks the vCPU
         * the SPI is routed to when it is in its window on another CPU;
         * never a CPU in another partition's window. */
        vgic_inject(d->owner->vcpus[0], d->vintid);
        arch_unlock(&pt_lock);
        return true;
    }
    return false;
}

/* Implements: LLR-PT-012, LLR-PT-027 */
void passthru_sync(struct partition *p)
{
    for (uint32_t k = 0; k < pt_count; k++) {
        struct passthru_dev *d = &pt_table[k];
        if (d->owner != p) {
            continue;
        }
        arch_lock(&pt_lock);
        pt_route(d);
        if (d->held && vgic_irq_idle(p, d->vintid)) {
            d->held = false;
        }
        pt_apply(d);
        arch_unlock(&pt_lock);
    }
}

/*
 * Only the caller's own slot is read without the lock: no other CPU writes
 * it. Without devices (or when the window stays with the same partition)
 * nothing is locked or written.
 * Implements: LLR-PT-026
 */
void passthru_window(uint32_t cpu, const struct partition *p)
{
    if (pt_count == 0u || cpu >= BH_MAX_CPUS || pt_window[cpu] == p) {
        return;
    }
    arch_lock(&pt_lock);
    pt_window[cpu] = p;
    for (uint32_t k = 0; k < pt_count; k++) {
        if (pt_table[k].pcpu == cpu) {
            pt_apply(&pt_table[k]);
        }
    }
    arch_unlock(&pt_lock);
}
