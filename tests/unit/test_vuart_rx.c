/* Unit tests of the receive side of hyp/core/vuart.c (emulated PL011). */
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
#include "vgic.h"
#include "vuart.h"

#define DR 0x000u
#define FR 0x018u
#define IMSC 0x038u
#define RIS 0x03Cu
#define MIS 0x040u
#define ICR 0x044u

static struct vcpu vc[2];

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
        part_table[i].num_vcpus = 1;
        part_table[i].vcpus[0] = &vc[i];
        vc[i].part = &part_table[i];
        vuart_reset(i);
    }
    part_count = 2;
    return 0;
}

static uint64_t rd(uint32_t who, uint32_t off)
{
    uint64_t val = 0xdead;
    assert_int_equal(vuart_mmio(&vc[who], VUART_BASE + off, 4, false, &val), MMIO_HANDLED);
    return val;
}

static void wr(uint32_t who, uint32_t off, uint64_t val)
{
    assert_int_equal(vuart_mmio(&vc[who], VUART_BASE + off, 4, true, &val), MMIO_HANDLED);
}

static uint8_t spi_pending(uint32_t who)
{
    return part_table[who].vgic.spi[VGIC_SPI_VPL011 - VGIC_NUM_PRIVATE].pending;
}

/* Verifies: LLR-VUART-010, LLR-VUART-011 (bytes are read back in order, per
 * partition; UARTFR RXFE follows the FIFO) */
static void test_fifo_order(void **state)
{
    (void)state;
    assert_true(vuart_rx_push(&part_table[0], 'a'));
    assert_true(vuart_rx_push(&part_table[0], 'b'));
    assert_int_equal(rd(0, FR), 0x80);
    assert_int_equal(rd(1, FR), 0x90); /* the other partition's FIFO is empty */
    assert_int_equal(rd(0, DR), 'a');
    uint64_t val = 0;
    assert_int_equal(vuart_mmio(&vc[0], VUART_BASE + DR, 1, false, &val), MMIO_HANDLED);
    assert_int_equal(val, 'b');
    assert_int_equal(rd(0, FR), 0x90);
    assert_int_equal(rd(0, DR), 0); /* empty reads as zero */
    assert_int_equal(rd(1, DR), 0);
}

/* Verifies: LLR-VUART-010, LLR-VUART-011 (a full FIFO sets RXFF and refuses
 * further bytes; it wraps round; reset empties it) */
static void test_full_wrap_reset(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < VUART_RX_FIFO; i++) {
        assert_true(vuart_rx_push(&part_table[0], (char)('A' + i)));
    }
    assert_false(vuart_rx_push(&part_table[0], 'z'));
    assert_int_equal(rd(0, FR), 0xC0); /* TXFE | RXFF */
    assert_int_equal(rd(0, DR), 'A');
    assert_true(vuart_rx_push(&part_table[0], '!')); /* lands at the wrapped slot */
    for (uint32_t i = 1; i < VUART_RX_FIFO; i++) {
        assert_int_equal(rd(0, DR), 'A' + i);
    }
    assert_int_equal(rd(0, DR), '!');
    assert_int_equal(rd(0, FR), 0x90);
    assert_true(vuart_rx_push(&part_table[0], 'q'));
    vuart_reset(0);
    assert_int_equal(rd(0, FR), 0x90);
    assert_int_equal(rd(0, DR), 0);
}

/* Verifies: LLR-VUART-010 (invalid partitions are refused) */
static void test_push_invalid(void **state)
{
    (void)state;
    struct partition bad = {0};
    bad.id = BH_MAX_PARTS;
    assert_false(vuart_rx_push(NULL, 'x'));
    assert_false(vuart_rx_push(&bad, 'x'));
}

/* Verifies: LLR-VUART-010, LLR-VUART-011 (RIS/MIS show the receive
 * condition; SPI 32 is raised on a push only when unmasked, and when
 * unmasking with data waiting; UARTICR does not clear it) */
static void test_interrupt(void **state)
{
    (void)state;
    assert_int_equal(rd(0, RIS), 0);
    assert_true(vuart_rx_push(&part_table[0], 'x'));
    assert_int_equal(rd(0, RIS), 0x50);
    assert_int_equal(rd(0, MIS), 0);
    assert_int_equal(spi_pending(0), 0); /* masked: nothing raised */
    wr(0, IMSC, 0x10);                    /* RXIM: raised now */
    assert_int_equal(rd(0, MIS), 0x10);
    assert_int_equal(spi_pending(0), 1);
    assert_true(vc[0].vgic.dirty);
    wr(0, ICR, 0x7FF);
    assert_int_equal(rd(0, RIS), 0x50);
    assert_int_equal(rd(0, DR), 'x');
    assert_int_equal(rd(0, MIS), 0);
    part_table[0].vgic.spi[0].pending = 0;
    wr(0, IMSC, 0x50); /* unmasking with nothing waiting raises nothing */
    assert_int_equal(spi_pending(0), 0);
    assert_true(vuart_rx_push(&part_table[0], 'y')); /* unmasked push raises */
    assert_int_equal(spi_pending(0), 1);
    assert_int_equal(spi_pending(1), 0);
}

/* Verifies: LLR-VUART-010, LLR-VGIC-012 (bytes pushed from CPU 0 for a
 * partition whose vCPU 0 runs on CPU 1 post SPI 32 to that vCPU's inbox and
 * kick CPU 1; its own CPU applies it) */
static void test_interrupt_remote(void **state)
{
    (void)state;
    vc[1].pcpu = 1;
    vc[1].in_window = true;
    fake.cpu_id = 0;
    wr(1, IMSC, 0x10);
    fake.kicks = 0;
    assert_true(vuart_rx_push(&part_table[1], 'r'));
    assert_int_equal(fake.kicks, 1u << 1);
    assert_int_equal(spi_pending(1), 0);
    assert_true(vgic_drain(&vc[1]));
    assert_int_equal(spi_pending(1), 1);
}

/* Verifies: LLR-VUART-010 (a partition without a vCPU 0 gets the byte but
 * no interrupt) */
static void test_no_vcpu(void **state)
{
    (void)state;
    wr(1, IMSC, 0x50);
    part_table[1].num_vcpus = 0;
    assert_true(vuart_rx_push(&part_table[1], 'a'));
    assert_int_equal(spi_pending(1), 0);
    part_table[1].num_vcpus = 1;
    part_table[1].vcpus[0] = NULL;
    assert_true(vuart_rx_push(&part_table[1], 'b'));
    assert_int_equal(spi_pending(1), 0);
    assert_int_equal(rd(1, DR), 'a');
    assert_int_equal(rd(1, DR), 'b');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fifo_order, setup),
        cmocka_unit_test_setup(test_full_wrap_reset, setup),
        cmocka_unit_test_setup(test_push_invalid, setup),
        cmocka_unit_test_setup(test_interrupt, setup),
        cmocka_unit_test_setup(test_interrupt_remote, setup),
        cmocka_unit_test_setup(test_no_vcpu, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
