/*
 * Attack: a two-vCPU partition tries to outlive the health monitor's IDLE
 * action (LLR-PART-010). Chosen by its bootargs:
 *   role=esc   vCPU 0 starts vCPU 1 (PSCI CPU_ON), which loops on its
 *              virtual timer (WFI) counting beats in the shared region
 *              "beat"; once vCPU 1 beats, vCPU 0 writes outside its RAM: a
 *              stage-2 fault, whose action is IDLE.
 *   role=sys   the system partition, rounds=N: N times, waits until esc is
 *              IDLE, checks for 3 ms that its beat count no longer moves
 *              (a vCPU of a stopped partition never runs), then restarts it
 *              (COLD_START from IDLE).
 * Before the fix, vCPU 1's own CPU could overwrite the OFF that vCPU 0's
 * fault stored (an unlocked read-modify-write), and vCPU 1 ran on.
 */
#include "bulkhead.h"

#define BEAT_GPA 0x50000000ull /* the shared region "beat" */
#define WILD_ADDR 0x7f000000ull
#define ESC_ID 1u
#define TIMER_PPI 27u
#define GICR_WAKER_SLEEP 2u
#define GICR_WAKER_CHILDREN 4u
#define PSCI_CPU_ON64 0xC4000003ull
#define BEAT_PERIOD_US 2u
#define QUIET_US 3000u
#define WAIT_LIMIT_US 2000000u

/* beat[0]: vCPU 1's beats; beat[1]: incarnations of esc (its vCPU 0). */
static volatile uint64_t *const beat = (volatile uint64_t *)(uintptr_t)BEAT_GPA;
/* Used by esc_vcpu1_entry (assembly), hence not static. */
uint8_t vcpu1_stack[4096] __attribute__((aligned(16)));

void esc_vcpu1_main(void);

/* vCPU 1's entry: its own stack, then C. */
__asm__(".text\n"
        ".globl esc_vcpu1_entry\n"
        "esc_vcpu1_entry:\n"
        "    adrp x1, vcpu1_stack\n"
        "    add  x1, x1, :lo12:vcpu1_stack\n"
        "    add  x1, x1, #4096\n"
        "    mov  sp, x1\n"
        "    b    esc_vcpu1_main\n");
void esc_vcpu1_entry(void);

/* vCPU 1: its redistributor awake, the timer PPI enabled, then beat on
 * every timer expiry, taken from the GIC by hand (interrupts stay masked:
 * WFI wakes on a pending one regardless). */
void esc_vcpu1_main(void)
{
    uint64_t rd = GICR_BASE + GICR_STRIDE;
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    mmio_write32(rd + GICR_SGI_OFFSET + GICR_IGROUPR0, 0xFFFFFFFFu);
    mmio_write8(rd + GICR_SGI_OFFSET + GICR_IPRIORITYR + TIMER_PPI, 0x80u);
    mmio_write32(rd + GICR_SGI_OFFSET + GICR_ISENABLER0, 1u << TIMER_PPI);
    __asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xFFull));  /* ICC_PMR_EL1 */
    __asm__ volatile("msr S3_0_C12_C12_7, %0" : : "r"(1ull));   /* ICC_IGRPEN1_EL1 */
    __asm__ volatile("isb");
    uint64_t period = timer_freq() / 1000000u * BEAT_PERIOD_US;
    for (;;) {
        vtimer_arm_at(timer_now() + period);
        __asm__ volatile("wfi");
        uint64_t iar;
        __asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
        vtimer_stop();
        if ((iar & 0xFFFFFFu) < 1020u) {
            __asm__ volatile("msr S3_0_C12_C12_1, %0" : : "r"(iar)); /* ICC_EOIR1_EL1 */
        }
        beat[0] = beat[0] + 1u;
    }
}

static void run_esc(void) __attribute__((noreturn));
static void run_esc(void)
{
    beat[1] = beat[1] + 1u;
    uint64_t start = beat[0];
    (void)psci_call(PSCI_CPU_ON64, 1u, (uint64_t)(uintptr_t)esc_vcpu1_entry, 0u);
    uint64_t deadline = timer_now() + timer_freq() / 1000000u * WAIT_LIMIT_US;
    /* Let vCPU 1 beat a little; vary the moment from boot to boot. */
    uint64_t want = start + 2u + (beat[1] % 3u);
    while (beat[0] < want && timer_now() < deadline) {
    }
    delay_ticks(timer_now() & 0x3FFu);
    mmio_write32(WILD_ADDR, 0xdeadu); /* stage-2 fault: IDLE */
    gputs("not ok - survived the wild write\n");
    guest_crash();
}

static bool wait_idle(void)
{
    uint64_t deadline = timer_now() + timer_freq() / 1000000u * WAIT_LIMIT_US;
    while (timer_now() < deadline) {
        if (bh_mode_get(ESC_ID) == BH_MODE_IDLE) {
            return true;
        }
    }
    return false;
}

static void run_sys(const char *args) __attribute__((noreturn));
static void run_sys(const char *args)
{
    uint64_t rounds = bh_arg(args, "rounds", 0, 50);
    uint32_t escapes = 0;
    uint64_t r;
    for (r = 1; r <= rounds; r++) {
        if (!wait_idle()) {
            gprintf("not ok - esc not IDLE in round %lu\n", (unsigned long)r);
            break;
        }
        uint64_t before = beat[0];
        delay_ticks(timer_freq() / 1000000u * QUIET_US);
        if (beat[0] != before) {
            escapes++;
            gprintf("not ok - round %lu: vCPU 1 of esc ran after IDLE (%lu beats)\n",
                    (unsigned long)r, (unsigned long)(beat[0] - before));
        }
        if (r < rounds && bh_mode_set(ESC_ID, BH_MODE_COLD_START) != 0) {
            gprintf("not ok - restart of esc refused in round %lu\n", (unsigned long)r);
            break;
        }
    }
    if (r > rounds && escapes == 0u) {
        gprintf("ok - %lu rounds (%lu boots of esc, %lu beats): no vCPU ran after IDLE\n",
                (unsigned long)rounds, (unsigned long)beat[1], (unsigned long)beat[0]);
    }
    guest_poweroff();
}

int main(void)
{
    const char *args = bh_bootargs();
    if (bh_arg(args, "sys", 0, 0) != 0u) {
        run_sys(args);
    }
    run_esc();
}
