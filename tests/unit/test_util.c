/* Unit tests of hyp/core/util.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "arch_inline.h"
#include "util.h"

/* Format and compare; returns the length bh_snprintf reported. */
#define CHECK_FMT(expect, ...)                                                                     \
    do {                                                                                           \
        char buf_[128];                                                                            \
        size_t n_ = bh_snprintf(buf_, sizeof(buf_), __VA_ARGS__);                                  \
        assert_string_equal(buf_, expect);                                                         \
        assert_int_equal(n_, sizeof(expect) - 1u);                                                 \
    } while (0)

/* Same as bh_snprintf without the compiler's format checking, so that the
 * tests can pass conversions the compiler rightly rejects. */
static size_t fmt_raw(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = bh_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define CHECK_RAW(expect, ...)                                                                     \
    do {                                                                                           \
        char buf_[128];                                                                            \
        size_t n_ = fmt_raw(buf_, sizeof(buf_), __VA_ARGS__);                                      \
        assert_string_equal(buf_, expect);                                                         \
        assert_int_equal(n_, sizeof(expect) - 1u);                                                 \
    } while (0)

/* Verifies: LLR-UTIL-001 */
static void test_memcpy_memset(void **state)
{
    (void)state;
    unsigned char a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    unsigned char b[8] = {0};
    bh_memcpy(b, a, 5);
    assert_memory_equal(b, a, 5);
    assert_int_equal(b[5], 0);
    bh_memcpy(b, a, 0);
    bh_memset(b, 0x1A5, 3); /* only the low byte is used */
    assert_int_equal(b[0], 0xA5);
    assert_int_equal(b[2], 0xA5);
    assert_int_equal(b[3], 4);
    bh_memset(b, 0, 0);
    assert_int_equal(b[0], 0xA5);
}

/* Verifies: LLR-UTIL-001 (aligned buffers take the eight-byte path, with a
 * byte-wise tail; misaligned ones stay byte-wise; results are the same) */
static void test_memcpy_memset_wide(void **state)
{
    (void)state;
    static _Alignas(8) unsigned char src[40];
    static _Alignas(8) unsigned char dst[40];
    for (unsigned i = 0; i < sizeof(src); i++) {
        src[i] = (unsigned char)(i * 7u + 1u);
    }
    memset(dst, 0, sizeof(dst));
    bh_memcpy(dst, src, 21); /* two words and a 5-byte tail */
    assert_memory_equal(dst, src, 21);
    assert_int_equal(dst[21], 0);
    memset(dst, 0, sizeof(dst));
    bh_memcpy(dst + 1, src, 16); /* destination misaligned */
    assert_memory_equal(dst + 1, src, 16);
    bh_memcpy(dst, src + 3, 16); /* source misaligned */
    assert_memory_equal(dst, src + 3, 16);
    bh_memset(dst, 0x5A, 19);
    for (unsigned i = 0; i < 19u; i++) {
        assert_int_equal(dst[i], 0x5A);
    }
    assert_int_equal(dst[19], 0);
    bh_memset(dst + 1, 0, 9);
    assert_int_equal(dst[0], 0x5A);
    assert_int_equal(dst[9], 0);
    assert_int_equal(dst[10], 0x5A);
}

/* The host's arch_index_nospec (tests/unit/arch_inline.h), which every
 * unit test runs with: idx below size kept, at or above it 0, at the ends
 * of the 32-bit range too. */
static void test_index_nospec(void **state)
{
    (void)state;
    assert_int_equal(arch_index_nospec(0, 1), 0);
    assert_int_equal(arch_index_nospec(5, 10), 5);
    assert_int_equal(arch_index_nospec(9, 10), 9);
    assert_int_equal(arch_index_nospec(10, 10), 0);
    assert_int_equal(arch_index_nospec(11, 10), 0);
    assert_int_equal(arch_index_nospec(7, 0), 0);
    assert_int_equal(arch_index_nospec(UINT32_MAX - 1u, UINT32_MAX), UINT32_MAX - 1u);
    assert_int_equal(arch_index_nospec(UINT32_MAX, UINT32_MAX), 0);
    assert_int_equal(arch_index_nospec(UINT32_MAX, 1), 0);
}

/* Verifies: LLR-UTIL-002 */
static void test_strnlen(void **state)
{
    (void)state;
    char s[4] = {'a', 'b', 'c', 'd'}; /* not terminated: must not read past max */
    assert_int_equal(bh_strnlen("hello", 16), 5);
    assert_int_equal(bh_strnlen("", 16), 0);
    assert_int_equal(bh_strnlen(s, 4), 4);
    assert_int_equal(bh_strnlen(s, 2), 2);
    assert_int_equal(bh_strnlen(s, 0), 0);
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_strings_chars(void **state)
{
    (void)state;
    CHECK_FMT("plain text", "plain text");
    CHECK_FMT("a=foo!", "a=%s!", "foo");
    CHECK_RAW("(null)", "%s", (const char *)NULL);
    CHECK_FMT("[  ab]", "[%4s]", "ab");
    CHECK_FMT("[abcdef]", "[%4s]", "abcdef");
    CHECK_FMT("x-y", "%c-%c", 'x', 'y');
    CHECK_FMT("[  z]", "[%3c]", 'z');
    CHECK_FMT("100%", "100%%");
    CHECK_RAW("", "");
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_numbers(void **state)
{
    (void)state;
    CHECK_FMT("0 42 -42", "%d %d %d", 0, 42, -42);
    CHECK_FMT("-2147483648", "%d", (int)INT32_MIN);
    CHECK_FMT("4294967295", "%u", 0xffffffffu);
    CHECK_FMT("deadbeef", "%x", 0xdeadbeefu);
    CHECK_FMT("0", "%x", 0u);
    CHECK_FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
    CHECK_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    CHECK_FMT("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
    CHECK_FMT("123456789012", "%lu", 123456789012ul);
    CHECK_FMT("-5", "%ld", -5l);
    CHECK_FMT("abc", "%lx", 0xabcul);
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_width_zero(void **state)
{
    (void)state;
    CHECK_FMT("[   42]", "[%5d]", 42);
    CHECK_FMT("[00042]", "[%05d]", 42);
    CHECK_FMT("[  -42]", "[%5d]", -42);
    CHECK_FMT("[-0042]", "[%05d]", -42);
    CHECK_FMT("0x0000beef", "0x%08x", 0xbeefu);
    CHECK_FMT("123456", "%3u", 123456u);
    CHECK_FMT("7", "%0u", 7u);
    /* Widths are clamped to 128 columns. */
    char buf[256];
    size_t n = bh_snprintf(buf, sizeof(buf), "%999d", 1);
    assert_int_equal(n, 128);
    assert_int_equal(buf[126], ' ');
    assert_int_equal(buf[127], '1');
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_unknown_verbatim(void **state)
{
    (void)state;
    CHECK_RAW("%q 5", "%q %d", 5);
    CHECK_RAW("%5q", "%5q");
    CHECK_RAW("%08lp 3", "%08lp %u", 3u);
    CHECK_RAW("end %", "end %");
    CHECK_RAW("end %05l", "end %05l");
    /* Three 'l' are one too many: the third is the (unknown) conversion. */
    CHECK_RAW("%llld", "%llld", 1ll);
    /* A width has at most three digits; the fourth is the conversion. */
    CHECK_RAW("%1234d", "%1234d", 1);
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_truncation(void **state)
{
    (void)state;
    char buf[6];
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "hello world"), 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "%s", "abcdefgh"), 5);
    assert_string_equal(buf, "abcde");
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "ab%d", 123456), 5);
    assert_string_equal(buf, "ab123");
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "%8d", 1), 5);
    assert_string_equal(buf, "     ");
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "%08d", -1), 5);
    assert_string_equal(buf, "-0000");
    assert_int_equal(bh_snprintf(buf, sizeof(buf), "abcd%%%%"), 5);
    assert_string_equal(buf, "abcd%");
    assert_int_equal(fmt_raw(buf, sizeof(buf), "abc%qxyz"), 5);
    assert_string_equal(buf, "abc%q");
    assert_int_equal(bh_snprintf(buf, 1, "abc"), 0);
    assert_string_equal(buf, "");
    buf[0] = 'Z';
    assert_int_equal(bh_snprintf(buf, 0, "abc"), 0);
    assert_int_equal(buf[0], 'Z'); /* size 0: nothing written */
}

/* Verifies: LLR-UTIL-003 */
static void test_fmt_long_format_cut(void **state)
{
    (void)state;
    static char fmt[5000];
    static char out[5000];
    for (size_t i = 0; i < sizeof(fmt) - 1u; i++) {
        fmt[i] = 'a';
    }
    fmt[sizeof(fmt) - 1u] = '\0';
    /* Formats longer than 4096 characters are cut there. */
    assert_int_equal(bh_snprintf(out, sizeof(out), fmt, 0), 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset),     cmocka_unit_test(test_memcpy_memset_wide),
        cmocka_unit_test(test_strnlen),           cmocka_unit_test(test_index_nospec),
        cmocka_unit_test(test_fmt_strings_chars), cmocka_unit_test(test_fmt_numbers),
        cmocka_unit_test(test_fmt_width_zero),    cmocka_unit_test(test_fmt_unknown_verbatim),
        cmocka_unit_test(test_fmt_truncation),    cmocka_unit_test(test_fmt_long_format_cut),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
