/* Periodic virtual timer: every tick arrives, and never before its deadline. */
#include "guest.h"

#define TICKS_WANTED 50u
#define PERIOD_US 2000u

static volatile uint32_t ticks;
static volatile uint32_t early;
static uint64_t period;
static uint64_t deadline;
static uint64_t spurious;

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
    test_finish();
}
