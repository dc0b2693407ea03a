/*
 * Freestanding memory, string and formatting helpers of the core.
 * Every loop is bounded by its size argument or by the fixed limits below.
 */
#include "util.h"

/* A format string longer than this is cut: no message of the core is close. */
#define FMT_MAX_CHARS 4096u
/* Field widths above this are clamped; no console line is wider. */
#define FMT_MAX_WIDTH 128u
/* Digits of the largest 64-bit value in decimal (20) or hex (16). */
#define FMT_NUM_DIGITS 20u
/* A field width has at most this many digits (so at most 999 before clamping). */
#define FMT_WIDTH_DIGITS 3u

/* Implements: LLR-UTIL-001 (copy n bytes, regions must not overlap). */
void bh_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t i = 0;
    /* Eight bytes per step when both ends allow it: boot copies images. */
    if ((((uintptr_t)d | (uintptr_t)s) & 7u) == 0u) {
        uint64_t *d8 = dst;
        const uint64_t *s8 = src;
        for (; n - i >= 8u; i += 8u) {
            d8[i / 8u] = s8[i / 8u];
        }
    }
    for (; i < n; i++) {
        d[i] = s[i];
    }
}

/* Implements: LLR-UTIL-001 (fill n bytes with the low byte of c). */
void bh_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char v = (unsigned char)c;
    size_t i = 0;
    if (((uintptr_t)d & 7u) == 0u) {
        uint64_t *d8 = dst;
        uint64_t v8 = (uint64_t)v * 0x0101010101010101ULL;
        for (; n - i >= 8u; i += 8u) {
            d8[i / 8u] = v8;
        }
    }
    for (; i < n; i++) {
        d[i] = v;
    }
}

/* Implements: LLR-UTIL-002 (string length never reads past s[max-1]). */
size_t bh_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0') {
        n++;
    }
    return n;
}

/* Output cursor: characters past the room are counted nowhere, just cut. */
struct fmt_out {
    char *buf;
    size_t size;
    size_t len;
};

/* One parsed conversion specification. */
struct fmt_spec {
    bool zero;      /* '0' flag */
    uint32_t width; /* minimum field width */
    uint32_t lng;   /* number of 'l' (0..2) */
    char conv;      /* conversion character, '\0' if the format ended */
};

static bool out_full(const struct fmt_out *o)
{
    return o->len + 1u >= o->size;
}

static void out_char(struct fmt_out *o, char c)
{
    if (!out_full(o)) {
        o->buf[o->len] = c;
        o->len++;
    }
}

static void out_repeat(struct fmt_out *o, char c, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        out_char(o, c);
    }
}

static void out_chars(struct fmt_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out_char(o, s[i]);
    }
}

/* Pad to the field width, right-justified, with spaces. */
static void out_padded(struct fmt_out *o, const char *s, size_t n, uint32_t width)
{
    if (n < width) {
        out_repeat(o, ' ', width - (uint32_t)n);
    }
    out_chars(o, s, n);
}

/*
 * A number: sign, then digits, padded to width with zeros (after the sign)
 * or with spaces (before it).
 */
static void out_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t value, bool neg)
{
    uint64_t mag = value;
    static const char hex_digits[16] = "0123456789abcdef";
    char digits[FMT_NUM_DIGITS];
    uint32_t nd = 0;
    uint32_t base = (sp->conv == 'x') ? (uint32_t)16u : (uint32_t)10u;
    /* At most FMT_NUM_DIGITS rounds: mag < 2^64 and base >= 10. */
    do {
        digits[FMT_NUM_DIGITS - 1u - nd] = hex_digits[mag % base];
        mag /= base;
        nd++;
    } while (mag != 0u);
    uint32_t used = nd + (neg ? 1u : 0u);
    uint32_t pad = (sp->width > used) ? sp->width - used : 0u;
    if (!sp->zero) {
        out_repeat(o, ' ', pad);
    }
    if (neg) {
        out_char(o, '-');
    }
    if (sp->zero) {
        out_repeat(o, '0', pad);
    }
    out_chars(o, &digits[FMT_NUM_DIGITS - nd], nd);
}

/* Parse flags, width and length after a '%'; returns the index after them. */
static size_t parse_spec(const char *fmt, size_t start, struct fmt_spec *sp)
{
    size_t i = start;
    sp->zero = false;
    sp->width = 0;
    sp->lng = 0;
    if (fmt[i] == '0') {
        sp->zero = true;
        i++;
    }
    for (uint32_t k = 0; k < FMT_WIDTH_DIGITS && fmt[i] >= '0' && fmt[i] <= '9'; k++) {
        sp->width = sp->width * 10u + ((uint32_t)fmt[i] - (uint32_t)'0');
        i++;
    }
    if (sp->width > FMT_MAX_WIDTH) {
        sp->width = FMT_MAX_WIDTH;
    }
    while (fmt[i] == 'l' && sp->lng < 2u) {
        sp->lng++;
        i++;
    }
    sp->conv = fmt[i];
    return i;
}

static uint64_t fetch_unsigned(va_list *ap, uint32_t lng)
{
    if (lng == 2u) {
        return (uint64_t)va_arg(*ap, unsigned long long);
    }
    if (lng == 1u) {
        return (uint64_t)va_arg(*ap, unsigned long);
    }
    return (uint64_t)va_arg(*ap, unsigned int);
}

static int64_t fetch_signed(va_list *ap, uint32_t lng)
{
    if (lng == 2u) {
        return (int64_t)va_arg(*ap, long long);
    }
    if (lng == 1u) {
        return (int64_t)va_arg(*ap, long);
    }
    return (int64_t)va_arg(*ap, int);
}

static void out_string(struct fmt_out *o, const struct fmt_spec *sp, const char *str)
{
    const char *s = str;
    if (s == NULL) {
        s = "(null)";
    }
    out_padded(o, s, bh_strnlen(s, o->size), sp->width);
}

static void out_signed(struct fmt_out *o, const struct fmt_spec *sp, int64_t v)
{
    uint64_t mag = (v < 0) ? (0u - (uint64_t)v) : (uint64_t)v;
    out_number(o, sp, mag, v < 0);
}

/* Emit one known conversion; returns false if conv is not one we support. */
static bool out_conversion(struct fmt_out *o, const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 's':
        out_string(o, sp, va_arg(*ap, const char *));
        return true;
    case 'c':
        out_padded(o, (char[1]){(char)va_arg(*ap, int)}, 1u, sp->width);
        return true;
    case 'd':
        out_signed(o, sp, fetch_signed(ap, sp->lng));
        return true;
    case 'u':
    case 'x':
        out_number(o, sp, fetch_unsigned(ap, sp->lng), false);
        return true;
    case '%':
        out_char(o, '%');
        return true;
    default:
        return false;
    }
}

/*
 * Implements: LLR-UTIL-003 (bounded formatting: %s %c %d %u %x %%, '0' flag,
 * width, 'l'/'ll'; always NUL-terminated; truncates; unknown conversions
 * are copied verbatim and consume no argument; %s of NULL prints "(null)").
 */
size_t bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = {buf, size, 0};
    struct fmt_spec sp;
    va_list args;
    size_t i = 0;

    if (size == 0u) {
        return 0;
    }
    va_copy(args, ap);
    while (i < FMT_MAX_CHARS && fmt[i] != '\0' && !out_full(&o)) {
        if (fmt[i] != '%') {
            out_char(&o, fmt[i]);
            i++;
            continue;
        }
        size_t end = parse_spec(fmt, i + 1u, &sp);
        if (sp.conv == '\0') {
            out_chars(&o, &fmt[i], end - i);
            break;
        }
        if (!out_conversion(&o, &sp, &args)) {
            out_chars(&o, &fmt[i], end + 1u - i);
        }
        i = end + 1u;
    }
    va_end(args);
    buf[o.len] = '\0';
    return o.len;
}

/* Implements: LLR-UTIL-003. */
size_t bh_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = bh_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
