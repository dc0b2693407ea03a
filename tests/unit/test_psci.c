/* Unit tests of hyp/core/psci.c (PSCI 1.0 / SMCCC 1.1 through HVC #0). */
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
#include "part.h"
#include "psci.h"
#include "hm.h"
#include "sched.h"

#define RAM_SIZE 0x4000u
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define END0 (GPA0 + RAM_SIZE)
#define IMG_SIZE 16u
#define DTB_GPA (GPA0 + 0x2000u)

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * 64u];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint64_t gpa, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa, ram[i], RAM_SIZE, nv);
    if (nv > 2u) {
        blob.cfg.parts[i].vcpu_cpu[2] = 0u; /* vCPU 2 shares CPU 0 */
    }
    memset(&blob.bytes[FX_SLOT(i)], 0x3C, FX_SLOT_SIZE);
}

/* p0: three vCPUs (CPUs 0, 1, 0); p1: one vCPU on CPU 0 (gid 3). */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), 2);
    memset(ram, 0, sizeof(ram));
    fill_part(0, "p0", GPA0, 3);
    fill_part(1, "p1", GPA1, 1);
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    uint64_t next;
    (void)sched_pick(0, 0, &next);
    (void)sched_pick(1, 0, &next);
    fake.kicks = 0;
    fake.resets = 0;
    fake_console_clear();
    return 0;
}

static int64_t call(uint32_t gid, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    const uint64_t args[4] = {fn, a1, a2, a3};
    return psci_call(&vcpu_table[gid], args);
}

/* Verifies: LLR-PSCI-001 (versions, MIGRATE_INFO_TYPE; function IDs by their
 * low 32 bits; unknown functions and SMCCC_ARCH_FEATURES NOT_SUPPORTED) */
static void test_versions_unknown(void **state)
{
    (void)state;
    assert_int_equal(call(0, PSCI_FN_VERSION, 0, 0, 0), 0x10000);
    assert_int_equal(call(0, (0xFFull << 32) | PSCI_FN_VERSION, 0, 0, 0), 0x10000);
    assert_int_equal(call(0, SMCCC_FN_VERSION, 0, 0, 0), 0x10001);
    assert_int_equal(call(0, PSCI_FN_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    static const uint64_t unknown[] = {
        SMCCC_FN_ARCH_FEATURES, PSCI_FN_CPU_SUSPEND, 0xC4000001u, 0x84000005u, 0x84000007u,
        0x8400000Bu, 0xC4000012u, 0, 0xFFFFFFFFu, 0x82000000u};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        assert_int_equal(call(0, unknown[i], 0x80008000u, 0, 0), PSCI_NOT_SUPPORTED);
    }
    assert_int_equal(fake.resets, 0);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-PSCI-002 (PSCI_FEATURES: 0 for each function offered, NOT_SUPPORTED
 * for others, the queried ID by its low 32 bits) */
static void test_features(void **state)
{
    (void)state;
    static const uint32_t offered[] = {
        PSCI_FN_VERSION,       PSCI_FN_CPU_OFF,          PSCI_FN_CPU_ON,
        PSCI_FN64_CPU_ON,      PSCI_FN_AFFINITY_INFO,    PSCI_FN64_AFFINITY_INFO,
        PSCI_FN_MIGRATE_INFO_TYPE, PSCI_FN_SYSTEM_OFF,   PSCI_FN_SYSTEM_RESET,
        PSCI_FN_FEATURES,      SMCCC_FN_VERSION};
    for (size_t i = 0; i < sizeof(offered) / sizeof(offered[0]); i++) {
        assert_int_equal(call(0, PSCI_FN_FEATURES, offered[i], 0, 0), 0);
    }
    assert_int_equal(call(0, PSCI_FN_FEATURES, (1ull << 32) | PSCI_FN_VERSION, 0, 0), 0);
    static const uint32_t refused[] = {PSCI_FN_CPU_SUSPEND, SMCCC_FN_ARCH_FEATURES, 0x80008000u,
                                       0xC4000001u, 0};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(call(0, PSCI_FN_FEATURES, refused[i], 0, 0), PSCI_NOT_SUPPORTED);
    }
}

/* Verifies: LLR-PSCI-003 (CPU_ON starts an off vCPU of the caller's partition
 * at entry with x0 = context, makes it runnable and kicks a remote CPU) */
static void test_cpu_on(void **state)
{
    (void)state;
    vcpu_table[1].vtimer.ctl = 5;
    vcpu_table[1].in_window = true;
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0 + 0x100u, 0x1234567890ull), PSCI_SUCCESS);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[1].vtimer.ctl, 0);
    assert_int_equal(fake.resets, 1);
    assert_int_equal(fake.reset_entry[1], GPA0 + 0x100u);
    assert_int_equal(fake.reset_arg0[1], 0x1234567890ull);
    assert_int_equal(fake.kicks, 1u << 1);
    assert_true(sched_need_pick(1));

    /* The same CPU as the caller: no kick. 32-bit call: arguments truncated. */
    fake.kicks = 0;
    assert_int_equal(call(0, PSCI_FN_CPU_ON, (1ull << 32) | 2u, (1ull << 40) | (GPA0 + 8u),
                          (7ull << 32) | 9u),
                     PSCI_SUCCESS);
    assert_int_equal(vcpu_table[2].state, VCPU_RUNNABLE);
    assert_int_equal(fake.reset_entry[2], GPA0 + 8u);
    assert_int_equal(fake.reset_arg0[2], 9u);
    assert_int_equal(fake.kicks, 0);
    assert_true(sched_need_pick(0));

    /* Running vCPUs are ALREADY_ON. */
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 0, GPA0, 0), PSCI_ALREADY_ON);
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0, 0), PSCI_ALREADY_ON);
    assert_int_equal(fake.resets, 2);
}

/* Verifies: LLR-PSCI-003 (a remote vCPU outside its window is started
 * without a kick: its CPU runs another partition; it starts with its window) */
static void test_cpu_on_outside_window(void **state)
{
    (void)state;
    vcpu_table[1].in_window = false;
    fake.kicks = 0;
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0 + 0x100u, 0), PSCI_SUCCESS);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(fake.kicks, 0);
    assert_true(sched_need_pick(1));
}

/* Verifies: LLR-PSCI-003 (errors: unknown target INVALID_PARAMETERS, entry
 * unaligned or outside RAM INVALID_ADDRESS, a stopped partition ALREADY_ON;
 * no vCPU touched) */
static void test_cpu_on_errors(void **state)
{
    (void)state;
    static const uint64_t bad_target[] = {3, 4, 0x100, 0x80000001u, 1ull << 32, UINT64_MAX};
    for (size_t i = 0; i < sizeof(bad_target) / sizeof(bad_target[0]); i++) {
        assert_int_equal(call(0, PSCI_FN64_CPU_ON, bad_target[i], GPA0, 0),
                         PSCI_INVALID_PARAMETERS);
    }
    /* The only vCPU of p1 exists for p1, but p0 has vCPU 0 only as its own. */
    assert_int_equal(call(3, PSCI_FN64_CPU_ON, 1, GPA1, 0), PSCI_INVALID_PARAMETERS);
    static const uint64_t bad_entry[] = {GPA0 + 2u, GPA0 - 4u, END0, END0 - 2u, GPA1, UINT64_MAX - 3u};
    for (size_t i = 0; i < sizeof(bad_entry) / sizeof(bad_entry[0]); i++) {
        assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, bad_entry[i], 0), PSCI_INVALID_ADDRESS);
    }
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, END0 - 4u, 0), PSCI_SUCCESS);
    assert_int_equal(fake.resets, 1);

    /* vCPU 2 of a stopped partition stays off: the caller's partition is
     * not running, so the call is refused (LLR-PART-010). */
    part_table[0].state = PART_STOPPED;
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 2, GPA0, 0), PSCI_DENIED);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(fake.resets, 1);
}

/* Verifies: LLR-PSCI-004 (AFFINITY_INFO: ON/OFF at level 0, INVALID_PARAMETERS
 * for another level or an unknown vCPU; 32-bit arguments truncated) */
static void test_affinity_info(void **state)
{
    (void)state;
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 0, 0, 0), PSCI_AFFINITY_ON);
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 1, 0, 0), PSCI_AFFINITY_OFF);
    vcpu_table[1].state = VCPU_BLOCKED;
    assert_int_equal(call(0, PSCI_FN_AFFINITY_INFO, (1ull << 32) | 1u, 1ull << 32, 0),
                     PSCI_AFFINITY_ON);
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 3, 0, 0), PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 0, 1, 0), PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 1ull << 32, 0, 0), PSCI_INVALID_PARAMETERS);
}

/* Verifies: LLR-PSCI-005 (CPU_OFF turns the caller off and its CPU chooses
 * again; CPU_ON starts it again) */
static void test_cpu_off(void **state)
{
    (void)state;
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0, 0), PSCI_SUCCESS);
    uint64_t next;
    (void)sched_pick(1, 0, &next);
    assert_false(sched_need_pick(1));
    assert_int_equal(call(1, PSCI_FN_CPU_OFF, 0, 0, 0), PSCI_SUCCESS);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_true(sched_need_pick(1));
    assert_int_equal(call(0, PSCI_FN64_AFFINITY_INFO, 1, 0, 0), PSCI_AFFINITY_OFF);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0 + 4u, 0), PSCI_SUCCESS);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-PSCI-006 (SYSTEM_OFF stops only the caller's partition) */
static void test_system_off(void **state)
{
    (void)state;
    assert_int_equal(call(0, PSCI_FN_SYSTEM_OFF, 0, 0, 0), PSCI_SUCCESS);
    fx_restart_finish(&part_table[0]);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition p0 stopped: poweroff (PSCI SYSTEM_OFF)\n");
    assert_int_equal(part_table[0].state, PART_STOPPED);
    assert_int_equal(vcpu_table[0].state, VCPU_OFF);
    assert_int_equal(part_table[1].state, PART_RUNNING);
    assert_int_equal(vcpu_table[3].state, VCPU_RUNNABLE);
    assert_int_equal(fake.system_off, 0);
}

/* Verifies: LLR-PSCI-006, LLR-HM-007 (SYSTEM_OFF of a partition whose
 * table restarts it on shutdown: restarted, vCPU 0 gets the DTB address) */
static void test_system_off_restart(void **state)
{
    (void)state;
    blob.cfg.parts[0].hm_action[HM_ERR_SHUTDOWN] = HM_WARM_RESTART;
    blob.cfg.parts[0].restart_limit = 1;
    assert_int_equal(call(0, PSCI_FN_SYSTEM_OFF, 0, 0, 0), (int64_t)(GPA0 + 0x2000u));
    fx_restart_finish(&part_table[0]);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_table[0].mode, PART_MODE_WARM_START);
    blob.cfg.parts[0].hm_action[HM_ERR_SHUTDOWN] = 0;
    blob.cfg.parts[0].restart_limit = 0;
}

/* Verifies: LLR-PSCI-006 (SYSTEM_RESET restarts the caller's partition cold:
 * image reloaded, vCPU 0 at the entry, the others off; vCPU 0 gets the
 * device-tree address, another caller 0) */
static void test_system_reset(void **state)
{
    (void)state;
    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0, 0), PSCI_SUCCESS);
    memset(ram[0], 0, IMG_SIZE);
    assert_int_equal(call(0, PSCI_FN_SYSTEM_RESET, 0, 0, 0), (int64_t)DTB_GPA);
    fx_restart_finish(&part_table[0]);
    assert_string_equal(fake_console(), "(bulkhead) partition p0 restarting (cold)\n");
    assert_int_equal(ram[0][0], 0x3C);
    assert_int_equal(part_table[0].mode, PART_MODE_COLD_START);
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(fake.reset_arg0[0], DTB_GPA);
    assert_int_equal(part_table[1].state, PART_RUNNING);

    assert_int_equal(call(0, PSCI_FN64_CPU_ON, 1, GPA0, 0), PSCI_SUCCESS);
    assert_int_equal(call(1, PSCI_FN_SYSTEM_RESET, 0, 0, 0), 0);
    fx_restart_finish(&part_table[0]);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_versions_unknown, setup),
        cmocka_unit_test_setup(test_features, setup),
        cmocka_unit_test_setup(test_cpu_on, setup),
        cmocka_unit_test_setup(test_cpu_on_outside_window, setup),
        cmocka_unit_test_setup(test_cpu_on_errors, setup),
        cmocka_unit_test_setup(test_affinity_info, setup),
        cmocka_unit_test_setup(test_cpu_off, setup),
        cmocka_unit_test_setup(test_system_off, setup),
        cmocka_unit_test_setup(test_system_off_restart, setup),
        cmocka_unit_test_setup(test_system_reset, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
