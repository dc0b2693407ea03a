/*
 * Shared by the differential guests (guests/xd_*, make xen-diff): a paced
 * print, and a wait for events with a deadline. Xen's public interface only.
 */
#ifndef GUEST_XDIFF_H
#define GUEST_XDIFF_H

#include "evtchn.h"
#include "guest.h"

/* One line, then a pause: Bulkhead passes at most 1000 lines a second per
 * partition (after a burst of 64) and drops the rest; this keeps under it. */
#define say(...)                                                                                   \
    do {                                                                                           \
        gprintf(__VA_ARGS__);                                                                      \
        delay_ticks(timer_freq() / 800u);                                                          \
    } while (0)

/* The static channel of tests/system/xen-diff/pingpong.chosen. */
#define XD_PORT 10u
#define XD_TRIPS 200u

/* Nanoseconds from reset to the first instruction, from the virtual counter
 * read there and the offset of the virtual counter now. */
uint64_t xd_boot_ns(void);
/* Wait until *count reaches target or ms pass, the timer keeping each WFI
 * short; true when it did. Uses the virtual timer (PPI 27). */
bool xd_wait(volatile uint32_t *count, uint32_t target, uint64_t ms);
/* Timer interrupts go here (the evtchn library's "other" handler). */
void xd_other_irq(uint32_t intid);
/* The ping-pong guests' start, printed as "<who>: ..." lines: the GIC, the
 * status of XD_PORT, the FIFO control block and first event page, the
 * virtual timer's PPI, a registered vcpu_info. False when the event
 * channel could not be set up (said). */
bool xd_channel_open(const char *who);

#endif
