/* Unit tests of hyp/core/evtchn.c (ports, bindings, event_channel_op). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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

#define NPARTS 3u
#define RAM_SIZE 0x8000u
#define ARG 0x100u /* argument scratch in each partition's RAM */
#define SELF EVTCHN_DOMID_SELF
#define LIMIT BH_CFG_MIN_EVTCHN_PORTS /* the default port limit these partitions have */

static const uint64_t gpa_of[NPARTS] = {0x40000000ull, 0x80000000ull, 0xC0000000ull};
/* vCPU gid of the first vCPU of each partition: g0 has two. */
static const uint32_t gid_of[NPARTS] = {0, 2, 3};

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + NPARTS * 64u];
} blob;
static _Alignas(4096) uint8_t ram[NPARTS][RAM_SIZE];

/* Xen's argument layouts, written independently of evtchn.c. */
struct a_alloc {
    uint16_t dom, rdom;
    uint32_t port;
};
struct a_bind {
    uint16_t rdom, pad;
    uint32_t rport, lport;
};
struct a_virq {
    uint32_t virq, vcpu, port;
};
struct a_status {
    uint16_t dom, pad;
    uint32_t port, status, vcpu;
    uint16_t udom, pad2;
    uint32_t uport;
};
struct a_pair {
    uint32_t port, val;
};

static void fill_part(uint32_t i, const char *name, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa_of[i], ram[i], RAM_SIZE, nv);
    blob.cfg.parts[i].evtchn_ports = LIMIT;
}

static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), NPARTS);
    memset(ram, 0, sizeof(ram));
    fill_part(0, "g0", 2);
    fill_part(1, "g1", 1);
    fill_part(2, "g2", 1);
    evtchn_policy_clear();
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    fake_console_clear();
    return 0;
}

/* Every operation leaves every lock free. */
static int teardown(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        assert_int_equal(evtchn_parts[i].lock.word, 0);
    }
    return 0;
}

/* Issue event_channel_op through the hypercall dispatcher for partition pi's
 * first vCPU, with the argument copied through guest RAM. */
static int64_t eop(uint32_t pi, uint32_t cmd, void *arg, size_t size)
{
    uint8_t *g = &ram[pi][ARG];
    memcpy(g, arg, size);
    uint64_t args[5] = {cmd, gpa_of[pi] + ARG, 0, 0, 0};
    int64_t rc = hcall_dispatch(&vcpu_table[gid_of[pi]], XEN_HC_EVENT_CHANNEL_OP, args);
    memcpy(arg, g, size);
    return rc;
}

static int64_t alloc_unbound(uint32_t pi, uint16_t dom, uint16_t rdom, uint32_t *port)
{
    struct a_alloc a = {dom, rdom, 0xDEADu};
    int64_t rc = eop(pi, EVTCHNOP_ALLOC_UNBOUND, &a, sizeof(a));
    *port = a.port;
    return rc;
}

static int64_t bind(uint32_t pi, uint16_t rdom, uint32_t rport, uint32_t *lport)
{
    struct a_bind a = {rdom, 0, rport, 0xDEADu};
    int64_t rc = eop(pi, EVTCHNOP_BIND_INTERDOMAIN, &a, sizeof(a));
    *lport = a.lport;
    return rc;
}

static int64_t one(uint32_t pi, uint32_t cmd, uint32_t port)
{
    return eop(pi, cmd, &port, sizeof(port));
}

static int64_t status(uint32_t pi, uint16_t dom, uint32_t port, struct a_status *s)
{
    memset(s, 0, sizeof(*s));
    s->dom = dom;
    s->port = port;
    return eop(pi, EVTCHNOP_STATUS, s, sizeof(*s));
}

static int64_t bind_virq(uint32_t pi, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct a_virq a = {virq, vcpu, 0xDEADu};
    int64_t rc = eop(pi, EVTCHNOP_BIND_VIRQ, &a, sizeof(a));
    *port = a.port;
    return rc;
}

static int64_t bind_vcpu(uint32_t pi, uint32_t port, uint32_t vcpu)
{
    struct a_pair a = {port, vcpu};
    return eop(pi, EVTCHNOP_BIND_VCPU, &a, sizeof(a));
}

static void fill_ports(uint32_t pi)
{
    uint32_t port = 0;
    uint32_t n = 0;
    while (n < LIMIT && alloc_unbound(pi, SELF, SELF, &port) == 0) {
        n++;
    }
    assert_true(n < LIMIT);
    for (uint32_t i = 1; i < LIMIT; i++) {
        assert_int_not_equal(evtchn_port_of(&part_table[pi], i)->state, EVTCHN_FREE);
    }
    assert_int_equal(alloc_unbound(pi, SELF, SELF, &port), -XEN_ENOSPC);
    assert_int_equal(port, 0xDEADu); /* nothing written back on failure */
}

/* Verifies: LLR-EVT-001 (dispatch: unknown operations, low 32 bits, argument
 * outside the caller's RAM) */
static void test_dispatch(void **state)
{
    (void)state;
    static const uint32_t bad[] = {2, 7, 10, 14, 15, 0xFFFFFFFFu};
    uint64_t args[5] = {0, gpa_of[0] + ARG, 0, 0, 0};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        args[0] = bad[i];
        assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args),
                         -XEN_ENOSYS);
    }
    /* The operation is the low 32 bits: send on free port 5 is -EINVAL. */
    uint32_t port = 5;
    memcpy(&ram[0][ARG], &port, 4);
    args[0] = (1ull << 32) | EVTCHNOP_SEND;
    assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args), -XEN_EINVAL);
    /* Arguments must lie wholly in the caller's RAM. */
    args[0] = EVTCHNOP_STATUS;
    args[1] = gpa_of[0] + RAM_SIZE - 20u; /* status is 24 bytes */
    assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args), -XEN_EFAULT);
    args[1] = gpa_of[1] + ARG; /* another partition's RAM */
    assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args), -XEN_EFAULT);
    args[1] = gpa_of[0] + RAM_SIZE - 24u;
    uint16_t self = SELF;
    memcpy(&ram[0][RAM_SIZE - 24u], &self, 2); /* status of port 0 */
    assert_int_equal(hcall_dispatch(&vcpu_table[0], XEN_HC_EVENT_CHANNEL_OP, args), 0);
    assert_int_equal(evtchn_op(&vcpu_table[0], EVTCHNOP_SEND, 0), -XEN_EFAULT);
    assert_int_equal(evtchn_op(&vcpu_table[0], EVTCHNOP_SEND, gpa_of[0] + RAM_SIZE - 2u),
                     -XEN_EFAULT); /* send's port half outside RAM */
    assert_int_equal(evtchn_op(&vcpu_table[0], EVTCHNOP_CLOSE, 0), -XEN_EFAULT); /* no result */
}

/* Verifies: LLR-EVT-002, LLR-EVT-004 (fresh table: port 0 reserved, others
 * closed, lowest free port first) */
static void test_fresh_table(void **state)
{
    (void)state;
    struct a_status s;
    assert_int_equal(status(0, SELF, 0, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_CLOSED);
    assert_int_equal(status(0, SELF, LIMIT - 1u, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_CLOSED);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, 0), -XEN_EINVAL);
    uint32_t port;
    assert_int_equal(alloc_unbound(0, SELF, SELF, &port), 0);
    assert_int_equal(port, 1);
    assert_int_equal(alloc_unbound(0, SELF, SELF, &port), 0);
    assert_int_equal(port, 2);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, 1), 0);
    assert_int_equal(alloc_unbound(0, SELF, SELF, &port), 0);
    assert_int_equal(port, 1);
    assert_null(evtchn_port_of(&part_table[0], LIMIT));
    assert_non_null(evtchn_port_of(&part_table[0], LIMIT - 1u));
}

/* Verifies: LLR-EVT-003 (connection policy) */
static void test_policy(void **state)
{
    (void)state;
    assert_true(evtchn_may_connect(0, 0));
    assert_true(evtchn_may_connect(BH_MAX_PARTS - 1u, BH_MAX_PARTS - 1u));
    assert_false(evtchn_may_connect(0, 1));
    assert_false(evtchn_may_connect(BH_MAX_PARTS, BH_MAX_PARTS));
    assert_false(evtchn_may_connect(0, BH_MAX_PARTS));
    evtchn_policy_connect(BH_MAX_PARTS, 0);
    evtchn_policy_connect(0, BH_MAX_PARTS);
    assert_false(evtchn_may_connect(BH_MAX_PARTS, 0));
    evtchn_policy_connect(1, 0);
    assert_true(evtchn_may_connect(0, 1));
    assert_true(evtchn_may_connect(1, 0));
    assert_false(evtchn_may_connect(0, 2));
    assert_false(evtchn_may_connect(2, 1));
    evtchn_policy_clear();
    assert_false(evtchn_may_connect(1, 0));
}

/* Verifies: LLR-EVT-005 (alloc_unbound: domain checks, permission, space) */
static void test_alloc_unbound(void **state)
{
    (void)state;
    uint32_t port;
    static const uint16_t unknown[] = {0, 4, 0x7FEF, 0x7FF1, 0xFFFF};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        assert_int_equal(alloc_unbound(0, unknown[i], SELF, &port), -XEN_ESRCH);
        assert_int_equal(alloc_unbound(0, SELF, unknown[i], &port), -XEN_ESRCH);
        assert_int_equal(port, 0xDEADu);
    }
    assert_int_equal(alloc_unbound(0, 2, SELF, &port), -XEN_EPERM); /* other dom */
    assert_int_equal(alloc_unbound(0, SELF, 2, &port), -XEN_EPERM); /* not connected */
    assert_int_equal(alloc_unbound(0, 1, 1, &port), 0);             /* own id */
    assert_int_equal(port, 1);
    evtchn_policy_connect(0, 1);
    assert_int_equal(alloc_unbound(0, SELF, 2, &port), 0);
    assert_int_equal(port, 2);
    struct a_status s;
    assert_int_equal(status(0, SELF, 2, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_UNBOUND);
    assert_int_equal(s.udom, 2);
    assert_int_equal(s.vcpu, 0);
    assert_int_equal(alloc_unbound(1, SELF, 1, &port), 0);
    assert_int_equal(alloc_unbound(2, SELF, 1, &port), -XEN_EPERM);
    fill_ports(2);
}

/* Verifies: LLR-EVT-006 (bind_interdomain checks and connection) */
static void test_bind_interdomain(void **state)
{
    (void)state;
    uint32_t u, l;
    assert_int_equal(bind(0, 9, 1, &l), -XEN_ESRCH);
    assert_int_equal(bind(0, 2, 1, &l), -XEN_EPERM);
    evtchn_policy_connect(0, 1);
    assert_int_equal(alloc_unbound(1, SELF, 1, &u), 0); /* g1 accepts g0 */
    assert_int_equal(bind(0, 2, LIMIT, &l), -XEN_EINVAL);
    assert_int_equal(bind(0, 2, u + 1u, &l), -XEN_EINVAL); /* free */
    assert_int_equal(bind(0, 2, 0, &l), -XEN_EINVAL);      /* reserved */
    uint32_t other;
    assert_int_equal(alloc_unbound(1, SELF, SELF, &other), 0); /* accepts g1 only */
    assert_int_equal(bind(0, 2, other, &l), -XEN_EINVAL);
    assert_int_equal(l, 0xDEADu);
    assert_int_equal(bind(0, 2, u, &l), 0);
    assert_int_equal(l, 1);
    assert_int_equal(bind(0, 2, u, &l), -XEN_EINVAL); /* already connected */
    struct a_status s;
    assert_int_equal(status(0, SELF, 1, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_INTERDOMAIN);
    assert_int_equal(s.udom, 2);
    assert_int_equal(s.uport, u);
    assert_int_equal(status(1, SELF, u, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_INTERDOMAIN);
    assert_int_equal(s.udom, 1);
    assert_int_equal(s.uport, 1);
    /* The new local port is raised at once (no event array yet: kept). */
    assert_int_equal(evtchn_port_of(&part_table[0], 1)->pending, 1);
    /* Higher id binding a lower one's port; and loopback. */
    assert_int_equal(alloc_unbound(0, SELF, 2, &u), 0);
    assert_int_equal(bind(1, 1, u, &l), 0);
    assert_int_equal(alloc_unbound(2, SELF, SELF, &u), 0);
    assert_int_equal(bind(2, SELF, u, &l), 0);
    assert_int_equal(l, u + 1u);
    /* No local port left. */
    assert_int_equal(alloc_unbound(2, SELF, SELF, &u), 0);
    fill_ports(2);
    assert_int_equal(bind(2, 3, u, &l), -XEN_ENOSPC);
}

/* Verifies: LLR-EVT-007 (close) */
static void test_close(void **state)
{
    (void)state;
    uint32_t u, l, v;
    assert_int_equal(one(0, EVTCHNOP_CLOSE, LIMIT), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, 0xFFFFFFFFu), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, 3), -XEN_EINVAL); /* free */
    evtchn_policy_connect(0, 2);
    assert_int_equal(alloc_unbound(2, SELF, 1, &u), 0);
    assert_int_equal(bind(0, 3, u, &l), 0);
    assert_int_equal(one(2, EVTCHNOP_CLOSE, u), 0); /* higher id closes */
    struct a_status s;
    assert_int_equal(status(2, SELF, u, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_CLOSED);
    assert_int_equal(status(0, SELF, l, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_UNBOUND);
    assert_int_equal(s.udom, 3);
    /* The surviving end accepts a new connection from the same peer. */
    assert_int_equal(bind(2, 1, l, &u), 0);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, l), 0); /* lower id closes */
    assert_int_equal(status(2, SELF, u, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_UNBOUND);
    assert_int_equal(s.udom, 1);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, l), -XEN_EINVAL);
    /* VIRQ: the binding is released, and the closed port reports vCPU 0. */
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 1, &v), 0);
    assert_int_equal(status(0, SELF, v, &s), 0);
    assert_int_equal(s.vcpu, 1);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, v), 0);
    assert_int_equal(status(0, SELF, v, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_CLOSED);
    assert_int_equal(s.vcpu, 0);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 1, &v), 0);
    assert_int_equal(bind_virq(0, 5, 0, &v), 0);
    assert_int_equal(one(0, EVTCHNOP_CLOSE, v), 0);
    assert_int_equal(bind_virq(0, 5, 0, &v), 0);
}

/* Verifies: LLR-EVT-008 (send) */
static void test_send(void **state)
{
    (void)state;
    uint32_t u, l, v;
    assert_int_equal(one(0, EVTCHNOP_SEND, LIMIT), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_SEND, 0), -XEN_EINVAL);
    assert_int_equal(one(0, EVTCHNOP_SEND, 1), -XEN_EINVAL);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &v), 0);
    assert_int_equal(one(0, EVTCHNOP_SEND, v), -XEN_EINVAL);
    evtchn_policy_connect(0, 1);
    assert_int_equal(alloc_unbound(1, SELF, 1, &u), 0);
    assert_int_equal(one(1, EVTCHNOP_SEND, u), 0); /* unbound: dropped */
    assert_int_equal(evtchn_port_of(&part_table[1], u)->pending, 0);
    assert_int_equal(bind(0, 2, u, &l), 0);
    evtchn_port_of(&part_table[0], l)->pending = 0;
    assert_int_equal(one(0, EVTCHNOP_SEND, l), 0);
    assert_int_equal(evtchn_port_of(&part_table[1], u)->pending, 1);
    assert_int_equal(evtchn_port_of(&part_table[0], l)->pending, 0);
    assert_int_equal(one(1, EVTCHNOP_SEND, u), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], l)->pending, 1);
    /* A channel closed between reading the local end and locking the peer
     * (simulated by changing the peer's end): the event is dropped. */
    struct evtchn_port *re = evtchn_port_of(&part_table[1], u);
    struct evtchn_port saved = *re;
    static const uint8_t states[] = {EVTCHN_UNBOUND, EVTCHN_INTERDOMAIN, EVTCHN_INTERDOMAIN};
    for (size_t i = 0; i < 3; i++) {
        *re = saved;
        re->pending = 0;
        re->state = states[i];
        re->peer_part = (i == 1u) ? 2u : saved.peer_part;
        re->peer_port = (i == 2u) ? l + 1u : saved.peer_port;
        assert_int_equal(one(0, EVTCHNOP_SEND, l), 0);
        assert_int_equal(re->pending, 0);
    }
    *re = saved;
}

/* Verifies: LLR-EVT-009 (status) */
static void test_status(void **state)
{
    (void)state;
    struct a_status s;
    assert_int_equal(status(0, 9, 1, &s), -XEN_ESRCH);
    assert_int_equal(status(0, 2, 1, &s), -XEN_EPERM);
    assert_int_equal(status(0, SELF, LIMIT, &s), -XEN_EINVAL);
    assert_int_equal(s.status, 0);
    uint32_t v;
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_DEBUG, 1, &v), 0);
    assert_int_equal(status(0, 1, v, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_VIRQ);
    assert_int_equal(s.vcpu, 1);
    assert_int_equal(s.udom, EVTCHN_VIRQ_DEBUG);
}

/* Verifies: LLR-EVT-010 (bind_virq) */
static void test_bind_virq(void **state)
{
    (void)state;
    uint32_t v, w;
    assert_int_equal(bind_virq(0, EVTCHN_NR_VIRQS, 0, &v), -XEN_EINVAL);
    assert_int_equal(bind_virq(0, 0xFFFFFFFFu, 0, &v), -XEN_EINVAL);
    assert_int_equal(bind_virq(0, 2, 1, &v), -XEN_EINVAL); /* global, not vCPU 0 */
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 2, &v), -XEN_ENOENT);
    assert_int_equal(bind_virq(1, EVTCHN_VIRQ_TIMER, 1, &v), -XEN_ENOENT);
    assert_int_equal(v, 0xDEADu);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &v), 0);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &w), -XEN_EEXIST);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 1, &w), 0);
    assert_int_not_equal(v, w);
    assert_int_equal(bind_virq(0, 2, 0, &w), 0);
    assert_int_equal(bind_virq(0, 2, 0, &w), -XEN_EEXIST);
    fill_ports(2);
    assert_int_equal(bind_virq(2, EVTCHN_VIRQ_TIMER, 0, &v), -XEN_ENOSPC);
}

/* Verifies: LLR-EVT-010 (bind_vcpu) */
static void test_bind_vcpu(void **state)
{
    (void)state;
    uint32_t u, l, t, g;
    struct a_status s;
    assert_int_equal(alloc_unbound(0, SELF, SELF, &u), 0);
    assert_int_equal(bind_vcpu(0, u, 2), -XEN_ENOENT);
    assert_int_equal(bind_vcpu(0, LIMIT, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(0, 0, 1), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(0, u + 1u, 1), -XEN_EINVAL); /* free */
    assert_int_equal(bind_vcpu(0, u, 1), 0);
    assert_int_equal(status(0, SELF, u, &s), 0);
    assert_int_equal(s.vcpu, 1);
    assert_int_equal(bind(0, SELF, u, &l), 0);
    assert_int_equal(bind_vcpu(0, l, 1), 0);
    assert_int_equal(status(0, SELF, l, &s), 0);
    assert_int_equal(s.vcpu, 1);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &t), 0);
    assert_int_equal(bind_vcpu(0, t, 1), -XEN_EINVAL); /* per-vCPU VIRQ */
    assert_int_equal(bind_virq(0, 3, 0, &g), 0);
    assert_int_equal(bind_vcpu(0, g, 1), 0); /* global VIRQ moves */
    assert_int_equal(status(0, SELF, g, &s), 0);
    assert_int_equal(s.vcpu, 1);
    /* A moved global VIRQ still closes cleanly and can be bound again. */
    assert_int_equal(one(0, EVTCHNOP_CLOSE, g), 0);
    assert_int_equal(bind_virq(0, 3, 0, &g), 0);
}

/* Verifies: LLR-EVT-011 (VIRQ raising) */
static void test_send_virq(void **state)
{
    (void)state;
    uint32_t t, g;
    evtchn_send_virq(&vcpu_table[1], EVTCHN_VIRQ_TIMER); /* unbound: nothing */
    evtchn_send_virq(&vcpu_table[1], EVTCHN_NR_VIRQS);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 1, &t), 0);
    assert_int_equal(bind_virq(0, 4, 0, &g), 0);
    evtchn_send_virq(&vcpu_table[0], EVTCHN_VIRQ_TIMER); /* vCPU 0: unbound */
    assert_int_equal(evtchn_port_of(&part_table[0], t)->pending, 0);
    evtchn_send_virq(&vcpu_table[1], EVTCHN_VIRQ_TIMER);
    assert_int_equal(evtchn_port_of(&part_table[0], t)->pending, 1);
    evtchn_send_virq(&vcpu_table[1], 4); /* global: vCPU 0's binding */
    assert_int_equal(evtchn_port_of(&part_table[0], g)->pending, 1);
}

/* Verifies: LLR-SCHED-003, LLR-EVT-011 (the scheduler waking a vCPU on its
 * expired virtual timer raises the vCPU's VIRQ_TIMER port, as the physical
 * timer interrupt does) */
static void test_timer_wake_raises_virq(void **state)
{
    (void)state;
    uint32_t t;
    uint64_t next = 0;
    struct vcpu *v = &vcpu_table[1]; /* g0 vCPU 1, alone on cpu1 */
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 1, &t), 0);
    v->state = VCPU_BLOCKED;
    v->vtimer.ctl = 1;
    v->vtimer.cval = 0;
    assert_ptr_equal(sched_pick(1, 0, &next), v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
    assert_int_equal(evtchn_port_of(&part_table[0], t)->pending, 1);
}

/* Verifies: LLR-EVT-002 (restart closes the partition's channels) */
static void test_restart(void **state)
{
    (void)state;
    uint32_t u, l, v;
    evtchn_policy_connect(0, 1);
    assert_int_equal(alloc_unbound(1, SELF, 1, &u), 0);
    assert_int_equal(bind(0, 2, u, &l), 0);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &v), 0);
    evtchn_port_of(&part_table[0], 7)->pending = 1;
    part_restart(&part_table[0], true, false);
    fx_restart_finish(&part_table[0]);
    struct a_status s;
    assert_int_equal(status(1, SELF, u, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_UNBOUND);
    assert_int_equal(s.udom, 1);
    for (uint32_t port = 1; port < LIMIT; port++) {
        assert_int_equal(evtchn_port_of(&part_table[0], port)->state, EVTCHN_FREE);
        assert_int_equal(evtchn_port_of(&part_table[0], port)->pending, 0);
    }
    assert_int_equal(evtchn_port_of(&part_table[0], 0)->state, EVTCHN_RESERVED);
    assert_int_equal(bind_virq(0, EVTCHN_VIRQ_TIMER, 0, &v), 0);
    assert_int_equal(bind(0, 2, u, &l), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dispatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_unbound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_interdomain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_virq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_virq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timer_wake_raises_virq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
