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
 * A minimal modern virtio-pci driver: BAR 4 placed at 0x10000000, the
 * capability list walked for the common, notify and device configuration,
 * one virtqueue of 4 descriptors. A faulted request leaves the device
 * broken (QEMU marks it NEEDS_RESET), so it is reset before each request.
 *
 * Bootargs: victim=<physical address> hyp=<physical address>.
 * Used by tests/system/cases/attack-dma (config/attack-dma.dts).
 */
#include "bulkhead.h"
#include "guest.h"

#define ECAM 0x3f000000ull
#define BAR_BASE 0x10000000ull
#define DEV_CFG (ECAM + (1ull << 15)) /* bus 0, device 1, function 0 */
#define VENDOR_VIRTIO 0x1af4u
#define DEVICE_BLK 0x1042u

#define ST_ACK 1u
#define ST_DRIVER 2u
#define ST_DRIVER_OK 4u
#define ST_FEATURES_OK 8u
#define ST_NEEDS_RESET 0x40u
#define F_VERSION_1 1u      /* feature bit 32 */
#define F_ACCESS_PLATFORM 2u /* feature bit 33 */

#define QSIZE 4u
#define D_NEXT 1u
#define D_WRITE 2u
#define BLK_IN 0u
#define BLK_OUT 1u
#define WAIT_MS 100u

struct vdesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct ring {
    struct vdesc desc[QSIZE];
    uint16_t avail[2 + QSIZE];
    uint16_t pad[2];
    uint32_t used[2 + 2 * QSIZE];
    struct {
        uint32_t type;
        uint32_t reserved;
        uint64_t sector;
    } hdr;
    uint8_t status;
} __attribute__((aligned(4096)));

static struct ring rq;
static uint8_t buf[512] __attribute__((aligned(512)));

static uint64_t common, notify, device;
static uint32_t notify_mult;

static void w16(uint64_t a, uint16_t v)
{
    __asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static uint16_t r16(uint64_t a)
{
    uint16_t v;
    __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

/* Place BAR 4 (64-bit memory) and walk the capabilities. */
static bool pci_setup(void)
{
    uint32_t id = mmio_read32(DEV_CFG);
    if ((id & 0xffffu) != VENDOR_VIRTIO || (id >> 16) != DEVICE_BLK) {
        gprintf("no virtio-blk at 00:01.0 (id 0x%x)\n", id);
        return false;
    }
    mmio_write32(DEV_CFG + 0x20u, (uint32_t)BAR_BASE);
    mmio_write32(DEV_CFG + 0x24u, (uint32_t)(BAR_BASE >> 32));
    mmio_write32(DEV_CFG + 0x04u, 0x6u); /* memory space, bus master */
    uint32_t cap = mmio_read8(DEV_CFG + 0x34u);
    for (uint32_t n = 0; cap != 0u && n < 32u; n++) {
        uint64_t c = DEV_CFG + cap;
        if (mmio_read8(c) == 0x09u && mmio_read8(c + 4u) == 4u) {
            uint64_t at = BAR_BASE + mmio_read32(c + 8u);
            switch (mmio_read8(c + 3u)) {
            case 1:
                common = at;
                break;
            case 2:
                notify = at;
                notify_mult = mmio_read32(c + 16u);
                break;
            case 4:
                device = at;
                break;
            default:
                break;
            }
        }
        cap = mmio_read8(c + 1u);
    }
    return common != 0u && notify != 0u && device != 0u;
}

/* Reset the device and bring queue 0 up on rq. */
static bool vq_setup(void)
{
    mmio_write8(common + 0x14u, 0u);
    for (uint32_t i = 0; i < 1000u && mmio_read8(common + 0x14u) != 0u; i++) {
    }
    mmio_write8(common + 0x14u, ST_ACK | ST_DRIVER);
    mmio_write32(common + 0x00u, 1u);
    uint32_t hi = mmio_read32(common + 0x04u);
    if ((hi & (F_VERSION_1 | F_ACCESS_PLATFORM)) != (F_VERSION_1 | F_ACCESS_PLATFORM)) {
        gprintf("device features 0x%x: no VERSION_1 or ACCESS_PLATFORM\n", hi);
        return false;
    }
    mmio_write32(common + 0x08u, 0u);
    mmio_write32(common + 0x0cu, 0u);
    mmio_write32(common + 0x08u, 1u);
    mmio_write32(common + 0x0cu, F_VERSION_1 | F_ACCESS_PLATFORM);
    mmio_write8(common + 0x14u, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if ((mmio_read8(common + 0x14u) & ST_FEATURES_OK) == 0u) {
        return false;
    }
    memset(&rq, 0, sizeof(rq));
    w16(common + 0x16u, 0u);
    w16(common + 0x18u, QSIZE);
    mmio_write64(common + 0x20u, (uint64_t)(uintptr_t)rq.desc);
    mmio_write64(common + 0x28u, (uint64_t)(uintptr_t)rq.avail);
    mmio_write64(common + 0x30u, (uint64_t)(uintptr_t)rq.used);
    w16(common + 0x1cu, 1u);
    mmio_write8(common + 0x14u, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    return true;
}

/* One request on a freshly reset device: the device reads or writes 512
 * bytes at device address addr. Returns the status byte, or -1 when the
 * request did not complete (then the device status, shifted 8). */
static int32_t blk_rw(uint32_t type, uint64_t addr)
{
    if (!vq_setup()) {
        return -2;
    }
    rq.hdr.type = type;
    rq.hdr.sector = 0u;
    rq.status = 0xffu;
    rq.desc[0] = (struct vdesc){(uint64_t)(uintptr_t)&rq.hdr, 16u, D_NEXT, 1u};
    rq.desc[1] = (struct vdesc){addr, 512u, (uint16_t)(D_NEXT | (type == BLK_IN ? D_WRITE : 0u)), 2u};
    rq.desc[2] = (struct vdesc){(uint64_t)(uintptr_t)&rq.status, 1u, D_WRITE, 0u};
    rq.avail[2] = 0u;
    __asm__ volatile("dsb sy" ::: "memory");
    rq.avail[1] = 1u;
    __asm__ volatile("dsb sy" ::: "memory");
    uint16_t noff = r16(common + 0x1eu);
    w16(notify + (uint64_t)noff * notify_mult, 0u);
    uint64_t end = timer_now() + timer_freq() / 1000u * WAIT_MS;
    while (timer_now() < end) {
        if (*(volatile uint32_t *)rq.used >> 16 == 1u) {
            return *(volatile uint8_t *)&rq.status;
        }
    }
    return -1 - (int32_t)(mmio_read8(common + 0x14u) << 8);
}

/* The device cannot tell the hypervisor's refusal from success (QEMU
 * completes the request either way), so the outcome is judged elsewhere:
 * the hypervisor's DMA-fault lines, victim's checksum, the hypervisor still
 * running. */
static void attack(const char *what, uint32_t type, uint64_t addr)
{
    struct bh_irq_time t0, t1;
    (void)bh_irq_time(&t0);
    int32_t r = blk_rw(type, addr);
    (void)bh_irq_time(&t1);
    gprintf("disk %s %s 0x%llx: request %s %d\n", type == BLK_IN ? "read into" : "write from", what,
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
    if (!check(pci_setup(), "virtio-blk-pci found at 00:01.0, BAR 4 at 0x10000000")) {
        test_finish();
    }
    /* A read into its own memory works: the device sees guest-physical
     * addresses through the SMMU. */
    /* Let victim fill and checksum its memory first. */
    delay_ticks(timer_freq() / 2u);
    memset(buf, 0xaa, sizeof(buf));
    struct bh_irq_time t0, t1;
    (void)bh_irq_time(&t0);
    int32_t r = blk_rw(BLK_IN, (uint64_t)(uintptr_t)buf);
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
    attack("victim RAM", BLK_IN, victim);
    attack("the hypervisor", BLK_IN, hyp);
    attack("victim RAM", BLK_OUT, victim);
    attack("the hypervisor", BLK_OUT, hyp);
    r = blk_rw(BLK_IN, (uint64_t)(uintptr_t)buf);
    checkf(r == 0, "the disk still works for its own RAM afterwards (status %d)", r);
    test_finish();
}
