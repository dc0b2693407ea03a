/*
 * Bulkhead configuration blob: the one format shared by the hypervisor and
 * the host toolstack.
 *
 * The blob is plain little-endian data with fixed-size tables, so the
 * hypervisor can check every field with bounded loops and never parses text.
 * Layout in memory (all offsets from the first byte of the blob):
 *
 *   struct bh_cfg            fixed header and tables
 *   payload                  partition images, device trees and ramdisks,
 *                            each at an 8-byte aligned offset named by a
 *                            bh_cfg_part
 *
 * total_size covers header and payload. checksum is CRC-32C (Castagnoli,
 * reflected, init and final xor 0xFFFFFFFF) over the whole blob with the
 * checksum field itself taken as zero.
 *
 * In a bootable image the blob starts at the first 64 KiB boundary at or after
 * the end of the hypervisor's own memory footprint (see docs/architecture.md).
 *
 * Implements: LLR-CFG-001 (blob format shared by host and hypervisor).
 */
#ifndef BULKHEAD_CFG_BLOB_H
#define BULKHEAD_CFG_BLOB_H

#include <stdint.h>

#define BH_CFG_MAGIC 0x44484b42u /* "BKHD" little-endian */
#define BH_CFG_VERSION 4u /* 2: schedules, health monitor, system partition; 3: port limits;
                            4: SMMU StreamIDs */

#define BH_CFG_MAX_PARTS 8u
#define BH_CFG_MAX_VCPUS 4u /* per partition */
#define BH_CFG_MAX_CPUS 4u  /* physical CPUs */
#define BH_CFG_NAME_LEN 16u /* includes the terminating NUL */

/* Alignment rules the validator enforces. */
#define BH_CFG_PAGE_SIZE 0x1000u
#define BH_CFG_PAYLOAD_ALIGN 8u

/* bh_cfg_part.flags */
#define BH_CFG_PART_F_NONE 0u
#define BH_CFG_PART_F_SYSTEM 1u /* may switch schedules, set others' modes, read the HM log */
#define BH_CFG_PART_F_HM_HCALL 2u /* refused or unknown hypercalls raise an HM error */
#define BH_CFG_PART_F_NO_XEN_NODE 4u /* its device tree has no /hypervisor node (e.g. Linux) */
#define BH_CFG_PART_F_DMA_UNCONFINED 8u /* waiver: owns a DMA master no SMMU confines */

/* ARINC 653 schedules. */
#define BH_CFG_MAX_SCHEDS 16u
#define BH_CFG_MAX_WINDOWS 32u      /* per schedule, all CPUs together */
#define BH_CFG_MIN_WINDOW_US 50u    /* shortest window the hypervisor honours */
#define BH_CFG_MAX_FRAME_US 10000000u /* 10 s */

/* Health monitor tables (values are enum hm_error / enum hm_action). */
#define BH_CFG_HM_ERRORS 8u
#define BH_CFG_HM_ACTIONS 4u
#define BH_CFG_MAX_RESTARTS 1000u
#define BH_CFG_MODULE_HALT 0u  /* module_hm_action: stop the module */
#define BH_CFG_MODULE_RESET 1u /* module_hm_action: reset the module */

/* Static event channels (blob version 2). Port numbers are those of the
 * partitions' FIFO port tables: 1 .. BH_CFG_MAX_CHANNEL_PORT. */
#define BH_CFG_MAX_CHANNELS 32u
#define BH_CFG_MAX_CHANNEL_PORT 1023u
#define BH_CFG_MAX_EVT_PRIORITY 15u

/* Event-channel port limits (blob version 3): each partition's evtchn_ports
 * is a power of two from BH_CFG_MIN_EVTCHN_PORTS to BH_CFG_MAX_EVTCHN_PORTS
 * (the FIFO ABI's 2^17), and the limits of all partitions together fit the
 * hypervisor's pool of BH_CFG_EVTCHN_POOL_PORTS: room for one partition at
 * the maximum and every other at the minimum. */
#define BH_CFG_MIN_EVTCHN_PORTS 1024u
#define BH_CFG_MAX_EVTCHN_PORTS 131072u
#define BH_CFG_EVTCHN_POOL_PORTS                                                                   \
    (BH_CFG_MAX_EVTCHN_PORTS + (BH_CFG_MAX_PARTS - 1u) * BH_CFG_MIN_EVTCHN_PORTS)

/* Static shared memory (blob version 2). */
#define BH_CFG_MAX_SHMS 8u

/* A channel between two partitions, bound before any partition runs:
 * port[k] of partition part[k] is connected to the other end. */
struct bh_cfg_channel {
    uint8_t part[2];   /* endpoints, distinct partitions below num_parts */
    uint8_t priority;  /* FIFO priority of both ports, 0 (highest) .. 15 */
    uint8_t reserved0; /* must be zero */
    uint32_t port[2];  /* 1 .. BH_CFG_MAX_CHANNEL_PORT, each (part, port) once */
};

/* A region of physical RAM shared by two or more partitions: partition i
 * (bit i of map_mask) sees it at gpa[i], read-only when bit i of ro_mask is
 * set, always normal cacheable, never executable. */
struct bh_cfg_shm {
    char name[BH_CFG_NAME_LEN]; /* xen,shm-id: NUL-terminated, unique, non-empty */
    uint64_t pa;       /* page aligned, in platform RAM, clear of everything */
    uint64_t size;     /* bytes, page multiple, non-zero */
    uint32_t map_mask; /* partitions that map it: at least two bits */
    uint32_t ro_mask;  /* subset of map_mask */
    uint64_t gpa[BH_CFG_MAX_PARTS]; /* page aligned; zero where not mapped */
};

/* One window: a partition vCPU runs on a CPU from offset_us for duration_us
 * in every major frame. Windows are listed by CPU, then by offset. */
struct bh_cfg_window {
    uint32_t offset_us;
    uint32_t duration_us;
    uint8_t cpu;
    uint8_t part;
    uint8_t vcpu;
    uint8_t reserved0; /* must be zero */
    uint32_t reserved1; /* must be zero */
};

struct bh_cfg_sched {
    uint32_t major_frame_us; /* BH_CFG_MIN_WINDOW_US .. BH_CFG_MAX_FRAME_US */
    uint32_t num_windows;    /* 0 .. BH_CFG_MAX_WINDOWS */
    struct bh_cfg_window windows[BH_CFG_MAX_WINDOWS]; /* unused entries zero */
};

struct bh_cfg_part {
    char name[BH_CFG_NAME_LEN]; /* NUL-terminated, [A-Za-z0-9_-], non-empty */
    uint64_t ram_gpa;           /* guest-physical base of RAM, page aligned */
    uint64_t ram_pa;            /* physical placement, page aligned */
    uint64_t ram_size;          /* bytes, page multiple, non-zero */
    uint64_t image_gpa;         /* where the image is copied, inside RAM */
    uint64_t entry_gpa;         /* first instruction, inside the image */
    uint64_t dtb_gpa;           /* device tree copy, 8-byte aligned */
    uint32_t image_offset;      /* payload offset from blob start */
    uint32_t image_size;        /* bytes copied from the payload */
    uint32_t image_mem_size;    /* bytes reserved at image_gpa (>= size) */
    uint32_t dtb_offset;        /* payload offset from blob start */
    uint32_t dtb_size;          /* bytes, at most 2 MiB */
    uint32_t num_vcpus;         /* 1..BH_CFG_MAX_VCPUS */
    uint32_t vcpu_cpu[BH_CFG_MAX_VCPUS]; /* physical CPU of each vCPU */
    uint32_t flags;             /* BH_CFG_PART_F_*, unknown bits rejected */
    uint32_t reserved;          /* must be zero */
    uint32_t period_us;         /* ARINC 653 period, 0: none declared */
    uint32_t no_window_mask;    /* bit s: declared to have no window in schedule s */
    uint32_t restart_limit;     /* restarts before a restart action becomes IDLE */
    uint32_t evtchn_ports;      /* event-channel port limit, see BH_CFG_*_EVTCHN_PORTS */
    uint8_t hm_action[BH_CFG_HM_ERRORS]; /* per error kind; unused entries zero */
    uint64_t ramdisk_gpa;       /* initial ramdisk copy, page aligned; 0 without one */
    uint32_t ramdisk_offset;    /* payload offset from blob start; 0 without one */
    uint32_t ramdisk_size;      /* bytes copied from the payload; 0: no ramdisk */
};

/* Direct pass-through: a device's MMIO range and interrupt given to one
 * partition, mapped at its own address (guest-physical = physical). */
#define BH_CFG_MAX_PASSTHRU 4u
#define BH_CFG_PT_COMPAT_LEN 32u
#define BH_CFG_PT_IRQ_EDGE 1u  /* irq_flags: device-tree trigger, rising edge */
#define BH_CFG_PT_IRQ_LEVEL 4u /* irq_flags: device-tree trigger, level high */

struct bh_cfg_passthru {
    uint64_t base;      /* physical and guest-physical, page aligned */
    uint64_t size;      /* bytes, non-zero page multiple */
    uint32_t part;      /* owning partition, below num_parts */
    uint32_t pintid;    /* physical SPI INTID */
    uint32_t vintid;    /* virtual SPI INTID in the owner's vGIC */
    uint32_t irq_flags; /* BH_CFG_PT_IRQ_EDGE or BH_CFG_PT_IRQ_LEVEL */
    uint32_t reg_offset; /* the device's registers: from base, for its DT node */
    uint32_t reg_size;   /* non-zero, inside [base, base + size) */
    char compatible[BH_CFG_PT_COMPAT_LEN]; /* of the owner's DT node; NUL-terminated */
};

/* StreamIDs (blob version 4): the SMMU translates the DMA of StreamID sid
 * with the tables of the owner of pass-through device pt, guest-physical to
 * physical, and aborts every StreamID not listed. On PCIe the StreamID is
 * the requester ID, bus << 8 | device << 3 | function. */
#define BH_CFG_MAX_STREAMS 16u

struct bh_cfg_stream {
    uint32_t sid; /* below the platform's SMMU StreamID count, each once */
    uint32_t pt;  /* pass-through device it belongs to, below num_passthru */
};

struct bh_cfg {
    uint32_t magic;       /* BH_CFG_MAGIC */
    uint32_t version;     /* BH_CFG_VERSION */
    uint32_t total_size;  /* bytes of header and payload */
    uint32_t checksum;    /* CRC-32C, see above */
    uint32_t num_cpus;    /* physical CPUs the system uses, 1..MAX_CPUS */
    uint32_t num_parts;   /* 1..BH_CFG_MAX_PARTS */
    uint32_t slice_us;    /* rotation slice, used only when num_scheds == 0 */
    uint32_t reserved;    /* must be zero */
    struct bh_cfg_part parts[BH_CFG_MAX_PARTS]; /* unused entries all zero */
    uint32_t num_scheds;  /* 0 .. BH_CFG_MAX_SCHEDS; schedule 0 runs at boot */
    uint32_t module_hm_action; /* BH_CFG_MODULE_HALT or BH_CFG_MODULE_RESET */
    struct bh_cfg_sched scheds[BH_CFG_MAX_SCHEDS]; /* unused entries all zero */
    uint32_t num_channels; /* 0 .. BH_CFG_MAX_CHANNELS */
    uint32_t num_shms;     /* 0 .. BH_CFG_MAX_SHMS */
    uint32_t evtchn_permit[BH_CFG_MAX_PARTS]; /* bit j of [i]: i and j may bind channels */
    struct bh_cfg_channel channels[BH_CFG_MAX_CHANNELS]; /* unused entries all zero */
    struct bh_cfg_shm shms[BH_CFG_MAX_SHMS];             /* unused entries all zero */
    uint32_t num_passthru; /* 0 .. BH_CFG_MAX_PASSTHRU */
    uint32_t reserved_pt;  /* must be zero */
    struct bh_cfg_passthru passthru[BH_CFG_MAX_PASSTHRU]; /* unused entries all zero */
    uint32_t num_streams; /* 0 .. BH_CFG_MAX_STREAMS; 0: the SMMU is left alone */
    uint32_t reserved_st; /* must be zero */
    struct bh_cfg_stream streams[BH_CFG_MAX_STREAMS]; /* unused entries all zero */
};

/* The header is fixed so old and new tools agree byte for byte. */
_Static_assert(sizeof(struct bh_cfg_window) == 16u, "bh_cfg_window layout");
_Static_assert(sizeof(struct bh_cfg_sched) == 8u + 32u * 16u, "bh_cfg_sched layout");
_Static_assert(sizeof(struct bh_cfg_part) == 152u, "bh_cfg_part layout");
_Static_assert(sizeof(struct bh_cfg_channel) == 12u, "bh_cfg_channel layout");
_Static_assert(sizeof(struct bh_cfg_shm) == 16u + 8u + 8u + 8u + 8u * 8u, "bh_cfg_shm layout");
_Static_assert(sizeof(struct bh_cfg_passthru) == 72u, "bh_cfg_passthru layout");
_Static_assert(sizeof(struct bh_cfg_stream) == 8u, "bh_cfg_stream layout");
_Static_assert(sizeof(struct bh_cfg) ==
                   32u + 8u * 152u + 8u + 16u * 520u + 8u + 8u * 4u + 32u * 12u + 8u * 104u + 8u + 4u * 72u +
                   8u + 16u * 8u,
               "bh_cfg layout");

#endif
