/*
 * FIFO event delivery (Xen's FIFO event-channel ABI): each port has a 32-bit
 * event word in a guest page of the partition's event array; each vCPU has a
 * control block (READY bits, HEAD of 16 priority queues) in guest memory.
 * The hypervisor is the producer: it links a raised event at the tail of its
 * queue; the guest is the consumer and unlinks from the head. Both write the
 * same words, so every hypervisor update of a guest word is one bounded
 * atomic operation (arch_guest_*: at most ARCH_GUEST_ATOMIC_TRIES
 * exclusive attempts, never a loop until the store succeeds), a
 * compare-and-swap is one attempt retried at most EVTCHN_FIFO_TRIES times,
 * and the hypervisor never follows a LINK the guest wrote: a guest that
 * rewrites its words can lose its own events only (verify/evtchn_fifo.pml
 * checks the protocol with a well-behaved guest).
 *
 * Every function here runs with the partition's event-channel lock held
 * (evtchn.c takes it); ports passed in exist (evtchn_port_of is not NULL).
 */
#ifndef BH_EVTCHN_FIFO_H
#define BH_EVTCHN_FIFO_H

#include "evtchn.h"

/* Event word bits and fields. */
#define EVTCHN_FIFO_PENDING ((uint32_t)1u << 31)
#define EVTCHN_FIFO_MASKED ((uint32_t)1u << 30)
#define EVTCHN_FIFO_LINKED ((uint32_t)1u << 29)
#define EVTCHN_FIFO_BUSY ((uint32_t)1u << 28)
#define EVTCHN_FIFO_LINK_MASK (((uint32_t)1u << EVTCHN_FIFO_LINK_BITS) - 1u)

#define EVTCHN_PAGE_SIZE 4096u
#define EVTCHN_FIFO_WORDS_PER_PAGE (EVTCHN_PAGE_SIZE / 4u)
#define EVTCHN_FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_WORDS_PER_PAGE) /* 128 */
_Static_assert(EVTCHN_CHUNK_PORTS == EVTCHN_FIFO_WORDS_PER_PAGE, "a chunk is one page");

/* struct evtchn_fifo_control_block: ready, _rsvd, head[16] (32-bit words). */
#define EVTCHN_FIFO_CTRL_SIZE 72u
#define EVTCHN_FIFO_CTRL_READY 0u /* word index */
#define EVTCHN_FIFO_CTRL_HEAD 2u  /* word index of head[0] */

/* Compare-and-swap attempts on one guest word before giving up. */
#define EVTCHN_FIFO_TRIES 4u

/* Queues of one vCPU, hypervisor side. */
struct evtchn_fifo_vcpu {
    uint32_t *ctrl;                        /* control block, NULL before init_control */
    uint32_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* last port linked per queue; 0: empty */
    uint32_t scan_next; /* this vCPU's continued call: next port to scan ... */
    uint32_t scan_end;  /* ... and the scan's end; none when scan_next == scan_end */
};

/* Ports one init_control or expand_array call looks at for kept events at
 * most, and events it re-raises at most: a longer scan is continued by the
 * guest re-issuing the call. */
#define EVTCHN_FIFO_SCAN_BATCH EVTCHN_FIFO_WORDS_PER_PAGE
#define EVTCHN_FIFO_RAISE_BATCH 64u

/* Event array of one partition. */
struct evtchn_fifo_part {
    uint32_t *array[EVTCHN_FIFO_MAX_PAGES]; /* guest pages, in port order, up to ports_max */
    uint32_t num_pages;
    bool active;       /* some vCPU has a control block */
    uint32_t give_ups; /* updates given up: the guest kept changing a word */
};

extern struct evtchn_fifo_vcpu evtchn_fifo_vcpus[BH_MAX_VCPUS];
extern struct evtchn_fifo_part evtchn_fifo_parts[BH_MAX_PARTS];

/* Forget p's control blocks, event array and queues. Implements: LLR-EVT-002. */
void evtchn_fifo_reset(const struct partition *p);

/*
 * EVTCHNOP_init_control: use the control block at byte offset of guest
 * frame gfn for vCPU vcpu_id. -EINVAL: offset not 8-byte aligned or the block
 * would cross the page, the vCPU already has one, or the frame is not in
 * p's RAM; -ENOENT: no such vCPU. Events deferred for want of a control
 * block are then delivered, in pieces: HCALL_CONTINUE while the scan is not
 * done (see evtchn_fifo_continue). caller: gid of the calling vCPU.
 * Implements: LLR-EVT-012, LLR-EVT-037.
 */
int64_t evtchn_fifo_init_control(struct partition *p, uint32_t caller, uint64_t gfn,
                                 uint32_t offset, uint32_t vcpu_id);

/*
 * EVTCHNOP_expand_array: append guest frame gfn to the event array.
 * -EOPNOTSUPP before any init_control, -ENOSPC when the array already covers
 * p's port limit, -EINVAL when the frame is not in p's RAM. Events deferred
 * for want of an event word of the new page are then delivered, in pieces
 * as for init_control. Implements: LLR-EVT-013, LLR-EVT-037.
 */
int64_t evtchn_fifo_expand_array(struct partition *p, uint32_t caller, uint64_t gfn);

/* EVTCHNOP_set_priority: -EINVAL for a port outside the table or a priority
 * above 15; the new priority applies from the next link. Implements: LLR-EVT-014. */
int64_t evtchn_fifo_set_priority(const struct partition *p, uint32_t port, uint32_t priority);

/* EVTCHNOP_unmask: clear MASKED; a pending event is then linked.
 * -EINVAL for a port outside the table. Implements: LLR-EVT-015. */
int64_t evtchn_fifo_unmask(struct partition *p, uint32_t port);

/*
 * Make port pending for its vCPU: set PENDING; unless MASKED or already
 * LINKED, link it at the tail of queue (vCPU, priority) and, when that queue
 * was empty, set its READY bit and raise the upcall. Without an event word or
 * control block the event is kept and delivered once they exist.
 * Implements: LLR-EVT-016 .. LLR-EVT-018.
 */
void evtchn_fifo_raise(struct partition *p, uint32_t port);

/* A port is closed: clear its PENDING bit and any deferred event. */
void evtchn_fifo_clear(const struct partition *p, uint32_t port);

#endif
