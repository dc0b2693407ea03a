/*
 * Event-channel benchmarks between two partitions running at the same time
 * on two CPUs (config/bench_evt.dts: a on CPU 0, b on CPU 1, no schedule),
 * under QEMU -icount so counter time is virtual time. a (role=1) measures,
 * b (role=2) receives:
 *   evt_send_ns         one EVTCHNOP_send to a connected port of the peer,
 *                       whose event is already linked in its FIFO queue
 *                       (back-to-back sends; the peer's CPU does not run
 *                       meanwhile under -icount round-robin)
 *   evt_oneway_ns       from just before the send on CPU 0 to the first
 *                       instruction of b's handler on CPU 1 (common counter)
 *   evt_roundtrip_ns    a sends, b's handler sends back, a's handler runs
 *   evt_events_per_s    events handled by b per second: batches of one
 *                       event on each of 8 channels, then a round trip
 *                       (flow control), 500 batches
 */
#include "bulkhead.h"
#include "evtchn.h"

#define SHM 0x50000000ull
#define P_ONEWAY 1u
#define P_RTT 2u
#define P_SINK0 20u
#define SINKS 8u
#define SEND_ITERS 20000u
#define ONEWAY_ITERS 1000u
#define RTT_ITERS 1000u
#define RATE_BATCHES 500u

/* The shared page: b's progress, a's timestamps. */
struct bench_shared {
    volatile uint32_t ready;     /* b set up its queues */
    volatile uint32_t oneway_n;  /* one-way events b has timed */
    volatile uint64_t t_send;    /* a's counter just before the send */
    volatile uint64_t oneway_sum; /* b: sum of (handler entry - t_send) */
    volatile uint32_t delivered; /* b: events handled on the sink ports */
    volatile uint32_t done;      /* a: finished, b may stop */
};
#define SH ((struct bench_shared *)SHM)

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static volatile uint32_t rtt_got;
static volatile bool timer_fired;

static void on_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

/* Sleep (WFI) until *v differs from old or us microseconds passed. QEMU's
 * -icount runs the CPUs round-robin: the peer CPU runs while this one waits
 * in WFI, not while it spins. */
static void sleep_until_change(volatile uint32_t *v, uint32_t old, uint32_t us)
{
    timer_fired = false;
    vtimer_arm_at(timer_now() + timer_freq() / 1000000u * us);
    while (*v == old && !timer_fired) {
        irq_wait();
    }
    vtimer_stop();
}

static void setup(void)
{
    gic_init();
    check(evtchn_setup(&ctrl_block, on_other_irq) == 0, "init_control");
    check(evtchn_add_page(page0) == 0, "expand_array");
}

/* ------------------------------------------------------------ b ------- */

static void on_oneway(uint32_t port)
{
    uint64_t t1 = timer_now(); /* first thing the handler does */
    (void)port;
    SH->oneway_sum += t1 - SH->t_send;
    __asm__ volatile("dmb ish" ::: "memory");
    SH->oneway_n = SH->oneway_n + 1u;
}

static void on_rtt(uint32_t port)
{
    (void)evtchn_send(port);
}

static void on_sink(uint32_t port)
{
    (void)port;
    SH->delivered = SH->delivered + 1u;
}

static void role_b(void)
{
    setup();
    evtchn_set_handler(P_ONEWAY, on_oneway);
    evtchn_set_handler(P_RTT, on_rtt);
    for (uint32_t k = 0; k < SINKS; k++) {
        evtchn_set_handler(P_SINK0 + k, on_sink);
    }
    __asm__ volatile("dmb ish" ::: "memory");
    SH->ready = 1u;
    while (SH->done == 0u) {
        irq_wait();
    }
    gprintf("bench_evt: b handled %u events, %u skipped\n", evtchn_handled, evtchn_skipped);
    test_finish();
}

/* ------------------------------------------------------------ a ------- */

static void on_rtt_back(uint32_t port)
{
    (void)port;
    rtt_got = rtt_got + 1u;
}

/* n sends on port, timed around the loop; with_hvc 0: the same loop with a
 * nop in place of the hypercall. */
static uint64_t time_sends(uint32_t port, uint32_t n, int with_hvc)
{
    uint32_t arg = port;
    uint64_t t0 = timer_now();
    for (uint32_t i = 0; i < n; i++) {
        if (with_hvc != 0) {
            __asm__ volatile("mov x16, #32\n\tmov x0, #4\n\tmov x1, %0\n\thvc #0xEA1"
                             :
                             : "r"(&arg)
                             : "x0", "x1", "x2", "x3", "x4", "x16", "memory");
        } else {
            __asm__ volatile("mov x16, #32\n\tmov x0, #4\n\tmov x1, %0\n\tnop"
                             :
                             : "r"(&arg)
                             : "x0", "x1", "x2", "x3", "x4", "x16", "memory");
        }
    }
    return timer_now() - t0;
}

static void report(const char *name, uint64_t ticks, uint32_t n)
{
    gprintf("BENCH %s ", name);
    gprint_tenths(ticks_to_ns_tenths(ticks) / n);
    gputs("\n");
}

static void bench_send(void)
{
    uint64_t without = time_sends(P_SINK0, SEND_ITERS, 0);
    uint64_t with = time_sends(P_SINK0, SEND_ITERS, 1);
    report("evt_send_ns", with > without ? with - without : 0u, SEND_ITERS);
}

static void bench_oneway(void)
{
    uint32_t done = 0;
    for (uint32_t i = 0; i < ONEWAY_ITERS; i++) {
        uint32_t before = SH->oneway_n;
        SH->t_send = timer_now();
        __asm__ volatile("dmb ish" ::: "memory");
        (void)evtchn_send(P_ONEWAY);
        sleep_until_change(&SH->oneway_n, before, 200u);
        done += SH->oneway_n != before ? 1u : 0u;
    }
    checkf(done == ONEWAY_ITERS, "one-way events handled: %u of %u", done, ONEWAY_ITERS);
    report("evt_oneway_ns", SH->oneway_sum, done ? done : 1u);
}

static void bench_rtt(void)
{
    evtchn_set_handler(P_RTT, on_rtt_back);
    uint32_t done = 0;
    uint64_t t0 = timer_now();
    for (uint32_t i = 0; i < RTT_ITERS; i++) {
        uint32_t before = rtt_got;
        (void)evtchn_send(P_RTT);
        sleep_until_change(&rtt_got, before, 1000u);
        done += rtt_got != before ? 1u : 0u;
    }
    uint64_t ticks = timer_now() - t0;
    checkf(done == RTT_ITERS, "round trips: %u of %u", done, RTT_ITERS);
    report("evt_roundtrip_ns", ticks, done);
}

/* Batches of one event on each sink port, then a round trip so that b has
 * handled the batch (flow control) before the next. */
static void bench_rate(void)
{
    evtchn_set_handler(P_RTT, on_rtt_back);
    uint32_t start = SH->delivered;
    uint64_t t0 = timer_now();
    for (uint32_t b = 0; b < RATE_BATCHES; b++) {
        for (uint32_t k = 0; k < SINKS; k++) {
            (void)evtchn_send(P_SINK0 + k);
        }
        uint32_t before = rtt_got;
        (void)evtchn_send(P_RTT);
        sleep_until_change(&rtt_got, before, 1000u);
    }
    uint64_t ticks = timer_now() - t0;
    uint32_t got = SH->delivered - start;
    uint64_t ns = ticks_to_ns_tenths(ticks) / 10u;
    gprintf("BENCH evt_events_per_s %lu\n", (unsigned long)((uint64_t)got * 1000000000ull / ns));
    checkf(got == RATE_BATCHES * SINKS, "events delivered: %u of %u in %lu ns", got,
           RATE_BATCHES * SINKS, (unsigned long)ns);
}

static void role_a(void)
{
    setup();
    uint64_t limit = timer_now() + timer_freq();
    while (SH->ready == 0u && timer_now() < limit) {
    }
    check(SH->ready != 0u, "b ready");
    bench_oneway();
    bench_rtt();
    bench_rate();
    bench_send();
    SH->done = 1u;
    __asm__ volatile("dmb ish" ::: "memory");
    (void)evtchn_send(P_ONEWAY);
    test_finish();
}

int main(void)
{
    if (bh_arg(bh_bootargs(), "role", 0, 0) == 1u) {
        role_a();
    }
    role_b();
    return 0;
}
