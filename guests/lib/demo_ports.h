/*
 * The demo system's two ARINC 653 ports (config/demo.dts), as the three demo
 * programs see them. Each port sits at the start of its own shared region,
 * mapped at the same guest-physical address in every partition that uses it.
 *
 * Queuing port "work" (bravo -> alpha, both read-write): numbered work items.
 * alpha takes one per tick and then sends an event on its end of the static
 * channel alpha:1 <-> bravo:1, so bravo knows there is room again.
 *
 * Sampling port "sensor" (charlie -> bravo, bravo read-only): the latest
 * sensor sample; bravo reads it every 100 ms and calls it stale when it is
 * older than DEMO_SENSOR_VALID_MS.
 */
#ifndef GUEST_DEMO_PORTS_H
#define GUEST_DEMO_PORTS_H

#include "ports.h"

#define DEMO_WORK ((struct queuing_port *)(uintptr_t)0x50000000u)
#define DEMO_SENSOR ((struct sampling_port *)(uintptr_t)0x50001000u)
#define DEMO_ROOM_PORT 1u /* the static channel alpha:1 <-> bravo:1 */

#define DEMO_WORK_ITEMS 10u
#define DEMO_SENSOR_VALID_MS 150u

/* One work item: its number (1, 2, ...) and a prime found by bravo. */
struct demo_work_item {
    uint32_t item;
    uint32_t prime;
};

/* One sensor sample: its number (1, 2, ... over restarts) and the reading in
 * tenths of a degree Celsius. */
struct demo_sample {
    uint32_t number;
    uint32_t tenths_c;
};

#endif
