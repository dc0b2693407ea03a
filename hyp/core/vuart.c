/*
 * Emulated PL011 (SBSA subset). Every byte written to UARTDR goes to the
 * line console at once, so the transmit FIFO is always empty and never busy.
 * The receive FIFO holds the bytes the console input (conin.c) gave this
 * partition; while it is not empty and the receive interrupts are unmasked,
 * SPI 32 is made pending. UARTCR and UARTIMSC are kept so a driver reads
 * back what it programmed.
 */
#include "vuart.h"

#include "console.h"
#include "part.h"
#include "vgic.h"

#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_CR 0x030u
#define UART_IMSC 0x038u
#define UART_RIS 0x03Cu
#define UART_MIS 0x040u
#define UART_ICR 0x044u
#define UART_ID_FIRST 0xFE0u /* IDs fill the window up to its end */

#define UART_FR_RXFE 0x10u
#define UART_FR_RXFF 0x40u
#define UART_FR_TXFE 0x80u
#define UART_INT_RX 0x50u /* RXRIS | RTRIS: data waiting (receive, timeout) */
#define UART_CR_RESET 0x300u /* TXE | RXE, the PL011 reset value */
#define UART_CR_MASK 0xFFFFu /* UARTCR and UARTIMSC are 16-bit registers */
#define UART_IMSC_MASK 0x7FFu

/* PeriphID0..3 then PCellID0..3 of an Arm PL011, one per word. */
static const uint8_t vuart_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

/* Changed by the partition's vCPUs (MMIO, any CPU), the console input (the
 * UART's interrupt, CPU 0) and restarts: every access holds lock. */
struct vuart_state {
    bh_lock_t lock;
    uint32_t cr;
    uint32_t imsc;
    uint32_t rx_head;  /* index of the oldest byte */
    uint32_t rx_count; /* bytes waiting, at most VUART_RX_FIFO */
    uint8_t rx[VUART_RX_FIFO];
};

static struct vuart_state vuart_state[BH_MAX_PARTS];

_Static_assert(VUART_SIZE == 0x1000u, "the ID registers end the window");

/* Implements: LLR-VUART-002 */
void vuart_reset(uint32_t part_id)
{
    if (part_id < BH_MAX_PARTS) {
        struct vuart_state *s = &vuart_state[part_id];
        arch_lock(&s->lock);
        s->cr = UART_CR_RESET;
        s->imsc = 0u;
        s->rx_head = 0u;
        s->rx_count = 0u;
        arch_unlock(&s->lock);
    }
}

/* The receive interrupt condition: data waiting, RXIM or RTIM set. */
static uint32_t vuart_ris(const struct vuart_state *s)
{
    return (s->rx_count != 0u) ? UART_INT_RX : 0u;
}

/* Whether the receive interrupt condition holds. Pre: s->lock held. */
static bool vuart_asserted(const struct vuart_state *s)
{
    return (vuart_ris(s) & s->imsc) != 0u;
}

/* Raise SPI 32 of p (after s->lock is released: vgic_post takes the
 * partition's vGIC lock and may kick). */
static void vuart_signal(struct partition *p, bool asserted)
{
    if (asserted && p->num_vcpus != 0u && p->vcpus[0] != NULL) {
        (void)vgic_post(p->vcpus[0], VGIC_SPI_VPL011); /* kicks when it must */
    }
}

/* Implements: LLR-VUART-010 */
bool vuart_rx_push(struct partition *p, char c)
{
    if (p == NULL || p->id >= BH_MAX_PARTS) {
        return false;
    }
    struct vuart_state *s = &vuart_state[p->id];
    arch_lock(&s->lock);
    bool room = (s->rx_count < VUART_RX_FIFO);
    if (room) {
        s->rx[(s->rx_head + s->rx_count) % VUART_RX_FIFO] = (uint8_t)c;
        s->rx_count++;
    }
    bool asserted = vuart_asserted(s);
    arch_unlock(&s->lock);
    vuart_signal(p, room && asserted);
    return room;
}

/* The oldest received byte, removed from the FIFO; 0 when it is empty. */
static uint32_t vuart_rx_pop(struct vuart_state *s)
{
    if (s->rx_count == 0u) {
        return 0u;
    }
    uint32_t c = s->rx[s->rx_head];
    s->rx_head = (s->rx_head + 1u) % VUART_RX_FIFO;
    s->rx_count--;
    return c;
}

/* 32-bit aligned anywhere in the window; 8-bit only at UARTDR. */
static bool vuart_width_ok(uint32_t off, uint32_t size)
{
    if (size == 4u) {
        return (off & 3u) == 0u;
    }
    return size == 1u && off == UART_DR;
}

static uint64_t vuart_read(struct vuart_state *s, uint32_t off)
{
    switch (off) {
    case UART_DR:
        return vuart_rx_pop(s);
    case UART_FR:
        return UART_FR_TXFE | ((s->rx_count == 0u) ? UART_FR_RXFE : 0u) |
               ((s->rx_count == VUART_RX_FIFO) ? UART_FR_RXFF : 0u);
    case UART_CR:
        return s->cr;
    case UART_IMSC:
        return s->imsc;
    case UART_RIS:
        return vuart_ris(s);
    case UART_MIS:
        return vuart_ris(s) & s->imsc;
    default:
        break;
    }
    if (off >= UART_ID_FIRST) {
        return vuart_id[(off - UART_ID_FIRST) / 4u];
    }
    /* Every reserved offset reads as zero. */
    return 0u;
}

/* The low byte of a UARTDR write is one character of the partition's output. */
static void vuart_putc(struct vcpu *v, uint64_t val)
{
    char c = (char)(uint8_t)(val & 0xFFu);
    console_guest_write(v->part, &c, 1u);
}

/* A register write other than UARTDR; true when it unmasked a pending
 * receive condition (SPI 32 to raise). Pre: s->lock held. */
static bool vuart_write(struct vuart_state *s, uint32_t off, uint64_t val)
{
    switch (off) {
    case UART_CR:
        s->cr = (uint32_t)val & UART_CR_MASK;
        return false;
    case UART_IMSC:
        s->imsc = (uint32_t)val & UART_IMSC_MASK;
        return vuart_asserted(s);
    default:
        /* UARTICR: the receive condition clears only as the FIFO empties;
         * read-only and reserved offsets ignore writes. */
        return false;
    }
}

/* Implements: LLR-VUART-001, LLR-VUART-011, LLR-VUART-012 (receive side: UARTDR pops, UARTFR,
 * UARTRIS and UARTMIS follow the FIFO; unmasking raises SPI 32). */
enum mmio_result vuart_mmio(struct vcpu *v, uint64_t gpa, uint32_t size, bool write, uint64_t *val)
{
    if (gpa < VUART_BASE || gpa - VUART_BASE >= VUART_SIZE) {
        return MMIO_NOT_MINE;
    }
    uint32_t off = (uint32_t)(gpa - VUART_BASE);
    if (!vuart_width_ok(off, size) || v == NULL || v->part == NULL || v->part->id >= BH_MAX_PARTS ||
        val == NULL) {
        return MMIO_BAD_ACCESS;
    }
    struct vuart_state *s = &vuart_state[v->part->id];
    if (write && off == UART_DR) {
        vuart_putc(v, *val); /* the console has its own lock */
        return MMIO_HANDLED;
    }
    bool raise = false;
    arch_lock(&s->lock);
    if (write) {
        raise = vuart_write(s, off, *val);
    } else {
        *val = vuart_read(s, off);
    }
    arch_unlock(&s->lock);
    vuart_signal(v->part, raise);
    return MMIO_HANDLED;
}
