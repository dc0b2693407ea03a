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
    return (int)(mmio_read32(PLAT_UART_BASE + UART_DR) & 0xffu);
}

static void uart_putc(char ch)
{
    uint32_t i;
    for (i = 0; i < UART_POLL_LIMIT; i++) {
        if ((mmio_read32(PLAT_UART_BASE + UART_FR) & UART_FR_TXFF) == 0u) {
            break;
        }
    }
    mmio_write32(PLAT_UART_BASE + UART_DR, (uint32_t)(unsigned char)ch);
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
