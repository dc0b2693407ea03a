/* Unit tests of hyp/core/conin.c (console input focus). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "conin.h"
#include "console.h"
#include "fake_arch.h"
#include "part.h"
#include "sched.h"
#include "vuart.h"

static struct vcpu vc[3];

/* Partition 0 "p0": one vCPU on CPU 0; partition 1 "p1": vCPUs on CPUs 1, 0. */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    console_init();
    memset(part_table, 0, sizeof(part_table));
    memset(vc, 0, sizeof(vc));
    for (uint32_t i = 0; i < 2u; i++) {
        part_table[i].id = i;
        part_table[i].state = PART_RUNNING;
        part_table[i].name[0] = 'p';
        part_table[i].name[1] = (char)('0' + i);
        vuart_reset(i);
    }
    part_table[0].num_vcpus = 1;
    part_table[0].vcpus[0] = &vc[0];
    vc[0].part = &part_table[0];
    part_table[1].num_vcpus = 2;
    part_table[1].vcpus[0] = &vc[1];
    part_table[1].vcpus[1] = &vc[2];
    vc[1].part = &part_table[1];
    vc[1].pcpu = 1;
    vc[1].in_window = true; /* owns CPU 1's window */
    vc[2].part = &part_table[1];
    vc[2].pcpu = 0;
    part_count = 2;
    conin_reset();
    fake.cpu_id = 0;
    return 0;
}

/* Read partition who's receive FIFO through its UARTDR. */
static uint64_t rx(uint32_t who)
{
    uint64_t val = 0xdead;
    struct vcpu *v = part_table[who].vcpus[0];
    assert_int_equal(vuart_mmio(v, VUART_BASE, 4, false, &val), MMIO_HANDLED);
    return val;
}

/* Verifies: LLR-CON-010, LLR-CON-011 (input starts with partition 0; bytes
 * reach its FIFO; its CPU is asked to choose again, no kick to itself) */
static void test_deliver_focus(void **state)
{
    (void)state;
    assert_int_equal(conin_focus(), 0);
    conin_byte('a');
    assert_int_equal(rx(0), 'a');
    assert_int_equal(rx(0), 0);
    assert_int_equal(rx(1), 0);
    assert_true(sched_need_pick(0));
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-CON-011 (a byte for a partition whose vCPU on another CPU
 * is outside its window requests a choice there but kicks nobody) */
static void test_deliver_outside_window(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < CONIN_SWITCH_COUNT; i++) {
        conin_byte(CONIN_SWITCH_CHAR);
    }
    vc[1].in_window = false;
    conin_byte('q');
    assert_int_equal(rx(1), 'q');
    assert_true(sched_need_pick(1));
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-CON-011 (three Ctrl-B move the focus, announced, wrapping
 * round; the bytes go to the new partition and its other CPU is kicked) */
static void test_switch(void **state)
{
    (void)state;
    conin_byte(CONIN_SWITCH_CHAR);
    conin_byte(CONIN_SWITCH_CHAR);
    assert_int_equal(conin_focus(), 0);
    conin_byte(CONIN_SWITCH_CHAR);
    assert_int_equal(conin_focus(), 1);
    assert_string_equal(fake_console(),
                        "(bulkhead) console input: p1 (Ctrl-B three times to switch)\n");
    conin_byte('b');
    assert_int_equal(rx(1), 'b');
    assert_int_equal(rx(0), 0); /* no Ctrl-B was delivered anywhere */
    assert_int_equal(fake.kicks, 1u << 1);
    assert_true(sched_need_pick(1));
    assert_true(sched_need_pick(0));
    for (uint32_t i = 0; i < CONIN_SWITCH_COUNT; i++) {
        conin_byte(CONIN_SWITCH_CHAR);
    }
    assert_int_equal(conin_focus(), 0);
    conin_byte('c');
    assert_int_equal(rx(0), 'c');
    conin_reset();
    assert_int_equal(conin_focus(), 0);
}

/* Verifies: LLR-CON-011 (a Ctrl-B run cut short is delivered before the
 * byte that ended it) */
static void test_short_run(void **state)
{
    (void)state;
    conin_byte(CONIN_SWITCH_CHAR);
    conin_byte(CONIN_SWITCH_CHAR);
    conin_byte('x');
    assert_int_equal(conin_focus(), 0);
    assert_int_equal(rx(0), CONIN_SWITCH_CHAR);
    assert_int_equal(rx(0), CONIN_SWITCH_CHAR);
    assert_int_equal(rx(0), 'x');
    assert_int_equal(rx(0), 0);
    /* the run count starts again after the cut */
    conin_byte(CONIN_SWITCH_CHAR);
    conin_byte(CONIN_SWITCH_CHAR);
    assert_int_equal(conin_focus(), 0);
    conin_byte(CONIN_SWITCH_CHAR);
    assert_int_equal(conin_focus(), 1);
}

/* Verifies: LLR-CON-011 (a full FIFO drops the byte and wakes no CPU) */
static void test_full(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < CONIN_SWITCH_COUNT; i++) {
        conin_byte(CONIN_SWITCH_CHAR);
    }
    for (uint32_t i = 0; i < VUART_RX_FIFO; i++) {
        conin_byte('f');
    }
    assert_int_equal(fake.kicks, 1u << 1);
    fake.kicks = 0;
    conin_byte('g');
    assert_int_equal(fake.kicks, 0); /* nothing delivered, nobody woken */
    for (uint32_t i = 0; i < VUART_RX_FIFO; i++) {
        assert_int_equal(rx(1), 'f');
    }
    assert_int_equal(rx(1), 0);
}

/* Verifies: LLR-CON-010, LLR-CON-011 (no partitions, or a table larger than
 * the hypervisor's: no switch, nothing delivered, no fault; missing vCPU
 * entries and more vCPUs than a partition holds are tolerated) */
static void test_defensive(void **state)
{
    (void)state;
    part_count = 0;
    for (uint32_t i = 0; i < CONIN_SWITCH_COUNT; i++) {
        conin_byte(CONIN_SWITCH_CHAR);
    }
    conin_byte('a');
    assert_int_equal(conin_focus(), 0);
    part_count = BH_MAX_PARTS + 1u;
    for (uint32_t i = 0; i < CONIN_SWITCH_COUNT; i++) {
        conin_byte(CONIN_SWITCH_CHAR);
    }
    assert_int_equal(conin_focus(), 0);
    assert_string_equal(fake_console(), "");
    part_count = 2;
    part_table[0].num_vcpus = BH_MAX_VCPUS_PER_PART + 1u; /* extra entries NULL */
    conin_byte('h');
    assert_int_equal(rx(0), 'h');
    assert_true(sched_need_pick(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_deliver_focus, setup),
        cmocka_unit_test_setup(test_switch, setup),
        cmocka_unit_test_setup(test_deliver_outside_window, setup),
        cmocka_unit_test_setup(test_short_run, setup),
        cmocka_unit_test_setup(test_full, setup),
        cmocka_unit_test_setup(test_defensive, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
