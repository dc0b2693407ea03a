/*
 * The port table of each partition: its slice of the pool, the chunks
 * initialised so far, the lowest-free hint and the high-water mark. Every
 * function here runs with the partition's event-channel lock held, or at
 * boot before any partition runs.
 */
#include "arch_inline.h"
#include "evtchn.h"

#include "evtchn_int.h"
#include "part.h"
#include "util.h"

/* Every port of every partition: partition i owns ports_max ports from the
 * sum of the limits before it (evtchn_slice). In .noinit, which head.S does
 * not clear: a chunk is initialised before its ports exist (ports_ready). */
static struct evtchn_port evtchn_pool[EVTCHN_POOL_PORTS]
    __attribute__((aligned(8), section(".noinit")));

/*
 * Which ports are free, in two levels, so that the lowest free port is
 * found in a bounded number of steps whatever a guest closed before:
 * bit b of evtchn_free_words[w] is port 64 w + b of the pool (set: it
 * exists and is free); bit j of evtchn_free_sum[i][k] is word 64 k + j of
 * partition i's slice (set: that word has a bit set). A word of a chunk
 * that does not exist yet may hold stale bits: its summary bit is clear,
 * and the chunk's initialisation writes the word before setting it.
 */
#define EVTCHN_FREE_SUM_WORDS (EVTCHN_FIFO_NR_CHANNELS / 64u / 64u) /* 32 */
static uint64_t evtchn_free_words[EVTCHN_POOL_PORTS / 64u];
static uint64_t evtchn_free_sum[BH_MAX_PARTS][EVTCHN_FREE_SUM_WORDS];
_Static_assert(EVTCHN_CHUNK_PORTS % 64u == 0u, "chunks are whole words");

/* The free-bitmap word of port of ep's partition i (slice-relative). */
static uint64_t *evtchn_free_word(const struct evtchn_part *ep, uint32_t port)
{
    ptrdiff_t first = ep->ports - evtchn_pool;
    return &evtchn_free_words[(uint32_t)first / 64u + port / 64u];
}

/* port of partition i exists and is free (free true) or in use. */
static void evtchn_mark(uint32_t i, uint32_t port, bool free)
{
    uint64_t *w = evtchn_free_word(&evtchn_parts[i], port);
    uint64_t *sum = &evtchn_free_sum[i][port / 4096u];
    uint32_t sshift = (port / 64u) % 64u;
    uint32_t shift = port % 64u;
    uint64_t sbit = 1ULL << sshift;
    if (free) {
        *w |= 1ULL << shift;
        *sum |= sbit;
    } else {
        *w &= ~(1ULL << shift);
        *sum = (*w == 0u) ? (*sum & ~sbit) : *sum;
    }
}

/* The lowest free port of partition i, or 0 when no existing port is free.
 * Bounded: EVTCHN_FREE_SUM_WORDS summary words, then one bitmap word. */
static uint32_t evtchn_lowest_free(uint32_t i)
{
    for (uint32_t k = 0; k < EVTCHN_FREE_SUM_WORDS; k++) {
        uint64_t sum = evtchn_free_sum[i][k];
        if (sum != 0u) {
            uint32_t word = k * 64u + (uint32_t)__builtin_ctzll(sum);
            uint64_t bits = *evtchn_free_word(&evtchn_parts[i], word * 64u);
            return word * 64u + (uint32_t)__builtin_ctzll(bits);
        }
    }
    return 0;
}

/* Implements: LLR-EVT-004, LLR-EVT-033 */
/*@ requires \valid_read(p) && p->id < BH_MAX_PARTS;
    assigns \nothing;
    ensures \result == \null || (port < evtchn_parts[p->id].ports_ready &&
        \result == evtchn_parts[p->id].ports + port);
 */
struct evtchn_port *evtchn_port_of(const struct partition *p, uint32_t port)
{
    const struct evtchn_part *ep = &evtchn_parts[p->id];
    if (port >= ep->ports_ready) {
        return NULL;
    }
    /* port is the guest's: masked after the check. Implements: LLR-EVT-044 */
    return &ep->ports[arch_index_nospec(port, ep->ports_ready)];
}

/* As evtchn_port_of, without the mask: port is one the hypervisor chose or
 * one already masked. Implements: LLR-EVT-004, LLR-EVT-045 */
struct evtchn_port *evtchn_port_at(const struct partition *p, uint32_t port)
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
    /* Its words first, then their summary bits: every port of it free. */
    uint64_t *w = evtchn_free_word(ep, ep->ports_ready);
    for (uint32_t k = 0; k < EVTCHN_CHUNK_PORTS / 64u; k++) {
        w[k] = UINT64_MAX;
    }
    ptrdiff_t idx = ep - evtchn_parts;
    uint32_t i = (uint32_t)idx;
    uint32_t first = ep->ports_ready / 64u;
    evtchn_free_sum[i][first / 64u] |= ((1ULL << (EVTCHN_CHUNK_PORTS / 64u)) - 1u)
                                       << (first % 64u);
    ep->ports_ready += EVTCHN_CHUNK_PORTS;
}

/* Implements: LLR-EVT-002 */
void evtchn_port_used(const struct partition *p, uint32_t port)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    ep->hwm = (port >= ep->hwm) ? port + 1u : ep->hwm;
    evtchn_mark(p->id, port, false);
}

/* Implements: LLR-EVT-033 */
void evtchn_port_freed(const struct partition *p, uint32_t port)
{
    evtchn_mark(p->id, port, true);
}

/* Implements: LLR-EVT-002, LLR-EVT-033 */
void evtchn_ports_fresh(const struct partition *p)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    /* Back to one chunk: the ports beyond it cease to exist until the
     * partition allocates them again. */
    ep->hwm = 1;
    ep->ports_ready = 0;
    bh_memset(evtchn_free_sum[p->id], 0, sizeof(evtchn_free_sum[p->id]));
    evtchn_chunk_init(ep);
    ep->ports[0].state = EVTCHN_RESERVED;
    evtchn_mark(p->id, 0, false);
}

/* Take the lowest free port of p, reset to defaults (bound to vCPU 0,
 * priority 7), initialising the next chunk when every port that exists is
 * in use. Returns 0 when none is free below the limit (port 0 is never
 * free). The free bitmap finds it in a bounded number of steps.
 * Implements: LLR-EVT-004, LLR-EVT-033 */
uint32_t evtchn_port_alloc(const struct partition *p, uint32_t state)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    uint32_t port = evtchn_lowest_free(p->id);
    if (port == 0u) {
        if (ep->ports_ready >= ep->ports_max) {
            return 0;
        }
        port = ep->ports_ready; /* the first port of the next chunk */
        evtchn_chunk_init(ep);
    }
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
