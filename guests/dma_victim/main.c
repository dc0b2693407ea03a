/*
 * The victim of the DMA attack (tests/system/cases/attack-dma): fills
 * 64 KiB of its RAM at guest-physical 0x40800000 (physical 0x50800000 in
 * config/attack-dma.dts, the attacker's target) with a pattern, checksums
 * it, waits wait_ms (bootargs, default 3000) while the attacker runs, and
 * checks that the checksum and every word are unchanged.
 */
#include "bulkhead.h"
#include "guest.h"

#define TARGET 0x40800000ull
#define WORDS (65536u / 4u)

static uint32_t fnv(const volatile uint32_t *w)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < WORDS; i++) {
        h = (h ^ w[i]) * 16777619u;
    }
    return h;
}

int main(void)
{
    volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)TARGET;
    uint64_t wait_ms = bh_arg(bh_bootargs(), "wait_ms", 0, 3000u);
    for (uint32_t i = 0; i < WORDS; i++) {
        w[i] = 0xC0DE0000u ^ (i * 2654435761u);
    }
    uint32_t before = fnv(w);
    gprintf("pattern at 0x%llx, checksum 0x%08x\n", (unsigned long long)TARGET, before);
    delay_ticks(timer_freq() / 1000u * wait_ms);
    uint32_t bad = 0;
    for (uint32_t i = 0; i < WORDS; i++) {
        bad += w[i] != (0xC0DE0000u ^ (i * 2654435761u)) ? 1u : 0u;
    }
    uint32_t after = fnv(w);
    checkf(after == before && bad == 0u, "memory unchanged after the attack: checksum 0x%08x, "
           "was 0x%08x; %u words differ", after, before, bad);
    test_finish();
}
