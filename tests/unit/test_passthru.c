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
#include "part.h"
#include "passthru.h"
#include "vgic.h"

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
    /* routed masked, then unmasked: the owner holds nothing yet */
    assert_false(masked(79));
    assert_non_null(strstr(fake.console,
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
        strstr(fake.console, "partition disk: stage-2 map of a device failed (table pool exhausted or range already mapped)"));
}

/* Verifies: LLR-PT-011, LLR-PT-012 */
static void test_forward_and_complete(void **state)
{
    (void)state;
    passthru_init(&cfg);
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
    /* completed: unmasked, once */
    part_table[0].vgic.spi[1].in_lr = 0;
    passthru_sync(&part_table[0]);
    assert_false(masked(79));
    fake.irq_masked[2] |= 1u << 15;
    passthru_sync(&part_table[0]);
    assert_true(masked(79)); /* not masked by passthru: left alone */
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
    v->vgic.waker = 0;
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

/* Verifies: LLR-PT-015 */
static void test_reset_after_restart(void **state)
{
    (void)state;
    passthru_init(&cfg);
    assert_true(passthru_irq(79));
    assert_true(masked(79));
    vgic_init(&part_table[0]); /* a restart forgets the guest's state */
    assert_int_equal(part_table[0].vgic.notify, 0);
    passthru_reset(&part_table[1]); /* not the owner: nothing changes */
    assert_int_equal(part_table[1].vgic.notify, 0);
    assert_true(masked(79));
    passthru_reset(&part_table[0]);
    assert_int_equal(part_table[0].vgic.notify, 1u << 1);
    assert_false(masked(79));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_init_maps_and_routes), T(test_init_bounded),    T(test_init_pool_exhausted_halts),
        T(test_forward_and_complete), T(test_forward_outside_window), T(test_forward_follows_routing),
        T(test_lr_requests_eoi),      T(test_reset_after_restart),
    };
    return cmocka_run_group_tests_name("passthru", tests, NULL, NULL);
}
