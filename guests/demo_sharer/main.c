/* Demo: shares a CPU with the ticker, yielding its slice between reports. */
#include "guest.h"

#define SHARES 5u
#define YIELDS_PER_SHARE 20u

int main(void)
{
    uint32_t i;
    uint32_t y;

    for (i = 1; i <= SHARES; i++) {
        gprintf("share %u: counter at %lu\n", i, (unsigned long)timer_now());
        for (y = 0; y < YIELDS_PER_SHARE; y++) {
            (void)hc_yield();
        }
        delay_ticks(timer_freq() / 20u);
    }
    gputs("sharer done\n");
    return 0;
}
