/* Unit tests of hyp/core/cfg_shm.c (static channels, permission rows, shared
 * regions), of the static binding in evtchn.c and of the shared mappings in
 * part.c. Each rule test mutates one field of a valid blob. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cfg.h"
#include "cfg_fixture.h"
#include "cfg_int.h"
#include "evtchn.h"
#include "fake_arch.h"
#include "part.h"

static _Alignas(8) uint8_t blob_mem[sizeof(struct bh_cfg) + 64u];
static struct bh_cfg *const cfg = (struct bh_cfg *)blob_mem;
static struct cfg_report rep;

static void build(void)
{
    memset(blob_mem, 0, sizeof(blob_mem));
    memset(&rep, 0, sizeof(rep));
    cfg->num_parts = 3;
    for (uint32_t i = 0; i < 3u; i++) {
        cfg->parts[i].ram_gpa = 0x40000000ull;
        cfg->parts[i].ram_pa = 0x48000000ull + i * 0x1000000ull;
        cfg->parts[i].ram_size = 0x1000000ull;
    }
    cfg->num_channels = 2;
    cfg->channels[0] = (struct bh_cfg_channel){{0, 1}, 3, 0, {10, 10}};
    cfg->channels[1] = (struct bh_cfg_channel){{0, 2}, 7, 0, {11, 10}};
    cfg->num_shms = 1;
    strcpy(cfg->shms[0].name, "link");
    cfg->shms[0].pa = 0x4c000000ull;
    cfg->shms[0].size = 0x10000ull;
    cfg->shms[0].map_mask = 7u;
    cfg->shms[0].ro_mask = 4u;
    cfg->shms[0].gpa[0] = 0x50000000ull;
    cfg->shms[0].gpa[1] = 0x50000000ull;
    cfg->shms[0].gpa[2] = 0x60000000ull;
}

static uint32_t run(void)
{
    memset(&rep, 0, sizeof(rep));
    cfg_check_channels(cfg, &rep);
    cfg_check_shms(cfg, &cfx_plat_default, &rep);
    return rep.count;
}

static void expect_err(const char *field, const char *msg)
{
    assert_int_not_equal(run(), 0);
    assert_string_equal(rep.err[0].field, field);
    assert_non_null(strstr(rep.err[0].msg, msg));
}

/* Verifies: LLR-CFG-020, LLR-CFG-021, LLR-CFG-022, LLR-CFG-023 */
static void test_valid(void **state)
{
    (void)state;
    build();
    assert_int_equal(run(), 0);
    cfg->evtchn_permit[1] = 4u;
    assert_int_equal(run(), 0);
}

/* Verifies: LLR-CFG-020 */
static void test_channel_rules(void **state)
{
    (void)state;
    build();
    cfg->num_channels = 33;
    expect_err("header.num_channels", "above");
    build();
    cfg->channels[0].part[1] = 3;
    expect_err("channels[0]", "not below num_parts");
    build();
    cfg->channels[0].part[0] = 3;
    expect_err("channels[0]", "not below num_parts");
    build();
    cfg->channels[0].part[1] = 0;
    expect_err("channels[0]", "both ends");
    build();
    cfg->channels[0].priority = 16;
    expect_err("channels[0]", "priority");
    build();
    cfg->channels[0].reserved0 = 1;
    expect_err("channels[0]", "reserved0");
    build();
    cfg->channels[0].port[0] = 0;
    expect_err("channels[0]", "not in 1..");
    build();
    cfg->channels[0].port[1] = 1024;
    expect_err("channels[0]", "not in 1..");
    build();
    cfg->channels[1].port[0] = 10; /* (0, 10) again */
    expect_err("channels[1]", "already used by channels[0]");
    build();
    cfg->channels[1] = (struct bh_cfg_channel){{2, 1}, 0, 0, {10, 10}}; /* (1, 10) again */
    expect_err("channels[1]", "already used by channels[0]");
    build();
    cfg->channels[1] = (struct bh_cfg_channel){{1, 2}, 0, 0, {11, 12}}; /* same part, other port */
    assert_int_equal(run(), 0);
    build();
    cfg->channels[5].port[0] = 1;
    expect_err("channels[5]", "unused but not all zero");
}

/* Verifies: LLR-CFG-023 */
static void test_permit_rules(void **state)
{
    (void)state;
    build();
    cfg->evtchn_permit[0] = 8u;
    expect_err("evtchn_permit[0]", "beyond num_parts");
    build();
    cfg->evtchn_permit[4] = 1u;
    expect_err("evtchn_permit[4]", "beyond num_parts");
}

/* Verifies: LLR-CFG-021 */
static void test_shm_pa_rules(void **state)
{
    (void)state;
    build();
    cfg->num_shms = 9;
    expect_err("header.num_shms", "above");
    build();
    cfg->shms[0].name[0] = '\0';
    expect_err("shms[0]", "name empty");
    build();
    memset(cfg->shms[0].name, 'x', BH_CFG_NAME_LEN);
    expect_err("shms[0]", "name empty");
    build();
    cfg->shms[0].size = 0;
    expect_err("shms[0]", "page aligned");
    build();
    cfg->shms[0].size = 0x1800;
    expect_err("shms[0]", "page aligned");
    build();
    cfg->shms[0].pa = 0x4c000800ull;
    expect_err("shms[0]", "page aligned");
    build();
    cfg->shms[0].pa = 0x30000000ull;
    expect_err("shms[0]", "outside platform RAM");
    build();
    cfg->shms[0].pa = 0x90000000ull; /* above the end of RAM */
    expect_err("shms[0]", "outside platform RAM");
    build();
    cfg->shms[0].pa = 0x7fff0000ull;
    cfg->shms[0].size = 0x20000ull; /* runs past the end of RAM */
    expect_err("shms[0]", "outside platform RAM");
    build();
    cfg->shms[0].pa = 0x40300000ull;
    expect_err("shms[0]", "overlaps the hypervisor");
    build();
    cfg->shms[0].pa = 0x49000000ull;
    expect_err("shms[0]", "overlaps parts[1] RAM");
    build();
    cfg->num_shms = 2;
    cfg->shms[1] = cfg->shms[0];
    cfg->shms[1].pa = 0x4d000000ull;
    cfg->shms[1].gpa[0] = cfg->shms[1].gpa[1] = 0x51000000ull;
    cfg->shms[1].gpa[2] = 0x61000000ull;
    expect_err("shms[1]", "name already used");
    memset(cfg->shms[0].name, 'y', BH_CFG_NAME_LEN); /* both unterminated and equal */
    memset(cfg->shms[1].name, 'y', BH_CFG_NAME_LEN);
    assert_int_not_equal(run(), 0);
    assert_non_null(strstr(rep.err[rep.count - 1u].msg, "name already used by shms[0]"));
    strcpy(cfg->shms[0].name, "link");
    strcpy(cfg->shms[1].name, "other");
    assert_int_equal(run(), 0);
    cfg->shms[1].pa = 0x4c00f000ull;
    expect_err("shms[1]", "overlaps shms[0]");
    build();
    cfg->shms[6].size = 1;
    expect_err("shms[6]", "unused but not all zero");
}

/* Verifies: LLR-CFG-022 */
static void test_shm_map_rules(void **state)
{
    (void)state;
    build();
    cfg->shms[0].map_mask = 8u | 3u;
    expect_err("shms[0]", "need two or more");
    build();
    cfg->shms[0].map_mask = 1u;
    cfg->shms[0].gpa[1] = cfg->shms[0].gpa[2] = 0;
    cfg->shms[0].ro_mask = 0;
    expect_err("shms[0]", "need two or more");
    build();
    cfg->shms[0].ro_mask = 8u;
    expect_err("shms[0]", "need two or more");
    build();
    cfg->shms[0].map_mask = 3u;
    cfg->shms[0].ro_mask = 0u;
    expect_err("shms[0]", "does not map it");
    build();
    cfg->shms[0].gpa[0] = 0x50000800ull;
    expect_err("shms[0]", "not page aligned or beyond");
    build();
    cfg->shms[0].gpa[0] = 0x7ffffff000ull;
    expect_err("shms[0]", "not page aligned or beyond");
    build();
    cfg->shms[0].gpa[0] = 0x40ff0000ull;
    expect_err("shms[0]", "overlaps the partition's RAM");
    build();
    cfg->shms[0].gpa[0] = 0x03001000ull;
    expect_err("shms[0]", "overlaps vGIC distributor");
    build();
    cfg->num_shms = 2;
    cfg->shms[1] = cfg->shms[0];
    strcpy(cfg->shms[1].name, "two");
    cfg->shms[1].pa = 0x4d000000ull;
    cfg->shms[1].map_mask = 6u;
    cfg->shms[1].ro_mask = 0u;
    cfg->shms[1].gpa[0] = 0;
    cfg->shms[1].gpa[1] = 0x51000000ull;
    cfg->shms[1].gpa[2] = 0x60008000ull;
    expect_err("shms[1]", "overlaps shms[0] there");
    cfg->shms[1].gpa[2] = 0x61000000ull;
    cfg->shms[0].map_mask = 5u; /* shms[0] not in partition 1 */
    cfg->shms[0].gpa[1] = 0;
    cfg->shms[1].gpa[1] = 0x50000000ull;
    assert_int_equal(run(), 0);
}

/* Verifies: LLR-CFG-022 */
static void test_device_window(void **state)
{
    (void)state;
    assert_null(cfg_device_window_at(0x50000000ull, 0x1000u));
    assert_string_equal(cfg_device_window_at(0x03001000ull, 0x1000u), "vGIC distributor");
}

/* Three partitions with port tables, as part_build_all leaves them. */
static void parts_up(uint32_t n)
{
    memset(part_table, 0, sizeof(part_table));
    part_count = 0;
    evtchn_slice(cfg);
    for (uint32_t i = 0; i < n; i++) {
        part_table[i].id = i;
        part_count = i + 1u;
        evtchn_reset(&part_table[i]);
        evtchn_static_bind(&part_table[i], cfg);
    }
}

/* Verifies: LLR-EVT-030, LLR-EVT-031 */
static void test_static_bind(void **state)
{
    (void)state;
    build();
    cfg->channels[2] = (struct bh_cfg_channel){{1, 1}, 0, 0, {20, 21}}; /* never valid */
    cfg->num_channels = 3;
    cfg->evtchn_permit[1] = 4u;
    evtchn_static_policy(cfg);
    assert_true(evtchn_may_connect(0, 1));
    assert_true(evtchn_may_connect(2, 0));
    assert_true(evtchn_may_connect(2, 1));
    assert_false(evtchn_may_connect(3, 1));
    parts_up(3);
    const struct evtchn_port *a = evtchn_port_of(&part_table[0], 10);
    const struct evtchn_port *b = evtchn_port_of(&part_table[1], 10);
    assert_int_equal(a->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(a->peer_part, 1);
    assert_int_equal(a->peer_port, 10);
    assert_int_equal(a->priority, 3);
    assert_int_equal(b->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(b->peer_part, 0);
    assert_int_equal(evtchn_port_of(&part_table[2], 10)->peer_port, 11);
    assert_int_equal(evtchn_port_of(&part_table[1], 20)->state, EVTCHN_FREE);
    /* b restarts: a's port waits for b and is bound again. */
    evtchn_reset(&part_table[1]);
    assert_int_equal(a->state, EVTCHN_UNBOUND);
    evtchn_static_bind(&part_table[1], cfg);
    assert_int_equal(a->state, EVTCHN_INTERDOMAIN);
    /* a port the peer reused for something else is left alone. */
    evtchn_reset(&part_table[1]);
    evtchn_port_of(&part_table[0], 10)->peer_part = 2; /* as if re-allocated for c */
    evtchn_static_bind(&part_table[1], cfg);
    assert_int_equal(b->state, EVTCHN_FREE);
    /* a peer port in another state is left alone too. */
    evtchn_reset(&part_table[0]);
    evtchn_reset(&part_table[1]);
    evtchn_port_of(&part_table[1], 10)->state = EVTCHN_VIRQ;
    evtchn_static_bind(&part_table[0], cfg);
    assert_int_equal(a->state, EVTCHN_FREE);
    /* own port busy: nothing bound. */
    parts_up(3);
    evtchn_reset(&part_table[1]);
    evtchn_port_of(&part_table[1], 10)->state = EVTCHN_VIRQ;
    evtchn_static_bind(&part_table[1], cfg);
    assert_int_equal(a->state, EVTCHN_UNBOUND);
    evtchn_policy_clear();
}

/* Verifies: LLR-EVT-030, LLR-EVT-031 (the loops are bounded by the channel
 * table even when num_channels is out of range) */
static void test_static_bound(void **state)
{
    (void)state;
    build();
    cfg->num_channels = BH_CFG_MAX_CHANNELS + 1u;
    cfg->channels[BH_CFG_MAX_CHANNELS - 1u] = (struct bh_cfg_channel){{1, 2}, 5, 0, {30, 31}};
    evtchn_static_policy(cfg);
    assert_true(evtchn_may_connect(1, 2));
    parts_up(3);
    assert_int_equal(evtchn_port_of(&part_table[1], 30)->state, EVTCHN_INTERDOMAIN);
    assert_int_equal(evtchn_port_of(&part_table[2], 31)->peer_port, 30);
    assert_int_equal(evtchn_port_of(&part_table[2], 31)->priority, 5);
    evtchn_policy_clear();
}

/* The port-limit errors of parts[i] (only those are checked). */
static uint32_t run_ports(uint32_t n0, uint32_t n1, uint32_t n2)
{
    cfg->parts[0].evtchn_ports = n0;
    cfg->parts[1].evtchn_ports = n1;
    cfg->parts[2].evtchn_ports = n2;
    memset(&rep, 0, sizeof(rep));
    cfg_check_evtchn_ports(cfg, &rep);
    return rep.count;
}

/* Verifies: LLR-CFG-024 (each limit a power of two in 1024..131072, the
 * limits together within the pool, each error naming partition and field) */
static void test_evtchn_ports(void **state)
{
    (void)state;
    build();
    assert_int_equal(run_ports(1024, 1024, 1024), 0);
    assert_int_equal(run_ports(131072, 4096, 2048), 0);
    assert_int_equal(run_ports(1024, 131072, 4096), 0);
    /* Not a power of two, below the minimum, above the maximum, zero. */
    assert_int_equal(run_ports(1024, 3072, 1024), 1);
    assert_string_equal(rep.err[0].field, "parts[1].evtchn_ports");
    assert_string_equal(rep.err[0].msg, "3072 not a power of two in 1024..131072");
    assert_int_equal(run_ports(512, 1024, 262144), 2);
    assert_string_equal(rep.err[0].field, "parts[0].evtchn_ports");
    assert_string_equal(rep.err[1].field, "parts[2].evtchn_ports");
    assert_int_equal(run_ports(0, 1024, 1024), 1);
    /* The pool holds 2^17 + 7 x 2^10: two large limits do not fit; the
     * one that does not is reported, and a later one that fits is not. */
    assert_int_equal(run_ports(131072, 131072, 4096), 1);
    assert_string_equal(rep.err[0].field, "parts[1].evtchn_ports");
    assert_string_equal(rep.err[0].msg,
                        "131072 ports do not fit: the partitions before take 131072 of the "
                        "pool's 138240");
    assert_int_equal(run_ports(65536, 65536, 8192), 1);
    assert_string_equal(rep.err[0].field, "parts[2].evtchn_ports");
    /* Exactly the pool: 2^17 + 4096 + 2048 + 1024 (three partitions). */
    assert_int_equal(run_ports(131072, 4096, 2048), 0);
    cfg->num_parts = 0;
    assert_int_equal(run_ports(0, 0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),          cmocka_unit_test(test_channel_rules),
        cmocka_unit_test(test_permit_rules),   cmocka_unit_test(test_shm_pa_rules),
        cmocka_unit_test(test_shm_map_rules),  cmocka_unit_test(test_device_window),
        cmocka_unit_test(test_static_bind),    cmocka_unit_test(test_static_bound),
        cmocka_unit_test(test_evtchn_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
