/*
 * Witness: proves it keeps running while a neighbour misbehaves. Prints
 * "alive N" every period_ms (bootargs, default 50) for count periods
 * (default 40), then powers off. Beside Linux it runs longer
 * (count=240 period_ms=250: one minute). With shm=ADDR (decimal) it also writes a
 * pattern into the 4 KiB shared page at ADDR and checks it at every tick:
 * a partition that maps the page read-only must never change it (the
 * hostile suite, config/hostile.dts.in).
 */
#include "bulkhead.h"
#include "guest.h"

#define ALIVE_COUNT 40u
#define PERIOD_MS 50u

#define SHM_WORDS 1024u
#define SHM_PATTERN 0x5A000000u

static volatile bool fired;

/* Whether the shared page still holds the pattern (true with no page). */
static bool shm_intact(volatile uint32_t *shm)
{
    for (uint32_t i = 0; shm != NULL && i < SHM_WORDS; i++) {
        if (shm[i] != (SHM_PATTERN | i)) {
            return false;
        }
    }
    return true;
}

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
    volatile uint32_t *shm = (volatile uint32_t *)(uintptr_t)bh_arg(args, "shm", 0, 0);
    bool shm_reported = false;
    for (uint32_t i = 0; shm != NULL && i < SHM_WORDS; i++) {
        shm[i] = SHM_PATTERN | i;
    }

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
        if (!shm_reported && !shm_intact(shm)) {
            gputs("not ok - the shared page was changed by another partition\n");
            shm_reported = true;
        }
    }
    gputs("witness done\n");
    return 0;
}
