/*
 * Host tests of the bhimage library: Image header, placement, device tree,
 * blob building, corruption kinds and packing. Each test prints one line,
 * "PASS tools/<name>" or "FAIL tools/<name>"; the exit status is non-zero
 * when any test failed.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhimage.h"
#include "platform.h"

static int failures_in_test;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);             \
            failures_in_test++;                                                                    \
        }                                                                                          \
    } while (0)

#define MIB(n) ((uint64_t)(n) << 20)

/* A fake arm64 Image of size bytes (>= 64) with the given header fields. */
static struct bhi_buf fake_image(size_t size, uint64_t text_offset, uint64_t image_size)
{
    struct bhi_buf b = {calloc(1, size), size};
    bhi_put_le64(b.data + BHI_ARM64_OFF_TEXT_OFFSET, text_offset);
    bhi_put_le64(b.data + BHI_ARM64_OFF_IMAGE_SIZE, image_size);
    bhi_put_le64(b.data + BHI_ARM64_OFF_MAGIC, BHI_ARM64_MAGIC);
    return b;
}

static const struct sys_desc two_parts = {
    .name = "t",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 2,
    .parts =
        {
            {"p0", 0x40000000, 0x48000000, MIB(16), "prog", 1, {0}, NULL, 0, 0, 0, 0, {0}, 0, NULL, 0, 0, 0, 0, {{0}}, {0}, 0, {0}, {0}, 0},
            {"p1", 0x40000000, 0x49000000, MIB(16), "prog", 2, {1, 0}, NULL, 0, 0, 0, 0, {0}, 0, NULL, 0, 0, 0, 0, {{0}}, {0}, 0, {0}, {0}, 0},
        },
};

/* The two-partition blob above, built from fake images. */
static void build_two(struct bhi_blob *b)
{
    struct bhi_status st;
    struct bhi_buf img = fake_image(200, 0, 0x3000);
    CHECK(bhi_blob_begin(b, &two_parts, &st) == 0);
    CHECK(bhi_blob_add_part(b, 0, &two_parts.parts[0], &img, &st) == 0);
    CHECK(bhi_blob_add_part(b, 1, &two_parts.parts[1], &img, &st) == 0);
    CHECK(bhi_blob_end(b, &st) == 0);
    bhi_buf_free(&img);
}

/* Validate blob as the hypervisor would, packed behind a 64 KiB hypervisor,
 * the packed image first broken by corruption kind (NULL: none). */
static uint32_t validate_corrupt(const struct bhi_buf *blob, const char *kind,
                                 struct cfg_report *rep)
{
    struct bhi_status st;
    struct bhi_buf hyp = fake_image(4096, 0, 0x10000), out = {NULL, 0};
    uint64_t off = 0;
    CHECK(bhi_pack(&hyp, blob, &out, &off, &st) == 0);
    if (kind != NULL) {
        CHECK(bhi_corrupt_image(&out, off, kind, &st) == 0);
    }
    uint32_t n = bhi_validate_image(&out, off, rep);
    bhi_buf_free(&hyp);
    bhi_buf_free(&out);
    return n;
}

static uint32_t validate_blob(const struct bhi_buf *blob, struct cfg_report *rep)
{
    return validate_corrupt(blob, NULL, rep);
}

/* Verifies: LLR-TOOL-001 */
static void test_arm64_header(void)
{
    struct bhi_status st;
    struct bhi_arm64_hdr h;
    struct bhi_buf img = fake_image(100, 0x80000, 0x5000);
    CHECK(bhi_arm64_parse(img.data, img.size, &h, &st) == 0);
    CHECK(h.text_offset == 0x80000 && h.image_size == 0x5000 && h.flags == 0);
    CHECK(bhi_arm64_parse(img.data, 63, &h, &st) == -1);
    CHECK(strstr(st.msg, "not an arm64 Image") != NULL);
    img.data[BHI_ARM64_OFF_MAGIC] ^= 1u;
    CHECK(bhi_arm64_parse(img.data, img.size, &h, &st) == -1);
    CHECK(strstr(st.msg, "magic") != NULL);
    bhi_buf_free(&img);
}

/* Verifies: LLR-TOOL-002 */
static void test_place_image(void)
{
    struct bhi_status st;
    struct bh_cfg_part part;
    struct sys_part_desc p = two_parts.parts[0];
    struct bhi_arm64_hdr h = {0x80000, 0, 0};
    memset(&part, 0, sizeof(part));
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == 0);
    CHECK(part.image_gpa == 0x40080000 && part.entry_gpa == 0x40080000);
    CHECK(part.image_size == 300 && part.image_mem_size == 300);
    h.image_size = 0x9000;
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == 0 && part.image_mem_size == 0x9000);
    h.image_size = 100;
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == -1);
    CHECK(strstr(st.msg, "below the file size") != NULL);
    h.image_size = 0x100000000ull;
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == -1);
    h.image_size = 0;
    h.text_offset = MIB(17);
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == -1);
    h.text_offset = 0;
    p.ram_gpa = 0x40100000;
    CHECK(bhi_place_image(&p, &h, 300, &part, &st) == -1);
    CHECK(strstr(st.msg, "2 MiB") != NULL);
}

/* Verifies: LLR-TOOL-003 */
static void test_place_dtb(void)
{
    struct bhi_status st;
    struct bh_cfg_part part;
    struct sys_part_desc p = two_parts.parts[0];
    memset(&part, 0, sizeof(part));
    part.image_gpa = 0x40000000;
    part.image_mem_size = 0x100000;
    CHECK(bhi_place_dtb(&p, 1500, &part, &st) == 0);
    CHECK(part.dtb_gpa == 0x40000000 + MIB(14) && part.dtb_size == 1500);
    CHECK(bhi_place_dtb(&p, MIB(2), &part, &st) == 0 && part.dtb_gpa == 0x40000000 + MIB(14));
    CHECK(bhi_place_dtb(&p, MIB(2) + 1, &part, &st) == 0 && part.dtb_gpa == 0x40000000 + MIB(12));
    CHECK(bhi_place_dtb(&p, MIB(17), &part, &st) == -1);
    part.image_mem_size = (uint32_t)MIB(15);
    CHECK(bhi_place_dtb(&p, 1500, &part, &st) == -1);
    CHECK(strstr(st.msg, "above the image") != NULL);
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
    int node = fdt_path_offset(fdt, path);
    return node < 0 ? NULL : fdt_getprop(fdt, node, name, len);
}

static uint32_t cell(const void *p, int i)
{
    return fdt32_to_cpu(((const fdt32_t *)p)[i]);
}

/* Verifies: LLR-TOOL-004 */
static void test_make_dtb(void)
{
    struct bhi_status st;
    struct bhi_buf dtb = {NULL, 0};
    int len = 0;
    CHECK(bhi_make_dtb(&two_parts.parts[1], &dtb, &st) == 0);
    CHECK(fdt_check_header(dtb.data) == 0 && fdt_totalsize(dtb.data) == dtb.size);
    const void *fdt = dtb.data;
    CHECK(strcmp(prop(fdt, "/", "model", &len), "Bulkhead partition p1") == 0);
    CHECK(strcmp(prop(fdt, "/chosen", "stdout-path", &len), "/pl011@22000000") == 0);
    const void *reg = prop(fdt, "/memory@40000000", "reg", &len);
    CHECK(reg != NULL && len == 16 && cell(reg, 1) == 0x40000000 && cell(reg, 3) == MIB(16));
    CHECK(prop(fdt, "/cpus/cpu@1", "reg", &len) != NULL &&
          prop(fdt, "/cpus/cpu@2", "reg", &len) == NULL);
    reg = prop(fdt, "/interrupt-controller@3001000", "reg", &len);
    CHECK(reg != NULL && len == 32 && cell(reg, 1) == 0x03001000 && cell(reg, 5) == 0x03020000);
    CHECK(reg != NULL && cell(reg, 7) == 0x40000);
    CHECK(fdt_get_phandle(fdt, fdt_path_offset(fdt, "/interrupt-controller@3001000")) == 1u);
    const void *irq = prop(fdt, "/timer", "interrupts", &len);
    CHECK(irq != NULL && len == 48 && cell(irq, 1) == 13 && cell(irq, 4) == 14);
    CHECK(irq != NULL && cell(irq, 7) == 11 && cell(irq, 10) == 10 && cell(irq, 11) == 4);
    const char *compat = prop(fdt, "/hypervisor", "compatible", &len);
    CHECK(compat != NULL && len == 21 && strcmp(compat, "xen,xen-4.17") == 0);
    irq = prop(fdt, "/hypervisor", "interrupts", &len);
    CHECK(irq != NULL && cell(irq, 0) == 1 && cell(irq, 1) == 15);
    irq = prop(fdt, "/pl011@22000000", "interrupts", &len);
    CHECK(irq != NULL && cell(irq, 0) == 0 && cell(irq, 1) == 0 && cell(irq, 2) == 4);
    compat = prop(fdt, "/psci", "compatible", &len);
    CHECK(compat != NULL && len == 26 && strcmp(compat, "arm,psci-1.0") == 0 &&
          strcmp(compat + 13, "arm,psci-0.2") == 0);
    CHECK(strcmp(prop(fdt, "/psci", "method", &len), "hvc") == 0);
    CHECK(strcmp(prop(fdt, "/cpus/cpu@1", "enable-method", &len), "psci") == 0);
    CHECK(prop(fdt, "/chosen", "linux,initrd-start", &len) == NULL);
    bhi_buf_free(&dtb);

    /* No /hypervisor node; initrd range in /chosen as 64-bit values. */
    struct sys_part_desc d = two_parts.parts[0];
    d.no_xen_node = 1;
    d.ramdisk_gpa = 0x140000000ull;
    d.ramdisk_size = 0x1234;
    CHECK(bhi_make_dtb(&d, &dtb, &st) == 0);
    fdt = dtb.data;
    CHECK(fdt_path_offset(fdt, "/hypervisor") < 0 && fdt_path_offset(fdt, "/psci") >= 0);
    reg = prop(fdt, "/chosen", "linux,initrd-start", &len);
    CHECK(reg != NULL && len == 8 && cell(reg, 0) == 1 && cell(reg, 1) == 0x40000000);
    reg = prop(fdt, "/chosen", "linux,initrd-end", &len);
    CHECK(reg != NULL && len == 8 && cell(reg, 0) == 1 && cell(reg, 1) == 0x40001234);
    bhi_buf_free(&dtb);
}

/* Verifies: LLR-TOOL-014 (ramdisk page aligned below the device tree, above
 * the image; the device tree names it) */
static void test_place_ramdisk(void)
{
    struct bhi_status st;
    struct bh_cfg_part part;
    memset(&part, 0, sizeof(part));
    part.image_gpa = 0x40000000;
    part.image_mem_size = 0x100000;
    part.dtb_gpa = 0x40e00000;
    CHECK(bhi_place_ramdisk(0x1800, &part, &st) == 0);
    CHECK(part.ramdisk_gpa == 0x40dfe000 && part.ramdisk_size == 0x1800);
    CHECK(bhi_place_ramdisk(0xd00000, &part, &st) == 0 && part.ramdisk_gpa == 0x40100000);
    CHECK(bhi_place_ramdisk(0xd00001, &part, &st) == -1);
    CHECK(strstr(st.msg, "does not fit") != NULL);
    part.image_mem_size = 0x100800; /* image ends inside a page */
    CHECK(bhi_place_ramdisk(0xcff400, &part, &st) == -1);
    CHECK(strstr(st.msg, "no page boundary") != NULL);
    CHECK(bhi_place_ramdisk(1ull << 32, &part, &st) == -1);
    part.dtb_gpa = 0x40080000; /* below the image end */
    CHECK(bhi_place_ramdisk(16, &part, &st) == -1);

    /* The whole placement: the device tree names the ramdisk it placed. */
    struct bhi_arm64_hdr h = {0, 0x3000, 0};
    struct bhi_buf dtb = {NULL, 0};
    memset(&part, 0, sizeof(part));
    CHECK(bhi_place_all(&two_parts.parts[0], &h, 200, 0x10000, &part, &dtb, &st) == 0);
    CHECK(part.dtb_gpa == 0x40e00000 && part.ramdisk_gpa == 0x40df0000);
    int len = 0;
    const void *reg = prop(dtb.data, "/chosen", "linux,initrd-start", &len);
    CHECK(reg != NULL && cell(reg, 1) == 0x40df0000);
    bhi_buf_free(&dtb);
    CHECK(bhi_place_all(&two_parts.parts[0], &h, 200, MIB(15), &part, &dtb, &st) == -1);
    CHECK(dtb.data == NULL);
}

/* Verifies: LLR-TOOL-005 (ramdisk bytes in the payload, flags from the description) */
static void test_blob_ramdisk(void)
{
    struct bhi_status st;
    struct bhi_blob b = {{NULL, 0}};
    struct bhi_buf img = fake_image(200, 0, 0x3000);
    struct bhi_buf rd = {(uint8_t *)(uintptr_t)"RAMDISK!", 8};
    struct sys_part_desc d = two_parts.parts[1];
    d.ramdisk = &rd;
    d.no_xen_node = 1;
    CHECK(bhi_blob_begin(&b, &two_parts, &st) == 0);
    CHECK(bhi_blob_add_part(&b, 0, &two_parts.parts[0], &img, &st) == 0);
    CHECK(bhi_blob_add_part(&b, 1, &d, &img, &st) == 0);
    CHECK(bhi_blob_end(&b, &st) == 0);
    const struct bh_cfg *cfg = (const struct bh_cfg *)(const void *)b.buf.data;
    const struct bh_cfg_part *p = &cfg->parts[1];
    CHECK(p->ramdisk_size == 8 && p->ramdisk_gpa == 0x40dff000 && p->flags == 4u);
    CHECK(memcmp(b.buf.data + p->ramdisk_offset, "RAMDISK!", 8) == 0);
    CHECK(cfg->parts[0].ramdisk_size == 0 && cfg->parts[0].ramdisk_offset == 0 &&
          cfg->parts[0].flags == 0);
    struct cfg_report rep;
    CHECK(validate_blob(&b.buf, &rep) == 0);
    bhi_buf_free(&b.buf);
    bhi_buf_free(&img);
}

/* Verifies: LLR-TOOL-009 */
static void test_check_system(void)
{
    struct bhi_status st;
    struct sys_desc s = two_parts;
    CHECK(bhi_check_system(&s, &st) == 0);
    s.num_parts = 0;
    CHECK(bhi_check_system(&s, &st) == -1 && strstr(st.msg, "num_parts") != NULL);
    s.num_parts = BH_CFG_MAX_PARTS + 1u;
    CHECK(bhi_check_system(&s, &st) == -1);
    s.num_parts = 2;
    s.parts[1].name = "a_name_of_16_chr";
    CHECK(bhi_check_system(&s, &st) == -1 && strstr(st.msg, "parts[1].name") != NULL);
    s.parts[1].name = NULL;
    CHECK(bhi_check_system(&s, &st) == -1);
    s.parts[1].name = "p1";
    s.parts[1].num_vcpus = BH_CFG_MAX_VCPUS + 1u;
    CHECK(bhi_check_system(&s, &st) == -1 && strstr(st.msg, "num_vcpus") != NULL);
    s.parts[1].num_vcpus = 1;
    s.parts[1].program = "";
    CHECK(bhi_check_system(&s, &st) == -1 && strstr(st.msg, "program") != NULL);
    struct bhi_blob b = {{NULL, 0}};
    CHECK(bhi_blob_begin(&b, &s, &st) == -1 && b.buf.data == NULL);
}

/* Verifies: LLR-TOOL-005, LLR-TOOL-007 */
static void test_blob(void)
{
    struct bhi_blob b = {{NULL, 0}};
    static struct cfg_report rep;
    build_two(&b);
    const struct bh_cfg *c = (const struct bh_cfg *)(const void *)b.buf.data;
    CHECK(c->magic == BH_CFG_MAGIC && c->version == BH_CFG_VERSION && c->num_parts == 2);
    CHECK(c->total_size == b.buf.size && b.buf.size % 8u == 0);
    CHECK(c->checksum == cfg_blob_checksum(c));
    CHECK(c->parts[0].image_offset == sizeof(struct bh_cfg));
    for (uint32_t i = 0; i < 2; i++) {
        CHECK(c->parts[i].image_offset % 8u == 0 && c->parts[i].dtb_offset % 8u == 0);
        CHECK(c->parts[i].dtb_gpa == 0x40000000 + MIB(14));
        CHECK(fdt_check_header(b.buf.data + c->parts[i].dtb_offset) == 0);
    }
    CHECK(c->parts[1].vcpu_cpu[0] == 1 && c->parts[1].num_vcpus == 2);
    static const struct bh_cfg_part zero;
    CHECK(memcmp(&c->parts[2], &zero, sizeof(zero)) == 0);
    CHECK(validate_blob(&b.buf, &rep) == 0);
    bhi_buf_free(&b.buf);
}

/* Verifies: LLR-TOOL-005 */
static void test_blob_bad_part(void)
{
    struct bhi_status st;
    struct bhi_blob b = {{NULL, 0}};
    struct bhi_buf img = fake_image(64, 0, 0);
    CHECK(bhi_blob_begin(&b, &two_parts, &st) == 0);
    CHECK(bhi_blob_add_part(&b, BH_CFG_MAX_PARTS, &two_parts.parts[0], &img, &st) == -1);
    img.data[BHI_ARM64_OFF_MAGIC] = 0;
    CHECK(bhi_blob_add_part(&b, 0, &two_parts.parts[0], &img, &st) == -1);
    CHECK(b.buf.size == sizeof(struct bh_cfg));
    bhi_buf_free(&b.buf);
    CHECK(bhi_build_blob(&two_parts, "/nonexistent", &b, &st) == -1);
    CHECK(strstr(st.msg, "parts[0] (p0, /nonexistent/prog.bin)") != NULL);
    bhi_buf_free(&img);
    bhi_buf_free(&b.buf);
}

/* Verifies: LLR-TOOL-008, LLR-TOOL-007 */
static void test_corrupt(void)
{
    static const char *const expect[] = {
        "header.checksum", "header.magic",         "header.version",        "parts[1].ram_pa",
        "parts[0].ram_pa", "parts[0].vcpu_cpu[0]", "parts[0].image_offset", "header.total_size",
        "image",
    };
    static struct cfg_report rep;
    struct bhi_status st;
    uint32_t k = 0;
    for (; bhi_corrupt_kind(k) != NULL; k++) {
        struct bhi_blob b = {{NULL, 0}};
        build_two(&b);
        CHECK(bhi_corrupt(&b, bhi_corrupt_kind(k), &st) == 0);
        uint32_t n = validate_corrupt(&b.buf, bhi_corrupt_kind(k), &rep);
        int found = 0;
        for (uint32_t i = 0; i < n && i < CFG_MAX_ERRORS; i++) {
            found |= strcmp(rep.err[i].field, expect[k]) == 0;
        }
        if (!found) {
            fprintf(stderr, "  corrupt %s: no error on %s\n", bhi_corrupt_kind(k), expect[k]);
        }
        CHECK(n > 0 && found);
        bhi_buf_free(&b.buf);
    }
    CHECK(k == sizeof(expect) / sizeof(expect[0]));
    struct bhi_blob b = {{NULL, 0}};
    build_two(&b);
    CHECK(bhi_corrupt(&b, "nonsense", &st) == -1 && strstr(st.msg, "unknown") != NULL);
    ((struct bh_cfg *)(void *)b.buf.data)->num_parts = 1;
    CHECK(bhi_corrupt(&b, "overlap", &st) == -1);
    bhi_buf_free(&b.buf);
    /* image-size needs a packed image; it changes the header's image_size
     * and the blob's total_size, and the boot check names the image */
    struct bhi_buf none = {NULL, 0};
    CHECK(bhi_corrupt_image(&none, 0x10000, "image-size", &st) == -1 &&
          strstr(st.msg, "needs the hypervisor") != NULL);
    CHECK(bhi_corrupt_image(&none, 0x10000, "magic", &st) == 0); /* not an image kind */
    build_two(&b);
    struct bhi_buf hyp = fake_image(4096, 0, 0x10000), out = {NULL, 0};
    uint64_t off = 0;
    CHECK(bhi_pack(&hyp, &b.buf, &out, &off, &st) == 0);
    CHECK(bhi_corrupt_image(&out, off, "image-size", &st) == 0);
    CHECK(bhi_get_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE) == PLAT_RAM_SIZE);
    CHECK(((struct bh_cfg *)(void *)(out.data + off))->total_size == PLAT_RAM_SIZE - off);
    CHECK(bhi_validate_image(&out, off, &rep) == 1 && strcmp(rep.err[0].field, "image") == 0);
    bhi_buf_free(&out);
    bhi_buf_free(&hyp);
    bhi_buf_free(&b.buf);
}

/* Verifies: LLR-TOOL-007 (the boot check on the host sees the footprint of
 * the Image header's image_size, as the hypervisor does, and reads only the
 * bytes the file holds) */
static void test_validate_header_size(void)
{
    static struct cfg_report rep;
    struct bhi_status st;
    struct bhi_blob b = {{NULL, 0}};
    build_two(&b);
    struct bhi_buf hyp = fake_image(4096, 0, 0x10000), out = {NULL, 0};
    uint64_t off = 0;
    CHECK(bhi_pack(&hyp, &b.buf, &out, &off, &st) == 0);
    CHECK(bhi_validate_image(&out, off, &rep) == 0);
    /* a header image_size larger than the file, inside RAM: the blob is read
     * from the file alone */
    bhi_put_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE, MIB(64));
    CHECK(bhi_validate_image(&out, off, &rep) == 0);
    /* past the end of RAM: the image is refused */
    bhi_put_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE, PLAT_RAM_SIZE);
    CHECK(bhi_validate_image(&out, off, &rep) == 1 && strcmp(rep.err[0].field, "image") == 0);
    /* smaller than the file: the blob is cut where the hypervisor would see
     * it end */
    bhi_put_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE, off + sizeof(struct bh_cfg));
    CHECK(bhi_validate_image(&out, off, &rep) == 1 &&
          strcmp(rep.err[0].field, "header.total_size") == 0);
    bhi_buf_free(&out);
    bhi_buf_free(&hyp);
    bhi_buf_free(&b.buf);
}

/* Verifies: LLR-TOOL-006 */
static void test_pack(void)
{
    struct bhi_status st;
    struct bhi_buf hyp = fake_image(1000, 0, 0x12345), out = {NULL, 0};
    struct bhi_buf blob = {(uint8_t *)"BLOBDATA", 8};
    uint64_t off = 0;
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == 0);
    CHECK(off == 0x20000 && out.size == 0x20008);
    CHECK(bhi_get_le64(out.data + BHI_ARM64_OFF_IMAGE_SIZE) == 0x20008);
    CHECK(memcmp(out.data + off, "BLOBDATA", 8) == 0 && out.data[1000] == 0);
    CHECK(memcmp(out.data + BHI_ARM64_OFF_MAGIC, hyp.data + BHI_ARM64_OFF_MAGIC, 4) == 0);
    bhi_buf_free(&out);
    bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, 999);
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == -1 && strstr(st.msg, "below") != NULL);
    bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, 0x10000000);
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == -1 && strstr(st.msg, "too large") != NULL);
    hyp.data[BHI_ARM64_OFF_MAGIC + 3] = 0;
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == -1 && strstr(st.msg, "magic") != NULL);
    struct cfg_platform pl;
    bhi_platform(0x30000, &pl);
    CHECK(pl.hyp_base == PLAT_HYP_BASE && pl.hyp_end == PLAT_HYP_BASE + 0x30000);
    CHECK(pl.ram_base == PLAT_RAM_BASE && pl.num_cpus == PLAT_NUM_CPUS);
    bhi_buf_free(&hyp);
}

/* A hypervisor header image_size near 2^64 wrapped the blob offset to 0 and
 * the packer copied the hypervisor past the end of its output buffer.
 * Verifies: LLR-TOOL-067 */
static void test_pack_huge_size(void)
{
    static const uint64_t sizes[] = {0xfffffffffffff001ull, UINT64_MAX, 0xffffffffffff0000ull,
                                     (uint64_t)BHI_MAX_FILE + 1u};
    struct bhi_status st;
    struct bhi_buf hyp = fake_image(0x40000, 0, 0), out = {NULL, 0};
    struct bhi_buf blob = {(uint8_t *)"BLOBDATA", 8};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint64_t off = 7;
        bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, sizes[i]);
        CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == -1);
        CHECK(strstr(st.msg, "image_size") != NULL && strstr(st.msg, "larger than") != NULL);
        CHECK(out.data == NULL && off == 7);
    }
    /* the largest accepted: the blob fits below BHI_MAX_FILE after it */
    uint64_t off = 0;
    bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, BHI_MAX_FILE - 0x10000u);
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == 0 && off == BHI_MAX_FILE - 0x10000u);
    bhi_buf_free(&out);
    bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, BHI_MAX_FILE);
    CHECK(bhi_pack(&hyp, &blob, &out, &off, &st) == -1 && strstr(st.msg, "too large") != NULL);
    bhi_buf_free(&hyp);
}

/* Verifies: LLR-TOOL-011 */
static void test_files(void)
{
    struct bhi_status st;
    struct bhi_buf b = {NULL, 0};
    char path[] = "/tmp/bhimage-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(bhi_write_file(path, "hello", 5, &st) == 0);
    CHECK(bhi_read_file(path, &b, &st) == 0 && b.size == 5 && memcmp(b.data, "hello", 5) == 0);
    bhi_buf_free(&b);
    remove(path);
    CHECK(bhi_read_file("/nonexistent/x", &b, &st) == -1 && strstr(st.msg, "/nonexistent/x"));
    CHECK(bhi_write_file("/nonexistent/x", "", 0, &st) == -1);
    CHECK(bhi_read_file("/tmp", &b, &st) == -1);
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    {"arm64_header", test_arm64_header},
    {"place_image", test_place_image},
    {"place_dtb", test_place_dtb},
    {"make_dtb", test_make_dtb},
    {"place_ramdisk", test_place_ramdisk},
    {"blob_ramdisk", test_blob_ramdisk},
    {"check_system", test_check_system},
    {"blob", test_blob},
    {"blob_bad_part", test_blob_bad_part},
    {"corrupt", test_corrupt},
    {"validate_header_size", test_validate_header_size},
    {"pack", test_pack},
    {"pack_huge_size", test_pack_huge_size},
    {"files", test_files},
};

int main(void)
{
    int failed = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        failures_in_test = 0;
        tests[i].fn();
        printf("%s tools/%s\n", failures_in_test == 0 ? "PASS" : "FAIL", tests[i].name);
        failed += failures_in_test != 0;
    }
    return failed != 0;
}
