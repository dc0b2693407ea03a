/*
 * Differential probe (make xen-diff): what a guest written only to Xen's
 * public Arm interface sees, printed one fact per line so that the same
 * program's output on Xen 4.17 and on Bulkhead can be compared line by line.
 * Hypercalls and sub-operations with valid and invalid arguments, the vGIC
 * identification registers, the virtual timer, PSCI with a second vCPU.
 * Lines starting "xd-fig " hold timings and are left out of the comparison;
 * output is paced by say() (xdiff.h).
 * Runs as domU "probe" with 2 vCPUs (tests/system/xen-diff/probe.chosen).
 */
#include "fdt.h"
#include "xdiff.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xC4000003u
#define PSCI_AFFINITY_INFO 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t page0[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static volatile bool timer_fired;
static uint8_t vcpu_info[VCPU_INFO_SIZE] __attribute__((aligned(64)));
static volatile uint32_t events;
static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static uint8_t other_page[4096] __attribute__((aligned(4096)));
static uint64_t runstate_area[6] __attribute__((aligned(8)));

/* vCPU 1: entered by CPU_ON with the MMU off; sets a flag and stops. */
volatile uint64_t secondary_ran;
uint64_t secondary_stack[64] __attribute__((aligned(16)));
void secondary_entry(void);
__asm__(".text\n"
        ".globl secondary_entry\n"
        "secondary_entry:\n"
        "  adrp x1, secondary_stack + 512\n"
        "  add  x1, x1, :lo12:secondary_stack + 512\n"
        "  mov  sp, x1\n"
        "  adrp x1, secondary_ran\n"
        "  str  x0, [x1, :lo12:secondary_ran]\n"
        "  dsb  sy\n"
        "  movz x0, #0x0002\n"
        "  movk x0, #0x8400, lsl #16\n"
        "  hvc  #0\n"
        "1: wfi\n"
        "  b    1b\n");

static void on_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        vtimer_stop();
        timer_fired = true;
    }
}

static void on_event(uint32_t port)
{
    (void)port;
    events++;
}

/* Sleep about ms milliseconds in WFI, woken by the virtual timer. */
static void wait_ms(uint64_t ms)
{
    timer_fired = false;
    vtimer_arm_at(timer_now() + timer_freq() / 1000u * ms);
    while (!timer_fired) {
        irq_wait();
    }
}

static void rc_line(const char *what, int64_t rc)
{
    say("%s -> %ld\n", what, (long)rc);
}

static void probe_hypercalls(void)
{
    struct xen_feature_info fi = {0, 0};
    char extra[XENVER_EXTRAVERSION_LEN];
    int64_t v = hc_xen_version(XENVER_VERSION, 0);

    say("xen_version VERSION -> %ld.%ld\n", (long)(v >> 16), (long)(v & 0xFFFF));
    memset(extra, 0, sizeof(extra));
    rc_line("xen_version EXTRAVERSION rc",
            hc_xen_version(XENVER_EXTRAVERSION, (uint64_t)(uintptr_t)extra));
    rc_line("xen_version GET_FEATURES(0) rc",
            hc_xen_version(XENVER_GET_FEATURES, (uint64_t)(uintptr_t)&fi));
    say("xen_version GET_FEATURES(0) submap 0x%x\n", fi.submap);
    fi.submap_idx = 99;
    rc_line("xen_version GET_FEATURES(99) rc",
            hc_xen_version(XENVER_GET_FEATURES, (uint64_t)(uintptr_t)&fi));
    say("xen_version GET_FEATURES(99) submap 0x%x\n", fi.submap);
    rc_line("xen_version cmd 2 (compile_info)", hc_xen_version(2, 0));
    rc_line("xen_version cmd 5 (platform_parameters)", hc_xen_version(5, 0));
    rc_line("xen_version cmd 7 (pagesize)", hc_xen_version(7, 0));
    rc_line("xen_version cmd 99", hc_xen_version(99, 0));
    rc_line("xen_version EXTRAVERSION bad pointer",
            hc_xen_version(XENVER_EXTRAVERSION, 0x7ffff000u));
    rc_line("console_io write 0 bytes", hc_console_write((uint64_t)(uintptr_t)extra, 0));
    rc_line("console_io cmd 7", hypercall(HC_CONSOLE_IO, 7, 0, 0, 0, 0));
    rc_line("sched_op yield", hc_yield());
    rc_line("sched_op cmd 99", hc_sched_op(99, 0));
    rc_line("hypercall 0 (set_trap_table)", hypercall(0, 0, 0, 0, 0, 0));
    rc_line("hypercall 12 (memory_op) cmd 99", hypercall(12, 99, 0, 0, 0, 0));
    rc_line("hypercall 31 (event_channel_op_compat)", hypercall(31, 0, 0, 0, 0, 0));
    rc_line("hypercall 40", hypercall(40, 0, 0, 0, 0, 0));
    rc_line("hypercall 63", hypercall(63, 0, 0, 0, 0, 0));
    rc_line("hypercall 64", hypercall(64, 0, 0, 0, 0, 0));
    rc_line("hypercall 1000", hypercall(1000, 0, 0, 0, 0, 0));
    rc_line("hypercall 0x106 (Bulkhead PART_ID)", hypercall(0x106, 0, 0, 0, 0, 0));
}

#define HC_MEMORY_OP 12u
#define HC_GRANT_TABLE_OP 20u
#define HC_HVM_OP 34u
#define XENMEM_ADD_TO_PHYSMAP 7u
#define VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA 5u
/* struct xen_add_to_physmap: domid, size, space, idx, gpfn. */
struct xatp {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

static int64_t add_to_physmap(uint16_t domid, uint32_t space, uint64_t idx, const void *page)
{
    struct xatp a = {domid, 0, space, idx, (uint64_t)(uintptr_t)page >> 12};

    return hypercall(HC_MEMORY_OP, XENMEM_ADD_TO_PHYSMAP, (uint64_t)(uintptr_t)&a, 0, 0, 0);
}

/* The rest of the subset: console_io read, memory_op, vcpu_op, and calls
 * Xen has that Bulkhead does not. */
static void probe_more_hypercalls(void)
{
    char buf[16];
    uint32_t q[4] = {0, 0, 0, 0};
    uint64_t hp[2] = {0, 0};
    uint32_t wc_version;
    uint32_t wc_sec;

    rc_line("console_io read 16 bytes (no input)",
            hypercall(HC_CONSOLE_IO, CONSOLEIO_READ, sizeof(buf), (uint64_t)(uintptr_t)buf, 0, 0));
    rc_line("memory_op add_to_physmap shared_info idx 1",
            add_to_physmap(DOMID_SELF, 0, 1, shared_page));
    rc_line("memory_op add_to_physmap shared_info domain 5", add_to_physmap(5, 0, 0, shared_page));
    rc_line("memory_op add_to_physmap space 9", add_to_physmap(DOMID_SELF, 9, 0, other_page));
    rc_line("memory_op add_to_physmap grant_table", add_to_physmap(DOMID_SELF, 1, 0, other_page));
    rc_line("memory_op add_to_physmap shared_info", add_to_physmap(DOMID_SELF, 0, 0, shared_page));
    /* struct shared_info on Arm: 1 vcpu_info (64), pending and mask words
     * (512 each), then wc_version and wc_sec. */
    wc_version = *(volatile uint32_t *)(uintptr_t)&shared_page[1088];
    wc_sec = *(volatile uint32_t *)(uintptr_t)&shared_page[1092];
    say("shared_info wallclock set %s\n", wc_version != 0u || wc_sec != 0u ? "yes" : "no");
    rc_line("vcpu_op register_runstate_memory_area",
            hypercall(HC_VCPU_OP, VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0,
                      (uint64_t)(uintptr_t)&runstate_area, 0, 0));
    rc_line("vcpu_op register_runstate_memory_area bad pointer",
            hypercall(HC_VCPU_OP, VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA, 0, 0x7ffff000u, 0, 0));
    rc_line("vcpu_op cmd 99", hypercall(HC_VCPU_OP, 99, 0, 0, 0, 0));
    rc_line("vcpu_op vcpu 7", hypercall(HC_VCPU_OP, VCPUOP_REGISTER_VCPU_INFO, 7, 0, 0, 0));
    /* GNTTABOP_query_size (6) for ourselves. */
    q[0] = DOMID_SELF;
    rc_line("grant_table_op query_size",
            hypercall(HC_GRANT_TABLE_OP, 6, (uint64_t)(uintptr_t)q, 1, 0, 0));
    /* HVMOP_get_param (1): HVM_PARAM_STORE_EVTCHN (2). */
    hp[0] = DOMID_SELF | (2ull << 32);
    rc_line("hvm_op get_param STORE_EVTCHN",
            hypercall(HC_HVM_OP, 1, (uint64_t)(uintptr_t)hp, 0, 0, 0));
}

static void print_status(const char *what, uint16_t dom, uint32_t port)
{
    struct evtchn_status st;
    int64_t rc;

    memset(&st, 0, sizeof(st));
    rc = evtchn_status(dom, port, &st);
    say("evtchn status %s -> %ld state %u vcpu %u\n", what, (long)rc, rc == 0 ? st.status : 99u,
        rc == 0 ? st.vcpu : 99u);
}

static void probe_evtchn(void)
{
    uint32_t a = 0;
    uint32_t b = 0;
    uint32_t c = 0;
    int64_t rc;

    print_status("port 0 before init", DOMID_SELF, 0);
    print_status("port 1 before init", DOMID_SELF, 1);
    rc_line("evtchn send port 1 before init", evtchn_send(1));
    rc_line("evtchn op 99", evtchn_op(99, &a));
    rc_line("evtchn init_control bad offset",
            evtchn_init_control((uint64_t)(uintptr_t)&ctrl_block >> 12, 4093, 0, NULL));
    rc_line("evtchn init_control bad vcpu",
            evtchn_init_control((uint64_t)(uintptr_t)&ctrl_block >> 12, 0, 7, NULL));
    rc = evtchn_setup(&ctrl_block, on_irq);
    rc_line("evtchn init_control", rc);
    rc_line("evtchn init_control again",
            evtchn_init_control((uint64_t)(uintptr_t)&ctrl_block >> 12, 0, 0, NULL));
    rc_line("evtchn expand_array", evtchn_add_page(page0));
    rc_line("vcpu_op register_vcpu_info", evtchn_register_vcpu_info(vcpu_info));
    rc_line("vcpu_op register_vcpu_info again", evtchn_register_vcpu_info(vcpu_info));
    rc_line("evtchn expand_array bad gfn", evtchn_expand_array(0x7ffffu));
    say("evtchn control head[7] %u ready 0x%x\n", evtchn_control()->head[7],
        evtchn_control()->ready);
    print_status("port 0", DOMID_SELF, 0);
    print_status("port 1", DOMID_SELF, 1);
    print_status("port 5000", DOMID_SELF, 5000);
    print_status("port 1 of domain 5 (none)", 5, 1);
    rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a);
    say("evtchn alloc_unbound self -> %ld port %u\n", (long)rc, a);
    print_status("unbound port", DOMID_SELF, a);
    rc = evtchn_bind_interdomain(DOMID_SELF, a, &b);
    say("evtchn bind_interdomain self -> %ld port %u\n", (long)rc, b);
    print_status("bound port", DOMID_SELF, a);
    rc_line("evtchn bind_interdomain bound port again", evtchn_bind_interdomain(DOMID_SELF, a, &c));
    rc_line("evtchn alloc_unbound to domain 999", evtchn_alloc_unbound(DOMID_SELF, 999, &c));
    evtchn_set_handler(b, on_event);
    gic_enable_private(VTIMER_PPI, 0x80);
    rc_line("evtchn send", evtchn_send(a));
    for (uint32_t i = 0; i < 100000u && events == 0u; i++) {
        irq_wait();
    }
    say("evtchn loopback events %u\n", events);
    rc_line("evtchn send port 5000", evtchn_send(5000));
    rc_line("evtchn set_priority 3", evtchn_set_priority(a, 3));
    rc_line("evtchn set_priority 16", evtchn_set_priority(a, 16));
    rc_line("evtchn bind_vcpu 1", evtchn_bind_vcpu(a, 1));
    rc_line("evtchn bind_vcpu 9", evtchn_bind_vcpu(a, 9));
    rc_line("evtchn unmask", evtchn_unmask_op(a));
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, &c);
    say("evtchn bind_virq TIMER -> %ld\n", (long)rc);
    rc_line("evtchn bind_virq 99", evtchn_bind_virq(99, 0, &c));
    rc_line("evtchn close", evtchn_close(a));
    print_status("closed port", DOMID_SELF, a);
    print_status("peer of closed port", DOMID_SELF, b);
    rc_line("evtchn close again", evtchn_close(a));
    rc_line("evtchn close port 5000", evtchn_close(5000));
}

/* The emulated PL011 at Xen's GUEST_PL011_BASE (the domU has vpl011): one
 * line written byte by byte through UARTDR, then UARTFR's TXFE and BUSY. */
static void probe_vpl011(void)
{
    static const char line[] = "written through the vPL011\n";
    uint32_t fr;

    gflush();
    for (uint32_t i = 0; i + 1u < sizeof(line); i++) {
        mmio_write8(0x22000000u, (uint8_t)line[i]);
    }
    delay_ticks(timer_freq() / 800u);
    fr = mmio_read32(0x22000000u + 0x18u);
    say("vPL011 UARTFR TXFE %u BUSY %u\n", (fr >> 7) & 1u, (fr >> 3) & 1u);
}

/* The device tree Xen hands over in x0: the memory node and /hypervisor. */
static void probe_dtb(void)
{
    const void *dtb = (const void *)(uintptr_t)guest_dtb;
    const uint32_t *reg;
    uint32_t len = 0;

    say("dtb in x0 inside RAM %s\n",
        guest_dtb >= 0x40000000u && guest_dtb < 0x41000000u ? "yes" : "no");
    reg = fdt_find_prop(dtb, "memory@40000000", "reg", &len);
    if (reg != NULL && len == 16u) {
        say("dtb /memory@40000000 reg 0x%lx size 0x%lx\n",
            (unsigned long)(((uint64_t)__builtin_bswap32(reg[0]) << 32) |
                            __builtin_bswap32(reg[1])),
            (unsigned long)(((uint64_t)__builtin_bswap32(reg[2]) << 32) |
                            __builtin_bswap32(reg[3])));
    } else {
        say("dtb /memory@40000000 reg: none (length %u)\n", len);
    }
    say("dtb /hypervisor %s\n",
        fdt_find_prop(dtb, "hypervisor", "compatible", &len) != NULL ? "present" : "absent");
    say("dtb /psci %s\n",
        fdt_find_prop(dtb, "psci", "compatible", &len) != NULL ? "present" : "absent");
}

static void probe_gic(void)
{
    uint64_t rd = GICR_BASE;

    say("GICD_CTLR 0x%x\n", mmio_read32(GICD_BASE + GICD_CTLR));
    say("GICD_TYPER 0x%x\n", mmio_read32(GICD_BASE + GICD_TYPER));
    say("GICD_IIDR 0x%x\n", mmio_read32(GICD_BASE + GICD_IIDR));
    say("GICD_PIDR2 0x%x\n", mmio_read32(GICD_BASE + GICD_PIDR2));
    say("GICR_CTLR 0x%x\n", mmio_read32(rd + GICR_CTLR));
    say("GICR_IIDR 0x%x\n", mmio_read32(rd + GICR_IIDR));
    say("GICR_TYPER 0x%lx\n", (unsigned long)mmio_read64(rd + GICR_TYPER));
    say("GICR_TYPER vcpu1 0x%lx\n", (unsigned long)mmio_read64(rd + GICR_STRIDE + GICR_TYPER));
    say("GICR_WAKER 0x%x\n", mmio_read32(rd + GICR_WAKER));
    say("GICR_PIDR2 0x%x\n", mmio_read32(rd + GICR_PIDR2));
    say("GICR_ISENABLER0 0x%x\n", mmio_read32(rd + GICR_SGI_OFFSET + GICR_ISENABLER0));
    gic_init();
    say("GICD_CTLR after enable 0x%x\n", mmio_read32(GICD_BASE + GICD_CTLR));
    say("GICR_WAKER after wake 0x%x\n", mmio_read32(rd + GICR_WAKER));
}

static void probe_timer(void)
{
    uint64_t t0;

    say("CNTFRQ %lu\n", (unsigned long)timer_freq());
    irq_set_handler(on_irq);
    gic_enable_private(VTIMER_PPI, 0x80);
    timer_fired = false;
    t0 = timer_now();
    vtimer_arm_at(t0 + timer_freq() / 1000u);
    say("CNTV_CTL armed 0x%lx\n", (unsigned long)(vtimer_ctl() & 3u));
    for (uint32_t i = 0; i < 1000u && !timer_fired; i++) {
        irq_wait();
    }
    say("vtimer fired %s, not early %s\n", timer_fired ? "yes" : "no",
        timer_now() >= t0 + timer_freq() / 1000u ? "yes" : "no");
    say("CNTV_CTL after 0x%lx\n", (unsigned long)(vtimer_ctl() & 7u));
}

static void probe_psci(void)
{
    int64_t rc;
    uint32_t i;

    rc = psci_call(PSCI_VERSION, 0, 0, 0);
    say("PSCI_VERSION %ld.%ld\n", (long)(rc >> 16), (long)(rc & 0xFFFF));
    rc_line("PSCI_FEATURES(CPU_ON)", psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0));
    rc_line("PSCI_FEATURES(AFFINITY_INFO)", psci_call(PSCI_FEATURES, PSCI_AFFINITY_INFO, 0, 0));
    rc_line("PSCI_FEATURES(SYSTEM_RESET)", psci_call(PSCI_FEATURES, PSCI_SYSTEM_RESET, 0, 0));
    rc_line("PSCI_FEATURES(SMCCC_VERSION)", psci_call(PSCI_FEATURES, SMCCC_VERSION, 0, 0));
    rc_line("PSCI_FEATURES(0x8400001F)", psci_call(PSCI_FEATURES, 0x8400001Fu, 0, 0));
    rc_line("SMCCC_VERSION", psci_call(SMCCC_VERSION, 0, 0, 0));
    rc_line("SMCCC_ARCH_FEATURES(WORKAROUND_1)",
            psci_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0));
    rc_line("PSCI_MIGRATE_INFO_TYPE", psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    rc_line("PSCI function 0x8400001F", psci_call(0x8400001Fu, 0, 0, 0));
    rc_line("AFFINITY_INFO(0)", psci_call(PSCI_AFFINITY_INFO, 0, 0, 0));
    rc_line("AFFINITY_INFO(1) before", psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
    rc_line("AFFINITY_INFO(5)", psci_call(PSCI_AFFINITY_INFO, 5, 0, 0));
    rc_line("CPU_ON(5)", psci_call(PSCI_CPU_ON, 5, (uint64_t)(uintptr_t)secondary_entry, 0));
    rc_line("CPU_ON(0) already on",
            psci_call(PSCI_CPU_ON, 0, (uint64_t)(uintptr_t)secondary_entry, 0));
    rc_line("CPU_ON(1)", psci_call(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_entry, 0x5a5a));
    /* Wait in WFI, 1 ms at a time: under QEMU -icount a busy CPU 0 can
     * hold the other CPU back for 100 ms of virtual time. */
    for (i = 0; i < 1000u && secondary_ran == 0u; i++) {
        wait_ms(1);
    }
    say("vcpu 1 ran with context 0x%lx\n", (unsigned long)secondary_ran);
    for (i = 0; i < 1000u; i++) {
        rc = psci_call(PSCI_AFFINITY_INFO, 1, 0, 0);
        if (rc == 1) {
            break;
        }
        wait_ms(1);
    }
    rc_line("AFFINITY_INFO(1) after CPU_OFF", rc);
}

int main(void)
{
    uint64_t pct;
    uint64_t vct;
    uint64_t boot = xd_boot_ns();

    __asm__ volatile("isb\n\tmrs %0, cntpct_el0\n\tmrs %1, cntvct_el0" : "=r"(pct), "=r"(vct));
    say("xd: probe start\n");
    say("xd-fig boot_ns %lu\n", (unsigned long)boot);
    probe_dtb();
    probe_vpl011();
    say("virtual counter behind physical by over 1 ms %s\n",
        vct + timer_freq() / 1000u < pct ? "yes" : "no");
    probe_gic();
    probe_hypercalls();
    probe_more_hypercalls();
    probe_timer();
    probe_evtchn();
    probe_psci();
    say("xd: end\n");
    return 0;
}
