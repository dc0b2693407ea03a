/*
 * Differential pong (make xen-diff): the other end of xd_ping's channel.
 * Sends "ready" every millisecond until ping's "go" arrives, then answers
 * each event with one event back, XD_TRIPS times or until 3 s pass without
 * one. Ping alone counts the trips: an event that pong takes for "go" while
 * its "ready" crosses it must not shift the count here.
 */
#include "xdiff.h"

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint8_t vcpu_info[VCPU_INFO_SIZE] __attribute__((aligned(64)));
static volatile uint32_t received;

static void on_event(uint32_t port)
{
    (void)port;
    received++;
}

int main(void)
{
    struct evtchn_status st;
    uint64_t boot = xd_boot_ns();
    uint32_t i;
    int64_t rc;

    say("xd: pong start\n");
    say("xd-fig boot_ns %lu\n", (unsigned long)boot);
    gic_init();
    memset(&st, 0, sizeof(st));
    rc = evtchn_status(DOMID_SELF, XD_PORT, &st);
    say("pong: port %u status -> %ld state %u\n", XD_PORT, (long)rc, st.status);
    if (evtchn_setup(&ctrl_block, xd_other_irq) != 0 || evtchn_add_page(page0) != 0) {
        say("pong: event channel setup failed\n");
        return 1;
    }
    gic_enable_private(VTIMER_PPI, 0x80);
    say("pong: register vcpu_info -> %ld\n", (long)evtchn_register_vcpu_info(vcpu_info));
    say("pong: port %u word at setup 0x%x\n", XD_PORT, *evtchn_word(XD_PORT) & 0xF0000000u);
    /* Ping sends nothing before pong's "ready": what is pending now was
     * left by the static binding. */
    evtchn_set_handler(XD_PORT, on_event);
    say("pong: port %u events at start %u\n", XD_PORT, evtchn_drain());
    received = 0;
    for (i = 0; i < 10000u && received == 0u; i++) {
        (void)evtchn_send(XD_PORT); /* ready */
        (void)xd_wait(&received, 1, 1);
    }
    if (received == 0u) {
        say("pong: no go from ping\n");
        return 1;
    }
    received = 0;
    for (i = 1; i <= XD_TRIPS; i++) {
        if (!xd_wait(&received, i, 3000)) {
            break;
        }
        (void)evtchn_send(XD_PORT);
    }
    say("pong: answering done\n");
    say("xd: end\n");
    return 0;
}
