/*
 * EL2 stage-1 translation (the hypervisor's own map) and stage-2 translation
 * (each partition's guest-physical map), 4 KiB granule, 39-bit address
 * spaces starting at level 1.
 *
 * Stage 1 is an identity map: the platform's device region as Device-nGnRE,
 * RAM as normal write-back memory, execute-never except the hypervisor's
 * text, which is read-only (SCTLR_EL2.WXN makes every writable page
 * execute-never as well).
 * Implements: LLR-ARCH-010 (EL2 map), LLR-ARCH-011 (stage-2 map).
 */
#include "arch.h"
#include "arch_if.h"
#include "console.h"
#include "sysreg.h"
#include "util.h"

#define PAGE 4096ULL
#define BLOCK_L2 (2ULL << 20)
#define BLOCK_L1 (1ULL << 30)
#define ENTRIES 512u

#define D_VALID 1ULL
#define D_TABLE 3ULL  /* level 1/2 table, level 3 page */
#define D_BLOCK 1ULL
#define D_AF (1ULL << 10)
#define D_SH_INNER (3ULL << 8)
#define D_XN (1ULL << 54)
#define D_ADDR_MASK 0x0000fffffffff000ULL

/* Stage 1 (EL2) attributes: MAIR_EL2 index 0 device, 1 normal WB. */
#define S1_ATTR_DEV (0ULL << 2)
#define S1_ATTR_MEM (1ULL << 2)
#define S1_AP_RW (1ULL << 6)       /* AP[1] is RES1 at EL2 */
#define S1_AP_RO ((1ULL << 7) | (1ULL << 6))
#define MAIR_VALUE 0xff04ULL      /* attr1 normal WB RWA, attr0 Device-nGnRE */

/* Stage 2 attributes. */
#define S2_MEMATTR_NORMAL (0xfULL << 2)
#define S2_AP_RW (3ULL << 6)
#define S2_AP_RO (1ULL << 6)
#define S2_MEMATTR_DEV (0x1ULL << 2) /* Device-nGnRE */

#define PT_POOL_PAGES PLAT_S2_TABLE_PAGES

struct pt_page {
    uint64_t e[ENTRIES];
};

static struct pt_page el2_l1 __attribute__((aligned(4096)));
static struct pt_page el2_l2_ram __attribute__((aligned(4096)));
static struct pt_page el2_l3_hyp __attribute__((aligned(4096)));
static struct pt_page pt_pool[PT_POOL_PAGES] __attribute__((aligned(4096), section(".noinit")));
static uint32_t pt_pool_used;
static uint64_t s2_root[BH_MAX_PARTS];

extern char _start[], __text_end[], __rodata_end[], __hyp_end[];

static uint64_t pa_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Take a zeroed page-table page from the static pool, or NULL. Boot only. */
static struct pt_page *pt_alloc(void)
{
    struct pt_page *pg;
    if (pt_pool_used >= PT_POOL_PAGES) {
        return NULL;
    }
    pg = &pt_pool[pt_pool_used];
    pt_pool_used++;
    bh_memset(pg, 0, sizeof(*pg));
    return pg;
}

/* Implements: LLR-ARCH-010. */
void mmu_init_tables(void)
{
    uint64_t hyp = pa_of(_start) & ~(BLOCK_L2 - 1u);
    uint32_t i;

    bh_memset(&el2_l1, 0, sizeof(el2_l1));
    bh_memset(&el2_l2_ram, 0, sizeof(el2_l2_ram));
    bh_memset(&el2_l3_hyp, 0, sizeof(el2_l3_hyp));

    el2_l1.e[PLAT_DEV_BASE / BLOCK_L1] =
        PLAT_DEV_BASE | D_BLOCK | D_AF | S1_ATTR_DEV | S1_AP_RW | D_XN;
    el2_l1.e[PLAT_RAM_BASE / BLOCK_L1] = pa_of(&el2_l2_ram) | D_TABLE;
    for (i = 0; i < ENTRIES; i++) {
        uint64_t a = PLAT_RAM_BASE + (uint64_t)i * BLOCK_L2;
        if (a >= PLAT_RAM_BASE + PLAT_RAM_SIZE) {
            break;
        }
        el2_l2_ram.e[i] = a | D_BLOCK | D_AF | D_SH_INNER | S1_ATTR_MEM | S1_AP_RW | D_XN;
    }
    /* The 2 MiB block holding the hypervisor gets page granularity. */
    for (i = 0; i < ENTRIES; i++) {
        uint64_t a = hyp + (uint64_t)i * PAGE;
        uint64_t attr = D_TABLE | D_AF | D_SH_INNER | S1_ATTR_MEM;
        if (a >= pa_of(_start) && a < pa_of(__text_end)) {
            attr |= S1_AP_RO;
        } else if (a >= pa_of(__text_end) && a < pa_of(__rodata_end)) {
            attr |= S1_AP_RO | D_XN;
        } else {
            attr |= S1_AP_RW | D_XN;
        }
        el2_l3_hyp.e[i] = a | attr;
    }
    el2_l2_ram.e[(hyp - PLAT_RAM_BASE) / BLOCK_L2] = pa_of(&el2_l3_hyp) | D_TABLE;
    dsb_sy();
}

/* Implements: LLR-ARCH-010. */
void mmu_enable(void)
{
    /* T0SZ=25 (39 bits), WB-WA inner/outer, inner shareable, 4K, PS=40 bits. */
    uint64_t tcr = 25u | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) | (1ULL << 23) |
                   (1ULL << 31);
    sysreg_write(mair_el2, MAIR_VALUE);
    sysreg_write(tcr_el2, tcr);
    sysreg_write(ttbr0_el2, pa_of(&el2_l1));
    isb();
    __asm__ volatile("tlbi alle2" ::: "memory");
    dsb_sy();
    isb();
    /* RES1 bits, M, C, SA, I, WXN. */
    sysreg_write(sctlr_el2, 0x30c50838ULL | 1u | (1ULL << 2) | (1ULL << 3) | (1ULL << 12) | (1ULL << 19));
    isb();
}

/* Implements: LLR-ARCH-013 (the pool pages the partitions' maps took, for
 * comparison with the boot check's count, cfg_s2_tables). */
void mmu_s2_report(void)
{
    console_log("stage-2 tables: %u of %u pages", pt_pool_used, PT_POOL_PAGES);
}

/* Implements: LLR-ARCH-011. */
void mmu_stage2_init_cpu(void)
{
    /* T0SZ=25, SL0=1 (start at level 1), WB inner/outer, inner shareable,
     * 4K granule, PS=40 bits, 8-bit VMID. */
    uint64_t vtcr = 25u | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) |
                    (1ULL << 31);
    sysreg_write(vtcr_el2, vtcr);
    isb();
}

uint64_t mmu_vttbr(const struct partition *p)
{
    return s2_root[p->id] | ((uint64_t)(p->id + 1u) << 48);
}

/*
 * Descend one level from level-1 or level-2 entry *e: follow a table
 * descriptor, allocate the next table for an invalid entry, and refuse (NULL)
 * a valid block descriptor, where a table is needed because another range
 * already maps the whole block: never a write through the block's output
 * address. NULL too when the pool is exhausted.
 * Implements: LLR-ARCH-012.
 */
static struct pt_page *s2_next(uint64_t *e)
{
    struct pt_page *n;
    if ((*e & D_TABLE) == D_TABLE) {
        return (struct pt_page *)arch_pa_to_ptr(*e & D_ADDR_MASK);
    }
    if ((*e & D_VALID) != 0u) {
        return NULL;
    }
    n = pt_alloc();
    if (n != NULL) {
        *e = pa_of(n) | D_TABLE;
    }
    return n;
}

/* Map one 2 MiB block (level 2) or one 4 KiB page (level 3); -1 when the
 * entry is already valid (a block over a table or block, a page over a
 * page: ranges that overlap) or a table cannot be had.
 * Implements: LLR-ARCH-012. */
static int s2_map_one(struct pt_page *l1, uint64_t gpa, uint64_t pa, bool block, uint64_t leaf)
{
    struct pt_page *l2 = s2_next(&l1->e[(gpa >> 30) & 511u]);
    struct pt_page *l3;
    uint64_t *e;
    if (l2 == NULL) {
        return -1;
    }
    if (block) {
        e = &l2->e[(gpa >> 21) & 511u];
        if ((*e & D_VALID) != 0u) {
            return -1;
        }
        *e = pa | leaf | D_BLOCK;
        return 0;
    }
    l3 = s2_next(&l2->e[(gpa >> 21) & 511u]);
    if (l3 == NULL) {
        return -1;
    }
    e = &l3->e[(gpa >> 12) & 511u];
    if ((*e & D_VALID) != 0u) {
        return -1;
    }
    *e = pa | leaf | D_TABLE;
    return 0;
}

/* Map [gpa, gpa+size) to [pa, ...) with leaf attributes; blocks where
 * both sides are 2 MiB aligned. Implements: LLR-ARCH-011. */
static int s2_map(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size, uint64_t leaf)
{
    struct pt_page *l1;
    uint64_t off = 0;

    if (s2_root[p->id] == 0u) {
        l1 = pt_alloc();
        if (l1 == NULL) {
            return -1;
        }
        s2_root[p->id] = pa_of(l1);
    }
    l1 = (struct pt_page *)arch_pa_to_ptr(s2_root[p->id]);
    /* Bounded: at most size / 4 KiB iterations. */
    while (off < size) {
        bool block = ((gpa + off) % BLOCK_L2 == 0u) && ((pa + off) % BLOCK_L2 == 0u) &&
                     (size - off >= BLOCK_L2);
        if (s2_map_one(l1, gpa + off, pa + off, block, leaf) != 0) {
            return -1;
        }
        off += block ? BLOCK_L2 : PAGE;
    }
    dsb_ishst();
    return 0;
}

/* Implements: LLR-ARCH-011. */
int arch_s2_map_ram(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size)
{
    return s2_map(p, gpa, pa, size, D_AF | D_SH_INNER | S2_MEMATTR_NORMAL | S2_AP_RW);
}

/* Implements: LLR-SHM-002 (shared regions: read-only where configured,
 * cacheable, never executable). */
int arch_s2_map_shared(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size,
                       bool read_only)
{
    return s2_map(p, gpa, pa, size,
                  D_AF | D_SH_INNER | S2_MEMATTR_NORMAL | (read_only ? S2_AP_RO : S2_AP_RW) |
                      D_XN);
}

/* Device-nGnRE (MemAttr 0b0001), never executable at EL1 or EL0.
 * Implements: LLR-PT-014. */
int arch_s2_map_dev(struct partition *p, uint64_t gpa, uint64_t size)
{
    return s2_map(p, gpa, gpa, size, D_AF | S2_MEMATTR_DEV | S2_AP_RW | D_XN);
}
