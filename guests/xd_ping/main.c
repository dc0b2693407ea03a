/*
 * Differential ping (make xen-diff): one end of the static channel of
 * tests/system/xen-diff/pingpong.chosen, port 10, the other end xd_pong.
 * Prints the channel's state at start, then waits for pong's "ready", sends
 * "go", and makes XD_TRIPS round trips. Timings go on "xd-fig " lines, left
 * out of the comparison: null hypercall, event send, round trip, boot.
 */
#include "xdiff.h"

#define NULL_ITERS 2000u
#define SEND_ITERS 2000u

static volatile uint32_t received;

static void on_event(uint32_t port)
{
    (void)port;
    received++;
}

static uint64_t ns_per(uint64_t ticks, uint32_t n)
{
    return ticks_to_ns_tenths(ticks) / 10u / n;
}

static void figures(void)
{
    uint32_t a = 0;
    uint32_t b = 0;
    uint64_t t0;
    uint32_t i;

    t0 = timer_now();
    for (i = 0; i < NULL_ITERS; i++) {
        (void)hc_xen_version(XENVER_VERSION, 0);
    }
    say("xd-fig null_hypercall_ns %lu\n", (unsigned long)ns_per(timer_now() - t0, NULL_ITERS));
    /* A masked loopback pair: each send is the whole send path, no upcall. */
    if (evtchn_self_pair(&a, &b) == 0) {
        evtchn_mask(b);
        t0 = timer_now();
        for (i = 0; i < SEND_ITERS; i++) {
            (void)evtchn_send(a);
        }
        say("xd-fig event_send_ns %lu\n", (unsigned long)ns_per(timer_now() - t0, SEND_ITERS));
        (void)evtchn_close(a);
    }
}

int main(void)
{
    uint64_t boot = xd_boot_ns();
    uint64_t t0;
    uint32_t i;

    say("xd: ping start\n");
    say("xd-fig boot_ns %lu\n", (unsigned long)boot);
    if (!xd_channel_open("ping")) {
        return 1;
    }
    /* Pong may have sent "ready" already: not compared ("xd-info "). */
    say("xd-info ping: port %u word at setup 0x%x\n", XD_PORT, *evtchn_word(XD_PORT) & 0xF0000000u);
    evtchn_set_handler(XD_PORT, on_event);
    (void)evtchn_drain();
    received = 0;
    figures();
    if (!xd_wait(&received, 1, 10000)) {
        say("ping: no ready from pong\n");
        return 1;
    }
    say("ping: pong ready\n");
    (void)evtchn_send(XD_PORT); /* go */
    /* Pong may still have "ready" events in flight: wait for 50 ms of
     * quiet before counting answers. */
    do {
        received = 0;
        (void)xd_wait(&received, 1, 50);
    } while (received != 0u);
    t0 = timer_now();
    for (i = 1; i <= XD_TRIPS; i++) {
        (void)evtchn_send(XD_PORT);
        if (!xd_wait(&received, i, 1000)) {
            say("ping: no answer to trip %u\n", i);
            return 1;
        }
    }
    say("xd-fig round_trip_ns %lu\n", (unsigned long)ns_per(timer_now() - t0, XD_TRIPS));
    say("ping: %u round trips, %u answers\n", XD_TRIPS, received);
    say("xd: end\n");
    return 0;
}
