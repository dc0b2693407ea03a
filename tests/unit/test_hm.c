/* Unit tests of hyp/core/hm.c (health monitor: decision, actions, log,
 * fault reports, module-level errors). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "console.h"
#include "blob_fixture.h"
#include "fake_arch.h"
#include "hm.h"
#include "part.h"
#include "sched.h"

#define RAM_SIZE 0x4000u
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define IMG_SIZE 24u
#define IMG_MEM 64u
#define DTB_SIZE 16u

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * 128u];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint64_t gpa, uint32_t nv)
{
    struct bh_cfg_part *c = &blob.cfg.parts[i];
    uint32_t img = (uint32_t)sizeof(struct bh_cfg) + i * 128u;
    strncpy(c->name, name, BH_CFG_NAME_LEN - 1u);
    c->ram_gpa = gpa;
    c->ram_pa = (uint64_t)(uintptr_t)ram[i];
    c->ram_size = RAM_SIZE;
    c->image_gpa = gpa + 0x1000u;
    c->entry_gpa = gpa + 0x1000u;
    c->dtb_gpa = gpa + 0x3000u;
    c->image_offset = img;
    c->image_size = IMG_SIZE;
    c->image_mem_size = IMG_MEM;
    c->dtb_offset = img + 64u;
    c->dtb_size = DTB_SIZE;
    c->num_vcpus = nv;
    for (uint32_t j = 0; j < nv; j++) {
        c->vcpu_cpu[j] = j;
    }
    memset(&blob.bytes[img], 0x5A, 128u);
}

/* alpha: one vCPU (gid 0); beta: two vCPUs (gids 1, 2), restart limit 2. */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    hm_init();
    hm_set_module_action(BH_CFG_MODULE_HALT);
    memset(&blob, 0, sizeof(blob));
    memset(ram, 0xAA, sizeof(ram));
    blob.cfg.total_size = (uint32_t)sizeof(blob);
    blob.cfg.num_cpus = 2;
    blob.cfg.num_parts = 2;
    blob.cfg.slice_us = 1000;
    fill_part(0, "alpha", GPA0, 1);
    fill_part(1, "beta", GPA1, 2);
    blob.cfg.parts[1].restart_limit = 2;
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    fake_console_clear();
    fake.resets = 0;
    return 0;
}

static struct partition *const beta = &part_table[1];

static void set_action(uint32_t e, enum hm_action a)
{
    blob.cfg.parts[1].hm_action[e] = (uint8_t)a;
}

/* Verifies: LLR-HM-002 (the configured action per error; a restart becomes
 * IDLE once the restart limit is used up; IGNORE and IDLE never do) */
static void test_decide_table(void **state)
{
    (void)state;
    set_action(HM_ERR_STAGE2, HM_IDLE);
    set_action(HM_ERR_UNDEF, HM_IGNORE);
    set_action(HM_ERR_MODE, HM_WARM_RESTART);
    set_action(HM_ERR_HCALL, HM_COLD_RESTART);
    set_action(HM_ERR_REPORTED, HM_IGNORE);
    set_action(HM_ERR_CRASH, HM_WARM_RESTART);
    assert_int_equal(hm_decide(beta, HM_ERR_STAGE2), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_UNDEF), HM_IGNORE);
    assert_int_equal(hm_decide(beta, HM_ERR_MODE), HM_WARM_RESTART);
    assert_int_equal(hm_decide(beta, HM_ERR_HCALL), HM_COLD_RESTART);
    assert_int_equal(hm_decide(beta, HM_ERR_REPORTED), HM_IGNORE);
    assert_int_equal(hm_decide(beta, HM_ERR_CRASH), HM_WARM_RESTART);
    /* The other partition's table (all zero) is its own. */
    assert_int_equal(hm_decide(&part_table[0], HM_ERR_UNDEF), HM_IDLE);

    beta->restarts = 1;
    assert_int_equal(hm_decide(beta, HM_ERR_MODE), HM_WARM_RESTART);
    assert_int_equal(hm_decide(beta, HM_ERR_HCALL), HM_COLD_RESTART);
    beta->restarts = 2;
    assert_int_equal(hm_decide(beta, HM_ERR_MODE), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_HCALL), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_UNDEF), HM_IGNORE);
    assert_int_equal(hm_decide(beta, HM_ERR_STAGE2), HM_IDLE);
    /* A limit of zero: no restart at all. */
    blob.cfg.parts[1].restart_limit = 0;
    beta->restarts = 0;
    assert_int_equal(hm_decide(beta, HM_ERR_CRASH), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_REPORTED), HM_IGNORE);
}

/* Verifies: LLR-HM-002 (an out-of-range error, an out-of-range configured
 * action or a partition without configuration gives IDLE) */
static void test_decide_out_of_range(void **state)
{
    (void)state;
    for (uint32_t e = 0; e < BH_CFG_HM_ERRORS; e++) {
        set_action(e, HM_IGNORE);
    }
    assert_int_equal(hm_decide(beta, HM_NUM_ERRORS), HM_IDLE);
    assert_int_equal(hm_decide(beta, BH_CFG_HM_ERRORS), HM_IDLE);
    assert_int_equal(hm_decide(beta, UINT32_MAX), HM_IDLE);
    blob.cfg.parts[1].hm_action[HM_ERR_UNDEF] = HM_NUM_ACTIONS;
    blob.cfg.parts[1].hm_action[HM_ERR_MODE] = 0xFF;
    assert_int_equal(hm_decide(beta, HM_ERR_UNDEF), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_MODE), HM_IDLE);
    assert_int_equal(hm_decide(beta, HM_ERR_STAGE2), HM_IGNORE);
    const struct bh_cfg_part *saved = beta->cfg;
    beta->cfg = NULL;
    assert_int_equal(hm_decide(beta, HM_ERR_STAGE2), HM_IDLE);
    beta->cfg = saved;
}

/* Verifies: LLR-HM-003 (IDLE: logged, announced, partition stopped with the
 * reason of its error, others untouched) */
static void test_raise_idle(void **state)
{
    static const char *const line[HM_NUM_ERRORS] = {
        "(bulkhead) partition beta vcpu 1 health monitor: stage-2 violation -> IDLE\n"
        "(bulkhead) partition beta stopped: fault\n",
        "(bulkhead) partition beta vcpu 1 health monitor: undefined or trapped instruction -> "
        "IDLE\n(bulkhead) partition beta stopped: fault\n",
        "(bulkhead) partition beta vcpu 1 health monitor: unexpected mode -> IDLE\n"
        "(bulkhead) partition beta stopped: fault\n",
        "(bulkhead) partition beta vcpu 1 health monitor: illegal hypercall -> IDLE\n"
        "(bulkhead) partition beta stopped: illegal hypercall\n",
        "(bulkhead) partition beta vcpu 1 health monitor: reported error -> IDLE\n"
        "(bulkhead) partition beta stopped: reported error\n",
        "(bulkhead) partition beta vcpu 1 health monitor: crash -> IDLE\n"
        "(bulkhead) partition beta stopped: crash\n",
        "(bulkhead) partition beta vcpu 1 health monitor: shutdown -> IDLE\n"
        "(bulkhead) partition beta stopped: poweroff\n",
        "(bulkhead) partition beta vcpu 1 health monitor: DMA fault -> IDLE\n"
        "(bulkhead) partition beta stopped: DMA fault\n",
    };
    for (uint32_t e = 0; e < HM_NUM_ERRORS; e++) {
        setup(state);
        assert_int_equal(hm_raise(&vcpu_table[2], e, 0x77), HM_IDLE);
        assert_string_equal(fake_console(), line[e]);
        assert_int_equal(beta->state, PART_STOPPED);
        assert_int_equal(beta->mode, PART_MODE_IDLE);
        assert_int_equal(vcpu_table[1].state, VCPU_OFF);
        assert_int_equal(beta->restarts, 0);
        assert_int_equal(part_table[0].state, PART_RUNNING);
        assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
    }
    /* An error number out of range is handled (and logged) as a mode error. */
    setup(state);
    fake.now = 99;
    assert_int_equal(hm_raise(&vcpu_table[1], 200, 5), HM_IDLE);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 0 health monitor: unexpected mode -> IDLE\n"
                        "(bulkhead) partition beta stopped: fault\n");
    struct hm_event ev;
    assert_int_equal(hm_log_read(&ev, 1, 0), 1);
    assert_int_equal(ev.error, HM_ERR_MODE);
    assert_int_equal(ev.action, HM_IDLE);
    assert_int_equal(ev.time, 99);
    assert_int_equal(ev.detail, 5);
}

/* Verifies: LLR-HM-003 (IGNORE: logged and announced, nothing else) */
static void test_raise_ignore(void **state)
{
    (void)state;
    set_action(HM_ERR_REPORTED, HM_IGNORE);
    memset(ram[1], 0x11, RAM_SIZE);
    assert_int_equal(hm_raise(&vcpu_table[1], HM_ERR_REPORTED, 42), HM_IGNORE);
    assert_string_equal(
        fake_console(),
        "(bulkhead) partition beta vcpu 0 health monitor: reported error -> IGNORE\n");
    assert_int_equal(beta->state, PART_RUNNING);
    assert_int_equal(beta->mode, PART_MODE_COLD_START);
    assert_int_equal(beta->restarts, 0);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(fake.resets, 0);
    assert_int_equal(ram[1][0x1000], 0x11);
}

/* Verifies: LLR-HM-003, LLR-HM-002 (WARM and COLD restart the partition
 * and count; once the limit is used up the same error stops it) */
static void test_raise_restart(void **state)
{
    (void)state;
    set_action(HM_ERR_CRASH, HM_WARM_RESTART);
    set_action(HM_ERR_STAGE2, HM_COLD_RESTART);
    memset(ram[1], 0x11, RAM_SIZE);
    assert_int_equal(hm_raise(&vcpu_table[2], HM_ERR_CRASH, 0), HM_WARM_RESTART);
    fx_restart_finish(beta);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 1 health monitor: crash -> WARM_RESTART\n"
                        "(bulkhead) partition beta restarting (warm)\n");
    assert_int_equal(beta->restarts, 1);
    assert_int_equal(beta->state, PART_RUNNING);
    assert_int_equal(beta->mode, PART_MODE_WARM_START);
    assert_int_equal(ram[1][0x1000], 0x11); /* memory kept */
    assert_int_equal(fake.resets, 2);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);

    fake_console_clear();
    assert_int_equal(hm_raise(&vcpu_table[1], HM_ERR_STAGE2, 0), HM_COLD_RESTART);
    fx_restart_finish(beta);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 0 health monitor: stage-2 violation -> "
                        "COLD_RESTART\n(bulkhead) partition beta restarting (cold)\n");
    assert_int_equal(beta->restarts, 2);
    assert_int_equal(beta->mode, PART_MODE_COLD_START);
    assert_int_equal(ram[1][0x1000], 0x5A); /* image restored */
    assert_int_equal(ram[1][0x1000u + IMG_SIZE], 0);

    fake_console_clear();
    assert_int_equal(hm_raise(&vcpu_table[1], HM_ERR_CRASH, 0), HM_IDLE);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 0 health monitor: crash -> IDLE\n"
                        "(bulkhead) partition beta stopped: crash\n");
    assert_int_equal(beta->restarts, 2);
    assert_int_equal(beta->state, PART_STOPPED);
}

/* Verifies: LLR-HM-007 (a poweroff stops the partition quietly, unless the
 * table restarts it on shutdown within the restart limit: then it is raised,
 * logged and counted) */
static void test_shutdown(void **state)
{
    struct hm_event ev[4];
    (void)state;
    assert_false(hm_shutdown(&vcpu_table[2], "poweroff (test)"));
    assert_string_equal(fake_console(), "(bulkhead) partition beta stopped: poweroff (test)\n");
    assert_int_equal(beta->state, PART_STOPPED);
    assert_int_equal(hm_log_read(ev, 4, 0), 0);

    setup(state);
    set_action(HM_ERR_SHUTDOWN, HM_COLD_RESTART);
    assert_true(hm_shutdown(&vcpu_table[1], "poweroff"));
    fx_restart_finish(beta);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 0 health monitor: shutdown -> "
                        "COLD_RESTART\n(bulkhead) partition beta restarting (cold)\n");
    assert_int_equal(beta->restarts, 1);
    assert_int_equal(beta->state, PART_RUNNING);
    assert_int_equal(hm_log_read(ev, 4, 0), 1);
    assert_int_equal(ev[0].error, HM_ERR_SHUTDOWN);
    assert_int_equal(ev[0].action, HM_COLD_RESTART);

    /* restart limit used up (2, see setup): the next poweroff just stops */
    set_action(HM_ERR_SHUTDOWN, HM_WARM_RESTART);
    assert_true(hm_shutdown(&vcpu_table[1], "poweroff"));
    fx_restart_finish(beta);
    fake_console_clear();
    assert_false(hm_shutdown(&vcpu_table[1], "poweroff"));
    assert_string_equal(fake_console(), "(bulkhead) partition beta stopped: poweroff\n");
    assert_int_equal(hm_log_read(ev, 4, 0), 2);

    /* IGNORE (refused by the boot check) still stops the partition */
    setup(state);
    set_action(HM_ERR_SHUTDOWN, HM_IGNORE);
    assert_false(hm_shutdown(&vcpu_table[1], "poweroff"));
    assert_int_equal(beta->state, PART_STOPPED);
}

/* Verifies: LLR-HM-001, LLR-HM-004 (events read oldest first with seq,
 * time, detail, partition, vCPU, error and action; from_seq and max) */
static void test_log_read(void **state)
{
    (void)state;
    struct hm_event ev[8];
    assert_int_equal(hm_log_read(ev, 8, 0), 0);
    for (uint32_t e = 0; e < HM_NUM_ERRORS; e++) {
        set_action(e, HM_IGNORE);
    }
    blob.cfg.parts[0].hm_action[HM_ERR_UNDEF] = HM_IGNORE;
    fake.now = 1000;
    (void)hm_raise(&vcpu_table[2], HM_ERR_REPORTED, 0xABCDEF0123ull);
    fake.now = 2000;
    (void)hm_raise(&vcpu_table[0], HM_ERR_UNDEF, 7);
    fake.now = 3000;
    (void)hm_raise(&vcpu_table[1], HM_ERR_HCALL, 0x105);

    memset(ev, 0xEE, sizeof(ev));
    assert_int_equal(hm_log_read(ev, 8, 0), 3);
    assert_int_equal(ev[0].seq, 1);
    assert_int_equal(ev[0].time, 1000);
    assert_int_equal(ev[0].detail, 0xABCDEF0123ull);
    assert_int_equal(ev[0].part, 1);
    assert_int_equal(ev[0].vcpu, 1);
    assert_int_equal(ev[0].error, HM_ERR_REPORTED);
    assert_int_equal(ev[0].action, HM_IGNORE);
    assert_int_equal(ev[1].seq, 2);
    assert_int_equal(ev[1].time, 2000);
    assert_int_equal(ev[1].part, 0);
    assert_int_equal(ev[1].vcpu, 0);
    assert_int_equal(ev[1].error, HM_ERR_UNDEF);
    assert_int_equal(ev[2].seq, 3);
    assert_int_equal(ev[2].detail, 0x105);
    assert_int_equal(ev[3].seq, 0xEEEEEEEEu); /* nothing written past the count */

    assert_int_equal(hm_log_read(ev, 8, 2), 2);
    assert_int_equal(ev[0].seq, 2);
    assert_int_equal(ev[1].seq, 3);
    assert_int_equal(hm_log_read(ev, 1, 1), 1);
    assert_int_equal(ev[0].seq, 1);
    assert_int_equal(hm_log_read(ev, 8, 4), 0);
    assert_int_equal(hm_log_read(ev, 8, UINT32_MAX), 0);
    assert_int_equal(hm_log_read(ev, 0, 0), 0);

    /* hm_init empties the log and starts again at seq 1. */
    hm_init();
    assert_int_equal(hm_log_read(ev, 8, 0), 0);
    (void)hm_raise(&vcpu_table[1], HM_ERR_HCALL, 1);
    assert_int_equal(hm_log_read(ev, 8, 0), 1);
    assert_int_equal(ev[0].seq, 1);
}

/* Verifies: LLR-HM-004, LLR-HM-008, LLR-HM-010 (each partition's ring keeps
 * its last HM_LOG_PART_SIZE records; a partition that overflows its own
 * ring evicts none of another's; the read merges the rings in seq order) */
static void test_log_wrap(void **state)
{
    (void)state;
    static struct hm_event ev[2u * HM_LOG_PART_SIZE + 8u];
    set_action(HM_ERR_REPORTED, HM_IGNORE);
    blob.cfg.parts[0].hm_action[HM_ERR_REPORTED] = HM_IGNORE;
    (void)hm_raise(&vcpu_table[0], HM_ERR_REPORTED, 0xA1); /* alpha, seq 1 */
    uint32_t total = HM_LOG_PART_SIZE + 6u;
    for (uint32_t k = 1; k <= total; k++) {
        (void)hm_raise(&vcpu_table[1], HM_ERR_REPORTED, k); /* beta, seq k + 1 */
    }
    (void)hm_raise(&vcpu_table[0], HM_ERR_REPORTED, 0xA2); /* alpha, seq total + 2 */
    assert_int_equal(hm_log_read(ev, 2u * HM_LOG_PART_SIZE + 8u, 0), HM_LOG_PART_SIZE + 2u);
    assert_int_equal(ev[0].seq, 1);
    assert_int_equal(ev[0].detail, 0xA1);
    for (uint32_t k = 0; k < HM_LOG_PART_SIZE; k++) {
        assert_int_equal(ev[1u + k].part, 1);
        assert_int_equal(ev[1u + k].detail, 7u + k);
        assert_int_equal(ev[1u + k].seq, 8u + k);
    }
    assert_int_equal(ev[HM_LOG_PART_SIZE + 1u].seq, total + 2u);
    assert_int_equal(ev[HM_LOG_PART_SIZE + 1u].detail, 0xA2);
    /* from a seq inside beta's overwritten range: its oldest held record */
    assert_int_equal(hm_log_read(ev, 3, 3), 3);
    assert_int_equal(ev[0].seq, 8);
    assert_int_equal(hm_log_read(ev, 4, total), 3);
    assert_int_equal(ev[0].seq, total);
    assert_int_equal(ev[1].seq, total + 1u);
    assert_int_equal(ev[2].seq, total + 2u);
}

/* Verifies: LLR-HM-009 (a repeat of the partition's newest record - same
 * vCPU, error, detail and action - is folded into it: count, time and seq
 * updated; any difference, another partition's record in between excepted,
 * starts a record; a record holds at most HM_FOLD_MAX occurrences) */
static void test_log_fold(void **state)
{
    (void)state;
    static struct hm_event ev[16];
    set_action(HM_ERR_REPORTED, HM_IGNORE);
    set_action(HM_ERR_UNDEF, HM_IGNORE);
    blob.cfg.parts[0].hm_action[HM_ERR_REPORTED] = HM_IGNORE;
    fake.now = 100;
    (void)hm_raise(&vcpu_table[1], HM_ERR_REPORTED, 5); /* seq 1 */
    fake.now = 200;
    (void)hm_raise(&vcpu_table[0], HM_ERR_REPORTED, 5); /* alpha, seq 2 */
    fake.now = 300;
    (void)hm_raise(&vcpu_table[1], HM_ERR_REPORTED, 5); /* folded: seq 3 */
    assert_int_equal(hm_log_read(ev, 16, 0), 2);
    assert_int_equal(ev[0].part, 0);
    assert_int_equal(ev[0].count, 1);
    assert_int_equal(ev[0].reserved, 0);
    assert_int_equal(ev[1].part, 1);
    assert_int_equal(ev[1].seq, 3);
    assert_int_equal(ev[1].time, 300);
    assert_int_equal(ev[1].count, 2);
    /* a reader going on from seq 3 sees the record again, counted on */
    (void)hm_raise(&vcpu_table[1], HM_ERR_REPORTED, 5); /* folded: seq 4 */
    assert_int_equal(hm_log_read(ev, 16, 4), 1);
    assert_int_equal(ev[0].count, 3);
    /* another vCPU, error, detail or action each start a record */
    (void)hm_raise(&vcpu_table[2], HM_ERR_REPORTED, 5);
    (void)hm_raise(&vcpu_table[2], HM_ERR_UNDEF, 5);
    (void)hm_raise(&vcpu_table[2], HM_ERR_UNDEF, 6);
    set_action(HM_ERR_UNDEF, HM_WARM_RESTART);
    (void)hm_raise(&vcpu_table[2], HM_ERR_UNDEF, 6);
    assert_int_equal(hm_log_read(ev, 16, 5), 4);
    for (uint32_t i = 0; i < 4u; i++) {
        assert_int_equal(ev[i].count, 1);
        assert_int_equal(ev[i].seq, 5u + i);
    }
    /* HM_FOLD_MAX occurrences fill a record; the next starts one */
    hm_init();
    fake.now = 0;
    for (uint32_t k = 0; k <= HM_FOLD_MAX; k++) {
        (void)hm_raise(&vcpu_table[0], HM_ERR_REPORTED, 9);
    }
    assert_int_equal(hm_log_read(ev, 16, 0), 2);
    assert_int_equal(ev[0].count, HM_FOLD_MAX);
    assert_int_equal(ev[0].seq, HM_FOLD_MAX);
    assert_int_equal(ev[1].count, 1);
    assert_int_equal(ev[1].seq, HM_FOLD_MAX + 1u);
}

/* Verifies: LLR-HM-005 (a decoded fault line, then the configured action on
 * the fault's error with the ESR as detail; a missing description prints
 * "unknown") */
static void test_fault(void **state)
{
    (void)state;
    set_action(HM_ERR_UNDEF, HM_IGNORE);
    struct fault_report r = {
        .what = "undefined instruction",
        .hm_error = HM_ERR_UNDEF,
        .esr_class = 0,
        .esr = 0x2000000,
        .addr = 0x80001004,
        .pc = 0x80001004,
    };
    assert_int_equal(hm_fault(&vcpu_table[2], &r), HM_IGNORE);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 1 fault: undefined instruction, ESR class "
                        "0x0, ESR 0x2000000, address 0x80001004, pc 0x80001004\n"
                        "(bulkhead) partition beta vcpu 1 health monitor: undefined or trapped "
                        "instruction -> IGNORE\n");
    struct hm_event ev;
    assert_int_equal(hm_log_read(&ev, 1, 0), 1);
    assert_int_equal(ev.detail, 0x2000000);
    assert_int_equal(beta->state, PART_RUNNING);

    fake_console_clear();
    r.what = NULL;
    r.hm_error = HM_ERR_STAGE2;
    r.esr_class = 0x24;
    r.esr = 0x93C08007ull;
    r.addr = 0x12345000ull;
    r.pc = 0x80001008ull;
    assert_int_equal(hm_fault(&vcpu_table[1], &r), HM_IDLE);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition beta vcpu 0 fault: unknown, ESR class 0x24, ESR "
                        "0x93c08007, address 0x12345000, pc 0x80001008\n"
                        "(bulkhead) partition beta vcpu 0 health monitor: stage-2 violation -> "
                        "IDLE\n(bulkhead) partition beta stopped: fault\n");
    assert_int_equal(beta->state, PART_STOPPED);
}

/* Run hm_module_error and return the fake's longjmp value. */
static int module_error(const char *what)
{
    jmp_buf jb;
    fake_halt_jmp = &jb;
    int r = setjmp(jb);
    if (r == 0) {
        hm_module_error(what);
    }
    fake_halt_jmp = NULL;
    return r;
}

/* Verifies: LLR-HM-006 (a module error is announced and halts or resets
 * the module as configured) */
static void test_module_error(void **state)
{
    (void)state;
    assert_int_equal(module_error("hypervisor exception"), 1);
    assert_string_equal(fake_console(), "(bulkhead) module error: hypervisor exception -> HALT\n");
    assert_int_equal(fake.halted, 1);
    assert_int_equal(fake.resets_module, 0);

    fake_console_clear();
    hm_set_module_action(BH_CFG_MODULE_RESET);
    assert_int_equal(module_error("boom"), 3);
    assert_string_equal(fake_console(), "(bulkhead) module error: boom -> RESET\n");
    assert_int_equal(fake.resets_module, 1);
    assert_int_equal(fake.halted, 1);

    /* Any other value is the safe one: halt. */
    fake_console_clear();
    hm_set_module_action(7);
    assert_int_equal(module_error("x"), 1);
    assert_string_equal(fake_console(), "(bulkhead) module error: x -> HALT\n");
    assert_int_equal(fake.halted, 2);
}

/* Verifies: LLR-HM-003 (names of errors and actions; "?" out of range) */
static void test_names(void **state)
{
    (void)state;
    assert_string_equal(hm_error_name(HM_ERR_STAGE2), "stage-2 violation");
    assert_string_equal(hm_error_name(HM_ERR_CRASH), "crash");
    assert_string_equal(hm_error_name(HM_NUM_ERRORS), "?");
    assert_string_equal(hm_error_name(UINT32_MAX), "?");
    assert_string_equal(hm_action_name(HM_IDLE), "IDLE");
    assert_string_equal(hm_action_name(HM_COLD_RESTART), "COLD_RESTART");
    assert_string_equal(hm_action_name(HM_NUM_ACTIONS), "?");
    assert_string_equal(hm_action_name(UINT32_MAX), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_decide_table, setup),
        cmocka_unit_test_setup(test_decide_out_of_range, setup),
        cmocka_unit_test_setup(test_raise_idle, setup),
        cmocka_unit_test_setup(test_raise_ignore, setup),
        cmocka_unit_test_setup(test_raise_restart, setup),
        cmocka_unit_test_setup(test_shutdown, setup),
        cmocka_unit_test_setup(test_log_read, setup),
        cmocka_unit_test_setup(test_log_wrap, setup),
        cmocka_unit_test_setup(test_log_fold, setup),
        cmocka_unit_test_setup(test_fault, setup),
        cmocka_unit_test_setup(test_module_error, setup),
        cmocka_unit_test_setup(test_names, setup),
    };
    return cmocka_run_group_tests_name("hm", tests, NULL, NULL);
}
