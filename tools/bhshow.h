/*
 * bhshow: a built system drawn for people. The schedule of each CPU (one
 * rotation) and the physical and guest-physical memory maps, as text and as
 * SVG pictures. Everything is read back from the built blob, so the pictures
 * show what the hypervisor will be given, not what the source meant.
 */
#ifndef BH_TOOLS_BHSHOW_H
#define BH_TOOLS_BHSHOW_H

#include <stdio.h>

#include "bhimage.h"

/* Print the schedule and both memory maps of blob (packed at blob_off in an
 * image of image_size bytes; image_size 0: no hypervisor known) as text.
 * Implements: LLR-TOOL-030. */
void bhs_text(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size, FILE *out);

/* Write <dir>/<name>-schedule.svg and <dir>/<name>-memory.svg.
 * Implements: LLR-TOOL-031. */
int bhs_svg(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size, const char *name,
            const char *dir, struct bhi_status *st);

#endif
