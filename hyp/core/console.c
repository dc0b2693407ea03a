/*
 * The line console. Every physical line is built whole, prefixed with its
 * source, and lines of different sources never interleave on the UART.
 * Guest output is sanitised (no terminal escapes) and rate limited per
 * partition by a token bucket counted in lines.
 *
 * A partition's lines (its own and the hypervisor's lines about it) are
 * queued in that partition's queue and written to the UART only in drain
 * steps taken at points charged to the partition: its console writes, its
 * hypervisor lines and sched_pick of its windows. A step writes what the
 * UART takes without waiting, at most CONSOLE_DRAIN_STEP bytes, so a slow
 * UART costs a partition's output time only, never another's window. A line
 * once begun holds the UART (con_wire) until its '\n'; the next line goes
 * round the partitions with queued bytes (con_turn), so a partition that
 * writes without pause cannot starve the others' output.
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
/* A formatted hypervisor line: prefix, text, '\n'. */
#define CON_LOG_LINE (CON_LOG_PREFIX_LEN + CON_LOG_MAX + 1u)
#define CON_NONE BH_MAX_PARTS /* no partition: the UART is between lines */

_Static_assert(CONSOLE_QUEUE_SIZE >= CONSOLE_BURST_LINES * (CON_PHYS_MAX - 1u),
               "a full burst of the longest lines fits");

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
    uint32_t q_head;       /* index of the next byte for the UART */
    uint32_t q_len;        /* bytes queued */
    uint32_t prefix_len;   /* of prefix; 0 until first made (con_prefix_of) */
    char prefix[BH_CFG_NAME_LEN + 2u]; /* "[name] " */
    char queue[CONSOLE_QUEUE_SIZE]; /* whole lines, waiting for the UART */
};

static struct con_part con_state[BH_MAX_PARTS];
static bh_lock_t con_lock;
static uint32_t con_wire;      /* partition whose line is partly written, or CON_NONE */
static uint32_t con_turn;      /* partition that begins the next line, or CON_NONE: any */
static uint64_t con_turn_tick; /* when con_turn was given */

/* Printable ASCII passes; anything else would let a guest drive the
 * integrator's terminal, so it becomes '?'. */
static char con_sanitise(char c)
{
    return (c >= ' ' && c <= '~') ? c : '?';
}

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
        cp->prefix_len = 0;
    }
    con_wire = CON_NONE;
    con_turn = CON_NONE;
    con_turn_tick = now;
    con_lock.word = 0;
}

/* The next line goes to the first partition after id, round the table,
 * with bytes queued (id itself last); to any when none has. Caller holds
 * con_lock. Implements: LLR-CON-018 */
static void con_pass_turn(uint32_t id)
{
    con_turn = CON_NONE;
    con_turn_tick = arch_now();
    for (uint32_t k = 1; k <= BH_MAX_PARTS; k++) {
        uint32_t q = (id + k) % BH_MAX_PARTS;
        if (con_state[q].q_len != 0u) {
            con_turn = q;
            break;
        }
    }
}

/*
 * Write partition id's next queued byte (the queue is not empty), waiting
 * for the UART if it is full. A '\n' ends the line on the UART and passes
 * the turn. Caller holds con_lock.
 */
static void con_put_next(uint32_t id)
{
    struct con_part *cp = &con_state[id];
    char c = cp->queue[cp->q_head];
    cp->q_head = (cp->q_head + 1u) % CONSOLE_QUEUE_SIZE;
    __atomic_store_n(&cp->q_len, cp->q_len - 1u, __ATOMIC_RELAXED); /* console_drain peeks */
    arch_console_write(&c, 1u);
    if (c != '\n') {
        con_wire = id;
        return;
    }
    con_wire = CON_NONE;
    con_pass_turn(id);
}

/*
 * Finish the line on the UART, waiting for it: its owner queued the line
 * whole (con_queue), so the rest, up to and including its '\n', is in the
 * owner's queue (at most CON_LOG_LINE bytes). Caller holds con_lock.
 * Implements: LLR-CON-019, LLR-CON-020
 */
static void con_finish_wire(void)
{
    while (con_wire != CON_NONE) {
        con_put_next(con_wire);
    }
}

/* Whether id may begin a line: its turn, or no one's. A turn not taken
 * within a second (its holder has no window now) is no one's. Caller holds
 * con_lock. Implements: LLR-CON-018 */
static bool con_may_begin(uint32_t id)
{
    if (con_turn != CON_NONE && con_turn != id &&
        arch_now() - con_turn_tick >= arch_ticks_per_sec()) {
        con_turn = CON_NONE;
    }
    return con_turn == CON_NONE || con_turn == id;
}

/*
 * The next run of partition id's queue to write in one piece: contiguous
 * in the ring, at most left bytes, ending at its first '\n' (included),
 * and within room (a '\n' counts two: the UART driver sends CR LF).
 * Pre: the queue is not empty. Caller holds con_lock.
 */
static uint32_t con_run(const struct con_part *cp, uint32_t left, uint32_t room)
{
    uint32_t max = CONSOLE_QUEUE_SIZE - cp->q_head;
    max = (cp->q_len < max) ? cp->q_len : max;
    max = (left < max) ? left : max;
    uint32_t n = 0;
    uint32_t cost = 0;
    bool more = true;
    while (more && n < max) { /* at most CONSOLE_DRAIN_STEP bytes */
        bool nl = cp->queue[cp->q_head + n] == '\n';
        cost += nl ? 2u : 1u;
        more = cost <= room;
        if (more) {
            n++;
            more = !nl; /* the run ends with its line */
        }
    }
    return n;
}

/*
 * Write the run of n bytes (con_run) of partition id's queue; a run that
 * ends in '\n' ends the line on the UART and passes the turn. Caller holds
 * con_lock.
 */
static void con_put_run(uint32_t id, uint32_t n)
{
    struct con_part *cp = &con_state[id];
    bool nl = cp->queue[cp->q_head + n - 1u] == '\n';
    arch_console_write(&cp->queue[cp->q_head], n);
    cp->q_head = (cp->q_head + n) % CONSOLE_QUEUE_SIZE;
    __atomic_store_n(&cp->q_len, cp->q_len - n, __ATOMIC_RELAXED); /* console_drain peeks */
    if (!nl) {
        con_wire = id;
        return;
    }
    con_wire = CON_NONE;
    con_pass_turn(id);
}

/*
 * One drain step of partition id: its queued bytes, while the UART takes
 * them without waiting, at most CONSOLE_DRAIN_STEP, a line begun only when
 * con_may_begin allows, written a run (part of one line) at a time.
 * Caller holds con_lock.
 * Implements: LLR-CON-016, LLR-CON-017
 */
static void con_drain_step(uint32_t id)
{
    struct con_part *cp = &con_state[id];
    uint32_t left = CONSOLE_DRAIN_STEP;
    /* Each pass writes at least one byte or stops: at most
     * CONSOLE_DRAIN_STEP passes. */
    bool more = true;
    while (more && left != 0u && cp->q_len != 0u) {
        bool mine = con_wire == id || (con_wire == CON_NONE && con_may_begin(id));
        uint32_t n = mine ? con_run(cp, left, arch_console_room()) : 0u;
        more = n != 0u;
        if (more) {
            con_put_run(id, n);
            left -= n;
        }
    }
}

/* Queue n bytes (whole lines) for cp; false, nothing queued, when they do
 * not fit. Caller holds con_lock. Implements: LLR-CON-016 */
static bool con_queue(struct con_part *cp, const char *s, size_t n)
{
    if (n > CONSOLE_QUEUE_SIZE - cp->q_len) {
        return false;
    }
    /* Two copies at most: up to the ring's end, then from its start. */
    uint32_t tail = (cp->q_head + cp->q_len) % CONSOLE_QUEUE_SIZE;
    size_t first = (size_t)CONSOLE_QUEUE_SIZE - tail;
    first = (n < first) ? n : first;
    bh_memcpy(&cp->queue[tail], s, first);
    bh_memcpy(&cp->queue[0], &s[first], n - first);
    __atomic_store_n(&cp->q_len, cp->q_len + (uint32_t)n, __ATOMIC_RELAXED); /* console_drain peeks */
    return true;
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

    arch_lock(&con_lock);
    con_finish_wire();
    arch_console_write(line, len);
    arch_unlock(&con_lock);
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

/* Queue "(bulkhead) partition <name>: N hypervisor lines suppressed" if
 * any were; false, the count kept, when it does not fit. Caller holds
 * con_lock. Implements: LLR-CON-015 */
static bool con_report_suppressed(const struct partition *p, struct con_part *cp)
{
    char line[CON_LOG_LINE];
    if (cp->suppressed == 0u) {
        return true;
    }
    size_t n = CON_LOG_PREFIX_LEN +
               bh_snprintf(&line[CON_LOG_PREFIX_LEN], CON_LOG_MAX,
                           "partition %s: %llu hypervisor lines suppressed\n", p->name,
                           (unsigned long long)cp->suppressed);
    bh_memcpy(line, CON_LOG_PREFIX, CON_LOG_PREFIX_LEN);
    if (!con_queue(cp, line, n)) {
        return false;
    }
    cp->suppressed = 0;
    return true;
}

/*
 * Queue one formatted hypervisor line about p, after the report of lines
 * suppressed before it; a line that finds no room (or, when limited, no
 * token in p's bucket) is counted as suppressed. Then one drain step.
 * Implements: LLR-CON-014, LLR-CON-015, LLR-CON-016, LLR-CON-019
 */
static void con_log_part(const struct partition *p, bool limited, const char *fmt, va_list ap)
{
    char line[CON_LOG_LINE];
    struct con_part *cp = con_of(p);

    if (cp == NULL) {
        /* About no known partition: a line of the hypervisor's own. */
        size_t len = con_format(line, fmt, ap);
        arch_lock(&con_lock);
        con_finish_wire();
        arch_console_write(line, len);
        arch_unlock(&con_lock);
        return;
    }
    /* The budget first: a suppressed line costs no formatting. */
    arch_lock(&con_lock);
    bool ok = !limited || con_token(&cp->hyp, CONSOLE_HYP_BURST_LINES, CONSOLE_HYP_LINES_PER_SEC);
    if (!ok) {
        cp->suppressed++;
    }
    arch_unlock(&con_lock);
    if (!ok) {
        return;
    }
    size_t len = con_format(line, fmt, ap);
    arch_lock(&con_lock);
    if (!con_report_suppressed(p, cp) || !con_queue(cp, line, len)) {
        cp->suppressed++;
    }
    /* No drain step here: the line waits for p's next window start or its
     * own next write, so a fault's EL2 path stays short (issue 15,
     * hostile-mmio_fuzz: two lines formatted and drained were 12,559
     * instructions). */
    arch_unlock(&con_lock);
}

/*
 * Implements: LLR-CON-014 (hypervisor lines about a partition within its
 * own bucket: CONSOLE_HYP_BURST_LINES at once, CONSOLE_HYP_LINES_PER_SEC
 * sustained; the others counted, never printed).
 */
void console_log_part(const struct partition *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_log_part(p, true, fmt, ap);
    va_end(ap);
}

/* Implements: LLR-CON-019 (queued like console_log_part's, without the
 * bucket). */
void console_log_owned(const struct partition *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    con_log_part(p, false, fmt, ap);
    va_end(ap);
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
    con_drain_step(p->id);
    arch_unlock(&con_lock);
}

/* Implements: LLR-CON-017. An empty queue is seen without the lock, so a
 * window start of a partition with nothing to write never waits for
 * another CPU's console work; a byte queued meanwhile waits for the next
 * step. */
void console_drain(const struct partition *p)
{
    const struct con_part *cp = con_of(p);
    if (cp == NULL || __atomic_load_n(&cp->q_len, __ATOMIC_RELAXED) == 0u) {
        return;
    }
    arch_lock(&con_lock);
    con_drain_step(p->id);
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
    con_drain_step(p->id);
    arch_unlock(&con_lock);
}

/* Implements: LLR-CON-020 (every queue written out, waiting for the UART,
 * line by line: the module ends). */
void console_flush_all(void)
{
    arch_lock(&con_lock);
    con_finish_wire();
    for (uint32_t id = 0; id < BH_MAX_PARTS; id++) {
        struct con_part *cp = &con_state[id];
        while (cp->q_len != 0u) { /* at most CONSOLE_QUEUE_SIZE bytes */
            con_put_next(id);
        }
    }
    arch_unlock(&con_lock);
}
