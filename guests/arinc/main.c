/*
 * ARINC 653 system-test partition. What it does is chosen by its bootargs
 * (key=value, microseconds):
 *   s0=<frame> w0=<offset>...   its windows in schedule 0 (s1=, w1= for 1)
 *   until=<frame>                stop measuring once this major frame began
 *   bound=<us>                   how late a window may start (default 2)
 *   sys=1 switch=<frame> spin=<id> fault=<id>
 *                                the system partition: switch to schedule 1
 *                                at that frame, then check the HM log of
 *                                partition fault=, and idle partition spin=
 *   eperm=1                      check the system-only calls are refused
 *   spinner=1                    spin forever, never yield (see POKE_TICKS)
 *   from=<frame>                 ignore windows before this frame (default 3:
 *                                the first frames carry everyone's start-up)
 *   bench=1                      print BENCH lines (scripts/bench.sh)
 *   faulter=1 after=<windows>    fault (stage 2) after that many windows,
 *                                on every boot; check the mode it boots in
 * A measuring partition notes the module time at which each of its windows
 * starts and, at the end, checks each against its configured offset.
 */
#include "bulkhead.h"

#define MAX_REC 1100u
#define MAX_WIN 8u
#define NSCHED 2u
#define WILD_ADDR 0x7f000000ull
#define TICKS_PER_US 62u /* 62.5 MHz; exact conversions below use * 125 / 2 */
/* The virtual timer, enabled and masked, is kept a few microseconds ahead
 * while measuring. It never interrupts; it only keeps a QEMU timer deadline
 * near, so that under -icount the other CPU runs in short slices and a jump
 * of the counter really means this partition was not running. */
#define POKE_TICKS 125u

struct rec {
    uint64_t before;
    uint64_t t;
    uint64_t frame_start;
    uint32_t sched;
};

struct plan {
    uint64_t frame;
    uint32_t n;
    uint64_t off[MAX_WIN];
};

static struct rec recs[MAX_REC];
static uint32_t nrec;
static struct plan plans[NSCHED];
static const char *args;
/* In .data: kept by a warm restart, restored by a cold one. */
static volatile uint32_t boots = 1u;

static uint64_t us_to_ticks(uint64_t us)
{
    return us * 125u / 2u;
}

static uint64_t ticks_to_ns(uint64_t t)
{
    return t * 16u;
}

static void read_plans(void)
{
    static const char *const frame_key[NSCHED] = {"s0", "s1"};
    static const char *const win_key[NSCHED] = {"w0", "w1"};

    for (uint32_t s = 0; s < NSCHED; s++) {
        plans[s].frame = us_to_ticks(bh_arg(args, frame_key[s], 0, 0));
        plans[s].n = bh_arg_count(args, win_key[s]);
        plans[s].n = plans[s].n > MAX_WIN ? MAX_WIN : plans[s].n;
        for (uint32_t i = 0; i < plans[s].n; i++) {
            plans[s].off[i] = us_to_ticks(bh_arg(args, win_key[s], i, 0));
        }
    }
}

static void poke(uint64_t now)
{
    __asm__ volatile("msr cntv_cval_el0, %0\n\t"
                     "msr cntv_ctl_el0, %1\n\t"
                     "isb" ::"r"(now + 2u * POKE_TICKS),
                     "r"((uint64_t)3u));
}

/* Like bh_next_window, keeping the QEMU deadline near. */
static uint64_t last_before;

static uint64_t next_window(void)
{
    uint64_t prev = timer_now();
    uint64_t poked = prev;
    uint64_t now;

    poke(prev);
    for (;;) {
        now = timer_now();
        if (now - prev > BH_GAP_TICKS) {
            break;
        }
        if (now - poked >= POKE_TICKS) {
            poke(now);
            poked = now;
        }
        prev = now;
    }
    poke(now);
    last_before = prev;
    return now;
}

/* Record window starts until frame `until` (module count) has begun; run
 * hook at frame `at` once. Returns the frame count reached. */
static uint64_t measure(uint64_t until, uint64_t at, void (*hook)(void))
{
    uint64_t skip_before = bh_arg(args, "from", 0, 3);
    struct bh_sched_status st;
    bool hooked = false;

    (void)bh_sched_get(&st);
    while (st.frames < until && nrec < MAX_REC) {
        uint64_t t = next_window();
        (void)bh_sched_get(&st);
        if (st.frames < skip_before) {
            continue;
        }
        recs[nrec].t = t;
        recs[nrec].before = last_before;
        recs[nrec].frame_start = st.frame_start;
        recs[nrec].sched = st.current;
        nrec++;
        if (!hooked && hook != NULL && st.frames >= at) {
            hooked = true;
            hook();
        }
    }
    return st.frames;
}

/* Index of the configured window rec starts in, or MAX_WIN. */
static uint32_t window_of(const struct rec *r, uint64_t bound, uint64_t *late)
{
    const struct plan *pl = &plans[r->sched < NSCHED ? r->sched : 0u];
    uint64_t off = r->t - r->frame_start;

    if (r->t < r->frame_start) {
        return MAX_WIN;
    }
    for (uint32_t i = 0; i < pl->n; i++) {
        if (off >= pl->off[i] && off - pl->off[i] <= bound) {
            *late = off - pl->off[i];
            return i;
        }
    }
    return MAX_WIN;
}

/* Checks over the records of schedule s. */
static void check_sched(uint32_t s, uint64_t bound)
{
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
    uint32_t count = 0;
    uint32_t matched = 0;
    uint32_t in_order = 0;
    uint32_t prev_win = MAX_WIN;
    uint64_t prev_fs = 0;
    uint64_t frames = 0;
    const struct plan *pl = &plans[s];

    for (uint32_t k = 0; k < nrec; k++) {
        uint64_t late = 0;
        uint32_t w;
        if (recs[k].sched != s) {
            prev_win = MAX_WIN;
            continue;
        }
        count++;
        w = window_of(&recs[k], bound, &late);
        if (w == MAX_WIN) {
            if (count - matched <= 3u) {
                gprintf("window start at %lu, %lu ns into frame %lu, matches no window\n",
                        (unsigned long)recs[k].t,
                        (unsigned long)ticks_to_ns(recs[k].t - recs[k].frame_start),
                        (unsigned long)recs[k].frame_start);
            }
            prev_win = MAX_WIN;
            continue;
        }
        matched++;
        lo = late < lo ? late : lo;
        hi = late > hi ? late : hi;
        if (prev_win != MAX_WIN) {
            bool next_in_frame = (w == prev_win + 1u && recs[k].frame_start == prev_fs);
            bool next_frame = (w == 0u && prev_win == pl->n - 1u &&
                               recs[k].frame_start == prev_fs + pl->frame);
            in_order += (next_in_frame || next_frame) ? 1u : 0u;
            frames += next_frame ? 1u : 0u;
        } else {
            in_order++;
        }
        prev_win = w;
        prev_fs = recs[k].frame_start;
    }
    if (count == 0u) {
        return;
    }
    checkf(matched == count, "schedule %u: %u of %u window starts within %lu ns after their offset",
           s, matched, count, (unsigned long)ticks_to_ns(bound));
    checkf(in_order == count, "schedule %u: windows follow each other, none missed (%lu whole frames)",
           s, (unsigned long)frames);
    gprintf("schedule %u: window start latency %lu..%lu ns, jitter %lu ns\n", s,
            (unsigned long)ticks_to_ns(lo), (unsigned long)ticks_to_ns(hi),
            (unsigned long)ticks_to_ns(hi - lo));
    if (bh_arg(args, "bench", 0, 0) != 0u && s == 0u) {
        uint64_t active = 0;
        for (uint32_t k = 0; k + 1u < nrec; k++) {
            active += recs[k + 1u].before - recs[k].t;
        }
        gprintf("BENCH window_switch_ns %lu\n", (unsigned long)ticks_to_ns(hi));
        gprintf("BENCH window_jitter_ns %lu\n", (unsigned long)ticks_to_ns(hi - lo));
        gprintf("BENCH window_frames %lu\n", (unsigned long)frames);
        gprintf("BENCH partition_ns_per_frame %lu\n",
                (unsigned long)(ticks_to_ns(active) / (nrec > 1u ? (nrec - 1u) : 1u) * pl->n));
    }
    if (bh_arg(args, "min_frames", 0, 0) != 0u && s == 0u) {
        checkf(frames >= bh_arg(args, "min_frames", 0, 0), "schedule 0: at least %lu frames measured",
               (unsigned long)bh_arg(args, "min_frames", 0, 0));
    }
}

static void check_eperm(void)
{
    struct bh_hm_event ev;
    int64_t self = bh_part_id();

    checkf(bh_sched_switch(0) == -XEN_EPERM, "schedule switch refused (-EPERM) outside the system partition");
    checkf(bh_hm_log_read(&ev, 1, 0) == -XEN_EPERM, "HM log read refused (-EPERM) outside the system partition");
    checkf(bh_mode_set(self == 0 ? 1u : 0u, BH_MODE_IDLE) == -XEN_EPERM,
           "setting another partition's mode refused (-EPERM)");
    checkf(bh_mode_get(self == 0 ? 1u : 0u) == -XEN_EPERM, "reading another partition's mode refused (-EPERM)");
}

static void enter_normal(uint32_t expect_mode)
{
    checkf(bh_mode_get(BH_SELF) == (int64_t)expect_mode, "starts in mode %u", expect_mode);
    checkf(bh_mode_set(BH_SELF, BH_MODE_NORMAL) == 0 && bh_mode_get(BH_SELF) == BH_MODE_NORMAL,
           "enters NORMAL mode");
}

static uint64_t switch_requested_at;
static struct bh_sched_status before_switch;

static void do_switch(void)
{
    (void)bh_sched_get(&before_switch);
    switch_requested_at = timer_now();
    gprintf("requesting schedule 1 in frame %lu (schedule %u since %lu)\n",
            (unsigned long)before_switch.frames, before_switch.current,
            (unsigned long)before_switch.last_switch);
    checkf(bh_sched_switch(1) == 0, "schedule switch to 1 accepted");
}

static void check_switch(void)
{
    struct bh_sched_status st;
    uint64_t frame0 = plans[0].frame;
    uint64_t since;

    (void)bh_sched_get(&st);
    since = st.last_switch - before_switch.last_switch;
    checkf(st.current == 1u && st.next == 1u, "schedule 1 in force");
    checkf(st.last_switch > switch_requested_at && st.last_switch - switch_requested_at <= frame0,
           "switch took force at the next frame boundary (%lu ns after the request)",
           (unsigned long)ticks_to_ns(st.last_switch - switch_requested_at));
    checkf(frame0 != 0u && since % frame0 == 0u, "switch time is a schedule 0 frame boundary (frame %lu)",
           (unsigned long)(frame0 != 0u ? since / frame0 : 0u));
    for (uint32_t k = 0; k < nrec; k++) {
        if (recs[k].sched == 1u && recs[k].t < st.last_switch) {
            checkf(false, "no schedule 1 window before the switch");
            return;
        }
        if (recs[k].sched == 0u && recs[k].t >= st.last_switch) {
            checkf(false, "no schedule 0 window after the switch");
            return;
        }
    }
    check(true, "no window of the old schedule after the switch, none of the new before");
}

static void check_hm_log(uint32_t faulter)
{
    static struct bh_hm_event ev[16];
    int64_t n = bh_hm_log_read(ev, 16, 0);
    uint32_t mine = 0;
    bool warm_then_idle = false;
    uint8_t first_action = 0xff;

    checkf(n >= 2, "HM log readable by the system partition (%ld events)", (long)n);
    for (int64_t i = 0; i < n && i < 16; i++) {
        if (ev[i].part != faulter) {
            continue;
        }
        if (mine == 0u) {
            first_action = ev[i].action;
        } else if (mine == 1u) {
            warm_then_idle = first_action == BH_HM_ACT_WARM_RESTART && ev[i].action == BH_HM_ACT_IDLE &&
                             ev[i].error == BH_HM_STAGE2;
        }
        mine++;
    }
    checkf(mine == 2u && warm_then_idle,
           "faulter: two stage-2 violations, first WARM_RESTART then IDLE (restart limit 1)");
    checkf(bh_mode_get(faulter) == BH_MODE_IDLE, "faulter is IDLE");
}

static int run_system(void)
{
    uint32_t spinner = (uint32_t)bh_arg(args, "spin", 0, 0);

    enter_normal(BH_MODE_COLD_START);
    checkf(bh_sched_switch(7) == -XEN_EINVAL, "switch to an unknown schedule refused (-EINVAL)");
    (void)measure(bh_arg(args, "until", 0, 0), bh_arg(args, "switch", 0, 0), do_switch);
    check_sched(0, us_to_ticks(bh_arg(args, "bound", 0, 2)));
    check_sched(1, us_to_ticks(bh_arg(args, "bound", 0, 2)));
    check_switch();
    check_hm_log((uint32_t)bh_arg(args, "fault", 0, 0));
    checkf(bh_mode_set(spinner, BH_MODE_IDLE) == 0 && bh_mode_get(spinner) == BH_MODE_IDLE,
           "system partition idles the spinner");
    return (int)test_summary();
}

static int run_faulter(void)
{
    uint32_t n = (uint32_t)bh_arg(args, "after", 0, 10);

    gprintf("boot %u\n", boots);
    enter_normal(boots == 1u ? BH_MODE_COLD_START : BH_MODE_WARM_START);
    for (uint32_t i = 0; i < n; i++) {
        (void)next_window();
    }
    boots++;
    (void)test_summary();
    gputs("faulting\n");
    mmio_write32(WILD_ADDR, 0xdeadbeefu);
    gputs("not ok - survived the fault\n");
    return 1;
}

static void dump(void);

static int run_probe(void)
{
    enter_normal(BH_MODE_COLD_START);
    if (bh_arg(args, "eperm", 0, 0) != 0u) {
        check_eperm();
    }
    (void)measure(bh_arg(args, "until", 0, 0), 0, NULL);
    if (bh_arg(args, "dump", 0, 0) != 0u) {
        dump();
    }
    check_sched(0, us_to_ticks(bh_arg(args, "bound", 0, 2)));
    check_sched(1, us_to_ticks(bh_arg(args, "bound", 0, 2)));
    return (int)test_summary();
}

static void dump(void)
{
    for (uint32_t k = 0; k < nrec && k < 40u; k++) {
        gprintf("rec %u: s%u fs %lu before +%lu t +%lu\n", k, recs[k].sched, (unsigned long)recs[k].frame_start,
                (unsigned long)(recs[k].before - recs[k].frame_start), (unsigned long)(recs[k].t - recs[k].frame_start));
    }
    for (uint32_t k = 0; k < nrec; k++) {
        if (recs[k].sched == 1u) {
            for (uint32_t j = k; j < nrec && j < k + 20u; j++) {
                gprintf("rec %u: s%u fs %lu before +%lu t +%lu\n", j, recs[j].sched, (unsigned long)recs[j].frame_start,
                        (unsigned long)(recs[j].before - recs[j].frame_start), (unsigned long)(recs[j].t - recs[j].frame_start));
            }
            break;
        }
    }
}

int main(void)
{
    args = bh_bootargs();
    gprintf("args: %s\n", args);
    read_plans();
    if (bh_arg(args, "spinner", 0, 0) != 0u) {
        gputs("spinning forever\n");
        for (;;) {
            (void)next_window(); /* never returns to the hypervisor */
        }
    }
    if (bh_arg(args, "faulter", 0, 0) != 0u) {
        return run_faulter();
    }
    if (bh_arg(args, "sys", 0, 0) != 0u) {
        return run_system();
    }
    return run_probe();
}
