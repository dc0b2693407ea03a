/*
 * bhplace: automatic placement. A partition without bulkhead,ram-pa gets
 * its RAM from the platform RAM the hypervisor footprint, the hand-placed
 * partitions and the shared regions leave; a partition without
 * bulkhead,cpus gets its vCPUs pinned round-robin. The rule is
 * docs/configuration.md, "Automatic placement"; its result goes into the
 * blob as hand-placed values do.
 */
#include "bhplace.h"

#include <string.h>

#include "platform.h"

#define RANGES (BH_CFG_MAX_PARTS + BH_CFG_MAX_SHMS + 1u)

struct range {
    uint64_t base, end; /* [base, end) */
};

static uint64_t up(uint64_t v, uint64_t a)
{
    return v > UINT64_MAX - (a - 1u) ? UINT64_MAX & ~(a - 1u) : (v + a - 1u) & ~(a - 1u);
}

/* Implements: LLR-TOOL-075 (vCPU k-th unpinned in partition, then vCPU,
 * order is pinned to CPU k mod num_cpus). */
void bhp_pin(struct bhd_system *s)
{
    uint32_t next = 0;
    uint32_t n = s->sys.num_cpus != 0u ? s->sys.num_cpus : 1u;
    for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        struct sys_part_desc *pd = &s->sys.parts[i];
        if (!s->parts[i].auto_cpus) {
            continue;
        }
        for (uint32_t v = 0; v < pd->num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
            pd->cpus[v] = next++ % n;
        }
    }
}

/* Lowest 2 MiB aligned base >= from where size bytes touch no range of
 * taken and end within limit; UINT64_MAX if none. */
static uint64_t first_fit(const struct range *taken, unsigned n, uint64_t from, uint64_t size,
                          uint64_t limit)
{
    uint64_t a = up(from, BHP_ALIGN);
    for (unsigned pass = 0; pass <= n; pass++) {
        int moved = 0;
        for (unsigned k = 0; k < n; k++) {
            if (a < taken[k].end && taken[k].base < a + size) {
                a = up(taken[k].end, BHP_ALIGN);
                moved = 1;
            }
            if (a > limit || size > limit - a) {
                return UINT64_MAX;
            }
        }
        if (!moved) {
            return a <= limit && size <= limit - a ? a : UINT64_MAX;
        }
    }
    return UINT64_MAX;
}

/* Implements: LLR-TOOL-074 (partitions without bulkhead,ram-pa placed in node
 * order, each at the lowest 2 MiB aligned address above the hypervisor
 * footprint clear of the hand-placed partitions, the shared regions and the
 * partitions placed before it, inside platform RAM; no room is an error
 * naming the partition). */
void bhp_place_ram(struct bhd_system *s, uint64_t hyp_end, struct bhd_diag *d)
{
    struct range taken[RANGES];
    unsigned n = 0;
    const uint64_t ram_end = PLAT_RAM_BASE + PLAT_RAM_SIZE;
    for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        const struct sys_part_desc *pd = &s->sys.parts[i];
        if (!s->parts[i].auto_ram && pd->ram_size != 0u && pd->ram_pa <= UINT64_MAX - pd->ram_size) {
            taken[n++] = (struct range){pd->ram_pa, pd->ram_pa + pd->ram_size};
        }
    }
    for (uint32_t k = 0; k < s->sys.num_shms && k < BH_CFG_MAX_SHMS; k++) {
        const struct bh_cfg_shm *sh = &s->sys.shms[k];
        if (sh->size != 0u && sh->pa <= UINT64_MAX - sh->size) {
            taken[n++] = (struct range){sh->pa, sh->pa + sh->size};
        }
    }
    for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        struct sys_part_desc *pd = &s->sys.parts[i];
        if (!s->parts[i].auto_ram || pd->ram_size == 0u) {
            continue;
        }
        uint64_t a = first_fit(taken, n, hyp_end, pd->ram_size, ram_end);
        if (a == UINT64_MAX) {
            bhd_err(d, s->parts[i].node, "memory",
                    "no room for 0x%llx bytes of RAM: platform RAM above the hypervisor "
                    "(0x%llx..0x%llx) is taken by the partitions and shared regions before it; "
                    "place it with bulkhead,ram-pa or take less memory",
                    (unsigned long long)pd->ram_size, (unsigned long long)hyp_end,
                    (unsigned long long)ram_end);
            s->parts[i].bad = 1;
            continue;
        }
        pd->ram_pa = a;
        taken[n++] = (struct range){a, a + pd->ram_size};
    }
}

/* Implements: LLR-TOOL-076 (the placement listed: each partition's RAM and
 * vCPU pinning, marked automatic or from the source). */
void bhp_print(const struct bhd_system *s, FILE *out)
{
    fprintf(out, "placement:\n");
    for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
        const struct sys_part_desc *pd = &s->sys.parts[i];
        fprintf(out, "  %-15s RAM 0x%010llx..0x%010llx %7llu KiB (%s), vCPUs on CPU", s->parts[i].name,
                (unsigned long long)pd->ram_pa, (unsigned long long)(pd->ram_pa + pd->ram_size - 1u),
                (unsigned long long)(pd->ram_size >> 10),
                s->parts[i].auto_ram ? "automatic" : "bulkhead,ram-pa");
        for (uint32_t v = 0; v < pd->num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
            fprintf(out, "%s%u", v == 0u ? " " : ", ", pd->cpus[v]);
        }
        fprintf(out, " (%s)\n", s->parts[i].auto_cpus ? "automatic" : "bulkhead,cpus");
    }
    bhp_print_default_schedule(s, out);
}

/* Implements: LLR-TOOL-089 (without a schedules node, the default schedule
 * listed as the hypervisor builds it: one major frame, slice-us times the
 * most vCPUs pinned to one CPU; on each CPU the vCPUs pinned there, in
 * partition then vCPU order, one slice each from the frame's start; the
 * rest of the frame idle). */
void bhp_print_default_schedule(const struct bhd_system *s, FILE *out)
{
    if (s->sys.num_scheds != 0u) {
        return;
    }
    const uint64_t slice = s->sys.slice_us;
    uint32_t busiest = 1;
    for (uint32_t c = 0; c < s->sys.num_cpus && c < BH_CFG_MAX_CPUS; c++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
            for (uint32_t v = 0; v < s->sys.parts[i].num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
                n += s->sys.parts[i].cpus[v] == c ? 1u : 0u;
            }
        }
        busiest = n > busiest ? n : busiest;
    }
    fprintf(out,
            "default schedule (no schedules node): major frame %llu us, %u slice%s of %llu us\n",
            (unsigned long long)(busiest * slice), busiest, busiest == 1u ? "" : "s",
            (unsigned long long)slice);
    for (uint32_t c = 0; c < s->sys.num_cpus && c < BH_CFG_MAX_CPUS; c++) {
        uint64_t at = 0;
        fprintf(out, "  cpu%u:", c);
        for (uint32_t i = 0; i < s->sys.num_parts && i < BH_CFG_MAX_PARTS; i++) {
            const struct sys_part_desc *pd = &s->sys.parts[i];
            for (uint32_t v = 0; v < pd->num_vcpus && v < BH_CFG_MAX_VCPUS; v++) {
                if (pd->cpus[v] == c) {
                    fprintf(out, "%s %llu..%llu us %s vcpu%u", at == 0u ? "" : ",",
                            (unsigned long long)at, (unsigned long long)(at + slice),
                            s->parts[i].name, v);
                    at += slice;
                }
            }
        }
        if (at < busiest * slice) {
            fprintf(out, "%s %llu..%llu us idle", at == 0u ? "" : ",", (unsigned long long)at,
                    (unsigned long long)(busiest * slice));
        }
        fprintf(out, "\n");
    }
}
