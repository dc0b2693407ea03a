/* Fixture shared by the configuration-check unit tests; see cfg_fixture.h. */
#include "cfg_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>

const struct cfg_platform cfx_plat_default = {
    .ram_base = 0x40000000ull,
    .ram_size = 0x40000000ull,
    .hyp_base = 0x40200000ull,
    .hyp_end = 0x40400000ull,
    .num_cpus = 2,
    .s2_table_pages = 96,
};

void cfx_begin(struct bh_cfg *cfg, size_t blob_size, struct cfg_report *rep)
{
    memset(cfg, 0, blob_size);
    memset(rep, 0xEE, sizeof(*rep)); /* cfg_validate must clear it */
    cfg->magic = BH_CFG_MAGIC;
    cfg->version = BH_CFG_VERSION;
    cfg->total_size = TOTAL;
    cfg->num_cpus = 2;
    cfg->num_parts = 2;
    cfg->slice_us = 1000;
}

void cfx_set_part(struct bh_cfg *cfg, uint32_t i, const char *name, uint64_t pa, uint64_t gpa,
                  uint32_t img_off)
{
    struct bh_cfg_part *p = &cfg->parts[i];
    strcpy(p->name, name);
    p->ram_gpa = gpa;
    p->ram_pa = pa;
    p->ram_size = 0x1000000ull;
    p->image_gpa = gpa + 0x80000ull;
    p->entry_gpa = gpa + 0x80000ull;
    p->dtb_gpa = gpa;
    p->image_offset = img_off;
    p->image_size = IMG_SIZE;
    p->image_mem_size = 0x10000u;
    p->dtb_offset = img_off + IMG_SIZE;
    p->dtb_size = DTB_SIZE;
    p->evtchn_ports = BH_CFG_MIN_EVTCHN_PORTS;
}

void cfx_fill_payload(uint8_t *blob)
{
    for (uint32_t k = HDR; k < TOTAL; k++) {
        blob[k] = (uint8_t)(k * 7u);
    }
}

void cfx_reseal(struct bh_cfg *cfg)
{
    cfg->checksum = cfg_blob_checksum(cfg);
}

bool cfx_has_error(const struct cfg_report *rep, const char *field, const char *msg)
{
    uint32_t n = (rep->count < CFG_MAX_ERRORS) ? rep->count : CFG_MAX_ERRORS;
    for (uint32_t k = 0; k < n; k++) {
        if (strcmp(rep->err[k].field, field) == 0 && strstr(rep->err[k].msg, msg) != NULL) {
            return true;
        }
    }
    for (uint32_t k = 0; k < n; k++) {
        print_message("  got %s: %s\n", rep->err[k].field, rep->err[k].msg);
    }
    return false;
}

void cfx_expect_error(const struct cfg_report *rep, const char *field, const char *msg)
{
    if (!cfx_has_error(rep, field, msg)) {
        fail_msg("no error %s: ...%s...", field, msg);
    }
}

void cfx_expect_only(uint32_t n, const struct cfg_report *rep, const char *field, const char *msg)
{
    cfx_expect_error(rep, field, msg);
    assert_int_equal(n, 1);
    assert_int_equal(rep->count, 1);
}

void cfx_expect_some(uint32_t n, const struct cfg_report *rep, const char *field, const char *msg)
{
    assert_true(n >= 1u);
    cfx_expect_error(rep, field, msg);
}
