/*
 * The host side of arch_if.h for the Frama-C analysis of hyp/core: what the
 * hardware, the guests and the other CPUs can answer, as nondeterministic
 * values (Frama_C_* from __fc_builtin.h). Guest RAM is one array whose
 * contents are unknown (harness.c makes them so before every step).
 * Analysis code only: never built into the hypervisor.
 */
#include "harness.h"

#include "__fc_builtin.h"

uint8_t fc_guest_ram[FC_RAM_BYTES];
uint32_t fc_cpu;

void arch_lock(bh_lock_t *l) { l->word = 1u; }
void arch_unlock(bh_lock_t *l) { l->word = 0u; }

/*@ requires \valid_read(s + (0 .. n - 1)); assigns \nothing; */
void arch_console_write(const char *s, size_t n)
{
    /* The UART takes the bytes: each is read once. */
    for (size_t i = 0; i < n; i++) {
        volatile char c = s[i];
        (void)c;
    }
}

uint32_t arch_console_room(void) { return Frama_C_unsigned_int_interval(0u, 64u); }

/* Any counter value: the core must not trust the order of two readings. */
uint64_t arch_now(void) { return Frama_C_unsigned_long_long_interval(0u, UINT64_MAX); }

uint64_t arch_ticks_per_sec(void) { return 62500000u; }

uint32_t arch_cpu_id(void) { return fc_cpu; }

/* Partition RAM and shared memory, [FC_RAM_PA, FC_RAM_PA + FC_RAM_BYTES),
 * is the array; nothing else is ever asked for (the boot check keeps every
 * partition and region inside it: harness.c's blob). */
void *arch_pa_to_ptr(uint64_t pa)
{
    /*@ assert pa_in_guest_ram: FC_RAM_PA <= pa <= FC_RAM_PA + FC_RAM_BYTES; */
    return &fc_guest_ram[pa - FC_RAM_PA];
}

/* The guest's stage-1 tables are the guest's: any address, or a fault. */
bool arch_guest_translate(uint64_t va, bool write, uint64_t *ipa)
{
    (void)va;
    (void)write;
    if (Frama_C_nondet(0, 1) != 0) {
        return false;
    }
    *ipa = Frama_C_unsigned_long_long_interval(0u, UINT64_MAX);
    return true;
}

int arch_s2_map_ram(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size)
{
    (void)p;
    (void)gpa;
    (void)pa;
    (void)size;
    return Frama_C_nondet(0, -1);
}

int arch_s2_map_shared(struct partition *p, uint64_t gpa, uint64_t pa, uint64_t size,
                       bool read_only)
{
    (void)read_only;
    return arch_s2_map_ram(p, gpa, pa, size);
}

int arch_s2_map_dev(struct partition *p, uint64_t gpa, uint64_t size)
{
    return arch_s2_map_ram(p, gpa, gpa, size);
}

void arch_irq_route(uint32_t intid, uint32_t pcpu)
{
    (void)intid;
    /*@ assert route_cpu: pcpu < BH_MAX_CPUS; */
}

void arch_irq_mask(uint32_t intid, bool masked)
{
    (void)intid;
    (void)masked;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg0)
{
    (void)v;
    (void)entry;
    (void)arg0;
}

void arch_kick(uint32_t pcpu)
{
    /*@ assert kick_cpu: pcpu < BH_MAX_CPUS; */
}

void arch_halt(void)
{
    Frama_C_abort();
}

void arch_system_off(void)
{
    Frama_C_abort();
}

void arch_reset(void)
{
    Frama_C_abort();
}
