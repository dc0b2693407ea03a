/* Unit tests of hyp/core/boot.c (start-up policy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "boot.h"
#include "console.h"
#include "fake_arch.h"
#include "part.h"
#include "sched.h"

#define RAM_SIZE 0x4000u
#define GPA 0x40000000ull
#define IMG_OFF ((uint32_t)sizeof(struct bh_cfg))

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + 128u];
} blob;
static _Alignas(4096) uint8_t ram[RAM_SIZE];
static struct cfg_platform plat;

/* A valid one-partition system on a two-CPU platform with 1 GiB of RAM
 * that contains the host buffer used as partition RAM. */
static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    memset(&blob, 0, sizeof(blob));
    blob.cfg.magic = BH_CFG_MAGIC;
    blob.cfg.version = BH_CFG_VERSION;
    blob.cfg.total_size = (uint32_t)sizeof(blob);
    blob.cfg.num_cpus = 2;
    blob.cfg.num_parts = 1;
    blob.cfg.slice_us = 1000;
    struct bh_cfg_part *c = &blob.cfg.parts[0];
    strcpy(c->name, "solo");
    c->ram_gpa = GPA;
    c->ram_pa = (uint64_t)(uintptr_t)ram;
    c->ram_size = RAM_SIZE;
    c->image_gpa = GPA;
    c->entry_gpa = GPA;
    c->dtb_gpa = GPA + 0x2000u;
    c->image_offset = IMG_OFF;
    c->image_size = 64;
    c->image_mem_size = 64;
    c->dtb_offset = IMG_OFF + 64u;
    c->dtb_size = 64;
    c->evtchn_ports = BH_CFG_MIN_EVTCHN_PORTS;
    c->num_vcpus = 1;
    blob.cfg.checksum = cfg_blob_checksum(&blob.cfg);
    plat.ram_base = (uint64_t)(uintptr_t)ram & ~0x3fffffffull;
    plat.ram_size = 0x40000000ull * 2u;
    /* the top page of that RAM: the host buffer is in its first GiB */
    plat.hyp_base = plat.ram_base + plat.ram_size - 0x1000u;
    plat.hyp_end = plat.ram_base + plat.ram_size;
    plat.num_cpus = 2;
    plat.s2_table_pages = 96;
    return 0;
}

/* Verifies: LLR-BOOT-001, LLR-BOOT-003, LLR-BOOT-004 (a valid blob is
 * announced, its partitions built and its schedule set up) */
static void test_boot_valid(void **state)
{
    (void)state;
    boot_primary("testboard", &plat, &blob, sizeof(blob));
    assert_non_null(strstr(fake_console(), "(bulkhead) Bulkhead "));
    assert_non_null(strstr(fake_console(), " on testboard: 2 CPUs, 2048 MiB RAM, 1 partitions\n"));
    assert_int_equal(boot_num_cpus(), 2);
    assert_int_equal(part_count, 1);
    assert_int_equal(fake.s2_count, 1);
    assert_int_equal(fake.resets, 1);
    assert_int_equal(fake.reset_entry[0], GPA);
    assert_int_equal(fake.reset_arg0[0], GPA + 0x2000u);
    assert_int_equal(fake.halted, 0);
    uint64_t next = 0;
    assert_ptr_equal(sched_pick(0, 0, &next), &vcpu_table[0]);
}

/* Verifies: LLR-BOOT-002 (an invalid blob is refused: each error named,
 * then the refusal, then the module halts; nothing is built) */
static void test_boot_refuses(void **state)
{
    (void)state;
    jmp_buf jb;
    blob.cfg.magic ^= 1u;
    part_count = 0;
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        boot_primary("testboard", &plat, &blob, sizeof(blob));
        fail_msg("boot_primary returned on a bad blob");
    }
    fake_halt_jmp = NULL;
    assert_int_equal(fake.halted, 1);
    assert_non_null(strstr(fake_console(), "(bulkhead) config error: header.magic: "));
    assert_non_null(strstr(fake_console(), "(bulkhead) refusing to start: configuration invalid\n"));
    assert_null(strstr(fake_console(), "Bulkhead 0"));
    assert_int_equal(fake.s2_count, 0);
    assert_int_equal(part_count, 0);
}

/* Verifies: LLR-BOOT-002 (more errors than recorded: the rest are counted) */
static void test_boot_many_errors(void **state)
{
    (void)state;
    jmp_buf jb;
    blob.cfg.num_parts = 8;
    for (uint32_t i = 1; i < 8u; i++) {
        blob.cfg.parts[i].num_vcpus = 9; /* plus empty name, RAM, image, DTB */
    }
    blob.cfg.checksum = cfg_blob_checksum(&blob.cfg);
    fake_halt_jmp = &jb;
    if (setjmp(jb) == 0) {
        boot_primary("testboard", &plat, &blob, sizeof(blob));
        fail_msg("boot_primary returned on a bad blob");
    }
    fake_halt_jmp = NULL;
    assert_non_null(strstr(fake_console(), " more not shown\n"));
    assert_non_null(strstr(fake_console(), "refusing to start"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_boot_valid, setup),
        cmocka_unit_test_setup(test_boot_refuses, setup),
        cmocka_unit_test_setup(test_boot_many_errors, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
