/*
 * libFuzzer target: the boot check (cfg_validate) on arbitrary bytes. When
 * the first input byte is odd, the rest gets a correct magic, version,
 * total_size and checksum first, so the field checks behind the structural
 * ones are reached too. Any crash, sanitizer report or hang is a failure.
 * Verifies: LLR-CFG-002 .. LLR-CFG-012 (robustness)
 */
#include <stdlib.h>
#include <string.h>

#include "bulkhead/cfg_blob.h"
#include "cfg.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct cfg_report rep;
    const struct cfg_platform pl = {.ram_base = 0x40000000u,
                                    .ram_size = 0x40000000u,
                                    .hyp_base = 0x40200000u,
                                    .hyp_end = 0x40300000u,
                                    .num_cpus = 2u,
                                    .s2_table_pages = 96u};
    if (size == 0) {
        return 0;
    }
    size_t n = size - 1u;
    /* malloc: 16-byte aligned, as the hypervisor's blob is 64 KiB aligned */
    unsigned char *buf = malloc(n + 1u);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data + 1, n);
    if ((data[0] & 1u) != 0 && n >= sizeof(struct bh_cfg) && n <= UINT32_MAX) {
        struct bh_cfg *c = (struct bh_cfg *)(void *)buf;
        c->magic = BH_CFG_MAGIC;
        c->version = BH_CFG_VERSION;
        c->total_size = (uint32_t)n;
        c->checksum = cfg_blob_checksum(c);
    }
    (void)cfg_validate(buf, n, &pl, &rep);
    if ((data[0] & 2u) != 0) {
        (void)cfg_validate(buf + 1, n > 0 ? n - 1u : 0u, &pl, &rep); /* misaligned */
    }
    free(buf);
    return 0;
}
