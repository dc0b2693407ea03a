/*
 * Differential pong (make xen-diff): the other end of xd_ping's channel.
 * Sends "ready" every millisecond until ping's "go" arrives, then answers
 * each event with one event back, XD_TRIPS times or until 3 s pass without
 * one. Ping alone counts the trips: an event that pong takes for "go" while
 * its "ready" crosses it must not shift the count here.
 */
#include "xdiff.h"

static volatile uint32_t received;

static void on_event(uint32_t port)
{
    (void)port;
    received++;
}

int main(void)
{
    uint64_t boot = xd_boot_ns();
    uint32_t i;

    say("xd: pong start\n");
    say("xd-fig boot_ns %lu\n", (unsigned long)boot);
    if (!xd_channel_open("pong")) {
        return 1;
    }
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
