/*
 * Periodic virtual timer: every tick arrives, and never before its deadline.
 * Then a timer that expired before the WFI: the WFI returns with its
 * interrupt, never for nothing (the vCPU is woken on the expiry it waited
 * for, not before the physical timer interrupt happens to arrive).
 */
#include "guest.h"

#define TICKS_WANTED 50u
#define PERIOD_US 2000u
#define EXPIRED_ROUNDS 20u
#define EXPIRED_TRIES 100000u

static volatile uint32_t ticks;
static volatile uint32_t early;
static uint64_t period;
static uint64_t deadline;
static uint64_t spurious;
static volatile uint32_t expired_taken;
static volatile uint32_t no_istatus;

static void on_irq(uint32_t intid)
{
    if (intid != VTIMER_PPI) {
        spurious++;
        return;
    }
    if (timer_now() < deadline) {
        early++;
    }
    ticks++;
    if (ticks < TICKS_WANTED) {
        deadline += period;
        vtimer_arm_at(deadline);
    } else {
        vtimer_stop();
    }
}

static void on_expired_irq(uint32_t intid)
{
    if (intid != VTIMER_PPI) {
        spurious++;
        return;
    }
    expired_taken++;
    if ((vtimer_ctl() & 4u) == 0u) { /* ISTATUS, which Linux's handler requires */
        no_istatus++;
    }
    vtimer_stop();
}

/* Arm the timer, let it expire with interrupts masked, then wait: every
 * WFI return without the interrupt is counted. */
static uint32_t expired_rounds(void)
{
    uint32_t empty = 0;
    uint32_t r;
    uint32_t tries;

    irq_set_handler(on_expired_irq);
    for (r = 0; r < EXPIRED_ROUNDS; r++) {
        uint32_t before = expired_taken;
        uint64_t due = timer_now() + period / 8u;

        vtimer_arm_at(due);
        while (timer_now() < due) {
        }
        for (tries = 0; expired_taken == before && tries < EXPIRED_TRIES; tries++) {
            irq_wait();
            if (expired_taken == before) {
                empty++;
            }
        }
    }
    return empty;
}

int main(void)
{
    uint64_t start;
    uint64_t elapsed;
    uint32_t waits;

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    period = timer_freq() / 1000000u * PERIOD_US;
    check(period > 0u, "counter frequency is known");
    start = timer_now();
    deadline = start + period;
    vtimer_arm_at(deadline);
    for (waits = 0; ticks < TICKS_WANTED && waits < 100u * TICKS_WANTED; waits++) {
        irq_wait();
    }
    elapsed = timer_now() - start;
    gprintf("ticks %u\n", ticks);
    check(ticks == TICKS_WANTED, "50 timer ticks counted");
    check(early == 0u, "no tick before its deadline");
    check(elapsed >= TICKS_WANTED * period, "50 periods of counter time passed");
    check(spurious == 0u, "only the timer interrupt was taken");
    check((vtimer_ctl() & 1u) == 0u, "timer stopped");
    waits = expired_rounds();
    gprintf("expired before WFI: %u taken, %u empty WFI returns\n", expired_taken, waits);
    check(expired_taken == EXPIRED_ROUNDS, "a timer that expired before the WFI is taken");
    check(waits == 0u, "the WFI after an expiry returns with its interrupt");
    check(no_istatus == 0u, "the timer shows ISTATUS when its interrupt is taken");
    check(spurious == 0u, "only the timer interrupt was taken after the expiries");
    test_finish();
}
