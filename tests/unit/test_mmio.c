/* Unit tests of hyp/core/mmio.c (routing of trapped MMIO to the devices). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "mmio.h"
#include "part.h"
#include "vgic.h"
#include "vuart.h"

static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    console_init();
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    struct partition *p = &part_table[0];
    memcpy(p->name, "m0", 3);
    p->state = PART_RUNNING;
    p->num_vcpus = 1;
    p->vcpus[0] = &vcpu_table[0];
    vcpu_table[0].part = p;
    vcpu_table[0].state = VCPU_RUNNABLE;
    part_count = 1;
    vcpu_count = 1;
    vgic_init(p);
    vuart_reset(0);
    return 0;
}

/* Verifies: LLR-MMIO-001 (UART window accesses reach the virtual UART) */
static void test_uart(void **state)
{
    (void)state;
    uint64_t val = 0;
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VUART_BASE + 0x18u, 4, false, &val),
                     MMIO_HANDLED);
    assert_int_equal(val, 0x90);
    val = 'k';
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VUART_BASE, 1, true, &val), MMIO_HANDLED);
    val = '\n';
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VUART_BASE, 1, true, &val), MMIO_HANDLED);
    assert_string_equal(fake_console(), "[m0] k\n");
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VUART_BASE + 0x18u, 2, false, &val),
                     MMIO_BAD_ACCESS);
}

/* Verifies: LLR-MMIO-001 (GIC windows reach the virtual GIC, its answers,
 * refusals included, are passed on) */
static void test_gic(void **state)
{
    (void)state;
    uint64_t val = 0;
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VGIC_GICD_BASE, 4, false, &val), MMIO_HANDLED);
    assert_int_equal(val & 0x50u, 0x50u); /* GICD_CTLR: ARE and DS read as one */
    val = 2;
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VGIC_GICD_BASE, 4, true, &val), MMIO_HANDLED);
    assert_int_equal(part_table[0].vgic.ctlr & 2u, 2u);
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VGIC_GICD_BASE, 2, false, &val),
                     MMIO_BAD_ACCESS);
    assert_int_equal(mmio_dispatch(&vcpu_table[0], VGIC_GICR_BASE, 4, false, &val), MMIO_HANDLED);
    assert_string_equal(fake_console(), "");
}

/* Verifies: LLR-MMIO-001 (an address no device claims is reported as such) */
static void test_unclaimed(void **state)
{
    (void)state;
    uint64_t val = 0x77;
    static const uint64_t gpa[] = {
        0,           VGIC_GICD_BASE - 4u, VUART_BASE - 4u, VUART_BASE + VUART_SIZE,
        0x40000000u, UINT64_MAX - 3u};
    for (size_t i = 0; i < sizeof(gpa) / sizeof(gpa[0]); i++) {
        assert_int_equal(mmio_dispatch(&vcpu_table[0], gpa[i], 4, false, &val), MMIO_NOT_MINE);
        assert_int_equal(mmio_dispatch(&vcpu_table[0], gpa[i], 4, true, &val), MMIO_NOT_MINE);
    }
    assert_int_equal(val, 0x77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_uart, setup),
        cmocka_unit_test_setup(test_gic, setup),
        cmocka_unit_test_setup(test_unclaimed, setup),
    };
    return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
