/* Unit tests of hyp/core/hcall_bh.c (Bulkhead's own hypercalls) and of the
 * health-monitor flag of hcall_dispatch (hyp/core/hcall.c). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "blob_fixture.h"
#include "console.h"
#include "fake_arch.h"
#include "hcall.h"
#include "hm.h"
#include "part.h"
#include "sched.h"

#define RAM_SIZE 0x4000u
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define END0 (GPA0 + RAM_SIZE)
#define END1 (GPA1 + RAM_SIZE)
#define IMG_SIZE 16u
#define TPS 1000000u
#define EV_SIZE ((uint64_t)sizeof(struct hm_event))

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * 64u];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static uint8_t ram_before[2][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint64_t gpa, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa, ram[i], RAM_SIZE, nv);
}

static void win(struct bh_cfg_sched *s, uint32_t cpu, uint32_t part, uint32_t vcpu, uint32_t off,
                uint32_t dur)
{
    struct bh_cfg_window *w = &s->windows[s->num_windows];
    w->cpu = (uint8_t)cpu;
    w->part = (uint8_t)part;
    w->vcpu = (uint8_t)vcpu;
    w->offset_us = off;
    w->duration_us = dur;
    s->num_windows++;
}

/* sys: system partition, vCPUs on CPUs 0 and 1 (gids 0, 1); app: one vCPU
 * on CPU 0 (gid 2), hypercall misuse raised to the health monitor, which
 * ignores it. Two schedules of 10 ms and 20 ms. */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), 2);
    hm_init();
    memset(ram, 0xAA, sizeof(ram));
    blob.cfg.num_cpus = 2;
    fill_part(0, "sys", GPA0, 2);
    fill_part(1, "app", GPA1, 1);
    blob.cfg.parts[0].flags = BH_CFG_PART_F_SYSTEM;
    blob.cfg.parts[1].flags = BH_CFG_PART_F_HM_HCALL;
    blob.cfg.parts[1].hm_action[HM_ERR_HCALL] = HM_IGNORE;
    blob.cfg.parts[1].hm_action[HM_ERR_REPORTED] = HM_IGNORE;
    blob.cfg.num_scheds = 2;
    blob.cfg.scheds[0].major_frame_us = 10000;
    win(&blob.cfg.scheds[0], 0, 0, 0, 0, 5000);
    win(&blob.cfg.scheds[0], 0, 1, 0, 5000, 5000);
    win(&blob.cfg.scheds[0], 1, 0, 1, 0, 10000);
    blob.cfg.scheds[1].major_frame_us = 20000;
    win(&blob.cfg.scheds[1], 0, 1, 0, 0, 20000);
    win(&blob.cfg.scheds[1], 1, 0, 1, 0, 20000);
    part_build_all(&blob.cfg);
    sched_init(&blob.cfg, TPS, 0);
    memcpy(ram_before, ram, sizeof(ram));
    fake_console_clear();
    return 0;
}

static int64_t call(uint32_t gid, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t args[5] = {a0, a1, a2, 0x1111, 0x2222};
    return hcall_dispatch(&vcpu_table[gid], nr, args);
}

static uint8_t *at(uint64_t gpa)
{
    return (gpa >= GPA1) ? &ram[1][gpa - GPA1] : &ram[0][gpa - GPA0];
}

static void assert_ram_unchanged(void)
{
    assert_memory_equal(ram, ram_before, sizeof(ram));
}

static uint32_t log_count(void)
{
    static struct hm_event ev[BH_HM_LOG_READ_MAX];
    return hm_log_read(ev, BH_HM_LOG_READ_MAX, 0);
}

/* Verifies: LLR-HC-010 (BH_HC_SCHED_GET writes the status, for any caller,
 * at any in-RAM address; -EFAULT otherwise) */
static void test_sched_get(void **state)
{
    (void)state;
    fake.now = 12345;
    uint64_t ptr = GPA0 + 0x101u; /* unaligned */
    assert_int_equal(call(0, BH_HC_SCHED_GET, ptr, 0, 0), 0);
    struct sched_status st;
    memcpy(&st, at(ptr), sizeof(st));
    assert_int_equal(st.current, 0);
    assert_int_equal(st.next, 0);
    assert_int_equal(st.frames, 2);
    assert_int_equal(st.frame_start, 10000);
    assert_int_equal(*at(ptr + sizeof(st)), 0xAA);

    ptr = END1 - sizeof(st);
    assert_int_equal(call(2, BH_HC_SCHED_GET, ptr, 0, 0), 0);
    memcpy(&st, at(ptr), sizeof(st));
    assert_int_equal(st.frames, 2);

    memcpy(ram_before, ram, sizeof(ram));
    static const uint64_t bad[] = {END0 - sizeof(st) + 1u, END0, GPA0 - 1u, GPA1, UINT64_MAX - 3u};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(call(0, BH_HC_SCHED_GET, bad[i], 0, 0), -XEN_EFAULT);
    }
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-011 (BH_HC_SCHED_SWITCH: the system partition requests a
 * schedule, an unknown one is -EINVAL, any other caller gets -EPERM) */
static void test_sched_switch(void **state)
{
    (void)state;
    fake.now = 2500;
    assert_int_equal(call(1, BH_HC_SCHED_SWITCH, 1, 0, 0), 0);
    struct sched_status st;
    sched_get_status(2500, &st);
    assert_int_equal(st.current, 0);
    assert_int_equal(st.next, 1);
    /* The id is the low 32 bits of x0. */
    assert_int_equal(call(0, BH_HC_SCHED_SWITCH, (1ull << 32) | 0u, 0, 0), 0);
    sched_get_status(2500, &st);
    assert_int_equal(st.next, 0);
    assert_int_equal(call(0, BH_HC_SCHED_SWITCH, 2, 0, 0), -XEN_EINVAL);
    assert_int_equal(call(0, BH_HC_SCHED_SWITCH, BH_SELF, 0, 0), -XEN_EINVAL);

    /* app is not the system partition; it is flagged, so this is also an
     * HM error (ignored by its table). */
    assert_int_equal(call(2, BH_HC_SCHED_SWITCH, 1, 0, 0), -XEN_EPERM);
    sched_get_status(2500, &st);
    assert_int_equal(st.next, 0);
}

/* Verifies: LLR-HC-009 (BH_HC_MODE_GET and BH_HC_MODE_SET: BH_SELF names
 * the caller; the rules and errors are part_get_mode's and part_set_mode's) */
static void test_mode(void **state)
{
    (void)state;
    assert_int_equal(call(2, BH_HC_MODE_GET, BH_SELF, 0, 0), PART_MODE_COLD_START);
    assert_int_equal(call(2, BH_HC_MODE_GET, 1, 0, 0), PART_MODE_COLD_START);
    assert_int_equal(call(2, BH_HC_MODE_GET, 0, 0, 0), -XEN_EPERM);
    assert_int_equal(call(2, BH_HC_MODE_GET, 2, 0, 0), -XEN_EINVAL);
    assert_int_equal(call(2, BH_HC_MODE_SET, BH_SELF, PART_MODE_NORMAL, 0), 0);
    assert_int_equal(part_table[1].mode, PART_MODE_NORMAL);
    assert_int_equal(call(0, BH_HC_MODE_GET, 1, 0, 0), PART_MODE_NORMAL);
    assert_int_equal(call(1, BH_HC_MODE_GET, BH_SELF, 0, 0), PART_MODE_COLD_START);
    assert_int_equal(call(2, BH_HC_MODE_SET, 0, PART_MODE_IDLE, 0), -XEN_EPERM);
    assert_int_equal(call(2, BH_HC_MODE_SET, BH_SELF, 7, 0), -XEN_EINVAL);
    assert_int_equal(call(2, BH_HC_MODE_SET, 5, PART_MODE_NORMAL, 0), -XEN_EINVAL);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    /* The system partition sets another's mode. */
    assert_int_equal(call(0, BH_HC_MODE_SET, 1, PART_MODE_IDLE, 0), 0);
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(call(0, BH_HC_MODE_GET, 1, 0, 0), PART_MODE_IDLE);
}

/* Verifies: LLR-HC-009 (BH_HC_HM_REPORT raises "reported error" with the
 * code as detail and returns 0) */
static void test_hm_report(void **state)
{
    (void)state;
    fake.now = 77;
    assert_int_equal(call(2, BH_HC_HM_REPORT, 0xC0DE, 0, 0), 0);
    assert_string_equal(
        fake_console(), "(bulkhead) partition app vcpu 0 health monitor: reported error -> IGNORE\n");
    struct hm_event ev;
    assert_int_equal(hm_log_read(&ev, 1, 0), 1);
    assert_int_equal(ev.error, HM_ERR_REPORTED);
    assert_int_equal(ev.detail, 0xC0DE);
    assert_int_equal(ev.part, 1);
    assert_int_equal(ev.time, 77);
    /* sys's table says IDLE: reporting stops it, yet the call returns 0. */
    fake_console_clear();
    assert_int_equal(call(1, BH_HC_HM_REPORT, 1, 0, 0), 0);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition sys vcpu 1 health monitor: reported error -> IDLE\n"
                        "(bulkhead) partition sys stopped: reported error\n");
    assert_int_equal(part_table[0].state, PART_STOPPED);
}

/* Verifies: LLR-HC-012 (BH_HC_HM_LOG_READ copies up to max (at most
 * BH_HM_LOG_READ_MAX) events from a sequence number for the system
 * partition; the whole buffer must be in its RAM; others get -EPERM) */
static void test_hm_log_read(void **state)
{
    (void)state;
    for (uint64_t k = 1; k <= 3u; k++) {
        assert_int_equal(call(2, BH_HC_HM_REPORT, k, 0, 0), 0);
    }
    uint64_t ptr = GPA0 + 0x203u;
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, ptr, 8, 0), 3);
    struct hm_event ev[3];
    memcpy(ev, at(ptr), sizeof(ev));
    for (uint32_t k = 0; k < 3u; k++) {
        assert_int_equal(ev[k].seq, k + 1u);
        assert_int_equal(ev[k].detail, k + 1u);
        assert_int_equal(ev[k].part, 1);
    }
    assert_int_equal(*at(ptr + 3u * EV_SIZE), 0xAA);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, ptr, 8, 3), 1);
    memcpy(ev, at(ptr), EV_SIZE);
    assert_int_equal(ev[0].seq, 3);
    assert_int_equal(call(1, BH_HC_HM_LOG_READ, END0 - 2u * EV_SIZE, 2, 2), 2);
    memcpy(ev, at(END0 - 2u * EV_SIZE), 2u * EV_SIZE);
    assert_int_equal(ev[0].seq, 2);
    assert_int_equal(ev[1].seq, 3);
    /* A max above BH_HM_LOG_READ_MAX asks for that many entries' room. */
    uint64_t room = BH_HM_LOG_READ_MAX * EV_SIZE;
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, END0 - room, 1000, 0), 3);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, END0, 0, 0), 0);

    memcpy(ram_before, ram, sizeof(ram));
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, END0 - room + 1u, 1000, 0), -XEN_EFAULT);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, END0 - 2u * EV_SIZE + 1u, 2, 0), -XEN_EFAULT);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, GPA0 - 1u, 1, 0), -XEN_EFAULT);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, GPA1, 1, 0), -XEN_EFAULT);
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, GPA0, UINT64_MAX, 0), 3);
    memcpy(ram_before, ram, sizeof(ram));
    assert_int_equal(call(2, BH_HC_HM_LOG_READ, GPA1, 8, 0), -XEN_EPERM);
    assert_ram_unchanged();
    /* The buffer checked, then unmapped by another vCPU before the copy:
     * -EFAULT, nothing written. */
    fake.xlate_count = 0;
    fake.xlate_fail_after = 1;
    assert_int_equal(call(0, BH_HC_HM_LOG_READ, GPA0 + 0x10u, 1, 0), -XEN_EFAULT);
    fake.xlate_fail_after = 0;
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-014 (BH_HC_IRQ_TIME writes the calling vCPU's own
 * interrupt account, for any caller; -EFAULT outside its RAM, nothing
 * written) */
static void test_irq_time(void **state)
{
    (void)state;
    vcpu_table[0].irq_entries = 3;
    vcpu_table[0].irq_ticks = 1234;
    vcpu_table[2].irq_entries = 7;
    vcpu_table[2].irq_ticks = 99;
    struct irq_time t;
    assert_int_equal(call(2, BH_HC_IRQ_TIME, END1 - sizeof(t), 0, 0), 0);
    memcpy(&t, at(END1 - sizeof(t)), sizeof(t));
    assert_int_equal(t.entries, 7);
    assert_int_equal(t.ticks, 99);
    assert_int_equal(call(0, BH_HC_IRQ_TIME, GPA0, 0, 0), 0);
    memcpy(&t, at(GPA0), sizeof(t));
    assert_int_equal(t.entries, 3);
    assert_int_equal(t.ticks, 1234);
    memcpy(ram_before, ram, sizeof(ram));
    assert_int_equal(call(2, BH_HC_IRQ_TIME, END1 - 8u, 0, 0), -XEN_EFAULT);
    assert_int_equal(call(2, BH_HC_IRQ_TIME, GPA0, 0, 0), -XEN_EFAULT);
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-009 (BH_HC_PART_ID returns the caller's partition id) */
static void test_part_id(void **state)
{
    (void)state;
    assert_int_equal(call(0, BH_HC_PART_ID, 0, 0, 0), 0);
    assert_int_equal(call(1, BH_HC_PART_ID, 0, 0, 0), 0);
    assert_int_equal(call(2, BH_HC_PART_ID, 0, 0, 0), 1);
}

/* Verifies: LLR-HC-009, LLR-HC-001 (numbers in and around Bulkhead's range
 * that name no hypercall give -ENOSYS) */
static void test_unknown(void **state)
{
    (void)state;
    static const uint64_t nr[] = {BH_HC_LAST + 1u, BH_HC_FIRST - 1u, 0x1FF,
                                  (1ull << 32) | BH_HC_PART_ID, UINT64_MAX};
    for (size_t i = 0; i < sizeof(nr) / sizeof(nr[0]); i++) {
        assert_int_equal(call(0, nr[i], GPA0, 0, 0), -XEN_ENOSYS);
    }
    assert_ram_unchanged();
    assert_string_equal(fake_console(), "");
    assert_int_equal(log_count(), 0);
}

/* Verifies: LLR-HC-013 (a partition flagged BH_CFG_PART_F_HM_HCALL has each
 * -EPERM and -ENOSYS answer raised as an illegal-hypercall HM error with the
 * number as detail; other answers and unflagged partitions are not) */
static void test_hm_flag(void **state)
{
    (void)state;
    /* Flagged: refused and unknown calls are raised. */
    assert_int_equal(call(2, BH_HC_HM_LOG_READ, GPA1, 1, 0), -XEN_EPERM);
    assert_int_equal(call(2, 0x1FF, 0, 0, 0), -XEN_ENOSYS);
    assert_int_equal(call(2, XEN_HC_XEN_VERSION, 99, 0, 0), -XEN_ENOSYS);
    static struct hm_event ev[4];
    assert_int_equal(hm_log_read(ev, 4, 0), 3);
    assert_int_equal(ev[0].error, HM_ERR_HCALL);
    assert_int_equal(ev[0].detail, BH_HC_HM_LOG_READ);
    assert_int_equal(ev[0].action, HM_IGNORE);
    assert_int_equal(ev[1].detail, 0x1FF);
    assert_int_equal(ev[2].detail, XEN_HC_XEN_VERSION);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition app vcpu 0 health monitor: illegal hypercall -> "
                        "IGNORE\n(bulkhead) partition app vcpu 0 health monitor: illegal "
                        "hypercall -> IGNORE\n(bulkhead) partition app vcpu 0 health monitor: "
                        "illegal hypercall -> IGNORE\n");
    /* Flagged, but success, -EINVAL or -EFAULT: nothing raised. */
    assert_int_equal(call(2, BH_HC_PART_ID, 0, 0, 0), 1);
    assert_int_equal(call(2, BH_HC_MODE_SET, BH_SELF, 9, 0), -XEN_EINVAL);
    assert_int_equal(call(2, BH_HC_SCHED_GET, 0, 0, 0), -XEN_EFAULT);
    assert_int_equal(log_count(), 3);
    /* Not flagged (sys), or no configuration at all: never raised. */
    assert_int_equal(call(0, 0x1FF, 0, 0, 0), -XEN_ENOSYS);
    assert_int_equal(call(0, BH_HC_MODE_GET, 7, 0, 0), -XEN_EINVAL);
    const struct bh_cfg_part *saved = part_table[1].cfg;
    part_table[1].cfg = NULL;
    assert_int_equal(call(2, 0x1FF, 0, 0, 0), -XEN_ENOSYS);
    part_table[1].cfg = saved;
    assert_int_equal(log_count(), 3);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_table[1].state, PART_RUNNING);
}

/* Verifies: LLR-HC-013 (with the table's IDLE, an illegal hypercall stops
 * the caller's partition, and the call still returns its error) */
static void test_hm_flag_idle(void **state)
{
    (void)state;
    blob.cfg.parts[1].hm_action[HM_ERR_HCALL] = HM_IDLE;
    assert_int_equal(call(2, BH_HC_SCHED_SWITCH, 0, 0, 0), -XEN_EPERM);
    assert_string_equal(
        fake_console(), "(bulkhead) partition app vcpu 0 health monitor: illegal hypercall -> IDLE\n"
                      "(bulkhead) partition app stopped: illegal hypercall\n");
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(part_table[0].state, PART_RUNNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sched_get, setup),
        cmocka_unit_test_setup(test_sched_switch, setup),
        cmocka_unit_test_setup(test_mode, setup),
        cmocka_unit_test_setup(test_hm_report, setup),
        cmocka_unit_test_setup(test_hm_log_read, setup),
        cmocka_unit_test_setup(test_part_id, setup),
        cmocka_unit_test_setup(test_irq_time, setup),
        cmocka_unit_test_setup(test_unknown, setup),
        cmocka_unit_test_setup(test_hm_flag, setup),
        cmocka_unit_test_setup(test_hm_flag_idle, setup),
    };
    return cmocka_run_group_tests_name("hcall_bh", tests, NULL, NULL);
}
