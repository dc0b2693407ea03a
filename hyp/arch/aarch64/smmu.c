/*
 * The SMMUv3 (QEMU virt with iommu=smmuv3), owned by the hypervisor and
 * programmed only when the configuration assigns StreamIDs (hyp/core/dma.c).
 *
 * Stage 1 only, as QEMU 7.2's model translates: a linear stream table of
 * PLAT_SMMU_SIDS entries, each valid; an assigned StreamID translates with
 * the context descriptor of its owner (one per DMA-owning partition), every
 * other one aborts (STE.Config 0b000). A context's tables map device
 * address = guest-physical to the partition's RAM and shared regions, 4 KiB
 * granule, 39-bit input from level 1, 2 MiB blocks where both sides are
 * aligned: the geometry of the CPU's stage 2 (mmu.c), so the boot check's
 * count (cfg_s2_tables) bounds them. Everything is static; every wait for
 * the SMMU is bounded. Faults are recorded (CD.R) and drained from the
 * event queue on its interrupt (smmu_irq).
 * Implements: LLR-ARCH-110 .. LLR-ARCH-113
 */
#include "arch.h"
#include "arch_if.h"
#include "console.h"
#include "dma.h"
#include "part.h"
#include "sysreg.h"
#include "util.h"

#define R(off) (PLAT_SMMU_BASE + (uint64_t)(off))
#define SMMU_IDR0 0x0u
#define SMMU_CR0 0x20u
#define SMMU_CR0ACK 0x24u
#define SMMU_CR1 0x28u
#define SMMU_CR2 0x2cu
#define SMMU_IRQ_CTRL 0x50u
#define SMMU_IRQ_CTRLACK 0x54u
#define SMMU_GERROR 0x60u
#define SMMU_GERRORN 0x64u
#define SMMU_STRTAB_BASE 0x80u
#define SMMU_STRTAB_BASE_CFG 0x88u
#define SMMU_CMDQ_BASE 0x90u
#define SMMU_CMDQ_PROD 0x98u
#define SMMU_CMDQ_CONS 0x9cu
#define SMMU_EVENTQ_BASE 0xa0u
#define SMMU_EVENTQ_PROD 0x100a8u /* page 1 */
#define SMMU_EVENTQ_CONS 0x100acu

#define CR0_SMMUEN 1u
#define CR0_EVENTQEN 4u
#define CR0_CMDQEN 8u
#define IRQ_GERROR 1u
#define IRQ_EVENTQ 4u
#define IDR0_S1P 2u
/* Queues and tables write-back cacheable, inner shareable. */
#define CR1_VALUE 0xd75u
#define CR2_RECINVSID 2u

#define Q_LOG2 5u /* 32 entries in each queue */
#define Q_ENTRIES 32u /* 1 << Q_LOG2 */
#define Q_IDX(v) ((v) & (Q_ENTRIES - 1u))
#define Q_WRAP_IDX(v) ((v) & (2u * Q_ENTRIES - 1u))
#define Q_OVF 0x80000000u

#define CMD_CFGI_ALL 0x04u
#define CMD_TLBI_NH_ALL 0x10u
#define CMD_TLBI_NSNH_ALL 0x30u
#define CMD_SYNC 0x46u

#define STE_V 1ULL
#define STE_CFG_S1 (5ULL << 1)
#define CD_V (1ULL << 31)
#define CD_EPD1 (1ULL << 30)
#define CD_T0SZ 25ULL
#define CD_TCR0 ((1ULL << 8) | (1ULL << 10) | (3ULL << 12)) /* WB-WA, inner shareable, 4K */
#define CD_IPS_40 (2ULL << 32)
#define CD_AA64 (1ULL << 41)
#define CD_R (1ULL << 45)
#define CD_A (1ULL << 46)
#define CD_MAIR 0xffULL /* attr0: normal write-back */

#define PAGE 4096ULL
#define BLOCK_L2 (2ULL << 20)
#define ENTRIES 512u
#define D_VALID 1ULL
#define D_TABLE 3ULL
#define D_BLOCK 1ULL
#define D_ADDR_MASK 0x0000fffffffff000ULL
/* Leaf: AttrIndx 0, AP[2:1] 0b01 (read-write) or 0b11 (read-only),
 * inner shareable, access flag, never executable. */
#define LEAF_RW ((1ULL << 6) | (3ULL << 8) | (1ULL << 10) | (3ULL << 53))
#define LEAF_RO (LEAF_RW | (1ULL << 7))

/* Bound of every wait for the SMMU (register reads). */
#define SMMU_POLL_LIMIT 100000u

struct smmu_page {
    uint64_t e[ENTRIES];
};

static uint64_t smmu_strtab[PLAT_SMMU_SIDS][8]
    __attribute__((aligned(PLAT_SMMU_SIDS * 64u), section(".noinit")));
static uint64_t smmu_cd[BH_MAX_PARTS][8] __attribute__((aligned(64)));
static uint64_t smmu_cmdq[Q_ENTRIES][2] __attribute__((aligned(Q_ENTRIES * 16u)));
static uint64_t smmu_evtq[Q_ENTRIES][4] __attribute__((aligned(Q_ENTRIES * 32u)));
static uint32_t smmu_pool_used;
static uint64_t smmu_root[BH_MAX_PARTS];
static uint32_t smmu_cmd_prod;
static bool smmu_on;

static uint64_t smmu_pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void smmu_write64(uint32_t off, uint64_t v)
{
    mmio_write32(R(off), (uint32_t)v);
    mmio_write32(R(off) + 4u, (uint32_t)(v >> 32));
}

/* Wait until (reg & mask) == want; false when the bound ran out. */
static bool smmu_wait(uint32_t off, uint32_t mask, uint32_t want)
{
    for (uint32_t i = 0; i < SMMU_POLL_LIMIT; i++) {
        if ((mmio_read32(R(off)) & mask) == want) {
            return true;
        }
    }
    return false;
}

static bool smmu_cr0(uint32_t v)
{
    mmio_write32(R(SMMU_CR0), v);
    return smmu_wait(SMMU_CR0ACK, 0xfu, v);
}

/* Queue one command and let the SMMU consume the queue up to it; false
 * when it did not within the bound or reported a command error.
 * Implements: LLR-ARCH-111 */
static bool smmu_cmd(uint64_t w0, uint64_t w1)
{
    uint32_t i = Q_IDX(smmu_cmd_prod);
    smmu_cmdq[i][0] = w0;
    smmu_cmdq[i][1] = w1;
    dsb_sy();
    smmu_cmd_prod = Q_WRAP_IDX(smmu_cmd_prod + 1u);
    mmio_write32(R(SMMU_CMDQ_PROD), smmu_cmd_prod);
    if (!smmu_wait(SMMU_CMDQ_CONS, 2u * Q_ENTRIES - 1u, smmu_cmd_prod)) {
        return false;
    }
    return (mmio_read32(R(SMMU_CMDQ_CONS)) & 0x7f000000u) == 0u;
}

/* A zeroed page from the static pool, or NULL when it is used up. */
static struct smmu_page *smmu_alloc(void)
{
    static struct smmu_page pool[PLAT_SMMU_TABLE_PAGES]
        __attribute__((aligned(4096), section(".noinit")));
    if (smmu_pool_used >= PLAT_SMMU_TABLE_PAGES) {
        return NULL;
    }
    struct smmu_page *pg = &pool[smmu_pool_used];
    smmu_pool_used++;
    bh_memset(pg, 0, sizeof(*pg));
    return pg;
}

/* The next-level table of entry *e: followed, made for an invalid entry,
 * NULL for a block (an overlap) or an exhausted pool. */
static struct smmu_page *smmu_next(uint64_t *e)
{
    if ((*e & D_TABLE) == D_TABLE) {
        return (struct smmu_page *)arch_pa_to_ptr(*e & D_ADDR_MASK);
    }
    if ((*e & D_VALID) != 0u) {
        return NULL;
    }
    struct smmu_page *n = smmu_alloc();
    if (n != NULL) {
        *e = smmu_pa(n) | D_TABLE;
    }
    return n;
}

/* Implements: LLR-ARCH-110 */
int arch_dma_init(void)
{
    if ((mmio_read32(R(SMMU_IDR0)) & IDR0_S1P) == 0u || !smmu_cr0(0u)) {
        return -1;
    }
    bh_memset(smmu_strtab, 0, sizeof(smmu_strtab));
    for (uint32_t s = 0; s < PLAT_SMMU_SIDS; s++) {
        smmu_strtab[s][0] = STE_V; /* Config 0b000: abort, no event */
    }
    bh_memset(smmu_cd, 0, sizeof(smmu_cd));
    bh_memset(smmu_cmdq, 0, sizeof(smmu_cmdq));
    bh_memset(smmu_evtq, 0, sizeof(smmu_evtq));
    smmu_pool_used = 0u;
    smmu_cmd_prod = 0u;
    for (uint32_t p = 0; p < BH_MAX_PARTS; p++) {
        smmu_root[p] = 0u;
    }
    dsb_sy();
    mmio_write32(R(SMMU_CR1), CR1_VALUE);
    mmio_write32(R(SMMU_CR2), CR2_RECINVSID);
    smmu_write64(SMMU_STRTAB_BASE, smmu_pa(smmu_strtab));
    mmio_write32(R(SMMU_STRTAB_BASE_CFG), 12u); /* linear, 2^12 entries */
    _Static_assert(PLAT_SMMU_SIDS == 4096u, "stream table size");
    smmu_write64(SMMU_CMDQ_BASE, smmu_pa(smmu_cmdq) | Q_LOG2);
    mmio_write32(R(SMMU_CMDQ_PROD), 0u);
    mmio_write32(R(SMMU_CMDQ_CONS), 0u);
    smmu_write64(SMMU_EVENTQ_BASE, smmu_pa(smmu_evtq) | Q_LOG2);
    mmio_write32(R(SMMU_EVENTQ_PROD), 0u);
    mmio_write32(R(SMMU_EVENTQ_CONS), 0u);
    return smmu_cr0(CR0_CMDQEN) ? 0 : -1;
}

/* Implements: LLR-ARCH-112 */
int arch_dma_map(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size, bool read_only)
{
    uint64_t leaf = read_only ? LEAF_RO : LEAF_RW;
    if (smmu_root[p->id] == 0u) {
        struct smmu_page *r = smmu_alloc();
        if (r == NULL) {
            return -1;
        }
        smmu_root[p->id] = smmu_pa(r);
    }
    struct smmu_page *l1 = (struct smmu_page *)arch_pa_to_ptr(smmu_root[p->id]);
    uint64_t off = 0;
    /* Bounded: at most size / 4 KiB iterations. */
    while (off < size) {
        uint64_t a = gpa + off;
        bool block = (a % BLOCK_L2 == 0u) && ((pa + off) % BLOCK_L2 == 0u) && (size - off >= BLOCK_L2);
        struct smmu_page *l2 = smmu_next(&l1->e[(a >> 30) & 511u]);
        if (l2 == NULL) {
            return -1;
        }
        uint64_t *e = &l2->e[(a >> 21) & 511u];
        if (!block) {
            struct smmu_page *l3 = smmu_next(e);
            if (l3 == NULL) {
                return -1;
            }
            e = &l3->e[(a >> 12) & 511u];
        }
        if ((*e & D_VALID) != 0u) {
            return -1;
        }
        *e = (pa + off) | leaf | (block ? D_BLOCK : D_TABLE);
        off += block ? BLOCK_L2 : PAGE;
    }
    dsb_sy();
    return 0;
}

/* Implements: LLR-ARCH-112 */
int arch_dma_attach(struct partition *p, uint32_t sid)
{
    if (sid >= PLAT_SMMU_SIDS || p->id >= BH_MAX_PARTS || smmu_root[p->id] == 0u) {
        return -1;
    }
    uint64_t *cd = smmu_cd[p->id];
    cd[0] = CD_T0SZ | CD_TCR0 | CD_EPD1 | CD_V | CD_IPS_40 | CD_AA64 | CD_R | CD_A |
            ((uint64_t)(p->id + 1u) << 48);
    cd[1] = smmu_root[p->id];
    cd[3] = CD_MAIR;
    smmu_strtab[sid][1] = 0u;
    smmu_strtab[sid][0] = STE_V | STE_CFG_S1 | (smmu_pa(cd) & 0x000fffffffffffc0ULL);
    dsb_sy();
    return 0;
}

/* Implements: LLR-ARCH-111 */
int arch_dma_enable(void)
{
    bool ok = smmu_cmd(CMD_CFGI_ALL, 31u) && smmu_cmd(CMD_TLBI_NH_ALL, 0u) &&
              smmu_cmd(CMD_TLBI_NSNH_ALL, 0u) && smmu_cmd(CMD_SYNC, 0u);
    if (ok) {
        mmio_write32(R(SMMU_IRQ_CTRL), IRQ_GERROR | IRQ_EVENTQ);
        ok = smmu_wait(SMMU_IRQ_CTRLACK, 7u, IRQ_GERROR | IRQ_EVENTQ) &&
             smmu_cr0(CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
    }
    if (!ok) {
        return -1;
    }
    smmu_on = true;
    gic_spi_edge(PLAT_SMMU_EVTQ_INTID); /* the SMMU pulses its interrupts */
    gic_spi_edge(PLAT_SMMU_GERROR_INTID);
    gic_enable_spi(PLAT_SMMU_EVTQ_INTID, 0u);
    gic_enable_spi(PLAT_SMMU_GERROR_INTID, 0u);
    return 0;
}

/*
 * The SMMU's event-queue or global-error interrupt: at most one queue's
 * worth of events is drained per call (the interrupt comes again for
 * more), each given to the core (dma_fault) except the repeats of a run
 * in one page; an overflow is acknowledged and reported. Implements: LLR-ARCH-113
 */
bool smmu_irq(uint32_t intid)
{
    if (!smmu_on || (intid != PLAT_SMMU_EVTQ_INTID && intid != PLAT_SMMU_GERROR_INTID)) {
        return false;
    }
    uint32_t gerr = mmio_read32(R(SMMU_GERROR)) ^ mmio_read32(R(SMMU_GERRORN));
    if (gerr != 0u) {
        /* EVENTQ_ABT_ERR (bit 2): QEMU's model raises it when the queue is
         * full; the events it could not write are lost. */
        console_log("SMMU: global error 0x%x%s", gerr,
                    (gerr & 4u) != 0u ? " (event queue full: events lost)" : "");
        mmio_write32(R(SMMU_GERRORN), mmio_read32(R(SMMU_GERROR)));
    }
    uint32_t cons = mmio_read32(R(SMMU_EVENTQ_CONS));
    uint64_t last_w0 = 0;
    uint64_t last_page = 1; /* no event yet: page 1 matches none */
    for (uint32_t n = 0; n < Q_ENTRIES; n++) {
        uint32_t prod = mmio_read32(R(SMMU_EVENTQ_PROD));
        if (Q_WRAP_IDX(prod) == Q_WRAP_IDX(cons)) {
            break;
        }
        const volatile uint64_t *ev = smmu_evtq[Q_IDX(cons)];
        uint64_t w0 = ev[0] & 0xffffffff000000ffULL; /* StreamID and type */
        uint64_t addr = ev[2];
        /* A run of events of one StreamID and type in one page (a device
         * walking a buffer word by word) is one fault: the first is given. */
        if (w0 != last_w0 || (addr & ~(PAGE - 1u)) != last_page) {
            dma_fault((uint32_t)(w0 >> 32), (uint32_t)(w0 & 0xffu), addr);
        }
        last_w0 = w0;
        last_page = addr & ~(PAGE - 1u);
        cons = (cons & Q_OVF) | Q_WRAP_IDX(cons + 1u);
        mmio_write32(R(SMMU_EVENTQ_CONS), cons);
    }
    uint32_t prod = mmio_read32(R(SMMU_EVENTQ_PROD));
    if ((prod & Q_OVF) != (cons & Q_OVF)) {
        console_log("SMMU: event queue overflowed, events lost");
        mmio_write32(R(SMMU_EVENTQ_CONS), (cons & ~Q_OVF) | (prod & Q_OVF));
    }
    return true;
}
