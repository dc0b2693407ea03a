/*
 * bhdts: the device-tree front end of the bulkhead toolstack. A system is
 * written as device-tree source (docs/configuration.md); dtc compiles it and
 * this module reads the result with libfdt into a struct sys_desc plus the
 * file paths and source locations the later steps need.
 *
 * Every problem is reported through a struct bhd_diag as one line
 *   FILE:LINE: NODE: PROPERTY: MESSAGE
 * (LINE and PROPERTY left out where unknown or not applicable) and counted;
 * parsing goes on after an error so that one run reports all of them.
 */
#ifndef BH_TOOLS_BHDTS_H
#define BH_TOOLS_BHDTS_H

#include <stdio.h>

#include "bhimage.h"

#define BHD_PATH_LEN 256u  /* node paths and file paths */
#define BHD_ARGS_LEN 256u  /* bootargs, including the NUL */
#define BHD_DEFAULT_SLICE_US 10000u
#define BHD_DEFAULT_RAM_GPA 0x40000000ull
#define BHD_DEFAULT_HYP "hyp/bulkhead.bin"
#define BHD_MAX_LINKS 64u /* evtchn and shared-memory nodes per partition */

/* Where dtc says a node (prop "") or a property was written. */
struct bhd_loc {
    char node[BHD_PATH_LEN];
    char prop[64];
    char file[BHD_PATH_LEN]; /* "": the source itself (bhd_diag.src) */
    unsigned line;
};

struct bhd_diag {
    FILE *out;         /* NULL: count only */
    const char *src;   /* the source file, for messages without a line */
    struct bhd_loc *locs;
    unsigned num_locs;
    unsigned errors;
    unsigned notes; /* bhd_note lines: accepted, nothing wrong */
};

/* Report one error (node: a node path or a pseudo-node like "blob"; prop may
 * be NULL or ""). Implements: LLR-TOOL-020. */
__attribute__((format(printf, 4, 5))) void bhd_err(struct bhd_diag *d, const char *node,
                                                   const char *prop, const char *fmt, ...);

/* Report one note: something accepted and ignored or defaulted, not an
 * error (the same line form, "note: " before the message). Implements:
 * LLR-TOOL-070. */
__attribute__((format(printf, 4, 5))) void bhd_note(struct bhd_diag *d, const char *node,
                                                    const char *prop, const char *fmt, ...);

void bhd_diag_free(struct bhd_diag *d);

struct bhd_part {
    char name[BH_CFG_NAME_LEN];
    char node[BHD_PATH_LEN];   /* e.g. /chosen/alpha */
    char kernel[BHD_PATH_LEN]; /* its kernel module node, "" if none */
    char image[BHD_PATH_LEN];  /* bulkhead,path as written */
    char bootargs[BHD_ARGS_LEN];
    int has_bootargs;
    char ramdisk_node[BHD_PATH_LEN]; /* its ramdisk module node, "" if none */
    char ramdisk[BHD_PATH_LEN];      /* the ramdisk's bulkhead,path as written */
    int bad; /* front-end errors: not built into the blob */
    int offset;                /* node offset in the tree (phandle targets) */
    char hm[BHD_PATH_LEN];     /* its health-monitor node, "" if none */
    int link_nodes[BHD_MAX_LINKS]; /* its evtchn and shared-memory child nodes */
    unsigned num_links;
    char pt_node[BH_CFG_MAX_PASSTHRU][BHD_PATH_LEN]; /* its pass-through nodes */
    /* Xen dom0less modules named by reg (tools/bhxen.c): the address and
     * size the source gives; the file comes from --module ADDR=FILE. */
    int kernel_has_reg, ramdisk_has_reg;
    uint64_t kernel_reg[2], ramdisk_reg[2];
    /* Automatic placement (tools/bhplace.c): what the source left out. */
    int auto_ram, auto_cpus;
};

/* A Xen-only or host property accepted and ignored: one note per name. */
#define BHD_MAX_NOTES 32u
struct bhd_note {
    char name[64];
    char node[BHD_PATH_LEN]; /* where it was first seen */
    const char *why;
    unsigned count;
};

struct bhd_system {
    struct sys_desc sys;
    struct bhd_part parts[BH_CFG_MAX_PARTS];
    char hyp[BHD_PATH_LEN]; /* /chosen/bulkhead,hypervisor, default BHD_DEFAULT_HYP */
    /* Source nodes of the schedules, in blob order, so boot-check errors
     * ("scheds[s].windows[k]") are reported where they were written. */
    char scheds_node[BHD_PATH_LEN]; /* /chosen/schedules, "" if none */
    char sched_node[BH_CFG_MAX_SCHEDS][BHD_PATH_LEN];
    char win_node[BH_CFG_MAX_SCHEDS][BH_CFG_MAX_WINDOWS][BHD_PATH_LEN];
    int sched_bad[BH_CFG_MAX_SCHEDS]; /* front-end errors: boot-check ones not repeated */
    /* Static channels and shared memory (tools/bhlink.c): the nodes each
     * channel and region came from, for boot-check messages. */
    char chan_node[BH_CFG_MAX_CHANNELS][BHD_PATH_LEN];
    char shm_node[BH_CFG_MAX_SHMS][BHD_PATH_LEN];
    /* A Xen dom0less tree (tools/bhxen.c): host nodes outside /chosen and
     * Xen-only properties, noted and ignored; the host's CPU count. */
    struct bhd_note notes[BHD_MAX_NOTES];
    unsigned num_notes;
    unsigned host_nodes;
    int host_cpus;  /* cpu nodes of /cpus; -1: no /cpus node */
    int host_memory; /* a /memory node was checked */
    int has_num_cpus; /* /chosen/bulkhead,num-cpus written */
};

/*
 * Compile the source at path with dtc (env BULKHEAD_DTC, default "dtc")
 * into out and record source lines in d. A file that already is a flattened
 * device tree is taken as it is (no lines). Returns 0, 1 (dtc rejected the
 * source: its messages are on stderr) or 3 (I/O: unreadable, dtc missing).
 * Implements: LLR-TOOL-021.
 */
int bhd_compile(const char *path, struct bhi_buf *out, struct bhd_diag *d);

/*
 * Record in d the node and property locations given by the text of
 * `dtc -O dts -T` output: size bytes, any bytes, changed in place, with one
 * byte of room after them. Implements: LLR-TOOL-068.
 */
void bhd_annotate(char *text, size_t size, struct bhd_diag *d);

/*
 * Read the system out of a flattened device tree of size bytes (any bytes:
 * checked before use). Fills s (names point into s) and reports every
 * binding error, including the reserved bindings blob version 2 cannot
 * carry. Returns the number of errors reported.
 * Implements: LLR-TOOL-022 .. LLR-TOOL-025, LLR-TOOL-034 .. LLR-TOOL-037.
 */
unsigned bhd_parse(const void *fdt, size_t size, struct bhd_system *s, struct bhd_diag *d);

/* One warning line per pass-through device on out (NULL: none): without
 * an SMMU it can reach all physical memory by DMA. Implements: LLR-PT-023. */
void bhd_warn_passthru(const struct bhd_system *s, FILE *out);

#endif
