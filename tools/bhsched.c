/*
 * bhsched: the blob version 2 bindings of the device-tree front end (see
 * bhdts_int.h and docs/configuration.md): ARINC 653 schedules, health-monitor
 * tables, the system partition and the module-level action. Only what the
 * hypervisor's boot check cannot see is checked here (types, names, phandles,
 * values that would not fit the blob's fields); the rest is left to
 * cfg_validate, whose errors bhbuild maps back to these nodes.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "bhdts_int.h"

static const char *const hm_errors[] = {
    "stage2-violation",  "undefined-instruction", "unexpected-mode",
    "illegal-hypercall", "reported-error",        "crash", "shutdown",
    "dma-fault",
};
#define NUM_HM_ERRORS (sizeof(hm_errors) / sizeof(hm_errors[0]))

static const char *const hm_actions[] = {"idle", "ignore", "warm-restart", "cold-restart"};
#define NUM_HM_ACTIONS (sizeof(hm_actions) / sizeof(hm_actions[0]))

static const char *const module_actions[] = {"halt", "reset"};

_Static_assert(NUM_HM_ERRORS <= BH_CFG_HM_ERRORS, "health-monitor table size");
_Static_assert(NUM_HM_ACTIONS == BH_CFG_HM_ACTIONS, "health-monitor actions");

/* Index of s in names[n]; n if absent. */
static size_t lookup(const char *const *names, size_t n, const char *s)
{
    size_t k = 0;
    while (k < n && strcmp(names[k], s) != 0) {
        k++;
    }
    return k;
}

/* 0 absent, 1 present and empty, -1 present with a value (reported). */
static int prop_flag(const struct bhd_ctx *c, int node, const char *name)
{
    int len = 0;
    if (fdt_getprop(c->fdt, node, name, &len) == NULL) {
        return 0;
    }
    if (len != 0) {
        bhd_err(c->d, c->path, name, "must be empty (a flag)");
        return -1;
    }
    return 1;
}

/* ------------------------------------------------------- partitions --- */

static int parse_no_window(const struct bhd_ctx *c, int node, struct sys_part_desc *pd)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, "bulkhead,no-window-in", &len);
    if (v == NULL) {
        return 0;
    }
    if (len == 0 || len % 4 != 0) {
        bhd_err(c->d, c->path, "bulkhead,no-window-in",
                "expected one or more 32-bit cells <S ...> (schedule indices)");
        return -1;
    }
    int bad = 0;
    for (int k = 0; k < len / 4; k++) {
        uint32_t sched = bhd_be32(v + 4 * k);
        if (sched >= BH_CFG_MAX_SCHEDS) {
            bhd_err(c->d, c->path, "bulkhead,no-window-in",
                    "schedule %u beyond the %u a system may have", sched, BH_CFG_MAX_SCHEDS);
            bad = -1;
        } else {
            pd->no_window_mask |= 1u << sched;
        }
    }
    return bad;
}

/* bulkhead,evtchn-ports: absent is the default (left 0 for bhimage). */
static int parse_evtchn_ports(const struct bhd_ctx *c, int node, struct sys_part_desc *pd)
{
    int rc = bhd_prop_u32(c, node, "bulkhead,evtchn-ports", &pd->evtchn_ports);
    uint32_t n = pd->evtchn_ports;
    if (rc == 1 && (n < BH_CFG_MIN_EVTCHN_PORTS || n > BH_CFG_MAX_EVTCHN_PORTS ||
                    (n & (n - 1u)) != 0u)) {
        bhd_err(c->d, c->path, "bulkhead,evtchn-ports", "%u is not a power of two in %u..%u", n,
                BH_CFG_MIN_EVTCHN_PORTS, BH_CFG_MAX_EVTCHN_PORTS);
        rc = -1;
    }
    return rc < 0 ? -1 : 0;
}

/* Implements: LLR-TOOL-034 (system-partition and hypercall flags, period,
 * schedules without a window, restart limit), LLR-TOOL-065 (port limit). */
int bhd_parse_part_v2(const struct bhd_ctx *c, int node, struct sys_part_desc *pd)
{
    int sys = prop_flag(c, node, "bulkhead,system");
    int hcall = prop_flag(c, node, "bulkhead,hcall-hm");
    pd->flags = (sys == 1 ? BH_CFG_PART_F_SYSTEM : 0u) | (hcall == 1 ? BH_CFG_PART_F_HM_HCALL : 0u);
    int bad = (sys < 0 || hcall < 0) ? -1 : 0;
    int rc = bhd_prop_u32(c, node, "bulkhead,period-us", &pd->period_us);
    if (rc == 1 && pd->period_us == 0u) {
        bhd_err(c->d, c->path, "bulkhead,period-us", "0 us; leave it out to declare no period");
        rc = -1;
    }
    bad |= rc < 0 ? -1 : 0;
    bad |= bhd_prop_u32(c, node, "bulkhead,restart-limit", &pd->restart_limit) < 0 ? -1 : 0;
    bad |= parse_evtchn_ports(c, node, pd);
    return bad | parse_no_window(c, node, pd);
}

/* Implements: LLR-TOOL-035 (health-monitor entries name a known error and a
 * known action; missing entries are idle). */
int bhd_parse_hm(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(p->hm, sizeof(p->hm), "%s", c->path);
    int bad = 0, off, count = 0;
    fdt_for_each_property_offset(off, c->fdt, node)
    {
        const char *name = NULL;
        int len = 0;
        if (++count > (int)BHD_MAX_ITEMS ||
            fdt_getprop_by_offset(c->fdt, off, &name, &len) == NULL) {
            break;
        }
        size_t e = lookup(hm_errors, NUM_HM_ERRORS, name);
        char action[32];
        if (strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0) {
            continue;
        } else if (e == NUM_HM_ERRORS) {
            bhd_err(c->d, c->path, name,
                    "unknown health-monitor entry (stage2-violation, undefined-instruction, "
                    "unexpected-mode, illegal-hypercall, reported-error, crash or shutdown)");
            bad = -1;
        } else if (bhd_prop_str(c, node, name, action, sizeof(action)) != 1) {
            bad = -1;
        } else if (lookup(hm_actions, NUM_HM_ACTIONS, action) == NUM_HM_ACTIONS) {
            bhd_err(c->d, c->path, name,
                    "\"%s\" is not an action (idle, ignore, warm-restart or cold-restart)", action);
            bad = -1;
        } else if (strcmp(name, "shutdown") == 0 && strcmp(action, "ignore") == 0) {
            bhd_err(c->d, c->path, name,
                    "\"ignore\" is not an action for shutdown (a partition that powered off "
                    "cannot carry on: idle, warm-restart or cold-restart)");
            bad = -1;
        } else {
            pd->hm_action[e] = (uint8_t)lookup(hm_actions, NUM_HM_ACTIONS, action);
        }
    }
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        char sp[BHD_PATH_LEN];
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        bhd_err(c->d, sp, NULL, "unknown node (a health-monitor table has no child nodes)");
        bad = -1;
        break;
    }
    return bad;
}

/* Implements: LLR-TOOL-035 (the module-level action is "halt" or "reset"). */
void bhd_parse_module_hm(const struct bhd_ctx *c, int chosen, struct bhd_system *s)
{
    char action[16];
    s->sys.module_hm_action = BH_CFG_MODULE_HALT;
    if (bhd_prop_str(c, chosen, "bulkhead,module-hm-action", action, sizeof(action)) != 1) {
        return;
    }
    size_t k = lookup(module_actions, 2, action);
    if (k == 2) {
        bhd_err(c->d, c->path, "bulkhead,module-hm-action",
                "\"%s\" is neither \"halt\" nor \"reset\"", action);
    }
    s->sys.module_hm_action = k == 1 ? BH_CFG_MODULE_RESET : BH_CFG_MODULE_HALT;
}

/* -------------------------------------------------------- schedules --- */

static const struct bhd_prop_rule group_rules[] = {
    {"#address-cells", NULL}, {"#size-cells", NULL}, {"phandle", NULL}, {"linux,phandle", NULL}};

static const struct bhd_prop_rule sched_rules[] = {
    {"#address-cells", NULL},
    {"#size-cells", NULL},
    {"phandle", NULL},
    {"linux,phandle", NULL},
    {"bulkhead,major-frame-us", NULL},
};

static const struct bhd_prop_rule window_rules[] = {
    {"phandle", NULL},
    {"linux,phandle", NULL},
    {"bulkhead,cpu", NULL},
    {"bulkhead,partition", NULL},
    {"bulkhead,vcpu", NULL},
    {"bulkhead,offset-us", NULL},
    {"bulkhead,duration-us", NULL},
};

/* One window as written, before sorting. */
struct raw_window {
    struct bh_cfg_window w;
    char node[BHD_PATH_LEN];
};

/* Node name is base, or base@something; *unit points after the '@' ("" if none). */
static int named(const void *fdt, int node, const char *base, const char **unit)
{
    const char *name = fdt_get_name(fdt, node, NULL);
    size_t n = strlen(base);
    if (name == NULL || strncmp(name, base, n) != 0 || (name[n] != '\0' && name[n] != '@')) {
        return 0;
    }
    *unit = name[n] == '@' ? name + n + 1 : "";
    return 1;
}

/* A u32 that must fit an 8-bit field of the window. */
static int window_byte(const struct bhd_ctx *c, int node, const char *name, uint8_t *out, int need)
{
    uint32_t v = 0;
    int rc = bhd_prop_u32(c, node, name, &v);
    if (need && rc == 0) {
        return bhd_required(c, rc, name, "see docs/configuration.md");
    }
    if (rc == 1 && v > 255u) {
        bhd_err(c->d, c->path, name, "%u above 255", v);
        return -1;
    }
    *out = (uint8_t)v;
    return rc < 0 ? -1 : 0;
}

/* The partition a window names by phandle. */
static int window_part(const struct bhd_ctx *c, int node, const struct bhd_system *s, uint8_t *out)
{
    uint32_t ph = 0;
    int rc = bhd_prop_u32(c, node, "bulkhead,partition", &ph);
    if (rc != 1) {
        return bhd_required(c, rc, "bulkhead,partition", "<&label> of the partition node");
    }
    int target = fdt_node_offset_by_phandle(c->fdt, ph);
    for (uint32_t i = 0; target >= 0 && i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        if (s->parts[i].offset == target) {
            *out = (uint8_t)i;
            return 0;
        }
    }
    bhd_err(c->d, c->path, "bulkhead,partition",
            "phandle 0x%x names no partition (a node in /chosen with compatible \"xen,domain\")",
            ph);
    return -1;
}

/* Implements: LLR-TOOL-037 (a window: CPU, partition by phandle, vCPU,
 * offset and duration, each present, well formed and fitting the blob). */
static int parse_window(struct bhd_ctx *c, int node, const struct bhd_system *s,
                        struct raw_window *rw)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(rw->node, sizeof(rw->node), "%s", c->path);
    memset(&rw->w, 0, sizeof(rw->w));
    int bad =
        bhd_check_props(c, node, window_rules, sizeof(window_rules) / sizeof(window_rules[0]));
    bad |= window_byte(c, node, "bulkhead,cpu", &rw->w.cpu, 1);
    bad |= window_byte(c, node, "bulkhead,vcpu", &rw->w.vcpu, 0);
    bad |= window_part(c, node, s, &rw->w.part);
    bad |= bhd_required(c, bhd_prop_u32(c, node, "bulkhead,offset-us", &rw->w.offset_us),
                        "bulkhead,offset-us", "start in the major frame, us");
    bad |= bhd_required(c, bhd_prop_u32(c, node, "bulkhead,duration-us", &rw->w.duration_us),
                        "bulkhead,duration-us", "length, us");
    return bad;
}

/* Windows into blob order (CPU, then offset; stable), with their nodes. Two
 * windows starting together on one CPU cannot be ordered: reported here, as
 * the boot check would only see a list out of order. */
static void store_windows(struct bhd_system *s, uint32_t idx, struct raw_window *rw, uint32_t n,
                          struct bhd_diag *d)
{
    for (uint32_t k = 1; k < n; k++) {
        struct raw_window x = rw[k];
        uint32_t j = k;
        while (j > 0 && (rw[j - 1u].w.cpu > x.w.cpu ||
                         (rw[j - 1u].w.cpu == x.w.cpu && rw[j - 1u].w.offset_us > x.w.offset_us))) {
            rw[j] = rw[j - 1u];
            j--;
        }
        rw[j] = x;
    }
    for (uint32_t k = 1; k < n; k++) {
        if (rw[k].w.cpu == rw[k - 1u].w.cpu && rw[k].w.offset_us == rw[k - 1u].w.offset_us) {
            bhd_err(d, rw[k].node, "bulkhead,offset-us", "%u us on cpu %u, the start of %s too",
                    rw[k].w.offset_us, rw[k].w.cpu, rw[k - 1u].node);
        }
    }
    s->sys.scheds[idx].num_windows = n;
    for (uint32_t k = 0; k < n; k++) {
        s->sys.scheds[idx].windows[k] = rw[k].w;
        snprintf(s->win_node[idx][k], BHD_PATH_LEN, "%s", rw[k].node);
    }
}

/* Implements: LLR-TOOL-036 (a schedule: major frame and at most 32 windows). */
static void parse_schedule(struct bhd_ctx *c, int node, struct bhd_system *s, uint32_t idx)
{
    static struct raw_window rw[BH_CFG_MAX_WINDOWS];
    unsigned before = c->d->errors;
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(s->sched_node[idx], BHD_PATH_LEN, "%s", c->path);
    bhd_check_props(c, node, sched_rules, sizeof(sched_rules) / sizeof(sched_rules[0]));
    bhd_required(
        c, bhd_prop_u32(c, node, "bulkhead,major-frame-us", &s->sys.scheds[idx].major_frame_us),
        "bulkhead,major-frame-us", "length of the major frame, us");
    uint32_t n = 0;
    int sub, count = 0;
    const char *unit = NULL;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        char sp[BHD_PATH_LEN];
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        if (++count > (int)BHD_MAX_ITEMS) {
            break;
        } else if (!named(c->fdt, sub, "window", &unit)) {
            bhd_err(c->d, sp, NULL, "unknown node (a schedule holds window@N nodes)");
        } else if (n >= BH_CFG_MAX_WINDOWS) {
            bhd_err(c->d, sp, NULL, "window beyond the %u a schedule may have", BH_CFG_MAX_WINDOWS);
        } else {
            parse_window(c, sub, s, &rw[n++]);
        }
    }
    store_windows(s, idx, rw, n, c->d);
    s->sched_bad[idx] = c->d->errors != before;
}

/* The schedule index of a unit address: decimal, no leading zero; -1 if not. */
static long sched_index(const char *unit)
{
    size_t n = strlen(unit);
    if (n == 0 || n > 2 || strspn(unit, "0123456789") != n || (n > 1 && unit[0] == '0')) {
        return -1;
    }
    long v = strtol(unit, NULL, 10);
    return v < (long)BH_CFG_MAX_SCHEDS ? v : -1;
}

/* Implements: LLR-TOOL-036 (schedules are schedule@0 .. schedule@N-1 with no
 * gap; schedule 0 is the one that runs at boot). */
void bhd_parse_schedules(struct bhd_ctx *c, int node, struct bhd_system *s)
{
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    snprintf(s->scheds_node, sizeof(s->scheds_node), "%s", c->path);
    bhd_check_props(c, node, group_rules, sizeof(group_rules) / sizeof(group_rules[0]));
    int sub, count = 0;
    uint32_t num = 0;
    const char *unit = NULL;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        num += ++count <= (int)BHD_MAX_ITEMS && named(c->fdt, sub, "schedule", &unit) ? 1u : 0u;
    }
    s->sys.num_scheds = num < BH_CFG_MAX_SCHEDS ? num : BH_CFG_MAX_SCHEDS;
    for (uint32_t k = 0; k < BH_CFG_MAX_SCHEDS; k++) {
        s->sched_bad[k] = 1; /* until its node is read without error */
    }
    count = 0;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        char sp[BHD_PATH_LEN];
        bhd_node_path(c->fdt, sub, sp, sizeof(sp));
        long idx = named(c->fdt, sub, "schedule", &unit) ? sched_index(unit) : -2;
        if (++count > (int)BHD_MAX_ITEMS) {
            break;
        } else if (idx == -2) {
            bhd_err(c->d, sp, NULL, "unknown node (schedules holds schedule@0, schedule@1, ...)");
        } else if (idx < 0) {
            bhd_err(c->d, sp, NULL, "unit address \"%s\" is not a schedule index 0..%u in decimal",
                    unit, BH_CFG_MAX_SCHEDS - 1u);
        } else if ((uint32_t)idx >= num) {
            bhd_err(c->d, sp, NULL,
                    "schedule index %ld, but there are %u schedules: the unit addresses must be "
                    "0..%u without a gap",
                    idx, num, num - 1u);
        } else {
            parse_schedule(c, sub, s, (uint32_t)idx);
        }
    }
    if (num == 0) {
        bhd_err(c->d, s->scheds_node, NULL,
                "no schedule@0 (leave the node out to get the default schedule)");
    }
}
