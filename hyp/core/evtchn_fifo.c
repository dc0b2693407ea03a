/*
 * FIFO event delivery: event array, control blocks, linking and the upcall.
 * The guest may change any of its words between any two of our accesses;
 * the comments below name the guest transitions each step tolerates.
 * Implements: LLR-EVT-019 (the protocol verify/evtchn_fifo.pml checks)
 */
#include "evtchn_fifo.h"

#include "arch_inline.h"
#include "hcall.h"
#include "part.h"
#include "sched.h"
#include "shinfo.h"
#include "vgic.h"

struct evtchn_fifo_vcpu evtchn_fifo_vcpus[BH_MAX_VCPUS];
struct evtchn_fifo_part evtchn_fifo_parts[BH_MAX_PARTS];

/* Implements: LLR-EVT-002 */
void evtchn_fifo_reset(const struct partition *p)
{
    struct evtchn_fifo_part *fp = &evtchn_fifo_parts[p->id];
    for (uint32_t i = 0; i < EVTCHN_FIFO_MAX_PAGES; i++) {
        fp->array[i] = NULL;
    }
    fp->num_pages = 0;
    fp->active = false;
    fp->give_ups = 0;
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        struct evtchn_fifo_vcpu *q = &evtchn_fifo_vcpus[p->vcpus[j]->gid];
        q->ctrl = NULL;
        q->scan_next = 0;
        q->scan_end = 0;
        for (uint32_t k = 0; k < EVTCHN_FIFO_MAX_QUEUES; k++) {
            q->tail[k] = 0;
        }
    }
}

/* The page of p at guest frame gfn, or NULL when it is not in p's RAM. */
static uint32_t *fifo_guest_page(const struct partition *p, uint64_t gfn)
{
    if (gfn > (UINT64_MAX >> 12)) {
        return NULL;
    }
    return part_guest_ptr(p, gfn << 12, EVTCHN_PAGE_SIZE);
}

/* The event word of port, or NULL when the array does not cover it yet.
 * The page index is masked after its check (LLR-EVT-044): port is the
 * guest's. Implements: LLR-EVT-044 */
static uint32_t *fifo_word(const struct partition *p, uint32_t port)
{
    const struct evtchn_fifo_part *fp = &evtchn_fifo_parts[p->id];
    uint32_t page = port / EVTCHN_FIFO_WORDS_PER_PAGE;
    if (page >= fp->num_pages) {
        return NULL;
    }
    page = arch_index_nospec(page, fp->num_pages);
    return &fp->array[page][port % EVTCHN_FIFO_WORDS_PER_PAGE];
}

/*
 * An update of one of p's words failed ARCH_GUEST_ATOMIC_TRIES times: a
 * vCPU of p keeps storing to its line. The event of e stays kept in the
 * hypervisor's port (delivered again by the port's next send or unmask,
 * or by init_control/expand_array), so p loses at most time, and the
 * give-up is counted against p. Implements: LLR-EVT-040
 */
static void fifo_keep(const struct partition *p, struct evtchn_port *e)
{
    e->pending = 1u;
    evtchn_fifo_parts[p->id].give_ups++;
}

/*
 * Raise the event upcall of v. A vCPU on this CPU is looked at again by the
 * scheduler (it may be blocked); one on another CPU is kicked by vgic_post
 * when it owns that CPU's window, and otherwise finds the PPI pending when
 * its next window starts.
 * Implements: LLR-EVT-018
 */
static void fifo_upcall(struct vcpu *v)
{
    shinfo_mark_upcall(v);
    (void)vgic_post(v, VGIC_PPI_EVTCHN);
    if (v->pcpu == arch_cpu_id()) {
        sched_request_pick(v->pcpu);
    }
}

/*
 * Write port into the LINK field of the queue's tail word, but only while
 * the tail is still LINKED: once the guest has unlinked it, the queue is
 * empty and the caller writes HEAD instead. The guest may change the word at
 * any time (mask, clear pending, unlink), so the swap may fail; after
 * EVTCHN_FIFO_TRIES failures the guest is misbehaving and the link is
 * abandoned (the caller then starts the queue afresh at HEAD, which loses at
 * most that guest's own queued events). BUSY belongs to the hypervisor,
 * which never needs it; it is left clear.
 * Implements: LLR-EVT-017, LLR-EVT-041
 */
static bool fifo_set_link(const struct partition *p, uint32_t tail, uint32_t port)
{
    uint32_t *word = fifo_word(p, tail);
    uint32_t w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < EVTCHN_FIFO_TRIES; i++) {
        if ((w & EVTCHN_FIFO_LINKED) == 0u) {
            return false;
        }
        uint32_t nw = (w & ~(EVTCHN_FIFO_BUSY | EVTCHN_FIFO_LINK_MASK)) | port;
        /* One exclusive attempt per try (LLR-EVT-041): a failed store
         * counts as a try, so the whole link is bounded. */
        if (arch_guest_cas32(word, w, nw, &w)) {
            return true;
        }
    }
    evtchn_fifo_parts[p->id].give_ups++;
    return false;
}

/*
 * Append port (whose LINKED bit we have just set) to queue (v, priority).
 * The queue it was last linked into may still name it as tail although the
 * guest has unlinked it; that queue is then empty (FIFO order), and its tail
 * is forgotten so that no later link writes into this port's word.
 * Implements: LLR-EVT-017, LLR-EVT-018, LLR-EVT-042
 */
static void fifo_link(struct partition *p, struct evtchn_port *e, uint32_t port)
{
    struct vcpu *v = p->vcpus[e->vcpu];
    struct evtchn_fifo_vcpu *q = &evtchn_fifo_vcpus[v->gid];
    struct evtchn_fifo_vcpu *old = &evtchn_fifo_vcpus[p->vcpus[e->last_vcpu]->gid];
    uint32_t prio = e->priority;
    uint32_t bit = 1u << prio;
    bool linked = false;

    if (old->tail[e->last_prio] == port) {
        old->tail[e->last_prio] = 0;
    }
    if (q->tail[prio] != 0u) {
        linked = fifo_set_link(p, q->tail[prio], port);
    }
    q->tail[prio] = port;
    e->last_vcpu = e->vcpu;
    e->last_prio = (uint8_t)prio;
    if (linked) {
        return;
    }
    __atomic_store_n(&q->ctrl[EVTCHN_FIFO_CTRL_HEAD + prio], port, __ATOMIC_RELEASE);
    /* READY after HEAD: a guest that sees READY reads the new HEAD. The
     * upcall is needed only when READY was clear: otherwise the guest has
     * not yet taken it and will. When the guest kept READY's line busy
     * past our tries, the upcall is raised anyway (LLR-EVT-042): the
     * event is at HEAD, and a spurious upcall costs the guest only a look. */
    uint32_t ready = 0u;
    if (!arch_guest_fetch_or32(&q->ctrl[EVTCHN_FIFO_CTRL_READY], bit, &ready)) {
        evtchn_fifo_parts[p->id].give_ups++;
        ready = 0u;
    }
    if ((ready & bit) == 0u) {
        fifo_upcall(v);
    }
}

/* Implements: LLR-EVT-016, LLR-EVT-040 */
void evtchn_fifo_raise(struct partition *p, uint32_t port)
{
    struct evtchn_port *e = evtchn_port_of(p, port);
    uint32_t *word = fifo_word(p, port);
    const struct evtchn_fifo_vcpu *q = &evtchn_fifo_vcpus[p->vcpus[e->vcpu]->gid];

    if (word == NULL || q->ctrl == NULL) {
        e->pending = 1u; /* delivered by expand_array or init_control */
        return;
    }
    e->pending = 0u;
    /* PENDING first: a guest unmasking concurrently then either sees it
     * and asks us to unmask, or cleared MASKED before we test it below. */
    uint32_t old = 0u;
    if (!arch_guest_fetch_or32(word, EVTCHN_FIFO_PENDING, &old)) {
        fifo_keep(p, e);
        return;
    }
    if ((__atomic_load_n(word, __ATOMIC_ACQUIRE) & EVTCHN_FIFO_MASKED) != 0u) {
        return;
    }
    /* Only the hypervisor sets LINKED, under the partition lock; if the
     * guest masks in between, the consumer skips the masked event. A
     * give-up here leaves PENDING set but the event unlinked: kept. */
    if (!arch_guest_fetch_or32(word, EVTCHN_FIFO_LINKED, &old)) {
        fifo_keep(p, e);
        return;
    }
    if ((old & EVTCHN_FIFO_LINKED) != 0u) {
        return;
    }
    fifo_link(p, e, port);
}

/*
 * Re-raise the events of ports *next .. end - 1 of p kept for want of an
 * event word or control block: at most EVTCHN_FIFO_SCAN_BATCH ports looked
 * at and EVTCHN_FIFO_RAISE_BATCH events raised. Advances *next past the
 * ports looked at; returns true when it reached end. Pre: *next <= end <=
 * ports_ready (which only a reset lowers, and a reset also ends the scan).
 */
static bool fifo_scan(struct partition *p, uint32_t *next, uint32_t end)
{
    const struct evtchn_port *ports = evtchn_parts[p->id].ports;
    uint32_t port = *next;
    uint32_t stop = (end - port > EVTCHN_FIFO_SCAN_BATCH) ? port + EVTCHN_FIFO_SCAN_BATCH : end;
    uint32_t raised = 0;
    while (port < stop && raised < EVTCHN_FIFO_RAISE_BATCH) {
        if (ports[port].pending != 0u) {
            evtchn_fifo_raise(p, port);
            raised++;
        }
        port++;
    }
    *next = port;
    return port == end;
}

/*
 * Go on with the scan of vCPU c's continued call: 0 when it is done, else
 * HCALL_CONTINUE (the guest re-issues the call, which comes back here).
 * A vCPU re-issues its call until it returns, so while c's scan is under
 * way, its next init_control or expand_array is taken as that re-issue,
 * whatever its arguments: a guest that changes them meanwhile only
 * loses its own request. Other vCPUs' calls are independent; a reset ends
 * every scan of the partition. Implements: LLR-EVT-037
 */
static int64_t fifo_continue(struct partition *p, struct evtchn_fifo_vcpu *c)
{
    return fifo_scan(p, &c->scan_next, c->scan_end) ? 0 : HCALL_CONTINUE;
}

/* Implements: LLR-EVT-012, LLR-EVT-037 */
int64_t evtchn_fifo_init_control(struct partition *p, uint32_t caller, uint64_t gfn,
                                 uint32_t offset, uint32_t vcpu_id)
{
    struct evtchn_fifo_vcpu *c = &evtchn_fifo_vcpus[caller];
    if (c->scan_next != c->scan_end) {
        return fifo_continue(p, c);
    }
    if (offset > EVTCHN_PAGE_SIZE - EVTCHN_FIFO_CTRL_SIZE || (offset & 7u) != 0u) {
        return -XEN_EINVAL;
    }
    if (vcpu_id >= p->num_vcpus) {
        return -XEN_ENOENT;
    }
    struct evtchn_fifo_vcpu *q = &evtchn_fifo_vcpus[p->vcpus[vcpu_id]->gid];
    uint32_t *page = fifo_guest_page(p, gfn);
    if (q->ctrl != NULL || page == NULL) {
        return -XEN_EINVAL;
    }
    q->ctrl = page + offset / 4u;
    evtchn_fifo_parts[p->id].active = true;
    c->scan_next = 0;
    c->scan_end = evtchn_parts[p->id].ports_ready; /* later ports keep nothing */
    return fifo_continue(p, c);
}

/* Implements: LLR-EVT-013, LLR-EVT-037 */
int64_t evtchn_fifo_expand_array(struct partition *p, uint32_t caller, uint64_t gfn)
{
    struct evtchn_fifo_part *fp = &evtchn_fifo_parts[p->id];
    struct evtchn_fifo_vcpu *c = &evtchn_fifo_vcpus[caller];
    if (c->scan_next != c->scan_end) {
        return fifo_continue(p, c);
    }
    if (!fp->active) {
        return -XEN_EOPNOTSUPP;
    }
    /* ports_max <= 2^17, so num_pages stays within array[]. */
    if (fp->num_pages >= evtchn_parts[p->id].ports_max / EVTCHN_FIFO_WORDS_PER_PAGE) {
        return -XEN_ENOSPC;
    }
    uint32_t *page = fifo_guest_page(p, gfn);
    if (page == NULL) {
        return -XEN_EINVAL;
    }
    /* Only the new page's ports can have waited for an event word. */
    uint32_t first = fp->num_pages * EVTCHN_FIFO_WORDS_PER_PAGE;
    fp->array[fp->num_pages] = page;
    fp->num_pages++;
    /* The page's ports that exist: first .. end - 1 (none when they do not
     * exist yet: ports_ready <= first). */
    uint32_t ready = evtchn_parts[p->id].ports_ready;
    uint32_t end = (ready > first) ? ready : first;
    c->scan_next = first;
    c->scan_end =
        (end - first > EVTCHN_FIFO_WORDS_PER_PAGE) ? first + EVTCHN_FIFO_WORDS_PER_PAGE : end;
    return fifo_continue(p, c);
}

/* Implements: LLR-EVT-014 */
int64_t evtchn_fifo_set_priority(const struct partition *p, uint32_t port, uint32_t priority)
{
    struct evtchn_port *e = evtchn_port_of(p, port);
    if (e == NULL || priority >= EVTCHN_FIFO_MAX_QUEUES) {
        return -XEN_EINVAL;
    }
    e->priority = (uint8_t)priority;
    return 0;
}

/* An unmask whose clear of MASKED gave up leaves the port masked, as the
 * guest's own stores made it; the guest may clear MASKED itself.
 * Implements: LLR-EVT-015, LLR-EVT-040, LLR-EVT-043 */
int64_t evtchn_fifo_unmask(struct partition *p, uint32_t port)
{
    const struct evtchn_port *e = evtchn_port_of(p, port);
    if (e == NULL) {
        return -XEN_EINVAL;
    }
    uint32_t *word = fifo_word(p, port);
    if (word == NULL) {
        return 0;
    }
    uint32_t old = 0u;
    if (!arch_guest_fetch_and32(word, ~EVTCHN_FIFO_MASKED, &old)) {
        evtchn_fifo_parts[p->id].give_ups++;
        return 0;
    }
    if ((old & EVTCHN_FIFO_PENDING) != 0u || e->pending != 0u) {
        evtchn_fifo_raise(p, port);
    }
    return 0;
}

/* A clear that gives up leaves PENDING in the guest's own word; the
 * hypervisor keeps nothing for the port. Implements: LLR-EVT-007,
 * LLR-EVT-043 */
void evtchn_fifo_clear(const struct partition *p, uint32_t port)
{
    uint32_t *word = fifo_word(p, port);
    evtchn_port_at(p, port)->pending = 0u; /* masked by the close (LLR-EVT-045) */
    uint32_t old = 0u;
    if (word != NULL && !arch_guest_fetch_and32(word, ~EVTCHN_FIFO_PENDING, &old)) {
        evtchn_fifo_parts[p->id].give_ups++;
    }
}
