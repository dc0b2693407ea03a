/*
 * Event channels, guest side: hypercall wrappers and the FIFO consumer.
 *
 * The hypervisor links events at the tail of a queue and writes HEAD only
 * when it starts a queue afresh; we unlink from the head. Our copy of each
 * queue's head is 0 when we reached the end of that queue, and then the next
 * event is found in the control block's HEAD (the hypervisor has set READY
 * after writing it). READY is taken with one exchange before the queues are
 * walked, so a queue the hypervisor restarts while we walk sets READY again
 * and is seen by the next exchange.
 */
#include "evtchn.h"

/* Bound on compare-and-swap retries on one word: only the hypervisor
 * competes, and it changes a word at most a few times per event. */
#define CAS_TRIES 64u
/* Events taken per drain before READY is read again. */
#define DRAIN_LIMIT (EVTCHN_FIFO_NR_CHANNELS + EVTCHN_FIFO_MAX_QUEUES)

struct handler_slot {
    uint32_t port; /* 0: free (port 0 is never allocated) */
    evtchn_handler_fn fn;
};

static struct evtchn_fifo_control_block *control;
static uint32_t *event_pages[EVTCHN_MAX_PAGES];
static uint32_t num_pages;
static uint32_t queue_head[EVTCHN_FIFO_MAX_QUEUES];
static struct handler_slot handlers[EVTCHN_MAX_HANDLERS];
static evtchn_handler_fn default_handler;
static irq_handler_fn other_irq;
/* evtchn_upcall_pending of this vCPU's registered vcpu_info, or NULL. */
static volatile uint8_t *upcall_pending;
volatile uint32_t evtchn_handled;
volatile uint32_t evtchn_skipped;

/* ------------------------------------------------------ hypercalls --- */

int64_t evtchn_op(uint32_t cmd, void *arg)
{
    return hypercall(HC_EVENT_CHANNEL_OP, cmd, (uint64_t)(uintptr_t)arg, 0, 0, 0);
}

int64_t evtchn_alloc_unbound(uint16_t dom, uint16_t remote_dom, uint32_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote_dom};
    int64_t rc = evtchn_op(EVTCHNOP_ALLOC_UNBOUND, &a);

    if (rc == 0) {
        *port = a.port;
    }
    return rc;
}

int64_t evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port, uint32_t *local_port)
{
    struct evtchn_bind_interdomain a = {.remote_dom = remote_dom, .remote_port = remote_port};
    int64_t rc = evtchn_op(EVTCHNOP_BIND_INTERDOMAIN, &a);

    if (rc == 0) {
        *local_port = a.local_port;
    }
    return rc;
}

int64_t evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq a = {.virq = virq, .vcpu = vcpu};
    int64_t rc = evtchn_op(EVTCHNOP_BIND_VIRQ, &a);

    if (rc == 0) {
        *port = a.port;
    }
    return rc;
}

int64_t evtchn_close(uint32_t port)
{
    uint32_t p = port;

    return evtchn_op(EVTCHNOP_CLOSE, &p);
}

int64_t evtchn_send(uint32_t port)
{
    uint32_t p = port;

    return evtchn_op(EVTCHNOP_SEND, &p);
}

int64_t evtchn_status(uint16_t dom, uint32_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return evtchn_op(EVTCHNOP_STATUS, st);
}

int64_t evtchn_bind_vcpu(uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu a = {.port = port, .vcpu = vcpu};

    return evtchn_op(EVTCHNOP_BIND_VCPU, &a);
}

int64_t evtchn_unmask_op(uint32_t port)
{
    uint32_t p = port;

    return evtchn_op(EVTCHNOP_UNMASK, &p);
}

int64_t evtchn_init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint8_t *link_bits)
{
    struct evtchn_init_control a = {.control_gfn = gfn, .offset = offset, .vcpu = vcpu};
    int64_t rc = evtchn_op(EVTCHNOP_INIT_CONTROL, &a);

    if (rc == 0 && link_bits != NULL) {
        *link_bits = a.link_bits;
    }
    return rc;
}

int64_t evtchn_expand_array(uint64_t gfn)
{
    struct evtchn_expand_array a = {.array_gfn = gfn};

    return evtchn_op(EVTCHNOP_EXPAND_ARRAY, &a);
}

int64_t evtchn_set_priority(uint32_t port, uint32_t priority)
{
    struct evtchn_set_priority a = {.port = port, .priority = priority};

    return evtchn_op(EVTCHNOP_SET_PRIORITY, &a);
}

int64_t evtchn_self_pair(uint32_t *a, uint32_t *b)
{
    int64_t rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, a);

    if (rc == 0) {
        rc = evtchn_bind_interdomain(DOMID_SELF, *a, b);
    }
    return rc;
}

/* ---------------------------------------------------- event array --- */

static uint64_t gfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> 12;
}

int64_t evtchn_add_page(uint32_t *page)
{
    int64_t rc;

    if (num_pages >= EVTCHN_MAX_PAGES || ((uintptr_t)page & (EVTCHN_PAGE_SIZE - 1u)) != 0u) {
        return -XEN_EINVAL;
    }
    memset(page, 0, EVTCHN_PAGE_SIZE);
    rc = evtchn_expand_array(gfn_of(page));
    if (rc == 0) {
        event_pages[num_pages] = page;
        num_pages++;
    }
    return rc;
}

uint32_t evtchn_pages(void)
{
    return num_pages;
}

volatile uint32_t *evtchn_word(uint32_t port)
{
    uint32_t page = port / EVTCHN_WORDS_PER_PAGE;

    if (page >= num_pages) {
        return NULL;
    }
    return &event_pages[page][port % EVTCHN_WORDS_PER_PAGE];
}

volatile struct evtchn_fifo_control_block *evtchn_control(void)
{
    return control;
}

/* ------------------------------------------------------- handlers --- */

bool evtchn_set_handler(uint32_t port, evtchn_handler_fn fn)
{
    struct handler_slot *free_slot = NULL;
    uint32_t i;

    for (i = 0; i < EVTCHN_MAX_HANDLERS; i++) {
        if (handlers[i].port == port) {
            handlers[i].fn = fn;
            handlers[i].port = (fn != NULL) ? port : 0u;
            return true;
        }
        if (handlers[i].port == 0u && free_slot == NULL) {
            free_slot = &handlers[i];
        }
    }
    if (fn == NULL) {
        return true;
    }
    if (free_slot == NULL || port == 0u) {
        return false;
    }
    free_slot->port = port;
    free_slot->fn = fn;
    return true;
}

void evtchn_set_default_handler(evtchn_handler_fn fn)
{
    default_handler = fn;
}

static evtchn_handler_fn handler_of(uint32_t port)
{
    uint32_t i;

    for (i = 0; i < EVTCHN_MAX_HANDLERS; i++) {
        if (handlers[i].port == port) {
            return handlers[i].fn;
        }
    }
    return default_handler;
}

/* -------------------------------------------------- mask / unmask --- */

void evtchn_mask(uint32_t port)
{
    volatile uint32_t *w = evtchn_word(port);

    if (w != NULL) {
        (void)__atomic_fetch_or(w, EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST);
    }
}

int64_t evtchn_unmask(uint32_t port)
{
    volatile uint32_t *w = evtchn_word(port);

    if (w == NULL) {
        return evtchn_unmask_op(port);
    }
    /* A pending event was not linked while masked: only the hypervisor
     * links, so it must be asked. Otherwise clearing the bit is enough. */
    if ((__atomic_fetch_and(w, ~EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST) & EVTCHN_FIFO_PENDING) !=
        0u) {
        return evtchn_unmask_op(port);
    }
    return 0;
}

/* --------------------------------------------------------- consumer --- */

/* Clear LINKED and LINK of port's word; returns the old word. */
static uint32_t unlink_word(volatile uint32_t *w)
{
    uint32_t old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
    uint32_t i;

    for (i = 0; i < CAS_TRIES; i++) {
        uint32_t nw = old & ~(EVTCHN_FIFO_LINKED | EVTCHN_FIFO_LINK_MASK);
        if (__atomic_compare_exchange_n(w, &old, nw, false, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE)) {
            break;
        }
    }
    return old;
}

/* Handle port's event if it is pending and not masked (a masked event stays
 * pending and is queued again by unmask). */
static void deliver(uint32_t port, volatile uint32_t *w)
{
    evtchn_handler_fn fn;

    if ((*w & EVTCHN_FIFO_MASKED) != 0u ||
        (__atomic_fetch_and(w, ~EVTCHN_FIFO_PENDING, __ATOMIC_SEQ_CST) & EVTCHN_FIFO_PENDING) ==
            0u) {
        evtchn_skipped++;
        return;
    }
    evtchn_handled++;
    fn = handler_of(port);
    if (fn != NULL) {
        fn(port);
    }
}

/* Take the head of queue q. Returns false when q is now empty. */
static bool consume_one(uint32_t q)
{
    uint32_t port = queue_head[q];
    volatile uint32_t *w;
    uint32_t next;

    if (port == 0u) {
        port = __atomic_load_n(&control->head[q], __ATOMIC_ACQUIRE) & EVTCHN_FIFO_LINK_MASK;
    }
    w = evtchn_word(port);
    if (port == 0u || w == NULL) {
        queue_head[q] = 0; /* nothing we can follow: wait for a new HEAD */
        return false;
    }
    next = unlink_word(w) & EVTCHN_FIFO_LINK_MASK;
    queue_head[q] = next;
    deliver(port, w);
    return next != 0u;
}

uint32_t evtchn_drain(void)
{
    uint32_t before = evtchn_handled;
    uint32_t ready;
    uint32_t n;

    if (control == NULL) {
        return 0;
    }
    /* Xen injects the upcall again only once the guest has cleared this. */
    if (upcall_pending != NULL) {
        __atomic_store_n(upcall_pending, (uint8_t)0u, __ATOMIC_SEQ_CST);
    }
    ready = __atomic_exchange_n(&control->ready, 0u, __ATOMIC_SEQ_CST);
    for (n = 0; n < DRAIN_LIMIT && ready != 0u; n++) {
        uint32_t q = (uint32_t)__builtin_ctz(ready);
        if (!consume_one(q)) {
            ready &= ~(1u << q);
        }
        ready |= __atomic_exchange_n(&control->ready, 0u, __ATOMIC_SEQ_CST);
    }
    /* Stopped by the bound: leave the rest for the next upcall. */
    if (ready != 0u) {
        (void)__atomic_fetch_or(&control->ready, ready, __ATOMIC_SEQ_CST);
    }
    return evtchn_handled - before;
}

static void evtchn_irq(uint32_t intid)
{
    if (intid == EVTCHN_UPCALL_PPI) {
        (void)evtchn_drain();
    } else if (other_irq != NULL) {
        other_irq(intid);
    }
}

int64_t evtchn_setup(struct evtchn_fifo_control_block *ctrl, irq_handler_fn other)
{
    uintptr_t a = (uintptr_t)ctrl;
    int64_t rc;

    memset(ctrl, 0, sizeof(*ctrl));
    rc = evtchn_init_control(a >> 12, (uint32_t)(a & (EVTCHN_PAGE_SIZE - 1u)), 0, NULL);
    if (rc != 0) {
        return rc;
    }
    control = ctrl;
    other_irq = other;
    irq_set_handler(evtchn_irq);
    gic_enable_private(EVTCHN_UPCALL_PPI, 0xA0);
    return 0;
}

int64_t evtchn_register_vcpu_info(uint8_t *area)
{
    struct {
        uint64_t mfn;
        uint32_t offset;
        uint32_t rsvd;
    } arg = {(uint64_t)(uintptr_t)area >> 12, (uint32_t)((uintptr_t)area & (EVTCHN_PAGE_SIZE - 1u)), 0};
    int64_t rc = hypercall(HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, (uint64_t)(uintptr_t)&arg, 0, 0);

    if (rc == 0) {
        upcall_pending = area;
    }
    return rc;
}
