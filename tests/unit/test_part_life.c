/*
 * Unit tests of the partition life cycle as one state machine (hyp/core/
 * part.c, with sched.c, psci.c, hcall.c and hm.c): stop and restart under
 * the life lock, the reload in bounded steps in the partition's own windows,
 * and the refusals that keep an old incarnation from acting on a new one.
 * The races are played out with the fake arch's lock hook, which runs code
 * at the moment a lock is taken, as another CPU would.
 */
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
#include "psci.h"
#include "sched.h"
#include "vgic.h"

#define RAM_SIZE 0x4000u
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define BSS_MEM 0x3000u /* b's image memory: three chunks of zeroes */
#define SLICE_US 1000u

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * FX_SLOT_SIZE];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static struct partition *a;
static struct partition *b;
static struct vcpu *b0;
static struct vcpu *b1;

/*
 * a: one vCPU on CPU 0. b: vCPU 0 on CPU 0, vCPU 1 on CPU 1, 12 KiB of image
 * memory. No schedules: 1 ms slices, CPU 0 runs a0 in [0, 1000) and b0 in
 * [1000, 2000), CPU 1 runs b1 in [0, 1000); frames of 2,000 ticks.
 */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), 2);
    memset(ram, 0x55, sizeof(ram));
    fx_part(&blob.cfg, 0, "a", GPA0, ram[0], RAM_SIZE, 1);
    fx_part(&blob.cfg, 1, "b", GPA1, ram[1], RAM_SIZE, 2);
    blob.cfg.parts[1].image_mem_size = BSS_MEM;
    blob.cfg.num_cpus = 2;
    blob.cfg.slice_us = SLICE_US;
    for (uint32_t k = 0; k < 2u * FX_SLOT_SIZE; k++) {
        blob.bytes[sizeof(struct bh_cfg) + k] = (uint8_t)(0x80u + k);
    }
    part_build_all(&blob.cfg);
    sched_init(&blob.cfg, 1000000u, 0);
    a = &part_table[0];
    b = &part_table[1];
    b0 = b->vcpus[0];
    b1 = b->vcpus[1];
    b1->state = VCPU_RUNNABLE; /* as after a CPU_ON */
    memset(ram[1], 0x55, RAM_SIZE);
    fake.kicks = 0;
    fake.resets = 0;
    fake_console_clear();
    return 0;
}

static void on_cpu(uint32_t cpu, uint64_t now)
{
    uint64_t next;
    (void)sched_pick(cpu, now, &next);
}

/* Verifies: LLR-PART-010, LLR-PART-003 (an OFF stored by part_stop is never
 * undone: neither sched_block nor a wake-up turns it back, and a RUNNABLE
 * vCPU of a stopped partition is never chosen) */
static void test_stop_not_undone(void **state)
{
    (void)state;
    b1->state = VCPU_BLOCKED;
    part_stop(b, "fault");
    assert_int_equal(b1->state, VCPU_OFF);
    sched_block(b1);
    assert_int_equal(b1->state, VCPU_OFF);
    vgic_inject(b1, VGIC_PPI_VTIMER);
    on_cpu(1, 0);
    assert_int_equal(b1->state, VCPU_OFF);
    assert_null(sched_current(1));
    /* A RUNNABLE store that slipped past the lock still picks nothing. */
    b1->state = VCPU_RUNNABLE;
    on_cpu(1, 0);
    assert_null(sched_current(1));
}

static void stop_b_in_block(bh_lock_t *l)
{
    (void)l;
    part_stop(b, "fault"); /* CPU 0's fault, while CPU 1 is in sched_block */
}

/* Verifies: LLR-PART-010 (the race of the IDLE escape: vCPU 1's CPU in
 * sched_block has read its state RUNNABLE when vCPU 0's fault on another CPU
 * stops the partition; the BLOCKED store must not overwrite the OFF. The
 * lock hook runs part_stop inside sched_block's look at pending interrupts.
 * The old read-then-store left vCPU 1 BLOCKED, and its timer woke it.) */
static void test_stop_races_block(void **state)
{
    (void)state;
    fake_lock_target = &b->vgic.lock;
    fake_lock_hook = stop_b_in_block;
    sched_block(b1);
    assert_null(fake_lock_hook); /* the hook ran */
    assert_int_equal(b->state, PART_STOPPED);
    assert_int_equal(b1->state, VCPU_OFF);
}

/* Verifies: LLR-PART-010 (a vCPU whose partition is not running: hypercalls
 * -EPERM, PSCI DENIED, its errors take no action and are not logged) */
static void test_old_incarnation_refused(void **state)
{
    (void)state;
    assert_true(part_restart(b, false, false));
    fake_console_clear();
    assert_false(part_vcpu_live(b1));
    assert_true(part_vcpu_live(a->vcpus[0]));
    uint64_t args[5] = {0, 0, 0, 0, 0};
    assert_int_equal(hcall_dispatch(b1, XEN_HC_XEN_VERSION, args), -XEN_EPERM);
    const uint64_t psci[4] = {PSCI_FN_SYSTEM_OFF, 0, 0, 0};
    assert_int_equal(psci_call(b1, psci), PSCI_DENIED);
    assert_int_equal(hm_raise(b1, HM_ERR_CRASH, 0), HM_IGNORE);
    struct hm_event ev[2];
    assert_int_equal(hm_log_read(ev, 2, 0), 0);
    assert_string_equal(fake_console(), "");
    assert_int_equal(b->state, PART_RESTARTING);
}

/* Verifies: LLR-PART-004 (a request while a restart is under way is dropped,
 * the system partition's included, and not counted) */
static void test_restart_dropped(void **state)
{
    (void)state;
    assert_true(part_restart(b, true, false));
    assert_int_equal(b->restarts, 1);
    assert_false(part_restart(b, false, false));
    assert_false(part_restart(b, false, true));
    assert_int_equal(b->restarts, 1);
    assert_int_equal(b->mode, PART_MODE_COLD_START);
    fx_restart_finish(b);
    assert_int_equal(b->state, PART_RUNNING);
}

/* Verifies: LLR-PART-011 (the reload waits while another vCPU of the
 * partition is the choice of its CPU, touching nothing; once that CPU has
 * chosen again it proceeds) */
static void test_reload_waits_for_vcpus(void **state)
{
    (void)state;
    on_cpu(1, 0);
    assert_ptr_equal(sched_current(1), b1);
    assert_true(part_restart(b, true, false));
    assert_false(part_reload_step(b, 0, UINT64_MAX));
    assert_int_equal(ram[1][0], 0x55);
    assert_int_equal(fake.resets, 0);
    assert_false(b->reload.quiesced);
    on_cpu(1, 10); /* b1 is OFF: CPU 1 leaves it */
    assert_null(sched_current(1));
    assert_true(part_reload_step(b, 10, UINT64_MAX));
    assert_int_equal(b->state, PART_RUNNING);
    assert_memory_equal(ram[1], &blob.bytes[FX_SLOT(1)], FX_IMAGE_SIZE);
    assert_int_equal(b0->state, VCPU_RUNNABLE);
    assert_int_equal(b1->state, VCPU_OFF);
    assert_int_equal(fake.resets, 2);
}

/* Verifies: LLR-PART-011 (a cold reload goes chunk by chunk, reading the
 * time before each, and stops once the deadline is reached; the next step
 * carries on where it stopped) */
static void test_reload_chunks(void **state)
{
    (void)state;
    assert_true(part_restart(b, true, false));
    fake.now = 0;
    fake.now_step = 10; /* each arch_now() is 10 ticks after the last */
    /* quiesce reads 0; the ports' one step (a fresh table) at 0; chunks at
     * 10 (the image) and 20 (zeroes, 4 KiB); at 30 >= 25 it stops. */
    assert_false(part_reload_step(b, 0, 25));
    assert_memory_equal(ram[1], &blob.bytes[FX_SLOT(1)], FX_IMAGE_SIZE);
    uint32_t zeroed = FX_IMAGE_SIZE + PART_RELOAD_CHUNK;
    assert_int_equal(ram[1][FX_IMAGE_SIZE], 0);
    assert_int_equal(ram[1][zeroed - 1u], 0);
    assert_int_equal(ram[1][zeroed], 0x55);
    assert_int_equal(fake.resets, 0);
    assert_int_equal(b->state, PART_RESTARTING);
    /* A deadline already passed: nothing more. */
    assert_false(part_reload_step(b, fake.now, fake.now));
    assert_int_equal(ram[1][zeroed], 0x55);
    fake.now_step = 0;
    assert_true(part_reload_step(b, fake.now, UINT64_MAX));
    assert_int_equal(ram[1][zeroed], 0);
    assert_int_equal(ram[1][BSS_MEM - 1u], 0);
    assert_int_equal(ram[1][BSS_MEM], 0x55); /* beyond the image memory */
    assert_memory_equal(&ram[1][FX_DTB_GPA_OFFSET], &blob.bytes[FX_SLOT(1) + FX_DTB_OFFSET],
                        FX_DTB_SIZE);
    assert_int_equal(b->state, PART_RUNNING);
}

/* Verifies: LLR-PART-012 (the next restart finishes a major frame after the
 * previous one finished, not before), LLR-PART-011 (the final reset also
 * waits while the window's boundary is reached) */
static void test_restart_rate(void **state)
{
    (void)state;
    fake.now = 5000;
    assert_true(part_restart(b, false, false));
    assert_true(part_reload_step(b, 5000, UINT64_MAX));
    assert_int_equal(sched_frame_ticks(), 2000u);
    assert_true(part_restart(b, false, false));
    fake.now = 7000;
    fake.now_step = 1; /* quiesce reads 7000, the ports' step 7001 */
    assert_false(part_reload_step(b, 7000, 7001)); /* the reset waits for time too */
    assert_true(b->reload.closed);
    assert_int_equal(b->state, PART_RESTARTING);
    fake.now_step = 0;
    fake.now = 6999;
    assert_false(part_reload_step(b, 6999, UINT64_MAX));
    assert_int_equal(b->state, PART_RESTARTING);
    fake.now = 7000;
    assert_true(part_reload_step(b, 7000, UINT64_MAX));
    assert_int_equal(b->state, PART_RUNNING);
    assert_int_equal(b->restarts, 2);
}

static void stop_b_now(bh_lock_t *l)
{
    (void)l;
    b->state = PART_STOPPED; /* another CPU's part_stop, just before the lock */
}

/* Verifies: LLR-PART-011, LLR-PART-003 (a stop that lands while the reload
 * runs wins: the reload ends without resetting anything or running b) */
static void test_stop_during_reload(void **state)
{
    (void)state;
    assert_true(part_restart(b, true, false));
    fake_lock_target = &b->life;
    fake_lock_hook = stop_b_now;
    assert_true(part_reload_step(b, 0, UINT64_MAX));
    assert_int_equal(b->state, PART_STOPPED);
    assert_int_equal(fake.resets, 0);
    assert_int_equal(b0->state, VCPU_OFF);
    /* A step of a partition that is no longer restarting does nothing. */
    assert_true(part_reload_step(b, 0, UINT64_MAX));
}

/* Verifies: LLR-PART-011 (a chunk outside the blob stops the partition with
 * "reload failed"; a restarting partition keeps the module on) */
static void test_reload_outside_blob(void **state)
{
    (void)state;
    blob.cfg.parts[1].image_offset = blob.cfg.total_size - 8u;
    assert_true(part_restart(b, true, false));
    part_stop(a, "done"); /* b still restarting: no system off */
    assert_int_equal(fake.system_off, 0);
    fake_console_clear();
    fake.system_off = 0;
    jmp_buf jb;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        assert_true(part_reload_step(b, 0, UINT64_MAX));
    }
    fake_halt_jmp = NULL;
    assert_int_equal(b->state, PART_STOPPED);
    assert_non_null(strstr(fake_console(), "partition b stopped: reload failed"));
}

/* Verifies: LLR-PART-011 (sched_pick does the reload in vCPU 0's window and
 * then runs it; while the reload waits it looks again after the poll
 * interval; another vCPU's window does no reload and runs nothing) */
static void test_pick_reloads(void **state)
{
    (void)state;
    uint64_t next;
    on_cpu(1, 0); /* b1 chosen on CPU 1 */
    assert_true(part_restart(b, true, false));
    fake.now = 1000;
    assert_null(sched_pick(0, 1000, &next)); /* b0's window, b1 not gone */
    assert_int_equal(next, 1100u);
    assert_int_equal(b->state, PART_RESTARTING);
    fake.now = 1950;
    assert_null(sched_pick(0, 1950, &next)); /* waits: poll beyond the end */
    assert_int_equal(next, 2000u);
    fake.now = 2001;
    assert_null(sched_pick(1, 2001, &next)); /* b1's window: it leaves, no reload */
    assert_int_equal(ram[1][0], 0x55);
    fake.now = 3000;
    assert_ptr_equal(sched_pick(0, 3000, &next), b0);
    assert_int_equal(b->state, PART_RUNNING);
    assert_memory_equal(ram[1], &blob.bytes[FX_SLOT(1)], FX_IMAGE_SIZE);
}

static void restart_b_now(bh_lock_t *l)
{
    (void)l;
    b->state = PART_RESTARTING; /* another CPU's restart, just before the lock */
}

/* Verifies: LLR-PART-010 (a CPU_ON that meets a restart under the life lock
 * starts nothing) */
static void test_cpu_on_meets_restart(void **state)
{
    (void)state;
    b1->state = VCPU_OFF;
    const uint64_t on[4] = {PSCI_FN64_CPU_ON, 1, GPA1, 0};
    fake_lock_target = &b->life;
    fake_lock_hook = restart_b_now;
    assert_int_equal(psci_call(b0, on), PSCI_ALREADY_ON);
    assert_int_equal(b1->state, VCPU_OFF);
    assert_int_equal(fake.resets, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_stop_not_undone, setup),
        cmocka_unit_test_setup(test_stop_races_block, setup),
        cmocka_unit_test_setup(test_old_incarnation_refused, setup),
        cmocka_unit_test_setup(test_restart_dropped, setup),
        cmocka_unit_test_setup(test_reload_waits_for_vcpus, setup),
        cmocka_unit_test_setup(test_reload_chunks, setup),
        cmocka_unit_test_setup(test_restart_rate, setup),
        cmocka_unit_test_setup(test_stop_during_reload, setup),
        cmocka_unit_test_setup(test_reload_outside_blob, setup),
        cmocka_unit_test_setup(test_pick_reloads, setup),
        cmocka_unit_test_setup(test_cpu_on_meets_restart, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
