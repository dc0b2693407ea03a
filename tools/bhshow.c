/*
 * bhshow: schedule and memory maps as text and SVG (see bhshow.h).
 */
#include "bhshow.h"

#include <errno.h>
#include <string.h>

#include "platform.h"
#include "vgic.h"
#include "vuart.h"

#define U64(x) ((unsigned long long)(x))
#define MAX_REGIONS (BH_CFG_MAX_PARTS + BH_CFG_MAX_SHMS + 4u)
#define MAX_TURNS (BH_CFG_MAX_PARTS * BH_CFG_MAX_VCPUS)

static const char *const palette[BH_CFG_MAX_PARTS] = {
    "#8ecae6", "#ffb703", "#90be6d", "#f4a6c0", "#cdb4db", "#f9844a", "#a3c4bc", "#e9c46a",
};

struct region {
    uint64_t base, size;
    char label[64];
    const char *color;
};

/* One vCPU's turn in a CPU's rotation. */
struct turn {
    uint32_t part, vcpu;
};

/* The vCPUs pinned to cpu, in rotation order (partition, then vCPU). */
static uint32_t cpu_turns(const struct bh_cfg *cfg, uint32_t cpu, struct turn *t)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        for (uint32_t v = 0; v < cfg->parts[i].num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
            if (cfg->parts[i].vcpu_cpu[v] == cpu) {
                t[n++] = (struct turn){i, v};
            }
        }
    }
    return n;
}

static void size_str(uint64_t size, char *buf, size_t len)
{
    if (size >= (1ull << 20) && (size & ((1ull << 20) - 1u)) == 0) {
        snprintf(buf, len, "%llu MiB", U64(size >> 20));
    } else if (size >= 1024u) {
        snprintf(buf, len, "%.1f KiB", (double)size / 1024.0);
    } else {
        snprintf(buf, len, "%llu B", U64(size));
    }
}

/* Add x to the n regions in r, keeping address order; the new count. */
static uint32_t add_region(struct region *r, uint32_t n, const struct region *x)
{
    uint32_t k = n;
    while (k > 0 && r[k - 1u].base > x->base) {
        r[k] = r[k - 1u];
        k--;
    }
    r[k] = *x;
    return n + 1u;
}

/* "shared \"id\" (a rw, b ro)": who maps region sh and how. */
static void shm_label(const struct bh_cfg *cfg, const struct bh_cfg_shm *sh, char *buf, size_t len)
{
    int at = snprintf(buf, len, "shared \"%.15s\" (", sh->name);
    for (uint32_t j = 0, first = 1; j < cfg->num_parts && j < BH_CFG_MAX_PARTS; j++) {
        if (((sh->map_mask >> j) & 1u) != 0u && at > 0 && (size_t)at < len) {
            at += snprintf(buf + at, len - (size_t)at, "%s%.15s %s", first ? "" : ", ",
                           cfg->parts[j].name, ((sh->ro_mask >> j) & 1u) != 0u ? "ro" : "rw");
            first = 0;
        }
    }
    if (at > 0 && (size_t)at < len) {
        snprintf(buf + at, len - (size_t)at, ")");
    }
}

/* Implements: LLR-TOOL-064 (shared regions in the physical and guest-physical maps). */
static uint32_t phys_regions(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size,
                             struct region *r)
{
    uint32_t n = 0;
    if (image_size != 0) {
        r[n++] = (struct region){PLAT_HYP_BASE, blob_off, "hypervisor", "#d9d9d9"};
        r[n++] = (struct region){PLAT_HYP_BASE + blob_off, image_size - blob_off,
                                 "configuration blob + payload", "#bfbfbf"};
    }
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        struct region x = {cfg->parts[i].ram_pa, cfg->parts[i].ram_size, "", palette[i]};
        snprintf(x.label, sizeof(x.label), "%.15s RAM", cfg->parts[i].name);
        n = add_region(r, n, &x);
    }
    for (uint32_t k = 0; k < cfg->num_shms && k < BH_CFG_MAX_SHMS; k++) {
        struct region x = {cfg->shms[k].pa, cfg->shms[k].size, "", "#fff3b0"};
        shm_label(cfg, &cfg->shms[k], x.label, sizeof(x.label));
        n = add_region(r, n, &x);
    }
    return n;
}

static uint32_t guest_regions(const struct bh_cfg *cfg, uint32_t idx, struct region *r)
{
    const struct bh_cfg_part *p = &cfg->parts[idx];
    uint32_t n = 0;
    r[n++] = (struct region){VGIC_GICD_BASE, VGIC_GICD_SIZE, "vGIC distributor", "#eeeeee"};
    r[n++] = (struct region){VGIC_GICR_BASE, VGIC_GICR_STRIDE * p->num_vcpus,
                             "vGIC redistributors", "#eeeeee"};
    r[n++] = (struct region){VUART_BASE, VUART_SIZE, "vPL011 console", "#eeeeee"};
    struct region ram = {p->ram_gpa, p->ram_size, "", palette[idx % BH_CFG_MAX_PARTS]};
    snprintf(ram.label, sizeof(ram.label), "RAM (PA 0x%llx)", U64(p->ram_pa));
    n = add_region(r, n, &ram);
    for (uint32_t k = 0; k < cfg->num_shms && k < BH_CFG_MAX_SHMS; k++) {
        const struct bh_cfg_shm *sh = &cfg->shms[k];
        if (((sh->map_mask >> idx) & 1u) != 0u) {
            struct region x = {sh->gpa[idx], sh->size, "", "#fff3b0"};
            snprintf(x.label, sizeof(x.label), "shared \"%.15s\" %s (PA 0x%llx)", sh->name,
                     ((sh->ro_mask >> idx) & 1u) != 0u ? "ro" : "rw", U64(sh->pa));
            n = add_region(r, n, &x);
        }
    }
    return n;
}

static void text_regions(FILE *out, const struct region *r, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        char sz[32];
        size_str(r[k].size, sz, sizeof(sz));
        fprintf(out, "  0x%010llx..0x%010llx %10s  %s\n", U64(r[k].base),
                U64(r[k].base + r[k].size - 1u), sz, r[k].label);
    }
}

/* The windows of schedule s on cpu, in time order (the blob's order). */
static uint32_t cpu_windows(const struct bh_cfg_sched *sc, uint32_t cpu,
                            const struct bh_cfg_window **w)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < sc->num_windows && k < BH_CFG_MAX_WINDOWS; k++) {
        if (sc->windows[k].cpu == cpu) {
            w[n++] = &sc->windows[k];
        }
    }
    return n;
}

/* Each schedule's major frame per CPU, gaps shown as idle.
 * Implements: LLR-TOOL-040. */
static void text_schedules(const struct bh_cfg *cfg, FILE *out)
{
    const struct bh_cfg_window *w[BH_CFG_MAX_WINDOWS];
    for (uint32_t s = 0; s < cfg->num_scheds && s < BH_CFG_MAX_SCHEDS; s++) {
        const struct bh_cfg_sched *sc = &cfg->scheds[s];
        fprintf(out, "\nSchedule %u%s: major frame %u us, %u windows\n", s,
                s == 0 ? " (runs at boot)" : "", sc->major_frame_us, sc->num_windows);
        for (uint32_t c = 0; c < cfg->num_cpus && c < BH_CFG_MAX_CPUS; c++) {
            uint32_t n = cpu_windows(sc, c, w), at = 0;
            fprintf(out, "  cpu%u:%s\n", c, n == 0 ? " idle" : "");
            for (uint32_t k = 0; k < n; k++) {
                if (w[k]->offset_us > at) {
                    fprintf(out, "    %8u us .. %8u us  (idle)\n", at, w[k]->offset_us);
                }
                at = w[k]->offset_us + w[k]->duration_us;
                fprintf(out, "    %8u us .. %8u us  %.15s vcpu%u\n", w[k]->offset_us, at,
                        w[k]->part < BH_CFG_MAX_PARTS ? cfg->parts[w[k]->part].name : "?",
                        w[k]->vcpu);
            }
            if (n > 0 && at < sc->major_frame_us) {
                fprintf(out, "    %8u us .. %8u us  (idle)\n", at, sc->major_frame_us);
            }
        }
    }
}

/* The default schedule: one slice per pinned vCPU, rotating. */
static void text_rotation(const struct bh_cfg *cfg, FILE *out)
{
    struct turn t[MAX_TURNS];
    uint32_t busiest = 1;
    for (uint32_t c = 0; c < cfg->num_cpus && c < BH_CFG_MAX_CPUS; c++) {
        uint32_t n = cpu_turns(cfg, c, t);
        busiest = n > busiest ? n : busiest;
    }
    const uint64_t frame = (uint64_t)busiest * cfg->slice_us;
    fprintf(out, "\nSchedule (default: one major frame of %llu us, the rest of a CPU's idle):\n",
            U64(frame));
    for (uint32_t c = 0; c < cfg->num_cpus && c < BH_CFG_MAX_CPUS; c++) {
        uint32_t n = cpu_turns(cfg, c, t);
        fprintf(out, "  cpu%u: %s", c, n == 0 ? "idle\n" : "");
        if (n > 0) {
            fprintf(out, "rotation of %llu us\n", U64((uint64_t)n * cfg->slice_us));
        }
        for (uint32_t k = 0; k < n; k++) {
            fprintf(out, "    %8llu us .. %8llu us  %.15s vcpu%u\n", U64((uint64_t)k * cfg->slice_us),
                    U64((uint64_t)(k + 1u) * cfg->slice_us), cfg->parts[t[k].part].name,
                    t[k].vcpu);
        }
        if (n > 0 && (uint64_t)n * cfg->slice_us < frame) {
            fprintf(out, "    %8llu us .. %8llu us  idle\n", U64((uint64_t)n * cfg->slice_us),
                    U64(frame));
        }
    }
}

/* Who masters DMA and how it is confined: each StreamID and its owner, and
 * each partition carrying the isolation waiver. Nothing without either.
 * Implements: LLR-DMA-021 */
static void text_dma(const struct bh_cfg *cfg, FILE *out)
{
    bool head = false;
    for (uint32_t s = 0; s < cfg->num_streams && s < BH_CFG_MAX_STREAMS; s++) {
        const struct bh_cfg_passthru *d = &cfg->passthru[cfg->streams[s].pt % BH_CFG_MAX_PASSTHRU];
        uint32_t sid = cfg->streams[s].sid;
        if (!head) {
            fprintf(out, "\nDMA:\n");
            head = true;
        }
        fprintf(out, "  StreamID 0x%x (PCIe %02x:%02x.%x) of device 0x%llx: %.15s, through the SMMU "
                     "(guest-physical addresses, its own memory only)\n",
                sid, sid >> 8, (sid >> 3) & 31u, sid & 7u, U64(d->base),
                cfg->parts[d->part % BH_CFG_MAX_PARTS].name);
    }
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        if ((cfg->parts[i].flags & BH_CFG_PART_F_DMA_UNCONFINED) != 0u) {
            if (!head) {
                fprintf(out, "\nDMA:\n");
                head = true;
            }
            fprintf(out, "  %.15s: ISOLATION WAIVER (bulkhead,dma-unconfined): a device it owns "
                         "may master DMA with no SMMU in front, reaching all physical memory\n",
                    cfg->parts[i].name);
        }
    }
}

/* Implements: LLR-TOOL-030 (schedule and memory maps as text). */
void bhs_text(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size, FILE *out)
{
    struct region r[MAX_REGIONS];
    if (cfg->num_scheds != 0u) {
        fprintf(out, "%u CPUs, %u ARINC 653 schedules, %u partitions\n", cfg->num_cpus,
                cfg->num_scheds, cfg->num_parts);
        text_schedules(cfg, out);
    } else {
        fprintf(out, "%u CPUs, rotation slice %u us, %u partitions\n", cfg->num_cpus,
                cfg->slice_us, cfg->num_parts);
        text_rotation(cfg, out);
    }
    fprintf(out, "\nPhysical memory (platform RAM 0x%llx..0x%llx):\n", U64(PLAT_RAM_BASE),
            U64(PLAT_RAM_BASE + PLAT_RAM_SIZE - 1u));
    text_regions(out, r, phys_regions(cfg, blob_off, image_size, r));
    for (uint32_t i = 0; i < cfg->num_parts && i < BH_CFG_MAX_PARTS; i++) {
        const struct bh_cfg_part *p = &cfg->parts[i];
        fprintf(out, "\nGuest-physical memory of %.15s:\n", p->name);
        text_regions(out, r, guest_regions(cfg, i, r));
        fprintf(out, "    image        0x%llx, 0x%x bytes in memory, entry 0x%llx\n",
                U64(p->image_gpa), p->image_mem_size, U64(p->entry_gpa));
        fprintf(out, "    device tree  0x%llx, 0x%x bytes\n", U64(p->dtb_gpa), p->dtb_size);
    }
    text_dma(cfg, out);
}

/* ------------------------------------------------------------------ SVG --- */

#define SVG_FONT "font-family=\"monospace\" font-size=\"12\""
#define SVG_SMALL "font-family=\"monospace\" font-size=\"10\""

/* Create dir/<name>-<what>.svg with its header; a path too long is refused,
 * as a cut one would name another file. Implements: LLR-TOOL-069. */
static FILE *svg_open(const char *dir, const char *name, const char *what, int w, int h,
                      struct bhi_status *st)
{
    char path[BHI_PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%s-%s.svg", dir, name, what);
    if (n < 0 || (size_t)n >= sizeof(path)) { /* cut, it would name another file */
        snprintf(st->msg, sizeof(st->msg), "%.64s...: path longer than %u characters", dir,
                 BHI_PATH_MAX - 1u);
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        snprintf(st->msg, sizeof(st->msg), "%.200s: %s", path, strerror(errno));
        return NULL;
    }
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            w, h, w, h);
    return f;
}

static int svg_close(FILE *f, struct bhi_status *st)
{
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0) {
        snprintf(st->msg, sizeof(st->msg), "writing an SVG file failed");
        return -1;
    }
    return 0;
}

static void svg_box(FILE *f, double x, double y, double w, double h, const char *fill,
                    const char *label)
{
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
            "stroke=\"black\"/>\n<text x=\"%.1f\" y=\"%.1f\" " SVG_FONT
            " text-anchor=\"middle\">%s</text>\n",
            x, y, w, h, fill, x + w / 2, y + h / 2 + 4, label);
}

/* Each schedule's major frame, one row per CPU, each frame scaled to the
 * full width. Implements: LLR-TOOL-041. */
static int frames_svg(const struct bh_cfg *cfg, const char *name, const char *dir,
                      struct bhi_status *st)
{
    const struct bh_cfg_window *w[BH_CFG_MAX_WINDOWS];
    uint32_t cpus = cfg->num_cpus < BH_CFG_MAX_CPUS ? cfg->num_cpus : BH_CFG_MAX_CPUS;
    uint32_t scheds = cfg->num_scheds < BH_CFG_MAX_SCHEDS ? cfg->num_scheds : BH_CFG_MAX_SCHEDS;
    int block = 40 + 60 * (int)cpus;
    FILE *f = svg_open(dir, name, "schedule", 820, 40 + block * (int)scheds, st);
    if (f == NULL) {
        return -1;
    }
    for (uint32_t s = 0; s < scheds; s++) {
        const struct bh_cfg_sched *sc = &cfg->scheds[s];
        double y0 = 10 + block * (double)s, scale = 700.0 / (double)(sc->major_frame_us != 0u ? sc->major_frame_us : 1u);
        fprintf(f, "<text x=\"10\" y=\"%.1f\" " SVG_FONT " font-weight=\"bold\">%s: schedule %u%s, "
                   "major frame %u us</text>\n",
                y0 + 12, name, s, s == 0 ? " (runs at boot)" : "", sc->major_frame_us);
        for (uint32_t c = 0; c < cpus; c++) {
            uint32_t n = cpu_windows(sc, c, w);
            double y = y0 + 25 + 60 * c;
            fprintf(f, "<text x=\"10\" y=\"%.1f\" " SVG_FONT ">cpu%u</text>\n", y + 24, c);
            fprintf(f, "<rect x=\"60\" y=\"%.1f\" width=\"%.1f\" height=\"36\" fill=\"#f4f4f4\" "
                       "stroke=\"gray\"/>\n",
                    y, scale * sc->major_frame_us);
            for (uint32_t k = 0; k < n; k++) {
                char label[48];
                uint32_t p = w[k]->part < BH_CFG_MAX_PARTS ? w[k]->part : 0u;
                snprintf(label, sizeof(label), "%.15s vcpu%u", cfg->parts[p].name, w[k]->vcpu);
                svg_box(f, 60 + scale * w[k]->offset_us, y, scale * w[k]->duration_us, 36,
                        palette[p], label);
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " SVG_SMALL ">%u us</text>\n",
                        60 + scale * w[k]->offset_us, y + 48, w[k]->offset_us);
            }
        }
    }
    return svg_close(f, st);
}

static int schedule_svg(const struct bh_cfg *cfg, const char *name, const char *dir,
                        struct bhi_status *st)
{
    if (cfg->num_scheds != 0u) {
        return frames_svg(cfg, name, dir, st);
    }
    struct turn t[MAX_TURNS];
    uint64_t longest = cfg->slice_us;
    for (uint32_t c = 0; c < cfg->num_cpus && c < BH_CFG_MAX_CPUS; c++) {
        uint64_t len = (uint64_t)cpu_turns(cfg, c, t) * cfg->slice_us;
        longest = len > longest ? len : longest;
    }
    int rows = (int)(cfg->num_cpus < BH_CFG_MAX_CPUS ? cfg->num_cpus : BH_CFG_MAX_CPUS);
    FILE *f = svg_open(dir, name, "schedule", 820, 90 + 60 * rows, st);
    if (f == NULL) {
        return -1;
    }
    double scale = 700.0 / (double)longest;
    fprintf(f, "<text x=\"10\" y=\"22\" " SVG_FONT " font-weight=\"bold\">%s: one rotation of "
               "each CPU, slice %u us (a blocked vCPU's turn is skipped)</text>\n",
            name, cfg->slice_us);
    for (int c = 0; c < rows; c++) {
        uint32_t n = cpu_turns(cfg, (uint32_t)c, t);
        double y = 45 + 60 * c;
        fprintf(f, "<text x=\"10\" y=\"%.1f\" " SVG_FONT ">cpu%d</text>\n", y + 24, c);
        for (uint32_t k = 0; k < n; k++) {
            char label[48];
            snprintf(label, sizeof(label), "%.15s vcpu%u", cfg->parts[t[k].part].name, t[k].vcpu);
            svg_box(f, 60 + scale * k * cfg->slice_us, y, scale * cfg->slice_us, 36,
                    palette[t[k].part], label);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " SVG_FONT ">%llu us</text>\n",
                    60 + scale * k * cfg->slice_us, y + 50, U64((uint64_t)k * cfg->slice_us));
        }
        if (n == 0) {
            fprintf(f, "<text x=\"60\" y=\"%.1f\" " SVG_FONT ">idle</text>\n", y + 24);
        }
    }
    return svg_close(f, st);
}

/* One column of a memory map: boxes in address order (not to scale), a gap
 * strip between regions that do not touch. */
static double svg_column(FILE *f, double x, const char *title, const struct region *r, uint32_t n)
{
    double y = 60;
    fprintf(f, "<text x=\"%.1f\" y=\"48\" " SVG_FONT " font-weight=\"bold\">%s</text>\n", x,
            title);
    for (uint32_t k = 0; k < n; k++) {
        char sz[32], label[128];
        if (k > 0 && r[k - 1u].base + r[k - 1u].size < r[k].base) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " SVG_FONT " fill=\"gray\">...</text>\n",
                    x + 110, y + 12);
            y += 18;
        }
        size_str(r[k].size, sz, sizeof(sz));
        snprintf(label, sizeof(label), "%s, %s", r[k].label, sz);
        svg_box(f, x, y, 250, 40, r[k].color, label);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" " SVG_SMALL ">0x%llx</text>\n",
                x + 2, y + 11, U64(r[k].base));
        y += 40;
    }
    return y;
}

static int memory_svg(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size,
                      const char *name, const char *dir, struct bhi_status *st)
{
    struct region r[MAX_REGIONS];
    uint32_t parts = cfg->num_parts < BH_CFG_MAX_PARTS ? cfg->num_parts : BH_CFG_MAX_PARTS;
    FILE *f = svg_open(dir, name, "memory", 20 + 270 * (int)(parts + 1u),
                       120 + 58 * (int)MAX_REGIONS, st);
    if (f == NULL) {
        return -1;
    }
    fprintf(f, "<text x=\"10\" y=\"22\" " SVG_FONT " font-weight=\"bold\">%s: physical and "
               "guest-physical memory (boxes not to scale; base address at top left)</text>\n",
            name);
    svg_column(f, 10, "physical", r, phys_regions(cfg, blob_off, image_size, r));
    for (uint32_t i = 0; i < parts; i++) {
        char title[48];
        snprintf(title, sizeof(title), "%.15s guest-physical", cfg->parts[i].name);
        double y = svg_column(f, 10 + 270 * (i + 1u), title, r, guest_regions(cfg, i, r));
        fprintf(f,
                "<text x=\"%u\" y=\"%.1f\" " SVG_SMALL ">image 0x%llx (0x%x B), "
                "entry 0x%llx</text>\n<text x=\"%u\" y=\"%.1f\" " SVG_SMALL
                ">device tree 0x%llx (0x%x B)</text>\n",
                10 + 270 * (i + 1u), y + 30, U64(cfg->parts[i].image_gpa),
                cfg->parts[i].image_mem_size, U64(cfg->parts[i].entry_gpa), 10 + 270 * (i + 1u),
                y + 44, U64(cfg->parts[i].dtb_gpa), cfg->parts[i].dtb_size);
    }
    return svg_close(f, st);
}

/* Implements: LLR-TOOL-031 (schedule timeline and memory maps as SVG). */
int bhs_svg(const struct bh_cfg *cfg, uint64_t blob_off, uint64_t image_size, const char *name,
            const char *dir, struct bhi_status *st)
{
    if (schedule_svg(cfg, name, dir, st) != 0) {
        return -1;
    }
    return memory_svg(cfg, blob_off, image_size, name, dir, st);
}
