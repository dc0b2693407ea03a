/* System start-up policy; see boot.h. */
#include "boot.h"

#include "arch_if.h"
#include "console.h"
#include "dma.h"
#include "hm.h"
#include "part.h"
#include "passthru.h"
#include "sched.h"

#ifndef BH_VERSION
#define BH_VERSION "0.0.0"
#endif

static uint32_t boot_cpus;

/* Implements: LLR-BOOT-001, LLR-BOOT-002, LLR-BOOT-003. */
void boot_primary(const char *platform, const struct cfg_platform *pl, const void *blob,
                  uint64_t avail)
{
    static struct cfg_report rep;
    const struct bh_cfg *cfg = (const struct bh_cfg *)blob;
    uint32_t n = cfg_validate(blob, avail, pl, &rep);
    uint32_t i;

    if (n != 0u) {
        for (i = 0; i < n && i < CFG_MAX_ERRORS; i++) {
            console_log("config error: %s: %s", rep.err[i].field, rep.err[i].msg);
        }
        if (n > CFG_MAX_ERRORS) {
            console_log("config error: %u more not shown", n - CFG_MAX_ERRORS);
        }
        console_log("refusing to start: configuration invalid");
        arch_halt();
    }
    console_log("Bulkhead %s on %s: %u CPUs, %u MiB RAM, %u partitions", BH_VERSION, platform,
                pl->num_cpus, (unsigned)(pl->ram_size >> 20), cfg->num_parts);
    boot_cpus = cfg->num_cpus;
    hm_init();
    hm_set_module_action(cfg->module_hm_action);
    part_build_all(cfg);
    dma_init(cfg);
    passthru_init(cfg);
    sched_init(cfg, arch_ticks_per_sec(), arch_now());
}

/* Implements: LLR-BOOT-004. */
uint32_t boot_num_cpus(void)
{
    return boot_cpus;
}
