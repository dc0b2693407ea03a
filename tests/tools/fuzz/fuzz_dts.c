/*
 * libFuzzer target: the device-tree front end on arbitrary bytes taken as a
 * flattened device tree; when it accepts the tree, the blob is built with a
 * fake partition image and checked with cfg_validate, as `bulkhead check`
 * does. Any crash, sanitizer report or hang is a failure.
 * Verifies: LLR-TOOL-022 .. LLR-TOOL-025, LLR-TOOL-005 (robustness)
 */
#include <stdlib.h>
#include <string.h>

#include "bhdts.h"
#include "platform.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void build_and_check(const struct bhd_system *s)
{
    static struct cfg_report rep;
    struct bhi_status st;
    struct bhi_blob b = {{NULL, 0}};
    struct bhi_buf img = {calloc(1, 256), 256};
    if (img.data == NULL) {
        return;
    }
    bhi_put_le64(img.data + BHI_ARM64_OFF_IMAGE_SIZE, 0x4000);
    bhi_put_le64(img.data + BHI_ARM64_OFF_MAGIC, BHI_ARM64_MAGIC);
    int rc = bhi_blob_begin(&b, &s->sys, &st);
    for (uint32_t i = 0; rc == 0 && i < s->sys.num_parts; i++) {
        rc = bhi_blob_add_part(&b, i, &s->sys.parts[i], &img, &st);
    }
    rc = rc != 0 ? rc : bhi_blob_end(&b, &st);
    if (rc == 0) {
        struct cfg_platform pl;
        bhi_platform(0x100000, &pl);
        (void)cfg_validate(b.buf.data, b.buf.size, &pl, &rep);
    }
    bhi_buf_free(&b.buf);
    bhi_buf_free(&img);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct bhd_system s;
    struct bhd_diag d = {NULL, "fuzz", NULL, 0, 0, 0};
    void *copy = malloc(size + 1u); /* libfdt wants the tree 8-byte aligned */
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, data, size);
    if (bhd_parse(copy, size, &s, &d) == 0) {
        build_and_check(&s);
    }
    free(copy);
    return 0;
}
