/*
 * Configuration blob validation. The same file is compiled into the
 * hypervisor (boot check) and into the host toolstack (bulkhead check), so
 * both apply exactly the same rules.
 */
#ifndef BH_CFG_H
#define BH_CFG_H

#include "types.h"

#define CFG_MAX_RESERVED 8u

/* A physical address range; size 0: unused entry. */
struct cfg_range {
    uint64_t base;
    uint64_t size;
};

/* A named MMIO frame; size 0: unused entry, else name is not NULL. */
struct cfg_frame {
    uint64_t base;
    uint64_t size;
    const char *name; /* for messages, e.g. "GIC ITS" */
};

/* What the platform offers; the blob must fit inside it. */
struct cfg_platform {
    uint64_t ram_base;  /* physical RAM */
    uint64_t ram_size;
    uint64_t hyp_base;  /* hypervisor footprint, blob and payload included: */
    uint64_t hyp_end;   /* hyp_base + image_size, inside RAM (LLR-CFG-026) */
    uint32_t num_cpus;  /* physical CPUs present */
    /* Pass-through (zero: no device may be passed through). */
    uint64_t dev_base;  /* MMIO region a pass-through device may come from */
    uint64_t dev_size;
    struct cfg_frame reserved[CFG_MAX_RESERVED]; /* MMIO never passed through */
    uint32_t hyp_spi;   /* SPI INTID the hypervisor keeps (console input) */
    uint32_t spi_end;   /* first INTID beyond the platform's SPIs */
    uint32_t s2_table_pages; /* the hypervisor's stage-2 table pool, all partitions */
    /* The SMMU (zero smmu_sids: none, no StreamID may be assigned). */
    uint32_t smmu_sids;        /* StreamIDs 0 .. smmu_sids - 1 its stream table covers */
    uint32_t smmu_spi_first;   /* its interrupts, never passed through */
    uint32_t smmu_spi_count;
    uint32_t smmu_table_pages; /* its stage-1 table pool, all partitions */
};

#define CFG_MAX_ERRORS 16u
#define CFG_FIELD_LEN 32u
#define CFG_MSG_LEN 96u

struct cfg_error {
    char field[CFG_FIELD_LEN]; /* e.g. "parts[1].ram_pa" */
    char msg[CFG_MSG_LEN];     /* e.g. "overlaps parts[0] RAM" */
};

struct cfg_report {
    uint32_t count;   /* errors found (may exceed CFG_MAX_ERRORS) */
    struct cfg_error err[CFG_MAX_ERRORS];
};

/*
 * Check every field of the blob at `blob` (avail bytes readable) against the
 * format rules and the platform. Structural errors (image outside RAM,
 * size, magic, version, checksum) stop the check; field errors are all
 * collected. Returns the number of errors (0: the blob may be used).
 * Implements: LLR-CFG-002 .. LLR-CFG-010, LLR-CFG-025, LLR-CFG-026.
 */
uint32_t cfg_validate(const void *blob, uint64_t avail, const struct cfg_platform *pl,
                      struct cfg_report *rep);

/*
 * Stage-2 table pages the hypervisor's map of parts[i] takes (root, level-2
 * and level-3 tables for its RAM, its shared regions and its devices), the
 * same count hyp/arch/aarch64/mmu.c uses. Pre: i < BH_CFG_MAX_PARTS; the
 * partition's ranges valid and below 2^39 (the blob passed cfg_validate's
 * other checks). Implements: LLR-CFG-025.
 */
uint32_t cfg_s2_tables(const struct bh_cfg *c, uint32_t i);

/* CRC-32C of n bytes, continuing from crc (start with 0). Implements: LLR-CFG-002. */
uint32_t cfg_crc32c(uint32_t crc, const void *data, size_t n);

/* CRC-32C of a whole blob with its checksum field taken as zero. */
uint32_t cfg_blob_checksum(const struct bh_cfg *cfg);

#endif
