/*
 * Event channels, guest side: the event_channel_op hypercall (Xen's public
 * event_channel.h ABI, 64-bit layouts) and a consumer of the FIFO ABI.
 *
 * Model: one vCPU (vCPU 0) with one control block; event-array pages are
 * supplied by the program (4 KiB aligned, in its own RAM). Events are
 * consumed in the upcall (PPI 31), which runs inside irq_wait() like every
 * other interrupt handler of the runtime; a registered handler is called
 * once per event taken, highest priority (0) first and in FIFO order within
 * a priority. Without a handler for its port an event goes to the default
 * handler, if any.
 */
#ifndef GUEST_EVTCHN_H
#define GUEST_EVTCHN_H

#include "guest.h"

#define HC_EVENT_CHANNEL_OP 32u

/* EVTCHNOP_* (2 bind_pirq, 7 bind_ipi, 10 reset are not offered: -ENOSYS). */
#define EVTCHNOP_BIND_INTERDOMAIN 0u
#define EVTCHNOP_BIND_VIRQ 1u
#define EVTCHNOP_BIND_PIRQ 2u
#define EVTCHNOP_CLOSE 3u
#define EVTCHNOP_SEND 4u
#define EVTCHNOP_STATUS 5u
#define EVTCHNOP_ALLOC_UNBOUND 6u
#define EVTCHNOP_BIND_IPI 7u
#define EVTCHNOP_BIND_VCPU 8u
#define EVTCHNOP_UNMASK 9u
#define EVTCHNOP_RESET 10u
#define EVTCHNOP_INIT_CONTROL 11u
#define EVTCHNOP_EXPAND_ARRAY 12u
#define EVTCHNOP_SET_PRIORITY 13u

#define EVTCHNSTAT_CLOSED 0u
#define EVTCHNSTAT_UNBOUND 1u
#define EVTCHNSTAT_INTERDOMAIN 2u
#define EVTCHNSTAT_VIRQ 4u

#define DOMID_SELF 0x7FF0u
#define VIRQ_TIMER 0u
#define VIRQ_DEBUG 1u
#define NR_VIRQS 24u

/* Xen error numbers beyond those of guest.h. */
#define XEN_ENOENT 2
#define XEN_ESRCH 3
#define XEN_EEXIST 17
#define XEN_ENOSPC 28
#define XEN_EOPNOTSUPP 95

/* FIFO ABI. */
#define EVTCHN_UPCALL_PPI 31u
#define EVTCHN_FIFO_PENDING (1u << 31)
#define EVTCHN_FIFO_MASKED (1u << 30)
#define EVTCHN_FIFO_LINKED (1u << 29)
#define EVTCHN_FIFO_BUSY (1u << 28)
#define EVTCHN_FIFO_LINK_BITS 17u
#define EVTCHN_FIFO_LINK_MASK ((1u << EVTCHN_FIFO_LINK_BITS) - 1u)
#define EVTCHN_FIFO_NR_CHANNELS (1u << EVTCHN_FIFO_LINK_BITS)
#define EVTCHN_FIFO_MAX_QUEUES 16u
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7u
#define EVTCHN_PAGE_SIZE 4096u
#define EVTCHN_WORDS_PER_PAGE (EVTCHN_PAGE_SIZE / 4u)
#define EVTCHN_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_WORDS_PER_PAGE)
/* Handlers registered per port at once. */
#define EVTCHN_MAX_HANDLERS 32u

/* Argument structures, as in Xen's public event_channel.h. */
struct evtchn_alloc_unbound {
    uint16_t dom;
    uint16_t remote_dom;
    uint32_t port; /* out */
};
struct evtchn_bind_interdomain {
    uint16_t remote_dom;
    uint16_t pad;
    uint32_t remote_port;
    uint32_t local_port; /* out */
};
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    uint32_t port; /* out */
};
struct evtchn_status {
    uint16_t dom;
    uint16_t pad;
    uint32_t port;
    uint32_t status; /* out: EVTCHNSTAT_* */
    uint32_t vcpu;   /* out */
    union {
        uint16_t unbound_dom;
        struct {
            uint16_t dom;
            uint16_t pad;
            uint32_t port;
        } interdomain;
        uint32_t virq;
    } u;
};
struct evtchn_bind_vcpu {
    uint32_t port;
    uint32_t vcpu;
};
struct evtchn_set_priority {
    uint32_t port;
    uint32_t priority;
};
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits; /* out */
    uint8_t pad[7];
};
struct evtchn_expand_array {
    uint64_t array_gfn;
};

/* The control block: READY bits and the HEAD of each of the 16 queues. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* ------------------------------------------- hypercall wrappers --- */
/* event_channel_op(cmd, arg): 0 or -XEN_E*. */
int64_t evtchn_op(uint32_t cmd, void *arg);
/* Each returns 0 or -XEN_E*; the port out-parameters are written on 0. */
int64_t evtchn_alloc_unbound(uint16_t dom, uint16_t remote_dom, uint32_t *port);
int64_t evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port, uint32_t *local_port);
int64_t evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port);
int64_t evtchn_close(uint32_t port);
int64_t evtchn_send(uint32_t port);
int64_t evtchn_status(uint16_t dom, uint32_t port, struct evtchn_status *st);
int64_t evtchn_bind_vcpu(uint32_t port, uint32_t vcpu);
int64_t evtchn_unmask_op(uint32_t port);
int64_t evtchn_init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint8_t *link_bits);
int64_t evtchn_expand_array(uint64_t gfn);
int64_t evtchn_set_priority(uint32_t port, uint32_t priority);
/* A connected pair of this partition's own ports: *a unbound then bound by
 * *b. The hypervisor notifies *b once when it is bound. */
int64_t evtchn_self_pair(uint32_t *a, uint32_t *b);

/* --------------------------------------------------- FIFO consumer --- */
typedef void (*evtchn_handler_fn)(uint32_t port);

/*
 * Register ctrl (a zeroed control block in this partition's RAM) for vCPU 0,
 * enable PPI 31 and install the runtime's IRQ handler: the upcall, with every
 * other interrupt passed to other (may be NULL). Returns init_control's
 * result.
 */
int64_t evtchn_setup(struct evtchn_fifo_control_block *ctrl, irq_handler_fn other);
/* Zero page (4 KiB aligned) and append it to the event array: ports
 * [n * 1024, n * 1024 + 1023] for the n-th page. 0 or -XEN_E*. */
int64_t evtchn_add_page(uint32_t *page);
/* Number of event-array pages added. */
uint32_t evtchn_pages(void);
/* The event word of port, or NULL when the array does not cover it. */
volatile uint32_t *evtchn_word(uint32_t port);
/* The control block registered by evtchn_setup. */
volatile struct evtchn_fifo_control_block *evtchn_control(void);

/* Handler for port (NULL removes it); false when the table is full. */
bool evtchn_set_handler(uint32_t port, evtchn_handler_fn fn);
/* Handler for events of ports without a handler of their own. */
void evtchn_set_default_handler(evtchn_handler_fn fn);

void evtchn_mask(uint32_t port);
/* Clear MASKED; when the event is pending ask the hypervisor to queue it. */
int64_t evtchn_unmask(uint32_t port);
/* Take every queued event, highest ready priority first. Called by the
 * upcall; callable directly with IRQs masked. Returns the events handled. */
uint32_t evtchn_drain(void);

#define HC_VCPU_OP 24u
#define VCPUOP_REGISTER_VCPU_INFO 10u
#define VCPU_INFO_SIZE 64u
/* Register area (VCPU_INFO_SIZE bytes, 64-byte aligned) as vCPU 0's
 * vcpu_info; from then on evtchn_drain clears its evtchn_upcall_pending
 * first, as Xen needs before it injects the upcall again. */
int64_t evtchn_register_vcpu_info(uint8_t *area);
/* Events handled, events taken while masked or not pending (skipped). */
extern volatile uint32_t evtchn_handled;
extern volatile uint32_t evtchn_skipped;

#endif
