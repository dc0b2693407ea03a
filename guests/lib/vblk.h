/*
 * A minimal virtio-blk-pci driver (modern virtio, VIRTIO_F_VERSION_1 and
 * VIRTIO_F_ACCESS_PLATFORM) for bare-metal partitions that own QEMU
 * virt's PCIe host bridge (low ECAM at 0x3f000000, -M highmem=off) with the
 * disk at 00:01.0: guests/attack_dma, the hostile suite's mode dma.
 */
#ifndef GUEST_VBLK_H
#define GUEST_VBLK_H

#include <stdbool.h>
#include <stdint.h>

#define VBLK_IN 0u  /* disk to memory */
#define VBLK_OUT 1u /* memory to disk */

/* Find the disk at 00:01.0, place its BAR 4 at 0x10000000, enable memory
 * and bus mastering, walk the capabilities; false when it is not there. */
bool vblk_pci_setup(void);

/* One request on a freshly reset device: sector 0, 512 bytes at device
 * address addr, read (VBLK_IN) or written (VBLK_OUT). Returns the status
 * byte, -2 when the device refused the set-up, or -1 - (device status << 8)
 * when the request did not complete within 100 ms. Reset first because a
 * faulted request leaves the device broken (QEMU marks it NEEDS_RESET). */
int32_t vblk_rw(uint32_t type, uint64_t addr);

#endif
