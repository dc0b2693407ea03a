/*
 * Hypercall dispatch: the Xen Arm guest interface subset.
 * The arch layer decodes HVC #0xEA1, passes x16 as nr and x0..x4 as args, and
 * writes the return value to x0.
 */
#ifndef BH_HCALL_H
#define BH_HCALL_H

#include "types.h"

struct vcpu;

/* Hypercall numbers and sub-operations, from Xen's public headers (xen.h,
 * version.h, sched.h, event_channel.h). */
#define HVC_XEN_IMM 0xEA1u

#define XEN_HC_XEN_VERSION 17u
#define XEN_HC_CONSOLE_IO 18u
#define XEN_HC_SCHED_OP 29u
#define XEN_HC_EVENT_CHANNEL_OP 32u

#define XENVER_VERSION 0u
#define XENVER_EXTRAVERSION 1u
#define XENVER_GET_FEATURES 6u
#define XENVER_PAGESIZE 7u
#define XEN_EXTRAVERSION_LEN 16u
#define XENFEAT_NR_SUBMAPS 1u
#define XENFEAT_WRITABLE_PAGE_TABLES 0u
#define XENFEAT_AUTO_TRANSLATED_PHYSMAP 2u

/* The Xen version Bulkhead presents to guests: 4.17. */
#define BH_XEN_MAJOR 4u
#define BH_XEN_MINOR 17u
/* XENVER_version's answer, major << 16 | minor, as one constant (MISRA 10.8). */
#define BH_XEN_VERSION 0x40011u
_Static_assert(BH_XEN_VERSION == (((uint32_t)BH_XEN_MAJOR << 16) | BH_XEN_MINOR), "BH_XEN_VERSION");

#define CONSOLEIO_WRITE 0u
#define CONSOLEIO_READ 1u

#define SCHEDOP_YIELD 0u
#define SCHEDOP_BLOCK 1u
#define SCHEDOP_SHUTDOWN 2u
#define SHUTDOWN_POWEROFF 0u
#define SHUTDOWN_REBOOT 1u
#define SHUTDOWN_SUSPEND 2u
#define SHUTDOWN_CRASH 3u
#define SHUTDOWN_WATCHDOG 4u

/*
 * Bulkhead's own hypercalls, in a range Xen does not use (Xen numbers stay
 * below 64). Arguments in x0..x2 as for Xen's; documented in docs/hypercalls.md.
 */
#define BH_HC_FIRST 0x100u
#define BH_HC_SCHED_GET 0x100u    /* x0: struct sched_status * -> 0 */
#define BH_HC_SCHED_SWITCH 0x101u /* x0: schedule id -> 0 (system partition only) */
#define BH_HC_MODE_GET 0x102u     /* x0: partition id or BH_SELF -> mode */
#define BH_HC_MODE_SET 0x103u     /* x0: partition id or BH_SELF, x1: mode -> 0 */
#define BH_HC_HM_REPORT 0x104u    /* x0: code -> 0 (raises HM "reported error") */
#define BH_HC_HM_LOG_READ 0x105u  /* x0: struct hm_event *, x1: max, x2: from seq -> count (system) */
#define BH_HC_PART_ID 0x106u      /* -> the caller's partition id */
#define BH_HC_IRQ_TIME 0x107u     /* x0: struct irq_time * (the caller's vCPU) -> 0 */
#define BH_HC_LAST 0x107u

/* What BH_HC_IRQ_TIME gives a vCPU about itself: the physical interrupts
 * taken at EL2 while it ran, and the counter ticks they took. */
struct irq_time {
    uint64_t entries;
    uint64_t ticks;
};
#define BH_SELF 0xffffffffu
#define BH_HM_LOG_READ_MAX 64u

/* Largest piece of a CONSOLEIO_write handled per entry into the hypervisor.
 * A longer write is continued: the arguments are advanced and the guest
 * re-issues the call, so no hypercall holds the CPU for long and the
 * scheduler can preempt between pieces (Xen continues such calls too).
 * 16: a piece of 1-character lines is 8 lines, which with the drain step
 * (CONSOLE_DRAIN_STEP) keeps an entry under about 6,000 instructions of
 * EL2 near a window's end (1,024 were up to ~50 us, 64 up to 15,177
 * instructions: issue 15, console_flood). */
#define HCALL_CONSOLE_CHUNK 16u

/* hcall_dispatch result: not a value for x0, but "re-issue the call with the
 * updated arguments" (the arch layer rewinds the PC to the HVC). */
#define HCALL_CONTINUE (-INT64_MAX - 1)

/*
 * Perform hypercall nr for vCPU v with arguments args[0..4] and return the
 * value for x0: >= 0 on success, -XEN_E* on failure, -XEN_ENOSYS for any
 * number or sub-operation not implemented; or HCALL_CONTINUE after updating
 * args[] in place for a call that is not finished. Every guest pointer is
 * checked with part_guest_ptr() before use.
 * Implements: LLR-HC-001 .. LLR-HC-008.
 */
int64_t hcall_dispatch(struct vcpu *v, uint64_t nr, uint64_t args[5]);

#endif
