/*
 * The emulated PL011 (SBSA subset) each partition sees at Xen's
 * GUEST_PL011_BASE. Output goes to the line console; input comes from the
 * physical UART while the partition holds the console input (conin.h).
 */
#ifndef BH_VUART_H
#define BH_VUART_H

#include "types.h"

struct vcpu;
struct partition;

#define VUART_BASE 0x22000000ULL
#define VUART_SIZE 0x00001000ULL
#define VUART_RX_FIFO 32u /* receive FIFO depth, as a PL011's */

/* Emulate an access to the UART window (UARTDR, UARTFR, UARTCR, UARTIMSC,
 * UARTRIS, UARTMIS, UARTICR, peripheral ID); other offsets read as zero.
 * Only 32-bit accesses (8-bit for UARTDR) are allowed. Implements: LLR-VUART-001. */
enum mmio_result vuart_mmio(struct vcpu *v, uint64_t gpa, uint32_t size, bool write, uint64_t *val);

/* Put the UART of partition part_id in its reset state (UARTCR = 0x300,
 * UARTIMSC = 0); called when the partition is built or restarted.
 * Implements: LLR-VUART-002. */
void vuart_reset(uint32_t part_id);

/*
 * Append c to the receive FIFO of p and, if its receive interrupts are
 * unmasked, make SPI 32 (VGIC_SPI_VPL011) pending. Returns false, keeping
 * nothing, when p is invalid or its FIFO is full. Implements: LLR-VUART-010.
 */
bool vuart_rx_push(struct partition *p, char c);

#endif
