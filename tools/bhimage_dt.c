/*
 * bhimage: the partition device trees (generated for each partition, and
 * any tree checked before libfdt reads it). Part of the bhimage library
 * (see bhimage.h); bhimage.c builds the blob and packs the image.
 */
#include "bhimage.h"
#include "bhimage_int.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vgic.h"
#include "vuart.h"

/* Device-tree interrupt specifier cells (GIC binding). */
#define DT_IRQ_SPI 0u
#define DT_IRQ_PPI 1u
#define DT_IRQ_LEVEL_HIGH 4u
#define DT_PPI(intid) ((intid)-VGIC_NUM_PRIVATE / 2u)
#define DT_SPI(intid) ((intid)-VGIC_NUM_PRIVATE)

/* String property (libfdt's own macro trips -Wconversion under gcc). */
static int dt_str(void *fdt, const char *name, const char *str)
{
    return fdt_property(fdt, name, str, (int)(strlen(str) + 1u));
}

/* Property of n 32-bit cells, n at most DT_MAX_CELLS (a PCIe host's
 * interrupt map: 16 entries of 10 cells). */
#define DT_MAX_CELLS 160u
static int dt_cells(void *fdt, const char *name, const uint32_t *cells, uint32_t n)
{
    fdt32_t be[DT_MAX_CELLS];
    if (n > DT_MAX_CELLS) {
        return -FDT_ERR_NOSPACE;
    }
    for (uint32_t i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    return fdt_property(fdt, name, be, (int)(n * sizeof(fdt32_t)));
}

/* reg of one or two (base, size) pairs with #address-cells = #size-cells = 2. */
static int dt_reg2(void *fdt, uint64_t base0, uint64_t size0, uint64_t base1, uint64_t size1,
                   uint32_t pairs)
{
    const uint32_t cells[8] = {
        (uint32_t)(base0 >> 32), (uint32_t)base0, (uint32_t)(size0 >> 32), (uint32_t)size0,
        (uint32_t)(base1 >> 32), (uint32_t)base1, (uint32_t)(size1 >> 32), (uint32_t)size1,
    };
    return dt_cells(fdt, "reg", cells, 4u * pairs);
}

static int dt_root_props(void *fdt, const struct sys_part_desc *p)
{
    char model[64];
    snprintf(model, sizeof(model), "Bulkhead partition %s", p->name);
    int rc = fdt_property_u32(fdt, "#address-cells", 2);
    rc |= fdt_property_u32(fdt, "#size-cells", 2);
    rc |= dt_str(fdt, "compatible", "bulkhead,partition");
    rc |= dt_str(fdt, "model", model);
    rc |= fdt_property_u32(fdt, "interrupt-parent", BHI_GIC_PHANDLE);
    return rc;
}

static int dt_chosen_memory(void *fdt, const struct sys_part_desc *p)
{
    char name[48];
    snprintf(name, sizeof(name), "/pl011@%llx", (unsigned long long)VUART_BASE);
    int rc = fdt_begin_node(fdt, "chosen");
    rc |= dt_str(fdt, "stdout-path", name);
    rc |= p->bootargs != NULL ? dt_str(fdt, "bootargs", p->bootargs) : 0;
    if (p->ramdisk_size != 0) {
        uint64_t end = p->ramdisk_gpa + p->ramdisk_size;
        rc |= fdt_property_u64(fdt, "linux,initrd-start", p->ramdisk_gpa);
        rc |= fdt_property_u64(fdt, "linux,initrd-end", end);
    }
    rc |= fdt_end_node(fdt);
    snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_gpa);
    rc |= fdt_begin_node(fdt, name);
    rc |= dt_str(fdt, "device_type", "memory");
    rc |= dt_reg2(fdt, p->ram_gpa, p->ram_size, 0, 0, 1);
    return rc | fdt_end_node(fdt);
}

static int dt_cpus(void *fdt, const struct sys_part_desc *p)
{
    int rc = fdt_begin_node(fdt, "cpus");
    rc |= fdt_property_u32(fdt, "#address-cells", 1);
    rc |= fdt_property_u32(fdt, "#size-cells", 0);
    for (uint32_t i = 0; i < p->num_vcpus && i < BH_CFG_MAX_VCPUS; i++) {
        char name[16];
        snprintf(name, sizeof(name), "cpu@%u", i);
        rc |= fdt_begin_node(fdt, name);
        rc |= dt_str(fdt, "device_type", "cpu");
        rc |= dt_str(fdt, "compatible", "arm,armv8");
        rc |= dt_str(fdt, "enable-method", "psci");
        rc |= fdt_property_u32(fdt, "reg", i);
        rc |= fdt_end_node(fdt);
    }
    return rc | fdt_end_node(fdt);
}

static int dt_gic(void *fdt, const struct sys_part_desc *p)
{
    char name[48];
    snprintf(name, sizeof(name), "interrupt-controller@%llx", (unsigned long long)VGIC_GICD_BASE);
    int rc = fdt_begin_node(fdt, name);
    rc |= dt_str(fdt, "compatible", "arm,gic-v3");
    rc |= fdt_property_u32(fdt, "#interrupt-cells", 3);
    rc |= fdt_property_u32(fdt, "#address-cells", 2);
    rc |= fdt_property_u32(fdt, "#size-cells", 2);
    rc |= fdt_property(fdt, "interrupt-controller", NULL, 0);
    rc |= dt_reg2(fdt, VGIC_GICD_BASE, VGIC_GICD_SIZE, VGIC_GICR_BASE,
                  VGIC_GICR_STRIDE * p->num_vcpus, 2);
    rc |= fdt_property_u32(fdt, "phandle", BHI_GIC_PHANDLE);
    return rc | fdt_end_node(fdt);
}

/* PSCI through HVC #0 (hyp/core/psci.c). */
static int dt_psci(void *fdt)
{
    static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
    int rc = fdt_begin_node(fdt, "psci");
    rc |= fdt_property(fdt, "compatible", psci_compat, (int)sizeof(psci_compat));
    rc |= dt_str(fdt, "method", "hvc");
    return rc | fdt_end_node(fdt);
}

static int dt_timer_hyp(void *fdt, int xen_node)
{
    static const char xen_compat[] = "xen,xen-4.17\0xen,xen";
    const uint32_t timer_irqs[12] = {
        DT_IRQ_PPI, DT_PPI(BHI_PPI_SEC_PTIMER), DT_IRQ_LEVEL_HIGH,
        DT_IRQ_PPI, DT_PPI(BHI_PPI_NS_PTIMER),  DT_IRQ_LEVEL_HIGH,
        DT_IRQ_PPI, DT_PPI(VGIC_PPI_VTIMER),    DT_IRQ_LEVEL_HIGH,
        DT_IRQ_PPI, DT_PPI(VGIC_PPI_HYP_TIMER), DT_IRQ_LEVEL_HIGH,
    };
    const uint32_t evtchn_irq[3] = {DT_IRQ_PPI, DT_PPI(VGIC_PPI_EVTCHN), DT_IRQ_LEVEL_HIGH};
    int rc = fdt_begin_node(fdt, "timer");
    rc |= dt_str(fdt, "compatible", "arm,armv8-timer");
    rc |= dt_cells(fdt, "interrupts", timer_irqs, 12);
    rc |= fdt_property(fdt, "always-on", NULL, 0);
    rc |= fdt_end_node(fdt);
    if (!xen_node) {
        return rc;
    }
    rc |= fdt_begin_node(fdt, "hypervisor");
    rc |= fdt_property(fdt, "compatible", xen_compat, (int)sizeof(xen_compat));
    rc |= dt_reg2(fdt, BHI_XEN_REGION_BASE, BHI_XEN_REGION_SIZE, 0, 0, 1);
    rc |= dt_cells(fdt, "interrupts", evtchn_irq, 3);
    return rc | fdt_end_node(fdt);
}

static int dt_uart(void *fdt)
{
    char name[32];
    const uint32_t irq[3] = {DT_IRQ_SPI, DT_SPI(VGIC_SPI_VPL011), DT_IRQ_LEVEL_HIGH};
    snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)VUART_BASE);
    int rc = fdt_begin_node(fdt, name);
    rc |= dt_str(fdt, "compatible", "arm,sbsa-uart");
    rc |= dt_reg2(fdt, VUART_BASE, VUART_SIZE, 0, 0, 1);
    rc |= dt_cells(fdt, "interrupts", irq, 3);
    rc |= fdt_property_u32(fdt, "current-speed", BHI_UART_SPEED);
    return rc | fdt_end_node(fdt);
}

#define PCI_ECAM_COMPAT "pci-host-ecam-generic"
#define PCI_WINDOW_COMPAT "bulkhead,pci-mmio-window"
#define PCI_ECAM_BUS 0x100000ull   /* ECAM bytes per bus */
#define PCI_INTX_FIRST 35u         /* qemu-virt: INTA..INTD are SPIs 3..6 */
#define PCI_RANGE_MEM32 0x02000000u /* ranges phys.hi: 32-bit memory space */

static bool dev_is(const struct bh_cfg_passthru *d, const char *compat)
{
    return strncmp(d->compatible, compat, BH_CFG_PT_COMPAT_LEN) == 0;
}

/*
 * The host bridge of a partition that owns the ECAM window (device
 * compatible pci-host-ecam-generic): its buses, the MMIO windows it owns
 * (devices bulkhead,pci-mmio-window) as 32-bit memory ranges at the same
 * PCI and CPU address, and an interrupt map of the INTx lines whose SPIs
 * it owns, swizzled as qemu-virt wires them (slot + pin) % 4. No msi-parent:
 * the ITS stays the hypervisor's; no iommu-map: the SMMU is the
 * hypervisor's and invisible, device addresses are guest-physical.
 * Implements: LLR-DMA-022
 */
static int dt_pci_host(void *fdt, const struct sys_part_desc *p, const struct bh_cfg_passthru *e)
{
    uint32_t ranges[BH_CFG_MAX_PASSTHRU * 7u];
    uint32_t map[16u * 10u];
    uint32_t nr = 0, nm = 0;
    for (uint32_t k = 0; k < p->num_dev && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *w = &p->dev[k];
        if (dev_is(w, PCI_WINDOW_COMPAT)) {
            const uint32_t r[7] = {PCI_RANGE_MEM32, (uint32_t)(w->base >> 32), (uint32_t)w->base,
                                   (uint32_t)(w->base >> 32), (uint32_t)w->base,
                                   (uint32_t)(w->size >> 32), (uint32_t)w->size};
            memcpy(&ranges[nr], r, sizeof(r));
            nr += 7u;
        }
    }
    for (uint32_t slot = 0; slot < 4u; slot++) {
        for (uint32_t pin = 1; pin <= 4u; pin++) {
            uint32_t line = PCI_INTX_FIRST + (slot + pin - 1u) % 4u;
            for (uint32_t k = 0; k < p->num_dev && k < BH_CFG_MAX_PASSTHRU; k++) {
                if (p->dev[k].pintid == line) {
                    const uint32_t m[10] = {slot << 11, 0, 0, pin, BHI_GIC_PHANDLE, 0, 0,
                                            DT_IRQ_SPI, DT_SPI(p->dev[k].vintid),
                                            BH_CFG_PT_IRQ_LEVEL};
                    memcpy(&map[nm], m, sizeof(m));
                    nm += 10u;
                }
            }
        }
    }
    const uint32_t buses[2] = {0, (uint32_t)(e->size / PCI_ECAM_BUS) - 1u};
    const uint32_t mask[4] = {0x1800u, 0, 0, 7u};
    char name[48];
    snprintf(name, sizeof(name), "pcie@%llx", (unsigned long long)e->base);
    int rc = fdt_begin_node(fdt, name);
    rc |= dt_str(fdt, "compatible", PCI_ECAM_COMPAT);
    rc |= dt_str(fdt, "device_type", "pci");
    rc |= dt_reg2(fdt, e->base, e->size, 0, 0, 1);
    rc |= dt_cells(fdt, "bus-range", buses, 2);
    rc |= fdt_property_u32(fdt, "#address-cells", 3);
    rc |= fdt_property_u32(fdt, "#size-cells", 2);
    rc |= fdt_property_u32(fdt, "#interrupt-cells", 1);
    rc |= fdt_property(fdt, "dma-coherent", NULL, 0);
    rc |= dt_cells(fdt, "ranges", ranges, nr);
    rc |= dt_cells(fdt, "interrupt-map-mask", mask, 4);
    rc |= dt_cells(fdt, "interrupt-map", map, nm);
    return rc | fdt_end_node(fdt);
}

/* One node per pass-through device: its compatible, its registers and its
 * virtual SPI; a PCIe host bridge as its binding wants it, its MMIO
 * windows inside it. Implements: LLR-PT-020, LLR-DMA-022. */
static int dt_passthru(void *fdt, const struct sys_part_desc *p)
{
    int rc = 0;
    for (uint32_t k = 0; k < p->num_dev && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *d = &p->dev[k];
        if (dev_is(d, PCI_ECAM_COMPAT)) {
            rc |= dt_pci_host(fdt, p, d);
            continue;
        }
        if (dev_is(d, PCI_WINDOW_COMPAT)) {
            continue;
        }
        uint64_t reg = d->base + d->reg_offset;
        const uint32_t irq[3] = {DT_IRQ_SPI, DT_SPI(d->vintid), d->irq_flags};
        char name[48];
        char compat[BH_CFG_PT_COMPAT_LEN + 1u];
        snprintf(name, sizeof(name), "passthrough@%llx", (unsigned long long)reg);
        snprintf(compat, sizeof(compat), "%.*s", (int)BH_CFG_PT_COMPAT_LEN, d->compatible);
        rc |= fdt_begin_node(fdt, name);
        rc |= dt_str(fdt, "compatible", compat);
        rc |= dt_reg2(fdt, reg, d->reg_size, 0, 0, 1);
        rc |= dt_cells(fdt, "interrupts", irq, 3);
        rc |= fdt_end_node(fdt);
    }
    return rc;
}

/* Implements: LLR-TOOL-004 (per-partition device tree: memory, vCPUs with
 * PSCI enable-method, GICv3, PSCI (hvc), timer, Xen node unless no_xen_node,
 * PL011, chosen stdout, bootargs and initrd range). */
int bhi_make_dtb(const struct sys_part_desc *p, struct bhi_buf *out, struct bhi_status *st)
{
    void *fdt = calloc(1, BHI_DTB_MAX);
    if (fdt == NULL) {
        return bhi_fail(st, "out of memory");
    }
    int rc = fdt_create(fdt, (int)BHI_DTB_MAX);
    rc |= fdt_finish_reservemap(fdt);
    rc |= fdt_begin_node(fdt, "");
    rc |= dt_root_props(fdt, p);
    rc |= dt_chosen_memory(fdt, p);
    rc |= dt_cpus(fdt, p);
    rc |= dt_gic(fdt, p);
    rc |= dt_psci(fdt);
    rc |= dt_timer_hyp(fdt, !p->no_xen_node);
    rc |= dt_uart(fdt);
    rc |= dt_passthru(fdt, p);
    rc |= fdt_end_node(fdt);
    rc |= fdt_finish(fdt);
    rc = rc != 0 ? rc : fdt_pack(fdt);
    if (rc != 0) {
        free(fdt);
        return bhi_fail(st, "device tree generation failed: %s", fdt_strerror(rc));
    }
    out->data = fdt;
    out->size = fdt_totalsize(fdt);
    return 0;
}

static uint32_t be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A NUL-terminated string starts at off in [0, end) of blk. */
static int str_in(const uint8_t *blk, uint32_t off, uint32_t end, uint32_t *len)
{
    const uint8_t *nul = off < end ? memchr(blk + off, 0, end - off) : NULL;
    *len = nul != NULL ? (uint32_t)(nul - (blk + off)) : 0;
    return nul != NULL;
}

/* One tag of the structure block at *off; 1 ok, 0 END seen, -1 bad. */
static int fdt_walk_tag(const uint8_t *st, uint32_t end, const uint8_t *strs, uint32_t strs_size,
                        uint32_t *off, uint32_t *depth, int *root_done)
{
    if (end - *off < 4u) {
        return -1;
    }
    uint32_t tag = be32_get(st + *off), len = 0;
    *off += 4u;
    switch (tag) {
    case FDT_BEGIN_NODE:
        if (*root_done || *depth >= 64u || !str_in(st, *off, end, &len)) {
            return -1;
        }
        *off += (len + 4u) & ~3u;
        (*depth)++;
        return *off <= end ? 1 : -1;
    case FDT_END_NODE:
        if (*depth == 0) {
            return -1;
        }
        *root_done = --(*depth) == 0;
        return 1;
    case FDT_PROP: {
        if (*depth == 0 || end - *off < 8u) {
            return -1;
        }
        uint32_t plen = be32_get(st + *off), nameoff = be32_get(st + *off + 4u);
        *off += 8u;
        if (plen > end - *off || !str_in(strs, nameoff, strs_size, &len)) {
            return -1;
        }
        *off += (plen + 3u) & ~3u;
        return *off <= end ? 1 : -1;
    }
    case FDT_NOP:
        return 1;
    case FDT_END:
        return *root_done ? 0 : -1;
    default:
        return -1;
    }
}

/* Implements: LLR-TOOL-013 (a tree is checked whole, with bounded steps,
 * before libfdt reads it). */
int bhi_fdt_check(const void *fdt, size_t size)
{
    if (size < sizeof(struct fdt_header) || size > INT32_MAX || ((uintptr_t)fdt & 7u) != 0) {
        return -FDT_ERR_TRUNCATED;
    }
    int rc = fdt_check_header(fdt);
    if (rc != 0 || fdt_totalsize(fdt) > size || fdt_version(fdt) < 17u) {
        return rc != 0 ? rc : fdt_version(fdt) < 17u ? -FDT_ERR_BADVERSION : -FDT_ERR_TRUNCATED;
    }
    const uint8_t *b = fdt;
    uint32_t so = fdt_off_dt_struct(fdt), ss = fdt_size_dt_struct(fdt);
    uint32_t to = fdt_off_dt_strings(fdt), ts = fdt_size_dt_strings(fdt);
    uint32_t total = fdt_totalsize(fdt);
    if (so > total || ss > total - so || to > total || ts > total - to) {
        return -FDT_ERR_TRUNCATED;
    }
    uint32_t off = 0, depth = 0;
    int root_done = 0, step = 1;
    for (uint32_t n = 0; step == 1 && n <= ss / 4u; n++) {
        step = fdt_walk_tag(b + so, ss, b + to, ts, &off, &depth, &root_done);
    }
    return step == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
}
