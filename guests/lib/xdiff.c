/* Helpers of the differential guests: see xdiff.h. */
#include "xdiff.h"

static volatile bool xd_timer_fired;
static struct evtchn_fifo_control_block xd_ctrl_block __attribute__((aligned(64)));
static uint32_t xd_page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint8_t xd_vcpu_info[VCPU_INFO_SIZE] __attribute__((aligned(64)));

bool xd_channel_open(const char *who)
{
    struct evtchn_status st;
    int64_t rc;

    gic_init();
    memset(&st, 0, sizeof(st));
    rc = evtchn_status(DOMID_SELF, XD_PORT, &st);
    say("%s: port %u status -> %ld state %u\n", who, XD_PORT, (long)rc, st.status);
    if (evtchn_setup(&xd_ctrl_block, xd_other_irq) != 0 || evtchn_add_page(xd_page0) != 0) {
        say("%s: event channel setup failed\n", who);
        return false;
    }
    gic_enable_private(VTIMER_PPI, 0x80);
    say("%s: register vcpu_info -> %ld\n", who, (long)evtchn_register_vcpu_info(xd_vcpu_info));
    return true;
}

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
