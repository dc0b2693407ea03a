/*
 * bhdecode: the blob inside a packed image printed back as device-tree
 * source, for review independent of the source it was built from. The blob
 * is found and checked as the hypervisor would; every field the toolstack
 * derives (image and device-tree placement, the device tree itself) is
 * derived again from the decoded description and compared.
 */
#ifndef BH_TOOLS_BHDECODE_H
#define BH_TOOLS_BHDECODE_H

#include <stdio.h>

#include "bhimage.h"

/*
 * Decode image (named image_name in messages) to out. With extract_dir the
 * hypervisor (hyp.bin) and each partition image (<name>.bin) are written
 * there, so that the printed source, saved in that directory, builds the
 * same image again. Returns 0, 1 (no valid blob, or a derived field differs;
 * reasons on stderr) or 3 (cannot write).
 * Implements: LLR-TOOL-032, LLR-TOOL-033.
 */
int bhx_decode(const struct bhi_buf *image, const char *image_name, FILE *out,
               const char *extract_dir);

#endif
