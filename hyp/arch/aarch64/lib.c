/*
 * Arch services for the core: locks, physical-to-pointer, and the two
 * symbols a freestanding compiler may call on its own (memcpy, memset).
 * Implements: LLR-ARCH-060.
 */
#include "arch.h"
#include "arch_if.h"
#include "sysreg.h"
#include "util.h"

/* Test-and-set with acquire/release ordering; held for bounded sections. */
void arch_lock(bh_lock_t *l)
{
    while (__atomic_exchange_n(&l->word, 1u, __ATOMIC_ACQUIRE) != 0u) {
        __asm__ volatile("yield");
    }
}

void arch_unlock(bh_lock_t *l)
{
    __atomic_store_n(&l->word, 0u, __ATOMIC_RELEASE);
}

void *arch_pa_to_ptr(uint64_t pa)
{
    return (void *)(uintptr_t)pa;
}

/*
 * The guest's stage-1 walk, done by the MMU (arch_at_s1e1 in vectors.S, which
 * keeps the guest's PAR_EL1). A walk that reads a table from memory the
 * guest cannot use for one fails here instead of stopping the machine:
 * HCR_EL2.PTW turns a table read from a Device page into a stage-2
 * permission fault reported in PAR_EL1, and an external abort on the walk
 * is caught at the AT instruction (hyp_trap) and reported as a failure.
 * Implements: LLR-ARCH-061, LLR-ARCH-070.
 */
bool arch_guest_translate(uint64_t va, bool write, uint64_t *ipa)
{
    uint64_t par = arch_at_s1e1(va, write ? 1u : 0u);
    if ((par & PAR_F) != 0u) {
        return false;
    }
    *ipa = (par & PAR_PA_MASK) | (va & 0xfffu);
    return true;
}

void arch_console_write(const char *s, size_t n)
{
    plat_uart_write(s, n);
}

uint32_t arch_console_room(void)
{
    return plat_uart_room();
}

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
    bh_memcpy(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    bh_memset(dst, c, n);
    return dst;
}
