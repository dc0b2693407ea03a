/*
 * The line console: lines and budgets (console_queue.c holds the queues and
 * the UART). Every physical line is built whole, prefixed with its source,
 * and lines of different sources never interleave on the UART. Guest output
 * is sanitised (no terminal escapes) and rate limited per partition by a
 * token bucket counted in lines; hypervisor lines about a partition by a
 * second bucket, and they are queued as records, formatted later
 * (console_queue.c).
 */
#include "console_int.h"

#include <stdarg.h>

#include "part.h"
#include "util.h"

/* Implements: LLR-CON-001 (all state reset; every bucket starts full; every
 * queue empty, the UART between lines). */
void console_init(void)
{
    uint64_t now = arch_now();
    /* Field by field: the queues' bytes (70 KiB) are read only below
     * q_len, so they are left as they are rather than zeroed at boot. */
    for (uint32_t i = 0; i < BH_MAX_PARTS; i++) {
        struct con_part *cp = &con_state[i];
        cp->len = 0;
        cp->out.tokens = CONSOLE_BURST_LINES;
        cp->out.refill_tick = now;
        cp->dropped = 0;
        cp->hyp.tokens = CONSOLE_HYP_BURST_LINES;
        cp->hyp.refill_tick = now;
        cp->suppressed = 0;
        cp->q_head = 0;
        cp->q_len = 0;
        cp->x_head = 0;
        cp->x_len = 0;
        cp->prefix_len = 0;
    }
    con_queue_init();
}

/* Format "(bulkhead) text\n" into line (CON_LOG_LINE bytes); returns its
 * length. See console_log. */
static size_t con_format(char *line, const char *fmt, va_list ap)
{
    char text[CON_LOG_MAX];
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
    return len + 1u;
}

/* con_format with its arguments. */
static size_t con_formatf(char *line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t con_formatf(char *line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t len = con_format(line, fmt, ap);
    va_end(ap);
    return len;
}

/* A record's string, or "?" for none. */
static const char *con_str(const char *s)
{
    return (s != NULL) ? s : "?";
}

/* Implements: LLR-CON-022 (a record's line, as its kind says) */
size_t con_format_rec(char *line, const struct console_rec *r)
{
    const char *name = con_str(r->name);
    switch (r->kind) {
    case CONSOLE_REC_FAULT:
        return con_formatf(line,
                           "partition %s vcpu %u fault: %s, ESR class 0x%x, ESR 0x%llx, "
                           "address 0x%llx, pc 0x%llx",
                           name, r->vcpu, con_str(r->text), r->esr_class,
                           (unsigned long long)r->esr, (unsigned long long)r->addr,
                           (unsigned long long)r->pc);
    case CONSOLE_REC_DMA:
        return con_formatf(line, "partition %s: DMA fault, StreamID 0x%x, address 0x%llx (event 0x%llx)",
                           name, r->esr_class, (unsigned long long)r->addr,
                           (unsigned long long)r->esr);
    case CONSOLE_REC_HM:
        return con_formatf(line, "partition %s vcpu %u health monitor: %s -> %s", name, r->vcpu,
                           con_str(r->text), con_str(r->text2));
    default:
        return con_formatf(line, "partition %s: %llu hypervisor lines suppressed", name,
                           (unsigned long long)r->esr);
    }
}

/* Write line (len bytes) at once, after the line on the UART, if any. */
static void con_write_now(const char *line, size_t len)
{
    arch_lock(&con_lock);
    con_finish_wire();
    arch_console_write(line, len);
    arch_unlock(&con_lock);
}

/*
 * Implements: LLR-CON-002 (one whole line "(bulkhead) text\n"; text longer
 * than the buffer is truncated; control characters shown as '?', line ends
 * in the text dropped).
 * Implements: LLR-CON-019 (written at once, after the line on the UART, if
 * any, is finished).
 */
void console_log(const char *fmt, ...)
{
    char line[CON_LOG_LINE];
    va_list ap;

    va_start(ap, fmt);
    size_t len = con_format(line, fmt, ap);
    va_end(ap);
    con_write_now(line, len);
}

static struct con_part *con_of(const struct partition *p)
{
    if (p == NULL || p->id >= BH_MAX_PARTS) {
        return NULL;
    }
    return &con_state[p->id];
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

/* Queue the record "partition <name>: N hypervisor lines suppressed" if
 * any were; false, the count kept, when it does not fit. Caller holds
 * con_lock. Implements: LLR-CON-015 */
static bool con_report_suppressed(const struct partition *p, struct con_part *cp)
{
    if (cp->suppressed == 0u) {
        return true;
    }
    struct console_rec r = {
        .kind = CONSOLE_REC_SUPPRESSED, .name = p->name, .esr = cp->suppressed};
    if (!con_queue_rec(cp, &r)) {
        return false;
    }
    cp->suppressed = 0;
    return true;
}

/*
 * Implements: LLR-CON-014 (hypervisor lines about a partition within its
 * own bucket: CONSOLE_HYP_BURST_LINES at once, CONSOLE_HYP_LINES_PER_SEC
 * sustained; the others counted, never printed), LLR-CON-015, LLR-CON-016,
 * LLR-CON-022 (queued as a record, after the report of lines suppressed
 * before it; no drain step).
 */
void console_log_part(const struct partition *p, const struct console_rec *r)
{
    struct console_rec rec = *r;
    struct con_part *cp = con_of(p);
    rec.name = (p != NULL) ? p->name : NULL;
    if (cp == NULL) {
        /* About no known partition: a line of the hypervisor's own. */
        char line[CON_LOG_LINE];
        con_write_now(line, con_format_rec(line, &rec));
        return;
    }
    arch_lock(&con_lock);
    bool ok = con_token(&cp->hyp, CONSOLE_HYP_BURST_LINES, CONSOLE_HYP_LINES_PER_SEC) &&
              con_report_suppressed(p, cp) && con_queue_rec(cp, &rec);
    if (!ok) {
        cp->suppressed++;
    }
    /* No drain step: the record waits for p's next window start, so a
     * fault's EL2 path stays a copy long (issue 15, hostile-mmio_fuzz). */
    arch_unlock(&con_lock);
}

/* Implements: LLR-CON-019 (formatted now, queued like console_log_part's
 * lines, without the bucket), LLR-CON-015, LLR-CON-016 */
void console_log_owned(const struct partition *p, const char *fmt, ...)
{
    char line[CON_LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    size_t len = con_format(line, fmt, ap);
    va_end(ap);

    struct con_part *cp = con_of(p);
    if (cp == NULL) {
        con_write_now(line, len);
        return;
    }
    arch_lock(&con_lock);
    if (!con_report_suppressed(p, cp) || !con_queue(cp, line, len)) {
        cp->suppressed++;
    }
    arch_unlock(&con_lock);
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

/* The partition's "[name] ", made at its first line and kept: names do not
 * change after boot, and a line's work stays small. */
static uint32_t con_prefix_of(const struct partition *p, struct con_part *cp)
{
    if (cp->prefix_len == 0u) {
        cp->prefix_len = (uint32_t)con_prefix(p, cp->prefix);
    }
    return cp->prefix_len;
}

/* Queue "[name] (N lines dropped)" if any were; false, the count kept, when
 * it does not fit. Caller holds con_lock. Implements: LLR-CON-005 */
static bool con_report_dropped(const struct partition *p, struct con_part *cp)
{
    char buf[CON_PHYS_MAX];
    if (cp->dropped == 0u) {
        return true;
    }
    size_t n = con_prefix_of(p, cp);
    bh_memcpy(buf, cp->prefix, n);
    n += bh_snprintf(&buf[n], sizeof(buf) - n, "(%llu lines dropped)\n",
                     (unsigned long long)cp->dropped);
    if (!con_queue(cp, buf, n)) {
        return false;
    }
    cp->dropped = 0;
    return true;
}

/*
 * Queue p's pending line if its budget allows and its queue has room, after
 * the report of lines dropped before it; else count it as dropped.
 * Caller holds con_lock.
 * Implements: LLR-CON-004 (token bucket: CONSOLE_BURST_LINES at once,
 * CONSOLE_LINES_PER_SEC sustained; excess lines dropped, never waited for).
 * Implements: LLR-CON-005 (dropped lines reported as "[name] (N lines
 * dropped)" before the partition's next emitted line).
 * Implements: LLR-CON-016 (a line that does not fit the queue is dropped).
 */
static void con_emit(const struct partition *p, struct con_part *cp)
{
    uint32_t len = cp->len;

    cp->len = 0;
    if (!con_token(&cp->out, CONSOLE_BURST_LINES, CONSOLE_LINES_PER_SEC)) {
        cp->dropped++;
        return;
    }
    uint32_t plen = con_prefix_of(p, cp);
    /* Whole or not at all: the three pieces are queued only if all fit. */
    if (!con_report_dropped(p, cp) || plen + len + 1u > CONSOLE_QUEUE_SIZE - cp->q_len) {
        cp->dropped++;
        return;
    }
    (void)con_queue(cp, cp->prefix, plen);
    (void)con_queue(cp, cp->line, len);
    (void)con_queue(cp, "\n", 1u);
}

/*
 * Consume s[i..n) into p's line until one physical line is emitted or the
 * input ends; returns the index of the first unconsumed character.
 * Caller holds con_lock.
 */
static size_t con_take(const struct partition *p, struct con_part *cp, const char *s,
                       size_t start, size_t n)
{
    size_t i = start;
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
 * Implements: LLR-CON-017 (one drain step of p after its output is queued).
 * The lock is released after each physical line so another CPU waits for at
 * most one line's assembly.
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
    arch_lock(&con_lock);
    con_drain_step(p->id, false);
    arch_unlock(&con_lock);
}

/*
 * Implements: LLR-CON-003 (a pending partial line is emitted on flush).
 * Implements: LLR-CON-005, LLR-CON-015 (the counts reported now, whatever
 * the budget, or they would never be: the partition stops or restarts).
 */
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
    (void)con_report_dropped(p, cp);
    (void)con_report_suppressed(p, cp);
    con_drain_step(p->id, false);
    arch_unlock(&con_lock);
}
