/*
 * System "vgic". Virtual GIC tests: vgic on CPU 0, witness on CPU 1.
 * Each partition: 16 MiB of guest RAM at 0x40000000, placed at
 * 0x48000000 + 16 MiB * index.
 */
#include "bhimage.h"

const struct sys_desc bh_system = {
    .name = "vgic",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 2,
    .parts =
        {
            {
                .name = "vgic",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x48000000,
                .ram_size = 0x01000000,
                .program = "test_vgic",
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
                .cpus = {1},
            },
        },
};
