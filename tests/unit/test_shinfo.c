/* Unit tests of hyp/core/shinfo.c (shared info, per-vCPU info, runstate),
 * reached through the hypercall dispatcher, and of page-wise console writes. */
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
#include "shinfo.h"

#define PG 4096u
#define RAM_SIZE (8u * PG)
#define GPA0 0x40000000ull
#define GPA1 0x80000000ull
#define END0 (GPA0 + RAM_SIZE)
#define ARG 0x100u    /* argument scratch offset in RAM */
#define CTRL_PAGE 4u  /* FIFO control blocks */
#define ARRAY_PAGE 5u /* FIFO event array */
#define INFO_PAGE 6u  /* vcpu_info areas */
#define SELF EVTCHN_DOMID_SELF
#define MFN0 (GPA0 / PG)

static const uint64_t gpa_of[2] = {GPA0, GPA1};

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 2u * 64u];
} blob;
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static uint8_t before[2][RAM_SIZE];

static void fill_part(uint32_t i, const char *name, uint32_t nv)
{
    fx_part(&blob.cfg, i, name, gpa_of[i], ram[i], RAM_SIZE, nv);
}

/* g0: two vCPUs (gids 0, 1); g1: one vCPU (gid 2). */
static int setup(void **state)
{
    (void)state;
    fx_begin(&blob.cfg, sizeof(blob), 2);
    memset(ram, 0xAA, sizeof(ram));
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

static int64_t call(uint32_t gid, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t args[5] = {a0, a1, a2, 0, 0};
    return hcall_dispatch(&vcpu_table[gid], nr, args);
}

static uint32_t part_of(uint32_t gid)
{
    return (gid < 2u) ? 0u : 1u;
}

/* xen_add_to_physmap at offset off of the caller's RAM (layout written from
 * Xen's public memory.h: domid, size, space, idx, gpfn). */
static int64_t xatp_at(uint32_t gid, uint32_t off, uint16_t domid, uint32_t space, uint64_t idx,
                       uint64_t gpfn)
{
    uint8_t *a = &ram[part_of(gid)][off];
    uint16_t size = 0x5555;
    memcpy(a, &domid, 2);
    memcpy(a + 2, &size, 2);
    memcpy(a + 4, &space, 4);
    memcpy(a + 8, &idx, 8);
    memcpy(a + 16, &gpfn, 8);
    memcpy(before, ram, sizeof(ram));
    return call(gid, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, gpa_of[part_of(gid)] + off, 0);
}

static int64_t xatp(uint32_t gid, uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
    return xatp_at(gid, ARG, domid, space, idx, gpfn);
}

/* vcpu_register_vcpu_info (mfn, offset, rsvd) at offset off of RAM. */
static int64_t reg_info_at(uint32_t gid, uint32_t off, uint64_t vcpu_id, uint64_t mfn,
                           uint32_t offset)
{
    uint8_t *a = &ram[part_of(gid)][off];
    uint32_t rsvd = 0x77777777u;
    memcpy(a, &mfn, 8);
    memcpy(a + 8, &offset, 4);
    memcpy(a + 12, &rsvd, 4);
    memcpy(before, ram, sizeof(ram));
    return call(gid, XEN_HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, vcpu_id,
                gpa_of[part_of(gid)] + off);
}

static int64_t reg_info(uint32_t gid, uint64_t vcpu_id, uint64_t mfn, uint32_t offset)
{
    return reg_info_at(gid, ARG, vcpu_id, mfn, offset);
}

static void assert_ram_unchanged(void)
{
    assert_memory_equal(ram, before, sizeof(ram));
}

static uint8_t *info(uint32_t pi, uint32_t off)
{
    return &ram[pi][INFO_PAGE * PG + off];
}

/* Verifies: LLR-SHI-001 (every memory_op command but add_to_physmap, low
 * 32 bits, gives -ENOSYS and touches nothing) */
static void test_memory_op_commands(void **state)
{
    (void)state;
    static const uint64_t cmd[] = {0, 1, 6, 8, 12, 0xFFFFFFFFu, (1ull << 32) | 6u};
    memcpy(before, ram, sizeof(ram));
    for (size_t i = 0; i < sizeof(cmd) / sizeof(cmd[0]); i++) {
        assert_int_equal(call(0, XEN_HC_MEMORY_OP, cmd[i], GPA0 + ARG, 0), -XEN_ENOSYS);
    }
    assert_ram_unchanged();
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), 0);
    uint8_t *a = &ram[0][ARG];
    memset(a, 0, SHINFO_XATP_SIZE);
    uint16_t self = SELF;
    uint64_t gpfn = MFN0 + 3u;
    memcpy(a, &self, 2);
    memcpy(a + 16, &gpfn, 8);
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, (1ull << 32) | XENMEM_ADD_TO_PHYSMAP, GPA0 + ARG, 0),
                     0);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0 + 3u * PG);
}

/* Verifies: LLR-SHI-001 (shared info recorded for DOMID_SELF and the
 * caller's own id, any frame wholly in its RAM, argument unaligned or split
 * across non-contiguous pages; guest memory not written) */
static void test_add_to_physmap(void **state)
{
    (void)state;
    assert_int_equal(xatp(0, SELF, XENMAPSPACE_SHARED_INFO, 0, MFN0 + 3u), 0);
    assert_ram_unchanged();
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0 + 3u * PG);
    assert_int_equal(shinfo_shared_gpa(&part_table[1]), 0);
    /* From vCPU 1, naming itself by id (domid = index + 1), unaligned. */
    assert_int_equal(xatp_at(1, ARG + 3u, 1, XENMAPSPACE_SHARED_INFO, 0, MFN0 + 7u), 0);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), END0 - PG);
    assert_int_equal(xatp(0, 1, XENMAPSPACE_SHARED_INFO, 0, MFN0), 0);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0);
    assert_int_equal(xatp(2, 2, XENMAPSPACE_SHARED_INFO, 0, GPA1 / PG + 2u), 0);
    assert_int_equal(shinfo_shared_gpa(&part_table[1]), GPA1 + 2u * PG);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0);
    /* Argument straddling a page, the second page mapped elsewhere. */
    uint8_t arg[SHINFO_XATP_SIZE];
    uint16_t self = SELF;
    uint64_t gpfn = MFN0 + 5u;
    memset(arg, 0, sizeof(arg));
    memcpy(arg, &self, 2);
    memcpy(arg + 16, &gpfn, 8);
    memset(&ram[0][PG], 0xEE, PG); /* what an untranslated read would see */
    memcpy(&ram[0][PG - 10u], arg, 10);
    memcpy(&ram[0][3u * PG], arg + 10, sizeof(arg) - 10u);
    fake.xlate_from = GPA0 + PG;
    fake.xlate_shift = 2u * PG;
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, GPA0 + PG - 10u, 0), 0);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0 + 5u * PG);
}

/* Verifies: LLR-SHI-001 (-EFAULT, -ENOSYS, -ESRCH or -EPERM, -EINVAL in that order;
 * nothing recorded, nothing written) */
static void test_add_to_physmap_refused(void **state)
{
    (void)state;
    assert_int_equal(xatp(0, SELF, XENMAPSPACE_SHARED_INFO, 0, MFN0 + 2u), 0);
    static const uint32_t spaces[] = {1, 2, 3, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
        assert_int_equal(xatp(0, SELF, spaces[i], 0, MFN0), -XEN_ENOSYS);
        assert_int_equal(xatp(0, 2, spaces[i], 5, UINT64_MAX), -XEN_ENOSYS);
    }
    static const uint16_t none[] = {0, 3, 0x7FEF, 0x7FF1, 0xFFFF}; /* no such domain */
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        assert_int_equal(xatp(0, none[i], XENMAPSPACE_SHARED_INFO, 0, MFN0), -XEN_ESRCH);
    }
    assert_int_equal(xatp(0, 2, XENMAPSPACE_SHARED_INFO, 0, MFN0), -XEN_EPERM);
    assert_int_equal(xatp(2, 1, XENMAPSPACE_SHARED_INFO, 0, GPA1 / PG), -XEN_EPERM);
    static const uint64_t idx[] = {1, 0x100, UINT64_MAX};
    for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
        assert_int_equal(xatp(0, SELF, XENMAPSPACE_SHARED_INFO, idx[i], MFN0), -XEN_EINVAL);
    }
    static const uint64_t gpfn[] = {UINT64_MAX / PG, UINT64_MAX / PG + 1u,
                                    UINT64_MAX,      UINT64_MAX / PG - 1u,
                                    END0 / PG,       MFN0 - 1u,
                                    GPA1 / PG,       0};
    for (size_t i = 0; i < sizeof(gpfn) / sizeof(gpfn[0]); i++) {
        assert_int_equal(xatp(0, SELF, XENMAPSPACE_SHARED_INFO, 0, gpfn[i]), -XEN_EINVAL);
    }
    assert_ram_unchanged();
    /* Argument not readable: outside RAM, untranslatable, split off RAM. */
    memcpy(before, ram, sizeof(ram));
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, END0 - 23u, 0), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, GPA1, 0), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, UINT64_MAX - 7u, 0),
                     -XEN_EFAULT);
    fake.xlate_fail = 1;
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, GPA0 + ARG, 0), -XEN_EFAULT);
    fake.xlate_fail = 0;
    fake.xlate_from = GPA0 + 7u * PG;
    fake.xlate_shift = PG;
    assert_int_equal(call(0, XEN_HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, END0 - PG - 8u, 0),
                     -XEN_EFAULT);
    assert_ram_unchanged();
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), GPA0 + 2u * PG);
    assert_int_equal(shinfo_shared_gpa(&part_table[1]), 0);
}

/* Verifies: LLR-SHI-002, LLR-SHI-003 (-EINVAL for a command other than
 * the two, before the vCPU id is looked at; then -ENOENT for a vCPU id at
 * or above the caller's count) */
static void test_vcpu_op_ids_and_commands(void **state)
{
    (void)state;
    memcpy(before, ram, sizeof(ram));
    static const uint64_t cmd[] = {VCPUOP_REGISTER_VCPU_INFO, VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA};
    for (size_t i = 0; i < sizeof(cmd) / sizeof(cmd[0]); i++) {
        assert_int_equal(call(0, XEN_HC_VCPU_OP, cmd[i], 2, GPA0 + ARG), -XEN_ENOENT);
        assert_int_equal(call(0, XEN_HC_VCPU_OP, cmd[i], 0xFFFFFFFFu, GPA0 + ARG), -XEN_ENOENT);
        assert_int_equal(call(2, XEN_HC_VCPU_OP, cmd[i], 1, GPA1 + ARG), -XEN_ENOENT);
    }
    static const uint64_t other[] = {0, 1, 4, 6, 9, 11, 13, 0xFFFFFFFFu, (1ull << 32) | 11u};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        assert_int_equal(call(0, XEN_HC_VCPU_OP, other[i], 1, GPA0 + ARG), -XEN_EINVAL);
        assert_int_equal(call(0, XEN_HC_VCPU_OP, other[i], 2, GPA0 + ARG), -XEN_EINVAL);
    }
    /* The command is the low 32 bits. */
    assert_int_equal(
        call(0, XEN_HC_VCPU_OP, (1ull << 32) | VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 1, GPA0 + ARG),
        0);
    assert_ram_unchanged();
}

/* Verifies: LLR-SHI-002, LLR-SHI-004 (an info area is recorded for the
 * target vCPU, which may be another vCPU of the caller; at page offsets 0
 * and 4048, the argument unaligned; nothing written at registration) */
static void test_register_vcpu_info(void **state)
{
    (void)state;
    assert_int_equal(reg_info(0, 1, MFN0 + INFO_PAGE, PG - SHINFO_VCPU_INFO_SIZE), 0);
    assert_ram_unchanged();
    assert_int_equal(reg_info_at(1, ARG + 5u, 0, MFN0 + INFO_PAGE, 0), 0);
    assert_int_equal(reg_info(2, 0, GPA1 / PG + INFO_PAGE, 8), 0);
    assert_ram_unchanged();
    shinfo_mark_upcall(&vcpu_table[1]);
    before[0][INFO_PAGE * PG + PG - SHINFO_VCPU_INFO_SIZE] = 1;
    assert_ram_unchanged();
    shinfo_mark_upcall(&vcpu_table[0]);
    before[0][INFO_PAGE * PG] = 1;
    shinfo_mark_upcall(&vcpu_table[2]);
    before[1][INFO_PAGE * PG + 8u] = 1;
    assert_ram_unchanged();
}

/* Verifies: LLR-SHI-002 (-EINVAL for a misaligned offset, an area crossing
 * the page, a huge or foreign frame, a second registration; -EFAULT for an
 * unreadable argument; nothing recorded then) */
static void test_register_vcpu_info_refused(void **state)
{
    (void)state;
    static const uint32_t offs[] = {1,  4,          7, 4047, PG - SHINFO_VCPU_INFO_SIZE + 8u,
                                    PG, 0xFFFFFFF8u};
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, offs[i]), -XEN_EINVAL);
    }
    static const uint64_t mfn[] = {UINT64_MAX / PG, UINT64_MAX / PG - 1u,  UINT64_MAX, END0 / PG,
                                   MFN0 - 1u,       GPA1 / PG + INFO_PAGE, 0};
    for (size_t i = 0; i < sizeof(mfn) / sizeof(mfn[0]); i++) {
        assert_int_equal(reg_info(0, 0, mfn[i], 0), -XEN_EINVAL);
    }
    memcpy(before, ram, sizeof(ram));
    assert_int_equal(call(0, XEN_HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, END0 - 15u),
                     -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, GPA1 + ARG),
                     -XEN_EFAULT);
    fake.xlate_fail = 1;
    assert_int_equal(call(0, XEN_HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, GPA0 + ARG),
                     -XEN_EFAULT);
    fake.xlate_fail = 0;
    fake.xlate_from = GPA0 + 7u * PG;
    fake.xlate_shift = PG;
    assert_int_equal(call(0, XEN_HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0, END0 - PG - 8u),
                     -XEN_EFAULT);
    fake.xlate_from = 0;
    /* Nothing was recorded: an upcall writes nothing. */
    shinfo_mark_upcall(&vcpu_table[0]);
    assert_ram_unchanged();
    /* A second registration is refused and the first area kept. */
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0x40), 0);
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0x80), -XEN_EINVAL);
    assert_int_equal(reg_info(1, 0, MFN0 + INFO_PAGE, 0x40), -XEN_EINVAL);
    assert_int_equal(reg_info(1, 1, MFN0 + INFO_PAGE, 0x80), 0); /* other vCPU: its own */
    shinfo_mark_upcall(&vcpu_table[0]);
    assert_int_equal(*info(0, 0x40), 1);
    assert_int_equal(*info(0, 0x80), 0xAA);
}

/* Verifies: LLR-SHI-003 (the runstate area is accepted, repeatedly, when
 * its 8-byte argument is readable, and never written; -EFAULT otherwise) */
static void test_runstate(void **state)
{
    (void)state;
    uint64_t area = GPA0 + INFO_PAGE * PG;
    memcpy(&ram[0][ARG], &area, 8);
    memcpy(&ram[0][RAM_SIZE - 8u], &area, 8);
    memcpy(before, ram, sizeof(ram));
    const uint64_t rs = VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA;
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 0, GPA0 + ARG), 0);
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 0, GPA0 + ARG), 0);
    assert_int_equal(call(1, XEN_HC_VCPU_OP, rs, 1, END0 - 8u), 0);
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 1, END0 - 7u), -XEN_EFAULT);
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 0, GPA0 - 1u), -XEN_EFAULT);
    fake.xlate_fail = 1;
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 0, GPA0 + ARG), -XEN_EFAULT);
    fake.xlate_fail = 0;
    fake.xlate_from = GPA0 + 7u * PG;
    fake.xlate_shift = PG;
    assert_int_equal(call(0, XEN_HC_VCPU_OP, rs, 0, END0 - PG - 4u), -XEN_EFAULT);
    assert_ram_unchanged();
    /* The runstate call did not register an info area. */
    shinfo_mark_upcall(&vcpu_table[0]);
    assert_ram_unchanged();
}

/* Verifies: LLR-SHI-004 (byte 0 set, bytes 1..47 and every other vCPU's
 * area untouched; nothing when no area is registered) */
static void test_mark_upcall(void **state)
{
    (void)state;
    memcpy(before, ram, sizeof(ram));
    for (uint32_t gid = 0; gid < 3u; gid++) {
        shinfo_mark_upcall(&vcpu_table[gid]);
    }
    assert_ram_unchanged();
    assert_int_equal(reg_info(1, 1, MFN0 + INFO_PAGE, 0x100), 0);
    memset(info(0, 0x100), 0, SHINFO_VCPU_INFO_SIZE);
    memcpy(before, ram, sizeof(ram));
    shinfo_mark_upcall(&vcpu_table[0]);
    shinfo_mark_upcall(&vcpu_table[2]);
    assert_ram_unchanged();
    shinfo_mark_upcall(&vcpu_table[1]);
    shinfo_mark_upcall(&vcpu_table[1]);
    before[0][INFO_PAGE * PG + 0x100u] = 1;
    assert_ram_unchanged();
}

struct a_init {
    uint64_t gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits, pad[7];
};

static int64_t eop(uint32_t cmd, void *arg, size_t size)
{
    memcpy(&ram[0][ARG], arg, size);
    int64_t rc = call(0, XEN_HC_EVENT_CHANNEL_OP, cmd, GPA0 + ARG, 0);
    memcpy(arg, &ram[0][ARG], size);
    return rc;
}

/* Verifies: LLR-SHI-004 (the FIFO upcall of an event sets the pending byte
 * of the receiving vCPU's info area) */
static void test_mark_upcall_from_fifo(void **state)
{
    (void)state;
    memset(&ram[0][CTRL_PAGE * PG], 0, 3u * PG);
    struct a_init in = {MFN0 + CTRL_PAGE, 0, 0, 0, {0}};
    assert_int_equal(eop(EVTCHNOP_INIT_CONTROL, &in, sizeof(in)), 0);
    uint64_t array = MFN0 + ARRAY_PAGE;
    assert_int_equal(eop(EVTCHNOP_EXPAND_ARRAY, &array, sizeof(array)), 0);
    uint32_t a[2] = {SELF | ((uint32_t)SELF << 16), 0};
    assert_int_equal(eop(EVTCHNOP_ALLOC_UNBOUND, a, 8), 0);
    uint32_t b[3] = {SELF, a[1], 0};
    /* Binding raises the new port (as Xen does): no area yet, nothing written. */
    assert_int_equal(eop(EVTCHNOP_BIND_INTERDOMAIN, b, 12), 0);
    assert_int_equal(*info(0, 0x200), 0);
    /* The guest takes that event: READY and the port's word cleared. */
    memset(&ram[0][CTRL_PAGE * PG], 0, 2u * PG);
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0x200), 0);
    assert_int_equal(*info(0, 0x200), 0);
    uint32_t port = b[2];
    assert_int_equal(eop(EVTCHNOP_SEND, &port, 4), 0);
    assert_int_equal(*info(0, 0x200), 1);
    assert_int_equal(*info(0, 0x201), 0);
    assert_int_not_equal(vcpu_table[0].vgic.priv[VGIC_PPI_EVTCHN].pending, 0);
}

/* Verifies: LLR-SHI-005 (reset forgets the shared-info frame and every info
 * area of that partition only; a restart does so through part_reset; both
 * can then be registered again) */
static void test_reset(void **state)
{
    (void)state;
    assert_int_equal(xatp(0, SELF, XENMAPSPACE_SHARED_INFO, 0, MFN0 + 3u), 0);
    assert_int_equal(xatp(2, SELF, XENMAPSPACE_SHARED_INFO, 0, GPA1 / PG + 3u), 0);
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0), 0);
    assert_int_equal(reg_info(0, 1, MFN0 + INFO_PAGE, 0x40), 0);
    assert_int_equal(reg_info(2, 0, GPA1 / PG + INFO_PAGE, 0), 0);
    shinfo_reset(&part_table[0]);
    assert_int_equal(shinfo_shared_gpa(&part_table[0]), 0);
    assert_int_equal(shinfo_shared_gpa(&part_table[1]), GPA1 + 3u * PG);
    memcpy(before, ram, sizeof(ram));
    shinfo_mark_upcall(&vcpu_table[0]);
    shinfo_mark_upcall(&vcpu_table[1]);
    assert_ram_unchanged();
    shinfo_mark_upcall(&vcpu_table[2]);
    assert_int_equal(*info(1, 0), 1);
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0x80), 0);
    assert_int_equal(reg_info(0, 1, MFN0 + INFO_PAGE, 0xC0), 0);

    /* A restart of g1 forgets its frame and area (part_reset). */
    part_restart(&part_table[1], true, false);
    fx_restart_finish(&part_table[1]);
    assert_int_equal(shinfo_shared_gpa(&part_table[1]), 0);
    memcpy(before, ram, sizeof(ram));
    shinfo_mark_upcall(&vcpu_table[2]);
    assert_ram_unchanged();
    assert_int_equal(reg_info(2, 0, GPA1 / PG + INFO_PAGE, 0), 0);
    shinfo_mark_upcall(&vcpu_table[1]);
    assert_int_equal(*info(0, 0xC0), 1);
}

/* Verifies: LLR-SHI-005 (the vCPU loop is bounded by the per-partition
 * table even when num_vcpus is larger) */
static void test_reset_bounded(void **state)
{
    (void)state;
    static struct vcpu lv[BH_MAX_VCPUS_PER_PART];
    struct partition hp;
    memset(&hp, 0, sizeof(hp));
    hp.id = BH_MAX_PARTS - 1u;
    hp.num_vcpus = BH_MAX_VCPUS_PER_PART + 1u;
    for (uint32_t i = 0; i < BH_MAX_VCPUS_PER_PART; i++) {
        lv[i].gid = i;
        hp.vcpus[i] = &lv[i];
    }
    assert_int_equal(reg_info(0, 0, MFN0 + INFO_PAGE, 0), 0);
    assert_int_equal(reg_info(2, 0, GPA1 / PG + INFO_PAGE, 0), 0);
    shinfo_reset(&hp); /* gids 0 .. BH_MAX_VCPUS_PER_PART-1: includes 0 and 2 */
    memcpy(before, ram, sizeof(ram));
    shinfo_mark_upcall(&vcpu_table[0]);
    shinfo_mark_upcall(&vcpu_table[2]);
    assert_ram_unchanged();
    assert_int_equal(shinfo_shared_gpa(&hp), 0);
}

/* Verifies: LLR-HC-005 (a console write straddling a page boundary, the
 * second page translated elsewhere, prints the bytes of both pieces in
 * order; a second page outside RAM gives -EFAULT and prints nothing) */
static void test_console_write_split(void **state)
{
    (void)state;
    memcpy(&ram[0][2u * PG - 4u], "abcd", 4);
    memcpy(&ram[0][2u * PG], "XXXX", 4); /* not the translation: never printed */
    memcpy(&ram[0][5u * PG], "efg\n", 4);
    fake.xlate_from = GPA0 + 2u * PG;
    fake.xlate_shift = 3u * PG;
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 8, GPA0 + 2u * PG - 4u), 0);
    assert_string_equal(fake_console(), "[g0] abcdefg\n");

    fake_console_clear();
    fake.xlate_shift = 6u * PG; /* second page beyond RAM */
    assert_int_equal(call(0, XEN_HC_CONSOLE_IO, CONSOLEIO_WRITE, 8, GPA0 + 2u * PG - 4u),
                     -XEN_EFAULT);
    console_guest_flush(&part_table[0]);
    assert_string_equal(fake_console(), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_memory_op_commands, setup),
        cmocka_unit_test_setup(test_add_to_physmap, setup),
        cmocka_unit_test_setup(test_add_to_physmap_refused, setup),
        cmocka_unit_test_setup(test_vcpu_op_ids_and_commands, setup),
        cmocka_unit_test_setup(test_register_vcpu_info, setup),
        cmocka_unit_test_setup(test_register_vcpu_info_refused, setup),
        cmocka_unit_test_setup(test_runstate, setup),
        cmocka_unit_test_setup(test_mark_upcall, setup),
        cmocka_unit_test_setup(test_mark_upcall_from_fifo, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_reset_bounded, setup),
        cmocka_unit_test_setup(test_console_write_split, setup),
    };
    return cmocka_run_group_tests_name("shinfo", tests, NULL, NULL);
}
