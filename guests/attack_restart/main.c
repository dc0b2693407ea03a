/*
 * Attack: restarts itself as fast as the hypervisor lets it, to take time
 * from the partitions beside it (LLR-PART-011, LLR-PART-012). Chosen by its
 * bootargs:
 *   mode=cold  SCHEDOP_shutdown(reboot) at once on every boot; its image
 *              claims 48 MiB (the BSS below), which every cold restart must
 *              restore. Runs forever. With ports=N it first allocates N - 1
 *              event-channel ports and then sets up its FIFO control block
 *              (init_control, which scans every port for kept events), so
 *              that each restart has N - 1 ports to close (LLR-EVT-036,
 *              LLR-EVT-037); with holes=R it then R times closes the
 *              lowest and the highest port and allocates two again
 *              (LLR-EVT-033).
 *   mode=warm  boots=N: counts its boots in .data (a warm restart keeps
 *              memory), and restarts warm (mode NORMAL, then WARM_START)
 *              until the N-th boot, then powers off.
 * Before each restart it loads x21 with a marker; a reset vCPU starts with
 * x21 = 0, so seeing the marker at entry means the old incarnation's
 * registers leaked into the new one (LLR-ARCH-072). x0 at entry must be the
 * device tree (its magic is checked).
 */
#include "bulkhead.h"
#include "evtchn.h"

#define X21_MARKER 0x0ddba11cafef00dull
#define FDT_MAGIC_BE 0xedfe0dd0u /* 0xd00dfeed read little-endian */
#define CLAIM_BYTES (48u << 20)

/* Zeroed by the hypervisor at every cold restart, not by the program. */
static volatile uint8_t claim[CLAIM_BYTES] __attribute__((section(".claim")));
static volatile uint32_t boots;     /* in .bss: 0 after a cold restart */
static volatile uint32_t warm_boots = 1u; /* in .data: kept by a warm one */
static uint8_t ctrl_page[4096] __attribute__((aligned(4096)));

/* rounds times: close port 1 and port n - 1, then allocate twice. The
 * second allocation is the lowest free port far above the first: a search
 * that walks the ports in use between them costs n steps (LLR-EVT-033). */
static void make_holes(uint32_t n, uint32_t rounds)
{
    uint32_t port = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        if (evtchn_close(1) != 0 || evtchn_close(n - 1u) != 0 ||
            evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) != 0 ||
            evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) != 0 || port != n - 1u) {
            gputs("not ok - hole refilled wrongly\n");
            guest_crash();
        }
    }
}

/* Allocate ports 1 .. n - 1 (unbound, for itself), then init_control. */
static void take_ports(uint32_t n)
{
    uint32_t port = 0;
    for (uint32_t k = 1; k < n; k++) {
        if (evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &port) != 0) {
            gprintf("not ok - port %u refused\n", k);
            guest_crash();
        }
    }
    uint64_t gfn = (uint64_t)(uintptr_t)ctrl_page >> 12;
    if (evtchn_init_control(gfn, 0, 0, NULL) != 0) {
        gputs("not ok - init_control refused\n");
        guest_crash();
    }
}

/* The restart hypercall, issued with x21 = X21_MARKER. */
static int64_t restart_with_marker(uint64_t nr, uint64_t a0, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x16 __asm__("x16") = nr;
    __asm__ volatile("mov x21, %[m]\n\thvc #0xea1"
                     : "+r"(x0), "+r"(x1)
                     : "r"(x16), [m] "r"(X21_MARKER)
                     : "x2", "x3", "x4", "x21", "memory");
    return (int64_t)x0;
}

static void check_entry(void)
{
    if (guest_entry_x21 == X21_MARKER) {
        gputs("not ok - x21 of the old incarnation at entry\n");
    }
    if (guest_dtb == 0u || *(volatile uint32_t *)(uintptr_t)guest_dtb != FDT_MAGIC_BE) {
        gputs("not ok - x0 at entry is not the device tree\n");
    }
}

int main(void)
{
    const char *args = bh_bootargs();
    check_entry();
    claim[boots] = 1u; /* the claim is real memory */
    boots++;
    if (bh_arg(args, "warm", 0, 0) == 0u) {
        static const uint32_t reason = SHUTDOWN_REBOOT;
        uint32_t ports = (uint32_t)bh_arg(args, "ports", 0, 0);
        if (ports != 0u) {
            take_ports(ports);
            make_holes(ports, (uint32_t)bh_arg(args, "holes", 0, 0));
        }
        /* silent: the hypervisor prints each restart */
        (void)restart_with_marker(HC_SCHED_OP, SCHEDOP_SHUTDOWN, (uint64_t)(uintptr_t)&reason);
        gputs("not ok - reboot refused\n");
        guest_crash();
    }
    uint32_t n = warm_boots;
    uint64_t want = bh_arg(args, "boots", 0, 20);
    gprintf("warm boot %u\n", n);
    if (n >= want) {
        gprintf("ok - %u warm boots, entry state clean each time\n", n);
        guest_poweroff();
    }
    warm_boots = n + 1u;
    (void)bh_mode_set(BH_SELF, BH_MODE_NORMAL);
    (void)restart_with_marker(BH_HC_MODE_SET, BH_SELF, BH_MODE_WARM_START);
    gputs("not ok - warm restart refused\n");
    guest_crash();
}
