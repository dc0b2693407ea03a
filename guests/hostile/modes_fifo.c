/*
 * Attacks on the FIFO event-channel words the hypervisor updates in guest
 * memory (issue 15, attacks 6 to 8): a sibling vCPU storming the cache
 * lines the hypervisor's atomics work on, LINK fields rewritten into cycles
 * and beyond the ports, and control blocks of several vCPUs sharing a page
 * (and that page doubling as the event array).
 *
 * vCPU 0 sends to itself over a loopback pair while vCPU 1 (started with
 * PSCI CPU_ON) attacks. The attack passes when every call returns, the
 * probe's windows stay on time (checked by the case) and, once the attack
 * stops, an event is delivered again: whatever the hypervisor gave up
 * during the attack cost this partition only its own events.
 */
#include "evtchn.h"
#include "hostile.h"

#define PSCI_CPU_ON64 0xC4000003ull
#define PRIO EVTCHN_FIFO_PRIORITY_DEFAULT
#define ACK_WAIT_US 100000u
#define CTRL_SIZE 72u /* struct evtchn_fifo_control_block */

static uint32_t fifo_array[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint8_t fifo_ctrl_page[EVTCHN_PAGE_SIZE] __attribute__((aligned(4096)));

/* What vCPU 1 does, set by vCPU 0 before CPU_ON; vCPU 1 stops when told. */
enum sib_attack { SIB_STORM, SIB_CYCLE, SIB_SHARED };
static volatile uint32_t sib_kind;
static volatile uint32_t *volatile sib_word; /* the receive port's event word */
static volatile uint32_t *volatile sib_ctrl; /* READY of the control block */
static volatile uint32_t sib_ports[8];       /* receive ports (link_cycle) */
static volatile uint32_t sib_num_ports;
static volatile uint32_t sib_stop;
static volatile uint32_t sib_stopped;
static volatile uint64_t sib_rounds;

/* Used by fifo_sib_entry (assembly), hence not static. */
uint8_t fifo_sib_stack[4096] __attribute__((aligned(16)));
void fifo_sib_main(void);
void fifo_sib_entry(void);
__asm__(".text\n"
        ".globl fifo_sib_entry\n"
        "fifo_sib_entry:\n"
        "    adrp x1, fifo_sib_stack\n"
        "    add  x1, x1, :lo12:fifo_sib_stack\n"
        "    add  x1, x1, #4096\n"
        "    mov  sp, x1\n"
        "    b    fifo_sib_main\n");

/* One exclusive read-modify-write of *w flipping bits: each success moves
 * the word under the hypervisor's LDAXR, so its STLXR must fail if it is
 * between the two. The loop is the attacker's: it may retry for ever. */
static void excl_flip(volatile uint32_t *w, uint32_t bits)
{
    uint32_t v, fail;
    __asm__ volatile("1: ldxr %w0, [%2]\n"
                     "   eor  %w0, %w0, %w3\n"
                     "   stxr %w1, %w0, [%2]\n"
                     "   cbnz %w1, 1b"
                     : "=&r"(v), "=&r"(fail)
                     : "r"(w), "r"(bits)
                     : "memory");
}

/* LINK fields rewritten: each receive port names the next (a cycle), then
 * a port beyond the array, with LINKED kept set so that the hypervisor
 * would link after them; HEAD names them too. */
static void sib_cycle_round(uint64_t round)
{
    uint32_t n = sib_num_ports;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t next = ((round & 1u) != 0u) ? EVTCHN_FIFO_LINK_MASK : sib_ports[(i + 1u) % n];
        fifo_array[sib_ports[i]] = EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED | next;
    }
    sib_ctrl[2u + PRIO] = sib_ports[round % n];
}

void fifo_sib_main(void)
{
    uint64_t rounds = 0;
    while (sib_stop == 0u) {
        switch (sib_kind) {
        case SIB_STORM:
            excl_flip(sib_word, EVTCHN_FIFO_BUSY);
            excl_flip(sib_ctrl, 1u << 31);  /* a READY bit no queue uses */
            sib_word[1] = (uint32_t)rounds; /* a plain store to the same line */
            break;
        case SIB_CYCLE:
            sib_cycle_round(rounds);
            break;
        default: /* SIB_SHARED: both blocks' READY and HEADs, all one page */
            excl_flip(sib_ctrl, 0xFFFFu);
            sib_ctrl[2u + PRIO] = (uint32_t)rounds;
            sib_ctrl[18u + 2u + PRIO] = (uint32_t)rounds;
            break;
        }
        rounds++;
        sib_rounds = rounds;
    }
    sib_stopped = 1u;
    for (;;) {
        __asm__ volatile("wfe");
    }
}

static void sib_start(uint32_t kind)
{
    sib_kind = kind;
    sib_stop = 0u;
    sib_stopped = 0u;
    sib_rounds = 0u;
    (void)psci_call(PSCI_CPU_ON64, 1u, (uint64_t)(uintptr_t)fifo_sib_entry, 0u);
    /* The attack is on only once vCPU 1 runs (its window, other CPU). */
    uint64_t deadline = timer_now() + timer_freq() / 1000000u * ACK_WAIT_US;
    while (sib_rounds == 0u && timer_now() < deadline) {
    }
}

/* Stop vCPU 1 and wait (bounded) until it says so; it runs only in its own
 * windows on the other CPU. */
static bool sib_halt(void)
{
    uint64_t deadline = timer_now() + timer_freq() / 1000000u * ACK_WAIT_US;
    sib_stop = 1u;
    while (sib_stopped == 0u && timer_now() < deadline) {
    }
    return sib_stopped != 0u && sib_rounds > 0u;
}

/* Control block (offset off of the page) for vCPU vcpu and the event array
 * page, both zeroed. */
static bool fifo_init(uint32_t off, uint32_t vcpu)
{
    uint8_t link_bits = 0;
    bool ok =
        evtchn_init_control((uint64_t)(uintptr_t)fifo_ctrl_page >> 12, off, vcpu, &link_bits) == 0;
    return hostile_check(ok && evtchn_expand_array((uint64_t)(uintptr_t)fifo_array >> 12) == 0,
                         "control block and event array registered");
}

/* The consumer's part, done by hand: queue PRIO emptied, word unlinked. */
static void consume(volatile uint32_t *ctrl, uint32_t port)
{
    fifo_array[port] = 0u;
    ctrl[2u + PRIO] = 0u;
    ctrl[0] = 0u;
}

/* After the attack: one event on tx must be pending, linked at HEAD of
 * PRIO and READY, as for a partition that never misbehaved. */
static void check_delivery(volatile uint32_t *ctrl, uint32_t tx, uint32_t rx)
{
    consume(ctrl, rx);
    bool sent = evtchn_send(tx) == 0;
    uint32_t w = fifo_array[rx];
    hostile_check(sent && (w & EVTCHN_FIFO_PENDING) != 0u && (w & EVTCHN_FIFO_LINKED) != 0u &&
                      ctrl[2u + PRIO] == rx && (ctrl[0] & (1u << PRIO)) != 0u,
                  "an event after the attack is linked at HEAD and READY");
}

/* Attack 6: a sibling vCPU storms the receive port's event word and the
 * READY word with exclusive stores (and plain ones to the same lines)
 * while vCPU 0 sends to itself and consumes now and then. */
HOSTILE_MODE(fifo_storm, "vCPU 1 storms the event and READY words while vCPU 0 sends")
{
    uint32_t n = (uint32_t)bh_arg(args, "n", 0, 20000);
    uint32_t tx, rx;
    volatile uint32_t *ctrl = (volatile uint32_t *)fifo_ctrl_page;
    if (!fifo_init(0, 0) || !hostile_check(evtchn_self_pair(&tx, &rx) == 0, "loopback pair")) {
        return;
    }
    sib_word = &fifo_array[rx];
    sib_ctrl = ctrl;
    sib_start(SIB_STORM);
    uint32_t failed = 0;
    for (uint32_t i = 0; i < n; i++) {
        failed += (evtchn_send(tx) != 0) ? 1u : 0u;
        if ((i & 15u) == 15u) {
            consume(ctrl, rx);
        }
    }
    hostile_check(failed == 0u, "every send returned 0 under the storm");
    hostile_check(sib_halt(), "vCPU 1 stormed and stopped");
    check_delivery(ctrl, tx, rx);
}

/* Attack 7: LINK fields of the receive ports rewritten into a cycle and
 * beyond the ports, with LINKED set and HEAD pointing into them, while
 * vCPU 0 sends on every pair. The hypervisor never follows a LINK. */
HOSTILE_MODE(fifo_link_cycle, "LINK fields rewritten into cycles and past the ports")
{
    uint32_t n = (uint32_t)bh_arg(args, "n", 0, 20000);
    uint32_t tx[8];
    volatile uint32_t *ctrl = (volatile uint32_t *)fifo_ctrl_page;
    if (!fifo_init(0, 0)) {
        return;
    }
    for (uint32_t i = 0; i < 8u; i++) {
        uint32_t rx;
        if (evtchn_self_pair(&tx[i], &rx) != 0) {
            hostile_check(false, "loopback pairs");
            return;
        }
        sib_ports[i] = rx;
    }
    sib_num_ports = 8u;
    sib_ctrl = ctrl;
    sib_start(SIB_CYCLE);
    uint32_t failed = 0;
    for (uint32_t i = 0; i < n; i++) {
        failed += (evtchn_send(tx[i % 8u]) != 0) ? 1u : 0u;
        if ((i & 63u) == 63u) {
            sib_cycle_round(i); /* vCPU 0 rewrites too, between its own sends */
        }
    }
    hostile_check(failed == 0u, "every send returned 0 with cyclic links");
    hostile_check(sib_halt(), "vCPU 1 rewrote links and stopped");
    for (uint32_t i = 0; i < 8u; i++) {
        consume(ctrl, sib_ports[i]);
    }
    check_delivery(ctrl, tx[0], sib_ports[0]);
}

/* Attack 8: the control blocks of vCPU 0 (offset 0) and vCPU 1 (offset 72)
 * on one page, vCPU 1's block a second time refused, and the event array's
 * page is that page too: event words, READY and HEADs overlap. Ports
 * bound to both vCPUs are sent to while vCPU 1 stores to the page. */
HOSTILE_MODE(ctrl_shared_page, "control blocks of two vCPUs and the event array on one page")
{
    uint32_t n = (uint32_t)bh_arg(args, "n", 0, 20000);
    uint64_t gfn = (uint64_t)(uintptr_t)fifo_ctrl_page >> 12;
    uint8_t link_bits = 0;
    uint32_t tx[2], rx[2];
    volatile uint32_t *ctrl = (volatile uint32_t *)fifo_ctrl_page;
    hostile_check(evtchn_init_control(gfn, 0, 0, &link_bits) == 0 &&
                      evtchn_init_control(gfn, CTRL_SIZE, 1, &link_bits) == 0,
                  "two control blocks on one page");
    hostile_check(evtchn_init_control(gfn, 0, 1, &link_bits) == -XEN_EINVAL,
                  "a second block for vCPU 1 refused");
    hostile_check(evtchn_expand_array(gfn) == 0, "the event array on the same page");
    for (uint32_t i = 0; i < 2u; i++) {
        if (!hostile_check(evtchn_self_pair(&tx[i], &rx[i]) == 0 && evtchn_bind_vcpu(rx[i], i) == 0,
                           "loopback pair bound to its vCPU")) {
            return;
        }
    }
    sib_ctrl = ctrl;
    sib_start(SIB_SHARED);
    uint32_t failed = 0;
    for (uint32_t i = 0; i < n; i++) {
        failed += (evtchn_send(tx[i & 1u]) != 0) ? 1u : 0u;
    }
    hostile_check(failed == 0u, "every send returned 0 on the shared page");
    hostile_check(sib_halt(), "vCPU 1 wrote the page and stopped");
}
