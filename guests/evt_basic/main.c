/*
 * FIFO event channels between ports of this partition: deferred delivery,
 * ping-pong, 16 priorities drained highest first, FIFO order within a
 * priority, mask and unmask, set_priority, status, close, bind_vcpu,
 * VIRQ_TIMER, and every invalid argument answered with Xen's error and no
 * effect. Partition 0 (domain id 1); its neighbour "witness" is partition 1
 * (domain id 2) and is not connected to it by the configuration.
 * With tests/system/cases/evt_basic.
 */
#include "evtchn.h"

#define OWN_DOMID 1u
#define WITNESS_DOMID 2u
#define NO_DOMID 50u
#define PING_PONG_ROUNDS 100u
#define FIFO_PORTS 4u
#define MAX_LOG 64u
#define WAIT_MS 200u

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));

static volatile uint32_t event_log[MAX_LOG];
static volatile uint32_t log_len;
static volatile bool timer_fired;
static uint32_t ping_a, ping_b;
static volatile uint32_t pongs;

static void on_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

static void log_event(uint32_t port)
{
    if (log_len < MAX_LOG) {
        event_log[log_len] = port;
    }
    log_len++;
}

/* Let interrupts in until cond holds or WAIT_MS pass; true if it held. */
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

/* The console passes 64 lines at once and 1000 lines/s after that: let
 * the allowance refill between groups of checks. */
static void pace(void)
{
    delay_ticks(timer_freq() / 1000u * 40u);
}

static void pair(uint32_t *a, uint32_t *b)
{
    int64_t rc = evtchn_self_pair(a, b);

    if (rc != 0) {
        checkf(false, "self pair: %ld", (long)rc);
    }
}

static void test_before_setup(uint32_t *da, uint32_t *db)
{
    uint32_t arg = 0;

    check(evtchn_expand_array(0x40000) == -XEN_EOPNOTSUPP, "expand_array before init_control");
    check(evtchn_op(EVTCHNOP_BIND_PIRQ, &arg) == -XEN_ENOSYS, "bind_pirq not offered");
    check(evtchn_op(EVTCHNOP_BIND_IPI, &arg) == -XEN_ENOSYS, "bind_ipi not offered");
    check(evtchn_op(EVTCHNOP_RESET, &arg) == -XEN_ENOSYS, "reset not offered");
    check(evtchn_op(14u, &arg) == -XEN_ENOSYS, "operation 14 unknown");
    check(hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_SEND, 0x1000u, 0, 0, 0) == -XEN_EFAULT,
          "argument outside RAM: EFAULT");
    check(hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_STATUS, 0x40FFFFF0u, 0, 0, 0) == -XEN_EFAULT,
          "argument crossing the end of RAM: EFAULT");
    /* An event raised before there is a control block is kept. */
    pair(da, db);
    check(evtchn_send(*da) == 0, "send before init_control accepted");
}

static void test_init_control(void)
{
    uint64_t gfn = (uint64_t)(uintptr_t)&ctrl_block >> 12;
    uint32_t off = (uint32_t)((uintptr_t)&ctrl_block & 0xFFFu);
    uint8_t bits = 0;

    check(evtchn_init_control(gfn, off + 4u, 0, NULL) == -XEN_EINVAL, "control block unaligned");
    check(evtchn_init_control(gfn, 4032u, 0, NULL) == -XEN_EINVAL, "control block crosses page");
    check(evtchn_init_control(0x3001u, 0, 0, NULL) == -XEN_EINVAL, "control block on the GIC");
    check(evtchn_init_control(0x49000u, 0, 0, NULL) == -XEN_EINVAL,
          "control block frame beyond RAM (witness's host frame)");
    check(evtchn_init_control(1ull << 60, 0, 0, NULL) == -XEN_EINVAL, "control block gfn huge");
    check(evtchn_init_control(gfn, off, 1, NULL) == -XEN_ENOENT, "control block for vCPU 1");
    check(evtchn_setup(&ctrl_block, on_other_irq) == 0, "init_control");
    check(evtchn_init_control(gfn, off, 0, &bits) == -XEN_EINVAL && bits == 0u,
          "second init_control refused");
    check(ctrl_block.ready == 0u, "nothing ready without an event array");
    gic_enable_private(VTIMER_PPI, 0x80);
}

static void test_expand(uint32_t db)
{
    check(evtchn_expand_array(0x3001u) == -XEN_EINVAL, "event array page on the GIC");
    check(evtchn_expand_array(0x41000u) == -XEN_EINVAL, "event array page beyond RAM");
    check(evtchn_pages() == 0u, "no page after refusals");
    check(evtchn_add_page(page0) == 0, "expand_array");
    checkf((page0[db] & (EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED)) ==
               (EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED),
           "deferred event now linked (word 0x%x)", page0[db]);
    checkf(ctrl_block.ready == (1u << EVTCHN_FIFO_PRIORITY_DEFAULT) && ctrl_block.head[7] == db,
           "default priority queue ready with its head");
    log_len = 0;
    evtchn_set_default_handler(log_event);
    check(wait_for(&log_len, 1) && event_log[0] == db, "deferred event delivered once");
}

static void on_ping(uint32_t port)
{
    pongs++;
    if (pongs < 2u * PING_PONG_ROUNDS) {
        (void)evtchn_send(port);
    }
}

static void test_ping_pong(void)
{
    pair(&ping_a, &ping_b);
    (void)evtchn_drain(); /* the notification of binding */
    evtchn_set_handler(ping_a, on_ping);
    evtchn_set_handler(ping_b, on_ping);
    pongs = 0;
    check(evtchn_send(ping_a) == 0, "ping sent");
    checkf(wait_for(&pongs, 2u * PING_PONG_ROUNDS), "ping-pong %u round trips (%u events)",
           PING_PONG_ROUNDS, pongs);
}

static void test_priorities(void)
{
    uint32_t a[EVTCHN_FIFO_MAX_QUEUES], b[EVTCHN_FIFO_MAX_QUEUES];
    bool in_order = true;
    uint32_t i;

    for (i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
        pair(&a[i], &b[i]);
        (void)evtchn_set_priority(b[i], i);
    }
    (void)evtchn_drain();
    log_len = 0;
    for (i = EVTCHN_FIFO_MAX_QUEUES; i > 0u; i--) {
        (void)evtchn_send(a[i - 1u]);
    }
    checkf(ctrl_block.ready == 0xFFFFu, "all 16 queues ready (0x%x)", ctrl_block.ready);
    (void)wait_for(&log_len, EVTCHN_FIFO_MAX_QUEUES);
    for (i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
        in_order = in_order && event_log[i] == b[i];
    }
    checkf(log_len == EVTCHN_FIFO_MAX_QUEUES && in_order,
           "16 priorities drained highest first (%u events)", log_len);
}

static void test_fifo_order(void)
{
    static const uint32_t order[FIFO_PORTS] = {2, 0, 3, 1};
    uint32_t a[FIFO_PORTS], b[FIFO_PORTS];
    bool in_order = true;
    uint32_t i;

    for (i = 0; i < FIFO_PORTS; i++) {
        pair(&a[i], &b[i]);
        (void)evtchn_set_priority(b[i], 5);
    }
    (void)evtchn_drain();
    log_len = 0;
    for (i = 0; i < FIFO_PORTS; i++) {
        (void)evtchn_send(a[order[i]]);
    }
    checkf(ctrl_block.head[5] == b[order[0]] &&
               page0[b[order[0]]] == (EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED | b[order[1]]),
           "queue 5 linked in send order");
    (void)wait_for(&log_len, FIFO_PORTS);
    for (i = 0; i < FIFO_PORTS; i++) {
        in_order = in_order && event_log[i] == b[order[i]];
    }
    check(log_len == FIFO_PORTS && in_order, "FIFO order within a priority");
}

static void test_mask(void)
{
    uint32_t a, b;

    pair(&a, &b);
    (void)evtchn_drain();
    evtchn_mask(b);
    log_len = 0;
    check(evtchn_send(a) == 0, "send to a masked port");
    checkf(page0[b] == (EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED) && ctrl_block.ready == 0u,
           "masked: pending, not linked, nothing ready (0x%x)", page0[b]);
    check(evtchn_drain() == 0u && log_len == 0u, "masked event not delivered");
    check(evtchn_unmask(b) == 0, "unmask");
    checkf((page0[b] & (EVTCHN_FIFO_LINKED | EVTCHN_FIFO_MASKED)) == EVTCHN_FIFO_LINKED,
           "unmask linked the pending event (0x%x)", page0[b]);
    check(wait_for(&log_len, 1) && event_log[0] == b, "masked event delivered on unmask");
    check(evtchn_unmask(b) == 0 && evtchn_drain() == 0u, "unmask with nothing pending: no event");
}

static void test_set_priority(void)
{
    uint32_t a, b;

    pair(&a, &b);
    (void)evtchn_drain();
    check(evtchn_set_priority(b, 16) == -XEN_EINVAL, "priority 16 refused");
    check(evtchn_set_priority(1u << 20, 3) == -XEN_EINVAL, "set_priority unknown port");
    (void)evtchn_send(a);
    check(ctrl_block.ready == (1u << EVTCHN_FIFO_PRIORITY_DEFAULT),
          "refused priority had no effect");
    (void)evtchn_drain();
    check(evtchn_set_priority(b, 0) == 0, "set_priority 0");
    (void)evtchn_send(a);
    check(ctrl_block.ready == 1u && ctrl_block.head[0] == b, "event now in queue 0");
    (void)evtchn_drain();
}

static void test_status_and_errors(void)
{
    struct evtchn_status st;
    uint32_t u, l, a, b;

    check(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u) == 0, "alloc_unbound to self");
    check(evtchn_status(DOMID_SELF, u, &st) == 0 && st.status == EVTCHNSTAT_UNBOUND &&
              st.u.unbound_dom == OWN_DOMID,
          "status unbound, accepting own domain id");
    check(evtchn_status(DOMID_SELF, ping_a, &st) == 0 && st.status == EVTCHNSTAT_INTERDOMAIN &&
              st.u.interdomain.dom == OWN_DOMID && st.u.interdomain.port == ping_b,
          "status interdomain names the peer port");
    check(evtchn_status(OWN_DOMID, 0, &st) == 0 && st.status == EVTCHNSTAT_CLOSED,
          "status of port 0 (reserved) by own domain id: closed");
    check(evtchn_status(DOMID_SELF, 1u << 20, &st) == -XEN_EINVAL, "status unknown port");
    check(evtchn_status(WITNESS_DOMID, 1, &st) == -XEN_EPERM, "status of a foreign port");
    check(evtchn_status(NO_DOMID, 1, &st) == -XEN_ESRCH, "status of a missing domain");
    check(evtchn_alloc_unbound(WITNESS_DOMID, DOMID_SELF, &l) == -XEN_EPERM,
          "alloc_unbound for another domain");
    check(evtchn_alloc_unbound(DOMID_SELF, WITNESS_DOMID, &l) == -XEN_EPERM,
          "alloc_unbound towards an unconnected partition");
    check(evtchn_alloc_unbound(DOMID_SELF, NO_DOMID, &l) == -XEN_ESRCH,
          "alloc_unbound towards a missing domain");
    check(evtchn_bind_interdomain(WITNESS_DOMID, 1, &l) == -XEN_EPERM,
          "bind_interdomain to an unconnected partition");
    check(evtchn_bind_interdomain(NO_DOMID, 1, &l) == -XEN_ESRCH,
          "bind_interdomain to a missing domain");
    check(evtchn_bind_interdomain(DOMID_SELF, ping_a, &l) == -XEN_EINVAL,
          "bind_interdomain to a connected port");
    check(evtchn_bind_interdomain(DOMID_SELF, 0, &l) == -XEN_EINVAL, "bind_interdomain to port 0");
    check(evtchn_status(DOMID_SELF, u, &st) == 0 && st.status == EVTCHNSTAT_UNBOUND &&
              evtchn_status(DOMID_SELF, ping_a, &st) == 0 && st.u.interdomain.port == ping_b,
          "refusals changed no port");
    pair(&a, &b);
    (void)evtchn_drain();
    check(evtchn_close(b) == 0, "close");
    check(evtchn_status(DOMID_SELF, a, &st) == 0 && st.status == EVTCHNSTAT_UNBOUND,
          "peer of a closed port is unbound again");
    check(evtchn_send(b) == -XEN_EINVAL, "send on a closed port");
    check(evtchn_close(b) == -XEN_EINVAL, "close a closed port");
    check(evtchn_close(0) == -XEN_EINVAL && evtchn_close(1u << 20) == -XEN_EINVAL,
          "close port 0 and an unknown port");
    check(evtchn_send(a) == 0 && evtchn_drain() == 0u, "send on an unbound port: dropped");
    check(evtchn_send(1u << 20) == -XEN_EINVAL && evtchn_send(1000) == -XEN_EINVAL,
          "send on unknown and free ports");
    check(evtchn_unmask_op(1u << 20) == -XEN_EINVAL, "unmask unknown port");
    check(evtchn_bind_interdomain(DOMID_SELF, a, &l) == 0 && l == b, "rebind takes lowest port");
    (void)evtchn_drain();
    check(evtchn_bind_vcpu(b, 1) == -XEN_ENOENT, "bind_vcpu to missing vCPU");
    check(evtchn_bind_vcpu(1u << 20, 0) == -XEN_EINVAL, "bind_vcpu unknown port");
    check(evtchn_bind_vcpu(b, 0) == 0, "bind_vcpu to vCPU 0");
}

static void on_virq_timer(uint32_t port)
{
    log_event(port);
}

static void test_virq(void)
{
    struct evtchn_status st;
    uint32_t t, x;

    check(evtchn_bind_virq(NR_VIRQS, 0, &x) == -XEN_EINVAL, "bind_virq unknown VIRQ");
    check(evtchn_bind_virq(2, 1, &x) == -XEN_EINVAL, "global VIRQ on vCPU 1");
    check(evtchn_bind_virq(VIRQ_TIMER, 1, &x) == -XEN_ENOENT, "VIRQ_TIMER on missing vCPU");
    check(evtchn_bind_virq(VIRQ_TIMER, 0, &t) == 0, "bind_virq VIRQ_TIMER");
    check(evtchn_bind_virq(VIRQ_TIMER, 0, &x) == -XEN_EEXIST, "VIRQ_TIMER bound twice");
    check(evtchn_status(DOMID_SELF, t, &st) == 0 && st.status == EVTCHNSTAT_VIRQ &&
              st.u.virq == VIRQ_TIMER,
          "status virq");
    check(evtchn_bind_vcpu(t, 0) == -XEN_EINVAL, "per-vCPU VIRQ not movable");
    evtchn_set_handler(t, on_virq_timer);
    log_len = 0;
    timer_fired = false;
    vtimer_arm_at(timer_now() + timer_freq() / 1000u);
    while (!timer_fired) {
        irq_wait();
    }
    (void)wait_for(&log_len, 1);
    checkf(log_len >= 1u && event_log[0] == t, "VIRQ_TIMER raised when the timer fired (%u)",
           log_len);
    check(evtchn_close(t) == 0 && evtchn_bind_virq(VIRQ_TIMER, 0, &x) == 0 && x == t,
          "closing frees the VIRQ binding");
}

int main(void)
{
    uint32_t da = 0, db = 0;

    gic_init();
    test_before_setup(&da, &db);
    pace();
    test_init_control();
    pace();
    test_expand(db);
    pace();
    test_ping_pong();
    pace();
    test_priorities();
    pace();
    test_fifo_order();
    pace();
    test_mask();
    pace();
    test_set_priority();
    pace();
    test_status_and_errors();
    pace();
    test_virq();
    pace();
    gprintf("handled %u, skipped %u\n", evtchn_handled, evtchn_skipped);
    test_finish();
}
