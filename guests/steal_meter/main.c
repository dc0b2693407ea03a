/*
 * Does the hypervisor take this partition's CPU inside its windows? The
 * partition spins reading the virtual counter (module time) to follow its
 * windows, and at the start of each asks the hypervisor for its interrupt
 * account (BH_HC_IRQ_TIME: the physical interrupts taken at EL2 while this
 * vCPU ran, and the ticks they took). The difference between two window
 * starts is what the hypervisor took in the window between them for
 * interrupts: exactly one, the window's end, when no other partition's
 * interrupt reaches this CPU in it. The PMU, which this meter used before,
 * is trapped (issue 15: a partition must not count the others).
 *
 * Bootargs (frames are module frame numbers, BH_HC_SCHED_GET's count):
 *   frame=<us>                        the major frame
 *   win=<offset> win=<duration>       this partition's window in it (us)
 *   from=<frame> until=<frame>        the frames measured; power off at until
 * Used by tests/system/cases/attack-ptirq (config/attack-ptirq.dts).
 */
#include "bulkhead.h"

#define MAX_FRAMES 256u
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

static struct bh_irq_time at_start[MAX_FRAMES]; /* the account as window f began */
static bool seen[MAX_FRAMES];

static void poke(uint64_t now)
{
    __asm__ volatile("msr cntv_cval_el0, %0\n\t"
                     "msr cntv_ctl_el0, %1\n\t"
                     "isb" ::"r"(now + 2u * POKE_TICKS),
                     "r"((uint64_t)3u));
}

/* Read the account at the first reading inside each window, until frame
 * `until` begins. */
static void measure(const struct window *w, uint64_t until)
{
    struct bh_sched_status st;
    (void)bh_sched_get(&st);
    uint64_t f_prev = UINT64_MAX;
    uint64_t poked = 0;
    for (;;) { /* ends at frame `until`: the counter only grows */
        uint64_t t = timer_now();
        uint64_t f = st.frames + (t - st.frame_start) / w->frame;
        uint64_t off = (t - st.frame_start) % w->frame;
        if (f >= until || f >= MAX_FRAMES) {
            break;
        }
        if (off >= w->start && off < w->end && f != f_prev) {
            seen[f] = bh_irq_time(&at_start[f]) == 0;
            f_prev = f;
        }
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

    gprintf("args: %s\n", args);
    gflush();
    measure(&w, until);

    uint32_t measured = 0, extra = 0;
    uint64_t entries_max = 0, ticks_max = 0, entries_sum = 0;
    for (uint64_t f = from; f + 1u < until && f + 1u < MAX_FRAMES; f++) {
        if (!seen[f] || !seen[f + 1u]) {
            continue;
        }
        uint64_t e = at_start[f + 1u].entries - at_start[f].entries;
        uint64_t k = at_start[f + 1u].ticks - at_start[f].ticks;
        measured++;
        entries_sum += e;
        entries_max = e > entries_max ? e : entries_max;
        ticks_max = k > ticks_max ? k : ticks_max;
        extra += e > 1u ? 1u : 0u;
    }
    uint64_t windows = (until > from + 1u) ? until - from - 1u : 0u;
    gprintf("frames %lu..%lu: interrupts at EL2 in a window: at most %lu (%lu in all), "
            "taking at most %lu ns\n",
            (unsigned long)from, (unsigned long)(until - 2u), (unsigned long)entries_max,
            (unsigned long)entries_sum, (unsigned long)(ticks_max * 1000000000u / freq));
    checkf(measured == windows && windows != 0u, "every window from frame %lu to %lu measured",
           (unsigned long)from, (unsigned long)(until - 2u));
    checkf(extra == 0u, "no window had an interrupt but its own end (%u did)", extra);
    test_finish();
}
