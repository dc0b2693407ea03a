/*
 * bhpt: the pass-through binding of the device-tree front end (see
 * docs/passthrough.md). A partition's child node
 *
 *   passthrough@a003e00 {
 *       compatible = "bulkhead,passthrough";
 *       bulkhead,reg = <0x0 0x0a003e00 0x0 0x200>;   device registers
 *       interrupts = <0 47 4>;                         GIC SPI 47, level
 *       bulkhead,device-compatible = "virtio,mmio";    for its DT node
 *   };
 *
 * gives the partition the pages holding the registers (mapped 1:1) and the
 * SPI (forwarded as virtual SPI 33 + k for its k-th device).
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "bhdts_int.h"

#define PT_PAGE 0x1000ull
#define PT_MAX_SPI 987u /* SPI numbers 0..987: INTIDs 32..1019 */

static const struct bhd_prop_rule passthru_rules[] = {
    {"compatible", NULL},   {"phandle", NULL},    {"linux,phandle", NULL},
    {"bulkhead,reg", NULL}, {"interrupts", NULL}, {"bulkhead,device-compatible", NULL},
    {"bulkhead,pci-functions", NULL}, {"bulkhead,no-dma", NULL},
};

#define PT_PCI_BUSES 256u
#define PT_PCI_DEVS 32u
#define PT_PCI_FNS 8u

/*
 * The device's DMA: bulkhead,pci-functions = <BUS DEV FN ...> lists the
 * PCIe functions behind it, whose requester IDs (BUS << 8 | DEV << 3 | FN)
 * become its StreamIDs; bulkhead,no-dma declares that it masters no DMA.
 * Neither: a DMA master no SMMU covers, refused unless the partition has
 * the waiver bulkhead,dma-unconfined. Implements: LLR-DMA-020
 */
static int parse_dma(const struct bhd_ctx *c, int node, struct sys_part_desc *pd)
{
    int len = 0, nodma_len = 0;
    uint32_t k = pd->num_dev;
    const uint8_t *v = bhd_prop_get(c, node, "bulkhead,pci-functions", &len);
    const uint8_t *nodma = bhd_prop_get(c, node, "bulkhead,no-dma", &nodma_len);
    if (v != NULL && nodma != NULL) {
        bhd_err(c->d, c->path, "bulkhead,no-dma", "and bulkhead,pci-functions: one or the other");
        return -1;
    }
    if (nodma != NULL) {
        if (nodma_len != 0) {
            bhd_err(c->d, c->path, "bulkhead,no-dma", "must be empty (a flag)");
            return -1;
        }
        pd->dev_dma[k] = BHI_DMA_NONE;
        return 0;
    }
    if (v == NULL) {
        if (!pd->dma_unconfined) {
            bhd_err(c->d, c->path, NULL,
                    "a device that may master DMA and no SMMU covers: give its "
                    "bulkhead,pci-functions, declare bulkhead,no-dma, or waive isolation with "
                    "bulkhead,dma-unconfined in the partition (docs/passthrough.md)");
            return -1;
        }
        pd->dev_dma[k] = BHI_DMA_UNCONFINED;
        return 0;
    }
    if (len == 0 || len % 12 != 0 || (uint32_t)(len / 12) > BH_CFG_MAX_STREAMS - pd->num_sid) {
        bhd_err(c->d, c->path, "bulkhead,pci-functions",
                "must be 1..%u functions <BUS DEV FN> (%u StreamIDs in a system)",
                BH_CFG_MAX_STREAMS - pd->num_sid, BH_CFG_MAX_STREAMS);
        return -1;
    }
    uint32_t first = pd->num_sid;
    for (int o = 0; o < len; o += 12) {
        uint32_t bus = bhd_be32(v + o), dev = bhd_be32(v + o + 4), fn = bhd_be32(v + o + 8);
        if (bus >= PT_PCI_BUSES || dev >= PT_PCI_DEVS || fn >= PT_PCI_FNS) {
            bhd_err(c->d, c->path, "bulkhead,pci-functions",
                    "<%u %u %u>: bus 0..255, device 0..31, function 0..7", bus, dev, fn);
            pd->num_sid = first;
            return -1;
        }
        pd->sid[pd->num_sid] = bus << 8 | dev << 3 | fn;
        pd->sid_dev[pd->num_sid] = k;
        pd->num_sid++;
    }
    pd->dev_dma[k] = BHI_DMA_SMMU;
    return 0;
}

/* bulkhead,reg: one (address, size) pair of two cells each, into dev. */
static int parse_reg(const struct bhd_ctx *c, int node, struct bh_cfg_passthru *dev)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, "bulkhead,reg", &len);
    if (bhd_required(c, v != NULL, "bulkhead,reg", "the device's registers, <ADDR64 SIZE64>") !=
        0) {
        return -1;
    }
    if (len != 16) {
        bhd_err(c->d, c->path, "bulkhead,reg", "%d cells, need 4 (<ADDR64 SIZE64>)", len / 4);
        return -1;
    }
    uint64_t reg = (uint64_t)bhd_be32(v) << 32 | bhd_be32(v + 4);
    uint64_t size = (uint64_t)bhd_be32(v + 8) << 32 | bhd_be32(v + 12);
    if (size == 0u || size > UINT32_MAX || reg > UINT64_MAX - size - PT_PAGE) {
        bhd_err(c->d, c->path, "bulkhead,reg", "0x%llx+0x%llx: size must be 1 byte..4 GiB",
                (unsigned long long)reg, (unsigned long long)size);
        return -1;
    }
    dev->base = reg & ~(PT_PAGE - 1u);
    dev->size = ((reg + size + PT_PAGE - 1u) & ~(PT_PAGE - 1u)) - dev->base;
    dev->reg_offset = (uint32_t)(reg - dev->base);
    dev->reg_size = (uint32_t)size;
    return 0;
}

/* interrupts: one GIC SPI specifier <0 N FLAGS>, FLAGS 1 (edge) or 4 (level). */
static int parse_irq(const struct bhd_ctx *c, int node, struct bh_cfg_passthru *dev)
{
    int len = 0;
    const uint8_t *v = bhd_prop_get(c, node, "interrupts", &len);
    if (bhd_required(c, v != NULL, "interrupts", "the device's SPI, <0 SPI FLAGS>") != 0) {
        return -1;
    }
    if (len != 12 || bhd_be32(v) != 0u || bhd_be32(v + 4) > PT_MAX_SPI ||
        (bhd_be32(v + 8) != BH_CFG_PT_IRQ_EDGE && bhd_be32(v + 8) != BH_CFG_PT_IRQ_LEVEL)) {
        bhd_err(c->d, c->path, "interrupts",
                "must be one SPI <0 N FLAGS>, N 0..%u, FLAGS 1 (edge) or 4 (level)", PT_MAX_SPI);
        return -1;
    }
    dev->pintid = bhd_be32(v + 4) + 32u;
    dev->irq_flags = bhd_be32(v + 8);
    return 0;
}

/* Implements: LLR-PT-022 (a pass-through node: registers, one SPI, the
 * device's compatible; the k-th device of a partition gets virtual SPI
 * BHI_PT_FIRST_VSPI + k). */
int bhd_parse_passthru(struct bhd_ctx *c, int node, struct bhd_part *p, struct sys_part_desc *pd)
{
    struct bh_cfg_passthru dev;
    memset(&dev, 0, sizeof(dev));
    bhd_node_path(c->fdt, node, c->path, sizeof(c->path));
    int bad = bhd_check_props(c, node, passthru_rules,
                              sizeof(passthru_rules) / sizeof(passthru_rules[0]));
    bad |= parse_reg(c, node, &dev);
    bad |= parse_irq(c, node, &dev);
    int rc =
        bhd_prop_str(c, node, "bulkhead,device-compatible", dev.compatible, sizeof(dev.compatible));
    bad |= bhd_required(c, rc, "bulkhead,device-compatible",
                        "the compatible of the device's node in the partition's tree");
    if (pd->num_dev >= BH_CFG_MAX_PASSTHRU) {
        bhd_err(c->d, c->path, NULL, "more than %u pass-through devices", BH_CFG_MAX_PASSTHRU);
        return -1;
    }
    bad |= parse_dma(c, node, pd);
    if (bad == 0) {
        dev.vintid = BHI_PT_FIRST_VSPI + pd->num_dev;
        snprintf(p->pt_node[pd->num_dev], sizeof(p->pt_node[0]), "%s", c->path);
        pd->dev[pd->num_dev++] = dev;
    }
    return bad;
}

/* Implements: LLR-PT-023 (the isolation waiver: a device that may master
 * DMA and no SMMU covers, in a partition marked bulkhead,dma-unconfined,
 * can reach all physical memory; devices behind the SMMU or declared
 * bulkhead,no-dma get no line). */
void bhd_warn_passthru(const struct bhd_system *s, FILE *out)
{
    for (uint32_t i = 0; out != NULL && i < s->sys.num_parts; i++) {
        for (uint32_t k = 0; k < s->sys.parts[i].num_dev && k < BH_CFG_MAX_PASSTHRU; k++) {
            if (s->sys.parts[i].dev_dma[k] != BHI_DMA_UNCONFINED) {
                continue;
            }
            fprintf(out,
                    "%s: warning: isolation waiver (bulkhead,dma-unconfined): passed through to "
                    "partition %s with no SMMU in front: if the device masters DMA it reaches "
                    "all physical memory, other partitions' and the hypervisor's included "
                    "(docs/passthrough.md)\n",
                    s->parts[i].pt_node[k], s->parts[i].name);
        }
    }
}
