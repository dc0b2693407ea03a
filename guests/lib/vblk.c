/*
 * A minimal modern virtio-pci block driver for bare-metal partitions that
 * own QEMU virt's PCIe host bridge (see vblk.h). Polled, one virtqueue of
 * 4 descriptors, one 512-byte request at a time.
 */
#include "vblk.h"

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
bool vblk_pci_setup(void)
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

int32_t vblk_rw(uint32_t type, uint64_t addr)
{
    if (!vq_setup()) {
        return -2;
    }
    rq.hdr.type = type;
    rq.hdr.sector = 0u;
    rq.status = 0xffu;
    rq.desc[0] = (struct vdesc){(uint64_t)(uintptr_t)&rq.hdr, 16u, D_NEXT, 1u};
    rq.desc[1] = (struct vdesc){addr, 512u, (uint16_t)(D_NEXT | (type == VBLK_IN ? D_WRITE : 0u)), 2u};
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

