/*
 * Console input: the bytes the physical UART receives go to the emulated
 * PL011 of one partition, the one holding the input focus. Three Ctrl-B
 * (0x02) in a row move the focus to the next partition, in configuration
 * order, wrapping round; the move is announced on the console.
 */
#ifndef BH_CONIN_H
#define BH_CONIN_H

#include "types.h"

#define CONIN_SWITCH_CHAR ((char)0x02) /* Ctrl-B */
#define CONIN_SWITCH_COUNT 3u  /* presses in a row that move the focus */

/* Give the focus to partition 0 and forget any partial switch sequence.
 * Implements: LLR-CON-010. */
void conin_reset(void);

/*
 * One byte received from the physical UART. A Ctrl-B is held back until the
 * sequence completes (focus moves, nothing delivered) or another byte ends it
 * (the held Ctrl-Bs are delivered first). A delivered byte goes to the
 * receive FIFO of the focused partition, whose vCPUs' CPUs are asked to
 * choose again so a waiting vCPU sees its interrupt. Implements: LLR-CON-011.
 */
void conin_byte(char c);

/* Index of the partition holding the focus. Implements: LLR-CON-010. */
uint32_t conin_focus(void);

#endif
