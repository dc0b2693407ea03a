/*
 * The stage-2 table budget of the configuration check, shared by the
 * hypervisor's boot check and the toolstack like cfg.c.
 *
 * The hypervisor builds every partition's stage-2 map at boot from one
 * static pool of table pages (hyp/arch/aarch64/mmu.c, LLR-ARCH-011/012):
 * 4 KiB granule, 39-bit input, tables from level 1. Each partition takes a
 * level-1 root; each 1 GiB of guest-physical space it maps anything in takes
 * a level-2 table; a range is mapped in 2 MiB level-2 blocks where its guest
 * and physical addresses are both 2 MiB aligned and 2 MiB remain, and in
 * 4 KiB pages otherwise, each 2 MiB of guest-physical space holding a page
 * taking a level-3 table. The count below follows that rule exactly, from
 * the blob alone, so a configuration the check accepts never exhausts the
 * pool at boot (the hypervisor prints what it used: LLR-ARCH-013).
 */
#include "cfg_int.h"

#define S2_L2_SHIFT 30u /* one level-2 table per 1 GiB of guest-physical space */
#define S2_L3_SHIFT 21u /* one level-3 table per 2 MiB */
#define S2_BLOCK (1ULL << S2_L3_SHIFT)
/* A partition maps its RAM, the shared regions it takes part in and the
 * devices it owns; each mapping gives one level-2 span and up to two
 * level-3 spans. */
#define S2_MAX_MAPS (1u + BH_CFG_MAX_SHMS + BH_CFG_MAX_PASSTHRU)
#define S2_MAX_SPANS (2u * S2_MAX_MAPS)

/* Table slots first..last (inclusive) at one level. */
struct s2_span {
    uint64_t first;
    uint64_t last;
};

struct s2_spans {
    uint32_t n;
    struct s2_span s[S2_MAX_SPANS];
};

/* Add the slots of [start, end) at the level of shift. Pre: start < end;
 * t->n < S2_MAX_SPANS, which holds as cfg_s2_tables adds at most
 * S2_MAX_MAPS level-2 spans and two level-3 spans per mapping. */
/*@ requires \valid(t) && t->n < S2_MAX_SPANS && start < end && shift < 64;
    assigns t->n, t->s[t->n];
    ensures t->n == \old(t->n) + 1;
 */
static void s2_add(struct s2_spans *t, uint64_t start, uint64_t end, uint32_t shift)
{
    t->s[t->n].first = start >> shift;
    t->s[t->n].last = (end - 1u) >> shift;
    t->n++;
}

/*
 * The level-3 spans of one mapping: all of it when guest and physical
 * addresses differ modulo 2 MiB or no whole aligned block fits, else the
 * pages before the first block and after the last.
 * Pre: size != 0, gpa + size <= 2^39.
 */
/*@ requires \valid(l3) && l3->n + 2 <= S2_MAX_SPANS;
    requires size != 0 && gpa + size <= 549755813888;
    assigns l3->n, l3->s[0 .. S2_MAX_SPANS - 1];
    ensures \old(l3->n) <= l3->n <= \old(l3->n) + 2;
 */
static void s2_add_pages(struct s2_spans *l3, uint64_t gpa, uint64_t pa, uint64_t size)
{
    uint64_t end = gpa + size;
    uint64_t blocks_start = (gpa + S2_BLOCK - 1u) & ~(S2_BLOCK - 1u);
    uint64_t blocks_end = end & ~(S2_BLOCK - 1u);
    if (((gpa ^ pa) & (S2_BLOCK - 1u)) != 0u || blocks_start >= blocks_end) {
        s2_add(l3, gpa, end, S2_L3_SHIFT);
        return;
    }
    if (gpa < blocks_start) {
        s2_add(l3, gpa, blocks_start, S2_L3_SHIFT);
    }
    if (blocks_end < end) {
        s2_add(l3, blocks_end, end, S2_L3_SHIFT);
    }
}

/* One mapping: its level-2 span and its level-3 spans. */
/*@ requires \valid(l2) && \valid(l3) && \separated(l2, l3);
    requires l2->n < S2_MAX_SPANS && l3->n + 2 <= S2_MAX_SPANS;
    requires size != 0 && gpa + size <= 549755813888;
    assigns l2->n, l2->s[0 .. S2_MAX_SPANS - 1], l3->n, l3->s[0 .. S2_MAX_SPANS - 1];
    ensures l2->n == \old(l2->n) + 1 && l3->n <= \old(l3->n) + 2;
 */
static void s2_add_map(struct s2_spans *l2, struct s2_spans *l3, uint64_t gpa, uint64_t pa,
                       uint64_t size)
{
    s2_add(l2, gpa, gpa + size, S2_L2_SHIFT);
    s2_add_pages(l3, gpa, pa, size);
}

/* The number of distinct slots the spans cover: sorted by first slot
 * (insertion sort, at most S2_MAX_SPANS entries), then counted once each. */
static uint32_t s2_union(struct s2_spans *t)
{
    uint64_t count = 0;
    uint64_t next = 0; /* the first slot not yet counted */
    for (uint32_t i = 1; i < t->n; i++) {
        struct s2_span v = t->s[i];
        uint32_t j = i;
        for (; j > 0u && t->s[j - 1u].first > v.first; j--) {
            t->s[j] = t->s[j - 1u];
        }
        t->s[j] = v;
    }
    for (uint32_t i = 0; i < t->n; i++) {
        uint64_t first = t->s[i].first > next ? t->s[i].first : next;
        if (t->s[i].last >= first) {
            count += t->s[i].last - first + 1u;
            next = t->s[i].last + 1u;
        }
    }
    /* At most 2^39 >> 21 slots: fits. */
    return (uint32_t)count;
}

/*
 * Implements: LLR-CFG-025 (stage-2 table pages of parts[i]: its root, one
 * level-2 table per 1 GiB slot and one level-3 table per 2 MiB slot that
 * its RAM, shared regions and owned devices need, as mmu.c maps them).
 */
uint32_t cfg_s2_tables(const struct bh_cfg *c, uint32_t i)
{
    static struct s2_spans l2;
    static struct s2_spans l3;
    const struct bh_cfg_part *p = &c->parts[i];
    l2.n = 0;
    l3.n = 0;
    s2_add_map(&l2, &l3, p->ram_gpa, p->ram_pa, p->ram_size);
    for (uint32_t r = 0; r < c->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        const struct bh_cfg_shm *s = &c->shms[r];
        if (((s->map_mask >> i) & 1u) != 0u) {
            s2_add_map(&l2, &l3, s->gpa[i], s->pa, s->size);
        }
    }
    for (uint32_t k = 0; k < c->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *d = &c->passthru[k];
        if (d->part == i) {
            s2_add_map(&l2, &l3, d->base, d->base, d->size);
        }
    }
    return 1u + s2_union(&l2) + s2_union(&l3);
}

/*
 * Implements: LLR-CFG-025 (the partitions' stage-2 tables together within
 * the platform's pool, reported on each partition that does not fit beside
 * the ones before it).
 */
void cfg_check_s2_budget(const struct bh_cfg *c, const struct cfg_platform *pl,
                         struct cfg_report *rep)
{
    uint32_t used = 0; /* by the partitions that fit: at most the pool */
    for (uint32_t i = 0; i < c->num_parts; i++) {
        uint32_t need = cfg_s2_tables(c, i);
        if (need <= pl->s2_table_pages - used) {
            used += need;
        } else {
            cfg_perr(rep, i, "stage2", "stage-2 map needs %u table pages, %u of the pool's %u left",
                     need, pl->s2_table_pages - used, pl->s2_table_pages);
        }
    }
}
