/* Unit tests of hyp/core/passthru.c (pass-through devices) and of the EOI
 * request vgic.c puts in the list register of a pass-through SPI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "fake_arch.h"
#include "mmio.h"
#include "part.h"
#include "passthru.h"
#include "vgic.h"
#include "vuart.h"

#define LR_EOI (1ull << 41)

static struct bh_cfg cfg;

static bool masked(uint32_t intid)
{
    return ((fake.irq_masked[intid / 32u] >> (intid % 32u)) & 1u) != 0u;
}

/* Partition 0 ("disk") with vCPU 0 on CPU 1 and vCPU 1 on CPU 0, partition 1
 * ("other") on CPU 0; partition 0 owns one device (SPI 79 as 33). */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    memset(&cfg, 0, sizeof(cfg));
    static const uint32_t pcpu[3] = {1, 0, 0};
    for (uint32_t g = 0; g < 3; g++) {
        struct partition *p = &part_table[g < 2u ? 0u : 1u];
        struct vcpu *v = &vcpu_table[g];
        v->part = p;
        v->gid = g;
        v->vid = p->num_vcpus;
        v->pcpu = pcpu[g];
        p->vcpus[p->num_vcpus++] = v;
    }
    strcpy(part_table[0].name, "disk");
    strcpy(part_table[1].name, "other");
    part_table[1].id = 1;
    part_count = 2;
    vcpu_count = 3;
    vgic_init(&part_table[0]);
    vgic_init(&part_table[1]);
    cfg.num_parts = 2;
    cfg.num_passthru = 1;
    cfg.passthru[0].base = 0x0a003000;
    cfg.passthru[0].size = 0x1000;
    cfg.passthru[0].part = 0;
    cfg.passthru[0].pintid = 79;
    cfg.passthru[0].vintid = 33;
    return 0;
}

/* Verifies: LLR-PT-010 */
static void test_init_maps_and_routes(void **state)
{
    (void)state;
    passthru_init(&cfg);
    assert_int_equal(fake.dev_count, 1);
    assert_int_equal(fake.s2[0].part_id, 0);
    assert_int_equal(fake.s2[0].gpa, 0x0a003000);
    assert_int_equal(fake.s2[0].pa, 0x0a003000);
    assert_int_equal(fake.s2[0].size, 0x1000);
    assert_true(((fake.irq_routed[2] >> 15) & 1u) != 0u);
    assert_int_equal(fake.irq_route_cpu, 1);
    assert_int_equal(part_table[0].vgic.notify, 1u << 1);
    assert_int_equal(part_table[1].vgic.notify, 0);
    /* routed masked, and it stays so: no window has an owner yet */
    assert_true(masked(79));
    assert_non_null(strstr(fake_console(),
                           "partition disk: device 0xa003000+0x1000 passed through, SPI 79 as 33"));
}

/* Verifies: LLR-PT-010 (never more entries than the table holds) */
static void test_init_bounded(void **state)
{
    (void)state;
    cfg.num_passthru = BH_CFG_MAX_PASSTHRU + 1u;
    for (uint32_t k = 1; k < BH_CFG_MAX_PASSTHRU; k++) {
        cfg.passthru[k] = cfg.passthru[0];
        cfg.passthru[k].base += 0x1000u * k;
        cfg.passthru[k].pintid += k;
        cfg.passthru[k].vintid += k;
    }
    passthru_init(&cfg);
    assert_int_equal(fake.dev_count, BH_CFG_MAX_PASSTHRU);
    assert_int_equal(part_table[0].vgic.notify, 0x1Eu);
}

/* Verifies: LLR-PT-010 */
static void test_init_pool_exhausted_halts(void **state)
{
    (void)state;
    jmp_buf jb;
    fake.dev_fail = 1;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        passthru_init(&cfg);
        fail_msg("no halt");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(fake.halted, 1);
    assert_non_null(
        strstr(fake_console(), "partition disk: stage-2 map of a device failed (table pool exhausted or range already mapped)"));
}

/* Verifies: LLR-PT-011, LLR-PT-012, LLR-PT-026 */
static void test_forward_and_complete(void **state)
{
    (void)state;
    passthru_init(&cfg);
    passthru_window(1, &part_table[0]); /* the owner holds CPU 1's window */
    assert_false(masked(79));
    fake.cpu_id = 0;
    vcpu_table[0].in_window = true; /* vCPU 0 owns CPU 1's window */
    vcpu_table[1].in_window = true; /* vCPU 1 is on this CPU */
    assert_false(passthru_irq(80)); /* not a pass-through SPI */
    assert_false(masked(79));
    assert_true(passthru_irq(79));
    assert_true(masked(79));
    assert_int_equal(part_table[0].vgic.spi[1].pending, 1);
    assert_int_equal(fake.kicks, 1u << 1); /* vCPU 0's CPU, not this one */
    /* another partition's sync never unmasks it */
    passthru_sync(&part_table[1]);
    assert_true(masked(79));
    /* pending in the owner: stays masked */
    passthru_sync(&part_table[0]);
    assert_true(masked(79));
    /* active (acknowledged, not completed): stays masked */
    part_table[0].vgic.spi[1].pending = 0;
    part_table[0].vgic.spi[1].active = 1;
    passthru_sync(&part_table[0]);
    assert_true(masked(79));
    /* held in a list register: stays masked */
    part_table[0].vgic.spi[1].active = 0;
    part_table[0].vgic.spi[1].in_lr = 1;
    passthru_sync(&part_table[0]);
    assert_true(masked(79));
    /* completed: unmasked, once (no distributor write while the answer
     * stays the same) */
    part_table[0].vgic.spi[1].in_lr = 0;
    passthru_sync(&part_table[0]);
    assert_false(masked(79));
    uint32_t calls = fake.irq_mask_calls;
    passthru_sync(&part_table[0]);
    assert_int_equal(fake.irq_mask_calls, calls);
}

/* Verifies: LLR-PT-011, LLR-PT-012, LLR-PT-026 (completed while another
 * partition holds the window of the SPI's CPU: it stays masked until the
 * owner's window) */
static void test_complete_outside_window(void **state)
{
    (void)state;
    passthru_init(&cfg);
    passthru_window(1, &part_table[0]);
    assert_true(passthru_irq(79));
    passthru_window(1, &part_table[1]); /* the window ends with the SPI held */
    assert_true(masked(79));
    part_table[0].vgic.spi[1].pending = 0; /* the owner completes it on CPU 0 */
    passthru_sync(&part_table[0]);
    assert_true(masked(79));
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
}

/* Verifies: LLR-PT-011, LLR-VGIC-016 (no kick into another partition's
 * window: the owner's vCPU on the other CPU is outside its window) */
static void test_forward_outside_window(void **state)
{
    (void)state;
    passthru_init(&cfg);
    fake.cpu_id = 0;
    vcpu_table[0].in_window = false;
    assert_true(passthru_irq(79));
    assert_int_equal(part_table[0].vgic.spi[1].pending, 1);
    assert_true(vgic_dirty(&vcpu_table[0].vgic)); /* seen when its window starts */
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-PT-011, LLR-VGIC-016 (the kick follows the virtual SPI's
 * routing: routed to the owner's vCPU on this CPU, the owner's other CPU is
 * left alone) */
static void test_forward_follows_routing(void **state)
{
    (void)state;
    passthru_init(&cfg);
    fake.cpu_id = 0;
    vcpu_table[0].in_window = true;
    vcpu_table[1].in_window = true;
    part_table[0].vgic.spi[1].target = 1; /* as an IROUTER write to vCPU 1 leaves it */
    assert_true(passthru_irq(79));
    assert_int_equal(part_table[0].vgic.spi[1].pending, 1);
    assert_true(vgic_dirty(&vcpu_table[1].vgic));
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-PT-026 (enabled only while the owner holds the window of
 * the CPU the SPI is routed to and no guest state holds its virtual SPI) */
static void test_window_gates(void **state)
{
    (void)state;
    passthru_init(&cfg); /* routed to CPU 1, vCPU 0's */
    passthru_window(0, &part_table[0]); /* the owner on another CPU: no effect */
    assert_true(masked(79));
    passthru_window(1, &part_table[1]); /* another partition's window */
    assert_true(masked(79));
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
    uint32_t calls = fake.irq_mask_calls;
    passthru_window(1, &part_table[0]); /* the same partition again: nothing */
    assert_int_equal(fake.irq_mask_calls, calls);
    passthru_window(1, NULL); /* a gap */
    assert_true(masked(79));
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
    passthru_window(0, &part_table[1]); /* CPU 0's windows do not concern it */
    assert_false(masked(79));
    passthru_window(1, &part_table[1]);
    assert_true(masked(79));
    /* forwarded in the owner's window: held until completed, across the
     * owner's next window start too */
    passthru_window(1, &part_table[0]);
    assert_true(passthru_irq(79));
    passthru_window(1, &part_table[1]);
    passthru_window(1, &part_table[0]);
    assert_true(masked(79));
    part_table[0].vgic.spi[1].pending = 0;
    passthru_sync(&part_table[0]);
    assert_false(masked(79));
    /* a CPU beyond the table is ignored */
    calls = fake.irq_mask_calls;
    passthru_window(BH_MAX_CPUS, &part_table[1]);
    assert_int_equal(fake.irq_mask_calls, calls);
    assert_false(masked(79));
}

/* Verifies: LLR-PT-010, LLR-PT-026 (without devices a window change does
 * nothing; a new init forgets the windows' owners) */
static void test_window_without_devices(void **state)
{
    (void)state;
    passthru_init(&cfg);
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
    cfg.num_passthru = 0;
    passthru_init(&cfg);
    uint32_t calls = fake.irq_mask_calls;
    passthru_window(1, &part_table[1]);
    passthru_window(1, &part_table[0]);
    assert_int_equal(fake.irq_mask_calls, calls);
    assert_false(masked(79)); /* no longer a device: left alone */
    cfg.num_passthru = 1;
    passthru_init(&cfg);
    assert_true(masked(79)); /* CPU 1's owner forgotten: masked until told */
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
}

static uint64_t gicd_irouter(uint32_t intid)
{
    return VGIC_GICD_BASE + 0x6000u + 8u * intid;
}

/* Verifies: LLR-PT-027, LLR-MMIO-001 (the physical SPI follows the virtual
 * SPI's routing, through every guest write the vGIC handles, and is enabled
 * on its new CPU only in the owner's window there) */
static void test_routing_follows_vspi(void **state)
{
    (void)state;
    struct vcpu *v = &vcpu_table[0];
    uint64_t val;
    passthru_init(&cfg);
    passthru_window(1, &part_table[0]);
    passthru_window(0, &part_table[1]);
    assert_false(masked(79));
    /* to vCPU 1, on CPU 0, whose window "other" holds: moved, masked */
    val = 1u;
    assert_int_equal(mmio_dispatch(v, gicd_irouter(33), 8, true, &val), MMIO_HANDLED);
    assert_int_equal(fake.irq_route_cpu, 0);
    assert_true(masked(79));
    passthru_window(0, &part_table[0]);
    assert_false(masked(79));
    /* to an affinity no vCPU has: unrouted, so back to vCPU 0's CPU */
    val = 7u;
    assert_int_equal(mmio_dispatch(v, gicd_irouter(33), 8, true, &val), MMIO_HANDLED);
    assert_int_equal(fake.irq_route_cpu, 1);
    assert_false(masked(79)); /* the owner holds CPU 1's window too */
    /* 1 of N selects vCPU 0: on its CPU already, nothing moves */
    uint32_t calls = fake.irq_mask_calls;
    val = 0x80000000u;
    assert_int_equal(mmio_dispatch(v, gicd_irouter(33), 8, true, &val), MMIO_HANDLED);
    assert_int_equal(fake.irq_mask_calls, calls);
    /* only a write the vGIC handled looks again: not a read, not a write of
     * the virtual UART, not a refused write */
    part_table[0].vgic.spi[1].target = 1;
    assert_int_equal(mmio_dispatch(v, gicd_irouter(33), 8, false, &val), MMIO_HANDLED);
    val = 'x';
    assert_int_equal(mmio_dispatch(v, VUART_BASE, 1, true, &val), MMIO_HANDLED);
    val = 0u;
    assert_int_equal(mmio_dispatch(v, VGIC_GICD_BASE + 0x0400u, 2, true, &val),
                     MMIO_BAD_ACCESS);
    assert_int_equal(fake.irq_route_cpu, 1);
    val = 0x80u; /* IPRIORITYR of SPI 32 */
    assert_int_equal(mmio_dispatch(v, VGIC_GICD_BASE + 0x0420u, 1, true, &val), MMIO_HANDLED);
    assert_int_equal(fake.irq_route_cpu, 0);
}

/* Verifies: LLR-PT-027 (a vCPU's CPU beyond the table is taken as CPU 0) */
static void test_route_bad_cpu(void **state)
{
    (void)state;
    vcpu_table[0].pcpu = BH_MAX_CPUS + 3u;
    passthru_init(&cfg);
    assert_int_equal(fake.irq_route_cpu, 0);
    passthru_window(0, &part_table[0]);
    assert_false(masked(79));
}

/* Verifies: LLR-PT-027 (vgic_spi_vcpu: the routed vCPU of an SPI; NULL
 * when unrouted or not an SPI) */
static void test_vgic_spi_vcpu(void **state)
{
    (void)state;
    struct partition *p = &part_table[0];
    assert_ptr_equal(vgic_spi_vcpu(p, 33), &vcpu_table[0]);
    p->vgic.spi[1].target = 1;
    assert_ptr_equal(vgic_spi_vcpu(p, 33), &vcpu_table[1]);
    p->vgic.spi[1].target = VGIC_NO_TARGET;
    assert_null(vgic_spi_vcpu(p, 33));
    assert_null(vgic_spi_vcpu(p, 31));
    assert_null(vgic_spi_vcpu(p, VGIC_NUM_IRQS));
    assert_ptr_equal(vgic_spi_vcpu(p, VGIC_NUM_IRQS - 1u), &vcpu_table[0]);
}

/* Verifies: LLR-PT-013 */
static void test_lr_requests_eoi(void **state)
{
    (void)state;
    uint64_t lr[4];
    bool under = false;
    struct vcpu *v = part_table[0].vcpus[0];
    passthru_init(&cfg);
    part_table[0].vgic.ctlr = 2u; /* EnableGrp1 */
    for (uint32_t s = 0; s < 3u; s++) {
        part_table[0].vgic.spi[s].enabled = 1;
    }
    v->vgic.priv[VGIC_PPI_VTIMER].enabled = 1;
    vgic_inject(v, 33);
    vgic_inject(v, 34);
    vgic_inject(v, VGIC_PPI_VTIMER);
    assert_int_equal(vgic_lr_fill(v, lr, 4, &under), 3);
    for (uint32_t i = 0; i < 3u; i++) {
        uint32_t intid = (uint32_t)(lr[i] & 0xFFFFu);
        assert_int_equal((lr[i] & LR_EOI) != 0u, intid == 33u);
    }
}

/* Verifies: LLR-PT-015, LLR-PT-026, LLR-PT-027 */
static void test_reset_after_restart(void **state)
{
    (void)state;
    uint64_t val = 1u;
    passthru_init(&cfg);
    passthru_window(1, &part_table[0]);
    passthru_window(0, &part_table[0]);
    assert_int_equal(mmio_dispatch(&vcpu_table[0], gicd_irouter(33), 8, true, &val),
                     MMIO_HANDLED);
    assert_int_equal(fake.irq_route_cpu, 0); /* to vCPU 1, CPU 0 */
    assert_true(passthru_irq(79));
    assert_true(masked(79));
    vgic_init(&part_table[0]); /* a restart forgets the guest's state */
    assert_int_equal(part_table[0].vgic.notify, 0);
    passthru_reset(&part_table[1]); /* not the owner: nothing changes */
    assert_int_equal(part_table[1].vgic.notify, 0);
    assert_true(masked(79));
    passthru_reset(&part_table[0]);
    assert_int_equal(part_table[0].vgic.notify, 1u << 1);
    assert_int_equal(fake.irq_route_cpu, 1); /* routed to vCPU 0 again */
    assert_false(masked(79));
    /* a restart while another partition holds the SPI's CPU: masked until
     * the owner's window */
    assert_true(passthru_irq(79));
    passthru_window(1, &part_table[1]);
    vgic_init(&part_table[0]);
    passthru_reset(&part_table[0]);
    assert_true(masked(79));
    passthru_window(1, &part_table[0]);
    assert_false(masked(79));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_maps_and_routes),    T(test_init_bounded),
        T(test_init_pool_exhausted_halts), T(test_forward_and_complete),
        T(test_complete_outside_window), T(test_forward_outside_window),
        T(test_forward_follows_routing), T(test_window_gates),
        T(test_window_without_devices),  T(test_routing_follows_vspi),
        T(test_route_bad_cpu),           T(test_vgic_spi_vcpu),
        T(test_lr_requests_eoi),         T(test_reset_after_restart),
    };
    return cmocka_run_group_tests_name("passthru", tests, NULL, NULL);
}
