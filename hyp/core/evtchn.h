/*
 * Event channels: the ports of each partition, their states and bindings,
 * and the event_channel_op hypercall (Xen's public event_channel.h ABI, FIFO
 * variant only). Delivery into the guest's shared words is evtchn_fifo.h.
 *
 * Storage: every port of every partition lives in one static pool, sliced at
 * boot by the partitions' port limits from the configuration (nothing is
 * allocated after boot). The pool is not zeroed at boot: a partition's ports
 * are initialised in chunks of EVTCHN_CHUNK_PORTS as it allocates them, so a
 * partition that can grow to 2^17 ports costs nothing until it does.
 * Inter-partition channels are allowed only where the
 * connection policy (evtchn_policy_connect, filled from the configuration)
 * connects two partitions; a partition may always connect to itself.
 *
 * Lock order (outermost first): evtchn topology lock (bind_interdomain,
 * close, reset), then partition locks in ascending partition id. Send takes
 * its own partition lock, releases it, then takes the peer's: never two.
 */
#ifndef BH_EVTCHN_H
#define BH_EVTCHN_H

#include "arch_if.h"
#include "types.h"

struct partition;
struct vcpu;

/* Xen error numbers used only here (types.h has the common ones). */
#define XEN_ESRCH 3
#define XEN_EOPNOTSUPP 95

/* EVTCHNOP_* sub-operations of event_channel_op (hypercall 32). */
#define EVTCHNOP_BIND_INTERDOMAIN 0u
#define EVTCHNOP_BIND_VIRQ 1u
#define EVTCHNOP_CLOSE 3u
#define EVTCHNOP_SEND 4u
#define EVTCHNOP_STATUS 5u
#define EVTCHNOP_ALLOC_UNBOUND 6u
#define EVTCHNOP_BIND_VCPU 8u
#define EVTCHNOP_UNMASK 9u
#define EVTCHNOP_INIT_CONTROL 11u
#define EVTCHNOP_EXPAND_ARRAY 12u
#define EVTCHNOP_SET_PRIORITY 13u

/* evtchn_status.status values. */
#define EVTCHNSTAT_CLOSED 0u
#define EVTCHNSTAT_UNBOUND 1u
#define EVTCHNSTAT_INTERDOMAIN 2u
#define EVTCHNSTAT_VIRQ 4u

#define EVTCHN_DOMID_SELF 0x7FF0u
/* The domain id a partition has at the guest interface: its index plus one
 * (like its VMID), so that no partition claims id 0, Xen's dom0. */
#define EVTCHN_DOMID(p) ((uint32_t)(p)->id + 1u)

#define EVTCHN_NR_VIRQS 24u
#define EVTCHN_VIRQ_TIMER 0u
#define EVTCHN_VIRQ_DEBUG 1u
/* VIRQs bound per vCPU (TIMER, DEBUG, XENOPROF 6, XENPMU 12); the others
 * are global: bound on vCPU 0, movable with bind_vcpu. */
#define EVTCHN_VIRQ_PER_VCPU ((1u << 0) | (1u << 1) | (1u << 6) | (1u << 12))

/* FIFO ABI limits. Each partition has a port limit (ports_max), a power of
 * two from EVTCHN_CHUNK_PORTS to the ABI's 2^17, from the configuration. */
#define EVTCHN_FIFO_LINK_BITS 17u
#define EVTCHN_FIFO_NR_CHANNELS ((uint32_t)1u << EVTCHN_FIFO_LINK_BITS)
#define EVTCHN_FIFO_MAX_QUEUES 16u
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7u
#define EVTCHN_CHUNK_PORTS BH_CFG_MIN_EVTCHN_PORTS /* ports initialised at once */
#define EVTCHN_POOL_PORTS BH_CFG_EVTCHN_POOL_PORTS

_Static_assert(BH_CFG_MAX_EVTCHN_PORTS == EVTCHN_FIFO_NR_CHANNELS, "limit is the ABI's");
_Static_assert((EVTCHN_CHUNK_PORTS & (EVTCHN_CHUNK_PORTS - 1u)) == 0u, "power of 2");
_Static_assert(EVTCHN_POOL_PORTS >= BH_MAX_PARTS * EVTCHN_CHUNK_PORTS, "a chunk each");
_Static_assert(BH_MAX_PARTS <= 255u && BH_MAX_VCPUS_PER_PART <= 255u, "ids fit in uint8_t");

/* Port states (struct evtchn_port.state); unsigned like the field, so
 * comparisons need no conversion. */
#define EVTCHN_FREE 0u
#define EVTCHN_RESERVED 1u    /* port 0: never allocated, as in Xen */
#define EVTCHN_UNBOUND 2u     /* accepts a bind_interdomain from peer_part */
#define EVTCHN_INTERDOMAIN 3u /* connected to (peer_part, peer_port) */
#define EVTCHN_VIRQ 4u        /* bound to VIRQ virq */

/* One port, hypervisor side (the guest's event word is separate). */
struct evtchn_port {
    uint8_t state;     /* EVTCHN_FREE .. EVTCHN_VIRQ */
    uint8_t priority;  /* queue it links into next, 0 (highest) .. 15 */
    uint8_t vcpu;      /* vCPU index it notifies */
    uint8_t virq;      /* EVTCHN_VIRQ: which VIRQ */
    uint8_t pending;   /* raised while it had no event word yet */
    uint8_t last_vcpu; /* queue it was last linked into: vCPU index */
    uint8_t last_prio; /* ... and priority */
    uint8_t peer_part; /* UNBOUND: accepted partition; INTERDOMAIN: peer */
    uint32_t peer_port;
};

/* Per-partition event-channel state (zeroed BSS until evtchn_slice). */
struct evtchn_part {
    bh_lock_t lock;
    struct evtchn_port *ports; /* slice of the pool, ports_max ports */
    uint32_t ports_max;        /* port limit: EVTCHN_CHUNK_PORTS .. 2^17 */
    uint32_t ports_ready;      /* ports initialised; the others do not exist yet */
    uint32_t hwm;              /* ports at and above it were never in use */
    uint32_t close_next;       /* reset under way: next port to close; 0: none */
    uint32_t virq_port[BH_MAX_VCPUS_PER_PART][EVTCHN_NR_VIRQS]; /* 0: none */
};

extern struct evtchn_part evtchn_parts[BH_MAX_PARTS];

/*
 * The event_channel_op hypercall: cmd (low 32 bits) is EVTCHNOP_*, arg_gva
 * the guest-virtual address of its argument structure (gmem.h), which must
 * translate to the caller's RAM, writable when the operation answers in it
 * (-EFAULT). Returns 0 or -XEN_E*; -ENOSYS for an
 * operation not offered. Implements: LLR-EVT-001.
 */
int64_t evtchn_op(struct vcpu *v, uint64_t cmd, uint64_t arg_gva);

/*
 * Give each of the first num_parts partitions of cfg its slice of the pool:
 * partition i's ports start at the sum of the limits before it. A limit that
 * is not a power of two from EVTCHN_CHUNK_PORTS to 2^17, or that would leave
 * less than one chunk for each later partition, is taken as one chunk (the
 * boot check refuses such a configuration first). Called once at boot,
 * before any evtchn_reset. Implements: LLR-EVT-032.
 */
void evtchn_slice(const struct bh_cfg *cfg);

/* Ports evtchn_reset_step closes at most per step. */
#define EVTCHN_RESET_BATCH 32u

/*
 * Begin the reset of p's event channels: forget its FIFO control blocks
 * and event array (from here on no event is written into p's RAM) and mark
 * its ports as closing, so that no peer connects to them until the reset
 * ends. Pre: no vCPU of p runs. Implements: LLR-EVT-002, LLR-EVT-036.
 */
void evtchn_reset_begin(struct partition *p);

/*
 * One bounded step of the reset evtchn_reset_begin started: close the next
 * EVTCHN_RESET_BATCH ports of p (the peers of its interdomain channels
 * become unbound, accepting p again) or, once every port below the
 * high-water mark is closed, give p a fresh port table of one chunk with
 * port 0 reserved. Returns true when the reset is complete (also when none
 * was under way). Implements: LLR-EVT-002, LLR-EVT-036.
 */
bool evtchn_reset_step(struct partition *p);

/*
 * The whole reset at once: evtchn_reset_begin, then every step. Only when
 * the time it takes does not matter: at boot, before any partition runs.
 * Implements: LLR-EVT-002.
 */
void evtchn_reset(struct partition *p);

/*
 * Connection policy: allow channels between partitions a and b (both
 * directions). Called at boot from the configuration, before any partition
 * runs. Implements: LLR-EVT-003.
 */
void evtchn_policy_connect(uint32_t a, uint32_t b);

/*
 * The connection policy of configuration cfg: cleared, then every static
 * channel's two partitions and every evtchn_permit bit connected. Called at
 * boot before any partition is built. Implements: LLR-EVT-030.
 */
void evtchn_static_policy(const struct bh_cfg *cfg);

/*
 * Bind the static channels of cfg that have p at one end and a peer already
 * built (id below part_count): both ports become interdomain with the
 * channel's priority, when p's port is free and the peer's port is free or
 * unbound waiting for p. Called after evtchn_reset(p), so at boot every
 * channel is bound before any partition runs, and after a restart the
 * channels are bound again. Implements: LLR-EVT-031.
 */
void evtchn_static_bind(struct partition *p, const struct bh_cfg *cfg);

/* Forget every connection allowed by evtchn_policy_connect. */
void evtchn_policy_clear(void);

/* True when a channel between partitions a and b is allowed: a == b, or
 * connected by the policy. Implements: LLR-EVT-003. */
bool evtchn_may_connect(uint32_t a, uint32_t b);

/*
 * Raise VIRQ virq for vCPU v (a global VIRQ is looked up on vCPU 0's
 * bindings): the bound port is made pending. Nothing happens when it is
 * unbound. Implements: LLR-EVT-011.
 */
void evtchn_send_virq(struct vcpu *v, uint32_t virq);

/* Port `port` of p, or NULL when port is at or beyond the ports
 * initialised so far (ports_ready). For a port number the guest chose: the
 * index is masked after the check (LLR-EVT-044). Implements: LLR-EVT-004. */
struct evtchn_port *evtchn_port_of(const struct partition *p, uint32_t port);

/* As evtchn_port_of, with no mask, for a port number the hypervisor chose
 * (a loop index) or one its operation masked once at its entry, so that
 * the lookups inside an operation do not mask it again.
 * Implements: LLR-EVT-045. */
struct evtchn_port *evtchn_port_at(const struct partition *p, uint32_t port);

#endif
