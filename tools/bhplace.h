/*
 * bhplace: automatic placement of partitions the source does not place
 * (docs/configuration.md, "Automatic placement"). The front end leaves
 * bhd_part.auto_ram and auto_cpus set where bulkhead,ram-pa or
 * bulkhead,cpus is missing; this module fills the values in, which then go
 * into the blob like hand-placed ones.
 */
#ifndef BH_TOOLS_BHPLACE_H
#define BH_TOOLS_BHPLACE_H

#include "bhdts.h"

#define BHP_ALIGN 0x200000ull /* 2 MiB: stage 2 maps such RAM in blocks */

/* Pin the vCPUs of every partition without bulkhead,cpus: the j-th such
 * vCPU (partitions in node order, vCPUs in order) on CPU j mod num_cpus.
 * Implements: LLR-TOOL-075. */
void bhp_pin(struct bhd_system *s);

/* Place the RAM of every partition without bulkhead,ram-pa, in node order,
 * at the lowest 2 MiB aligned address at or above hyp_end (the end of the
 * hypervisor footprint, blob included) that is clear of every hand-placed
 * partition, shared region and partition placed before it and ends inside
 * platform RAM. A partition that does not fit is reported and marked bad.
 * Implements: LLR-TOOL-074. */
void bhp_place_ram(struct bhd_system *s, uint64_t hyp_end, struct bhd_diag *d);

/* List every partition's RAM and pinning, automatic or not.
 * Implements: LLR-TOOL-076. */
void bhp_print(const struct bhd_system *s, FILE *out);

/* Without schedules (num_scheds 0), list the default schedule the
 * hypervisor builds (hyp/core/sched.c): one major frame of slice-us times
 * the most vCPUs pinned to one CPU; on each CPU one slice per vCPU pinned
 * there, in partition and then vCPU order, the rest idle. Nothing with
 * schedules.
 * Implements: LLR-TOOL-089. */
void bhp_print_default_schedule(const struct bhd_system *s, FILE *out);

#endif
