/*
 * Attack: a pass-through interrupt storm aimed at another partition's window
 * (tests/system/cases/attack-ptirq, config/attack-ptirq.dts).
 *
 * This partition owns QEMU virt's PL031 RTC (0x09010000, SPI 2, level) by
 * pass-through; its vCPU 0 shares CPU 0 with a victim, its vCPU 1 runs on
 * CPU 1. vCPU 0 routes the device's virtual SPI to vCPU 1 (GICD_IROUTER),
 * then makes the RTC assert its interrupt (match register equal to the
 * counter, interrupt unmasked) and never clears it. vCPU 1 takes and
 * completes the virtual SPI as fast as it comes, leaving the device
 * asserting: every completion lets the physical line interrupt again.
 * From frame `clear` on, vCPU 0, in its own window (while vCPU 1 is out of
 * its window on CPU 1 and victim2 runs there), completes the virtual SPI
 * the other way, again and again: it clears its pending state
 * (GICD_ICPENDR), which leaves it neither pending nor active, then sets it
 * pending again (GICD_ISPENDR) for vCPU 1 to take in its next window. A
 * hypervisor that unmasked the physical SPI on such a completion wherever
 * it is routed would let it fire in victim2's window each time. The
 * victims (guests/steal_meter) measure whether any of that lands in their
 * windows.
 *
 * Bootargs: until=<frame> (keep the RTC asserting until that module
 * frame), clear=<frame> (vCPU 0 completes the virtual SPI from that frame
 * on), min_irqs=<n> (the storm is real: vCPU 1 took at least that many).
 * It asserts as soon as vCPU 1 is up, so that the storm covers every frame
 * the victims measure.
 * Linked at 0x48000000: the owner of a pass-through device is mapped 1:1.
 */
#include "bulkhead.h"

#define RTC_BASE 0x09010000ull
#define RTC_DR 0x00u   /* data: the seconds counter */
#define RTC_MR 0x04u   /* match */
#define RTC_LR 0x08u   /* load */
#define RTC_IMSC 0x10u /* interrupt mask set/clear */
#define RTC_RIS 0x14u  /* raw interrupt status */
#define RTC_ICR 0x1Cu  /* interrupt clear */

#define VSPI 33u /* the virtual SPI of the partition's first device */
#define GICD_ISENABLER 0x0100u
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_IPRIORITYR 0x0400u
#define GICD_IROUTER 0x6000u

#define PSCI_CPU_ON 0xC4000003u

#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

/* Under -icount the CPUs run in turns; a virtual timer deadline kept near
 * (enabled, masked: it never interrupts) keeps the turns short, so that
 * neither CPU waits long for the other (as guests/arinc does). */
#define POKE_TICKS 125u

static volatile uint32_t irqs[2]; /* VSPI taken, per vCPU */
static volatile uint32_t v1_up;
static volatile uint32_t v1_stop;
static uint64_t v1_stack[1024] __attribute__((aligned(16)));

/* vCPU 1 starts here (PSCI CPU_ON, x0 = its stack top): stack, vectors. */
__asm__(".section .text.secondary, \"ax\"\n"
        ".balign 4\n"
        ".globl secondary_entry\n"
        "secondary_entry:\n"
        "    mov sp, x0\n"
        "    adrp x1, guest_vectors\n"
        "    add x1, x1, :lo12:guest_vectors\n"
        "    msr vbar_el1, x1\n"
        "    isb\n"
        "    bl secondary_main\n"
        "1:  wfi\n"
        "    b 1b\n"
        ".previous\n");
void secondary_entry(void);
void secondary_main(void);


static void poke(void)
{
    __asm__ volatile("msr cntv_cval_el0, %0\n\t"
                     "msr cntv_ctl_el0, %1\n\t"
                     "isb" ::"r"(timer_now() + 2u * POKE_TICKS),
                     "r"((uint64_t)3u));
}

static uint32_t my_vcpu(void)
{
    uint64_t mpidr;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    return (uint32_t)(mpidr & 0xFFu);
}

/* Complete the interrupt (the runtime writes EOIR after this returns), and
 * leave the device asserting. */
static void on_irq(uint32_t intid)
{
    if (intid == VSPI) {
        irqs[my_vcpu() & 1u]++;
    }
    poke(); /* under the storm vCPU 1 may run nothing else */
}

void secondary_main(void)
{
    uint64_t rd = GICR_BASE + GICR_STRIDE; /* vCPU 1's redistributor */
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~2u);
    __asm__ volatile("msr " ICC_PMR_EL1 ", %0" ::"r"((uint64_t)0xFFu));
    __asm__ volatile("msr " ICC_BPR1_EL1 ", %0" ::"r"((uint64_t)0u));
    __asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0" ::"r"((uint64_t)1u));
    __asm__ volatile("isb" ::: "memory");
    v1_up = 1u;
    /* Interrupts open the whole time: busy, as a partition serving a
     * device is, and taking every forwarded SPI at once. */
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (v1_stop == 0u) {
        poke();
    }
    __asm__ volatile("msr daifset, #2" ::: "memory");
    v1_up = 2u;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static uint64_t frames_now(void)
{
    struct bh_sched_status st;
    poke();
    (void)bh_sched_get(&st);
    return st.frames;
}

/* Match register = counter: the RTC raises its (level) interrupt at once.
 * The load register is written with the same value so that a second
 * ticking over between the two writes cannot move the match a second
 * away. */
static bool rtc_assert(void)
{
    for (uint32_t i = 0; i < 8u; i++) {
        uint32_t now = mmio_read32(RTC_BASE + RTC_DR);
        mmio_write32(RTC_BASE + RTC_MR, now);
        mmio_write32(RTC_BASE + RTC_LR, now);
        if ((mmio_read32(RTC_BASE + RTC_RIS) & 1u) != 0u) {
            break;
        }
    }
    mmio_write32(RTC_BASE + RTC_IMSC, 1u);
    return (mmio_read32(RTC_BASE + RTC_RIS) & 1u) != 0u;
}

int main(void)
{
    const char *args = bh_bootargs();
    uint64_t until = bh_arg(args, "until", 0, 100);
    uint64_t clear_from = bh_arg(args, "clear", 0, 50);
    uint64_t min_irqs = bh_arg(args, "min_irqs", 0, 1000);

    gprintf("args: %s\n", args);
    gic_init();
    irq_set_handler(on_irq);
    mmio_write32(RTC_BASE + RTC_IMSC, 0u);
    mmio_write32(RTC_BASE + RTC_ICR, 1u);
    mmio_write8(GICD_BASE + GICD_IPRIORITYR + VSPI, 0x80u);
    mmio_write64(GICD_BASE + GICD_IROUTER + 8u * VSPI, 1u); /* Aff0 = 1: vCPU 1 */
    mmio_write32(GICD_BASE + GICD_ISENABLER + 4u * (VSPI / 32u), 1u << (VSPI % 32u));
    checkf(mmio_read64(GICD_BASE + GICD_IROUTER + 8u * VSPI) == 1u,
           "virtual SPI %u routed to vCPU 1", VSPI);
    checkf(psci_call(PSCI_CPU_ON, 1u, (uint64_t)(uintptr_t)secondary_entry,
                (uint64_t)(uintptr_t)&v1_stack[1024]) == 0,
           "vCPU 1 started on CPU 1");
    while (v1_up == 0u) {
        poke();
    }
    checkf(rtc_assert(), "RTC asserts its interrupt from frame %lu, never cleared",
           (unsigned long)frames_now());
    gflush();
    for (uint64_t f = frames_now(); f < until; f = frames_now()) {
        if (f >= clear_from) {
            mmio_write32(GICD_BASE + GICD_ICPENDR + 4u * (VSPI / 32u), 1u << (VSPI % 32u));
            mmio_write32(GICD_BASE + GICD_ISPENDR + 4u * (VSPI / 32u), 1u << (VSPI % 32u));
        }
    }
    /* The device quiet first: under the storm vCPU 1 takes one interrupt
     * after the other and may never get to look at v1_stop. */
    mmio_write32(RTC_BASE + RTC_IMSC, 0u);
    mmio_write32(RTC_BASE + RTC_ICR, 1u);
    v1_stop = 1u;
    while (v1_up != 2u) {
        poke();
    }
    checkf(irqs[1] >= min_irqs && irqs[0] == 0u,
           "vCPU 1 took and completed %u device interrupts (at least %lu), vCPU 0 none (%u)",
           irqs[1], (unsigned long)min_irqs, irqs[0]);
    test_finish();
}
