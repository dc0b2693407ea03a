/* Unit tests of hyp/core/cfg_dma.c: the StreamID table of the boot check
 * (DMA confined by the SMMU). Each test mutates one field of a valid blob
 * and re-seals it. */
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
static struct cfg_platform plat;

static void set_dev(uint32_t k, uint32_t part, uint64_t base, uint32_t pintid, uint32_t vintid)
{
    struct bh_cfg_passthru *d = &cfg->passthru[k];
    d->base = base;
    d->size = 0x1000u;
    d->part = part;
    d->pintid = pintid;
    d->vintid = vintid;
    d->irq_flags = BH_CFG_PT_IRQ_LEVEL;
    d->reg_offset = 0u;
    d->reg_size = 0x1000u;
    strcpy(d->compatible, "bulkhead,pcie-ecam");
}

/* p0 (not 1:1) owns an ECAM page with two functions' StreamIDs; p1 (not
 * 1:1) owns a device that masters no DMA. The platform has an SMMU. */
static int build_valid(void **state)
{
    (void)state;
    cfx_begin(cfg, sizeof(blob_mem), &rep);
    plat = cfx_plat_default;
    plat.dev_base = 0x0ull;
    plat.dev_size = 0x40000000ull;
    plat.spi_end = 288u;
    plat.hyp_spi = 33u;
    plat.smmu_sids = 4096u;
    plat.smmu_spi_first = 106u;
    plat.smmu_spi_count = 4u;
    plat.smmu_table_pages = 32u;
    cfx_set_part(cfg, 0, "p0", 0x48000000ull, 0x60000000ull, HDR);
    cfx_set_part(cfg, 1, "p1", 0x49000000ull, 0x40000000ull, HDR + IMG_SIZE + DTB_SIZE);
    cfg->parts[0].num_vcpus = 1;
    cfg->parts[1].num_vcpus = 1;
    cfg->num_passthru = 2;
    set_dev(0, 0, 0x3f000000ull, 35u, 33u);
    set_dev(1, 1, 0x09010000ull, 34u, 33u);
    cfg->num_streams = 2;
    cfg->streams[0].sid = 0x8u;
    cfg->streams[0].pt = 0u;
    cfg->streams[1].sid = 0x10u;
    cfg->streams[1].pt = 0u;
    cfx_reseal(cfg);
    return 0;
}

static uint32_t validate(void)
{
    cfx_reseal(cfg);
    return cfg_validate(blob_mem, sizeof(blob_mem), &plat, &rep);
}

static void expect_only(const char *field, const char *msg)
{
    cfx_expect_only(validate(), &rep, field, msg);
}

/* Verifies: LLR-DMA-001, LLR-DMA-004 */
static void test_valid(void **state)
{
    (void)state;
    assert_int_equal(validate(), 0);
    cfg->num_streams = 0;
    memset(cfg->streams, 0, sizeof(cfg->streams));
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-DMA-001 */
static void test_table(void **state)
{
    (void)state;
    cfg->reserved_st = 1;
    expect_only("header.reserved_st", "must be zero");
    cfg->reserved_st = 0;
    cfg->num_streams = BH_CFG_MAX_STREAMS + 1u;
    expect_only("header.num_streams", "not in 0..16");
    cfg->num_streams = 1;
    expect_only("streams[1].sid", "unused (num_streams 1) but not all zero");
    cfg->streams[1].sid = 0;
    cfg->streams[1].pt = 1;
    expect_only("streams[1].sid", "unused (num_streams 1) but not all zero");
    cfg->streams[1].pt = 0;
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-DMA-001 */
static void test_entry(void **state)
{
    (void)state;
    cfg->streams[1].sid = 4096u;
    expect_only("streams[1].sid", "beyond the SMMU's StreamIDs (4096; 0: no SMMU)");
    cfg->streams[1].sid = 0x8u;
    expect_only("streams[1].sid", "0x8 already given by streams[0]");
    cfg->streams[1].sid = 0x10u;
    cfg->streams[1].pt = 2u;
    expect_only("streams[1].pt", "2 not a pass-through device (num_passthru 2)");
    /* num_passthru beyond the table: pt still bounded by the table */
    cfg->num_passthru = BH_CFG_MAX_PASSTHRU + 1u;
    cfg->streams[1].pt = BH_CFG_MAX_PASSTHRU;
    assert_true(validate() >= 1u);
    assert_true(cfx_has_error(&rep, "streams[1].pt", "not a pass-through device"));
    build_valid(NULL);
    plat.smmu_sids = 0u; /* no SMMU: no StreamID at all */
    assert_int_equal(validate(), 2u);
    assert_true(cfx_has_error(&rep, "streams[0].sid", "beyond the SMMU's StreamIDs (0; 0: no SMMU)"));
}

/* Verifies: LLR-DMA-001, LLR-DMA-002 (a count beyond the table: no entry
 * checked, and the 1:1 question still reads no more than the table) */
static void test_count_beyond_table(void **state)
{
    (void)state;
    cfg->parts[1].flags = BH_CFG_PART_F_DMA_UNCONFINED; /* p1 not 1:1, no StreamID */
    cfg->num_streams = BH_CFG_MAX_STREAMS + 1u;
    assert_int_equal(validate(), 2u);
    assert_true(cfx_has_error(&rep, "header.num_streams", "not in 0..16"));
    assert_true(cfx_has_error(&rep, "passthru[1].part", "must be 1:1"));
}

/* Verifies: LLR-DMA-003 */
static void test_smmu_spis(void **state)
{
    (void)state;
    cfg->passthru[1].pintid = 106u;
    expect_only("passthru[1].pintid", "106 is an interrupt of the SMMU");
    cfg->passthru[1].pintid = 109u;
    expect_only("passthru[1].pintid", "109 is an interrupt of the SMMU");
    cfg->passthru[1].pintid = 105u;
    assert_int_equal(validate(), 0);
    cfg->passthru[1].pintid = 110u;
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-DMA-004 */
static void test_budget(void **state)
{
    (void)state;
    /* p0 counts as its stage 2 does: a root, a level-2 table for its RAM
     * and one for its device, a level-3 table for the device page */
    plat.smmu_table_pages = 3u;
    expect_only("parts[0].streams", "SMMU tables: 4 pages needed so far, 3 in the pool");
    plat.smmu_table_pages = 4u;
    assert_int_equal(validate(), 0);
    /* p1 owns a StreamID too: 8 pages */
    cfg->streams[1].pt = 1u;
    expect_only("parts[1].streams", "SMMU tables: 8 pages needed so far, 4 in the pool");
    /* the budget is not counted on a blob with other errors */
    cfg->reserved_st = 1;
    expect_only("header.reserved_st", "must be zero");
}

#define T(f) cmocka_unit_test_setup(f, build_valid)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_valid),      T(test_table),  T(test_entry), T(test_count_beyond_table),
        T(test_smmu_spis), T(test_budget),
    };
    return cmocka_run_group_tests_name("cfg_dma", tests, NULL, NULL);
}
