/*
 * Shared by the Frama-C harness of hyp/core (harness.c) and its arch model
 * (arch_stub.c, arch_inline.h). Analysis code only.
 */
#ifndef BH_FRAMA_HARNESS_H
#define BH_FRAMA_HARNESS_H

#include "arch_if.h"
#include "part.h"

/* Physical RAM of the analysed system: partition 0, partition 1, then one
 * shared page. */
#define FC_RAM_PA 0x48000000ull
#define FC_PART_RAM 0x10000u
#define FC_SHM_SIZE 0x1000u
#define FC_RAM_BYTES (2u * FC_PART_RAM + FC_SHM_SIZE)

extern uint8_t fc_guest_ram[FC_RAM_BYTES];
/* The physical CPU the harness is running a step on (arch_cpu_id). */
extern uint32_t fc_cpu;

#endif
