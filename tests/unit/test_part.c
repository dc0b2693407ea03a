/* Unit tests of hyp/core/part.c (build, guest pointers, stop, restart,
 * partition modes). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "blob_fixture.h"
#include "console.h"
#include "fake_arch.h"
#include "part.h"
#include "sched.h"
#include "vuart.h"

#define RAM_SIZE 0x4000u
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define IMG_SIZE 24u
#define IMG_MEM 64u
#define DTB_SIZE 16u

/* The blob: header, then image and DTB of each partition. */
static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + BH_MAX_PARTS * 128u];
} blob;
static _Alignas(4096) uint8_t ram[BH_MAX_PARTS][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint64_t gpa, uint32_t nv, const uint32_t *cpus)
{
    struct bh_cfg_part *c = &blob.cfg.parts[i];
    uint32_t img = (uint32_t)sizeof(struct bh_cfg) + i * 128u;
    strncpy(c->name, name, BH_CFG_NAME_LEN - 1u);
    c->ram_gpa = gpa;
    c->ram_pa = (uint64_t)(uintptr_t)ram[i];
    c->ram_size = RAM_SIZE;
    c->image_gpa = gpa + 0x1000u;
    c->entry_gpa = gpa + 0x1008u;
    c->dtb_gpa = gpa + 0x3000u;
    c->image_offset = img;
    c->image_size = IMG_SIZE;
    c->image_mem_size = IMG_MEM;
    c->dtb_offset = img + 64u;
    c->dtb_size = DTB_SIZE;
    c->num_vcpus = nv;
    for (uint32_t j = 0; j < nv; j++) {
        c->vcpu_cpu[j] = cpus[j];
    }
    for (uint32_t k = 0; k < IMG_SIZE; k++) {
        blob.bytes[img + k] = (uint8_t)(0x10u * (i + 1u) + k);
    }
    for (uint32_t k = 0; k < DTB_SIZE; k++) {
        blob.bytes[img + 64u + k] = (uint8_t)(0xD0u + k);
    }
}

/* p0 "alpha": one vCPU on CPU 0. p1 "beta": vCPUs on CPUs 1 and 0. */
static int setup(void **state)
{
    (void)state;
    static const uint32_t cpus0[1] = {0};
    static const uint32_t cpus1[2] = {1, 0};
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    memset(&blob, 0, sizeof(blob));
    memset(ram, 0xAA, sizeof(ram));
    blob.cfg.magic = BH_CFG_MAGIC;
    blob.cfg.version = BH_CFG_VERSION;
    blob.cfg.total_size = (uint32_t)sizeof(blob);
    blob.cfg.num_cpus = 2;
    blob.cfg.num_parts = 2;
    blob.cfg.slice_us = 1000;
    fill_part(0, "alpha", GPA0, 1, cpus0);
    fill_part(1, "beta", GPA1, 2, cpus1);
    return 0;
}

static void build(void)
{
    part_build_all(&blob.cfg);
    static const struct bh_cfg no_schedules;
    sched_init(&no_schedules, 1000000u, 0);
    uint64_t next;
    (void)sched_pick(0, 0, &next);
    (void)sched_pick(1, 0, &next);
    fake_console_clear();
    fake.kicks = 0;
    fake.resets = 0;
}

/* Expect part_build_all to halt with a message containing msg. */
static void build_expect_halt(const char *msg)
{
    jmp_buf jb;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        part_build_all(&blob.cfg);
        fail_msg("no halt");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(fake.halted, 1);
    assert_non_null(strstr(fake_console(), msg));
}

/* Verifies: LLR-PART-001 (guest ranges inside RAM translate, anything else,
 * including wrap-around, gives NULL) */
static void test_guest_ptr(void **state)
{
    (void)state;
    build();
    const struct partition *p = &part_table[0];
    uint8_t *base = ram[0];
    assert_ptr_equal(part_guest_ptr(p, GPA0, RAM_SIZE), base);
    assert_ptr_equal(part_guest_ptr(p, GPA0 + 5u, 3), base + 5);
    assert_ptr_equal(part_guest_ptr(p, GPA0 + RAM_SIZE - 1u, 1), base + RAM_SIZE - 1u);
    assert_ptr_equal(part_guest_ptr(p, GPA0 + RAM_SIZE, 0), base + RAM_SIZE);
    assert_null(part_guest_ptr(p, GPA0 + RAM_SIZE, 1));
    assert_null(part_guest_ptr(p, GPA0 + RAM_SIZE + 1u, 0));
    assert_null(part_guest_ptr(p, GPA0 + RAM_SIZE - 1u, 2));
    assert_null(part_guest_ptr(p, GPA0, RAM_SIZE + 1u));
    assert_null(part_guest_ptr(p, GPA0 - 1u, 1));
    assert_null(part_guest_ptr(p, 0, 0));
    assert_null(part_guest_ptr(p, GPA0 + 1u, UINT64_MAX));
    assert_null(part_guest_ptr(p, UINT64_MAX, 2));
    assert_null(part_guest_ptr(p, UINT64_MAX, 0));
    /* Another partition's RAM is not this one's. */
    assert_null(part_guest_ptr(p, GPA1, 1));
    assert_null(part_guest_ptr(NULL, GPA0, 1));
}

/* Verifies: LLR-PART-002, LLR-PART-006 (tables filled, RAM mapped, images
 * and DTBs loaded, vCPU 0 reset to entry with x0 = DTB, others off) */
static void test_build(void **state)
{
    (void)state;
    part_build_all(&blob.cfg);
    assert_int_equal(part_count, 2);
    assert_int_equal(vcpu_count, 3);
    assert_string_equal(part_table[0].name, "alpha");
    assert_string_equal(part_table[1].name, "beta");
    for (uint32_t i = 0; i < 2u; i++) {
        struct partition *p = &part_table[i];
        const struct bh_cfg_part *c = &blob.cfg.parts[i];
        assert_int_equal(p->id, i);
        assert_int_equal(p->state, PART_RUNNING);
        assert_ptr_equal(p->cfg, c);
        assert_int_equal(p->ram_gpa, c->ram_gpa);
        assert_int_equal(p->ram_pa, c->ram_pa);
        assert_int_equal(p->ram_size, RAM_SIZE);
        assert_int_equal(fake.s2[i].part_id, i);
        assert_int_equal(fake.s2[i].gpa, c->ram_gpa);
        assert_int_equal(fake.s2[i].pa, c->ram_pa);
        assert_int_equal(fake.s2[i].size, RAM_SIZE);
        /* Image copied, rest of its memory zeroed, nothing else touched. */
        assert_memory_equal(&ram[i][0x1000], &blob.bytes[c->image_offset], IMG_SIZE);
        for (uint32_t k = IMG_SIZE; k < IMG_MEM; k++) {
            assert_int_equal(ram[i][0x1000u + k], 0);
        }
        assert_int_equal(ram[i][0x1000u + IMG_MEM], 0xAA);
        assert_int_equal(ram[i][0xFFF], 0xAA);
        assert_memory_equal(&ram[i][0x3000], &blob.bytes[c->dtb_offset], DTB_SIZE);
        assert_int_equal(ram[i][0x3000u + DTB_SIZE], 0xAA);
    }
    assert_int_equal(fake.s2_count, 2);
    assert_int_equal(part_table[0].num_vcpus, 1);
    assert_int_equal(part_table[1].num_vcpus, 2);
    static const uint32_t want_vid[3] = {0, 0, 1};
    static const uint32_t want_pcpu[3] = {0, 1, 0};
    static const uint32_t want_part[3] = {0, 1, 1};
    for (uint32_t g = 0; g < 3u; g++) {
        struct vcpu *v = &vcpu_table[g];
        assert_int_equal(v->gid, g);
        assert_int_equal(v->vid, want_vid[g]);
        assert_int_equal(v->pcpu, want_pcpu[g]);
        assert_ptr_equal(v->part, &part_table[want_part[g]]);
        assert_ptr_equal(v->part->vcpus[v->vid], v);
    }
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(fake.resets, 3);
    assert_int_equal(fake.reset_entry[0], GPA0 + 0x1008u);
    assert_int_equal(fake.reset_arg0[0], GPA0 + 0x3000u);
    assert_int_equal(fake.reset_entry[1], GPA1 + 0x1008u);
    assert_int_equal(fake.reset_arg0[1], GPA1 + 0x3000u);
    assert_int_equal(fake.reset_entry[2], 0);
    assert_int_equal(fake.reset_arg0[2], 0);
    assert_int_equal(part_table[2].state, PART_UNUSED);
    assert_int_equal(fake.halted, 0);
    /* The virtual UART starts in its reset state. */
    uint64_t cr = 0;
    assert_int_equal(vuart_mmio(&vcpu_table[1], VUART_BASE + 0x30u, 4, false, &cr), MMIO_HANDLED);
    assert_int_equal(cr, 0x300);
}

/* Verifies: LLR-PART-002 (a stage-2 mapping failure names the partition and
 * halts) */
static void test_build_s2_fail(void **state)
{
    (void)state;
    fake.s2_fail = 1;
    build_expect_halt("(bulkhead) partition alpha: stage-2 map of RAM or shared memory failed");
}

static _Alignas(4096) uint8_t shm_mem[2][0x2000];

/* Region 0 shared by alpha (rw) and beta (ro), region 1 by alpha only. */
static void add_shms(void)
{
    memset(shm_mem, 0xAA, sizeof(shm_mem));
    blob.cfg.num_shms = 2;
    for (uint32_t r = 0; r < 2u; r++) {
        struct bh_cfg_shm *s = &blob.cfg.shms[r];
        s->pa = (uint64_t)(uintptr_t)shm_mem[r];
        s->size = sizeof(shm_mem[r]);
        s->gpa[0] = 0x50000000ull + r * 0x100000ull;
    }
    blob.cfg.shms[0].map_mask = 3u;
    blob.cfg.shms[0].ro_mask = 2u;
    blob.cfg.shms[0].gpa[1] = 0x60000000ull;
    blob.cfg.shms[1].map_mask = 1u;
}

/* The fake stage-2 entry of partition id at gpa, or NULL. */
static const struct fake_s2_map *s2_at(uint32_t id, uint64_t gpa)
{
    for (uint32_t k = 0; k < fake.s2_count; k++) {
        if (fake.s2[k].part_id == id && fake.s2[k].gpa == gpa) {
            return &fake.s2[k];
        }
    }
    return NULL;
}

/* Verifies: LLR-SHM-001 (regions zeroed once at boot and mapped in every
 * partition that takes part, read-only where configured; the loop is
 * bounded by the table even when num_shms is out of range) */
static void test_build_shms(void **state)
{
    (void)state;
    add_shms();
    build();
    assert_int_equal(fake.halted, 0);
    for (size_t k = 0; k < sizeof(shm_mem); k++) {
        assert_int_equal(((const uint8_t *)shm_mem)[k], 0);
    }
    const struct fake_s2_map *m = s2_at(0, 0x50000000ull);
    assert_non_null(m);
    assert_int_equal(m->shared, 1);
    assert_int_equal(m->read_only, 0);
    assert_int_equal(m->pa, (uint64_t)(uintptr_t)shm_mem[0]);
    assert_int_equal(m->size, 0x2000u);
    m = s2_at(1, 0x60000000ull);
    assert_non_null(m);
    assert_int_equal(m->read_only, 1);
    assert_non_null(s2_at(0, 0x50100000ull));
    assert_null(s2_at(1, 0x50100000ull));
    /* A restart does not clear the shared data. */
    shm_mem[0][5] = 0x5a;
    fake.cpu_id = 0;
    part_restart(&part_table[1], true, false);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(shm_mem[0][5], 0x5a);
    /* num_shms beyond the table: only the table's entries are used. */
    fake_arch_reset();
    blob.cfg.num_shms = BH_CFG_MAX_SHMS + 1u;
    part_build_all(&blob.cfg);
    assert_int_equal(fake.halted, 0);
    assert_non_null(s2_at(1, 0x60000000ull));
}

/* Verifies: LLR-SHM-001 (a page-table pool exhausted by a shared mapping
 * halts the module naming the partition) */
static void test_build_shm_fail(void **state)
{
    (void)state;
    add_shms();
    fake.s2_shared_fail = 1;
    build_expect_halt("partition alpha: stage-2 map of RAM or shared memory failed (table pool exhausted or range already mapped)");
}

/* Verifies: LLR-PART-006 (loads outside RAM or the blob halt the build
 * instead of writing anywhere) */
static void test_build_bad_load(void **state)
{
    (void)state;
    blob.cfg.parts[1].image_gpa = GPA1 + RAM_SIZE - IMG_MEM + 1u;
    build_expect_halt("partition beta: image or device tree outside RAM or blob");

    setup(NULL);
    blob.cfg.parts[1].dtb_gpa = GPA1 - 8u;
    build_expect_halt("partition beta: image or device tree");

    setup(NULL);
    blob.cfg.parts[0].image_size = IMG_MEM + 1u;
    build_expect_halt("partition alpha: image or device tree");

    setup(NULL);
    blob.cfg.parts[0].dtb_offset = blob.cfg.total_size - DTB_SIZE + 1u;
    build_expect_halt("partition alpha: image or device tree");
    /* Nothing outside the partitions' RAM was written. */
    assert_int_equal(ram[0][0x3000], 0xAA);
}

/* Verifies: LLR-PART-002 (at most BH_MAX_PARTS partitions and
 * BH_MAX_VCPUS_PER_PART vCPUs each are built, whatever the counts say) */
static void test_build_limits(void **state)
{
    (void)state;
    static const uint32_t cpus[BH_MAX_VCPUS_PER_PART] = {0, 1, 0, 1};
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        static const char *names[BH_MAX_PARTS] = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"};
        fill_part(i, names[i], GPA0 + (uint64_t)i * 0x100000u, BH_MAX_VCPUS_PER_PART, cpus);
    }
    blob.cfg.parts[0].num_vcpus = BH_MAX_VCPUS_PER_PART + 3u;
    blob.cfg.num_parts = BH_MAX_PARTS + 1u;
    part_build_all(&blob.cfg);
    assert_int_equal(part_count, BH_MAX_PARTS);
    assert_int_equal(vcpu_count, BH_MAX_VCPUS);
    assert_int_equal(part_table[0].num_vcpus, BH_MAX_VCPUS_PER_PART);
    assert_int_equal(fake.s2_count, BH_MAX_PARTS);
    assert_ptr_equal(vcpu_table[BH_MAX_VCPUS - 1u].part, &part_table[BH_MAX_PARTS - 1u]);
    assert_int_equal(vcpu_table[BH_MAX_VCPUS - 1u].vid, BH_MAX_VCPUS_PER_PART - 1u);
    assert_int_equal(fake.halted, 0);
}

/* Verifies: LLR-PART-003 (stop: partial line flushed, message, vCPUs off,
 * picks requested, remote CPUs kicked; a second stop does nothing) */
static void test_stop(void **state)
{
    (void)state;
    build();
    console_guest_write(&part_table[1], "bye", 3);
    fake.cpu_id = 0;
    part_stop(&part_table[1], "poweroff");
    assert_string_equal(fake_console(), "[beta] bye\n(bulkhead) partition beta stopped: poweroff\n");
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_true(sched_need_pick(0));
    assert_true(sched_need_pick(1));
    assert_int_equal(fake.kicks, 1u << 1);
    assert_int_equal(fake.system_off, 0);

    fake_console_clear();
    part_stop(&part_table[1], "again");
    assert_string_equal(fake_console(), "");
    /* The stopped partition's vCPUs are never picked again. */
    uint64_t next;
    assert_null(sched_pick(1, 1000, &next));
}

/* Verifies: LLR-PART-003 (a vCPU outside its window on another CPU is not
 * kicked: that CPU runs another partition, whose window is not interrupted;
 * its choice is still requested) */
static void test_stop_outside_window(void **state)
{
    (void)state;
    build();
    vcpu_table[1].in_window = false; /* beta's vCPU 0, on CPU 1 */
    fake.cpu_id = 0;
    part_stop(&part_table[1], "poweroff");
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_true(sched_need_pick(1));
    assert_int_equal(fake.kicks, 0);
}

/* Verifies: LLR-PART-003, LLR-PART-007 (the last running partition's stop
 * powers the system off; a missing reason is printed as "unknown") */
static void test_stop_last(void **state)
{
    (void)state;
    build();
    fake.cpu_id = 1;
    part_stop(&part_table[0], NULL);
    assert_string_equal(fake_console(), "(bulkhead) partition alpha stopped: unknown\n");
    assert_int_equal(fake.kicks, 1u << 0);
    fake_console_clear();
    jmp_buf jb;
    fake_halt_jmp = &jb;
    int r = setjmp(jb);
    if (r == 0) {
        part_stop(&part_table[1], "crash");
        fail_msg("no system off");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(r, 2);
    assert_int_equal(fake.system_off, 1);
    assert_string_equal(fake_console(), "(bulkhead) partition beta stopped: crash\n"
                                      "(bulkhead) all partitions stopped; system off\n");
}

/* Give partition i a 16-byte ramdisk at +0x2000 of its RAM, payload at its
 * blob slot + 96. */
static void add_ramdisk(uint32_t i)
{
    struct bh_cfg_part *c = &blob.cfg.parts[i];
    c->ramdisk_gpa = c->ram_gpa + 0x2000u;
    c->ramdisk_offset = c->image_offset + 96u;
    c->ramdisk_size = 16u;
    for (uint32_t k = 0; k < 16u; k++) {
        blob.bytes[c->ramdisk_offset + k] = (uint8_t)(0x80u + k);
    }
}

/* Verifies: LLR-PART-006 (the ramdisk is copied at build and again at a cold
 * restart, not at a warm one; one outside RAM or the blob halts the build) */
static void test_ramdisk(void **state)
{
    (void)state;
    add_ramdisk(1);
    build();
    struct partition *p = &part_table[1];
    assert_memory_equal(&ram[1][0x2000], &blob.bytes[p->cfg->ramdisk_offset], 16u);
    assert_int_equal(ram[1][0x2010], 0xAA);
    assert_int_equal(ram[0][0x2000], 0xAA); /* alpha has none */
    memset(&ram[1][0x2000], 0, 16u);
    part_restart(p, false, false);
    fx_restart_finish(p);
    assert_int_equal(ram[1][0x2000], 0);
    part_restart(p, true, false);
    fx_restart_finish(p);
    assert_memory_equal(&ram[1][0x2000], &blob.bytes[p->cfg->ramdisk_offset], 16u);

    setup(NULL);
    add_ramdisk(0);
    blob.cfg.parts[0].ramdisk_gpa = GPA0 + RAM_SIZE - 8u;
    build_expect_halt("partition alpha: image or device tree");

    setup(NULL);
    add_ramdisk(0);
    blob.cfg.parts[0].ramdisk_offset = blob.cfg.total_size - 8u;
    build_expect_halt("partition alpha: image or device tree");
}

/* Verifies: LLR-PART-004, LLR-PART-006 (restart reloads image and DTB,
 * resets vCPUs and timers, vCPU 0 runnable, others off, CPUs asked to pick) */
static void test_restart(void **state)
{
    (void)state;
    build();
    struct partition *p = &part_table[1];
    memset(ram[1], 0x55, RAM_SIZE);
    vcpu_table[2].state = VCPU_RUNNABLE;
    vcpu_table[1].state = VCPU_BLOCKED;
    vcpu_table[1].vtimer.ctl = 1;
    vcpu_table[1].vtimer.cval = 77;
    console_guest_write(p, "partial", 7);
    fake.cpu_id = 0;
    assert_true(part_restart(p, true, false));
    /* Accepted: RESTARTING, every vCPU off and asked to leave its CPU,
     * nothing reloaded or reset yet (that is the reload's, in its windows). */
    assert_int_equal(p->state, PART_RESTARTING);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(ram[1][0x1000], 0x55);
    assert_int_equal(fake.resets, 0);
    assert_true(sched_need_pick(0));
    assert_true(sched_need_pick(1));
    assert_int_equal(fake.kicks, 1u << 1);
    /* A second request meanwhile is dropped and not counted. */
    uint32_t restarts = p->restarts;
    assert_false(part_restart(p, false, false));
    assert_int_equal(p->restarts, restarts);
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    fx_restart_finish(p);
    assert_string_equal(fake_console(), "[beta] partial\n(bulkhead) partition beta restarting (cold)\n");
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    assert_int_equal(p->state, PART_RUNNING);
    assert_memory_equal(&ram[1][0x1000], &blob.bytes[p->cfg->image_offset], IMG_SIZE);
    assert_int_equal(ram[1][0x1000u + IMG_SIZE], 0);
    assert_memory_equal(&ram[1][0x3000], &blob.bytes[p->cfg->dtb_offset], DTB_SIZE);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(vcpu_table[1].vtimer.ctl, 0);
    assert_int_equal(vcpu_table[1].vtimer.cval, 0);
    assert_int_equal(fake.resets, 2);
    assert_int_equal(fake.reset_entry[1], GPA1 + 0x1008u);
    assert_int_equal(fake.reset_arg0[1], GPA1 + 0x3000u);
    assert_int_equal(fake.reset_entry[2], 0);
    /* Partition 0 untouched. */
    assert_int_equal(vcpu_table[0].state, VCPU_RUNNABLE);
}

/* Verifies: LLR-PART-004 (a stopped partition is never restarted; a reload
 * that no longer fits stops the partition instead) */
static void test_restart_refused(void **state)
{
    (void)state;
    build();
    part_stop(&part_table[1], "crash");
    fake_console_clear();
    fake.resets = 0;
    part_restart(&part_table[1], true, false);
    fx_restart_finish(&part_table[1]);
    assert_string_equal(fake_console(), "");
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(fake.resets, 0);

    blob.cfg.parts[0].image_gpa = GPA0 + RAM_SIZE;
    jmp_buf jb;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        part_restart(&part_table[0], true, false);
        fx_restart_finish(&part_table[0]);
        fail_msg("no system off");
    }
    fake_halt_jmp = NULL;
    assert_string_equal(fake_console(), "(bulkhead) partition alpha restarting (cold)\n"
                                      "(bulkhead) partition alpha stopped: reload failed\n"
                                      "(bulkhead) all partitions stopped; system off\n");
    assert_int_equal(fake.resets, 0);
}

/* Verifies: LLR-PART-004 (a failed reload stops only that partition) */
static void test_restart_reload_fails(void **state)
{
    (void)state;
    build();
    blob.cfg.parts[1].dtb_gpa = GPA1 + RAM_SIZE - 8u;
    part_restart(&part_table[1], true, false);
    fx_restart_finish(&part_table[1]);
    assert_string_equal(fake_console(), "(bulkhead) partition beta restarting (cold)\n"
                                      "(bulkhead) partition beta stopped: reload failed\n");
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(fake.system_off, 0);
}

/* Build with alpha as the system partition. */
static void build_with_system(void)
{
    blob.cfg.parts[0].flags = BH_CFG_PART_F_SYSTEM;
    build();
    assert_true(part_table[0].system);
    assert_false(part_table[1].system);
}

/* Verifies: LLR-PART-004 (a warm restart keeps memory, resets the vCPUs and
 * devices and enters WARM_START) */
static void test_restart_warm(void **state)
{
    (void)state;
    build();
    struct partition *p = &part_table[1];
    memset(ram[1], 0x55, RAM_SIZE);
    vcpu_table[2].state = VCPU_RUNNABLE;
    vcpu_table[1].vtimer.ctl = 1;
    vcpu_table[2].in_window = true; /* beta's vCPU 1 owns CPU 0's window */
    fake.cpu_id = 1;
    part_restart(p, false, false);
    fx_restart_finish(p);
    assert_string_equal(fake_console(), "(bulkhead) partition beta restarting (warm)\n");
    assert_int_equal(p->mode, PART_MODE_WARM_START);
    assert_int_equal(p->state, PART_RUNNING);
    assert_int_equal(ram[1][0x1000], 0x55);
    assert_int_equal(ram[1][0x3000], 0x55);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    assert_int_equal(vcpu_table[2].state, VCPU_OFF);
    assert_int_equal(vcpu_table[1].vtimer.ctl, 0);
    assert_int_equal(fake.resets, 2);
    assert_int_equal(fake.reset_entry[1], GPA1 + 0x1008u);
    assert_int_equal(fake.kicks, 1u << 0);
    /* A warm restart needs no reload, so a layout that no longer fits does
     * not matter to it. */
    blob.cfg.parts[1].image_gpa = GPA1 + RAM_SIZE;
    part_restart(p, false, false);
    fx_restart_finish(p);
    assert_int_equal(p->state, PART_RUNNING);
}

/* Verifies: LLR-PART-004 (a stopped partition restarts only with from_idle;
 * then cold reloads its image, warm keeps its memory) */
static void test_restart_from_idle(void **state)
{
    (void)state;
    build();
    struct partition *p = &part_table[1];
    part_stop(p, "crash");
    memset(ram[1], 0x55, RAM_SIZE);
    fake_console_clear();
    part_restart(p, false, false);
    fx_restart_finish(p);
    assert_int_equal(p->state, PART_STOPPED);
    assert_string_equal(fake_console(), "");
    part_restart(p, false, true);
    fx_restart_finish(p);
    assert_string_equal(fake_console(), "(bulkhead) partition beta restarting (warm)\n");
    assert_int_equal(p->state, PART_RUNNING);
    assert_int_equal(p->mode, PART_MODE_WARM_START);
    assert_int_equal(ram[1][0x1000], 0x55);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);
    part_stop(p, "again");
    part_restart(p, true, true);
    fx_restart_finish(p);
    assert_int_equal(p->state, PART_RUNNING);
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    assert_memory_equal(&ram[1][0x1000], &blob.bytes[p->cfg->image_offset], IMG_SIZE);
}

/* Verifies: LLR-PART-008 (a partition starts in COLD_START; NORMAL from
 * COLD_START and from WARM_START, NORMAL again changes nothing) */
static void test_mode_normal(void **state)
{
    (void)state;
    build();
    struct vcpu *beta0 = &vcpu_table[1];
    uint32_t mode = 99;
    assert_int_equal(part_get_mode(beta0, 1, &mode), 0);
    assert_int_equal(mode, PART_MODE_COLD_START);
    assert_int_equal(part_set_mode(beta0, 1, PART_MODE_NORMAL), 0);
    assert_int_equal(part_get_mode(&vcpu_table[2], 1, &mode), 0);
    assert_int_equal(mode, PART_MODE_NORMAL);
    assert_int_equal(part_set_mode(beta0, 1, PART_MODE_NORMAL), 0);
    assert_int_equal(part_table[1].mode, PART_MODE_NORMAL);
    assert_int_equal(fake.resets, 0);
    assert_string_equal(fake_console(), "");

    part_restart(&part_table[1], false, false);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(part_table[1].mode, PART_MODE_WARM_START);
    assert_int_equal(part_set_mode(beta0, 1, PART_MODE_NORMAL), 0);
    assert_int_equal(part_table[1].mode, PART_MODE_NORMAL);
    assert_int_equal(part_table[0].mode, PART_MODE_COLD_START);
}

/* Verifies: LLR-PART-008 (IDLE stops the partition; WARM_START is refused
 * from COLD_START and restarts warm otherwise; COLD_START restarts cold) */
static void test_mode_transitions(void **state)
{
    (void)state;
    build();
    struct vcpu *beta1 = &vcpu_table[2];
    struct partition *p = &part_table[1];
    memset(ram[1], 0x55, RAM_SIZE);
    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_WARM_START), -XEN_EINVAL);
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    assert_int_equal(fake.resets, 0);

    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_NORMAL), 0);
    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_WARM_START), 0);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(p->mode, PART_MODE_WARM_START);
    assert_int_equal(ram[1][0x1000], 0x55);
    assert_int_equal(fake.resets, 2);
    /* WARM_START again from WARM_START. */
    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_WARM_START), 0);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(fake.resets, 4);

    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_COLD_START), 0);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    assert_memory_equal(&ram[1][0x1000], &blob.bytes[p->cfg->image_offset], IMG_SIZE);
    assert_string_equal(fake_console(), "(bulkhead) partition beta restarting (warm)\n"
                                      "(bulkhead) partition beta restarting (warm)\n"
                                      "(bulkhead) partition beta restarting (cold)\n");

    fake_console_clear();
    assert_int_equal(part_set_mode(beta1, 1, PART_MODE_IDLE), 0);
    assert_string_equal(fake_console(), "(bulkhead) partition beta stopped: mode IDLE requested\n");
    assert_int_equal(p->state, PART_STOPPED);
    assert_int_equal(p->mode, PART_MODE_IDLE);
    assert_int_equal(vcpu_table[1].state, VCPU_OFF);
    assert_int_equal(part_table[0].state, PART_RUNNING);
}

/* Verifies: LLR-PART-008 (the system partition reads and sets another's
 * mode and restarts an IDLE partition; NORMAL of an IDLE one is -EINVAL) */
static void test_mode_system(void **state)
{
    (void)state;
    build_with_system();
    struct vcpu *sys = &vcpu_table[0];
    struct partition *p = &part_table[1];
    uint32_t mode = 99;
    assert_int_equal(part_set_mode(sys, 1, PART_MODE_IDLE), 0);
    assert_int_equal(p->state, PART_STOPPED);
    assert_int_equal(part_get_mode(sys, 1, &mode), 0);
    assert_int_equal(mode, PART_MODE_IDLE);
    assert_int_equal(part_set_mode(sys, 1, PART_MODE_NORMAL), -XEN_EINVAL);
    assert_int_equal(part_set_mode(sys, 1, PART_MODE_IDLE), 0);
    assert_int_equal(p->state, PART_STOPPED);

    memset(ram[1], 0x55, RAM_SIZE);
    fake_console_clear();
    assert_int_equal(part_set_mode(sys, 1, PART_MODE_COLD_START), 0);
    fx_restart_finish(&part_table[1]);
    assert_string_equal(fake_console(), "(bulkhead) partition beta restarting (cold)\n");
    assert_int_equal(p->state, PART_RUNNING);
    assert_int_equal(p->mode, PART_MODE_COLD_START);
    assert_memory_equal(&ram[1][0x1000], &blob.bytes[p->cfg->image_offset], IMG_SIZE);
    assert_int_equal(vcpu_table[1].state, VCPU_RUNNABLE);

    assert_int_equal(part_set_mode(sys, 1, PART_MODE_IDLE), 0);
    memset(ram[1], 0x55, RAM_SIZE);
    assert_int_equal(part_set_mode(sys, 1, PART_MODE_WARM_START), 0);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(p->state, PART_RUNNING);
    assert_int_equal(p->mode, PART_MODE_WARM_START);
    assert_int_equal(ram[1][0x1000], 0x55);

    /* The system partition addresses itself too. */
    assert_int_equal(part_set_mode(sys, 0, PART_MODE_NORMAL), 0);
    assert_int_equal(part_get_mode(sys, 0, &mode), 0);
    assert_int_equal(mode, PART_MODE_NORMAL);
}

/* Verifies: LLR-PART-008 (another partition without the privilege gets
 * -EPERM, an unknown id or mode -EINVAL, and nothing changes; a vCPU of an
 * IDLE partition that is not the system one changes nothing either) */
static void test_mode_refused(void **state)
{
    (void)state;
    build_with_system();
    struct vcpu *beta0 = &vcpu_table[1];
    uint32_t mode = 99;
    assert_int_equal(part_get_mode(beta0, 0, &mode), -XEN_EPERM);
    assert_int_equal(mode, 99);
    assert_int_equal(part_set_mode(beta0, 0, PART_MODE_IDLE), -XEN_EPERM);
    assert_int_equal(part_table[0].state, PART_RUNNING);
    assert_int_equal(part_get_mode(beta0, 2, &mode), -XEN_EINVAL);
    assert_int_equal(part_get_mode(&vcpu_table[0], BH_MAX_PARTS, &mode), -XEN_EINVAL);
    assert_int_equal(part_set_mode(beta0, 2, PART_MODE_NORMAL), -XEN_EINVAL);
    assert_int_equal(part_set_mode(beta0, UINT32_MAX, PART_MODE_NORMAL), -XEN_EINVAL);
    assert_int_equal(mode, 99);
    static const uint32_t bad_mode[] = {4, 5, 0x80000000u, UINT32_MAX};
    for (size_t k = 0; k < sizeof(bad_mode) / sizeof(bad_mode[0]); k++) {
        assert_int_equal(part_set_mode(beta0, 1, bad_mode[k]), -XEN_EINVAL);
        assert_int_equal(part_set_mode(&vcpu_table[0], 1, bad_mode[k]), -XEN_EINVAL);
    }
    assert_int_equal(part_table[1].mode, PART_MODE_COLD_START);
    assert_int_equal(fake.resets, 0);

    part_stop(&part_table[1], "crash");
    fake_console_clear();
    assert_int_equal(part_set_mode(&vcpu_table[2], 1, PART_MODE_COLD_START), -XEN_EPERM);
    assert_int_equal(part_set_mode(&vcpu_table[2], 1, PART_MODE_WARM_START), -XEN_EPERM);
    assert_int_equal(part_table[1].state, PART_STOPPED);
    assert_int_equal(fake.resets, 0);
    assert_string_equal(fake_console(), "");
    /* Reading its own mode is still allowed. */
    assert_int_equal(part_get_mode(&vcpu_table[2], 1, &mode), 0);
    assert_int_equal(mode, PART_MODE_IDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_guest_ptr, setup),
        cmocka_unit_test_setup(test_build, setup),
        cmocka_unit_test_setup(test_build_s2_fail, setup),
        cmocka_unit_test_setup(test_build_bad_load, setup),
        cmocka_unit_test_setup(test_build_limits, setup),
        cmocka_unit_test_setup(test_stop, setup),
        cmocka_unit_test_setup(test_stop_outside_window, setup),
        cmocka_unit_test_setup(test_stop_last, setup),
        cmocka_unit_test_setup(test_restart, setup),
        cmocka_unit_test_setup(test_restart_refused, setup),
        cmocka_unit_test_setup(test_restart_reload_fails, setup),
        cmocka_unit_test_setup(test_ramdisk, setup),
        cmocka_unit_test_setup(test_restart_warm, setup),
        cmocka_unit_test_setup(test_restart_from_idle, setup),
        cmocka_unit_test_setup(test_mode_normal, setup),
        cmocka_unit_test_setup(test_mode_transitions, setup),
        cmocka_unit_test_setup(test_mode_system, setup),
        cmocka_unit_test_setup(test_mode_refused, setup),
        cmocka_unit_test_setup(test_build_shms, setup),
        cmocka_unit_test_setup(test_build_shm_fail, setup),
    };
    return cmocka_run_group_tests_name("part", tests, NULL, NULL);
}
