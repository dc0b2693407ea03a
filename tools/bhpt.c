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
};

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
    if (bad == 0) {
        dev.vintid = BHI_PT_FIRST_VSPI + pd->num_dev;
        snprintf(p->pt_node[pd->num_dev], sizeof(p->pt_node[0]), "%s", c->path);
        pd->dev[pd->num_dev++] = dev;
    }
    return bad;
}

/* Implements: LLR-PT-023 (the DMA warning: without an SMMU a pass-through
 * device can reach all physical memory). */
void bhd_warn_passthru(const struct bhd_system *s, FILE *out)
{
    for (uint32_t i = 0; out != NULL && i < s->sys.num_parts; i++) {
        for (uint32_t k = 0; k < s->sys.parts[i].num_dev && k < BH_CFG_MAX_PASSTHRU; k++) {
            fprintf(out,
                    "%s: warning: passed through to partition %s without an SMMU: if the device "
                    "can master DMA it reaches all physical memory, other partitions' and the "
                    "hypervisor's included (docs/passthrough.md)\n",
                    s->parts[i].pt_node[k], s->parts[i].name);
        }
    }
}
