/*
 * Configuration blob validation, shared by the hypervisor (boot check) and
 * the host toolstack. Plain C: no arch calls, no libc beyond util.c.
 *
 * Nothing is read outside [blob, blob + avail): the header is only looked at
 * once avail covers it and the pointer is aligned, the checksum only once
 * total_size is known to fit, and the payload is never read here at all
 * (only its offsets and sizes are checked).
 */
#include "cfg.h"
#include "cfg_int.h"

#if defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#else
#include "crc32c_tables.h"
#endif

#include <stdarg.h>

#include "util.h"
#include "vgic.h"
#include "vuart.h"

#define U64(x) ((unsigned long long)(x))

#define CFG_HDR_SIZE ((uint64_t)sizeof(struct bh_cfg))
#define CFG_MIN_SLICE_US 100u
#define CFG_MAX_SLICE_US 10000000u
#define CFG_MAX_DTB_SIZE 0x200000u /* 2 MiB */
#define CFG_IPA_LIMIT (1ULL << 39) /* stage-2 input range */
#define CFG_KNOWN_FLAGS                                                                     \
    ((uint32_t)BH_CFG_PART_F_SYSTEM | (uint32_t)BH_CFG_PART_F_HM_HCALL |                     \
     (uint32_t)BH_CFG_PART_F_NO_XEN_NODE | (uint32_t)BH_CFG_PART_F_DMA_UNCONFINED)
#define CFG_ENTRY_ALIGN 4u

/* clang-format on */

/* Guest-physical windows of the emulated devices every partition sees. */
struct cfg_window {
    uint64_t base;
    uint64_t size;
    const char *what;
};

static const struct cfg_window cfg_dev_windows[] = {
    {VGIC_GICD_BASE, VGIC_GICD_SIZE, "vGIC distributor"},
    {VGIC_GICR_BASE, VGIC_GICR_SIZE, "vGIC redistributors"},
    {VUART_BASE, VUART_SIZE, "virtual UART"},
};

#define CFG_NUM_WINDOWS (sizeof(cfg_dev_windows) / sizeof(cfg_dev_windows[0]))

#if defined(__ARM_FEATURE_CRC32)
/*
 * The target computes CRC-32C with the Armv8 CRC32C instructions, eight
 * bytes at a time when the data is aligned (the blob is), so checking a
 * large blob at boot stays cheap. The host toolstack computes the checksum
 * it stores with the table-driven code below: every boot therefore
 * cross-checks two independent implementations of the same function.
 * Implements: LLR-CFG-002 (CRC-32C, Castagnoli, continued from crc).
 */
uint32_t cfg_crc32c(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t c = ~crc;
    size_t i = 0;
    if (((uintptr_t)p & 7u) == 0u) {
        const uint64_t *w = data;
        for (; n - i >= 8u; i += 8u) {
            c = __crc32cd(c, w[i / 8u]);
        }
    }
    for (; i < n; i++) {
        c = __crc32cb(c, p[i]);
    }
    return ~c;
}
#else
/*
 * CRC-32C, eight bytes per step (slicing-by-8), then byte by byte. Bytes
 * are loaded one at a time, so data needs no alignment.
 * Implements: LLR-CFG-002 (CRC-32C, Castagnoli, continued from crc).
 */
uint32_t cfg_crc32c(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t c = ~crc;
    size_t i = 0;
    for (; n - i >= 8u; i += 8u) {
        uint32_t w = c ^ ((uint32_t)p[i] | ((uint32_t)p[i + 1u] << 8) |
                          ((uint32_t)p[i + 2u] << 16) | ((uint32_t)p[i + 3u] << 24));
        c = crc32c_tables[7][w & 0xffu] ^ crc32c_tables[6][(w >> 8) & 0xffu] ^
            crc32c_tables[5][(w >> 16) & 0xffu] ^ crc32c_tables[4][w >> 24] ^
            crc32c_tables[3][p[i + 4u]] ^ crc32c_tables[2][p[i + 5u]] ^
            crc32c_tables[1][p[i + 6u]] ^ crc32c_tables[0][p[i + 7u]];
    }
    for (; i < n; i++) {
        c = crc32c_tables[0][(c ^ p[i]) & 0xffu] ^ (c >> 8);
    }
    return ~c;
}

#endif

/*
 * Implements: LLR-CFG-002 (blob checksum over total_size bytes with the
 * checksum field taken as zero). Pre: total_size bytes are readable.
 */
uint32_t cfg_blob_checksum(const struct bh_cfg *cfg)
{
    static const uint8_t zero[sizeof(cfg->checksum)] = {0};
    const uint8_t *b = (const uint8_t *)cfg;
    size_t at = offsetof(struct bh_cfg, checksum);
    size_t after = at + sizeof(cfg->checksum);
    uint32_t crc = cfg_crc32c(0, b, at);
    crc = cfg_crc32c(crc, zero, sizeof(zero));
    return cfg_crc32c(crc, b + after, (size_t)cfg->total_size - after);
}

/* ------------------------------------------------------------ reporting --- */

static void cfg_verr(struct cfg_report *rep, const char *field, const char *fmt, va_list ap)
{
    if (rep->count < CFG_MAX_ERRORS) {
        struct cfg_error *e = &rep->err[rep->count];
        (void)bh_snprintf(e->field, sizeof(e->field), "%s", field);
        (void)bh_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    }
    /* Cannot wrap: the number of checks in one run is a few hundred. */
    rep->count++;
}

/*
 * Implements: LLR-CFG-012 (each error names its field and says what is
 * wrong; the first CFG_MAX_ERRORS are recorded, all are counted).
 */
void cfg_err(struct cfg_report *rep, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cfg_verr(rep, field, fmt, ap);
    va_end(ap);
}

/* Same, for field `name` of parts[i]. */
void cfg_perr(struct cfg_report *rep, uint32_t i, const char *name, const char *fmt, ...)
{
    char field[CFG_FIELD_LEN];
    va_list ap;
    (void)bh_snprintf(field, sizeof(field), "parts[%u].%s", i, name);
    va_start(ap, fmt);
    cfg_verr(rep, field, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------- range helpers --- */

/* base + size does not wrap around 2^64. */
/*@ assigns \nothing;
    ensures \result <==> base + size <= 18446744073709551615;
 */
static bool range_ok(uint64_t base, uint64_t size)
{
    return size <= UINT64_MAX - base;
}

/* [a, a+as) lies inside [b, b+bs); no sum is formed, so nothing overflows. */
/*@ assigns \nothing;
    ensures \result <==> (b <= a && a + as <= b + bs);
 */
static bool range_inside(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a >= b && a - b <= bs && as <= bs - (a - b);
}

/* Non-empty [a, a+as) and [b, b+bs) share a byte. Pre: both range_ok. */
/*@ requires a + as <= 18446744073709551615 && b + bs <= 18446744073709551615;
    assigns \nothing;
    ensures \result <==> (as != 0 && bs != 0 && a < b + bs && b < a + as);
 */
static bool range_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return as != 0u && bs != 0u && a < b + bs && b < a + as;
}

static bool aligned(uint64_t v, uint64_t align)
{
    return (v & (align - 1u)) == 0u;
}

/* ----------------------------------------------------------- structure --- */

/*
 * Implements: LLR-CFG-026 (the image, hypervisor and blob, inside platform
 * RAM before a byte of the blob is read). On the target the blob and the
 * avail bytes after it end at hyp_end. hyp_end - hyp_base is the
 * image_size the platform description was made from, even when their sum
 * wrapped around.
 */
static bool cfg_check_image_span(const struct cfg_platform *pl, struct cfg_report *rep)
{
    uint64_t span = pl->hyp_end - pl->hyp_base;
    if (!range_inside(pl->hyp_base, span, pl->ram_base, pl->ram_size)) {
        cfg_err(rep, "image", "0x%llx+0x%llx (hypervisor and blob) not inside RAM 0x%llx+0x%llx",
                U64(pl->hyp_base), U64(span), U64(pl->ram_base), U64(pl->ram_size));
        return false;
    }
    return true;
}

/*
 * Implements: LLR-CFG-002 (structural checks, stopping at the first: the
 * image inside RAM (LLR-CFG-026), blob present and at least a header long,
 * 8-byte aligned, magic, version, total_size within [header, avail],
 * checksum).
 */
static bool cfg_check_structure(const void *blob, uint64_t avail, const struct cfg_platform *pl,
                                struct cfg_report *rep)
{
    if (!cfg_check_image_span(pl, rep)) {
        return false;
    }
    if (blob == NULL) {
        cfg_err(rep, "header", "blob missing");
        return false;
    }
    if (avail < CFG_HDR_SIZE) {
        cfg_err(rep, "header", "blob truncated: %llu bytes, need %llu", U64(avail),
                U64(CFG_HDR_SIZE));
        return false;
    }
    if (((uintptr_t)blob & (BH_CFG_PAYLOAD_ALIGN - 1u)) != 0u) {
        cfg_err(rep, "header", "blob at 0x%llx not 8-byte aligned", U64((uintptr_t)blob));
        return false;
    }
    const struct bh_cfg *c = blob;
    if (c->magic != BH_CFG_MAGIC) {
        cfg_err(rep, "header.magic", "0x%x, expected 0x%x", c->magic, BH_CFG_MAGIC);
        return false;
    }
    if (c->version != BH_CFG_VERSION) {
        cfg_err(rep, "header.version", "%u not supported, expected %u", c->version, BH_CFG_VERSION);
        return false;
    }
    if (c->total_size < CFG_HDR_SIZE || c->total_size > avail) {
        cfg_err(rep, "header.total_size", "%u not in %llu..%llu", c->total_size, U64(CFG_HDR_SIZE),
                U64(avail));
        return false;
    }
    uint32_t crc = cfg_blob_checksum(c);
    if (crc != c->checksum) {
        cfg_err(rep, "header.checksum", "mismatch: expected 0x%08x, found 0x%08x", crc,
                c->checksum);
        return false;
    }
    return true;
}

/* -------------------------------------------------------------- header --- */

/* Implements: LLR-CFG-003 (header fields: reserved zero, num_cpus,
 * num_parts and slice_us in range). */
static void cfg_check_header(const struct bh_cfg *c, const struct cfg_platform *pl,
                             struct cfg_report *rep)
{
    if (c->reserved != 0u) {
        cfg_err(rep, "header.reserved", "0x%x, must be zero", c->reserved);
    }
    if (c->num_cpus < 1u || c->num_cpus > BH_CFG_MAX_CPUS) {
        cfg_err(rep, "header.num_cpus", "%u not in 1..%u", c->num_cpus, BH_CFG_MAX_CPUS);
    } else if (c->num_cpus > pl->num_cpus) {
        cfg_err(rep, "header.num_cpus", "%u exceeds the platform's %u CPUs", c->num_cpus,
                pl->num_cpus);
    } else {
        /* num_cpus valid */
    }
    if (c->num_parts < 1u || c->num_parts > BH_CFG_MAX_PARTS) {
        cfg_err(rep, "header.num_parts", "%u not in 1..%u", c->num_parts, BH_CFG_MAX_PARTS);
    }
    if (c->slice_us < CFG_MIN_SLICE_US || c->slice_us > CFG_MAX_SLICE_US) {
        cfg_err(rep, "header.slice_us", "%u not in %u..%u", c->slice_us, CFG_MIN_SLICE_US,
                CFG_MAX_SLICE_US);
    }
}

/* --------------------------------------------------------------- names --- */

/* Characters allowed in a partition name, [A-Za-z0-9_-], as a bitmap of the
 * 128 ASCII codes (a table rather than a chain of range tests). */
static const uint32_t name_chars[4] = {
    0x00000000u, /*   0..31: none */
    0x03ff2000u, /*  32..63: '-' (45), '0'..'9' (48..57) */
    0x87fffffeu, /*  64..95: 'A'..'Z' (65..90), '_' (95) */
    0x07fffffeu, /* 96..127: 'a'..'z' (97..122) */
};

static bool name_char_ok(char ch)
{
    uint32_t c = (uint32_t)(uint8_t)ch;
    return c < 128u && ((name_chars[c >> 5] >> (c & 31u)) & 1u) != 0u;
}

/* a[0..len] (its characters and NUL) equals b[0..len]. Pre: len < NAME_LEN. */
static bool name_equal(const char *a, const char *b, size_t len)
{
    for (size_t k = 0; k <= len; k++) {
        if (a[k] != b[k]) {
            return false;
        }
    }
    return true;
}

/* Implements: LLR-CFG-004 (partition name non-empty, NUL-terminated within
 * BH_CFG_NAME_LEN, only [A-Za-z0-9_-], unique). */
static void cfg_check_name(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const char *name = c->parts[i].name;
    size_t len = bh_strnlen(name, BH_CFG_NAME_LEN);
    if (len == 0u) {
        cfg_perr(rep, i, "name", "empty");
        return;
    }
    if (len == BH_CFG_NAME_LEN) {
        cfg_perr(rep, i, "name", "not NUL-terminated within %u bytes", BH_CFG_NAME_LEN);
        return;
    }
    for (size_t k = 0; k < len; k++) {
        if (!name_char_ok(name[k])) {
            cfg_perr(rep, i, "name", "character 0x%02x at %u not in [A-Za-z0-9_-]",
                     (unsigned)(uint8_t)name[k], (unsigned)k);
            return;
        }
    }
    for (uint32_t j = 0; j < i; j++) {
        if (name_equal(name, c->parts[j].name, len)) {
            cfg_perr(rep, i, "name", "\"%s\" already used by parts[%u]", name, j);
            return;
        }
    }
}

/* ----------------------------------------------------------------- RAM --- */

/*
 * Implements: LLR-CFG-005 (RAM size a non-zero page multiple, bases page
 * aligned, no wrap-around, physical range inside platform RAM and outside
 * the hypervisor footprint).
 */
static void cfg_check_ram_pa(const struct bh_cfg_part *p, uint32_t i, const struct cfg_platform *pl,
                             struct cfg_report *rep)
{
    if (p->ram_size == 0u || !aligned(p->ram_size, BH_CFG_PAGE_SIZE)) {
        cfg_perr(rep, i, "ram_size", "0x%llx not a non-zero multiple of 0x%x", U64(p->ram_size),
                 BH_CFG_PAGE_SIZE);
    }
    if (!aligned(p->ram_gpa, BH_CFG_PAGE_SIZE)) {
        cfg_perr(rep, i, "ram_gpa", "0x%llx not page aligned", U64(p->ram_gpa));
    }
    if (!aligned(p->ram_pa, BH_CFG_PAGE_SIZE)) {
        cfg_perr(rep, i, "ram_pa", "0x%llx not page aligned", U64(p->ram_pa));
    }
    if (!range_ok(p->ram_pa, p->ram_size)) {
        cfg_perr(rep, i, "ram_pa", "0x%llx+0x%llx wraps around", U64(p->ram_pa), U64(p->ram_size));
        return;
    }
    if (!range_inside(p->ram_pa, p->ram_size, pl->ram_base, pl->ram_size)) {
        cfg_perr(rep, i, "ram_pa", "0x%llx+0x%llx outside platform RAM 0x%llx+0x%llx",
                 U64(p->ram_pa), U64(p->ram_size), U64(pl->ram_base), U64(pl->ram_size));
    }
    /* hyp_base + hyp_size == hyp_end, so the range cannot wrap. */
    uint64_t hyp_size = (pl->hyp_end > pl->hyp_base) ? pl->hyp_end - pl->hyp_base : 0u;
    if (range_overlap(p->ram_pa, p->ram_size, pl->hyp_base, hyp_size)) {
        cfg_perr(rep, i, "ram_pa", "0x%llx+0x%llx overlaps hypervisor 0x%llx..0x%llx",
                 U64(p->ram_pa), U64(p->ram_size), U64(pl->hyp_base), U64(pl->hyp_end));
    }
}

/* Implements: LLR-CFG-006 (physical RAM of partitions pairwise disjoint;
 * reported once, on the later partition). */
static void cfg_check_ram_disjoint(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    if (!range_ok(p->ram_pa, p->ram_size)) {
        return;
    }
    for (uint32_t j = 0; j < i; j++) {
        const struct bh_cfg_part *q = &c->parts[j];
        if (range_ok(q->ram_pa, q->ram_size) &&
            range_overlap(p->ram_pa, p->ram_size, q->ram_pa, q->ram_size)) {
            cfg_perr(rep, i, "ram_pa", "0x%llx+0x%llx overlaps parts[%u] RAM 0x%llx+0x%llx",
                     U64(p->ram_pa), U64(p->ram_size), j, U64(q->ram_pa), U64(q->ram_size));
        }
    }
}

/* Implements: LLR-CFG-007 (guest-physical RAM below 2^39 and clear of the
 * emulated device windows). */
static void cfg_check_ram_gpa(const struct bh_cfg_part *p, uint32_t i, struct cfg_report *rep)
{
    if (!range_inside(p->ram_gpa, p->ram_size, 0u, CFG_IPA_LIMIT)) {
        cfg_perr(rep, i, "ram_gpa", "0x%llx+0x%llx beyond the 2^39 guest-physical space",
                 U64(p->ram_gpa), U64(p->ram_size));
        return;
    }
    for (size_t w = 0; w < CFG_NUM_WINDOWS; w++) {
        const struct cfg_window *d = &cfg_dev_windows[w];
        if (range_overlap(p->ram_gpa, p->ram_size, d->base, d->size)) {
            cfg_perr(rep, i, "ram_gpa", "0x%llx+0x%llx overlaps %s 0x%llx+0x%llx", U64(p->ram_gpa),
                     U64(p->ram_size), d->what, U64(d->base), U64(d->size));
        }
    }
}

/* Implements: LLR-CFG-022 (the device windows a shared region must avoid). */
const char *cfg_device_window_at(uint64_t base, uint64_t size)
{
    for (size_t w = 0; w < CFG_NUM_WINDOWS; w++) {
        const struct cfg_window *d = &cfg_dev_windows[w];
        if (range_overlap(base, size, d->base, d->size)) {
            return d->what;
        }
    }
    return NULL;
}

/* --------------------------------------------------- vCPUs, flags, rsvd --- */

/* Implements: LLR-CFG-008 (num_vcpus in range, each used vCPU on a CPU the
 * system uses, unused vcpu_cpu entries zero, no unknown flags, reserved 0). */
static void cfg_check_vcpus(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    char field[CFG_FIELD_LEN];
    if (p->num_vcpus < 1u || p->num_vcpus > BH_CFG_MAX_VCPUS) {
        cfg_perr(rep, i, "num_vcpus", "%u not in 1..%u", p->num_vcpus, BH_CFG_MAX_VCPUS);
    }
    for (uint32_t j = 0; j < BH_CFG_MAX_VCPUS; j++) {
        uint32_t cpu = p->vcpu_cpu[j];
        (void)bh_snprintf(field, sizeof(field), "vcpu_cpu[%u]", j);
        if (j < p->num_vcpus && cpu >= c->num_cpus) {
            cfg_perr(rep, i, field, "CPU %u not below header.num_cpus %u", cpu, c->num_cpus);
        } else if (j >= p->num_vcpus && cpu != 0u) {
            cfg_perr(rep, i, field, "%u for an unused vCPU, must be zero", cpu);
        } else {
            /* vcpu_cpu[j] valid */
        }
    }
    if ((p->flags & ~CFG_KNOWN_FLAGS) != 0u) {
        cfg_perr(rep, i, "flags", "unknown bits 0x%x", p->flags & ~CFG_KNOWN_FLAGS);
    }
    if (p->reserved != 0u) {
        cfg_perr(rep, i, "reserved", "0x%x, must be zero", p->reserved);
    }
}

/* ------------------------------------------------------ image and dtb --- */

/* A payload piece: 8-aligned offset, after the header, inside total_size. */
static void cfg_check_payload(const struct bh_cfg *c, uint32_t i, const char *name, uint32_t offset,
                              uint32_t size, struct cfg_report *rep)
{
    if (!aligned(offset, BH_CFG_PAYLOAD_ALIGN)) {
        cfg_perr(rep, i, name, "0x%x not 8-byte aligned", offset);
    }
    if (offset < CFG_HDR_SIZE) {
        cfg_perr(rep, i, name, "0x%x inside the header (0x%llx bytes)", offset, U64(CFG_HDR_SIZE));
    } else if ((uint64_t)offset + size > c->total_size) {
        cfg_perr(rep, i, name, "0x%x+0x%x beyond total_size 0x%x", offset, size, c->total_size);
    } else {
        /* offset inside the blob */
    }
}

/* Implements: LLR-CFG-009 (image non-empty, in the payload, its memory
 * inside guest RAM, entry point 4-aligned inside the image). */
static void cfg_check_image(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    if (p->image_size == 0u) {
        cfg_perr(rep, i, "image_size", "zero");
    }
    cfg_check_payload(c, i, "image_offset", p->image_offset, p->image_size, rep);
    if (p->image_mem_size < p->image_size) {
        cfg_perr(rep, i, "image_mem_size", "0x%x below image_size 0x%x", p->image_mem_size,
                 p->image_size);
    }
    if (!range_inside(p->image_gpa, p->image_mem_size, p->ram_gpa, p->ram_size)) {
        cfg_perr(rep, i, "image_gpa", "0x%llx+0x%x outside guest RAM 0x%llx+0x%llx",
                 U64(p->image_gpa), p->image_mem_size, U64(p->ram_gpa), U64(p->ram_size));
    }
    if (!aligned(p->entry_gpa, CFG_ENTRY_ALIGN) ||
        !range_inside(p->entry_gpa, 1u, p->image_gpa, p->image_size)) {
        cfg_perr(rep, i, "entry_gpa", "0x%llx not 4-aligned inside image 0x%llx+0x%x",
                 U64(p->entry_gpa), U64(p->image_gpa), p->image_size);
    }
}

/* Implements: LLR-CFG-010 (device tree 1 byte..2 MiB, in the payload, copy
 * 8-aligned inside guest RAM and clear of the image memory). */
static void cfg_check_dtb(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    if (p->dtb_size < 1u || p->dtb_size > CFG_MAX_DTB_SIZE) {
        cfg_perr(rep, i, "dtb_size", "0x%x not in 1..0x%x", p->dtb_size, CFG_MAX_DTB_SIZE);
    }
    cfg_check_payload(c, i, "dtb_offset", p->dtb_offset, p->dtb_size, rep);
    if (!aligned(p->dtb_gpa, BH_CFG_PAYLOAD_ALIGN)) {
        cfg_perr(rep, i, "dtb_gpa", "0x%llx not 8-byte aligned", U64(p->dtb_gpa));
    }
    if (!range_inside(p->dtb_gpa, p->dtb_size, p->ram_gpa, p->ram_size)) {
        cfg_perr(rep, i, "dtb_gpa", "0x%llx+0x%x outside guest RAM 0x%llx+0x%llx", U64(p->dtb_gpa),
                 p->dtb_size, U64(p->ram_gpa), U64(p->ram_size));
    } else if (range_ok(p->image_gpa, p->image_mem_size) &&
               range_overlap(p->dtb_gpa, p->dtb_size, p->image_gpa, p->image_mem_size)) {
        cfg_perr(rep, i, "dtb_gpa", "0x%llx+0x%x overlaps image 0x%llx+0x%x", U64(p->dtb_gpa),
                 p->dtb_size, U64(p->image_gpa), p->image_mem_size);
    } else {
        /* device tree placed correctly */
    }
}

/*
 * Implements: LLR-CFG-017 (ramdisk: none means all three fields zero; else
 * in the payload, its copy page aligned inside guest RAM and clear of the
 * image memory and of the device tree).
 */
static void cfg_check_ramdisk(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    if (p->ramdisk_size == 0u) {
        if (p->ramdisk_gpa != 0u || p->ramdisk_offset != 0u) {
            cfg_perr(rep, i, "ramdisk_size", "zero, but ramdisk_gpa or ramdisk_offset set");
        }
        return;
    }
    cfg_check_payload(c, i, "ramdisk_offset", p->ramdisk_offset, p->ramdisk_size, rep);
    if (!aligned(p->ramdisk_gpa, BH_CFG_PAGE_SIZE)) {
        cfg_perr(rep, i, "ramdisk_gpa", "0x%llx not page aligned", U64(p->ramdisk_gpa));
    }
    if (!range_inside(p->ramdisk_gpa, p->ramdisk_size, p->ram_gpa, p->ram_size)) {
        cfg_perr(rep, i, "ramdisk_gpa", "0x%llx+0x%x outside guest RAM 0x%llx+0x%llx",
                 U64(p->ramdisk_gpa), p->ramdisk_size, U64(p->ram_gpa), U64(p->ram_size));
        return;
    }
    if (range_ok(p->image_gpa, p->image_mem_size) &&
        range_overlap(p->ramdisk_gpa, p->ramdisk_size, p->image_gpa, p->image_mem_size)) {
        cfg_perr(rep, i, "ramdisk_gpa", "0x%llx+0x%x overlaps image 0x%llx+0x%x",
                 U64(p->ramdisk_gpa), p->ramdisk_size, U64(p->image_gpa), p->image_mem_size);
    }
    if (range_ok(p->dtb_gpa, p->dtb_size) &&
        range_overlap(p->ramdisk_gpa, p->ramdisk_size, p->dtb_gpa, p->dtb_size)) {
        cfg_perr(rep, i, "ramdisk_gpa", "0x%llx+0x%x overlaps device tree 0x%llx+0x%x",
                 U64(p->ramdisk_gpa), p->ramdisk_size, U64(p->dtb_gpa), p->dtb_size);
    }
}

/* ------------------------------------------------------------- entries --- */

/* Implements: LLR-CFG-011 (table entries at and after num_parts all zero). */
static void cfg_check_unused(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const uint8_t *b = (const uint8_t *)&c->parts[i];
    for (size_t k = 0; k < sizeof(c->parts[i]); k++) {
        if (b[k] != 0u) {
            char field[CFG_FIELD_LEN];
            (void)bh_snprintf(field, sizeof(field), "parts[%u]", i);
            cfg_err(rep, field, "unused (num_parts %u) but not all zero", c->num_parts);
            return;
        }
    }
}

/*
 * Implements: LLR-CFG-002 .. LLR-CFG-012, LLR-CFG-017, LLR-CFG-020 .. LLR-CFG-026 (structural checks stop at the
 * first error; field checks are all run and collected; the stage-2 budget
 * last, on a blob without other errors).
 */
uint32_t cfg_validate(const void *blob, uint64_t avail, const struct cfg_platform *pl,
                      struct cfg_report *rep)
{
    if (rep == NULL) {
        return 1u;
    }
    bh_memset(rep, 0, sizeof(*rep));
    if (pl == NULL) {
        cfg_err(rep, "platform", "description missing");
        return rep->count;
    }
    if (!cfg_check_structure(blob, avail, pl, rep)) {
        return rep->count;
    }
    const struct bh_cfg *c = blob;
    cfg_check_header(c, pl, rep);
    for (uint32_t i = 0; i < BH_CFG_MAX_PARTS; i++) {
        if (i >= c->num_parts) {
            cfg_check_unused(c, i, rep);
            continue;
        }
        const struct bh_cfg_part *p = &c->parts[i];
        cfg_check_name(c, i, rep);
        cfg_check_ram_pa(p, i, pl, rep);
        cfg_check_ram_disjoint(c, i, rep);
        cfg_check_ram_gpa(p, i, rep);
        cfg_check_vcpus(c, i, rep);
        cfg_check_image(c, i, rep);
        cfg_check_dtb(c, i, rep);
        cfg_check_ramdisk(c, i, rep);
        cfg_check_part_hm(c, i, rep);
    }
    cfg_check_schedules(c, rep);
    if (c->num_parts >= 1u && c->num_parts <= BH_CFG_MAX_PARTS) {
        cfg_check_channels(c, rep);
        cfg_check_evtchn_ports(c, rep);
        cfg_check_shms(c, pl, rep);
    }
    cfg_check_passthru(c, pl, rep);
    cfg_check_streams(c, pl, rep);
    /* The count assumes valid, disjoint ranges: last, on a blob otherwise valid. */
    if (rep->count == 0u) {
        cfg_check_s2_budget(c, pl, rep);
        cfg_check_smmu_budget(c, pl, rep);
    }
    return rep->count;
}
