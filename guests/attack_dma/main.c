/*
 * Attack: a partition that owns a PCIe virtio-blk disk (QEMU virt's host
 * bridge, the function at 00:01.0, behind the SMMU) programs it to DMA
 * into memory that is not its own: a disk read into another partition's
 * RAM and into the hypervisor's image, a disk write from each. Its RAM is
 * at guest-physical 0x60000000 (not 1:1), and the addresses it gives the
 * device are guest-physical, as for any driver. The hypervisor's SMMU
 * tables map only its RAM, so each attack must fault (the hypervisor logs
 * a DMA fault with the address) and change nothing.
 *
 * The driver is guests/lib/vblk.c: a minimal modern virtio-pci driver.
 *
 * Bootargs: victim=<physical address> hyp=<physical address>.
 * Used by tests/system/cases/attack-dma (config/attack-dma.dts).
 */
#include "bulkhead.h"
#include "guest.h"

#include "vblk.h"

static uint8_t buf[512] __attribute__((aligned(512)));

/* The device cannot tell the hypervisor's refusal from success (QEMU
 * completes the request either way), so the outcome is judged elsewhere:
 * the hypervisor's DMA-fault lines, victim's checksum, the hypervisor still
 * running. */
static void attack(const char *what, uint32_t type, uint64_t addr)
{
    struct bh_irq_time t0, t1;
    (void)bh_irq_time(&t0);
    int32_t r = vblk_rw(type, addr);
    (void)bh_irq_time(&t1);
    gprintf("disk %s %s 0x%llx: request %s %d\n", type == VBLK_IN ? "read into" : "write from", what,
            (unsigned long long)addr, r < 0 ? "not completed, device status" : "completed, status",
            r < 0 ? (-1 - r) >> 8 : r);
    /* What the hypervisor's interrupts took from this vCPU meanwhile: the
     * SMMU's event interrupt (a drain, the fault report), the device's
     * INTx and timer ticks (BH_HC_IRQ_TIME). */
    gprintf("  interrupts while it ran: %llu, %llu ns\n",
            (unsigned long long)(t1.entries - t0.entries),
            (unsigned long long)(ticks_to_ns_tenths(t1.ticks - t0.ticks) / 10u));
}

int main(void)
{
    const char *args = bh_bootargs();
    uint64_t victim = bh_arg(args, "victim", 0, 0x50800000u);
    uint64_t hyp = bh_arg(args, "hyp", 0, 0x40200000u);
    if (!check(vblk_pci_setup(), "virtio-blk-pci found at 00:01.0, BAR 4 at 0x10000000")) {
        test_finish();
    }
    /* A read into its own memory works: the device sees guest-physical
     * addresses through the SMMU. */
    /* Let victim fill and checksum its memory first. */
    delay_ticks(timer_freq() / 2u);
    memset(buf, 0xaa, sizeof(buf));
    struct bh_irq_time t0, t1;
    (void)bh_irq_time(&t0);
    int32_t r = vblk_rw(VBLK_IN, (uint64_t)(uintptr_t)buf);
    (void)bh_irq_time(&t1);
    gprintf("  interrupts while it ran: %llu, %llu ns\n",
            (unsigned long long)(t1.entries - t0.entries),
            (unsigned long long)(ticks_to_ns_tenths(t1.ticks - t0.ticks) / 10u));
    uint32_t zero = 0;
    for (uint32_t i = 0; i < sizeof(buf); i++) {
        zero += buf[i] == 0u ? 1u : 0u;
    }
    checkf(r == 0 && zero == sizeof(buf), "disk read into its own RAM at 0x%llx: status %d, %u of 512 "
           "bytes from the disk", (unsigned long long)(uintptr_t)buf, r, zero);
    attack("victim RAM", VBLK_IN, victim);
    attack("the hypervisor", VBLK_IN, hyp);
    attack("victim RAM", VBLK_OUT, victim);
    attack("the hypervisor", VBLK_OUT, hyp);
    r = vblk_rw(VBLK_IN, (uint64_t)(uintptr_t)buf);
    checkf(r == 0, "the disk still works for its own RAM afterwards (status %d)", r);
    test_finish();
}
