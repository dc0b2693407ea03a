/*
 * bhxen: a Xen dom0less tree read as it is. Xen users describe the host at
 * the root (cpus, memory, the GIC, the UART, ...) and put Xen's own options
 * in properties (xen,xen-bootargs, xen,enhanced, ...). Bulkhead's platform is
 * built in, so the host nodes are ignored, except /memory and /cpus, which
 * are checked against the platform; Xen-only properties are accepted with
 * one note per name. Every unknown bulkhead, property stays an error.
 */
#include "bhdts.h"
#include "bhdts_int.h"

#include <libfdt.h>
#include <string.h>

#include "platform.h"

static const char why_xen[] = "Xen-only property, no meaning to Bulkhead: ignored";
static const char why_host[] = "host property: Bulkhead's platform is built in (" PLAT_NAME
                               "): ignored";
static const char why_grant[] = "Xen grant-table limit, Bulkhead has no grant tables: ignored";

/* A property accepted in a kind of node without the xen, prefix. */
struct host_prop {
    enum bhd_xen_kind kind;
    const char *name;
    const char *why;
};

static const struct host_prop host_props[] = {
    {BHD_XEN_ROOT, "interrupt-parent", why_host},
    {BHD_XEN_CHOSEN, "stdout-path", why_host},
    {BHD_XEN_CHOSEN, "linux,stdout-path", why_host},
    {BHD_XEN_CHOSEN, "bootargs", why_host},
    {BHD_XEN_CHOSEN, "kaslr-seed", why_host},
    {BHD_XEN_CHOSEN, "rng-seed", why_host},
    {BHD_XEN_CHOSEN, "linux,initrd-start", why_host},
    {BHD_XEN_CHOSEN, "linux,initrd-end", why_host},
    {BHD_XEN_DOMAIN, "max_grant_frames", why_grant},
    {BHD_XEN_DOMAIN, "max_maptrack_frames", why_grant},
    {BHD_XEN_DOMAIN, "max_grant_version", why_grant},
};

/* Xen properties whose meaning Bulkhead cannot keep by ignoring them. */
struct refused_prop {
    const char *name;
    const char *why;
};

static const struct refused_prop refused_props[] = {
    {"xen,static-mem", "Xen's static memory is not read: place RAM with bulkhead,ram-pa"},
    {"xen,static-heap", "Xen's static heap is not read: Bulkhead has no heap"},
};

static void add_note(struct bhd_system *s, const char *node, const char *name, const char *why)
{
    for (unsigned i = 0; i < s->num_notes && i < BHD_MAX_NOTES; i++) {
        if (strcmp(s->notes[i].name, name) == 0) {
            s->notes[i].count++;
            return;
        }
    }
    if (s->num_notes < BHD_MAX_NOTES) {
        struct bhd_note *n = &s->notes[s->num_notes++];
        snprintf(n->name, sizeof(n->name), "%s", name);
        snprintf(n->node, sizeof(n->node), "%s", node);
        n->why = why;
        n->count = 1;
    }
}

/* Implements: LLR-TOOL-071 (Xen-only and host properties of the root,
 * /chosen, partitions and modules accepted, one note per name), LLR-TOOL-072
 * (a bulkhead, property is never Xen-only; Xen properties whose meaning would
 * be lost refused with the reason). */
int bhd_xen_prop(const struct bhd_ctx *c, const char *name)
{
    if (c->xen == BHD_XEN_NONE || c->s == NULL || strncmp(name, "bulkhead,", 9) == 0) {
        return 0;
    }
    for (size_t k = 0; k < sizeof(refused_props) / sizeof(refused_props[0]); k++) {
        if (strcmp(name, refused_props[k].name) == 0) {
            bhd_err(c->d, c->path, name, "%s", refused_props[k].why);
            return -1;
        }
    }
    const char *why = strncmp(name, "xen,", 4) == 0 ? why_xen : NULL;
    for (size_t k = 0; why == NULL && k < sizeof(host_props) / sizeof(host_props[0]); k++) {
        if (host_props[k].kind == c->xen && strcmp(name, host_props[k].name) == 0) {
            why = host_props[k].why;
        }
    }
    if (why == NULL) {
        return 0;
    }
    add_note(c->s, c->path, name, why);
    return 1;
}

/* A value of cells 32-bit cells (1 or 2) at v. */
static uint64_t cells_value(const uint8_t *v, int cells)
{
    return cells == 2 ? (uint64_t)bhd_be32(v) << 32 | bhd_be32(v + 4) : bhd_be32(v);
}

/* /memory: every range of reg must be the platform's RAM, and only it. */
static void check_memory(struct bhd_ctx *c, int node)
{
    int ac = fdt_address_cells(c->fdt, 0), sc = fdt_size_cells(c->fdt, 0), len = 0;
    const uint8_t *reg = bhd_prop_get(c, node, "reg", &len);
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || reg == NULL || len % (4 * (ac + sc)) != 0) {
        bhd_err(c->d, c->path, "reg",
                "expected <address size> pairs in the root's #address-cells and #size-cells (1 "
                "or 2 each)");
        return;
    }
    for (int off = 0; off < len; off += 4 * (ac + sc)) {
        uint64_t base = cells_value(reg + off, ac), size = cells_value(reg + off + 4 * ac, sc);
        if (base != PLAT_RAM_BASE || size != PLAT_RAM_SIZE) {
            bhd_err(c->d, c->path, "reg",
                    "host RAM 0x%llx+0x%llx is not the platform's RAM 0x%llx+0x%llx (" PLAT_NAME
                    ": QEMU -m %lluM)",
                    (unsigned long long)base, (unsigned long long)size,
                    (unsigned long long)PLAT_RAM_BASE, (unsigned long long)PLAT_RAM_SIZE,
                    (unsigned long long)(PLAT_RAM_SIZE >> 20));
        }
    }
}

static int prop_is(const void *fdt, int node, const char *name, const char *value)
{
    int len = 0;
    const char *v = fdt_getprop(fdt, node, name, &len);
    return v != NULL && len == (int)strlen(value) + 1 && memcmp(v, value, (size_t)len) == 0;
}

/* /cpus: its cpu nodes (device_type "cpu"), at most the platform's. */
static void check_cpus(struct bhd_ctx *c, int node, struct bhd_system *s)
{
    int sub, n = 0, count = 0;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        if (++count > (int)BHD_MAX_ITEMS) {
            break;
        }
        n += prop_is(c->fdt, sub, "device_type", "cpu");
    }
    s->host_cpus = n;
    if (n < 1 || n > (int)PLAT_NUM_CPUS) {
        bhd_err(c->d, c->path, NULL,
                "%d cpu nodes, but the platform (" PLAT_NAME ") has %u CPUs (QEMU -smp %u)", n,
                PLAT_NUM_CPUS, PLAT_NUM_CPUS);
    }
}

/* Implements: LLR-TOOL-070 (host nodes outside /chosen counted and ignored),
 * LLR-TOOL-073 (/memory and /cpus checked against the platform). */
void bhd_host_node(struct bhd_ctx *c, int node, struct bhd_system *s)
{
    const char *name = fdt_get_name(c->fdt, node, NULL);
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    s->host_nodes++;
    if (name != NULL && strcmp(name, "cpus") == 0) {
        check_cpus(c, node, s);
    } else if (prop_is(c->fdt, node, "device_type", "memory")) {
        s->host_memory = 1;
        check_memory(c, node);
    }
}

/* Implements: LLR-TOOL-073 (bulkhead,num-cpus defaults to the cpu nodes of
 * /cpus, else the platform's CPUs, with a note; more than /cpus has is an
 * error naming both). */
void bhd_num_cpus(struct bhd_ctx *c, int chosen, struct bhd_system *s)
{
    int rc = bhd_prop_u32(c, chosen, "bulkhead,num-cpus", &s->sys.num_cpus);
    s->has_num_cpus = rc != 0;
    if (rc == 0 && s->host_cpus > 0) {
        s->sys.num_cpus = (uint32_t)s->host_cpus;
        bhd_note(c->d, "/chosen", NULL, "bulkhead,num-cpus not given: %u, the cpu nodes of /cpus",
                 s->sys.num_cpus);
    } else if (rc == 0) {
        bhd_note(c->d, "/chosen", NULL,
                 "bulkhead,num-cpus not given: %u, the platform's CPUs (" PLAT_NAME ")",
                 s->sys.num_cpus);
    } else if (rc == 1 && s->host_cpus > 0 && s->sys.num_cpus > (uint32_t)s->host_cpus) {
        bhd_err(c->d, "/chosen", "bulkhead,num-cpus", "%u CPUs, but /cpus has %d cpu nodes",
                s->sys.num_cpus, s->host_cpus);
    }
}

void bhd_emit_notes(const struct bhd_system *s, struct bhd_diag *d)
{
    if (s->host_nodes > 0) {
        static const char *const checked[4] = {"", "; /cpus checked against it",
                                               "; /memory checked against it",
                                               "; /cpus and /memory checked against it"};
        bhd_note(d, "/", NULL,
                 "%u host node%s outside /chosen ignored: Bulkhead's platform is built in "
                 "(" PLAT_NAME ")%s",
                 s->host_nodes, s->host_nodes == 1 ? "" : "s",
                 checked[(s->host_cpus >= 0 ? 1 : 0) + (s->host_memory ? 2 : 0)]);
    }
    for (unsigned i = 0; i < s->num_notes && i < BHD_MAX_NOTES; i++) {
        const struct bhd_note *n = &s->notes[i];
        if (n->count > 1) {
            bhd_note(d, n->node, n->name, "%s (here and %u more times)", n->why, n->count - 1u);
        } else {
            bhd_note(d, n->node, n->name, "%s", n->why);
        }
    }
}

/* Implements: LLR-TOOL-080 (a module's reg in its partition's cells). */
int bhd_module_reg(const struct bhd_ctx *c, int node, uint64_t reg[2])
{
    int parent = fdt_parent_offset(c->fdt, node), len = 0;
    int ac = parent >= 0 ? fdt_address_cells(c->fdt, parent) : -1;
    int sc = parent >= 0 ? fdt_size_cells(c->fdt, parent) : -1;
    const uint8_t *v = bhd_prop_get(c, node, "reg", &len);
    if (v == NULL) {
        return 0;
    }
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || len != 4 * (ac + sc)) {
        bhd_err(c->d, c->path, "reg",
                "expected one <address size> in the partition's #address-cells and #size-cells "
                "(1 or 2 each), found %d bytes",
                len);
        return -1;
    }
    reg[0] = cells_value(v, ac);
    reg[1] = cells_value(v + 4 * ac, sc);
    return 1;
}
