/*
 * libFuzzer target: the source side of the device-tree front end on
 * arbitrary bytes, laid out as
 *   SOURCE-PATH '\n' ANNOTATED-TEXT [ '\0' FLATTENED-TREE ]
 * ANNOTATED-TEXT stands for what `dtc -O dts -T` prints (the seeds are that
 * output for every source in config/ and tests/tools/good and bad, with
 * their compiled trees). The text is read for source locations as bhd_compile
 * reads it, the tree is parsed with those locations, and errors are printed
 * with file:line (to /dev/null), as `bulkhead check` does; a few errors are
 * also printed against recorded locations directly. Any crash, sanitizer
 * report or hang is a failure.
 * Verifies: LLR-TOOL-068, LLR-TOOL-020, LLR-TOOL-022 (robustness)
 */
#include <stdlib.h>
#include <string.h>

#include "bhdts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct bhd_system s;
    static FILE *sink;
    if (sink == NULL) {
        sink = fopen("/dev/null", "w");
    }
    const unsigned char *nl = memchr(data, '\n', size);
    size_t name_len = nl != NULL ? (size_t)(nl - data) : 0u;
    size_t text_at = nl != NULL ? name_len + 1u : 0u;
    const unsigned char *nul = memchr(data + text_at, '\0', size - text_at);
    size_t text_len = nul != NULL ? (size_t)(nul - (data + text_at)) : size - text_at;
    size_t tree_at = nul != NULL ? text_at + text_len + 1u : size;
    /* heap copies, so that ASan sees every read past an end */
    char *name = malloc(name_len + 1u);
    char *text = malloc(text_len + 1u);
    void *tree = malloc(size - tree_at + 1u); /* libfdt wants it 8-byte aligned */
    if (name != NULL && text != NULL && tree != NULL) {
        memcpy(name, data, name_len);
        name[name_len] = '\0';
        memcpy(text, data + text_at, text_len);
        memcpy(tree, data + tree_at, size - tree_at);
        struct bhd_diag d = {sink, nl != NULL ? name : NULL, NULL, 0, 0, 0};
        bhd_annotate(text, text_len, &d);
        for (unsigned i = 0; i < d.num_locs && i < 8u; i++) {
            bhd_err(&d, d.locs[i].node, d.locs[i].prop, "fuzz %u", i);
        }
        if (size > tree_at) {
            (void)bhd_parse(tree, size - tree_at, &s, &d);
        }
        bhd_diag_free(&d);
    }
    free(name);
    free(text);
    free(tree);
    return 0;
}
