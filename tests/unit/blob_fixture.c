/* Configuration-blob fixture shared by the unit tests; see blob_fixture.h. */
#include "blob_fixture.h"

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"
#include "part.h"
#include "sched.h"

void fx_begin(struct bh_cfg *cfg, size_t blob_size, uint32_t num_parts)
{
    fake_arch_reset();
    fake_halt_jmp = NULL;
    console_init();
    memset(cfg, 0, blob_size);
    cfg->total_size = (uint32_t)blob_size;
    cfg->num_parts = num_parts;
}

void fx_part(struct bh_cfg *cfg, uint32_t i, const char *name, uint64_t gpa, uint8_t *ram,
             uint64_t ram_size, uint32_t nv)
{
    struct bh_cfg_part *c = &cfg->parts[i];
    strncpy(c->name, name, BH_CFG_NAME_LEN - 1u);
    c->ram_gpa = gpa;
    c->ram_pa = (uint64_t)(uintptr_t)ram;
    c->ram_size = ram_size;
    c->image_gpa = gpa;
    c->entry_gpa = gpa;
    c->dtb_gpa = gpa + FX_DTB_GPA_OFFSET;
    c->image_offset = FX_SLOT(i);
    c->image_size = FX_IMAGE_SIZE;
    c->image_mem_size = FX_IMAGE_SIZE;
    c->dtb_offset = FX_SLOT(i) + FX_DTB_OFFSET;
    c->dtb_size = FX_DTB_SIZE;
    c->num_vcpus = nv;
    for (uint32_t j = 0; j < nv && j < BH_CFG_MAX_VCPUS; j++) {
        c->vcpu_cpu[j] = j;
    }
}

void fx_restart_finish(struct partition *p)
{
    for (uint32_t k = 0; k < 1000u; k++) {
        /* The CPUs of its other vCPUs choose again: they leave. */
        for (uint32_t j = 1; j < p->num_vcpus; j++) {
            uint64_t next;
            (void)sched_pick(p->vcpus[j]->pcpu, fake.now, &next);
        }
        if (part_reload_step(p, fake.now, UINT64_MAX)) {
            return;
        }
        fake.now += 1ull << 40;
    }
    fail_msg("restart of %s did not finish", p->name);
}
