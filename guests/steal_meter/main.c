/*
 * Does the hypervisor take this partition's CPU inside its windows? The
 * partition spins reading two clocks: the virtual counter (module time) and
 * the PMU cycle counter filtered to count at EL0 and EL1 only (PMCCFILTR_EL0
 * NSH = 0: not at EL2). Time that passes on the counter but not on the
 * cycle counter is time this CPU spent at EL2: an interrupt the hypervisor
 * took while this partition ran. Only steps between two readings inside
 * this partition's window of one frame are counted: the step over the gap
 * between two windows holds the window switch and the other partitions'
 * time, which are not this window's.
 *
 * Under QEMU the cycle counter counts nanoseconds of the virtual clock
 * (1 GHz) and, under -icount, both clocks advance with instructions only
 * (one a nanosecond): the measure does not depend on how QEMU shares the
 * host, or its two CPUs, between them. Their readings agree to a few tens
 * of nanoseconds per window, and the shortest entry to EL2 and back (an
 * interrupt taken and handed on) costs a few hundred instructions, so the
 * check is that no window from frame `from` to frame `until` lost more
 * than slack_ns to EL2. Steps that lost more than ENTRY_NS are counted as
 * entries, for the report.
 *
 * Bootargs (frames are module frame numbers, BH_HC_SCHED_GET's count):
 *   frame=<us>                        the major frame
 *   win=<offset> win=<duration>       this partition's window in it (us)
 *   from=<frame> until=<frame>        the frames measured; power off at until
 *   slack_ns=<ns>                     see above (default 150)
 * The PMU is not switched with the partitions: the partitions sharing this
 * CPU must leave it alone for the figures to hold. Since issue 15 the
 * hypervisor traps the PMU (it reads as zero: a partition must not see
 * counts of the others, LLR-ARCH-080), so this meter finds no cycle
 * counter and says so instead of measuring; a measure of EL2 time that
 * does not need the PMU (the hypervisor's own account, per window) is
 * still to be built.
 * Used by tests/system/cases/attack-ptirq (config/attack-ptirq.dts).
 */
#include "bulkhead.h"

#define MAX_FRAMES 256u
#define ENTRY_NS 200  /* a step losing more than this held an entry to EL2 */
#define PAIR_TICKS 2u /* the most a reading of both clocks may take: 32 ns */
/* The virtual timer, enabled and masked, is kept a few microseconds ahead
 * (as guests/arinc does): it never interrupts, but keeps a QEMU timer
 * deadline near, so that under -icount the two CPUs run in short turns and
 * neither waits long for the other. */
#define POKE_TICKS 125u

/* This partition's window in each frame, in ticks from the frame start. */
struct window {
    uint64_t frame;
    uint64_t start;
    uint64_t end;
};

static uint32_t entries[MAX_FRAMES]; /* entries to EL2 inside the window */
static int64_t lost_ns[MAX_FRAMES];  /* time at EL2 inside the window */
static uint32_t steps[MAX_FRAMES];   /* steps measured inside the window */

static uint64_t cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v));
    return v;
}

/* The cycle counter, 64-bit, counting at EL0 and EL1, never at EL2. */
static void cycles_start(void)
{
    uint64_t pmcr;
    __asm__ volatile("msr pmccfiltr_el0, %0" ::"r"(0ull));
    __asm__ volatile("msr pmcntenset_el0, %0" ::"r"(1ull << 31));
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    __asm__ volatile("msr pmcr_el0, %0\n\tisb" ::"r"(pmcr | 1u | 4u | 64u)); /* E, C, LC */
}

static void poke(uint64_t now)
{
    __asm__ volatile("msr cntv_cval_el0, %0\n\t"
                     "msr cntv_ctl_el0, %1\n\t"
                     "isb" ::"r"(now + 2u * POKE_TICKS),
                     "r"((uint64_t)3u));
}

/*
 * Both clocks: the cycle counter between two readings of the counter (*t is
 * the first). A reading that took longer than PAIR_TICKS had the other CPU's
 * turn (or, without -icount, the host) in the middle, so its two values may
 * not belong together: it returns false, and the steps on either side of it
 * are not counted.
 */
static bool read_clocks(uint64_t *t, uint64_t *c)
{
    *t = timer_now();
    *c = cycles();
    return timer_now() - *t <= PAIR_TICKS;
}

/* Record, per module frame, the entries to EL2 and the time spent there
 * inside this partition's window, until frame `until` begins. */
static void measure(const struct window *w, uint64_t ns_per_tick, uint64_t until)
{
    struct bh_sched_status st;
    (void)bh_sched_get(&st);
    uint64_t t_prev;
    uint64_t c_prev;
    uint64_t f_prev = UINT64_MAX;
    uint64_t poked = 0;
    (void)read_clocks(&t_prev, &c_prev);
    for (;;) { /* ends at frame `until`: the counter only grows */
        uint64_t t;
        uint64_t c;
        bool whole = read_clocks(&t, &c);
        uint64_t f = st.frames + (t - st.frame_start) / w->frame;
        uint64_t off = (t - st.frame_start) % w->frame;
        if (f >= until || f >= MAX_FRAMES) {
            break;
        }
        if (off < w->start || off >= w->end) {
            f = UINT64_MAX; /* outside the window: the next step is not counted */
        } else if (whole && f == f_prev) {
            int64_t lost = (int64_t)((t - t_prev) * ns_per_tick) - (int64_t)(c - c_prev);
            lost_ns[f] += lost;
            entries[f] += lost > ENTRY_NS ? 1u : 0u;
            steps[f]++;
        }
        t_prev = t;
        c_prev = c;
        f_prev = whole ? f : UINT64_MAX;
        if (t - poked >= POKE_TICKS) {
            poke(t);
            poked = t;
        }
    }
    vtimer_stop();
}

int main(void)
{
    const char *args = bh_bootargs();
    uint64_t freq = timer_freq();
    struct window w;
    w.frame = bh_arg(args, "frame", 0, 2000) * freq / 1000000u;
    w.start = bh_arg(args, "win", 0, 0) * freq / 1000000u;
    w.end = w.start + bh_arg(args, "win", 1, 0) * freq / 1000000u;
    uint64_t from = bh_arg(args, "from", 0, 5);
    uint64_t until = bh_arg(args, "until", 0, 100);
    int64_t slack = (int64_t)bh_arg(args, "slack_ns", 0, 150);

    gprintf("args: %s\n", args);
    gflush();
    cycles_start();
    uint64_t pmcr;
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    if (pmcr == 0u) {
        gputs("no cycle counter: the PMU reads as zero (trapped), EL2 time not measured\n");
        test_finish();
    }
    measure(&w, 1000000000u / freq, until);

    uint32_t entries_max = 0;
    uint64_t entries_sum = 0;
    uint32_t steps_min = UINT32_MAX;
    uint32_t hit = 0;
    int64_t lost_max = 0;
    for (uint64_t f = from; f < until && f < MAX_FRAMES; f++) {
        entries_max = entries[f] > entries_max ? entries[f] : entries_max;
        entries_sum += entries[f];
        lost_max = lost_ns[f] > lost_max ? lost_ns[f] : lost_max;
        steps_min = steps[f] < steps_min ? steps[f] : steps_min;
        hit += lost_ns[f] > slack ? 1u : 0u;
    }
    gprintf("frames %lu..%lu: at EL2 inside a window: at most %ld ns\n", (unsigned long)from,
            (unsigned long)(until - 1u), (long)lost_max);
    gprintf("entries to EL2 inside a window: at most %u, %lu in all\n", entries_max,
            (unsigned long)entries_sum);
    checkf(from < until && steps_min > 0u, "every window from frame %lu to %lu measured",
           (unsigned long)from, (unsigned long)(until - 1u));
    checkf(hit == 0u, "no window lost more than %ld ns to the hypervisor (%u did)", (long)slack,
           hit);
    test_finish();
}
