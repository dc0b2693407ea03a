/*
 * The console's queues and the UART (see console.c for the lines and
 * budgets that fill them). Each partition's lines wait in its own queue and
 * reach the UART only in drain steps taken at points charged to the
 * partition: its console writes, its stop or restart, and sched_pick of its
 * windows. A step writes what the UART takes without waiting, at most
 * CONSOLE_DRAIN_STEP bytes, so a slow UART costs a partition's output time
 * only, never another's window. A line once begun holds the UART (con_wire)
 * until its '\n'; the next line goes round the partitions with queued bytes
 * (con_turn), so a partition that writes without pause cannot starve the
 * others' output.
 *
 * A queue holds text and records (CON_REC_MARK and a struct console_rec).
 * Only a step of console_drain (the partition's window start) or the
 * module's end formats a record, one a step, into the partition's x buffer,
 * whose bytes then go out before the rest of the queue. So a fault near the
 * end of a window costs a copy there, and the formatting costs the faulting
 * partition's next window start.
 */
#include "console_int.h"

#include "part.h"
#include "util.h"

struct con_part con_state[BH_MAX_PARTS];
bh_lock_t con_lock;
static uint32_t con_wire;      /* partition whose line is partly written, or CON_NONE */
static uint32_t con_turn;      /* partition that begins the next line, or CON_NONE: any */
static uint64_t con_turn_tick; /* when con_turn was given */

/* Implements: LLR-CON-001 (the UART between lines, no turn given) */
void con_queue_init(void)
{
    con_wire = CON_NONE;
    con_turn = CON_NONE;
    con_turn_tick = arch_now();
    con_lock.word = 0;
}

/* Bytes cp has for the UART: its formatted record's and its queue's. */
static uint32_t con_pending(const struct con_part *cp)
{
    return __atomic_load_n(&cp->x_len, __ATOMIC_RELAXED) +
           __atomic_load_n(&cp->q_len, __ATOMIC_RELAXED);
}

/* Whether cp's next output is a record not yet formatted. Pre: cp has
 * bytes pending (con_pending), so with x empty the queue's head is one. */
static bool con_at_rec(const struct con_part *cp)
{
    return cp->x_len == 0u && cp->queue[cp->q_head] == CON_REC_MARK;
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
        if (con_pending(&con_state[q]) != 0u) {
            con_turn = q;
            break;
        }
    }
}

/* The contiguous text at the head of cp's output (x first, then the
 * queue up to its ring's end), its length in *avail. */
static const char *con_head(const struct con_part *cp, uint32_t *avail)
{
    if (cp->x_len != 0u) {
        *avail = cp->x_len;
        return &cp->x[cp->x_head];
    }
    uint32_t max = CONSOLE_QUEUE_SIZE - cp->q_head;
    *avail = (cp->q_len < max) ? cp->q_len : max;
    return &cp->queue[cp->q_head];
}

/* Remove n bytes from cp's queue (n <= q_len), copying them to dst. */
static void con_dequeue(struct con_part *cp, char *dst, uint32_t n)
{
    uint32_t first = CONSOLE_QUEUE_SIZE - cp->q_head;
    first = (n < first) ? n : first;
    bh_memcpy(dst, &cp->queue[cp->q_head], first);
    bh_memcpy(&dst[first], &cp->queue[0], n - first);
    cp->q_head = (cp->q_head + n) % CONSOLE_QUEUE_SIZE;
    __atomic_store_n(&cp->q_len, cp->q_len - n, __ATOMIC_RELAXED); /* console_drain peeks */
}

/* Drop n bytes (n <= what con_head gave) from the head of cp's output. */
static void con_advance(struct con_part *cp, uint32_t n)
{
    if (cp->x_len != 0u) {
        cp->x_head += n;
        __atomic_store_n(&cp->x_len, cp->x_len - n, __ATOMIC_RELAXED);
        return;
    }
    cp->q_head = (cp->q_head + n) % CONSOLE_QUEUE_SIZE;
    __atomic_store_n(&cp->q_len, cp->q_len - n, __ATOMIC_RELAXED);
}

/*
 * Take the record at cp's head (con_at_rec) out of the queue and format it
 * into x, whose bytes go out next. The record's bytes were copied in by
 * con_queue_rec from a struct console_rec. Implements: LLR-CON-022
 */
static void con_expand(struct con_part *cp)
{
    char buf[CON_REC_BYTES];
    struct console_rec r;
    con_dequeue(cp, buf, CON_REC_BYTES);
    bh_memcpy(&r, &buf[1], sizeof(r));
    cp->x_head = 0;
    __atomic_store_n(&cp->x_len, (uint32_t)con_format_rec(cp->x, &r), __ATOMIC_RELAXED);
}

/*
 * Write the run of n text bytes (1 <= n <= what con_head gave) at the head
 * of partition id's output; a run that ends in '\n' ends the line on the
 * UART and passes the turn. Caller holds con_lock.
 */
static void con_put_run(uint32_t id, uint32_t n)
{
    struct con_part *cp = &con_state[id];
    uint32_t avail;
    const char *s = con_head(cp, &avail);
    bool nl = s[n - 1u] == '\n';
    arch_console_write(s, n);
    con_advance(cp, n);
    if (!nl) {
        con_wire = id;
        return;
    }
    con_wire = CON_NONE;
    con_pass_turn(id);
}

/*
 * Write partition id's next text byte, waiting for the UART if it is full,
 * after formatting the record there if there is one. Pre: id has bytes
 * pending. Caller holds con_lock.
 */
static void con_put_next(uint32_t id)
{
    struct con_part *cp = &con_state[id];
    if (con_at_rec(cp)) {
        con_expand(cp);
    }
    con_put_run(id, 1u);
}

/*
 * Implements: LLR-CON-019, LLR-CON-020. Finish the line on the UART,
 * waiting for it: its owner queued the line whole, so the rest, up to and
 * including its '\n', is at the head of the owner's output (at most
 * CON_LOG_LINE bytes, never a record).
 */
void con_finish_wire(void)
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
 * The next run of cp's text to write in one piece: contiguous, at most
 * left bytes, ending at its first '\n' (included), and within room (a '\n'
 * counts two: the UART driver sends CR LF). Pre: text is at the head (not
 * a record). Caller holds con_lock.
 */
static uint32_t con_run(const struct con_part *cp, uint32_t left, uint32_t room)
{
    uint32_t max;
    const char *s = con_head(cp, &max);
    max = (left < max) ? left : max;
    uint32_t n = 0;
    uint32_t cost = 0;
    bool more = true;
    while (more && n < max) { /* at most CONSOLE_DRAIN_STEP bytes */
        bool nl = s[n] == '\n';
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
 * One drain step of partition id: its pending bytes, while the UART takes
 * them without waiting, at most CONSOLE_DRAIN_STEP, a line begun only when
 * con_may_begin allows, written a run (part of one line) at a time; when
 * format is set, the first record met is formatted, and a second one ends
 * the step, as a record met when format is clear does.
 * Implements: LLR-CON-016, LLR-CON-017, LLR-CON-022
 */
void con_drain_step(uint32_t id, bool format)
{
    struct con_part *cp = &con_state[id];
    uint32_t left = CONSOLE_DRAIN_STEP;
    bool may_format = format;
    /* Each pass writes at least one byte or stops: at most
     * CONSOLE_DRAIN_STEP passes. */
    bool more = true;
    while (more && left != 0u && con_pending(cp) != 0u) {
        bool mine = con_wire == id || (con_wire == CON_NONE && con_may_begin(id));
        if (mine && may_format && con_at_rec(cp)) {
            con_expand(cp);
            may_format = false;
        }
        uint32_t n = (mine && !con_at_rec(cp)) ? con_run(cp, left, arch_console_room()) : 0u;
        more = n != 0u;
        if (more) {
            con_put_run(id, n);
            left -= n;
        }
    }
}

/* Implements: LLR-CON-016 */
bool con_queue(struct con_part *cp, const char *s, size_t n)
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

/* Implements: LLR-CON-016, LLR-CON-022 (the mark and the record's bytes,
 * whole or not at all) */
bool con_queue_rec(struct con_part *cp, const struct console_rec *r)
{
    char buf[CON_REC_BYTES];
    buf[0] = CON_REC_MARK;
    bh_memcpy(&buf[1], r, sizeof(*r));
    return con_queue(cp, buf, sizeof(buf));
}

/* Implements: LLR-CON-017. An empty queue is seen without the lock, so a
 * window start of a partition with nothing to write never waits for
 * another CPU's console work; a byte queued meanwhile waits for the next
 * step. */
void console_drain(const struct partition *p)
{
    if (p == NULL || p->id >= BH_MAX_PARTS || con_pending(&con_state[p->id]) == 0u) {
        return;
    }
    arch_lock(&con_lock);
    con_drain_step(p->id, true);
    arch_unlock(&con_lock);
}

/* Implements: LLR-CON-020 (every queue written out, waiting for the UART,
 * line by line, records formatted: the module ends). */
void console_flush_all(void)
{
    arch_lock(&con_lock);
    con_finish_wire();
    for (uint32_t id = 0; id < BH_MAX_PARTS; id++) {
        /* at most CONSOLE_QUEUE_SIZE passes: each takes a byte or more */
        while (con_pending(&con_state[id]) != 0u) {
            con_put_next(id);
        }
    }
    arch_unlock(&con_lock);
}
