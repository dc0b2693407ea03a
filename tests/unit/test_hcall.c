/* Unit tests of hyp/core/hcall.c (Xen hypercall subset). */
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
#define IMG_SIZE 16u

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * 64u];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static uint8_t ram_before[RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint64_t gpa, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa, ram[i], RAM_SIZE, nv);
    memset(&blob.bytes[FX_SLOT(i)], 0x3C, FX_SLOT_SIZE);
}

/* g0: vCPUs on CPUs 0 and 1; g1: one vCPU on CPU 0. */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), 2);
    memset(ram, 0xAA, sizeof(ram));
    fill_part(0, "g0", GPA0, 2);
    fill_part(1, "g1", GPA1, 1);
    part_build_all(&blob.cfg);
    vcpu_table[1].state = VCPU_RUNNABLE;
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    uint64_t next;
    (void)sched_pick(0, 0, &next);
    (void)sched_pick(1, 0, &next);
    memcpy(ram_before, ram[0], RAM_SIZE);
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
    return &ram[0][gpa - GPA0];
}

static void assert_ram_unchanged(void)
{
    assert_memory_equal(ram[0], ram_before, RAM_SIZE);
}

/* Verifies: LLR-HC-001 (unknown numbers and sub-operations give -ENOSYS) */
static void test_unknown(void **state)
{
    (void)state;
    static const uint64_t nr[] = {
        0, 1, 16, 19, 40, UINT64_MAX, (1ull << 32) | XEN_HC_XEN_VERSION};
    for (size_t i = 0; i < sizeof(nr) / sizeof(nr[0]); i++) {
        assert_int_equal(call(0, nr[i], 0, GPA0, 0), -XEN_ENOSYS);
    }
    static const uint64_t ver_op[] = {2, 3, 4, 5, 8, 16, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(ver_op) / sizeof(ver_op[0]); i++) {
        assert_int_equal(call(0, XEN_HC_XEN_VERSION, ver_op[i], GPA0, 0), -XEN_ENOSYS);
    }
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, 2, 1, GPA0), -XEN_ENOSYS);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, 0xFFFFFFFFu, 1, GPA0), -XEN_ENOSYS);
    assert_int_equal(call(0, XEN_HC_SCHED_OP, 3, GPA0, 0), -XEN_ENOSYS);
    assert_int_equal(call(0, XEN_HC_SCHED_OP, 0xFFFFFFFFu, GPA0, 0), -XEN_ENOSYS);
    assert_ram_unchanged();
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-HC-001 (event_channel_op is routed to the event channels:
 * an operation they do not offer gives their -ENOSYS, a bad argument
 * pointer their -EFAULT) */
static void test_event_channel_op(void **state)
{
    (void)state;
    assert_int_equal(call(0, XEN_HC_EVENT_CHANNEL_OP, 2, GPA0, 0), -XEN_ENOSYS);
    assert_int_equal(call(0, XEN_HC_EVENT_CHANNEL_OP, 4, END0, 0), -XEN_EFAULT);
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-002 (XENVER_version reports 4.17, XENVER_pagesize 4096; the sub-op is the low
 * 32 bits of x0) */
static void test_version(void **state)
{
    (void)state;
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_VERSION, 0, 0), 0x40011);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_PAGESIZE, 0, 0), 4096);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, 1ull << 32, 0, 0), 0x40011);
}

/* Verifies: LLR-HC-003 (extra version written NUL padded at any in-RAM
 * address, -EFAULT for any range not wholly in the caller's RAM) */
static void test_extraversion(void **state)
{
    (void)state;
    static const char want[16] = "-bulkhead";
    static const uint64_t ok[] = {GPA0, GPA0 + 0x103u, END0 - 16u};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_EXTRAVERSION, ok[i], 0), 0);
        assert_memory_equal(at(ok[i]), want, 16);
    }
    assert_int_equal(*at(GPA0 + 0x103u + 16u), 0xAA);
    assert_int_equal(*at(GPA0 + 0x102u), 0xAA);

    memcpy(ram_before, ram[0], RAM_SIZE);
    static const uint64_t bad[] = {END0 - 15u, END0, GPA0 - 1u, 0, UINT64_MAX - 7u, GPA1};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_EXTRAVERSION, bad[i], 0), -XEN_EFAULT);
    }
    assert_ram_unchanged();
    assert_int_equal(ram[1][0], 0x3C); /* g1's RAM: its image, untouched */
}

/* Verifies: LLR-HC-004 (feature submap 0 written after the index; other
 * indices -EINVAL; bad pointers -EFAULT) */
static void test_get_features(void **state)
{
    (void)state;
    static const uint8_t want[8] = {0, 0, 0, 0, 0x05, 0, 0, 0};
    uint64_t info = GPA0 + 0x201u; /* unaligned */
    memset(at(info), 0, 4);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, info, 0), 0);
    assert_memory_equal(at(info), want, 8);
    assert_int_equal(*at(info + 8u), 0xAA);

    info = END0 - 8u;
    memset(at(info), 0, 4);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, info, 0), 0);
    assert_memory_equal(at(info), want, 8);

    static const uint8_t idx1[4] = {1, 0, 0, 0};
    memcpy(at(GPA0), idx1, 4);
    memset(at(GPA0 + 4u), 0xEE, 4);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, GPA0, 0), -XEN_EINVAL);
    memset(at(GPA0), 0xFF, 4);
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, GPA0, 0), -XEN_EINVAL);
    assert_int_equal(*at(GPA0 + 4u), 0xEE);

    memcpy(ram_before, ram[0], RAM_SIZE);
    static const uint64_t bad[] = {END0 - 7u, END0 - 4u, END0, GPA0 - 4u, UINT64_MAX - 3u};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, bad[i], 0), -XEN_EFAULT);
    }
    assert_ram_unchanged();
    /* read, then unmapped by another vCPU before the answer is written */
    memset(at(GPA0), 0, 4);
    memcpy(ram_before, ram[0], RAM_SIZE);
    fake.xlate_count = 0;
    fake.xlate_fail_after = 1;
    assert_int_equal(call(0, XEN_HC_XEN_VERSION, XENVER_GET_FEATURES, GPA0, 0), -XEN_EFAULT);
    fake.xlate_fail_after = 0;
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-005 (console write of the caller's buffer, 32-bit count,
 * whole range checked, at RAM edges and unaligned) */
static void test_console_write(void **state)
{
    (void)state;
    memcpy(at(GPA0 + 0x301u), "hello\n", 6);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 6, GPA0 + 0x301u), 0);
    assert_string_equal(fake_console(), "[g0] hello\n");

    fake_console_clear();
    memcpy(at(END0 - 3u), "ab\n", 3);
    /* Upper 32 bits of the count are not part of Xen's ABI. */
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, (7ull << 32) | 3u, END0 - 3u), 0);
    assert_string_equal(fake_console(), "[g0] ab\n");

    fake_console_clear();
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 0, END0), 0);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 0, GPA0), 0);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-HC-005 (ranges partly or wholly outside the caller's RAM,
 * or wrapping around, give -EFAULT and print nothing) */
static void test_console_write_bad(void **state)
{
    (void)state;
    memset(at(END0 - 4u), 'z', 4);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 5, END0 - 4u), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 0xFFFFFFFFu, END0 - 4u),
                     -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 4, UINT64_MAX - 1u), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 1, GPA0 - 1u), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 1, GPA1), -XEN_EFAULT);
    /* Nothing to read: any address will do, as in Xen. */
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 0, END0 + 1u), 0);
    console_guest_flush(&part_table[0]);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-HC-005 (one entry takes at most HCALL_CONSOLE_CHUNK bytes;
 * a longer write advances its arguments and asks to be continued, and the
 * re-issued calls finish it with 0, every byte written once) */
static void test_console_chunk(void **state)
{
    (void)state;
    memset(at(GPA0), 'a', 3000);
    uint64_t args[5] = {CONSOLEIO_WRITE, 3000, GPA0, 0, 0};
    assert_true(hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args) == HCALL_CONTINUE);
    assert_int_equal(args[1], 3000u - HCALL_CONSOLE_CHUNK);
    assert_int_equal(args[2], GPA0 + HCALL_CONSOLE_CHUNK);
    uint32_t entries = 1;
    int64_t rc = hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args);
    for (; rc == HCALL_CONTINUE && entries < 3000u; entries++) {
        rc = hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(entries + 1u, (3000u + HCALL_CONSOLE_CHUNK - 1u) / HCALL_CONSOLE_CHUNK);
    console_guest_flush(&part_table[0]);
    console_flush_all();
    size_t count = 0;
    for (size_t i = 0; i < fake.console_len; i++) {
        count += (fake_console()[i] == 'a') ? 1u : 0u;
    }
    assert_int_equal(count, 3000u);
}

/* Verifies: LLR-HC-005 (only the entry's chunk is read: a count beyond
 * the caller's RAM prints the first chunk and is continued; the entry whose
 * chunk leaves RAM answers -EFAULT; a chunk whose second page does not
 * translate is -EFAULT too, with nothing of it printed) */
static void test_console_chunk_checked(void **state)
{
    (void)state;
    memset(at(END0 - 2u * HCALL_CONSOLE_CHUNK), 'b', 2u * HCALL_CONSOLE_CHUNK);
    uint64_t args[5] = {CONSOLEIO_WRITE, 3u * HCALL_CONSOLE_CHUNK, END0 - 2u * HCALL_CONSOLE_CHUNK,
                        0, 0};
    assert_true(hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args) == HCALL_CONTINUE);
    assert_true(hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args) == HCALL_CONTINUE);
    assert_int_equal(args[2], END0);
    assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_CONSOLE_IO, args), -XEN_EFAULT);
    console_guest_flush(&part_table[0]);
    console_flush_all();
    size_t count = 0;
    for (size_t i = 0; i < fake.console_len; i++) {
        count += (fake_console()[i] == 'b') ? 1u : 0u;
    }
    assert_int_equal(count, 2u * HCALL_CONSOLE_CHUNK);

    /* a chunk over a page boundary whose second page does not translate
     * (the guest changed its tables): -EFAULT, and its first piece is not
     * printed either */
    fake_console_clear();
    fake.xlate_count = 0;
    fake.xlate_fail_after = 1;
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 16, GPA0 + 0xFF8u), -XEN_EFAULT);
    fake.xlate_fail_after = 0;
    console_guest_flush(&part_table[0]);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-HC-006 (CONSOLEIO_read returns 0: no input) */
static void test_console_read(void **state)
{
    (void)state;
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_READ, 16, GPA0), 0);
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_READ, 16, 0), 0);
    assert_ram_unchanged();
}

/* Verifies: LLR-HC-007 (SCHEDOP_yield and SCHEDOP_block reach the scheduler) */
static void test_yield_block(void **state)
{
    (void)state;
    assert_false(sched_need_pick(0));
    assert_int_equal(call(0, XEN_HC_SCHED_OP, SCHEDOP_YIELD, 0, 0), 0);
    /* Inside its window the caller keeps the CPU: nothing to re-decide. */
    assert_false(sched_need_pick(0));
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);

    assert_false(sched_need_pick(1));
    assert_int_equal(call(1, XEN_HC_SCHED_OP, SCHEDOP_BLOCK, 0, 0), 0);
    assert_int_equal(vcpu_table[1].state, VCPU_BLOCKED);
    assert_true(sched_need_pick(1));
}

static int64_t shutdown(uint32_t gid, uint64_t gpa, uint32_t reason)
{
    memcpy(at(gpa), &reason, 4);
    return call(gid, XEN_HC_SCHED_OP, SCHEDOP_SHUTDOWN, gpa, 0);
}

/* Verifies: LLR-HC-008 (poweroff and crash stop only the caller's
 * partition) */
static void test_shutdown_stop(void **state)
{
    (void)state;
    assert_int_equal(shutdown(0, GPA0 + 0x401u, SHUTDOWN_POWEROFF), 0);
    assert_string_equal(fake_console(), "(bulkhead) partition g0 stopped: poweroff\n");
    assert_int_equal(part_table[0].state, PART_STOPPED);
    assert_int_equal(part_table[1].state, PART_RUNNING);

    setup(NULL);
    assert_int_equal(shutdown(1, END0 - 4u, SHUTDOWN_CRASH), 0);
    assert_string_equal(fake_console(),
                        "(bulkhead) partition g0 vcpu 1 health monitor: crash -> IDLE\n"
                        "(bulkhead) partition g0 stopped: crash\n");
    assert_int_equal(vcpu_table[0].state, VCPU_OFF);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
}

/* Verifies: LLR-HC-008 (reboot restarts the partition; vCPU 0 gets the DTB
 * address as return value, other vCPUs 0) */
static void test_shutdown_reboot(void **state)
{
    (void)state;
    memset(ram[0], 0, IMG_SIZE);
    assert_int_equal(shutdown(0, GPA0 + 0x800u, SHUTDOWN_REBOOT), GPA0 + 0x2000u);
    fx_restart_finish(&part_table[0]);
    assert_string_equal(fake_console(), "(bulkhead) partition g0 restarting (cold)\n");
    assert_int_equal(ram[0][0], 0x3C);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(fake.reset_arg0[0], GPA0 + 0x2000u);

    assert_int_equal(shutdown(1, GPA0 + 0x800u, SHUTDOWN_REBOOT), 0);
    fx_restart_finish(&part_table[0]);
    assert_int_equal(part_table[0].state, PART_RUNNING);
}

/* Verifies: LLR-HC-008, LLR-HM-007 (poweroff of a partition whose table
 * restarts it on shutdown: restarted cold, vCPU 0 gets the DTB address,
 * another vCPU 0) */
static void test_shutdown_poweroff_restart(void **state)
{
    (void)state;
    blob.cfg.parts[0].hm_action[HM_ERR_SHUTDOWN] = HM_COLD_RESTART;
    blob.cfg.parts[0].restart_limit = 5;
    assert_int_equal(shutdown(0, GPA0 + 0x800u, SHUTDOWN_POWEROFF), GPA0 + 0x2000u);
    fx_restart_finish(&part_table[0]);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_table[0].restarts, 1);
    assert_int_equal(shutdown(1, GPA0 + 0x800u, SHUTDOWN_POWEROFF), 0);
    fx_restart_finish(&part_table[0]);
    assert_int_equal(part_table[0].restarts, 2);
    blob.cfg.parts[0].hm_action[HM_ERR_SHUTDOWN] = 0;
    blob.cfg.parts[0].restart_limit = 0;
}

/* Verifies: LLR-HC-008 (suspend, watchdog and unknown reasons give -EINVAL;
 * bad pointers -EFAULT; the partition keeps running) */
static void test_shutdown_refused(void **state)
{
    (void)state;
    static const uint32_t reason[] = {SHUTDOWN_SUSPEND, SHUTDOWN_WATCHDOG, 5, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(reason) / sizeof(reason[0]); i++) {
        assert_int_equal(shutdown(0, GPA0 + 0x10u, reason[i]), -XEN_EINVAL);
    }
    memcpy(ram_before, ram[0], RAM_SIZE);
    static const uint64_t bad[] = {END0 - 3u, END0, GPA0 - 4u, UINT64_MAX - 1u, GPA1};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(call(0, XEN_HC_SCHED_OP, SCHEDOP_SHUTDOWN, bad[i], 0), -XEN_EFAULT);
    }
    assert_ram_unchanged();
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_table[1].state, PART_RUNNING);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-HC-008 (poweroff of the last running partition turns the
 * system off) */
static void test_shutdown_last(void **state)
{
    (void)state;
    assert_int_equal(shutdown(0, GPA0, SHUTDOWN_POWEROFF), 0);
    jmp_buf jb;
    fake_halt_jmp = &jb;
    uint32_t off = SHUTDOWN_POWEROFF;
    memcpy(&ram[1][8], &off, 4);
    if (setjmp(jb) == 0) {
        (void)call(2, XEN_HC_SCHED_OP, SCHEDOP_SHUTDOWN, GPA1 + 8u, 0);
        fail_msg("no system off");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(fake.system_off, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unknown, setup),
        cmocka_unit_test_setup(test_event_channel_op, setup),
        cmocka_unit_test_setup(test_version, setup),
        cmocka_unit_test_setup(test_extraversion, setup),
        cmocka_unit_test_setup(test_get_features, setup),
        cmocka_unit_test_setup(test_console_write, setup),
        cmocka_unit_test_setup(test_console_write_bad, setup),
        cmocka_unit_test_setup(test_console_chunk, setup),
        cmocka_unit_test_setup(test_console_chunk_checked, setup),
        cmocka_unit_test_setup(test_console_read, setup),
        cmocka_unit_test_setup(test_yield_block, setup),
        cmocka_unit_test_setup(test_shutdown_stop, setup),
        cmocka_unit_test_setup(test_shutdown_reboot, setup),
        cmocka_unit_test_setup(test_shutdown_poweroff_restart, setup),
        cmocka_unit_test_setup(test_shutdown_refused, setup),
        cmocka_unit_test_setup(test_shutdown_last, setup),
    };
    return cmocka_run_group_tests_name("hcall", tests, NULL, NULL);
}
