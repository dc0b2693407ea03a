/*
 * bhimage: the host library that turns a system description into a bootable
 * Bulkhead image (hypervisor + configuration blob + partition images and
 * device trees). The command-line driver (sysgen_main.c) and any later
 * toolstack front end share it; nothing here depends on how the system
 * description was written down.
 *
 * Every function that can fail returns 0 on success and -1 on failure, with
 * a one-line reason in st->msg.
 */
#ifndef BH_TOOLS_BHIMAGE_H
#define BH_TOOLS_BHIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "bulkhead/cfg_blob.h"
#include "cfg.h"

/* ------------------------------------------------ system description --- */

struct sys_part_desc {
    const char *name;
    uint64_t ram_gpa, ram_pa, ram_size;
    const char *program; /* guest program name -> <guest dir>/<program>.bin */
    uint32_t num_vcpus;
    uint32_t cpus[BH_CFG_MAX_VCPUS];
    const char *bootargs; /* /chosen/bootargs of its device tree; NULL: none */
    /* blob version 2: copied as they are into the partition entry */
    uint32_t flags;          /* BH_CFG_PART_F_* */
    uint32_t period_us;      /* 0: none declared */
    uint32_t no_window_mask; /* bit s: no window in schedule s */
    uint32_t restart_limit;
    uint8_t hm_action[BH_CFG_HM_ERRORS];
    /* blob version 3 */
    uint32_t evtchn_ports; /* port limit; 0: the default, BH_CFG_MIN_EVTCHN_PORTS */
    const struct bhi_buf *ramdisk; /* initial ramdisk bytes; NULL: none */
    int no_xen_node;      /* its device tree has no /hypervisor node */
    /* Set by the placement (bhi_place_all), read by bhi_make_dtb: */
    uint64_t ramdisk_gpa; /* /chosen linux,initrd-start */
    uint64_t ramdisk_size; /* 0: no ramdisk, no initrd properties */
    /* Pass-through devices it owns, in source order (part and vintid filled
     * by the front end: vintid BHI_PT_FIRST_VSPI + k). */
    uint32_t num_dev;
    struct bh_cfg_passthru dev[BH_CFG_MAX_PASSTHRU];
    /* blob version 4: the DMA of each device (BHI_DMA_*), the StreamIDs
     * (PCIe requester IDs) of its devices, sid_dev[j] the device of sid[j]
     * in dev[], and the isolation waiver bulkhead,dma-unconfined. */
    uint32_t dev_dma[BH_CFG_MAX_PASSTHRU];
    uint32_t num_sid;
    uint32_t sid[BH_CFG_MAX_STREAMS];
    uint32_t sid_dev[BH_CFG_MAX_STREAMS];
    int dma_unconfined;
};

#define BHI_DMA_UNCONFINED 0u /* may master DMA, no SMMU covers it */
#define BHI_DMA_NONE 1u       /* bulkhead,no-dma: masters no DMA */
#define BHI_DMA_SMMU 2u       /* bulkhead,pci-functions: behind the SMMU */

#define BHI_PT_FIRST_VSPI 33u /* first virtual SPI given to a pass-through device */

struct sys_desc {
    const char *name;
    uint32_t num_cpus;
    uint32_t slice_us;
    uint32_t num_parts;
    struct sys_part_desc parts[BH_CFG_MAX_PARTS];
    /* blob version 2: copied as they are into the header (windows already
     * in blob order: by CPU, then offset) */
    uint32_t num_scheds;
    uint32_t module_hm_action;
    struct bh_cfg_sched scheds[BH_CFG_MAX_SCHEDS];
    /* static channels, permission rows and shared regions, as they are */
    uint32_t num_channels;
    uint32_t num_shms;
    uint32_t evtchn_permit[BH_CFG_MAX_PARTS];
    struct bh_cfg_channel channels[BH_CFG_MAX_CHANNELS];
    struct bh_cfg_shm shms[BH_CFG_MAX_SHMS];
};

/* ------------------------------------------------------------ common --- */

#define BHI_MSG_LEN 256u

struct bhi_status {
    char msg[BHI_MSG_LEN];
};

/* A heap buffer owned by its holder; free with bhi_buf_free. */
struct bhi_buf {
    uint8_t *data;
    size_t size;
};

void bhi_buf_free(struct bhi_buf *b);

/* Longest file path the tools take, with its NUL (Linux's PATH_MAX); a
 * path built from parts that would be longer is refused, never cut. */
#define BHI_PATH_MAX 4096u

/* Largest file the tools read (no image comes close). */
#define BHI_MAX_FILE (256u * 1024u * 1024u)

/* Read the whole file at path into out (one byte of room after its end).
 * Implements: LLR-TOOL-011. */
int bhi_read_file(const char *path, struct bhi_buf *out, struct bhi_status *st);

/* Write size bytes of data to path (created or truncated). Implements: LLR-TOOL-011. */
int bhi_write_file(const char *path, const void *data, size_t size, struct bhi_status *st);

/* ------------------------------------------------- arm64 Image header --- */

#define BHI_ARM64_HDR_SIZE 64u
#define BHI_ARM64_MAGIC 0x644d5241u /* "ARM\x64" */
#define BHI_ARM64_OFF_TEXT_OFFSET 8u
#define BHI_ARM64_OFF_IMAGE_SIZE 16u
#define BHI_ARM64_OFF_FLAGS 24u
#define BHI_ARM64_OFF_MAGIC 56u

struct bhi_arm64_hdr {
    uint64_t text_offset;
    uint64_t image_size; /* effective memory size, 0: unknown */
    uint64_t flags;
};

/* Decode the header of an arm64 Image; rejects a file shorter than the header
 * or without the magic (the "image is AArch64" check). Implements: LLR-TOOL-001. */
int bhi_arm64_parse(const uint8_t *img, size_t size, struct bhi_arm64_hdr *hdr,
                    struct bhi_status *st);

uint64_t bhi_get_le64(const uint8_t *p);
void bhi_put_le64(uint8_t *p, uint64_t v);

/* ------------------------------------------------- partition placement --- */

#define BHI_RAM_ALIGN 0x200000ull /* 2 MiB: kernel RAM and DTB placement unit */

/*
 * Fill image_gpa, entry_gpa, image_size and image_mem_size of out for the
 * partition p loading an Image of file_size bytes with header h.
 * Implements: LLR-TOOL-002.
 */
int bhi_place_image(const struct sys_part_desc *p, const struct bhi_arm64_hdr *h, size_t file_size,
                    struct bh_cfg_part *out, struct bhi_status *st);

/*
 * Fill dtb_gpa and dtb_size of out (image already placed): the highest 2 MiB
 * boundary at which dtb_size bytes fit in RAM, which must not overlap the
 * image's memory. Implements: LLR-TOOL-003.
 */
int bhi_place_dtb(const struct sys_part_desc *p, size_t dtb_size, struct bh_cfg_part *out,
                  struct bhi_status *st);

/*
 * Fill ramdisk_gpa and ramdisk_size of out (image and device tree already
 * placed) for a ramdisk of size bytes: page aligned, ending at or below the
 * device tree, above the image's memory. Implements: LLR-TOOL-014.
 */
int bhi_place_ramdisk(uint64_t size, struct bh_cfg_part *out, struct bhi_status *st);

/* ------------------------------------------------------- device tree --- */

/* Guest-visible facts the DTB states that no core header defines. */
#define BHI_XEN_REGION_BASE 0x38000000ull /* Xen's GUEST_GNTTAB_BASE */
#define BHI_XEN_REGION_SIZE 0x01000000ull
#define BHI_PPI_SEC_PTIMER 29u
#define BHI_PPI_NS_PTIMER 30u
#define BHI_UART_SPEED 115200u
#define BHI_GIC_PHANDLE 1u
#define BHI_DTB_MAX 0x10000u /* generation buffer; our trees are ~1.5 KiB */

/* Generate the packed flattened device tree of partition p into out (heap).
 * Implements: LLR-TOOL-004. */
int bhi_make_dtb(const struct sys_part_desc *p, struct bhi_buf *out, struct bhi_status *st);

/*
 * Place image, device tree and ramdisk (ramdisk_size bytes, 0: none) of
 * partition p loading an Image of file_size bytes with header h, filling the
 * placement fields of out and generating its device tree into dtb (heap).
 * The one rule both the blob build and decode apply. Implements: LLR-TOOL-014.
 */
int bhi_place_all(const struct sys_part_desc *p, const struct bhi_arm64_hdr *h, size_t file_size,
                  uint64_t ramdisk_size, struct bh_cfg_part *out, struct bhi_buf *dtb,
                  struct bhi_status *st);

/* Check a flattened device tree of size bytes completely before any libfdt
 * call walks it: header, blocks inside the buffer, every tag, name and
 * property inside its block, nodes balanced, version 17. Our own walk,
 * because libfdt 1.6's fdt_check_full can loop forever on crafted input.
 * Returns 0 or a negative libfdt error code. Implements: LLR-TOOL-013. */
int bhi_fdt_check(const void *fdt, size_t size);

/* ------------------------------------------------------ system / blob --- */

/* Structural checks the blob format cannot express (names fit, table counts
 * in range, programs named). Implements: LLR-TOOL-009. */
int bhi_check_system(const struct sys_desc *sys, struct bhi_status *st);

/* Blob under construction. */
struct bhi_blob {
    struct bhi_buf buf; /* struct bh_cfg followed by the payload */
};

/* Start a blob for sys: header and zeroed tables. Implements: LLR-TOOL-005. */
int bhi_blob_begin(struct bhi_blob *b, const struct sys_desc *sys, struct bhi_status *st);

/* Describe partition idx from p, place and append its image and generated
 * DTB at 8-byte aligned payload offsets. Implements: LLR-TOOL-005. */
int bhi_blob_add_part(struct bhi_blob *b, uint32_t idx, const struct sys_part_desc *p,
                      const struct bhi_buf *image, struct bhi_status *st);

/* Set total_size and checksum. Implements: LLR-TOOL-005. */
int bhi_blob_end(struct bhi_blob *b, struct bhi_status *st);

/* The whole blob of sys, images read from <guest_dir>/<program>.bin. */
int bhi_build_blob(const struct sys_desc *sys, const char *guest_dir, struct bhi_blob *b,
                   struct bhi_status *st);

/* ---------------------------------------------------------- corruption --- */

/* Break a finished blob in the named way (for boot-check tests):
 * checksum, magic, version, overlap, hyp-overlap, cpu, image-bounds,
 * truncated; image-size leaves the blob alone (bhi_corrupt_image).
 * Implements: LLR-TOOL-008. */
int bhi_corrupt(struct bhi_blob *b, const char *kind, struct bhi_status *st);

/* Number of kinds and the name of kind i (NULL past the end). */
const char *bhi_corrupt_kind(uint32_t i);

/* The part of a corruption that is made in the packed image (blob at
 * blob_off), after bhi_pack: image-size (the Image header's image_size
 * reaching past the end of RAM, the blob's total_size to match); any other
 * kind leaves the image alone. Implements: LLR-TOOL-008. */
int bhi_corrupt_image(struct bhi_buf *image, uint64_t blob_off, const char *kind,
                      struct bhi_status *st);

/* --------------------------------------------------------------- pack --- */

/*
 * out = hypervisor bytes, zeros up to blob_offset = align_up(hypervisor
 * header image_size, PLAT_BLOB_ALIGN), blob; then the output's header
 * image_size is set to the output size. Implements: LLR-TOOL-006.
 */
int bhi_pack(const struct bhi_buf *hyp, const struct bhi_buf *blob, struct bhi_buf *out,
             uint64_t *blob_offset, struct bhi_status *st);

/* The platform the hypervisor boots on, with an image of image_size bytes. */
void bhi_platform(uint64_t image_size, struct cfg_platform *pl);

/* Find the blob inside a packed image as the hypervisor's footprint rule puts
 * it: the first PLAT_BLOB_ALIGN boundary holding the magic, a supported
 * version, a total_size inside the image and a matching checksum.
 * Implements: LLR-TOOL-012. */
int bhi_find_blob(const struct bhi_buf *image, uint64_t *blob_offset, struct bhi_status *st);

/* Run the hypervisor's own boot check on the blob inside a packed image,
 * with the footprint its header's image_size declares (as the hypervisor
 * reads it). Returns the number of errors. Implements: LLR-TOOL-007. */
uint32_t bhi_validate_image(const struct bhi_buf *image, uint64_t blob_offset,
                            struct cfg_report *rep);

#endif
