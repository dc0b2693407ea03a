/*
 * Frama-C EVA harness of hyp/core (make prove; tools/evidence/prove.py).
 *
 * main() drives every entry point the arch layer calls with hostile input:
 *  1. cfg_validate on a blob of any bytes and any length;
 *  2. boot_primary on a valid two-partition system (a static channel, a
 *     shared page, a pass-through device, one schedule) whose payload bytes
 *     are any bytes;
 *  3. then any number of steps, each one entry point with any arguments on
 *     a vCPU of the system: a hypercall (any number, any x0..x4), an MMIO
 *     access (any address, width, direction and value), PSCI, an SGI write,
 *     a system-register trap, a fault, the scheduler, console input, a
 *     physical interrupt, the list registers. Guest RAM holds any bytes
 *     before every step, and the guest's stage-1 translation answers any
 *     address (arch_stub.c).
 * Analysis code only: never built into the hypervisor.
 */
#include "harness.h"

#include "__fc_builtin.h"

#include "boot.h"
#include "cfg.h"
#include "console.h"
#include "conin.h"
#include "hcall.h"
#include "hm.h"
#include "mmio.h"
#include "passthru.h"
#include "psci.h"
#include "sched.h"
#include "vgic.h"
#include "vsysreg.h"

#define FC_PAYLOAD 256u
#define FC_HDR ((uint32_t)sizeof(struct bh_cfg))
#define FC_GPA 0x40000000ull
#define FC_SHM_GPA 0x50000000ull
#define FC_DEV_BASE 0x09100000ull

static union {
    struct bh_cfg cfg;
    uint8_t bytes[sizeof(struct bh_cfg) + FC_PAYLOAD];
} fc_blob;

static struct cfg_platform fc_plat;
static struct cfg_report fc_rep;

static uint64_t any64(void) { return Frama_C_unsigned_long_long_interval(0u, UINT64_MAX); }
static uint32_t any32(void) { return Frama_C_unsigned_int_interval(0u, UINT32_MAX); }

static void fc_platform(void)
{
    fc_plat.ram_base = 0x40000000ull;
    fc_plat.ram_size = 0x40000000ull;
    fc_plat.hyp_base = 0x40000000ull;
    fc_plat.hyp_end = 0x40400000ull;
    fc_plat.num_cpus = 2u;
    fc_plat.dev_base = 0x09000000ull;
    fc_plat.dev_size = 0x01000000ull;
    fc_plat.hyp_spi = 33u;
    fc_plat.spi_end = 288u;
    fc_plat.s2_table_pages = 96u;
}

static void fc_part(uint32_t i, const char *name, uint64_t gpa, uint32_t cpu0, uint32_t nv,
                    uint32_t flags)
{
    struct bh_cfg_part *c = &fc_blob.cfg.parts[i];
    uint32_t slot = FC_HDR + i * (FC_PAYLOAD / 2u);
    for (uint32_t k = 0; name[k] != '\0'; k++) {
        c->name[k] = name[k];
    }
    c->ram_gpa = gpa;
    c->ram_pa = FC_RAM_PA + (uint64_t)i * FC_PART_RAM;
    c->ram_size = FC_PART_RAM;
    c->image_gpa = gpa;
    c->entry_gpa = gpa;
    c->dtb_gpa = gpa + 0x8000u;
    c->image_offset = slot;
    c->image_size = 64u;
    c->image_mem_size = 0x1000u;
    c->dtb_offset = slot + 64u;
    c->dtb_size = 64u;
    c->num_vcpus = nv;
    for (uint32_t j = 0; j < nv; j++) {
        c->vcpu_cpu[j] = cpu0 + j;
    }
    c->flags = flags;
    c->restart_limit = 3u;
    c->evtchn_ports = BH_CFG_MIN_EVTCHN_PORTS;
    c->hm_action[HM_ERR_STAGE2] = 1u;
    c->hm_action[HM_ERR_REPORTED] = 2u;
    c->hm_action[HM_ERR_CRASH] = 3u;
}

static void fc_window(uint32_t w, uint32_t off, uint32_t dur, uint8_t cpu, uint8_t part,
                      uint8_t vcpu)
{
    struct bh_cfg_window *win = &fc_blob.cfg.scheds[0].windows[w];
    win->offset_us = off;
    win->duration_us = dur;
    win->cpu = cpu;
    win->part = part;
    win->vcpu = vcpu;
}

/* The valid system of step 2; its payload (images, device trees) is any bytes. */
static void fc_system(void)
{
    struct bh_cfg *c = &fc_blob.cfg;
    c->magic = BH_CFG_MAGIC;
    c->version = BH_CFG_VERSION;
    c->total_size = (uint32_t)sizeof(fc_blob);
    c->num_cpus = 2u;
    c->num_parts = 2u;
    c->slice_us = 1000u;
    fc_part(0u, "sys", FC_GPA, 0u, 2u, BH_CFG_PART_F_SYSTEM | BH_CFG_PART_F_HM_HCALL);
    /* The owner of a pass-through device sees its RAM 1:1. */
    fc_part(1u, "app", FC_RAM_PA + FC_PART_RAM, 1u, 1u, BH_CFG_PART_F_NONE);
    c->num_scheds = 1u;
    c->scheds[0].major_frame_us = 10000u;
    c->scheds[0].num_windows = 3u;
    fc_window(0u, 0u, 10000u, 0u, 0u, 0u);
    fc_window(1u, 0u, 5000u, 1u, 0u, 1u);
    fc_window(2u, 5000u, 5000u, 1u, 1u, 0u);
    c->module_hm_action = BH_CFG_MODULE_RESET;
    c->evtchn_permit[0] = 2u;
    c->evtchn_permit[1] = 1u;
    c->num_channels = 1u;
    c->channels[0].part[1] = 1u;
    c->channels[0].port[0] = 5u;
    c->channels[0].port[1] = 7u;
    c->num_shms = 1u;
    c->shms[0].name[0] = 'm';
    c->shms[0].pa = FC_RAM_PA + 2u * FC_PART_RAM;
    c->shms[0].size = FC_SHM_SIZE;
    c->shms[0].map_mask = 3u;
    c->shms[0].ro_mask = 2u;
    c->shms[0].gpa[0] = FC_SHM_GPA;
    c->shms[0].gpa[1] = FC_SHM_GPA;
    c->num_passthru = 1u;
    c->passthru[0].base = FC_DEV_BASE;
    c->passthru[0].size = 0x1000u;
    c->passthru[0].part = 1u;
    c->passthru[0].pintid = 40u;
    c->passthru[0].vintid = 40u;
    c->passthru[0].irq_flags = BH_CFG_PT_IRQ_LEVEL;
    c->passthru[0].reg_size = 0x1000u;
    c->passthru[0].compatible[0] = 'd';
#ifdef FC_HOST_CHECK
    for (uint32_t k = FC_HDR; k < sizeof(fc_blob); k++) {
        fc_blob.bytes[k] = (uint8_t)k;
    }
#else
    Frama_C_make_unknown((char *)&fc_blob.bytes[FC_HDR], FC_PAYLOAD);
#endif
    c->checksum = cfg_blob_checksum(c);
}

/* One step: one entry point, any arguments, on a vCPU of the system,
 * called on that vCPU's CPU as the arch layer does. */
static void fc_step(void)
{
    uint32_t gid = Frama_C_unsigned_int_interval(0u, BH_MAX_VCPUS - 1u);
    if (gid >= vcpu_count) {
        return;
    }
    struct vcpu *v = &vcpu_table[gid];
    fc_cpu = v->pcpu;
    Frama_C_make_unknown((char *)fc_guest_ram, FC_RAM_BYTES);
    switch (Frama_C_interval(0, 13)) {
    case 0: {
        uint64_t args[5] = {any64(), any64(), any64(), any64(), any64()};
        (void)hcall_dispatch(v, any64(), args);
        break;
    }
    case 1: {
        uint64_t val = any64();
        uint32_t size = 1u << Frama_C_unsigned_int_interval(0u, 3u);
        (void)mmio_dispatch(v, any64(), size, Frama_C_nondet(0, 1) != 0, &val);
        break;
    }
    case 2: {
        uint64_t args[4] = {any64(), any64(), any64(), any64()};
        (void)psci_call(v, args);
        break;
    }
    case 3:
        (void)vgic_sgi(v, any64());
        break;
    case 4: {
        uint64_t val = any64();
        (void)vsysreg_emulate(any32(), &val);
        break;
    }
    case 5: {
        struct fault_report r = {"fault", Frama_C_unsigned_int_interval(0u, HM_NUM_ERRORS - 1u),
                                 any32(), any64(), any64(), any64()};
        (void)hm_fault(v, &r);
        break;
    }
    case 6: {
        uint64_t next;
        fc_cpu = Frama_C_unsigned_int_interval(0u, 1u);
        (void)sched_pick(fc_cpu, any64(), &next);
        break;
    }
    case 7:
        conin_byte((char)Frama_C_char_interval(-128, 127));
        break;
    case 8:
        (void)passthru_irq(any32());
        break;
    case 9: {
        uint64_t lr[16];
        bool underflow;
        uint32_t nlr = Frama_C_unsigned_int_interval(1u, 16u);
        uint32_t n = vgic_lr_fill(v, lr, nlr, &underflow);
        /* The guest ran: the state bits of each list register changed. */
        for (uint32_t i = 0; i < n && i < nlr; i++) {
            lr[i] = (lr[i] & ~(3ull << 62)) | ((uint64_t)Frama_C_unsigned_int_interval(0u, 3u) << 62);
        }
        vgic_lr_sync(v, lr, nlr);
        break;
    }
    case 10:
        sched_timer_deliver(v);
        break;
    case 11:
        sched_yield(v);
        break;
    case 12:
        sched_block(v);
        break;
    default:
        (void)vgic_drain(v);
        (void)vgic_kick(v);
        break;
    }
}

int main(void)
{
    static union {
        struct bh_cfg cfg;
        uint8_t bytes[sizeof(struct bh_cfg) + FC_PAYLOAD];
    } any_blob;

    fc_platform();
    console_init();
#ifndef FC_HOST_CHECK
    /* 1. Any bytes, any length. */
    Frama_C_make_unknown((char *)any_blob.bytes, sizeof(any_blob));
    (void)cfg_validate(&any_blob, Frama_C_unsigned_long_long_interval(0u, sizeof(any_blob)),
                       &fc_plat, &fc_rep);
#else
    (void)any_blob;
#endif
    /* 2. A valid system, any payload. */
    fc_system();
    boot_primary("frama", &fc_plat, &fc_blob, sizeof(fc_blob));
    /* 3. Any sequence of steps; with FC_STEPS, that many (a cheaper,
     * more precise run that covers sequences of that length only). */
#ifdef FC_STEPS
    for (uint32_t k = 0; k < FC_STEPS; k++) {
        fc_step();
    }
#else
    while (Frama_C_nondet(0, 1) != 0) {
        fc_step();
    }
#endif
    return 0;
}
