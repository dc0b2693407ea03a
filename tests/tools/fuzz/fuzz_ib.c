/*
 * libFuzzer target: `bulkhead import-imagebuilder` on arbitrary bytes. The
 * input is the configuration file's text; it is read line by line, given
 * meaning and, when it has no error, written as a source, with every
 * message printed (to /dev/null) as the command prints them. The seeds are
 * the configurations of tests/tools/imagebuilder/ and its bad/ cases. Any
 * crash, sanitizer report or hang is a failure.
 * Verifies: LLR-TOOL-083, LLR-TOOL-084 (robustness)
 */
#include <stdlib.h>
#include <string.h>

#include "bhimport.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static FILE *sink;
    static char out[128u * 1024u];
    if (sink == NULL) {
        sink = fopen("/dev/null", "w");
    }
    char *text = malloc(size + 1u); /* a heap copy, so ASan sees every read past the end */
    if (text != NULL) {
        memcpy(text, data, size);
        size_t n = 0;
        (void)bhm_import_text("fuzz.cfg", text, size, sink, out, sizeof(out), &n);
        free(text);
    }
    return 0;
}
