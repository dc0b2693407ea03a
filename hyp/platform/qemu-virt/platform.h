/*
 * QEMU virt (-M virt,virtualization=on,gic-version=3 -m 1G -smp 2): every
 * address and number of the board lives here and nowhere else.
 * Implements: LLR-PLAT-001.
 */
#ifndef BH_PLATFORM_H
#define BH_PLATFORM_H

#define PLAT_NAME "qemu-virt"

#define PLAT_RAM_BASE 0x40000000ull
#define PLAT_RAM_SIZE 0x40000000ull /* 1 GiB, as run by make run/test */
#define PLAT_NUM_CPUS 2u

/* The hypervisor is linked and loaded here (RAM base + text_offset). */
#define PLAT_HYP_BASE 0x40200000ull
#define PLAT_HYP_TEXT_OFFSET 0x200000ull

#define PLAT_UART_BASE 0x09000000ull /* PL011 */
#define PLAT_GICD_BASE 0x08000000ull
#define PLAT_GICR_BASE 0x080A0000ull
#define PLAT_GICR_STRIDE 0x20000ull

/* Device region mapped at EL2 stage 1 (all MMIO below RAM). */
#define PLAT_DEV_BASE 0x00000000ull
#define PLAT_DEV_SIZE 0x40000000ull

/* The packed configuration blob starts at this alignment after the
 * hypervisor footprint. */
#define PLAT_BLOB_ALIGN 0x10000ull

#endif
