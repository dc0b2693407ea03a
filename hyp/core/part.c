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
/*@ requires p == \null || \valid_read(p);
    assigns \nothing;
    ensures \result != \null ==>
        p != \null && p->ram_gpa <= gpa && gpa + len <= p->ram_gpa + p->ram_size;
 */
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

/* Segments of a cold reload, in order: image, the rest of its memory
 * (zeroed), device tree, ramdisk (part_reload_seg). */
#define PART_NUM_SEGS 4u

struct part_seg {
    uint64_t gpa;
    uint64_t src; /* blob offset of the bytes to copy */
    uint64_t len;
    bool zero;    /* zero the range instead of copying */
};

/* Segment seg of a reload from configuration c (seg < PART_NUM_SEGS). */
static struct part_seg part_reload_seg(const struct bh_cfg_part *c, uint32_t seg)
{
    const struct part_seg segs[PART_NUM_SEGS] = {
        {c->image_gpa, c->image_offset, c->image_size, false},
        {c->image_gpa + c->image_size, 0u,
         (c->image_mem_size > c->image_size) ? c->image_mem_size - c->image_size : 0u, true},
        {c->dtb_gpa, c->dtb_offset, c->dtb_size, false},
        {c->ramdisk_gpa, c->ramdisk_offset, c->ramdisk_size, false},
    };
    return segs[seg];
}

/*
 * Copy or zero the next chunk of p's reload (at most PART_RELOAD_CHUNK
 * bytes). False when the chunk is out of p's RAM or of the blob (the boot
 * check excludes it; checked again because the write is to memory).
 */
static bool part_reload_chunk(struct partition *p)
{
    struct part_reload *r = &p->reload;
    struct part_seg sg = part_reload_seg(p->cfg, r->seg);
    /* A chunk ends on an 8-byte boundary of the guest address, so that the
     * next starts aligned and bh_memset/bh_memcpy take 8 bytes a step. */
    uint64_t room = PART_RELOAD_CHUNK - ((sg.gpa + r->off) % 8u);
    uint64_t n = sg.len - r->off;
    n = (n < room) ? n : room;
    uint8_t *dst = part_guest_ptr(p, sg.gpa + r->off, n);
    if (p->cfg->image_size > p->cfg->image_mem_size) {
        return false; /* an image larger than the memory it claims */
    } else if (n == 0u) {
        /* An empty segment (no ramdisk, an image that fills its memory). */
    } else if (dst == NULL || (!sg.zero && sg.src + r->off + n > part_blob->total_size)) {
        return false;
    } else if (sg.zero) {
        bh_memset(dst, 0, (size_t)n);
    } else {
        bh_memcpy(dst, (const uint8_t *)part_blob + sg.src + r->off, (size_t)n);
    }
    r->off += n;
    if (r->off >= sg.len) {
        r->seg++;
        r->off = 0;
    }
    return true;
}

/*
 * Reset p's virtual devices and vCPUs: vCPU 0 runnable at the entry point
 * with x0 = device-tree address, the others off until the guest starts them
 * (PSCI CPU_ON, psci.c); then bind its static channels.
 * Implements: LLR-PART-006
 */
static void part_reset_devices(struct partition *p)
{
    const struct bh_cfg_part *c = p->cfg;
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
    evtchn_static_bind(p, part_blob);
}

/*
 * The first load of p at boot: image, device tree and ramdisk (if any),
 * then its devices. Returns false, touching no vCPU, when the load is out
 * of bounds. Implements: LLR-PART-006
 */
static bool part_load(struct partition *p)
{
    /* The reload's chunks, all at once: nothing runs yet. Bounded: each
     * chunk moves the reload on, through segments the boot check sized. */
    p->reload.seg = 0;
    p->reload.off = 0;
    while (p->reload.seg < PART_NUM_SEGS) {
        if (!part_reload_chunk(p)) {
            return false;
        }
    }
    evtchn_reset(p);
    shinfo_reset(p);
    part_reset_devices(p);
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
        if (!part_load(p)) {
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

/* Every vCPU of p OFF. Caller holds p->life. */
static void part_vcpus_off(struct partition *p)
{
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        __atomic_store_n(&p->vcpus[j]->state, VCPU_OFF, __ATOMIC_SEQ_CST);
    }
}

static bool part_any_running(void)
{
    for (uint32_t i = 0; i < part_count; i++) {
        if (part_table[i].state == PART_RUNNING || part_table[i].state == PART_RESTARTING) {
            return true;
        }
    }
    return false;
}

/*
 * Stopping is final and idempotent: a partition already stopped (a second
 * fault reported by another of its vCPUs) is left as it is. A restart under
 * way is abandoned: its reload step sees the state and does nothing more.
 * Every vCPU is set OFF under the life lock, so no RUNNABLE or BLOCKED store
 * of another CPU (which compare-and-swap from the state they saw) can undo
 * it. Implements: LLR-PART-003, LLR-PART-007, LLR-PART-010, LLR-CON-019,
 * LLR-CON-020
 */
void part_stop(struct partition *p, const char *reason)
{
    arch_lock(&p->life);
    if (p->state == PART_STOPPED) {
        arch_unlock(&p->life);
        return;
    }
    __atomic_store_n(&p->state, PART_STOPPED, __ATOMIC_SEQ_CST);
    p->mode = PART_MODE_IDLE;
    part_vcpus_off(p);
    arch_unlock(&p->life);
    console_guest_flush(p);
    console_log_owned(p, "partition %s stopped: %s", p->name,
                      (reason != NULL) ? reason : "unknown");
    part_wake_vcpus(p);
    if (!part_any_running()) {
        console_flush_all(); /* LLR-CON-020: no window is left to drain in */
        console_log("all partitions stopped; system off");
        arch_system_off();
    }
}

/* Implements: LLR-PART-004, LLR-PART-010, LLR-CON-019 */
bool part_restart(struct partition *p, bool cold, bool from_idle)
{
    arch_lock(&p->life);
    bool accept = (p->state == PART_RUNNING) || (p->state == PART_STOPPED && from_idle);
    if (accept) {
        __atomic_store_n(&p->state, PART_RESTARTING, __ATOMIC_SEQ_CST);
        p->mode = cold ? PART_MODE_COLD_START : PART_MODE_WARM_START;
        p->restarts++;
        p->reload.cold = cold;
        p->reload.quiesced = false;
        p->reload.closed = false;
        p->reload.seg = 0;
        p->reload.off = 0;
        part_vcpus_off(p);
    }
    arch_unlock(&p->life);
    if (accept) {
        console_guest_flush(p);
        console_log_owned(p, "partition %s restarting (%s)", p->name, cold ? "cold" : "warm");
        part_wake_vcpus(p); /* each leaves its CPU; vCPU 0's CPU reloads */
    }
    return accept;
}

/* True when no vCPU of p is chosen on a CPU other than cpu. */
static bool part_vcpus_left(const struct partition *p, uint32_t cpu)
{
    for (uint32_t j = 0; j < p->num_vcpus; j++) {
        const struct vcpu *w = p->vcpus[j];
        if (w->pcpu != cpu && sched_current(w->pcpu) == w) {
            return false;
        }
    }
    return true;
}

/* Implements: LLR-PART-010 */
bool part_vcpu_live(const struct vcpu *v)
{
    return __atomic_load_n(&v->part->state, __ATOMIC_SEQ_CST) == PART_RUNNING;
}

/* Implements: LLR-PART-011, LLR-PART-012 */
bool part_reload_step(struct partition *p, uint64_t now, uint64_t deadline)
{
    struct part_reload *r = &p->reload;
    uint64_t t = now;
    if (__atomic_load_n(&p->state, __ATOMIC_SEQ_CST) != PART_RESTARTING) {
        return true;
    }
    if (!part_vcpus_left(p, p->vcpus[0]->pcpu)) {
        return false; /* the reload waits for every vCPU to leave its CPU */
    }
    if (!r->quiesced) {
        /* No other CPU writes p's RAM from here on: its pointers into it go. */
        shinfo_reset(p);
        evtchn_reset_begin(p);
        r->quiesced = true;
        t = arch_now();
    }
    while (!r->closed) { /* bounded by the deadline; each step by its batch */
        if (t >= deadline) {
            return false;
        }
        r->closed = evtchn_reset_step(p);
        t = arch_now();
    }
    while (r->cold && r->seg < (uint32_t)PART_NUM_SEGS) { /* bounded by the deadline */
        if (t >= deadline) {
            return false;
        }
        if (!part_reload_chunk(p)) {
            part_stop(p, "reload failed");
            return true;
        }
        t = arch_now();
    }
    if (t < r->not_before || t >= deadline) {
        return false; /* one restart a major frame; the reset is a unit too */
    }
    arch_lock(&p->life);
    if (p->state == PART_RESTARTING) {
        part_reset_devices(p);
        r->not_before = t + sched_frame_ticks();
        __atomic_store_n(&p->state, PART_RUNNING, __ATOMIC_SEQ_CST);
    }
    arch_unlock(&p->life);
    return true;
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
        (void)part_restart(p, false, idle);
        return 0;
    case PART_MODE_COLD_START:
        (void)part_restart(p, true, idle);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}
