/*
 * System "vtimer". Virtual timers: timer_a and timer_b share CPU 0, timer_c runs on CPU 1.
 * Each partition: 16 MiB of guest RAM at 0x40000000, placed at
 * 0x48000000 + 16 MiB * index.
 */
#include "bhimage.h"

const struct sys_desc bh_system = {
    .name = "vtimer",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 3,
    .parts =
        {
            {
                .name = "timer_a",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x48000000,
                .ram_size = 0x01000000,
                .program = "test_vtimer",
                .num_vcpus = 1,
                .cpus = {0},
            },
            {
                .name = "timer_b",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x49000000,
                .ram_size = 0x01000000,
                .program = "test_vtimer",
                .num_vcpus = 1,
                .cpus = {0},
            },
            {
                .name = "timer_c",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x4A000000,
                .ram_size = 0x01000000,
                .program = "test_vtimer",
                .num_vcpus = 1,
                .cpus = {1},
            },
        },
};
