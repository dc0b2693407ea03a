/*
 * The line console: every line on the physical UART is whole, prefixed with
 * its source, and never interleaved with another line.
 */
#ifndef BH_CONSOLE_H
#define BH_CONSOLE_H

#include "types.h"

struct partition;

#define CONSOLE_LINE_MAX 120u   /* characters of payload per physical line */
#define CONSOLE_BURST_LINES 64u /* lines a partition may emit back to back */
#define CONSOLE_LINES_PER_SEC 1000u /* sustained rate per partition */
/* Hypervisor lines about one partition (a fault and its health-monitor
 * line are two): a burst, then a sustained rate a 115,200-baud UART carries
 * for every partition at once (8 partitions x 8 lines of ~150 characters a
 * second are ~9,600 characters a second, of ~11,500). */
#define CONSOLE_HYP_BURST_LINES 8u
#define CONSOLE_HYP_LINES_PER_SEC 8u
/* Bytes of whole lines a partition may have waiting for the UART, and the
 * most one drain step writes (when the UART takes them without waiting: a
 * real PL011 takes 32 at most, QEMU's any number). */
#define CONSOLE_QUEUE_SIZE 8960u /* a burst of the longest lines: 64 x 140 */
#define CONSOLE_DRAIN_STEP 64u

/* Per-partition console state (lives in console.c, indexed by partition id). */

/* Reset all console state. Implements: LLR-CON-001. */
void console_init(void);

/*
 * Print one hypervisor message line, formatted like bh_snprintf, with the
 * prefix "(bulkhead) ". Implements: LLR-CON-002.
 */
void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * One hypervisor line about partition p, formatted like console_log's,
 * queued with p's output if p's budget of hypervisor lines allows and its
 * queue has room; otherwise counted as suppressed. The count is reported
 * ("partition <name>: N hypervisor lines suppressed") before p's next
 * queued hypervisor line or when p stops or restarts (console_guest_flush).
 * No drain step: the line waits for p's next window start or its own next
 * write (LLR-CON-017). Only printing is limited: the caller's handling
 * of the event is unchanged. A line about no known partition is written as
 * console_log writes it. Implements: LLR-CON-014, LLR-CON-015, LLR-CON-019.
 */
void console_log_part(const struct partition *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* As console_log_part, without the budget: lines a partition's life cycle
 * bounds (stopped, restarting), kept in order with its output.
 * Implements: LLR-CON-019. */
void console_log_owned(const struct partition *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * One drain step of p's queue: the bytes the UART takes without waiting, at
 * most CONSOLE_DRAIN_STEP, a new line only in p's turn. Called in p's time
 * (sched_pick of its window). Implements: LLR-CON-017.
 */
void console_drain(const struct partition *p);

/* Write every queue out, waiting for the UART: only when the module ends
 * (every partition stopped). Implements: LLR-CON-020. */
void console_flush_all(void);

/*
 * Add n characters of partition p's output. A '\n' ends a line; a line that
 * reaches CONSOLE_LINE_MAX characters is emitted and continued on the next
 * physical line. Each physical line is "[name] text", queued for the UART.
 * Lines beyond the partition's rate budget or its queue are counted and
 * dropped, and the count is reported once the budget allows. Then one drain
 * step of p. Implements: LLR-CON-003 .. LLR-CON-005, LLR-CON-016, LLR-CON-017.
 */
void console_guest_write(struct partition *p, const char *s, size_t n);

/* Queue any partial line of p and the counts of its lost lines (when p
 * stops or restarts). Implements: LLR-CON-003, LLR-CON-005, LLR-CON-015. */
void console_guest_flush(struct partition *p);

#endif
