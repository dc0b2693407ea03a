/* Unit tests of hyp/core/console.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "fake_arch.h"
#include "part.h"

static struct partition alpha;
static struct partition beta;

/* Ticks that earn one line at the fake's default 62.5 MHz. */
#define TICKS_PER_LINE (62500000u / CONSOLE_LINES_PER_SEC)

static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    memset(&alpha, 0, sizeof(alpha));
    memset(&beta, 0, sizeof(beta));
    alpha.id = 0;
    strcpy(alpha.name, "alpha");
    beta.id = 3;
    strcpy(beta.name, "beta");
    console_init();
    return 0;
}

static void put(struct partition *p, const char *s)
{
    console_guest_write(p, s, strlen(s));
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += (*s == '\n') ? 1u : 0u;
    }
    return n;
}

/* A hypervisor line about p, as the health monitor queues one:
 * "(bulkhead) partition <name> vcpu <vcpu> health monitor: <text> -> I". */
static void hyp_line(const struct partition *p, uint32_t vcpu, const char *text)
{
    struct console_rec r = {.kind = CONSOLE_REC_HM, .vcpu = vcpu, .text = text, .text2 = "I"};
    console_log_part(p, &r);
}

/* Verifies: LLR-CON-002 */
static void test_log_line(void **state)
{
    (void)state;
    console_log("started %u partitions, %s", 2u, "ok");
    assert_string_equal(fake.console, "(bulkhead) started 2 partitions, ok\n");
    assert_int_equal(fake.console_len, strlen(fake.console));
}

/* Verifies: LLR-CON-002 */
static void test_log_sanitised_one_line(void **state)
{
    (void)state;
    console_log("a\nb\r\x1b[2Jc\n");
    assert_string_equal(fake.console, "(bulkhead) ab?[2Jc\n");
}

/* Verifies: LLR-CON-002 */
static void test_log_truncated(void **state)
{
    (void)state;
    char big[400];
    memset(big, 'x', sizeof(big) - 1u);
    big[sizeof(big) - 1u] = '\0';
    console_log("%s", big);
    assert_int_equal(count_lines(fake.console), 1);
    assert_true(fake.console_len > 11u + CONSOLE_LINE_MAX);
    assert_true(fake.console_len < 11u + 300u);
    assert_memory_equal(fake.console, "(bulkhead) xxx", 14);
    assert_int_equal(fake.console[fake.console_len - 1u], '\n');
    assert_int_equal(fake.console[fake.console_len - 2u], 'x');
}

/* Verifies: LLR-CON-003 */
static void test_guest_line_assembly(void **state)
{
    (void)state;
    put(&alpha, "hel");
    assert_int_equal(fake.console_len, 0); /* nothing until the line ends */
    put(&alpha, "lo\nwor");
    assert_string_equal(fake.console, "[alpha] hello\n");
    put(&alpha, "ld\n\n");
    assert_string_equal(fake.console, "[alpha] hello\n[alpha] world\n[alpha] \n");
    console_guest_write(&alpha, "zzz", 0);
    assert_int_equal(count_lines(fake.console), 3);
}

/* Verifies: LLR-CON-003 */
static void test_guest_cr_dropped(void **state)
{
    (void)state;
    put(&alpha, "one\r\ntwo\r\r\n\r");
    assert_string_equal(fake.console, "[alpha] one\n[alpha] two\n");
    console_guest_flush(&alpha); /* a lone '\r' leaves nothing pending */
    assert_string_equal(fake.console, "[alpha] one\n[alpha] two\n");
}

/* Verifies: LLR-CON-003 */
static void test_guest_non_printable(void **state)
{
    (void)state;
    const char s[] = "\x1b[31mX\t\x7f\x80\x01~ \n";
    console_guest_write(&alpha, s, sizeof(s) - 1u);
    assert_string_equal(fake.console, "[alpha] ?[31mX????~ \n");
    /* An embedded NUL is a byte like any other, not a terminator. */
    fake_console_clear();
    console_guest_write(&alpha, "a\0b\n", 4);
    assert_string_equal(fake.console, "[alpha] a?b\n");
}

/* Verifies: LLR-CON-003 */
static void test_guest_split_long_line(void **state)
{
    (void)state;
    char s[251];
    memset(s, 'a', 250);
    s[250] = '\n';
    console_guest_write(&alpha, s, sizeof(s));
    console_flush_all(); /* more than one drain step */
    assert_int_equal(count_lines(fake.console), 3);
    const char *l1 = fake.console;
    const char *l2 = strchr(l1, '\n') + 1;
    const char *l3 = strchr(l2, '\n') + 1;
    assert_int_equal(l2 - l1, 8 + CONSOLE_LINE_MAX + 1);
    assert_int_equal(l3 - l2, 8 + CONSOLE_LINE_MAX + 1);
    assert_string_equal(l3, "[alpha] aaaaaaaaaa\n");
    assert_memory_equal(l2, "[alpha] aaa", 11);
}

/* Verifies: LLR-CON-003 */
static void test_guest_exact_line_not_split(void **state)
{
    (void)state;
    char s[CONSOLE_LINE_MAX + 1u];
    memset(s, 'b', CONSOLE_LINE_MAX);
    s[CONSOLE_LINE_MAX] = '\n';
    console_guest_write(&alpha, s, sizeof(s));
    console_flush_all(); /* more than one drain step */
    assert_int_equal(count_lines(fake.console), 1);
    assert_int_equal(fake.console_len, 8 + CONSOLE_LINE_MAX + 1);
    /* Without a newline, a full line waits for the next character. */
    fake_console_clear();
    console_guest_write(&alpha, s, CONSOLE_LINE_MAX);
    assert_int_equal(fake.console_len, 0);
    put(&alpha, "c");
    console_flush_all();
    assert_int_equal(count_lines(fake.console), 1);
    console_guest_flush(&alpha);
    assert_string_equal(strchr(fake.console, '\n') + 1, "[alpha] c\n");
}

/* Verifies: LLR-CON-003 */
static void test_guest_flush(void **state)
{
    (void)state;
    put(&alpha, "partial");
    console_guest_flush(&alpha);
    assert_string_equal(fake.console, "[alpha] partial\n");
    console_guest_flush(&alpha); /* nothing pending: nothing printed */
    console_guest_flush(&beta);
    assert_string_equal(fake.console, "[alpha] partial\n");
    assert_int_equal(fake.console_len, 16);
}

/* Verifies: LLR-CON-003 */
static void test_guest_interleaving_whole_lines(void **state)
{
    (void)state;
    put(&alpha, "AAA");
    put(&beta, "BB");
    put(&alpha, "aa");
    put(&beta, "b\nnext");
    put(&alpha, "a\n");
    put(&beta, "\n");
    assert_string_equal(fake.console, "[beta] BBb\n[alpha] AAAaaa\n[beta] next\n");
    console_log("between");
    put(&alpha, "x\n");
    assert_string_equal(strstr(fake.console, "(bulkhead)"), "(bulkhead) between\n[alpha] x\n");
}

/* Verifies: LLR-CON-003 */
static void test_guest_bad_arguments_ignored(void **state)
{
    (void)state;
    struct partition bogus;
    memset(&bogus, 0, sizeof(bogus));
    bogus.id = BH_MAX_PARTS;
    strcpy(bogus.name, "bogus");
    put(&bogus, "hi\n");
    console_guest_flush(&bogus);
    console_guest_write(NULL, "hi\n", 3);
    console_guest_flush(NULL);
    console_guest_write(&alpha, NULL, 3);
    assert_int_equal(fake.console_len, 0);
}

/* Verifies: LLR-CON-003 */
static void test_guest_name_sanitised(void **state)
{
    (void)state;
    memset(alpha.name, 'n', sizeof(alpha.name)); /* no NUL at all */
    alpha.name[2] = '\x1b';
    put(&alpha, "x\n");
    assert_string_equal(fake.console, "[nn?nnnnnnnnnnnn] x\n");
}

/* Fill alpha's bucket: BURST lines go out back to back. */
static void emit_burst(struct partition *p)
{
    for (uint32_t i = 0; i < CONSOLE_BURST_LINES; i++) {
        put(p, "l\n");
    }
}

/* Verifies: LLR-CON-004, LLR-CON-005 */
static void test_rate_limit_drop_and_report(void **state)
{
    (void)state;
    emit_burst(&alpha);
    assert_int_equal(count_lines(fake.console), CONSOLE_BURST_LINES);
    fake_console_clear();
    for (int i = 0; i < 6; i++) {
        put(&alpha, "flood\n");
    }
    assert_int_equal(fake.console_len, 0);
    /* The flood of alpha does not hold back beta. */
    put(&beta, "fine\n");
    assert_string_equal(fake.console, "[beta] fine\n");
    fake_console_clear();
    /* One tick short of a token: still dropped. */
    fake.now += TICKS_PER_LINE - 1u;
    put(&alpha, "flood\n");
    assert_int_equal(fake.console_len, 0);
    /* The partly earned token was kept: one more tick completes it. */
    fake.now += 1u;
    put(&alpha, "back\n");
    assert_string_equal(fake_console(), "[alpha] (7 lines dropped)\n[alpha] back\n");
    /* The report is given once. */
    fake_console_clear();
    fake.now += TICKS_PER_LINE;
    put(&alpha, "again\n");
    assert_string_equal(fake.console, "[alpha] again\n");
}

/* Verifies: LLR-CON-005 (a partition that stops with lines dropped gets the
 * count reported by the flush, whatever its budget) */
static void test_rate_limit_report_on_flush(void **state)
{
    (void)state;
    emit_burst(&alpha);
    fake_console_clear();
    put(&alpha, "lost\n");
    put(&alpha, "lost too\n");
    put(&alpha, "partial");
    assert_int_equal(fake.console_len, 0);
    console_guest_flush(&alpha);
    assert_string_equal(fake.console, "[alpha] (3 lines dropped)\n");
    fake_console_clear();
    console_guest_flush(&alpha); /* reported once */
    assert_int_equal(fake.console_len, 0);
}

/* Verifies: LLR-CON-004 */
static void test_rate_limit_refill_capped_at_burst(void **state)
{
    (void)state;
    emit_burst(&alpha);
    fake.now += 10ull * 62500000u; /* ten seconds: far more than a burst */
    fake_console_clear();
    for (uint32_t i = 0; i < CONSOLE_BURST_LINES + 3u; i++) {
        put(&alpha, "l\n");
    }
    assert_int_equal(count_lines(fake.console), CONSOLE_BURST_LINES);
}

/* Verifies: LLR-CON-004 */
static void test_rate_limit_counter_years_no_overflow(void **state)
{
    (void)state;
    fake.ticks_per_sec = 1000000000ull; /* 1 GHz */
    emit_burst(&alpha);
    fake.now = UINT64_MAX - 5u; /* ~584 years of uptime */
    fake_console_clear();
    for (uint32_t i = 0; i < CONSOLE_BURST_LINES + 1u; i++) {
        put(&alpha, "l\n");
    }
    assert_int_equal(count_lines(fake.console), CONSOLE_BURST_LINES);
    fake.now = UINT64_MAX;
    put(&alpha, "l\n"); /* 5 ticks: less than a line's worth */
    assert_int_equal(count_lines(fake.console), CONSOLE_BURST_LINES);
}

/* Verifies: LLR-CON-004 */
static void test_rate_limit_slow_counter_and_time_backwards(void **state)
{
    (void)state;
    fake.ticks_per_sec = 10u; /* slower than the line rate: one tick per line */
    fake.now = 100u;
    emit_burst(&alpha);
    fake_console_clear();
    put(&alpha, "dropped\n");
    assert_int_equal(fake.console_len, 0);
    fake.now = 50u; /* a counter going back earns nothing and breaks nothing */
    put(&alpha, "dropped\n");
    assert_int_equal(fake.console_len, 0);
    fake.now = 101u;
    put(&alpha, "ok\n");
    assert_string_equal(fake_console(), "[alpha] (2 lines dropped)\n[alpha] ok\n");
}

/* Verifies: LLR-CON-004 */
static void test_rate_limit_split_lines_count(void **state)
{
    (void)state;
    char s[CONSOLE_LINE_MAX * 70u];
    memset(s, 'z', sizeof(s));
    console_guest_write(&alpha, s, sizeof(s)); /* 69 full lines emitted, 1 pending */
    console_flush_all();
    assert_int_equal(count_lines(fake.console), CONSOLE_BURST_LINES);
    fake.now += TICKS_PER_LINE;
    fake_console_clear();
    console_guest_flush(&alpha);
    console_flush_all(); /* two lines: more than one drain step */
    assert_memory_equal(fake.console, "[alpha] (5 lines dropped)\n[alpha] zzz", 37);
    assert_int_equal(count_lines(fake.console), 2);
}

/* Verifies: LLR-CON-001 */
static void test_init_resets(void **state)
{
    (void)state;
    put(&alpha, "pending");
    emit_burst(&beta);
    put(&beta, "dropped\n");
    console_init();
    fake_console_clear();
    console_guest_flush(&alpha);
    assert_int_equal(fake.console_len, 0);
    put(&beta, "fresh\n");
    assert_string_equal(fake.console, "[beta] fresh\n");
    assert_int_equal(fake.console_len, strlen("[beta] fresh\n"));
}

/* Ticks that earn one hypervisor line at the fake's 62.5 MHz. */
#define TICKS_PER_HYP_LINE (62500000u / CONSOLE_HYP_LINES_PER_SEC)

/* Verifies: LLR-CON-017 (a hypervisor line is queued without a drain step)
 * Verifies: LLR-CON-014 (hypervisor lines about a partition: a burst of
 * CONSOLE_HYP_BURST_LINES, the rest counted, refilled at
 * CONSOLE_HYP_LINES_PER_SEC; each partition has its own budget; a line about
 * no known partition is not limited), LLR-CON-015 (the count reported once
 * before the next printed line) */
static void test_hyp_lines_limited(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < CONSOLE_HYP_BURST_LINES + 5u; i++) {
        hyp_line(&alpha, i, "fault");
    }
    assert_int_equal(fake.console_len, 0); /* queued, not drained: LLR-CON-017 */
    assert_int_equal(count_lines(fake_console()), CONSOLE_HYP_BURST_LINES);
    assert_non_null(strstr(fake.console, "(bulkhead) partition alpha vcpu 0 health monitor: fault -> I\n"));
    assert_null(strstr(fake.console, "suppressed"));
    /* another partition's budget is its own */
    fake_console_clear();
    hyp_line(&beta, 1, "beta fault");
    assert_string_equal(fake_console(), "(bulkhead) partition beta vcpu 1 health monitor: beta fault -> I\n");
    /* no partition (or none known): printed, whatever */
    struct partition stranger;
    memset(&stranger, 0, sizeof(stranger));
    stranger.id = BH_MAX_PARTS;
    fake_console_clear();
    strcpy(stranger.name, "stranger");
    hyp_line(NULL, 0, "no partition");
    hyp_line(&stranger, 2, "x");
    assert_string_equal(fake.console, "(bulkhead) partition ? vcpu 0 health monitor: no partition -> I\n"
                                      "(bulkhead) partition stranger vcpu 2 health monitor: x -> I\n");
    /* one line's worth of time: the count, then the line */
    fake_console_clear();
    fake.now += TICKS_PER_HYP_LINE - 1u;
    hyp_line(&alpha, 0, "still suppressed");
    assert_string_equal(fake.console, "");
    fake.now += 1u;
    hyp_line(&alpha, 0, "again");
    assert_string_equal(fake_console(),
                        "(bulkhead) partition alpha: 6 hypervisor lines suppressed\n"
                        "(bulkhead) partition alpha vcpu 0 health monitor: again -> I\n");
    fake_console_clear();
    fake.now += TICKS_PER_HYP_LINE;
    hyp_line(&alpha, 0, "next");
    assert_string_equal(fake_console(), "(bulkhead) partition alpha vcpu 0 health monitor: next -> I\n");
    /* the guest's own line budget is untouched by hypervisor lines */
    fake_console_clear();
    put(&alpha, "own line\n");
    assert_string_equal(fake.console, "[alpha] own line\n");
}

/* Verifies: LLR-CON-015 (suppressed hypervisor lines reported by
 * console_guest_flush - the partition stops or restarts - whatever the
 * budget, once) */
static void test_hyp_lines_report_on_flush(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < CONSOLE_HYP_BURST_LINES + 2u; i++) {
        hyp_line(&beta, i, "hm");
    }
    fake_console_clear();
    console_guest_flush(&beta);
    assert_string_equal(fake_console(), "(bulkhead) partition beta: 2 hypervisor lines suppressed\n");
    fake_console_clear();
    console_guest_flush(&beta);
    assert_string_equal(fake.console, "");
}

/* A partition in the table slot after alpha (id 1), for turn order. */
static struct partition gamma_;

static void setup_gamma(void)
{
    memset(&gamma_, 0, sizeof(gamma_));
    gamma_.id = 1;
    strcpy(gamma_.name, "gamma");
}

/* Verifies: LLR-CON-016 (lines queued whole in the partition's queue; one
 * that does not fit is dropped, counted and reported when the report fits;
 * a hypervisor line or report that does not fit is counted as suppressed) */
static void test_queue_full(void **state)
{
    (void)state;
    fake.console_room = 0; /* a UART that takes nothing: every line waits */
    char s[CONSOLE_LINE_MAX + 1u];
    memset(s, 'q', CONSOLE_LINE_MAX);
    s[CONSOLE_LINE_MAX] = '\n';
    uint32_t fit = CONSOLE_QUEUE_SIZE / (8u + CONSOLE_LINE_MAX + 1u); /* "[alpha] " */
    for (uint32_t i = 0; i < fit + 2u; i++) {
        fake.now += TICKS_PER_LINE; /* never short of tokens */
        console_guest_write(&alpha, s, sizeof(s));
    }
    /* fit lines; the 1st lost one's report "[alpha] (1 lines dropped)" went
     * in, the 2nd is counted; its report now fills the queue further */
    console_guest_flush(&alpha);
    assert_int_equal(fake.console_len, 0);
    assert_true(CONSOLE_QUEUE_SIZE - fit * 129u - 2u * 26u < 26u);
    hyp_line(&alpha, 0, "fault"); /* no room: suppressed */
    fake.now += TICKS_PER_LINE;
    console_guest_write(&alpha, s, sizeof(s)); /* no room: dropped */
    fake.now += TICKS_PER_LINE;
    console_guest_write(&alpha, s, sizeof(s)); /* no room for the report */
    console_guest_flush(&alpha);               /* nor now: kept */
    hyp_line(&alpha, 0, "again");             /* its report does not fit */
    fake.console_room = FAKE_ROOM_ANY;
    console_flush_all();
    assert_int_equal(count_lines(fake.console), fit + 2u);
    fake_console_clear();
    fake.now += TICKS_PER_LINE;
    put(&alpha, "after\n");
    hyp_line(&alpha, 0, "next");
    assert_string_equal(fake_console(), "[alpha] (2 lines dropped)\n[alpha] after\n"
                                      "(bulkhead) partition alpha: 2 hypervisor lines suppressed\n"
                                      "(bulkhead) partition alpha vcpu 0 health monitor: next -> I\n");
}

/* Verifies: LLR-CON-017 (a drain step writes what the UART takes, a '\n'
 * counting two, at most CONSOLE_DRAIN_STEP bytes; a line begun holds the
 * UART until its '\n'; sched-time drains of an empty or unknown queue do
 * nothing) */
static void test_drain_step(void **state)
{
    (void)state;
    fake.console_room = 1; /* a byte at a time: no room for CR LF */
    put(&alpha, "x\n");
    assert_string_equal(fake.console, "[alpha] x");
    put(&beta, "y\n"); /* alpha's line holds the UART */
    assert_string_equal(fake.console, "[alpha] x");
    fake.console_room = FAKE_ROOM_ANY;
    console_drain(&beta);
    assert_string_equal(fake.console, "[alpha] x");
    console_drain(&alpha);
    assert_string_equal(fake.console, "[alpha] x\n");
    console_drain(&beta);
    assert_string_equal(fake.console, "[alpha] x\n[beta] y\n");
    console_drain(&beta); /* empty */
    console_drain(NULL);
    assert_string_equal(fake.console, "[alpha] x\n[beta] y\n");
    /* a long line: CONSOLE_DRAIN_STEP bytes a step */
    fake_console_clear();
    char s[CONSOLE_LINE_MAX + 1u];
    memset(s, 'w', CONSOLE_LINE_MAX);
    s[CONSOLE_LINE_MAX] = '\n';
    console_guest_write(&alpha, s, sizeof(s));
    assert_int_equal(fake.console_len, CONSOLE_DRAIN_STEP);
    size_t whole = 8u + CONSOLE_LINE_MAX + 1u; /* "[alpha] " w... '\n' */
    while (fake.console_len + CONSOLE_DRAIN_STEP < whole) {
        size_t before = fake.console_len;
        console_drain(&alpha);
        assert_int_equal(fake.console_len, before + CONSOLE_DRAIN_STEP);
    }
    console_drain(&alpha);
    assert_int_equal(fake.console_len, whole);
    console_drain(&alpha); /* empty now */
    assert_int_equal(fake.console_len, whole);
}

/* Verifies: LLR-CON-018 (after a line, the next goes to the next partition
 * round the table with bytes queued; a turn not taken within a second is
 * no one's) */
static void test_drain_turns(void **state)
{
    (void)state;
    setup_gamma();
    fake.console_room = 0;
    put(&alpha, "a1\na2\n");
    put(&beta, "b1\n");
    put(&gamma_, "g1\n");
    fake.console_room = FAKE_ROOM_ANY;
    console_drain(&alpha); /* a1; the turn goes to gamma (id 1) */
    assert_string_equal(fake.console, "[alpha] a1\n");
    console_drain(&alpha);
    console_drain(&beta);
    assert_string_equal(fake.console, "[alpha] a1\n");
    console_drain(&gamma_); /* g1; then beta (id 3) */
    console_drain(&alpha);
    assert_string_equal(fake.console, "[alpha] a1\n[gamma] g1\n");
    console_drain(&beta); /* b1; then alpha, the only one left */
    console_drain(&alpha);
    assert_string_equal(fake.console, "[alpha] a1\n[gamma] g1\n[beta] b1\n[alpha] a2\n");
    /* a turn its holder does not take for a second passes */
    fake_console_clear();
    fake.console_room = 0;
    put(&alpha, "a3\na4\n");
    put(&beta, "b2\n");
    fake.console_room = FAKE_ROOM_ANY;
    console_drain(&alpha); /* a3; beta's turn */
    fake.now += 62500000u - 1u;
    console_drain(&alpha);
    assert_string_equal(fake.console, "[alpha] a3\n");
    fake.now += 1u;
    console_drain(&alpha);
    assert_string_equal(fake.console, "[alpha] a3\n[alpha] a4\n");
    console_drain(&beta);
    assert_string_equal(fake.console, "[alpha] a3\n[alpha] a4\n[beta] b2\n");
}

/* Verifies: LLR-CON-019 (console_log finishes the line on the UART, then
 * writes its own at once; console_log_owned queues without the bucket;
 * console_log_part for no known partition writes at once) */
static void test_log_finishes_line(void **state)
{
    (void)state;
    fake.console_room = 1;
    put(&alpha, "x\n");
    console_log("boot %u", 1u);
    assert_string_equal(fake.console, "[alpha] x\n(bulkhead) boot 1\n");
    fake_console_clear();
    put(&alpha, "z\n");
    hyp_line(NULL, 0, "nobody");
    assert_string_equal(fake.console, "[alpha] z\n(bulkhead) partition ? vcpu 0 health monitor: nobody -> I\n");
    fake.console_room = FAKE_ROOM_ANY;
    fake_console_clear();
    for (uint32_t i = 0; i < CONSOLE_HYP_BURST_LINES + 1u; i++) {
        hyp_line(&beta, 0, "hm");
    }
    fake_console_clear();
    console_log_owned(&beta, "partition %s stopped", beta.name);
    assert_string_equal(fake_console(), "(bulkhead) partition beta: 1 hypervisor lines suppressed\n"
                                      "(bulkhead) partition beta stopped\n");
}

/* Verifies: LLR-CON-020 (every queue written out, the line on the UART
 * first) */
static void test_flush_all(void **state)
{
    (void)state;
    fake.console_room = 1;
    put(&beta, "b\n");
    put(&alpha, "a\n");
    assert_string_equal(fake.console, "[beta] b");
    console_flush_all();
    assert_string_equal(fake.console, "[beta] b\n[alpha] a\n");
    console_flush_all();
    assert_string_equal(fake.console, "[beta] b\n[alpha] a\n");
}

/* Verifies: LLR-CON-022 (a hypervisor line about a partition is queued as
 * a record and formatted only by console_drain - one a step - or when the
 * module ends; a guest's drain step stops at it, so order is kept) */
static void test_records_deferred(void **state)
{
    (void)state;
    hyp_line(&alpha, 0, "first");
    hyp_line(&alpha, 1, "second");
    put(&alpha, "after\n");
    assert_string_equal(fake.console, ""); /* the guest's step stops at the record */
    console_drain(&alpha);                 /* one record formatted and written */
    assert_string_equal(fake.console, "(bulkhead) partition alpha vcpu 0 health monitor: first -> I\n");
    put(&alpha, "more\n");                 /* stops at the second record */
    assert_string_equal(fake.console, "(bulkhead) partition alpha vcpu 0 health monitor: first -> I\n");
    console_drain(&alpha); /* the second record */
    console_drain(&alpha); /* the guest's lines: 64 bytes a step */
    console_drain(&alpha);
    assert_string_equal(fake.console, "(bulkhead) partition alpha vcpu 0 health monitor: first -> I\n"
                                      "(bulkhead) partition alpha vcpu 1 health monitor: second -> I\n"
                                      "[alpha] after\n[alpha] more\n");
    /* a fault record, a missing string shown as '?' */
    fake_console_clear();
    struct console_rec f = {.kind = CONSOLE_REC_FAULT,
                            .vcpu = 1,
                            .text = NULL,
                            .esr_class = 0x24,
                            .esr = 0x93c08004u,
                            .addr = 0x8010000u,
                            .pc = 0x40001234u};
    console_log_part(&beta, &f);
    assert_string_equal(fake_console(), "(bulkhead) partition beta vcpu 1 fault: ?, ESR class 0x24, "
                                        "ESR 0x93c08004, address 0x8010000, pc 0x40001234\n");
}

/* Verifies: LLR-CON-022 (a record's line, once begun, holds the UART like
 * any line; console_log finishes it first; a record that straddles the
 * queue's end is read back whole) */
static void test_records_wire_and_wrap(void **state)
{
    (void)state;
    fake.console_room = 1;
    hyp_line(&alpha, 0, "w");
    console_drain(&alpha); /* all but its '\n', which needs room for two */
    assert_string_equal(fake.console, "(bulkhead) partition alpha vcpu 0 health monitor: w -> I");
    console_log("boot");
    assert_string_equal(fake.console,
                        "(bulkhead) partition alpha vcpu 0 health monitor: w -> I\n(bulkhead) boot\n");
}

/* Verifies: LLR-CON-022 (a record that straddles the queue's end is read
 * back whole), LLR-CON-019 (console_log_owned without a known partition
 * writes at once; its line that finds no room is counted), LLR-CON-017
 * (console_drain of an unknown partition does nothing) */
static void test_records_wrap(void **state)
{
    (void)state;
    /* move the queue's tail to 59 bytes before its end */
    char s[CONSOLE_LINE_MAX + 1u];
    memset(s, 'r', CONSOLE_LINE_MAX);
    s[CONSOLE_LINE_MAX] = '\n';
    uint32_t lines = (CONSOLE_QUEUE_SIZE - 59u) / 129u; /* "[alpha] " r... '\n' */
    fake.console_room = 0;
    for (uint32_t i = 0; i < lines; i++) {
        fake.now += TICKS_PER_LINE;
        console_guest_write(&alpha, s, sizeof(s));
    }
    assert_int_equal(lines * 129u, CONSOLE_QUEUE_SIZE - 59u);
    fake.console_room = FAKE_ROOM_ANY;
    console_flush_all();
    fake_console_clear();
    fake.now += TICKS_PER_HYP_LINE * CONSOLE_HYP_BURST_LINES;
    hyp_line(&alpha, 2, "wrapped");
    assert_string_equal(fake_console(), "(bulkhead) partition alpha vcpu 2 health monitor: wrapped -> I\n");
    /* no known partition: at once */
    struct partition stranger;
    memset(&stranger, 0, sizeof(stranger));
    stranger.id = BH_MAX_PARTS;
    fake_console_clear();
    console_log_owned(NULL, "nobody %u", 1u);
    console_log_owned(&stranger, "stranger");
    console_drain(&stranger);
    assert_string_equal(fake.console, "(bulkhead) nobody 1\n(bulkhead) stranger\n");
    /* a full queue: the owned line is counted, then reported */
    fake_console_clear();
    fake.console_room = 0;
    for (uint32_t i = 0; i < lines; i++) {
        fake.now += TICKS_PER_LINE;
        console_guest_write(&alpha, s, sizeof(s));
    }
    fake.now += TICKS_PER_LINE;
    console_guest_write(&alpha, &s[CONSOLE_LINE_MAX - 50u], 51u); /* fills the last 59 */
    console_log_owned(&alpha, "lost");
    console_log_owned(&alpha, "lost too"); /* nor its report: kept */
    fake.console_room = FAKE_ROOM_ANY;
    console_flush_all();
    fake_console_clear();
    console_log_owned(&alpha, "kept");
    assert_string_equal(fake_console(), "(bulkhead) partition alpha: 2 hypervisor lines suppressed\n"
                                        "(bulkhead) kept\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_log_line, setup),
        cmocka_unit_test_setup(test_log_sanitised_one_line, setup),
        cmocka_unit_test_setup(test_log_truncated, setup),
        cmocka_unit_test_setup(test_guest_line_assembly, setup),
        cmocka_unit_test_setup(test_guest_cr_dropped, setup),
        cmocka_unit_test_setup(test_guest_non_printable, setup),
        cmocka_unit_test_setup(test_guest_split_long_line, setup),
        cmocka_unit_test_setup(test_guest_exact_line_not_split, setup),
        cmocka_unit_test_setup(test_guest_flush, setup),
        cmocka_unit_test_setup(test_guest_interleaving_whole_lines, setup),
        cmocka_unit_test_setup(test_guest_bad_arguments_ignored, setup),
        cmocka_unit_test_setup(test_guest_name_sanitised, setup),
        cmocka_unit_test_setup(test_rate_limit_drop_and_report, setup),
        cmocka_unit_test_setup(test_rate_limit_report_on_flush, setup),
        cmocka_unit_test_setup(test_rate_limit_refill_capped_at_burst, setup),
        cmocka_unit_test_setup(test_rate_limit_counter_years_no_overflow, setup),
        cmocka_unit_test_setup(test_rate_limit_slow_counter_and_time_backwards, setup),
        cmocka_unit_test_setup(test_rate_limit_split_lines_count, setup),
        cmocka_unit_test_setup(test_init_resets, setup),
        cmocka_unit_test_setup(test_hyp_lines_limited, setup),
        cmocka_unit_test_setup(test_hyp_lines_report_on_flush, setup),
        cmocka_unit_test_setup(test_queue_full, setup),
        cmocka_unit_test_setup(test_drain_step, setup),
        cmocka_unit_test_setup(test_drain_turns, setup),
        cmocka_unit_test_setup(test_log_finishes_line, setup),
        cmocka_unit_test_setup(test_flush_all, setup),
        cmocka_unit_test_setup(test_records_deferred, setup),
        cmocka_unit_test_setup(test_records_wire_and_wrap, setup),
        cmocka_unit_test_setup(test_records_wrap, setup),
    };
    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
