/*
 * Static event channels and static shared memory between partitions (one
 * program, three roles chosen by bootargs role=1 (a), 2 (b) or 3 (c); config/evt_link.dts):
 * a (CPU 0) ping-pongs with b (CPU 1) and with c (CPU 0), fills a queuing
 * port to b past its depth and writes a sampling port; b checks both ports
 * and that a channel to c (not configured) is refused; c, whose view of the
 * shared region is read-only, reads it and then writes it: its health
 * monitor stops it while a and b carry on. With tests/system/cases/evt_link.
 */
#include "bulkhead.h"
#include "evtchn.h"
#include "ports.h"

#define DOMID_A 1u
#define DOMID_C 3u
#define SHM_RW 0x50000000ull /* a and b */
#define SHM_RO 0x60000000ull /* c */
#define P_AB_PING 10u        /* a:10 <-> b:10 */
#define P_AC_PING 11u        /* a:11 <-> c:10 */
#define P_AB_PORTS 12u       /* a:12 <-> b:11: "ports written" */
#define P_B_PORTS 11u
#define P_C_PING 10u
#define ROUNDS_AB 100u
#define ROUNDS_AC 20u
#define WAIT_MS 2000u

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static volatile uint32_t got[16];
static volatile bool timer_fired;

#define QPORT ((struct queuing_port *)SHM_RW)
#define SPORT ((struct sampling_port *)(SHM_RW + 0x800u))
#define MARK ((volatile uint32_t *)(SHM_RW + 0x1000u))

static void on_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

static void count(uint32_t port)
{
    got[port & 15u]++;
}

static void echo(uint32_t port)
{
    got[port & 15u]++;
    (void)evtchn_send(port);
}

static bool wait_for(volatile uint32_t *counter, uint32_t target)
{
    timer_fired = false;
    vtimer_arm_at(timer_now() + timer_freq() / 1000u * WAIT_MS);
    while (*counter < target && !timer_fired) {
        irq_wait();
    }
    vtimer_stop();
    return *counter >= target;
}

static void setup(void)
{
    gic_init();
    check(evtchn_setup(&ctrl_block, on_other_irq) == 0, "init_control");
    check(evtchn_add_page(page0) == 0, "expand_array");
}

static void ping_pong(uint32_t port, uint32_t rounds, const char *what)
{
    uint32_t done = 0;
    uint64_t t0 = timer_now();
    for (uint32_t r = 0; r < rounds; r++) {
        uint32_t before = got[port];
        (void)evtchn_send(port);
        if (!wait_for(&got[port], before + 1u)) {
            break;
        }
        done++;
    }
    uint64_t ticks = timer_now() - t0;
    checkf(done == rounds, "ping-pong %s: %u of %u round trips", what, done, rounds);
    gprintf("%s round trip: ", what);
    gprint_tenths(done ? ticks_to_ns_tenths(ticks / done) : 0u);
    gputs(" ns\n");
}

static void role_a(void)
{
    *MARK = 0x5a5a5a5au;
    setup();
    /* b and c may not have set up yet: the first ping waits in their port. */
    evtchn_set_handler(P_AB_PING, count);
    evtchn_set_handler(P_AC_PING, count);
    uint32_t port = 0;
    check(evtchn_alloc_unbound(DOMID_SELF, DOMID_C, &port) == 0, "a may bind with c (configured)");
    (void)evtchn_close(port);
    ping_pong(P_AB_PING, ROUNDS_AB, "cross-CPU (a-b)");
    ping_pong(P_AC_PING, ROUNDS_AC, "same-CPU (a-c)");
    uint32_t full = 0;
    for (uint32_t k = 0; k < PORT_QUEUE_DEPTH + 1u; k++) {
        char msg[8] = {'m', 's', 'g', ' ', (char)('0' + k), 0};
        full += queuing_send(QPORT, msg, 6, 0) == PORT_FULL ? 1u : 0u;
    }
    checkf(full == 1u && QPORT->overflows == 1u, "queuing port overflow reported (%u)", full);
    check(sampling_write(SPORT, "temp=42", 8, P_AB_PORTS) == 0, "sampling port written");
    delay_ticks(timer_freq() / 10u);
    ping_pong(P_AB_PING, 10u, "after c stopped (a-b)");
    test_finish();
}

static void role_b(void)
{
    setup();
    evtchn_set_handler(P_AB_PING, echo);
    evtchn_set_handler(P_B_PORTS, count);
    uint32_t port = 0;
    check(evtchn_alloc_unbound(DOMID_SELF, DOMID_C, &port) == -XEN_EPERM,
          "alloc_unbound for c (not configured) refused with EPERM");
    check(evtchn_bind_interdomain(DOMID_C, P_C_PING, &port) == -XEN_EPERM,
          "bind_interdomain to c (not configured) refused with EPERM");
    check(wait_for(&got[P_B_PORTS], 1u), "ports event from a");
    char buf[PORT_MSG_MAX];
    uint32_t len = 0, n = 0;
    bool order = true;
    while (queuing_receive(QPORT, buf, &len) == PORT_OK) {
        order = order && len == 6u && buf[4] == (char)('0' + n);
        n++;
    }
    checkf(n == PORT_QUEUE_DEPTH && order, "queuing port: %u messages in order", n);
    check(QPORT->overflows == 1u, "queuing port overflow seen by the reader");
    uint64_t age = 0;
    int rc = sampling_read(SPORT, buf, &len, &age, timer_freq());
    checkf(rc == PORT_OK && len == 8u && buf[5] == '4', "sampling port: latest message valid");
    delay_ticks(timer_freq() / 100u);
    rc = sampling_read(SPORT, buf, &len, &age, timer_freq() / 1000u);
    check(rc == PORT_INVALID, "sampling port: message older than the refresh period invalid");
    delay_ticks(timer_freq() / 5u);
    check(*MARK == 0x5a5a5a5au, "shared word unchanged by c's refused write");
    (void)wait_for(&got[P_AB_PING], ROUNDS_AB + 10u); /* a's last pings */
    test_finish();
}

static void role_c(void)
{
    setup();
    evtchn_set_handler(P_C_PING, echo);
    (void)wait_for(&got[P_C_PING], ROUNDS_AC);
    delay_ticks(timer_freq() / 50u);
    volatile uint32_t *mark = (volatile uint32_t *)(SHM_RO + 0x1000u);
    checkf(*mark == 0x5a5a5a5au, "c reads the shared region (0x%x)", *mark);
    gprintf("writing the read-only region\n");
    gflush();
    *mark = 1u;
    check(false, "write to a read-only region not stopped");
    test_finish();
}

int main(void)
{
    uint64_t role = bh_arg(bh_bootargs(), "role", 0, 0);
    if (role == 1u) {
        role_a();
    } else if (role == 2u) {
        role_b();
    }
    role_c();
    return 0;
}
