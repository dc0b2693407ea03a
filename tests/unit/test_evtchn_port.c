/* Unit tests of hyp/core/evtchn_port.c (port limits, the pool sliced at
 * boot, chunks initialised on demand, the lowest-free hint) and of what they
 * change in evtchn.c and evtchn_fifo.c: reset back to one chunk, the event
 * dropped when the receiver is reset during a send, the event array up to
 * the limit. */
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
#define RAM_SIZE 0x10000u /* page 0: arguments; 1: control block; 2..: event array */
#define ARG 0x100u
#define SELF EVTCHN_DOMID_SELF
#define CHUNK EVTCHN_CHUNK_PORTS
#define BIG EVTCHN_FIFO_NR_CHANNELS /* 2^17 */
#define MID 4096u

static const uint64_t gpa_of[NPARTS] = {0x40000000ull, 0x80000000ull, 0xC0000000ull};

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + NPARTS * 64u];
} blob;
static _Alignas(4096) uint8_t ram[NPARTS][RAM_SIZE];

struct a_alloc {
    uint16_t dom, rdom;
    uint32_t port;
};
struct a_bind {
    uint16_t rdom, pad;
    uint32_t rport, lport;
};
struct a_status {
    uint16_t dom, pad;
    uint32_t port, status, vcpu;
    uint16_t udom, pad2;
    uint32_t uport;
};
struct a_init {
    uint64_t gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits, pad[7];
};

static void fill_part(uint32_t i, const char *name, uint32_t limit)
{
    fx_part(&blob.cfg, i, name, gpa_of[i], ram[i], RAM_SIZE, 1);
    blob.cfg.parts[i].dtb_gpa = gpa_of[i] + 0x80u; /* inside this test's small RAM */
    blob.cfg.parts[i].evtchn_ports = limit;
}

/* p0 may grow to 2^17 ports, p1 to 4,096, p2 keeps 1,024: 136,192 of the
 * pool's 138,240. Every pair of partitions is connected. */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), NPARTS);
    memset(ram, 0, sizeof(ram));
    fill_part(0, "big", BIG);
    fill_part(1, "mid", MID);
    fill_part(2, "small", CHUNK);
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    evtchn_policy_connect(0, 1);
    evtchn_policy_connect(1, 2);
    fake_console_clear();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        assert_int_equal(evtchn_parts[i].lock.word, 0);
    }
    evtchn_policy_clear();
    return 0;
}

static int64_t eop(uint32_t pi, uint32_t cmd, void *arg, size_t size)
{
    uint8_t *g = &ram[pi][ARG];
    memcpy(g, arg, size);
    uint64_t args[5] = {cmd, gpa_of[pi] + ARG, 0, 0, 0};
    int64_t rc = hcall_dispatch(&vcpu_table[pi], XEN_HC_EVENT_CHANNEL_OP, args);
    memcpy(arg, g, size);
    return rc;
}

static int64_t alloc_unbound(uint32_t pi, uint16_t rdom, uint32_t *port)
{
    struct a_alloc a = {SELF, rdom, 0xDEADu};
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

static uint32_t status_of(uint32_t pi, uint32_t port)
{
    struct a_status s = {SELF, 0, port, 0xFFu, 0, 0, 0, 0};
    return eop(pi, EVTCHNOP_STATUS, &s, sizeof(s)) == 0 ? s.status : 0xFFFFu;
}

/* Allocate unbound ports of pi until refused; the count, and the highest. */
static uint32_t fill(uint32_t pi, uint32_t *highest)
{
    uint32_t port = 0;
    uint32_t n = 0;
    *highest = 0;
    while (n < BIG && alloc_unbound(pi, SELF, &port) == 0) {
        *highest = port;
        n++;
    }
    return n;
}

/* Verifies: LLR-EVT-032 (each partition's slice follows the ones before it;
 * a limit that is not a power of two from 1,024 to 2^17, or that leaves no
 * chunk for a later partition, becomes one chunk), LLR-EVT-033 (one chunk
 * exists after the build) */
static void test_slice(void **state)
{
    (void)state;
    assert_int_equal(evtchn_parts[0].ports_max, BIG);
    assert_int_equal(evtchn_parts[1].ports_max, MID);
    assert_int_equal(evtchn_parts[2].ports_max, CHUNK);
    assert_ptr_equal(evtchn_parts[1].ports, evtchn_parts[0].ports + BIG);
    assert_ptr_equal(evtchn_parts[2].ports, evtchn_parts[1].ports + MID);
    for (uint32_t i = 0; i < NPARTS; i++) {
        assert_int_equal(evtchn_parts[i].ports_ready, CHUNK);
        assert_null(evtchn_port_of(&part_table[i], CHUNK));
        assert_non_null(evtchn_port_of(&part_table[i], CHUNK - 1u));
    }
    /* Nine partitions declared: eight sliced. Too small, too large, not a
     * power of two, fits, no longer fits (room for the later ones), zero,
     * no longer fits, the last chunk: exactly the pool. */
    static struct bh_cfg odd;
    static const uint32_t want[BH_MAX_PARTS] = {512, 2 * BIG, 3072, BIG, BIG, 0, 2048, CHUNK};
    static const uint32_t got[BH_MAX_PARTS] = {CHUNK, CHUNK, CHUNK, BIG,
                                               CHUNK, CHUNK, CHUNK, CHUNK};
    odd.num_parts = BH_MAX_PARTS + 1u;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        odd.parts[i].evtchn_ports = want[i];
    }
    evtchn_slice(&odd);
    uint32_t base = 0;
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        assert_int_equal(evtchn_parts[i].ports_max, got[i]);
        assert_ptr_equal(evtchn_parts[i].ports, evtchn_parts[0].ports + base);
        assert_int_equal(evtchn_parts[i].ports_ready, 0);
        base += got[i];
    }
    assert_int_equal(base, EVTCHN_POOL_PORTS);
    odd.num_parts = 2;
    evtchn_slice(&odd);
    assert_int_equal(evtchn_parts[1].ports_max, CHUNK);
    part_build_all(&blob.cfg); /* back to the setup's tables */
}

/* Verifies: LLR-EVT-033 (a full table grows by one chunk, initialised
 * whatever the pool held, up to the limit; then -ENOSPC), LLR-EVT-004 */
static void test_grow(void **state)
{
    (void)state;
    struct evtchn_part *ep = &evtchn_parts[1];
    /* The pool is not zeroed at boot: make the next chunk garbage. */
    memset(&ep->ports[CHUNK], 0xAB, CHUNK * sizeof(struct evtchn_port));
    uint32_t port = 0;
    for (uint32_t k = 1; k < CHUNK; k++) {
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
        assert_int_equal(port, k);
    }
    assert_int_equal(ep->ports_ready, CHUNK);
    assert_int_equal(status_of(1, CHUNK), 0xFFFFu); /* does not exist yet: -EINVAL */
    assert_int_equal(one(1, EVTCHNOP_CLOSE, CHUNK), -XEN_EINVAL);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, CHUNK);
    assert_int_equal(ep->ports_ready, 2u * CHUNK);
    const struct evtchn_port *e = evtchn_port_of(&part_table[1], CHUNK + 1u);
    assert_int_equal(e->state, EVTCHN_FREE);
    assert_int_equal(e->priority, EVTCHN_FIFO_PRIORITY_DEFAULT);
    assert_int_equal(e->last_prio, EVTCHN_FIFO_PRIORITY_DEFAULT);
    assert_int_equal(e->pending, 0);
    assert_int_equal(status_of(1, CHUNK + 1u), EVTCHNSTAT_CLOSED);
    uint32_t highest = 0;
    assert_int_equal(fill(1, &highest), MID - 1u - CHUNK);
    assert_int_equal(highest, MID - 1u);
    assert_int_equal(ep->ports_ready, MID);
    assert_int_equal(alloc_unbound(1, SELF, &port), -XEN_ENOSPC);
    assert_int_equal(port, 0xDEADu);
    assert_null(evtchn_port_of(&part_table[1], MID));
}

/* Verifies: LLR-EVT-033 (allocation takes the lowest free port through the
 * free bitmap, whatever order ports were closed in), LLR-EVT-004 (lowest
 * free port) */
static void test_hint(void **state)
{
    (void)state;
    uint32_t highest = 0;
    uint32_t port = 0;
    assert_int_equal(fill(1, &highest), MID - 1u);
    assert_int_equal(one(1, EVTCHNOP_CLOSE, 3000), 0);
    assert_int_equal(one(1, EVTCHNOP_CLOSE, 10), 0);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, 10);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, 3000);
    assert_int_equal(alloc_unbound(1, SELF, &port), -XEN_ENOSPC);
    assert_int_equal(one(1, EVTCHNOP_CLOSE, 20), 0);
    assert_int_equal(one(1, EVTCHNOP_CLOSE, 2000), 0);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, 20);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, 2000);
    /* The pattern that made the old hint walk every port in use: a hole at
     * each end, taken low first; and the same bits in every 64-port word. */
    for (uint32_t round = 0; round < 3u; round++) {
        assert_int_equal(one(1, EVTCHNOP_CLOSE, 1), 0);
        assert_int_equal(one(1, EVTCHNOP_CLOSE, MID - 1u), 0);
        assert_int_equal(one(1, EVTCHNOP_CLOSE, 64u * 40u + 63u), 0);
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
        assert_int_equal(port, 1);
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
        assert_int_equal(port, 64u * 40u + 63u);
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
        assert_int_equal(port, MID - 1u);
        assert_int_equal(alloc_unbound(1, SELF, &port), -XEN_ENOSPC);
    }
}

/* Verifies: LLR-EVT-033, LLR-EVT-004 (the ABI's 2^17 ports: every port up
 * to 131,071 can be allocated, then -ENOSPC) */
static void test_full_abi(void **state)
{
    (void)state;
    uint32_t highest = 0;
    uint32_t port = 0;
    assert_int_equal(fill(0, &highest), BIG - 1u);
    assert_int_equal(highest, BIG - 1u);
    assert_int_equal(evtchn_parts[0].ports_ready, BIG);
    assert_int_equal(alloc_unbound(0, SELF, &port), -XEN_ENOSPC);
    /* p1 right after p0 in the pool is untouched. */
    assert_int_equal(evtchn_port_of(&part_table[1], 0)->state, EVTCHN_RESERVED);
    assert_int_equal(evtchn_port_of(&part_table[1], 1)->state, EVTCHN_FREE);
}

/* p1: ports 1 .. 2500 unbound, 2501 bound to p2's unbound port (returned). */
static uint32_t connect_high(uint32_t *u)
{
    uint32_t port = 0;
    for (uint32_t k = 1; k <= 2500u; k++) {
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    }
    assert_int_equal(alloc_unbound(2, 2, u), 0); /* accepts p1 (domain 2) */
    assert_int_equal(bind(1, 3, *u, &port), 0);
    assert_int_equal(port, 2501);
    return port;
}

/* Verifies: LLR-EVT-002, LLR-EVT-033 (a reset closes the ports of every
 * chunk, the peers see them closed, and the table is one chunk again) */
static void test_reset_shrinks(void **state)
{
    (void)state;
    uint32_t u = 0;
    uint32_t port = connect_high(&u);
    assert_int_equal(evtchn_parts[1].ports_ready, 3u * CHUNK);
    part_restart(&part_table[1], true, false);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(evtchn_parts[1].ports_ready, CHUNK);
    assert_null(evtchn_port_of(&part_table[1], port));
    assert_int_equal(status_of(1, port), 0xFFFFu);
    assert_int_equal(status_of(2, u), EVTCHNSTAT_UNBOUND);
    assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    assert_int_equal(port, 1);
}

static uint32_t hook_runs;

static void reset_p1(bh_lock_t *l)
{
    (void)l;
    hook_runs++;
    evtchn_reset(&part_table[1]);
}

/* Verifies: LLR-EVT-034 (a receiver reset between the sender's two locks:
 * the port no longer exists and the event is dropped), LLR-EVT-008 */
static void test_deliver_race(void **state)
{
    (void)state;
    uint32_t u = 0;
    uint32_t port = connect_high(&u);
    hook_runs = 0;
    fake_lock_target = &evtchn_parts[1].lock;
    fake_lock_hook = reset_p1;
    assert_int_equal(one(2, EVTCHNOP_SEND, u), 0); /* p2's lock, then p1's */
    assert_int_equal(hook_runs, 1);
    assert_null(evtchn_port_of(&part_table[1], port));
    for (uint32_t k = 1; k < CHUNK; k++) {
        assert_int_equal(evtchn_port_of(&part_table[1], k)->pending, 0);
    }
    assert_int_equal(status_of(2, u), EVTCHNSTAT_UNBOUND);
}

static int64_t expand(uint32_t pi, uint32_t page)
{
    uint64_t gfn = (gpa_of[pi] >> 12) + page;
    return eop(pi, EVTCHNOP_EXPAND_ARRAY, &gfn, sizeof(gfn));
}

static uint32_t word_of(uint32_t pi, uint32_t port)
{
    uint32_t w;
    memcpy(&w, &ram[pi][2u * 4096u + port * 4u], 4);
    return w;
}

/* Verifies: LLR-EVT-013 (the event array grows to the partition's limit,
 * then -ENOSPC; an event kept for want of a word of the new page is
 * delivered), LLR-EVT-012 (init_control delivers kept events of every
 * existing port), LLR-EVT-033 */
static void test_array_pages(void **state)
{
    (void)state;
    uint32_t u = 0;
    uint32_t l = 0;
    uint32_t port = 0;
    /* A kept event in the first chunk: init_control finds it but it has no
     * word until the first page is added. */
    assert_int_equal(alloc_unbound(1, SELF, &u), 0);
    assert_int_equal(bind(1, SELF, u, &l), 0); /* raises l: no control block yet */
    assert_int_equal(evtchn_port_of(&part_table[1], l)->pending, 1);
    struct a_init in = {(gpa_of[1] >> 12) + 1u, 0, 0, 0, {0}};
    assert_int_equal(eop(1, EVTCHNOP_INIT_CONTROL, &in, sizeof(in)), 0);
    assert_int_equal(expand(1, 2), 0);
    assert_int_equal(evtchn_port_of(&part_table[1], l)->pending, 0);
    assert_true((word_of(1, l) & EVTCHN_FIFO_PENDING) != 0u);
    /* Ports 1023 and 1024: the second pair's ends in the second chunk. */
    while (port < CHUNK - 1u) {
        assert_int_equal(alloc_unbound(1, SELF, &port), 0);
    }
    assert_int_equal(alloc_unbound(1, SELF, &u), 0);
    assert_int_equal(u, CHUNK);
    assert_int_equal(bind(1, SELF, u, &l), 0);
    assert_int_equal(l, CHUNK + 1u);
    assert_int_equal(one(1, EVTCHNOP_SEND, l), 0); /* raises u: no word yet */
    assert_int_equal(evtchn_port_of(&part_table[1], u)->pending, 1);
    assert_int_equal(expand(1, 3), 0);
    assert_int_equal(evtchn_port_of(&part_table[1], u)->pending, 0);
    assert_true((word_of(1, u) & EVTCHN_FIFO_PENDING) != 0u);
    /* Pages for ports that do not exist yet, then the limit. */
    assert_int_equal(expand(1, 4), 0);
    assert_int_equal(expand(1, 5), 0);
    assert_int_equal(evtchn_fifo_parts[1].num_pages, MID / CHUNK);
    assert_int_equal(expand(1, 6), -XEN_ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_slice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_abi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_shrinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_array_pages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
