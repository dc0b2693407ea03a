/*
 * The emulated GICv3 as a guest sees it: identification, set/clear register
 * pairs, priority masking, configuration, routing, read-only registers, the
 * redistributor wake-up handshake and an SGI to itself. Finally a read of a
 * redistributor frame this single-vCPU partition does not own, which must
 * stop it. Verifies: LLR-VGIC-002 .. LLR-VGIC-006, LLR-VGIC-009, LLR-ARCH-043
 * (with tests/system/cases/vgic).
 */
#include "guest.h"

#define GICD(off) (GICD_BASE + (off))
#define SGI(off) (GICR_BASE + GICR_SGI_OFFSET + (off))
#define RD(off) (GICR_BASE + (off))

#define TEST_SPI 40u /* clear of the vPL011 SPI 32 */
#define TEST_PPI 20u /* not used by the platform */
#define SELF_SGI 3u
#define FOREIGN_GICR (GICR_BASE + GICR_STRIDE)

static volatile uint32_t last_intid = 0xFFFFFFFFu;

static void on_irq(uint32_t intid)
{
    last_intid = intid;
}

/* One set/clear register pair: set the bit, see it in both views, clear it. */
static void set_clear_pair(uint64_t set_reg, uint64_t clear_reg, uint32_t bit, const char *what)
{
    uint32_t mask = 1u << bit;

    mmio_write32(set_reg, mask);
    checkf((mmio_read32(set_reg) & mask) != 0u && (mmio_read32(clear_reg) & mask) != 0u,
           "%s set reads back", what);
    mmio_write32(clear_reg, mask);
    checkf((mmio_read32(set_reg) & mask) == 0u, "%s clear reads back", what);
}

static void read_only(uint64_t reg, const char *what)
{
    uint32_t before = mmio_read32(reg);

    mmio_write32(reg, ~before);
    checkf(mmio_read32(reg) == before, "%s ignores writes", what);
}

static void test_distributor(void)
{
    uint32_t spi_bit = TEST_SPI % 32u;
    uint32_t cfg_shift = (TEST_SPI % 16u) * 2u;

    mmio_write32(GICD(GICD_CTLR), 1u << 1);
    check((mmio_read32(GICD(GICD_CTLR)) & ((1u << 1) | (1u << 4))) == ((1u << 1) | (1u << 4)),
          "GICD_CTLR EnableGrp1 set, ARE fixed");
    check((mmio_read32(GICD(GICD_TYPER)) & 0x1Fu) == 1u, "GICD_TYPER ITLinesNumber is 1");
    check(mmio_read32(GICD(GICD_PIDR2)) == 0x3Bu, "GICD_PIDR2 is 0x3B");
    read_only(GICD(GICD_TYPER), "GICD_TYPER");
    read_only(GICD(GICD_IIDR), "GICD_IIDR");
    read_only(GICD(GICD_PIDR2), "GICD_PIDR2");
    check(mmio_read32(GICD(0x100)) == 0u, "GICD_ISENABLER0 is RAZ with ARE");

    set_clear_pair(GICD(0x200 + 4u), GICD(0x280 + 4u), spi_bit, "GICD pending SPI 40");
    set_clear_pair(GICD(0x300 + 4u), GICD(0x380 + 4u), spi_bit, "GICD active SPI 40");
    set_clear_pair(GICD(0x100 + 4u), GICD(0x180 + 4u), spi_bit, "GICD enable SPI 40");

    mmio_write8(GICD(0x400 + TEST_SPI), 0xFFu);
    check(mmio_read8(GICD(0x400 + TEST_SPI)) == 0xF8u, "GICD priority byte keeps top 5 bits");
    mmio_write32(GICD(0x400 + TEST_SPI), 0x12345678u);
    check(mmio_read32(GICD(0x400 + TEST_SPI)) == 0x10305078u,
          "GICD priority word keeps top 5 bits of each byte");
    check(mmio_read8(GICD(0x400 + TEST_SPI + 1u)) == 0x50u, "GICD priority byte read of a word");

    mmio_write32(GICD(0xC00 + 4u * (TEST_SPI / 16u)), 2u << cfg_shift);
    check(mmio_read32(GICD(0xC00 + 4u * (TEST_SPI / 16u))) == (2u << cfg_shift),
          "GICD_ICFGR edge bit reads back");
    mmio_write32(GICD(0xC00 + 4u * (TEST_SPI / 16u)), 0u);
    check(mmio_read32(GICD(0xC00 + 4u * (TEST_SPI / 16u))) == 0u, "GICD_ICFGR level reads back");

    mmio_write64(GICD(0x6000 + 8u * TEST_SPI), 0u);
    check(mmio_read64(GICD(0x6000 + 8u * TEST_SPI)) == 0u, "GICD_IROUTER 64-bit round trip");
    check(mmio_read32(GICD(0x6000 + 8u * TEST_SPI + 4u)) == 0u, "GICD_IROUTER upper half");
}

static void test_redistributor(void)
{
    uint64_t typer = mmio_read64(RD(GICR_TYPER));

    check((typer >> 32) == 0u, "GICR_TYPER affinity is vCPU 0");
    check((typer & (1u << 4)) != 0u, "GICR_TYPER Last is set for the only vCPU");
    check(mmio_read32(RD(GICR_PIDR2)) == 0x3Bu, "GICR_PIDR2 is 0x3B");
    read_only(RD(GICR_TYPER), "GICR_TYPER");
    read_only(RD(GICR_PIDR2), "GICR_PIDR2");

    /* As Xen's vGICv3: GICR_WAKER reads as zero and ignores writes, the
     * redistributor is always awake (a guest written for Xen never wakes it). */
    check(mmio_read32(RD(GICR_WAKER)) == 0u, "GICR_WAKER reads as zero (awake)");
    mmio_write32(RD(GICR_WAKER), 1u << 1);
    check(mmio_read32(RD(GICR_WAKER)) == 0u, "GICR_WAKER ignores ProcessorSleep");

    set_clear_pair(SGI(0x200), SGI(0x280), TEST_PPI, "GICR pending PPI 20");
    set_clear_pair(SGI(0x300), SGI(0x380), TEST_PPI, "GICR active PPI 20");
    set_clear_pair(SGI(0x100), SGI(0x180), TEST_PPI, "GICR enable PPI 20");

    mmio_write8(SGI(0x400 + TEST_PPI), 0xFFu);
    check(mmio_read8(SGI(0x400 + TEST_PPI)) == 0xF8u, "GICR priority byte keeps top 5 bits");
    mmio_write32(SGI(0x400 + TEST_PPI), 0x89ABCDEFu);
    check(mmio_read32(SGI(0x400 + TEST_PPI)) == 0x88A8C8E8u,
          "GICR priority word keeps top 5 bits of each byte");

    read_only(SGI(0xC00), "GICR_ICFGR0 (SGIs)");
    check(mmio_read32(SGI(0xC00)) == 0xAAAAAAAAu, "GICR_ICFGR0 SGIs are edge-triggered");
}

static void test_self_sgi(void)
{
    uint32_t i;

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(SELF_SGI, 0x80);
    gic_send_sgi(SELF_SGI, 1u);
    for (i = 0; i < 100u && last_intid == 0xFFFFFFFFu; i++) {
        irq_wait();
    }
    checkf(last_intid == SELF_SGI, "SGI 3 to self delivered (got %u)", last_intid);
}

/*
 * As a guest written for Xen does: take a private interrupt without ever
 * touching GICR_WAKER (Xen's redistributor is always awake). Interrupts
 * stay masked at EL1: WFI wakes on the pending one, taken by hand.
 */
static void test_ppi_without_waking(void)
{
    uint64_t iar = 1023u;
    mmio_write32(SGI(GICR_IGROUPR0), 0xFFFFFFFFu);
    mmio_write32(SGI(GICR_ISENABLER0), 1u << VTIMER_PPI);
    __asm__ volatile("msr S3_0_C4_C6_0, %0" ::"r"(0xFFull));  /* ICC_PMR_EL1 */
    __asm__ volatile("msr S3_0_C12_C12_7, %0" ::"r"(1ull));   /* ICC_IGRPEN1_EL1 */
    __asm__ volatile("isb");
    vtimer_arm_at(timer_now());
    for (uint32_t i = 0; i < 1000u && iar == 1023u; i++) {
        __asm__ volatile("wfi");
        __asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
    }
    vtimer_stop();
    if (iar != 1023u) {
        __asm__ volatile("msr S3_0_C12_C12_1, %0" ::"r"(iar)); /* ICC_EOIR1_EL1 */
    }
    mmio_write32(SGI(GICR_ICENABLER0), 1u << VTIMER_PPI);
    check(iar == VTIMER_PPI, "a PPI arrives without GICR_WAKER touched (as on Xen)");
}

int main(void)
{
    uint32_t v;

    test_ppi_without_waking();
    test_distributor();
    test_redistributor();
    test_self_sgi();
    (void)test_summary();
    gputs("touching foreign redistributor\n");
    gflush();
    v = mmio_read32(FOREIGN_GICR + GICR_TYPER);
    gprintf("not ok - survived foreign redistributor read (0x%x)\n", v);
    guest_crash();
}
