/* Unit tests of hyp/core/cfg.c: one test per rule, each mutating one field
 * of a valid blob and re-sealing it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg.h"
#include "cfg_fixture.h"

static _Alignas(8) uint8_t blob_mem[16384];
static struct bh_cfg *const cfg = (struct bh_cfg *)blob_mem;
static struct cfg_report rep;
static struct cfg_platform plat;

static void reseal(void)
{
    cfx_reseal(cfg);
}

/* A valid two-partition blob: p0 runs two vCPUs on CPUs 0 and 1, p1 one on 1. */
static int build_valid(void **state)
{
    (void)state;
    cfx_begin(cfg, sizeof(blob_mem), &rep);
    plat = cfx_plat_default;
    cfx_set_part(cfg, 0, "p0", 0x48000000ull, 0x40000000ull, HDR);
    cfg->parts[0].num_vcpus = 2;
    cfg->parts[0].vcpu_cpu[1] = 1;
    cfx_set_part(cfg, 1, "p1_x-Z9", 0x49000000ull, 0x40000000ull, HDR + IMG_SIZE + DTB_SIZE);
    cfg->parts[1].num_vcpus = 1;
    cfg->parts[1].vcpu_cpu[0] = 1;
    cfx_fill_payload(blob_mem);
    reseal();
    return 0;
}

static uint32_t validate(void)
{
    return cfg_validate(blob_mem, sizeof(blob_mem), &plat, &rep);
}

/* An error for `field` whose message contains `msg` must be recorded. */
static void expect_error(const char *field, const char *msg)
{
    cfx_expect_error(&rep, field, msg);
}

/* Reseal, validate, and require exactly this one error. */
static void expect_only(const char *field, const char *msg)
{
    reseal();
    cfx_expect_only(validate(), &rep, field, msg);
}

/* Reseal, validate, and require this error among others. */
static void expect_some(const char *field, const char *msg)
{
    reseal();
    cfx_expect_some(validate(), &rep, field, msg);
}

/* Move partition i's guest-physical layout so that RAM starts at gpa. */
static void move_gpa(uint32_t i, uint64_t gpa)
{
    struct bh_cfg_part *p = &cfg->parts[i];
    uint64_t delta = gpa - p->ram_gpa;
    p->ram_gpa += delta;
    p->image_gpa += delta;
    p->entry_gpa += delta;
    p->dtb_gpa += delta;
}

/* ------------------------------------------------------------------ CRC --- */

/* Verifies: LLR-CFG-002 */
static void test_crc32c_known_answers(void **state)
{
    (void)state;
    uint8_t zeros[32];
    uint8_t ones[32];
    memset(zeros, 0, sizeof(zeros));
    memset(ones, 0xff, sizeof(ones));
    assert_int_equal(cfg_crc32c(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(cfg_crc32c(cfg_crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
    assert_int_equal(cfg_crc32c(0, zeros, sizeof(zeros)), 0x8A9136AAu); /* RFC 3720 */
    assert_int_equal(cfg_crc32c(0, ones, sizeof(ones)), 0x62A8AB43u);
    assert_int_equal(cfg_crc32c(0, "", 0), 0u);
    assert_int_equal(cfg_crc32c(0x12345678u, "", 0), 0x12345678u);
}

/* Verifies: LLR-CFG-002 */
static void test_blob_checksum_ignores_field(void **state)
{
    (void)state;
    uint32_t a = cfg_blob_checksum(cfg);
    cfg->checksum = 0xdeadbeefu;
    assert_int_equal(cfg_blob_checksum(cfg), a);
    /* Equivalent to the CRC of the blob with the field zeroed. */
    cfg->checksum = 0;
    assert_int_equal(cfg_crc32c(0, blob_mem, TOTAL), a);
    blob_mem[TOTAL - 1u] ^= 1u; /* the payload is covered */
    assert_int_not_equal(cfg_blob_checksum(cfg), a);
}

/* ------------------------------------------------------------ structure --- */

/* Verifies: LLR-CFG-002, LLR-CFG-012 */
static void test_valid_blob_passes(void **state)
{
    (void)state;
    assert_int_equal(validate(), 0);
    assert_int_equal(rep.count, 0);
    assert_int_equal(cfg_validate(blob_mem, TOTAL, &plat, &rep), 0); /* avail exact */
    /* Boundary values that are allowed. */
    cfg->slice_us = 100;
    reseal();
    assert_int_equal(validate(), 0);
    cfg->slice_us = 10000000;
    cfg->parts[0].entry_gpa = cfg->parts[0].image_gpa + IMG_SIZE - 4u; /* last word */
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-002 */
static void test_structure_truncated(void **state)
{
    (void)state;
    assert_int_equal(cfg_validate(blob_mem, HDR - 1u, &plat, &rep), 1);
    expect_error("header", "blob truncated");
    assert_int_equal(cfg_validate(NULL, sizeof(blob_mem), &plat, &rep), 1);
    expect_error("header", "blob missing");
}

/* Verifies: LLR-CFG-002 */
static void test_structure_misaligned(void **state)
{
    (void)state;
    assert_int_equal(cfg_validate(blob_mem + 4, sizeof(blob_mem) - 4u, &plat, &rep), 1);
    expect_error("header", "not 8-byte aligned");
}

/* Verifies: LLR-CFG-002 */
static void test_structure_magic_version(void **state)
{
    (void)state;
    cfg->magic = 0x44484b43u;
    cfg->num_parts = 0; /* a field error that must not be reached */
    expect_only("header.magic", "0x44484b43, expected 0x44484b42");
    cfg->magic = BH_CFG_MAGIC;
    cfg->version = 3; /* the version before StreamIDs */
    expect_only("header.version", "3 not supported, expected 4");
    cfg->version = 5;
    expect_only("header.version", "5 not supported");
}

/* printf into a static buffer: expected messages that quote layout sizes. */
static const char *fmt(const char *f, unsigned a, unsigned b)
{
    static char buf[96];
    snprintf(buf, sizeof(buf), f, a, b);
    return buf;
}

/* Verifies: LLR-CFG-002 */
static void test_structure_total_size(void **state)
{
    (void)state;
    cfg->total_size = HDR - 1u;
    expect_only("header.total_size", fmt("not in %u..%u", HDR, (unsigned)sizeof(blob_mem)));
    cfg->total_size = sizeof(blob_mem) + 1u;
    expect_only("header.total_size", fmt("%u not in", (unsigned)sizeof(blob_mem) + 1u, 0));
    cfg->total_size = TOTAL;
    reseal();
    assert_int_equal(cfg_validate(blob_mem, TOTAL - 1u, &plat, &rep), 1);
    expect_error("header.total_size", fmt("not in %u..%u", HDR, TOTAL - 1u));
}

/* Verifies: LLR-CFG-002 */
static void test_structure_checksum(void **state)
{
    (void)state;
    uint32_t good = cfg->checksum;
    blob_mem[TOTAL - 1u] ^= 0x40u; /* one payload bit, not resealed */
    uint32_t now = cfg_blob_checksum(cfg);
    char msg[64];
    snprintf(msg, sizeof(msg), "mismatch: expected 0x%08x, found 0x%08x", now, good);
    assert_int_equal(validate(), 1);
    expect_error("header.checksum", msg);
}

/* Verifies: LLR-CFG-002 */
static void test_structure_missing_arguments(void **state)
{
    (void)state;
    assert_int_equal(cfg_validate(blob_mem, sizeof(blob_mem), &plat, NULL), 1);
    assert_int_equal(cfg_validate(blob_mem, sizeof(blob_mem), NULL, &rep), 1);
    expect_error("platform", "missing");
}

/* Verifies: LLR-CFG-026 (the image, hypervisor and blob, must lie inside
 * platform RAM: past its end, before its start, with an image_size whose sum
 * with hyp_base wrapped; refused before the blob is read, even a blob that
 * is not there; ending exactly at the end of RAM is fine) */
static void test_structure_image_span(void **state)
{
    (void)state;
    plat.hyp_base = 0x7fe00000ull; /* the last 2 MiB of RAM */
    plat.hyp_end = 0x80000000ull;
    assert_int_equal(validate(), 0);
    plat.hyp_end = 0x80001000ull; /* one page beyond */
    expect_only("image",
                "0x7fe00000+0x201000 (hypervisor and blob) not inside RAM 0x40000000+0x40000000");
    assert_int_equal(cfg_validate(NULL, 0, &plat, &rep), 1); /* before anything else */
    expect_error("image", "not inside RAM");
    plat.hyp_end = 0x7fd00000ull; /* below its base: image_size wrapped around */
    expect_only("image", "0x7fe00000+0xfffffffffff00000 (hypervisor and blob) not inside RAM");
    plat.hyp_base = 0x3ffff000ull; /* starts below RAM */
    plat.hyp_end = 0x40001000ull;
    expect_only("image", "0x3ffff000+0x2000 (hypervisor and blob) not inside RAM");
}

/* Verifies: LLR-CFG-002, LLR-CFG-012 */
static void test_never_reads_past_avail(void **state)
{
    (void)state;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (TOTAL + pg - 1u) / pg * pg;
    uint8_t *map = mmap(NULL, body + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + body, pg, PROT_NONE), 0);
    uint8_t *end = map + body; /* any read at or past end faults */
    /* A valid blob ending exactly at the guard page. */
    memcpy(end - TOTAL, blob_mem, TOTAL);
    assert_int_equal(cfg_validate(end - TOTAL, TOTAL, &plat, &rep), 0);
    /* A blob claiming more than is there. */
    ((struct bh_cfg *)(void *)(end - TOTAL))->total_size = TOTAL + 8u;
    assert_int_equal(cfg_validate(end - TOTAL, TOTAL, &plat, &rep), 1);
    expect_error("header.total_size", "not in");
    /* Fewer bytes than a header. */
    assert_int_equal(cfg_validate(end - 96, 96, &plat, &rep), 1);
    expect_error("header", fmt("blob truncated: 96 bytes, need %u", HDR, 0));
    munmap(map, body + pg);
}

/* --------------------------------------------------------------- header --- */

/* Verifies: LLR-CFG-003 */
static void test_header_reserved(void **state)
{
    (void)state;
    cfg->reserved = 0x10;
    expect_only("header.reserved", "0x10, must be zero");
}

/* Verifies: LLR-CFG-003 */
static void test_header_num_cpus(void **state)
{
    (void)state;
    cfg->num_cpus = 0;
    expect_some("header.num_cpus", "0 not in 1..4");
    cfg->num_cpus = 5;
    expect_only("header.num_cpus", "5 not in 1..4");
    cfg->num_cpus = 3;
    expect_only("header.num_cpus", "3 exceeds the platform's 2 CPUs");
}

/* Verifies: LLR-CFG-003 */
static void test_header_num_parts(void **state)
{
    (void)state;
    cfg->num_parts = 0;
    expect_some("header.num_parts", "0 not in 1..8");
    expect_error("parts[0]", "not all zero");
    cfg->num_parts = 9;
    expect_some("header.num_parts", "9 not in 1..8");
    cfg->num_parts = 1;
    expect_only("parts[1]", "unused (num_parts 1) but not all zero");
}

/* Verifies: LLR-CFG-003 */
static void test_header_slice(void **state)
{
    (void)state;
    cfg->slice_us = 99;
    expect_only("header.slice_us", "99 not in 100..10000000");
    cfg->slice_us = 10000001;
    expect_only("header.slice_us", "10000001 not in");
}

/* ---------------------------------------------------------------- names --- */

/* Verifies: LLR-CFG-004 */
static void test_name_empty(void **state)
{
    (void)state;
    memset(cfg->parts[1].name, 0, BH_CFG_NAME_LEN);
    expect_only("parts[1].name", "empty");
}

/* Verifies: LLR-CFG-004 */
static void test_name_unterminated(void **state)
{
    (void)state;
    memset(cfg->parts[0].name, 'a', BH_CFG_NAME_LEN);
    expect_only("parts[0].name", "not NUL-terminated within 16 bytes");
    /* 15 characters is the longest allowed. */
    cfg->parts[0].name[15] = '\0';
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-004 */
static void test_name_bad_character(void **state)
{
    (void)state;
    strcpy(cfg->parts[1].name, "p 1");
    expect_only("parts[1].name", "character 0x20 at 1");
    strcpy(cfg->parts[1].name, "p1\x1b");
    expect_only("parts[1].name", "character 0x1b at 2");
    strcpy(cfg->parts[1].name, "p~");
    expect_only("parts[1].name", "character 0x7e at 1");
    strcpy(cfg->parts[1].name, "p\xe9");
    expect_only("parts[1].name", "character 0xe9 at 1");
}

/* Verifies: LLR-CFG-004 */
static void test_name_duplicate(void **state)
{
    (void)state;
    memset(cfg->parts[1].name, 0, BH_CFG_NAME_LEN);
    strcpy(cfg->parts[1].name, "p0");
    expect_only("parts[1].name", "\"p0\" already used by parts[0]");
    /* An invalid earlier name is not compared (already reported). */
    strcpy(cfg->parts[0].name, "p0!");
    strcpy(cfg->parts[1].name, "p0!");
    reseal();
    assert_int_equal(validate(), 2);
    expect_error("parts[0].name", "character 0x21");
    expect_error("parts[1].name", "character 0x21");
    /* A prefix is a different name. */
    strcpy(cfg->parts[0].name, "p0");
    strcpy(cfg->parts[1].name, "p00");
    reseal();
    assert_int_equal(validate(), 0);
}

/* ------------------------------------------------------------------ RAM --- */

/* Verifies: LLR-CFG-005 */
static void test_ram_size(void **state)
{
    (void)state;
    cfg->parts[1].ram_size = 0;
    expect_some("parts[1].ram_size", "0x0 not a non-zero multiple of 0x1000");
    cfg->parts[1].ram_size = 0x1000001ull;
    expect_only("parts[1].ram_size", "0x1000001 not a non-zero multiple");
}

/* Verifies: LLR-CFG-005 */
static void test_ram_alignment(void **state)
{
    (void)state;
    cfg->parts[0].ram_pa += 0x800u;
    expect_some("parts[0].ram_pa", "0x48000800 not page aligned");
    cfg->parts[0].ram_pa -= 0x800u;
    move_gpa(0, 0x40000010ull);
    expect_only("parts[0].ram_gpa", "0x40000010 not page aligned");
}

/* Verifies: LLR-CFG-005 */
static void test_ram_pa_wraps(void **state)
{
    (void)state;
    cfg->parts[1].ram_pa = 0xfffffffffffff000ull;
    cfg->parts[1].ram_size = 0x2000ull;
    expect_some("parts[1].ram_pa", "0xfffffffffffff000+0x2000 wraps around");
}

/* Verifies: LLR-CFG-005 */
static void test_ram_pa_outside_platform(void **state)
{
    (void)state;
    cfg->parts[1].ram_pa = 0x7f800000ull; /* crosses the end of RAM */
    expect_only("parts[1].ram_pa",
                "0x7f800000+0x1000000 outside platform RAM 0x40000000+0x40000000");
    cfg->parts[1].ram_pa = 0x3f000000ull; /* below the start */
    expect_only("parts[1].ram_pa", "outside platform RAM");
    cfg->parts[1].ram_pa = 0x7f000000ull; /* ends exactly at the end: fine */
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-005 */
static void test_ram_pa_overlaps_hypervisor(void **state)
{
    (void)state;
    cfg->parts[1].ram_pa = 0x40000000ull;
    expect_only("parts[1].ram_pa",
                "0x40000000+0x1000000 overlaps hypervisor 0x40200000..0x40400000");
    cfg->parts[1].ram_pa = 0x40400000ull; /* right after it: fine */
    reseal();
    assert_int_equal(validate(), 0);
    plat.hyp_end = plat.hyp_base; /* an empty footprint overlaps nothing */
    cfg->parts[1].ram_pa = 0x40000000ull;
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-006 */
static void test_ram_pa_overlaps_partition(void **state)
{
    (void)state;
    cfg->parts[1].ram_pa = 0x48000000ull;
    expect_only("parts[1].ram_pa",
                "0x48000000+0x1000000 overlaps parts[0] RAM 0x48000000+0x1000000");
    cfg->parts[1].ram_pa = 0x47001000ull; /* tail of p1 on head of p0 */
    expect_only("parts[1].ram_pa", "overlaps parts[0] RAM");
    /* A wrapping range of an earlier partition is reported once, not again. */
    cfg->parts[1].ram_pa = 0x49000000ull;
    cfg->parts[0].ram_pa = 0xfffffffffffff000ull;
    cfg->parts[0].ram_size = 0x2000ull;
    reseal();
    validate();
    expect_error("parts[0].ram_pa", "wraps around");
    for (uint32_t k = 0; k < rep.count && k < CFG_MAX_ERRORS; k++) {
        assert_null(strstr(rep.err[k].msg, "overlaps parts"));
    }
}

/* Verifies: LLR-CFG-007 */
static void test_ram_gpa_ipa_limit(void **state)
{
    (void)state;
    move_gpa(0, 0x7fff800000ull); /* crosses 2^39 */
    expect_only("parts[0].ram_gpa", "0x7fff800000+0x1000000 beyond the 2^39");
    move_gpa(0, 0x7fff000000ull); /* ends exactly at 2^39: fine */
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-007 */
static void test_ram_gpa_device_windows(void **state)
{
    (void)state;
    move_gpa(0, 0x21800000ull); /* [0x21800000, 0x22800000) holds the UART */
    expect_only("parts[0].ram_gpa", "overlaps virtual UART 0x22000000+0x1000");
    move_gpa(0, 0x03010000ull); /* GICD tail and GICR */
    reseal();
    assert_int_equal(validate(), 2);
    expect_error("parts[0].ram_gpa", "overlaps vGIC distributor 0x3001000+0x10000");
    expect_error("parts[0].ram_gpa", "overlaps vGIC redistributors 0x3020000+0x1000000");
    move_gpa(0, 0x04020000ull); /* right after the redistributors: fine */
    reseal();
    assert_int_equal(validate(), 0);
}

/* ------------------------------------------------------------- vCPUs ... --- */

/* Verifies: LLR-CFG-008 */
static void test_num_vcpus(void **state)
{
    (void)state;
    cfg->parts[1].num_vcpus = 0;
    cfg->parts[1].vcpu_cpu[0] = 0;
    expect_only("parts[1].num_vcpus", "0 not in 1..4");
    cfg->parts[1].num_vcpus = 5;
    expect_only("parts[1].num_vcpus", "5 not in 1..4");
}

/* Verifies: LLR-CFG-008 */
static void test_vcpu_cpu(void **state)
{
    (void)state;
    cfg->parts[0].vcpu_cpu[1] = 2;
    expect_only("parts[0].vcpu_cpu[1]", "CPU 2 not below header.num_cpus 2");
    cfg->parts[0].vcpu_cpu[1] = 1;
    cfg->parts[0].vcpu_cpu[3] = 1;
    expect_only("parts[0].vcpu_cpu[3]", "1 for an unused vCPU, must be zero");
}

/* Verifies: LLR-CFG-008 */
static void test_flags_and_reserved(void **state)
{
    (void)state;
    cfg->parts[0].flags = 0x8000001Fu;
    expect_only("parts[0].flags", "unknown bits 0x80000010");
    cfg->parts[0].flags = BH_CFG_PART_F_NO_XEN_NODE;
    reseal();
    assert_int_equal(validate(), 0);
    cfg->parts[0].flags = 0;
    cfg->parts[1].reserved = 3;
    expect_only("parts[1].reserved", "0x3, must be zero");
}

/* ---------------------------------------------------------------- image --- */

/* Verifies: LLR-CFG-009 */
static void test_image_size_zero(void **state)
{
    (void)state;
    cfg->parts[0].image_size = 0;
    reseal();
    assert_int_equal(validate(), 2); /* and the entry is no longer inside */
    expect_error("parts[0].image_size", "zero");
    expect_error("parts[0].entry_gpa", "not 4-aligned inside image");
}

/* Verifies: LLR-CFG-009 */
static void test_image_offset(void **state)
{
    (void)state;
    cfg->parts[0].image_offset = HDR + 4u;
    expect_only("parts[0].image_offset", fmt("0x%x not 8-byte aligned", HDR + 4u, 0));
    cfg->parts[0].image_offset = 8u;
    expect_only("parts[0].image_offset", fmt("0x8 inside the header (0x%x bytes)", HDR, 0));
    cfg->parts[0].image_offset = TOTAL - 56u;
    expect_only("parts[0].image_offset", fmt("0x%x+0x40 beyond total_size 0x%x", TOTAL - 56u, TOTAL));
    cfg->parts[0].image_offset = 0xfffffff8u; /* a 32-bit sum would wrap */
    expect_only("parts[0].image_offset", "0xfffffff8+0x40 beyond total_size");
    cfg->parts[0].image_offset = TOTAL - IMG_SIZE; /* ends at total_size: fine */
    reseal();
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-009 */
static void test_image_mem_size(void **state)
{
    (void)state;
    cfg->parts[1].image_mem_size = IMG_SIZE - 1u;
    expect_only("parts[1].image_mem_size", "0x3f below image_size 0x40");
}

/* Verifies: LLR-CFG-009 */
static void test_image_gpa_outside_ram(void **state)
{
    (void)state;
    struct bh_cfg_part *p = &cfg->parts[1];
    p->image_gpa = p->ram_gpa + p->ram_size - 0x8000u; /* mem runs past RAM */
    p->entry_gpa = p->image_gpa;
    expect_only("parts[1].image_gpa", "0x40ff8000+0x10000 outside guest RAM 0x40000000+0x1000000");
    p->image_gpa = p->ram_gpa - 0x20000u; /* starts below RAM */
    p->entry_gpa = p->image_gpa;
    expect_only("parts[1].image_gpa", "outside guest RAM");
}

/* Verifies: LLR-CFG-009, LLR-CFG-010 */
static void test_image_gpa_wraps(void **state)
{
    (void)state;
    struct bh_cfg_part *p = &cfg->parts[0];
    p->image_gpa = 0xfffffffffffffff0ull;
    p->entry_gpa = p->image_gpa;
    reseal();
    assert_int_equal(validate(), 1); /* no dtb overlap claimed from a wrapped sum */
    expect_error("parts[0].image_gpa", "0xfffffffffffffff0+0x10000 outside guest RAM");
}

/* Verifies: LLR-CFG-009 */
static void test_entry_gpa(void **state)
{
    (void)state;
    struct bh_cfg_part *p = &cfg->parts[0];
    p->entry_gpa = p->image_gpa + 2u;
    expect_only("parts[0].entry_gpa", "0x40080002 not 4-aligned inside image 0x40080000+0x40");
    p->entry_gpa = p->image_gpa + IMG_SIZE; /* first byte after the image */
    expect_only("parts[0].entry_gpa", "0x40080040 not 4-aligned inside");
    p->entry_gpa = p->image_gpa - 4u;
    expect_only("parts[0].entry_gpa", "0x4007fffc");
}

/* ------------------------------------------------------------------ dtb --- */

/* Verifies: LLR-CFG-010 */
static void test_dtb_size(void **state)
{
    (void)state;
    cfg->parts[0].dtb_size = 0;
    expect_only("parts[0].dtb_size", "0x0 not in 1..0x200000");
    cfg->parts[0].dtb_size = 0x200001u;
    expect_some("parts[0].dtb_size", "0x200001 not in 1..0x200000");
}

/* Verifies: LLR-CFG-010 */
static void test_dtb_offset(void **state)
{
    (void)state;
    cfg->parts[1].dtb_offset -= 1u;
    expect_only("parts[1].dtb_offset", "not 8-byte aligned");
    cfg->parts[1].dtb_offset = HDR - 8u;
    expect_only("parts[1].dtb_offset", fmt("0x%x inside the header", HDR - 8u, 0));
    cfg->parts[1].dtb_offset = TOTAL;
    expect_only("parts[1].dtb_offset", fmt("0x%x+0x20 beyond total_size 0x%x", TOTAL, TOTAL));
}

/* Verifies: LLR-CFG-010 */
static void test_dtb_gpa(void **state)
{
    (void)state;
    struct bh_cfg_part *p = &cfg->parts[0];
    p->dtb_gpa += 4u;
    expect_only("parts[0].dtb_gpa", "0x40000004 not 8-byte aligned");
    p->dtb_gpa = p->ram_gpa + p->ram_size - 16u; /* runs past RAM */
    expect_only("parts[0].dtb_gpa", "0x40fffff0+0x20 outside guest RAM");
    p->dtb_gpa = p->image_gpa + 0xfff8u; /* last 8 bytes of the image memory */
    expect_only("parts[0].dtb_gpa", "0x4008fff8+0x20 overlaps image 0x40080000+0x10000");
    p->dtb_gpa = p->image_gpa + 0x10000u; /* right after it: fine */
    reseal();
    assert_int_equal(validate(), 0);
}

/* ------------------------------------------------------------- ramdisk --- */

/* A valid 16-byte ramdisk for p0 at guest 0x40100000 (payload: p0's image). */
static void set_ramdisk(void)
{
    struct bh_cfg_part *p = &cfg->parts[0];
    p->ramdisk_gpa = 0x40100000ull;
    p->ramdisk_offset = HDR;
    p->ramdisk_size = 16u;
}

/* Verifies: LLR-CFG-017 (none: all fields zero; a valid one passes; payload bounds) */
static void test_ramdisk_fields(void **state)
{
    (void)state;
    set_ramdisk();
    reseal();
    assert_int_equal(validate(), 0);
    struct bh_cfg_part *p = &cfg->parts[0];
    p->ramdisk_size = 0;
    expect_only("parts[0].ramdisk_size", "zero, but ramdisk_gpa or ramdisk_offset set");
    p->ramdisk_gpa = 0;
    expect_only("parts[0].ramdisk_size", "zero, but");
    p->ramdisk_offset = 0;
    reseal();
    assert_int_equal(validate(), 0);
    set_ramdisk();
    p->ramdisk_offset = HDR + 4u;
    expect_only("parts[0].ramdisk_offset", "not 8-byte aligned");
    p->ramdisk_offset = 8u;
    expect_only("parts[0].ramdisk_offset", "inside the header");
    p->ramdisk_offset = TOTAL - 8u;
    expect_only("parts[0].ramdisk_offset", fmt("0x%x+0x10 beyond total_size 0x%x", TOTAL - 8u, TOTAL));
}

/* Verifies: LLR-CFG-017 (copy page aligned, inside RAM, clear of image and device tree) */
static void test_ramdisk_gpa(void **state)
{
    (void)state;
    set_ramdisk();
    struct bh_cfg_part *p = &cfg->parts[0];
    p->ramdisk_gpa += 8u;
    expect_only("parts[0].ramdisk_gpa", "0x40100008 not page aligned");
    p->ramdisk_gpa = p->ram_gpa + p->ram_size - 0x1000u + 0x1000u;
    expect_only("parts[0].ramdisk_gpa", "0x41000000+0x10 outside guest RAM");
    p->ramdisk_gpa = 0x3ffff000ull;
    expect_only("parts[0].ramdisk_gpa", "outside guest RAM");
    p->ramdisk_gpa = p->image_gpa + 0xf000u;
    expect_only("parts[0].ramdisk_gpa", "0x4008f000+0x10 overlaps image 0x40080000+0x10000");
    p->ramdisk_gpa = p->dtb_gpa;
    expect_only("parts[0].ramdisk_gpa", "0x40000000+0x10 overlaps device tree 0x40000000+0x20");
    p->ramdisk_gpa = 0x40090000ull; /* right after the image: fine */
    reseal();
    assert_int_equal(validate(), 0);
    /* Image or device tree wrapping around: reported by their own checks only. */
    p->image_gpa = 0xfffffffffffffff0ull;
    p->entry_gpa = p->image_gpa;
    expect_some("parts[0].image_gpa", "outside guest RAM");
    assert_int_equal(rep.count, 1);
    p->image_gpa = 0x40080000ull;
    p->entry_gpa = p->image_gpa;
    p->dtb_gpa = 0xfffffffffffffff0ull;
    expect_only("parts[0].dtb_gpa", "outside guest RAM");
}

/* -------------------------------------------------- entries, reporting --- */

/* Verifies: LLR-CFG-011 */
static void test_unused_entries_zero(void **state)
{
    (void)state;
    cfg->parts[2].name[0] = 'x';
    expect_only("parts[2]", "unused (num_parts 2) but not all zero");
    cfg->parts[2].name[0] = 0;
    cfg->parts[7].reserved = 1;
    expect_only("parts[7]", "not all zero");
}

/* Verifies: LLR-CFG-012 */
static void test_multiple_errors_collected(void **state)
{
    (void)state;
    cfg->reserved = 1;
    cfg->parts[0].flags = 16;
    cfg->parts[1].dtb_size = 0;
    reseal();
    assert_int_equal(validate(), 3);
    assert_string_equal(rep.err[0].field, "header.reserved");
    assert_string_equal(rep.err[1].field, "parts[0].flags");
    assert_string_equal(rep.err[2].field, "parts[1].dtb_size");
    assert_int_equal(rep.err[3].field[0], '\0'); /* cleared, not left over */
}

/* Verifies: LLR-CFG-012 */
static void test_error_overflow_counted(void **state)
{
    (void)state;
    cfg->reserved = 1;
    cfg->slice_us = 0;
    for (uint32_t i = 0; i < 2u; i++) {
        struct bh_cfg_part *p = &cfg->parts[i];
        p->flags = 1;
        p->reserved = 1;
        p->image_size = 0;
        p->dtb_size = 0;
        p->num_vcpus = 9;
        p->ram_size = 3;
    }
    for (uint32_t i = 2; i < BH_CFG_MAX_PARTS; i++) {
        cfg->parts[i].flags = 1;
    }
    reseal();
    uint32_t n = validate();
    assert_true(n > CFG_MAX_ERRORS);
    assert_int_equal(rep.count, n);
    assert_string_equal(rep.err[0].field, "header.reserved");
    assert_true(rep.err[CFG_MAX_ERRORS - 1u].field[0] != '\0');
    assert_true(rep.err[CFG_MAX_ERRORS - 1u].msg[0] != '\0');
}

#define T(f) cmocka_unit_test_setup(f, build_valid)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_crc32c_known_answers),
        T(test_blob_checksum_ignores_field),
        T(test_valid_blob_passes),
        T(test_structure_truncated),
        T(test_structure_misaligned),
        T(test_structure_magic_version),
        T(test_structure_total_size),
        T(test_structure_checksum),
        T(test_structure_missing_arguments),
        T(test_never_reads_past_avail),
        T(test_structure_image_span),
        T(test_header_reserved),
        T(test_header_num_cpus),
        T(test_header_num_parts),
        T(test_header_slice),
        T(test_name_empty),
        T(test_name_unterminated),
        T(test_name_bad_character),
        T(test_name_duplicate),
        T(test_ram_size),
        T(test_ram_alignment),
        T(test_ram_pa_wraps),
        T(test_ram_pa_outside_platform),
        T(test_ram_pa_overlaps_hypervisor),
        T(test_ram_pa_overlaps_partition),
        T(test_ram_gpa_ipa_limit),
        T(test_ram_gpa_device_windows),
        T(test_num_vcpus),
        T(test_vcpu_cpu),
        T(test_flags_and_reserved),
        T(test_image_size_zero),
        T(test_image_offset),
        T(test_image_mem_size),
        T(test_image_gpa_outside_ram),
        T(test_image_gpa_wraps),
        T(test_entry_gpa),
        T(test_dtb_size),
        T(test_dtb_offset),
        T(test_dtb_gpa),
        T(test_ramdisk_fields),
        T(test_ramdisk_gpa),
        T(test_unused_entries_zero),
        T(test_multiple_errors_collected),
        T(test_error_overflow_counted),
    };
    return cmocka_run_group_tests_name("cfg", tests, NULL, NULL);
}
