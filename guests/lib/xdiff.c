/* Helpers of the differential guests: see xdiff.h. */
#include "xdiff.h"

static volatile bool xd_timer_fired;

uint64_t xd_boot_ns(void)
{
    uint64_t pct;
    uint64_t vct;

    __asm__ volatile("isb\n\tmrs %0, cntpct_el0\n\tmrs %1, cntvct_el0" : "=r"(pct), "=r"(vct));
    return ticks_to_ns_tenths(guest_start_ticks + (pct - vct)) / 10u;
}

void xd_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        xd_timer_fired = true;
    }
}

bool xd_wait(volatile uint32_t *count, uint32_t target, uint64_t ms)
{
    uint64_t deadline = timer_now() + timer_freq() / 1000u * ms;

    while (*count < target && timer_now() < deadline) {
        xd_timer_fired = false;
        vtimer_arm_at(timer_now() + timer_freq() / 1000u);
        while (*count < target && !xd_timer_fired) {
            irq_wait();
        }
    }
    vtimer_stop();
    return *count >= target;
}
