/*
 * Configuration-blob fixture shared by the unit tests: one partition entry
 * filled the usual way, so that each test file states only what differs.
 * Host test code only.
 */
#ifndef BH_BLOB_FIXTURE_H
#define BH_BLOB_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "bulkhead/cfg_blob.h"

/* Bytes of image (16) and device tree (8, at +32) each partition gets in
 * the payload, in a 64-byte slot after the blob header. */
#define FX_SLOT_SIZE 64u
#define FX_IMAGE_SIZE 16u
#define FX_DTB_OFFSET 32u
#define FX_DTB_SIZE 8u
#define FX_DTB_GPA_OFFSET 0x2000u
#define FX_SLOT(i) ((uint32_t)sizeof(struct bh_cfg) + (uint32_t)(i) * FX_SLOT_SIZE)

/*
 * Fill cfg->parts[i]: name, RAM [gpa, gpa + ram_size) backed by host memory
 * ram, image and entry at gpa, device tree at gpa + FX_DTB_GPA_OFFSET, both
 * taken from slot i of the payload (FX_SLOT), and nv vCPUs, vCPU j on CPU j.
 * The caller's blob must hold the slots it uses after the header.
 */
void fx_part(struct bh_cfg *cfg, uint32_t i, const char *name, uint64_t gpa, uint8_t *ram,
             uint64_t ram_size, uint32_t nv);

/*
 * Start a test from a clean slate: the fake arch reset (no halt jump), the
 * console initialised, and the blob of blob_size bytes at cfg zeroed with
 * its total_size and num_parts set.
 */
void fx_begin(struct bh_cfg *cfg, size_t blob_size, uint32_t num_parts);

struct partition;

/*
 * Finish a restart of p as its windows would: the CPUs of its vCPUs other
 * than vCPU 0 choose again (sched_pick), then part_reload_step runs with no
 * deadline, until it reports p running (or stopped), the fake clock moving
 * on when it waits (for the next frame). Nothing happens unless p is
 * restarting. Bounded: fails the test after 1,000 steps.
 */
void fx_restart_finish(struct partition *p);

#endif
