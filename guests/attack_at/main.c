/*
 * Attack: a stage-1 table descriptor pointing into a pass-through page that
 * answers with a bus error (on QEMU virt, the unassigned page after the
 * virtio-mmio transports, passed through with them), then hypercalls whose
 * buffers lie under that descriptor. The hypervisor walks the guest's
 * stage-1 tables to find the buffers; the walk must fail as -EFAULT for this
 * partition alone, never as a fault of the hypervisor (LLR-ARCH-070).
 * Linked at 0x48000000: the owner of a pass-through range is mapped 1:1.
 */
#include "guest.h"

#define HOLE_PA 0x0a004000ull /* unassigned: reads answer with a bus error */
#define UNDER_HOLE_VA 0xc0000000ull /* level-1 entry 3 -> table at HOLE_PA */

#define DESC_BLOCK 0x1ull
#define DESC_TABLE 0x3ull
#define DESC_AF (1ull << 10)
#define DESC_SH_INNER (3ull << 8)
#define DESC_ATTR(i) ((uint64_t)(i) << 2)

static uint64_t level1[512] __attribute__((aligned(4096)));

/* Identity map of the first 2 GiB (device below 1 GiB, RAM above), and the
 * descriptor into the hole; MMU on. */
static void mmu_on_with_hole(void)
{
    level1[0] = 0x00000000ull | DESC_BLOCK | DESC_AF | DESC_ATTR(0);
    level1[1] = 0x40000000ull | DESC_BLOCK | DESC_AF | DESC_SH_INNER | DESC_ATTR(1);
    level1[3] = HOLE_PA | DESC_TABLE;
    uint64_t mair = 0x00ull | (0xffull << 8);        /* 0: Device-nGnRnE, 1: Normal WB */
    uint64_t tcr = 32ull | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) |
                   (2ull << 32);                     /* T0SZ 32, WB, inner, EPD1, 40-bit IPS */
    uint64_t sctlr;
    __asm__ volatile("msr mair_el1, %0" : : "r"(mair));
    __asm__ volatile("msr tcr_el1, %0" : : "r"(tcr));
    __asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)level1));
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb" : : : "memory");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr | 1u) : "memory");
}

static void mmu_off(void)
{
    uint64_t sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    __asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr & ~1ull) : "memory");
}

int main(void)
{
    gputs("stage-1 table descriptor into a bus-error page; hypercalls under it\n");
    gflush();
    mmu_on_with_hole();
    int64_t rd = 0;
    int64_t wr = 0;
    for (unsigned i = 0; i < 100u; i++) { /* AT S1E1R, then S1E1W */
        rd = hc_console_write(UNDER_HOLE_VA + 16u * i, 8);
        wr = hc_xen_version(XENVER_EXTRAVERSION, UNDER_HOLE_VA + 16u * i);
    }
    mmu_off();
    gprintf("read buffer: %ld, write buffer: %ld (-14 is -EFAULT)\n", (long)rd, (long)wr);
    if (rd == -XEN_EFAULT && wr == -XEN_EFAULT) {
        gputs("ok - refused, still running\n");
    }
    guest_poweroff();
}
