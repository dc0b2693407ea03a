/* Formatted console output, one CONSOLEIO_write per line. */
#include "guest.h"

#define LINE_MAX_LEN 240u

static char line_buf[LINE_MAX_LEN];
static size_t line_len;

/* CONSOLEIO_write may take fewer bytes than offered (it returns the count it
 * took, or 0 for all of them, as Xen does); send the rest, a bounded number
 * of times. */
void gflush(void)
{
    size_t sent = 0;
    uint32_t tries;
    int64_t rc;

    for (tries = 0; tries < LINE_MAX_LEN && sent < line_len; tries++) {
        rc = hc_console_write((uint64_t)(uintptr_t)&line_buf[sent], line_len - sent);
        if (rc < 0) {
            break;
        }
        sent = (rc == 0 || (uint64_t)rc > line_len - sent) ? line_len : sent + (size_t)rc;
    }
    line_len = 0;
}

static void put_char(char c)
{
    line_buf[line_len++] = c;
    if (c == '\n' || line_len == LINE_MAX_LEN) {
        gflush();
    }
}

void gputs(const char *s)
{
    while (*s != '\0') {
        put_char(*s++);
    }
}

struct spec {
    bool zero;
    unsigned width;
    unsigned length; /* 0: int, 1: long / long long / size_t */
};

static void put_number(uint64_t v, unsigned base, bool negative, const struct spec *sp, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    unsigned n = 0;
    unsigned len;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0u);
    len = n + (negative ? 1u : 0u);
    if (negative && sp->zero) {
        put_char('-');
    }
    for (; len < sp->width; len++) {
        put_char(sp->zero ? '0' : ' ');
    }
    if (negative && !sp->zero) {
        put_char('-');
    }
    while (n > 0u) {
        put_char(tmp[--n]);
    }
}

static const char *parse_spec(const char *f, struct spec *sp)
{
    sp->zero = false;
    sp->width = 0;
    sp->length = 0;
    if (*f == '0') {
        sp->zero = true;
        f++;
    }
    while (*f >= '0' && *f <= '9') {
        sp->width = sp->width * 10u + (unsigned)(*f - '0');
        f++;
    }
    while (*f == 'l' || *f == 'z') {
        sp->length = 1;
        f++;
    }
    return f;
}

static void put_signed(va_list *ap, const struct spec *sp)
{
    int64_t v = sp->length ? va_arg(*ap, int64_t) : (int64_t)va_arg(*ap, int);
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    put_number(mag, 10, v < 0, sp, false);
}

static void put_unsigned(va_list *ap, const struct spec *sp, unsigned base, bool upper)
{
    uint64_t v = sp->length ? va_arg(*ap, uint64_t) : (uint64_t)va_arg(*ap, unsigned);

    put_number(v, base, false, sp, upper);
}

void gvprintf(const char *fmt, va_list ap)
{
    va_list args;
    struct spec sp;
    const char *s;

    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            put_char(*fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp);
        switch (*fmt) {
        case 'd':
        case 'i':
            put_signed(&args, &sp);
            break;
        case 'u':
            put_unsigned(&args, &sp, 10, false);
            break;
        case 'x':
        case 'X':
            put_unsigned(&args, &sp, 16, *fmt == 'X');
            break;
        case 'p':
            gputs("0x");
            sp.length = 1;
            put_number((uint64_t)(uintptr_t)va_arg(args, void *), 16, false, &sp, false);
            break;
        case 's':
            s = va_arg(args, const char *);
            gputs(s != NULL ? s : "(null)");
            break;
        case 'c':
            put_char((char)va_arg(args, int));
            break;
        case '\0':
            va_end(args);
            return;
        default:
            put_char(*fmt);
            break;
        }
        fmt++;
    }
    va_end(args);
}

void gprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    gvprintf(fmt, ap);
    va_end(ap);
}

void gprint_tenths(uint64_t tenths)
{
    gprintf("%lu.%lu", (unsigned long)(tenths / 10u), (unsigned long)(tenths % 10u));
}
