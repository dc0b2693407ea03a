/*
 * bhlink: the static event-channel and shared-memory bindings of the
 * device-tree front end (see bhdts_int.h and docs/configuration.md).
 *
 *   evtchn nodes (compatible "xen,evtchn-v1") in a partition:
 *     xen,evtchn = <local-port &peer-evtchn-node>; bulkhead,priority = <p>;
 *   shared memory (compatible "xen,domain-shared-memory-v1") in a partition:
 *     xen,shm-id = "name"; xen,shared-mem = <host-pa guest-pa size>;
 *     bulkhead,read-only; role = "owner" | "borrower" (accepted, unused)
 *   a partition's bulkhead,evtchn-peers = <&partition ...>: more partitions
 *     it may bind channels with at run time.
 *
 * Only what the boot check cannot see is checked here (types, phandles,
 * pairing, agreement between the declarations of one region); ranges,
 * overlaps and port reuse are left to cfg_validate, whose errors bhbuild
 * maps back to chan_node / shm_node.
 */
#include <libfdt.h>
#include <string.h>

#include "bhdts_int.h"

#define BHL_MAX_ENDS (BH_CFG_MAX_PARTS * BHD_MAX_LINKS)

/* One evtchn node as read. */
struct bhl_end {
    uint32_t part;
    int node;
    uint32_t phandle;      /* its own, 0 if none */
    uint32_t port;
    uint32_t peer_phandle;
    uint32_t priority;
    int has_priority;
    int used;
};

static const struct bhd_prop_rule evtchn_rules[] = {
    {"compatible", NULL}, {"phandle", NULL}, {"linux,phandle", NULL},
    {"xen,evtchn", NULL}, {"bulkhead,priority", NULL},
};

static const struct bhd_prop_rule shm_rules[] = {
    {"compatible", NULL}, {"phandle", NULL},       {"linux,phandle", NULL},   {"xen,shm-id", NULL},
    {"xen,shared-mem", NULL}, {"role", NULL}, {"bulkhead,read-only", NULL},
};

/* Read one evtchn node into e; 0 or -1 (reported). Implements: LLR-TOOL-060 */
static int read_end(struct bhd_ctx *c, int node, uint32_t part, struct bhl_end *e)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    int bad = bhd_check_props(c, node, evtchn_rules, sizeof(evtchn_rules) / sizeof(evtchn_rules[0]));
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, "xen,evtchn", &len);
    memset(e, 0, sizeof(*e));
    e->part = part;
    e->node = node;
    e->phandle = fdt_get_phandle(c->fdt, node);
    e->priority = 7u;
    if (v == NULL || len != 8) {
        bhd_err(c->d, c->path, "xen,evtchn", "need <local-port &peer-evtchn-node> (2 cells)");
        return -1;
    }
    e->port = bhd_be32(v);
    e->peer_phandle = bhd_be32(v + 4);
    int rc = bhd_prop_u32(c, node, "bulkhead,priority", &e->priority);
    e->has_priority = rc == 1;
    return (rc < 0 || bad != 0) ? -1 : 0;
}

/* The end whose own phandle is ph, or n. */
static unsigned find_end(const struct bhl_end *ends, unsigned n, uint32_t ph)
{
    unsigned k = 0;
    while (k < n && (ph == 0u || ends[k].phandle != ph)) {
        k++;
    }
    return k;
}

/* Pair ends into channels. Implements: LLR-TOOL-060 */
static void pair_ends(struct bhd_ctx *c, struct bhl_end *ends, unsigned n, struct bhd_system *s)
{
    for (unsigned a = 0; a < n; a++) {
        struct bhl_end *x = &ends[a];
        if (x->used) {
            continue;
        }
        bhd_node_path(c->fdt, x->node, c->path, sizeof(c->path));
        unsigned b = find_end(ends, n, x->peer_phandle);
        if (b == n || b == a) {
            bhd_err(c->d, c->path, "xen,evtchn", "the peer phandle names no other evtchn node");
            continue;
        }
        struct bhl_end *y = &ends[b];
        if (y->peer_phandle != x->phandle || y->used) {
            bhd_err(c->d, c->path, "xen,evtchn", "the peer evtchn node does not name this one back");
            continue;
        }
        if (x->has_priority && y->has_priority && x->priority != y->priority) {
            bhd_err(c->d, c->path, "bulkhead,priority", "%u, but the peer says %u", x->priority,
                    y->priority);
            continue;
        }
        x->used = y->used = 1;
        if (s->sys.num_channels >= BH_CFG_MAX_CHANNELS) {
            bhd_err(c->d, c->path, NULL, "channel beyond the %u a system may have",
                    BH_CFG_MAX_CHANNELS);
            continue;
        }
        uint32_t k = s->sys.num_channels++;
        struct bh_cfg_channel *ch = &s->sys.channels[k];
        ch->part[0] = (uint8_t)x->part;
        ch->part[1] = (uint8_t)y->part;
        ch->port[0] = x->port;
        ch->port[1] = y->port;
        uint32_t prio = y->has_priority ? y->priority : x->priority;
        ch->priority = (uint8_t)(prio > 255u ? 255u : prio);
        snprintf(s->chan_node[k], sizeof(s->chan_node[k]), "%s", c->path);
    }
}

/* Cells of an address or size in the partition node; 1 or 2, else 0. */
static uint32_t cells(const void *fdt, int part_node, const char *name)
{
    int len = 0;
    const uint8_t *v = fdt_getprop(fdt, part_node, name, &len);
    uint32_t n = (v != NULL && len == 4) ? bhd_be32(v) : 1u;
    return (n == 1u || n == 2u) ? n : 0u;
}

static uint64_t read_cells(const uint8_t *v, uint32_t n)
{
    return n == 2u ? ((uint64_t)bhd_be32(v) << 32) | bhd_be32(v + 4) : bhd_be32(v);
}

/* The region named id, created with pa and size when new; NULL when full. */
static struct bh_cfg_shm *region_of(struct bhd_system *s, const char *id, uint64_t pa,
                                    uint64_t size, const char *node)
{
    for (uint32_t r = 0; r < s->sys.num_shms; r++) {
        if (strncmp(s->sys.shms[r].name, id, BH_CFG_NAME_LEN) == 0) {
            return &s->sys.shms[r];
        }
    }
    if (s->sys.num_shms >= BH_CFG_MAX_SHMS) {
        return NULL;
    }
    uint32_t r = s->sys.num_shms++;
    struct bh_cfg_shm *sh = &s->sys.shms[r];
    /* read_shm checked 1..BH_CFG_NAME_LEN-1 characters; the precision says
     * so to the compiler too. */
    snprintf(sh->name, sizeof(sh->name), "%.*s", (int)BH_CFG_NAME_LEN - 1, id);
    sh->pa = pa;
    sh->size = size;
    snprintf(s->shm_node[r], sizeof(s->shm_node[r]), "%s", node);
    return sh;
}

/* One shared-memory node of partition part. Implements: LLR-TOOL-061 */
static void read_shm(struct bhd_ctx *c, int node, uint32_t part, int part_node,
                     struct bhd_system *s)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    int bad = bhd_check_props(c, node, shm_rules, sizeof(shm_rules) / sizeof(shm_rules[0]));
    char id[64];
    int rc = bhd_prop_str(c, node, "xen,shm-id", id, sizeof(id));
    if (bhd_required(c, rc, "xen,shm-id", "the region's name") != 0 || rc < 0) {
        return;
    }
    if (strlen(id) == 0 || strlen(id) >= BH_CFG_NAME_LEN) {
        bhd_err(c->d, c->path, "xen,shm-id", "\"%s\": 1..%u characters", id, BH_CFG_NAME_LEN - 1u);
        return;
    }
    uint32_t ac = cells(c->fdt, part_node, "#address-cells");
    uint32_t sc = cells(c->fdt, part_node, "#size-cells");
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, "xen,shared-mem", &len);
    if (v == NULL || ac == 0u || sc == 0u || len != (int)(4u * (2u * ac + sc))) {
        bhd_err(c->d, c->path, "xen,shared-mem",
                "need <host-address guest-address size> in the partition's cell sizes");
        return;
    }
    int ro = fdt_getprop(c->fdt, node, "bulkhead,read-only", &len) != NULL;
    if (ro && len != 0) {
        bhd_err(c->d, c->path, "bulkhead,read-only", "must be empty (a flag)");
        return;
    }
    uint64_t pa = read_cells(v, ac), gpa = read_cells(v + 4u * ac, ac);
    uint64_t size = read_cells(v + 8u * ac, sc);
    struct bh_cfg_shm *sh = region_of(s, id, pa, size, c->path);
    if (sh == NULL) {
        bhd_err(c->d, c->path, NULL, "region beyond the %u a system may have", BH_CFG_MAX_SHMS);
    } else if (sh->pa != pa || sh->size != size) {
        bhd_err(c->d, c->path, "xen,shared-mem",
                "host address or size differs from another declaration of \"%s\"", id);
    } else if (((sh->map_mask >> part) & 1u) != 0u) {
        bhd_err(c->d, c->path, "xen,shm-id", "\"%s\" already mapped in this partition", id);
    } else if (bad == 0) {
        sh->map_mask |= 1u << part;
        sh->ro_mask |= (ro ? 1u : 0u) << part;
        sh->gpa[part] = gpa;
    }
}

/* bulkhead,evtchn-peers of partition i. Implements: LLR-TOOL-062 */
static void read_peers(struct bhd_ctx *c, uint32_t i, struct bhd_system *s)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, s->parts[i].offset, "bulkhead,evtchn-peers", &len);
    if (v == NULL) {
        return;
    }
    for (int k = 0; k + 4 <= len && k < 4 * (int)BH_CFG_MAX_PARTS; k += 4) {
        int target = fdt_node_offset_by_phandle(c->fdt, bhd_be32(v + k));
        uint32_t j = 0;
        while (j < s->sys.num_parts && (s->parts[j].offset != target || target < 0)) {
            j++;
        }
        if (j == s->sys.num_parts || j == i) {
            bhd_err(c->d, s->parts[i].node, "bulkhead,evtchn-peers",
                    "entry %d names no other partition", k / 4);
        } else {
            s->sys.evtchn_permit[i] |= 1u << j;
        }
    }
    if (len % 4 != 0 || len > 4 * (int)BH_CFG_MAX_PARTS) {
        bhd_err(c->d, s->parts[i].node, "bulkhead,evtchn-peers", "need 1..%u phandles",
                BH_CFG_MAX_PARTS);
    }
}

/* Implements: LLR-TOOL-060, LLR-TOOL-061, LLR-TOOL-062 */
void bhd_parse_links(struct bhd_ctx *c, int chosen, struct bhd_system *s)
{
    static struct bhl_end ends[BHL_MAX_ENDS];
    unsigned n = 0;
    (void)chosen;
    for (uint32_t i = 0; i < s->sys.num_parts; i++) {
        struct bhd_part *p = &s->parts[i];
        for (unsigned k = 0; k < p->num_links; k++) {
            int node = p->link_nodes[k];
            if (fdt_node_check_compatible(c->fdt, node, "xen,evtchn-v1") == 0) {
                if (read_end(c, node, i, &ends[n]) == 0) {
                    n++;
                }
            } else {
                read_shm(c, node, i, p->offset, s);
            }
        }
        read_peers(c, i, s);
    }
    pair_ends(c, ends, n, s);
    bhd_node_path(c->fdt, chosen, c->path, sizeof(c->path));
}
