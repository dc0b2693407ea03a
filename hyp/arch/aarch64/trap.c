/*
 * Traps from partitions: decode the syndrome, hand policy to the core
 * (hypercalls, MMIO emulation, faults), take physical interrupts, and choose
 * the vCPU to resume. Exceptions from EL2 itself end in arch_hyp_fault.
 * Implements: LLR-ARCH-040 .. LLR-ARCH-045.
 */
#include "arch.h"
#include "conin.h"
#include "console.h"
#include "hcall.h"
#include "hm.h"
#include "mmio.h"
#include "passthru.h"
#include "psci.h"
#include "sched.h"
#include "sysreg.h"
#include "vgic.h"
#include "vsysreg.h"

#define ESR_EC(esr) ((uint32_t)((esr) >> 26) & 0x3fu)
#define ESR_ISS(esr) ((uint32_t)(esr) & 0x1ffffffu)
#define ESR_IL (1ULL << 25) /* 32-bit instruction; clear: a 16-bit T32 one */
#define ISS_DA_ISV (1u << 24)
#define ISS_DA_SSE (1u << 21)
#define ISS_DA_WNR (1u << 6)
#define ISS_DA_FSC_TRANS 0x04u /* translation fault, any level: 0b0001xx */
#define SYSREG_ICC_SGI1R 0x3a3016u /* Op0/Op2/Op1/CRn/CRm of ICC_SGI1R_EL1 */
#define INTID_SPURIOUS 1020u
#define HVC_PSCI_IMM 0u /* SMCCC conduit: PSCI and SMCCC calls */

/* Move f past the trapped instruction, 4 or 2 bytes as ESR_EL2.IL says (a
 * partition's EL0 may run T32 code). Implements: LLR-ARCH-073 */
static void trap_skip(struct arch_regs *f, uint64_t esr)
{
    f->pc += ((esr & ESR_IL) != 0u) ? 4u : 2u;
}

/*
 * Report a fault of v to the health monitor. When its action is IGNORE the
 * faulting instruction is skipped (its ELR is the instruction itself for
 * every synchronous fault reported here, except a rejected HVC, whose ELR is
 * already the next one); an asynchronous error (SError, FIQ) has no
 * instruction to skip. Implements: LLR-ARCH-046.
 */
static void fault_report(struct vcpu *v, uint32_t error, const char *what, uint64_t esr,
                         uint64_t addr, bool skip)
{
    struct arch_regs *f = &arch_vcpus[v->gid].regs;
    struct fault_report r;
    r.what = what;
    r.hm_error = error;
    r.esr_class = ESR_EC(esr);
    r.esr = esr;
    r.addr = addr;
    r.pc = f->pc;
    if (hm_fault(v, &r) == (uint32_t)HM_IGNORE && skip) {
        trap_skip(f, esr);
    }
}

/* A synchronous fault at the instruction ELR names. */
static void fault(struct vcpu *v, uint32_t error, const char *what, uint64_t esr, uint64_t addr)
{
    fault_report(v, error, what, esr, addr, ESR_EC(esr) != EC_HVC64);
}

static uint64_t reg_get(const struct arch_regs *f, uint32_t rt)
{
    return (rt < 31u) ? f->x[rt] : 0u;
}

static void reg_set(struct arch_regs *f, uint32_t rt, uint64_t val)
{
    if (rt < 31u) {
        f->x[rt] = val;
    }
}

/* Implements: LLR-ARCH-041 (HVC #0xEA1 is the hypercall gate, HVC #0 the
 * PSCI/SMCCC conduit; any other immediate is a fault). */
static void trap_hvc(struct vcpu *v, struct arch_regs *f, uint64_t esr)
{
    /* HVC #0xEA1 never gets here: the vectors send it to arch_hvc. */
    if ((esr & 0xffffu) == HVC_PSCI_IMM) {
        f->x[0] = (uint64_t)psci_call(v, f->x);
        return;
    }
    fault(v, HM_ERR_UNDEF, "HVC with an immediate other than 0xEA1 or 0", esr, f->pc - 4u);
}

/* Implements: LLR-ARCH-042 (stage-2 data aborts become MMIO emulation or a fault). */
static void trap_dabt(struct vcpu *v, struct arch_regs *f, uint64_t esr)
{
    uint32_t iss = ESR_ISS(esr);
    uint64_t ipa = ((sysreg_read(hpfar_el2) & 0x00000ffffffffff0ULL) << 8) |
                   (sysreg_read(far_el2) & 0xfffu);
    uint32_t rt = (iss >> 16) & 0x1fu;
    uint32_t size = 1u << ((iss >> 22) & 3u);
    bool write = (iss & ISS_DA_WNR) != 0u;
    uint64_t val = write ? reg_get(f, rt) : 0u;
    enum mmio_result res;

    if ((iss & ISS_DA_ISV) == 0u || (iss & 0x3cu) != ISS_DA_FSC_TRANS) {
        fault(v, HM_ERR_STAGE2, "stage-2 abort", esr, ipa);
        return;
    }
    res = mmio_dispatch(v, ipa, size, write, &val);
    if (res != MMIO_HANDLED) {
        fault(v, HM_ERR_STAGE2,
              res == MMIO_BAD_ACCESS ? "stage-2 abort (bad device access)" : "stage-2 abort", esr,
              ipa);
        return;
    }
    if (!write) {
        if ((iss & ISS_DA_SSE) != 0u && size < 8u) {
            uint32_t top = size * 8u - 1u;
            uint64_t sign = 1ULL << top;
            val = (val ^ sign) - sign;
        }
        if ((iss & ((uint32_t)1u << 15)) == 0u) { /* SF=0: 32-bit register */
            val &= 0xffffffffULL;
        }
        reg_set(f, rt, val);
    }
    trap_skip(f, esr);
}

/*
 * A trapped MRS/MSR or system instruction: an ICC_SGI1R_EL1 write is an
 * SGI; what vsysreg_emulate knows reads as its constant, its writes are
 * ignored; anything else is a partition fault.
 * Implements: LLR-ARCH-043, LLR-ARCH-087.
 */
static void trap_sysreg(struct vcpu *v, struct arch_regs *f, uint64_t esr)
{
    uint32_t iss = ESR_ISS(esr);
    uint32_t key = iss & 0x3ffc1eu; /* Op0, Op2, Op1, CRn, CRm; not Rt or direction */
    uint32_t rt = (iss >> 5) & 0x1fu;
    bool read = (iss & 1u) != 0u;
    uint64_t val = 0u;

    if (key == SYSREG_ICC_SGI1R && !read) {
        (void)vgic_sgi(v, reg_get(f, rt)); /* kicks the targets' CPUs it must */
    } else if (vsysreg_emulate(VSYSREG_KEY((iss >> 20) & 3u, (iss >> 14) & 7u, (iss >> 10) & 0xfu,
                                           (iss >> 1) & 0xfu, (iss >> 17) & 7u),
                               &val)) {
        if (read) {
            reg_set(f, rt, val);
        }
    } else {
        fault(v, HM_ERR_UNDEF, "trapped system register access", esr, f->pc);
        return;
    }
    trap_skip(f, esr);
}

static void trap_sync(struct vcpu *v, struct arch_regs *f)
{
    uint64_t esr = sysreg_read(esr_el2);
    switch (ESR_EC(esr)) {
    case EC_HVC64:
        trap_hvc(v, f, esr);
        break;
    case EC_DABT_LOW:
        trap_dabt(v, f, esr);
        break;
    case EC_WFX:
        trap_skip(f, esr);
        if ((esr & 1u) == 0u) {
            sched_block(v);
        } else {
            sched_yield(v);
        }
        break;
    case EC_SYSREG:
        trap_sysreg(v, f, esr);
        break;
    case EC_SMC64:
        fault(v, HM_ERR_UNDEF, "SMC", esr, f->pc);
        break;
    case EC_IABT_LOW:
        fault(v, HM_ERR_STAGE2, "stage-2 instruction abort", esr, sysreg_read(far_el2));
        break;
    case EC_UNKNOWN:
        fault(v, HM_ERR_UNDEF, "undefined instruction", esr, f->pc);
        break;
    default:
        fault(v, HM_ERR_UNDEF, "trapped instruction", esr, f->pc);
        break;
    }
}

/* Drain the physical UART's receive FIFO into the console input; bounded
 * by its depth. Implements: LLR-CON-012. */
static void uart_input(void)
{
    uint32_t i;
    for (i = 0; i < 32u; i++) {
        int c = plat_uart_getc();
        if (c < 0) {
            return;
        }
        conin_byte((char)c);
    }
}

/* Implements: LLR-ARCH-044 (physical interrupts at EL2). */
static void arch_handle_irq(struct arch_cpu *c, uint32_t intid)
{
    switch (intid) {
    case VGIC_PPI_HYP_TIMER:
        sysreg_write(cnthp_ctl_el2, 0u);
        sched_request_pick(c->id);
        break;
    case VGIC_PPI_VTIMER:
        /* Mask at the source, as Xen does; the guest unmasks on re-arm. */
        sysreg_write(cntv_ctl_el0, sysreg_read(cntv_ctl_el0) | 2u);
        if (c->current != NULL) {
            sched_timer_deliver(c->current);
        }
        break;
    case SGI_KICK:
        sched_request_pick(c->id);
        break;
    case PLAT_UART_INTID:
        uart_input();
        break;
    default:
        /* The SMMU's events are drained; a pass-through SPI is
         * forwarded; maintenance: the list registers are refilled on
         * the way back. */
        if (!smmu_irq(intid)) {
            (void)passthru_irq(intid);
        }
        break;
    }
}

static void take_irqs(struct arch_cpu *c)
{
    uint32_t i;
    /* Bounded: at most a handful can be pending at once. */
    for (i = 0; i < 8u; i++) {
        uint32_t iar = gic_ack();
        if (iar >= INTID_SPURIOUS) {
            return;
        }
        arch_handle_irq(c, iar);
        gic_eoi(iar);
    }
}

static void program_hyp_timer(uint64_t deadline)
{
    if (deadline == SCHED_NO_EVENT) {
        sysreg_write(cnthp_ctl_el2, 0u);
    } else {
        sysreg_write(cnthp_cval_el2, deadline);
        sysreg_write(cnthp_ctl_el2, 1u);
    }
    isb();
}

/*
 * Choose the vCPU to run and load it. With nothing runnable the CPU waits
 * for an interrupt at EL2 with interrupts masked (WFI wakes regardless) and
 * polls the GIC, so the hypervisor never takes an exception from itself.
 * Implements: LLR-ARCH-045.
 */
struct arch_regs *arch_resume(struct arch_cpu *c)
{
    /* Resets handed over by other CPUs are applied in the choosing loop
     * only: one for a vCPU in its window comes with a kick, whose handler
     * asks for a choice (SGI_KICK), so the loop is always reached. */
    struct vcpu *v = c->current;

    if (v == NULL || v->state != VCPU_RUNNABLE || sched_need_pick(c->id)) {
        if (v != NULL && !arch_vcpus[v->gid].reload) {
            /* The scheduler judges wake-ups by the timer as the guest left it. */
            v->vtimer.ctl = sysreg_read(cntv_ctl_el0);
            v->vtimer.cval = sysreg_read(cntv_cval_el0);
        }
        for (;;) {
            uint64_t next_event = SCHED_NO_EVENT;
            v = sched_pick(c->id, arch_now(), &next_event);
            program_hyp_timer(next_event);
            /* A reset handed over while choosing (a CPU_ON, a restart) may
             * concern the choice: apply it and choose again. */
            if (vcpu_apply_resets(c->id)) {
                continue;
            }
            if (v != NULL) {
                break;
            }
            vcpu_switch(c, NULL);
            wfi();
            take_irqs(c);
        }
        vcpu_switch(c, v);
    }
    (void)vgic_drain(v); /* injections other CPUs posted for it */
    if (vgic_dirty(&v->vgic) || v->vgic.lr_count != 0u) {
        vcpu_lrs_sync(v);
        vcpu_lrs_fill(v);
    }
    return &arch_vcpus[v->gid].regs;
}

/*
 * A physical interrupt taken from vCPU v: handled, then the choice of what
 * runs next. The entry, and the counter ticks it took until the choice
 * (which may wait, idle, for the next window), are charged to v's
 * interrupt account (BH_HC_IRQ_TIME), which lets a
 * partition see how much of its window the hypervisor took for
 * interrupts, its own window's end included (the ARINC probe's and
 * steal_meter's instrument; the PMU is trapped). Implements: LLR-ARCH-099.
 */
static struct arch_regs *trap_irq(struct arch_cpu *c, struct vcpu *v)
{
    uint64_t t0 = sysreg_read(cntpct_el0);
    if (v->vgic.lr_count != 0u) {
        vcpu_lrs_sync(v); /* marks v dirty: its list registers are refilled */
    }
    take_irqs(c);
    v->irq_entries++;
    v->irq_ticks += sysreg_read(cntpct_el0) - t0;
    return arch_resume(c);
}

/* Called by the vectors with the saved frame of the current vCPU. */
struct arch_regs *arch_trap(struct arch_regs *frame, uint64_t kind);

struct arch_regs *arch_trap(struct arch_regs *frame, uint64_t kind)
{
    struct arch_cpu *c = (struct arch_cpu *)sysreg_read(tpidr_el2);
    struct vcpu *v = c->current;

    if (kind == TRAP_IRQ) {
        return trap_irq(c, v);
    }

    /* Fast path: an emulated device access that leaves the choice of vCPU
     * and the virtual interrupt state unchanged returns straight to the
     * caller. */
    if (kind == TRAP_SYNC && v->vgic.lr_count == 0u) {
        uint64_t esr = sysreg_read(esr_el2);
        if (ESR_EC(esr) == EC_DABT_LOW) {
            trap_dabt(v, frame, esr);
            if (v->state == VCPU_RUNNABLE && !vgic_dirty(&v->vgic) && !sched_need_pick(c->id)) {
                return frame;
            }
            return arch_resume(c);
        }
    }
    if (v->vgic.lr_count != 0u) {
        vcpu_lrs_sync(v); /* marks v dirty: its list registers are refilled */
    }
    if (kind == TRAP_SYNC) {
        trap_sync(v, frame);
    } else {
        fault_report(v, HM_ERR_MODE, kind == TRAP_SERROR ? "SError" : "FIQ",
                     kind == TRAP_SERROR ? sysreg_read(esr_el2) : 0u, frame->pc, false);
    }
    return arch_resume(c);
}

/* What the HVC path of the vectors receives: the frame to resume and how
 * (HVC_FAST, HVC_FULL, HVC_FULL_RESET; see vectors.S). */
struct hvc_return {
    struct arch_regs *frame;
    uint64_t how;
};

struct hvc_return arch_hvc(struct arch_regs *frame);

/*
 * HVC #0xEA1 from the current vCPU (the vectors checked the immediate).
 * frame holds x0..x18, x30, PC and SPSR; x19..x29 are still in the CPU.
 * Implements: LLR-ARCH-041.
 */
struct hvc_return arch_hvc(struct arch_regs *frame)
{
    struct arch_cpu *c = (struct arch_cpu *)sysreg_read(tpidr_el2);
    struct vcpu *v = c->current;
    struct hvc_return r;
    int64_t ret = hcall_dispatch(v, frame->x[16], frame->x);

    if (ret == HCALL_CONTINUE) {
        frame->pc -= 4u; /* re-issue the HVC with the advanced arguments */
    } else {
        frame->x[0] = (uint64_t)ret;
    }
    r.frame = frame;
    r.how = HVC_FAST;
    if (arch_vcpus[v->gid].reload) {
        r.how = HVC_FULL_RESET;
    } else if (v->state != VCPU_RUNNABLE || vgic_dirty(&v->vgic) || v->vgic.lr_count != 0u ||
               sched_need_pick(c->id)) {
        r.how = HVC_FULL;
    } else {
        /* HVC_FAST: resume without a switch */
    }
    if (r.how != HVC_FAST) {
        /* Read here, off the fast path: the dispatch itself never resets
         * its caller (a reset is applied only while choosing). */
        uint32_t resets = vcpu_reset_count(v);
        r.frame = arch_resume(c);
        /* The caller reset while choosing (its restart's reload, or a reset
         * another CPU handed over): its frame is the reset one, so the
         * x19..x29 still in the CPU belong to no one (LLR-ARCH-072). */
        if (vcpu_reset_count(v) != resets) {
            r.how = HVC_FULL_RESET;
        }
    }
    return r;
}

void arch_hyp_fault(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

/* A fault inside the hypervisor: a module-level error, never a silent hang. */
void arch_hyp_fault(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
    console_log("hypervisor fault on cpu%u: kind %u ESR 0x%lx ELR 0x%lx FAR 0x%lx",
                arch_cpu_id(), (unsigned)kind, (unsigned long)esr, (unsigned long)elr,
                (unsigned long)far);
    hm_module_error("hypervisor exception");
}
