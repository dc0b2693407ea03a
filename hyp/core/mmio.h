/*
 * One entry point for every emulated device: the arch layer hands any
 * stage-2 data abort outside partition RAM to mmio_dispatch.
 */
#ifndef BH_MMIO_H
#define BH_MMIO_H

#include "types.h"

struct vcpu;

/*
 * Offer a guest access of `size` bytes at gpa to each emulated device in
 * turn (virtual GIC, then virtual UART) and return the first answer that is
 * not MMIO_NOT_MINE. MMIO_NOT_MINE means no device claims gpa: the access is
 * a fault of the partition. For reads *val receives the value.
 * Implements: LLR-MMIO-001.
 */
enum mmio_result mmio_dispatch(struct vcpu *v, uint64_t gpa, uint32_t size, bool write,
                               uint64_t *val);

#endif
