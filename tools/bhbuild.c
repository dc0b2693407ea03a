/*
 * bhbuild: source -> checked blob and packed image (see bhbuild.h).
 */
#include "bhbuild.h"

#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bhplace.h"
#include "platform.h"

void bhb_free(struct bhb_result *r)
{
    bhi_buf_free(&r->blob.buf);
    bhi_buf_free(&r->image);
}

static int try_path(const char *dir, const char *name, char *out, size_t len)
{
    int n = snprintf(out, len, "%s/%s", dir, name);
    return n > 0 && (size_t)n < len && access(out, R_OK) == 0 ? 0 : -1;
}

/* Implements: LLR-TOOL-026 (files named by the source are found in its own
 * directory, then in the -I directories, in order).
 * Implements: LLR-TOOL-069 (paths up to BHI_PATH_MAX, never cut). */
int bhb_resolve(const struct bhb_opts *o, const char *name, char *out, size_t len)
{
    if (name[0] == '/') {
        int n = snprintf(out, len, "%s", name);
        return n > 0 && (size_t)n < len && access(out, R_OK) == 0 ? 0 : -1;
    }
    char srcdir[BHI_PATH_MAX];
    snprintf(srcdir, sizeof(srcdir), "%s", o->src); /* bhb_build: shorter */
    if (try_path(dirname(srcdir), name, out, len) == 0) {
        return 0;
    }
    for (unsigned i = 0; i < o->num_search && i < BHB_MAX_SEARCH; i++) {
        if (try_path(o->search[i], name, out, len) == 0) {
            return 0;
        }
    }
    return -1;
}

static void not_found(const struct bhb_opts *o, struct bhd_diag *d, const char *node,
                      const char *prop, const char *name)
{
    char where[BHI_PATH_MAX + 512];
    char srcdir[BHI_PATH_MAX];
    snprintf(srcdir, sizeof(srcdir), "%s", o->src);
    int n = snprintf(where, sizeof(where), "%s", dirname(srcdir));
    for (unsigned i = 0; i < o->num_search && n > 0 && (size_t)n < sizeof(where); i++) {
        n += snprintf(where + n, sizeof(where) - (size_t)n, ", %s", o->search[i]);
    }
    bhd_err(d, node, prop, "file \"%s\" not found (looked in %s)", name, where);
}

/* A module file: its name in the source (bulkhead,path), or the --module
 * FILE its reg matched, as given (from the working directory) or found
 * like a source's file. */
struct module_src {
    const char *name;
    const char *node;
    const char *prop; /* "bulkhead,path" or "reg" */
    uint64_t reg_size; /* reg: the size the source gives */
};

/* Implements: LLR-TOOL-080 (a module named by reg is loaded from the
 * --module FILE given for its address; none given is an error naming the
 * option; a file larger than reg's size is an error). */
static int module_src(const struct bhb_opts *o, struct bhb_result *r, const char *node, int has_reg,
                      const uint64_t reg[2], const char *path_name, struct module_src *m,
                      struct bhd_diag *d)
{
    m->node = node;
    m->prop = has_reg ? "reg" : "bulkhead,path";
    m->name = path_name;
    m->reg_size = 0;
    if (!has_reg) {
        return 0;
    }
    for (unsigned k = 0; k < o->num_modules && k < BHB_MAX_MODULES; k++) {
        if (o->modules[k].addr == reg[0]) {
            r->module_used[k] = 1;
            m->name = o->modules[k].file;
            m->reg_size = reg[1];
            return 0;
        }
    }
    bhd_err(d, node, "reg",
            "module at 0x%llx: no file given for it (bulkhead loads it: give --module "
            "0x%llx=FILE, or name it with bulkhead,path)",
            (unsigned long long)reg[0], (unsigned long long)reg[0]);
    return -1;
}

static int read_module(const struct bhb_opts *o, const struct module_src *m, char *path,
                       size_t len, struct bhi_buf *buf, struct bhd_diag *d)
{
    struct bhi_status st;
    int given = m->reg_size != 0u || strcmp(m->prop, "reg") == 0;
    int n = given ? snprintf(path, len, "%s", m->name) : -1;
    if (!(n > 0 && (size_t)n < len && access(path, R_OK) == 0) &&
        bhb_resolve(o, m->name, path, len) != 0) {
        not_found(o, d, m->node, m->prop, m->name);
        return -1;
    }
    if (bhi_read_file(path, buf, &st) != 0) {
        bhd_err(d, m->node, m->prop, "%s", st.msg);
        return -1;
    }
    if (given && buf->size > m->reg_size) {
        bhd_err(d, m->node, "reg", "%s is 0x%zx bytes, more than reg's size 0x%llx", path,
                buf->size, (unsigned long long)m->reg_size);
        bhi_buf_free(buf);
        return -1;
    }
    return 0;
}

/* Read and check partition i's image (it exists, is an arm64 Image). */
static int load_image(const struct bhb_opts *o, struct bhb_result *r, struct bhd_part *p,
                      struct bhi_buf *img, struct bhd_diag *d)
{
    char path[BHI_PATH_MAX];
    struct bhi_status st;
    struct bhi_arm64_hdr h;
    struct module_src m;
    if (module_src(o, r, p->kernel, p->kernel_has_reg, p->kernel_reg, p->image, &m, d) != 0 ||
        read_module(o, &m, path, sizeof(path), img, d) != 0) {
        return -1;
    }
    if (bhi_arm64_parse(img->data, img->size, &h, &st) != 0) {
        bhd_err(d, p->kernel, m.prop, "%s: %s (an AArch64 Image is required)", path, st.msg);
        bhi_buf_free(img);
        return -1;
    }
    return 0;
}

/* Read partition i's ramdisk (it exists, is not empty). Implements: LLR-TOOL-050. */
static int load_ramdisk(const struct bhb_opts *o, struct bhb_result *r, struct bhd_part *p,
                        struct bhi_buf *rd, struct bhd_diag *d)
{
    char path[BHI_PATH_MAX];
    struct module_src m;
    if (module_src(o, r, p->ramdisk_node, p->ramdisk_has_reg, p->ramdisk_reg, p->ramdisk, &m, d) !=
            0 ||
        read_module(o, &m, path, sizeof(path), rd, d) != 0) {
        return -1;
    }
    if (rd->size == 0) {
        bhd_err(d, p->ramdisk_node, m.prop, "%s: empty ramdisk", path);
        bhi_buf_free(rd);
        return -1;
    }
    return 0;
}

/* Implements: LLR-TOOL-027 (blob of every partition without front-end
 * errors; the others stay zero and are reported already). */
static int build_blob(const struct bhb_opts *o, struct bhb_result *r, struct bhd_diag *d)
{
    struct bhd_system *s = &r->s;
    struct sys_desc header = s->sys;
    struct bhi_status st;
    for (uint32_t i = 0; i < header.num_parts; i++) {
        /* placeholders so the table check passes; bad entries are not added */
        header.parts[i].name = "x";
        header.parts[i].program = "x";
        header.parts[i].num_vcpus = 1;
    }
    if (bhi_blob_begin(&r->blob, &header, &st) != 0) {
        bhd_err(d, "/chosen", NULL, "%s", st.msg);
        return -1;
    }
    for (uint32_t i = 0; i < s->sys.num_parts; i++) {
        struct bhd_part *p = &s->parts[i];
        struct bhi_buf img = {NULL, 0}, rd = {NULL, 0};
        int has_rd = p->ramdisk[0] != '\0' || p->ramdisk_has_reg;
        if ((p->image[0] == '\0' && !p->kernel_has_reg) || load_image(o, r, p, &img, d) != 0 ||
            (has_rd && load_ramdisk(o, r, p, &rd, d) != 0)) {
            bhi_buf_free(&img);
            p->bad = 1;
            continue;
        }
        s->sys.parts[i].ramdisk = has_rd ? &rd : NULL;
        if (!p->bad && bhi_blob_add_part(&r->blob, i, &s->sys.parts[i], &img, &st) != 0) {
            bhd_err(d, p->node, NULL, "%s", st.msg);
            p->bad = 1;
        }
        s->sys.parts[i].ramdisk = NULL;
        bhi_buf_free(&img);
        bhi_buf_free(&rd);
    }
    return bhi_blob_end(&r->blob, &st);
}

/* Where a boot-check field of a partition was written. */
enum field_node { IN_PART, IN_KERNEL, IN_HM };

/* A boot-check field of a partition and the binding that sets it. */
struct field_map {
    const char *field; /* prefix after "parts[i]." */
    enum field_node where;
    const char *prop;  /* IN_HM: the entry, from the error index */
};

static const struct field_map part_fields[] = {
    {"name", 0, ""},
    {"ram_gpa", 0, "bulkhead,ram-gpa"},
    {"ram_pa", 0, "bulkhead,ram-pa"},
    {"ram_size", 0, "memory"},
    {"num_vcpus", 0, "cpus"},
    {"vcpu_cpu", 0, "bulkhead,cpus"},
    {"image", 1, "bulkhead,path"},
    {"entry", 1, "bulkhead,path"},
    {"flags", 0, "bulkhead,system"},
    {"period_us", 0, "bulkhead,period-us"},
    {"no_window_mask", 0, "bulkhead,no-window-in"},
    {"restart_limit", 0, "bulkhead,restart-limit"},
    {"evtchn_ports", 0, "bulkhead,evtchn-ports"},
    {"hm_action", IN_HM, ""},
};

/* health-monitor entries by enum hm_error (blob order) */
static const char *const hm_entries[] = {
    "stage2-violation",  "undefined-instruction", "unexpected-mode",
    "illegal-hypercall", "reported-error",        "crash", "shutdown",
};

static const struct field_map header_fields[] = {
    {"header.num_cpus", 0, "bulkhead,num-cpus"},
    {"header.slice_us", 0, "bulkhead,slice-us"},
    {"header.num_parts", 0, ""},
    {"header.module_hm_action", 0, "bulkhead,module-hm-action"},
};

/* The message with each "windows[k]" (blob order, which the source does not
 * show) replaced by the window node it came from. */
static void name_windows(const struct bhb_result *r, unsigned s, const char *msg, char *out,
                         size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    while (*msg != '\0' && used + 1u < len) {
        unsigned k = 0;
        int n = 0;
        if (sscanf(msg, "windows[%u]%n", &k, &n) == 1 && n > 0 && k < BH_CFG_MAX_WINDOWS) {
            const char *node = strrchr(r->s.win_node[s][k], '/');
            used += (size_t)snprintf(out + used, len - used, "%s", node != NULL ? node + 1 : "?");
            msg += n;
        } else {
            out[used++] = *msg++;
            out[used] = '\0';
        }
    }
}

/* Report a boot-check error of scheds[s] (and windows[k]) against the node
 * it was written in; errors of schedules or partitions the front end already
 * refused are not repeated. Implements: LLR-TOOL-038. */
static void map_sched_error(const struct bhb_result *r, const struct cfg_error *e, unsigned s,
                            const char *rest, struct bhd_diag *d)
{
    unsigned k = 0;
    if (s >= BH_CFG_MAX_SCHEDS || r->s.sched_bad[s]) {
        return;
    }
    if (sscanf(rest, ".windows[%u]", &k) == 1 && k < BH_CFG_MAX_WINDOWS &&
        k < r->s.sys.scheds[s].num_windows) {
        uint8_t part = r->s.sys.scheds[s].windows[k].part;
        if (part < BH_CFG_MAX_PARTS && r->s.parts[part].bad) {
            return;
        }
        char msg[CFG_MSG_LEN + BHD_PATH_LEN];
        name_windows(r, s, e->msg, msg, sizeof(msg));
        bhd_err(d, r->s.win_node[s][k], "", "%s (boot check %s)", msg, e->field);
        return;
    }
    bhd_err(d, r->s.sched_node[s], "", "%s (boot check %s)", e->msg, e->field);
}

/* The message with each "parts[j]" and "shms[j]" followed by that
 * partition's or region's node, so an overlap names both.
 * Implements: LLR-TOOL-077. */
static void name_parts(const struct bhd_system *s, const char *msg, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    while (*msg != '\0' && used + 1u < len) {
        unsigned j = 0;
        int n = 0;
        const char *node = NULL;
        if (sscanf(msg, "parts[%u]%n", &j, &n) == 1 && n > 0 && j < s->sys.num_parts &&
            j < BH_CFG_MAX_PARTS) {
            node = s->parts[j].node;
        } else if ((n = 0, sscanf(msg, "shms[%u]%n", &j, &n)) == 1 && n > 0 &&
                   j < BH_CFG_MAX_SHMS && s->shm_node[j][0] != '\0') {
            node = s->shm_node[j];
        }
        if (node != NULL) {
            int w = snprintf(out + used, len - used, "%.*s (%s)", n, msg, node);
            used = w > 0 && (size_t)w < len - used ? used + (size_t)w : len - 1u;
            msg += n;
        } else {
            out[used++] = *msg++;
            out[used] = '\0';
        }
    }
}

/* Report a boot-check error of parts[i] against the partition, its kernel
 * module or its health-monitor node. */
static void map_part_error(const struct bhd_system *s, const struct bhd_part *p,
                           const struct cfg_error *e, const char *rest, struct bhd_diag *d)
{
    size_t k = 0, n = sizeof(part_fields) / sizeof(part_fields[0]);
    unsigned idx = 0;
    while (k < n && strncmp(rest, part_fields[k].field, strlen(part_fields[k].field)) != 0) {
        k++;
    }
    enum field_node where = k < n ? part_fields[k].where : IN_PART;
    const char *node = where == IN_KERNEL ? p->kernel : p->node;
    const char *prop = k < n ? part_fields[k].prop : "";
    if (where == IN_HM && sscanf(rest, "hm_action[%u]", &idx) == 1 &&
        idx < sizeof(hm_entries) / sizeof(hm_entries[0])) {
        node = p->hm[0] != '\0' ? p->hm : p->node;
        prop = hm_entries[idx];
    }
    char msg[CFG_MSG_LEN + 4u * BHD_PATH_LEN];
    name_parts(s, e->msg, msg, sizeof(msg));
    bhd_err(d, node, prop, "%s (boot check %s)", msg, e->field);
}

/* Report one cfg_validate error against the source. */
/* The source node of blob entry passthru[k]: devices are in partition
 * order, then source order. */
static const char *pt_node(const struct bhb_result *r, uint32_t k)
{
    for (uint32_t i = 0; i < r->s.sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        uint32_t n = r->s.sys.parts[i].num_dev;
        if (k < n) {
            return r->s.parts[i].pt_node[k];
        }
        k -= n;
    }
    return "blob";
}

/* The source node of blob entry streams[j]: StreamIDs are in partition
 * order, then source order, like the devices. */
static const char *st_node(const struct bhb_result *r, uint32_t j)
{
    for (uint32_t i = 0; i < r->s.sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        const struct sys_part_desc *p = &r->s.sys.parts[i];
        if (j < p->num_sid) {
            return p->sid_dev[j] < BH_CFG_MAX_PASSTHRU ? r->s.parts[i].pt_node[p->sid_dev[j]]
                                                       : "blob";
        }
        j -= p->num_sid;
    }
    return "blob";
}

static void map_error(const struct bhb_result *r, const struct cfg_error *e, struct bhd_diag *d)
{
    unsigned i = 0;
    int used = 0;
    if (sscanf(e->field, "parts[%u].%n", &i, &used) == 1 && used > 0 && i < BH_CFG_MAX_PARTS) {
        if (!r->s.parts[i].bad) { /* else reported by the front end already */
            map_part_error(&r->s, &r->s.parts[i], e, e->field + used, d);
        }
        return;
    }
    used = 0;
    if (sscanf(e->field, "passthru[%u].%n", &i, &used) == 1 && used > 0) {
        bhd_err(d, pt_node(r, i), "", "%s (boot check %s)", e->msg, e->field);
        return;
    }
    used = 0;
    if (sscanf(e->field, "streams[%u].%n", &i, &used) == 1 && used > 0) {
        bhd_err(d, st_node(r, i), "", "%s (boot check %s)", e->msg, e->field);
        return;
    }
    if (sscanf(e->field, "scheds[%u]%n", &i, &used) == 1 && used > 0) {
        map_sched_error(r, e, i, e->field + used, d);
        return;
    }
    used = 0;
    if (sscanf(e->field, "channels[%u]%n", &i, &used) == 1 && used > 0 && i < BH_CFG_MAX_CHANNELS &&
        r->s.chan_node[i][0] != '\0') {
        bhd_err(d, r->s.chan_node[i], "", "%s (boot check %s)", e->msg, e->field);
        return;
    }
    used = 0;
    if (sscanf(e->field, "shms[%u]%n", &i, &used) == 1 && used > 0 && i < BH_CFG_MAX_SHMS &&
        r->s.shm_node[i][0] != '\0') {
        char msg[CFG_MSG_LEN + 4u * BHD_PATH_LEN];
        name_parts(&r->s, e->msg, msg, sizeof(msg));
        bhd_err(d, r->s.shm_node[i], "", "%s (boot check %s)", msg, e->field);
        return;
    }
    if (strcmp(e->field, "header.num_scheds") == 0 && r->s.scheds_node[0] != '\0') {
        bhd_err(d, r->s.scheds_node, "", "%s (boot check %s)", e->msg, e->field);
        return;
    }
    size_t k = 0, n = sizeof(header_fields) / sizeof(header_fields[0]);
    while (k < n && strcmp(e->field, header_fields[k].field) != 0) {
        k++;
    }
    bhd_err(d, k < n ? "/chosen" : "blob", k < n ? header_fields[k].prop : "",
            "%s (boot check %s)", e->msg, e->field);
}

/* The hypervisor: packed with the blob when found; else the blob is checked
 * against a hypervisor footprint of its base alone. */
static uint32_t pack_and_check(const struct bhb_opts *o, struct bhb_result *r,
                               struct cfg_report *rep, struct bhd_diag *d)
{
    char path[BHI_PATH_MAX];
    struct bhi_status st;
    struct bhi_buf hyp = {NULL, 0};
    const char *name = o->hyp != NULL ? o->hyp : r->s.hyp;
    int found = bhb_resolve(o, name, path, sizeof(path)) == 0;
    if (!found && o->hyp != NULL) {
        bhd_err(d, "--hyp", NULL, "file \"%s\" not found", o->hyp);
    } else if (!found) {
        not_found(o, d, "/chosen", "bulkhead,hypervisor", name);
    } else if (bhi_read_file(path, &hyp, &st) != 0 ||
               bhi_pack(&hyp, &r->blob.buf, &r->image, &r->blob_off, &st) != 0) {
        /* against the option when the file came from there, not the source */
        bhd_err(d, o->hyp != NULL ? "--hyp" : "/chosen",
                o->hyp != NULL ? NULL : "bulkhead,hypervisor", "%s: %s", path, st.msg);
    }
    bhi_buf_free(&hyp);
    if (o->corrupt != NULL && bhi_corrupt_image(&r->image, r->blob_off, o->corrupt, &st) != 0) {
        bhd_err(d, "--corrupt", NULL, "%s", st.msg);
        return 0;
    }
    if (r->image.data != NULL) {
        return bhi_validate_image(&r->image, r->blob_off, rep);
    }
    struct cfg_platform pl;
    bhi_platform(0, &pl);
    void *copy = calloc(1, r->blob.buf.size + 8u);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, r->blob.buf.data, r->blob.buf.size);
    uint32_t n = cfg_validate(copy, r->blob.buf.size, &pl, rep);
    free(copy);
    return n;
}

/* End of the hypervisor footprint once the blob is packed behind it (the
 * rule of bhi_pack); the hypervisor's base alone plus the blob when it
 * cannot be read (that is reported when it is packed). */
static uint64_t footprint_end(const struct bhb_opts *o, const struct bhb_result *r)
{
    char path[BHI_PATH_MAX];
    struct bhi_status st;
    struct bhi_buf hyp = {NULL, 0};
    struct bhi_arm64_hdr h;
    uint64_t off = 0;
    const char *name = o->hyp != NULL ? o->hyp : r->s.hyp;
    if (bhb_resolve(o, name, path, sizeof(path)) == 0 && bhi_read_file(path, &hyp, &st) == 0 &&
        bhi_arm64_parse(hyp.data, hyp.size, &h, &st) == 0 && h.image_size <= BHI_MAX_FILE) {
        off = (h.image_size + PLAT_BLOB_ALIGN - 1u) & ~(PLAT_BLOB_ALIGN - 1u);
    }
    bhi_buf_free(&hyp);
    return PLAT_HYP_BASE + off + r->blob.buf.size;
}

/* Implements: LLR-TOOL-074 (the RAM of partitions without bulkhead,ram-pa is
 * placed once the footprint is known, then the blob is built again with it:
 * its size does not depend on the placement). */
static int place_and_rebuild(const struct bhb_opts *o, struct bhb_result *r, struct bhd_diag *d)
{
    int any = 0;
    for (uint32_t i = 0; i < r->s.sys.num_parts; i++) {
        any |= r->s.parts[i].auto_ram && !r->s.parts[i].bad;
    }
    if (!any) {
        return 0;
    }
    bhp_place_ram(&r->s, footprint_end(o, r), d);
    /* the same files again: their errors were reported by the first build */
    struct bhd_diag quiet = *d;
    quiet.out = NULL;
    bhi_buf_free(&r->blob.buf);
    memset(&r->blob, 0, sizeof(r->blob));
    return build_blob(o, r, &quiet);
}

static void system_name(const char *src, char *out, size_t len)
{
    char tmp[BHI_PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", src);
    snprintf(out, len, "%s", basename(tmp));
    out[strcspn(out, ".")] = '\0';
}

/* Implements: LLR-TOOL-028 (all front-end, file and boot-check errors of one
 * source in one run; with --corrupt, success means the boot check refused).
 * Implements: LLR-TOOL-069 (a source path too long for the system refused). */
int bhb_build(const struct bhb_opts *o, struct bhb_result *r, struct bhd_diag *d)
{
    static struct cfg_report rep;
    struct bhi_buf dtb = {NULL, 0};
    memset(r, 0, sizeof(*r));
    if (strlen(o->src) >= BHI_PATH_MAX) {
        fprintf(stderr, "bulkhead: %.64s...: path longer than %u characters\n", o->src,
                BHI_PATH_MAX - 1u);
        return BHB_IO;
    }
    system_name(o->src, r->name, sizeof(r->name));
    int rc = bhd_compile(o->src, &dtb, d);
    if (rc != 0) {
        return rc;
    }
    bhd_parse(dtb.data, dtb.size, &r->s, d);
    bhi_buf_free(&dtb);
    if (r->s.sys.num_parts == 0 || build_blob(o, r, d) != 0 || place_and_rebuild(o, r, d) != 0) {
        return BHB_CONFIG;
    }
    for (unsigned k = 0; k < o->num_modules && k < BHB_MAX_MODULES; k++) {
        if (!r->module_used[k]) {
            bhd_err(d, "--module", NULL, "0x%llx=%s: no module has reg at 0x%llx",
                    (unsigned long long)o->modules[k].addr, o->modules[k].file,
                    (unsigned long long)o->modules[k].addr);
        }
    }
    struct bhi_status st;
    if (o->corrupt != NULL && bhi_corrupt(&r->blob, o->corrupt, &st) != 0) {
        bhd_err(d, "--corrupt", NULL, "%s", st.msg);
        return BHB_USAGE;
    }
    uint32_t n = pack_and_check(o, r, &rep, d);
    for (uint32_t i = 0; i < n && i < CFG_MAX_ERRORS; i++) {
        if (o->corrupt != NULL && d->out != NULL) {
            fprintf(d->out, "%s: boot check error: %s: %s\n", r->name, rep.err[i].field,
                    rep.err[i].msg);
        } else if (o->corrupt == NULL) {
            map_error(r, &rep.err[i], d);
        }
    }
    int any_bad = 0;
    for (uint32_t i = 0; i < r->s.sys.num_parts; i++) {
        any_bad |= r->s.parts[i].bad;
    }
    /* the unseen ones may be of partitions already reported: not worth a line */
    if (n > CFG_MAX_ERRORS && o->corrupt == NULL && !any_bad) {
        bhd_err(d, "blob", NULL, "%u more boot-check errors not shown", n - CFG_MAX_ERRORS);
    }
    if (o->corrupt == NULL && d->errors == 0 && d->out != NULL) {
        bhd_warn_passthru(&r->s, d->out);
    }
    if (o->corrupt != NULL && n == 0) {
        bhd_err(d, "--corrupt", NULL, "%s: the boot check accepts the image", o->corrupt);
    }
    return d->errors != 0 ? BHB_CONFIG : BHB_OK;
}
