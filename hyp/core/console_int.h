/*
 * Internal to the console (console.c: lines and budgets; console_queue.c:
 * the per-partition queues and the UART). Not for other modules.
 */
#ifndef BH_CONSOLE_INT_H
#define BH_CONSOLE_INT_H

#include "arch_if.h"
#include "console.h"

#define CON_LOG_PREFIX "(bulkhead) "
#define CON_LOG_PREFIX_LEN (sizeof(CON_LOG_PREFIX) - 1u)
/* "[" name "] " text "\n": the longest physical line plus its NUL. */
#define CON_PHYS_MAX (1u + BH_CFG_NAME_LEN + 2u + CONSOLE_LINE_MAX + 2u)
/* Hypervisor messages may be a little longer than guest lines. */
#define CON_LOG_MAX (CON_LOG_PREFIX_LEN + CONSOLE_LINE_MAX + 40u)
/* A formatted hypervisor line: prefix, text, '\n'. */
#define CON_LOG_LINE (CON_LOG_PREFIX_LEN + CON_LOG_MAX + 1u)
#define CON_NONE BH_MAX_PARTS /* no partition: the UART is between lines */
/*
 * In a queue, this byte begins a record (struct console_rec, its bytes
 * following): a hypervisor line kept as data until a drain step that may
 * format formats it. Every text byte queued is printable or '\n' (guest
 * bytes and names pass con_sanitise, formatted lines too), so the byte
 * cannot be text; a record is queued only between whole lines.
 */
#define CON_REC_MARK '\001'
#define CON_REC_BYTES (1u + (uint32_t)sizeof(struct console_rec))

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
    uint32_t x_head;       /* index in x of the next byte for the UART */
    uint32_t x_len;        /* bytes of x left: a record's line, before q */
    uint32_t prefix_len;   /* of prefix; 0 until first made (con_prefix_of) */
    char prefix[BH_CFG_NAME_LEN + 2u]; /* "[name] " */
    char x[CON_LOG_LINE];           /* the record taken from q, formatted */
    char queue[CONSOLE_QUEUE_SIZE]; /* whole lines and records, in order */
};

extern struct con_part con_state[BH_MAX_PARTS];
extern bh_lock_t con_lock;

/* Printable ASCII passes; anything else would let a guest drive the
 * integrator's terminal, so it becomes '?'. */
static inline char con_sanitise(char c)
{
    return (c >= ' ' && c <= '~') ? c : '?';
}

/* Format record r as its line "(bulkhead) text\n" into line (CON_LOG_LINE
 * bytes); returns its length. In console.c. */
size_t con_format_rec(char *line, const struct console_rec *r);

/* Reset the UART's line and turn state (console_init). */
void con_queue_init(void);

/* Finish the line on the UART, waiting for it. Caller holds con_lock. */
void con_finish_wire(void);

/* One drain step of partition id; format: whether it may format one
 * record (console_drain only). Caller holds con_lock. */
void con_drain_step(uint32_t id, bool format);

/* Queue n bytes (whole lines) for cp; false, nothing queued, when they do
 * not fit. Caller holds con_lock. */
bool con_queue(struct con_part *cp, const char *s, size_t n);

/* Queue record r for cp; false, nothing queued, when it does not fit.
 * Caller holds con_lock. */
bool con_queue_rec(struct con_part *cp, const struct console_rec *r);

#endif
