/* Unit tests of hyp/core/cfg_s2.c: the stage-2 table count of each
 * partition and the budget of the boot check against the platform's pool.
 * The expected counts are worked out by hand from mmu.c's rule (root, one
 * level-2 table per 1 GiB slot, one level-3 table per 2 MiB slot holding a
 * page; blocks where guest and physical addresses are both 2 MiB aligned
 * and 2 MiB remain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "cfg_fixture.h"

#define MIB 0x100000ull

static _Alignas(8) uint8_t blob_mem[16384];
static struct bh_cfg *const cfg = (struct bh_cfg *)blob_mem;
static struct cfg_report rep;
static struct cfg_platform plat;

/* Two partitions of 16 MiB, guest 0x40000000, physical 0x48000000 and
 * 0x49000000: both 2 MiB aligned, so 8 blocks each, no level-3 table. */
static int build_valid(void **state)
{
    (void)state;
    cfx_begin(cfg, sizeof(blob_mem), &rep);
    plat = cfx_plat_default;
    cfx_set_part(cfg, 0, "p0", 0x48000000ull, 0x40000000ull, HDR);
    cfx_set_part(cfg, 1, "p1", 0x49000000ull, 0x40000000ull, HDR + IMG_SIZE + DTB_SIZE);
    cfg->parts[0].num_vcpus = 1;
    cfg->parts[1].num_vcpus = 1;
    cfx_fill_payload(blob_mem);
    cfx_reseal(cfg);
    return 0;
}

static uint32_t validate(void)
{
    cfx_reseal(cfg);
    return cfg_validate(blob_mem, sizeof(blob_mem), &plat, &rep);
}

/* Partition i's RAM at guest gpa, physical pa, size bytes. */
static void set_ram(uint32_t i, uint64_t gpa, uint64_t pa, uint64_t size)
{
    cfg->parts[i].ram_gpa = gpa;
    cfg->parts[i].ram_pa = pa;
    cfg->parts[i].ram_size = size;
}

/* Verifies: LLR-CFG-025 (RAM alone: blocks need no level-3 table; a guest
 * and physical base that differ modulo 2 MiB need one per 2 MiB) */
static void test_ram_blocks_and_pages(void **state)
{
    (void)state;
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u); /* root, one level 2 */
    assert_int_equal(cfg_s2_tables(cfg, 1), 2u);
    set_ram(0, 0x40000000ull, 0x48001000ull, 16u * MIB); /* pages throughout */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 8u);
    set_ram(0, 0x40000000ull, 0x50001000ull, 256u * MIB); /* the example */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 128u);
    set_ram(0, 0x40001000ull, 0x48000000ull, 16u * MIB); /* guest base off instead */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 9u);
}

/* Verifies: LLR-CFG-025 (same offset modulo 2 MiB, not aligned: pages before
 * the first block and after the last, in one table each; no whole block:
 * pages throughout) */
static void test_ram_head_tail(void **state)
{
    (void)state;
    set_ram(0, 0x40001000ull, 0x48001000ull, 16u * MIB); /* head and tail */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 2u);
    set_ram(0, 0x40100000ull, 0x48100000ull, 31u * MIB); /* head only, ends aligned */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u);
    set_ram(0, 0x40000000ull, 0x48000000ull, 15u * MIB); /* tail only */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u);
    set_ram(0, 0x40100000ull, 0x48100000ull, 2u * MIB); /* no whole block: two slots */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 2u);
    set_ram(0, 0x40000000ull, 0x48000000ull, 1u * MIB); /* less than a block */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u);
}

/* Verifies: LLR-CFG-025 (a range across a 1 GiB boundary takes two level-2
 * tables) */
static void test_ram_two_gib(void **state)
{
    (void)state;
    set_ram(0, 0x7fe00000ull, 0x48000000ull, 4u * MIB);
    assert_int_equal(cfg_s2_tables(cfg, 0), 1u + 2u);
    set_ram(0, 0x7ff00000ull, 0x48000000ull, 4u * MIB); /* pages on both sides */
    assert_int_equal(cfg_s2_tables(cfg, 0), 1u + 2u + 3u);
}

/* Verifies: LLR-CFG-025 (shared regions and owned devices count in their
 * partition only; ranges in one 1 GiB or 2 MiB slot share its table; a
 * range below the RAM counts as one above it) */
static void test_shared_and_devices(void **state)
{
    (void)state;
    struct bh_cfg_shm *s = &cfg->shms[0];
    cfg->num_shms = 1;
    strcpy(s->name, "link");
    s->pa = 0x4c000000ull;
    s->size = 0x1000u;
    s->map_mask = 3u;
    s->gpa[0] = 0x0a000000ull; /* below p0's RAM: a level-2 and a level-3 table */
    s->gpa[1] = 0x41000000ull; /* in p1's RAM slot: one level-3 table */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u + 1u);
    assert_int_equal(cfg_s2_tables(cfg, 1), 2u + 1u);
    cfg->num_passthru = 1;
    cfg->passthru[0].base = 0x0a003000ull; /* p0's device, in the region's 2 MiB */
    cfg->passthru[0].size = 0x1000u;
    cfg->passthru[0].part = 0;
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u + 1u);
    cfg->passthru[0].base = 0x0a200000ull; /* the next 2 MiB */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u + 2u);
    assert_int_equal(cfg_s2_tables(cfg, 1), 2u + 1u); /* not p1's */
    s->map_mask = 2u; /* p0 no longer maps it (a count, not a check) */
    assert_int_equal(cfg_s2_tables(cfg, 0), 2u + 1u + 1u);
    s->size = 4u * MIB; /* p1: two blocks in its RAM's slot, no table */
    s->pa = 0x4c000000ull;
    assert_int_equal(cfg_s2_tables(cfg, 1), 2u);
}

/* Verifies: LLR-CFG-025 (table counts beyond the tables: only the tables'
 * entries are looked at) */
static void test_counts_bounded(void **state)
{
    (void)state;
    cfg->num_shms = BH_CFG_MAX_SHMS + 1u;
    cfg->num_passthru = BH_CFG_MAX_PASSTHRU + 1u;
    assert_int_equal(cfg_s2_tables(cfg, 1), 2u); /* unused entries: partition 0's */
}

/* Verifies: LLR-CFG-025 (the example: 256 MiB at physical
 * 0x50001000 needs 130 pages, more than the pool of 96; refused, naming
 * the partition) */
static void test_budget_refuses(void **state)
{
    (void)state;
    set_ram(0, 0x40000000ull, 0x50001000ull, 256u * MIB);
    cfx_expect_only(validate(), &rep, "parts[0].stage2",
                    "stage-2 map needs 130 table pages, 96 of the pool's 96 left");
    set_ram(0, 0x40000000ull, 0x50000000ull, 256u * MIB); /* 2 MiB aligned: 2 pages */
    assert_int_equal(validate(), 0);
}

/* Verifies: LLR-CFG-025 (the pool is shared: exactly full is accepted, one
 * page more is reported on the first partition that does not fit beside the
 * ones before it) */
static void test_budget_boundary(void **state)
{
    (void)state;
    set_ram(0, 0x40000000ull, 0x50001000ull, 184u * MIB); /* 2 + 92 */
    assert_int_equal(validate(), 0);                      /* 94 + 2 = 96 */
    set_ram(0, 0x40000000ull, 0x50001000ull, 184u * MIB + 0x1000u); /* 2 + 93 */
    cfx_expect_only(validate(), &rep, "parts[1].stage2",
                    "stage-2 map needs 2 table pages, 1 of the pool's 96 left");
    plat.s2_table_pages = 97;
    assert_int_equal(validate(), 0);
    plat.s2_table_pages = 3; /* p0 alone is too big; p1 still fits */
    cfx_expect_only(validate(), &rep, "parts[0].stage2", "needs 95 table pages, 3 of");
    plat.s2_table_pages = 0; /* nothing fits */
    assert_int_equal(validate(), 2);
    assert_true(cfx_has_error(&rep, "parts[1].stage2", "needs 2 table pages, 0 of the pool's 0"));
}

/* Verifies: LLR-CFG-025 (the budget is looked at only on a blob without
 * other errors: its count assumes valid ranges) */
static void test_budget_last(void **state)
{
    (void)state;
    plat.s2_table_pages = 0;
    cfg->parts[1].name[0] = '\0';
    cfx_expect_only(validate(), &rep, "parts[1].name", "empty");
}

#define T(f) cmocka_unit_test_setup(f, build_valid)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ram_blocks_and_pages), T(test_ram_head_tail),   T(test_ram_two_gib),
        T(test_shared_and_devices),   T(test_counts_bounded),  T(test_budget_refuses),
        T(test_budget_boundary),      T(test_budget_last),
    };
    return cmocka_run_group_tests_name("cfg_s2", tests, NULL, NULL);
}
