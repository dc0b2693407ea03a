/*
 * Demo: a 10 Hz virtual-timer tick, printed ten times, sleeping in WFI. It is
 * the slow reader of the queuing port "work" (guests/lib/demo_ports.h): one
 * work item a tick, then an event to bravo that there is room again.
 */
#include "demo_ports.h"
#include "evtchn.h"
#include "guest.h"

#define TICK_HZ 10u
#define TICKS_WANTED 10u

static volatile uint32_t ticks;
static uint64_t period;
static uint64_t deadline;
static uint32_t received;
static bool in_order = true;

static void on_irq(uint32_t intid)
{
    if (intid != VTIMER_PPI) {
        return;
    }
    ticks++;
    if (ticks < TICKS_WANTED) {
        deadline += period;
        vtimer_arm_at(deadline);
    } else {
        vtimer_stop();
    }
}

/* Take the oldest work item, if any, and tell bravo there is room. */
static bool take_work_item(void)
{
    uint8_t buf[PORT_MSG_MAX];
    struct demo_work_item w;
    uint32_t len = 0;

    if (queuing_receive(DEMO_WORK, buf, &len) != PORT_OK) {
        return false;
    }
    (void)evtchn_send(DEMO_ROOM_PORT);
    if (len != sizeof(w)) {
        gprintf("work item of %u bytes ignored\n", len);
        in_order = false;
        return true;
    }
    memcpy(&w, buf, sizeof(w));
    received++;
    in_order = in_order && w.item == received;
    gprintf("got item %u: prime %u\n", w.item, w.prime);
    return true;
}

int main(void)
{
    uint32_t shown = 0;
    uint32_t k;

    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    period = timer_freq() / TICK_HZ;
    gprintf("ticking at %u Hz\n", TICK_HZ);
    deadline = timer_now() + period;
    vtimer_arm_at(deadline);
    while (shown < TICKS_WANTED) {
        if (ticks == shown) {
            irq_wait();
            continue;
        }
        shown++;
        gprintf("tick %u\n", shown);
        (void)take_work_item();
    }
    for (k = 0; k < PORT_QUEUE_DEPTH && take_work_item(); k++) {
    }
    gprintf("%u work items received, %s; queue overflows: %u\n", received,
            in_order ? "in order" : "NOT in order", DEMO_WORK->overflows);
    gputs("ticker done\n");
    return 0;
}
