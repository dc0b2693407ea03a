/*
 * The port table of each partition: its slice of the pool, the chunks
 * initialised so far, the lowest-free hint and the high-water mark. Every
 * function here runs with the partition's event-channel lock held, or at
 * boot before any partition runs.
 */
#include "evtchn.h"

#include "evtchn_int.h"
#include "part.h"
#include "util.h"

/* Every port of every partition: partition i owns ports_max ports from the
 * sum of the limits before it (evtchn_slice). In .noinit, which head.S does
 * not clear: a chunk is initialised before its ports exist (ports_ready). */
static struct evtchn_port evtchn_pool[EVTCHN_POOL_PORTS]
    __attribute__((aligned(8), section(".noinit")));

/* Implements: LLR-EVT-004, LLR-EVT-033 */
struct evtchn_port *evtchn_port_of(const struct partition *p, uint32_t port)
{
    const struct evtchn_part *ep = &evtchn_parts[p->id];
    if (port >= ep->ports_ready) {
        return NULL;
    }
    return &ep->ports[port];
}

/* Implements: LLR-EVT-032 */
void evtchn_slice(const struct bh_cfg *cfg)
{
    uint32_t n = (cfg->num_parts < BH_MAX_PARTS) ? cfg->num_parts : BH_MAX_PARTS;
    uint32_t base = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct evtchn_part *ep = &evtchn_parts[i];
        uint32_t want = cfg->parts[i].evtchn_ports;
        /* A chunk stays for each later partition, so one always fits:
         * base + (n - i) chunks <= the pool holds for every i. */
        uint32_t room = EVTCHN_POOL_PORTS - base - (n - 1u - i) * EVTCHN_CHUNK_PORTS;
        bool ok = want >= EVTCHN_CHUNK_PORTS && want <= EVTCHN_FIFO_NR_CHANNELS &&
                  (want & (want - 1u)) == 0u && want <= room;
        ep->ports = &evtchn_pool[base];
        ep->ports_max = ok ? want : EVTCHN_CHUNK_PORTS;
        ep->ports_ready = 0;
        ep->free_hint = 1;
        ep->hwm = 0;
        ep->close_next = 0;
        base += ep->ports_max;
    }
}

/* Initialise the next chunk of ep's ports (free, priority 7), which then
 * exist. Pre: ports_ready < ports_max (both multiples of the chunk); the
 * partition's lock is held or no partition runs. Implements: LLR-EVT-033 */
static void evtchn_chunk_init(struct evtchn_part *ep)
{
    struct evtchn_port *chunk = &ep->ports[ep->ports_ready];
    /* Whole chunk at once (eight bytes per store), then the defaults. */
    bh_memset(chunk, 0, EVTCHN_CHUNK_PORTS * sizeof(*chunk));
    for (uint32_t k = 0; k < EVTCHN_CHUNK_PORTS; k++) {
        chunk[k].priority = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
        chunk[k].last_prio = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
    ep->ports_ready += EVTCHN_CHUNK_PORTS;
}

/* Implements: LLR-EVT-002 */
void evtchn_port_used(const struct partition *p, uint32_t port)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    ep->hwm = (port >= ep->hwm) ? port + 1u : ep->hwm;
}

/* Implements: LLR-EVT-033 */
void evtchn_port_freed(const struct partition *p, uint32_t port)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    ep->free_hint = (port < ep->free_hint) ? port : ep->free_hint;
}

/* Implements: LLR-EVT-002, LLR-EVT-033 */
void evtchn_ports_fresh(const struct partition *p)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    /* Back to one chunk: the ports beyond it cease to exist until the
     * partition allocates them again. */
    ep->hwm = 1;
    ep->free_hint = 1;
    ep->ports_ready = 0;
    evtchn_chunk_init(ep);
    ep->ports[0].state = EVTCHN_RESERVED;
}

/* Take the lowest free port of p, reset to defaults (bound to vCPU 0,
 * priority 7), initialising the next chunk when every port that exists is
 * in use. Returns 0 when none is free below the limit (port 0 is never
 * free). The search starts at the hint, below which every port is in use,
 * so filling the table costs O(1) per port. Implements: LLR-EVT-004, LLR-EVT-033 */
uint32_t evtchn_port_alloc(const struct partition *p, uint32_t state)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    uint32_t port = ep->free_hint;
    /* Bounded by ports_ready <= ports_max <= 2^17. */
    while (port < ep->ports_ready && ep->ports[port].state != EVTCHN_FREE) {
        port++;
    }
    if (port >= ep->ports_ready) {
        if (ep->ports_ready >= ep->ports_max) {
            ep->free_hint = port;
            return 0;
        }
        evtchn_chunk_init(ep);
    }
    ep->free_hint = port + 1u;
    evtchn_port_used(p, port);
    struct evtchn_port *e = &ep->ports[port];
    e->state = (uint8_t)state;
    e->priority = (uint8_t)EVTCHN_FIFO_PRIORITY_DEFAULT;
    e->vcpu = 0;
    e->virq = 0;
    e->pending = 0;
    e->peer_part = 0;
    e->peer_port = 0;
    return port;
}
