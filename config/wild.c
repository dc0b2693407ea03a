/*
 * System "wild". Fault containment: wild misbehaves on CPU 0 next to witness; witness2 runs
 * alone on CPU 1.
 * Each partition: 16 MiB of guest RAM at 0x40000000, placed at
 * 0x48000000 + 16 MiB * index.
 */
#include "bhimage.h"

const struct sys_desc bh_system = {
    .name = "wild",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 3,
    .parts =
        {
            {
                .name = "wild",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x48000000,
                .ram_size = 0x01000000,
                .program = "test_wild",
                .num_vcpus = 1,
                .cpus = {0},
            },
            {
                .name = "witness",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x49000000,
                .ram_size = 0x01000000,
                .program = "witness",
                .num_vcpus = 1,
                .cpus = {0},
            },
            {
                .name = "witness2",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x4A000000,
                .ram_size = 0x01000000,
                .program = "witness",
                .num_vcpus = 1,
                .cpus = {1},
            },
        },
};
