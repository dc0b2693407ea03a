/*
 * bhbuild: from a system's device-tree source to a checked, packed image.
 * Runs the front end (bhdts), finds and checks every file the system names,
 * builds the configuration blob with bhimage, packs it behind the hypervisor
 * and runs the hypervisor's own boot check (cfg_validate) on the result,
 * reporting its errors against the source's node paths and properties.
 */
#ifndef BH_TOOLS_BHBUILD_H
#define BH_TOOLS_BHBUILD_H

#include "bhdts.h"

#define BHB_MAX_SEARCH 8u
#define BHB_MAX_MODULES 32u

/* --module ADDR=FILE: the file a module whose reg starts at ADDR is
 * loaded from (Xen dom0less modules are named by address). */
struct bhb_module {
    uint64_t addr;
    const char *file;
};

/* Exit codes of the bulkhead command (docs/configuration.md). */
#define BHB_OK 0
#define BHB_CONFIG 1
#define BHB_USAGE 2
#define BHB_IO 3

struct bhb_opts {
    const char *src;                      /* the system's .dts (or .dtb) */
    const char *search[BHB_MAX_SEARCH];   /* -I directories, after the source's own */
    unsigned num_search;
    const char *hyp;                      /* --hyp, overrides bulkhead,hypervisor */
    const char *corrupt;                  /* hidden --corrupt KIND (boot-check tests) */
    struct bhb_module modules[BHB_MAX_MODULES];
    unsigned num_modules;
};

struct bhb_result {
    char name[64];          /* system name: the source file's base name */
    struct bhd_system s;
    struct bhi_blob blob;   /* the configuration blob */
    struct bhi_buf image;   /* hypervisor + blob; empty without a hypervisor */
    uint64_t blob_off;      /* offset of the blob in image */
    unsigned char module_used[BHB_MAX_MODULES]; /* --module matched a reg */
};

/*
 * Build and check the system of o. Every error goes to d (all of them, one
 * run). Returns BHB_OK, BHB_CONFIG or BHB_IO. With o->corrupt the blob is
 * broken on purpose and BHB_OK means the boot check rejected it, as meant.
 * Implements: LLR-TOOL-026 .. LLR-TOOL-028.
 */
int bhb_build(const struct bhb_opts *o, struct bhb_result *r, struct bhd_diag *d);

void bhb_free(struct bhb_result *r);

/* Find file name as written in the source: absolute, else in the source's
 * directory, else in each search directory. Returns 0 and the path in out.
 * Implements: LLR-TOOL-026. */
int bhb_resolve(const struct bhb_opts *o, const char *name, char *out, size_t len);

#endif
