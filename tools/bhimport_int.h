/*
 * bhimport_int.h: what the two halves of the ImageBuilder import share:
 * bhimport_read.c reads the lines, bhimport.c gives them meaning and
 * writes the source.
 */
#ifndef BH_TOOLS_BHIMPORT_INT_H
#define BH_TOOLS_BHIMPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "bhimport.h"
#include "bulkhead/cfg_blob.h"

#define NAME_LEN 64u
#define MAX_NOTES 64u

/* The per-domU variables Bulkhead reads, each NAME[n]. */
enum { V_KERNEL, V_RAMDISK, V_MEM, V_VCPUS, V_CMD, V_NAME, V_STATIC_MEM, V_DIRECT_MAP, V_COUNT };

struct value {
    char text[BHM_VALUE_LEN];
    unsigned line; /* 0: not assigned */
};

struct note {
    char name[NAME_LEN];
    const char *why;
    unsigned line, count;
};

struct import {
    const char *path;
    FILE *err;
    unsigned errors;
    struct value num_domus;
    struct value domu[BH_CFG_MAX_PARTS][V_COUNT];
    unsigned index_line[BH_CFG_MAX_PARTS]; /* first line with this index, 0: none */
    char index_var[BH_CFG_MAX_PARTS][NAME_LEN];
    struct note notes[MAX_NOTES];
    unsigned num_notes;
    char *out;
    size_t out_len, out_size;
};

struct assign {
    char name[NAME_LEN];
    int indexed;
    unsigned index;
    char value[BHM_VALUE_LEN];
};

/* Report an error at line (0: none) of the configuration, on variable var. */
__attribute__((format(printf, 4, 5))) void bhm_err(struct import *m, unsigned line, const char *var,
                                                   const char *fmt, ...);

/* Note name once (later ones counted), printed after the reading. */
void bhm_note(struct import *m, unsigned line, const char *name, const char *why);

int bhm_is_name_char(char ch, int first);

/* Read every line of text, calling bhm_assign for each assignment. */
void bhm_read(struct import *m, const char *text, size_t size);

/* One assignment read at line. */
void bhm_assign(struct import *m, unsigned line, const struct assign *a);

#endif
