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
 * A hypervisor line about a partition, kept as data: queueing it costs a
 * copy, and it is formatted only by a drain step at the partition's window
 * start (console_drain) or when the module ends (issue 15: two lines
 * formatted in a fault's path were 8,271 to 9,649 instructions). Strings
 * are read when the line is formatted, so they must live as long as the
 * hypervisor (literals, names in the partition table); NULL prints "?".
 */
/* "partition <name> vcpu <vcpu> fault: <text>, ESR class 0x<esr_class>,
 * ESR 0x<esr>, address 0x<addr>, pc 0x<pc>" */
#define CONSOLE_REC_FAULT 1u
/* "partition <name> vcpu <vcpu> health monitor: <text> -> <text2>" */
#define CONSOLE_REC_HM 2u
/* "partition <name>: <esr> hypervisor lines suppressed" (the console's own,
 * LLR-CON-015) */
#define CONSOLE_REC_SUPPRESSED 3u
/* "partition <name>: DMA fault, StreamID 0x<esr_class>, address 0x<addr>
 * (event 0x<esr>)" */
#define CONSOLE_REC_DMA 4u

struct console_rec {
    uint32_t kind; /* CONSOLE_REC_... */
    uint32_t vcpu;
    const char *name; /* set by the console: the partition's name */
    const char *text;
    const char *text2;
    uint32_t esr_class;
    uint64_t esr;
    uint64_t addr;
    uint64_t pc;
};

/*
 * One hypervisor line about partition p (record r, copied), queued with p's
 * output if p's budget of hypervisor lines allows and its queue has room;
 * otherwise counted as suppressed. The count is reported ("partition
 * <name>: N hypervisor lines suppressed") before p's next queued
 * hypervisor line or when p stops or restarts (console_guest_flush).
 * No drain step: the line waits for p's next window start (LLR-CON-017).
 * Only printing is limited: the caller's handling of the event is
 * unchanged. A line about a NULL partition, or one with an id of
 * BH_MAX_PARTS or above, is formatted and written as console_log writes.
 * Implements: LLR-CON-014, LLR-CON-015, LLR-CON-019, LLR-CON-022.
 */
void console_log_part(const struct partition *p, const struct console_rec *r);

/* A hypervisor line about p, formatted like console_log's now and queued
 * with p's output without the budget: lines a partition's life cycle bounds
 * (stopped, restarting), kept in order with its output. A NULL p or one
 * with an id of BH_MAX_PARTS or above: written as console_log writes.
 * Implements: LLR-CON-019. */
void console_log_owned(const struct partition *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * One drain step of p's queue: the bytes the UART takes without waiting, at
 * most CONSOLE_DRAIN_STEP, a new line only in p's turn, and at most one
 * record formatted. Called in p's time (sched_pick at its window start).
 * Implements: LLR-CON-017, LLR-CON-022.
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
