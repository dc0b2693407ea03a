/*
 * QEMU virt (-M virt,virtualization=on,gic-version=3 -m 1G -smp 2): every
 * address and number of the board lives here and nowhere else.
 * Implements: LLR-PLAT-001.
 */
#ifndef BH_PLATFORM_H
#define BH_PLATFORM_H

#ifdef __ASSEMBLY__
#define PLAT_U64(x) x
#else
#define PLAT_U64(x) x##ull
#endif

#define PLAT_NAME "qemu-virt"

#define PLAT_RAM_BASE PLAT_U64(0x40000000)
#define PLAT_RAM_SIZE PLAT_U64(0x40000000) /* 1 GiB, as run by make run/test */
#define PLAT_NUM_CPUS 2u
/* MPIDR affinity (Aff3..Aff0) of each CPU, indexed by CPU number. */
#define PLAT_CPU_MPIDR {PLAT_U64(0x0), PLAT_U64(0x1)}
#define PLAT_STACK_SIZE 0x4000

/* The hypervisor is linked and loaded here (RAM base + text_offset). */
#define PLAT_HYP_BASE PLAT_U64(0x40200000)
#define PLAT_HYP_TEXT_OFFSET PLAT_U64(0x200000)

#define PLAT_UART_BASE PLAT_U64(0x09000000) /* PL011 */
#define PLAT_UART_INTID 33u                  /* its interrupt: SPI 1 */
#define PLAT_GICD_BASE PLAT_U64(0x08000000)
#define PLAT_GICR_BASE PLAT_U64(0x080A0000)
#define PLAT_GICR_STRIDE PLAT_U64(0x20000)
#define PLAT_GICD_SIZE PLAT_U64(0x10000)
#define PLAT_GICR_SIZE PLAT_U64(0xF60000) /* the board's redistributor region */
#define PLAT_UART_SIZE PLAT_U64(0x1000)
/* Frames of the board that a guest must never reach. The GIC ITS and the
 * GICv2m frame belong to the GIC the hypervisor owns: the ITS's tables and
 * command queue are written by DMA at guest-chosen physical addresses, the
 * v2m doorbell raises the SPIs it serves, whoever owns them. fw_cfg's DMA
 * interface writes guest-chosen physical memory. The SMMUv3 (present with
 * -M virt,iommu=smmuv3) would control every device's DMA. */
#define PLAT_GICV2M_BASE PLAT_U64(0x08020000)
#define PLAT_GICV2M_SIZE PLAT_U64(0x1000)
#define PLAT_GITS_BASE PLAT_U64(0x08080000)
#define PLAT_GITS_SIZE PLAT_U64(0x20000)
#define PLAT_FW_CFG_BASE PLAT_U64(0x09020000)
#define PLAT_FW_CFG_SIZE PLAT_U64(0x1000) /* 0x18 bytes of registers, in one page */
#define PLAT_SMMU_BASE PLAT_U64(0x09050000)
#define PLAT_SMMU_SIZE PLAT_U64(0x20000)
/* The SMMUv3's interrupts (QEMU virt: SPIs 74..77, in the order event
 * queue, PRI queue, CMD_SYNC, global error) and the StreamIDs its linear
 * stream table covers: PCIe buses 0..15, all the low ECAM window holds. */
#define PLAT_SMMU_SPI_FIRST 106u
#define PLAT_SMMU_SPI_COUNT 4u
#define PLAT_SMMU_EVTQ_INTID 106u
#define PLAT_SMMU_GERROR_INTID 109u
#define PLAT_SMMU_SIDS 4096u
/* Page-table pages of the SMMU's stage-1 tables, all DMA-owning partitions
 * together (hyp/arch/aarch64/smmu.c); the boot check refuses more. */
#define PLAT_SMMU_TABLE_PAGES 32u
/* MMIO never passed through (base, size, name), as a cfg_frame table
 * (hyp/core/cfg.h): the hypervisor's GIC and UART and the frames above.
 * Sizes are whole pages, the granule of a pass-through range. */
#define PLAT_RESERVED_FRAMES                                                                       \
    {                                                                                              \
        {PLAT_GICD_BASE, PLAT_GICD_SIZE, "GIC distributor"},                                       \
        {PLAT_GICV2M_BASE, PLAT_GICV2M_SIZE, "GICv2m MSI frame"},                                  \
        {PLAT_GITS_BASE, PLAT_GITS_SIZE, "GIC ITS"},                                               \
        {PLAT_GICR_BASE, PLAT_GICR_SIZE, "GIC redistributors"},                                    \
        {PLAT_UART_BASE, PLAT_UART_SIZE, "hypervisor UART"},                                       \
        {PLAT_FW_CFG_BASE, PLAT_FW_CFG_SIZE, "fw_cfg"},                                            \
        {PLAT_SMMU_BASE, PLAT_SMMU_SIZE, "SMMUv3"},                                                \
    }
#define PLAT_NUM_RESERVED_FRAMES 7u
#define PLAT_SPI_END 288u /* the board's GIC: 256 SPIs, INTIDs 32..287 */

/* Device region mapped at EL2 stage 1 (all MMIO below RAM). */
#define PLAT_DEV_BASE PLAT_U64(0x00000000)
#define PLAT_DEV_SIZE PLAT_U64(0x40000000)

/* Page-table pages of the hypervisor's stage-2 pool, for all partitions
 * together (hyp/arch/aarch64/mmu.c); the boot check refuses a system whose
 * maps need more (hyp/core/cfg_s2.c). 96 pages: 384 KiB. */
#define PLAT_S2_TABLE_PAGES 96u

/* The packed configuration blob starts at this alignment after the
 * hypervisor footprint. */
#define PLAT_BLOB_ALIGN PLAT_U64(0x10000)

#endif
