/* Virtual GICv3 bring-up, interrupt dispatch, virtual timer and exceptions. */
#include "guest.h"

uint64_t guest_start_ticks;
uint64_t guest_dtb;
uint64_t guest_entry_x21;
volatile uint32_t irq_count;

static irq_handler_fn irq_handler;

#define SYSREG_READ(name, var) __asm__ volatile("mrs %0, " name : "=r"(var))
#define SYSREG_WRITE(name, val) __asm__ volatile("msr " name ", %0" : : "r"((uint64_t)(val)))
#define ISB() __asm__ volatile("isb" : : : "memory")

/* GICv3 CPU interface registers by encoding, so every assembler takes them. */
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"

#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define WAKER_POLL_LIMIT 100000u
#define INTID_SPURIOUS 1020u

uint64_t timer_now(void)
{
    uint64_t v;

    ISB();
    SYSREG_READ("cntvct_el0", v);
    return v;
}

uint64_t timer_freq(void)
{
    uint64_t v;

    SYSREG_READ("cntfrq_el0", v);
    return v;
}

void vtimer_arm_at(uint64_t cval)
{
    SYSREG_WRITE("cntv_cval_el0", cval);
    SYSREG_WRITE("cntv_ctl_el0", 1u);
    ISB();
}

void vtimer_stop(void)
{
    SYSREG_WRITE("cntv_ctl_el0", 0u);
    ISB();
}

uint64_t vtimer_ctl(void)
{
    uint64_t v;

    SYSREG_READ("cntv_ctl_el0", v);
    return v;
}

void delay_ticks(uint64_t ticks)
{
    uint64_t start = timer_now();

    while (timer_now() - start < ticks) {
    }
}

uint64_t ticks_to_ns_tenths(uint64_t ticks)
{
    uint64_t freq = timer_freq();
    uint64_t whole;
    uint64_t rest;

    if (freq == 0u) {
        return 0;
    }
    /* Split to keep every product below 2^64 for any realistic count. */
    whole = ticks / freq;
    rest = ticks % freq;
    return whole * 10000000000ull + (rest * 1000000000ull / freq) * 10u +
           (rest * 1000000000ull % freq) * 10u / freq;
}

void gic_init(void)
{
    uint64_t rd = GICR_BASE;
    uint32_t i;

    mmio_write32(GICD_BASE + GICD_CTLR, mmio_read32(GICD_BASE + GICD_CTLR) | GICD_CTLR_ENABLE_GRP1);
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
    for (i = 0; i < WAKER_POLL_LIMIT; i++) {
        if ((mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) == 0u) {
            break;
        }
    }
    /* All private interrupts in group 1 (the only group a guest uses). */
    mmio_write32(rd + GICR_SGI_OFFSET + GICR_IGROUPR0, 0xFFFFFFFFu);
    SYSREG_WRITE(ICC_PMR_EL1, 0xFFu);
    SYSREG_WRITE(ICC_BPR1_EL1, 0u);
    SYSREG_WRITE(ICC_IGRPEN1_EL1, 1u);
    ISB();
}

void gic_enable_private(uint32_t intid, uint8_t prio)
{
    uint64_t sgi = GICR_BASE + GICR_SGI_OFFSET;

    mmio_write8(sgi + GICR_IPRIORITYR + intid, prio);
    mmio_write32(sgi + GICR_ISENABLER0, 1u << intid);
}

void gic_disable_private(uint32_t intid)
{
    mmio_write32(GICR_BASE + GICR_SGI_OFFSET + GICR_ICENABLER0, 1u << intid);
}

void gic_send_sgi(uint32_t intid, uint16_t target_list)
{
    uint64_t v = ((uint64_t)(intid & 0xFu) << 24) | target_list;

    SYSREG_WRITE(ICC_SGI1R_EL1, v);
    ISB();
}

void irq_set_handler(irq_handler_fn fn)
{
    irq_handler = fn;
}

void irq_wait(void)
{
    __asm__ volatile("wfi\n\t"
                     "msr daifclr, #2\n\t"
                     "isb\n\t"
                     "msr daifset, #2" ::
                         : "memory");
}

/* Called from the IRQ vector. */
void guest_irq_entry(void);
void guest_irq_entry(void)
{
    uint64_t iar;
    uint32_t intid;

    SYSREG_READ(ICC_IAR1_EL1, iar);
    intid = (uint32_t)(iar & 0xFFFFFFu);
    if (intid >= INTID_SPURIOUS && intid <= 1023u) {
        return;
    }
    irq_count++;
    if (irq_handler != NULL) {
        irq_handler(intid);
    }
    SYSREG_WRITE(ICC_EOIR1_EL1, iar);
    ISB();
}

/* Called from every unexpected vector: report and crash the partition. */
void guest_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);
void guest_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
    gflush();
    gprintf("unexpected exception %lu: ESR 0x%lx, ELR 0x%lx, FAR 0x%lx\n", (unsigned long)kind,
            (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
    guest_crash();
}
