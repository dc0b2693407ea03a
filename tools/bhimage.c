/*
 * bhimage: build a Bulkhead configuration blob from a system description and
 * pack it behind the hypervisor. Host code: plain libc; the partition device
 * trees (libfdt) are in bhimage_dt.c.
 */
#include "bhimage.h"
#include "bhimage_int.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

int bhi_fail(struct bhi_status *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1u) & ~(a - 1u);
}

void bhi_buf_free(struct bhi_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

/* Implements: LLR-TOOL-011 (read a whole input file, bounded in size). */
int bhi_read_file(const char *path, struct bhi_buf *out, struct bhi_status *st)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return bhi_fail(st, "%s: %s", path, strerror(errno));
    }
    long len = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1L;
    int bad = len < 0 || (unsigned long)len > BHI_MAX_FILE || fseek(f, 0, SEEK_SET) != 0;
    uint8_t *data = bad ? NULL : malloc((size_t)len + 1u);
    size_t n = data == NULL ? 0 : fread(data, 1, (size_t)len, f);
    bad = data == NULL || n != (size_t)len;
    fclose(f);
    if (bad) {
        free(data);
        return bhi_fail(st, "%s: unreadable or larger than %u bytes", path, BHI_MAX_FILE);
    }
    out->data = data;
    out->size = n;
    return 0;
}

/* Implements: LLR-TOOL-011 (write an output file completely or report why not). */
int bhi_write_file(const char *path, const void *data, size_t size, struct bhi_status *st)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return bhi_fail(st, "%s: %s", path, strerror(errno));
    }
    size_t n = fwrite(data, 1, size, f);
    int rc = fclose(f);
    if (n != size || rc != 0) {
        return bhi_fail(st, "%s: write failed", path);
    }
    return 0;
}

uint64_t bhi_get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < 8u; i++) {
        v |= (uint64_t)p[i] << (8u * i);
    }
    return v;
}

void bhi_put_le64(uint8_t *p, uint64_t v)
{
    for (uint32_t i = 0; i < 8u; i++) {
        p[i] = (uint8_t)(v >> (8u * i));
    }
}

/* Implements: LLR-TOOL-001 (decode an arm64 Image header, reject non-AArch64). */
int bhi_arm64_parse(const uint8_t *img, size_t size, struct bhi_arm64_hdr *hdr,
                    struct bhi_status *st)
{
    if (size < BHI_ARM64_HDR_SIZE) {
        return bhi_fail(st, "not an arm64 Image: %zu bytes, header needs %u", size,
                        BHI_ARM64_HDR_SIZE);
    }
    uint32_t magic = (uint32_t)bhi_get_le64(img + BHI_ARM64_OFF_MAGIC);
    if (magic != BHI_ARM64_MAGIC) {
        return bhi_fail(st, "not an arm64 Image: magic 0x%08x, expected 0x%08x", magic,
                        BHI_ARM64_MAGIC);
    }
    hdr->text_offset = bhi_get_le64(img + BHI_ARM64_OFF_TEXT_OFFSET);
    hdr->image_size = bhi_get_le64(img + BHI_ARM64_OFF_IMAGE_SIZE);
    hdr->flags = bhi_get_le64(img + BHI_ARM64_OFF_FLAGS);
    return 0;
}

/* Implements: LLR-TOOL-002 (image at ram_gpa + text_offset, memory size from header). */
int bhi_place_image(const struct sys_part_desc *p, const struct bhi_arm64_hdr *h, size_t file_size,
                    struct bh_cfg_part *out, struct bhi_status *st)
{
    if ((p->ram_gpa & (BHI_RAM_ALIGN - 1u)) != 0) {
        return bhi_fail(st, "ram_gpa 0x%llx is not 2 MiB aligned", (unsigned long long)p->ram_gpa);
    }
    uint64_t mem = h->image_size != 0 ? h->image_size : (uint64_t)file_size;
    if (mem < file_size) {
        return bhi_fail(st, "image header image_size 0x%llx is below the file size 0x%zx",
                        (unsigned long long)mem, file_size);
    }
    if (mem > UINT32_MAX || h->text_offset > p->ram_size) {
        return bhi_fail(st, "image does not fit: text_offset 0x%llx, size 0x%llx",
                        (unsigned long long)h->text_offset, (unsigned long long)mem);
    }
    out->image_gpa = p->ram_gpa + h->text_offset;
    out->entry_gpa = out->image_gpa;
    out->image_size = (uint32_t)file_size;
    out->image_mem_size = (uint32_t)mem;
    return 0;
}

/* Implements: LLR-TOOL-003 (DTB at the highest 2 MiB boundary, clear of the image). */
int bhi_place_dtb(const struct sys_part_desc *p, size_t dtb_size, struct bh_cfg_part *out,
                  struct bhi_status *st)
{
    if (dtb_size > p->ram_size || dtb_size > UINT32_MAX) {
        return bhi_fail(st, "device tree of %zu bytes does not fit in RAM", dtb_size);
    }
    uint64_t ram_end = p->ram_gpa + p->ram_size;
    uint64_t gpa = (ram_end - dtb_size) & ~(BHI_RAM_ALIGN - 1u);
    if (gpa < out->image_gpa + out->image_mem_size) {
        return bhi_fail(st, "no 2 MiB boundary for the device tree above the image (ends 0x%llx)",
                        (unsigned long long)(out->image_gpa + out->image_mem_size));
    }
    out->dtb_gpa = gpa;
    out->dtb_size = (uint32_t)dtb_size;
    return 0;
}

/* Implements: LLR-TOOL-014 (ramdisk page aligned just below the device tree,
 * above the image memory). */
int bhi_place_ramdisk(uint64_t size, struct bh_cfg_part *out, struct bhi_status *st)
{
    uint64_t low = out->image_gpa + out->image_mem_size;
    if (size > UINT32_MAX || out->dtb_gpa < low || size > out->dtb_gpa - low) {
        return bhi_fail(st,
                        "ramdisk of 0x%llx bytes does not fit between the image (ends 0x%llx) and "
                        "the device tree (0x%llx)",
                        (unsigned long long)size, (unsigned long long)low,
                        (unsigned long long)out->dtb_gpa);
    }
    uint64_t gpa = (out->dtb_gpa - size) & ~(uint64_t)(BH_CFG_PAGE_SIZE - 1u);
    if (gpa < low) {
        return bhi_fail(st,
                        "ramdisk of 0x%llx bytes: no page boundary above the image (ends 0x%llx)",
                        (unsigned long long)size, (unsigned long long)low);
    }
    out->ramdisk_gpa = gpa;
    out->ramdisk_size = (uint32_t)size;
    return 0;
}

/* Implements: LLR-TOOL-009 (system description fits the blob's tables). */
int bhi_check_system(const struct sys_desc *sys, struct bhi_status *st)
{
    uint32_t devs = 0;
    if (sys->num_parts == 0 || sys->num_parts > BH_CFG_MAX_PARTS) {
        return bhi_fail(st, "num_parts: %u, must be 1..%u", sys->num_parts, BH_CFG_MAX_PARTS);
    }
    for (uint32_t i = 0; i < sys->num_parts; i++) {
        const struct sys_part_desc *p = &sys->parts[i];
        if (p->name == NULL || p->name[0] == '\0' || strlen(p->name) >= BH_CFG_NAME_LEN) {
            return bhi_fail(st, "parts[%u].name: empty or longer than %u characters", i,
                            BH_CFG_NAME_LEN - 1u);
        }
        if (p->num_vcpus == 0 || p->num_vcpus > BH_CFG_MAX_VCPUS) {
            return bhi_fail(st, "parts[%u].num_vcpus: %u, must be 1..%u", i, p->num_vcpus,
                            BH_CFG_MAX_VCPUS);
        }
        if (p->program == NULL || p->program[0] == '\0') {
            return bhi_fail(st, "parts[%u].program: missing", i);
        }
        devs += p->num_dev;
    }
    if (devs > BH_CFG_MAX_PASSTHRU) {
        return bhi_fail(st, "%u pass-through devices, at most %u", devs, BH_CFG_MAX_PASSTHRU);
    }
    return 0;
}

static struct bh_cfg *blob_cfg(struct bhi_blob *b)
{
    return (struct bh_cfg *)(void *)b->buf.data;
}

/* Append n bytes at the next 8-byte aligned offset; returns that offset. */
static int blob_append(struct bhi_blob *b, const void *data, size_t n, uint32_t *off,
                       struct bhi_status *st)
{
    uint64_t start = align_up(b->buf.size, BH_CFG_PAYLOAD_ALIGN);
    uint64_t end = start + n;
    if (end > UINT32_MAX) {
        return bhi_fail(st, "blob larger than 4 GiB");
    }
    uint8_t *grown = realloc(b->buf.data, (size_t)end);
    if (grown == NULL) {
        return bhi_fail(st, "out of memory");
    }
    memset(grown + b->buf.size, 0, (size_t)(start - b->buf.size));
    memcpy(grown + start, data, n);
    b->buf.data = grown;
    b->buf.size = (size_t)end;
    *off = (uint32_t)start;
    return 0;
}

/* Implements: LLR-TOOL-005 (blob header; unused partition entries zero). */
int bhi_blob_begin(struct bhi_blob *b, const struct sys_desc *sys, struct bhi_status *st)
{
    if (bhi_check_system(sys, st) != 0) {
        return -1;
    }
    b->buf.data = calloc(1, sizeof(struct bh_cfg));
    if (b->buf.data == NULL) {
        return bhi_fail(st, "out of memory");
    }
    b->buf.size = sizeof(struct bh_cfg);
    struct bh_cfg *cfg = blob_cfg(b);
    cfg->magic = BH_CFG_MAGIC;
    cfg->version = BH_CFG_VERSION;
    cfg->num_cpus = sys->num_cpus;
    cfg->num_parts = sys->num_parts;
    cfg->slice_us = sys->slice_us;
    cfg->num_scheds = sys->num_scheds;
    cfg->module_hm_action = sys->module_hm_action;
    memcpy(cfg->scheds, sys->scheds, sizeof(cfg->scheds));
    cfg->num_channels = sys->num_channels;
    cfg->num_shms = sys->num_shms;
    memcpy(cfg->evtchn_permit, sys->evtchn_permit, sizeof(cfg->evtchn_permit));
    memcpy(cfg->channels, sys->channels, sizeof(cfg->channels));
    memcpy(cfg->shms, sys->shms, sizeof(cfg->shms));
    return 0;
}

/* Implements: LLR-TOOL-014 (image, then device tree, then ramdisk below it;
 * the device tree generated again with the ramdisk's final address, which
 * cannot change its size). */
int bhi_place_all(const struct sys_part_desc *p, const struct bhi_arm64_hdr *h, size_t file_size,
                  uint64_t ramdisk_size, struct bh_cfg_part *out, struct bhi_buf *dtb,
                  struct bhi_status *st)
{
    struct sys_part_desc d = *p;
    d.ramdisk_gpa = 0;
    d.ramdisk_size = ramdisk_size;
    int rc = bhi_place_image(&d, h, file_size, out, st);
    rc = rc != 0 ? rc : bhi_make_dtb(&d, dtb, st);
    rc = rc != 0 ? rc : bhi_place_dtb(&d, dtb->size, out, st);
    if (rc != 0 || ramdisk_size == 0) {
        return rc;
    }
    size_t first = dtb->size;
    bhi_buf_free(dtb);
    rc = bhi_place_ramdisk(ramdisk_size, out, st);
    d.ramdisk_gpa = out->ramdisk_gpa;
    rc = rc != 0 ? rc : bhi_make_dtb(&d, dtb, st);
    if (rc == 0 && dtb->size != first) {
        return bhi_fail(st, "device tree changed size with the ramdisk address");
    }
    return rc;
}

/* Implements: LLR-TOOL-005 (partition entry, image, DTB and ramdisk appended to payload). */
int bhi_blob_add_part(struct bhi_blob *b, uint32_t idx, const struct sys_part_desc *p,
                      const struct bhi_buf *image, struct bhi_status *st)
{
    struct bh_cfg_part part;
    struct bhi_arm64_hdr hdr;
    struct bhi_buf dtb = {NULL, 0};
    memset(&part, 0, sizeof(part));
    if (idx >= BH_CFG_MAX_PARTS) {
        return bhi_fail(st, "parts[%u]: index beyond the table", idx);
    }
    snprintf(part.name, sizeof(part.name), "%s", p->name);
    part.ram_gpa = p->ram_gpa;
    part.ram_pa = p->ram_pa;
    part.ram_size = p->ram_size;
    part.num_vcpus = p->num_vcpus;
    for (uint32_t v = 0; v < p->num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
        part.vcpu_cpu[v] = p->cpus[v];
    }
    part.flags = p->flags | (p->no_xen_node ? BH_CFG_PART_F_NO_XEN_NODE : 0u) |
                 (p->dma_unconfined ? BH_CFG_PART_F_DMA_UNCONFINED : 0u);
    part.period_us = p->period_us;
    part.no_window_mask = p->no_window_mask;
    part.restart_limit = p->restart_limit;
    part.evtchn_ports = p->evtchn_ports != 0u ? p->evtchn_ports : BH_CFG_MIN_EVTCHN_PORTS;
    memcpy(part.hm_action, p->hm_action, sizeof(part.hm_action));
    uint64_t rd_size = p->ramdisk != NULL ? p->ramdisk->size : 0u;
    int rc = bhi_arm64_parse(image->data, image->size, &hdr, st);
    rc = rc != 0 ? rc : bhi_place_all(p, &hdr, image->size, rd_size, &part, &dtb, st);
    rc = rc != 0 ? rc : blob_append(b, image->data, image->size, &part.image_offset, st);
    rc = rc != 0 ? rc : blob_append(b, dtb.data, dtb.size, &part.dtb_offset, st);
    if (rc == 0 && rd_size != 0) {
        rc = blob_append(b, p->ramdisk->data, p->ramdisk->size, &part.ramdisk_offset, st);
    }
    bhi_buf_free(&dtb);
    struct bh_cfg *cfg = blob_cfg(b);
    if (rc == 0 && p->num_dev > BH_CFG_MAX_PASSTHRU - cfg->num_passthru) {
        rc = bhi_fail(st, "more than %u pass-through devices", BH_CFG_MAX_PASSTHRU);
    }
    if (rc == 0 && p->num_sid > BH_CFG_MAX_STREAMS - cfg->num_streams) {
        rc = bhi_fail(st, "more than %u StreamIDs", BH_CFG_MAX_STREAMS);
    }
    if (rc == 0) {
        cfg->parts[idx] = part;
        for (uint32_t j = 0; j < p->num_sid; j++) {
            cfg->streams[cfg->num_streams].sid = p->sid[j];
            cfg->streams[cfg->num_streams].pt = cfg->num_passthru + p->sid_dev[j];
            cfg->num_streams++;
        }
        for (uint32_t k = 0; k < p->num_dev; k++) {
            cfg->passthru[cfg->num_passthru] = p->dev[k];
            cfg->passthru[cfg->num_passthru].part = idx;
            cfg->num_passthru++;
        }
    }
    return rc;
}

/* Implements: LLR-TOOL-005 (total size 8-byte padded, CRC-32C checksum). */
int bhi_blob_end(struct bhi_blob *b, struct bhi_status *st)
{
    uint32_t off = 0;
    if (blob_append(b, "", 0, &off, st) != 0) {
        return -1;
    }
    struct bh_cfg *cfg = blob_cfg(b);
    cfg->total_size = (uint32_t)b->buf.size;
    cfg->checksum = cfg_blob_checksum(cfg);
    return 0;
}

int bhi_build_blob(const struct sys_desc *sys, const char *guest_dir, struct bhi_blob *b,
                   struct bhi_status *st)
{
    if (bhi_blob_begin(b, sys, st) != 0) {
        return -1;
    }
    for (uint32_t i = 0; i < sys->num_parts; i++) {
        const struct sys_part_desc *p = &sys->parts[i];
        char path[4096];
        struct bhi_buf img = {NULL, 0};
        snprintf(path, sizeof(path), "%s/%s.bin", guest_dir, p->program);
        int rc = bhi_read_file(path, &img, st);
        rc = rc != 0 ? rc : bhi_blob_add_part(b, i, p, &img, st);
        bhi_buf_free(&img);
        if (rc != 0) {
            char why[BHI_MSG_LEN];
            snprintf(why, sizeof(why), "%s", st->msg);
            return bhi_fail(st, "parts[%u] (%s, %.160s): %.80s", i, p->name, path, why);
        }
    }
    return bhi_blob_end(b, st);
}

enum corrupt_kind {
    CORRUPT_CHECKSUM,
    CORRUPT_MAGIC,
    CORRUPT_VERSION,
    CORRUPT_OVERLAP,
    CORRUPT_HYP_OVERLAP,
    CORRUPT_CPU,
    CORRUPT_IMAGE_BOUNDS,
    CORRUPT_TRUNCATED,
    CORRUPT_IMAGE_SIZE, /* of the packed image: bhi_corrupt_image */
    CORRUPT_COUNT,
};

static const char *const corrupt_names[CORRUPT_COUNT] = {
    "checksum",     "magic",     "version",    "overlap", "hyp-overlap", "cpu",
    "image-bounds", "truncated", "image-size",
};

const char *bhi_corrupt_kind(uint32_t i)
{
    return i < CORRUPT_COUNT ? corrupt_names[i] : NULL;
}

/* Bytes a truncated blob claims beyond its real end. */
#define CORRUPT_TRUNCATE_EXCESS 0x1000u

/* Change one field; the checksum is recomputed unless noted. */
static void corrupt_apply(struct bh_cfg *cfg, uint8_t *bytes, enum corrupt_kind k)
{
    switch (k) {
    case CORRUPT_CHECKSUM:
        bytes[sizeof(struct bh_cfg)] ^= 0xFFu;
        return; /* stored checksum kept: it no longer matches */
    case CORRUPT_MAGIC:
        cfg->magic ^= 0xFFu;
        break;
    case CORRUPT_VERSION:
        cfg->version = BH_CFG_VERSION + 1u;
        break;
    case CORRUPT_OVERLAP:
        cfg->parts[1].ram_pa = cfg->parts[0].ram_pa;
        break;
    case CORRUPT_HYP_OVERLAP:
        cfg->parts[0].ram_pa = PLAT_HYP_BASE;
        break;
    case CORRUPT_CPU:
        cfg->parts[0].vcpu_cpu[0] = 3;
        break;
    case CORRUPT_IMAGE_BOUNDS:
        cfg->parts[0].image_size = cfg->total_size;
        break;
    case CORRUPT_IMAGE_SIZE:
        return; /* the packed image is changed instead (bhi_corrupt_image) */
    case CORRUPT_TRUNCATED:
    default:
        cfg->total_size += CORRUPT_TRUNCATE_EXCESS;
        return; /* a checksum over bytes that are not there cannot be computed */
    }
    cfg->checksum = cfg_blob_checksum(cfg);
}

/* Implements: LLR-TOOL-008 (deliberately broken blobs for boot-check tests). */
int bhi_corrupt(struct bhi_blob *b, const char *kind, struct bhi_status *st)
{
    uint32_t k = 0;
    while (k < CORRUPT_COUNT && strcmp(kind, corrupt_names[k]) != 0) {
        k++;
    }
    if (k == CORRUPT_COUNT) {
        return bhi_fail(st, "unknown corruption kind '%s'", kind);
    }
    struct bh_cfg *cfg = blob_cfg(b);
    if (b->buf.size <= sizeof(struct bh_cfg) || (k == CORRUPT_OVERLAP && cfg->num_parts < 2u)) {
        return bhi_fail(st, "corruption '%s' needs a blob with payload and 2 partitions", kind);
    }
    corrupt_apply(cfg, b->buf.data, (enum corrupt_kind)k);
    return 0;
}

/* Implements: LLR-TOOL-008 (image-size: the Image header's image_size as
 * large as the hypervisor's old bound let through, PLAT_RAM_SIZE, which
 * ends 2 MiB past RAM at PLAT_HYP_BASE, and the blob's total_size reaching
 * that end, so a boot check that read the blob before checking the image
 * would fault past RAM computing the checksum). */
int bhi_corrupt_image(struct bhi_buf *image, uint64_t blob_off, const char *kind,
                      struct bhi_status *st)
{
    if (strcmp(kind, corrupt_names[CORRUPT_IMAGE_SIZE]) != 0) {
        return 0;
    }
    if (image->data == NULL || blob_off + sizeof(struct bh_cfg) > image->size ||
        blob_off >= PLAT_RAM_SIZE) {
        return bhi_fail(st, "corruption '%s' needs the hypervisor packed with the blob", kind);
    }
    struct bh_cfg cfg;
    memcpy(&cfg, image->data + blob_off, sizeof(cfg));
    cfg.total_size = (uint32_t)(PLAT_RAM_SIZE - blob_off);
    memcpy(image->data + blob_off, &cfg, sizeof(cfg));
    bhi_put_le64(image->data + BHI_ARM64_OFF_IMAGE_SIZE, PLAT_RAM_SIZE);
    return 0;
}

/* Implements: LLR-TOOL-006 (hypervisor, aligned blob, header image_size patched).
 * Implements: LLR-TOOL-067 (image_size is bounded before any size is computed
 * from it: near 2^64 it wrapped the blob offset to 0, and the hypervisor was
 * copied past the end of the output). */
int bhi_pack(const struct bhi_buf *hyp, const struct bhi_buf *blob, struct bhi_buf *out,
             uint64_t *blob_offset, struct bhi_status *st)
{
    struct bhi_arm64_hdr hdr;
    if (bhi_arm64_parse(hyp->data, hyp->size, &hdr, st) != 0) {
        return -1;
    }
    if (hdr.image_size < hyp->size) {
        return bhi_fail(st, "hypervisor header image_size 0x%llx is below its file size 0x%zx",
                        (unsigned long long)hdr.image_size, hyp->size);
    }
    if (hdr.image_size > BHI_MAX_FILE) {
        return bhi_fail(st,
                        "hypervisor header image_size 0x%llx is larger than an image may be "
                        "(0x%x bytes)",
                        (unsigned long long)hdr.image_size, BHI_MAX_FILE);
    }
    /* both terms at most BHI_MAX_FILE + 64 KiB: no wrap */
    uint64_t off = align_up(hdr.image_size, PLAT_BLOB_ALIGN);
    uint64_t total = blob->size <= BHI_MAX_FILE ? off + blob->size : UINT64_MAX;
    if (total > BHI_MAX_FILE) {
        return bhi_fail(st, "image of 0x%llx bytes is too large", (unsigned long long)total);
    }
    out->data = calloc(1, (size_t)total);
    if (out->data == NULL) {
        return bhi_fail(st, "out of memory");
    }
    out->size = (size_t)total;
    memcpy(out->data, hyp->data, hyp->size);
    memcpy(out->data + off, blob->data, blob->size);
    bhi_put_le64(out->data + BHI_ARM64_OFF_IMAGE_SIZE, total);
    *blob_offset = off;
    return 0;
}

/* Implements: LLR-TOOL-012 (locate the blob in a packed image, checksum included). */
int bhi_find_blob(const struct bhi_buf *image, uint64_t *blob_offset, struct bhi_status *st)
{
    const uint64_t hdr = sizeof(struct bh_cfg);
    for (uint64_t off = PLAT_BLOB_ALIGN; off < image->size && image->size - off >= hdr;
         off += PLAT_BLOB_ALIGN) {
        struct bh_cfg cfg; /* its first fields only: the header is 11 KiB */
        memcpy(&cfg, image->data + off, offsetof(struct bh_cfg, checksum) + sizeof(cfg.checksum));
        if (cfg.magic != BH_CFG_MAGIC || cfg.version != BH_CFG_VERSION ||
            cfg.total_size < hdr || cfg.total_size > image->size - off) {
            continue;
        }
        struct bh_cfg *copy = malloc(cfg.total_size);
        if (copy == NULL) {
            return bhi_fail(st, "out of memory");
        }
        memcpy(copy, image->data + off, cfg.total_size);
        int ok = cfg_blob_checksum(copy) == cfg.checksum;
        free(copy);
        if (ok) {
            *blob_offset = off;
            return 0;
        }
    }
    return bhi_fail(st, "no configuration blob (magic 0x%08x, version %u, valid checksum) at any "
                        "0x%llx boundary",
                    BH_CFG_MAGIC, BH_CFG_VERSION, (unsigned long long)PLAT_BLOB_ALIGN);
}

void bhi_platform(uint64_t image_size, struct cfg_platform *pl)
{
    pl->ram_base = PLAT_RAM_BASE;
    pl->ram_size = PLAT_RAM_SIZE;
    pl->hyp_base = PLAT_HYP_BASE;
    pl->hyp_end = PLAT_HYP_BASE + image_size;
    pl->num_cpus = PLAT_NUM_CPUS;
    pl->s2_table_pages = PLAT_S2_TABLE_PAGES;
    static const struct cfg_frame reserved[PLAT_NUM_RESERVED_FRAMES] = PLAT_RESERVED_FRAMES;
    _Static_assert(PLAT_NUM_RESERVED_FRAMES <= CFG_MAX_RESERVED, "reserved frames table");
    memset(pl->reserved, 0, sizeof(pl->reserved));
    memcpy(pl->reserved, reserved, sizeof(reserved));
    pl->dev_base = PLAT_DEV_BASE;
    pl->dev_size = PLAT_DEV_SIZE;
    pl->hyp_spi = PLAT_UART_INTID;
    pl->spi_end = PLAT_SPI_END;
    pl->smmu_sids = PLAT_SMMU_SIDS;
    pl->smmu_spi_first = PLAT_SMMU_SPI_FIRST;
    pl->smmu_spi_count = PLAT_SMMU_SPI_COUNT;
    pl->smmu_table_pages = PLAT_SMMU_TABLE_PAGES;
}

/* Implements: LLR-TOOL-007 (the hypervisor's boot check, applied on the
 * host to what the hypervisor sees: the footprint its Image header's
 * image_size declares, of which the file holds what it holds). */
uint32_t bhi_validate_image(const struct bhi_buf *image, uint64_t blob_offset,
                            struct cfg_report *rep)
{
    struct cfg_platform pl;
    uint64_t size = image->size;
    if (image->size >= BHI_ARM64_HDR_SIZE) {
        size = bhi_get_le64(image->data + BHI_ARM64_OFF_IMAGE_SIZE);
    }
    bhi_platform(size, &pl);
    uint64_t end = size < image->size ? size : image->size;
    uint64_t avail = end > blob_offset ? end - blob_offset : 0;
    /* The blob is read from an aligned copy, as the hypervisor sees it in RAM. */
    void *copy = calloc(1, avail + 1u);
    if (copy == NULL) {
        memset(rep, 0, sizeof(*rep));
        rep->count = 1;
        snprintf(rep->err[0].field, CFG_FIELD_LEN, "blob");
        snprintf(rep->err[0].msg, CFG_MSG_LEN, "out of memory");
        return 1;
    }
    memcpy(copy, image->data + blob_offset, (size_t)avail);
    uint32_t n = cfg_validate(copy, avail, &pl, rep);
    free(copy);
    return n;
}
