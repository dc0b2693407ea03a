/* Unit tests of hyp/core/cfg_pt.c: the pass-through table of the boot
 * check. Each test mutates one field of a valid blob and re-seals it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "cfg_fixture.h"

static _Alignas(8) uint8_t blob_mem[16384];
static struct bh_cfg *const cfg = (struct bh_cfg *)blob_mem;
static struct cfg_report rep;

static const struct cfg_platform plat_default = {
    .ram_base = 0x40000000ull,
    .ram_size = 0x40000000ull,
    .hyp_base = 0x40200000ull,
    .hyp_end = 0x40400000ull,
    .num_cpus = 2,
    .s2_table_pages = 96,
    .dev_base = 0x0ull,
    .dev_size = 0x40000000ull,
    .reserved = {{0x08000000ull, 0x10000ull, "GIC distributor"},
                 {0x08020000ull, 0x1000ull, "GICv2m MSI frame"},
                 {0x08080000ull, 0x20000ull, "GIC ITS"},
                 {0x080A0000ull, 0xF60000ull, "GIC redistributors"},
                 {0x09000000ull, 0x1000ull, "hypervisor UART"},
                 {0x09020000ull, 0x1000ull, "fw_cfg"},
                 {0x09050000ull, 0x20000ull, "SMMUv3"}},
    .hyp_spi = 33u,
    .spi_end = 288u,
};
static struct cfg_platform plat;

/* Partition i with RAM at physical pa, seen at guest gpa, one vCPU. */
static void set_part(uint32_t i, const char *name, uint64_t pa, uint64_t gpa, uint32_t img_off)
{
    cfx_set_part(cfg, i, name, pa, gpa, img_off);
    cfg->parts[i].num_vcpus = 1;
}

static void set_dev(uint32_t k, uint32_t part, uint64_t base, uint32_t pintid, uint32_t vintid)
{
    struct bh_cfg_passthru *d = &cfg->passthru[k];
    d->base = base;
    d->size = 0x1000u;
    d->part = part;
    d->pintid = pintid;
    d->vintid = vintid;
    d->irq_flags = BH_CFG_PT_IRQ_EDGE;
    d->reg_offset = 0xe00u;
    d->reg_size = 0x200u;
    strcpy(d->compatible, "virtio,mmio");
}

static void reseal(void)
{
    cfx_reseal(cfg);
}

/* Two partitions, p0 mapped 1:1 and owning two devices, p1 not 1:1. */
static int build_valid(void **state)
{
    (void)state;
    cfx_begin(cfg, sizeof(blob_mem), &rep);
    plat = plat_default;
    set_part(0, "p0", 0x48000000ull, 0x48000000ull, HDR);
    set_part(1, "p1", 0x49000000ull, 0x40000000ull, HDR + IMG_SIZE + DTB_SIZE);
    cfg->num_passthru = 2;
    set_dev(0, 0, 0x0a003000ull, 79u, 33u);
    set_dev(1, 0, 0x0a002000ull, 78u, 34u);
    cfg->passthru[1].irq_flags = BH_CFG_PT_IRQ_LEVEL;
    reseal();
    return 0;
}

static uint32_t validate(void)
{
    reseal();
    return cfg_validate(blob_mem, sizeof(blob_mem), &plat, &rep);
}

static bool has_error(const char *field, const char *msg)
{
    return cfx_has_error(&rep, field, msg);
}

/* Validate and require exactly this one error. */
static void expect_only(const char *field, const char *msg)
{
    cfx_expect_only(validate(), &rep, field, msg);
}

/* Verifies: LLR-PT-001, LLR-PT-002, LLR-PT-003, LLR-PT-004 */
static void test_valid(void **state)
{
    (void)state;
    assert_int_equal(validate(), 0);
    cfg->num_passthru = 0;
    memset(cfg->passthru, 0, sizeof(cfg->passthru));
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-PT-004 */
static void test_table(void **state)
{
    (void)state;
    cfg->reserved_pt = 1;
    expect_only("header.reserved_pt", "must be zero");
    cfg->reserved_pt = 0;
    cfg->num_passthru = BH_CFG_MAX_PASSTHRU + 1u;
    expect_only("header.num_passthru", "not in 0..4");
    cfg->num_passthru = 1;
    expect_only("passthru[1].part", "unused (num_passthru 1) but not all zero");
    memset(&cfg->passthru[1], 0, sizeof(cfg->passthru[1]));
    cfg->passthru[3].compatible[BH_CFG_PT_COMPAT_LEN - 1u] = 'x';
    expect_only("passthru[3].part", "unused");
}

/* Verifies: LLR-PT-001 */
static void test_range_shape(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    d->size = 0;
    d->reg_size = 0; /* keep the register check out of the way: see below */
    assert_true(validate() >= 1u);
    assert_true(has_error("passthru[0].base", "not a page-aligned, non-empty range"));
    build_valid(NULL);
    d->size = 0x1800;
    expect_only("passthru[0].base", "not a page-aligned");
    d->size = 0x1000;
    d->base = 0x0a003800;
    expect_only("passthru[0].base", "not a page-aligned");
    d->base = 0xFFFFFFFFFFFFF000ull;
    d->size = 0x2000;
    expect_only("passthru[0].base", "not a page-aligned");
}

/* Verifies: LLR-PT-001 */
static void test_range_region(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    plat.dev_base = 0x0b000000;
    plat.dev_size = 0x1000000;
    d->base = 0x0a003000; /* below the region */
    cfg->passthru[1].base = 0x0b000000;
    expect_only("passthru[0].base", "outside the platform's device region");
    d->base = 0x0d000000; /* above */
    expect_only("passthru[0].base", "outside the platform's device region");
    d->base = 0x0bfff000; /* starts inside, runs out */
    d->size = 0x2000;
    expect_only("passthru[0].base", "outside the platform's device region");
    d->size = 0x1000; /* the last page: inside */
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-PT-024 (every reserved frame, at its first and its last
 * page, refused and named; the pages either side accepted; a range over
 * two frames gets both) */
static void test_range_reserved_frames(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    char msg[CFG_MSG_LEN];
    for (uint32_t h = 0; h < CFG_MAX_RESERVED && plat.reserved[h].size != 0u; h++) {
        const struct cfg_frame *f = &plat.reserved[h];
        snprintf(msg, sizeof(msg), "overlaps %s 0x%llx+0x%llx, a reserved frame", f->name,
                 (unsigned long long)f->base, (unsigned long long)f->size);
        d->base = f->base;
        expect_only("passthru[0].base", msg);
        d->base = f->base + f->size - 0x1000u;
        expect_only("passthru[0].base", msg);
    }
    d->base = 0x08010000; /* between the distributor and the v2m frame */
    assert_int_equal(validate(), 0);
    d->base = 0x09001000; /* after the UART */
    assert_int_equal(validate(), 0);
    d->base = 0x09021000; /* after fw_cfg */
    assert_int_equal(validate(), 0);
    d->base = 0x09070000; /* after the SMMU */
    assert_int_equal(validate(), 0);
    d->base = 0x0801f000; /* the distributor's gap's last page and the v2m frame */
    d->size = 0x2000;
    d->reg_offset = 0;
    assert_int_equal(validate(), 1);
    d->base = 0x09000000; /* the UART, the RTC between, fw_cfg */
    d->size = 0x21000;
    assert_int_equal(validate(), 2);
    assert_true(has_error("passthru[0].base", "overlaps hypervisor UART"));
    assert_true(has_error("passthru[0].base", "overlaps fw_cfg"));
}

/* Verifies: LLR-PT-001 */
static void test_range_reserved(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    d->base = 0x03001000;
    expect_only("passthru[0].base", "overlaps an emulated device window");
    d->base = 0x22000000;
    expect_only("passthru[0].base", "overlaps an emulated device window");
}

/* Verifies: LLR-PT-002, LLR-DMA-002 */
static void test_owner(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    d->part = 2;
    expect_only("passthru[0].part", "not a partition (num_parts 2)");
    d->part = 1;
    /* p1 is not 1:1: refused only with the waiver (a DMA master no SMMU
     * covers), and then not for a device with a StreamID */
    assert_int_equal(validate(), 0);
    cfg->parts[1].flags = BH_CFG_PART_F_DMA_UNCONFINED;
    expect_only("passthru[0].part", "must be 1:1");
    plat.smmu_sids = 16u;
    plat.smmu_table_pages = 32u;
    cfg->num_streams = 1;
    cfg->streams[0].sid = 8u;
    cfg->streams[0].pt = 1u; /* another device's StreamID: still refused */
    expect_only("passthru[0].part", "must be 1:1");
    cfg->streams[0].pt = 0u;
    assert_int_equal(validate(), 0);
    cfg->num_streams = 0;
    memset(cfg->streams, 0, sizeof(cfg->streams));
    cfg->parts[1].flags = 0;
    /* the waiver on a 1:1 owner: fine */
    d->part = 0;
    cfg->parts[0].flags = BH_CFG_PART_F_DMA_UNCONFINED;
    assert_int_equal(validate(), 0);
    cfg->parts[0].flags = 0;
    /* num_parts beyond the table: the owner index is still bounded */
    d->part = 0;
    cfg->num_parts = BH_CFG_MAX_PARTS + 1u;
    uint32_t base_errors = validate();
    d->part = BH_CFG_MAX_PARTS;
    assert_int_equal(validate(), base_errors + 1u);
}

/* Verifies: LLR-PT-002 */
static void test_interrupts(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    d->pintid = 31;
    expect_only("passthru[0].pintid", "not a platform SPI");
    d->pintid = 288;
    expect_only("passthru[0].pintid", "not a platform SPI");
    d->pintid = 33;
    expect_only("passthru[0].pintid", "not a platform SPI");
    d->pintid = 287;
    assert_int_equal(validate(), 0);
    d->vintid = 32;
    expect_only("passthru[0].vintid", "not a free virtual SPI (33..63)");
    d->vintid = 64;
    expect_only("passthru[0].vintid", "not a free virtual SPI");
    d->vintid = 63;
    assert_int_equal(validate(), 0);
    d->irq_flags = 2;
    expect_only("passthru[0].irq_flags", "not 1 (edge) or 4 (level)");
}

/* Verifies: LLR-PT-002 */
static void test_registers_compatible(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    d->reg_size = 0;
    expect_only("passthru[0].reg_offset", "not inside the mapped range");
    d->reg_size = 0x200;
    d->reg_offset = 0x1001;
    expect_only("passthru[0].reg_offset", "not inside the mapped range");
    d->reg_offset = 0xe00;
    d->reg_size = 0x201;
    expect_only("passthru[0].reg_offset", "not inside the mapped range");
    d->reg_offset = 0;
    d->reg_size = 0x1000;
    assert_int_equal(validate(), 0);
    memset(d->compatible, 0, sizeof(d->compatible));
    expect_only("passthru[0].compatible", "length 0 not in 1..31");
    memset(d->compatible, 'a', sizeof(d->compatible));
    expect_only("passthru[0].compatible", "length 32 not in 1..31");
}

/* Verifies: LLR-PT-003 */
static void test_pairs(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[1];
    d->base = 0x0a003000;
    expect_only("passthru[1].base", "0xa003000 overlaps passthru[0]");
    /* an unusable range is not compared (its own error only), either side */
    d->base = 0x0a003800;
    expect_only("passthru[1].base", "not a page-aligned");
    build_valid(NULL);
    cfg->passthru[0].base = 0x0a002800;
    expect_only("passthru[0].base", "not a page-aligned");
    build_valid(NULL);
    d->pintid = 79;
    expect_only("passthru[1].pintid", "79 already given by passthru[0]");
    d->pintid = 78;
    d->vintid = 33;
    expect_only("passthru[1].vintid", "33 already used by passthru[0]");
    /* the same virtual SPI in two owners is fine */
    cfg->parts[1].ram_gpa = cfg->parts[1].ram_pa;
    cfg->parts[1].image_gpa = cfg->parts[1].ram_pa + 0x80000u;
    cfg->parts[1].entry_gpa = cfg->parts[1].image_gpa;
    cfg->parts[1].dtb_gpa = cfg->parts[1].ram_pa;
    d->part = 1;
    assert_int_equal(validate(), 0);
}

/* A 2 MiB region shared by p0 (the devices' owner) at guest 0x0a000000 and
 * by p1 at guest 0x50000000. */
static void add_shm(void)
{
    struct bh_cfg_shm *s = &cfg->shms[0];
    cfg->num_shms = 1;
    strcpy(s->name, "link");
    s->pa = 0x4c000000ull;
    s->size = 0x200000ull;
    s->map_mask = 3u;
    s->gpa[0] = 0x0a000000ull;
    s->gpa[1] = 0x50000000ull;
}

/* Verifies: LLR-PT-025 (a device range over a shared region its owner maps
 * is refused, from either side, touching is not; where only another
 * partition maps the region, or the region is empty, nothing is reported
 * against the device) */
static void test_owner_shm(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    add_shm();
    cfg->passthru[1].base = 0x0a400000; /* out of the way */
    /* the device inside the region: the region's 2 MiB block holds it */
    expect_only("passthru[0].base",
                "0xa003000+0x1000 overlaps shms[0] at 0xa000000+0x200000 in its owner");
    d->base = 0x09fff000; /* the page before the region: touching */
    assert_int_equal(validate(), 0);
    d->size = 0x2000; /* ... and into its first page */
    d->reg_offset = 0;
    expect_only("passthru[0].base", "0x9fff000+0x2000 overlaps shms[0]");
    d->base = 0x0a200000; /* the page after the region: touching */
    d->size = 0x1000;
    assert_int_equal(validate(), 0);
    d->base = 0x0a1ff000; /* its last page */
    expect_only("passthru[0].base", "overlaps shms[0]");
    /* the owner does not map it: p1 sees the region elsewhere */
    d->base = 0x0a003000;
    d->part = 1;
    cfg->parts[1].ram_gpa = cfg->parts[1].ram_pa;
    cfg->parts[1].image_gpa = cfg->parts[1].ram_pa + 0x80000u;
    cfg->parts[1].entry_gpa = cfg->parts[1].image_gpa;
    cfg->parts[1].dtb_gpa = cfg->parts[1].ram_pa;
    assert_int_equal(validate(), 0);
    /* an empty region is its own error, not the device's */
    d->part = 0;
    cfg->shms[0].size = 0;
    cfx_expect_only(validate(), &rep, "shms[0]", "not page aligned and non-zero");
    /* a count beyond the table: the regions of the table are still looked at */
    cfg->shms[0].size = 0x200000ull;
    cfg->num_shms = BH_CFG_MAX_SHMS + 1u;
    cfx_expect_some(validate(), &rep, "passthru[0].base", "overlaps shms[0]");
}

/* Verifies: LLR-PT-025 (a region the owner does not map is no concern of
 * its device, wherever the region's sharers see it) */
static void test_owner_shm_not_mapped(void **state)
{
    (void)state;
    add_shm();
    cfg->num_parts = 3;
    set_part(2, "p2", 0x4a000000ull, 0x40000000ull, HDR);
    cfg->passthru[1].base = 0x0a400000; /* out of the way */
    cfg->shms[0].map_mask = 6u; /* p1 and p2 */
    cfg->shms[0].gpa[0] = 0;
    cfg->shms[0].gpa[2] = 0x0a000000ull; /* where p0's devices are */
    assert_int_equal(validate(), 0);
    cfg->shms[0].map_mask = 5u; /* p0 and p2 */
    cfg->shms[0].gpa[0] = 0x0a000000ull;
    cfg->shms[0].gpa[1] = 0;
    expect_only("passthru[0].base", "overlaps shms[0]");
}

/* Verifies: LLR-PT-025 (a device range over its owner's RAM is refused, on a
 * platform whose device region reaches into RAM) */
static void test_owner_ram(void **state)
{
    (void)state;
    struct bh_cfg_passthru *d = &cfg->passthru[0];
    plat.dev_size = 0x80000000ull; /* the device region covers RAM */
    d->base = 0x48fff000; /* the last page of p0's RAM */
    expect_only("passthru[0].base",
                "0x48fff000+0x1000 overlaps its owner's RAM 0x48000000+0x1000000");
    d->base = 0x47fff000; /* the page before it, and into it */
    d->size = 0x2000;
    d->reg_offset = 0;
    expect_only("passthru[0].base", "overlaps its owner's RAM");
    d->size = 0x1000; /* touching */
    assert_int_equal(validate(), 0);
    /* an owner that is no partition: its own error, no map to check */
    d->base = 0x48000000;
    d->part = 2;
    expect_only("passthru[0].part", "not a partition");
}

#define T(f) cmocka_unit_test_setup(f, build_valid)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_valid),          T(test_table), T(test_range_shape), T(test_range_region),
        T(test_range_reserved), T(test_owner), T(test_interrupts),  T(test_registers_compatible),
        T(test_pairs),          T(test_range_reserved_frames), T(test_owner_shm),
        T(test_owner_ram),      T(test_owner_shm_not_mapped),
    };
    return cmocka_run_group_tests_name("cfg_pt", tests, NULL, NULL);
}
