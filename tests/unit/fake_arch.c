/* Host fake of the arch layer; see fake_arch.h. */
#include "fake_arch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch_inline.h"
#include "console.h"
#include "part.h"

struct fake_arch_state fake;

void fake_arch_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    fake.ticks_per_sec = 62500000u;
    fake.console_room = FAKE_ROOM_ANY;
    fake_lock_target = NULL;
    fake_lock_hook = NULL;
}

void fake_console_clear(void)
{
    console_flush_all(); /* what was queued is cleared too */
    fake.console_len = 0;
    fake.console[0] = '\0';
}

bh_lock_t *fake_lock_target;
void (*fake_lock_hook)(bh_lock_t *l);

void arch_lock(bh_lock_t *l)
{
    if (l == fake_lock_target && fake_lock_hook != NULL) {
        void (*hook)(bh_lock_t *) = fake_lock_hook;
        fake_lock_hook = NULL; /* once: the hook may take locks itself */
        hook(l);
    }
    /* One CPU on the host: a lock found held is one this path already
     * holds, which on the target would spin for ever. */
    if (l->word != 0u) {
        fail_msg("arch_lock: lock %p taken again while held", (void *)l);
    }
    l->word = 1u;
}
void arch_unlock(bh_lock_t *l) { l->word = 0u; }

void arch_console_write(const char *s, size_t n)
{
    size_t room = FAKE_CONSOLE_SIZE - 1u - fake.console_len;
    size_t k = n < room ? n : room;
    memcpy(&fake.console[fake.console_len], s, k);
    fake.console_len += k;
    fake.console[fake.console_len] = '\0';
}

const char *fake_console(void)
{
    console_flush_all();
    return fake.console;
}

uint32_t arch_console_room(void)
{
    return fake.console_room;
}

uint64_t arch_now(void)
{
    uint64_t t = fake.now;
    fake.now += fake.now_step;
    return t;
}
uint64_t arch_ticks_per_sec(void) { return fake.ticks_per_sec; }
uint32_t arch_cpu_id(void) { return fake.cpu_id; }
void *arch_pa_to_ptr(uint64_t pa) { return (void *)(uintptr_t)pa; }

/* Identity, unless a test splits the address space (xlate_from) or fails it. */
bool arch_guest_translate(uint64_t va, bool write, uint64_t *ipa)
{
    (void)write;
    fake.xlate_count++;
    if (fake.xlate_fail != 0 ||
        (fake.xlate_fail_after != 0u && fake.xlate_count > fake.xlate_fail_after)) {
        return false;
    }
    *ipa = (fake.xlate_from != 0u && va >= fake.xlate_from) ? va + fake.xlate_shift : va;
    return true;
}

/* The host's guest atomics (arch_inline.h) ask here whether to give up. */
bool fake_gatomic_gives_up(void)
{
    uint32_t n = fake.gatomic_calls++;
    return fake.gatomic_fail_all != 0 || (n < 64u && ((fake.gatomic_fail >> n) & 1u) != 0u);
}

int arch_s2_map_dev(struct partition *p, uint64_t gpa, uint64_t size)
{
    if (fake.dev_fail != 0 || arch_s2_map_ram(p, gpa, gpa, size) != 0) {
        return -1;
    }
    fake.dev_count++;
    return 0;
}

int arch_dma_init(void)
{
    fake.dma_inits++;
    return fake.dma_init_fail != 0 ? -1 : 0;
}

int arch_dma_map(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size, bool read_only)
{
    if (fake.dma_map_fail != 0 || fake.dma_count >= FAKE_MAX_MAPS ||
        (fake.dma_map_fail_after != 0u && fake.dma_count >= fake.dma_map_fail_after)) {
        return -1;
    }
    struct fake_s2_map *m = &fake.dma[fake.dma_count++];
    m->part_id = p->id;
    m->gpa = gpa;
    m->pa = pa;
    m->size = size;
    m->read_only = read_only ? 1 : 0;
    return 0;
}

int arch_dma_attach(struct partition *p, uint32_t sid)
{
    if (fake.dma_attach_fail != 0 || fake.dma_attached >= FAKE_MAX_MAPS) {
        return -1;
    }
    fake.dma_sid[fake.dma_attached] = sid;
    fake.dma_sid_part[fake.dma_attached] = p->id;
    fake.dma_attached++;
    return 0;
}

int arch_dma_enable(void)
{
    fake.dma_enables++;
    return fake.dma_enable_fail != 0 ? -1 : 0;
}

void arch_irq_route(uint32_t intid, uint32_t pcpu)
{
    fake.irq_routed[(intid / 32u) % 8u] |= 1u << (intid % 32u);
    fake.irq_route_cpu = pcpu;
    arch_irq_mask(intid, true);
}

void arch_irq_mask(uint32_t intid, bool masked)
{
    uint32_t bit = 1u << (intid % 32u);
    fake.irq_mask_calls++;
    if (masked) {
        fake.irq_masked[(intid / 32u) % 8u] |= bit;
    } else {
        fake.irq_masked[(intid / 32u) % 8u] &= ~bit;
    }
}

int arch_s2_map_ram(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size)
{
    if (fake.s2_fail != 0 || fake.s2_count >= FAKE_MAX_MAPS) {
        return -1;
    }
    fake.s2[fake.s2_count].part_id = p->id;
    fake.s2[fake.s2_count].gpa = gpa;
    fake.s2[fake.s2_count].pa = pa;
    fake.s2[fake.s2_count].size = size;
    fake.s2_count++;
    return 0;
}

int arch_s2_map_shared(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size,
                       bool read_only)
{
    if (fake.s2_shared_fail != 0 || arch_s2_map_ram(p, gpa, pa, size) != 0) {
        return -1;
    }
    fake.s2[fake.s2_count - 1u].shared = 1;
    fake.s2[fake.s2_count - 1u].read_only = read_only ? 1 : 0;
    return 0;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg0)
{
    fake.resets++;
    fake.reset_entry[v->gid] = entry;
    fake.reset_arg0[v->gid] = arg0;
}

void arch_kick(uint32_t pcpu) { fake.kicks |= 1u << pcpu; }

/* Tests that expect a halt set up fake_halt_jmp and longjmp back. */
jmp_buf *fake_halt_jmp;

void arch_halt(void)
{
    fake.halted++;
    if (fake_halt_jmp != NULL) {
        longjmp(*fake_halt_jmp, 1);
    }
    abort();
}

void arch_system_off(void)
{
    fake.system_off++;
    if (fake_halt_jmp != NULL) {
        longjmp(*fake_halt_jmp, 2);
    }
    abort();
}

void arch_reset(void)
{
    fake.resets_module++;
    if (fake_halt_jmp != NULL) {
        longjmp(*fake_halt_jmp, 3);
    }
    abort();
}
