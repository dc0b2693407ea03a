/*
 * Attack of issue 16: DMA aimed outside the partition. The attacker owns
 * QEMU virt's PCIe host bridge and a virtio-blk-pci disk whose StreamID
 * the SMMU confines to the attacker's own memory, at its guest-physical
 * addresses (config: tests/system/hostile-modes, line dma; QEMU arguments:
 * tests/system/hostile-gen.sh). The disk is made to:
 *   - read a sector into the shared page "ro" (guest 0x42000000), which the
 *     attacker maps read-only and the witness checks at every tick: the
 *     SMMU maps it read-only too, so this is a permission fault;
 *   - read into the probe's and the witness's RAM (physical 0x48800000,
 *     0x49800000) and write a sector from the witness's RAM: none is in the
 *     attacker's map, so each is a translation fault;
 *   - read into the hypervisor's physical address 0x40200000: the device
 *     sees guest-physical addresses, so this lands in the attacker's own
 *     RAM at guest 0x40200000 (checked), never in the hypervisor.
 * Each fault is the attacker's dma-fault (ignored by its table); the probe
 * and the witness check their windows and the shared page.
 */
#include "hostile.h"
#include "vblk.h"

#define RO_PAGE 0x42000000ull
#define PROBE_PA 0x48800000ull
#define WITNESS_PA 0x49800000ull
#define HYP_PA 0x40200000ull

static void dma_report(const char *what, uint64_t addr, int32_t r)
{
    gprintf("disk %s 0x%llx: request %s %d\n", what, (unsigned long long)addr,
            r < 0 ? "not completed, device status" : "completed, status",
            r < 0 ? (-1 - r) >> 8 : r);
}

HOSTILE_MODE(dma, "a PCIe disk's DMA aimed at other partitions, a read-only page, the hypervisor")
{
    (void)args;
    if (!hostile_check(vblk_pci_setup(), "virtio-blk-pci found at 00:01.0")) {
        return;
    }
    dma_report("read into the read-only page", RO_PAGE, vblk_rw(VBLK_IN, RO_PAGE));
    dma_report("read into the probe's RAM", PROBE_PA, vblk_rw(VBLK_IN, PROBE_PA));
    dma_report("read into the witness's RAM", WITNESS_PA, vblk_rw(VBLK_IN, WITNESS_PA));
    dma_report("write from the witness's RAM", WITNESS_PA, vblk_rw(VBLK_OUT, WITNESS_PA));
    volatile uint8_t *own = (volatile uint8_t *)(uintptr_t)HYP_PA;
    for (uint32_t i = 0; i < 512u; i++) {
        own[i] = 0xaau;
    }
    int32_t r = vblk_rw(VBLK_IN, HYP_PA);
    uint32_t zero = 0;
    for (uint32_t i = 0; i < 512u; i++) {
        zero += own[i] == 0u ? 1u : 0u;
    }
    hostile_check(r == 0 && zero == 512u,
                  "a read aimed at the hypervisor's 0x40200000 landed in its own RAM there");
}
