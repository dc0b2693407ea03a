/*
 * A small, bounded flattened-device-tree reader: enough for a partition to
 * find a property of a node directly under the root (e.g. /chosen/bootargs).
 * Every read is checked against the blob's own sizes; a malformed blob gives
 * "not found", never a fault.
 */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stddef.h>
#include <stdint.h>

/* The value of property prop of node /node in the blob at dtb, and its length
 * in *len; NULL when the blob is invalid or either is missing. */
const void *fdt_find_prop(const void *dtb, const char *node, const char *prop, uint32_t *len);

#endif
