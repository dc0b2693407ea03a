/*
 * Configuration checks of the static event channels, the channel permission
 * rows, the port limits (blob version 3) and the static shared-memory regions. Shared by the
 * hypervisor's boot check and the host toolstack, like cfg.c.
 */
#include "cfg_int.h"

#include "util.h"

#define U64(x) ((unsigned long long)(x))
#define CFG_SHM_IPA_LIMIT (1ULL << 39) /* stage-2 input range */

/* [a, a+as) and [b, b+bs) share a byte. Pre: both end below 2^64. */
static bool shm_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/* [a, a+as) lies inside [b, b+bs), with no sum that could wrap. */
static bool shm_inside(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a >= b && a - b <= bs && as <= bs - (a - b);
}

/* The names a and b (at most n bytes each) are equal. */
static bool shm_name_equal(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (a[k] != b[k]) {
            return false;
        }
        if (a[k] == '\0') {
            break;
        }
    }
    return true;
}

/* Mask of the partitions the header declares. Pre: num_parts <= MAX_PARTS. */
static uint32_t cfg_parts_mask(const struct bh_cfg *c)
{
    return (1u << c->num_parts) - 1u;
}

/* ------------------------------------------------------------ channels --- */

/* Implements: LLR-CFG-020 (one channel: endpoints distinct declared
 * partitions, ports in 1..BH_CFG_MAX_CHANNEL_PORT, priority 0..15, reserved
 * zero, no (partition, port) used by an earlier channel). */
static void cfg_check_channel(const struct bh_cfg *c, uint32_t k, struct cfg_report *rep)
{
    const struct bh_cfg_channel *ch = &c->channels[k];
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "channels[%u]", k);
    if (ch->part[0] >= c->num_parts || ch->part[1] >= c->num_parts) {
        cfg_err(rep, field, "partition %u or %u not below num_parts %u", ch->part[0], ch->part[1],
                c->num_parts);
        return;
    }
    if (ch->part[0] == ch->part[1]) {
        cfg_err(rep, field, "both ends in partition %u", ch->part[0]);
    }
    if (ch->priority > BH_CFG_MAX_EVT_PRIORITY || ch->reserved0 != 0u) {
        cfg_err(rep, field, "priority %u above %u or reserved0 0x%x not zero", ch->priority,
                BH_CFG_MAX_EVT_PRIORITY, ch->reserved0);
    }
    for (uint32_t e = 0; e < 2u; e++) {
        if (ch->port[e] == 0u || ch->port[e] > BH_CFG_MAX_CHANNEL_PORT) {
            cfg_err(rep, field, "port %u not in 1..%u", ch->port[e], BH_CFG_MAX_CHANNEL_PORT);
        }
        for (uint32_t j = 0; j < k; j++) {
            const struct bh_cfg_channel *o = &c->channels[j];
            bool same0 = o->part[0] == ch->part[e] && o->port[0] == ch->port[e];
            bool same1 = o->part[1] == ch->part[e] && o->port[1] == ch->port[e];
            if (same0 || same1) {
                cfg_err(rep, field, "port %u of partition %u already used by channels[%u]",
                        ch->port[e], ch->part[e], j);
            }
        }
    }
}

/* The entry at idx of an n-entry table of size-byte entries is all zero. */
static void cfg_check_zero_entry(const void *entry, size_t size, const char *table, uint32_t idx,
                                 struct cfg_report *rep)
{
    const uint8_t *b = entry;
    for (size_t k = 0; k < size; k++) {
        if (b[k] != 0u) {
            char field[CFG_FIELD_LEN];
            (void)bh_snprintf(field, sizeof(field), "%s[%u]", table, idx);
            cfg_err(rep, field, "unused but not all zero");
            return;
        }
    }
}

/* Implements: LLR-CFG-020, LLR-CFG-023 (channel table and permission rows:
 * count in range, used entries valid, unused ones zero; permission bits
 * only for declared partitions). */
void cfg_check_channels(const struct bh_cfg *c, struct cfg_report *rep)
{
    if (c->num_channels > BH_CFG_MAX_CHANNELS) {
        cfg_err(rep, "header.num_channels", "%u above %u", c->num_channels, BH_CFG_MAX_CHANNELS);
    }
    for (uint32_t k = 0; k < BH_CFG_MAX_CHANNELS; k++) {
        if (k < c->num_channels) {
            cfg_check_channel(c, k, rep);
        } else {
            cfg_check_zero_entry(&c->channels[k], sizeof(c->channels[k]), "channels", k, rep);
        }
    }
    uint32_t known = cfg_parts_mask(c);
    for (uint32_t i = 0; i < BH_CFG_MAX_PARTS; i++) {
        uint32_t row = c->evtchn_permit[i];
        if ((row & ~known) != 0u || (i >= c->num_parts && row != 0u)) {
            char field[CFG_FIELD_LEN];
            (void)bh_snprintf(field, sizeof(field), "evtchn_permit[%u]", i);
            cfg_err(rep, field, "0x%x names partitions beyond num_parts %u", row, c->num_parts);
        }
    }
}

/* Implements: LLR-CFG-024 (port limits: each a power of two from
 * BH_CFG_MIN_EVTCHN_PORTS to BH_CFG_MAX_EVTCHN_PORTS; the limits together
 * within BH_CFG_EVTCHN_POOL_PORTS, reported on each partition that does not
 * fit beside the valid ones before it). */
void cfg_check_evtchn_ports(const struct bh_cfg *c, struct cfg_report *rep)
{
    uint32_t sum = 0; /* of valid limits that fit: at most the pool */
    for (uint32_t i = 0; i < c->num_parts; i++) {
        uint32_t n = c->parts[i].evtchn_ports;
        if (n < BH_CFG_MIN_EVTCHN_PORTS || n > BH_CFG_MAX_EVTCHN_PORTS || (n & (n - 1u)) != 0u) {
            cfg_perr(rep, i, "evtchn_ports", "%u not a power of two in %u..%u", n,
                     BH_CFG_MIN_EVTCHN_PORTS, BH_CFG_MAX_EVTCHN_PORTS);
        } else if (n <= BH_CFG_EVTCHN_POOL_PORTS - sum) {
            sum += n;
        } else {
            cfg_perr(rep, i, "evtchn_ports",
                     "%u ports do not fit: the partitions before take %u of the pool's %u", n,
                     sum, BH_CFG_EVTCHN_POOL_PORTS);
        }
    }
}

/* -------------------------------------------------------- shared memory --- */

/* Implements: LLR-CFG-021 (region name, size, alignment, physical placement:
 * in platform RAM, clear of the hypervisor, of every partition's RAM and of
 * the regions before it). */
static void cfg_check_shm_pa(const struct bh_cfg *c, uint32_t r, const struct cfg_platform *pl,
                             const char *field, struct cfg_report *rep)
{
    const struct bh_cfg_shm *s = &c->shms[r];
    size_t len = bh_strnlen(s->name, BH_CFG_NAME_LEN);
    if (len == 0u || len == BH_CFG_NAME_LEN) {
        cfg_err(rep, field, "name empty or not NUL-terminated");
    }
    if (s->size == 0u || (s->size & (BH_CFG_PAGE_SIZE - 1u)) != 0u ||
        (s->pa & (BH_CFG_PAGE_SIZE - 1u)) != 0u) {
        cfg_err(rep, field, "pa 0x%llx size 0x%llx not page aligned and non-zero", U64(s->pa),
                U64(s->size));
        return;
    }
    if (!shm_inside(s->pa, s->size, pl->ram_base, pl->ram_size)) {
        cfg_err(rep, field, "0x%llx+0x%llx outside platform RAM", U64(s->pa), U64(s->size));
        return;
    }
    if (shm_overlap(s->pa, s->size, pl->hyp_base, pl->hyp_end - pl->hyp_base)) {
        cfg_err(rep, field, "0x%llx+0x%llx overlaps the hypervisor", U64(s->pa), U64(s->size));
    }
    for (uint32_t i = 0; i < c->num_parts; i++) {
        const struct bh_cfg_part *p = &c->parts[i];
        if (shm_overlap(s->pa, s->size, p->ram_pa, p->ram_size)) {
            cfg_err(rep, field, "overlaps parts[%u] RAM", i);
        }
    }
    for (uint32_t j = 0; j < r; j++) {
        const struct bh_cfg_shm *o = &c->shms[j];
        if (shm_name_equal(s->name, o->name, BH_CFG_NAME_LEN)) {
            cfg_err(rep, field, "name already used by shms[%u]", j);
        }
        if (shm_overlap(s->pa, s->size, o->pa, o->size)) {
            cfg_err(rep, field, "overlaps shms[%u]", j);
        }
    }
}

/* Implements: LLR-CFG-022 (placement of region r in partition i: page
 * aligned, below 2^39, clear of the partition's RAM, of the emulated device
 * windows and of the other regions it maps). Pre: size checked. */
static void cfg_check_shm_gpa(const struct bh_cfg *c, uint32_t r, uint32_t i, const char *field,
                              struct cfg_report *rep)
{
    const struct bh_cfg_shm *s = &c->shms[r];
    const struct bh_cfg_part *p = &c->parts[i];
    uint64_t gpa = s->gpa[i];
    if ((gpa & (BH_CFG_PAGE_SIZE - 1u)) != 0u || !shm_inside(gpa, s->size, 0u, CFG_SHM_IPA_LIMIT)) {
        cfg_err(rep, field, "gpa[%u] 0x%llx not page aligned or beyond 2^39", i, U64(gpa));
        return;
    }
    if (shm_overlap(gpa, s->size, p->ram_gpa, p->ram_size)) {
        cfg_err(rep, field, "gpa[%u] 0x%llx overlaps the partition's RAM", i, U64(gpa));
    }
    const char *dev = cfg_device_window_at(gpa, s->size);
    if (dev != NULL) {
        cfg_err(rep, field, "gpa[%u] 0x%llx overlaps %s", i, U64(gpa), dev);
    }
    for (uint32_t j = 0; j < r; j++) {
        const struct bh_cfg_shm *o = &c->shms[j];
        if (((o->map_mask >> i) & 1u) != 0u && shm_overlap(gpa, s->size, o->gpa[i], o->size)) {
            cfg_err(rep, field, "gpa[%u] 0x%llx overlaps shms[%u] there", i, U64(gpa), j);
        }
    }
}

/* Implements: LLR-CFG-022 (mapping masks: two or more declared partitions,
 * read-only ones among them, gpa zero where not mapped). */
static void cfg_check_shm_maps(const struct bh_cfg *c, uint32_t r, const char *field,
                               struct cfg_report *rep)
{
    const struct bh_cfg_shm *s = &c->shms[r];
    uint32_t known = cfg_parts_mask(c);
    uint32_t mask = s->map_mask & known;
    if (mask != s->map_mask || (mask & (mask - 1u)) == 0u || (s->ro_mask & ~mask) != 0u) {
        cfg_err(rep, field, "map_mask 0x%x ro_mask 0x%x: need two or more of partitions 0x%x",
                s->map_mask, s->ro_mask, known);
        return;
    }
    for (uint32_t i = 0; i < BH_CFG_MAX_PARTS; i++) {
        if (((mask >> i) & 1u) != 0u) {
            cfg_check_shm_gpa(c, r, i, field, rep);
        } else if (s->gpa[i] != 0u) {
            cfg_err(rep, field, "gpa[%u] 0x%llx for a partition that does not map it", i,
                    U64(s->gpa[i]));
        } else {
            /* not mapped by partition i, gpa zero */
        }
    }
}

/* Implements: LLR-CFG-021, LLR-CFG-022 (region table: count in range,
 * used entries valid, unused ones zero). */
void cfg_check_shms(const struct bh_cfg *c, const struct cfg_platform *pl, struct cfg_report *rep)
{
    if (c->num_shms > BH_CFG_MAX_SHMS) {
        cfg_err(rep, "header.num_shms", "%u above %u", c->num_shms, BH_CFG_MAX_SHMS);
    }
    for (uint32_t r = 0; r < BH_CFG_MAX_SHMS; r++) {
        char field[CFG_FIELD_LEN];
        (void)bh_snprintf(field, sizeof(field), "shms[%u]", r);
        if (r >= c->num_shms) {
            cfg_check_zero_entry(&c->shms[r], sizeof(c->shms[r]), "shms", r, rep);
            continue;
        }
        cfg_check_shm_pa(c, r, pl, field, rep);
        if (c->shms[r].size != 0u && (c->shms[r].size & (BH_CFG_PAGE_SIZE - 1u)) == 0u) {
            cfg_check_shm_maps(c, r, field, rep);
        }
    }
}
