/*
 * Bulkhead guest runtime: what a partition program can call.
 *
 * The guest runs at EL1 with the MMU off, so every access has Device
 * semantics: keep data naturally aligned. Interrupts stay masked except inside
 * irq_wait(); handlers therefore never race the main program.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------- hypercalls --- */
#define HC_XEN_VERSION 17u
#define HC_CONSOLE_IO 18u
#define HC_SCHED_OP 29u

#define XENVER_VERSION 0u
#define XENVER_EXTRAVERSION 1u
#define XENVER_GET_FEATURES 6u
#define XENVER_EXTRAVERSION_LEN 16u

#define CONSOLEIO_WRITE 0u
#define CONSOLEIO_READ 1u

#define SCHEDOP_YIELD 0u
#define SCHEDOP_BLOCK 1u
#define SCHEDOP_SHUTDOWN 2u

#define SHUTDOWN_POWEROFF 0u
#define SHUTDOWN_REBOOT 1u
#define SHUTDOWN_CRASH 3u

#define XEN_EPERM 1
#define XEN_EFAULT 14
#define XEN_EINVAL 22
#define XEN_ENOSYS 38

struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};

/* Raw HVC #0xEA1 with number nr in x16 and arguments x0..x4; returns x0. */
int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

int64_t hc_xen_version(uint64_t cmd, uint64_t arg);
/* One PSCI/SMCCC call through HVC #0: function ID in x0, result in x0. */
int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t hc_console_write(uint64_t buf, uint64_t count);
int64_t hc_sched_op(uint64_t cmd, uint64_t arg);
int64_t hc_yield(void);
int64_t hc_block(void);
/* Shut the partition down with reason; returns only if the call failed. */
int64_t hc_shutdown(uint32_t reason);
void guest_poweroff(void) __attribute__((noreturn));
void guest_crash(void) __attribute__((noreturn));

/* ---------------------------------------------------------- console --- */
/* Output is buffered per line and sent with CONSOLEIO_write at '\n' or when
 * the buffer fills. Formats: %d %i %u %x %X %s %c %p %%, with optional '0'
 * flag, width and 'l'/'ll'/'z' length. */
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gvprintf(const char *fmt, va_list ap);
void gputs(const char *s);
void gflush(void);
/* Print a fixed-point figure value/10 as "<int>.<frac>". */
void gprint_tenths(uint64_t tenths);

/* ------------------------------------------------------------ timer --- */
#define VTIMER_PPI 27u

uint64_t timer_now(void);
uint64_t timer_freq(void);
/* Arm the virtual timer to fire when CNTVCT reaches cval. */
void vtimer_arm_at(uint64_t cval);
void vtimer_stop(void);
uint64_t vtimer_ctl(void);
/* Busy-wait for ticks of the counter. */
void delay_ticks(uint64_t ticks);
/* ticks of the counter -> nanoseconds * 10, saturating. */
uint64_t ticks_to_ns_tenths(uint64_t ticks);

/* -------------------------------------------------------------- GIC --- */
#define GICD_BASE 0x03001000ull
#define GICR_BASE 0x03020000ull
#define GICR_STRIDE 0x20000ull
#define GICR_SGI_OFFSET 0x10000ull

#define GICD_CTLR 0x0000u
#define GICD_TYPER 0x0004u
#define GICD_IIDR 0x0008u
#define GICD_PIDR2 0xFFE8u
#define GICR_CTLR 0x0000u
#define GICR_IIDR 0x0004u
#define GICR_TYPER 0x0008u
#define GICR_WAKER 0x0014u
#define GICR_PIDR2 0xFFE8u
#define GICR_IGROUPR0 0x0080u
#define GICR_ISENABLER0 0x0100u
#define GICR_ICENABLER0 0x0180u
#define GICR_IPRIORITYR 0x0400u

static inline uint32_t mmio_read32(uint64_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t val)
{
    *(volatile uint32_t *)(uintptr_t)addr = val;
}

static inline uint8_t mmio_read8(uint64_t addr)
{
    return *(volatile uint8_t *)(uintptr_t)addr;
}

static inline void mmio_write8(uint64_t addr, uint8_t val)
{
    *(volatile uint8_t *)(uintptr_t)addr = val;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
    return *(volatile uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write64(uint64_t addr, uint64_t val)
{
    *(volatile uint64_t *)(uintptr_t)addr = val;
}

/* Distributor and this CPU's (vCPU 0) redistributor and CPU interface up. */
void gic_init(void);
/* Enable private interrupt intid (SGI/PPI) at priority prio. */
void gic_enable_private(uint32_t intid, uint8_t prio);
void gic_disable_private(uint32_t intid);
/* Send SGI intid to this partition's vCPUs in target_list (Aff0 bits). */
void gic_send_sgi(uint32_t intid, uint16_t target_list);

/* ------------------------------------------------------- interrupts --- */
typedef void (*irq_handler_fn)(uint32_t intid);
/* The handler called (between acknowledge and end of interrupt) for every
 * interrupt taken. */
void irq_set_handler(irq_handler_fn fn);
/* With IRQs masked (the normal state): wait for an interrupt, then let the
 * pending ones run their handler, then mask again. */
void irq_wait(void);
/* Number of interrupts taken so far. */
extern volatile uint32_t irq_count;

/* ------------------------------------------------------------ tests --- */
/* Print "ok <n> - desc" or "not ok <n> - desc"; returns cond. */
bool check(bool cond, const char *desc);
/* Like check, with a formatted description. */
bool checkf(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "tests: <n> passed, <m> failed"; returns the number failed. */
uint32_t test_summary(void);
/* test_summary, then power off. */
void test_finish(void) __attribute__((noreturn));

/* ------------------------------------------------------------ start --- */
/* CNTVCT_EL0 read by the very first instruction after the image header. */
extern uint64_t guest_start_ticks;
/* Guest-physical address of the device tree (x0 at entry). */
extern uint64_t guest_dtb;
/* x21 as the partition was entered: a reset vCPU starts with it zero, so a
 * value left by an earlier incarnation shows here (tests of restarts). */
extern uint64_t guest_entry_x21;

/* The program: called with IRQs masked and the stack set; returning powers
 * the partition off. */
int main(void);

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

#endif
