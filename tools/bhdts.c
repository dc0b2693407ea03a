/*
 * bhdts: device-tree source -> system description (see bhdts.h and
 * docs/configuration.md for the bindings). This file reads the compiled
 * tree; bhdts_src.c runs dtc and reports errors at source lines.
 */
#include "bhdts.h"
#include "bhdts_int.h"
#include "bhplace.h"

#include <libfdt.h>
#include <string.h>

#include "platform.h"

#define MAX_ITEMS BHD_MAX_ITEMS

/* After "<what>: not supported by blob version N". */
static const char reserved_msg[] = "(reserved for a later version, see docs/configuration.md)";

/* ---------------------------------------------------------- properties --- */

void bhd_node_path(const void *fdt, int node, char *buf, size_t len)
{
    if (fdt_get_path(fdt, node, buf, (int)len) != 0) {
        snprintf(buf, len, "(path too long)");
    }
}

/* A property's bytes; NULL (and *len 0) when absent. */
const uint8_t *bhd_prop_get(const struct bhd_ctx *c, int node, const char *name, int *len)
{
    const uint8_t *v = fdt_getprop(c->fdt, node, name, len);
    *len = v != NULL && *len > 0 ? *len : 0;
    return v;
}

uint32_t bhd_be32(const uint8_t *v)
{
    return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
}

/* 1 present and one 32-bit cell, 0 absent, -1 malformed (reported). */
int bhd_prop_u32(const struct bhd_ctx *c, int node, const char *name, uint32_t *out)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, name, &len);
    if (v == NULL) {
        return 0;
    }
    if (len != 4) {
        bhd_err(c->d, c->path, name, "expected one 32-bit cell <N>, found %d bytes", len);
        return -1;
    }
    *out = bhd_be32(v);
    return 1;
}

/* 1 present and two 32-bit cells (a 64-bit value, high cell first). */
int bhd_prop_u64(const struct bhd_ctx *c, int node, const char *name, uint64_t *out)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, name, &len);
    if (v == NULL) {
        return 0;
    }
    if (len != 8) {
        bhd_err(c->d, c->path, name, "expected a 64-bit value as two cells <HI LO>, found %d bytes",
                len);
        return -1;
    }
    *out = (uint64_t)bhd_be32(v) << 32 | bhd_be32(v + 4);
    return 1;
}

/* 1 present as one non-empty string shorter than len. */
int bhd_prop_str(const struct bhd_ctx *c, int node, const char *name, char *out, size_t len)
{
    int n = 0;
    const uint8_t *v = bhd_prop_get(c, node, name, &n);
    if (v == NULL) {
        return 0;
    }
    size_t sl = strnlen((const char *)v, (size_t)n);
    if (n < 2 || sl + 1u != (size_t)n || sl >= len) {
        bhd_err(c->d, c->path, name, "expected one non-empty string of at most %zu characters",
                len - 1u);
        return -1;
    }
    memcpy(out, v, (size_t)n);
    return 1;
}

int bhd_required(const struct bhd_ctx *c, int rc, const char *name, const char *what)
{
    if (rc == 0) {
        bhd_err(c->d, c->path, NULL, "missing property %s (%s)", name, what);
    }
    return rc == 1 ? 0 : -1;
}

/* Implements: LLR-TOOL-023 (unknown properties are errors naming node and
 * property; reserved ones say the blob version cannot carry them; the
 * Xen-only ones of a Xen node are left to bhd_xen_prop). */
int bhd_check_props(const struct bhd_ctx *c, int node, const struct bhd_prop_rule *rules, size_t n)
{
    int bad = 0, off, count = 0;
    fdt_for_each_property_offset(off, c->fdt, node)
    {
        const char *name = NULL;
        int len = 0;
        if (++count > (int)MAX_ITEMS || fdt_getprop_by_offset(c->fdt, off, &name, &len) == NULL) {
            break;
        }
        size_t k = 0;
        while (k < n && strcmp(rules[k].name, name) != 0) {
            k++;
        }
        int xen = k == n ? bhd_xen_prop(c, name) : 0;
        if (k == n && xen == 0) {
            bhd_err(c->d, c->path, name, "unknown property");
            bad = -1;
        } else if (k == n) {
            bad = xen < 0 ? -1 : bad;
        } else if (rules[k].reserved != NULL) {
            bhd_err(c->d, c->path, name, "%s: not supported by blob version %u %s", rules[k].reserved,
                    BH_CFG_VERSION, reserved_msg);
            bad = -1;
        }
    }
    return bad;
}

/* ---------------------------------------------------------- partitions --- */

static const struct bhd_prop_rule part_rules[] = {
    {"compatible", NULL},
    {"#address-cells", NULL},
    {"#size-cells", NULL},
    {"phandle", NULL},
    {"linux,phandle", NULL},
    {"memory", NULL},
    {"cpus", NULL},
    {"vpl011", NULL},
    {"bulkhead,cpus", NULL},
    {"bulkhead,ram-pa", NULL},
    {"bulkhead,ram-gpa", NULL},
    {"bulkhead,system", NULL},
    {"bulkhead,hcall-hm", NULL},
    {"bulkhead,period-us", NULL},
    {"bulkhead,no-window-in", NULL},
    {"bulkhead,restart-limit", NULL},
    {"bulkhead,evtchn-ports", NULL},
    {"bulkhead,no-hypervisor-node", NULL},
    {"bulkhead,dma-unconfined", NULL},
    {"bulkhead,evtchn-peers", NULL},
    {"bulkhead,passthrough", "pass-through devices"},
};

static const struct bhd_prop_rule kernel_rules[] = {
    {"compatible", NULL}, {"phandle", NULL}, {"linux,phandle", NULL}, {"bulkhead,path", NULL},
    {"bootargs", NULL},   {"reg", NULL},
};

/* Child nodes recognised by compatible, and what the reserved ones configure. */
struct node_rule {
    const char *compatible;
    const char *reserved;
};

#define PART_CHILD_RAMDISK 1u /* index of multiboot,ramdisk below */
static const struct node_rule part_children[] = {
    {"multiboot,kernel", NULL},
    {"multiboot,ramdisk", NULL},
    {"multiboot,device-tree", "partial device trees (pass-through)"},
    {"xen,evtchn-v1", NULL},
    {"xen,domain-shared-memory-v1", NULL},
    {"bulkhead,passthrough", NULL},
};
#define PART_CHILD_EVTCHN 3u /* first of the two read by bhlink.c */
#define PART_CHILD_PASSTHRU 5u /* index of bulkhead,passthrough above */

static const struct node_rule chosen_children[] = {
    {"xen,domain", NULL},
};

/* Index of the first rule whose compatible the node lists; n if none. */
static size_t classify(const void *fdt, int node, const struct node_rule *rules, size_t n)
{
    int len = 0;
    const void *compat = fdt_getprop(fdt, node, "compatible", &len);
    size_t k = 0;
    while (compat != NULL && k < n && fdt_stringlist_contains(compat, len, rules[k].compatible) == 0) {
        k++;
    }
    return compat == NULL ? n : k;
}

static int parse_kernel(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(p->kernel, sizeof(p->kernel), "%s", c->path);
    c->xen = BHD_XEN_MODULE;
    int bad = bhd_check_props(c, node, kernel_rules, sizeof(kernel_rules) / sizeof(kernel_rules[0]));
    c->xen = BHD_XEN_NONE;
    int reg = bhd_module_reg(c, node, p->kernel_reg);
    p->kernel_has_reg = reg == 1; /* the file comes from --module (bhbuild.c) */
    int path = bhd_prop_str(c, node, "bulkhead,path", p->image, sizeof(p->image));
    if (reg != 0 && path != 0) {
        bhd_err(c->d, c->path, "reg", "and bulkhead,path: name the image by one of them");
        bad = -1;
    } else if (reg == 0) {
        bad |= bhd_required(c, path, "bulkhead,path", "the partition's AArch64 Image file");
    }
    bad |= reg < 0 ? -1 : 0;
    int rc = bhd_prop_str(c, node, "bootargs", p->bootargs, sizeof(p->bootargs));
    p->has_bootargs = rc == 1;
    pd->bootargs = rc == 1 ? p->bootargs : NULL;
    int sub, count = 0;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        if (++count > (int)MAX_ITEMS) {
            break;
        }
        char sp[BHD_PATH_LEN];
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        bhd_err(c->d, sp, NULL, "unknown node (a module has no child nodes)");
        bad = -1;
    }
    return rc < 0 ? -1 : bad;
}

static const struct bhd_prop_rule ramdisk_rules[] = {
    {"compatible", NULL}, {"phandle", NULL}, {"linux,phandle", NULL}, {"bulkhead,path", NULL},
    {"reg", NULL},
};

/* Implements: LLR-TOOL-050 (a ramdisk module: bulkhead,path required unless
 * it is named by reg, LLR-TOOL-080; no children). */
static int parse_ramdisk(struct bhd_ctx *c, int node, struct bhd_part *p)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(p->ramdisk_node, sizeof(p->ramdisk_node), "%s", c->path);
    c->xen = BHD_XEN_MODULE;
    int bad = bhd_check_props(c, node, ramdisk_rules, sizeof(ramdisk_rules) / sizeof(ramdisk_rules[0]));
    c->xen = BHD_XEN_NONE;
    int reg = bhd_module_reg(c, node, p->ramdisk_reg);
    p->ramdisk_has_reg = reg == 1;
    int path = bhd_prop_str(c, node, "bulkhead,path", p->ramdisk, sizeof(p->ramdisk));
    if (reg != 0 && path != 0) {
        bhd_err(c->d, c->path, "reg", "and bulkhead,path: name the ramdisk by one of them");
        bad = -1;
    } else if (reg == 0) {
        bad |= bhd_required(c, path, "bulkhead,path", "the partition's initial ramdisk file");
    }
    bad |= reg < 0 ? -1 : 0;
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        char sp[BHD_PATH_LEN];
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        bhd_err(c->d, sp, NULL, "unknown node (a module has no child nodes)");
        bad = -1;
        break;
    }
    return bad;
}

/* Children of a partition: exactly one kernel module, at most one ramdisk,
 * reserved kinds refused. */
static int parse_part_children(struct bhd_ctx *c, int node, struct bhd_part *p,
                               struct sys_part_desc *pd)
{
    const size_t n = sizeof(part_children) / sizeof(part_children[0]);
    int bad = 0, sub, count = 0, kernels = 0, ramdisks = 0;
    char sp[BHD_PATH_LEN];
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        const char *name = fdt_get_name(c->fdt, sub, NULL);
        if (++count > (int)MAX_ITEMS) {
            break;
        }
        size_t k = classify(c->fdt, sub, part_children, n);
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        if (name != NULL && strcmp(name, "health-monitor") == 0) {
            bad |= bhd_parse_hm(c, sub, p, pd);
        } else if (k == n) {
            bhd_err(c->d, sp, NULL, "unknown node (no compatible Bulkhead reads)");
            bad = -1;
        } else if (part_children[k].reserved != NULL) {
            bhd_err(c->d, sp, NULL, "%s: not supported by blob version %u %s",
                    part_children[k].reserved, BH_CFG_VERSION, reserved_msg);
            bad = -1;
        } else if (k == PART_CHILD_PASSTHRU) {
            bad |= bhd_parse_passthru(c, sub, p, pd);
        } else if (k >= PART_CHILD_EVTCHN) {
            if (p->num_links >= BHD_MAX_LINKS) {
                bhd_err(c->d, sp, NULL, "more than %u channel and shared-memory nodes",
                        BHD_MAX_LINKS);
                bad = -1;
            } else {
                p->link_nodes[p->num_links++] = sub;
            }
        } else if (k == PART_CHILD_RAMDISK) {
            if (++ramdisks > 1) {
                bhd_err(c->d, sp, NULL, "second ramdisk module; a partition has at most one");
                bad = -1;
            } else {
                bad |= parse_ramdisk(c, sub, p);
            }
        } else if (++kernels > 1) {
            bhd_err(c->d, sp, NULL, "second kernel module; a partition has exactly one");
            bad = -1;
        } else {
            bad |= parse_kernel(c, sub, p, pd);
        }
    }
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    if (kernels == 0) {
        bhd_err(c->d, c->path, NULL,
                "missing kernel module (child node with compatible \"multiboot,kernel\")");
        bad = -1;
    }
    return bad;
}

static int name_ok(const char *name, size_t len)
{
    if (len == 0 || len >= BH_CFG_NAME_LEN) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-')) {
            return 0;
        }
    }
    return 1;
}

/* memory (KiB), cpus and bulkhead,cpus of a partition. */
static int parse_sizes(const struct bhd_ctx *c, int node, struct bhd_part *p,
                       struct sys_part_desc *pd)
{
    uint64_t kib = 0;
    int bad = bhd_required(c, bhd_prop_u64(c, node, "memory", &kib), "memory", "RAM in KiB, <0 N>");
    if (kib > (UINT64_MAX >> 10)) {
        bhd_err(c->d, c->path, "memory", "0x%llx KiB does not fit in 64 bits of bytes",
                (unsigned long long)kib);
        bad = -1;
    }
    pd->ram_size = kib << 10;
    uint32_t n = 0;
    bad |= bhd_required(c, bhd_prop_u32(c, node, "cpus", &n), "cpus", "number of vCPUs");
    if (bad == 0 && (n < 1u || n > BH_CFG_MAX_VCPUS)) {
        bhd_err(c->d, c->path, "cpus", "%u vCPUs, must be 1..%u", n, BH_CFG_MAX_VCPUS);
        return -1;
    }
    pd->num_vcpus = n;
    int len = 0;
    const uint8_t *pin = bhd_prop_get(c, node, "bulkhead,cpus", &len);
    p->auto_cpus = pin == NULL; /* pinned by bhp_pin */
    if (pin != NULL && bad == 0 && len != (int)(4u * n)) {
        bhd_err(c->d, c->path, "bulkhead,cpus", "%d cells for %u vCPUs (cpus), need one per vCPU",
                len / 4, n);
        return -1;
    }
    for (uint32_t v = 0; bad == 0 && pin != NULL && v < n; v++) {
        pd->cpus[v] = bhd_be32(pin + 4u * v);
    }
    return bad;
}

/* Implements: LLR-TOOL-024 (a xen,domain node: name, memory, vCPUs and their
 * pinning, placement, vpl011, one kernel module). */
static int parse_part(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd)
{
    int len = 0;
    const char *full = fdt_get_name(c->fdt, node, &len);
    size_t nlen = strcspn(full != NULL ? full : "", "@");
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(p->node, sizeof(p->node), "%s", c->path);
    p->offset = node;
    int bad = 0;
    if (full == NULL || !name_ok(full, nlen)) {
        bhd_err(c->d, c->path, NULL, "partition name must be 1..%u characters of [A-Za-z0-9_-]",
                BH_CFG_NAME_LEN - 1u);
        bad = -1;
    } else {
        memcpy(p->name, full, nlen);
        p->name[nlen] = '\0';
    }
    pd->name = p->name;
    c->xen = BHD_XEN_DOMAIN;
    bad |= bhd_check_props(c, node, part_rules, sizeof(part_rules) / sizeof(part_rules[0]));
    c->xen = BHD_XEN_NONE;
    bad |= parse_sizes(c, node, p, pd);
    int rc = bhd_prop_u64(c, node, "bulkhead,ram-pa", &pd->ram_pa);
    p->auto_ram = rc == 0; /* placed by bhp_place_ram */
    bad |= rc < 0 ? -1 : 0;
    pd->ram_gpa = BHD_DEFAULT_RAM_GPA;
    bad |= bhd_prop_u64(c, node, "bulkhead,ram-gpa", &pd->ram_gpa) < 0 ? -1 : 0;
    const uint8_t *vpl = bhd_prop_get(c, node, "vpl011", &len);
    bad |= bhd_required(c, vpl != NULL, "vpl011", "blob version 2 gives every partition the PL011");
    if (vpl != NULL && len != 0) {
        bhd_err(c->d, c->path, "vpl011", "must be empty (a flag)");
        bad = -1;
    }
    bad |= bhd_parse_part_v2(c, node, pd);
    const uint8_t *noxen = bhd_prop_get(c, node, "bulkhead,no-hypervisor-node", &len);
    if (noxen != NULL && len != 0) {
        bhd_err(c->d, c->path, "bulkhead,no-hypervisor-node", "must be empty (a flag)");
        bad = -1;
    }
    pd->no_xen_node = noxen != NULL;
    const uint8_t *unconf = bhd_prop_get(c, node, "bulkhead,dma-unconfined", &len);
    if (unconf != NULL && len != 0) {
        bhd_err(c->d, c->path, "bulkhead,dma-unconfined", "must be empty (a flag)");
        bad = -1;
    }
    pd->dma_unconfined = unconf != NULL;
    bad |= parse_part_children(c, node, p, pd);
    pd->program = p->image;
    p->bad = bad != 0;
    return bad;
}

/* -------------------------------------------------------- root, chosen --- */

static const struct bhd_prop_rule root_rules[] = {
    {"compatible", NULL}, {"model", NULL}, {"#address-cells", NULL}, {"#size-cells", NULL}};

static const struct bhd_prop_rule chosen_rules[] = {
    {"#address-cells", NULL},    {"#size-cells", NULL},        {"bulkhead,num-cpus", NULL},
    {"bulkhead,slice-us", NULL}, {"bulkhead,hypervisor", NULL}, {"bulkhead,module-hm-action", NULL},
};

static void parse_chosen_props(struct bhd_ctx *c, int chosen, struct bhd_system *s)
{
    c->xen = BHD_XEN_CHOSEN;
    bhd_check_props(c, chosen, chosen_rules, sizeof(chosen_rules) / sizeof(chosen_rules[0]));
    c->xen = BHD_XEN_NONE;
    s->sys.num_cpus = PLAT_NUM_CPUS;
    s->sys.slice_us = BHD_DEFAULT_SLICE_US;
    bhd_num_cpus(c, chosen, s);
    bhd_prop_u32(c, chosen, "bulkhead,slice-us", &s->sys.slice_us);
    snprintf(s->hyp, sizeof(s->hyp), "%s", BHD_DEFAULT_HYP);
    bhd_prop_str(c, chosen, "bulkhead,hypervisor", s->hyp, sizeof(s->hyp));
    bhd_parse_module_hm(c, chosen, s);
}

/* A partition that declares no window in a schedule it has one in. */
static void check_no_window(struct bhd_system *s, struct bhd_diag *d)
{
    for (uint32_t i = 0; i < s->sys.num_parts; i++) {
        for (uint32_t k = 0; k < s->sys.num_scheds; k++) {
            const struct bh_cfg_sched *sc = &s->sys.scheds[k];
            uint32_t has = 0;
            for (uint32_t w = 0; w < sc->num_windows && w < BH_CFG_MAX_WINDOWS; w++) {
                has |= sc->windows[w].part == i ? 1u : 0u;
            }
            if (has != 0u && ((s->sys.parts[i].no_window_mask >> k) & 1u) != 0u) {
                bhd_err(d, s->parts[i].node, "bulkhead,no-window-in",
                        "declares no window in schedule %u, but %s has one there", k,
                        s->sched_node[k]);
            }
        }
    }
}

/* Implements: LLR-TOOL-025 (/chosen: system properties, 1..8 partitions,
 * the schedules, anything else an error).
 * Implements: LLR-TOOL-078 (a kernel module directly in /chosen is refused
 * as a dom0 kernel). */
static void parse_chosen(struct bhd_ctx *c, int chosen, struct bhd_system *s)
{
    const size_t n = sizeof(chosen_children) / sizeof(chosen_children[0]);
    parse_chosen_props(c, chosen, s);
    int sub, count = 0, scheds = -1;
    char sp[BHD_PATH_LEN];
    fdt_for_each_subnode(sub, c->fdt, chosen)
    {
        const char *name = fdt_get_name(c->fdt, sub, NULL);
        if (++count > (int)MAX_ITEMS) {
            break;
        }
        size_t k = classify(c->fdt, sub, chosen_children, n);
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        if (name != NULL && strcmp(name, "schedules") == 0) {
            scheds = sub; /* read once every partition is known */
        } else if (k == n && classify(c->fdt, sub, part_children, 1) == 0) {
            bhd_err(c->d, sp, NULL,
                    "a dom0 kernel module: Bulkhead has no dom0, every partition is a node "
                    "with compatible \"xen,domain\"");
        } else if (k == n) {
            bhd_err(c->d, sp, NULL,
                    "unknown node (a partition has compatible \"xen,domain\"; schedules go "
                    "in /chosen/schedules)");
        } else if (s->sys.num_parts >= BH_CFG_MAX_PARTS) {
            bhd_err(c->d, sp, NULL, "partition beyond the %u a system may have", BH_CFG_MAX_PARTS);
        } else {
            uint32_t i = s->sys.num_parts++;
            parse_part(c, sub, &s->parts[i], &s->sys.parts[i]);
        }
    }
    if (s->sys.num_parts == 0) {
        bhd_err(c->d, "/chosen", NULL, "no partition (node with compatible \"xen,domain\")");
    }
    bhd_parse_links(c, chosen, s);
    bhp_pin(s);
    if (scheds >= 0) {
        bhd_parse_schedules(c, scheds, s);
        check_no_window(s, c->d);
    }
}

/* Implements: LLR-TOOL-022 (any bytes: the tree is checked whole before it
 * is read; the system is read from /chosen, other root nodes are the host's:
 * bhd_host_node). */
unsigned bhd_parse(const void *fdt, size_t size, struct bhd_system *s, struct bhd_diag *d)
{
    unsigned before = d->errors;
    struct bhd_ctx c = {fdt, d, "/", s, BHD_XEN_NONE};
    memset(s, 0, sizeof(*s));
    s->host_cpus = -1;
    int rc = bhi_fdt_check(fdt, size);
    if (rc != 0) {
        bhd_err(d, "/", NULL, "not a valid flattened device tree: %s", fdt_strerror(rc));
        return d->errors - before;
    }
    c.xen = BHD_XEN_ROOT;
    bhd_check_props(&c, 0, root_rules, sizeof(root_rules) / sizeof(root_rules[0]));
    c.xen = BHD_XEN_NONE;
    int sub, count = 0, chosen = -1;
    fdt_for_each_subnode(sub, fdt, 0)
    {
        const char *name = fdt_get_name(fdt, sub, NULL);
        if (++count > (int)MAX_ITEMS || name == NULL) {
            break;
        }
        if (strcmp(name, "chosen") == 0) {
            chosen = sub;
        } else {
            bhd_host_node(&c, sub, s);
        }
    }
    if (chosen < 0) {
        bhd_err(d, "/", NULL, "no /chosen node");
    } else {
        snprintf(c.path, sizeof(c.path), "/chosen");
        parse_chosen(&c, chosen, s);
    }
    bhd_emit_notes(s, d);
    return d->errors - before;
}
