/*
 * Arch services for the core: locks, physical-to-pointer, and the two
 * symbols a freestanding compiler may call on its own (memcpy, memset).
 * Implements: LLR-ARCH-060.
 */
#include "arch.h"
#include "arch_if.h"
#include "sysreg.h"
#include "util.h"

/*
 * A ticket lock in one word: the high half is the next ticket, the low half
 * the ticket being served. CPUs are served in the order they asked, so a
 * waiter waits for at most the critical sections of the CPUs ahead of it
 * (BH_MAX_CPUS - 1), never for a CPU that keeps winning a test-and-set.
 * The exclusive loop here is on hypervisor memory that only CPUs taking
 * or releasing this lock write, each at most once per turn: a store
 * exclusive fails at most BH_MAX_CPUS - 1 times in a row.
 * Implements: LLR-ARCH-100.
 */
#define LOCK_TICKET 0x10000u
#define LOCK_SERVING 0xffffu

void arch_lock(bh_lock_t *l)
{
    uint32_t mine = __atomic_fetch_add(&l->word, LOCK_TICKET, __ATOMIC_ACQUIRE) >> 16;
    while ((__atomic_load_n(&l->word, __ATOMIC_ACQUIRE) & LOCK_SERVING) != mine) {
        __asm__ volatile("yield");
    }
}

/* Only the holder writes the low half (little-endian: the halfword at the
 * word's address), so serving the next ticket is a plain halfword add and
 * a store-release; a CPU taking a ticket meanwhile loses its exclusive
 * store and retries with the new word. No carry reaches the ticket half. */
void arch_unlock(bh_lock_t *l)
{
    volatile uint32_t *word = &l->word;
    uint32_t serving;
    __asm__ volatile("ldrh %w0, [%1]\n\t"
                     "add %w0, %w0, #1\n\t"
                     "stlrh %w0, [%1]"
                     : "=&r"(serving)
                     : "r"(word)
                     : "memory");
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
