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
#define PAR_F 1ULL
#define PAR_PA_MASK 0x000ffffffffff000ULL

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
#define HCR_VM (1ULL << 0)
#define HCR_SWIO (1ULL << 1)
#define HCR_PTW (1ULL << 2)
#define HCR_FMO (1ULL << 3)
#define HCR_IMO (1ULL << 4)
#define HCR_AMO (1ULL << 5)
#define HCR_FB (1ULL << 9)
#define HCR_TWI (1ULL << 13)
#define HCR_TWE (1ULL << 14)
#define HCR_TSC (1ULL << 19)
#define HCR_TIDCP (1ULL << 20)
#define HCR_TACR (1ULL << 21)
#define HCR_TSW (1ULL << 22)
#define HCR_RW (1ULL << 31)
#define HCR_TERR (1ULL << 36) /* RAS only; RES0 without it */
#define HCR_TEA (1ULL << 37)  /* RAS only; RES0 without it */

/* MDCR_EL2 bits (HPMN is bits [4:0]). */
#define MDCR_TPMCR (1ULL << 5)
#define MDCR_TPM (1ULL << 6)
#define MDCR_TDA (1ULL << 9)
#define MDCR_TDOSA (1ULL << 10)
#define MDCR_TDRA (1ULL << 11)
#define MDCR_HPMD (1ULL << 17) /* PMUv3 for Armv8.1 and later; RES0 before */

/* CPTR_EL2 (no VHE): RES1 bits 13:12 and 9:0; TTA and TAM where implemented. */
#define CPTR_RES1 0x33ffULL
#define CPTR_TTA (1ULL << 20)
#define CPTR_TAM (1ULL << 30)

/* ID register fields (4 bits each) that say whether a trap bit exists. */
#define ID_FIELD(reg, shift) ((uint32_t)((reg) >> (shift)) & 0xfu)
#define DFR0_TRACEVER 4  /* ID_AA64DFR0_EL1: system-register trace unit */
#define DFR0_PMUVER 8    /* ID_AA64DFR0_EL1: 1 = PMUv3, 4.. = v8.1 or later, 0xf = IMPDEF */
#define PFR0_RAS 28      /* ID_AA64PFR0_EL1: RAS extension */
#define PFR0_AMU 44      /* ID_AA64PFR0_EL1: activity monitors */

/* ESR_EL2 exception classes. */
#define EC_UNKNOWN 0x00u
#define EC_WFX 0x01u
#define EC_HVC64 0x16u
#define EC_SMC64 0x17u
#define EC_SYSREG 0x18u
#define EC_IABT_LOW 0x20u
#define EC_DABT_LOW 0x24u

#define SPSR_EL1H_MASKED 0x3c5ULL /* D, A, I, F masked; EL1h */

#endif
