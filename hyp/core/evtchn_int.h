/*
 * Internal to the event-channel module (evtchn.c, evtchn_port.c): the port
 * table of each partition. Not for other modules. Every function runs with
 * the partition's event-channel lock held, or at boot before any partition
 * runs.
 */
#ifndef BH_EVTCHN_INT_H
#define BH_EVTCHN_INT_H

#include "evtchn.h"

/* Take the lowest free port of p (state `state`, vCPU 0, priority 7),
 * initialising the next chunk when every existing port is in use; 0 when
 * the limit is reached. Implements: LLR-EVT-004, LLR-EVT-033. */
uint32_t evtchn_port_alloc(const struct partition *p, uint32_t state);

/* port of p is (or was) in use: evtchn_reset must look at it. */
void evtchn_port_used(const struct partition *p, uint32_t port);

/* port of p has been closed: allocation may take it again. */
void evtchn_port_freed(const struct partition *p, uint32_t port);

/* p's table after its ports were closed: one fresh chunk, port 0 reserved,
 * the others free. Implements: LLR-EVT-002, LLR-EVT-033. */
void evtchn_ports_fresh(const struct partition *p);

#endif
