/* System register access and barriers (arch layer only). */
#ifndef BH_SYSREG_H
#define BH_SYSREG_H

#include <stdint.h>

#define sysreg_read(reg)                                                                           \
    ({                                                                                             \
        uint64_t rd_val_;                                                                             \
        __asm__ volatile("mrs %0, " #reg : "=r"(rd_val_));                                            \
        rd_val_;                                                                                   \
    })

#define sysreg_write(reg, v)                                                                       \
    do {                                                                                           \
        uint64_t val_ = (uint64_t)(v);                                                             \
        __asm__ volatile("msr " #reg ", %0" : : "r"(val_) : "memory");                             \
    } while (0)

/* PAR_EL1 after an AT instruction: F (the walk faulted) and PA[51:12]. */
#define PAR_F 1ull
#define PAR_PA_MASK 0x000ffffffffff000ull

static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" : : : "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

static inline uint32_t mmio_read32(uint64_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
    return *(volatile uint64_t *)(uintptr_t)addr;
}

/* HCR_EL2 bits. */
#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_PTW (1ull << 2)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_FB (1ull << 9)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_RW (1ull << 31)

/* ESR_EL2 exception classes. */
#define EC_UNKNOWN 0x00u
#define EC_WFX 0x01u
#define EC_HVC64 0x16u
#define EC_SMC64 0x17u
#define EC_SYSREG 0x18u
#define EC_IABT_LOW 0x20u
#define EC_DABT_LOW 0x24u

#define SPSR_EL1H_MASKED 0x3c5ull /* D, A, I, F masked; EL1h */

#endif
