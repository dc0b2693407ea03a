/*
 * vCPU context: reset, and the switch of everything a partition owns on a
 * physical CPU (EL1 system registers, FP/SIMD, virtual timer, GIC virtual
 * interface, stage-2 root and VMID). General registers need no copy: each
 * vCPU's frame is saved in place by the vectors.
 * Implements: LLR-ARCH-030 (context switch), LLR-ARCH-031 (vCPU reset).
 */
#include "arch.h"
#include "sysreg.h"
#include "util.h"
#include "part.h"
#include "passthru.h"
#include "sched.h"
#include "vgic.h"

struct arch_vcpu arch_vcpus[BH_MAX_VCPUS];

#define ICH_HCR_EN 1ULL
#define ICH_HCR_UIE 2ULL
#define SCTLR_EL1_RESET 0x30d00800ULL /* RES1 bits; MMU and caches off */

/* Resets applied to each vCPU's context so far (see vcpu_reset_count). */
static uint32_t vcpu_resets[BH_MAX_VCPUS];

/* Implements: LLR-ARCH-072 */
uint32_t vcpu_reset_count(const struct vcpu *v)
{
    return vcpu_resets[v->gid];
}

/* Implements: LLR-ARCH-031. */
/* Reset v's saved context now. Pre: v is not running on another CPU. */
static void vcpu_reset_now(struct vcpu *v, uint64_t entry, uint64_t arg0)
{
    struct arch_vcpu *a = &arch_vcpus[v->gid];
    vcpu_resets[v->gid]++;
    bh_memset(a, 0, sizeof(*a));
    a->regs.x[0] = arg0;
    a->regs.pc = entry;
    a->regs.spsr = SPSR_EL1H_MASKED;
    a->el1[EL1_SCTLR] = SCTLR_EL1_RESET;
    a->vmpidr = (1ULL << 31) | (uint64_t)v->vid;
    a->reload = true;
    v->vtimer.ctl = 0;
    v->vtimer.cval = 0;
}

/* Resets asked of another CPU: one request per vCPU, and a flag per CPU
 * that something is waiting, so arch_resume pays one load when nothing is. */
struct vcpu_reset_req {
    struct vcpu *v; /* the vCPU (index = its gid) */
    uint64_t entry;
    uint64_t arg0;
    uint32_t pending;
};
static struct vcpu_reset_req vcpu_reset_reqs[BH_MAX_VCPUS];
static uint32_t vcpu_reset_waiting[BH_MAX_CPUS];

/*
 * A vCPU pinned to another CPU may be running there, or be in the middle of
 * a trap whose frame is the very context a reset rewrites; only its own CPU
 * may touch that context. So the reset is handed to that CPU, which applies
 * it in arch_resume after each choice of what to run (LLR-ARCH-031).
 * Implements: LLR-ARCH-030, LLR-ARCH-031.
 */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg0)
{
    const struct arch_cpu *self = (const struct arch_cpu *)sysreg_read(tpidr_el2);
    struct vcpu_reset_req *r = &vcpu_reset_reqs[v->gid];
    if (v->pcpu == self->id) {
        __atomic_store_n(&r->pending, 0u, __ATOMIC_RELAXED); /* this one supersedes */
        vcpu_reset_now(v, entry, arg0);
        return;
    }
    r->v = v;
    r->entry = entry;
    r->arg0 = arg0;
    __atomic_store_n(&r->pending, 1u, __ATOMIC_RELEASE);
    __atomic_store_n(&vcpu_reset_waiting[v->pcpu], 1u, __ATOMIC_RELEASE);
    /* A vCPU outside its window gets the reset applied before its window's
     * choice (arch_resume), without an interrupt now. */
    (void)vgic_kick(v);
}

/* Implements: LLR-ARCH-031. */
bool vcpu_apply_resets(uint32_t cpu)
{
    /* States read before (by the scheduler) are older than the flag. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_exchange_n(&vcpu_reset_waiting[cpu], 0u, __ATOMIC_ACQ_REL) == 0u) {
        return false;
    }
    for (uint32_t g = 0; g < BH_MAX_VCPUS; g++) {
        struct vcpu_reset_req *r = &vcpu_reset_reqs[g];
        if (__atomic_load_n(&r->pending, __ATOMIC_ACQUIRE) != 0u && r->v->pcpu == cpu) {
            __atomic_store_n(&r->pending, 0u, __ATOMIC_RELAXED);
            vcpu_reset_now(r->v, r->entry, r->arg0);
        }
    }
    sched_request_pick(cpu);
    return true;
}

static void el1_save(uint64_t *r)
{
    r[EL1_SCTLR] = sysreg_read(sctlr_el1);
    r[EL1_TTBR0] = sysreg_read(ttbr0_el1);
    r[EL1_TTBR1] = sysreg_read(ttbr1_el1);
    r[EL1_TCR] = sysreg_read(tcr_el1);
    r[EL1_MAIR] = sysreg_read(mair_el1);
    r[EL1_AMAIR] = sysreg_read(amair_el1);
    r[EL1_VBAR] = sysreg_read(vbar_el1);
    r[EL1_CONTEXTIDR] = sysreg_read(contextidr_el1);
    r[EL1_TPIDR_EL0] = sysreg_read(tpidr_el0);
    r[EL1_TPIDRRO_EL0] = sysreg_read(tpidrro_el0);
    r[EL1_TPIDR_EL1] = sysreg_read(tpidr_el1);
    r[EL1_SP_EL0] = sysreg_read(sp_el0);
    r[EL1_SP_EL1] = sysreg_read(sp_el1);
    r[EL1_ELR] = sysreg_read(elr_el1);
    r[EL1_SPSR] = sysreg_read(spsr_el1);
    r[EL1_ESR] = sysreg_read(esr_el1);
    r[EL1_FAR] = sysreg_read(far_el1);
    r[EL1_AFSR0] = sysreg_read(afsr0_el1);
    r[EL1_AFSR1] = sysreg_read(afsr1_el1);
    r[EL1_CPACR] = sysreg_read(cpacr_el1);
    r[EL1_CNTKCTL] = sysreg_read(cntkctl_el1);
    r[EL1_PAR] = sysreg_read(par_el1);
    r[EL1_CSSELR] = sysreg_read(csselr_el1);
    r[EL1_MDSCR] = sysreg_read(mdscr_el1);
}

static void el1_restore(const uint64_t *r)
{
    sysreg_write(sctlr_el1, r[EL1_SCTLR]);
    sysreg_write(ttbr0_el1, r[EL1_TTBR0]);
    sysreg_write(ttbr1_el1, r[EL1_TTBR1]);
    sysreg_write(tcr_el1, r[EL1_TCR]);
    sysreg_write(mair_el1, r[EL1_MAIR]);
    sysreg_write(amair_el1, r[EL1_AMAIR]);
    sysreg_write(vbar_el1, r[EL1_VBAR]);
    sysreg_write(contextidr_el1, r[EL1_CONTEXTIDR]);
    sysreg_write(tpidr_el0, r[EL1_TPIDR_EL0]);
    sysreg_write(tpidrro_el0, r[EL1_TPIDRRO_EL0]);
    sysreg_write(tpidr_el1, r[EL1_TPIDR_EL1]);
    sysreg_write(sp_el0, r[EL1_SP_EL0]);
    sysreg_write(sp_el1, r[EL1_SP_EL1]);
    sysreg_write(elr_el1, r[EL1_ELR]);
    sysreg_write(spsr_el1, r[EL1_SPSR]);
    sysreg_write(esr_el1, r[EL1_ESR]);
    sysreg_write(far_el1, r[EL1_FAR]);
    sysreg_write(afsr0_el1, r[EL1_AFSR0]);
    sysreg_write(afsr1_el1, r[EL1_AFSR1]);
    sysreg_write(cpacr_el1, r[EL1_CPACR]);
    sysreg_write(cntkctl_el1, r[EL1_CNTKCTL]);
    sysreg_write(par_el1, r[EL1_PAR]);
    sysreg_write(csselr_el1, r[EL1_CSSELR]);
    sysreg_write(mdscr_el1, r[EL1_MDSCR]);
}

/* Read back the list registers the last fill used. Implements: LLR-ARCH-021. */
void vcpu_lrs_sync(struct vcpu *v)
{
    uint64_t lr[VGIC_MAX_LRS];
    uint32_t n = v->vgic.lr_count;
    uint32_t i;
    if (n == 0u) {
        return;
    }
    for (i = 0; i < n; i++) {
        lr[i] = gic_lr_read(i);
    }
    vgic_lr_sync(v, lr, n);
    passthru_sync(v->part);
}

/* Load v's pending and active interrupts into the list registers, asking
 * for a maintenance interrupt when they do not all fit. */
void vcpu_lrs_fill(struct vcpu *v)
{
    uint64_t lr[VGIC_MAX_LRS];
    bool underflow = false;
    uint32_t i;
    (void)vgic_lr_fill(v, lr, arch_num_lrs, &underflow);
    for (i = 0; i < arch_num_lrs; i++) {
        gic_lr_write(i, lr[i]);
    }
    sysreg_write(S3_4_C12_C11_0, ICH_HCR_EN | (underflow ? ICH_HCR_UIE : 0u));
    isb();
}

static void vcpu_save(struct vcpu *v)
{
    struct arch_vcpu *a = &arch_vcpus[v->gid];
    uint32_t i;
    /* Reset while loaded: the reset context is the one to keep, not what
     * the CPU still holds from before. */
    bool keep = !a->reload;
    if (keep) {
        el1_save(a->el1);
        arch_fpsimd_save(a->fpsimd);
        v->vtimer.ctl = sysreg_read(cntv_ctl_el0);
        v->vtimer.cval = sysreg_read(cntv_cval_el0);
    }
    sysreg_write(cntv_ctl_el0, 0u);
    vcpu_lrs_sync(v);
    for (i = 0; i < arch_num_lrs; i++) {
        gic_lr_write(i, 0u);
    }
    sysreg_write(S3_4_C12_C11_0, ICH_HCR_EN); /* no underflow request left behind */
    if (keep) {
        a->ich_vmcr = sysreg_read(S3_4_C12_C11_7);
        a->ich_ap0r0 = sysreg_read(S3_4_C12_C8_0);
        a->ich_ap1r0 = sysreg_read(S3_4_C12_C9_0);
    }
}

static void vcpu_load(struct vcpu *v)
{
    struct arch_vcpu *a = &arch_vcpus[v->gid];
    el1_restore(a->el1);
    arch_fpsimd_restore(a->fpsimd);
    sysreg_write(S3_4_C12_C11_7, a->ich_vmcr);
    sysreg_write(S3_4_C12_C8_0, a->ich_ap0r0);
    sysreg_write(S3_4_C12_C9_0, a->ich_ap1r0);
    sysreg_write(vmpidr_el2, a->vmpidr);
    sysreg_write(vttbr_el2, mmu_vttbr(v->part));
    sysreg_write(cntv_cval_el0, v->vtimer.cval);
    sysreg_write(cntv_ctl_el0, v->vtimer.ctl);
    isb();
    a->reload = false;
    /* No list-register refill unless the vGIC says so: vgic_lr_sync marked
     * v dirty at switch-out if anything was still in its list registers,
     * and any injection since has marked it too. */
}

/* Implements: LLR-ARCH-030. */
void vcpu_switch(struct arch_cpu *c, struct vcpu *next)
{
    if (c->current == next) {
        if (next != NULL && arch_vcpus[next->gid].reload) {
            vcpu_load(next);
        } else if (next != NULL) {
            /* Still loaded: arch_resume read its timer before the pick,
             * which masks a timer whose expiry it delivered (LLR-SCHED-003).
             * CVAL first, as vcpu_load does: the write makes QEMU recompute
             * ISTATUS, which the guest's handler reads (Linux ignores a
             * timer interrupt without it, and the timer stays masked). */
            sysreg_write(cntv_cval_el0, next->vtimer.cval);
            sysreg_write(cntv_ctl_el0, next->vtimer.ctl);
        } else {
            /* no vCPU before or after: nothing to load */
        }
        return;
    }
    if (c->current != NULL) {
        vcpu_save(c->current);
    }
    c->current = next;
    if (next != NULL) {
        if (next->part != c->last_part) {
            bp_partition_switch(); /* LLR-ARCH-098 */
            c->last_part = next->part;
        }
        vcpu_load(next);
    }
}
