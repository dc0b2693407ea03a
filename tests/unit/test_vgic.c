/* Unit tests of hyp/core/vgic.c and vgic_mmio.c: a partition with 2 vCPUs built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "part.h"
#include "vgic.h"

static struct partition tp;
static struct vcpu tv[BH_MAX_VCPUS_PER_PART];

#define GICD(off) (VGIC_GICD_BASE + (off))
#define GICR(k, off) (VGIC_GICR_BASE + (uint64_t)(k)*VGIC_GICR_STRIDE + (off))
#define GICR_SGI(k, off) (GICR(k, 0x10000u + (off)))
#define SPI(n) (&tp.vgic.spi[(n)-VGIC_NUM_PRIVATE])

#define LR_STATE(x) ((x) >> 62)
#define LR_PEND (1ull << 62)
#define LR_ACT (2ull << 62)

static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    memset(&tp, 0xA5, sizeof(tp)); /* vgic_init must not rely on zeroed memory */
    memset(tv, 0xA5, sizeof(tv));
    tp.vgic.lock.word = 0u; /* in zeroed memory on the target, never reset */
    tp.id = 0;
    tp.num_vcpus = 2;
    for (uint32_t k = 0; k < BH_MAX_VCPUS_PER_PART; k++) {
        tv[k].part = &tp;
        tv[k].gid = k;
        tv[k].vid = k;
        tv[k].pcpu = k;
        tv[k].state = VCPU_RUNNABLE;
        tv[k].in_window = true;
        tp.vcpus[k] = k < 2u ? &tv[k] : NULL;
    }
    vgic_init(&tp);
    return 0;
}

static uint64_t rd(struct vcpu *v, uint64_t gpa, uint32_t size)
{
    uint64_t val = 0xDEADBEEFull;
    assert_int_equal(vgic_mmio(v, gpa, size, false, &val), MMIO_HANDLED);
    return val;
}

static void wr(struct vcpu *v, uint64_t gpa, uint32_t size, uint64_t val)
{
    assert_int_equal(vgic_mmio(v, gpa, size, true, &val), MMIO_HANDLED);
}

static uint64_t rd32(uint64_t gpa)
{
    return rd(&tv[0], gpa, 4);
}

static void wr32(uint64_t gpa, uint64_t val)
{
    wr(&tv[0], gpa, 4, val);
}

static void clear_dirty(void)
{
    tv[0].vgic.dirty = false;
    tv[1].vgic.dirty = false;
}

/* Verifies: LLR-VGIC-001 */
static void test_init_reset(void **state)
{
    (void)state;
    assert_int_equal(tp.vgic.ctlr, 0);
    for (uint32_t i = 0; i < VGIC_NUM_SPIS; i++) {
        const struct vgic_irq *q = &tp.vgic.spi[i];
        assert_int_equal(q->priority | q->enabled | q->pending | q->active, 0);
        assert_int_equal(q->edge | q->in_lr | q->target | q->pend_extra, 0);
        assert_int_equal(q->group1, 1);
        assert_int_equal(tp.vgic.irouter[i], 0);
    }
    for (uint32_t k = 0; k < 2u; k++) {
        const struct vgic_cpu *c = &tv[k].vgic;
        for (uint32_t i = 0; i < VGIC_NUM_PRIVATE; i++) {
            assert_int_equal(c->priv[i].priority | c->priv[i].enabled, 0);
            assert_int_equal(c->priv[i].pending | c->priv[i].active, 0);
            assert_int_equal(c->priv[i].edge, i < 16u ? 1 : 0);
            assert_int_equal(c->priv[i].group1, 1);
        }
        assert_int_equal(c->lr_count, 0);
        assert_false(c->dirty);
        /* as the guest sees it */
        assert_int_equal(rd32(GICR_SGI(k, 0xC00)), 0xAAAAAAAAu);
        assert_int_equal(rd32(GICR_SGI(k, 0xC04)), 0);
        assert_int_equal(rd32(GICR(k, 0x14)), 0); /* GICR_WAKER: RAZ, as Xen's */
        assert_int_equal(rd32(GICR_SGI(k, 0x100)), 0);
        assert_int_equal(rd32(GICR_SGI(k, 0x41C)), 0);
    }
    /* the third vCPU (not in the partition) is untouched */
    assert_int_equal(tv[2].vgic.lr_count, 0xA5A5A5A5u);
}

/* Verifies: LLR-VGIC-003 */
static void test_gicd_ctlr(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD(0)), 0x50); /* ARE_NS, DS; RWP 0 */
    wr32(GICD(0), 0xFFFFFFFFu);
    assert_int_equal(rd32(GICD(0)), 0x52); /* only EnableGrp1 is writable */
    assert_true(tv[0].vgic.dirty);
    assert_true(tv[1].vgic.dirty);
    wr32(GICD(0), 0x10);
    assert_int_equal(rd32(GICD(0)), 0x50);
    assert_int_equal(tp.vgic.ctlr, 0);
}

/* Verifies: LLR-VGIC-003 */
static void test_gicd_id_regs(void **state)
{
    (void)state;
    static const uint32_t ro[] = {0x4, 0x8, 0xC, 0x10, 0xFFE8};
    static const uint32_t expect[] = {0x780001u, VGIC_IIDR, 0, 0, 0x3B};
    for (uint32_t i = 0; i < 5u; i++) {
        assert_int_equal(rd32(GICD(ro[i])), expect[i]);
        wr32(GICD(ro[i]), 0x12345678u);
        assert_int_equal(rd32(GICD(ro[i])), expect[i]);
    }
    assert_false(tv[0].vgic.dirty);
}

/* Verifies: LLR-VGIC-004 */
static void test_gicd_igroupr(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD(0x80)), 0);
    assert_int_equal(rd32(GICD(0x84)), 0xFFFFFFFFu);
    assert_int_equal(rd32(GICD(0x88)), 0);
    wr32(GICD(0x84), 0);
    assert_int_equal(rd32(GICD(0x84)), 0xFFFFFFFFu);
    assert_int_equal(SPI(40)->group1, 1);
}

/* Verifies: LLR-VGIC-004 */
static void test_gicd_enable_pend_active(void **state)
{
    (void)state;
    static const uint32_t set[] = {0x100, 0x200, 0x300};
    static const uint32_t clr[] = {0x180, 0x280, 0x380};
    for (uint32_t r = 0; r < 3u; r++) {
        setup(NULL);
        wr32(GICD(set[r] + 4u), 0x80000005u);
        assert_true(tv[0].vgic.dirty); /* SPIs route to vCPU 0 at reset */
        assert_false(tv[1].vgic.dirty);
        assert_int_equal(rd32(GICD(set[r] + 4u)), 0x80000005u);
        assert_int_equal(rd32(GICD(clr[r] + 4u)), 0x80000005u);
        wr32(GICD(clr[r] + 4u), 0x00000001u);
        assert_int_equal(rd32(GICD(set[r] + 4u)), 0x80000004u);
        uint8_t got[3] = {SPI(34)->enabled, SPI(34)->pending, SPI(34)->active};
        assert_int_equal(got[r], 1);
        assert_int_equal(got[(r + 1u) % 3u] | got[(r + 2u) % 3u], 0);
        assert_int_equal(SPI(32)->enabled | SPI(32)->pending | SPI(32)->active, 0);
        /* SGIs/PPIs and interrupts past the last SPI: RAZ/WI */
        wr32(GICD(set[r]), 0xFFFFFFFFu);
        wr32(GICD(set[r] + 8u), 0xFFFFFFFFu);
        assert_int_equal(rd32(GICD(set[r])), 0);
        assert_int_equal(rd32(GICD(clr[r] + 8u)), 0);
        assert_int_equal(tv[0].vgic.priv[3].enabled | tv[0].vgic.priv[3].pending, 0);
    }
}

/* Verifies: LLR-VGIC-004 */
static void test_gicd_priority(void **state)
{
    (void)state;
    wr32(GICD(0x420), 0xFFFFFFFFu); /* interrupts 32..35 */
    assert_int_equal(rd32(GICD(0x420)), 0xF8F8F8F8u);
    wr(&tv[0], GICD(0x421), 1, 0x17);
    assert_int_equal(rd(&tv[0], GICD(0x421), 1), 0x10);
    assert_int_equal(rd32(GICD(0x420)), 0xF8F810F8u);
    assert_int_equal(SPI(33)->priority, 0x10);
    wr(&tv[0], GICD(0x43F), 1, 0xA8);
    assert_int_equal(SPI(63)->priority, 0xA8);
    /* private and unimplemented interrupts */
    wr(&tv[0], GICD(0x400), 1, 0xFF);
    wr32(GICD(0x41C), 0xFFFFFFFFu);
    wr32(GICD(0x440), 0xFFFFFFFFu);
    assert_int_equal(rd(&tv[0], GICD(0x400), 1), 0);
    assert_int_equal(rd32(GICD(0x41C)), 0);
    assert_int_equal(rd32(GICD(0x7FC)), 0);
    assert_int_equal(tv[0].vgic.priv[0].priority, 0);
}

/* Verifies: LLR-VGIC-004 */
static void test_gicd_icfgr(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICD(0xC08)), 0); /* SPIs reset level */
    wr32(GICD(0xC08), 0xFFFFFFFFu);
    assert_int_equal(rd32(GICD(0xC08)), 0xAAAAAAAAu);
    assert_int_equal(SPI(47)->edge, 1);
    wr32(GICD(0xC08), 0x00000008u); /* only interrupt 33 edge */
    assert_int_equal(rd32(GICD(0xC08)), 0x8);
    assert_int_equal(SPI(32)->edge, 0);
    assert_int_equal(SPI(33)->edge, 1);
    assert_int_equal(rd32(GICD(0xC00)), 0); /* SGI/PPI: RAZ/WI */
    wr32(GICD(0xC04), 0);
    assert_int_equal(tv[0].vgic.priv[16].edge, 0);
    assert_int_equal(tv[0].vgic.priv[0].edge, 1);
}

/* Verifies: LLR-VGIC-002 */
static void test_gicd_raz_wi(void **state)
{
    (void)state;
    static const uint32_t offs[] = {0x10,  0x40,  0x800,  0x820,  0xD00,  0xD04, 0xE00,
                                    0xE08, 0xF00, 0x5000, 0x8000, 0xFFE4, 0xFFFC};
    for (uint32_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        wr32(GICD(offs[i]), 0xFFFFFFFFu);
        assert_int_equal(rd32(GICD(offs[i])), 0);
    }
    assert_int_equal(rd32(GICD(0)), 0x50);
    assert_int_equal(tv[0].vgic.priv[0].pending, 0); /* GICD_SGIR ignored */
}

/* Verifies: LLR-VGIC-005 */
static void test_gicd_irouter(void **state)
{
    (void)state;
    uint64_t r33 = GICD(0x6000u + 8u * 33u);
    assert_int_equal(rd(&tv[0], r33, 8), 0);
    SPI(33)->pending = 1;
    wr(&tv[0], r33, 8, 0xFFFFFFFF00000001ull); /* Aff3 is RES0 (A3V=0) */
    assert_int_equal(rd(&tv[0], r33, 8), 1);
    assert_int_equal(SPI(33)->target, 1);
    assert_true(tv[0].vgic.dirty); /* old target */
    assert_true(tv[1].vgic.dirty); /* new target */
    assert_int_equal(rd(&tv[0], r33, 4), 1);
    assert_int_equal(rd(&tv[0], r33 + 4u, 4), 0);
    wr(&tv[0], r33 + 4u, 4, 0x5); /* high half: Aff3 */
    assert_int_equal(tp.vgic.irouter[1], 1);
    wr(&tv[0], r33, 4, 0x80000001u); /* 1 of N: vCPU 0 */
    assert_int_equal(rd(&tv[0], r33, 8), 0x80000001u);
    assert_int_equal(SPI(33)->target, 0);
    wr(&tv[0], r33, 4, 0x2); /* no vCPU with Aff0 2 */
    assert_int_equal(SPI(33)->target, VGIC_NO_TARGET);
    clear_dirty();
    wr(&tv[0], r33, 4, 0x101); /* Aff1 1: not in the partition */
    assert_int_equal(SPI(33)->target, VGIC_NO_TARGET);
    assert_false(tv[0].vgic.dirty || tv[1].vgic.dirty);
    wr(&tv[0], r33, 4, 0x10000); /* Aff2 1 */
    assert_int_equal(SPI(33)->target, VGIC_NO_TARGET);
    wr(&tv[0], r33, 8, 0x0);
    assert_int_equal(SPI(33)->target, 0);
    assert_true(tv[0].vgic.dirty);
    /* IROUTER<n> of SGIs/PPIs and beyond the last SPI: RAZ/WI */
    wr(&tv[0], GICD(0x6000u + 8u * 5u), 8, 1);
    wr(&tv[0], GICD(0x6000u + 8u * 64u), 8, 1);
    assert_int_equal(rd(&tv[0], GICD(0x6000u + 8u * 5u), 8), 0);
    assert_int_equal(rd(&tv[0], GICD(0x6000u + 8u * 64u), 4), 0);
    assert_int_equal(rd(&tv[0], GICD(0x6000u + 8u * 1019u), 8), 0);
    uint64_t v = 0;
    assert_int_equal(vgic_mmio(&tv[0], r33, 1, false, &v), MMIO_BAD_ACCESS);
    assert_int_equal(vgic_mmio(&tv[0], r33 + 4u, 8, false, &v), MMIO_BAD_ACCESS);
    assert_int_equal(vgic_mmio(&tv[0], GICD(0x7FE0), 8, false, &v), MMIO_BAD_ACCESS);
}

/* Verifies: LLR-VGIC-006 */
static void test_gicr_rd_base(void **state)
{
    (void)state;
    assert_int_equal(rd(&tv[0], GICR(0, 0x8), 8), 0);
    assert_int_equal(rd(&tv[0], GICR(1, 0x8), 8), 0x0000000100000110ull);
    assert_int_equal(rd(&tv[1], GICR(1, 0x8), 4), 0x110);
    assert_int_equal(rd(&tv[1], GICR(1, 0xC), 4), 1);
    wr(&tv[0], GICR(1, 0x8), 8, 0);
    assert_int_equal(rd(&tv[0], GICR(1, 0x8), 8), 0x0000000100000110ull);
    for (uint32_t k = 0; k < 2u; k++) {
        assert_int_equal(rd32(GICR(k, 0x4)), VGIC_IIDR);
        assert_int_equal(rd32(GICR(k, 0xFFE8)), 0x3B);
        wr32(GICR(k, 0x0), 0xFFFFFFFFu); /* GICR_CTLR: no LPIs */
        wr32(GICR(k, 0x10), 0xFFFFFFFFu);
        assert_int_equal(rd32(GICR(k, 0x0)), 0);
        assert_int_equal(rd32(GICR(k, 0x10)), 0);
        assert_int_equal(rd32(GICR(k, 0x80)), 0);
    }
    /* WAKER: reads as zero, writes ignored (as Xen's vGICv3) */
    wr32(GICR(1, 0x14), 0x2);
    assert_int_equal(rd32(GICR(1, 0x14)), 0);
    assert_false(tv[1].vgic.dirty);
    wr32(GICR(1, 0x14), 0x4);
    assert_int_equal(rd32(GICR(1, 0x14)), 0);
}

/* Verifies: LLR-VGIC-006, LLR-VGIC-004 */
static void test_gicr_sgi_base(void **state)
{
    (void)state;
    assert_int_equal(rd32(GICR_SGI(1, 0x80)), 0xFFFFFFFFu);
    wr32(GICR_SGI(1, 0x80), 0);
    assert_int_equal(rd32(GICR_SGI(1, 0x80)), 0xFFFFFFFFu);
    /* vCPU 0 writes vCPU 1's redistributor */
    wr32(GICR_SGI(1, 0x100), 0x08000002u);
    assert_true(tv[1].vgic.dirty);
    assert_false(tv[0].vgic.dirty);
    assert_int_equal(tv[1].vgic.priv[27].enabled, 1);
    assert_int_equal(tv[0].vgic.priv[27].enabled, 0);
    assert_int_equal(rd(&tv[1], GICR_SGI(1, 0x180), 4), 0x08000002u);
    wr32(GICR_SGI(1, 0x180), 0x2);
    assert_int_equal(rd32(GICR_SGI(1, 0x100)), 0x08000000u);
    wr32(GICR_SGI(0, 0x200), 0x80000001u);
    wr32(GICR_SGI(0, 0x280), 0x1);
    assert_int_equal(rd32(GICR_SGI(0, 0x200)), 0x80000000u);
    wr32(GICR_SGI(0, 0x300), 0x6);
    wr32(GICR_SGI(0, 0x380), 0x4);
    assert_int_equal(rd32(GICR_SGI(0, 0x300)), 0x2);
    /* IPRIORITYR0..7, word and byte */
    wr32(GICR_SGI(0, 0x41C), 0x01020384u);
    assert_int_equal(rd32(GICR_SGI(0, 0x41C)), 0x00000080u);
    wr(&tv[0], GICR_SGI(0, 0x401), 1, 0xFF);
    assert_int_equal(tv[0].vgic.priv[1].priority, 0xF8);
    assert_int_equal(rd(&tv[0], GICR_SGI(0, 0x401), 1), 0xF8);
    assert_int_equal(rd32(GICR_SGI(0, 0x420)), 0); /* past IPRIORITYR7 */
    uint64_t v = 0;
    assert_int_equal(vgic_mmio(&tv[0], GICR_SGI(0, 0x421), 1, false, &v), MMIO_BAD_ACCESS);
    /* ICFGR0 fixed edge; ICFGR1 configurable */
    wr32(GICR_SGI(0, 0xC00), 0);
    assert_int_equal(rd32(GICR_SGI(0, 0xC00)), 0xAAAAAAAAu);
    wr32(GICR_SGI(0, 0xC04), 0xFFFFFFFFu);
    assert_int_equal(rd32(GICR_SGI(0, 0xC04)), 0xAAAAAAAAu);
    assert_int_equal(tv[0].vgic.priv[31].edge, 1);
    wr32(GICR_SGI(0, 0xC04), 0x00800000u);
    assert_int_equal(rd32(GICR_SGI(0, 0xC04)), 0x00800000u);
    assert_int_equal(tv[0].vgic.priv[27].edge, 1);
    assert_int_equal(tv[0].vgic.priv[26].edge, 0);
    /* IGRPMODR0, NSACR, reserved: RAZ/WI */
    static const uint32_t raz[] = {0xD00, 0xE00, 0xE04, 0x84, 0xC08, 0x0, 0xFFFC};
    for (uint32_t i = 0; i < sizeof(raz) / sizeof(raz[0]); i++) {
        wr32(GICR_SGI(0, raz[i]), 0xFFFFFFFFu);
        assert_int_equal(rd32(GICR_SGI(0, raz[i])), 0);
    }
}

/* Verifies: LLR-VGIC-002 */
static void test_widths_alignment(void **state)
{
    (void)state;
    static const struct {
        uint64_t gpa;
        uint32_t size;
    } bad[] = {
        {GICD(0x0), 2},          {GICD(0x0), 8},          {GICD(0x0), 1},
        {GICD(0x0), 0},          {GICD(0x0), 3},          {GICD(0x0), 16},
        {GICD(0x2), 4},          {GICD(0x104), 8},        {GICD(0x100), 8},
        {GICR(0, 0x10), 8},      {GICD(0x101), 1},        {GICD(0x5000), 8},
        {GICD(0x5000), 1},       {GICD(0x6104), 8},       {GICD(0x420), 2},
        {GICR(0, 0x8), 1},       {GICR(0, 0xC), 8},       {GICR(0, 0x14), 8},
        {GICR(1, 0x6), 4},       {GICR_SGI(0, 0x100), 8}, {GICR_SGI(1, 0x400), 8},
        {GICR_SGI(1, 0xC00), 1},
    };
    for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t v = 0x1234;
        assert_int_equal(vgic_mmio(&tv[0], bad[i].gpa, bad[i].size, false, &v), MMIO_BAD_ACCESS);
        assert_int_equal(v, 0x1234);
        assert_int_equal(vgic_mmio(&tv[0], bad[i].gpa, bad[i].size, true, &v), MMIO_BAD_ACCESS);
    }
    assert_int_equal(tp.vgic.ctlr, 0);
    /* write values wider than the access are cut to it */
    wr(&tv[0], GICD(0x420), 1, 0xFFFFFF08ull);
    assert_int_equal(rd32(GICD(0x420)), 0x08);
    wr32(GICD(0x104), 0xFFFFFFFF00000001ull);
    assert_int_equal(rd32(GICD(0x104)), 1);
}

/* Verifies: LLR-VGIC-002 */
static void test_outside_windows(void **state)
{
    (void)state;
    static const uint64_t out[] = {
        0,
        VGIC_GICD_BASE - 4u,
        VGIC_GICD_BASE + VGIC_GICD_SIZE,
        VGIC_GICR_BASE - 4u,
        VGIC_GICR_BASE + VGIC_GICR_SIZE,
        GICR(2, 0x8), /* frame of a vCPU the partition lacks */
        GICR_SGI(2, 0x100),
        GICR(127, 0x0),
        0xFFFFFFFFFFFFFFF0ull,
    };
    for (uint32_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
        uint64_t v = 0x55;
        assert_int_equal(vgic_mmio(&tv[0], out[i], 4, false, &v), MMIO_NOT_MINE);
        assert_int_equal(v, 0x55);
        assert_int_equal(vgic_mmio(&tv[1], out[i], 4, true, &v), MMIO_NOT_MINE);
    }
    assert_int_equal(rd32(GICD(VGIC_GICD_SIZE - 4u)), 0);
    assert_int_equal(rd32(GICR(1, VGIC_GICR_STRIDE - 4u)), 0);
}

/* Verifies: LLR-VGIC-002, LLR-VGIC-001 */
static void test_vcpu_count_clamped(void **state)
{
    (void)state;
    /* a corrupt count never indexes past vcpus[] */
    tp.num_vcpus = BH_MAX_VCPUS_PER_PART + 1u;
    for (uint32_t k = 0; k < BH_MAX_VCPUS_PER_PART; k++) {
        tp.vcpus[k] = &tv[k];
    }
    vgic_init(&tp);
    uint64_t last = BH_MAX_VCPUS_PER_PART - 1u;
    assert_int_equal(rd32(GICR(last, 0x8)), (last << 8) | 0x10);
    uint64_t v = 0;
    assert_int_equal(vgic_mmio(&tv[0], GICR(BH_MAX_VCPUS_PER_PART, 0x8), 4, false, &v),
                     MMIO_NOT_MINE);
    fake.kicks = 0;
    assert_int_equal(vgic_sgi(&tv[0], 1ull << 40), 0xE);
    assert_int_equal(fake.kicks, 0xE); /* the CPUs it reports are the ones it kicked */
}

/* Verifies: LLR-VGIC-007 */
static void test_inject(void **state)
{
    (void)state;
    vgic_inject(&tv[1], 27);
    assert_int_equal(tv[1].vgic.priv[27].pending, 1);
    assert_int_equal(tv[0].vgic.priv[27].pending, 0);
    assert_true(tv[1].vgic.dirty);
    assert_false(tv[0].vgic.dirty);
    clear_dirty();
    wr(&tv[0], GICD(0x6000u + 8u * 40u), 8, 1);
    clear_dirty();
    fake.kicks = 0;
    vgic_inject(&tv[0], 40); /* SPI goes to its routed vCPU */
    assert_int_equal(SPI(40)->pending, 1);
    assert_true(tv[1].vgic.dirty);
    assert_false(tv[0].vgic.dirty);
    assert_int_equal(fake.kicks, 1u << 1); /* vCPU 1 is in its window on CPU 1 */
    clear_dirty();
    wr(&tv[0], GICD(0x6000u + 8u * 41u), 8, 7);
    clear_dirty();
    fake.kicks = 0;
    vgic_inject(&tv[1], 41); /* unrouted: pending, nobody told */
    assert_int_equal(SPI(41)->pending, 1);
    assert_false(tv[0].vgic.dirty || tv[1].vgic.dirty);
    assert_int_equal(fake.kicks, 0);
    vgic_inject(&tv[1], 27); /* a PPI of another CPU's vCPU: the caller kicks it */
    assert_int_equal(fake.kicks, 1u << 1);
    vgic_inject(&tv[0], VGIC_NUM_IRQS);
    vgic_inject(&tv[0], 1023);
    vgic_inject(&tv[0], 0xFFFFFFFFu);
    assert_false(tv[0].vgic.dirty);
    vgic_inject(&tv[0], VGIC_NUM_IRQS - 1u);
    assert_int_equal(SPI(VGIC_NUM_IRQS - 1u)->pending, 1);
}

/* Verifies: LLR-VGIC-008 */
static void test_has_pending(void **state)
{
    (void)state;
    assert_false(vgic_has_pending(&tv[0]));
    vgic_inject(&tv[0], 27);
    assert_false(vgic_has_pending(&tv[0])); /* disabled */
    wr32(GICR_SGI(0, 0x100), 1u << 27);
    assert_true(vgic_has_pending(&tv[0])); /* the redistributor is never asleep */
    assert_false(vgic_has_pending(&tv[1]));
    wr32(GICR_SGI(0, 0x280), 1u << 27);
    assert_false(vgic_has_pending(&tv[0]));
    /* SPIs: enabled, group 1 enabled in the distributor, routed here */
    vgic_inject(&tv[0], 50);
    wr32(GICD(0x104), 1u << 18);
    assert_false(vgic_has_pending(&tv[0]));
    wr32(GICD(0), 0x2);
    assert_true(vgic_has_pending(&tv[0]));
    assert_false(vgic_has_pending(&tv[1])); /* routed to vCPU 0 */
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 1);
    assert_false(vgic_has_pending(&tv[0]));
    assert_true(vgic_has_pending(&tv[1]));
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 9);
    assert_false(vgic_has_pending(&tv[0]) || vgic_has_pending(&tv[1]));
    /* active only does not count */
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 0);
    wr32(GICD(0x284), 1u << 18);
    wr32(GICD(0x304), 1u << 18);
    assert_false(vgic_has_pending(&tv[0]));
}

/* Verifies: LLR-VGIC-012 (a post to a vCPU of another CPU waits in its
 * inbox until that CPU drains it; a post to this CPU's vCPU is immediate; an
 * INTID out of range is refused; a reset empties the inbox) */
static void test_post_and_drain(void **state)
{
    (void)state;
    fake.cpu_id = 0;
    assert_false(vgic_post(&tv[0], VGIC_NUM_IRQS));
    assert_false(vgic_post(&tv[0], VGIC_PPI_EVTCHN));
    assert_int_equal(tv[0].vgic.priv[VGIC_PPI_EVTCHN].pending, 1);
    assert_int_equal(fake.kicks, 0);
    assert_true(vgic_post(&tv[1], VGIC_PPI_EVTCHN));
    assert_int_equal(fake.kicks, 1u << 1); /* the post kicks when it says so */
    assert_true(vgic_post(&tv[1], 3));
    assert_int_equal(tv[1].vgic.priv[VGIC_PPI_EVTCHN].pending, 0);
    assert_true(vgic_drain(&tv[1]));
    assert_int_equal(tv[1].vgic.priv[VGIC_PPI_EVTCHN].pending, 1);
    assert_int_equal(tv[1].vgic.priv[3].pending, 1);
    assert_true(tv[1].vgic.dirty);
    assert_false(vgic_drain(&tv[1]));
    assert_true(vgic_post(&tv[1], 4));
    vgic_init(&tp);
    assert_false(vgic_drain(&tv[1]));
    assert_int_equal(tv[1].vgic.priv[4].pending, 0);
}

/* Verifies: LLR-VGIC-012, LLR-VGIC-016 (a posted SPI routed to a vCPU of
 * another CPU is drained where it was posted and kicks the routed vCPU's CPU
 * when that vCPU is in its window; a PPI drained on its own CPU kicks none) */
static void test_drain_kicks_routed_vcpu(void **state)
{
    (void)state;
    wr(&tv[0], GICD(0x6000u + 8u * 40u), 8, 1); /* SPI 40 to vCPU 1 */
    fake.cpu_id = 1;
    fake.kicks = 0;
    assert_true(vgic_post(&tv[0], 40)); /* posted to vCPU 0, in its window on CPU 0 */
    assert_true(vgic_post(&tv[0], VGIC_PPI_EVTCHN));
    assert_int_equal(fake.kicks, 1u << 0);
    fake.kicks = 0;
    fake.cpu_id = 0;
    assert_true(vgic_drain(&tv[0]));
    assert_int_equal(SPI(40)->pending, 1);
    assert_int_equal(tv[0].vgic.priv[VGIC_PPI_EVTCHN].pending, 1);
    assert_int_equal(fake.kicks, 1u << 1); /* for the SPI; the PPI is this CPU's */
    /* the routed vCPU out of its window: nobody kicked */
    tv[1].in_window = false;
    fake.cpu_id = 1;
    assert_true(vgic_post(&tv[0], 40));
    fake.kicks = 0;
    fake.cpu_id = 0;
    assert_true(vgic_drain(&tv[0]));
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-VGIC-014 (a post to a vCPU outside its window is kept in
 * its inbox and asks for no kick: the CPU runs another partition) */
static void test_post_outside_window(void **state)
{
    (void)state;
    fake.cpu_id = 0;
    tv[1].in_window = false;
    assert_false(vgic_post(&tv[1], VGIC_PPI_EVTCHN));
    assert_int_equal(tv[1].vgic.priv[VGIC_PPI_EVTCHN].pending, 0);
    assert_true(vgic_drain(&tv[1]));
    assert_int_equal(tv[1].vgic.priv[VGIC_PPI_EVTCHN].pending, 1);
    /* an SGI to it: posted, no CPU to kick */
    assert_int_equal(vgic_sgi(&tv[0], (1ull << 24) | 2u), 0u);
    assert_true(vgic_drain(&tv[1]));
    assert_int_equal(tv[1].vgic.priv[1].pending, 1);
}

/* Verifies: LLR-VGIC-016 (a guest write that changes state of a vCPU in its
 * window on another CPU kicks that CPU, after the lock is released; reads,
 * writes that concern only this CPU's vCPUs and vCPUs outside their window
 * kick nobody) */
static void test_write_kicks_remote(void **state)
{
    (void)state;
    fake.cpu_id = 0;
    wr(&tv[0], GICD(0x6000u + 8u * 33u), 8, 1u); /* SPI 33 to vCPU 1 */
    assert_int_equal(fake.kicks, 1u << 1);
    fake.kicks = 0;
    wr32(GICD(0x100u + 4u), 1u << 1); /* enable SPI 33 */
    assert_int_equal(fake.kicks, 1u << 1);
    fake.kicks = 0;
    (void)rd32(GICD(0x100u + 4u));
    (void)rd32(GICD(0x0u));
    assert_int_equal(fake.kicks, 0);
    wr(&tv[0], GICR_SGI(0, 0x100u), 4, 1u << 27); /* own PPI 27 */
    assert_int_equal(fake.kicks, 0);
    wr(&tv[0], GICR_SGI(1, 0x100u), 4, 1u << 27); /* vCPU 1's PPI 27 */
    assert_int_equal(fake.kicks, 1u << 1);
    fake.kicks = 0;
    wr32(GICD(0x0u), 2u); /* GICD_CTLR: every vCPU */
    assert_int_equal(fake.kicks, 1u << 1);
    /* outside its window: marked, seen when the window starts, no kick */
    fake.kicks = 0;
    tv[1].in_window = false;
    clear_dirty();
    wr32(GICD(0x200u + 4u), 1u << 1); /* SPI 33 pending */
    assert_true(vgic_dirty(&tv[1].vgic));
    assert_int_equal(fake.kicks, 0);
    assert_false(vgic_kick(&tv[1]));
    tv[1].in_window = true;
    assert_true(vgic_kick(&tv[1]));
    assert_false(vgic_kick(&tv[0])); /* this CPU's own vCPU */
    /* a vCPU of this CPU written from another CPU's vCPU is kicked there */
    fake.kicks = 0;
    fake.cpu_id = 1;
    wr(&tv[1], GICR_SGI(0, 0x100u), 4, 1u << 26); /* vCPU 0's PPI 26 */
    assert_int_equal(fake.kicks, 1u << 0);
}

/* Verifies: LLR-VGIC-009, LLR-VGIC-012 */
static void test_sgi_list(void **state)
{
    (void)state;
    fake.cpu_id = 0;
    /* INTID 5, TargetList {0, 1} */
    assert_int_equal(vgic_sgi(&tv[0], (5ull << 24) | 0x3), 0x2);
    assert_int_equal(fake.kicks, 0x2); /* kicked by vgic_sgi itself */
    assert_int_equal(tv[0].vgic.priv[5].pending, 1);
    /* tv[1] runs on CPU 1: posted to its inbox, applied by its own CPU. */
    assert_int_equal(tv[1].vgic.priv[5].pending, 0);
    assert_true(vgic_drain(&tv[1]));
    assert_false(vgic_drain(&tv[1]));
    assert_int_equal(tv[1].vgic.priv[5].pending, 1);
    assert_true(tv[0].vgic.dirty && tv[1].vgic.dirty);
    /* only self: nothing to kick */
    assert_int_equal(vgic_sgi(&tv[0], (15ull << 24) | 0x1), 0);
    assert_int_equal(tv[0].vgic.priv[15].pending, 1);
    assert_int_equal(tv[1].vgic.priv[15].pending, 0);
    /* TargetList bits of absent vCPUs are ignored */
    assert_int_equal(vgic_sgi(&tv[1], (3ull << 24) | 0xFFFC), 0);
    assert_int_equal(tv[0].vgic.priv[3].pending | tv[1].vgic.priv[3].pending, 0);
    /* caller on CPU 1: the target on CPU 0 is kicked */
    fake.cpu_id = 1;
    assert_int_equal(vgic_sgi(&tv[1], (2ull << 24) | 0x1), 0x1);
    (void)vgic_drain(&tv[0]);
    assert_int_equal(tv[0].vgic.priv[2].pending, 1);
    /* both vCPUs on the same CPU: no kick */
    tv[1].pcpu = 1;
    tv[0].pcpu = 1;
    assert_int_equal(vgic_sgi(&tv[1], (4ull << 24) | 0x3), 0);
    /* a CPU number a mask cannot hold is not kicked */
    tv[0].pcpu = 40;
    fake.kicks = 0;
    assert_int_equal(vgic_sgi(&tv[1], (6ull << 24) | 0x1), 0);
    assert_int_equal(fake.kicks, 0);
    (void)vgic_drain(&tv[0]);
    assert_int_equal(tv[0].vgic.priv[6].pending, 1);
}

/* Verifies: LLR-VGIC-009 */
static void test_sgi_affinity_and_broadcast(void **state)
{
    (void)state;
    static const uint64_t none[] = {
        (1ull << 16) | 0x3,  /* Aff1 1 */
        (1ull << 32) | 0x3,  /* Aff2 1 */
        (1ull << 48) | 0x3,  /* Aff3 1 */
        (1ull << 44) | 0x3,  /* RS 1: Aff0 16..31 */
        (15ull << 44) | 0x3, /* RS 15 */
    };
    fake.cpu_id = 0;
    for (uint32_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        assert_int_equal(vgic_sgi(&tv[0], none[i] | (7ull << 24)), 0);
    }
    assert_int_equal(tv[0].vgic.priv[7].pending | tv[1].vgic.priv[7].pending, 0);
    /* IRM: every vCPU but the sender, whatever the affinity fields say */
    assert_int_equal(vgic_sgi(&tv[0], (1ull << 40) | (9ull << 24) | (1ull << 16) | 0x1), 0x2);
    (void)vgic_drain(&tv[1]);
    assert_int_equal(tv[0].vgic.priv[9].pending, 0);
    assert_int_equal(tv[1].vgic.priv[9].pending, 1);
    fake.cpu_id = 1;
    assert_int_equal(vgic_sgi(&tv[1], (1ull << 40) | (8ull << 24)), 0x1);
    (void)vgic_drain(&tv[0]);
    assert_int_equal(tv[0].vgic.priv[8].pending, 1);
    assert_int_equal(tv[1].vgic.priv[8].pending, 0);
    /* INTID is four bits: higher bits never reach a PPI */
    assert_int_equal(vgic_sgi(&tv[1], (0x1Full << 24) | 0x2), 0);
    assert_int_equal(tv[1].vgic.priv[15].pending, 1);
    assert_int_equal(tv[1].vgic.priv[31].pending, 0);
}

/* Make intid pending and enabled for vCPU 0 (awake, distributor on). */
static void make_ready(uint32_t intid, uint8_t prio)
{
    wr32(GICR(0, 0x14), 0);
    wr32(GICD(0), 0x2);
    if (intid < VGIC_NUM_PRIVATE) {
        wr(&tv[0], GICR_SGI(0, 0x400u + intid), 1, prio);
        wr32(GICR_SGI(0, 0x100), 1u << intid);
    } else {
        wr(&tv[0], GICD(0x400u + intid), 1, prio);
        wr32(GICD(0x100u + intid / 32u * 4u), 1u << (intid % 32u));
    }
    vgic_inject(&tv[0], intid);
}

/* Verifies: LLR-VGIC-010 */
static void test_lr_fill_order_encoding(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = true;
    memset(lr, 0xFF, sizeof(lr));
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 0);
    assert_false(uf);
    assert_int_equal(lr[0] | lr[3], 0);
    assert_int_equal(lr[4], 0xFFFFFFFFFFFFFFFFull);
    make_ready(40, 0x80);
    make_ready(27, 0xA0);
    make_ready(3, 0x80);
    make_ready(33, 0x10);
    assert_true(tv[0].vgic.dirty);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 4);
    assert_false(uf);
    assert_false(tv[0].vgic.dirty);
    assert_int_equal(lr[0], LR_PEND | (1ull << 60) | (0x10ull << 48) | 33u);
    assert_int_equal(lr[1], LR_PEND | (1ull << 60) | (0x80ull << 48) | 3u);
    assert_int_equal(lr[2], LR_PEND | (1ull << 60) | (0x80ull << 48) | 40u);
    assert_int_equal(lr[3], LR_PEND | (1ull << 60) | (0xA0ull << 48) | 27u);
    assert_int_equal(tv[0].vgic.lr_count, 4);
    static const uint32_t order[] = {33, 3, 40, 27};
    assert_memory_equal(tv[0].vgic.lr_intid, order, sizeof(order));
    assert_int_equal(SPI(33)->in_lr & SPI(40)->in_lr, 1);
    assert_int_equal(tv[0].vgic.priv[3].in_lr & tv[0].vgic.priv[27].in_lr, 1);
    assert_int_equal(SPI(33)->pending, 1); /* state stays mirrored */
    /* refill without sync starts afresh; fewer LRs than candidates */
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 2, &uf), 2);
    assert_true(uf);
    assert_int_equal(lr[1] & 0xFFFFFFFFu, 3);
    assert_int_equal(tv[0].vgic.priv[27].in_lr | SPI(40)->in_lr, 0);
    assert_int_equal(tv[0].vgic.lr_count, 2);
    /* more LRs asked than exist: VGIC_MAX_LRS at most */
    uint64_t big[VGIC_MAX_LRS + 2u];
    memset(big, 0xFF, sizeof(big));
    assert_int_equal(vgic_lr_fill(&tv[0], big, VGIC_MAX_LRS + 2u, &uf), 4);
    assert_int_equal(big[VGIC_MAX_LRS - 1u], 0);
    assert_int_equal(big[VGIC_MAX_LRS], 0xFFFFFFFFFFFFFFFFull);
}

/* Verifies: LLR-VGIC-010 */
static void test_lr_fill_candidates(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = false;
    make_ready(36, 0x40);
    wr32(GICD(0x184), 1u << 4); /* disabled: pending not shown */
    wr32(GICD(0x304), 1u << 4); /* but active: kept visible */
    vgic_inject(&tv[0], 20);    /* PPI pending, disabled: not a candidate */
    make_ready(45, 0x20);
    wr(&tv[0], GICD(0x6000u + 8u * 45u), 8, 1); /* routed away */
    make_ready(46, 0x20);
    wr32(GICD(0x384), 1u << 14);
    wr(&tv[0], GICD(0x6000u + 8u * 46u), 8, 1);
    wr32(GICD(0x304), 1u << 14); /* active on vCPU 1: not ours */
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    assert_false(uf);
    assert_int_equal(lr[0], LR_ACT | (1ull << 60) | (0x40ull << 48) | 36u);
    assert_int_equal(SPI(36)->pend_extra, 1);
    /* SPIs need the distributor on; private ones nothing more (the
     * redistributor is always awake: GICR_WAKER is RAZ/WI, as Xen's) */
    vgic_lr_sync(&tv[0], lr, 4);
    make_ready(21, 0x00);
    wr32(GICD(0), 0);
    wr32(GICR(0, 0x14), 2); /* ProcessorSleep: ignored */
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 2);
    assert_int_equal(lr[0], LR_PEND | (1ull << 60) | 21u);
    /* active and pending, enabled: state 3 */
    vgic_lr_sync(&tv[0], lr, 4);
    wr32(GICD(0), 2);
    wr32(GICD(0x104), 1u << 4);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 2);
    assert_int_equal(LR_STATE(lr[0]), 1); /* 21 */
    assert_int_equal(lr[1], (3ull << 62) | (1ull << 60) | (0x40ull << 48) | 36u);
}

/* Verifies: LLR-VGIC-011 */
static void test_lr_sync_transitions(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = false;
    make_ready(40, 0x08);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    /* guest acknowledged: active */
    lr[0] = (lr[0] & ~(3ull << 62)) | LR_ACT;
    clear_dirty();
    vgic_lr_sync(&tv[0], lr, 4);
    assert_int_equal(SPI(40)->pending, 0);
    assert_int_equal(SPI(40)->active, 1);
    assert_int_equal(SPI(40)->in_lr, 0);
    assert_int_equal(tv[0].vgic.lr_count, 0);
    assert_true(tv[0].vgic.dirty);
    /* still visible while active, then completed */
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    assert_int_equal(LR_STATE(lr[0]), 2);
    lr[0] &= ~(3ull << 62);
    vgic_lr_sync(&tv[0], lr, 4);
    assert_int_equal(SPI(40)->pending | SPI(40)->active, 0);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 0);
    /* sync with nothing filled changes nothing */
    clear_dirty();
    vgic_lr_sync(&tv[0], lr, 4);
    assert_false(tv[0].vgic.dirty);
    /* pending and active */
    vgic_inject(&tv[0], 40);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    lr[0] |= 3ull << 62;
    vgic_lr_sync(&tv[0], lr, 4);
    assert_int_equal(SPI(40)->pending & SPI(40)->active, 1);
}

/* Verifies: LLR-VGIC-011, LLR-VGIC-007 */
static void test_lr_sync_repend(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = false;
    make_ready(27, 0x10);
    make_ready(34, 0x20);
    make_ready(35, 0x30);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 3);
    vgic_inject(&tv[0], 27);    /* injected after the fill */
    wr32(GICD(0x204), 1u << 2); /* guest sets 34 pending again */
    assert_int_equal(tv[0].vgic.priv[27].pend_extra, 1);
    assert_int_equal(SPI(34)->pend_extra, 1);
    assert_int_equal(SPI(35)->pend_extra, 0);
    lr[0] = (lr[0] & ~(3ull << 62)) | LR_ACT;
    lr[1] &= ~(3ull << 62);
    lr[2] = (lr[2] & ~(3ull << 62)) | LR_ACT;
    vgic_lr_sync(&tv[0], lr, 4);
    assert_int_equal(tv[0].vgic.priv[27].pending & tv[0].vgic.priv[27].active, 1);
    assert_int_equal(SPI(34)->pending, 1);
    assert_int_equal(SPI(34)->active, 0);
    assert_int_equal(SPI(35)->pending, 0);
    assert_int_equal(SPI(35)->active, 1);
    assert_int_equal(tv[0].vgic.priv[27].pend_extra | SPI(34)->pend_extra, 0);
    /* fewer LRs handed back than filled: the rest keep their state */
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 3);
    lr[0] &= ~(3ull << 62);
    vgic_lr_sync(&tv[0], lr, 1);
    assert_int_equal(tv[0].vgic.priv[27].pending | tv[0].vgic.priv[27].active, 0);
    assert_int_equal(SPI(34)->pending, 1);
    assert_int_equal(SPI(35)->active, 1);
    assert_int_equal(SPI(34)->in_lr | SPI(35)->in_lr, 0);
    assert_int_equal(tv[0].vgic.lr_count, 0);
}

/* Verifies: LLR-VGIC-010, LLR-VGIC-005 */
static void test_lr_spi_held_elsewhere(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = false;
    make_ready(50, 0x00);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 1);
    wr32(GICR(1, 0x14), 0);
    assert_true(vgic_has_pending(&tv[1]));
    /* still in vCPU 0's list register: not given to vCPU 1 twice */
    assert_int_equal(vgic_lr_fill(&tv[1], lr, 4, &uf), 0);
    vgic_lr_sync(&tv[0], lr, 0);
    assert_int_equal(vgic_lr_fill(&tv[1], lr, 4, &uf), 1);
    assert_int_equal(lr[0] & 0xFFFFFFFFu, 50);
}

static uint64_t cand_of(const struct vcpu *v)
{
    return v->vgic.cand | v->vgic.cand_in;
}

/* Verifies: LLR-VGIC-013 (the candidate mask: all INTIDs after a change,
 * none after a fill that left nothing behind, only the drained INTIDs after
 * an inbox drain, an interrupt leaving a list register becomes a candidate of
 * the vCPU it is now routed to; vgic_has_pending looks at every INTID while
 * list registers are in use), LLR-VGIC-008, LLR-VGIC-010 */
static void test_candidates(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool uf = false;
    assert_true(cand_of(&tv[0]) == ~0ull); /* after a reset: every INTID */
    wr32(GICR(0, 0x14), 0);
    wr32(GICD(0), 0x2);
    wr32(GICR_SGI(0, 0x100), 1u << VGIC_PPI_EVTCHN);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 0);
    assert_true(cand_of(&tv[0]) == 0u);
    assert_false(vgic_has_pending(&tv[0]));
    fake.cpu_id = 1;
    assert_true(vgic_post(&tv[0], VGIC_PPI_EVTCHN));
    fake.cpu_id = 0;
    assert_true(vgic_drain(&tv[0]));
    assert_true(cand_of(&tv[0]) == 1ull << VGIC_PPI_EVTCHN);
    assert_true(tv[0].vgic.dirty);
    assert_true(vgic_has_pending(&tv[0]));
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    assert_int_equal(lr[0] & 0xFFFFFFFFu, VGIC_PPI_EVTCHN);
    assert_true(cand_of(&tv[0]) == 0u);
    /* in a list register: every INTID is looked at, as without the mask */
    assert_true(vgic_has_pending(&tv[0]));
    /* acknowledged by the guest: active, out of the list register */
    lr[0] = (lr[0] & ~(3ull << 62)) | LR_ACT;
    vgic_lr_sync(&tv[0], lr, 1);
    assert_true(cand_of(&tv[0]) == 1ull << VGIC_PPI_EVTCHN);
    assert_false(vgic_has_pending(&tv[0]));
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 1);
    assert_int_equal(LR_STATE(lr[0]), 2);
    /* more than fit: the mask stays */
    make_ready(20, 0x10);
    assert_true(cand_of(&tv[0]) == ~0ull);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 1, &uf), 1);
    assert_true(uf);
    assert_true(cand_of(&tv[0]) == ~0ull);
    /* an SPI leaving vCPU 0's list register after it was routed to no vCPU
     * is nobody's candidate; routed to vCPU 1, it is vCPU 1's */
    make_ready(50, 0x00);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 3);
    assert_int_equal(vgic_lr_fill(&tv[1], lr, 4, &uf), 0);
    assert_true(cand_of(&tv[1]) == 0u);
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 9);
    vgic_lr_sync(&tv[0], lr, 0);
    assert_true(cand_of(&tv[1]) == 0u);
    assert_int_equal(vgic_lr_fill(&tv[0], lr, 4, &uf), 2);
    wr(&tv[0], GICD(0x6000u + 8u * 50u), 8, 1);
    assert_true(cand_of(&tv[1]) == ~0ull);
    assert_int_equal(vgic_lr_fill(&tv[1], lr, 4, &uf), 1);
    assert_true(cand_of(&tv[1]) == 0u);
    vgic_lr_sync(&tv[1], lr, 0);
    assert_true(cand_of(&tv[1]) == 1ull << 50);
}

/* The hook runs as the entry point asks for the lock: a stand-in for
 * another CPU, which finds it free (nothing else held it) and notes the
 * state of SPI 40 it would see. */
static uint32_t lock_takes;
static uint8_t spi40_pending_seen;

static void lock_hook(bh_lock_t *l)
{
    assert_int_equal(l->word, 0u);
    lock_takes++;
    spi40_pending_seen = SPI(40)->pending;
}

static void expect_locked_once(void)
{
    assert_int_equal(lock_takes, 1u);
    assert_int_equal(tp.vgic.lock.word, 0u); /* released */
    lock_takes = 0u;
    fake_lock_target = &tp.vgic.lock;
    fake_lock_hook = lock_hook;
}

/* Verifies: LLR-VGIC-015 */
static void test_entry_points_take_the_lock(void **state)
{
    (void)state;
    uint64_t lr[VGIC_MAX_LRS];
    bool underflow = false;
    uint64_t val = 1u << 8; /* ISPENDR1 bit 8: SPI 40 */
    lock_takes = 1u;
    expect_locked_once(); /* arms the hook */

    /* A distributor write changes SPI 40 only after the lock is taken. */
    spi40_pending_seen = 0xFF;
    assert_int_equal(vgic_mmio(&tv[0], GICD(0x204), 4, true, &val), MMIO_HANDLED);
    assert_int_equal(spi40_pending_seen, 0u);
    assert_int_equal(SPI(40)->pending, 1u);
    expect_locked_once();

    vgic_inject(&tv[0], 27);
    expect_locked_once();
    (void)vgic_post(&tv[1], 27); /* vCPU 1 is on CPU 1: an atomic post, no lock */
    assert_int_equal(lock_takes, 0u);
    assert_true(vgic_drain(&tv[1]));
    expect_locked_once();
    assert_false(vgic_drain(&tv[1])); /* empty: one load, no lock */
    assert_int_equal(lock_takes, 0u);

    (void)vgic_has_pending(&tv[0]);
    expect_locked_once();
    (void)vgic_lr_fill(&tv[0], lr, 4, &underflow);
    expect_locked_once();
    vgic_lr_sync(&tv[0], lr, 4);
    expect_locked_once();
    assert_false(vgic_irq_idle(&tp, 40)); /* still pending */
    expect_locked_once();
    vgic_init(&tp);
    expect_locked_once();
    assert_true(vgic_irq_idle(&tp, 40));
    expect_locked_once();
    assert_false(vgic_irq_idle(&tp, 27)); /* not an SPI: no lock */
    assert_false(vgic_irq_idle(&tp, VGIC_NUM_IRQS));
    assert_int_equal(lock_takes, 0u);
    fake_lock_hook = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_reset, setup),
        cmocka_unit_test_setup(test_candidates, setup),
        cmocka_unit_test_setup(test_gicd_ctlr, setup),
        cmocka_unit_test_setup(test_gicd_id_regs, setup),
        cmocka_unit_test_setup(test_gicd_igroupr, setup),
        cmocka_unit_test_setup(test_gicd_enable_pend_active, setup),
        cmocka_unit_test_setup(test_gicd_priority, setup),
        cmocka_unit_test_setup(test_gicd_icfgr, setup),
        cmocka_unit_test_setup(test_gicd_raz_wi, setup),
        cmocka_unit_test_setup(test_gicd_irouter, setup),
        cmocka_unit_test_setup(test_gicr_rd_base, setup),
        cmocka_unit_test_setup(test_gicr_sgi_base, setup),
        cmocka_unit_test_setup(test_widths_alignment, setup),
        cmocka_unit_test_setup(test_outside_windows, setup),
        cmocka_unit_test_setup(test_vcpu_count_clamped, setup),
        cmocka_unit_test_setup(test_inject, setup),
        cmocka_unit_test_setup(test_has_pending, setup),
        cmocka_unit_test_setup(test_post_and_drain, setup),
        cmocka_unit_test_setup(test_post_outside_window, setup),
        cmocka_unit_test_setup(test_drain_kicks_routed_vcpu, setup),
        cmocka_unit_test_setup(test_write_kicks_remote, setup),
        cmocka_unit_test_setup(test_sgi_list, setup),
        cmocka_unit_test_setup(test_sgi_affinity_and_broadcast, setup),
        cmocka_unit_test_setup(test_lr_fill_order_encoding, setup),
        cmocka_unit_test_setup(test_lr_fill_candidates, setup),
        cmocka_unit_test_setup(test_lr_sync_transitions, setup),
        cmocka_unit_test_setup(test_lr_sync_repend, setup),
        cmocka_unit_test_setup(test_lr_spi_held_elsewhere, setup),
        cmocka_unit_test_setup(test_entry_points_take_the_lock, setup),
    };
    return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
