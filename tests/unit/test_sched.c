/* Unit tests of hyp/core/sched.c (per-CPU round-robin). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "fake_arch.h"
#include "part.h"
#include "sched.h"
#include "vgic.h"

#define SLICE 100u

/*
 * Lay out n vCPUs, gid i pinned to pcpu[i], spread over partitions of up to
 * BH_MAX_VCPUS_PER_PART vCPUs each; all runnable, timers off.
 */
static void layout(uint32_t n, const uint32_t *pcpu)
{
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    part_count = 0;
    for (uint32_t g = 0; g < n; g++) {
        struct partition *p = &part_table[g / BH_MAX_VCPUS_PER_PART];
        struct vcpu *v = &vcpu_table[g];
        p->id = g / BH_MAX_VCPUS_PER_PART;
        p->state = PART_RUNNING;
        v->part = p;
        v->gid = g;
        v->vid = p->num_vcpus;
        v->pcpu = pcpu[g];
        v->state = VCPU_RUNNABLE;
        p->vcpus[p->num_vcpus] = v;
        p->num_vcpus++;
        part_count = p->id + 1u;
    }
    vcpu_count = n;
    for (uint32_t i = 0; i < part_count; i++) {
        vgic_init(&part_table[i]);
    }
    sched_init(SLICE);
}

/* Give v a pending, enabled virtual timer interrupt its distributor forwards. */
static void make_pending(struct vcpu *v)
{
    v->part->vgic.ctlr = 0x12u; /* ARE_NS | EnableGrp1NS */
    v->vgic.priv[VGIC_PPI_VTIMER].enabled = 1;
    v->vgic.priv[VGIC_PPI_VTIMER].group1 = 1;
    v->vgic.priv[VGIC_PPI_VTIMER].priority = 0x80;
    v->vgic.waker = 0;
    vgic_inject(v, VGIC_PPI_VTIMER);
    assert_true(vgic_has_pending(v));
}

static struct vcpu *pick(uint32_t cpu, uint64_t now, uint64_t expect_next)
{
    uint64_t next = 0;
    struct vcpu *v = sched_pick(cpu, now, &next);
    assert_int_equal(next, expect_next);
    assert_ptr_equal(sched_current(cpu), v);
    return v;
}

/* Verifies: LLR-SCHED-001, LLR-SCHED-007 (rings built per CPU; every CPU
 * starts needing a pick and idle; out-of-range CPUs are inert) */
static void test_init(void **state)
{
    (void)state;
    static const uint32_t pc[4] = {0, 1, 0, 7};
    layout(4, pc);
    for (uint32_t c = 0; c < BH_MAX_CPUS; c++) {
        assert_true(sched_need_pick(c));
        assert_null(sched_current(c));
    }
    assert_ptr_equal(pick(0, 0, SLICE), &vcpu_table[0]);
    assert_false(sched_need_pick(0));
    assert_true(sched_need_pick(1));
    assert_ptr_equal(pick(0, SLICE, 2 * SLICE), &vcpu_table[2]);
    assert_ptr_equal(pick(0, 2 * SLICE, 3 * SLICE), &vcpu_table[0]);
    assert_ptr_equal(pick(1, 0, SCHED_NO_EVENT), &vcpu_table[1]);
    /* gid 3 is pinned to a CPU that does not exist: never picked. */
    assert_null(pick(2, 0, SCHED_NO_EVENT));
    assert_null(pick(3, 0, SCHED_NO_EVENT));
    assert_null(pick(BH_MAX_CPUS, 0, SCHED_NO_EVENT));
    assert_false(sched_need_pick(BH_MAX_CPUS));
    sched_request_pick(BH_MAX_CPUS);
    assert_false(sched_need_pick(BH_MAX_CPUS));
    assert_null(sched_current(BH_MAX_CPUS));
    sched_request_pick(1);
    assert_true(sched_need_pick(1));
}

/* Verifies: LLR-SCHED-002, LLR-SCHED-004 (current kept within its slice,
 * rotation in gid order, new slice on each switch) */
static void test_rotation(void **state)
{
    (void)state;
    static const uint32_t pc[3] = {0, 0, 0};
    layout(3, pc);
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 50, 100), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 99, 100), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 100, 200), &vcpu_table[1]);
    assert_ptr_equal(pick(0, 230, 330), &vcpu_table[2]);
    assert_ptr_equal(pick(0, 330, 430), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 430, 530), &vcpu_table[1]);
}

/* Verifies: LLR-SCHED-002 (vCPUs that are off, e.g. of a stopped
 * partition, or blocked are skipped; the current one loses the CPU at once) */
static void test_skip_not_runnable(void **state)
{
    (void)state;
    static const uint32_t pc[3] = {0, 0, 0};
    layout(3, pc);
    vcpu_table[1].state = VCPU_OFF;
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 100, 200), &vcpu_table[2]);
    assert_ptr_equal(pick(0, 200, 300), &vcpu_table[0]);
    /* Current turned off mid-slice: the next runnable takes over now. */
    vcpu_table[0].state = VCPU_OFF;
    assert_ptr_equal(pick(0, 210, SCHED_NO_EVENT), &vcpu_table[2]);
    vcpu_table[2].state = VCPU_BLOCKED;
    assert_null(pick(0, 220, SCHED_NO_EVENT));
    assert_null(sched_current(0));
}

/* Verifies: LLR-SCHED-002, LLR-SCHED-004 (a vCPU alone on its CPU keeps it:
 * no slice event; its slice is renewed when it runs out) */
static void test_alone(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    vcpu_table[1].state = VCPU_OFF;
    assert_ptr_equal(pick(0, 0, SCHED_NO_EVENT), &vcpu_table[0]);
    assert_ptr_equal(pick(0, 1000, SCHED_NO_EVENT), &vcpu_table[0]);
    /* A blocked companion is not off: the slice end matters again. */
    vcpu_table[1].state = VCPU_BLOCKED;
    assert_ptr_equal(pick(0, 1050, 1100), &vcpu_table[0]);
}

/* Verifies: LLR-SCHED-005 (yield ends the slice and requests a pick) */
static void test_yield(void **state)
{
    (void)state;
    static const uint32_t pc[3] = {0, 0, 1};
    layout(3, pc);
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[0]);
    sched_yield(&vcpu_table[0]);
    assert_true(sched_need_pick(0));
    assert_ptr_equal(pick(0, 10, 110), &vcpu_table[1]);
    /* Yielding a vCPU that is not current changes no slice. */
    sched_yield(&vcpu_table[0]);
    assert_true(sched_need_pick(0));
    assert_ptr_equal(pick(0, 20, 110), &vcpu_table[1]);
    /* Alone on its CPU, the yielder runs again with a new slice. */
    assert_ptr_equal(pick(1, 0, SCHED_NO_EVENT), &vcpu_table[2]);
    sched_yield(&vcpu_table[2]);
    assert_ptr_equal(pick(1, 5, SCHED_NO_EVENT), &vcpu_table[2]);
    /* A vCPU pinned to no CPU: nothing happens. */
    vcpu_table[2].pcpu = 9;
    sched_yield(&vcpu_table[2]);
    assert_false(sched_need_pick(1));
}

/* Verifies: LLR-SCHED-006 (block: BLOCKED and a pick requested, unless an
 * interrupt is already pending; an off vCPU stays off) */
static void test_block(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[0]);
    sched_block(&vcpu_table[0]);
    assert_int_equal(vcpu_table[0].state, VCPU_BLOCKED);
    assert_true(sched_need_pick(0));
    assert_ptr_equal(pick(0, 10, 110), &vcpu_table[1]);

    make_pending(&vcpu_table[1]);
    sched_block(&vcpu_table[1]);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_true(sched_need_pick(0));

    vcpu_table[1].state = VCPU_OFF;
    sched_block(&vcpu_table[1]);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
}

/* Verifies: LLR-SCHED-003, LLR-SCHED-004 (a blocked vCPU wakes when its
 * enabled, unmasked timer expires; its deadline bounds next_event) */
static void test_wake_timer(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    vcpu_table[0].state = VCPU_BLOCKED;
    vcpu_table[0].vtimer.ctl = 1;
    vcpu_table[0].vtimer.cval = 500;
    assert_ptr_equal(pick(0, 0, 100), &vcpu_table[1]);
    vcpu_table[0].vtimer.cval = 50;
    assert_ptr_equal(pick(0, 10, 50), &vcpu_table[1]);
    /* Expired: runnable again, and next in rotation. */
    assert_ptr_equal(pick(0, 100, 200), &vcpu_table[0]);
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);

    /* Idle CPU: the only event is the timer. */
    vcpu_table[0].state = VCPU_BLOCKED;
    vcpu_table[0].vtimer.cval = 900;
    vcpu_table[1].state = VCPU_OFF;
    assert_null(pick(0, 200, 900));
    assert_ptr_equal(pick(0, 900, SCHED_NO_EVENT), &vcpu_table[0]);
}

/* Verifies: LLR-SCHED-003, LLR-SCHED-004 (masked or disabled timers neither
 * wake nor set an event) */
static void test_timer_masked(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    vcpu_table[1].state = VCPU_OFF;
    vcpu_table[0].state = VCPU_BLOCKED;
    vcpu_table[0].vtimer.cval = 5;
    vcpu_table[0].vtimer.ctl = 3; /* enabled, masked */
    assert_null(pick(0, 10, SCHED_NO_EVENT));
    vcpu_table[0].vtimer.ctl = 0; /* disabled */
    assert_null(pick(0, 10, SCHED_NO_EVENT));
    vcpu_table[0].vtimer.ctl = 2; /* disabled, masked */
    assert_null(pick(0, 10, SCHED_NO_EVENT));
    assert_int_equal(vcpu_table[0].state, VCPU_BLOCKED);
    /* Of two blocked timers the earlier one is the event. */
    vcpu_table[0].vtimer.ctl = 1;
    vcpu_table[0].vtimer.cval = 70;
    vcpu_table[1].state = VCPU_BLOCKED;
    vcpu_table[1].vtimer.ctl = 1;
    vcpu_table[1].vtimer.cval = 60;
    assert_null(pick(0, 10, 60));
}

/* Verifies: LLR-SCHED-003 (a blocked vCPU with a pending virtual interrupt
 * becomes runnable at the next pick) */
static void test_wake_vgic(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    vcpu_table[1].state = VCPU_OFF;
    vcpu_table[0].state = VCPU_BLOCKED;
    assert_null(pick(0, 0, SCHED_NO_EVENT));
    make_pending(&vcpu_table[0]);
    assert_ptr_equal(pick(0, 10, SCHED_NO_EVENT), &vcpu_table[0]);
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
}

/* Verifies: LLR-SCHED-002 (the slice end saturates instead of wrapping) */
static void test_slice_saturates(void **state)
{
    (void)state;
    static const uint32_t pc[2] = {0, 0};
    layout(2, pc);
    assert_ptr_equal(pick(0, UINT64_MAX - 10u, UINT64_MAX), &vcpu_table[0]);
    assert_ptr_equal(pick(0, UINT64_MAX - 1u, UINT64_MAX), &vcpu_table[0]);
}

/* Verifies: LLR-SCHED-001 (a full table of vCPUs on one CPU rotates through
 * all of them) */
static void test_full_ring(void **state)
{
    (void)state;
    uint32_t pc[BH_MAX_VCPUS] = {0};
    layout(BH_MAX_VCPUS, pc);
    for (uint32_t i = 0; i < 2u * BH_MAX_VCPUS; i++) {
        uint64_t now = (uint64_t)i * SLICE;
        assert_ptr_equal(pick(0, now, now + SLICE), &vcpu_table[i % BH_MAX_VCPUS]);
    }
    /* A vCPU count beyond the table is clamped to the table. */
    vcpu_count = BH_MAX_VCPUS + 3u;
    sched_init(SLICE);
    for (uint32_t i = 0; i < BH_MAX_VCPUS + 1u; i++) {
        uint64_t now = (uint64_t)i * SLICE;
        assert_ptr_equal(pick(0, now, now + SLICE), &vcpu_table[i % BH_MAX_VCPUS]);
    }
}

int main(void)
{
    fake_arch_reset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_skip_not_runnable),
        cmocka_unit_test(test_alone),
        cmocka_unit_test(test_yield),
        cmocka_unit_test(test_block),
        cmocka_unit_test(test_wake_timer),
        cmocka_unit_test(test_timer_masked),
        cmocka_unit_test(test_wake_vgic),
        cmocka_unit_test(test_slice_saturates),
        cmocka_unit_test(test_full_ring),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
