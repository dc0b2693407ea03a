/*
 * Event channels: ports, their states and bindings, the connection policy
 * and the event_channel_op hypercall. Argument structures are copied in and
 * out byte-wise (the guest pointer may be unaligned); layouts are those of
 * Xen's public event_channel.h on a 64-bit guest.
 */
#include "arch_inline.h"
#include "evtchn.h"

#include "evtchn_fifo.h"
#include "evtchn_int.h"
#include "gmem.h"
#include "part.h"
#include "util.h"

struct evtchn_part evtchn_parts[BH_MAX_PARTS];

/* Outermost lock: held by every operation that connects or disconnects two
 * ports (bind_interdomain, close, reset), so a peer never changes under a
 * holder. */
static bh_lock_t evtchn_topology_lock;
/* The configuration of the static channels (evtchn_static_policy). */
static const struct bh_cfg *evtchn_cfg;

/* Bit b of evtchn_policy[a]: channels between a and b are allowed. */
static uint32_t evtchn_policy[BH_MAX_PARTS];
_Static_assert(BH_MAX_PARTS <= 32u, "policy rows are 32-bit masks");

/* Argument structures (offsets as in Xen's 64-bit ABI). */
struct evtchn_alloc_unbound_arg {
    uint16_t dom;
    uint16_t remote_dom;
    uint32_t port;
};
struct evtchn_bind_interdomain_arg {
    uint16_t remote_dom;
    uint16_t pad;
    uint32_t remote_port;
    uint32_t local_port;
};
struct evtchn_bind_virq_arg {
    uint32_t virq;
    uint32_t vcpu;
    uint32_t port;
};
struct evtchn_status_arg {
    uint16_t dom;
    uint16_t pad;
    uint32_t port;
    uint32_t status;
    uint32_t vcpu;
    uint32_t u[2]; /* unbound.dom | interdomain.dom, .port | virq */
};
struct evtchn_pair_arg {
    uint32_t port;
    uint32_t value; /* bind_vcpu: vcpu; set_priority: priority */
};
struct evtchn_init_control_arg {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;
    uint8_t pad[7];
};
_Static_assert(sizeof(struct evtchn_alloc_unbound_arg) == 8u, "ABI");
_Static_assert(sizeof(struct evtchn_bind_interdomain_arg) == 12u, "ABI");
_Static_assert(sizeof(struct evtchn_bind_virq_arg) == 12u, "ABI");
_Static_assert(sizeof(struct evtchn_status_arg) == 24u, "ABI");
_Static_assert(sizeof(struct evtchn_init_control_arg) == 24u, "ABI");

union evtchn_arg {
    struct evtchn_alloc_unbound_arg alloc_unbound;
    struct evtchn_bind_interdomain_arg bind_interdomain;
    struct evtchn_bind_virq_arg bind_virq;
    struct evtchn_status_arg status;
    struct evtchn_pair_arg pair;
    struct evtchn_init_control_arg init_control;
    uint32_t port;      /* close, unmask (send: evtchn_op reads its port alone) */
    uint64_t array_gfn; /* expand_array */
};

/* Argument size per EVTCHNOP_ number (0: not offered) and whether the
 * operation writes results back. */
#define EVTCHN_NR_OPS 14u
static const uint8_t evtchn_arg_size[EVTCHN_NR_OPS] = {12, 12, 0, 4, 4,  24, 8,
                                                       0,  8,  4, 0, 24, 8,  8};
static const bool evtchn_arg_out[EVTCHN_NR_OPS] = {[EVTCHNOP_BIND_INTERDOMAIN] = true,
                                                   [EVTCHNOP_BIND_VIRQ] = true,
                                                   [EVTCHNOP_STATUS] = true,
                                                   [EVTCHNOP_ALLOC_UNBOUND] = true,
                                                   [EVTCHNOP_INIT_CONTROL] = true};

/* EVTCHNSTAT_ value of each port state. */
static const uint32_t evtchn_stat_of[] = {EVTCHNSTAT_CLOSED, EVTCHNSTAT_CLOSED, EVTCHNSTAT_UNBOUND,
                                          EVTCHNSTAT_INTERDOMAIN, EVTCHNSTAT_VIRQ};

static void evtchn_lock_pair(uint32_t a, uint32_t b)
{
    uint32_t lo = (a < b) ? a : b;
    uint32_t hi = (a < b) ? b : a;
    arch_lock(&evtchn_parts[lo].lock);
    if (hi != lo) {
        arch_lock(&evtchn_parts[hi].lock);
    }
}

static void evtchn_unlock_pair(uint32_t a, uint32_t b)
{
    arch_unlock(&evtchn_parts[a].lock);
    if (b != a) {
        arch_unlock(&evtchn_parts[b].lock);
    }
}

/* Implements: LLR-EVT-003 */
void evtchn_policy_connect(uint32_t a, uint32_t b)
{
    if (a < BH_MAX_PARTS && b < BH_MAX_PARTS) {
        evtchn_policy[a] |= 1u << b;
        evtchn_policy[b] |= 1u << a;
    }
}

void evtchn_policy_clear(void)
{
    bh_memset(evtchn_policy, 0, sizeof(evtchn_policy));
}

/* Implements: LLR-EVT-003 */
bool evtchn_may_connect(uint32_t a, uint32_t b)
{
    if (a >= BH_MAX_PARTS || b >= BH_MAX_PARTS) {
        return false;
    }
    return a == b || (evtchn_policy[a] & (1u << b)) != 0u;
}

_Static_assert(BH_CFG_MAX_CHANNEL_PORT < EVTCHN_CHUNK_PORTS, "static ports in the first chunk");
_Static_assert(BH_CFG_MAX_CHANNELS <= 255u, "channel loop bound");

/* Implements: LLR-EVT-030 */
void evtchn_static_policy(const struct bh_cfg *cfg)
{
    evtchn_cfg = cfg;
    evtchn_policy_clear();
    for (uint32_t k = 0; k < cfg->num_channels && k < BH_CFG_MAX_CHANNELS; k++) {
        evtchn_policy_connect(cfg->channels[k].part[0], cfg->channels[k].part[1]);
    }
    for (uint32_t a = 0; a < BH_MAX_PARTS; a++) {
        for (uint32_t b = 0; b < BH_MAX_PARTS; b++) {
            if (((cfg->evtchn_permit[a] >> b) & 1u) != 0u) {
                evtchn_policy_connect(a, b);
            }
        }
    }
}

/* Make e one end of a static channel to (peer, peer_port). */
static void evtchn_static_end(struct evtchn_port *e, uint32_t prio, uint32_t peer,
                              uint32_t peer_port)
{
    e->state = EVTCHN_INTERDOMAIN;
    e->priority = (uint8_t)prio;
    e->peer_part = (uint8_t)peer;
    e->peer_port = peer_port;
}

/* Connect port of p and rport of r when port is free and rport is free or
 * waits for p (its old peer p was reset); otherwise leave both alone.
 * Implements: LLR-EVT-031 */
static void evtchn_static_pair(struct partition *p, uint32_t port, struct partition *r,
                               uint32_t rport, uint32_t prio)
{
    arch_lock(&evtchn_topology_lock);
    evtchn_lock_pair(p->id, r->id);
    struct evtchn_port *le = evtchn_port_of(p, port);
    struct evtchn_port *re = evtchn_port_of(r, rport);
    bool waits = re->state == EVTCHN_UNBOUND && re->peer_part == p->id;
    /* A peer being reset binds the channel itself at the end of its reset. */
    bool closing = evtchn_parts[r->id].close_next != 0u;
    if (!closing && le->state == EVTCHN_FREE && (re->state == EVTCHN_FREE || waits)) {
        le->vcpu = 0;
        le->virq = 0;
        le->pending = 0;
        evtchn_static_end(le, prio, r->id, rport);
        evtchn_static_end(re, prio, p->id, port);
        evtchn_port_used(p, port);
        evtchn_port_used(r, rport);
    }
    evtchn_unlock_pair(p->id, r->id);
    arch_unlock(&evtchn_topology_lock);
}

/* Implements: LLR-EVT-031 */
void evtchn_static_bind(struct partition *p, const struct bh_cfg *cfg)
{
    for (uint32_t k = 0; k < cfg->num_channels && k < BH_CFG_MAX_CHANNELS; k++) {
        const struct bh_cfg_channel *ch = &cfg->channels[k];
        for (uint32_t e = 0; e < 2u; e++) {
            uint32_t peer = ch->part[1u - e];
            if (ch->part[e] == p->id && peer < part_count && peer != p->id) {
                evtchn_static_pair(p, ch->port[e], &part_table[peer], ch->port[1u - e],
                                   ch->priority);
            }
        }
    }
}

/* The partition a domain id names for caller p: DOMID_SELF is p. */
static struct partition *evtchn_domain(struct partition *p, uint32_t domid)
{
    if (domid == EVTCHN_DOMID_SELF) {
        return p;
    }
    if (domid == 0u || domid > part_count) {
        return NULL;
    }
    /* The guest's domain id, masked after the check. Implements: LLR-EVT-044 */
    return &part_table[arch_index_nospec(domid - 1u, part_count)];
}

/* The vCPU row of virq_port holding VIRQ virq bound for vCPU vcpu. */
static uint32_t evtchn_virq_row(uint32_t virq, uint32_t vcpu)
{
    return ((EVTCHN_VIRQ_PER_VCPU >> virq) & 1u) != 0u ? vcpu : 0u;
}

/* Implements: LLR-EVT-005 */
static int64_t evtchn_alloc_unbound(struct partition *p, struct evtchn_alloc_unbound_arg *a)
{
    struct partition *d = evtchn_domain(p, a->dom);
    struct partition *r = evtchn_domain(p, a->remote_dom);
    if (d == NULL || r == NULL) {
        return -XEN_ESRCH;
    }
    if (d != p || !evtchn_may_connect(p->id, r->id)) {
        return -XEN_EPERM;
    }
    arch_lock(&evtchn_parts[p->id].lock);
    uint32_t port = evtchn_port_alloc(p, EVTCHN_UNBOUND);
    if (port != 0u) {
        evtchn_port_of(p, port)->peer_part = (uint8_t)r->id;
    }
    arch_unlock(&evtchn_parts[p->id].lock);
    a->port = port;
    return (port != 0u) ? 0 : -XEN_ENOSPC;
}

/* True when (p, port) and (r, rport) are the two ends of a static channel
 * of the configuration. Implements: LLR-EVT-035 */
static bool evtchn_is_static(const struct partition *p, uint32_t port, const struct partition *r,
                             uint32_t rport)
{
    const struct bh_cfg *cfg = evtchn_cfg;
    for (uint32_t k = 0; cfg != NULL && k < cfg->num_channels && k < BH_CFG_MAX_CHANNELS; k++) {
        const struct bh_cfg_channel *ch = &cfg->channels[k];
        for (uint32_t e = 0; e < 2u; e++) {
            if (ch->part[e] == p->id && ch->port[e] == port && ch->part[1u - e] == r->id &&
                ch->port[1u - e] == rport) {
                return true;
            }
        }
    }
    return false;
}

/*
 * Connect a new port of p to r's unbound port rport (locks held). rport may
 * instead be the far end of a static channel still bound to p: its near end
 * is the answer, so that a guest without a way to name a static port (Linux
 * before 6.5 has no IOCTL_EVTCHN_BIND_STATIC) reaches it the dynamic way.
 * Implements: LLR-EVT-006, LLR-EVT-035
 */
static int64_t evtchn_connect(struct partition *p, struct partition *r, uint32_t rport,
                              uint32_t *local)
{
    struct evtchn_port *re = evtchn_port_of(r, rport);
    if (evtchn_parts[r->id].close_next != 0u) {
        return -XEN_EINVAL; /* r is being reset: its ports are closing */
    }
    if (re != NULL && re->state == EVTCHN_INTERDOMAIN && re->peer_part == p->id &&
        evtchn_is_static(p, re->peer_port, r, rport)) {
        *local = re->peer_port;
        return 0;
    }
    if (re == NULL || re->state != EVTCHN_UNBOUND || re->peer_part != p->id) {
        return -XEN_EINVAL;
    }
    uint32_t port = evtchn_port_alloc(p, EVTCHN_INTERDOMAIN);
    if (port == 0u) {
        return -XEN_ENOSPC;
    }
    struct evtchn_port *le = evtchn_port_of(p, port);
    le->peer_part = (uint8_t)r->id;
    le->peer_port = rport;
    re->state = EVTCHN_INTERDOMAIN;
    re->peer_port = port;
    *local = port;
    /* An event sent to the unbound end was dropped: notify conservatively. */
    evtchn_fifo_raise(p, port);
    return 0;
}

/* Implements: LLR-EVT-006 */
static int64_t evtchn_bind_interdomain(struct partition *p, struct evtchn_bind_interdomain_arg *a)
{
    struct partition *r = evtchn_domain(p, a->remote_dom);
    if (r == NULL) {
        return -XEN_ESRCH;
    }
    if (!evtchn_may_connect(p->id, r->id)) {
        return -XEN_EPERM;
    }
    arch_lock(&evtchn_topology_lock);
    evtchn_lock_pair(p->id, r->id);
    int64_t rc = evtchn_connect(p, r, a->remote_port, &a->local_port);
    evtchn_unlock_pair(p->id, r->id);
    arch_unlock(&evtchn_topology_lock);
    return rc;
}

/* Implements: LLR-EVT-010 */
static int64_t evtchn_bind_virq(struct partition *p, struct evtchn_bind_virq_arg *a)
{
    if (a->virq >= EVTCHN_NR_VIRQS || evtchn_virq_row(a->virq, a->vcpu) != a->vcpu) {
        return -XEN_EINVAL; /* unknown, or global and not on vCPU 0 */
    }
    if (a->vcpu >= p->num_vcpus) {
        return -XEN_ENOENT;
    }
    struct evtchn_part *ep = &evtchn_parts[p->id];
    int64_t rc = 0;
    arch_lock(&ep->lock);
    if (ep->virq_port[a->vcpu][a->virq] != 0u) {
        rc = -XEN_EEXIST;
    } else {
        a->port = evtchn_port_alloc(p, EVTCHN_VIRQ);
        if (a->port == 0u) {
            rc = -XEN_ENOSPC;
        } else {
            struct evtchn_port *e = evtchn_port_of(p, a->port);
            e->virq = (uint8_t)a->virq;
            e->vcpu = (uint8_t)a->vcpu;
            ep->virq_port[a->vcpu][a->virq] = a->port;
        }
    }
    arch_unlock(&ep->lock);
    return rc;
}

/* Close port e of p, number port; the locks of p and of its peer are
 * held, and port is the number evtchn_close_port masked.
 * Implements: LLR-EVT-007, LLR-EVT-045 */
static int64_t evtchn_close_locked(struct partition *p, uint32_t port, struct evtchn_port *e)
{
    if (e->state <= EVTCHN_RESERVED) {
        return -XEN_EINVAL;
    }
    if (e->state == EVTCHN_INTERDOMAIN) {
        /* A connected port exists: its partition's reset closes it first. */
        struct evtchn_port *re = &evtchn_parts[e->peer_part].ports[e->peer_port];
        re->state = EVTCHN_UNBOUND;
        re->peer_part = (uint8_t)p->id;
        re->peer_port = 0;
    }
    if (e->state == EVTCHN_VIRQ) {
        evtchn_parts[p->id].virq_port[evtchn_virq_row(e->virq, e->vcpu)][e->virq] = 0;
    }
    evtchn_fifo_clear(p, port);
    e->state = EVTCHN_FREE;
    e->vcpu = 0; /* a closed port reports vCPU 0, as on Xen */
    evtchn_port_freed(p, port);
    return 0;
}

/*
 * Close with the peer's lock: under the topology lock the peer of an
 * interdomain port cannot change between reading it and locking both.
 * port may be the guest's (EVTCHNOP_close): evtchn_port_of masks it once
 * here, and the close goes on with the number of the masked entry, which
 * its own lookups use unmasked (evtchn_port_at). ports_ready does not
 * shrink under the topology lock (only a reset's last step, which holds
 * it, lowers it), so e and that number stay valid after p's lock is
 * dropped. Implements: LLR-EVT-007, LLR-EVT-045
 */
static int64_t evtchn_close_port(struct partition *p, uint32_t port)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    arch_lock(&ep->lock);
    struct evtchn_port *e = evtchn_port_of(p, port);
    if (e == NULL) {
        arch_unlock(&ep->lock);
        return -XEN_EINVAL;
    }
    ptrdiff_t idx = e - ep->ports;
    uint32_t masked = (uint32_t)idx;
    uint32_t peer = (e->state == EVTCHN_INTERDOMAIN) ? e->peer_part : p->id;
    arch_unlock(&ep->lock);
    evtchn_lock_pair(p->id, peer);
    int64_t rc = evtchn_close_locked(p, masked, e);
    evtchn_unlock_pair(p->id, peer);
    return rc;
}

/* Implements: LLR-EVT-007 */
static int64_t evtchn_close(struct partition *p, uint32_t port)
{
    arch_lock(&evtchn_topology_lock);
    int64_t rc = evtchn_close_port(p, port);
    arch_unlock(&evtchn_topology_lock);
    return rc;
}

/* Raise rport of r if it is still the other end of (p, port). The lock of p
 * is not held: the channel may have been closed meanwhile, or r reset so
 * that rport no longer exists (NULL); then the event is dropped.
 * Implements: LLR-EVT-008, LLR-EVT-034 */
static void evtchn_deliver(const struct partition *p, uint32_t port, struct partition *r,
                           uint32_t rport)
{
    arch_lock(&evtchn_parts[r->id].lock);
    const struct evtchn_port *re = evtchn_port_of(r, rport);
    if (re != NULL && re->state == EVTCHN_INTERDOMAIN && re->peer_part == p->id &&
        re->peer_port == port) {
        evtchn_fifo_raise(r, rport);
    }
    arch_unlock(&evtchn_parts[r->id].lock);
}

/* Implements: LLR-EVT-008 */
static int64_t evtchn_send(struct partition *p, uint32_t port)
{
    arch_lock(&evtchn_parts[p->id].lock);
    const struct evtchn_port *e = evtchn_port_of(p, port);
    uint32_t state = (e != NULL) ? e->state : EVTCHN_FREE;
    uint32_t peer = (e != NULL) ? e->peer_part : 0u;
    uint32_t rport = (e != NULL) ? e->peer_port : 0u;
    arch_unlock(&evtchn_parts[p->id].lock);
    switch (state) {
    case EVTCHN_INTERDOMAIN:
        evtchn_deliver(p, port, &part_table[peer], rport);
        return 0;
    case EVTCHN_UNBOUND:
        return 0; /* no receiver yet: dropped, as Xen does */
    default:
        return -XEN_EINVAL;
    }
}

/* Implements: LLR-EVT-009 */
static int64_t evtchn_status(struct partition *p, struct evtchn_status_arg *a)
{
    struct partition *d = evtchn_domain(p, a->dom);
    if (d == NULL) {
        return -XEN_ESRCH;
    }
    if (d != p) {
        return -XEN_EPERM;
    }
    arch_lock(&evtchn_parts[p->id].lock);
    const struct evtchn_port *e = evtchn_port_of(p, a->port);
    int64_t rc = -XEN_EINVAL;
    if (e != NULL) {
        a->status = evtchn_stat_of[e->state];
        a->vcpu = e->vcpu;
        a->u[0] = (e->state == EVTCHN_VIRQ) ? e->virq : (uint32_t)e->peer_part + 1u;
        a->u[1] = e->peer_port;
        rc = 0;
    }
    arch_unlock(&evtchn_parts[p->id].lock);
    return rc;
}

/* Implements: LLR-EVT-010 */
static int64_t evtchn_bind_vcpu(struct partition *p, const struct evtchn_pair_arg *a)
{
    if (a->value >= p->num_vcpus) {
        return -XEN_ENOENT;
    }
    arch_lock(&evtchn_parts[p->id].lock);
    struct evtchn_port *e = evtchn_port_of(p, a->port);
    int64_t rc = -XEN_EINVAL;
    if (e != NULL) {
        bool movable = e->state == EVTCHN_UNBOUND || e->state == EVTCHN_INTERDOMAIN ||
                       (e->state == EVTCHN_VIRQ && evtchn_virq_row(e->virq, 1u) == 0u);
        if (movable) {
            e->vcpu = (uint8_t)a->value;
            rc = 0;
        }
    }
    arch_unlock(&evtchn_parts[p->id].lock);
    return rc;
}

/* The operations that touch only the caller's ports and FIFO state. */
static int64_t evtchn_local_op(const struct vcpu *v, uint32_t cmd, union evtchn_arg *a)
{
    struct partition *p = v->part;
    int64_t rc;
    arch_lock(&evtchn_parts[p->id].lock);
    switch (cmd) {
    case EVTCHNOP_UNMASK:
        rc = evtchn_fifo_unmask(p, a->port);
        break;
    case EVTCHNOP_SET_PRIORITY:
        rc = evtchn_fifo_set_priority(p, a->pair.port, a->pair.value);
        break;
    case EVTCHNOP_INIT_CONTROL:
        rc = evtchn_fifo_init_control(p, v->gid, a->init_control.control_gfn,
                                      a->init_control.offset,
                                      a->init_control.vcpu);
        a->init_control.link_bits = (uint8_t)EVTCHN_FIFO_LINK_BITS;
        break;
    default: /* EVTCHNOP_EXPAND_ARRAY */
        rc = evtchn_fifo_expand_array(p, v->gid, a->array_gfn);
        break;
    }
    arch_unlock(&evtchn_parts[p->id].lock);
    return rc;
}

static int64_t evtchn_do(const struct vcpu *v, uint32_t cmd, union evtchn_arg *a)
{
    struct partition *p = v->part;
    switch (cmd) {
    case EVTCHNOP_BIND_INTERDOMAIN:
        return evtchn_bind_interdomain(p, &a->bind_interdomain);
    case EVTCHNOP_BIND_VIRQ:
        return evtchn_bind_virq(p, &a->bind_virq);
    case EVTCHNOP_CLOSE:
        return evtchn_close(p, a->port);
    case EVTCHNOP_STATUS:
        return evtchn_status(p, &a->status);
    case EVTCHNOP_ALLOC_UNBOUND:
        return evtchn_alloc_unbound(p, &a->alloc_unbound);
    case EVTCHNOP_BIND_VCPU:
        return evtchn_bind_vcpu(p, &a->pair);
    default:
        return evtchn_local_op(v, cmd, a);
    }
}

/* Every operation but send: the argument structure copied in (and back
 * for one with results). Kept out of line so that send, the hot path, does
 * not pay for its stack frame and saved registers. */
static __attribute__((noinline)) int64_t evtchn_op_copy(struct vcpu *v, uint32_t op,
                                                        uint64_t arg_gva)
{
    union evtchn_arg a;
    if (op >= EVTCHN_NR_OPS || evtchn_arg_size[op] == 0u) {
        return -XEN_ENOSYS;
    }
    bh_memset(&a, 0, sizeof(a));
    /* An operation that answers in its argument needs it writable too. */
    if ((evtchn_arg_out[op] && !gmem_check(v, arg_gva, evtchn_arg_size[op], true)) ||
        !gmem_read(v, &a, arg_gva, evtchn_arg_size[op])) {
        return -XEN_EFAULT;
    }
    int64_t rc = evtchn_do(v, op, &a);
    if (rc == 0 && evtchn_arg_out[op] && !gmem_write(v, arg_gva, &a, evtchn_arg_size[op])) {
        rc = -XEN_EFAULT; /* the guest unmapped its argument meanwhile */
    }
    return rc;
}

/* Implements: LLR-EVT-001 */
int64_t evtchn_op(struct vcpu *v, uint64_t cmd, uint64_t arg_gva)
{
    uint32_t op = (uint32_t)cmd;
    uint32_t port;
    if (op != EVTCHNOP_SEND) {
        return evtchn_op_copy(v, op, arg_gva);
    }
    /* The hot one: a 4-byte port, no result; no union to clear or copy. */
    return gmem_read_u32(v, arg_gva, &port) ? evtchn_send(v->part, port) : -XEN_EFAULT;
}

/* Implements: LLR-EVT-011 */
void evtchn_send_virq(struct vcpu *v, uint32_t virq)
{
    struct partition *p = v->part;
    struct evtchn_part *ep = &evtchn_parts[p->id];
    if (virq >= EVTCHN_NR_VIRQS) {
        return;
    }
    arch_lock(&ep->lock);
    uint32_t port = ep->virq_port[evtchn_virq_row(virq, v->vid)][virq];
    if (port != 0u) {
        evtchn_fifo_raise(p, port);
    }
    arch_unlock(&ep->lock);
}

/* Implements: LLR-EVT-002, LLR-EVT-036 */
void evtchn_reset_begin(struct partition *p)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    arch_lock(&evtchn_topology_lock);
    /* Drop the guest pages first: p's RAM is reloaded next, and neither a
     * peer's send nor a close may write into it. */
    arch_lock(&ep->lock);
    evtchn_fifo_reset(p);
    arch_unlock(&ep->lock);
    ep->close_next = 1; /* under the topology lock, which connecting takes */
    arch_unlock(&evtchn_topology_lock);
}

/* Implements: LLR-EVT-002, LLR-EVT-033, LLR-EVT-036 */
bool evtchn_reset_step(struct partition *p)
{
    struct evtchn_part *ep = &evtchn_parts[p->id];
    arch_lock(&evtchn_topology_lock);
    uint32_t port = ep->close_next;
    bool done = port == 0u || port >= ep->hwm;
    if (port != 0u && done) {
        /* Every port that was ever used is closed: one fresh chunk. */
        arch_lock(&ep->lock);
        evtchn_ports_fresh(p);
        bh_memset(ep->virq_port, 0, sizeof(ep->virq_port));
        arch_unlock(&ep->lock);
        ep->close_next = 0;
    }
    /* Only ports below the high-water mark can be bound: at boot none are,
     * so building a partition costs no close at all. No peer connects to a
     * closing partition, so the mark does not move meanwhile. */
    uint32_t end = port + EVTCHN_RESET_BATCH; /* port <= hwm <= 2^17 */
    while (!done && port < ep->hwm && port < end) {
        (void)evtchn_close_port(p, port);
        port++;
    }
    if (!done) {
        ep->close_next = port;
    }
    arch_unlock(&evtchn_topology_lock);
    return done;
}

/* Implements: LLR-EVT-002 */
void evtchn_reset(struct partition *p)
{
    evtchn_reset_begin(p);
    /* Bounded: each step closes EVTCHN_RESET_BATCH ports or ends it. */
    while (!evtchn_reset_step(p)) {
        /* step again */
    }
}
