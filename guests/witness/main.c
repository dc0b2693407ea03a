/*
 * Witness: proves it keeps running while a neighbour misbehaves. Prints
 * "alive N" every period_ms (bootargs, default 50) for count periods
 * (default 40), then powers off. Beside Linux it runs longer
 * (count=240 period_ms=250: one minute).
 */
#include "bulkhead.h"
#include "guest.h"

#define ALIVE_COUNT 40u
#define PERIOD_MS 50u

static volatile bool fired;

static void on_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        fired = true;
    }
}

int main(void)
{
    const char *args = bh_bootargs();
    uint64_t count = bh_arg(args, "count", 0, ALIVE_COUNT);
    uint64_t period = timer_freq() / 1000u * bh_arg(args, "period_ms", 0, PERIOD_MS);
    uint64_t deadline = timer_now();

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    for (uint64_t i = 1; i <= count; i++) {
        deadline += period;
        fired = false;
        vtimer_arm_at(deadline);
        while (!fired) {
            irq_wait();
        }
        gprintf("alive %lu\n", (unsigned long)i);
    }
    gputs("witness done\n");
    return 0;
}
