/* Unit tests of hyp/core/vuart.c (emulated PL011). */
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
#include "vuart.h"

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
        vc[i].part = &part_table[i];
        vuart_reset(i);
    }
    memcpy(part_table[0].name, "u0", 3);
    memcpy(part_table[1].name, "u1", 3);
    part_count = 2;
    return 0;
}

static enum mmio_result rd(uint32_t who, uint64_t off, uint32_t size, uint64_t *val)
{
    return vuart_mmio(&vc[who], VUART_BASE + off, size, false, val);
}

static enum mmio_result wr(uint32_t who, uint64_t off, uint32_t size, uint64_t val)
{
    return vuart_mmio(&vc[who], VUART_BASE + off, size, true, &val);
}

/* Verifies: LLR-VUART-001 (UARTDR writes reach the console, 8 and 32 bit) */
static void test_dr_write(void **state)
{
    (void)state;
    assert_int_equal(wr(0, 0x000, 1, 'h'), MMIO_HANDLED);
    assert_int_equal(wr(0, 0x000, 4, 0x1200u | 'i'), MMIO_HANDLED); /* only the low byte */
    assert_int_equal(wr(0, 0x000, 1, '\n'), MMIO_HANDLED);
    assert_string_equal(fake_console(), "[u0] hi\n");
    assert_int_equal(wr(1, 0x000, 4, 'x'), MMIO_HANDLED);
    assert_int_equal(wr(1, 0x000, 4, '\n'), MMIO_HANDLED);
    assert_string_equal(fake_console(), "[u0] hi\n[u1] x\n");
}

/* Verifies: LLR-VUART-001, LLR-VUART-011 (empty FIFO: UARTDR reads 0, UARTFR reports TX and RX empty) */
static void test_dr_fr_read(void **state)
{
    (void)state;
    uint64_t val = 0xdead;
    assert_int_equal(rd(0, 0x000, 1, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    val = 0xdead;
    assert_int_equal(rd(0, 0x000, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    assert_int_equal(rd(0, 0x018, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x90);
    /* UARTFR is read-only. */
    assert_int_equal(wr(0, 0x018, 4, 0xFFFFFFFFu), MMIO_HANDLED);
    assert_int_equal(rd(0, 0x018, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x90);
}

/* Verifies: LLR-VUART-001, LLR-VUART-002 (UARTCR/UARTIMSC store, read back,
 * reset, and are per partition) */
static void test_cr_imsc(void **state)
{
    (void)state;
    uint64_t val = 0;
    assert_int_equal(rd(0, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x300);
    assert_int_equal(rd(0, 0x038, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    assert_int_equal(wr(0, 0x030, 4, 0xFFFF0301u), MMIO_HANDLED);
    assert_int_equal(wr(0, 0x038, 4, 0xFFFFFFFFu), MMIO_HANDLED);
    assert_int_equal(rd(0, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x0301);
    assert_int_equal(rd(0, 0x038, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x7FF);
    /* The other partition's UART is untouched. */
    assert_int_equal(rd(1, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x300);
    assert_int_equal(rd(1, 0x038, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    /* Reset restores the reset values; an out-of-range id is ignored. */
    vuart_reset(BH_MAX_PARTS);
    assert_int_equal(rd(0, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x0301);
    vuart_reset(0);
    assert_int_equal(rd(0, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x300);
    assert_int_equal(rd(0, 0x038, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
}

/* Verifies: LLR-VUART-001, LLR-VUART-011 (empty FIFO: UARTRIS/UARTMIS read 0, UARTICR ignores writes) */
static void test_irq_regs(void **state)
{
    (void)state;
    uint64_t val = 1;
    assert_int_equal(wr(0, 0x038, 4, 0x7FF), MMIO_HANDLED);
    assert_int_equal(wr(0, 0x044, 4, 0x7FF), MMIO_HANDLED);
    assert_int_equal(wr(0, 0x03C, 4, 0x7FF), MMIO_HANDLED);
    assert_int_equal(rd(0, 0x03C, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    val = 1;
    assert_int_equal(rd(0, 0x040, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    val = 1;
    assert_int_equal(rd(0, 0x044, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-VUART-001 (peripheral and cell IDs of a PL011) */
static void test_ids(void **state)
{
    (void)state;
    static const uint64_t id[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    for (uint32_t i = 0; i < 8u; i++) {
        uint64_t val = 0xdead;
        assert_int_equal(rd(1, 0xFE0u + 4u * i, 4, &val), MMIO_HANDLED);
        assert_int_equal(val, id[i]);
        assert_int_equal(wr(1, 0xFE0u + 4u * i, 4, 0), MMIO_HANDLED);
        assert_int_equal(rd(1, 0xFE0u + 4u * i, 4, &val), MMIO_HANDLED);
        assert_int_equal(val, id[i]);
    }
}

/* Verifies: LLR-VUART-001 (reserved offsets read as zero, ignore writes) */
static void test_reserved(void **state)
{
    (void)state;
    static const uint64_t off[] = {0x004, 0x024, 0x048, 0x100, 0xFDC};
    for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
        uint64_t val = 0xdead;
        assert_int_equal(wr(0, off[i], 4, 0xFFFFFFFFu), MMIO_HANDLED);
        assert_int_equal(rd(0, off[i], 4, &val), MMIO_HANDLED);
        assert_int_equal(val, 0);
    }
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-VUART-001 (widths other than 32-bit, 8-bit only at UARTDR,
 * and misaligned accesses are refused) */
static void test_bad_access(void **state)
{
    (void)state;
    uint64_t val = 0x5a;
    assert_int_equal(rd(0, 0x000, 2, &val), MMIO_BAD_ACCESS);
    assert_int_equal(wr(0, 0x000, 2, 'a'), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x000, 8, &val), MMIO_BAD_ACCESS);
    assert_int_equal(wr(0, 0x000, 8, 'a'), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x018, 1, &val), MMIO_BAD_ACCESS);
    assert_int_equal(wr(0, 0x030, 1, 0), MMIO_BAD_ACCESS);
    assert_int_equal(wr(0, 0x001, 1, 'a'), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x002, 4, &val), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x031, 4, &val), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x018, 0, &val), MMIO_BAD_ACCESS);
    assert_int_equal(val, 0x5a);
    assert_string_equal(fake_console(), "");
    /* A refused write leaves the register as it was. */
    assert_int_equal(wr(0, 0x032, 4, 0), MMIO_BAD_ACCESS);
    assert_int_equal(rd(0, 0x030, 4, &val), MMIO_HANDLED);
    assert_int_equal(val, 0x300);
}

/* Verifies: LLR-VUART-001 (addresses outside the window are not claimed) */
static void test_not_mine(void **state)
{
    (void)state;
    uint64_t val = 0;
    assert_int_equal(vuart_mmio(&vc[0], VUART_BASE - 4u, 4, false, &val), MMIO_NOT_MINE);
    assert_int_equal(vuart_mmio(&vc[0], VUART_BASE + VUART_SIZE, 4, false, &val), MMIO_NOT_MINE);
    assert_int_equal(vuart_mmio(&vc[0], 0, 4, false, &val), MMIO_NOT_MINE);
    assert_int_equal(vuart_mmio(&vc[0], UINT64_MAX - 3u, 4, false, &val), MMIO_NOT_MINE);
    assert_int_equal(vuart_mmio(&vc[0], VUART_BASE + VUART_SIZE - 4u, 4, false, &val),
                     MMIO_HANDLED);
}

/* Verifies: LLR-VUART-001 (malformed callers get MMIO_BAD_ACCESS, no fault) */
static void test_defensive(void **state)
{
    (void)state;
    uint64_t val = 0;
    struct vcpu orphan = {0};
    struct partition far = {0};
    struct vcpu far_v = {0};
    far.id = BH_MAX_PARTS;
    far_v.part = &far;
    assert_int_equal(vuart_mmio(NULL, VUART_BASE, 4, false, &val), MMIO_BAD_ACCESS);
    assert_int_equal(vuart_mmio(&orphan, VUART_BASE, 4, false, &val), MMIO_BAD_ACCESS);
    assert_int_equal(vuart_mmio(&far_v, VUART_BASE, 4, false, &val), MMIO_BAD_ACCESS);
    assert_int_equal(vuart_mmio(&vc[0], VUART_BASE, 4, false, NULL), MMIO_BAD_ACCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_dr_write, setup),
        cmocka_unit_test_setup(test_dr_fr_read, setup),
        cmocka_unit_test_setup(test_cr_imsc, setup),
        cmocka_unit_test_setup(test_irq_regs, setup),
        cmocka_unit_test_setup(test_ids, setup),
        cmocka_unit_test_setup(test_reserved, setup),
        cmocka_unit_test_setup(test_bad_access, setup),
        cmocka_unit_test_setup(test_not_mine, setup),
        cmocka_unit_test_setup(test_defensive, setup),
    };
    return cmocka_run_group_tests_name("vuart", tests, NULL, NULL);
}
