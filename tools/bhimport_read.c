/*
 * bhimport_read: the lines of an ImageBuilder configuration, read as data.
 * Each line is blank, a comment, or NAME=VALUE / NAME[INDEX]=VALUE with
 * VALUE one shell word (plain characters, "double quotes" with backslash
 * escapes, 'single quotes'); whatever would make the shell compute or run
 * something ($, backquotes, ;, |, &, <, >, parentheses, braces) is refused
 * with the line number. Bounded: the file, each line and each value.
 */
#include <stdarg.h>
#include <string.h>

#include "bhimport_int.h"

void bhm_err(struct import *m, unsigned line, const char *var, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (m->err != NULL) {
        if (line != 0u) {
            fprintf(m->err, "%s:%u: %s: ", m->path, line, var);
        } else {
            fprintf(m->err, "%s: %s: ", m->path, var);
        }
        vfprintf(m->err, fmt, ap);
        fputc('\n', m->err);
    }
    va_end(ap);
    m->errors++;
}

void bhm_note(struct import *m, unsigned line, const char *name, const char *why)
{
    for (unsigned i = 0; i < m->num_notes; i++) {
        if (strcmp(m->notes[i].name, name) == 0) {
            m->notes[i].count++;
            return;
        }
    }
    if (m->num_notes < MAX_NOTES) {
        struct note *n = &m->notes[m->num_notes++];
        snprintf(n->name, sizeof(n->name), "%s", name);
        n->why = why;
        n->line = line;
        n->count = 1;
    }
}

/* ------------------------------------------------------------ lexing --- */

int bhm_is_name_char(char ch, int first)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' ||
           (!first && ch >= '0' && ch <= '9');
}

/* Append ch to the value being read; -1 when it is full. */
static int put(struct assign *a, size_t *n, char ch)
{
    if (*n + 1u >= sizeof(a->value)) {
        return -1;
    }
    a->value[(*n)++] = ch;
    return 0;
}

/* The value starting at *p (one shell word), up to end. 0 or an error
 * message (static). *p is left after the word. */
static const char *read_word(const char **p, const char *end, struct assign *a)
{
    static const char too_long[] = "value longer than 1023 characters";
    static const char expand[] = "shell expansion ($ or `) is not read: write the value itself";
    size_t n = 0;
    const char *s = *p;
    while (s < end && *s != ' ' && *s != '\t') {
        char ch = *s++;
        if (ch == '"') {
            while (s < end && *s != '"') {
                ch = *s++;
                if (ch == '$' || ch == '`') {
                    return expand;
                }
                if (ch == '\\' && s < end && (*s == '"' || *s == '\\' || *s == '$' || *s == '`')) {
                    ch = *s++;
                }
                if (put(a, &n, ch) != 0) {
                    return too_long;
                }
            }
            if (s >= end) {
                return "unterminated double quote (a value ends on its own line)";
            }
            s++;
        } else if (ch == '\'') {
            while (s < end && *s != '\'') {
                if (put(a, &n, *s++) != 0) {
                    return too_long;
                }
            }
            if (s >= end) {
                return "unterminated single quote (a value ends on its own line)";
            }
            s++;
        } else if (ch == '$' || ch == '`') {
            return expand;
        } else if (strchr(";|&<>(){}", ch) != NULL) {
            return "shell syntax is not read: only NAME=VALUE lines (quote the value)";
        } else {
            if (ch == '\\') {
                if (s >= end) {
                    return "a line continuation (\\ at the end) is not read";
                }
                ch = *s++;
            }
            if (put(a, &n, ch) != 0) {
                return too_long;
            }
        }
    }
    a->value[n] = '\0';
    *p = s;
    return NULL;
}

/* One line (without its newline): 0 blank or comment, 1 an assignment in
 * *a, -1 an error (reported). */
static int read_line(struct import *m, unsigned line, const char *s, const char *end,
                     struct assign *a)
{
    for (const char *q = s; q < end; q++) {
        unsigned char ch = (unsigned char)*q;
        if ((ch < 0x20 && ch != '\t') || ch >= 0x7f) {
            bhm_err(m, line, "line", "character 0x%02x: only printable ASCII text is read%s", ch,
                    ch == '\r' ? " (convert the file to Unix line ends)" : "");
            return -1;
        }
    }
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    if (s == end || *s == '#') {
        return 0;
    }
    size_t n = 0;
    memset(a, 0, sizeof(*a));
    while (s < end && bhm_is_name_char(*s, n == 0) && n + 1u < sizeof(a->name)) {
        a->name[n++] = *s++;
    }
    if (n == 0 || (s < end && bhm_is_name_char(*s, 0))) {
        bhm_err(m, line, "line",
                "expected NAME=VALUE or NAME[INDEX]=VALUE (a variable name of 1..63 "
                "letters, digits and _ first)");
        return -1;
    }
    if (s < end && *s == '[') {
        unsigned long idx = 0;
        const char *d = ++s;
        while (s < end && *s >= '0' && *s <= '9' && s - d < 3) {
            idx = idx * 10u + (unsigned long)(*s++ - '0');
        }
        if (s == d || s >= end || *s != ']' || (s - d > 1 && *d == '0')) {
            bhm_err(m, line, a->name, "bad index: expected [N], N a decimal number 0..999");
            return -1;
        }
        s++;
        a->indexed = 1;
        a->index = (unsigned)idx;
    }
    if (s >= end || *s != '=') {
        bhm_err(
            m, line, a->name,
            "expected = right after the name (only NAME=VALUE lines are read, no spaces around =)");
        return -1;
    }
    s++;
    const char *why = read_word(&s, end, a);
    if (why != NULL) {
        bhm_err(m, line, a->name, "%s", why);
        return -1;
    }
    while (s < end && (*s == ' ' || *s == '\t')) {
        s++;
    }
    if (s < end && *s != '#') {
        bhm_err(m, line, a->name,
                "text after the value: only one NAME=VALUE a line (quote a value "
                "with spaces)");
        return -1;
    }
    return 1;
}

/* Implements: LLR-TOOL-083 (line syntax: blank lines, comments, NAME=VALUE
 * and NAME[INDEX]=VALUE, quoting; every error with its line number).
 * Implements: LLR-TOOL-084 (bounds: file size, line length, value length,
 * printable ASCII). */
void bhm_read(struct import *m, const char *text, size_t size)
{
    static struct assign a;
    if (size > BHM_MAX_FILE) {
        bhm_err(m, 0, "file", "%zu bytes: an ImageBuilder configuration is at most %u bytes", size,
                BHM_MAX_FILE);
        return;
    }
    unsigned line = 0;
    size_t pos = 0;
    while (pos < size) {
        const char *nl = memchr(text + pos, '\n', size - pos);
        size_t len = nl != NULL ? (size_t)(nl - (text + pos)) : size - pos;
        line++;
        if (len > BHM_MAX_LINE) {
            bhm_err(m, line, "line", "%zu characters: a line is at most %u", len, BHM_MAX_LINE);
        } else if (read_line(m, line, text + pos, text + pos + len, &a) == 1) {
            bhm_assign(m, line, &a);
        }
        pos += len + 1u;
    }
}
