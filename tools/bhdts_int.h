/*
 * Inside the device-tree front end: the property readers bhdts.c and
 * bhsched.c share. Not part of the toolstack's interface (see bhdts.h).
 */
#ifndef BH_TOOLS_BHDTS_INT_H
#define BH_TOOLS_BHDTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "bhdts.h"

#define BHD_MAX_ITEMS 4096u /* properties or subnodes looked at per node */

/* Which node of a Xen dom0less tree is being read, for the Xen-only and
 * host properties accepted there with a note (tools/bhxen.c). */
enum bhd_xen_kind { BHD_XEN_NONE, BHD_XEN_ROOT, BHD_XEN_CHOSEN, BHD_XEN_DOMAIN, BHD_XEN_MODULE };

struct bhd_ctx {
    const void *fdt;
    struct bhd_diag *d;
    char path[BHD_PATH_LEN]; /* the node being read, for messages */
    struct bhd_system *s;    /* where notes are gathered */
    enum bhd_xen_kind xen;   /* set around bhd_check_props of a Xen node */
};

/* The properties a node may have: each name is known, reserved or an error. */
struct bhd_prop_rule {
    const char *name;
    const char *reserved; /* NULL: accepted; else what it configures */
};

void bhd_node_path(const void *fdt, int node, char *buf, size_t len);
uint32_t bhd_be32(const uint8_t *v);

/* A property's bytes; NULL (and *len 0) when absent. */
const uint8_t *bhd_prop_get(const struct bhd_ctx *c, int node, const char *name, int *len);

/* 1 present and well formed, 0 absent, -1 malformed (reported against c->path). */
int bhd_prop_u32(const struct bhd_ctx *c, int node, const char *name, uint32_t *out);
int bhd_prop_u64(const struct bhd_ctx *c, int node, const char *name, uint64_t *out);
int bhd_prop_str(const struct bhd_ctx *c, int node, const char *name, char *out, size_t len);

/* 0 when rc says present; else -1, reporting a missing property. */
int bhd_required(const struct bhd_ctx *c, int rc, const char *name, const char *what);

/* Every property of node is in rules and not reserved; -1 (reported) if not. */
int bhd_check_props(const struct bhd_ctx *c, int node, const struct bhd_prop_rule *rules, size_t n);

/* ------------------------------------- blob version 2 bindings (bhsched.c) --- */

/* Partition properties bulkhead,system, bulkhead,hcall-hm, bulkhead,period-us,
 * bulkhead,no-window-in and bulkhead,restart-limit. Implements: LLR-TOOL-034. */
int bhd_parse_part_v2(const struct bhd_ctx *c, int node, struct sys_part_desc *pd);

/* A partition's health-monitor node into pd->hm_action. Implements: LLR-TOOL-035. */
int bhd_parse_hm(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd);

/* /chosen/bulkhead,module-hm-action. Implements: LLR-TOOL-035. */
void bhd_parse_module_hm(const struct bhd_ctx *c, int chosen, struct bhd_system *s);

/* /chosen/schedules, after every partition is read (windows name them by
 * phandle). Implements: LLR-TOOL-036, LLR-TOOL-037. */
void bhd_parse_schedules(struct bhd_ctx *c, int node, struct bhd_system *s);

/* ------------------------- static channels and shared memory (bhlink.c) --- */

/* After every partition is read: pair the xen,evtchn-v1 nodes into
 * s->sys.channels, merge the xen,domain-shared-memory-v1 nodes by xen,shm-id
 * into s->sys.shms, and read each partition's bulkhead,evtchn-peers.
 * Implements: LLR-TOOL-060, LLR-TOOL-061, LLR-TOOL-062. */
void bhd_parse_links(struct bhd_ctx *c, int chosen, struct bhd_system *s);

/* ------------------------------------------- pass-through (bhpt.c) --- */

/* A partition's bulkhead,passthrough node into pd->dev. Implements: LLR-PT-022. */
int bhd_parse_passthru(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd);

/* ----------------------------------------- Xen dom0less trees (bhxen.c) --- */

/* An unknown property name of the node c->xen says: 1 accepted (noted once
 * per name in c->s), -1 refused with its reason, 0 unknown (the caller
 * reports it). Implements: LLR-TOOL-071, LLR-TOOL-072. */
int bhd_xen_prop(const struct bhd_ctx *c, const char *name);

/* A root node other than /chosen: counted; /memory checked against the
 * platform's RAM, the cpu nodes of /cpus counted into s->host_cpus and
 * checked against the platform. Implements: LLR-TOOL-070, LLR-TOOL-073. */
void bhd_host_node(struct bhd_ctx *c, int node, struct bhd_system *s);

/* /chosen/bulkhead,num-cpus: read, or defaulted (with a note) from /cpus,
 * else the platform; checked against /cpus. Implements: LLR-TOOL-073. */
void bhd_num_cpus(struct bhd_ctx *c, int chosen, struct bhd_system *s);

/* The notes gathered while reading: one line for the host nodes, one per
 * distinct property name. Implements: LLR-TOOL-070, LLR-TOOL-071. */
void bhd_emit_notes(const struct bhd_system *s, struct bhd_diag *d);

/* A module's reg (Xen dom0less: where the boot loader put the file), in the
 * cells of its partition node; 1 read into reg[0] (address), reg[1] (size),
 * 0 absent, -1 malformed (reported). Implements: LLR-TOOL-080. */
int bhd_module_reg(const struct bhd_ctx *c, int node, uint64_t reg[2]);

#endif
