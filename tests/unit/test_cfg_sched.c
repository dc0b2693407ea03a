/* Unit tests of hyp/core/cfg_sched.c: the configuration rules of the ARINC
 * 653 schedules and the health-monitor tables, one test per rule, each
 * mutating one field of a valid blob and re-sealing it. The helpers follow
 * tests/unit/test_cfg.c and share tests/unit/cfg_fixture.h with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "cfg_fixture.h"
#include "cfg_int.h"
#include "hm.h"

static _Alignas(8) uint8_t blob_mem[16384];
static struct bh_cfg *const cfg = (struct bh_cfg *)blob_mem;
static struct cfg_report rep;

static const struct cfg_platform plat = {
    .ram_base = 0x40000000ull,
    .ram_size = 0x40000000ull,
    .hyp_base = 0x40200000ull,
    .hyp_end = 0x40400000ull,
    .num_cpus = 4,
    .s2_table_pages = 96,
};

static void win(uint32_t s, uint32_t cpu, uint32_t part, uint32_t vcpu, uint32_t off, uint32_t dur)
{
    struct bh_cfg_sched *sc = &cfg->scheds[s];
    struct bh_cfg_window *w = &sc->windows[sc->num_windows];
    w->cpu = (uint8_t)cpu;
    w->part = (uint8_t)part;
    w->vcpu = (uint8_t)vcpu;
    w->offset_us = off;
    w->duration_us = dur;
    sc->num_windows++;
}

static void reseal(void)
{
    cfx_reseal(cfg);
}

/*
 * A valid blob with two schedules. p0 (system): vCPUs on CPUs 0 and 1,
 * period 5000 us, health-monitor table and restart limit set. p1: one vCPU
 * on CPU 1, no period, declares no window in schedule 1.
 *   schedule 0, 10 ms: cpu0 p0.0 0+5000; cpu1 p0.1 0+4000, p1.0 5000+5000
 *   schedule 1, 20 ms: cpu0 p0.0 0+10000, 10000+10000; cpu1 p0.1 0+50
 */
static int build_valid(void **state)
{
    (void)state;
    cfx_begin(cfg, sizeof(blob_mem), &rep);
    cfx_set_part(cfg, 0, "p0", 0x48000000ull, 0x40000000ull, HDR);
    cfg->parts[0].num_vcpus = 2;
    cfg->parts[0].vcpu_cpu[1] = 1;
    cfg->parts[0].flags = BH_CFG_PART_F_SYSTEM | BH_CFG_PART_F_HM_HCALL;
    cfg->parts[0].period_us = 5000;
    cfg->parts[0].restart_limit = BH_CFG_MAX_RESTARTS;
    static const uint8_t table[HM_NUM_ERRORS] = {HM_IDLE,         HM_IGNORE,       HM_WARM_RESTART,
                                                 HM_COLD_RESTART, HM_WARM_RESTART, HM_COLD_RESTART};
    memcpy(cfg->parts[0].hm_action, table, sizeof(table));
    cfx_set_part(cfg, 1, "p1", 0x49000000ull, 0x40000000ull, HDR + IMG_SIZE + DTB_SIZE);
    cfg->parts[1].num_vcpus = 1;
    cfg->parts[1].vcpu_cpu[0] = 1;
    cfg->parts[1].no_window_mask = 1u << 1;
    cfg->parts[1].restart_limit = 3;
    cfg->num_scheds = 2;
    cfg->module_hm_action = BH_CFG_MODULE_RESET;
    cfg->scheds[0].major_frame_us = 10000;
    win(0, 0, 0, 0, 0, 5000);
    win(0, 1, 0, 1, 0, 4000);
    win(0, 1, 1, 0, 5000, 5000);
    cfg->scheds[1].major_frame_us = 20000;
    win(1, 0, 0, 0, 0, 10000);
    win(1, 0, 0, 0, 10000, 10000);
    win(1, 1, 0, 1, 0, BH_CFG_MIN_WINDOW_US);
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

/* Only the schedule checks, on a blob cfg_validate would stop earlier for
 * (many partition errors); the report is cleared first. */
static void check_schedules(void)
{
    memset(&rep, 0, sizeof(rep));
    cfg_check_schedules(cfg, &rep);
}

/* Reseal, validate, and require no error. */
static void expect_valid(void)
{
    reseal();
    uint32_t n = validate();
    if (n != 0u) {
        expect_error("", "");
    }
}

/* Verifies: LLR-CFG-013, LLR-CFG-014, LLR-CFG-015, LLR-CFG-016 (a blob with
 * schedules, windows and health-monitor tables that keeps every rule) */
static void test_valid(void **state)
{
    (void)state;
    expect_valid();
    assert_int_equal(rep.count, 0);
    /* The system partition may also be a later one; module action HALT. */
    cfg->parts[0].flags = 0;
    cfg->parts[1].flags = BH_CFG_PART_F_SYSTEM;
    cfg->module_hm_action = BH_CFG_MODULE_HALT;
    expect_valid();
    /* No schedule at all: the slice rotation, nothing to check. */
    build_valid(NULL);
    memset(cfg->scheds, 0, sizeof(cfg->scheds));
    cfg->num_scheds = 0;
    cfg->parts[1].no_window_mask = 0;
    expect_valid();
}

/* Verifies: LLR-CFG-013 (each hm_action entry is an action for its
 * error, dma-fault included) */
static void test_hm_action(void **state)
{
    (void)state;
    cfg->parts[0].hm_action[HM_ERR_MODE] = HM_NUM_ACTIONS;
    expect_only("parts[0].hm_action[2]", "4 is not an action for this error");
    build_valid(NULL);
    cfg->parts[1].hm_action[HM_ERR_CRASH] = 0xFF;
    expect_only("parts[1].hm_action[5]", "255 is not an action");
    build_valid(NULL);
    cfg->parts[0].hm_action[HM_ERR_DMA] = HM_NUM_ACTIONS;
    expect_only("parts[0].hm_action[7]", "4 is not an action");
    build_valid(NULL);
    cfg->parts[0].hm_action[HM_ERR_DMA] = HM_COLD_RESTART;
    expect_valid();
    build_valid(NULL);
    /* A partition that powered off cannot carry on: no IGNORE for shutdown,
     * every other action is fine. */
    cfg->parts[0].hm_action[HM_ERR_SHUTDOWN] = HM_IGNORE;
    expect_only("parts[0].hm_action[6]", "1 is not an action for this error");
    for (uint32_t a = HM_IDLE; a < HM_NUM_ACTIONS; a++) {
        build_valid(NULL);
        if (a != HM_IGNORE) {
            cfg->parts[1].hm_action[HM_ERR_SHUTDOWN] = (uint8_t)a;
            expect_valid();
        }
    }
}

/* Verifies: LLR-CFG-013 (restart_limit at most BH_CFG_MAX_RESTARTS) */
static void test_restart_limit(void **state)
{
    (void)state;
    cfg->parts[1].restart_limit = BH_CFG_MAX_RESTARTS + 1u;
    expect_only("parts[1].restart_limit", "1001 above 1000");
    cfg->parts[1].restart_limit = UINT32_MAX;
    expect_only("parts[1].restart_limit", "above 1000");
}

/* Verifies: LLR-CFG-013 (no_window_mask names only configured schedules) */
static void test_no_window_mask(void **state)
{
    (void)state;
    cfg->parts[1].no_window_mask = (1u << 1) | (1u << 2);
    expect_only("parts[1].no_window_mask", "0x6 names schedules beyond num_scheds 2");
    build_valid(NULL);
    cfg->parts[0].no_window_mask = 0x80000000u;
    expect_only("parts[0].no_window_mask", "beyond num_scheds");
}

/* Verifies: LLR-CFG-013 (at most one system partition) */
static void test_second_system(void **state)
{
    (void)state;
    cfg->parts[1].flags = BH_CFG_PART_F_SYSTEM;
    expect_only("parts[1].flags", "second system partition (parts[0] is one)");
}

/* Verifies: LLR-CFG-014 (num_scheds at most BH_CFG_MAX_SCHEDS; nothing
 * else of the schedules is checked then) */
static void test_num_scheds(void **state)
{
    (void)state;
    cfg->num_scheds = BH_CFG_MAX_SCHEDS + 1u;
    expect_only("header.num_scheds", "17 above 16");
    /* So large that no mask bit could name it: still only that error. */
    cfg->num_scheds = 40;
    cfg->parts[0].no_window_mask = 0xFFFFFFFFu;
    expect_only("header.num_scheds", "40 above 16");
}

/* Verifies: LLR-CFG-014 (module_hm_action is halt or reset) */
static void test_module_action(void **state)
{
    (void)state;
    cfg->module_hm_action = 2;
    expect_only("header.module_hm_action", "2 is neither halt (0) nor reset (1)");
}

/* Verifies: LLR-CFG-014 (schedules at and after num_scheds all zero) */
static void test_unused_sched(void **state)
{
    (void)state;
    cfg->scheds[BH_CFG_MAX_SCHEDS - 1u].windows[BH_CFG_MAX_WINDOWS - 1u].reserved1 = 1;
    expect_only("scheds[15]", "unused (num_scheds 2) but not all zero");
    build_valid(NULL);
    cfg->scheds[2].major_frame_us = 1000;
    expect_only("scheds[2]", "unused (num_scheds 2) but not all zero");
}

/* Verifies: LLR-CFG-014 (major frame in BH_CFG_MIN_WINDOW_US ..
 * BH_CFG_MAX_FRAME_US) */
static void test_major_frame(void **state)
{
    (void)state;
    cfg->parts[0].period_us = 0;
    cfg->scheds[1].major_frame_us = BH_CFG_MAX_FRAME_US + 1u;
    expect_only("scheds[1]", "major frame 10000001 us not in 50..10000000");
    cfg->scheds[1].major_frame_us = BH_CFG_MAX_FRAME_US;
    expect_valid();
    cfg->scheds[1].major_frame_us = BH_CFG_MIN_WINDOW_US - 1u;
    expect_some("scheds[1]", "major frame 49 us not in 50..10000000");
}

/* Verifies: LLR-CFG-014 (at most BH_CFG_MAX_WINDOWS windows; unused window
 * entries zero) */
static void test_windows_count(void **state)
{
    (void)state;
    cfg->scheds[0].num_windows = BH_CFG_MAX_WINDOWS + 1u;
    expect_only("scheds[0]", "33 windows, at most 32");
    build_valid(NULL);
    cfg->scheds[0].windows[10].part = 1;
    expect_only("scheds[0]", "windows[10] unused but not all zero");
    build_valid(NULL);
    cfg->scheds[1].windows[3].offset_us = 5;
    expect_only("scheds[1]", "windows[3] unused but not all zero");
}

/* Verifies: LLR-CFG-015 (reserved fields of a window zero) */
static void test_window_reserved(void **state)
{
    (void)state;
    cfg->scheds[0].windows[1].reserved0 = 1;
    expect_only("scheds[0].windows[1]", "reserved fields must be zero");
    build_valid(NULL);
    cfg->scheds[1].windows[2].reserved1 = 0x100u;
    expect_only("scheds[1].windows[2]", "reserved fields must be zero");
}

/* Verifies: LLR-CFG-015 (window CPU below num_cpus) */
static void test_window_cpu(void **state)
{
    (void)state;
    cfg->scheds[1].windows[2].cpu = 2;
    expect_some("scheds[1].windows[2]", "cpu 2 not below num_cpus 2");
    expect_error("scheds[1].windows[2]", "on cpu 2, but partition 0 vcpu 1 is pinned to cpu 1");
}

/* Verifies: LLR-CFG-015 (window partition and vCPU configured, also when
 * num_parts or num_vcpus are themselves out of range) */
static void test_window_part_vcpu(void **state)
{
    (void)state;
    cfg->scheds[1].windows[2].part = 2;
    expect_only("scheds[1].windows[2]", "partition 2 not configured (num_parts 2)");
    build_valid(NULL);
    cfg->scheds[0].windows[2].vcpu = 1;
    expect_only("scheds[0].windows[2]", "vcpu 1 not configured in partition 1 (num_vcpus 1)");
    /* num_parts beyond the table: a window on "partition 8" names nothing. */
    build_valid(NULL);
    cfg->num_parts = BH_CFG_MAX_PARTS + 1u;
    cfg->scheds[1].windows[2].part = BH_CFG_MAX_PARTS;
    cfg->parts[1].no_window_mask = 0;
    check_schedules();
    /* The window, p1 in schedule 1, and the empty parts[2..7] in both. */
    assert_int_equal(rep.count, 2u + 2u * (BH_CFG_MAX_PARTS - 2u));
    expect_error("scheds[1].windows[2]", "partition 8 not configured (num_parts 9)");
    expect_error("scheds[1]", "partition 1 has no window and does not declare none");
    expect_error("scheds[0]", "partition 7 has no window");
    /* num_vcpus beyond the table: vCPU 4 names nothing. */
    build_valid(NULL);
    cfg->parts[0].num_vcpus = BH_CFG_MAX_VCPUS + 1u;
    cfg->scheds[1].windows[2].vcpu = BH_CFG_MAX_VCPUS;
    expect_some("scheds[1].windows[2]", "vcpu 4 not configured in partition 0 (num_vcpus 5)");
    expect_error("parts[0].num_vcpus", "5 not in 1..4");
}

/* Verifies: LLR-CFG-015 (a window is on the CPU its vCPU is pinned to) */
static void test_window_pinned(void **state)
{
    (void)state;
    cfg->scheds[1].windows[2].vcpu = 0;
    expect_only("scheds[1].windows[2]", "on cpu 1, but partition 0 vcpu 0 is pinned to cpu 0");
}

/* Verifies: LLR-CFG-015 (duration at least BH_CFG_MIN_WINDOW_US) */
static void test_window_duration(void **state)
{
    (void)state;
    cfg->scheds[1].windows[2].duration_us = BH_CFG_MIN_WINDOW_US - 1u;
    expect_only("scheds[1].windows[2]", "duration 49 us under the minimum 50 us");
    cfg->scheds[1].windows[2].duration_us = 0;
    expect_only("scheds[1].windows[2]", "duration 0 us under the minimum 50 us");
}

/* Verifies: LLR-CFG-015 (a window ends inside its frame, without wrapping) */
static void test_window_frame(void **state)
{
    (void)state;
    cfg->scheds[0].windows[2].duration_us = 5001;
    expect_only("scheds[0].windows[2]", "5000+5001 us ends outside the 10000 us frame");
    build_valid(NULL);
    cfg->scheds[1].windows[2].offset_us = UINT32_MAX;
    expect_only("scheds[1].windows[2]", "4294967295+50 us ends outside the 20000 us frame");
}

/* Verifies: LLR-CFG-015 (windows listed by CPU, then by increasing offset) */
static void test_window_order(void **state)
{
    (void)state;
    /* Same CPU, same offset. */
    cfg->scheds[1].windows[1].offset_us = 0;
    cfg->scheds[1].windows[1].duration_us = 50;
    expect_only("scheds[1].windows[1]", "not listed by cpu, then offset, after windows[0]");
    /* Same CPU, earlier offset. */
    build_valid(NULL);
    cfg->scheds[1].windows[0].offset_us = 15000;
    cfg->scheds[1].windows[0].duration_us = 5000;
    expect_only("scheds[1].windows[1]", "not listed by cpu, then offset, after windows[0]");
    /* A lower CPU after a higher one. */
    build_valid(NULL);
    win(0, 0, 0, 0, 6000, 1000);
    expect_only("scheds[0].windows[3]", "not listed by cpu, then offset, after windows[2]");
}

/* Verifies: LLR-CFG-015 (windows on one CPU do not overlap; touching is
 * allowed) */
static void test_window_overlap(void **state)
{
    (void)state;
    cfg->scheds[0].windows[1].duration_us = 5001;
    expect_only("scheds[0].windows[2]", "overlaps windows[1] on cpu 1");
    cfg->scheds[0].windows[1].duration_us = 5000;
    expect_valid();
    build_valid(NULL);
    cfg->scheds[1].windows[0].duration_us = 10001;
    expect_only("scheds[1].windows[1]", "overlaps windows[0] on cpu 0");
}

/* Verifies: LLR-CFG-016 (every partition has a window in every schedule,
 * or declares it has none there) */
static void test_presence(void **state)
{
    (void)state;
    cfg->parts[1].no_window_mask = 0;
    expect_only("scheds[1]", "partition 1 has no window and does not declare none");
    build_valid(NULL);
    memset(&cfg->scheds[0].windows[2], 0, sizeof(cfg->scheds[0].windows[2]));
    cfg->scheds[0].num_windows = 2;
    expect_only("scheds[0]", "partition 1 has no window and does not declare none");
    cfg->parts[1].no_window_mask = 3;
    expect_valid();
    /* Declaring none while having one is allowed. */
    cfg->parts[0].no_window_mask = 3;
    expect_valid();
    /* With num_parts out of range, only the table's partitions are looked at. */
    build_valid(NULL);
    cfg->num_parts = BH_CFG_MAX_PARTS + 1u;
    check_schedules();
    assert_int_equal(rep.count, 2u * (BH_CFG_MAX_PARTS - 2u));
    expect_error("scheds[0]", "partition 7 has no window and does not declare none");
    expect_error("scheds[1]", "partition 2 has no window and does not declare none");
}

/* Verifies: LLR-CFG-016 (a declared period divides the major frame of every
 * schedule the partition has a window in) */
static void test_period(void **state)
{
    (void)state;
    cfg->parts[0].period_us = 4000;
    expect_only("scheds[0]", "partition 0 period 4000 us does not divide the 10000 us frame");
    /* Only schedules the partition runs in: p1 has no window in schedule 1. */
    build_valid(NULL);
    cfg->parts[1].period_us = 3000;
    expect_only("scheds[0]", "partition 1 period 3000 us does not divide the 10000 us frame");
    cfg->parts[1].period_us = 10000;
    expect_valid();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_valid, build_valid),
        cmocka_unit_test_setup(test_hm_action, build_valid),
        cmocka_unit_test_setup(test_restart_limit, build_valid),
        cmocka_unit_test_setup(test_no_window_mask, build_valid),
        cmocka_unit_test_setup(test_second_system, build_valid),
        cmocka_unit_test_setup(test_num_scheds, build_valid),
        cmocka_unit_test_setup(test_module_action, build_valid),
        cmocka_unit_test_setup(test_unused_sched, build_valid),
        cmocka_unit_test_setup(test_major_frame, build_valid),
        cmocka_unit_test_setup(test_windows_count, build_valid),
        cmocka_unit_test_setup(test_window_reserved, build_valid),
        cmocka_unit_test_setup(test_window_cpu, build_valid),
        cmocka_unit_test_setup(test_window_part_vcpu, build_valid),
        cmocka_unit_test_setup(test_window_pinned, build_valid),
        cmocka_unit_test_setup(test_window_duration, build_valid),
        cmocka_unit_test_setup(test_window_frame, build_valid),
        cmocka_unit_test_setup(test_window_order, build_valid),
        cmocka_unit_test_setup(test_window_overlap, build_valid),
        cmocka_unit_test_setup(test_presence, build_valid),
        cmocka_unit_test_setup(test_period, build_valid),
    };
    return cmocka_run_group_tests_name("cfg_sched", tests, NULL, NULL);
}
