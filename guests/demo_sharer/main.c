/*
 * Demo: shares CPU 0 with the ticker in its own ARINC 653 window. On its
 * first boot it touches memory outside its partition after two reports: the
 * health monitor's table for it says WARM_RESTART (memory kept), so it comes
 * back, sees from its boot counter that it was restarted, and finishes.
 */
#include "guest.h"

#define SHARES 5u
#define YIELDS_PER_SHARE 20u
#define OUTSIDE_RAM 0x7f000000ull

/* In .data (initialised, not cleared at start), so a warm restart keeps it. */
static volatile uint32_t boots = 0x100u;

int main(void)
{
    uint32_t i;
    uint32_t y;

    boots++;
    if (boots > 0x101u) {
        gprintf("restarted by the health monitor (boot %u), continuing\n", boots - 0x100u);
    }
    for (i = 1; i <= SHARES; i++) {
        gprintf("share %u: counter at %lu\n", i, (unsigned long)timer_now());
        for (y = 0; y < YIELDS_PER_SHARE; y++) {
            (void)hc_yield();
        }
        delay_ticks(timer_freq() / 20u);
        if (i == 2u && boots == 0x101u) {
            gputs("touching memory outside the partition\n");
            gflush();
            *(volatile uint32_t *)(uintptr_t)OUTSIDE_RAM = 1u;
        }
    }
    gputs("sharer done\n");
    return 0;
}
