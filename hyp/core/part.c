/*
 * Partitions and vCPUs built from the validated configuration, and their
 * life cycle: load, stop, restart, fault. Every instance lives in the static
 * tables below; the configuration blob stays in memory and is the source of
 * every (re)load.
 */
#include "part.h"

#include "arch_if.h"
#include "console.h"
#include "evtchn.h"
#include "passthru.h"
#include "sched.h"
#include "shinfo.h"
#include "util.h"
#include "vgic.h"
#include "vuart.h"

struct partition part_table[BH_MAX_PARTS];
struct vcpu vcpu_table[BH_MAX_VCPUS];
uint32_t part_count;
uint32_t vcpu_count;

/*
 * Invariants every loop below relies on: part_count <= BH_MAX_PARTS and each
 * num_vcpus <= BH_MAX_VCPUS_PER_PART (both set only by part_build_all), so
 * the vCPUs of all partitions always fit in vcpu_table.
 */
_Static_assert(BH_MAX_VCPUS >= BH_MAX_PARTS * BH_MAX_VCPUS_PER_PART, "vcpu_table size");

/* The blob part_build_all was given; payload offsets are relative to it. */
static const struct bh_cfg *part_blob;

/* Implements: LLR-PART-001 */
void *part_guest_ptr(const struct partition *p, uint64_t gpa, uint64_t len)
{
    if (p == NULL || gpa < p->ram_gpa) {
        return NULL;
    }
    /* Offsets only: no sum that could wrap around. */
    uint64_t off = gpa - p->ram_gpa;
    if (off > p->ram_size || len > p->ram_size - off) {
        return NULL;
    }
    return arch_pa_to_ptr(p->ram_pa + off);
}

/*
 * Copy size bytes of payload at blob offset src_off to gpa and zero the rest
 * of mem_size. The validator already guarantees every bound; they are checked
 * again because a wrong copy here would write outside the partition.
 */
static bool part_copy(const struct partition *p, uint64_t gpa, uint32_t src_off, uint32_t size,
                      uint32_t mem_size)
{
    uint8_t *dst = part_guest_ptr(p, gpa, mem_size);
    if (dst == NULL || size > mem_size || (uint64_t)src_off + size > part_blob->total_size) {
        return false;
    }
    bh_memcpy(dst, (const uint8_t *)part_blob + src_off, size);
    bh_memset(dst + size, 0, mem_size - size);
    return true;
}

/* The ramdisk, when the configuration has one (size 0: none, nothing to do). */
static bool part_copy_ramdisk(const struct partition *p, const struct bh_cfg_part *c)
{
    return c->ramdisk_size == 0u ||
           part_copy(p, c->ramdisk_gpa, c->ramdisk_offset, c->ramdisk_size, c->ramdisk_size);
}

/*
 * Load image, device tree and ramdisk (if any) of p, then reset its virtual devices and vCPUs:
 * vCPU 0 runnable at the entry point with x0 = device-tree address, the
 * others off until the guest starts them (PSCI CPU_ON, psci.c).
 * Returns false, touching no vCPU, when the load is out of bounds.
 * Implements: LLR-PART-006
 */
static bool part_reset(struct partition *p, bool cold)
{
    const struct bh_cfg_part *c = p->cfg;
    if (cold && (!part_copy(p, c->image_gpa, c->image_offset, c->image_size, c->image_mem_size) ||
                 !part_copy(p, c->dtb_gpa, c->dtb_offset, c->dtb_size, c->dtb_size) ||
                 !part_copy_ramdisk(p, c))) {
        return false;
    }
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        struct vcpu *v = p->vcpus[j];
        bool boot = (j == 0u);
        v->vtimer.ctl = 0;
        v->vtimer.cval = 0;
        v->state = boot ? VCPU_RUNNABLE : VCPU_OFF;
        arch_vcpu_reset(v, boot ? c->entry_gpa : 0u, boot ? c->dtb_gpa : 0u);
    }
    vgic_init(p);
    passthru_reset(p);
    vuart_reset(p->id);
    evtchn_reset(p);
    shinfo_reset(p);
    evtchn_static_bind(p, part_blob);
    return true;
}

/* Fill partition i and take its vCPUs from the next free vcpu_table slots. */
static void part_fill(const struct bh_cfg *cfg, uint32_t i)
{
    struct partition *p = &part_table[i];
    const struct bh_cfg_part *c = &cfg->parts[i];

    p->id = i;
    p->cfg = c;
    bh_memcpy(p->name, c->name, BH_CFG_NAME_LEN);
    p->name[BH_CFG_NAME_LEN - 1u] = '\0';
    p->ram_gpa = c->ram_gpa;
    p->ram_pa = c->ram_pa;
    p->ram_size = c->ram_size;
    p->system = (c->flags & BH_CFG_PART_F_SYSTEM) != 0u;
    p->num_vcpus = (c->num_vcpus < BH_MAX_VCPUS_PER_PART) ? c->num_vcpus : BH_MAX_VCPUS_PER_PART;
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        struct vcpu *v = &vcpu_table[vcpu_count];
        v->part = p;
        v->gid = vcpu_count;
        v->vid = j;
        v->pcpu = c->vcpu_cpu[j];
        p->vcpus[j] = v;
        vcpu_count++;
    }
}

/* Map every shared region p takes part in (zeroed by part_build_all).
 * Implements: LLR-SHM-001 */
static bool part_map_shms(const struct bh_cfg *cfg, struct partition *p)
{
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        const struct bh_cfg_shm *s = &cfg->shms[r];
        bool ro = ((s->ro_mask >> p->id) & 1u) != 0u;
        if (((s->map_mask >> p->id) & 1u) != 0u &&
            arch_s2_map_shared(p, s->gpa[p->id], s->pa, s->size, ro) != 0) {
            return false;
        }
    }
    return true;
}

/* Implements: LLR-SHM-001 (shared regions start zeroed, once per boot) */
static void part_zero_shms(const struct bh_cfg *cfg)
{
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        bh_memset(arch_pa_to_ptr(cfg->shms[r].pa), 0, (size_t)cfg->shms[r].size);
    }
}

/* Implements: LLR-PART-002 */
void part_build_all(const struct bh_cfg *cfg)
{
    bh_memset(part_table, 0, sizeof(part_table));
    bh_memset(vcpu_table, 0, sizeof(vcpu_table));
    part_count = 0;
    vcpu_count = 0;
    part_blob = cfg;
    evtchn_slice(cfg);
    evtchn_static_policy(cfg);
    part_zero_shms(cfg);

    for (uint32_t i = 0; i < cfg->num_parts && i < BH_MAX_PARTS; i++) {
        struct partition *p = &part_table[i];
        part_fill(cfg, i);
        part_count = i + 1u;
        if (arch_s2_map_ram(p, p->ram_gpa, p->ram_pa, p->ram_size) != 0 ||
            !part_map_shms(cfg, p)) {
            console_log("partition %s: stage-2 map of RAM or shared memory failed (table pool "
                        "exhausted or range already mapped)",
                        p->name);
            arch_halt();
        }
        if (!part_reset(p, true)) {
            console_log("partition %s: image or device tree outside RAM or blob", p->name);
            arch_halt();
        }
        p->state = PART_RUNNING;
        p->mode = PART_MODE_COLD_START;
    }
}

/* Implements: LLR-PART-003, LLR-PART-004, LLR-CON-011 */
void part_wake_vcpus(const struct partition *p)
{
    /* Bounded and NULL-checked although part_build_all keeps both right:
     * the console input calls it from the UART's interrupt. */
    for (uint32_t j = 0; j < p->num_vcpus && j < BH_MAX_VCPUS_PER_PART; j++) {
        const struct vcpu *t = p->vcpus[j];
        if (t != NULL) {
            sched_request_pick(t->pcpu);
            (void)vgic_kick(t);
        }
    }
}

static bool part_any_running(void)
{
    for (uint32_t i = 0; i < part_count; i++) {
        if (part_table[i].state == PART_RUNNING) {
            return true;
        }
    }
    return false;
}

/*
 * Stopping is final and idempotent: a partition that is not running (a
 * second fault reported by another of its vCPUs) is left as it is.
 * Implements: LLR-PART-003, LLR-PART-007
 */
void part_stop(struct partition *p, const char *reason)
{
    if (p->state != PART_RUNNING) {
        return;
    }
    console_guest_flush(p);
    console_log("partition %s stopped: %s", p->name, (reason != NULL) ? reason : "unknown");
    p->state = PART_STOPPED;
    p->mode = PART_MODE_IDLE;
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        p->vcpus[j]->state = VCPU_OFF;
    }
    part_wake_vcpus(p);
    if (!part_any_running()) {
        console_log("all partitions stopped; system off");
        arch_system_off();
    }
}

/*
 * Only a running partition restarts, unless the system partition asks
 * (from_idle). A reload that no longer fits leaves the partition IDLE.
 * Implements: LLR-PART-004
 */
void part_restart(struct partition *p, bool cold, bool from_idle)
{
    if (p->state != PART_RUNNING && !from_idle) {
        return;
    }
    console_guest_flush(p);
    console_log("partition %s restarting (%s)", p->name, cold ? "cold" : "warm");
    if (!part_reset(p, cold)) {
        p->state = PART_RUNNING; /* so that part_stop acts */
        part_stop(p, "reload failed");
        return;
    }
    p->state = PART_RUNNING;
    p->mode = cold ? PART_MODE_COLD_START : PART_MODE_WARM_START;
    part_wake_vcpus(p);
}

/* The partition caller may address as target, or NULL with *err set. */
static struct partition *part_target(const struct vcpu *caller, uint32_t target, int64_t *err)
{
    if (target >= part_count) {
        *err = -XEN_EINVAL;
        return NULL;
    }
    struct partition *p = &part_table[target];
    if (p != caller->part && !caller->part->system) {
        *err = -XEN_EPERM;
        return NULL;
    }
    return p;
}

/* Implements: LLR-PART-008 */
int64_t part_get_mode(const struct vcpu *caller, uint32_t target, uint32_t *mode)
{
    int64_t err = 0;
    const struct partition *p = part_target(caller, target, &err);
    if (p != NULL) {
        *mode = (uint32_t)p->mode;
    }
    return err;
}

/* Implements: LLR-PART-008 */
int64_t part_set_mode(struct vcpu *caller, uint32_t target, uint32_t mode)
{
    int64_t err = 0;
    struct partition *p = part_target(caller, target, &err);
    if (p == NULL) {
        return err;
    }
    bool idle = (p->state != PART_RUNNING);
    if (idle && !caller->part->system) {
        return -XEN_EPERM; /* a vCPU still in a call while its partition stopped */
    }
    switch (mode) {
    case PART_MODE_NORMAL:
        if (idle) {
            return -XEN_EINVAL;
        }
        p->mode = PART_MODE_NORMAL;
        return 0;
    case PART_MODE_IDLE:
        part_stop(p, "mode IDLE requested");
        return 0;
    case PART_MODE_WARM_START:
        if (p->mode == PART_MODE_COLD_START) {
            return -XEN_EINVAL;
        }
        part_restart(p, false, idle);
        return 0;
    case PART_MODE_COLD_START:
        part_restart(p, true, idle);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}
