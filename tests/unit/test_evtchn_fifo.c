/* Unit tests of hyp/core/evtchn_fifo.c (FIFO queues, masking, upcall). */
/* cmocka.h needs these first. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

#include <cmocka.h>
#include <string.h>

#include "blob_fixture.h"
#include "console.h"
#include "evtchn.h"
#include "evtchn_fifo.h"
#include "fake_arch.h"
#include "hcall.h"
#include "part.h"
#include "sched.h"

#define NPARTS 2u
#define RAM_SIZE 0x8000u
#define ARG 0x100u
#define CTRL_PAGE 4u  /* page index in RAM holding the control blocks */
#define ARRAY_PAGE 5u /* page index of the event array */
#define SELF EVTCHN_DOMID_SELF
#define LIMIT BH_CFG_MIN_EVTCHN_PORTS /* the default port limit these partitions have */

static const uint64_t gpa_of[NPARTS] = {0x40000000ull, 0x80000000ull};
static const uint32_t gid_of[NPARTS] = {0, 2};

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + NPARTS * 64u];
} blob;
static _Alignas(4096) uint8_t ram[NPARTS][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa_of[i], ram[i], RAM_SIZE, nv);
}

static int64_t eop(uint32_t pi, uint32_t cmd, void *arg, size_t size)
{
    uint8_t *g = &ram[pi][ARG];
    memcpy(g, arg, size);
    uint64_t args[5] = {cmd, gpa_of[pi] + ARG, 0, 0, 0};
    int64_t rc = hcall_dispatch(&vcpu_table[gid_of[pi]], XEN_HC_EVENT_CHANNEL_OP, args);
    memcpy(arg, g, size);
    return rc;
}

struct a_init {
    uint64_t gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits, pad[7];
};

static int64_t init_control(uint32_t pi, uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
    struct a_init a = {gfn, offset, vcpu, 0xEE, {0}};
    int64_t rc = eop(pi, EVTCHNOP_INIT_CONTROL, &a, sizeof(a));
    assert_int_equal(a.link_bits, rc == 0 ? 17 : 0xEE);
    return rc;
}

static int64_t expand(uint32_t pi, uint64_t gfn)
{
    return eop(pi, EVTCHNOP_EXPAND_ARRAY, &gfn, sizeof(gfn));
}

static int64_t one(uint32_t pi, uint32_t cmd, uint32_t port)
{
    return eop(pi, cmd, &port, sizeof(port));
}

static int64_t set_prio(uint32_t pi, uint32_t port, uint32_t prio)
{
    uint32_t a[2] = {port, prio};
    return eop(pi, EVTCHNOP_SET_PRIORITY, a, sizeof(a));
}

static uint64_t gfn(uint32_t pi, uint32_t page)
{
    return (gpa_of[pi] >> 12) + page;
}

static uint32_t *word(uint32_t pi, uint32_t port)
{
    return (uint32_t *)(void *)&ram[pi][ARRAY_PAGE * 4096u + port * 4u];
}

/* Control block of vCPU vid (blocks at 0x100 apart in CTRL_PAGE). */
static uint32_t *ctrl(uint32_t pi, uint32_t vid)
{
    return (uint32_t *)(void *)&ram[pi][CTRL_PAGE * 4096u + vid * 0x100u];
}

static bool ppi_pending(uint32_t gid)
{
    bool p = vcpu_table[gid].vgic.priv[VGIC_PPI_EVTCHN].pending != 0u;
    vcpu_table[gid].vgic.priv[VGIC_PPI_EVTCHN].pending = 0;
    return p;
}

/* A loopback channel in partition pi: returns the port to send on; *rx is
 * the port that receives. */
static uint32_t loopback(uint32_t pi, uint32_t *rx)
{
    uint32_t a[2] = {SELF | ((uint32_t)SELF << 16), 0};
    assert_int_equal(eop(pi, EVTCHNOP_ALLOC_UNBOUND, a, 8), 0);
    *rx = a[1];
    uint32_t b[3] = {SELF, *rx, 0};
    assert_int_equal(eop(pi, EVTCHNOP_BIND_INTERDOMAIN, b, 12), 0);
    return b[2];
}

static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), NPARTS);
    memset(ram, 0, sizeof(ram));
    fill_part(0, "g0", 2);
    fill_part(1, "g1", 1);
    evtchn_policy_clear();
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    uint64_t next;
    (void)sched_pick(0, 0, &next);
    fake_console_clear();
    return 0;
}

/* g0: control blocks for both vCPUs and one event-array page. */
static int setup_fifo(void **state)
{
    setup(state);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 0), 0);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0x100, 1), 0);
    assert_int_equal(expand(0, gfn(0, ARRAY_PAGE)), 0);
    fake.kicks = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        assert_int_equal(evtchn_parts[i].lock.word, 0);
    }
    return 0;
}

/*
 * The guest's consumer, written from the ABI: take READY, then per priority
 * (highest first) walk the queue from HEAD, unlinking each word with a
 * compare-and-swap, handling the pending and unmasked ones (clearing
 * PENDING). Records handled ports in order; returns how many.
 */
static uint32_t consume(uint32_t pi, uint32_t vid, uint32_t *out, uint32_t max)
{
    uint32_t *c = ctrl(pi, vid);
    uint32_t n = 0;
    uint32_t ready = __atomic_exchange_n(&c[0], 0u, __ATOMIC_SEQ_CST);
    for (uint32_t steps = 0; ready != 0u && steps < 4096u; steps++) {
        uint32_t prio = (uint32_t)__builtin_ctz(ready);
        uint32_t port = c[2u + prio];
        while (port != 0u && steps++ < 4096u) {
            uint32_t *w = word(pi, port);
            uint32_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST);
            uint32_t nw;
            do {
                nw = old & ~(EVTCHN_FIFO_LINKED | EVTCHN_FIFO_LINK_MASK);
            } while (!__atomic_compare_exchange_n(w, &old, nw, false, __ATOMIC_SEQ_CST,
                                                  __ATOMIC_SEQ_CST));
            if ((old & (EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED)) == EVTCHN_FIFO_PENDING &&
                n < max) {
                __atomic_fetch_and(w, ~EVTCHN_FIFO_PENDING, __ATOMIC_SEQ_CST);
                out[n++] = port;
            }
            port = old & EVTCHN_FIFO_LINK_MASK;
        }
        ready &= ~(1u << prio);
        ready |= __atomic_exchange_n(&c[0], 0u, __ATOMIC_SEQ_CST);
    }
    return n;
}

/* Verifies: LLR-EVT-012 (init_control argument checks, link_bits) */
static void test_init_control(void **state)
{
    (void)state;
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 4, 0), -XEN_EINVAL);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 4096u - 72u + 8u, 0), -XEN_EINVAL);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 2), -XEN_ENOENT);
    assert_int_equal(init_control(1, gfn(1, CTRL_PAGE), 0, 1), -XEN_ENOENT);
    assert_int_equal(init_control(0, gfn(0, 8), 0, 0), -XEN_EINVAL); /* past RAM */
    assert_int_equal(init_control(0, gfn(1, 4), 0, 0), -XEN_EINVAL); /* other's RAM */
    assert_int_equal(init_control(0, UINT64_MAX >> 11, 0, 0), -XEN_EINVAL);
    assert_int_equal(init_control(0, UINT64_MAX, 0, 0), -XEN_EINVAL);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 4096u - 72u, 0), 0);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 0), -XEN_EINVAL); /* again */
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 1), 0);
    assert_ptr_equal(evtchn_fifo_vcpus[0].ctrl, &ram[0][CTRL_PAGE * 4096u + 4096u - 72u]);
}

/* Verifies: LLR-EVT-013 (expand_array) */
static void test_expand_array(void **state)
{
    (void)state;
    assert_int_equal(expand(0, gfn(0, ARRAY_PAGE)), -XEN_EOPNOTSUPP);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 0), 0);
    assert_int_equal(expand(0, gfn(0, 8)), -XEN_EINVAL);
    assert_int_equal(expand(0, UINT64_MAX), -XEN_EINVAL);
    assert_int_equal(expand(0, gfn(0, ARRAY_PAGE)), 0);
    assert_int_equal(expand(0, gfn(0, ARRAY_PAGE + 1u)), -XEN_ENOSPC);
    assert_int_equal(evtchn_fifo_parts[0].num_pages, 1);
}

/* Verifies: LLR-EVT-016, LLR-EVT-017, LLR-EVT-018 (link at tail, HEAD and
 * READY of an empty queue, one upcall, FIFO order) */
static void test_link_order(void **state)
{
    (void)state;
    uint32_t rx[3], tx[3], got[8];
    for (uint32_t i = 0; i < 3; i++) {
        tx[i] = loopback(0, &rx[i]);
    }
    /* bind_interdomain raised each tx port: queue 7 = tx0, tx1, tx2. */
    assert_int_equal(ctrl(0, 0)[2 + 7], tx[0]);
    assert_int_equal(ctrl(0, 0)[0], 1u << 7);
    assert_int_equal(*word(0, tx[0]), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED | tx[1]);
    assert_int_equal(*word(0, tx[2]), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED);
    assert_true(ppi_pending(0));
    assert_true(sched_need_pick(0));
    assert_int_equal(fake.kicks, 0);
    assert_int_equal(consume(0, 0, got, 8), 3);
    assert_memory_equal(got, tx, sizeof(tx));
    /* Sends arrive in order; a second send while linked does not relink. */
    assert_int_equal(one(0, EVTCHNOP_SEND, tx[2]), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx[0]), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx[2]), 0);
    assert_true(ppi_pending(0));
    assert_int_equal(*word(0, rx[0]), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED);
    assert_int_equal(consume(0, 0, got, 8), 2);
    assert_int_equal(got[0], rx[2]);
    assert_int_equal(got[1], rx[0]);
    assert_int_equal(*word(0, rx[0]), 0);
}

/* Verifies: LLR-EVT-017 (a tail the guest already unlinked starts a new
 * queue at HEAD; READY already set needs no second upcall) */
static void test_tail_consumed(void **state)
{
    (void)state;
    uint32_t rx, tx, got[4];
    tx = loopback(0, &rx);
    assert_true(ppi_pending(0));
    /* The guest unlinks tx (the tail) but has not yet taken READY. */
    __atomic_fetch_and(word(0, tx), ~EVTCHN_FIFO_LINKED, __ATOMIC_SEQ_CST);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx), 0);
    assert_int_equal(ctrl(0, 0)[2 + 7], rx);
    assert_int_equal(*word(0, tx) & EVTCHN_FIFO_LINK_MASK, 0);
    assert_false(ppi_pending(0));
    assert_int_equal(consume(0, 0, got, 4), 1);
    assert_int_equal(got[0], rx);
}

/* Verifies: LLR-EVT-014 (set_priority: checks, new queue from the next link,
 * the old queue forgets a moved tail) */
static void test_priority(void **state)
{
    (void)state;
    uint32_t rx[2], tx[2], got[4];
    tx[0] = loopback(0, &rx[0]);
    tx[1] = loopback(0, &rx[1]);
    assert_int_equal(set_prio(0, LIMIT, 3), -XEN_EINVAL);
    assert_int_equal(set_prio(0, rx[0], 16), -XEN_EINVAL);
    assert_int_equal(set_prio(0, rx[0], 0xFFFFFFFFu), -XEN_EINVAL);
    assert_int_equal(consume(0, 0, got, 4), 2);
    assert_int_equal(set_prio(0, rx[1], 15), 0);
    assert_int_equal(set_prio(0, rx[0], 0), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx[1]), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx[0]), 0);
    assert_int_equal(ctrl(0, 0)[0], (1u << 0) | (1u << 15));
    assert_int_equal(consume(0, 0, got, 4), 2);
    assert_int_equal(got[0], rx[0]); /* priority 0 first */
    assert_int_equal(got[1], rx[1]);
    /* tx[1] was the tail of queue 7; it moves to 2 once consumed. */
    assert_int_equal(evtchn_fifo_vcpus[0].tail[7], tx[1]);
    assert_int_equal(set_prio(0, tx[1], 2), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, rx[1]), 0);
    assert_int_equal(evtchn_fifo_vcpus[0].tail[7], 0);
    assert_int_equal(evtchn_fifo_vcpus[0].tail[2], tx[1]);
    assert_int_equal(one(0, EVTCHNOP_SEND, rx[0]), 0); /* queue 7 restarts */
    assert_int_equal(ctrl(0, 0)[2 + 7], tx[0]);
    assert_int_equal(*word(0, tx[1]) & EVTCHN_FIFO_LINK_MASK, 0);
    assert_int_equal(consume(0, 0, got, 4), 2);
    assert_int_equal(got[0], tx[1]);
    assert_int_equal(got[1], tx[0]);
}

/* Verifies: LLR-EVT-015, LLR-EVT-016 (masked events stay pending unlinked;
 * unmask links a pending one) */
static void test_mask_unmask(void **state)
{
    (void)state;
    uint32_t rx, tx, got[4];
    tx = loopback(0, &rx);
    assert_int_equal(consume(0, 0, got, 4), 1);
    assert_true(ppi_pending(0));
    __atomic_fetch_or(word(0, rx), EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED);
    assert_false(ppi_pending(0));
    assert_int_equal(one(0, EVTCHNOP_UNMASK, LIMIT), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_UNMASK, rx), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED);
    assert_true(ppi_pending(0));
    assert_int_equal(consume(0, 0, got, 4), 1);
    /* Unmasking an idle event links nothing. */
    __atomic_fetch_or(word(0, rx), EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST);
    assert_int_equal(one(0, EVTCHNOP_UNMASK, rx), 0);
    assert_int_equal(*word(0, rx), 0);
    assert_false(ppi_pending(0));
    /* Close clears PENDING of the closed port. */
    __atomic_fetch_or(word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED, __ATOMIC_SEQ_CST);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, rx), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_MASKED);
}

/* Verifies: LLR-EVT-016, LLR-EVT-018 (no event word or control block yet:
 * kept, then delivered; a vCPU on another CPU is kicked) */
static void test_deferred(void **state)
{
    (void)state;
    uint32_t rx, tx;
    assert_int_equal(one(0, EVTCHNOP_UNMASK, 5), 0); /* no array: nothing */
    tx = loopback(0, &rx);
    uint32_t pair[2] = {rx, 1};
    assert_int_equal(eop(0, EVTCHNOP_BIND_VCPU, pair, 8), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], rx)->pending, 1);
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0, 0), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], rx)->pending, 1); /* no array */
    assert_int_equal(expand(0, gfn(0, ARRAY_PAGE)), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], tx)->pending, 0); /* vCPU 0 */
    assert_int_equal(ctrl(0, 0)[2 + 7], tx);
    assert_int_equal(evtchn_port_of(&part_table[0], rx)->pending, 1); /* vCPU 1: no block */
    assert_int_equal(*word(0, rx), 0);
    fake.kicks = 0;
    vcpu_table[1].in_window = true;
    assert_int_equal(init_control(0, gfn(0, CTRL_PAGE), 0x100, 1), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], rx)->pending, 0);
    assert_int_equal(ctrl(0, 1)[2 + 7], rx);
    (void)vgic_drain(&vcpu_table[1]); /* vCPU 1 runs on CPU 1: its CPU applies the post */
    assert_true(ppi_pending(1));
    assert_int_equal(fake.kicks, 1u << 1);
    /* Restart forgets control blocks and array without touching RAM. */
    memset(ram[0] + CTRL_PAGE * 4096u, 0x5A, 2u * 4096u);
    part_restart(&part_table[0], true, false);
    fx_restart_finish(&part_table[0]);
    assert_null(evtchn_fifo_vcpus[0].ctrl);
    assert_int_equal(evtchn_fifo_parts[0].num_pages, 0);
    assert_int_equal(ram[0][ARRAY_PAGE * 4096u + rx * 4u], 0x5A);
}

/* Single-stepping (x86-64 trap flag) to act as a guest that rewrites the
 * tail word just before each of the hypervisor's compare-and-swaps on it. */
static volatile uint32_t *race_word;
static volatile uint32_t race_left;

static uint64_t race_reg(const ucontext_t *uc, uint32_t r)
{
    static const int map[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                REG_R12, REG_R13, REG_R14, REG_R15};
    return (uint64_t)uc->uc_mcontext.gregs[map[r & 15u]];
}

/* Address operand of "lock cmpxchg r32, [reg(+disp)]" at pc, or 0. */
static uint64_t race_cas_target(const ucontext_t *uc)
{
    const uint8_t *pc = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
    uint32_t rex = 0;
    if (pc[0] != 0xF0u) {
        return 0;
    }
    pc++;
    if ((pc[0] & 0xF0u) == 0x40u) {
        rex = pc[0];
        pc++;
    }
    if (pc[0] != 0x0Fu || pc[1] != 0xB1u) {
        return 0;
    }
    uint32_t modrm = pc[2];
    uint32_t mod = modrm >> 6;
    const uint8_t *d = &pc[3];
    uint64_t base;
    if (mod == 3u || ((modrm & 7u) == 5u && mod == 0u)) {
        return 0; /* register or RIP-relative operand: not a guest word */
    }
    if ((modrm & 7u) == 4u) { /* SIB: base + index * scale */
        uint32_t sib = *d++;
        uint32_t idx = ((sib >> 3) & 7u) | ((rex & 2u) << 2);
        if ((sib & 7u) == 5u && mod == 0u) {
            return 0;
        }
        base = race_reg(uc, (sib & 7u) | ((rex & 1u) << 3));
        if (idx != 4u) {
            base += race_reg(uc, idx) << (sib >> 6);
        }
    } else {
        base = race_reg(uc, (modrm & 7u) | ((rex & 1u) << 3));
    }
    int64_t disp = 0;
    if (mod == 1u) {
        disp = (int8_t)d[0];
    } else if (mod == 2u) {
        int32_t d32;
        memcpy(&d32, d, 4);
        disp = d32;
    }
    return base + (uint64_t)disp;
}

static void race_step(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    if (race_left > 0u && race_cas_target(ctx) == (uint64_t)(uintptr_t)race_word) {
        *race_word += 1u << 20; /* a reserved bit: the swap must fail */
        race_left--;
    }
}

static int64_t send_racing(uint32_t port, volatile uint32_t *w, uint32_t fails)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = race_step;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
    race_word = w;
    race_left = fails;
    uint64_t args[5] = {EVTCHNOP_SEND, gpa_of[0] + ARG, 0, 0, 0};
    memcpy(&ram[0][ARG], &port, 4);
    __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
    int64_t rc = hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args);
    __asm__ volatile("pushfq; andq $~0x100, (%%rsp); popfq" ::: "memory", "cc");
    race_word = NULL;
    return rc;
}

/* Verifies: LLR-EVT-017 (a guest changing the tail word: retried; after
 * EVTCHN_FIFO_TRIES failures the link is abandoned and HEAD written) */
static void test_link_race(void **state)
{
    (void)state;
    uint32_t rx[3], tx[3];
    for (uint32_t i = 0; i < 3; i++) {
        tx[i] = loopback(0, &rx[i]);
    }
    /* Queue 7: tx0, tx1, tx2 (tail). One failed swap, then linked. */
    assert_int_equal(send_racing(tx[0], word(0, tx[2]), 1), 0);
    assert_int_equal(race_left, 0);
    assert_int_equal(*word(0, tx[2]) & EVTCHN_FIFO_LINK_MASK, rx[0]);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 0);
    /* Every swap fails: given up, the queue restarts at HEAD. */
    assert_int_equal(send_racing(tx[1], word(0, rx[0]), 100), 0);
    assert_int_equal(race_left, 100u - EVTCHN_FIFO_TRIES);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 1);
    assert_int_equal(*word(0, rx[0]) & EVTCHN_FIFO_LINK_MASK, 0);
    assert_int_equal(ctrl(0, 0)[2 + 7], rx[1]);
    assert_int_equal(evtchn_fifo_vcpus[0].tail[7], rx[1]);
}

/* Send on port with the guest atomics whose call numbers (from 0, for
 * this send) are set in fail giving up. */
static int64_t send_failing(uint32_t port, uint64_t fail)
{
    fake.gatomic_calls = 0;
    fake.gatomic_fail = fail;
    int64_t rc = one(0, EVTCHNOP_SEND, port);
    fake.gatomic_fail = 0;
    return rc;
}

/* Verifies: LLR-EVT-040, LLR-EVT-042, LLR-EVT-043, LLR-ARCH-090 (each
 * guest-word update that gives up: the event kept in the port and
 * delivered by the next send or unmask, READY's upcall raised anyway,
 * unmask and clear leaving the guest's word; every give-up counted) */
static void test_give_up(void **state)
{
    (void)state;
    uint32_t rx, tx, got[4];
    struct evtchn_port *e;
    tx = loopback(0, &rx);
    e = evtchn_port_of(&part_table[0], rx);
    assert_int_equal(consume(0, 0, got, 4), 1);
    assert_true(ppi_pending(0));
    /* PENDING's update gives up (call 0): kept, nothing written. */
    assert_int_equal(send_failing(tx, 1u << 0), 0);
    assert_int_equal(*word(0, rx), 0);
    assert_int_equal(e->pending, 1);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 1);
    assert_false(ppi_pending(0));
    /* An unmask of the unmasked word delivers the kept event. */
    assert_int_equal(one(0, EVTCHNOP_UNMASK, rx), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED);
    assert_int_equal(e->pending, 0);
    assert_true(ppi_pending(0));
    assert_int_equal(consume(0, 0, got, 4), 1);
    /* LINKED's update gives up (call 1): PENDING set, not linked, kept;
     * the next send links it. */
    assert_int_equal(send_failing(tx, 1u << 1), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING);
    assert_int_equal(e->pending, 1);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 2);
    assert_false(ppi_pending(0));
    assert_int_equal(send_failing(tx, 0), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED);
    assert_int_equal(e->pending, 0);
    assert_true(ppi_pending(0));
    assert_int_equal(consume(0, 0, got, 4), 1);
    /* READY's update gives up (call 2): linked at HEAD, upcall anyway. */
    assert_int_equal(send_failing(tx, 1u << 2), 0);
    assert_int_equal(ctrl(0, 0)[2 + 7], rx);
    assert_int_equal(ctrl(0, 0)[0], 0);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 3);
    assert_true(ppi_pending(0));
    assert_int_equal(consume(0, 0, got, 4), 0); /* READY clear: not seen */
    *word(0, rx) = 0;
    /* Unmask gives up: the word stays masked and pending, no upcall. */
    *word(0, rx) = EVTCHN_FIFO_MASKED;
    assert_int_equal(send_failing(tx, 0), 0);
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED);
    fake.gatomic_calls = 0;
    fake.gatomic_fail = 1u;
    assert_int_equal(one(0, EVTCHNOP_UNMASK, rx), 0);
    fake.gatomic_fail = 0;
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 4);
    assert_false(ppi_pending(0));
    /* Close gives up clearing PENDING: the guest's word keeps it. */
    fake.gatomic_fail_all = 1;
    assert_int_equal(one(0, EVTCHNOP_CLOSE, rx), 0);
    fake.gatomic_fail_all = 0;
    assert_int_equal(*word(0, rx), EVTCHN_FIFO_PENDING | EVTCHN_FIFO_MASKED);
    assert_true(evtchn_fifo_parts[0].give_ups >= 5u);
    /* The other partition's count never moved. */
    assert_int_equal(evtchn_fifo_parts[1].give_ups, 0);
}

/* Verifies: LLR-EVT-041, LLR-ARCH-091 (a failed single-attempt swap of the
 * tail word counts as a try: one failure then linked; EVTCHN_FIFO_TRIES
 * failures abandon the link and HEAD is written) */
static void test_link_store_fails(void **state)
{
    (void)state;
    uint32_t rx[3], tx[3];
    for (uint32_t i = 0; i < 3; i++) {
        tx[i] = loopback(0, &rx[i]);
    }
    /* Queue 7: tx0, tx1, tx2 (tail). Calls 0, 1: PENDING, LINKED; 2..: swaps. */
    assert_int_equal(send_failing(tx[0], 1u << 2), 0);
    assert_int_equal(*word(0, tx[2]) & EVTCHN_FIFO_LINK_MASK, rx[0]);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 0);
    assert_int_equal(send_failing(tx[1], ((1u << EVTCHN_FIFO_TRIES) - 1u) << 2), 0);
    assert_int_equal(*word(0, rx[0]) & EVTCHN_FIFO_LINK_MASK, 0);
    assert_int_equal(evtchn_fifo_parts[0].give_ups, 1);
    assert_int_equal(ctrl(0, 0)[2 + 7], rx[1]);
    assert_int_equal(evtchn_fifo_vcpus[0].tail[7], rx[1]);
}

/* Verifies: LLR-EVT-044 (guest indices masked after their checks: ports
 * at the limit and domain ids past the partitions still refused, the last
 * valid ones still served) */
static void test_index_masks(void **state)
{
    (void)state;
    const struct partition *p = &part_table[0];
    uint32_t ready = evtchn_parts[0].ports_ready;
    assert_null(evtchn_port_of(p, ready));
    assert_ptr_equal(evtchn_port_of(p, ready - 1u), &evtchn_parts[0].ports[ready - 1u]);
    uint32_t a[2] = {SELF | (1u << 16), 0}; /* remote domain 1: g0 itself, the first */
    assert_int_equal(eop(0, EVTCHNOP_ALLOC_UNBOUND, a, 8), 0);
    uint32_t b[2] = {SELF | (3u << 16), 0}; /* domain 3: none */
    assert_int_equal(eop(0, EVTCHNOP_ALLOC_UNBOUND, b, 8), -XEN_ESRCH);
}

/* Verifies: LLR-EVT-045 (a close masks its port once at its entry: the
 * internal lookup refuses a port at ports_ready and serves the one below
 * unmasked; a close of a port at or beyond ports_ready, or of the reserved
 * port 0 it is masked to, returns -EINVAL and changes nothing; a close of
 * a port in range still closes that port and clears its PENDING) */
static void test_close_masks_once(void **state)
{
    (void)state;
    const struct partition *p = &part_table[0];
    uint32_t ready = evtchn_parts[0].ports_ready;
    assert_null(evtchn_port_at(p, ready));
    assert_ptr_equal(evtchn_port_at(p, ready - 1u), &evtchn_parts[0].ports[ready - 1u]);
    uint32_t rx;
    uint32_t tx = loopback(0, &rx);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, ready), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, UINT32_MAX), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, 0), -XEN_EINVAL);
    assert_int_equal(evtchn_parts[0].ports[0].state, EVTCHN_RESERVED);
    assert_int_equal(evtchn_port_at(p, rx)->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(one(0, EVTCHNOP_SEND, tx), 0);
    assert_int_equal(*word(0, rx) & EVTCHN_FIFO_PENDING, EVTCHN_FIFO_PENDING);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, rx), 0);
    assert_int_equal(evtchn_port_at(p, rx)->state, EVTCHN_FREE);
    assert_int_equal(*word(0, rx) & EVTCHN_FIFO_PENDING, 0);
    assert_int_equal(evtchn_port_at(p, tx)->state, EVTCHN_UNBOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expand_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_order, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_tail_consumed, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_priority, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_mask_unmask, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_deferred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_race, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_give_up, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_link_store_fails, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_index_masks, setup_fifo, teardown),
        cmocka_unit_test_setup_teardown(test_close_masks_once, setup_fifo, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
