/*
 * Micro-benchmarks, run under QEMU -icount so counter time is virtual time:
 * a null hypercall, a trapped distributor read, and the time from reset to
 * this partition's first instruction.
 */
#include "guest.h"

#define HCALL_ITERS 1000000u
#define GICD_ITERS 100000u

/* The two loops of each pair differ only by the measured instruction. */
static uint64_t time_hcall_loop(uint32_t n)
{
    uint64_t t0 = timer_now();
    uint32_t i;

    for (i = 0; i < n; i++) {
        __asm__ volatile("mov x16, #17\n\t"
                         "mov x0, #0\n\t"
                         "hvc #0xEA1" ::
                             : "x0", "x1", "x2", "x3", "x4", "x16", "memory");
    }
    return timer_now() - t0;
}

static uint64_t time_empty_hcall_loop(uint32_t n)
{
    uint64_t t0 = timer_now();
    uint32_t i;

    for (i = 0; i < n; i++) {
        __asm__ volatile("mov x16, #17\n\t"
                         "mov x0, #0\n\t"
                         "nop" ::
                             : "x0", "x1", "x2", "x3", "x4", "x16", "memory");
    }
    return timer_now() - t0;
}

static uint64_t time_gicd_loop(uint32_t n)
{
    uint64_t t0 = timer_now();
    uint64_t addr = GICD_BASE + GICD_TYPER;
    uint32_t i;

    for (i = 0; i < n; i++) {
        __asm__ volatile("ldr w9, [%0]" : : "r"(addr) : "x9", "memory");
    }
    return timer_now() - t0;
}

static uint64_t time_empty_gicd_loop(uint32_t n)
{
    uint64_t t0 = timer_now();
    uint64_t addr = GICD_BASE + GICD_TYPER;
    uint32_t i;

    for (i = 0; i < n; i++) {
        __asm__ volatile("mov x9, %0" : : "r"(addr) : "x9", "memory");
    }
    return timer_now() - t0;
}

static void report(const char *name, uint64_t with, uint64_t without, uint32_t n)
{
    uint64_t ticks = with > without ? with - without : 0u;

    gprintf("BENCH %s ", name);
    gprint_tenths(ticks_to_ns_tenths(ticks) / n);
    gputs("\n");
}

int main(void)
{
    uint64_t with;
    uint64_t without;

    gprintf("bench: counter at %lu Hz\n", (unsigned long)timer_freq());
    without = time_empty_hcall_loop(HCALL_ITERS);
    with = time_hcall_loop(HCALL_ITERS);
    report("null_hypercall_ns", with, without, HCALL_ITERS);
    without = time_empty_gicd_loop(GICD_ITERS);
    with = time_gicd_loop(GICD_ITERS);
    report("gicd_read_ns", with, without, GICD_ITERS);
    gprintf("BENCH boot_to_first_instruction_ns ");
    gprint_tenths(ticks_to_ns_tenths(guest_start_ticks));
    gputs("\n");
    return 0;
}
