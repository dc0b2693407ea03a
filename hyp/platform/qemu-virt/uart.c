/*
 * The board's PL011: output polled, input by interrupt (plat_uart_getc
 * drains the receive FIFO). Brought up before anything that can fail so
 * every failure is visible. Implements: LLR-PLAT-002.
 */
#include "arch.h"
#include "platform.h"
#include "sysreg.h"

#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_FR_TXFE (1u << 7)
#define UART_FIFO 32u /* the PL011's transmit FIFO, bytes */
#define UART_CR 0x030u
#define UART_IMSC 0x038u
#define UART_IMSC_RX 0x50u /* RXIM | RTIM: receive and receive timeout */
#define UART_POLL_LIMIT 100000u

void plat_uart_init(void)
{
    /* UARTEN, TXE, RXE; QEMU needs no baud setup, real boards get it from
     * their firmware. */
    mmio_write32(PLAT_UART_BASE + UART_CR, 0x301u);
    mmio_write32(PLAT_UART_BASE + UART_IMSC, UART_IMSC_RX);
}

/* The receive interrupt clears as the FIFO empties. */
int plat_uart_getc(void)
{
    if ((mmio_read32(PLAT_UART_BASE + UART_FR) & UART_FR_RXFE) != 0u) {
        return -1;
    }
    uint32_t c = mmio_read32(PLAT_UART_BASE + UART_DR) & 0xffu;
    return (int)c;
}

#ifdef PLAT_UART_MODEL_BAUD
/*
 * Test builds only (make UART_BAUD=115200, build/<tc>-uart115200): QEMU's
 * PL011 takes a byte at once, so no test could see what a real UART's
 * polling costs. This models one at PLAT_UART_MODEL_BAUD, 8N1 (10 bits a
 * byte), with the PL011's 32-byte transmit FIFO: the byte waits, in module
 * time, until the modelled FIFO has room, as uart_putc's TXFF poll would.
 * The flown build never defines PLAT_UART_MODEL_BAUD.
 */
static uint64_t uart_model_empty_at; /* counter value the modelled FIFO drains at */

static uint64_t uart_model_per_byte(void)
{
    return sysreg_read(cntfrq_el0) * 10u / PLAT_UART_MODEL_BAUD;
}

/* Bytes queued in the modelled FIFO now. */
static uint64_t uart_model_level(void)
{
    uint64_t now = sysreg_read(cntpct_el0);
    uint64_t per_byte = uart_model_per_byte();
    if (uart_model_empty_at <= now) {
        return 0;
    }
    return (uart_model_empty_at - now + per_byte - 1u) / per_byte;
}

static void uart_model_wait(void)
{
    uint64_t now = sysreg_read(cntpct_el0);
    if (uart_model_empty_at < now) {
        uart_model_empty_at = now;
    }
    /* Bounded: the FIFO drains one byte every per_byte ticks. */
    while (uart_model_level() >= UART_FIFO) {
    }
    uart_model_empty_at += uart_model_per_byte();
}
#endif

static void uart_putc(char ch)
{
    uint32_t i;
#ifdef PLAT_UART_MODEL_BAUD
    uart_model_wait();
#endif
    for (i = 0; i < UART_POLL_LIMIT; i++) {
        if ((mmio_read32(PLAT_UART_BASE + UART_FR) & UART_FR_TXFF) == 0u) {
            break;
        }
    }
    mmio_write32(PLAT_UART_BASE + UART_DR, (uint32_t)(unsigned char)ch);
}

/* An empty FIFO takes UART_FIFO bytes, one that is not full at least one.
 * Implements: LLR-CON-021 */
uint32_t plat_uart_room(void)
{
    uint32_t fr = mmio_read32(PLAT_UART_BASE + UART_FR);
    uint32_t room = 1u;
    if ((fr & UART_FR_TXFE) != 0u) {
        room = UART_FIFO;
    } else if ((fr & UART_FR_TXFF) != 0u) {
        room = 0u;
    } else {
        /* not full: at least one byte */
    }
#ifdef PLAT_UART_MODEL_BAUD
    uint64_t level = uart_model_level();
    uint32_t model = (level >= UART_FIFO) ? 0u : UART_FIFO - (uint32_t)level;
    room = (model < room) ? model : room;
#endif
    return room;
}

void plat_uart_write(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '\n') {
            uart_putc('\r');
        }
        uart_putc(s[i]);
    }
}
