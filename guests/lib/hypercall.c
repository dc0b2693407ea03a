/* Hypercall wrappers: HVC #0xEA1, number in x16, arguments x0..x4. */
#include "guest.h"

int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    register uint64_t x16 __asm__("x16") = nr;
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;

    /* The hypervisor may read guest memory behind the pointers passed, and
     * the guest's view of x1..x4 after the call is not promised. */
    __asm__ volatile("hvc #0xEA1"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
                     :
                     : "memory");
    return (int64_t)x0;
}

int64_t hc_xen_version(uint64_t cmd, uint64_t arg)
{
    return hypercall(HC_XEN_VERSION, cmd, arg, 0, 0, 0);
}

int64_t hc_console_write(uint64_t buf, uint64_t count)
{
    return hypercall(HC_CONSOLE_IO, CONSOLEIO_WRITE, count, buf, 0, 0);
}

int64_t hc_sched_op(uint64_t cmd, uint64_t arg)
{
    return hypercall(HC_SCHED_OP, cmd, arg, 0, 0, 0);
}

int64_t hc_yield(void)
{
    return hc_sched_op(SCHEDOP_YIELD, 0);
}

int64_t hc_block(void)
{
    return hc_sched_op(SCHEDOP_BLOCK, 0);
}

int64_t hc_shutdown(uint32_t reason)
{
    uint32_t r = reason;

    gflush();
    return hc_sched_op(SCHEDOP_SHUTDOWN, (uint64_t)(uintptr_t)&r);
}

static void __attribute__((noreturn)) stop_here(void)
{
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void guest_poweroff(void)
{
    (void)hc_shutdown(SHUTDOWN_POWEROFF);
    stop_here();
}

void guest_crash(void)
{
    (void)hc_shutdown(SHUTDOWN_CRASH);
    stop_here();
}

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return (int64_t)x0;
}
