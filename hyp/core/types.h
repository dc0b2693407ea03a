/*
 * Common types and limits of the portable core.
 * Implements: LLR-GEN-001 (fixed limits, no dynamic allocation).
 */
#ifndef BH_TYPES_H
#define BH_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulkhead/cfg_blob.h"

#define BH_MAX_PARTS BH_CFG_MAX_PARTS
#define BH_MAX_CPUS BH_CFG_MAX_CPUS
#define BH_MAX_VCPUS_PER_PART BH_CFG_MAX_VCPUS
#define BH_MAX_VCPUS (BH_MAX_PARTS * BH_MAX_VCPUS_PER_PART)

/* Xen's error numbers, as the guest interface returns them (negated). */
#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EINVAL 22
#define XEN_ENOSPC 28
#define XEN_ENOSYS 38

#define BH_UNUSED(x) ((void)(x))

/* Outcome of an emulated MMIO access (vgic_mmio, vuart_mmio). */
enum mmio_result {
    MMIO_HANDLED = 0, /* emulated; for reads *val holds the result */
    MMIO_NOT_MINE,    /* address outside this device's window */
    MMIO_BAD_ACCESS,  /* inside the window, but a width/alignment it forbids */
};

#endif
