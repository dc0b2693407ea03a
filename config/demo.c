/*
 * System "demo". The demo system: a ticker, a worker and an event-channel sharer; alpha and
 * charlie share CPU 0.
 * Each partition: 16 MiB of guest RAM at 0x40000000, placed at
 * 0x48000000 + 16 MiB * index.
 */
#include "bhimage.h"

const struct sys_desc bh_system = {
    .name = "demo",
    .num_cpus = 2,
    .slice_us = 10000,
    .num_parts = 3,
    .parts =
        {
            {
                .name = "alpha",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x48000000,
                .ram_size = 0x01000000,
                .program = "demo_ticker",
                .num_vcpus = 1,
                .cpus = {0},
            },
            {
                .name = "bravo",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x49000000,
                .ram_size = 0x01000000,
                .program = "demo_worker",
                .num_vcpus = 1,
                .cpus = {1},
            },
            {
                .name = "charlie",
                .ram_gpa = 0x40000000,
                .ram_pa = 0x4A000000,
                .ram_size = 0x01000000,
                .program = "demo_sharer",
                .num_vcpus = 1,
                .cpus = {0},
            },
        },
};
