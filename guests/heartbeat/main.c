/*
 * Heartbeat: a bare-metal neighbour that prints "beat N" every 250 ms for
 * BEAT_COUNT beats, then powers off. It shows that a partition
 * beside a Linux partition keeps its time while Linux boots, runs and ends.
 */
#include "guest.h"

#define BEAT_COUNT 240u /* at 250 ms: one minute */
#define PERIOD_MS 250u

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
    for (i = 1; i <= BEAT_COUNT; i++) {
        deadline += period;
        fired = false;
        vtimer_arm_at(deadline);
        while (!fired) {
            irq_wait();
        }
        gprintf("beat %u\n", i);
    }
    gputs("heartbeat done\n");
    return 0;
}
