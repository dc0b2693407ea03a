/*
 * Demo: shares CPU 0 with the ticker in its own ARINC 653 window and is the
 * sensor: at each share it writes a sample to the sampling port "sensor"
 * (guests/lib/demo_ports.h). On its first boot it touches memory outside its
 * partition after two shares: the health monitor's table for it says
 * WARM_RESTART (memory kept), so it comes back, sees from its boot counter
 * that it was restarted, re-initialises the sensor (no samples meanwhile:
 * the reader sees the last one go stale) and finishes.
 */
#include "demo_ports.h"
#include "guest.h"

#define SHARES 5u
#define YIELDS_PER_SHARE 20u
#define REINIT_MS 300u
#define OUTSIDE_RAM 0x7f000000ull

/* In .data (initialised, not cleared at start), so a warm restart keeps them. */
static volatile uint32_t boots = 0x100u;
static volatile uint32_t next_sample = 1u;

/* Publish the next sample: a reading that rises 0.3 C a sample from 20.0 C. */
static void publish_sample(uint32_t share)
{
    struct demo_sample s = {next_sample, 200u + 3u * next_sample};

    (void)sampling_write(DEMO_SENSOR, &s, sizeof(s), 0u);
    gprintf("share %u: counter at %lu; sent sample #%u\n", share, (unsigned long)timer_now(),
            s.number);
    next_sample = next_sample + 1u;
}

int main(void)
{
    uint32_t i;
    uint32_t y;

    boots++;
    if (boots > 0x101u) {
        gprintf("restarted by the health monitor (boot %u), continuing\n", boots - 0x100u);
        gprintf("sensor re-initialising: no samples for %u ms\n", REINIT_MS);
        delay_ticks(timer_freq() / 1000u * REINIT_MS);
    }
    for (i = 1; i <= SHARES; i++) {
        publish_sample(i);
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
