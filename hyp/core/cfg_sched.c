/*
 * Configuration checks of the ARINC 653 schedules and the health-monitor
 * tables; part of the configuration checker (see cfg.h). Every message
 * names the schedule and window ("scheds[1].windows[3]") or the partition
 * field, and says what is wrong.
 */
#include "cfg_int.h"

#include <stddef.h>

#include "hm.h"
#include "util.h"

#define HM_MODULE_ACTIONS 2u

/* Every entry of a partition's table is a defined error (dma-fault, blob
 * version 4, took the last free one). */
_Static_assert((uint32_t)HM_NUM_ERRORS == BH_CFG_HM_ERRORS, "health-monitor table size");

/* Implements: LLR-CFG-013 */
void cfg_check_part_hm(const struct bh_cfg *c, uint32_t i, struct cfg_report *rep)
{
    const struct bh_cfg_part *p = &c->parts[i];
    for (uint32_t e = 0; e < BH_CFG_HM_ERRORS; e++) {
        /* A partition that powered itself off cannot carry on: no IGNORE. */
        bool ignored_end =
            (e == (uint32_t)HM_ERR_SHUTDOWN && (uint32_t)p->hm_action[e] == (uint32_t)HM_IGNORE);
        if (p->hm_action[e] >= (uint32_t)HM_NUM_ACTIONS || ignored_end) {
            char name[24];
            (void)bh_snprintf(name, sizeof(name), "hm_action[%u]", e);
            cfg_perr(rep, i, name, "%u is not an action for this error", p->hm_action[e]);
        }
    }
    if (p->restart_limit > BH_CFG_MAX_RESTARTS) {
        cfg_perr(rep, i, "restart_limit", "%u above %u", p->restart_limit, BH_CFG_MAX_RESTARTS);
    }
    if (c->num_scheds < 32u && (p->no_window_mask >> c->num_scheds) != 0u) {
        cfg_perr(rep, i, "no_window_mask", "0x%x names schedules beyond num_scheds %u",
                 p->no_window_mask, c->num_scheds);
    }
    if ((p->flags & BH_CFG_PART_F_SYSTEM) != 0u) {
        for (uint32_t j = 0; j < i; j++) {
            if ((c->parts[j].flags & BH_CFG_PART_F_SYSTEM) != 0u) {
                cfg_perr(rep, i, "flags", "second system partition (parts[%u] is one)", j);
                break;
            }
        }
    }
}

/* The n-byte table at mem is all zero. Pre: mem is 8-byte aligned and n a
 * multiple of 8 (the blob is aligned, and the schedule tables' offsets and
 * sizes are multiples of 8, see the static asserts of cfg_blob.h). */
static bool cfg_zero(const void *mem, size_t n)
{
    const uint64_t *w = mem;
    for (size_t k = 0; k < n / 8u; k++) {
        if (w[k] != 0u) {
            return false;
        }
    }
    return true;
}

_Static_assert(sizeof(struct bh_cfg_sched) % 8u == 0u, "cfg_zero works in words");
_Static_assert(sizeof(struct bh_cfg_window) % 8u == 0u, "cfg_zero works in words");

/* One window against the header, its partition, its frame and the window
 * before it in the list. Implements: LLR-CFG-015 */
static void cfg_check_window(const struct bh_cfg *c, uint32_t s, uint32_t k,
                             struct cfg_report *rep)
{
    const struct bh_cfg_sched *sc = &c->scheds[s];
    const struct bh_cfg_window *w = &sc->windows[k];
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "scheds[%u].windows[%u]", s, k);

    if (w->reserved0 != 0u || w->reserved1 != 0u) {
        cfg_err(rep, field, "reserved fields must be zero");
    }
    if (w->cpu >= c->num_cpus) {
        cfg_err(rep, field, "cpu %u not below num_cpus %u", w->cpu, c->num_cpus);
    }
    /* num_parts and num_vcpus may themselves be out of range (reported
     * elsewhere): the table bounds keep the lookups below inside the blob. */
    if (w->part >= c->num_parts || w->part >= BH_CFG_MAX_PARTS) {
        cfg_err(rep, field, "partition %u not configured (num_parts %u)", w->part, c->num_parts);
    } else if (w->vcpu >= c->parts[w->part].num_vcpus || w->vcpu >= BH_CFG_MAX_VCPUS) {
        cfg_err(rep, field, "vcpu %u not configured in partition %u (num_vcpus %u)", w->vcpu,
                w->part, c->parts[w->part].num_vcpus);
    } else if (c->parts[w->part].vcpu_cpu[w->vcpu] != w->cpu) {
        cfg_err(rep, field, "on cpu %u, but partition %u vcpu %u is pinned to cpu %u", w->cpu,
                w->part, w->vcpu, c->parts[w->part].vcpu_cpu[w->vcpu]);
    } else {
        /* window owner valid */
    }
    if (w->duration_us < BH_CFG_MIN_WINDOW_US) {
        cfg_err(rep, field, "duration %u us under the minimum %u us", w->duration_us,
                BH_CFG_MIN_WINDOW_US);
    }
    if ((uint64_t)w->offset_us + w->duration_us > sc->major_frame_us) {
        cfg_err(rep, field, "%u+%u us ends outside the %u us frame", w->offset_us, w->duration_us,
                sc->major_frame_us);
    }
    if (k > 0u) {
        const struct bh_cfg_window *pw = &sc->windows[k - 1u];
        if (pw->cpu > w->cpu || (pw->cpu == w->cpu && pw->offset_us >= w->offset_us)) {
            cfg_err(rep, field, "not listed by cpu, then offset, after windows[%u]", k - 1u);
        } else if (pw->cpu == w->cpu && (uint64_t)pw->offset_us + pw->duration_us > w->offset_us) {
            cfg_err(rep, field, "overlaps windows[%u] on cpu %u", k - 1u, w->cpu);
        } else {
            /* ordered after the previous window */
        }
    }
}

/* Partition i has a window in schedule s, or declared it has none, and its
 * period divides the frame. Pre: sc->num_windows <= BH_CFG_MAX_WINDOWS
 * (cfg_check_schedules skips a schedule that breaks it).
 * Implements: LLR-CFG-016 */
static void cfg_check_presence(const struct bh_cfg *c, uint32_t s, uint32_t i,
                               struct cfg_report *rep)
{
    const struct bh_cfg_sched *sc = &c->scheds[s];
    const struct bh_cfg_part *p = &c->parts[i];
    bool has = false;
    char field[CFG_FIELD_LEN];
    (void)bh_snprintf(field, sizeof(field), "scheds[%u]", s);
    for (uint32_t k = 0; k < sc->num_windows; k++) {
        has = has || (sc->windows[k].part == i);
    }
    if (!has && ((p->no_window_mask >> s) & 1u) == 0u) {
        cfg_err(rep, field, "partition %u has no window and does not declare none", i);
    }
    if (has && p->period_us != 0u && sc->major_frame_us % p->period_us != 0u) {
        cfg_err(rep, field, "partition %u period %u us does not divide the %u us frame", i,
                p->period_us, sc->major_frame_us);
    }
}

/* Implements: LLR-CFG-014 */
void cfg_check_schedules(const struct bh_cfg *c, struct cfg_report *rep)
{
    if (c->num_scheds > BH_CFG_MAX_SCHEDS) {
        cfg_err(rep, "header.num_scheds", "%u above %u", c->num_scheds, BH_CFG_MAX_SCHEDS);
        return;
    }
    if (c->module_hm_action >= HM_MODULE_ACTIONS) {
        cfg_err(rep, "header.module_hm_action", "%u is neither halt (0) nor reset (1)",
                c->module_hm_action);
    }
    for (uint32_t s = 0; s < BH_CFG_MAX_SCHEDS; s++) {
        const struct bh_cfg_sched *sc = &c->scheds[s];
        char field[CFG_FIELD_LEN];
        (void)bh_snprintf(field, sizeof(field), "scheds[%u]", s);
        if (s >= c->num_scheds) {
            if (!cfg_zero(sc, sizeof(*sc))) {
                cfg_err(rep, field, "unused (num_scheds %u) but not all zero", c->num_scheds);
            }
            continue;
        }
        if (sc->major_frame_us < BH_CFG_MIN_WINDOW_US || sc->major_frame_us > BH_CFG_MAX_FRAME_US) {
            cfg_err(rep, field, "major frame %u us not in %u..%u", sc->major_frame_us,
                    BH_CFG_MIN_WINDOW_US, BH_CFG_MAX_FRAME_US);
        }
        if (sc->num_windows > BH_CFG_MAX_WINDOWS) {
            cfg_err(rep, field, "%u windows, at most %u", sc->num_windows, BH_CFG_MAX_WINDOWS);
            continue;
        }
        for (uint32_t k = 0; k < BH_CFG_MAX_WINDOWS; k++) {
            if (k < sc->num_windows) {
                cfg_check_window(c, s, k, rep);
            } else if (!cfg_zero(&sc->windows[k], sizeof(sc->windows[k]))) {
                cfg_err(rep, field, "windows[%u] unused but not all zero", k);
            } else {
                /* unused window, all zero */
            }
        }
        for (uint32_t i = 0; i < c->num_parts && i < BH_CFG_MAX_PARTS; i++) {
            cfg_check_presence(c, s, i, rep);
        }
    }
}
