/*
 * ARINC 653-style sampling and queuing ports (see ports.h). The runtime runs
 * with the MMU off, so shared memory is accessed non-cacheable; the barriers
 * order the message against its index or sequence number for the other
 * CPU either way.
 */
#include "ports.h"

#include "evtchn.h"
#include "guest.h"

static inline void port_barrier(void)
{
    __asm__ volatile("dmb ish" ::: "memory");
}

static void port_notify(uint32_t event_port)
{
    if (event_port != 0u) {
        (void)evtchn_send(event_port);
    }
}

/* Implements: LLR-SHM-003 */
int sampling_write(struct sampling_port *p, const void *msg, uint32_t len, uint32_t event_port)
{
    const uint8_t *m = msg;
    if (len > PORT_MSG_MAX) {
        return PORT_TOO_BIG;
    }
    p->seq = p->seq + 1u; /* odd: under way */
    port_barrier();
    for (uint32_t k = 0; k < len; k++) {
        p->msg[k] = m[k];
    }
    p->len = len;
    p->stamp = timer_now();
    port_barrier();
    p->seq = p->seq + 1u;
    port_notify(event_port);
    return PORT_OK;
}

/* Implements: LLR-SHM-003 */
int sampling_read(const struct sampling_port *p, void *buf, uint32_t *len, uint64_t *age,
                  uint64_t refresh)
{
    uint8_t *b = buf;
    for (uint32_t tries = 0; tries < 1000u; tries++) {
        uint32_t s0 = p->seq;
        port_barrier();
        uint32_t n = p->len;
        uint64_t stamp = p->stamp;
        n = n > PORT_MSG_MAX ? PORT_MSG_MAX : n;
        for (uint32_t k = 0; k < n; k++) {
            b[k] = p->msg[k];
        }
        port_barrier();
        if ((s0 & 1u) == 0u && p->seq == s0) {
            if (s0 == 0u) {
                return PORT_EMPTY;
            }
            *len = n;
            *age = timer_now() - stamp;
            return *age <= refresh ? PORT_OK : PORT_INVALID;
        }
    }
    return PORT_EMPTY;
}

uint32_t queuing_count(const struct queuing_port *q)
{
    return q->tail - q->head;
}

/* Implements: LLR-SHM-003 */
int queuing_send(struct queuing_port *q, const void *msg, uint32_t len, uint32_t event_port)
{
    const uint8_t *m = msg;
    if (len > PORT_MSG_MAX) {
        return PORT_TOO_BIG;
    }
    uint32_t tail = q->tail;
    if (tail - q->head >= PORT_QUEUE_DEPTH) {
        q->overflows = q->overflows + 1u;
        return PORT_FULL;
    }
    uint32_t slot = tail % PORT_QUEUE_DEPTH;
    for (uint32_t k = 0; k < len; k++) {
        q->msg[slot][k] = m[k];
    }
    q->len[slot] = len;
    port_barrier();
    q->tail = tail + 1u;
    port_notify(event_port);
    return PORT_OK;
}

/* Implements: LLR-SHM-003 */
int queuing_receive(struct queuing_port *q, void *buf, uint32_t *len)
{
    uint8_t *b = buf;
    uint32_t head = q->head;
    if (q->tail == head) {
        return PORT_EMPTY;
    }
    port_barrier();
    uint32_t slot = head % PORT_QUEUE_DEPTH;
    uint32_t n = q->len[slot];
    n = n > PORT_MSG_MAX ? PORT_MSG_MAX : n;
    for (uint32_t k = 0; k < n; k++) {
        b[k] = q->msg[slot][k];
    }
    *len = n;
    port_barrier();
    q->head = head + 1u;
    return PORT_OK;
}
