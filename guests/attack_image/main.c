/*
 * Attack: a peer writes into a restarting partition's reloaded image
 * (LLR-PART-011). The hypervisor writes a partition's RAM on behalf of other
 * partitions: an event sent to it sets PENDING and LINKED in its event word,
 * HEAD and READY in its control block and evtchn_upcall_pending in its
 * vcpu_info. Any such write that lands after the reload has copied that
 * part of the image makes the restarted image differ from the blob.
 * Chosen by its bootargs:
 *   target=1   boots=N: on every boot, first of all, checksums its own image
 *              as loaded (image_fnv), then records it in the shared region
 *              "ledger" (kept across restarts; the first boot's, loaded
 *              before anything ran, is the reference) and says whether it
 *              equals boot 1's. Then it places its event array, control
 *              block, vcpu_info and shared info inside the checksummed
 *              memory, waits until the peer's events have visibly landed
 *              there (taking none of them, so the words stay set), lets
 *              more arrive for dwell_ms, and reboots itself cold. After N
 *              boots it reports and powers off.
 *   (default)  the peer, on the other CPU: sends on its static channel to
 *              the target in a tight loop, counting, until the ledger says
 *              the target is done (or max_s seconds pass).
 * Before the fix, the reload dropped the hypervisor's pointers into the
 * partition's event array and vcpu_info only after copying the image, and
 * the peer's events in between landed in the fresh image.
 */
#include "bulkhead.h"
#include "evtchn.h"

#define LEDGER_GPA 0x50000000ull /* the shared region "ledger" */
#define HC_MEMORY_OP 12u
#define HC_VCPU_OP 24u
#define XENMEM_ADD_TO_PHYSMAP 7u
#define XENMAPSPACE_SHARED_INFO 0u
#define VCPUOP_REGISTER_VCPU_INFO 10u
#define PAGE_WORDS 1024u
/* Pages of .claim: the event array, control block, vcpu_info and shared
 * info first, then padding. The reload zeroes .claim in address order, so
 * the padding after the event pages is time during which, before the fix,
 * a peer's event could land in pages already reloaded. */
#define CLAIM_PAGES 1024u /* 4 MiB */
#define PG_EVENTS 0u
#define PG_CTRL 1u
#define PG_VCPU_INFO 2u
#define PG_SHARED 3u
#define WAIT_US 1000000u

/* Written by the target only; read-only for the peer. */
struct ledger {
    volatile uint32_t boots;     /* boots of the target so far */
    volatile uint32_t differing; /* boots whose image differed from boot 1's */
    volatile uint32_t landed;    /* boots in which the peer's events landed */
    volatile uint32_t done;      /* the target has finished */
    volatile uint64_t first;     /* boot 1's checksum */
};

static struct ledger *const ledger = (struct ledger *)(uintptr_t)LEDGER_GPA;

/* Zeroed by the hypervisor at every cold restart, never by the start code. */
static uint32_t claim[CLAIM_PAGES][PAGE_WORDS] __attribute__((section(".claim"), aligned(4096)));

/* Bounds from guests/lib/guest.ld. */
extern const uint64_t _start[], __bss_start[], __stack_top[], _end[];

/* FNV-1a 64 over the bytes of [from, to), both 8-byte aligned, read a
 * word at a time (the MMU is off: accesses must be aligned). */
static uint64_t fnv_range(uint64_t h, const volatile uint64_t *from, const volatile uint64_t *to)
{
    for (const volatile uint64_t *w = from; w < to; w++) {
        uint64_t v = *w;
        for (uint32_t i = 0; i < 8u; i++) {
            h ^= (v >> (8u * i)) & 0xffu;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

/*
 * Checksum of the image as the hypervisor loads it: the image file's bytes
 * copied to _start, then the memory up to the header's image_size (_end)
 * that it zeroes. Two ranges are left out, both written by the start code
 * (guests/lib/start.S) before main runs, so that no load could be seen in
 * them: .bss, [__bss_start, .stack), which it clears and then stores the
 * entry counter, x0 and x21 into; and .stack, [.stack, __stack_top), which
 * holds main's frame and this function's. The file's bytes end at most 15
 * bytes before __bss_start (the .bss alignment), bytes the load zeroes, so
 * [_start, __bss_start) is the file and that padding. .claim, where the
 * hypervisor's event writes go, is after __stack_top and included.
 */
static uint64_t image_fnv(void)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv_range(h, _start, __bss_start);
    return fnv_range(h, __stack_top, _end);
}

static uint64_t us_to_ticks(uint64_t us)
{
    return timer_freq() / 1000000u * us;
}

/* Event array, control block, vcpu_info and shared info in .claim. */
static bool target_setup(void)
{
    uint64_t gfn_ctrl = (uint64_t)(uintptr_t)claim[PG_CTRL] >> 12;
    uint64_t gfn_events = (uint64_t)(uintptr_t)claim[PG_EVENTS] >> 12;
    struct {
        uint64_t mfn;
        uint32_t offset;
        uint32_t rsvd;
    } vi = {(uint64_t)(uintptr_t)claim[PG_VCPU_INFO] >> 12, 0u, 0u};
    struct {
        uint16_t domid;
        uint16_t size;
        uint32_t space;
        uint64_t idx;
        uint64_t gpfn;
    } xatp = {DOMID_SELF, 0u, XENMAPSPACE_SHARED_INFO, 0u,
              (uint64_t)(uintptr_t)claim[PG_SHARED] >> 12};
    /* vcpu_info before the queues: the first event, kept by the hypervisor
     * since the restart, is linked as soon as the array is there, and its
     * upcall flag is set only then. */
    int64_t rc[4];
    rc[0] = hypercall(HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, (uint64_t)(uintptr_t)&xatp, 0, 0, 0);
    rc[1] = hypercall(HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 0u, (uint64_t)(uintptr_t)&vi, 0, 0);
    rc[2] = evtchn_init_control(gfn_ctrl, 0u, 0u, NULL);
    rc[3] = evtchn_expand_array(gfn_events);
    if (rc[0] != 0 || rc[1] != 0 || rc[2] != 0 || rc[3] != 0) {
        gprintf("not ok - setup: shared info %d, vcpu_info %d, init_control %d, expand_array "
                "%d\n",
                (int)rc[0], (int)rc[1], (int)rc[2], (int)rc[3]);
        return false;
    }
    return true;
}

/* True once an event of port has been linked into the queue and flagged
 * in vcpu_info: every kind of word the hypervisor writes has been written. */
static bool events_landed(uint32_t port)
{
    uint32_t word = __atomic_load_n(&claim[PG_EVENTS][port], __ATOMIC_ACQUIRE);
    uint32_t ready = __atomic_load_n(&claim[PG_CTRL][0], __ATOMIC_ACQUIRE);
    const uint8_t *info = (const uint8_t *)claim[PG_VCPU_INFO];
    uint8_t upcall = __atomic_load_n(&info[0], __ATOMIC_ACQUIRE);
    uint32_t want = EVTCHN_FIFO_PENDING | EVTCHN_FIFO_LINKED;
    return (word & want) == want && ready != 0u && upcall != 0u;
}

static void __attribute__((noreturn)) run_target(const char *args, uint64_t sum)
{
    uint32_t port = (uint32_t)bh_arg(args, "port", 0, 10u);
    uint32_t want = (uint32_t)bh_arg(args, "boots", 0, 30u);
    uint64_t dwell = us_to_ticks(1000u * bh_arg(args, "dwell_ms", 0, 5u));
    uint32_t n = ledger->boots + 1u;
    ledger->boots = n;
    if (n == 1u) {
        ledger->first = sum; /* loaded at boot, before any partition ran */
        gprintf("boot 1: image fnv 0x%016llx\n", (unsigned long long)sum);
    } else if (sum == ledger->first) {
        gprintf("boot %u: image fnv 0x%016llx, as boot 1\n", n, (unsigned long long)sum);
    } else {
        ledger->differing++;
        gprintf("not ok - boot %u: image fnv 0x%016llx differs from boot 1's 0x%016llx\n", n,
                (unsigned long long)sum, (unsigned long long)ledger->first);
    }
    if (!target_setup()) {
        ledger->done = 1u;
        guest_poweroff();
    }
    uint64_t deadline = timer_now() + us_to_ticks(WAIT_US);
    while (!events_landed(port) && timer_now() < deadline) {
    }
    if (events_landed(port)) {
        ledger->landed++;
    } else {
        gprintf("not ok - boot %u: no event of the peer landed within %u ms\n", n, WAIT_US / 1000u);
    }
    delay_ticks(dwell); /* the peer goes on sending: idempotent writes */
    if (n < want) {
        (void)hc_shutdown(SHUTDOWN_REBOOT);
        gputs("not ok - reboot refused\n");
        ledger->done = 1u;
        guest_crash();
    }
    if (ledger->differing == 0u && ledger->landed == n) {
        gprintf("ok - %u boots: each image identical to boot 1's, the peer's events landed "
                "in each\n",
                n);
    } else {
        gprintf("not ok - %u boots: %u images differed from boot 1's, events landed in %u\n", n,
                ledger->differing, ledger->landed);
    }
    ledger->done = 1u;
    guest_poweroff();
}

static void __attribute__((noreturn)) run_peer(const char *args)
{
    uint32_t port = (uint32_t)bh_arg(args, "port", 0, 10u);
    uint64_t second = us_to_ticks(1000000u);
    uint64_t end = timer_now() + second * bh_arg(args, "max_s", 0, 60u);
    uint64_t next_report = timer_now() + second;
    uint64_t sends = 0;
    uint64_t refused = 0;
    gprintf("sending on port %u\n", port);
    while (ledger->done == 0u) {
        for (uint32_t i = 0; i < 256u; i++) {
            refused += (evtchn_send(port) != 0) ? 1u : 0u;
        }
        sends += 256u;
        uint64_t now = timer_now();
        if (now >= next_report) {
            gprintf("%llu sends, target boot %u\n", (unsigned long long)sends, ledger->boots);
            next_report = now + second;
        }
        if (now >= end) {
            gprintf("not ok - target not done after %llu s\n",
                    (unsigned long long)bh_arg(args, "max_s", 0, 60u));
            break;
        }
    }
    gprintf("%llu sends (%llu refused) over %u boots of the target\n", (unsigned long long)sends,
            (unsigned long long)refused, ledger->boots);
    guest_poweroff();
}

int main(void)
{
    /* First, before this program writes any memory but its stack. */
    uint64_t sum = image_fnv();
    const char *args = bh_bootargs();
    if (bh_arg(args, "target", 0, 0) != 0u) {
        run_target(args, sum);
    }
    run_peer(args);
}
