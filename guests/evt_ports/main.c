/*
 * The port limit of one partition: grow the event array until the
 * hypervisor refuses (-ENOSPC), allocate every port, use the highest one,
 * then fill one queue with an event on every other port and drain it in
 * FIFO order. The limit is whatever the hypervisor grants (printed as
 * "port limit N"); the array is sized for the ABI's 2^17 ports.
 * With tests/system/cases/evt_ports.
 */
#include "evtchn.h"

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t pages[EVTCHN_MAX_PAGES][EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));

static volatile uint32_t received;
static volatile uint32_t last_port;
static volatile bool out_of_order;

static void on_event(uint32_t port)
{
    if (port <= last_port) {
        out_of_order = true;
    }
    last_port = port;
    received++;
}

/* Add pages until the hypervisor refuses; returns the ports covered. */
static uint32_t grow_array(void)
{
    int64_t rc = 0;
    uint32_t i;

    for (i = 0; i < EVTCHN_MAX_PAGES && rc == 0; i++) {
        rc = evtchn_add_page(pages[i]);
    }
    checkf(rc == -XEN_ENOSPC || evtchn_pages() == EVTCHN_MAX_PAGES,
           "expand_array stops with ENOSPC (%ld)", (long)rc);
    check(evtchn_expand_array((uint64_t)(uintptr_t)pages[0] >> 12) != 0,
          "no page beyond the limit");
    return evtchn_pages() * EVTCHN_WORDS_PER_PAGE;
}

/* Allocate unbound ports until ENOSPC; returns the highest port. */
static uint32_t fill_ports(uint32_t limit)
{
    uint32_t port = 0, n = 0, highest = 0;

    while (n < limit && evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) == 0) {
        highest = port;
        n++;
    }
    checkf(n == limit - 1u && highest == limit - 1u, "allocated %u ports, highest %u", n, highest);
    check(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) == -XEN_ENOSPC,
          "alloc_unbound when full: ENOSPC");
    check(evtchn_bind_virq(VIRQ_TIMER, 0, &port) == -XEN_ENOSPC, "bind_virq when full: ENOSPC");
    return highest;
}

static void use_highest(uint32_t highest)
{
    uint32_t l = 0;

    check(evtchn_close(highest) == 0 && evtchn_close(highest - 1u) == 0, "close the top two");
    check(evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &l) == 0 && l == highest - 1u,
          "lowest free port reused");
    check(evtchn_bind_interdomain(DOMID_SELF, l, &l) == 0 && l == highest,
          "bound the highest port");
    (void)evtchn_drain();
    received = 0;
    last_port = 0;
    check(evtchn_send(highest - 1u) == 0 && evtchn_drain() == 1u && received == 1u &&
              last_port == highest,
          "event on the highest port delivered");
}

/* Close every port; pair them up again, raise every pair, drain. */
static void fill_queue(uint32_t limit)
{
    uint32_t a = 0, b = 0, pairs = 0, port;

    for (port = 1; port < limit; port++) {
        (void)evtchn_close(port);
    }
    while (evtchn_self_pair(&a, &b) == 0) {
        pairs++;
    }
    (void)evtchn_drain();
    received = 0;
    last_port = 0;
    out_of_order = false;
    for (port = 1; port + 1u < limit; port += 2u) {
        (void)evtchn_send(port);
    }
    checkf(ctrl_block.ready == (1u << EVTCHN_FIFO_PRIORITY_DEFAULT), "one queue ready");
    (void)evtchn_drain();
    checkf(pairs == (limit - 1u) / 2u && received == pairs && !out_of_order,
           "%u events in one queue drained in FIFO order", received);
}

int main(void)
{
    uint32_t limit, highest;

    gic_init();
    check(evtchn_setup(&ctrl_block, NULL) == 0, "init_control");
    evtchn_set_default_handler(on_event);
    limit = grow_array();
    gprintf("port limit %u (%u pages)\n", limit, evtchn_pages());
    highest = fill_ports(limit);
    use_highest(highest);
    fill_queue(limit);
    test_finish();
}
