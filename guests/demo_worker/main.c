/*
 * Demo: reports the Xen interface it sees, then finds the first primes and
 * sends every sixth to alpha as a numbered work item through the queuing port
 * "work" (guests/lib/demo_ports.h). alpha takes one a tick, so the queue
 * fills: the first refused write is reported (and counted by the port), after
 * which bravo sends only when alpha's event says there is room. Meanwhile it
 * reads charlie's sampling port "sensor" every 100 ms and prints the latest
 * sample with its age and whether it is still valid.
 */
#include "demo_ports.h"
#include "evtchn.h"
#include "guest.h"

#define PRIMES_WANTED 60u
#define REPORT_EVERY 15u
#define ITEM_EVERY (PRIMES_WANTED / DEMO_WORK_ITEMS)
#define SENSOR_HZ 10u
#define SENSOR_READS 7u
#define GIVE_UP_PERIODS 20u /* after the last read, if alpha takes no more */

static struct evtchn_fifo_control_block ctrl_block __attribute__((aligned(64)));
static uint32_t event_page[EVTCHN_WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint32_t items[DEMO_WORK_ITEMS];
static uint32_t next_item = 1u;
static bool full_seen;
static uint64_t period;
static uint64_t deadline;

/* The timer only wakes the main loop, which goes by the counter. */
static void on_other_irq(uint32_t intid)
{
    if (intid == VTIMER_PPI) {
        deadline += period;
        vtimer_arm_at(deadline);
    }
}

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

static void find_primes(void)
{
    uint32_t found = 0;
    uint32_t n;

    for (n = 2; found < PRIMES_WANTED; n++) {
        if (!is_prime(n)) {
            continue;
        }
        found++;
        if (found % ITEM_EVERY == 0u) {
            items[found / ITEM_EVERY - 1u] = n;
        }
        if (found % REPORT_EVERY == 0u) {
            gprintf("primes: %u found, latest %u\n", found, n);
        }
    }
}

/* Send the items not sent yet. Once the queue was found full, wait until
 * there is room rather than have the port refuse (and count) again. */
static void send_work(void)
{
    while (next_item <= DEMO_WORK_ITEMS) {
        struct demo_work_item w = {next_item, items[next_item - 1u]};

        if (full_seen && queuing_count(DEMO_WORK) >= PORT_QUEUE_DEPTH) {
            return;
        }
        if (queuing_send(DEMO_WORK, &w, sizeof(w), 0u) == PORT_FULL) {
            gprintf("queue full at item %u: overflow %u reported, waiting\n", next_item,
                    DEMO_WORK->overflows);
            full_seen = true;
            return;
        }
        next_item++;
        if (next_item > DEMO_WORK_ITEMS) {
            gprintf("all %u work items sent\n", DEMO_WORK_ITEMS);
        }
    }
}

static void read_sensor(void)
{
    uint8_t buf[PORT_MSG_MAX];
    struct demo_sample s;
    uint32_t len = 0;
    uint64_t age = 0;
    uint64_t ms = timer_freq() / 1000u;
    int rc = sampling_read(DEMO_SENSOR, buf, &len, &age, ms * DEMO_SENSOR_VALID_MS);

    if (rc == PORT_EMPTY || len != sizeof(s)) {
        gputs("sensor: no sample yet\n");
        return;
    }
    memcpy(&s, buf, sizeof(s));
    gprintf("sensor #%u = %u.%u C, age %lu ms: %s\n", s.number, s.tenths_c / 10u, s.tenths_c % 10u,
            (unsigned long)(age / ms), rc == PORT_OK ? "valid" : "STALE");
}

int main(void)
{
    char extra[XENVER_EXTRAVERSION_LEN + 1u];
    int64_t ver = hc_xen_version(XENVER_VERSION, 0);
    uint32_t reads = 0;
    uint64_t next_read;
    uint64_t give_up;

    memset(extra, 0, sizeof(extra));
    if (hc_xen_version(XENVER_EXTRAVERSION, (uint64_t)(uintptr_t)extra) != 0) {
        extra[0] = '\0';
    }
    gprintf("Xen version %ld.%ld%s\n", (long)(ver >> 16), (long)(ver & 0xFFFF), extra);
    find_primes();

    gic_init();
    if (evtchn_setup(&ctrl_block, on_other_irq) != 0 || evtchn_add_page(event_page) != 0) {
        gputs("event channels unavailable\n");
    }
    gic_enable_private(VTIMER_PPI, 0x80);
    gprintf("sending %u work items to alpha (queue depth %u)\n", DEMO_WORK_ITEMS, PORT_QUEUE_DEPTH);
    period = timer_freq() / SENSOR_HZ;
    deadline = timer_now() + period;
    next_read = deadline;
    give_up = deadline + period * (SENSOR_READS + GIVE_UP_PERIODS);
    vtimer_arm_at(deadline);
    send_work();
    /* Woken by alpha's room event or the sensor period's timer (or for
     * nothing: WFI may return early), so the loop goes by the counter and
     * ends by the give_up time at the latest. */
    while (reads < SENSOR_READS || next_item <= DEMO_WORK_ITEMS) {
        if (timer_now() >= give_up) {
            break;
        }
        irq_wait();
        send_work();
        if (reads < SENSOR_READS && timer_now() >= next_read) {
            read_sensor();
            reads++;
            next_read += period;
        }
    }
    vtimer_stop();
    if (next_item <= DEMO_WORK_ITEMS) {
        gprintf("gave up: %u work items not sent\n", DEMO_WORK_ITEMS + 1u - next_item);
    }
    gputs("worker done\n");
    return 0;
}
