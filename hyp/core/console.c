/*
 * The line console. Every physical line is built whole in a local buffer and
 * written with one arch_console_write() under con_lock, so lines of different
 * sources never interleave. Guest output is sanitised (no terminal escapes)
 * and rate limited per partition by a token bucket counted in lines.
 */
#include "console.h"

#include <stdarg.h>

#include "arch_if.h"
#include "part.h"
#include "util.h"

#define CON_LOG_PREFIX "(bulkhead) "
#define CON_LOG_PREFIX_LEN (sizeof(CON_LOG_PREFIX) - 1u)
/* "[" name "] " text "\n": the longest physical line plus its NUL. */
#define CON_PHYS_MAX (1u + BH_CFG_NAME_LEN + 2u + CONSOLE_LINE_MAX + 2u)
/* Hypervisor messages may be a little longer than guest lines. */
#define CON_LOG_MAX (CON_LOG_PREFIX_LEN + CONSOLE_LINE_MAX + 40u)

/* A token bucket counted in lines. */
struct con_bucket {
    uint32_t tokens;      /* lines that may be emitted now */
    uint64_t refill_tick; /* counter value up to which tokens were credited */
};

struct con_part {
    char line[CONSOLE_LINE_MAX]; /* pending characters, already sanitised */
    uint32_t len;
    struct con_bucket out; /* the partition's own lines */
    uint64_t dropped;      /* lines dropped since the last report */
    struct con_bucket hyp; /* hypervisor lines about the partition */
    uint64_t suppressed;   /* of those, suppressed since the last report */
};

static struct con_part con_state[BH_MAX_PARTS];
static bh_lock_t con_lock;

/* Printable ASCII passes; anything else would let a guest drive the
 * integrator's terminal, so it becomes '?'. */
static char con_sanitise(char c)
{
    return (c >= ' ' && c <= '~') ? c : '?';
}

/* Implements: LLR-CON-001 (all state reset; every bucket starts full). */
void console_init(void)
{
    uint64_t now = arch_now();
    bh_memset(con_state, 0, sizeof(con_state));
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        con_state[i].out.tokens = CONSOLE_BURST_LINES;
        con_state[i].out.refill_tick = now;
        con_state[i].hyp.tokens = CONSOLE_HYP_BURST_LINES;
        con_state[i].hyp.refill_tick = now;
    }
    con_lock.word = 0;
}

/* Format and write one "(bulkhead) " line; see console_log. */
static void con_vlog(const char *fmt, va_list ap)
{
    char text[CON_LOG_MAX];
    char line[CON_LOG_PREFIX_LEN + CON_LOG_MAX + 1u];

    size_t n = bh_vsnprintf(text, sizeof(text), fmt, ap);

    bh_memcpy(line, CON_LOG_PREFIX, CON_LOG_PREFIX_LEN);
    size_t len = CON_LOG_PREFIX_LEN;
    for (size_t i = 0; i < n; i++) {
        if (text[i] != '\n' && text[i] != '\r') {
            line[len] = con_sanitise(text[i]);
            len++;
        }
    }
    line[len] = '\n';
    len++;

    arch_lock(&con_lock);
    arch_console_write(line, len);
    arch_unlock(&con_lock);
}

/*
 * Implements: LLR-CON-002 (one whole line "(bulkhead) text\n"; text longer
 * than the buffer is truncated; control characters shown as '?', line ends
 * in the text dropped).
 */
void console_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_vlog(fmt, ap);
    va_end(ap);
}

static struct con_part *con_of(const struct partition *p)
{
    if (p == NULL || p->id >= BH_MAX_PARTS) {
        return NULL;
    }
    return &con_state[p->id];
}

/* Copy "[name] " into buf (room >= BH_CFG_NAME_LEN + 3); returns its length. */
static size_t con_prefix(const struct partition *p, char *buf)
{
    size_t nlen = bh_strnlen(p->name, BH_CFG_NAME_LEN - 1u);
    buf[0] = '[';
    for (size_t i = 0; i < nlen; i++) {
        buf[1u + i] = con_sanitise(p->name[i]);
    }
    buf[1u + nlen] = ']';
    buf[2u + nlen] = ' ';
    return 3u + nlen;
}

/*
 * Take a token from b (burst tokens at most, per_sec earned a second), after
 * crediting those earned since refill_tick; false when there is none.
 * Division only, so no product can overflow however long the counter has
 * run; the remainder of a partly earned token is kept for the next call.
 * Caller holds con_lock.
 */
static bool con_token(struct con_bucket *b, uint32_t burst, uint32_t per_sec)
{
    uint64_t now = arch_now();
    uint64_t per_line = arch_ticks_per_sec() / per_sec;
    if (per_line == 0u) {
        per_line = 1u;
    }
    uint64_t elapsed = (now > b->refill_tick) ? now - b->refill_tick : 0u;
    uint64_t earned = elapsed / per_line;
    uint64_t room = burst - b->tokens;
    if (earned >= room) {
        b->tokens = burst;
        b->refill_tick = now;
    } else {
        b->tokens += (uint32_t)earned;
        b->refill_tick += earned * per_line;
    }
    if (b->tokens == 0u) {
        return false;
    }
    b->tokens--;
    return true;
}

/*
 * Implements: LLR-CON-014 (hypervisor lines about a partition within its
 * own bucket: CONSOLE_HYP_BURST_LINES at once, CONSOLE_HYP_LINES_PER_SEC
 * sustained; the others counted, never printed).
 * Implements: LLR-CON-015 (the count reported once, "partition <name>: N
 * hypervisor lines suppressed", before the partition's next printed line).
 * A line about no known partition is not limited.
 */
void console_log_part(const struct partition *p, const char *fmt, ...)
{
    struct con_part *cp = con_of(p);
    uint64_t suppressed = 0;
    va_list ap;

    if (cp != NULL) {
        arch_lock(&con_lock);
        bool ok = con_token(&cp->hyp, CONSOLE_HYP_BURST_LINES, CONSOLE_HYP_LINES_PER_SEC);
        if (ok) {
            suppressed = cp->suppressed;
            cp->suppressed = 0;
        } else {
            cp->suppressed++;
        }
        arch_unlock(&con_lock);
        if (!ok) {
            return;
        }
    }
    if (suppressed != 0u) {
        console_log("partition %s: %llu hypervisor lines suppressed", p->name,
                    (unsigned long long)suppressed);
    }
    va_start(ap, fmt);
    con_vlog(fmt, ap);
    va_end(ap);
}

/*
 * Emit p's pending line if its budget allows, else count it as dropped.
 * Caller holds con_lock.
 * Implements: LLR-CON-004 (token bucket: CONSOLE_BURST_LINES at once,
 * CONSOLE_LINES_PER_SEC sustained; excess lines dropped, never waited for).
 * Implements: LLR-CON-005 (dropped lines reported as "[name] (N lines
 * dropped)" before the partition's next emitted line).
 */
static void con_emit(const struct partition *p, struct con_part *cp)
{
    char buf[CON_PHYS_MAX];
    uint32_t len = cp->len;

    cp->len = 0;
    if (!con_token(&cp->out, CONSOLE_BURST_LINES, CONSOLE_LINES_PER_SEC)) {
        cp->dropped++;
        return;
    }
    size_t n = con_prefix(p, buf);
    if (cp->dropped != 0u) {
        n += bh_snprintf(&buf[n], sizeof(buf) - n, "(%llu lines dropped)\n",
                         (unsigned long long)cp->dropped);
        arch_console_write(buf, n);
        cp->dropped = 0;
        n = con_prefix(p, buf);
    }
    bh_memcpy(&buf[n], cp->line, len);
    n += len;
    buf[n] = '\n';
    arch_console_write(buf, n + 1u);
}

/*
 * Consume s[i..n) into p's line until one physical line is emitted or the
 * input ends; returns the index of the first unconsumed character.
 * Caller holds con_lock.
 */
static size_t con_take(const struct partition *p, struct con_part *cp, const char *s, size_t i,
                       size_t n)
{
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            con_emit(p, cp);
            return i + 1u;
        }
        if (c == '\r') {
            continue;
        }
        bool full = (cp->len == CONSOLE_LINE_MAX);
        if (full) {
            con_emit(p, cp);
        }
        cp->line[cp->len] = con_sanitise(c);
        cp->len++;
        if (full) {
            return i + 1u;
        }
    }
    return n;
}

/*
 * Implements: LLR-CON-003 (guest output assembled into whole lines "[name]
 * text"; '\n' ends a line, '\r' is dropped, other non-printable bytes shown
 * as '?', lines longer than CONSOLE_LINE_MAX split, never dropped for length).
 * The lock is released after each physical line so another partition's line
 * waits for at most one line of this one.
 */
void console_guest_write(struct partition *p, const char *s, size_t n)
{
    struct con_part *cp = con_of(p);
    size_t i = 0;

    if (cp == NULL || s == NULL) {
        return;
    }
    while (i < n) {
        arch_lock(&con_lock);
        i = con_take(p, cp, s, i, n);
        arch_unlock(&con_lock);
    }
}

/* Implements: LLR-CON-003 (a pending partial line is emitted on flush). */
void console_guest_flush(struct partition *p)
{
    struct con_part *cp = con_of(p);

    if (cp == NULL) {
        return;
    }
    arch_lock(&con_lock);
    if (cp->len != 0u) {
        con_emit(p, cp);
    }
    if (cp->dropped != 0u) {
        /* The partition stops or restarts: say what its budget cost it now,
         * whatever the budget, or the count would never be reported. */
        char buf[CON_PHYS_MAX];
        size_t n = con_prefix(p, buf);
        n += bh_snprintf(&buf[n], sizeof(buf) - n, "(%llu lines dropped)\n",
                         (unsigned long long)cp->dropped);
        arch_console_write(buf, n);
        cp->dropped = 0;
    }
    uint64_t suppressed = cp->suppressed;
    cp->suppressed = 0;
    arch_unlock(&con_lock);
    /* Implements: LLR-CON-015 (suppressed hypervisor lines reported when the
     * partition stops or restarts, whatever the budget). */
    if (suppressed != 0u) {
        console_log("partition %s: %llu hypervisor lines suppressed", p->name,
                    (unsigned long long)suppressed);
    }
}
