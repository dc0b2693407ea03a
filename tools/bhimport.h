/*
 * bhimport: `bulkhead import-imagebuilder`. Reads the configuration file of
 * Xen's ImageBuilder (the shell variables uboot-script-gen sources: NUM_DOMUS,
 * DOMU_KERNEL[n], DOMU_MEM[n], ...) as text, never running it, and writes
 * the same domUs as a Bulkhead system source in dom0less shape whose
 * modules name their files with bulkhead,path. See docs/configuration.md,
 * "Importing an ImageBuilder configuration".
 */
#ifndef BH_TOOLS_BHIMPORT_H
#define BH_TOOLS_BHIMPORT_H

#include <stdio.h>

#define BHM_MAX_FILE (1024u * 1024u) /* largest configuration file read */
#define BHM_MAX_LINE 4096u           /* longest line, its newline excluded */
#define BHM_VALUE_LEN 1024u          /* longest value, with its NUL */

/*
 * Import the ImageBuilder configuration at config: every error and note on
 * err, one line each, "CONFIG:LINE: VARIABLE: [note: ]MESSAGE"; on success
 * the source goes to out_path (NULL: to stdout). Nothing is written when
 * the configuration has an error. Returns 0, 1 (errors in the
 * configuration) or 3 (I/O: unreadable input, unwritable output).
 * Implements: LLR-TOOL-082.
 */
int bhm_import(const char *config, const char *out_path, FILE *err);

/*
 * Import the configuration text of size bytes (any bytes) named config in
 * messages into out (up to out_len bytes, NUL-terminated); *out_size is
 * the length written. Returns the number of errors reported.
 * Implements: LLR-TOOL-082.
 */
unsigned bhm_import_text(const char *config, const char *text, size_t size, FILE *err, char *out,
                         size_t out_len, size_t *out_size);

#endif
