/*
 * Host implementation of the arch interface (hyp/core/arch_if.h) for unit
 * tests: records what the core asked of the hardware so tests can assert it.
 */
#ifndef BH_FAKE_ARCH_H
#define BH_FAKE_ARCH_H

#include "arch_if.h"

#define FAKE_CONSOLE_SIZE 65536u
#define FAKE_MAX_MAPS 64u
#define FAKE_ROOM_ANY 0x40000000u /* a console that never fills */

struct fake_s2_map {
    uint32_t part_id;
    uint64_t gpa, pa, size;
    int shared;    /* made by arch_s2_map_shared */
    int read_only; /* ... read-only */
};

struct fake_arch_state {
    char console[FAKE_CONSOLE_SIZE]; /* everything written, NUL-terminated */
    size_t console_len;
    uint32_t console_room;           /* arch_console_room(); FAKE_ROOM_ANY after reset */
    uint64_t now;                    /* value arch_now() returns */
    uint64_t now_step;               /* added to now after each arch_now() */
    uint64_t ticks_per_sec;
    uint32_t cpu_id;
    uint32_t kicks;                  /* bit n: arch_kick(n) was called */
    uint32_t s2_count;
    struct fake_s2_map s2[FAKE_MAX_MAPS];
    int s2_fail;                     /* nonzero: arch_s2_map_ram fails */
    int s2_shared_fail;              /* nonzero: arch_s2_map_shared fails */
    uint32_t resets;
    uint64_t reset_entry[BH_MAX_VCPUS];
    uint64_t reset_arg0[BH_MAX_VCPUS];
    uint32_t halted;
    uint32_t system_off;
    uint32_t resets_module;          /* arch_reset() calls */
    uint32_t dev_count;              /* arch_s2_map_dev calls (recorded in s2[] too) */
    int dev_fail;                    /* nonzero: arch_s2_map_dev fails */
    uint32_t irq_routed[8];          /* bit n of word w: SPI 32w+n routed */
    uint32_t irq_route_cpu;          /* CPU of the last arch_irq_route */
    uint32_t irq_masked[8];          /* bit n of word w: INTID 32w+n masked */
    uint32_t irq_mask_calls;         /* arch_irq_mask calls (arch_irq_route's included) */
    int xlate_fail;                  /* nonzero: arch_guest_translate fails */
    uint32_t xlate_fail_after;       /* nonzero: translations after this many fail */
    uint32_t xlate_count;            /* arch_guest_translate calls so far */
    uint64_t xlate_from;             /* nonzero: addresses at or above it ... */
    uint64_t xlate_shift;            /* ... translate to address + xlate_shift */
    uint32_t gatomic_calls;          /* arch_guest_* atomics called so far */
    uint64_t gatomic_fail;           /* bit n: call n (from 0) gives up, word unchanged */
    int gatomic_fail_all;            /* nonzero: every guest atomic gives up */
    /* The SMMU (arch_dma_*): calls recorded, each can be made to fail. */
    uint32_t dma_inits, dma_enables;
    uint32_t dma_count;                      /* arch_dma_map calls recorded */
    struct fake_s2_map dma[FAKE_MAX_MAPS];   /* read_only set, shared unused */
    uint32_t dma_attached;                   /* arch_dma_attach calls */
    uint32_t dma_sid[FAKE_MAX_MAPS];         /* their StreamIDs ... */
    uint32_t dma_sid_part[FAKE_MAX_MAPS];    /* ... and partitions */
    int dma_init_fail, dma_map_fail, dma_attach_fail, dma_enable_fail;
    uint32_t dma_map_fail_after;             /* nonzero: maps after this many fail */
};

extern struct fake_arch_state fake;

/* When non-NULL, arch_halt() longjmps here with value 1 and
 * arch_system_off() with value 2, arch_reset() with 3, instead of aborting the test program. */
#include <setjmp.h>
extern jmp_buf *fake_halt_jmp;

/* When fake_lock_hook is set, the next arch_lock(fake_lock_target) first
 * clears the hook and calls it: a test's way to run code in the window
 * between two locks of the core (another CPU's work, done in between). */
extern bh_lock_t *fake_lock_target;
extern void (*fake_lock_hook)(bh_lock_t *l);

/* Clear all recorded state (and the lock hook); now = 0, ticks_per_sec = 62500000. */
void fake_arch_reset(void);

/* Clear the console capture, partitions' queued output included. */
void fake_console_clear(void);

/* Everything written so far, after writing out every partition's queued
 * output (console_flush_all): what the UART shows once the queues drain.
 * Tests of how a queue drains read fake.console instead. */
const char *fake_console(void);

#endif
