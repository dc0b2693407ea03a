/*
 * <system>-gen: the command-line driver linked with one config/<system>.c.
 * Builds the system's configuration blob, packs it behind the hypervisor,
 * runs the hypervisor's own boot check on the result and writes the image.
 *
 *   <system>-gen --hyp HYP.bin --guests DIR -o OUT.img [--corrupt KIND] [--blob OUT.blob]
 *
 * Exit status: 0 image written; 1 the system or its inputs are invalid (no
 * image written), or with --corrupt the broken image was not rejected;
 * 2 usage error. With --corrupt the image is written although (because) the
 * boot check rejects it; the errors it reports go to stderr.
 */
#include <stdio.h>
#include <string.h>

#include "bhimage.h"

extern const struct sys_desc bh_system;

struct options {
    const char *hyp;
    const char *guests;
    const char *out;
    const char *corrupt;
    const char *blob;
};

static int usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s --hyp HYP.bin --guests DIR -o OUT.img [--corrupt KIND] [--blob OUT.blob]\n"
            "  KIND:",
            prog);
    for (uint32_t i = 0; bhi_corrupt_kind(i) != NULL; i++) {
        fprintf(stderr, " %s", bhi_corrupt_kind(i));
    }
    fprintf(stderr, "\n");
    return 2;
}

/* Implements: LLR-TOOL-010 (options: all required ones present, none unknown). */
static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--hyp")       ? &o->hyp
                            : !strcmp(a, "--guests")  ? &o->guests
                            : !strcmp(a, "-o")        ? &o->out
                            : !strcmp(a, "--corrupt") ? &o->corrupt
                            : !strcmp(a, "--blob")    ? &o->blob
                                                      : NULL;
        if (slot == NULL || v == NULL) {
            return -1;
        }
        *slot = v;
    }
    return o->hyp != NULL && o->guests != NULL && o->out != NULL ? 0 : -1;
}

static int report(const struct cfg_report *rep, uint32_t n)
{
    for (uint32_t i = 0; i < n && i < CFG_MAX_ERRORS; i++) {
        fprintf(stderr, "%s: error: %s: %s\n", bh_system.name, rep->err[i].field, rep->err[i].msg);
    }
    if (n > CFG_MAX_ERRORS) {
        fprintf(stderr, "%s: error: %u more errors not shown\n", bh_system.name,
                n - CFG_MAX_ERRORS);
    }
    return 1;
}

static int write_outputs(const struct options *o, const struct bhi_buf *img,
                         const struct bhi_buf *blob, struct bhi_status *st)
{
    if (bhi_write_file(o->out, img->data, img->size, st) != 0) {
        return -1;
    }
    return o->blob != NULL ? bhi_write_file(o->blob, blob->data, blob->size, st) : 0;
}

/* Build, (optionally) corrupt, pack and check; fills img and blob offset. */
static int build(const struct options *o, struct bhi_blob *b, struct bhi_buf *img,
                 uint64_t *blob_off, struct bhi_status *st)
{
    struct bhi_buf hyp = {NULL, 0};
    int rc = bhi_build_blob(&bh_system, o->guests, b, st);
    rc = rc != 0 || o->corrupt == NULL ? rc : bhi_corrupt(b, o->corrupt, st);
    rc = rc != 0 ? rc : bhi_read_file(o->hyp, &hyp, st);
    if (rc == 0 && bhi_pack(&hyp, &b->buf, img, blob_off, st) != 0) {
        char why[BHI_MSG_LEN];
        snprintf(why, sizeof(why), "%s", st->msg);
        snprintf(st->msg, sizeof(st->msg), "%.120s: %.120s", o->hyp, why);
        rc = -1;
    }
    bhi_buf_free(&hyp);
    return rc;
}

/* Implements: LLR-TOOL-010 (driver: build, check with cfg_validate, write only
 * a valid image unless a corrupt one was asked for). */
int main(int argc, char **argv)
{
    struct options o;
    struct bhi_status st = {{0}};
    struct bhi_blob b = {{NULL, 0}};
    struct bhi_buf img = {NULL, 0};
    static struct cfg_report rep;
    uint64_t blob_off = 0;
    if (parse_args(argc, argv, &o) != 0) {
        return usage(argv[0]);
    }
    int rc = build(&o, &b, &img, &blob_off, &st);
    uint32_t n = rc == 0 ? bhi_validate_image(&img, blob_off, &rep) : 0;
    if (rc == 0 && n != 0) {
        rc = report(&rep, n);
        rc = o.corrupt != NULL ? 0 : rc;
    } else if (rc == 0 && o.corrupt != NULL) {
        snprintf(st.msg, sizeof(st.msg), "--corrupt %s: the boot check accepts the image",
                 o.corrupt);
        rc = -1;
    }
    rc = rc == 0 ? write_outputs(&o, &img, &b.buf, &st) : rc;
    if (rc < 0) {
        fprintf(stderr, "%s: error: %s\n", bh_system.name, st.msg);
    } else if (rc == 0) {
        printf("%s: %u partitions, blob %zu bytes at +0x%llx, image %zu bytes -> %s%s\n",
               bh_system.name, bh_system.num_parts, b.buf.size, (unsigned long long)blob_off,
               img.size, o.out, o.corrupt != NULL ? " (corrupt, rejected as intended)" : "");
    }
    if (rc != 0 && o.corrupt == NULL) {
        remove(o.out); /* never leave a stale image behind an invalid system */
    }
    bhi_buf_free(&img);
    bhi_buf_free(&b.buf);
    return rc == 0 ? 0 : 1;
}
