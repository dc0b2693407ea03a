/*
 * The hostile-partition suite's program: finds the mode its bootargs name
 * (mode=NAME) among the modes the linker gathered, prints it and runs it.
 * See hostile.h.
 */
#include "hostile.h"

extern const struct hostile_mode __hostile_modes_start[];
extern const struct hostile_mode __hostile_modes_end[];

uint64_t hostile_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

bool hostile_check(bool cond, const char *text)
{
    gprintf("%s - %s\n", cond ? "ok" : "not ok", text);
    return cond;
}

/* vCPU 1's stack and the function it runs (set before each CPU_ON). */
uint8_t hostile_vcpu1_stack[4096] __attribute__((aligned(16)));
void (*volatile hostile_vcpu1_fn)(void);
void hostile_vcpu1_main(void);
__asm__(".text\n"
        ".globl hostile_vcpu1_entry\n"
        "hostile_vcpu1_entry:\n"
        "    adrp x1, hostile_vcpu1_stack\n"
        "    add  x1, x1, :lo12:hostile_vcpu1_stack\n"
        "    add  x1, x1, #4096\n"
        "    mov  sp, x1\n"
        "    b    hostile_vcpu1_main\n");

void hostile_vcpu1_main(void)
{
    hostile_vcpu1_fn();
    for (;;) {
        __asm__ volatile("wfi");
    }
}

bool hostile_start_vcpu1(void (*fn)(void))
{
    hostile_vcpu1_fn = fn;
    return psci_call(PSCI_CPU_ON, 1u, (uint64_t)(uintptr_t)hostile_vcpu1_entry, 0) == 0;
}

/* True when word (up to a space or the end) of args after "mode=" is name. */
static bool mode_is(const char *args, const char *name)
{
    const char *p = args;
    while (*p != '\0') {
        if ((p == args || p[-1] == ' ') && p[0] == 'm' && p[1] == 'o' && p[2] == 'd' &&
            p[3] == 'e' && p[4] == '=') {
            const char *v = p + 5;
            const char *n = name;
            while (*n != '\0' && *v == *n) {
                v++;
                n++;
            }
            return *n == '\0' && (*v == '\0' || *v == ' ');
        }
        p++;
    }
    return false;
}

int main(void)
{
    const char *args = bh_bootargs();
    for (const struct hostile_mode *m = __hostile_modes_start; m < __hostile_modes_end; m++) {
        if (mode_is(args, m->name)) {
            gprintf("mode %s: %s\n", m->name, m->what);
            m->run(args);
            gprintf("mode %s: attack over\n", m->name);
            for (;;) {
                __asm__ volatile("" ::: "memory"); /* keep the CPU, as an attacker would */
            }
        }
    }
    gprintf("not ok - no mode in \"%s\"\n", args);
    guest_poweroff();
}
