/* Bulkhead hypercall wrappers and ARINC 653 test helpers; see bulkhead.h. */
#include "bulkhead.h"

#include "fdt.h"

int64_t bh_sched_get(struct bh_sched_status *st)
{
    return hypercall(BH_HC_SCHED_GET, (uint64_t)(uintptr_t)st, 0, 0, 0, 0);
}

int64_t bh_irq_time(struct bh_irq_time *t)
{
    return hypercall(BH_HC_IRQ_TIME, (uint64_t)(uintptr_t)t, 0, 0, 0, 0);
}

int64_t bh_sched_switch(uint32_t id)
{
    return hypercall(BH_HC_SCHED_SWITCH, id, 0, 0, 0, 0);
}

int64_t bh_mode_get(uint32_t part)
{
    return hypercall(BH_HC_MODE_GET, part, 0, 0, 0, 0);
}

int64_t bh_mode_set(uint32_t part, uint32_t mode)
{
    return hypercall(BH_HC_MODE_SET, part, mode, 0, 0, 0);
}

int64_t bh_hm_report(uint64_t code)
{
    gflush();
    return hypercall(BH_HC_HM_REPORT, code, 0, 0, 0, 0);
}

int64_t bh_hm_log_read(struct bh_hm_event *buf, uint32_t max, uint32_t from_seq)
{
    return hypercall(BH_HC_HM_LOG_READ, (uint64_t)(uintptr_t)buf, max, from_seq, 0, 0);
}

int64_t bh_part_id(void)
{
    return hypercall(BH_HC_PART_ID, 0, 0, 0, 0, 0);
}

uint64_t bh_next_window(uint64_t gap, uint64_t deadline, uint64_t *last_before)
{
    uint64_t prev = timer_now();
    uint64_t now;

    for (;;) {
        now = timer_now();
        if (now - prev > gap) {
            break;
        }
        if (deadline != 0u && now >= deadline) {
            return 0;
        }
        prev = now;
    }
    if (last_before != NULL) {
        *last_before = prev;
    }
    return now;
}

const char *bh_bootargs(void)
{
    uint32_t len = 0;
    const char *s = fdt_find_prop((const void *)(uintptr_t)guest_dtb, "chosen", "bootargs", &len);

    return (s != NULL && len > 0u && s[len - 1u] == '\0') ? s : "";
}

/* Position just after "key=" at a token start, or NULL; *from advances. */
static const char *arg_find(const char **from, const char *key)
{
    const char *p = *from;

    while (*p != '\0') {
        const char *tok = p;
        size_t i = 0;
        while (key[i] != '\0' && tok[i] == key[i]) {
            i++;
        }
        while (*p != '\0' && *p != ' ') {
            p++;
        }
        while (*p == ' ') {
            p++;
        }
        if (key[i] == '\0' && tok[i] == '=') {
            *from = p;
            return tok + i + 1;
        }
    }
    *from = p;
    return NULL;
}

uint64_t bh_arg(const char *args, const char *key, uint32_t n, uint64_t dflt)
{
    const char *from = args;
    const char *v = NULL;
    uint32_t k;
    uint64_t val = 0;

    for (k = 0; k <= n; k++) {
        v = arg_find(&from, key);
        if (v == NULL) {
            return dflt;
        }
    }
    if (*v < '0' || *v > '9') {
        return dflt;
    }
    while (*v >= '0' && *v <= '9') {
        val = val * 10u + (uint64_t)(*v - '0');
        v++;
    }
    return val;
}

uint32_t bh_arg_count(const char *args, const char *key)
{
    const char *from = args;
    uint32_t n = 0;

    while (n < 64u && arg_find(&from, key) != NULL) {
        n++;
    }
    return n;
}
