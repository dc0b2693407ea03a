/*
 * Console input focus and the switch sequence (see conin.h). Called only by
 * the CPU that takes the physical UART's interrupt, so its state needs no
 * lock.
 */
#include "conin.h"

#include "console.h"
#include "part.h"
#include "vuart.h"

static uint32_t conin_part;  /* partition holding the focus */
static uint32_t conin_held;  /* Ctrl-Bs received in a row, not yet delivered */

/* Implements: LLR-CON-010 */
void conin_reset(void)
{
    conin_part = 0u;
    conin_held = 0u;
}

/* Implements: LLR-CON-010 */
uint32_t conin_focus(void)
{
    return conin_part;
}

/* Move the focus to the next partition and say so. */
static void conin_next(void)
{
    if (part_count == 0u || part_count > BH_MAX_PARTS) {
        return;
    }
    conin_part = (conin_part + 1u) % part_count;
    console_log("console input: %s (Ctrl-B three times to switch)", part_table[conin_part].name);
}

/* Hand c to the focused partition and wake its vCPUs' CPUs. */
static void conin_deliver(char c)
{
    /* conin_next keeps conin_part below part_count <= BH_MAX_PARTS. */
    if (conin_part >= part_count) {
        return;
    }
    struct partition *p = &part_table[conin_part];
    if (!vuart_rx_push(p, c)) {
        return; /* FIFO full: the byte is lost, as on a real UART */
    }
    part_wake_vcpus(p);
}

/* Implements: LLR-CON-011 */
void conin_byte(char c)
{
    if (c == CONIN_SWITCH_CHAR) {
        conin_held++;
        if (conin_held == CONIN_SWITCH_COUNT) {
            conin_held = 0u;
            conin_next();
        }
        return;
    }
    for (uint32_t i = 0; i < conin_held; i++) { /* below CONIN_SWITCH_COUNT */
        conin_deliver(CONIN_SWITCH_CHAR);
    }
    conin_held = 0u;
    conin_deliver(c);
}
