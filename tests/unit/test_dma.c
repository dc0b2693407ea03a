/* Unit tests of hyp/core/dma.c (DMA isolation policy: the SMMU's setup from
 * the configuration and the route of its faults to the health monitor). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "dma.h"
#include "fake_arch.h"
#include "hm.h"
#include "part.h"

static struct bh_cfg cfg;
static struct bh_cfg_part part_cfg[2];

/* Partition 0 ("disk", RAM at guest 0x60000000, physical 0x58000000) owns
 * device 0 with StreamIDs 0x8 and 0x9; partition 1 ("other") owns device 1,
 * no StreamID. Shared region 0 is mapped by both, read-only in partition 0;
 * region 1 by partition 1 only. */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    hm_init();
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    memset(&cfg, 0, sizeof(cfg));
    memset(part_cfg, 0, sizeof(part_cfg));
    for (uint32_t i = 0; i < 2u; i++) {
        struct partition *p = &part_table[i];
        struct vcpu *v = &vcpu_table[i];
        p->id = i;
        p->cfg = &part_cfg[i];
        p->mode = PART_MODE_NORMAL;
        p->state = PART_RUNNING;
        v->part = p;
        v->gid = i;
        p->vcpus[0] = v;
        p->num_vcpus = 1;
        v->state = VCPU_RUNNABLE;
    }
    strcpy(part_table[0].name, "disk");
    strcpy(part_table[1].name, "other");
    part_count = 2;
    vcpu_count = 2;
    part_cfg[0].hm_action[HM_ERR_DMA] = HM_IGNORE;
    cfg.num_parts = 2;
    cfg.parts[0].ram_gpa = 0x60000000;
    cfg.parts[0].ram_pa = 0x58000000;
    cfg.parts[0].ram_size = 0x1000000;
    cfg.parts[1].ram_gpa = 0x40000000;
    cfg.parts[1].ram_pa = 0x49000000;
    cfg.parts[1].ram_size = 0x1000000;
    cfg.num_shms = 2;
    cfg.shms[0].pa = 0x4a000000;
    cfg.shms[0].size = 0x2000;
    cfg.shms[0].map_mask = 3u;
    cfg.shms[0].ro_mask = 1u;
    cfg.shms[0].gpa[0] = 0x70000000;
    cfg.shms[0].gpa[1] = 0x50000000;
    cfg.shms[1].pa = 0x4a100000;
    cfg.shms[1].size = 0x1000;
    cfg.shms[1].map_mask = 2u;
    cfg.shms[1].gpa[1] = 0x51000000;
    cfg.num_passthru = 2;
    cfg.passthru[0].part = 0;
    cfg.passthru[1].part = 1;
    cfg.num_streams = 2;
    cfg.streams[0].sid = 0x8;
    cfg.streams[0].pt = 0;
    cfg.streams[1].sid = 0x9;
    cfg.streams[1].pt = 0;
    return 0;
}

/* Verifies: LLR-DMA-010 */
static void test_none(void **state)
{
    (void)state;
    cfg.num_streams = 0;
    dma_init(&cfg);
    assert_int_equal(fake.dma_inits, 0);
    assert_int_equal(fake.dma_enables, 0);
    assert_int_equal(fake.dma_count, 0);
    /* no table: every event is only reported */
    dma_fault(0x8, 0x10, 0x50800000);
    assert_non_null(strstr(fake_console(), "SMMU: event 0x10 of StreamID 0x8, address 0x50800000: "
                                           "no partition owns it"));
}

/* Verifies: LLR-DMA-010 */
static void test_init_maps_own_memory(void **state)
{
    (void)state;
    dma_init(&cfg);
    assert_int_equal(fake.dma_inits, 1);
    assert_int_equal(fake.dma_enables, 1);
    /* partition 0 once: its RAM and the region it maps (read-only) */
    assert_int_equal(fake.dma_count, 2);
    assert_int_equal(fake.dma[0].part_id, 0);
    assert_int_equal(fake.dma[0].gpa, 0x60000000);
    assert_int_equal(fake.dma[0].pa, 0x58000000);
    assert_int_equal(fake.dma[0].size, 0x1000000);
    assert_int_equal(fake.dma[0].read_only, 0);
    assert_int_equal(fake.dma[1].gpa, 0x70000000);
    assert_int_equal(fake.dma[1].pa, 0x4a000000);
    assert_int_equal(fake.dma[1].size, 0x2000);
    assert_int_equal(fake.dma[1].read_only, 1);
    assert_int_equal(fake.dma_attached, 2);
    assert_int_equal(fake.dma_sid[0], 0x8);
    assert_int_equal(fake.dma_sid[1], 0x9);
    assert_int_equal(fake.dma_sid_part[1], 0);
    assert_non_null(strstr(fake_console(), "partition disk: StreamID 0x9 confined by the SMMU"));
}

/* Verifies: LLR-DMA-010 */
static void test_init_shared_rw(void **state)
{
    (void)state;
    cfg.streams[1].pt = 1; /* partition 1 owns 0x9: RAM and both its regions, writable */
    dma_init(&cfg);
    assert_int_equal(fake.dma_count, 5);
    assert_int_equal(fake.dma[2].part_id, 1);
    assert_int_equal(fake.dma[3].gpa, 0x50000000);
    assert_int_equal(fake.dma[3].read_only, 0);
    assert_int_equal(fake.dma[4].gpa, 0x51000000);
    assert_int_equal(fake.dma_sid_part[1], 1);
}

static void expect_halt(const char *msg)
{
    jmp_buf jb;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        dma_init(&cfg);
        fail_msg("dma_init did not halt");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(fake.halted, 1);
    assert_non_null(strstr(fake_console(), msg));
    assert_non_null(strstr(fake_console(), "refusing to start"));
}

/* Verifies: LLR-DMA-010 */
static void test_init_fails(void **state)
{
    (void)state;
    fake.dma_init_fail = 1;
    expect_halt("SMMU: no usable SMMU");
    setup(NULL);
    fake.dma_map_fail = 1;
    expect_halt("SMMU: table pool exhausted mapping a partition's RAM");
    setup(NULL);
    fake.dma_map_fail_after = 1;
    expect_halt("SMMU: table pool exhausted mapping a shared region");
    setup(NULL);
    fake.dma_attach_fail = 1;
    expect_halt("SMMU: no context for a partition");
    setup(NULL);
    fake.dma_enable_fail = 1;
    expect_halt("SMMU: a command or an enable was not completed in time");
}

/* Verifies: LLR-DMA-010 (counts beyond the tables read no more than the
 * tables: the boot check refuses them, dma_init stays bounded anyway) */
static void test_init_counts_bounded(void **state)
{
    (void)state;
    cfg.num_shms = BH_CFG_MAX_SHMS + 1u;
    cfg.num_streams = BH_CFG_MAX_STREAMS + 1u;
    for (uint32_t k = 0; k < BH_CFG_MAX_STREAMS; k++) {
        cfg.streams[k].sid = 0x100u + k;
        cfg.streams[k].pt = 0;
    }
    dma_init(&cfg);
    assert_int_equal(fake.dma_attached, BH_CFG_MAX_STREAMS);
    assert_int_equal(fake.dma_count, 2); /* RAM and region 0; the rest map nothing */
}

/* Verifies: LLR-DMA-011 */
static void test_fault_to_owner(void **state)
{
    (void)state;
    dma_init(&cfg);
    fake_console_clear();
    dma_fault(0x9, 0x10, 0x40200000);
    const char *out = fake_console();
    assert_non_null(strstr(out, "partition disk: DMA fault, StreamID 0x9, address 0x40200000 "
                                "(event 0x10)"));
    assert_non_null(strstr(out, "partition disk vcpu 0 health monitor: DMA fault -> IGNORE"));
    struct hm_event ev[4];
    assert_int_equal(hm_log_read(ev, 4, 0), 1);
    assert_int_equal(ev[0].part, 0);
    assert_int_equal(ev[0].error, HM_ERR_DMA);
    assert_int_equal(ev[0].detail, 0x40200000);
    assert_int_equal(part_table[1].mode, PART_MODE_NORMAL);
    /* a StreamID nobody owns: reported, no health-monitor record */
    dma_fault(0x10, 0x10, 0x1000);
    assert_non_null(strstr(fake_console(), "SMMU: event 0x10 of StreamID 0x10"));
    assert_int_equal(hm_log_read(ev, 4, 0), 1);
}

/* Verifies: LLR-DMA-011, LLR-HM-002 */
static void test_fault_default_idle(void **state)
{
    (void)state;
    part_cfg[0].hm_action[HM_ERR_DMA] = HM_IDLE; /* not configured: the safe default */
    dma_init(&cfg);
    dma_fault(0x8, 0x10, 0x50800000);
    assert_non_null(strstr(fake_console(), "health monitor: DMA fault -> IDLE"));
    assert_int_not_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_table[1].state, PART_RUNNING);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_none),       T(test_init_maps_own_memory), T(test_init_shared_rw),
        T(test_init_fails), T(test_init_counts_bounded),  T(test_fault_to_owner),
        T(test_fault_default_idle),
    };
    return cmocka_run_group_tests_name("dma", tests, NULL, NULL);
}
