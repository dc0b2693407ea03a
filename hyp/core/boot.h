/*
 * System start-up policy: check the configuration blob, announce the system,
 * build the partitions and the schedule. Called once, on the primary CPU,
 * after the arch layer has brought up the console, MMU, GIC and timers.
 */
#ifndef BH_BOOT_H
#define BH_BOOT_H

#include "cfg.h"
#include "types.h"

/*
 * Validate the blob at `blob` (avail bytes) against platform pl. On any
 * error print each one ("config error: <field>: <msg>") and
 * "refusing to start: configuration invalid", then arch_halt(). Otherwise
 * print the banner naming version, platform, CPUs, RAM and partitions, and
 * build partitions and schedule. Implements: LLR-BOOT-001 .. LLR-BOOT-003.
 */
void boot_primary(const char *platform, const struct cfg_platform *pl, const void *blob,
                  uint64_t avail);

/* Physical CPUs the validated configuration uses. Implements: LLR-BOOT-004. */
uint32_t boot_num_cpus(void);

#endif
