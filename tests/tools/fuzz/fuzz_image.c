/*
 * libFuzzer target: the arm64 Image header and image packing on arbitrary
 * bytes taken as an image (the seeds: fake images with chosen headers, the
 * hypervisor and guest programs of the build when present).
 * - As the hypervisor: bhi_pack puts a real blob behind it; when it packs,
 *   the result must keep the packing rule (blob at a 64 KiB boundary at or
 *   past image_size, hypervisor bytes first, header image_size = output
 *   size), and the blob is found and boot-checked in it as decode does.
 * - As a partition's kernel: placed by its header (text_offset, image_size)
 *   and added to a blob, which is boot-checked.
 * Any crash, sanitizer report, broken rule (abort) or hang is a failure.
 * Verifies: LLR-TOOL-067, LLR-TOOL-001, LLR-TOOL-002, LLR-TOOL-006, LLR-TOOL-012 (robustness)
 */
#include <stdlib.h>
#include <string.h>

#include "bhimage.h"
#include "platform.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const struct sys_desc one_part = {
    .name = "fuzz",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 1,
    .parts = {{.name = "p0",
               .ram_gpa = 0x40000000u,
               .ram_pa = 0x48000000u,
               .ram_size = 0x1000000u,
               .program = "p0",
               .num_vcpus = 1}},
};

/* One blob of one_part with image as its kernel; 0 and b filled, or -1. */
static int blob_of(const struct bhi_buf *image, struct bhi_blob *b)
{
    struct bhi_status st;
    b->buf.data = NULL;
    b->buf.size = 0;
    int rc = bhi_blob_begin(b, &one_part, &st);
    rc = rc != 0 ? rc : bhi_blob_add_part(b, 0, &one_part.parts[0], image, &st);
    rc = rc != 0 ? rc : bhi_blob_end(b, &st);
    if (rc != 0) {
        bhi_buf_free(&b->buf);
    }
    return rc;
}

/* The blob every input is packed with: a 4 KiB fake kernel's. */
static const struct bhi_buf *fixed_blob(void)
{
    static struct bhi_blob b;
    if (b.buf.data == NULL) {
        struct bhi_buf k = {calloc(1, 0x1000), 0x1000};
        if (k.data == NULL) {
            abort();
        }
        bhi_put_le64(k.data + BHI_ARM64_OFF_IMAGE_SIZE, 0x4000);
        bhi_put_le64(k.data + BHI_ARM64_OFF_MAGIC, BHI_ARM64_MAGIC);
        if (blob_of(&k, &b) != 0) {
            abort();
        }
        bhi_buf_free(&k);
    }
    return &b.buf;
}

static void as_hypervisor(const struct bhi_buf *hyp, const struct bhi_arm64_hdr *h)
{
    static struct cfg_report rep;
    struct bhi_status st;
    struct bhi_buf out = {NULL, 0};
    const struct bhi_buf *blob = fixed_blob();
    uint64_t off = 0, found = 0;
    if (bhi_pack(hyp, blob, &out, &off, &st) != 0) {
        return;
    }
    /* the packing rule (LLR-TOOL-006) */
    if (off % PLAT_BLOB_ALIGN != 0 || off < h->image_size || off - h->image_size >= PLAT_BLOB_ALIGN ||
        out.size != off + blob->size || out.size > BHI_MAX_FILE ||
        bhi_get_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE) != out.size ||
        memcmp(out.data + BHI_ARM64_OFF_MAGIC, hyp->data + BHI_ARM64_OFF_MAGIC, 8) != 0 ||
        memcmp(out.data + off, blob->data, blob->size) != 0) {
        abort();
    }
    /* the blob is found where it was put, unless a copy in the hypervisor
     * bytes comes first (then at a lower boundary) */
    if (bhi_find_blob(&out, &found, &st) != 0 || found > off) {
        abort();
    }
    (void)bhi_validate_image(&out, found, &rep);
    bhi_buf_free(&out);
}

static void as_kernel(const struct bhi_buf *img)
{
    static struct cfg_report rep;
    struct bhi_blob b;
    if (blob_of(img, &b) != 0) {
        return;
    }
    struct cfg_platform pl;
    bhi_platform(0x100000, &pl);
    (void)cfg_validate(b.buf.data, b.buf.size, &pl, &rep);
    bhi_buf_free(&b.buf);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct bhi_status st;
    struct bhi_arm64_hdr h;
    /* a heap copy, so that ASan sees every read past the end */
    struct bhi_buf img = {malloc(size + 1u), size};
    if (img.data == NULL) {
        return 0;
    }
    memcpy(img.data, data, size);
    if (bhi_arm64_parse(img.data, img.size, &h, &st) == 0) {
        as_hypervisor(&img, &h);
        as_kernel(&img);
    }
    bhi_buf_free(&img);
    return 0;
}
