/*
 * The emulated PL011 (SBSA subset) each partition sees at Xen's
 * GUEST_PL011_BASE. Output goes to the line console; input reads empty.
 */
#ifndef BH_VUART_H
#define BH_VUART_H

#include "types.h"

struct vcpu;

#define VUART_BASE 0x22000000ull
#define VUART_SIZE 0x00001000ull

/* Emulate an access to the UART window (UARTDR, UARTFR, UARTCR, UARTIMSC,
 * UARTRIS, UARTMIS, UARTICR, peripheral ID); other offsets read as zero.
 * Only 32-bit accesses (8-bit for UARTDR) are allowed. Implements: LLR-VUART-001. */
enum mmio_result vuart_mmio(struct vcpu *v, uint64_t gpa, uint32_t size, bool write, uint64_t *val);

/* Put the UART of partition part_id in its reset state (UARTCR = 0x300,
 * UARTIMSC = 0); called when the partition is built or restarted.
 * Implements: LLR-VUART-002. */
void vuart_reset(uint32_t part_id);

#endif
