/*
 * Fixture shared by the configuration-check unit tests (test_cfg*.c): the
 * layout of a valid two-partition blob, a partition entry filled the usual
 * way and the checks on a cfg_report. The blob, the report and the platform
 * stay in each test file; these helpers take them as arguments. Host test
 * code only.
 */
#ifndef BH_CFG_FIXTURE_H
#define BH_CFG_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

/* The blob layout: header, then image and device tree of partition 0, then
 * those of partition 1 (partition i's image at HDR + i * (IMG_SIZE +
 * DTB_SIZE), its device tree right after). */
#define HDR ((uint32_t)sizeof(struct bh_cfg))
#define IMG_SIZE 64u
#define DTB_SIZE 32u
#define TOTAL (HDR + 2u * (IMG_SIZE + DTB_SIZE))

/* The platform most rule tests validate against: 1 GiB of RAM at
 * 0x40000000, the hypervisor at [0x40200000, 0x40400000), two CPUs, no
 * device window. */
extern const struct cfg_platform cfx_plat_default;

/*
 * Start a valid blob in the blob_size bytes at cfg: all zero, then the
 * header of a two-partition, two-CPU blob of TOTAL bytes with a 1000 us
 * slice (magic, version, total_size, num_cpus, num_parts, slice_us); the
 * report at rep is filled with 0xEE, which cfg_validate must clear. The
 * partitions and the checksum are left to the caller.
 */
void cfx_begin(struct bh_cfg *cfg, size_t blob_size, struct cfg_report *rep);

/*
 * Fill cfg->parts[i]: name, 16 MiB of RAM at physical pa seen at guest gpa,
 * image and entry at gpa + 0x80000 (64 KiB in memory), device tree at gpa,
 * image (IMG_SIZE bytes) at blob offset img_off and device tree (DTB_SIZE)
 * right after it, BH_CFG_MIN_EVTCHN_PORTS ports. The vCPUs are left alone.
 */
void cfx_set_part(struct bh_cfg *cfg, uint32_t i, const char *name, uint64_t pa, uint64_t gpa,
                  uint32_t img_off);

/* Fill the payload bytes [HDR, TOTAL) of blob with the pattern k * 7. */
void cfx_fill_payload(uint8_t *blob);

/* Store the blob's checksum after a mutation. */
void cfx_reseal(struct bh_cfg *cfg);

/*
 * True if rep records an error for `field` whose message contains `msg`;
 * otherwise print every recorded error (as "  got field: msg") and return
 * false.
 */
bool cfx_has_error(const struct cfg_report *rep, const char *field, const char *msg);

/* Fail the test unless rep records an error for `field` whose message
 * contains `msg` (cfx_has_error). */
void cfx_expect_error(const struct cfg_report *rep, const char *field, const char *msg);

/*
 * Fail the test unless the validation that returned n and filled rep
 * recorded exactly one error, that one for `field` with `msg` in its message:
 * the error is present, n is 1 and rep->count is 1.
 */
void cfx_expect_only(uint32_t n, const struct cfg_report *rep, const char *field, const char *msg);

/* Fail the test unless the validation that returned n and filled rep
 * recorded at least one error, one of them for `field` with `msg`. */
void cfx_expect_some(uint32_t n, const struct cfg_report *rep, const char *field, const char *msg);

#endif
