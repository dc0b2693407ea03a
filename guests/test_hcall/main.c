/*
 * Every success and error path of the hypercall interface, the PSCI conduit
 * (HVC #0), then an HVC with the wrong immediate, which must stop this
 * partition.
 * Verifies: LLR-HC-001 .. LLR-HC-008, LLR-ARCH-041 (with tests/system/cases/hcall).
 * Assumes the configuration gives 16 MiB of RAM at 0x40000000.
 */
#include "guest.h"

#define RAM_END 0x41000000ull

static const uint64_t bad_ptrs[] = {0x0ull, 0x3FFFFFF0ull, RAM_END, 0xFFFFFFFFFFFFFFF0ull};

static volatile bool timer_fired;

static void on_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

static void test_xen_version(void)
{
    char extra[XENVER_EXTRAVERSION_LEN];
    struct xen_feature_info fi = {0, 0xFFFFFFFFu};
    int64_t rc;
    size_t i;
    bool terminated = false;

    check(hc_xen_version(XENVER_VERSION, 0) == ((4 << 16) | 17), "xen_version is 4.17");
    memset(extra, 0x5A, sizeof(extra));
    rc = hc_xen_version(XENVER_EXTRAVERSION, (uint64_t)(uintptr_t)extra);
    for (i = 0; i < sizeof(extra); i++) {
        terminated = terminated || extra[i] == '\0';
    }
    check(rc == 0 && terminated, "extraversion written and NUL-terminated");
    for (i = 0; i < sizeof(bad_ptrs) / sizeof(bad_ptrs[0]); i++) {
        checkf(hc_xen_version(XENVER_EXTRAVERSION, bad_ptrs[i]) == -XEN_EFAULT,
               "extraversion to 0x%lx is -EFAULT", (unsigned long)bad_ptrs[i]);
    }
    check(hc_xen_version(XENVER_EXTRAVERSION, RAM_END - 8u) == -XEN_EFAULT,
          "extraversion straddling the RAM end is -EFAULT");
    rc = hc_xen_version(XENVER_GET_FEATURES, (uint64_t)(uintptr_t)&fi);
    check(rc == 0 && fi.submap != 0xFFFFFFFFu, "get_features submap 0 succeeds");
    fi.submap_idx = 1;
    check(hc_xen_version(XENVER_GET_FEATURES, (uint64_t)(uintptr_t)&fi) == -XEN_EINVAL,
          "get_features submap 1 is -EINVAL");
    check(hc_xen_version(XENVER_GET_FEATURES, RAM_END) == -XEN_EFAULT,
          "get_features to a bad pointer is -EFAULT");
    check(hc_xen_version(2, (uint64_t)(uintptr_t)extra) == -XEN_ENOSYS,
          "xen_version sub-op 2 is -ENOSYS");
    check(hc_xen_version(99, 0) == -XEN_ENOSYS, "xen_version sub-op 99 is -ENOSYS");
}

static void test_console_io(void)
{
    static const char msg[] = "console_io write reached the console\n";
    static char long_line[3000];

    for (uint32_t i = 0; i < sizeof(long_line); i++) {
        long_line[i] = (i % 120u == 119u) ? '\n' : (char)('a' + (char)(i % 26u));
    }
    int64_t rc;

    gflush();
    rc = hc_console_write((uint64_t)(uintptr_t)msg, sizeof(msg) - 1u);
    check(rc == 0, "console write returns 0");
    check(hc_console_write((uint64_t)(uintptr_t)long_line, sizeof(long_line)) == 0,
          "a 3000-byte console write is continued to the end and returns 0");
    check(hc_console_write(RAM_END - 8u, 16) == -XEN_EFAULT,
          "console write straddling the RAM end is -EFAULT");
    check(hc_console_write(0x0, 4) == -XEN_EFAULT, "console write from 0x0 is -EFAULT");
    check(hypercall(HC_CONSOLE_IO, CONSOLEIO_READ, 0, 0, 0, 0) == 0, "console read returns 0");
    check(hypercall(HC_CONSOLE_IO, 7, 0, 0, 0, 0) == -XEN_ENOSYS, "console_io sub-op 7 is -ENOSYS");
}

static void test_unknown_numbers(void)
{
    static const uint64_t numbers[] = {0, 99, 1000};
    size_t i;

    for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        checkf(hypercall(numbers[i], 0, 0, 0, 0, 0) == -XEN_ENOSYS, "hypercall %lu is -ENOSYS",
               (unsigned long)numbers[i]);
    }
}

static void test_sched_op(void)
{
    uint32_t bad_reason = 9;
    int64_t rc;
    uint32_t i;

    check(hc_yield() == 0, "yield returns 0");
    gic_init();
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    vtimer_arm_at(timer_now() + timer_freq() / 100u);
    rc = hc_block();
    for (i = 0; i < 100u && !timer_fired; i++) {
        irq_wait();
    }
    check(rc == 0 && timer_fired, "block returns 0 and the timer interrupt arrives");
    check(hc_sched_op(99, 0) == -XEN_ENOSYS, "sched_op sub-op 99 is -ENOSYS");
    check(hc_sched_op(SCHEDOP_SHUTDOWN, 0) == -XEN_EFAULT, "shutdown with pointer 0 is -EFAULT");
    check(hc_sched_op(SCHEDOP_SHUTDOWN, RAM_END - 2u) == -XEN_EFAULT,
          "shutdown with a pointer straddling the RAM end is -EFAULT");
    check(hc_sched_op(SCHEDOP_SHUTDOWN, (uint64_t)(uintptr_t)&bad_reason) == -XEN_EINVAL,
          "shutdown reason 9 is -EINVAL");
}

/* The emulated PL011 (SBSA subset) at Xen's GUEST_PL011_BASE: a line written
 * byte by byte through UARTDR reaches the console with this partition's
 * prefix, and UARTFR says the transmitter is empty. */
#define VPL011_BASE 0x22000000ull
#define VPL011_FR 0x18u
#define VPL011_FR_TXFE (1u << 7)

static void test_vpl011(void)
{
    static const char line[] = "written through the emulated PL011\n";

    gflush();
    for (uint32_t i = 0; i + 1u < sizeof(line); i++) {
        mmio_write8(VPL011_BASE, (uint8_t)line[i]);
    }
    check((mmio_read32(VPL011_BASE + VPL011_FR) & VPL011_FR_TXFE) != 0u,
          "PL011 flag register reports the transmitter empty");
}


/* Verifies: LLR-PSCI-001, LLR-PSCI-002, LLR-PSCI-003, LLR-PSCI-004, LLR-ARCH-041 */
static void test_psci(void)
{
    check(psci_call(0x84000000u, 0, 0, 0) == 0x10000, "PSCI_VERSION is 1.0");
    check(psci_call(0x80000000u, 0, 0, 0) == 0x10001, "SMCCC_VERSION is 1.1");
    check(psci_call(0x8400000Au, 0xC4000003u, 0, 0) == 0, "PSCI_FEATURES(CPU_ON) is 0");
    check(psci_call(0x80000001u, 0x80008000u, 0, 0) == -1, "SMCCC_ARCH_FEATURES(WORKAROUND_1) not supported");
    check(psci_call(0x84000001u, 0, 0, 0) == -1, "CPU_SUSPEND not supported");
    check(psci_call(0xC4000004u, 0, 0, 0) == 0, "AFFINITY_INFO of vCPU 0 is ON");
    check(psci_call(0xC4000003u, 0, 0x40000000u, 0) == -4, "CPU_ON of vCPU 0 is ALREADY_ON");
    check(psci_call(0xC4000003u, 1, 0x40000000u, 0) == -2, "CPU_ON of a missing vCPU is INVALID_PARAMETERS");
}

int main(void)
{
    test_vpl011();
    test_xen_version();
    test_console_io();
    test_unknown_numbers();
    test_sched_op();
    test_psci();
    (void)test_summary();
    gputs("now issuing hvc #1\n");
    gflush();
    __asm__ volatile("hvc #1" ::: "memory");
    gputs("not ok - survived hvc #1\n");
    guest_crash();
}
