/*
 * bhimport: an ImageBuilder configuration given meaning (its lines are read
 * by bhimport_read.c). The variables Bulkhead reads become a partition
 * each; the ones with no meaning here are noted once per name; a dom0 and
 * what Bulkhead cannot keep are refused. The rules are
 * docs/configuration.md, "Importing an ImageBuilder configuration".
 */
#include "bhimport_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bhbuild.h"
#include "bhdts.h"
#include "platform.h"

#define DEFAULT_MEM_MB 512u
#define DEFAULT_CMD "console=ttyAMA0"

static const char *const domu_vars[V_COUNT] = {
    "DOMU_KERNEL", "DOMU_RAMDISK", "DOMU_MEM",        "DOMU_VCPUS",
    "DOMU_CMD",    "DOMU_NAME",    "DOMU_STATIC_MEM", "DOMU_DIRECT_MAP",
};

/* Variables not read: refused (when not empty) or noted, by exact name or
 * by prefix. The first rule that matches applies. */
struct rule {
    const char *name;
    int prefix;
    int refuse;
    const char *why;
};

static const char why_uboot[] = "U-Boot boot-script setting: the Bulkhead image boots alone "
                                "(QEMU -kernel): ignored";
static const char why_host[] =
    "host device tree: Bulkhead's platform is built in (" PLAT_NAME "): ignored";
static const char why_ptdt[] = "partial device-tree tooling: not read (pass devices through with "
                               "bulkhead,passthrough): ignored";

static const struct rule rules[] = {
    {"DOM0_KERNEL", 0, 1, "Bulkhead has no dom0: every domain is a domU (remove DOM0_KERNEL)"},
    {"DOMU_PASSTHROUGH_DTB", 0, 1,
     "partial device trees are not supported by blob version 4: pass devices through with "
     "bulkhead,passthrough (docs/configuration.md)"},
    {"DOMU_PASSTHROUGH_PATHS", 0, 1,
     "host device paths are not read: pass devices through with bulkhead,passthrough "
     "(docs/configuration.md)"},
    {"DOMU_NOBOOT", 0, 1,
     "Bulkhead starts every partition at boot and has no dom0 to start one later"},
    {"DOM0_", 1, 0, "dom0 setting: Bulkhead has no dom0: ignored"},
    {"XEN", 1, 0,
     "Xen's own setting: the hypervisor is Bulkhead's (hyp/bulkhead.bin, or --hyp): "
     "ignored"},
    {"MEMORY_START", 0, 0, "U-Boot's load range: Bulkhead places every image itself: ignored"},
    {"MEMORY_END", 0, 0, "U-Boot's load range: Bulkhead places every image itself: ignored"},
    {"DEVICE_TREE", 0, 0, why_host},
    {"NUM_DT_OVERLAY", 0, 0, why_host},
    {"DT_OVERLAY", 0, 0, why_host},
    {"UBOOT_", 1, 0, why_uboot},
    {"LOAD_CMD", 0, 0, why_uboot},
    {"BOOT_CMD", 0, 0, why_uboot},
    {"FIT", 1, 0, why_uboot},
    {"FDTEDIT", 0, 0, why_uboot},
    {"APPEND_EXTRA_CMDS", 0, 0, why_uboot},
    {"EFI", 0, 0, why_uboot},
    {"NUM_BOOT_AUX_FILE", 0, 0, why_uboot},
    {"BOOT_AUX_FILE", 0, 0, why_uboot},
    {"BITSTREAM", 0, 0, "FPGA bitstream: Bulkhead loads none: ignored"},
    {"PASSTHROUGH_DTS_REPO", 0, 0, why_ptdt},
    {"LOPPER_", 1, 0, why_ptdt},
    {"DOMU_ENHANCED", 0, 0, "Xen PV interfaces (xen,enhanced): no meaning to Bulkhead: ignored"},
    {"DOMU_COLORS", 0, 0, "Xen cache colouring: Bulkhead colours no cache: ignored"},
    {"DOMU_CPUPOOL", 0, 0, "Xen cpupool: Bulkhead pins vCPUs itself: ignored"},
    {"CPUPOOL", 0, 0, "Xen cpupool: Bulkhead pins vCPUs itself: ignored"},
    {"NUM_CPUPOOLS", 0, 0, "Xen cpupool: Bulkhead pins vCPUs itself: ignored"},
    {"DOMU_DRIVER_DOMAIN", 0, 0, "xl setting for dom0: Bulkhead has no dom0: ignored"},
    {"DOMU_ROOTFS", 0, 0, "disk_image setting: not read: ignored"},
    {"GPT", 0, 0, "disk_image setting: not read: ignored"},
    {"LINUX", 1, 0, "Linux without Xen: not a partition: ignored"},
};

/* ------------------------------------------------------ assignments --- */

/* Implements: LLR-TOOL-084 (a variable read is assigned once), LLR-TOOL-085
 * (per-domU variables take an index below 8). */
static void assign_domu(struct import *m, unsigned line, const struct assign *a, unsigned v)
{
    if (!a->indexed) {
        bhm_err(m, line, a->name, "needs an index: %s[0]=... for the first domU", a->name);
        return;
    }
    if (a->index >= BH_CFG_MAX_PARTS) {
        bhm_err(m, line, a->name, "bad index %u: Bulkhead runs at most %u partitions (0..%u)",
                a->index, BH_CFG_MAX_PARTS, BH_CFG_MAX_PARTS - 1u);
        return;
    }
    struct value *val = &m->domu[a->index][v];
    if (val->line != 0u) {
        bhm_err(m, line, a->name, "[%u] assigned twice (first at line %u)", a->index, val->line);
        return;
    }
    snprintf(val->text, sizeof(val->text), "%s", a->value);
    val->line = line;
    if (m->index_line[a->index] == 0u) {
        m->index_line[a->index] = line;
        snprintf(m->index_var[a->index], NAME_LEN, "%s", a->name);
    }
}

/* Implements: LLR-TOOL-088 (variables with no meaning noted once per name,
 * unknown ones noted, a dom0 and what Bulkhead cannot keep refused). */
void bhm_assign(struct import *m, unsigned line, const struct assign *a)
{
    for (unsigned v = 0; v < V_COUNT; v++) {
        if (strcmp(a->name, domu_vars[v]) == 0) {
            assign_domu(m, line, a, v);
            return;
        }
    }
    if (strcmp(a->name, "NUM_DOMUS") == 0) {
        if (a->indexed) {
            bhm_err(m, line, a->name, "takes no index");
        } else if (m->num_domus.line != 0u) {
            bhm_err(m, line, a->name, "assigned twice (first at line %u)", m->num_domus.line);
        } else {
            snprintf(m->num_domus.text, sizeof(m->num_domus.text), "%s", a->value);
            m->num_domus.line = line;
        }
        return;
    }
    for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
        const struct rule *r = &rules[k];
        int match = r->prefix ? strncmp(a->name, r->name, strlen(r->name)) == 0
                              : strcmp(a->name, r->name) == 0;
        if (!match) {
            continue;
        }
        if (r->refuse && a->value[0] != '\0') {
            bhm_err(m, line, a->name, "%s", r->why);
        } else {
            bhm_note(m, line, a->name, r->refuse ? "empty: ignored" : r->why);
        }
        return;
    }
    bhm_note(m, line, a->name, "unknown variable: ignored");
}

/* --------------------------------------------------------- checking --- */

/* A decimal number in lo..hi without a leading zero; -1 if not. */
static long decimal(const char *s, long lo, long hi)
{
    long v = 0;
    if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0')) {
        return -1;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > hi) {
            return -1;
        }
        v = v * 10 + (*p - '0');
    }
    return v >= lo && v <= hi ? v : -1;
}

/* NUM_DOMUS, or 0 after an error. Implements: LLR-TOOL-085. */
static unsigned num_domus(struct import *m)
{
    if (m->num_domus.line == 0u) {
        bhm_err(m, 0, "NUM_DOMUS", "missing: how many domUs (1..%u) the configuration has",
                BH_CFG_MAX_PARTS);
        return 0;
    }
    long n = decimal(m->num_domus.text, 1, BH_CFG_MAX_PARTS);
    if (n < 0) {
        bhm_err(m, m->num_domus.line, "NUM_DOMUS",
                "\"%s\" is not 1..%u: Bulkhead runs at most %u partitions", m->num_domus.text,
                BH_CFG_MAX_PARTS, BH_CFG_MAX_PARTS);
        return 0;
    }
    for (unsigned i = (unsigned)n; i < BH_CFG_MAX_PARTS; i++) {
        if (m->index_line[i] != 0u) {
            bhm_err(m, m->index_line[i], m->index_var[i],
                    "bad index %u: not below NUM_DOMUS=%ld (line %u)", i, n, m->num_domus.line);
        }
    }
    return (unsigned)n;
}

/* The checked values of one domU, ready to print. */
struct domu {
    char name[BH_CFG_NAME_LEN];
    uint64_t mem_kib, static_pa;
    long vcpus;
    int has_static, direct_map;
};

static void check_name(struct import *m, unsigned i, struct domu *d)
{
    const struct value *v = &m->domu[i][V_NAME];
    const char *name = v->line != 0u && v->text[0] != '\0' ? v->text : NULL;
    size_t len = name != NULL ? strlen(name) : 0;
    int ok = len >= 1 && len < BH_CFG_NAME_LEN;
    for (size_t k = 0; k < len; k++) {
        ok &= bhm_is_name_char(name[k], 0) || name[k] == '-';
    }
    if (name != NULL && !ok) {
        bhm_err(m, v->line, "DOMU_NAME",
                "[%u] \"%s\": a partition name is 1..%u characters of "
                "[A-Za-z0-9_-]",
                i, name, BH_CFG_NAME_LEN - 1u);
        name = NULL;
    }
    if (name != NULL) {
        snprintf(d->name, sizeof(d->name), "%s", name);
    } else {
        snprintf(d->name, sizeof(d->name), "domU%u", i);
    }
}

/* Implements: LLR-TOOL-087 (DOMU_STATIC_MEM: one range, RAM placed there,
 * mapped 1:1 unless DOMU_DIRECT_MAP is 0; DOMU_MEM must agree). */
static void check_static(struct import *m, unsigned i, struct domu *d, long mem_mb)
{
    const struct value *sm = &m->domu[i][V_STATIC_MEM], *dm = &m->domu[i][V_DIRECT_MAP];
    if (sm->line == 0u || sm->text[0] == '\0') {
        if (dm->line != 0u) {
            bhm_note(m, dm->line, "DOMU_DIRECT_MAP", "applies only with DOMU_STATIC_MEM: ignored");
        }
        return;
    }
    char *end = NULL;
    const char *s = sm->text;
    uint64_t base = strtoull(s, &end, 0), size = 0;
    int ok = end != s && (*end == ' ' || *end == '\t');
    if (ok) {
        s = end;
        size = strtoull(s, &end, 0);
        ok = end != s;
        while (ok && (*end == ' ' || *end == '\t')) {
            end++;
        }
        ok = ok && *end == '\0';
    }
    if (!ok || strchr(sm->text, '-') != NULL) {
        bhm_err(m, sm->line, "DOMU_STATIC_MEM",
                "[%u] \"%s\": Bulkhead gives a partition one RAM "
                "range: expected \"BASE SIZE\" (two numbers)",
                i, sm->text);
        return;
    }
    if (size == 0u || size % 1024u != 0u || size / 1024u > UINT32_MAX) {
        bhm_err(m, sm->line, "DOMU_STATIC_MEM",
                "[%u] size 0x%llx: not a whole number of KiB in "
                "1 KiB..4 TiB",
                i, (unsigned long long)size);
        return;
    }
    if (mem_mb >= 0 && (uint64_t)mem_mb * 1024u * 1024u != size) {
        bhm_err(m, m->domu[i][V_MEM].line, "DOMU_MEM",
                "[%u] %ld MB is not DOMU_STATIC_MEM[%u]'s size "
                "0x%llx (line %u)",
                i, mem_mb, i, (unsigned long long)size, sm->line);
        return;
    }
    d->has_static = 1;
    d->static_pa = base;
    d->mem_kib = size / 1024u;
    d->direct_map = 1;
    if (dm->line != 0u && strcmp(dm->text, "0") == 0) {
        d->direct_map = 0;
    } else if (dm->line != 0u && strcmp(dm->text, "1") != 0) {
        bhm_err(m, dm->line, "DOMU_DIRECT_MAP", "[%u] \"%s\": expected 0 or 1", i, dm->text);
    }
}

/* Implements: LLR-TOOL-085 (each domU has DOMU_KERNEL), LLR-TOOL-086
 * (DOMU_MEM, DOMU_VCPUS, DOMU_CMD and the lengths the source takes). */
static void check_domu(struct import *m, unsigned i, struct domu *d)
{
    const struct value *v = m->domu[i];
    check_name(m, i, d);
    if (v[V_KERNEL].line == 0u || v[V_KERNEL].text[0] == '\0') {
        bhm_err(m, v[V_KERNEL].line != 0u ? v[V_KERNEL].line : m->num_domus.line, "DOMU_KERNEL",
                "[%u] missing: each of the NUM_DOMUS=%s domUs needs its kernel", i,
                m->num_domus.text);
    }
    static const unsigned paths[] = {V_KERNEL, V_RAMDISK};
    for (unsigned k = 0; k < 2; k++) {
        if (strlen(v[paths[k]].text) >= BHD_PATH_LEN) {
            bhm_err(m, v[paths[k]].line, domu_vars[paths[k]],
                    "[%u] a path is at most %u characters", i, BHD_PATH_LEN - 1u);
        }
    }
    if (strlen(v[V_CMD].text) >= BHD_ARGS_LEN) {
        bhm_err(m, v[V_CMD].line, "DOMU_CMD", "[%u] a command line is at most %u characters", i,
                BHD_ARGS_LEN - 1u);
    }
    const long ram_mb = (long)(PLAT_RAM_SIZE >> 20);
    long mem = -1;
    if (v[V_MEM].line != 0u && v[V_MEM].text[0] != '\0') {
        mem = decimal(v[V_MEM].text, 1, ram_mb);
        if (mem < 0) {
            bhm_err(m, v[V_MEM].line, "DOMU_MEM",
                    "[%u] \"%s\": MB, a decimal number in 1..%ld (the "
                    "platform's RAM)",
                    i, v[V_MEM].text, ram_mb);
        }
    }
    d->mem_kib = (uint64_t)(mem > 0 ? mem : (long)DEFAULT_MEM_MB) * 1024u;
    d->vcpus = 1;
    if (v[V_VCPUS].line != 0u && v[V_VCPUS].text[0] != '\0') {
        d->vcpus = decimal(v[V_VCPUS].text, 1, BH_CFG_MAX_VCPUS);
        if (d->vcpus < 0) {
            bhm_err(m, v[V_VCPUS].line, "DOMU_VCPUS", "[%u] \"%s\": a decimal number in 1..%u", i,
                    v[V_VCPUS].text, BH_CFG_MAX_VCPUS);
        }
    }
    check_static(m, i, d, mem);
}

/* ---------------------------------------------------------- writing --- */

__attribute__((format(printf, 2, 3))) static void out(struct import *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = m->out_len - m->out_size;
    int n = vsnprintf(m->out + m->out_size, room, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < room) {
        m->out_size += (size_t)n;
    } else {
        m->out_size = m->out_len; /* full: reported by the caller */
    }
}

/* s as a device-tree string: quote and backslash escaped. */
static void out_str(struct import *m, const char *s)
{
    out(m, "\"");
    for (; *s != '\0'; s++) {
        out(m, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
    }
    out(m, "\"");
}

static void out_module(struct import *m, const char *node, const char *compat,
                       const struct value *path, const struct value *cmd)
{
    out(m, "\t\t\t%s {\n\t\t\t\tcompatible = \"%s\", \"multiboot,module\";\n", node, compat);
    out(m, "\t\t\t\tbulkhead,path = ");
    out_str(m, path->text);
    out(m, "; /* line %u */\n", path->line);
    if (cmd != NULL) {
        out(m, "\t\t\t\tbootargs = ");
        int given = cmd->line != 0u && cmd->text[0] != '\0'; /* empty: the default */
        out_str(m, given ? cmd->text : DEFAULT_CMD);
        out(m, given ? "; /* line %u */\n" : "; /* ImageBuilder's default */\n", cmd->line);
    }
    out(m, "\t\t\t};\n");
}

/* Implements: LLR-TOOL-086 (one xen,domain partition per domU: name,
 * memory, cpus, vpl011, kernel and ramdisk modules by bulkhead,path). */
static void write_domu(struct import *m, unsigned i, const struct domu *d)
{
    const struct value *v = m->domu[i];
    out(m, "\n\t\t%s {\n\t\t\tcompatible = \"xen,domain\";\n", d->name);
    out(m, "\t\t\t#address-cells = <2>;\n\t\t\t#size-cells = <2>;\n");
    out(m, "\t\t\tmemory = <0x%x 0x%x>; /* KiB: %llu MiB", (unsigned)(d->mem_kib >> 32),
        (unsigned)(d->mem_kib & 0xffffffffu), (unsigned long long)(d->mem_kib >> 10));
    out(m, d->has_static ? ", DOMU_STATIC_MEM */\n"
                         : (v[V_MEM].line != 0u && v[V_MEM].text[0] != '\0'
                                ? ", DOMU_MEM */\n"
                                : ", ImageBuilder's default */\n"));
    out(m, "\t\t\tcpus = <%ld>;\n\t\t\tvpl011;\n", d->vcpus);
    if (d->has_static) {
        out(m, "\t\t\tbulkhead,ram-pa = <0x%x 0x%x>; /* DOMU_STATIC_MEM, line %u */\n",
            (unsigned)(d->static_pa >> 32), (unsigned)(d->static_pa & 0xffffffffu),
            v[V_STATIC_MEM].line);
    }
    if (d->has_static && d->direct_map) {
        out(m, "\t\t\tbulkhead,ram-gpa = <0x%x 0x%x>; /* direct map */\n",
            (unsigned)(d->static_pa >> 32), (unsigned)(d->static_pa & 0xffffffffu));
    }
    out(m, "\n");
    out_module(m, "kernel", "multiboot,kernel", &v[V_KERNEL], &v[V_CMD]);
    if (v[V_RAMDISK].line != 0u && v[V_RAMDISK].text[0] != '\0') {
        out(m, "\n");
        out_module(m, "ramdisk", "multiboot,ramdisk", &v[V_RAMDISK], NULL);
    }
    out(m, "\t\t};\n");
}

/* Implements: LLR-TOOL-082 (the source written only when the configuration
 * has no error), LLR-TOOL-085 (partition names unique). */
unsigned bhm_import_text(const char *config, const char *text, size_t size, FILE *errf, char *buf,
                         size_t out_len, size_t *out_size)
{
    static struct import m;
    static struct domu d[BH_CFG_MAX_PARTS];
    memset(&m, 0, sizeof(m));
    memset(d, 0, sizeof(d));
    m.path = config;
    m.err = errf;
    m.out = buf;
    m.out_len = out_len;
    *out_size = 0;
    bhm_read(&m, text, size);
    unsigned n = m.errors == 0u ? num_domus(&m) : 0u;
    for (unsigned i = 0; i < n; i++) {
        check_domu(&m, i, &d[i]);
        for (unsigned k = 0; k < i; k++) {
            if (strcmp(d[k].name, d[i].name) == 0) {
                bhm_err(&m, m.domu[i][V_NAME].line, "DOMU_NAME",
                        "[%u] \"%s\" is also domU %u's name", i, d[i].name, k);
            }
        }
    }
    for (unsigned k = 0; k < m.num_notes && m.err != NULL; k++) {
        const struct note *t = &m.notes[k];
        fprintf(m.err, "%s:%u: %s: note: %s", config, t->line, t->name, t->why);
        fprintf(m.err, t->count > 1u ? " (here and %u more times)\n" : "\n", t->count - 1u);
    }
    if (m.errors != 0u || out_len == 0u) {
        return m.errors != 0u ? m.errors : 1u;
    }
    out(&m, "// Imported by `bulkhead import-imagebuilder` from %s (line numbers\n", config);
    out(&m, "// below are its lines). Relative paths are as ImageBuilder reads them, from\n"
            "// its -d directory: check and build with -I that directory.\n/dts-v1/;\n\n/ {\n");
    out(&m, "\tcompatible = \"bulkhead,system\";\n\n\tchosen {\n");
    out(&m, "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n");
    for (unsigned i = 0; i < n; i++) {
        write_domu(&m, i, &d[i]);
    }
    out(&m, "\t};\n};\n");
    if (m.out_size >= out_len) {
        bhm_err(&m, 0, "output", "the source would exceed %zu bytes", out_len);
        *out_size = 0;
        return m.errors;
    }
    *out_size = m.out_size;
    return 0;
}

int bhm_import(const char *config, const char *out_path, FILE *errf)
{
    static char buf[128u * 1024u];
    struct bhi_status st;
    struct bhi_buf in = {NULL, 0};
    if (bhi_read_file(config, &in, &st) != 0) {
        fprintf(errf, "bulkhead: %s\n", st.msg);
        return BHB_IO;
    }
    size_t size = 0;
    unsigned errors =
        bhm_import_text(config, (const char *)in.data, in.size, errf, buf, sizeof(buf), &size);
    bhi_buf_free(&in);
    if (errors != 0u) {
        fprintf(errf, "%s: %u error%s: nothing written\n", config, errors, errors == 1u ? "" : "s");
        return BHB_CONFIG;
    }
    if (out_path == NULL) {
        return fwrite(buf, 1, size, stdout) == size && fflush(stdout) == 0 ? BHB_OK : BHB_IO;
    }
    if (bhi_write_file(out_path, buf, size, &st) != 0) {
        fprintf(errf, "bulkhead: %s\n", st.msg);
        return BHB_IO;
    }
    return BHB_OK;
}
