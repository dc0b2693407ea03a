/*
 * Configuration checks of the pass-through table (direct device
 * assignment), shared by the hypervisor's boot check and the toolstack.
 *
 * A pass-through device is mapped at its own address in its owner, so the
 * owner's range is checked against the physical facts of the platform and,
 * being also a guest-physical range, against the emulated device windows.
 * A device that masters DMA with no SMMU in front reaches any physical
 * address; its owner carries the waiver BH_CFG_PART_F_DMA_UNCONFINED and
 * must see RAM at its physical address (ram_gpa == ram_pa) for the
 * device's addresses to mean what the guest meant. That does not confine
 * the device: see docs/passthrough.md. A device with a StreamID is
 * translated by the SMMU (cfg_dma.c) and needs no 1:1 map.
 */
#include "cfg.h"
#include "cfg_int.h"

#include "util.h"
#include "vgic.h"
#include "vuart.h"

#define U64(x) ((unsigned long long)(x))
#define PT_SPI_FIRST 32u /* SGIs and PPIs are never passed through */

/* Guest-physical windows the hypervisor emulates in every partition. */
static const struct cfg_range pt_emulated[] = {
    {VGIC_GICD_BASE, VGIC_GICD_SIZE},
    {VGIC_GICR_BASE, VGIC_GICR_SIZE},
    {VUART_BASE, VUART_SIZE},
};

#define PT_NUM_EMULATED (sizeof(pt_emulated) / sizeof(pt_emulated[0]))

static void pt_err(struct cfg_report *rep, uint32_t k, const char *name, const char *fmt,
                   uint64_t a, uint64_t b)
{
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "passthru[%u].%s", k, name);
    cfg_err(rep, field, fmt, U64(a), U64(b));
}

/* [a, a+as) and [b, b+bs) share a byte (bs 0: an unused entry). Pre:
 * as != 0 and neither range wraps. */
static bool pt_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return bs != 0u && a < b + bs && b < a + as;
}

/*
 * Implements: LLR-PT-024 (a range clear of every frame the platform reserves:
 * each overlap reported, naming the frame). Pre: the range does not wrap.
 */
static void pt_check_reserved(const struct bh_cfg_passthru *d, uint32_t k,
                              const struct cfg_platform *pl, struct cfg_report *rep)
{
    for (uint32_t h = 0; h < CFG_MAX_RESERVED; h++) {
        const struct cfg_frame *f = &pl->reserved[h];
        if (pt_overlap(d->base, d->size, f->base, f->size)) {
            char field[CFG_FIELD_LEN];
            (void)bh_snprintf(field, sizeof(field), "passthru[%u].base", k);
            cfg_err(rep, field, "0x%llx+0x%llx overlaps %s 0x%llx+0x%llx, a reserved frame",
                    U64(d->base), U64(d->size), f->name, U64(f->base), U64(f->size));
        }
    }
}

/*
 * Implements: LLR-PT-001 (range: non-zero page multiple, page aligned, no
 * wrap, inside the platform's device region, clear of the emulated
 * windows), LLR-PT-024 (and of the reserved frames). Returns false when the
 * range is unusable for the pairwise checks.
 */
static bool pt_check_range(const struct bh_cfg_passthru *d, uint32_t k,
                           const struct cfg_platform *pl, struct cfg_report *rep)
{
    if (d->size == 0u || (d->size & (BH_CFG_PAGE_SIZE - 1u)) != 0u ||
        (d->base & (BH_CFG_PAGE_SIZE - 1u)) != 0u || d->size > UINT64_MAX - d->base) {
        pt_err(rep, k, "base", "0x%llx+0x%llx not a page-aligned, non-empty range", d->base,
               d->size);
        return false;
    }
    if (d->base < pl->dev_base || d->base - pl->dev_base > pl->dev_size ||
        d->size > pl->dev_size - (d->base - pl->dev_base)) {
        pt_err(rep, k, "base", "0x%llx+0x%llx outside the platform's device region", d->base,
               d->size);
        return false;
    }
    pt_check_reserved(d, k, pl, rep);
    for (uint32_t w = 0; w < PT_NUM_EMULATED; w++) {
        if (pt_overlap(d->base, d->size, pt_emulated[w].base, pt_emulated[w].size)) {
            pt_err(rep, k, "base", "0x%llx+0x%llx overlaps an emulated device window", d->base,
                   d->size);
        }
    }
    return true;
}

/*
 * Implements: LLR-PT-002 (owner exists and, when it carries the waiver
 * BH_CFG_PART_F_DMA_UNCONFINED, is mapped 1:1 unless the device has a
 * StreamID, LLR-DMA-002: without the waiver every device with no StreamID
 * is declared to master no DMA; physical SPI in
 * the platform's range and not the hypervisor's; virtual SPI a free vGIC
 * SPI; trigger edge or level; registers inside the range; compatible non-empty and NUL-terminated;
 * reserved zero).
 */
static void pt_check_fields(const struct bh_cfg *c, const struct bh_cfg_passthru *d, uint32_t k,
                            const struct cfg_platform *pl, struct cfg_report *rep)
{
    if (d->part >= c->num_parts || d->part >= BH_CFG_MAX_PARTS) {
        pt_err(rep, k, "part", "%llu not a partition (num_parts %llu)", d->part, c->num_parts);
    } else if ((c->parts[d->part].flags & BH_CFG_PART_F_DMA_UNCONFINED) != 0u &&
               c->parts[d->part].ram_gpa != c->parts[d->part].ram_pa && !cfg_pt_confined(c, k)) {
        pt_err(rep, k, "part", "owner's RAM at guest 0x%llx, physical 0x%llx: must be 1:1",
               c->parts[d->part].ram_gpa, c->parts[d->part].ram_pa);
    } else {
        /* owner valid */
    }
    if (d->pintid < PT_SPI_FIRST || d->pintid >= pl->spi_end || d->pintid == pl->hyp_spi) {
        pt_err(rep, k, "pintid", "%llu not a platform SPI the hypervisor leaves free (< %llu)",
               d->pintid, pl->spi_end);
    }
    if (d->vintid <= VGIC_SPI_VPL011 || d->vintid >= VGIC_NUM_IRQS) {
        pt_err(rep, k, "vintid", "%llu not a free virtual SPI (%llu..63)", d->vintid,
               VGIC_SPI_VPL011 + 1u);
    }
    if (d->irq_flags != BH_CFG_PT_IRQ_EDGE && d->irq_flags != BH_CFG_PT_IRQ_LEVEL) {
        pt_err(rep, k, "irq_flags", "%llu not %llu (edge) or 4 (level)", d->irq_flags,
               BH_CFG_PT_IRQ_EDGE);
    }
    if (d->reg_size == 0u || d->reg_offset > d->size || d->reg_size > d->size - d->reg_offset) {
        pt_err(rep, k, "reg_offset", "+0x%llx, 0x%llx bytes: not inside the mapped range",
               d->reg_offset, d->reg_size);
    }
    size_t len = bh_strnlen(d->compatible, BH_CFG_PT_COMPAT_LEN);
    if (len == 0u || len == BH_CFG_PT_COMPAT_LEN) {
        pt_err(rep, k, "compatible", "length %llu not in 1..%llu", len, BH_CFG_PT_COMPAT_LEN - 1u);
    }
}

/* Implements: LLR-PT-003 (no two devices share a byte of MMIO or a
 * physical interrupt; no two of one owner share a virtual interrupt). */
static void pt_check_pairs(const struct bh_cfg *c, uint32_t k, const bool *usable,
                           struct cfg_report *rep)
{
    const struct bh_cfg_passthru *d = &c->passthru[k];
    for (uint32_t j = 0; j < k; j++) {
        const struct bh_cfg_passthru *e = &c->passthru[j];
        if (usable[k] && usable[j] && pt_overlap(d->base, d->size, e->base, e->size)) {
            pt_err(rep, k, "base", "0x%llx overlaps passthru[%llu]", d->base, j);
        }
        if (d->pintid == e->pintid) {
            pt_err(rep, k, "pintid", "%llu already given by passthru[%llu]", d->pintid, j);
        }
        if (d->part == e->part && d->vintid == e->vintid) {
            pt_err(rep, k, "vintid", "%llu already used by passthru[%llu]", d->vintid, j);
        }
    }
}

/* [a, a+as) and [b, b+bs) share a byte; bs 0: nothing to meet. Pre: as != 0.
 * No sum is formed, so a range the other checks refuse for wrapping cannot
 * make this one wrong. */
static bool pt_meets(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return bs != 0u && (a <= b ? b - a < as : a - b < bs);
}

/*
 * Implements: LLR-PT-025 (a usable range clear of its owner's other
 * guest-physical ranges: its RAM and every shared region the owner maps;
 * each overlap reported). Pre: owner below num_parts and BH_CFG_MAX_PARTS.
 */
static void pt_check_owner_map(const struct bh_cfg *c, const struct bh_cfg_passthru *d,
                               uint32_t k, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[d->part];
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "passthru[%u].base", k);
    if (pt_meets(d->base, d->size, p->ram_gpa, p->ram_size)) {
        cfg_err(rep, field, "0x%llx+0x%llx overlaps its owner's RAM 0x%llx+0x%llx", U64(d->base),
                U64(d->size), U64(p->ram_gpa), U64(p->ram_size));
    }
    for (uint32_t r = 0; r < c->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        const struct bh_cfg_shm *s = &c->shms[r];
        if (((s->map_mask >> d->part) & 1u) != 0u &&
            pt_meets(d->base, d->size, s->gpa[d->part], s->size)) {
            cfg_err(rep, field, "0x%llx+0x%llx overlaps shms[%u] at 0x%llx+0x%llx in its owner",
                    U64(d->base), U64(d->size), r, U64(s->gpa[d->part]), U64(s->size));
        }
    }
}

/* Implements: LLR-PT-004 (count in range, reserved zero, unused entries zero). */
static uint32_t pt_check_table(const struct bh_cfg *c, struct cfg_report *rep)
{
    if (c->reserved_pt != 0u) {
        cfg_err(rep, "header.reserved_pt", "0x%x, must be zero", c->reserved_pt);
    }
    if (c->num_passthru > BH_CFG_MAX_PASSTHRU) {
        cfg_err(rep, "header.num_passthru", "%u not in 0..%u", c->num_passthru,
                BH_CFG_MAX_PASSTHRU);
        return 0u;
    }
    for (uint32_t k = c->num_passthru; k < BH_CFG_MAX_PASSTHRU; k++) {
        const uint8_t *b = (const uint8_t *)&c->passthru[k];
        for (size_t i = 0; i < sizeof(c->passthru[k]); i++) {
            if (b[i] != 0u) {
                pt_err(rep, k, "part", "unused (num_passthru %llu) but not all zero",
                       c->num_passthru, 0u);
                break;
            }
        }
    }
    return c->num_passthru;
}

/* Implements: LLR-PT-001 .. LLR-PT-004, LLR-PT-024, LLR-PT-025 */
void cfg_check_passthru(const struct bh_cfg *c, const struct cfg_platform *pl,
                        struct cfg_report *rep)
{
    bool usable[BH_CFG_MAX_PASSTHRU];
    uint32_t n = pt_check_table(c, rep);
    for (uint32_t k = 0; k < n; k++) {
        const struct bh_cfg_passthru *d = &c->passthru[k];
        usable[k] = pt_check_range(d, k, pl, rep);
        pt_check_fields(c, d, k, pl, rep);
        pt_check_pairs(c, k, usable, rep);
        if (usable[k] && d->part < c->num_parts && d->part < BH_CFG_MAX_PARTS) {
            pt_check_owner_map(c, d, k, rep);
        }
    }
}
