/*
 * bhdecode: packed image -> device-tree source (see bhdecode.h).
 */
#include "bhdecode.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

#define U64(x) ((unsigned long long)(x))

/* bootargs of a partition's own device tree, if it has them. */
static const char *dtb_bootargs(const uint8_t *dtb, uint32_t size)
{
    if (bhi_fdt_check(dtb, size) != 0) {
        return NULL;
    }
    int chosen = fdt_path_offset(dtb, "/chosen");
    int len = 0;
    const char *args = chosen < 0 ? NULL : fdt_getprop(dtb, chosen, "bootargs", &len);
    return args != NULL && len > 0 && strnlen(args, (size_t)len) + 1u == (size_t)len ? args : NULL;
}

/* The description partition p of the blob was built from. */
static void part_desc(const struct bh_cfg_part *p, const uint8_t *blob, uint32_t i,
                      struct sys_part_desc *d)
{
    memset(d, 0, sizeof(*d));
    d->name = p->name;
    d->ram_gpa = p->ram_gpa;
    d->ram_pa = p->ram_pa;
    d->ram_size = p->ram_size;
    d->program = p->name;
    d->num_vcpus = p->num_vcpus;
    memcpy(d->cpus, p->vcpu_cpu, sizeof(d->cpus));
    d->bootargs = dtb_bootargs(blob + p->dtb_offset, p->dtb_size);
    d->no_xen_node = (p->flags & BH_CFG_PART_F_NO_XEN_NODE) != 0u;
    d->dma_unconfined = (p->flags & BH_CFG_PART_F_DMA_UNCONFINED) != 0u;
    const struct bh_cfg *cfg = (const struct bh_cfg *)(const void *)blob;
    for (uint32_t k = 0; k < cfg->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        if (cfg->passthru[k].part == i && d->num_dev < BH_CFG_MAX_PASSTHRU) {
            d->dev[d->num_dev++] = cfg->passthru[k];
        }
    }
}

/* The DMA binding of device k as source: its PCIe functions (from its
 * StreamIDs), nothing for a waived DMA master, else bulkhead,no-dma.
 * Implements: LLR-DMA-021 */
static void print_dma(FILE *out, const struct bh_cfg *cfg, uint32_t k)
{
    bool any = false;
    for (uint32_t s = 0; s < cfg->num_streams && s < BH_CFG_MAX_STREAMS; s++) {
        uint32_t sid = cfg->streams[s].sid;
        if (cfg->streams[s].pt == k) {
            fprintf(out, "%s<%u %u %u>", any ? ", " : "\t\t\t\tbulkhead,pci-functions = ", sid >> 8,
                    (sid >> 3) & 31u, sid & 7u);
            any = true;
        }
    }
    if (any) {
        fprintf(out, ";\n");
    } else if ((cfg->parts[cfg->passthru[k].part % BH_CFG_MAX_PARTS].flags &
                BH_CFG_PART_F_DMA_UNCONFINED) == 0u) {
        fprintf(out, "\t\t\t\tbulkhead,no-dma;\n");
    }
}

/* The pass-through devices of partition i as source. Implements: LLR-PT-021. */
static void print_passthru(FILE *out, const struct bh_cfg *cfg, uint32_t i)
{
    for (uint32_t k = 0; k < cfg->num_passthru && k < BH_CFG_MAX_PASSTHRU; k++) {
        const struct bh_cfg_passthru *d = &cfg->passthru[k];
        uint64_t reg = d->base + d->reg_offset;
        if (d->part != i) {
            continue;
        }
        fprintf(out,
                "\t\t\tpassthrough@%llx { /* mapped 0x%llx+0x%llx, virtual SPI %u */\n"
                "\t\t\t\tcompatible = \"bulkhead,passthrough\";\n"
                "\t\t\t\tbulkhead,reg = <0x%x 0x%x 0x0 0x%x>;\n"
                "\t\t\t\tinterrupts = <0 %u %u>;\n"
                "\t\t\t\tbulkhead,device-compatible = \"%.*s\";\n",
                U64(reg), U64(d->base), U64(d->size), d->vintid, (uint32_t)(reg >> 32),
                (uint32_t)reg, d->reg_size, d->pintid - 32u, d->irq_flags,
                (int)BH_CFG_PT_COMPAT_LEN, d->compatible);
        print_dma(out, cfg, k);
        fprintf(out, "\t\t\t};\n");
    }
}

/* Implements: LLR-TOOL-033 (every derived field equals what the toolstack
 * derives from the decoded description: placement and device tree). */
static int check_derived(const struct bh_cfg_part *p, const uint8_t *blob, uint32_t i)
{
    struct sys_part_desc d;
    struct bhi_arm64_hdr h;
    struct bhi_status st;
    struct bh_cfg_part again;
    struct bhi_buf dtb = {NULL, 0};
    memset(&again, 0, sizeof(again));
    part_desc(p, blob, i, &d);
    int rc = bhi_arm64_parse(blob + p->image_offset, p->image_size, &h, &st);
    rc = rc != 0 ? rc : bhi_place_all(&d, &h, p->image_size, p->ramdisk_size, &again, &dtb, &st);
    if (rc != 0) {
        fprintf(stderr, "decode: parts[%u]: %s\n", i, st.msg);
    } else if (again.image_gpa != p->image_gpa || again.entry_gpa != p->entry_gpa ||
               again.image_mem_size != p->image_mem_size || again.dtb_gpa != p->dtb_gpa ||
               again.ramdisk_gpa != p->ramdisk_gpa) {
        fprintf(stderr, "decode: parts[%u]: image, device-tree or ramdisk placement differs from the rule\n",
                i);
        rc = -1;
    } else if (dtb.size != p->dtb_size || memcmp(dtb.data, blob + p->dtb_offset, dtb.size) != 0) {
        fprintf(stderr, "decode: parts[%u]: device tree differs from the one generated from the "
                        "description\n",
                i);
        rc = -1;
    }
    bhi_buf_free(&dtb);
    return rc;
}

static void print_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', out);
        }
        fputc(*s, out);
    }
    fputc('"', out);
}

/* health-monitor entries by enum hm_error, actions by enum hm_action */
static const char *const hm_entries[] = {
    "stage2-violation",  "undefined-instruction", "unexpected-mode",
    "illegal-hypercall", "reported-error",        "crash", "shutdown",
    "dma-fault",
};
static const char *const hm_actions[] = {"idle", "ignore", "warm-restart", "cold-restart"};
#define NUM_HM_ENTRIES (sizeof(hm_entries) / sizeof(hm_entries[0]))

/* A device-tree label: letters, digits and '_', not starting with a digit. */
static int label_ok(const char *name)
{
    if (name[0] >= '0' && name[0] <= '9') {
        return 0;
    }
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
           strlen(name);
}

/* Labels of the partitions, for the windows' phandles: the names when all of
 * them are labels (names are unique), else p<i>_<name with '-' as '_'>. */
static void part_labels(const struct bh_cfg *cfg, char labels[][BH_CFG_NAME_LEN + 4])
{
    int all = 1;
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        all = all && label_ok(cfg->parts[i].name);
    }
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        char *l = labels[i];
        if (all) {
            snprintf(l, BH_CFG_NAME_LEN + 4, "%.15s", cfg->parts[i].name);
        } else {
            snprintf(l, BH_CFG_NAME_LEN + 4, "p%u_%.15s", i, cfg->parts[i].name);
        }
        for (char *ch = l; *ch != '\0'; ch++) {
            *ch = *ch == '-' ? '_' : *ch;
        }
    }
}

/* The blob version 2 and 3 properties and health-monitor node of a partition.
 * Implements: LLR-TOOL-065 (the port limit, when not the default). */
static void print_part_v2(FILE *out, const struct bh_cfg_part *p)
{
    fprintf(out, "%s%s", (p->flags & BH_CFG_PART_F_SYSTEM) != 0u ? "\t\t\tbulkhead,system;\n" : "",
            (p->flags & BH_CFG_PART_F_HM_HCALL) != 0u ? "\t\t\tbulkhead,hcall-hm;\n" : "");
    if (p->period_us != 0u) {
        fprintf(out, "\t\t\tbulkhead,period-us = <%u>;\n", p->period_us);
    }
    if (p->no_window_mask != 0u) {
        fprintf(out, "\t\t\tbulkhead,no-window-in = <");
        for (uint32_t k = 0, first = 1; k < BH_CFG_MAX_SCHEDS; k++) {
            if (((p->no_window_mask >> k) & 1u) != 0u) {
                fprintf(out, "%s%u", first ? "" : " ", k);
                first = 0;
            }
        }
        fprintf(out, ">;\n");
    }
    if (p->restart_limit != 0u) {
        fprintf(out, "\t\t\tbulkhead,restart-limit = <%u>;\n", p->restart_limit);
    }
    if (p->evtchn_ports != BH_CFG_MIN_EVTCHN_PORTS) {
        fprintf(out, "\t\t\tbulkhead,evtchn-ports = <%u>;\n", p->evtchn_ports);
    }
    int any = 0;
    for (uint32_t e = 0; e < NUM_HM_ENTRIES; e++) {
        any |= p->hm_action[e] != 0u;
    }
    if (!any) {
        return;
    }
    fprintf(out, "\t\t\thealth-monitor {\n");
    for (uint32_t e = 0; e < NUM_HM_ENTRIES; e++) {
        if (p->hm_action[e] != 0u && p->hm_action[e] < BH_CFG_HM_ACTIONS) {
            fprintf(out, "\t\t\t\t%s = \"%s\";\n", hm_entries[e], hm_actions[p->hm_action[e]]);
        }
    }
    fprintf(out, "\t\t\t};\n");
}

/* The schedules, windows in blob order, partitions by label.
 * Implements: LLR-TOOL-039. */
static void print_schedules(FILE *out, const struct bh_cfg *cfg,
                            char labels[][BH_CFG_NAME_LEN + 4])
{
    if (cfg->num_scheds == 0u) {
        return;
    }
    fprintf(out, "\n\t\tschedules {\n");
    for (uint32_t s = 0; s < cfg->num_scheds && s < BH_CFG_MAX_SCHEDS; s++) {
        const struct bh_cfg_sched *sc = &cfg->scheds[s];
        fprintf(out, "%s\t\t\tschedule@%u {%s\n\t\t\t\tbulkhead,major-frame-us = <%u>;\n",
                s == 0 ? "" : "\n", s, s == 0 ? " /* runs at boot */" : "", sc->major_frame_us);
        for (uint32_t k = 0; k < sc->num_windows && k < BH_CFG_MAX_WINDOWS; k++) {
            const struct bh_cfg_window *w = &sc->windows[k];
            fprintf(out,
                    "\t\t\t\twindow@%u {\n\t\t\t\t\tbulkhead,cpu = <%u>;\n\t\t\t\t\t"
                    "bulkhead,partition = <&%s>;\n\t\t\t\t\tbulkhead,vcpu = <%u>;\n\t\t\t\t\t"
                    "bulkhead,offset-us = <%u>;\n\t\t\t\t\tbulkhead,duration-us = <%u>;\n"
                    "\t\t\t\t};\n",
                    k, w->cpu, w->part < BH_CFG_MAX_PARTS ? labels[w->part] : "?", w->vcpu,
                    w->offset_us, w->duration_us);
        }
        fprintf(out, "\t\t\t};\n");
    }
    fprintf(out, "\t\t};\n");
}

/* Whether the channels and regions come back in blob order when rebuilt: the
 * front end numbers channels by their first end (partition order, node
 * order) and regions by their first declaring partition. */
static int links_in_build_order(const struct bh_cfg *cfg)
{
    uint32_t last = 0;
    for (uint32_t k = 0; k < cfg->num_channels && k < BH_CFG_MAX_CHANNELS; k++) {
        const struct bh_cfg_channel *ch = &cfg->channels[k];
        if (ch->part[0] >= ch->part[1] || ch->part[0] < last) {
            return 0;
        }
        last = ch->part[0];
    }
    last = 0;
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        uint32_t first = (uint32_t)__builtin_ctz(cfg->shms[r].map_mask | (1u << 31));
        if (first < last) {
            return 0;
        }
        last = first;
    }
    return 1;
}

/* The evtchn nodes of partition i, channels in blob order; both ends carry
 * the priority when it is not the default (7).
 * Implements: LLR-TOOL-063 (channels, regions and peers printed back). */
static void print_channels(FILE *out, const struct bh_cfg *cfg, uint32_t i,
                           char labels[][BH_CFG_NAME_LEN + 4])
{
    for (uint32_t k = 0; k < cfg->num_channels && k < BH_CFG_MAX_CHANNELS; k++) {
        const struct bh_cfg_channel *ch = &cfg->channels[k];
        for (uint32_t e = 0; e < 2u; e++) {
            uint32_t o = 1u - e;
            if (ch->part[e] != i || ch->part[o] >= BH_CFG_MAX_PARTS) {
                continue;
            }
            fprintf(out,
                    "\n\t\t\t%s_ev%u: evtchn@%u {\n\t\t\t\tcompatible = \"xen,evtchn-v1\";\n"
                    "\t\t\t\txen,evtchn = <%u &%s_ev%u>;\n",
                    labels[i], ch->port[e], ch->port[e], ch->port[e], labels[ch->part[o]],
                    ch->port[o]);
            if (ch->priority != 7u) {
                fprintf(out, "\t\t\t\tbulkhead,priority = <%u>;\n", ch->priority);
            }
            fprintf(out, "\t\t\t};\n");
        }
    }
}

/* The shared-memory nodes of partition i, regions in blob order (cells: 2). */
static void print_shms(FILE *out, const struct bh_cfg *cfg, uint32_t i)
{
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        const struct bh_cfg_shm *sh = &cfg->shms[r];
        if (((sh->map_mask >> i) & 1u) == 0u) {
            continue;
        }
        fprintf(out, "\n\t\t\tshared-mem@%llx {\n\t\t\t\tcompatible = "
                     "\"xen,domain-shared-memory-v1\";\n\t\t\t\txen,shm-id = ",
                U64(sh->gpa[i]));
        print_string(out, sh->name);
        fprintf(out, ";\n\t\t\t\txen,shared-mem = <0x%x 0x%x 0x%x 0x%x 0x%x 0x%x>;\n%s\t\t\t};\n",
                (uint32_t)(sh->pa >> 32), (uint32_t)sh->pa, (uint32_t)(sh->gpa[i] >> 32),
                (uint32_t)sh->gpa[i], (uint32_t)(sh->size >> 32), (uint32_t)sh->size,
                ((sh->ro_mask >> i) & 1u) != 0u ? "\t\t\t\tbulkhead,read-only;\n" : "");
    }
}

/* bulkhead,evtchn-peers of partition i, by label. */
static void print_peers(FILE *out, const struct bh_cfg *cfg, uint32_t i,
                        char labels[][BH_CFG_NAME_LEN + 4])
{
    uint32_t m = cfg->evtchn_permit[i];
    if (m == 0u) {
        return;
    }
    fprintf(out, "\t\t\tbulkhead,evtchn-peers = <");
    for (uint32_t j = 0, first = 1; j < cfg->num_parts && j < BH_CFG_MAX_PARTS; j++) {
        if (((m >> j) & 1u) != 0u) {
            fprintf(out, "%s&%s", first ? "" : " ", labels[j]);
            first = 0;
        }
    }
    fprintf(out, ">;\n");
}

static int part_has_shm(const struct bh_cfg *cfg, uint32_t i)
{
    int any = 0;
    for (uint32_t r = 0; r < cfg->num_shms && r < BH_CFG_MAX_SHMS; r++) {
        any |= ((cfg->shms[r].map_mask >> i) & 1u) != 0u;
    }
    return any;
}

static void print_part(FILE *out, const struct bh_cfg *cfg, uint32_t i, const uint8_t *blob,
                       char labels[][BH_CFG_NAME_LEN + 4])
{
    const struct bh_cfg_part *p = &cfg->parts[i];
    const char *label = labels[i];
    const char *args = dtb_bootargs(blob + p->dtb_offset, p->dtb_size);
    fprintf(out, "\t\t%s: %s {\n\t\t\tcompatible = \"xen,domain\";\n", label, p->name);
    if (part_has_shm(cfg, i)) {
        fprintf(out, "\t\t\t#address-cells = <2>;\n\t\t\t#size-cells = <2>;\n");
    }
    fprintf(out, "\t\t\tmemory = <0x%x 0x%x>; /* KiB: 0x%llx bytes */\n",
            (uint32_t)((p->ram_size >> 10) >> 32), (uint32_t)(p->ram_size >> 10),
            U64(p->ram_size));
    fprintf(out, "\t\t\tcpus = <%u>;\n\t\t\tbulkhead,cpus = <", p->num_vcpus);
    for (uint32_t v = 0; v < p->num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
        fprintf(out, "%s%u", v == 0 ? "" : " ", p->vcpu_cpu[v]);
    }
    fprintf(out, ">;\n\t\t\tbulkhead,ram-pa = <0x%x 0x%x>;\n", (uint32_t)(p->ram_pa >> 32),
            (uint32_t)p->ram_pa);
    fprintf(out, "\t\t\tbulkhead,ram-gpa = <0x%x 0x%x>;\n\t\t\tvpl011;\n",
            (uint32_t)(p->ram_gpa >> 32), (uint32_t)p->ram_gpa);
    print_part_v2(out, p);
    print_peers(out, cfg, i, labels);
    if ((p->flags & BH_CFG_PART_F_NO_XEN_NODE) != 0u) {
        fprintf(out, "\t\t\tbulkhead,no-hypervisor-node;\n");
    }
    if ((p->flags & BH_CFG_PART_F_DMA_UNCONFINED) != 0u) {
        fprintf(out, "\t\t\tbulkhead,dma-unconfined; /* isolation waiver */\n");
    }
    fprintf(out,
            "\t\t\t/* image: guest 0x%llx, entry 0x%llx, 0x%x bytes (0x%x in memory), payload "
            "+0x%x\n\t\t\t * device tree: guest 0x%llx, 0x%x bytes, payload +0x%x */\n",
            U64(p->image_gpa), U64(p->entry_gpa), p->image_size, p->image_mem_size,
            p->image_offset, U64(p->dtb_gpa), p->dtb_size, p->dtb_offset);
    fprintf(out, "\t\t\tkernel {\n\t\t\t\tcompatible = \"multiboot,kernel\", "
                 "\"multiboot,module\";\n\t\t\t\tbulkhead,path = ");
    char file[BH_CFG_NAME_LEN + 8];
    snprintf(file, sizeof(file), "%s.bin", p->name);
    print_string(out, file);
    fprintf(out, ";\n");
    if (args != NULL) {
        fprintf(out, "\t\t\t\tbootargs = ");
        print_string(out, args);
        fprintf(out, ";\n");
    }
    fprintf(out, "\t\t\t};\n");
    print_passthru(out, (const struct bh_cfg *)(const void *)blob, i);
    if (p->ramdisk_size != 0) {
        fprintf(out,
                "\t\t\t/* ramdisk: guest 0x%llx, 0x%x bytes, payload +0x%x */\n\t\t\tramdisk {\n"
                "\t\t\t\tcompatible = \"multiboot,ramdisk\", \"multiboot,module\";\n"
                "\t\t\t\tbulkhead,path = \"%s-ramdisk.bin\";\n\t\t\t};\n",
                U64(p->ramdisk_gpa), p->ramdisk_size, p->ramdisk_offset, p->name);
    }
    print_channels(out, cfg, i, labels);
    print_shms(out, cfg, i);
    fprintf(out, "\t\t};\n");
}

/* Write size bytes to dir/<name><suffix>; a path too long is refused, as a
 * cut one would name another file. Implements: LLR-TOOL-069. */
static int extract_file(const char *dir, const char *name, const char *suffix, const void *data,
                        size_t size, struct bhi_status *st)
{
    char path[BHI_PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        snprintf(st->msg, sizeof(st->msg), "%.64s...: path longer than %u characters", dir,
                 BHI_PATH_MAX - 1u);
        return -1;
    }
    return bhi_write_file(path, data, size, st);
}

/* Write the hypervisor (its header sized to keep the blob where it was) and
 * every partition image into dir. */
static int extract(const struct bhi_buf *image, uint64_t off, const struct bh_cfg *cfg,
                   const char *dir)
{
    struct bhi_status st;
    struct bhi_buf hyp = {malloc((size_t)off), (size_t)off};
    int rc = hyp.data == NULL ? -1 : 0;
    snprintf(st.msg, sizeof(st.msg), "out of memory");
    if (rc == 0) {
        memcpy(hyp.data, image->data, (size_t)off);
        bhi_put_le64(hyp.data + BHI_ARM64_OFF_IMAGE_SIZE, off);
        rc = extract_file(dir, "hyp", ".bin", hyp.data, hyp.size, &st);
    }
    bhi_buf_free(&hyp);
    const uint8_t *blob = image->data + off;
    for (uint32_t i = 0; rc == 0 && i < cfg->num_parts; i++) {
        const struct bh_cfg_part *p = &cfg->parts[i];
        rc = extract_file(dir, p->name, ".bin", blob + p->image_offset, p->image_size, &st);
        if (rc == 0 && p->ramdisk_size != 0) {
            rc = extract_file(dir, p->name, "-ramdisk.bin", blob + p->ramdisk_offset,
                              p->ramdisk_size, &st);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "decode: %s\n", st.msg);
    }
    return rc;
}

/* Implements: LLR-TOOL-032 (find, check and print the blob as source). */
int bhx_decode(const struct bhi_buf *image, const char *image_name, FILE *out,
               const char *extract_dir)
{
    static struct cfg_report rep;
    struct bhi_status st;
    uint64_t off = 0;
    if (bhi_find_blob(image, &off, &st) != 0) {
        fprintf(stderr, "%s: %s\n", image_name, st.msg);
        return 1;
    }
    uint32_t n = bhi_validate_image(image, off, &rep);
    for (uint32_t i = 0; i < n && i < CFG_MAX_ERRORS; i++) {
        fprintf(stderr, "%s: boot check error: %s: %s\n", image_name, rep.err[i].field,
                rep.err[i].msg);
    }
    if (n != 0) {
        return 1;
    }
    struct bh_cfg *cfg = malloc(sizeof(*cfg));
    const uint8_t *blob = image->data + off;
    int rc = cfg == NULL ? 3 : 0;
    if (cfg != NULL) {
        memcpy(cfg, blob, sizeof(*cfg));
    }
    for (uint32_t i = 0; rc == 0 && i < cfg->num_parts; i++) {
        rc = check_derived(&cfg->parts[i], blob, i) != 0 ? 1 : 0;
    }
    if (rc == 0 && !links_in_build_order(cfg)) {
        fprintf(stderr, "decode: channels or shared regions are not in the order the toolstack "
                        "writes them; a rebuild will order them differently\n");
    }
    if (rc == 0 && extract_dir != NULL && extract(image, off, cfg, extract_dir) != 0) {
        rc = 3;
    }
    if (rc == 0) {
        fprintf(out,
                "/dts-v1/;\n/* Decoded by bulkhead from %s: blob at +0x%llx, %u bytes, version %u, "
                "checksum 0x%08x (valid); boot check passed. */\n/ {\n\tcompatible = "
                "\"bulkhead,system\";\n\n\tchosen {\n\t\tbulkhead,hypervisor = \"hyp.bin\"; /* "
                "0x%llx bytes before the blob */\n\t\tbulkhead,num-cpus = <%u>;\n\t\t"
                "bulkhead,slice-us = <%u>;%s\n\t\tbulkhead,module-hm-action = \"%s\";\n",
                image_name, U64(off), cfg->total_size, cfg->version, cfg->checksum, U64(off),
                cfg->num_cpus, cfg->slice_us,
                cfg->num_scheds != 0u ? " /* unused: there are schedules */" : "",
                cfg->module_hm_action == BH_CFG_MODULE_RESET ? "reset" : "halt");
        char labels[BH_CFG_MAX_PARTS][BH_CFG_NAME_LEN + 4];
        part_labels(cfg, labels);
        print_schedules(out, cfg, labels);
        for (uint32_t i = 0; i < cfg->num_parts; i++) {
            fputc('\n', out);
            print_part(out, cfg, i, blob, labels);
        }
        fprintf(out, "\t};\n};\n");
    }
    free(cfg);
    return rc;
}
