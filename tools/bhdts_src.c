/*
 * bhdts source side: dtc compiles the device-tree source, and its -T
 * annotations give every node and property a source line for the one-line
 * diagnostics (see bhdts.h). bhdts.c reads the compiled tree.
 */
#include "bhdts.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DEPTH 32u
#define FDT_MAGIC_BYTES "\xd0\x0d\xfe\xed"

/* ------------------------------------------------------- diagnostics --- */

static const struct bhd_loc *find_loc(const struct bhd_diag *d, const char *node, const char *prop)
{
    const struct bhd_loc *node_loc = NULL;
    for (unsigned i = 0; i < d->num_locs; i++) {
        const struct bhd_loc *l = &d->locs[i];
        if (strcmp(l->node, node) != 0) {
            continue;
        }
        if (strcmp(l->prop, prop) == 0) {
            return l;
        }
        node_loc = l->prop[0] == '\0' ? l : node_loc;
    }
    return node_loc;
}

/* One line: FILE:LINE: NODE: PROPERTY: [kind]MESSAGE. */
static void put_line(const struct bhd_diag *d, const char *node, const char *prop, const char *kind,
                     const char *fmt, va_list ap)
{
    const char *p = prop != NULL ? prop : "";
    const struct bhd_loc *l = find_loc(d, node, p);
    if (l != NULL) {
        const char *file = l->file[0] != '\0' ? l->file : d->src != NULL ? d->src : "(input)";
        fprintf(d->out, "%s:%u: %s: ", file, l->line, node);
    } else {
        fprintf(d->out, "%s: %s: ", d->src != NULL ? d->src : "(input)", node);
    }
    if (p[0] != '\0') {
        fprintf(d->out, "%s: ", p);
    }
    fputs(kind, d->out);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

/* Implements: LLR-TOOL-020 (one line per error: file, line, node, property, message). */
void bhd_err(struct bhd_diag *d, const char *node, const char *prop, const char *fmt, ...)
{
    d->errors++;
    if (d->out == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    put_line(d, node, prop, "", fmt, ap);
    va_end(ap);
}

/* Implements: LLR-TOOL-070 (a note is a line of the error form, marked
 * "note: ", and counts no error). */
void bhd_note(struct bhd_diag *d, const char *node, const char *prop, const char *fmt, ...)
{
    d->notes++;
    if (d->out == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    put_line(d, node, prop, "note: ", fmt, ap);
    va_end(ap);
}

void bhd_diag_free(struct bhd_diag *d)
{
    free(d->locs);
    d->locs = NULL;
    d->num_locs = 0;
}

/* ------------------------------------------------------ running dtc --- */

/* Run dtc with the given arguments; 0 ok, 1 dtc failed, 3 could not run. */
static int run_dtc(const char *out_fmt, const char *out, const char *src, int annotate)
{
    const char *dtc = getenv("BULKHEAD_DTC");
    dtc = dtc != NULL && dtc[0] != '\0' ? dtc : "dtc";
    char *argv[] = {(char *)dtc, "-q", "-I", "dts", "-O", (char *)out_fmt, "-o", (char *)out,
                    annotate ? "-T" : (char *)src, annotate ? (char *)src : NULL, NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return 3;
    }
    if (pid == 0) {
        execvp(dtc, argv);
        fprintf(stderr, "bulkhead: cannot run %s: %s\n", dtc, strerror(errno));
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
        return 3;
    }
    return WEXITSTATUS(status) == 0 ? 0 : WEXITSTATUS(status) == 127 ? 3 : 1;
}

/* The name of the node a line "[label: ]name {" opens; "/" for the root. */
static void opened_name(char *content, char *name, size_t len)
{
    size_t n = strlen(content);
    content[n - 1u] = '\0'; /* the '{' */
    char *end = content + strlen(content);
    while (end > content && end[-1] == ' ') {
        *--end = '\0';
    }
    char *start = strrchr(content, ' ');
    snprintf(name, len, "%s", start != NULL ? start + 1 : content);
}

/* Implements: LLR-TOOL-068 (a location from a well-formed FILE:LINE of any
 * length). Record where dtc says node (prop "": the node itself) was
 * written. The source itself is recorded as "" (bhd_err names it as the user
 * did, d->src, whatever its length); a longer included file's name keeps its
 * last characters after "...". */
static void add_loc(struct bhd_diag *d, const char *node, const char *prop, const char *annotation)
{
    const char *colon = strrchr(annotation, ':');
    if (colon == NULL || colon == annotation || colon[1] < '0' || colon[1] > '9') {
        return;
    }
    size_t flen = (size_t)(colon - annotation);
    /* room for 16, then doubled whenever num_locs reaches a power of two */
    unsigned n = d->num_locs;
    if (n == 0u || (n >= 16u && (n & (n - 1u)) == 0u)) {
        if (n > UINT_MAX / 2u) {
            return;
        }
        struct bhd_loc *grown = realloc(d->locs, (n == 0u ? 16u : 2u * n) * sizeof(*grown));
        if (grown == NULL) {
            return;
        }
        d->locs = grown;
    }
    struct bhd_loc *l = &d->locs[d->num_locs++];
    snprintf(l->node, sizeof(l->node), "%s", node);
    snprintf(l->prop, sizeof(l->prop), "%s", prop);
    /* dtc names the top file by its base name */
    const char *slash = d->src != NULL ? strrchr(d->src, '/') : NULL;
    const char *base = slash != NULL ? slash + 1 : d->src;
    if (base != NULL && strlen(base) == flen && memcmp(base, annotation, flen) == 0) {
        l->file[0] = '\0';
    } else if (flen < sizeof(l->file)) {
        snprintf(l->file, sizeof(l->file), "%.*s", (int)flen, annotation);
    } else {
        size_t keep = sizeof(l->file) - 4u;
        snprintf(l->file, sizeof(l->file), "...%.*s", (int)keep, colon - keep);
    }
    unsigned long line = strtoul(colon + 1, NULL, 10);
    l->line = line <= UINT_MAX ? (unsigned)line : 0u;
}

/* Path of the node at the top of the stack. */
static void stack_path(char stack[][BHD_PATH_LEN], unsigned depth, char *out, size_t len)
{
    out[0] = '\0';
    for (unsigned i = 1; i < depth; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "/%s", stack[i]);
    }
    if (out[0] == '\0') {
        snprintf(out, len, "/");
    }
}

/* Cut dtc's annotation off the end of line and return its text, or NULL.
 * It is the last comment opener (space, slash, star, space) of a line that
 * ends in a comment closer: a string value before it may hold either too. */
static const char *cut_annotation(char *line)
{
    size_t n = strlen(line);
    if (n < 7u || strcmp(line + n - 3u, " */") != 0) {
        return NULL;
    }
    for (size_t i = n - 7u + 1u; i-- > 0;) {
        if (memcmp(line + i, " /* ", 4) == 0) {
            line[n - 3u] = '\0';
            line[i] = '\0';
            return line + i + 4u;
        }
    }
    return NULL;
}

/* Implements: LLR-TOOL-068 (any line of `dtc -O dts -T` output, of any
 * length, gives a node or property location or none, never a fault).
 * One line: node open/close or property, each with a trailing comment
 * naming file:line. depth counts every open node; only the first
 * MAX_DEPTH have a name on the stack and locations. */
static void annotate_line(char *line, struct bhd_diag *d, char stack[][BHD_PATH_LEN],
                          unsigned *depth)
{
    const char *annotation = cut_annotation(line);
    char *content = line + strspn(line, "\t ");
    size_t n = strlen(content);
    char path[BHD_PATH_LEN];
    if (n > 0 && content[n - 1u] == '{') {
        if (*depth < MAX_DEPTH) {
            opened_name(content, stack[*depth], BHD_PATH_LEN);
            stack_path(stack, *depth + 1u, path, sizeof(path));
            add_loc(d, path, "", annotation != NULL ? annotation : "");
        }
        *depth += *depth < UINT_MAX ? 1u : 0u;
    } else if (content[0] == '}') {
        *depth -= *depth > 0 ? 1u : 0u;
    } else if (n > 0 && content[n - 1u] == ';' && annotation != NULL && *depth > 0 &&
               *depth <= MAX_DEPTH) {
        char prop[64];
        size_t plen = strcspn(content, " =;");
        snprintf(prop, sizeof(prop), "%.*s", (int)(plen < 63u ? plen : 63u), content);
        stack_path(stack, *depth, path, sizeof(path));
        add_loc(d, path, prop, annotation);
    }
}

/* Implements: LLR-TOOL-068 (lines taken whole, whatever their length). */
void bhd_annotate(char *text, size_t size, struct bhd_diag *d)
{
    static char stack[MAX_DEPTH][BHD_PATH_LEN];
    unsigned depth = 0;
    size_t at = 0;
    while (at < size) {
        char *nl = memchr(text + at, '\n', size - at);
        size_t end = nl != NULL ? (size_t)(nl - text) : size;
        text[end] = '\0'; /* the newline, or the byte past the text */
        annotate_line(text + at, d, stack, &depth);
        at = end + 1u;
    }
}

static void read_annotations(const char *path, struct bhd_diag *d)
{
    struct bhi_status st;
    struct bhi_buf text = {NULL, 0};
    if (bhi_read_file(path, &text, &st) == 0) {
        bhd_annotate((char *)text.data, text.size, d); /* room for the NUL: see bhi_read_file */
    }
    bhi_buf_free(&text);
}

/* Implements: LLR-TOOL-021 (dtc compiles the source; its -T annotations give
 * the source line of every node and property). */
int bhd_compile(const char *path, struct bhi_buf *out, struct bhd_diag *d)
{
    struct bhi_status st;
    struct bhi_buf src = {NULL, 0};
    if (bhi_read_file(path, &src, &st) != 0) {
        fprintf(stderr, "bulkhead: %s\n", st.msg);
        return 3;
    }
    if (src.size >= 4u && memcmp(src.data, FDT_MAGIC_BYTES, 4) == 0) {
        *out = src; /* already compiled */
        return 0;
    }
    bhi_buf_free(&src);
    char dtb[] = "/tmp/bulkhead-dtb-XXXXXX", ann[] = "/tmp/bulkhead-ann-XXXXXX";
    int fd1 = mkstemp(dtb), fd2 = fd1 < 0 ? -1 : mkstemp(ann);
    if (fd2 < 0) {
        fprintf(stderr, "bulkhead: cannot create a temporary file: %s\n", strerror(errno));
        if (fd1 >= 0) {
            close(fd1);
            remove(dtb);
        }
        return 3;
    }
    close(fd1);
    close(fd2);
    int rc = run_dtc("dtb", dtb, path, 0);
    rc = rc != 0 ? rc : run_dtc("dts", ann, path, 1);
    if (rc == 0 && bhi_read_file(dtb, out, &st) != 0) {
        fprintf(stderr, "bulkhead: %s\n", st.msg);
        rc = 3;
    }
    if (rc == 0) {
        read_annotations(ann, d);
    } else if (rc == 1) {
        fprintf(stderr, "%s: dtc rejected the source (see its messages above)\n", path);
        d->errors++;
    }
    remove(dtb);
    remove(ann);
    return rc;
}
