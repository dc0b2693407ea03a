/* Unit tests of hyp/core/gmem.c (hypercall buffers by guest-virtual address). */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "fake_arch.h"
#include "gmem.h"
#include "part.h"

#define PG 4096u
#define RAM_SIZE (4u * PG)
#define GPA0 0x40000000ull
#define GPA1 0x40004000ull /* the neighbour's RAM starts where g0's ends */
#define END0 (GPA0 + RAM_SIZE)

/* gmem needs only v->part and the RAM window of the partition: both are
 * built by hand here, no configuration blob. */
static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static uint8_t before[2][RAM_SIZE];
static struct partition parts[2];
static struct vcpu vcpus[2];

static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    memset(parts, 0, sizeof(parts));
    memset(vcpus, 0, sizeof(vcpus));
    for (uint32_t i = 0; i < 2u; i++) {
        parts[i].id = i;
        parts[i].ram_gpa = (i == 0u) ? GPA0 : GPA1;
        parts[i].ram_pa = (uint64_t)(uintptr_t)ram[i];
        parts[i].ram_size = RAM_SIZE;
        parts[i].num_vcpus = 1;
        parts[i].vcpus[0] = &vcpus[i];
        vcpus[i].part = &parts[i];
        vcpus[i].gid = i;
        for (uint32_t k = 0; k < RAM_SIZE; k++) {
            ram[i][k] = (uint8_t)(k * 7u + i);
        }
    }
    memcpy(before, ram, sizeof(ram));
    return 0;
}

static const struct vcpu *const v0 = &vcpus[0];

static void assert_ram_unchanged(void)
{
    assert_memory_equal(ram, before, sizeof(ram));
}

/* Pages at or above gva `from` translate `shift` bytes further on. */
static void split_at(uint64_t from, uint64_t shift)
{
    fake.xlate_from = from;
    fake.xlate_shift = shift;
}

/* Verifies: LLR-GMEM-001 (piece length is min(len, rest of the page); the
 * pointer is the translated address in the caller's RAM) */
static void test_piece_length(void **state)
{
    (void)state;
    uint64_t piece = 99;
    for (int w = 0; w < 2; w++) {
        assert_ptr_equal(gmem_piece(v0, GPA0, 10, w != 0, &piece), &ram[0][0]);
        assert_int_equal(piece, 10);
        assert_ptr_equal(gmem_piece(v0, GPA0 + 0xFF0u, 0x100, w != 0, &piece), &ram[0][0xFF0]);
        assert_int_equal(piece, 0x10);
        assert_ptr_equal(gmem_piece(v0, GPA0 + 0xFF0u, 0x10, w != 0, &piece), &ram[0][0xFF0]);
        assert_int_equal(piece, 0x10);
        assert_ptr_equal(gmem_piece(v0, GPA0 + PG, 3u * PG, w != 0, &piece), &ram[0][PG]);
        assert_int_equal(piece, PG);
        assert_ptr_equal(gmem_piece(v0, END0 - 1u, 5, w != 0, &piece), &ram[0][RAM_SIZE - 1u]);
        assert_int_equal(piece, 1);
        assert_ptr_equal(gmem_piece(v0, GPA0 + 5u, 0, w != 0, &piece), &ram[0][5]);
        assert_int_equal(piece, 0);
    }
    /* Translated elsewhere: the pointer follows the translation. */
    split_at(GPA0 + 2u * PG, PG);
    assert_ptr_equal(gmem_piece(v0, GPA0 + 2u * PG + 8u, 4, false, &piece), &ram[0][3u * PG + 8u]);
    assert_int_equal(piece, 4);
    assert_ptr_equal(gmem_piece(v0, GPA0 + 2u * PG - 4u, 8, true, &piece), &ram[0][2u * PG - 4u]);
    assert_int_equal(piece, 4);
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-001 (NULL when the translation fails, or the piece is
 * not wholly in the caller's RAM, *piece still set) */
static void test_piece_refused(void **state)
{
    (void)state;
    uint64_t piece = 99;
    fake.xlate_fail = 1;
    assert_null(gmem_piece(v0, GPA0, 16, false, &piece));
    assert_int_equal(piece, 16);
    assert_null(gmem_piece(v0, GPA0 + 0xFFCu, 16, true, &piece));
    assert_int_equal(piece, 4);
    fake.xlate_fail = 0;

    assert_null(gmem_piece(v0, END0, 1, false, &piece));
    assert_null(gmem_piece(v0, GPA0 - 1u, 1, false, &piece));
    assert_null(gmem_piece(v0, GPA1 + 0x10u, 4, true, &piece)); /* the neighbour's RAM */
    assert_null(gmem_piece(v0, UINT64_MAX - 2u, 8, false, &piece));
    assert_int_equal(piece, 3);
    /* A page that translates just past the end of RAM. */
    split_at(GPA0 + 3u * PG, PG);
    assert_null(gmem_piece(v0, GPA0 + 3u * PG, 1, true, &piece));
    assert_non_null(gmem_piece(v0, GPA0 + 3u * PG - 1u, 2, true, &piece));
    assert_int_equal(piece, 1);
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-002 (gmem_check: every piece must pass; a zero length
 * passes at any address) */
static void test_check(void **state)
{
    (void)state;
    for (int w = 0; w < 2; w++) {
        assert_true(gmem_check(v0, GPA0, RAM_SIZE, w != 0));
        assert_true(gmem_check(v0, GPA0 + 0x123u, 0x2000, w != 0));
        assert_false(gmem_check(v0, GPA0, RAM_SIZE + 1u, w != 0));
        assert_false(gmem_check(v0, END0 - 4u, 8, w != 0));
        assert_false(gmem_check(v0, GPA0 - 4u, 8, w != 0));
        assert_true(gmem_check(v0, END0 + 0x1000u, 0, w != 0));
        assert_true(gmem_check(v0, UINT64_MAX, 0, w != 0));
    }
    fake.xlate_fail = 1;
    assert_false(gmem_check(v0, GPA0, 1, false));
    assert_true(gmem_check(v0, GPA0, 0, true));
    fake.xlate_fail = 0;
    /* Second page translated elsewhere in RAM: passes; third page beyond. */
    split_at(GPA0 + 2u * PG, PG);
    assert_true(gmem_check(v0, GPA0 + 2u * PG - 0x10u, 0x20, true));
    assert_true(gmem_check(v0, GPA0 + 2u * PG - 0x10u, PG + 0x10u, false));
    assert_false(gmem_check(v0, GPA0 + 2u * PG - 0x10u, PG + 0x11u, false));
    /* Second page outside RAM, first inside. */
    split_at(GPA0 + 3u * PG, PG);
    assert_true(gmem_check(v0, GPA0 + 3u * PG - 0x10u, 0x10, true));
    assert_false(gmem_check(v0, GPA0 + 3u * PG - 0x10u, 0x11, true));
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-002 (gmem_read copies piece by piece in order, across
 * non-contiguous pages; zero length reads nothing and succeeds) */
static void test_read(void **state)
{
    (void)state;
    uint8_t buf[64];
    uint8_t want[64];
    split_at(GPA0 + 2u * PG, PG);
    memset(buf, 0, sizeof(buf));
    assert_true(gmem_read(v0, buf, GPA0 + 2u * PG - 24u, 64));
    memcpy(want, &ram[0][2u * PG - 24u], 24);
    memcpy(want + 24, &ram[0][3u * PG], 40);
    assert_memory_equal(buf, want, 64);

    split_at(0, 0);
    assert_true(gmem_read(v0, buf, END0 - 64u, 64));
    assert_memory_equal(buf, &ram[0][RAM_SIZE - 64u], 64);

    memset(buf, 0x5A, sizeof(buf));
    fake.xlate_fail = 1;
    assert_true(gmem_read(v0, buf, GPA0, 0));
    assert_true(gmem_read(v0, buf, 0, 0));
    assert_int_equal(buf[0], 0x5A);
    assert_false(gmem_read(v0, buf, GPA0, 1));
    assert_int_equal(buf[0], 0x5A);
    fake.xlate_fail = 0;
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-002 (gmem_read returns false at the first failing
 * piece: the pieces before it have been copied, none after it) */
static void test_read_fails_midway(void **state)
{
    (void)state;
    uint8_t buf[32];
    memset(buf, 0x5A, sizeof(buf));
    split_at(GPA0 + 3u * PG, PG); /* fourth page lands beyond RAM */
    assert_false(gmem_read(v0, buf, GPA0 + 3u * PG - 8u, 32));
    assert_memory_equal(buf, &ram[0][3u * PG - 8u], 8);
    for (size_t i = 8; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], 0x5A);
    }
    assert_false(gmem_read(v0, buf, END0 - 8u, 9));
    assert_false(gmem_read(v0, buf, GPA1 - 1u, 2));
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-003 (an aligned 32-bit value is read through its one
 * translated page; an unaligned one as gmem_read, across pages; an aligned
 * one that fails leaves *val alone) */
static void test_read_u32(void **state)
{
    (void)state;
    uint32_t val = 0;
    uint32_t want;
    split_at(GPA0 + 2u * PG, PG);
    assert_true(gmem_read_u32(v0, GPA0 + 2u * PG + 8u, &val)); /* translated elsewhere */
    memcpy(&want, &ram[0][3u * PG + 8u], 4);
    assert_int_equal(val, want);
    assert_true(gmem_read_u32(v0, GPA0 + 2u * PG - 2u, &val)); /* unaligned, two pages */
    memcpy(&want, &ram[0][2u * PG - 2u], 2);
    memcpy((uint8_t *)&want + 2, &ram[0][3u * PG], 2);
    assert_int_equal(val, want);
    split_at(0, 0);
    assert_true(gmem_read_u32(v0, END0 - 4u, &val));
    memcpy(&want, &ram[0][RAM_SIZE - 4u], 4);
    assert_int_equal(val, want);
    val = 0x5A5A5A5Au;
    assert_false(gmem_read_u32(v0, END0, &val)); /* aligned, outside RAM */
    fake.xlate_fail = 1;
    assert_false(gmem_read_u32(v0, GPA0, &val));
    fake.xlate_fail = 0;
    assert_int_equal(val, 0x5A5A5A5Au);
    assert_false(gmem_read_u32(v0, END0 - 2u, &val)); /* unaligned, half outside */
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-002 (gmem_write copies piece by piece to the
 * translated pages and nothing else) */
static void test_write(void **state)
{
    (void)state;
    uint8_t src[48];
    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = (uint8_t)(0xC0u + i);
    }
    split_at(GPA0 + 2u * PG, PG);
    assert_true(gmem_write(v0, GPA0 + 2u * PG - 16u, src, sizeof(src)));
    memcpy(&before[0][2u * PG - 16u], src, 16);
    memcpy(&before[0][3u * PG], src + 16, 32);
    assert_ram_unchanged();

    split_at(0, 0);
    assert_true(gmem_write(v0, END0 - 3u, src, 3));
    memcpy(&before[0][RAM_SIZE - 3u], src, 3);
    assert_ram_unchanged();

    fake.xlate_fail = 1;
    assert_true(gmem_write(v0, GPA0, src, 0));
    assert_true(gmem_write(v0, UINT64_MAX, src, 0));
    fake.xlate_fail = 0;
    assert_ram_unchanged();
}

/* Verifies: LLR-GMEM-002 (a write with any failing page writes nothing) */
static void test_write_nothing_on_failure(void **state)
{
    (void)state;
    uint8_t src[64];
    memset(src, 0xE7, sizeof(src));
    fake.xlate_fail = 1;
    assert_false(gmem_write(v0, GPA0, src, 1));
    fake.xlate_fail = 0;
    split_at(GPA0 + 3u * PG, PG); /* last page of the range outside RAM */
    assert_false(gmem_write(v0, GPA0 + 3u * PG - 32u, src, 64));
    split_at(0, 0);
    assert_false(gmem_write(v0, END0 - 32u, src, 33));
    assert_false(gmem_write(v0, GPA0 - 1u, src, 2));
    assert_false(gmem_write(v0, GPA1 - 8u, src, 16)); /* into the neighbour */
    assert_false(gmem_write(v0, UINT64_MAX - 3u, src, 8));
    assert_ram_unchanged();
}

/*
 * Verifies: LLR-GMEM-002 (a piece that fails after the whole range was
 * checked, as when another vCPU of the guest changes its page tables during
 * the copy, makes gmem_write return false: the first piece is written, the
 * second is not)
 */
static void test_write_tables_change_meanwhile(void **state)
{
    (void)state;
    uint8_t src[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    fake.xlate_count = 0;
    fake.xlate_fail_after = 3; /* two for the check, one for the first piece */
    assert_false(gmem_write(v0, GPA0 + PG - 4u, src, sizeof(src)));
    fake.xlate_fail_after = 0;
    assert_memory_equal(&ram[0][PG - 4u], src, 4);
    assert_int_equal(ram[0][PG], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_piece_length, setup),
        cmocka_unit_test_setup(test_piece_refused, setup),
        cmocka_unit_test_setup(test_check, setup),
        cmocka_unit_test_setup(test_read, setup),
        cmocka_unit_test_setup(test_read_fails_midway, setup),
        cmocka_unit_test_setup(test_read_u32, setup),
        cmocka_unit_test_setup(test_write, setup),
        cmocka_unit_test_setup(test_write_nothing_on_failure, setup),
        cmocka_unit_test_setup(test_write_tables_change_meanwhile, setup),
    };
    return cmocka_run_group_tests_name("gmem", tests, NULL, NULL);
}
