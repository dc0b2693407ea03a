/*
 * ARINC 653-style inter-partition ports on static shared memory and static
 * event channels (docs/event-channels.md, "Ports").
 *
 * A port is a structure placed by both partitions at the same offset of a
 * shared region; one partition writes (source), the other reads
 * (destination). After each write the source sends an event on the
 * channel the configuration gives, so the destination need not poll.
 *
 * Sampling port: the latest message only. A reader gets the message, its
 * length and its age (ticks since it was written); the message is valid
 * while its age is at most the refresh period. A sequence number (odd while
 * a write is under way) lets the reader take a consistent copy without a lock.
 *
 * Queuing port: a bounded FIFO of PORT_QUEUE_DEPTH messages. A write to a
 * full queue is refused and counted (overflow); reads take messages in the
 * order written. Single writer, single reader.
 */
#ifndef GUEST_PORTS_H
#define GUEST_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#define PORT_MSG_MAX 64u
#define PORT_QUEUE_DEPTH 8u

struct sampling_port {
    volatile uint32_t seq;   /* even: stable; odd: write under way */
    volatile uint32_t len;   /* bytes of the message, 0: never written */
    volatile uint64_t stamp; /* counter value when written */
    volatile uint8_t msg[PORT_MSG_MAX];
};

struct queuing_port {
    volatile uint32_t head;      /* next message to read (reader only) */
    volatile uint32_t tail;      /* next slot to write (writer only) */
    volatile uint32_t overflows; /* writes refused because the queue was full */
    volatile uint32_t reserved;
    volatile uint32_t len[PORT_QUEUE_DEPTH];
    volatile uint8_t msg[PORT_QUEUE_DEPTH][PORT_MSG_MAX];
};

/* Results of the port calls. */
#define PORT_OK 0
#define PORT_EMPTY -1    /* nothing to read */
#define PORT_FULL -2     /* queue full: message refused, overflow counted */
#define PORT_TOO_BIG -3  /* len above PORT_MSG_MAX */
#define PORT_INVALID -4  /* sampling: message older than the refresh period */

/* Write msg (len bytes) as the port's latest message; then, when event_port
 * is not 0, send an event on it. */
int sampling_write(struct sampling_port *p, const void *msg, uint32_t len, uint32_t event_port);

/* Copy the latest message into buf (PORT_MSG_MAX bytes), its length into
 * *len and its age in ticks into *age. PORT_EMPTY before the first write,
 * PORT_INVALID (message still copied) when *age exceeds refresh ticks. */
int sampling_read(const struct sampling_port *p, void *buf, uint32_t *len, uint64_t *age,
                  uint64_t refresh);

/* Append msg; PORT_FULL (and overflows + 1) when PORT_QUEUE_DEPTH messages
 * are waiting. Sends an event on event_port (not 0) after a write. */
int queuing_send(struct queuing_port *q, const void *msg, uint32_t len, uint32_t event_port);

/* Take the oldest message into buf (PORT_MSG_MAX bytes) and *len. */
int queuing_receive(struct queuing_port *q, void *buf, uint32_t *len);

/* Messages waiting. */
uint32_t queuing_count(const struct queuing_port *q);

#endif
