/* Witness: proves it keeps running while a neighbour misbehaves. */
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
    uint64_t period = timer_freq() / 1000u * PERIOD_MS;
    uint64_t deadline = timer_now();
    uint32_t i;

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    for (i = 1; i <= ALIVE_COUNT; i++) {
        deadline += period;
        fired = false;
        vtimer_arm_at(deadline);
        while (!fired) {
            irq_wait();
        }
        gprintf("alive %u\n", i);
    }
    gputs("witness done\n");
    return 0;
}
