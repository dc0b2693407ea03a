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

/* Per-partition console state (lives in console.c, indexed by partition id). */

/* Reset all console state. Implements: LLR-CON-001. */
void console_init(void);

/*
 * Print one hypervisor message line, formatted like bh_snprintf, with the
 * prefix "(bulkhead) ". Implements: LLR-CON-002.
 */
void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print one hypervisor line about partition p, like console_log, if p's
 * budget of hypervisor lines allows; otherwise count it as suppressed. The
 * count is reported ("partition <name>: N hypervisor lines suppressed")
 * before p's next printed hypervisor line or when p stops or restarts
 * (console_guest_flush). Only printing is limited: the caller's handling of
 * the event is unchanged. Implements: LLR-CON-014, LLR-CON-015.
 */
void console_log_part(const struct partition *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Add n characters of partition p's output. A '\n' ends a line; a line that
 * reaches CONSOLE_LINE_MAX characters is emitted and continued on the next
 * physical line. Each physical line is "[name] text". Lines beyond the
 * partition's rate budget are counted and dropped, and the count is reported
 * once the budget allows. Implements: LLR-CON-003 .. LLR-CON-005.
 */
void console_guest_write(struct partition *p, const char *s, size_t n);

/* Emit any partial line of p (e.g. when p stops). Implements: LLR-CON-003. */
void console_guest_flush(struct partition *p);

#endif
