/* Unit tests of the bounded event-channel work in hyp/core/evtchn.c and
 * evtchn_fifo.c: a reset closes its ports in steps of EVTCHN_RESET_BATCH,
 * nothing connects to a partition while it closes, the reload steps it
 * against the window's deadline, and init_control's scan for kept events
 * is continued (HCALL_CONTINUE) after EVTCHN_FIFO_SCAN_BATCH ports. */
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

#define NPARTS 2u
#define RAM_SIZE 0x10000u /* page 0: arguments; 1: control blocks; 2..: event array */
#define ARG 0x100u
#define SELF EVTCHN_DOMID_SELF
#define CHUNK EVTCHN_CHUNK_PORTS
#define MID 4096u
#define NPAIRS 150u /* channels p0 <-> p1: 150 ports of p1, closed in 3 steps */

static const uint64_t gpa_of[NPARTS] = {0x40000000ull, 0x80000000ull};
static const uint32_t gid_of[NPARTS] = {0, 2}; /* p0 has two vCPUs */

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
struct a_init {
    uint64_t gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits, pad[7];
};

/* Both partitions may grow to 4,096 ports; they may connect; a static
 * channel p0:1000 <-> p1:1001. */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), NPARTS);
    memset(ram, 0, sizeof(ram));
    for (uint32_t i = 0; i < NPARTS; i++) {
        fx_part(&blob.cfg, i, i == 0u ? "p0" : "p1", gpa_of[i], ram[i], RAM_SIZE, 2u - i);
        blob.cfg.parts[i].dtb_gpa = gpa_of[i] + 0x80u;
        blob.cfg.parts[i].evtchn_ports = MID;
    }
    blob.cfg.num_channels = 1;
    blob.cfg.channels[0] = (struct bh_cfg_channel){{0, 1}, 7, 0, {1000, 1001}};
    evtchn_policy_clear();
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    evtchn_policy_connect(0, 1);
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
    fake.now_step = 0;
    return 0;
}

/* An event_channel_op of vCPU gid of partition pi. */
static int64_t eop_as(uint32_t pi, uint32_t gid, uint32_t cmd, void *arg, size_t size)
{
    uint8_t *g = &ram[pi][ARG];
    memcpy(g, arg, size);
    uint64_t args[5] = {cmd, gpa_of[pi] + ARG, 0, 0, 0};
    int64_t rc = hcall_dispatch(&vcpu_table[gid], XEN_HC_EVENT_CHANNEL_OP, args);
    memcpy(arg, g, size);
    return rc;
}

static int64_t eop(uint32_t pi, uint32_t cmd, void *arg, size_t size)
{
    return eop_as(pi, gid_of[pi], cmd, arg, size);
}

static uint32_t alloc_unbound(uint32_t pi, uint16_t rdom)
{
    struct a_alloc a = {SELF, rdom, 0};
    assert_int_equal(eop(pi, EVTCHNOP_ALLOC_UNBOUND, &a, sizeof(a)), 0);
    return a.port;
}

static int64_t bind(uint32_t pi, uint16_t rdom, uint32_t rport, uint32_t *lport)
{
    struct a_bind a = {rdom, 0, rport, 0};
    int64_t rc = eop(pi, EVTCHNOP_BIND_INTERDOMAIN, &a, sizeof(a));
    *lport = a.lport;
    return rc;
}

static int64_t init_control(uint32_t pi, uint32_t vcpu)
{
    struct a_init a = {(gpa_of[pi] >> 12) + 1u, vcpu * 0x100u, vcpu, 0xEE, {0}};
    int64_t rc = eop(pi, EVTCHNOP_INIT_CONTROL, &a, sizeof(a));
    assert_int_equal(a.link_bits, rc == 0 ? 17 : 0xEE);
    return rc;
}

static int64_t expand_as(uint32_t pi, uint32_t gid, uint32_t page)
{
    uint64_t gfn = (gpa_of[pi] >> 12) + page;
    return eop_as(pi, gid, EVTCHNOP_EXPAND_ARRAY, &gfn, sizeof(gfn));
}

static int64_t expand(uint32_t pi, uint32_t page)
{
    return expand_as(pi, gid_of[pi], page);
}

static uint8_t state_of(uint32_t pi, uint32_t port)
{
    return evtchn_port_of(&part_table[pi], port)->state;
}

/* NPAIRS channels: p0's ports a[k] (unbound for p1, domain 2) bound by p1's
 * ports 1 .. NPAIRS. */
static void connect_pairs(uint32_t a[NPAIRS])
{
    for (uint32_t k = 0; k < NPAIRS; k++) {
        uint32_t l = 0;
        a[k] = alloc_unbound(0, 2);
        assert_int_equal(bind(1, 1, a[k], &l), 0);
        assert_int_equal(l, k + 1u);
    }
}

/* Verifies: LLR-EVT-036 (a reset closes at most EVTCHN_RESET_BATCH ports a
 * step, the peers see those closed; no peer connects meanwhile; the last
 * step leaves one chunk; a step with no reset under way does nothing),
 * LLR-EVT-002 */
static void test_reset_steps(void **state)
{
    (void)state;
    uint32_t a[NPAIRS];
    connect_pairs(a);
    uint32_t wait = alloc_unbound(1, 1); /* p1's port waiting for p0 */
    struct partition *p1 = &part_table[1];
    assert_true(evtchn_reset_step(p1)); /* none under way */
    evtchn_reset_begin(p1);
    assert_int_equal(evtchn_parts[1].close_next, 1);
    uint32_t l = 0;
    assert_int_equal(bind(0, 2, wait, &l), -XEN_EINVAL); /* closing: refused */
    uint32_t steps = 0;
    bool done = false;
    while (!done && steps < 10u) {
        uint32_t before = evtchn_parts[1].close_next;
        done = evtchn_reset_step(p1);
        steps++;
        if (!done) {
            uint32_t after = evtchn_parts[1].close_next;
            assert_true(after - before <= EVTCHN_RESET_BATCH);
            /* Exactly the ports below close_next are closed. */
            for (uint32_t k = 0; k < NPAIRS; k++) {
                uint8_t want = (k + 1u < after) ? EVTCHN_UNBOUND : EVTCHN_INTERDOMAIN;
                assert_int_equal(state_of(0, a[k]), want);
            }
        }
    }
    /* 151 ports in use below the mark (1..150 and the waiting one) plus the
     * static port 1001: ceil(1001 / EVTCHN_RESET_BATCH) closing steps (32),
     * then the fresh chunk: more than 10, so the loop above stopped first. */
    assert_false(done);
    while (!evtchn_reset_step(p1)) {
        steps++;
    }
    assert_int_equal(steps + 1u, 1000u / EVTCHN_RESET_BATCH + 2u);
    assert_int_equal(evtchn_parts[1].close_next, 0);
    assert_int_equal(evtchn_parts[1].ports_ready, CHUNK);
    assert_int_equal(state_of(1, 1), EVTCHN_FREE);
    assert_int_equal(state_of(0, a[NPAIRS - 1u]), EVTCHN_UNBOUND);
    assert_int_equal(state_of(0, 1000), EVTCHN_UNBOUND); /* static end: waits for p1 */
    assert_true(evtchn_reset_step(p1));
}

/* Verifies: LLR-EVT-031 (a static channel whose peer is being reset is not
 * bound: the peer binds it when its own reset ends) */
static void test_static_waits_for_closing_peer(void **state)
{
    (void)state;
    struct partition *p0 = &part_table[0];
    struct partition *p1 = &part_table[1];
    evtchn_reset_begin(p1);
    evtchn_reset(p0); /* p0 rebuilt while p1 still closes */
    evtchn_static_bind(p0, &blob.cfg);
    assert_int_equal(state_of(0, 1000), EVTCHN_FREE);
    while (!evtchn_reset_step(p1)) {
    }
    evtchn_static_bind(p1, &blob.cfg);
    assert_int_equal(state_of(0, 1000), EVTCHN_INTERDOMAIN);
    assert_int_equal(state_of(1, 1001), EVTCHN_INTERDOMAIN);
}

/* Verifies: LLR-PART-011 (the reload closes ports step by step and stops at
 * the deadline before each step), LLR-EVT-036 */
static void test_reload_closes_in_steps(void **state)
{
    (void)state;
    uint32_t a[NPAIRS];
    connect_pairs(a);
    struct partition *p1 = &part_table[1];
    assert_true(part_restart(p1, true, false));
    fake.now = 1000;
    fake.now_step = 1;
    /* Deadline already passed once quiesced: dropped pages, nothing closed. */
    assert_false(part_reload_step(p1, 1000, 1000));
    assert_true(p1->reload.quiesced);
    assert_int_equal(evtchn_parts[1].close_next, 1);
    assert_int_equal(state_of(0, a[0]), EVTCHN_INTERDOMAIN);
    /* Room for one step: the time read after it is the deadline. */
    assert_false(part_reload_step(p1, fake.now - 1u, fake.now));
    assert_int_equal(evtchn_parts[1].close_next, 1u + EVTCHN_RESET_BATCH);
    assert_int_equal(state_of(0, a[EVTCHN_RESET_BATCH - 1u]), EVTCHN_UNBOUND);
    assert_int_equal(state_of(0, a[EVTCHN_RESET_BATCH]), EVTCHN_INTERDOMAIN);
    fake.now_step = 0;
    assert_true(part_reload_step(p1, fake.now, UINT64_MAX));
    assert_int_equal(p1->state, PART_RUNNING);
    assert_int_equal(evtchn_parts[1].close_next, 0);
    assert_int_equal(state_of(0, a[NPAIRS - 1u]), EVTCHN_UNBOUND);
    assert_int_equal(state_of(1, 1001), EVTCHN_INTERDOMAIN); /* static, bound again */
}

/* p0's ports up to 3,071 exist, unbound; port 2,100 is bound to vCPU 1 of
 * p0 with an event kept (sent before vCPU 1 has a control block). Returns
 * that port. */
static uint32_t kept_high(void)
{
    uint32_t port = 0;
    while (port < 2099u) {
        port = alloc_unbound(0, SELF);
    }
    uint32_t u = alloc_unbound(0, SELF);
    uint32_t l = 0;
    assert_int_equal(bind(0, SELF, u, &l), 0);
    assert_int_equal(u, 2100);
    uint32_t pair[2] = {u, 1};
    assert_int_equal(eop(0, EVTCHNOP_BIND_VCPU, pair, 8), 0);
    while (port < 3000u) {
        port = alloc_unbound(0, SELF);
    }
    assert_int_equal(evtchn_parts[0].ports_ready, 3u * CHUNK);
    assert_int_equal(init_control(0, 0), HCALL_CONTINUE); /* vCPU 0: 3 pieces */
    assert_int_equal(init_control(0, 0), HCALL_CONTINUE);
    assert_int_equal(init_control(0, 0), 0);
    assert_int_equal(init_control(0, 0), -XEN_EINVAL); /* done: the block is set */
    for (uint32_t page = 0; page < 3u; page++) {
        assert_int_equal(expand(0, 2u + page), 0);
    }
    assert_int_equal(eop(0, EVTCHNOP_SEND, &l, sizeof(l)), 0);
    assert_int_equal(evtchn_port_of(&part_table[0], u)->pending, 1);
    return u;
}

/* Verifies: LLR-EVT-037 (init_control looks at EVTCHN_FIFO_SCAN_BATCH ports
 * a call and is continued; the kept event is delivered when the scan
 * reaches its port; another vCPU's calls go on meanwhile, while the
 * caller's own next call is taken as the re-issue), LLR-EVT-012 */
static void test_init_control_continued(void **state)
{
    (void)state;
    uint32_t u = kept_high();
    assert_int_equal(init_control(0, 1), HCALL_CONTINUE);
    assert_int_equal(evtchn_fifo_vcpus[0].scan_next, EVTCHN_FIFO_SCAN_BATCH); /* the caller's */
    assert_int_equal(init_control(0, 1), HCALL_CONTINUE);
    assert_int_equal(evtchn_port_of(&part_table[0], u)->pending, 1); /* not reached */
    /* vCPU 1's own call meanwhile: unaffected, and the scan waits. */
    assert_int_equal(expand_as(0, 1, 5), 0);
    assert_int_equal(evtchn_fifo_parts[0].num_pages, 4);
    assert_int_equal(evtchn_fifo_vcpus[0].scan_next, 2u * EVTCHN_FIFO_SCAN_BATCH);
    /* The caller's next call, whatever it asks, is the re-issue. */
    assert_int_equal(expand(0, 6), 0);
    assert_int_equal(evtchn_fifo_parts[0].num_pages, 4);
    assert_int_equal(evtchn_port_of(&part_table[0], u)->pending, 0);
    uint32_t w;
    memcpy(&w, &ram[0][2u * 4096u + u * 4u], 4);
    assert_true((w & EVTCHN_FIFO_PENDING) != 0u);
    assert_int_equal(init_control(0, 1), -XEN_EINVAL);
}

/* Verifies: LLR-EVT-037 (a reset ends a scan under way: after the restart
 * init_control starts afresh) */
static void test_reset_ends_scan(void **state)
{
    (void)state;
    (void)kept_high();
    assert_int_equal(init_control(0, 1), HCALL_CONTINUE);
    struct partition *p0 = &part_table[0];
    assert_true(part_restart(p0, true, false));
    fx_restart_finish(p0);
    assert_int_equal(evtchn_fifo_vcpus[0].scan_next, 0);
    assert_int_equal(evtchn_fifo_vcpus[0].scan_end, 0);
    assert_int_equal(init_control(0, 1), 0); /* one chunk: one piece */
}

/* Verifies: LLR-EVT-037 (a call re-raises at most EVTCHN_FIFO_RAISE_BATCH
 * kept events; the rest follow in the continued call) */
static void test_scan_raise_budget(void **state)
{
    (void)state;
    enum { PAIRS = 100 };
    uint32_t kept[PAIRS];
    assert_int_equal(init_control(0, 0), 0);
    assert_int_equal(expand(0, 2), 0);
    for (uint32_t k = 0; k < PAIRS; k++) {
        uint32_t l = 0;
        kept[k] = alloc_unbound(0, SELF);
        assert_int_equal(bind(0, SELF, kept[k], &l), 0);
        uint32_t pair[2] = {kept[k], 1};
        assert_int_equal(eop(0, EVTCHNOP_BIND_VCPU, pair, 8), 0);
        assert_int_equal(eop(0, EVTCHNOP_SEND, &l, sizeof(l)), 0); /* vCPU 1: no block */
    }
    assert_int_equal(init_control(0, 1), HCALL_CONTINUE);
    uint32_t delivered = 0;
    for (uint32_t k = 0; k < PAIRS; k++) {
        delivered += evtchn_port_of(&part_table[0], kept[k])->pending == 0u ? 1u : 0u;
    }
    assert_int_equal(delivered, EVTCHN_FIFO_RAISE_BATCH);
    assert_int_equal(init_control(0, 1), 0);
    for (uint32_t k = 0; k < PAIRS; k++) {
        assert_int_equal(evtchn_port_of(&part_table[0], kept[k])->pending, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_waits_for_closing_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_closes_in_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_control_continued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_ends_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_raise_budget, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
