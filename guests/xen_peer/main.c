/*
 * Peer of a Xen-aware Linux (config/linux-xen.dts): a bare-metal partition
 * at one end of a static event channel whose other end is Linux's. Every
 * event that arrives from Linux is counted, printed and answered with an
 * event back on the same channel; after `count` events (bootargs, default 3)
 * it prints "peer done" and powers off. Linux's side is guests/linux/xenevt.c,
 * a program using /dev/xen/evtchn. It waits at most wait_s seconds (default
 * 60) for each event, so a Linux that never binds ends the test visibly.
 */
#include "bulkhead.h"
#include "evtchn.h"

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static volatile uint32_t received;
static volatile bool timer_fired;

static void on_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

static void on_event(uint32_t port)
{
    (void)port;
    received++;
}

/* Wait until `received` reaches target or wait_ms pass; true when it did.
 * The timer also keeps this CPU's WFI short under QEMU -icount. */
static bool wait_for(uint32_t target, uint64_t wait_ms)
{
    uint64_t deadline = timer_now() + timer_freq() / 1000u * wait_ms;
    while (received < target && timer_now() < deadline) {
        timer_fired = false;
        vtimer_arm_at(timer_now() + timer_freq() / 100u);
        while (received < target && !timer_fired) {
            irq_wait();
        }
    }
    vtimer_stop();
    return received >= target;
}

int main(void)
{
    const char *args = bh_bootargs();
    uint32_t port = (uint32_t)bh_arg(args, "port", 0, 10u);
    uint32_t count = (uint32_t)bh_arg(args, "count", 0, 3u);
    uint64_t wait_ms = 1000u * bh_arg(args, "wait_s", 0, 60u);
    struct evtchn_status st;

    gic_init();
    if (evtchn_setup(&ctrl_block, on_other_irq) != 0 || evtchn_add_page(page0) != 0) {
        gputs("peer: event channel setup failed\n");
        return 1;
    }
    gic_enable_private(VTIMER_PPI, 0x80);
    evtchn_set_handler(port, on_event);
    if (evtchn_status(DOMID_SELF, port, &st) == 0 && st.status == EVTCHNSTAT_INTERDOMAIN) {
        gprintf("peer: static port %u bound to domain %u port %u\n", port, st.u.interdomain.dom,
                st.u.interdomain.port);
    }
    for (uint32_t i = 1; i <= count; i++) {
        if (!wait_for(i, wait_ms)) {
            gprintf("peer: no event %u from linux\n", i);
            return 1;
        }
        gprintf("peer: event %u from linux, answering\n", i);
        (void)evtchn_send(port);
    }
    gputs("peer done\n");
    return 0;
}
