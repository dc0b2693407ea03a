/* Unit tests of hyp/core/sched.c (ARINC 653 time partitioning). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "part.h"
#include "passthru.h"
#include "sched.h"
#include "vgic.h"

/* 1 MHz counter: one tick per microsecond keeps the arithmetic readable. */
#define TPS 1000000u
#define EPOCH 5000u

static struct bh_cfg cfg;

/* Partitions: p0 with vCPUs 0 (cpu0) and 1 (cpu1), p1 with vCPU 0 (cpu0). */
static void layout(void)
{
    static const uint32_t owner[3] = {0, 0, 1};
    static const uint32_t pcpu[3] = {0, 1, 0};
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    for (uint32_t g = 0; g < 3u; g++) {
        struct partition *p = &part_table[owner[g]];
        struct vcpu *v = &vcpu_table[g];
        p->id = owner[g];
        p->state = PART_RUNNING;
        v->part = p;
        v->gid = g;
        v->vid = p->num_vcpus;
        v->pcpu = pcpu[g];
        v->state = VCPU_RUNNABLE;
        p->vcpus[p->num_vcpus] = v;
        p->num_vcpus++;
    }
    part_count = 2;
    vcpu_count = 3;
    vgic_init(&part_table[0]);
    vgic_init(&part_table[1]);
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

/*
 * Schedule 0 (frame 1000): cpu0 p0v0 [100,400) p1v0 [500,900); cpu1 p0v1
 * [0,1000). Schedule 1 (frame 2000): cpu0 p1v0 [0,2000); cpu1 none.
 */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    layout();
    memset(&cfg, 0, sizeof(cfg));
    cfg.num_cpus = 2;
    cfg.num_scheds = 2;
    cfg.scheds[0].major_frame_us = 1000;
    win(&cfg.scheds[0], 0, 0, 0, 100, 300);
    win(&cfg.scheds[0], 0, 1, 0, 500, 400);
    win(&cfg.scheds[0], 1, 0, 1, 0, 1000);
    cfg.scheds[1].major_frame_us = 2000;
    win(&cfg.scheds[1], 0, 1, 0, 0, 2000);
    sched_init(&cfg, TPS, EPOCH);
    return 0;
}

static struct vcpu *pick(uint32_t cpu, uint64_t now, uint64_t expect_next)
{
    uint64_t next = 0;
    struct vcpu *v = sched_pick(cpu, now, &next);
    assert_int_equal(next, expect_next);
    assert_ptr_equal(sched_current(cpu), v);
    return v;
}

/* Verifies: LLR-SCHED-001, LLR-SCHED-002, LLR-SCHED-004 (the window
 * containing now decides; gaps are idle; boundaries are window edges) */
static void test_window_lookup(void **state)
{
    (void)state;
    assert_null(pick(0, EPOCH, EPOCH + 100));              /* gap before the first */
    assert_ptr_equal(pick(0, EPOCH + 100, EPOCH + 400), &vcpu_table[0]);
    assert_ptr_equal(pick(0, EPOCH + 399, EPOCH + 400), &vcpu_table[0]);
    assert_null(pick(0, EPOCH + 400, EPOCH + 500));        /* gap between */
    assert_ptr_equal(pick(0, EPOCH + 500, EPOCH + 900), &vcpu_table[2]);
    assert_null(pick(0, EPOCH + 900, EPOCH + 1100));       /* after the last: next frame */
    assert_ptr_equal(pick(1, EPOCH + 999, EPOCH + 1000), &vcpu_table[1]);
    /* Frame 7 behaves like frame 0. */
    assert_ptr_equal(pick(0, EPOCH + 7000 + 150, EPOCH + 7400), &vcpu_table[0]);
    assert_null(pick(3, EPOCH + 10, EPOCH + 1000));        /* a CPU without windows */
}

/* Verifies: LLR-SCHED-010 (the owner of each CPU's current window has
 * in_window set, running or blocked; the previous owner loses it; gaps and
 * the time before the epoch have no owner) */
static void test_window_owner(void **state)
{
    (void)state;
    struct vcpu *v0 = &vcpu_table[0];
    struct vcpu *v2 = &vcpu_table[2];
    assert_ptr_equal(pick(0, EPOCH + 100, EPOCH + 400), v0);
    assert_true(v0->in_window);
    assert_false(v2->in_window);
    sched_block(v0);
    assert_null(pick(0, EPOCH + 150, EPOCH + 400));
    assert_true(v0->in_window); /* blocked in its window: still the owner */
    assert_null(pick(0, EPOCH + 400, EPOCH + 500));
    assert_false(v0->in_window);
    v0->state = VCPU_RUNNABLE;
    assert_ptr_equal(pick(0, EPOCH + 500, EPOCH + 900), v2);
    assert_true(v2->in_window);
    assert_ptr_equal(pick(0, EPOCH + 1100, EPOCH + 1400), v0);
    assert_false(v2->in_window);
    assert_true(v0->in_window);
    assert_null(pick(0, EPOCH - 1u, EPOCH));
    assert_false(v0->in_window);
    assert_ptr_equal(pick(1, EPOCH, EPOCH + 1000), &vcpu_table[1]);
    assert_true(vcpu_table[1].in_window);
}

/* Verifies: LLR-CON-017 (sched_pick takes a drain step of the partition
 * whose vCPU owns the window, running or not; another window's pick writes
 * none of it) */
static void test_window_drains_console(void **state)
{
    (void)state;
    console_init();
    strcpy(part_table[0].name, "p0");
    fake.console_room = 0;
    console_guest_write(&part_table[0], "hi\n", 3);
    assert_int_equal(fake.console_len, 0);
    fake.console_room = FAKE_ROOM_ANY;
    assert_ptr_equal(pick(0, EPOCH + 500, EPOCH + 900), &vcpu_table[2]); /* partition 1 */
    assert_int_equal(fake.console_len, 0);
    sched_block(&vcpu_table[0]);
    assert_null(pick(0, EPOCH + 1100, EPOCH + 1400));
    assert_string_equal(fake_console(), "[p0] hi\n");
}

/* Verifies: LLR-SCHED-002, LLR-SCHED-007 (before the epoch nothing runs;
 * CPU numbers out of range) */
static void test_before_epoch_and_bad_cpu(void **state)
{
    (void)state;
    assert_null(pick(0, EPOCH - 1u, EPOCH));
    uint64_t next = 0;
    assert_null(sched_pick(BH_MAX_CPUS, EPOCH, &next));
    assert_int_equal(next, SCHED_NO_EVENT);
    assert_null(sched_current(BH_MAX_CPUS));
    assert_false(sched_need_pick(BH_MAX_CPUS));
    sched_request_pick(BH_MAX_CPUS); /* ignored */
}

/* Verifies: LLR-SCHED-003, LLR-SCHED-004, LLR-SCHED-006 (a blocked vCPU
 * keeps its window idle, wakes on its timer or a pending interrupt, and its
 * timer deadline inside the window is the next event) */
static void test_block_and_wake(void **state)
{
    (void)state;
    struct vcpu *v = &vcpu_table[0];
    sched_block(v);
    assert_int_equal(v->state, VCPU_BLOCKED);
    assert_true(sched_need_pick(0));
    assert_null(pick(0, EPOCH + 150, EPOCH + 400));        /* timer off */
    v->vtimer.ctl = 1;
    v->vtimer.cval = EPOCH + 300;
    assert_null(pick(0, EPOCH + 150, EPOCH + 300));        /* deadline first */
    v->vtimer.cval = EPOCH + 450;
    assert_null(pick(0, EPOCH + 150, EPOCH + 400));        /* after the window end */
    v->vtimer.ctl = 3;                                    /* masked: no wake */
    v->vtimer.cval = EPOCH + 100;
    assert_null(pick(0, EPOCH + 150, EPOCH + 400));
    v->vtimer.ctl = 1;                                    /* expired: wakes */
    assert_ptr_equal(pick(0, EPOCH + 150, EPOCH + 400), v);
    assert_int_equal(v->state, VCPU_RUNNABLE);

    /* A pending virtual interrupt wakes it too, and prevents blocking. */
    v->vtimer.ctl = 0;
    sched_block(v);
    v->part->vgic.ctlr = 0x12u;
    v->vgic.priv[VGIC_PPI_EVTCHN].enabled = 1;
    vgic_inject(v, VGIC_PPI_EVTCHN);
    assert_ptr_equal(pick(0, EPOCH + 150, EPOCH + 400), v);
    sched_block(v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
}

/* Verifies: LLR-SCHED-003, LLR-SCHED-006 (a vCPU woken by its expired timer
 * resumes with PPI 27 pending and deliverable and the timer masked at the
 * source, so its WFI does not return for nothing while the physical timer
 * interrupt is late; once the guest has taken it, a WFI blocks again) */
static void test_timer_wake_delivers(void **state)
{
    (void)state;
    struct vcpu *v = &vcpu_table[1]; /* p0v1: cpu1's whole frame */
    uint64_t lr[4];
    bool more = false;
    v->part->vgic.ctlr = 0x2u;
    v->vgic.priv[VGIC_PPI_VTIMER].enabled = 1;
    v->vtimer.ctl = 1;
    v->vtimer.cval = EPOCH + 300;
    sched_block(v);
    assert_null(pick(1, EPOCH + 200, EPOCH + 300)); /* not yet expired */
    assert_false(vgic_has_pending(v));
    assert_ptr_equal(pick(1, EPOCH + 300, EPOCH + 1000), v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
    assert_true(vgic_has_pending(v));
    assert_int_equal(v->vtimer.ctl, 3u); /* ENABLE and IMASK */
    assert_int_equal(vgic_lr_fill(v, lr, 4, &more), 1);
    assert_int_equal(lr[0] & 0xFFFFFFFFu, VGIC_PPI_VTIMER);
    assert_int_equal(lr[0] >> 62, 1u); /* pending */
    lr[0] = 0;                         /* taken and completed by the guest */
    vgic_lr_sync(v, lr, 1);
    sched_block(v);
    assert_int_equal(v->state, VCPU_BLOCKED);
    assert_null(pick(1, EPOCH + 400, EPOCH + 1000)); /* delivered once: no wake-up */
}

/* Verifies: LLR-SCHED-002, LLR-SCHED-005, LLR-SCHED-006 (an OFF vCPU never runs and
 * cannot be blocked; yield keeps the caller in its window) */
static void test_off_and_yield(void **state)
{
    (void)state;
    struct vcpu *v = &vcpu_table[0];
    v->state = VCPU_OFF;
    sched_block(v);
    assert_int_equal(v->state, VCPU_OFF);
    assert_null(pick(0, EPOCH + 150, EPOCH + 400));
    v->state = VCPU_RUNNABLE;
    sched_yield(v);
    assert_ptr_equal(pick(0, EPOCH + 150, EPOCH + 400), v);
}

/* Verifies: LLR-SCHED-008, LLR-SCHED-009 (a switch waits for the next frame
 * boundary, replaces an earlier request, kicks no CPU that has not picked
 * yet, and the status reports schedule, frames and switch time) */
static void test_switch(void **state)
{
    (void)state;
    struct sched_status st;
    fake.cpu_id = 0;
    assert_int_equal(sched_request_switch(2, EPOCH + 10), -XEN_EINVAL);
    assert_int_equal(sched_request_switch(0, EPOCH + 10), 0);
    assert_int_equal(sched_request_switch(1, EPOCH + 2300), 0); /* replaces: frame 3 */
    assert_int_equal(fake.kicks, 0u); /* nobody waits beyond the epoch */
    sched_get_status(EPOCH + 2300, &st);
    assert_int_equal(st.current, 0);
    assert_int_equal(st.next, 1);
    assert_int_equal(st.frames, 3);
    assert_int_equal(st.frame_start, EPOCH + 2000);
    /* Still schedule 0 inside frame 2; the boundary is the switch epoch. */
    assert_null(pick(0, EPOCH + 2950, EPOCH + 3000));
    assert_ptr_equal(pick(1, EPOCH + 2950, EPOCH + 3000), &vcpu_table[1]);
    /* From the boundary on, schedule 1. */
    assert_ptr_equal(pick(0, EPOCH + 3000, EPOCH + 5000), &vcpu_table[2]);
    assert_null(pick(1, EPOCH + 3001, EPOCH + 5000));
    sched_get_status(EPOCH + 5100, &st);
    assert_int_equal(st.current, 1);
    assert_int_equal(st.next, 1);
    assert_int_equal(st.frames, 3 + 2);
    assert_int_equal(st.last_switch, EPOCH + 3000);
    /* A request before the epoch counts from the epoch. */
    sched_init(&cfg, TPS, EPOCH);
    assert_int_equal(sched_request_switch(1, EPOCH - 100), 0);
    sched_get_status(EPOCH - 100, &st);
    assert_int_equal(st.frames, 1);
    assert_int_equal(st.next, 1);
    assert_ptr_equal(pick(0, EPOCH + 1000, EPOCH + 3000), &vcpu_table[2]);
}

/* Verifies: LLR-SCHED-008 (a switch request kicks exactly the CPUs that
 * would look again only after its epoch, each once, and none beyond the
 * system's CPUs: before the fix every request kicked CPUs 0..3) */
static void test_switch_kicks(void **state)
{
    (void)state;
    uint64_t next;
    fake.cpu_id = 1;
    /* cpu0 after its last window waits for the next frame's first window
     * (EPOCH+3100), beyond the frame end; cpu1's window ends at EPOCH+3000. */
    assert_null(sched_pick(0, EPOCH + 2950, &next));
    assert_int_equal(next, EPOCH + 3100);
    assert_ptr_equal(sched_pick(1, EPOCH + 2950, &next), &vcpu_table[1]);
    assert_int_equal(next, EPOCH + 3000);
    assert_false(sched_need_pick(0));
    fake.kicks = 0;
    assert_int_equal(sched_request_switch(1, EPOCH + 2960), 0);
    assert_int_equal(fake.kicks, 1u << 0);
    assert_true(sched_need_pick(0));
    assert_false(sched_need_pick(1)); /* its boundary is the epoch already */
    assert_null(sched_pick(0, EPOCH + 2961, &next));
    assert_int_equal(next, EPOCH + 3000);
    /* Asking again kicks nobody: every CPU looks again by the epoch. */
    fake.kicks = 0;
    assert_int_equal(sched_request_switch(1, EPOCH + 2970), 0);
    assert_int_equal(fake.kicks, 0u);
    /* A CPU the system does not use is never kicked, whatever it holds:
     * cpu2 gets a window (a blob the boot check would refuse) and waits
     * beyond the epoch, but the system has 2 CPUs. */
    win(&cfg.scheds[0], 2, 1, 0, 100, 100);
    sched_init(&cfg, TPS, EPOCH);
    assert_ptr_equal(sched_pick(2, EPOCH + 2950, &next), NULL);
    assert_int_equal(next, EPOCH + 3100);
    fake.kicks = 0;
    assert_int_equal(sched_request_switch(1, EPOCH + 2960), 0);
    assert_int_equal(fake.kicks, 0u);
    assert_false(sched_need_pick(2));
    cfg.num_cpus = 9; /* out of range: all the table's CPUs */
    sched_init(&cfg, TPS, EPOCH);
    assert_null(sched_pick(2, EPOCH + 2950, &next));
    fake.kicks = 0;
    assert_int_equal(sched_request_switch(1, EPOCH + 2960), 0);
    assert_int_equal(fake.kicks, 1u << 2);
    /* The caller's own CPU waiting beyond the epoch picks again, unkicked. */
    sched_init(&cfg, TPS, EPOCH);
    assert_null(sched_pick(0, EPOCH + 2950, &next));
    fake.cpu_id = 0;
    fake.kicks = 0;
    assert_int_equal(sched_request_switch(1, EPOCH + 2960), 0);
    assert_int_equal(fake.kicks, 0u);
    assert_true(sched_need_pick(0));
}

/* Verifies: LLR-SCHED-001 (without configured schedules each pinned vCPU
 * gets one slice per frame, the frame sized by the busiest CPU) */
static void test_slice_plan(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.slice_us = 100;
    sched_init(&cfg, TPS, 0);
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 100, 200), &vcpu_table[2]);
    assert_ptr_equal(pick(1, 50, 100), &vcpu_table[1]);
    assert_null(pick(1, 150, 200));
    assert_ptr_equal(pick(0, 200, 300), &vcpu_table[0]);
    cfg.slice_us = 0; /* a zero slice still gives a usable plan */
    sched_init(&cfg, TPS, 0);
    assert_ptr_equal(pick(0, 0, 1), &vcpu_table[0]);
}

/* Verifies: LLR-SCHED-001 (a window naming a partition or vCPU that does
 * not exist is idle time; a CPU number out of range is clamped) */
static void test_bad_names(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.num_scheds = 1;
    cfg.scheds[0].major_frame_us = 100;
    win(&cfg.scheds[0], 0, 7, 0, 0, 10);
    win(&cfg.scheds[0], 0, 1, 3, 10, 10);
    win(&cfg.scheds[0], 9, 0, 0, 20, 10);
    sched_init(&cfg, TPS, 0);
    assert_null(pick(0, 5, 10));
    assert_null(pick(0, 15, 20));
    assert_ptr_equal(pick(BH_MAX_CPUS - 1u, 25, 30), &vcpu_table[0]);
}

/* Verifies: LLR-SCHED-001 (tables beyond the fixed limits are cut to them:
 * at most BH_CFG_MAX_SCHEDS schedules, BH_CFG_MAX_WINDOWS windows each, and
 * a slice plan of at most BH_CFG_MAX_WINDOWS windows) */
static void test_table_limits(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.num_scheds = BH_CFG_MAX_SCHEDS + 4u;
    cfg.scheds[0].major_frame_us = 1000;
    for (uint32_t k = 0; k < BH_CFG_MAX_WINDOWS; k++) {
        win(&cfg.scheds[0], 0, 0, 0, k * 10u, 10);
    }
    cfg.scheds[0].num_windows = BH_CFG_MAX_WINDOWS + 8u;
    for (uint32_t s = 1; s < BH_CFG_MAX_SCHEDS; s++) {
        cfg.scheds[s].major_frame_us = 1000;
    }
    sched_init(&cfg, TPS, 0);
    assert_ptr_equal(pick(0, 315, 320), &vcpu_table[0]);
    assert_null(pick(0, 325, 1000));
    assert_int_equal(sched_request_switch(BH_CFG_MAX_SCHEDS - 1u, 0), 0);
    assert_int_equal(sched_request_switch(BH_CFG_MAX_SCHEDS, 0), -XEN_EINVAL);

    /* Every vCPU of the table pinned to CPU 0: one slice each, none left. */
    for (uint32_t g = 0; g < BH_MAX_VCPUS; g++) {
        vcpu_table[g].part = &part_table[0];
        vcpu_table[g].gid = g;
        vcpu_table[g].pcpu = 0;
        vcpu_table[g].state = VCPU_RUNNABLE;
    }
    vcpu_count = BH_MAX_VCPUS;
    memset(&cfg, 0, sizeof(cfg));
    cfg.slice_us = 10;
    sched_init(&cfg, TPS, 0);
    assert_ptr_equal(pick(0, 315, 320), &vcpu_table[BH_MAX_VCPUS - 1u]);
    assert_ptr_equal(pick(0, 325, 330), &vcpu_table[0]);
    assert_null(pick(1, 5, 320));
}

static bool spi_masked(uint32_t intid)
{
    return ((fake.irq_masked[intid / 32u] >> (intid % 32u)) & 1u) != 0u;
}

/* Verifies: LLR-SCHED-010, LLR-PT-026 (each change of a CPU's window owner
 * reaches the pass-through SPIs routed there before the new owner runs:
 * enabled in their owner's windows, masked in gaps and in others'). p0
 * owns SPI 80, routed to CPU 0 (its vCPU 0's); CPU 1 does not concern it. */
static void test_window_change_gates_passthru(void **state)
{
    (void)state;
    console_init();
    cfg.num_passthru = 1;
    cfg.passthru[0].base = 0x0a000000;
    cfg.passthru[0].size = 0x1000;
    cfg.passthru[0].part = 0;
    cfg.passthru[0].pintid = 80;
    cfg.passthru[0].vintid = 33;
    passthru_init(&cfg);
    assert_int_equal(fake.irq_route_cpu, 0);
    assert_true(spi_masked(80));
    assert_null(pick(0, EPOCH, EPOCH + 100)); /* gap */
    assert_true(spi_masked(80));
    assert_ptr_equal(pick(0, EPOCH + 100, EPOCH + 400), &vcpu_table[0]);
    assert_false(spi_masked(80));
    assert_null(pick(0, EPOCH + 400, EPOCH + 500));
    assert_true(spi_masked(80));
    assert_ptr_equal(pick(0, EPOCH + 500, EPOCH + 900), &vcpu_table[2]);
    assert_true(spi_masked(80));
    assert_ptr_equal(pick(1, EPOCH + 600, EPOCH + 1000), &vcpu_table[1]);
    assert_true(spi_masked(80)); /* p0's window on CPU 1 is not CPU 0's */
    assert_ptr_equal(pick(0, EPOCH + 1100, EPOCH + 1400), &vcpu_table[0]);
    assert_false(spi_masked(80));
    cfg.num_passthru = 0;
    passthru_init(&cfg); /* leave no device behind for other tests */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_window_owner, setup),
        cmocka_unit_test_setup(test_window_drains_console, setup),
        cmocka_unit_test_setup(test_window_lookup, setup),
        cmocka_unit_test_setup(test_before_epoch_and_bad_cpu, setup),
        cmocka_unit_test_setup(test_block_and_wake, setup),
        cmocka_unit_test_setup(test_timer_wake_delivers, setup),
        cmocka_unit_test_setup(test_off_and_yield, setup),
        cmocka_unit_test_setup(test_switch, setup),
        cmocka_unit_test_setup(test_switch_kicks, setup),
        cmocka_unit_test_setup(test_slice_plan, setup),
        cmocka_unit_test_setup(test_bad_names, setup),
        cmocka_unit_test_setup(test_table_limits, setup),
        cmocka_unit_test_setup(test_window_change_gates_passthru, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
