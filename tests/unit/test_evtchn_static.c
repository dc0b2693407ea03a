/* Unit tests of bind_interdomain to the far end of a static channel
 * (hyp/core/evtchn.c: evtchn_connect, evtchn_is_static). */
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
#include "fake_arch.h"
#include "hcall.h"
#include "part.h"
#include "sched.h"

#define NPARTS 3u
#define RAM_SIZE 0x4000u
#define ARG 0x100u
#define SELF EVTCHN_DOMID_SELF

static const uint64_t gpa_of[NPARTS] = {0x40000000ull, 0x80000000ull, 0xC0000000ull};

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + NPARTS * 64u];
} blob;
static _Alignas(4096) uint8_t ram[NPARTS][RAM_SIZE];

/* Static channels: g0:10 <-> g1:20 and g1:11 <-> g2:12. */
static const struct bh_cfg_channel ch_01 = {{0, 1}, 3, 0, {10, 20}};
static const struct bh_cfg_channel ch_12 = {{1, 2}, 7, 0, {11, 12}};

static void fill_part(uint32_t i, const char *name)
{
    fx_part(&blob.cfg, i, name, gpa_of[i], ram[i], RAM_SIZE, 1);
}

/* One vCPU per partition: vCPU gid = partition index. */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), NPARTS);
    memset(ram, 0, sizeof(ram));
    fill_part(0, "g0");
    fill_part(1, "g1");
    fill_part(2, "g2");
    blob.cfg.num_channels = 2;
    blob.cfg.channels[0] = ch_01;
    blob.cfg.channels[1] = ch_12;
    evtchn_policy_clear();
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    fake_console_clear();
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

static int64_t eop(uint32_t pi, uint32_t cmd, void *arg, size_t size)
{
    memcpy(&ram[pi][ARG], arg, size);
    uint64_t args[5] = {cmd, gpa_of[pi] + ARG, 0, 0, 0};
    int64_t rc = hcall_dispatch(&vcpu_table[pi], XEN_HC_EVENT_CHANNEL_OP, args);
    memcpy(arg, &ram[pi][ARG], size);
    return rc;
}

/* bind_interdomain (remote_dom, remote_port, local_port), Xen's layout. */
static int64_t bind(uint32_t pi, uint16_t rdom, uint32_t rport, uint32_t *lport)
{
    uint16_t a16[2] = {rdom, 0};
    uint32_t a[3];
    memcpy(&a[0], a16, 4);
    a[1] = rport;
    a[2] = 0xDEADu;
    int64_t rc = eop(pi, EVTCHNOP_BIND_INTERDOMAIN, a, sizeof(a));
    *lport = a[2];
    return rc;
}

static int64_t alloc_unbound(uint32_t pi, uint16_t rdom, uint32_t *port)
{
    uint16_t a16[2] = {SELF, rdom};
    uint32_t a[2];
    memcpy(&a[0], a16, 4);
    a[1] = 0xDEADu;
    int64_t rc = eop(pi, EVTCHNOP_ALLOC_UNBOUND, a, sizeof(a));
    *port = a[1];
    return rc;
}

static uint16_t dom(uint32_t pi)
{
    return (uint16_t)(pi + 1u);
}

static struct evtchn_port *port_of(uint32_t pi, uint32_t port)
{
    return evtchn_port_of(&part_table[pi], port);
}

/* Snapshot of every port of every partition and their high-water marks. */
static struct evtchn_port pool_before[NPARTS][EVTCHN_CHUNK_PORTS];
static uint32_t hwm_before[NPARTS];

static void snapshot(void)
{
    for (uint32_t i = 0; i < NPARTS; i++) {
        memcpy(pool_before[i], port_of(i, 0), sizeof(pool_before[i]));
        hwm_before[i] = evtchn_parts[i].hwm;
    }
}

static void assert_ports_unchanged(void)
{
    for (uint32_t i = 0; i < NPARTS; i++) {
        assert_memory_equal(pool_before[i], port_of(i, 0), sizeof(pool_before[i]));
        assert_int_equal(evtchn_parts[i].hwm, hwm_before[i]);
    }
}

/*
 * Verifies: LLR-EVT-035 (before any configuration was given,
 * evtchn_static_policy never called, no port is a static end: binding again
 * to a loopback port of the caller is refused). Runs first, without setup.
 */
static void test_no_configuration_yet(void **state)
{
    (void)state;
    fake_arch_reset();
    memset(part_table, 0, sizeof(part_table));
    memset(vcpu_table, 0, sizeof(vcpu_table));
    struct partition *p = &part_table[0];
    p->ram_gpa = gpa_of[0];
    p->ram_pa = (uint64_t)(uintptr_t)ram[0];
    p->ram_size = RAM_SIZE;
    p->num_vcpus = 1;
    p->vcpus[0] = &vcpu_table[0];
    p->state = PART_RUNNING;
    vcpu_table[0].part = p;
    part_count = 1;
    static struct bh_cfg one_part; /* limits 0: one chunk each */
    one_part.num_parts = 1;
    evtchn_slice(&one_part);
    evtchn_reset(p);
    uint32_t rx;
    uint32_t tx;
    assert_int_equal(alloc_unbound(0, SELF, &rx), 0);
    assert_int_equal(bind(0, SELF, rx, &tx), 0);
    assert_int_equal(port_of(0, rx)->state, EVTCHN_INTERDOMAIN);
    snapshot();
    uint32_t again = 0x1234u;
    assert_int_equal(bind(0, SELF, rx, &again), -XEN_EINVAL);
    assert_int_equal(again, 0xDEADu);
    assert_ports_unchanged();
}

/* Verifies: LLR-EVT-035 (either end's partition naming the far end of its
 * static channel gets its own static port back, no state changed) */
static void test_bind_to_static_far_end(void **state)
{
    (void)state;
    assert_int_equal(port_of(0, 10)->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(port_of(1, 20)->peer_port, 10);
    snapshot();
    uint32_t lport = 0;
    assert_int_equal(bind(0, dom(1), 20, &lport), 0);
    assert_int_equal(lport, 10);
    assert_int_equal(bind(1, dom(0), 10, &lport), 0);
    assert_int_equal(lport, 20);
    assert_int_equal(bind(1, dom(2), 12, &lport), 0);
    assert_int_equal(lport, 11);
    assert_int_equal(bind(2, dom(1), 11, &lport), 0);
    assert_int_equal(lport, 12);
    assert_int_equal(bind(0, dom(1), 20, &lport), 0); /* again: same answer */
    assert_int_equal(lport, 10);
    assert_ports_unchanged();
    /* The channel still carries events: a dynamic port comes out lowest. */
    uint32_t p1;
    assert_int_equal(alloc_unbound(0, dom(1), &p1), 0);
    assert_int_equal(p1, 1);
}

/* Verifies: LLR-EVT-035, LLR-EVT-006 (ports that are not the far end of a
 * static channel bound to the caller are refused as before: out of range,
 * free, unbound for another partition, bound to another partition, a
 * dynamic channel to the caller) */
static void test_not_a_static_far_end(void **state)
{
    (void)state;
    uint32_t lport = 0;
    /* Dynamic channel g1:d <-> g0:l. */
    uint32_t d;
    uint32_t l;
    assert_int_equal(alloc_unbound(1, dom(0), &d), 0);
    assert_int_equal(bind(0, dom(1), d, &l), 0);
    assert_int_equal(port_of(1, d)->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(port_of(1, d)->peer_part, 0);
    /* An unbound port of g1 waiting for g2. */
    uint32_t u;
    assert_int_equal(alloc_unbound(1, dom(2), &u), 0);
    snapshot();
    assert_int_equal(bind(0, dom(1), u, &lport), -XEN_EINVAL);
    assert_int_equal(bind(0, dom(1), EVTCHN_CHUNK_PORTS, &lport), -XEN_EINVAL);
    assert_int_equal(bind(0, dom(1), 0xFFFFFFFFu, &lport), -XEN_EINVAL);
    assert_int_equal(bind(0, dom(1), 5, &lport), -XEN_EINVAL);  /* free */
    assert_int_equal(bind(0, dom(1), 0, &lport), -XEN_EINVAL);  /* reserved */
    assert_int_equal(bind(0, dom(1), 11, &lport), -XEN_EINVAL); /* static, to g2 */
    assert_int_equal(bind(0, dom(1), d, &lport), -XEN_EINVAL);  /* dynamic, to g0 */
    assert_int_equal(bind(2, dom(1), 20, &lport), -XEN_EINVAL); /* static, g1 to g0 */
    assert_int_equal(bind(2, dom(0), 10, &lport), -XEN_EPERM);  /* no channel g2-g0 */
    assert_int_equal(lport, 0xDEADu);
    assert_ports_unchanged();
}

/* Verifies: LLR-EVT-035, LLR-EVT-006 (once the caller closed its static
 * port, the far end waits unbound for it and a bind takes a new port) */
static void test_static_far_end_after_close(void **state)
{
    (void)state;
    uint32_t port = 10;
    assert_int_equal(eop(0, EVTCHNOP_CLOSE, &port, 4), 0);
    assert_int_equal(port_of(1, 20)->state, EVTCHN_UNBOUND);
    uint32_t lport = 0;
    assert_int_equal(bind(0, dom(1), 20, &lport), 0);
    assert_int_equal(lport, 1);
    assert_int_equal(port_of(1, 20)->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(port_of(1, 20)->peer_port, 1);
    /* Now bound to a dynamic port of g0: not the static pair any more. */
    assert_int_equal(bind(0, dom(1), 20, &lport), -XEN_EINVAL);
}

/*
 * Verifies: LLR-EVT-035 (only an entry whose four fields all match answers:
 * entries differing in one field each, listed before the match, are passed
 * over). The channel table is rewritten after the build; the ports bound
 * at build time stay as they were.
 */
static void test_channel_table_search(void **state)
{
    (void)state;
    static const struct bh_cfg_channel decoys[] = {
        {{2, 2}, 0, 0, {10, 20}}, /* neither end g0 */
        {{0, 2}, 0, 0, {11, 20}}, /* g0, another port */
        {{0, 2}, 0, 0, {10, 20}}, /* g0:10, other end not g1 */
        {{0, 1}, 0, 0, {10, 21}}, /* g0:10 and g1, another port */
        {{1, 0}, 0, 0, {21, 10}}, /* the same, reversed */
        {{1, 0}, 0, 0, {20, 11}}, /* reversed, g0's port differs */
    };
    const uint32_t n = (uint32_t)(sizeof(decoys) / sizeof(decoys[0]));
    uint32_t lport = 0;
    memset(blob.cfg.channels, 0, sizeof(blob.cfg.channels));
    memcpy(blob.cfg.channels, decoys, sizeof(decoys));
    blob.cfg.num_channels = n;
    snapshot();
    assert_int_equal(bind(0, dom(1), 20, &lport), -XEN_EINVAL);
    assert_int_equal(bind(1, dom(0), 10, &lport), -XEN_EINVAL);
    blob.cfg.channels[n] = (struct bh_cfg_channel){{1, 0}, 3, 0, {20, 10}};
    blob.cfg.num_channels = n + 1u;
    assert_int_equal(bind(0, dom(1), 20, &lport), 0);
    assert_int_equal(lport, 10);
    assert_int_equal(bind(1, dom(0), 10, &lport), 0);
    assert_int_equal(lport, 20);
    /* Entries past num_channels are not looked at. */
    blob.cfg.num_channels = n;
    assert_int_equal(bind(0, dom(1), 20, &lport), -XEN_EINVAL);
    blob.cfg.num_channels = 0;
    assert_int_equal(bind(0, dom(1), 20, &lport), -XEN_EINVAL);
    assert_ports_unchanged();
}

/* Verifies: LLR-EVT-035 (the search is bounded by the channel table even
 * when num_channels is out of range) */
static void test_channel_table_bound(void **state)
{
    (void)state;
    uint32_t lport = 0;
    memset(blob.cfg.channels, 0, sizeof(blob.cfg.channels));
    blob.cfg.num_channels = BH_CFG_MAX_CHANNELS + 1u;
    blob.cfg.channels[BH_CFG_MAX_CHANNELS - 1u] = ch_01;
    snapshot();
    assert_int_equal(bind(0, dom(1), 20, &lport), 0);
    assert_int_equal(lport, 10);
    blob.cfg.channels[BH_CFG_MAX_CHANNELS - 1u] = ch_12;
    assert_int_equal(bind(0, dom(1), 20, &lport), -XEN_EINVAL);
    blob.cfg.num_channels = UINT32_MAX;
    assert_int_equal(bind(2, dom(1), 11, &lport), 0);
    assert_int_equal(lport, 12);
    assert_ports_unchanged();
}

/* Verifies: LLR-EVT-001 (an operation that answers in its argument and
 * cannot write the answer back, the guest having changed its tables after
 * the check, returns -EFAULT and leaves the argument as it was) */
static void test_answer_unwritable(void **state)
{
    (void)state;
    uint32_t port;
    fake.xlate_count = 0;
    fake.xlate_fail_after = 2; /* the check and the read pass, the write-back fails */
    assert_int_equal(alloc_unbound(0, dom(1), &port), -XEN_EFAULT);
    fake.xlate_fail_after = 0;
    assert_int_equal(port, 0xDEADu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_no_configuration_yet, teardown),
        cmocka_unit_test_setup_teardown(test_bind_to_static_far_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_static_far_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_far_end_after_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channel_table_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channel_table_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_unwritable, setup, teardown),
    };
    return cmocka_run_group_tests_name("evtchn_static", tests, NULL, NULL);
}
