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

#include <stdarg.h>

#include "util.h"
#include "vgic.h"
#include "vuart.h"

#define U64(x) ((unsigned long long)(x))

#define CFG_HDR_SIZE ((uint64_t)sizeof(struct bh_cfg))
#define CFG_MIN_SLICE_US 100u
#define CFG_MAX_SLICE_US 10000000u
#define CFG_MAX_DTB_SIZE 0x200000u /* 2 MiB */
#define CFG_IPA_LIMIT (1ull << 39) /* stage-2 input range */
#define CFG_KNOWN_FLAGS (BH_CFG_PART_F_SYSTEM | BH_CFG_PART_F_HM_HCALL)
#define CFG_ENTRY_ALIGN 4u

/* CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, one byte per step. */
/* clang-format off */
static const uint32_t crc32c_table[256] = {
    0x00000000u, 0xf26b8303u, 0xe13b70f7u, 0x1350f3f4u, 0xc79a971fu, 0x35f1141cu,
    0x26a1e7e8u, 0xd4ca64ebu, 0x8ad958cfu, 0x78b2dbccu, 0x6be22838u, 0x9989ab3bu,
    0x4d43cfd0u, 0xbf284cd3u, 0xac78bf27u, 0x5e133c24u, 0x105ec76fu, 0xe235446cu,
    0xf165b798u, 0x030e349bu, 0xd7c45070u, 0x25afd373u, 0x36ff2087u, 0xc494a384u,
    0x9a879fa0u, 0x68ec1ca3u, 0x7bbcef57u, 0x89d76c54u, 0x5d1d08bfu, 0xaf768bbcu,
    0xbc267848u, 0x4e4dfb4bu, 0x20bd8edeu, 0xd2d60dddu, 0xc186fe29u, 0x33ed7d2au,
    0xe72719c1u, 0x154c9ac2u, 0x061c6936u, 0xf477ea35u, 0xaa64d611u, 0x580f5512u,
    0x4b5fa6e6u, 0xb93425e5u, 0x6dfe410eu, 0x9f95c20du, 0x8cc531f9u, 0x7eaeb2fau,
    0x30e349b1u, 0xc288cab2u, 0xd1d83946u, 0x23b3ba45u, 0xf779deaeu, 0x05125dadu,
    0x1642ae59u, 0xe4292d5au, 0xba3a117eu, 0x4851927du, 0x5b016189u, 0xa96ae28au,
    0x7da08661u, 0x8fcb0562u, 0x9c9bf696u, 0x6ef07595u, 0x417b1dbcu, 0xb3109ebfu,
    0xa0406d4bu, 0x522bee48u, 0x86e18aa3u, 0x748a09a0u, 0x67dafa54u, 0x95b17957u,
    0xcba24573u, 0x39c9c670u, 0x2a993584u, 0xd8f2b687u, 0x0c38d26cu, 0xfe53516fu,
    0xed03a29bu, 0x1f682198u, 0x5125dad3u, 0xa34e59d0u, 0xb01eaa24u, 0x42752927u,
    0x96bf4dccu, 0x64d4cecfu, 0x77843d3bu, 0x85efbe38u, 0xdbfc821cu, 0x2997011fu,
    0x3ac7f2ebu, 0xc8ac71e8u, 0x1c661503u, 0xee0d9600u, 0xfd5d65f4u, 0x0f36e6f7u,
    0x61c69362u, 0x93ad1061u, 0x80fde395u, 0x72966096u, 0xa65c047du, 0x5437877eu,
    0x4767748au, 0xb50cf789u, 0xeb1fcbadu, 0x197448aeu, 0x0a24bb5au, 0xf84f3859u,
    0x2c855cb2u, 0xdeeedfb1u, 0xcdbe2c45u, 0x3fd5af46u, 0x7198540du, 0x83f3d70eu,
    0x90a324fau, 0x62c8a7f9u, 0xb602c312u, 0x44694011u, 0x5739b3e5u, 0xa55230e6u,
    0xfb410cc2u, 0x092a8fc1u, 0x1a7a7c35u, 0xe811ff36u, 0x3cdb9bddu, 0xceb018deu,
    0xdde0eb2au, 0x2f8b6829u, 0x82f63b78u, 0x709db87bu, 0x63cd4b8fu, 0x91a6c88cu,
    0x456cac67u, 0xb7072f64u, 0xa457dc90u, 0x563c5f93u, 0x082f63b7u, 0xfa44e0b4u,
    0xe9141340u, 0x1b7f9043u, 0xcfb5f4a8u, 0x3dde77abu, 0x2e8e845fu, 0xdce5075cu,
    0x92a8fc17u, 0x60c37f14u, 0x73938ce0u, 0x81f80fe3u, 0x55326b08u, 0xa759e80bu,
    0xb4091bffu, 0x466298fcu, 0x1871a4d8u, 0xea1a27dbu, 0xf94ad42fu, 0x0b21572cu,
    0xdfeb33c7u, 0x2d80b0c4u, 0x3ed04330u, 0xccbbc033u, 0xa24bb5a6u, 0x502036a5u,
    0x4370c551u, 0xb11b4652u, 0x65d122b9u, 0x97baa1bau, 0x84ea524eu, 0x7681d14du,
    0x2892ed69u, 0xdaf96e6au, 0xc9a99d9eu, 0x3bc21e9du, 0xef087a76u, 0x1d63f975u,
    0x0e330a81u, 0xfc588982u, 0xb21572c9u, 0x407ef1cau, 0x532e023eu, 0xa145813du,
    0x758fe5d6u, 0x87e466d5u, 0x94b49521u, 0x66df1622u, 0x38cc2a06u, 0xcaa7a905u,
    0xd9f75af1u, 0x2b9cd9f2u, 0xff56bd19u, 0x0d3d3e1au, 0x1e6dcdeeu, 0xec064eedu,
    0xc38d26c4u, 0x31e6a5c7u, 0x22b65633u, 0xd0ddd530u, 0x0417b1dbu, 0xf67c32d8u,
    0xe52cc12cu, 0x1747422fu, 0x49547e0bu, 0xbb3ffd08u, 0xa86f0efcu, 0x5a048dffu,
    0x8ecee914u, 0x7ca56a17u, 0x6ff599e3u, 0x9d9e1ae0u, 0xd3d3e1abu, 0x21b862a8u,
    0x32e8915cu, 0xc083125fu, 0x144976b4u, 0xe622f5b7u, 0xf5720643u, 0x07198540u,
    0x590ab964u, 0xab613a67u, 0xb831c993u, 0x4a5a4a90u, 0x9e902e7bu, 0x6cfbad78u,
    0x7fab5e8cu, 0x8dc0dd8fu, 0xe330a81au, 0x115b2b19u, 0x020bd8edu, 0xf0605beeu,
    0x24aa3f05u, 0xd6c1bc06u, 0xc5914ff2u, 0x37faccf1u, 0x69e9f0d5u, 0x9b8273d6u,
    0x88d28022u, 0x7ab90321u, 0xae7367cau, 0x5c18e4c9u, 0x4f48173du, 0xbd23943eu,
    0xf36e6f75u, 0x0105ec76u, 0x12551f82u, 0xe03e9c81u, 0x34f4f86au, 0xc69f7b69u,
    0xd5cf889du, 0x27a40b9eu, 0x79b737bau, 0x8bdcb4b9u, 0x988c474du, 0x6ae7c44eu,
    0xbe2da0a5u, 0x4c4623a6u, 0x5f16d052u, 0xad7d5351u,
};
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

/* Implements: LLR-CFG-002 (CRC-32C, Castagnoli, continued from crc). */
uint32_t cfg_crc32c(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint32_t c = ~crc;
    for (size_t i = 0; i < n; i++) {
        c = crc32c_table[(c ^ p[i]) & 0xffu] ^ (c >> 8);
    }
    return ~c;
}

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
        bh_snprintf(e->field, sizeof(e->field), "%s", field);
        bh_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
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
    bh_snprintf(field, sizeof(field), "parts[%u].%s", i, name);
    va_start(ap, fmt);
    cfg_verr(rep, field, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------- range helpers --- */

/* base + size does not wrap around 2^64. */
static bool range_ok(uint64_t base, uint64_t size)
{
    return size <= UINT64_MAX - base;
}

/* [a, a+as) lies inside [b, b+bs); no sum is formed, so nothing overflows. */
static bool range_inside(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a >= b && a - b <= bs && as <= bs - (a - b);
}

/* Non-empty [a, a+as) and [b, b+bs) share a byte. Pre: both range_ok. */
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
 * Implements: LLR-CFG-002 (structural checks, stopping at the first: blob
 * present and at least a header long, 8-byte aligned, magic, version,
 * total_size within [header, avail], checksum).
 */
static bool cfg_check_structure(const void *blob, uint64_t avail, struct cfg_report *rep)
{
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
        bh_snprintf(field, sizeof(field), "vcpu_cpu[%u]", j);
        if (j < p->num_vcpus && cpu >= c->num_cpus) {
            cfg_perr(rep, i, field, "CPU %u not below header.num_cpus %u", cpu, c->num_cpus);
        } else if (j >= p->num_vcpus && cpu != 0u) {
            cfg_perr(rep, i, field, "%u for an unused vCPU, must be zero", cpu);
        }
    }
    if ((p->flags & ~(uint32_t)CFG_KNOWN_FLAGS) != 0u) {
        cfg_perr(rep, i, "flags", "unknown bits 0x%x", p->flags & ~(uint32_t)CFG_KNOWN_FLAGS);
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
            bh_snprintf(field, sizeof(field), "parts[%u]", i);
            cfg_err(rep, field, "unused (num_parts %u) but not all zero", c->num_parts);
            return;
        }
    }
}

/*
 * Implements: LLR-CFG-002 .. LLR-CFG-012 (structural checks stop at the
 * first error; field checks are all run and collected).
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
    if (!cfg_check_structure(blob, avail, rep)) {
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
        cfg_check_part_hm(c, i, rep);
    }
    cfg_check_schedules(c, rep);
    return rep->count;
}
