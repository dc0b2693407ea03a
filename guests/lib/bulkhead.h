/*
 * Bulkhead's own hypercalls (docs/hypercalls.md) for partition programs, and
 * the helpers the ARINC 653 test partitions share: finding where their
 * windows start by watching the counter, and reading their boot arguments.
 */
#ifndef GUEST_BULKHEAD_H
#define GUEST_BULKHEAD_H

#include "guest.h"

#define BH_HC_SCHED_GET 0x100u
#define BH_HC_SCHED_SWITCH 0x101u
#define BH_HC_MODE_GET 0x102u
#define BH_HC_MODE_SET 0x103u
#define BH_HC_HM_REPORT 0x104u
#define BH_HC_HM_LOG_READ 0x105u
#define BH_HC_PART_ID 0x106u
#define BH_HC_IRQ_TIME 0x107u
#define BH_SELF 0xffffffffu

#define BH_MODE_IDLE 0u
#define BH_MODE_COLD_START 1u
#define BH_MODE_WARM_START 2u
#define BH_MODE_NORMAL 3u

#define BH_HM_STAGE2 0u
#define BH_HM_UNDEF 1u
#define BH_HM_MODE 2u
#define BH_HM_HCALL 3u
#define BH_HM_REPORTED 4u
#define BH_HM_CRASH 5u

#define BH_HM_ACT_IDLE 0u
#define BH_HM_ACT_IGNORE 1u
#define BH_HM_ACT_WARM_RESTART 2u
#define BH_HM_ACT_COLD_RESTART 3u

/* Layout of the hypervisor's struct sched_status (40 bytes). */
struct bh_sched_status {
    uint32_t current;
    uint32_t next;
    uint64_t frames;
    uint64_t last_switch;
    uint64_t frame_start;
};

/* Layout of the hypervisor's struct hm_event (32 bytes; docs/hypercalls.md). */
struct bh_hm_event {
    uint64_t time;
    uint64_t detail;
    uint32_t seq;
    uint8_t part;
    uint8_t vcpu;
    uint8_t error;
    uint8_t action;
    uint32_t count;    /* occurrences folded into this record */
    uint32_t reserved;
};

/* Layout of the hypervisor's struct irq_time (16 bytes): the physical
 * interrupts the hypervisor took while this vCPU ran, and their ticks. */
struct bh_irq_time {
    uint64_t entries;
    uint64_t ticks;
};

int64_t bh_sched_get(struct bh_sched_status *st);
int64_t bh_irq_time(struct bh_irq_time *t);
int64_t bh_sched_switch(uint32_t id);
int64_t bh_mode_get(uint32_t part);
int64_t bh_mode_set(uint32_t part, uint32_t mode);
int64_t bh_hm_report(uint64_t code);
int64_t bh_hm_log_read(struct bh_hm_event *buf, uint32_t max, uint32_t from_seq);
int64_t bh_part_id(void);

/* ------------------------------------------------------------ windows --- */
/* A jump of the counter larger than this between two reads means the
 * partition was not running in between: 20 us at 62.5 MHz. */
#define BH_GAP_TICKS 1250u

/*
 * Spin on the counter until it jumps by more than gap ticks or until the
 * counter reaches deadline (0: no deadline). Returns the first reading after
 * the jump (the start of a new window, as this partition sees it), or 0 at
 * the deadline. *last_before, if not NULL, gets the last reading before it.
 */
uint64_t bh_next_window(uint64_t gap, uint64_t deadline, uint64_t *last_before);

/* ----------------------------------------------------------- bootargs --- */
/* /chosen/bootargs of the device tree at guest_dtb, or "" when absent. */
const char *bh_bootargs(void);
/*
 * The value of the n-th (0-based) "key=<unsigned decimal>" token of args,
 * or dflt when there is no such token.
 */
uint64_t bh_arg(const char *args, const char *key, uint32_t n, uint64_t dflt);
/* Number of "key=" tokens in args. */
uint32_t bh_arg_count(const char *args, const char *key);

#endif
