/* Demo: reports the Xen interface it sees, then finds the first primes. */
#include "guest.h"

#define PRIMES_WANTED 60u
#define REPORT_EVERY 15u

static bool is_prime(uint32_t n)
{
    uint32_t d;

    if (n < 2u) {
        return false;
    }
    for (d = 2; d * d <= n; d++) {
        if (n % d == 0u) {
            return false;
        }
    }
    return true;
}

int main(void)
{
    char extra[XENVER_EXTRAVERSION_LEN + 1u];
    int64_t ver = hc_xen_version(XENVER_VERSION, 0);
    uint32_t found = 0;
    uint32_t n;

    memset(extra, 0, sizeof(extra));
    if (hc_xen_version(XENVER_EXTRAVERSION, (uint64_t)(uintptr_t)extra) != 0) {
        extra[0] = '\0';
    }
    gprintf("Xen version %ld.%ld%s\n", (long)(ver >> 16), (long)(ver & 0xFFFF), extra);
    for (n = 2; found < PRIMES_WANTED; n++) {
        if (!is_prime(n)) {
            continue;
        }
        found++;
        if (found % REPORT_EVERY == 0u) {
            gprintf("primes: %u found, latest %u\n", found, n);
        }
    }
    gputs("worker done\n");
    return 0;
}
