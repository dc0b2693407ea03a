/*
 * Attacks through the system registers one physical CPU shares between the
 * partitions it runs (issue 15, "PMU and debug registers", "Trap
 * controls"): the PMU's counters, the breakpoint and watchpoint registers,
 * the OS lock, the IMPLEMENTATION DEFINED registers, ACTLR_EL1, set/way
 * cache maintenance, and a sweep of every op0 = 2 and op0 = 3 encoding.
 * docs/architecture.md, "PMU, debug and other trap controls", says what a
 * partition sees of each.
 * Verifies: LLR-ARCH-080 .. LLR-ARCH-087
 */
#include "hostile.h"

/* What the EL1 synchronous exceptions of the attacker were (an undefined
 * encoding, a breakpoint): filled by hostile_el1_vectors below. */
struct el1_sync {
    uint64_t count;
    uint64_t last_esr;
    uint64_t classes; /* bit EC set for each exception class seen */
};
struct el1_sync hostile_el1_sync;

/*
 * The attacker's own EL1 vectors while a mode of this file runs: a
 * synchronous exception at EL1 is counted; a debug exception (EC 0x30 ..
 * 0x35: breakpoint, step, watchpoint) turns debug off (MDSCR_EL1 = 0) and
 * retries the instruction; anything else (an undefined encoding) is
 * skipped. Every other vector is the library's.
 */
__asm__(".pushsection .text.hostile_vectors, \"ax\"\n"
        ".balign 0x800\n"
        ".globl hostile_el1_vectors\n"
        "hostile_el1_vectors:\n"
        ".irp n, 0, 1, 2, 3\n"
        ".balign 0x80\n"
        "b guest_vectors + \\n * 0x80\n"
        ".endr\n"
        ".balign 0x80\n"
        "sub sp, sp, #32\n"
        "stp x0, x1, [sp]\n"
        "stp x2, x3, [sp, #16]\n"
        "adrp x0, hostile_el1_sync\n"
        "add x0, x0, :lo12:hostile_el1_sync\n"
        "ldr x1, [x0]\n"
        "add x1, x1, #1\n"
        "str x1, [x0]\n"
        "mrs x1, esr_el1\n"
        "str x1, [x0, #8]\n"
        "ubfx x2, x1, #26, #6\n"
        "mov x3, #1\n"
        "lsl x3, x3, x2\n"
        "ldr x1, [x0, #16]\n"
        "orr x1, x1, x3\n"
        "str x1, [x0, #16]\n"
        "sub x2, x2, #0x30\n"
        "cmp x2, #5\n"
        "b.ls 1f\n"
        "mrs x3, elr_el1\n"
        "add x3, x3, #4\n"
        "msr elr_el1, x3\n"
        "b 2f\n"
        "1: msr mdscr_el1, xzr\n"
        "2: ldp x2, x3, [sp, #16]\n"
        "ldp x0, x1, [sp]\n"
        "add sp, sp, #32\n"
        "eret\n"
        ".irp n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
        ".balign 0x80\n"
        "b guest_vectors + \\n * 0x80\n"
        ".endr\n"
        ".popsection\n");

extern char hostile_el1_vectors[];

#define EC_BREAKPOINT_EL1 0x31u
#define EC_WATCHPOINT_EL1 0x35u
#define DEBUG_CLASSES (0x3full << 0x30)
#define POISON 0x5a5a5a5a5a5a5a5aull

/* Vectors in, debug exceptions unmasked at EL1 (PSTATE.D), record cleared. */
static void vectors_install(void)
{
    hostile_el1_sync.count = 0;
    hostile_el1_sync.last_esr = 0;
    hostile_el1_sync.classes = 0;
    __asm__ volatile("msr vbar_el1, %0\n\tisb\n\tmsr daifclr, #8" ::"r"(hostile_el1_vectors)
                     : "memory");
}

/* A routine written at run time: insn (with x0 as its register), then RET.
 * Returns x0 afterwards; x0 is in on entry. */
static uint32_t stub[2] __attribute__((aligned(64)));

static uint64_t stub_run(uint32_t insn, uint64_t in)
{
    stub[0] = insn;
    stub[1] = 0xd65f03c0u; /* ret */
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" ::"r"(stub)
                     : "memory");
    register uint64_t x0 __asm__("x0") = in;
    __asm__ volatile("blr %1"
                     : "+r"(x0)
                     : "r"(stub)
                     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                       "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
    return x0;
}

/* MRS x0 / MSR x0 / SYS x0 of an encoding (op0 2 or 3 for MRS and MSR). */
static uint32_t enc(uint32_t op0, uint32_t op1, uint32_t crn, uint32_t crm, uint32_t op2)
{
    return (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
}
#define INSN_MRS(e) (0xd5200000u | (e))
#define INSN_MSR(e) (0xd5000000u | (e))

/* Registers used by name below (S3_... spelling: any assembler takes it). */
#define PMCR_E 1u
#define PMCR_P 2u
#define PMCR_C 4u
#define PMCCFILTR_NSH (1u << 27) /* count at EL2 too */
#define EVT_INST_RETIRED 0x08u

static void pmu_start(void)
{
    uint64_t filter = PMCCFILTR_NSH;
    uint64_t type = PMCCFILTR_NSH | EVT_INST_RETIRED;
    uint64_t enable = (1ull << 31) | 1u; /* cycle counter, event counter 0 */
    uint64_t pmcr = PMCR_E | PMCR_P | PMCR_C;
    __asm__ volatile("msr S3_3_C14_C15_7, %0\n\t" /* PMCCFILTR_EL0 */
                     "msr S3_3_C14_C12_0, %1\n\t" /* PMEVTYPER0_EL0 */
                     "msr S3_3_C9_C12_1, %2\n\t"  /* PMCNTENSET_EL0 */
                     "msr S3_3_C9_C12_0, %3\n\t"  /* PMCR_EL0 */
                     "isb" ::"r"(filter),
                     "r"(type), "r"(enable), "r"(pmcr)
                     : "memory");
}

struct pmu_sample {
    uint64_t now, cycles, insns;
};

static void pmu_sample(struct pmu_sample *s)
{
    __asm__ volatile("isb\n\t"
                     "mrs %0, cntvct_el0\n\t"
                     "mrs %1, S3_3_C9_C13_0\n\t" /* PMCCNTR_EL0 */
                     "mrs %2, S3_3_C14_C8_0"     /* PMEVCNTR0_EL0 */
                     : "=r"(s->now), "=r"(s->cycles), "=r"(s->insns)::"memory");
}

/*
 * Program the cycle counter and event counter 0 (instructions retired, EL2
 * included) and read them on each side of each gap in this partition's
 * time: whatever they advanced by across a gap is another partition's (the
 * probe's) or the hypervisor's work. Nothing may be seen.
 */
HOSTILE_MODE(pmu_read, "count the other partitions' cycles and instructions with the PMU")
{
    uint32_t gaps = (uint32_t)bh_arg(args, "gaps", 0, 20);
    uint64_t seen_cycles = 0, seen_insns = 0, nonzero = 0;
    struct pmu_sample a, b;
    uint32_t n = 0;

    pmu_start();
    pmu_sample(&a);
    /* Bounded by time: the gaps come every 2 ms; give up after 4 per gap. */
    uint64_t end = a.now + (uint64_t)gaps * 4u * (timer_freq() / 1000u);
    while (n < gaps && a.now < end) {
        pmu_sample(&b);
        nonzero |= b.cycles | b.insns;
        if (b.now - a.now > BH_GAP_TICKS) {
            seen_cycles += b.cycles - a.cycles;
            seen_insns += b.insns - a.insns;
            n++;
        }
        a = b;
    }
    gprintf("across %u gaps: %lu cycles, %lu instructions counted outside this partition\n", n,
            (unsigned long)seen_cycles, (unsigned long)seen_insns);
    hostile_check(n == gaps, "the other partitions' windows came");
    hostile_check(seen_cycles == 0u && seen_insns == 0u,
                  "nothing counted in another partition's window is visible");
    hostile_check(nonzero == 0u, "every PMU counter read 0");
}

/* Reset the counters through PMCR_EL0 (C, P) with counting on: nothing of
 * it may stick, and a second read must agree. */
HOSTILE_MODE(pmu_reset, "reset the PMU's counters through PMCR_EL0")
{
    (void)args;
    uint64_t pmcr, c1, c2;
    pmu_start();
    __asm__ volatile("mrs %0, S3_3_C9_C13_0\n\t"
                     "msr S3_3_C9_C12_0, %3\n\tisb\n\t"
                     "mrs %1, S3_3_C9_C12_0\n\t"
                     "mrs %2, S3_3_C9_C13_0"
                     : "=&r"(c1), "=&r"(pmcr), "=&r"(c2)
                     : "r"((uint64_t)(PMCR_E | PMCR_P | PMCR_C))
                     : "memory");
    gprintf("PMCR_EL0 0x%lx, PMCCNTR_EL0 %lu then %lu\n", (unsigned long)pmcr,
            (unsigned long)c1, (unsigned long)c2);
    hostile_check(pmcr == 0u, "PMCR_EL0 reads 0 after E, P and C were written");
    hostile_check(c1 == 0u && c2 == 0u, "the cycle counter reads 0 before and after");
}

static void __attribute__((noinline, aligned(16))) bp_target(void)
{
    __asm__ volatile("nop\n\tnop\n\tnop\n\tnop" ::: "memory");
}

static volatile uint64_t wp_target __attribute__((aligned(8)));

#define MDSCR_KDE (1u << 13)
#define MDSCR_MDE (1u << 15)
#define BCR_EXEC_EL1_EL0 0x1e7u /* BAS 0xf, PMC EL1 and EL0, enabled */
#define WCR_RW_EL1_EL0 0x1fffu  /* BAS 0xff, loads and stores, EL1 and EL0, enabled */
#define GUEST_ENTRY 0x40000000u /* every partition's first instruction */

/* Wait for the next gap in this partition's time: another partition ran on
 * this CPU in between. */
static void wait_other_window(void)
{
    uint64_t now = timer_now();
    (void)bh_next_window(BH_GAP_TICKS, now + 10u * (timer_freq() / 1000u), NULL);
}

/*
 * Plant breakpoints on a routine of the attacker and on every partition's
 * entry, enable debug at EL1, run the routine: nothing may fire, and every
 * register read back, now and after another partition's window, is 0.
 */
HOSTILE_MODE(debug_bp, "plant hardware breakpoints, on its own code and every entry point")
{
    (void)args;
    uint64_t bvr0, bcr0, bvr1, mdscr, later;
    vectors_install();
    __asm__ volatile("msr oslar_el1, xzr\n\t"
                     "msr dbgbvr0_el1, %0\n\tmsr dbgbcr0_el1, %2\n\t"
                     "msr dbgbvr1_el1, %1\n\tmsr dbgbcr1_el1, %2\n\t"
                     "mrs x9, mdscr_el1\n\torr x9, x9, %3\n\tmsr mdscr_el1, x9\n\tisb" ::"r"(
                         bp_target),
                     "r"((uint64_t)GUEST_ENTRY), "r"((uint64_t)BCR_EXEC_EL1_EL0),
                     "r"((uint64_t)(MDSCR_KDE | MDSCR_MDE))
                     : "x9", "memory");
    bp_target();
    __asm__ volatile("mrs %0, dbgbvr0_el1\n\tmrs %1, dbgbcr0_el1\n\t"
                     "mrs %2, dbgbvr1_el1\n\tmrs %3, mdscr_el1"
                     : "=r"(bvr0), "=r"(bcr0), "=r"(bvr1), "=r"(mdscr)::"memory");
    wait_other_window();
    __asm__ volatile("mrs %0, dbgbvr0_el1" : "=r"(later)::"memory");
    gprintf("DBGBVR0 0x%lx DBGBCR0 0x%lx DBGBVR1 0x%lx MDSCR 0x%lx; after a window DBGBVR0 "
            "0x%lx; %lu EL1 exceptions, last ESR 0x%lx\n",
            (unsigned long)bvr0, (unsigned long)bcr0, (unsigned long)bvr1,
            (unsigned long)mdscr, (unsigned long)later, (unsigned long)hostile_el1_sync.count,
            (unsigned long)hostile_el1_sync.last_esr);
    hostile_check((hostile_el1_sync.classes & (1ull << EC_BREAKPOINT_EL1)) == 0u,
                  "no breakpoint fired");
    hostile_check((bvr0 | bcr0 | bvr1 | mdscr) == 0u, "breakpoint registers read back 0");
    hostile_check(later == 0u, "nothing planted is left after another partition's window");
}

/* The same with watchpoints: on a variable of the attacker, which it then
 * writes, and on every partition's first page. */
HOSTILE_MODE(debug_wp, "plant hardware watchpoints, on its own data and every partition's start")
{
    (void)args;
    uint64_t wvr0, wcr0, wvr1, later;
    vectors_install();
    __asm__ volatile("msr oslar_el1, xzr\n\t"
                     "msr dbgwvr0_el1, %0\n\tmsr dbgwcr0_el1, %2\n\t"
                     "msr dbgwvr1_el1, %1\n\tmsr dbgwcr1_el1, %2\n\t"
                     "mrs x9, mdscr_el1\n\torr x9, x9, %3\n\tmsr mdscr_el1, x9\n\tisb" ::"r"(
                         &wp_target),
                     "r"((uint64_t)GUEST_ENTRY), "r"((uint64_t)WCR_RW_EL1_EL0),
                     "r"((uint64_t)(MDSCR_KDE | MDSCR_MDE))
                     : "x9", "memory");
    wp_target = 1u;
    __asm__ volatile("mrs %0, dbgwvr0_el1\n\tmrs %1, dbgwcr0_el1\n\tmrs %2, dbgwvr1_el1"
                     : "=r"(wvr0), "=r"(wcr0), "=r"(wvr1)::"memory");
    wait_other_window();
    __asm__ volatile("mrs %0, dbgwvr0_el1" : "=r"(later)::"memory");
    gprintf("DBGWVR0 0x%lx DBGWCR0 0x%lx DBGWVR1 0x%lx; after a window DBGWVR0 0x%lx; %lu EL1 "
            "exceptions\n",
            (unsigned long)wvr0, (unsigned long)wcr0, (unsigned long)wvr1,
            (unsigned long)later, (unsigned long)hostile_el1_sync.count);
    hostile_check((hostile_el1_sync.classes & (1ull << EC_WATCHPOINT_EL1)) == 0u,
                  "no watchpoint fired");
    hostile_check((wvr0 | wcr0 | wvr1 | later) == 0u, "watchpoint registers read back 0");
}

/* Lock the OS lock and the double lock (which turn debug off for whatever
 * runs on the CPU): both writes are ignored. */
HOSTILE_MODE(os_lock, "set the OS lock and the OS double lock")
{
    (void)args;
    uint64_t oslsr, osdlr, later;
    __asm__ volatile("msr oslar_el1, %2\n\tmsr osdlr_el1, %2\n\tisb\n\t"
                     "mrs %0, oslsr_el1\n\tmrs %1, osdlr_el1"
                     : "=&r"(oslsr), "=&r"(osdlr)
                     : "r"(1ull)
                     : "memory");
    wait_other_window();
    __asm__ volatile("mrs %0, oslsr_el1" : "=r"(later)::"memory");
    gprintf("OSLSR_EL1 0x%lx OSDLR_EL1 0x%lx; after a window OSLSR_EL1 0x%lx\n",
            (unsigned long)oslsr, (unsigned long)osdlr, (unsigned long)later);
    hostile_check(oslsr == 0x8u && later == 0x8u, "OSLSR_EL1 reads 0x8: lock implemented, unlocked");
    hostile_check(osdlr == 0u, "OSDLR_EL1 reads 0");
}

/*
 * IMPLEMENTATION DEFINED registers (Cortex-A57's CPUACTLR, CPUECTLR,
 * L2CTLR, L2ECTLR, L2ACTLR and the rest of the CRn 11 and 15 space), each
 * read, written with its complement, read again. On hardware each access
 * traps (HCR_EL2.TIDCP) and is an undefined instruction for the health
 * monitor, which this system ignores; QEMU 7.2 does not model TIDCP and
 * runs them at EL1 against constants. Either way no write may take effect.
 */
HOSTILE_MODE(impdef_regs, "read and write IMPLEMENTATION DEFINED system registers")
{
    (void)args;
    static const uint16_t regs[][5] = {
        {3, 1, 15, 2, 0}, {3, 1, 15, 2, 1}, {3, 1, 11, 0, 2}, {3, 1, 11, 0, 3},
        {3, 1, 15, 0, 0}, {3, 0, 15, 0, 0}, {3, 0, 11, 0, 0}, {3, 7, 15, 15, 7},
    };
    uint32_t executed = 0, changed = 0;
    vectors_install();
    for (uint32_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        uint32_t e = enc(regs[i][0], regs[i][1], regs[i][2], regs[i][3], regs[i][4]);
        uint64_t before = stub_run(INSN_MRS(e), POISON);
        (void)stub_run(INSN_MSR(e), ~before);
        uint64_t after = stub_run(INSN_MRS(e), POISON);
        executed += before != POISON ? 1u : 0u;
        changed += after != before ? 1u : 0u;
    }
    gprintf("%u of %u reads executed at EL1, %lu EL1 exceptions, %u changed by a write\n",
            executed, (unsigned)(sizeof(regs) / sizeof(regs[0])),
            (unsigned long)hostile_el1_sync.count, changed);
    hostile_check(changed == 0u, "no IMPLEMENTATION DEFINED write took effect");
}

/* ACTLR_EL1: reads 0, ignores writes (HCR_EL2.TACR). */
HOSTILE_MODE(actlr, "read and write ACTLR_EL1")
{
    (void)args;
    uint64_t a = stub_run(INSN_MRS(enc(3, 0, 1, 0, 1)), POISON);
    (void)stub_run(INSN_MSR(enc(3, 0, 1, 0, 1)), ~0ull);
    uint64_t b = stub_run(INSN_MRS(enc(3, 0, 1, 0, 1)), POISON);
    gprintf("ACTLR_EL1 0x%lx, after writing all ones 0x%lx\n", (unsigned long)a,
            (unsigned long)b);
    hostile_check(a == 0u && b == 0u, "ACTLR_EL1 reads 0 and ignores writes");
}

/*
 * Clean and invalidate by set/way (DC ISW, CSW, CISW), over every set and
 * way of the first two cache levels as CCSIDR_EL1 describes them, up to
 * ops operations: each traps (HCR_EL2.TSW) and is a no-op, so the shared
 * caches keep the other partitions' lines.
 */
HOSTILE_MODE(setway, "clean and invalidate the caches by set/way")
{
    uint32_t ops = (uint32_t)bh_arg(args, "ops", 0, 4096);
    static const uint32_t op2crm[] = {6, 10, 14}; /* DC ISW, CSW, CISW */
    uint32_t done = 0;
    vectors_install();
    for (uint32_t level = 0; level < 2u && done < ops; level++) {
        uint64_t ccsidr;
        __asm__ volatile("msr csselr_el1, %1\n\tisb\n\tmrs %0, ccsidr_el1"
                         : "=r"(ccsidr)
                         : "r"((uint64_t)level << 1));
        uint32_t line_shift = (uint32_t)(ccsidr & 7u) + 4u;
        uint32_t ways = (uint32_t)((ccsidr >> 3) & 0x3ffu) + 1u;
        uint32_t sets = (uint32_t)((ccsidr >> 13) & 0x7fffu) + 1u;
        uint32_t way_shift = (uint32_t)__builtin_clz((ways - 1u) | 1u); /* 32 - log2(ways) */
        for (uint32_t w = 0; w < ways && done < ops; w++) {
            for (uint32_t s = 0; s < sets && done < ops; s++) {
                uint64_t sw = ((uint64_t)w << way_shift) | ((uint64_t)s << line_shift) |
                              (level << 1);
                uint32_t crm = op2crm[done % 3u];
                (void)stub_run(0xd5080000u | enc(1, 0, 7, crm, 2), sw);
                done++;
            }
        }
    }
    gprintf("%u set/way operations, %lu EL1 exceptions\n", done,
            (unsigned long)hostile_el1_sync.count);
    hostile_check(done == ops && hostile_el1_sync.count == 0u, "set/way operations completed");
}

/* True for an encoding whose trapped behaviour is a constant (the PMU and
 * debug groups of docs/architecture.md): what any read of it must return. */
static bool expect_constant(uint32_t op0, uint32_t op1, uint32_t crn, uint32_t crm, uint32_t op2,
                            uint64_t *val)
{
    *val = 0;
    if (op0 == 2u && op1 == 0u && crn == 1u && crm == 1u && op2 == 4u) {
        *val = 0x8u; /* OSLSR_EL1 */
        return true;
    }
    return (op0 == 2u && op1 == 0u) || (op0 == 2u && op1 == 3u && crn == 0u) ||
           (op0 == 3u && op1 == 3u && crn == 9u && crm >= 12u) ||
           (op0 == 3u && op1 == 3u && crn == 14u && crm >= 8u) ||
           (op0 == 3u && op1 == 0u && crn == 9u && crm == 14u) ||
           (op0 == 3u && op1 == 0u && crn == 1u && crm == 0u && op2 == 1u);
}

/*
 * Every op0 = 2 (debug) and op0 = 3 encoding whose op1 bootargs op1_mask
 * names (all eight under make hostile: full=1), each read and then written
 * (back with the value read, so the attacker keeps its own state; 0 when
 * the read gave nothing). The hypervisor must survive every one; each
 * PMU or debug register a read reaches must read as its constant.
 */
HOSTILE_MODE(sysreg_fuzz, "read and write every op0 = 2 and op0 = 3 system register encoding")
{
    uint32_t op1_mask = bh_arg(args, "full", 0, 0) != 0u
                            ? 0xffu
                            : (uint32_t)bh_arg(args, "op1_mask", 0, 0xff);
    uint32_t tried = 0, readable = 0, wrong = 0, el1 = 0;
    vectors_install();
    __asm__ volatile("msr daifset, #2" ::: "memory"); /* its own IRQs may be acknowledged */
    for (uint32_t op0 = 2; op0 <= 3u; op0++) {
        for (uint32_t op1 = 0; op1 < 8u; op1++) {
            if ((op1_mask & (1u << op1)) == 0u) {
                continue;
            }
            for (uint32_t r = 0; r < 2048u; r++) {
                uint32_t crn = r >> 7, crm = (r >> 3) & 15u, op2 = r & 7u;
                uint32_t e = enc(op0, op1, crn, crm, op2);
                uint64_t before = hostile_el1_sync.count, want;
                uint64_t v = stub_run(INSN_MRS(e), POISON);
                bool faulted = hostile_el1_sync.count != before;
                if (!faulted && v != POISON) {
                    readable++;
                    if (expect_constant(op0, op1, crn, crm, op2, &want) && v != want) {
                        if (wrong < 8u) {
                            gprintf("S%u_%u_C%u_C%u_%u reads 0x%lx\n", op0, op1, crn, crm, op2,
                                    (unsigned long)v);
                        }
                        wrong++;
                    }
                }
                el1 += faulted ? 1u : 0u;
                (void)stub_run(INSN_MSR(e), (faulted || v == POISON) ? 0u : v);
                tried++;
            }
        }
    }
    gprintf("%u encodings read and written: %u readable, %u undefined at EL1\n", tried, readable,
            el1);
    hostile_check(tried > 0u, "every encoding returned");
    hostile_check(wrong == 0u, "every PMU and debug register read as its constant");
}
