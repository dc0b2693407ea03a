/*
 * The hostile-partition suite (issue 15): one program, its attack chosen by
 * the bootargs word mode=NAME. Each attack is a mode, defined anywhere in
 * guests/hostile/ with HOSTILE_MODE(name, "what it does"); the linker
 * gathers the modes in section .hostile_modes (guests/lib/guest.ld), so a
 * new attack touches no shared table.
 *
 * A mode runs on vCPU 0 at boot. It prints "ok - ..." for each outcome it
 * checks and "not ok - ..." for any it did not expect, and then either
 * returns (the program then keeps the CPU busy until the system ends, as
 * a partition that attacks forever would) or never returns. The system
 * (config/hostile.dts.in) puts the probe beside it on CPU 0 and the
 * witness on CPU 1; tests/system/hostile-modes lists each mode's expected
 * console lines.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "bulkhead.h"
#include "guest.h"

struct hostile_mode {
    const char *name;
    const char *what;
    void (*run)(const char *args);
};

#define HOSTILE_MODE(id, desc)                                                                     \
    static void hostile_run_##id(const char *args);                                                \
    static const struct hostile_mode hostile_mode_##id                                             \
        __attribute__((used, section(".hostile_modes"), aligned(8))) = {#id, desc,                 \
                                                                        hostile_run_##id};         \
    static void hostile_run_##id(const char *args)

/* The next value of a seeded xorshift64 generator (*state never 0): the
 * fuzzers' randomness, reproducible from the seed they print. */
uint64_t hostile_rand(uint64_t *state);

/* "ok - <text>" or "not ok - <text>" as cond says; returns cond. */
bool hostile_check(bool cond, const char *text);

/* PSCI CPU_ON of vCPU 1 at a runtime entry that gives it its own stack and
 * calls fn (which must not return). True when the hypervisor accepted. */
bool hostile_start_vcpu1(void (*fn)(void));

/* The entry hostile_start_vcpu1 uses (for attacks on CPU_ON itself). */
void hostile_vcpu1_entry(void);

#define PSCI_CPU_ON 0xC4000003u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_SYSTEM_RESET 0x84000009u

#endif
