/*
 * Small freestanding helpers of the core: memory, strings, formatting.
 * Implements: LLR-UTIL-001.
 */
#ifndef BH_UTIL_H
#define BH_UTIL_H

#include <stdarg.h>

#include "types.h"

void bh_memcpy(void *dst, const void *src, size_t n);
void bh_memset(void *dst, int c, size_t n);

/* Length of s, at most max (no read past s[max-1]). */
size_t bh_strnlen(const char *s, size_t max);

/*
 * Format into buf (size > 0), always NUL-terminated, truncating.
 * Supports %s %c %d %u %x and %%, with optional '0' flag, field width and
 * 'l'/'ll' length. Returns the number of characters stored (excluding NUL).
 */
size_t bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t bh_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));


#endif
