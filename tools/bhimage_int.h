/*
 * Inside the bhimage library: what bhimage.c (blob, placement, packing) and
 * bhimage_dt.c (partition device trees, the tree check) share. Not part of
 * the library's interface (see bhimage.h).
 */
#ifndef BH_TOOLS_BHIMAGE_INT_H
#define BH_TOOLS_BHIMAGE_INT_H

#include "bhimage.h"

/* Format the one-line reason into st->msg; returns -1, the failure. */
__attribute__((format(printf, 2, 3))) int bhi_fail(struct bhi_status *st, const char *fmt, ...);

#endif
