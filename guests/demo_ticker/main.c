/* Demo: a 10 Hz virtual-timer tick, printed ten times, sleeping in WFI. */
#include "guest.h"

#define TICK_HZ 10u
#define TICKS_WANTED 10u

static volatile uint32_t ticks;
static uint64_t period;
static uint64_t deadline;

static void on_irq(uint32_t intid)
{
    if (intid != VTIMER_PPI) {
        return;
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
    uint32_t shown = 0;

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    period = timer_freq() / TICK_HZ;
    gprintf("ticking at %u Hz\n", TICK_HZ);
    deadline = timer_now() + period;
    vtimer_arm_at(deadline);
    while (shown < TICKS_WANTED) {
        if (ticks == shown) {
            irq_wait();
            continue;
        }
        shown++;
        gprintf("tick %u\n", shown);
    }
    gputs("ticker done\n");
    return 0;
}
