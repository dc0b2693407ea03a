/* A tiny TAP-like test helper for test partitions. */
#include "guest.h"

static uint32_t checks_passed;
static uint32_t checks_failed;

static bool record(bool cond)
{
    if (cond) {
        checks_passed++;
    } else {
        checks_failed++;
    }
    gprintf("%sok %u - ", cond ? "" : "not ", checks_passed + checks_failed);
    return cond;
}

bool check(bool cond, const char *desc)
{
    record(cond);
    gprintf("%s\n", desc);
    return cond;
}

bool checkf(bool cond, const char *fmt, ...)
{
    va_list ap;

    record(cond);
    va_start(ap, fmt);
    gvprintf(fmt, ap);
    va_end(ap);
    gputs("\n");
    return cond;
}

uint32_t test_summary(void)
{
    gprintf("tests: %u passed, %u failed\n", checks_passed, checks_failed);
    return checks_failed;
}

void test_finish(void)
{
    (void)test_summary();
    guest_poweroff();
}
