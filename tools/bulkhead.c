/*
 * bulkhead: the host toolstack. One device-tree source describes a system;
 * this command checks it, builds the bootable image, draws it, decodes an
 * image back into source and boots it in QEMU. See docs/configuration.md.
 *
 * Exit status: 0 success; 1 the configuration (or image) is invalid;
 * 2 usage error; 3 I/O error (unreadable input, unwritable output, dtc or
 * QEMU cannot be run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bhbuild.h"
#include "bhdecode.h"
#include "bhimport.h"
#include "bhplace.h"
#include "bhshow.h"

/* Options each subcommand accepts. */
#define OPT_I 1u
#define OPT_O 2u
#define OPT_HYP 4u
#define OPT_CORRUPT 8u
#define OPT_BLOB 16u
#define OPT_OUTDIR 32u
#define OPT_EXTRACT 64u
#define OPT_MODULE 128u
#define OPT_PLACEMENT 256u

struct args {
    struct bhb_opts b;
    const char *input;
    const char *out;
    const char *blob;
    const char *out_dir;
    const char *extract;
    int print_placement;
    const char *module_arg[BHB_MAX_MODULES];
    unsigned num_module_args;
};

struct command {
    const char *name;
    unsigned opts;
    const char *usage;
    const char *help;
};

static const char exit_help[] =
    "Exit status: 0 ok, 1 configuration errors, 2 usage error, 3 I/O error.\n";

static const char common_help[] =
    "  -I, --search DIR  also look for files named by the source in DIR (repeatable;\n"
    "                    the source's own directory is searched first, and the\n"
    "                    build's outputs last: build/$BULKHEAD_TOOLCHAIN, default\n"
    "                    build/clang, then build/, of the tree this command was\n"
    "                    built in)\n"
    "  --hyp FILE        hypervisor binary (default: /chosen/bulkhead,hypervisor,\n"
    "                    else hyp/bulkhead.bin)\n"
    "  --module ADDR=FILE  load the module whose reg starts at ADDR (a Xen\n"
    "                    dom0less tree) from FILE (repeatable)\n";

enum { CMD_CHECK, CMD_BUILD, CMD_SHOW, CMD_DECODE, CMD_RUN, CMD_IMPORT, CMD_COUNT };

static const struct command commands[CMD_COUNT] = {
    {"check", OPT_I | OPT_HYP | OPT_MODULE,
     "check SYSTEM.dts [-I DIR]... [--hyp FILE] [--module ADDR=FILE]...",
     "Check every rule the hypervisor checks at boot and what only the host can\n"
     "check (files exist, images are AArch64 and fit). All errors are reported,\n"
     "each as FILE:LINE: NODE: PROPERTY: MESSAGE.\n"},
    {"build", OPT_I | OPT_HYP | OPT_O | OPT_CORRUPT | OPT_BLOB | OPT_MODULE | OPT_PLACEMENT,
     "build SYSTEM.dts -o IMAGE [-I DIR]... [--hyp FILE] [--blob FILE] [--module ADDR=FILE]... "
     "[--print-placement]",
     "Check, then write one bootable image: hypervisor, configuration blob,\n"
     "partition images and device trees (QEMU: -kernel IMAGE). Nothing is\n"
     "written when the check fails.\n  -o IMAGE          output image\n"
     "  --blob FILE       also write the configuration blob alone\n"
     "  --print-placement list each partition's RAM and vCPU pinning, automatic\n"
     "                    or from the source\n"},
    {"show", OPT_I | OPT_HYP | OPT_OUTDIR | OPT_MODULE,
     "show SYSTEM.dts [-I DIR]... [--out-dir DIR] [--module ADDR=FILE]...",
     "Build in memory, then print each CPU's schedule and the physical and\n"
     "guest-physical memory maps, and write them as DIR/<system>-schedule.svg\n"
     "and DIR/<system>-memory.svg.\n  --out-dir DIR     where the SVG files go (default .)\n"},
    {"decode", OPT_EXTRACT, "decode IMAGE [--extract DIR]",
     "Find the configuration blob in IMAGE, run the boot check on it and print it\n"
     "as device-tree source. --extract DIR writes hyp.bin and <partition>.bin\n"
     "there, so the printed source, saved in DIR, builds the same image again.\n"},
    {"run", OPT_I | OPT_HYP | OPT_O | OPT_MODULE,
     "run SYSTEM.dts [-I DIR]... [-o IMAGE] [--module ADDR=FILE]...",
     "Build (into IMAGE, default /tmp/bulkhead-<system>.img) and boot in QEMU\n"
     "(qemu-system-aarch64, or $QEMU).\n"},
    {"import-imagebuilder", OPT_O, "import-imagebuilder CONFIG [-o SYSTEM.dts]",
     "Read Xen ImageBuilder's configuration file CONFIG (NUM_DOMUS, DOMU_KERNEL[n],\n"
     "DOMU_MEM[n], ...) as text, never running it, and write the same domUs as a\n"
     "system source (to stdout without -o). Errors and notes are\n"
     "CONFIG:LINE: VARIABLE: MESSAGE; nothing is written when there is an error.\n"
     "  -o SYSTEM.dts     output source\n"},
};

static int usage_all(FILE *f)
{
    fprintf(f, "usage: bulkhead COMMAND ... (bulkhead COMMAND --help for details)\n");
    for (int i = 0; i < CMD_COUNT; i++) {
        fprintf(f, "  bulkhead %s\n", commands[i].usage);
    }
    fprintf(f, "%s", exit_help);
    return BHB_USAGE;
}

static int help(const struct command *c)
{
    printf("usage: bulkhead %s\n\n%s", c->usage, c->help);
    if (c->opts & OPT_I) {
        printf("%s", common_help);
    }
    printf("%s", exit_help);
    return BHB_OK;
}

/* Value slot of option a for command c, NULL if c does not take it. */
static const char **slot(struct args *a, const struct command *c, const char *opt)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"-o", OPT_O},           {"--hyp", OPT_HYP},         {"--corrupt", OPT_CORRUPT},
                 {"--blob", OPT_BLOB},    {"--out-dir", OPT_OUTDIR},  {"--extract", OPT_EXTRACT},
                 {"-I", OPT_I},           {"--search", OPT_I},        {"--module", OPT_MODULE}};
    const char **slots[] = {&a->out,    &a->b.hyp,   &a->b.corrupt, &a->blob,
                            &a->out_dir, &a->extract, NULL,          NULL, NULL};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (strcmp(opt, names[k].name) == 0 && (c->opts & names[k].bit) != 0) {
            if (names[k].bit == OPT_I) {
                return a->b.num_search < BHB_MAX_SEARCH ? &a->b.search[a->b.num_search++] : NULL;
            }
            if (names[k].bit == OPT_MODULE) {
                return a->num_module_args < BHB_MAX_MODULES ? &a->module_arg[a->num_module_args++]
                                                            : NULL;
            }
            return slots[k];
        }
    }
    return NULL;
}

/* --module ADDR=FILE into a->b.modules: ADDR a number (0x for hex), FILE
 * not empty, each ADDR once. Implements: LLR-TOOL-081. */
static int parse_modules(struct args *a, const struct command *c)
{
    for (unsigned i = 0; i < a->num_module_args && i < BHB_MAX_MODULES; i++) {
        const char *arg = a->module_arg[i];
        char *end = NULL;
        unsigned long long addr = strtoull(arg, &end, 0);
        int dup = 0;
        for (unsigned k = 0; k < i; k++) {
            dup |= a->b.modules[k].addr == addr;
        }
        if (end == arg || *end != '=' || end[1] == '\0' || arg[0] == '-' || dup) {
            fprintf(stderr,
                    "bulkhead %s: --module '%s': expected ADDR=FILE, each ADDR once (e.g. "
                    "--module 0x4a000000=guests/demo.bin)\n",
                    c->name, arg);
            return BHB_USAGE;
        }
        a->b.modules[i].addr = addr;
        a->b.modules[i].file = end + 1;
        a->b.num_modules = i + 1u;
    }
    return 0;
}

/* Implements: LLR-TOOL-010, LLR-TOOL-029 (each subcommand takes exactly its documented
 * options and one input; anything else is a usage error). */
static int parse(int argc, char **argv, const struct command *c, struct args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return help(c) - 1; /* -1: done */
        }
        if (argv[i][0] != '-' && a->input == NULL) {
            a->input = argv[i];
            continue;
        }
        if (strcmp(argv[i], "--print-placement") == 0 && (c->opts & OPT_PLACEMENT) != 0) {
            a->print_placement = 1;
            continue;
        }
        const char **s = slot(a, c, argv[i]);
        if (s == NULL || i + 1 >= argc) {
            fprintf(stderr, "bulkhead %s: bad option or argument '%s'\nusage: bulkhead %s\n",
                    c->name, argv[i], c->usage);
            return BHB_USAGE;
        }
        *s = argv[++i];
    }
    if (a->input == NULL || ((c->opts & OPT_O) != 0 && a->out == NULL && c != &commands[CMD_RUN] &&
                             c != &commands[CMD_IMPORT])) {
        fprintf(stderr, "bulkhead %s: missing argument\nusage: bulkhead %s\n", c->name, c->usage);
        return BHB_USAGE;
    }
    a->b.src = a->input;
    return parse_modules(a, c);
}

static int write_out(const char *path, const struct bhi_buf *b)
{
    struct bhi_status st;
    if (bhi_write_file(path, b->data, b->size, &st) != 0) {
        fprintf(stderr, "bulkhead: %s\n", st.msg);
        return BHB_IO;
    }
    return BHB_OK;
}

/* Boot image in QEMU with the project's one command line (scripts/qemu.flags,
 * compiled in as BH_QEMU_FLAGS). Returns only on failure. */
static int exec_qemu(const char *image)
{
    static char flags[] = BH_QEMU_FLAGS;
    char *argv[32];
    size_t n = 0;
    const char *qemu = getenv("QEMU") != NULL ? getenv("QEMU") : "qemu-system-aarch64";
    argv[n++] = (char *)qemu;
    for (char *f = strtok(flags, " "); f != NULL && n < 29; f = strtok(NULL, " ")) {
        argv[n++] = f;
    }
    argv[n++] = "-kernel";
    argv[n++] = (char *)image;
    argv[n] = NULL;
    fflush(NULL);
    execvp(qemu, argv);
    perror(qemu);
    return BHB_IO;
}

/* Implements: LLR-TOOL-066 (after the source's directory and every -I, files
 * are looked for in the build's outputs: build/<toolchain>, then build/, of
 * the tree whose build/host/tools/ (or build/host-<variant>/tools/, such as
 * the sanitizer build) holds this program; the toolchain is
 * $BULKHEAD_TOOLCHAIN, default clang). Nothing is added when the program
 * does not sit in such a tree or the directories do not exist. */
static void add_build_dirs(struct bhb_opts *o)
{
    static char exe[BHI_PATH_MAX];
    static char dirs[2][BHI_PATH_MAX + 64];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0 || (size_t)len >= sizeof(exe) - 1) {
        return;
    }
    exe[len] = '\0';
    const char *suffix = "/tools/bulkhead";
    size_t slen = strlen(suffix);
    if ((size_t)len <= slen || strcmp(exe + (size_t)len - slen, suffix) != 0) {
        return;
    }
    exe[(size_t)len - slen] = '\0'; /* exe is now build/host or build/host-<variant> */
    char *host = strrchr(exe, '/');
    if (host == NULL || (strcmp(host, "/host") != 0 && strncmp(host, "/host-", 6) != 0)) {
        return;
    }
    *host = '\0'; /* exe is now the build directory */
    const char *tc = getenv("BULKHEAD_TOOLCHAIN");
    tc = tc != NULL && tc[0] != '\0' ? tc : "clang";
    snprintf(dirs[0], sizeof(dirs[0]), "%s/%.60s", exe, tc);
    snprintf(dirs[1], sizeof(dirs[1]), "%s", exe);
    for (size_t i = 0; i < 2 && o->num_search < BHB_MAX_SEARCH; i++) {
        if (access(dirs[i], R_OK | X_OK) == 0) {
            o->search[o->num_search++] = dirs[i];
        }
    }
}

static int cmd_build(const struct args *a, int cmd)
{
    struct bhd_diag d = {stderr, a->input, NULL, 0, 0, 0};
    static struct bhb_result r;
    int rc = bhb_build(&a->b, &r, &d);
    bhd_diag_free(&d);
    if (rc == BHB_OK && r.image.data == NULL && cmd != CMD_CHECK) {
        rc = BHB_CONFIG;
    }
    if (rc == BHB_OK && cmd == CMD_CHECK) {
        printf("%s: ok: %u partitions, %u CPUs\n", a->input, r.s.sys.num_parts, r.s.sys.num_cpus);
    } else if (rc == BHB_OK && cmd == CMD_SHOW) {
        struct bhi_status st;
        const struct bh_cfg *cfg = (const struct bh_cfg *)(void *)r.blob.buf.data;
        printf("system %s: ", r.name);
        bhs_text(cfg, r.blob_off, r.image.size, stdout);
        if (bhs_svg(cfg, r.blob_off, r.image.size, r.name, a->out_dir ? a->out_dir : ".", &st)) {
            fprintf(stderr, "bulkhead: %s\n", st.msg);
            rc = BHB_IO;
        }
    } else if (rc == BHB_OK) {
        char tmp[256];
        snprintf(tmp, sizeof(tmp), "/tmp/bulkhead-%s.img", r.name);
        const char *out = a->out != NULL ? a->out : tmp;
        rc = write_out(out, &r.image);
        rc = rc == BHB_OK && a->blob != NULL ? write_out(a->blob, &r.blob.buf) : rc;
        if (rc == BHB_OK && a->print_placement) {
            bhp_print(&r.s, stdout);
        }
        if (rc == BHB_OK) {
            printf("%s: %u partitions, blob %zu bytes at +0x%llx, image %zu bytes -> %s%s\n",
                   r.name, r.s.sys.num_parts, r.blob.buf.size, (unsigned long long)r.blob_off,
                   r.image.size, out, a->b.corrupt ? " (corrupt, rejected as intended)" : "");
        }
        if (rc == BHB_OK && cmd == CMD_RUN) {
            rc = exec_qemu(out);
        }
    } else if (a->out != NULL && a->b.corrupt == NULL) {
        remove(a->out); /* never leave a stale image behind an invalid system */
    }
    bhb_free(&r);
    return rc;
}

static int cmd_decode(const struct args *a)
{
    struct bhi_status st;
    struct bhi_buf img = {NULL, 0};
    if (bhi_read_file(a->input, &img, &st) != 0) {
        fprintf(stderr, "bulkhead: %s\n", st.msg);
        return BHB_IO;
    }
    int rc = bhx_decode(&img, a->input, stdout, a->extract);
    bhi_buf_free(&img);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return usage_all(stderr);
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage_all(stdout);
        return BHB_OK;
    }
    int cmd = 0;
    while (cmd < CMD_COUNT && strcmp(argv[1], commands[cmd].name) != 0) {
        cmd++;
    }
    if (cmd == CMD_COUNT) {
        fprintf(stderr, "bulkhead: unknown command '%s'\n", argv[1]);
        return usage_all(stderr);
    }
    static struct args a;
    int rc = parse(argc, argv, &commands[cmd], &a);
    if (rc != 0) {
        return rc < 0 ? BHB_OK : rc;
    }
    if (cmd == CMD_IMPORT) {
        return bhm_import(a.input, a.out, stderr);
    }
    add_build_dirs(&a.b);
    return cmd == CMD_DECODE ? cmd_decode(&a) : cmd_build(&a, cmd);
}
