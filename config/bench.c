/*
 * System "bench". Benchmarks: one partition alone on CPU 0.
 * Each partition: 16 MiB of guest RAM at 0x40000000, placed at
 * 0x48000000 + 16 MiB * index.
 */
#include "bhimage.h"

const struct sys_desc bh_system = {
    .name = "bench",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 1,
    .parts =
        {
            {
                .name = "bench",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x48000000,
                .ram_size = 0x01000000,
                .program = "bench",
                .num_vcpus = 1,
                .cpus = {0},
            },
        },
};
