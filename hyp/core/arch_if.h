/*
 * The narrow interface between the portable core and the architecture layer.
 *
 * The core calls only these functions for anything that touches hardware.
 * hyp/arch/aarch64 implements them for the target; tests/unit/fake_arch.c
 * implements them on the host so that every core file is unit-tested there.
 * Implements: LLR-GEN-002 (core/arch separation).
 */
#ifndef BH_ARCH_IF_H
#define BH_ARCH_IF_H

#include "types.h"

struct partition;
struct vcpu;

/* A spin lock, granted in the order asked (a ticket lock on the target).
 * Held only for short, bounded critical sections. A zeroed lock is free. */
typedef struct {
    volatile uint32_t word;
} bh_lock_t;

void arch_lock(bh_lock_t *l);
void arch_unlock(bh_lock_t *l);

/* Write n bytes to the physical console, waiting for the UART when it is
 * full; a '\n' is sent as CR LF. Caller serialises (console lock). */
void arch_console_write(const char *s, size_t n);
/* Bytes the physical console takes now without waiting (0 when it is full).
 * Caller serialises (console lock). */
uint32_t arch_console_room(void);

/* Module time: the system counter, common to all CPUs, in ticks. */
uint64_t arch_now(void);

/* Counter ticks per second. */
uint64_t arch_ticks_per_sec(void);

/* Index of the calling physical CPU, 0..num_cpus-1. */
uint32_t arch_cpu_id(void);

/* Hypervisor pointer for physical address pa (identity on every target). */
/*@ assigns \nothing; */
void *arch_pa_to_ptr(uint64_t pa);

/*
 * Translate va through the stage-1 translation of the vCPU running on this
 * CPU (its EL1 registers are live during its trap), as a read, or a write
 * when write is set, at EL1 permissions; a guest with its MMU off gets
 * *ipa = va. Returns false on a translation or permission fault. Pre: called
 * while that vCPU's trap is handled on this CPU. Never faults the hypervisor.
 */
/*@ requires \valid(ipa);
    assigns *ipa;
 */
bool arch_guest_translate(uint64_t va, bool write, uint64_t *ipa);

/*
 * Map [gpa, gpa+size) of partition p to [pa, pa+size) at stage 2 as normal,
 * read-write, cacheable memory. Arguments are page aligned.
 * Returns 0, or -1 when the static page-table pool is exhausted or the
 * range meets one already mapped in p (never remapped, never written
 * through); the boot check refuses overlapping ranges and systems whose
 * maps need more tables than the pool has (cfg_s2_tables).
 */
int arch_s2_map_ram(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size);

/*
 * Map [gpa, gpa+size) of partition p to [pa, pa+size) at stage 2 as normal,
 * cacheable, never-executable memory, read-only when read_only (a write is
 * then a stage-2 permission fault). Arguments are page aligned.
 * Returns 0, or -1 as arch_s2_map_ram.
 */
int arch_s2_map_shared(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size,
                       bool read_only);

/*
 * Map [gpa, gpa+size) of partition p to the same physical addresses at
 * stage 2 as device memory (Device-nGnRE, read-write, execute-never), for a
 * pass-through device. Arguments are page aligned. Returns 0, or -1 as
 * arch_s2_map_ram.
 */
int arch_s2_map_dev(struct partition *p, uint64_t gpa, uint64_t size);

/*
 * DMA isolation (the SMMU, hyp/arch/aarch64/smmu.c). Which SMMU stage
 * holds a partition's map is the architecture's choice: QEMU virt's SMMUv3
 * translates stage 1 only, so these build a stage-1 map per partition; an
 * SMMU with stage 2 could share the CPU's stage-2 tables instead. Boot only.
 *
 * arch_dma_init: reset the SMMU and set its stream table up with every
 * StreamID aborting, its queues empty; 0, or -1 when there is no usable
 * SMMU or a bounded wait ran out.
 * arch_dma_map: map device addresses [gpa, gpa+size) of p's DMA to
 * [pa, pa+size), read-only when read_only (page aligned); 0, or -1 when the
 * SMMU's static table pool is exhausted or the range meets one mapped.
 * arch_dma_attach: StreamID sid translates with p's map; 0, or -1 when sid
 * is beyond the stream table or no context is left.
 * arch_dma_enable: invalidate the SMMU's cached configuration and TLB,
 * enable translation, the event queue and its interrupt; 0, or -1 when a
 * bounded wait ran out.
 */
int arch_dma_init(void);
int arch_dma_map(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size, bool read_only);
int arch_dma_attach(struct partition *p, uint32_t sid);
int arch_dma_enable(void);

/* Route physical SPI intid to physical CPU pcpu: masked first, and left
 * masked (never signalled to any CPU while it moves). */
void arch_irq_route(uint32_t intid, uint32_t pcpu);

/* Mask (true) or unmask (false) physical SPI intid at the distributor. A
 * mask returns only once the SPI is signalled to no CPU any more. */
void arch_irq_mask(uint32_t intid, bool masked);

/*
 * Reset the architectural state of v: EL1h, all interrupts masked, MMU and
 * caches off, general registers zero except x0 = arg0, PC = entry.
 */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg0);

/* Ask physical CPU pcpu to re-run its scheduler soon (an SGI). */
void arch_kick(uint32_t pcpu);

/* Stop the whole machine after a module-level error; does not return. */
void arch_halt(void) __attribute__((noreturn));

/*
 * Inline primitives. Every event-channel send makes several of these, so
 * each is a static inline function (a call and return would be a large
 * part of its cost): the architecture defines them in its own
 * arch_inline.h (hyp/arch/aarch64/arch_inline.h: inline assembly), the
 * host fake in tests/unit/arch_inline.h, each found on its build's include
 * path; a core file that uses one includes "arch_inline.h". The contracts,
 * which both must keep:
 *
 * bool arch_guest_fetch_or32(uint32_t *p, uint32_t bits, uint32_t *old);
 * bool arch_guest_fetch_and32(uint32_t *p, uint32_t keep, uint32_t *old);
 *   *p |= bits, *p &= keep, on a 32-bit word in guest memory, which the
 *   guest may store to at any time from another CPU. Without LSE an atomic
 *   is an exclusive load/store pair retried until the store succeeds: a
 *   guest that keeps writing the line keeps it failing, and the hypervisor
 *   in EL2 with interrupts masked. These make at most
 *   ARCH_GUEST_ATOMIC_TRIES attempts, each ordered as a sequentially
 *   consistent atomic, and return false when all failed: the word is then
 *   unchanged by this call and the caller gives the update up. *old is the
 *   value last read. p is 4-aligned. Implements: LLR-ARCH-090
 *
 * bool arch_guest_cas32(uint32_t *p, uint32_t expected, uint32_t desired,
 *                       uint32_t *old);
 *   One attempt: store desired when *p reads expected. True when stored;
 *   false when *old (the value read) differs or the store failed (then
 *   *old == expected). Never retried here: the caller bounds its retries.
 *   Implements: LLR-ARCH-091
 *
 * uint32_t arch_index_nospec(uint32_t idx, uint32_t size);
 *   idx when idx < size, else 0, computed so that no later access indexed
 *   by the result can use an out-of-range idx even under a mispredicted
 *   bounds check (Spectre variant 1): call it after the check, on the
 *   index the access uses. Implements: LLR-ARCH-092
 */
#define ARCH_GUEST_ATOMIC_TRIES 8u

/* Reset the whole machine (PSCI SYSTEM_RESET); does not return. */
void arch_reset(void) __attribute__((noreturn));

/* Power the machine off (PSCI SYSTEM_OFF) once no partition is left
 * running; does not return. */
void arch_system_off(void) __attribute__((noreturn));

#endif
