"""Seeded-defect rows of trace.py, coverage.py and size.py (campaign.py)."""
import json
import os
import shutil

from campaign import ROOT, Row, Tool, append, py, replace, sh, write

FIX = os.path.join(ROOT, "tests", "evidence", "fixtures", "clean")

# ---------------------------------------------------------------- trace ---


def trace_setup(d):
    shutil.copytree(FIX, d, dirs_exist_ok=True)


def trace_run(d):
    return py("trace.py", ["--root", d, "--json", d + "/t.json", "--html", d + "/t.html"], d)


LLR = "\n### %s\nStatement: Seeded.\nRationale: Seeded.\nRefines: %s\n"
FN = "\n/* Implements: %s */\nint %s(int v)\n{\n    return v;\n}\n"


def trace_rows():
    R = []

    def r(i, kind, tor, how, seed, *expect):
        R.append(Row("trace", i, kind, [tor], how, seed, list(expect)))
    llr, core, unit = "docs/requirements/llr.md", "hyp/core/fix.c", "tests/unit/test_fix.c"
    r("T01", "LLR without a test", "TOR-TRACE-002", "new LLR with an Implements tag, no Verifies",
      lambda d: (append(d, llr, LLR % ("LLR-FIX-010", "HLR-001")),
                 append(d, core, FN % ("LLR-FIX-010", "fix_t01"))),
      r"^FAIL evidence/trace-llr-tested: 1 .*LLR-FIX-010")
    r("T02", "LLR without code", "TOR-TRACE-001", "new LLR with a Verifies tag, no code",
      lambda d: (append(d, llr, LLR % ("LLR-FIX-011", "HLR-001")),
                 append(d, unit, "/* Verifies: LLR-FIX-011 */\n")),
      r"^FAIL evidence/trace-llr-code: 1 .*LLR-FIX-011")
    r("T03", "HLR without a system test", "TOR-TRACE-003", "system test case's Verifies removed",
      lambda d: replace(d, "tests/system/cases/start", "# Verifies: HLR-001", "#"),
      r"^FAIL evidence/trace-hlr-tested: 1 .*HLR-001")
    r("T04", "HLR verified by a unit test only", "TOR-TRACE-003",
      "system tag moved to a unit test",
      lambda d: (replace(d, "tests/system/cases/start", "# Verifies: HLR-001", "#"),
                 append(d, unit, "/* Verifies: HLR-001 */\n")),
      r"^FAIL evidence/trace-hlr-tested: 1 .*HLR-001")
    r("T05", "unknown ID in code", "TOR-TRACE-004", "Implements tag naming LLR-FIX-077",
      lambda d: replace(d, core, "Implements: LLR-FIX-001", "Implements: LLR-FIX-001, LLR-FIX-077"),
      r"^FAIL evidence/trace-unknown-ids: 1 .*LLR-FIX-077 \(hyp/core/fix\.c:4\)")
    r("T06", "unknown ID in a test", "TOR-TRACE-004", "Verifies tag naming HLR-009",
      lambda d: append(d, unit, "/* Verifies: HLR-009 */\n"),
      r"^FAIL evidence/trace-unknown-ids: 1 .*HLR-009 \(tests/unit/test_fix\.c:")
    r("T07", "untagged C file", "TOR-TRACE-005", "new hyp/arch C file without a tag",
      lambda d: write(d, "hyp/arch/aarch64/extra.c", "int extra(void);\n"),
      r"^FAIL evidence/trace-hyp-files-tagged: 1 .*hyp/arch/aarch64/extra\.c")
    r("T08", "untagged assembly file", "TOR-TRACE-005", "new hyp/ .S file without a tag",
      lambda d: write(d, "hyp/arch/aarch64/entry.S", "    .text\n    ret\n"),
      r"^FAIL evidence/trace-hyp-files-tagged: 1 .*hyp/arch/aarch64/entry\.S")
    r("T09", "LLR refining an unknown HLR", "TOR-TRACE-006", "Refines: HLR-042",
      lambda d: (append(d, llr, LLR % ("LLR-FIX-012", "HLR-042")),
                 append(d, core, FN % ("LLR-FIX-012", "fix_t09")),
                 append(d, unit, "/* Verifies: LLR-FIX-012 */\n")),
      r"^FAIL evidence/trace-llr-refines: 1 .*LLR-FIX-012")
    r("T10", "LLR without Refines", "TOR-TRACE-006", "LLR-FIX-001's Refines line removed",
      lambda d: replace(d, llr, "Rationale: Known start state.\nRefines: HLR-001\n",
                        "Rationale: Known start state.\n"),
      r"^FAIL evidence/trace-llr-refines: 1 .*LLR-FIX-001")
    r("T11", "requirement ID defined twice", "TOR-TRACE-007", "second ### LLR-FIX-002 heading",
      lambda d: append(d, llr, LLR % ("LLR-FIX-002", "HLR-001")),
      r"^FAIL evidence/trace-unique-ids: 1 .*LLR-FIX-002")
    r("T12", "HLR refined by no LLR", "TOR-TRACE-008", "new HLR-003 (analysis), no LLR",
      lambda d: append(d, "docs/requirements/hlr.md", "\n### HLR-003\nTitle: New\nStatement: "
                       "Seeded.\nVerification: analysis (review)\n"),
      r"^FAIL evidence/trace-hlr-refined: 1 .*HLR-003")
    r("T13", "untraced function", "TOR-TRACE-009", "untagged external function in a tagged file",
      lambda d: append(d, core, "\nint fix_extra(int v)\n{\n    return v + 1;\n}\n"),
      r"^FAIL evidence/trace-functions-tagged: 1 .*hyp/core/fix\.c:fix_extra")
    r("T14", "untraced function, tag on another one", "TOR-TRACE-009",
      "new function inserted between a tag and the function it names",
      lambda d: replace(d, core, "/* Implements: LLR-FIX-001 */\n",
                        "/* Implements: LLR-FIX-001 */\nint fix_new(void)\n{\n    return 1;\n}\n\n"),
      r"^FAIL evidence/trace-functions-tagged: 1 .*hyp/core/fix\.c:fix_init")
    r("T15", "reversed range covers nothing", "TOR-TRACE-010",
      "Verifies: LLR-FIX-003 .. LLR-FIX-002 (empty range) replaces the list",
      lambda d: replace(d, unit, "Verifies: LLR-FIX-002, LLR-FIX-003",
                        "Verifies: LLR-FIX-003 .. LLR-FIX-002"),
      r"^FAIL evidence/trace-llr-tested: 2 .*LLR-FIX-002, LLR-FIX-003")
    r("T16", "stale accepted gap does not hide a new one", "TOR-TRACE-011",
      "gates.json accepts HLR-003's gap; HLR-001 loses its system test",
      lambda d: (write(d, "tools/evidence/gates.json", json.dumps({"trace": {"accepted": [
          {"id": "HLR-003", "gap": "hlr_without_system_test", "reason": "seed"}]}})),
          replace(d, "tests/system/cases/start", "# Verifies: HLR-001", "#")),
      r"^FAIL evidence/trace-hlr-tested: 1 .*HLR-001")
    des = "docs/design/fix.md"
    r("T17", "LLR without a design section", "TOR-TRACE-013", "LLR-FIX-001's Design line removed",
      lambda d: replace(d, llr, "Design: DES-FIX-INIT\n", ""),
      r"^FAIL evidence/trace-llr-design: 1 .*LLR-FIX-001")
    r("T18", "LLR naming an unknown design section", "TOR-TRACE-013",
      "Design: DES-FIX-GONE beside LLR-FIX-003's own",
      lambda d: replace(d, llr, "Design: DES-FIX-PUT\n", "Design: DES-FIX-PUT, DES-FIX-GONE\n"),
      r"^FAIL evidence/trace-llr-design: 1 .*LLR-FIX-003")
    r("T19", "design section nobody names", "TOR-TRACE-014", "new DES-FIX-SPARE, no LLR names it",
      lambda d: append(d, des, "\n### DES-FIX-SPARE\nRealises: LLR-FIX-001\n\nSeeded.\n"),
      r"^FAIL evidence/trace-design-realised: 1 .*DES-FIX-SPARE")
    r("T20", "design section without a Realises line", "TOR-TRACE-014",
      "new DES-FIX-BARE with prose only",
      lambda d: append(d, des, "\n### DES-FIX-BARE\n\nSeeded.\n"),
      r"^FAIL evidence/trace-design-realised: 1 .*DES-FIX-BARE")
    r("T21", "'none' without a reason", "TOR-TRACE-014", "DES-FIX-LAYOUT's reason removed",
      lambda d: replace(d, des, "Realises: none (data layout only; every operation has its "
                        "own section)", "Realises: none"),
      r"^FAIL evidence/trace-design-realised: 1 .*DES-FIX-LAYOUT")
    r("T22", "Realises list disagrees with Design", "TOR-TRACE-014",
      "DES-FIX-GET also claims LLR-FIX-001",
      lambda d: replace(d, des, "Realises: LLR-FIX-002\n", "Realises: LLR-FIX-001, LLR-FIX-002\n"),
      r"^FAIL evidence/trace-design-realised: 1 .*DES-FIX-GET")
    r("T23", "design section defined twice", "TOR-TRACE-014", "second ### DES-FIX-PUT heading",
      lambda d: append(d, des, "\n### DES-FIX-PUT\nRealises: LLR-FIX-003\n"),
      r"^FAIL evidence/trace-design-realised: 1 .*DES-FIX-PUT")
    return R


# ------------------------------------------------------------- coverage ---

COV_C = """#include "cov.h"
/* Fixture core code: every line, branch and condition is covered. */
int cov_sign(int v)
{
    if (v < 0) {
        return -1;
    }
    return 1;
}

int cov_both(int a, int b)
{
    int r = 0;
    if (a > 0 && b > 0) {
        r = 1;
    }
    return r;
}
"""
COV_H = "int cov_sign(int v);\nint cov_both(int a, int b);\n"
COV_T = """#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "cov.h"

static void test_sign(void **state)
{
    (void)state;
    assert_int_equal(cov_sign(-3), -1);
    assert_int_equal(cov_sign(3), 1);
}

static void test_both(void **state)
{
    (void)state;
    assert_int_equal(cov_both(1, 1), 1);
    assert_int_equal(cov_both(0, 1), 0);
    assert_int_equal(cov_both(1, 0), 0);
}

/* SEED-TESTS */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign), cmocka_unit_test(test_both),
        /* SEED-LIST */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
"""
COV_GATES = {"coverage": {"min_percent": {"lines": 100, "branches": 100, "mcdc": 100},
                          "file_floor": {}, "max_unjustified_items": 0}}


def cov_setup(d):
    write(d, "hyp/core/cov.c", COV_C)
    write(d, "hyp/core/cov.h", COV_H)
    write(d, "tests/unit/test_cov.c", COV_T)
    write(d, "tools/evidence/gates.json", json.dumps(COV_GATES))
    write(d, "tools/evidence/coverage-justifications.json", '{"accepted": []}')


def cov_run(d):
    return py("coverage.py", ["--root", d, "--out", "cov.json"], d)


def cov_seed(code, calls="", extra_test=""):
    """Add a function to cov.c (declared in cov.h) and the calls of a new
    unit test; extra_test is another test function, added to the list."""
    def seed(d):
        if code:
            append(d, "hyp/core/cov.c", code)
            append(d, "hyp/core/cov.h", code.split("\n{")[0].strip() + ";\n")
        body = "static void test_seed(void **state)\n{\n    (void)state;\n%s}\n%s" % (
            calls, extra_test)
        lst = "cmocka_unit_test(test_seed),"
        if extra_test:
            lst += " cmocka_unit_test(test_extra),"
        replace(d, "tests/unit/test_cov.c", "/* SEED-TESTS */", body)
        replace(d, "tests/unit/test_cov.c", "/* SEED-LIST */", lst)
    return seed


def cov_rows():
    R = []

    def r(i, kind, tor, how, seed, *expect, absent=()):
        R.append(Row("coverage", i, kind, [tor], how, seed, list(expect), list(absent)))
    st, br, mc = (r"^FAIL evidence/coverage-statement: .*hyp/core/cov\.c",
                  r"^FAIL evidence/coverage-branch: .*hyp/core/cov\.c",
                  r"^FAIL evidence/coverage-mcdc: .*hyp/core/cov\.c")
    r("C01", "function never called", "TOR-COV-001", "new function, no test calls it",
      cov_seed("\nint cov_new(int v)\n{\n    return v + 1;\n}\n"), st)
    r("C02", "branch outcome true never taken", "TOR-COV-002", "if (v > 10) tested with 0 only",
      cov_seed("\nint cov_pos(int v)\n{\n    int r = 0;\n    if (v > 10) {\n        r = 1;\n"
               "    }\n    return r;\n}\n", "    (void)cov_pos(0);\n"), br, st)
    r("C03", "branch outcome false never taken", "TOR-COV-002",
      "if (v > 10) tested with 11 only: every line runs",
      cov_seed("\nint cov_clamp(int v)\n{\n    int r = v;\n    if (v > 10) {\n        r = 10;\n"
               "    }\n    return r;\n}\n", "    (void)cov_clamp(11);\n"), br,
      absent=[r"^FAIL evidence/coverage-statement"])
    r("C04", "uncovered MC/DC pair, branch coverage complete", "TOR-COV-003",
      "(a && b) || c with vectors (1,1,-) (0,-,0) (1,0,1)",
      cov_seed("\nint cov_mix(int a, int b, int c)\n{\n    int r = 0;\n"
               "    if ((a > 0 && b > 0) || c > 0) {\n        r = 1;\n    }\n    return r;\n}\n",
               "    (void)cov_mix(1, 1, 0);\n    (void)cov_mix(0, 0, 0);\n"
               "    (void)cov_mix(1, 0, 1);\n"), mc,
      absent=[r"^FAIL evidence/coverage-branch", r"^FAIL evidence/coverage-statement"])
    r("C05", "MC/DC of a boolean outside a branch", "TOR-COV-003",
      "return (a > 0) || (b > 0); tested with (1,0) and (0,0)",
      cov_seed("\nint cov_or(int a, int b)\n{\n    return (a > 0) || (b > 0);\n}\n",
               "    (void)cov_or(1, 0);\n    (void)cov_or(0, 0);\n"), mc)
    r("C06", "loop body never run", "TOR-COV-001", "for loop called with n = 0",
      cov_seed("\nint cov_sum(int n)\n{\n    int s = 0;\n    for (int i = 0; i < n; i++) {\n"
               "        s += i;\n    }\n    return s;\n}\n", "    (void)cov_sum(0);\n"), st, br)
    r("C07", "switch case never taken", "TOR-COV-002", "case 1 of a switch never reached",
      cov_seed("\nint cov_sw(int v)\n{\n    int r;\n    switch (v) {\n    case 1:\n"
               "        r = 5;\n        break;\n    default:\n        r = 0;\n        break;\n"
               "    }\n    return r;\n}\n", "    (void)cov_sw(0);\n"), st)
    r("C08", "conditional operator outcome never taken", "TOR-COV-002",
      "v > 3 ? 1 : 2 called with 5 only",
      cov_seed("\nint cov_t(int v)\n{\n    return v > 3 ? 1 : 2;\n}\n", "    (void)cov_t(5);\n"), br)
    r("C09", "failing unit test", "TOR-COV-004", "a test whose assertion fails",
      cov_seed("", "    assert_int_equal(cov_sign(1), -1);\n"),
      r"^FAIL evidence/coverage-build: unit tests failed under coverage: test_cov")
    r("C10", "crashing unit test", "TOR-COV-004", "a test that calls abort()",
      cov_seed("", "    __builtin_trap();\n"),
      r"^FAIL evidence/coverage-build: unit tests failed under coverage: test_cov")
    r("C11", "justification of another line", "TOR-COV-005",
      "uncovered line with a justification naming the line below it",
      lambda d: (cov_seed("\nint cov_new(int v)\n{\n    return v + 1;\n}\n")(d),
                 write(d, "tools/evidence/coverage-justifications.json", json.dumps(
                     {"accepted": [{"id": "J-1", "file": "hyp/core/cov.c", "line": 23,
                                    "kind": "line", "reason": "seed"}]}))),
      r"^FAIL evidence/coverage-justified: [1-9][0-9]* uncovered item\(s\) .*hyp/core/cov\.c:2[12] line")
    r("C12", "core file no test reaches", "TOR-COV-006", "new hyp/core/cov2.c, never called",
      lambda d: write(d, "hyp/core/cov2.c", "int cov2_f(int v);\nint cov2_f(int v)\n{\n"
                      "    return v * 2;\n}\n"),
      r"^FAIL evidence/coverage-statement: .*hyp/core/cov2\.c 0\.00%")
    r("C13", "uncovered MC/DC pair in a loop condition", "TOR-COV-003",
      "while (i < n && s[i] != 0): the second condition is never false",
      cov_seed("\nint cov_len(const char *s, int n)\n{\n    int i = 0;\n"
               "    while (i < n && s[i] != 0) {\n        i++;\n    }\n    return i;\n}\n",
               "    (void)cov_len(\"ab\", 2);\n    (void)cov_len(\"ab\", 0);\n"), mc)
    r("C14", "unsupported MC/DC expression", "TOR-COV-007",
      "a decision with a nested decision in one condition",
      cov_seed("\nint cov_nest(int a, int b, int c)\n{\n    int r = 0;\n"
               "    if (a > 0 && (b > 0 ? c > 0 && a > 1 : c < 0)) {\n        r = 1;\n    }\n"
               "    return r;\n}\n", "    (void)cov_nest(2, 1, 1);\n"),
      r"^FAIL evidence/coverage-mcdc-supported: [1-9]")
    return R


# ----------------------------------------------------------------- size ---

SIZE_C = """/* Fixture hypervisor: 7 code lines. */
unsigned char buf[256];
const unsigned char table[16] = {1};
int value = 3;

int start(int v)
{
    return v + value + table[v & 15] + buf[v & 255];
}
"""
SIZE_LD = "ENTRY(start)\nSECTIONS { . = 0x40000000; .text : { *(.text*) } " \
          ".rodata : { *(.rodata*) } .data : { *(.data*) } .bss : { *(.bss*) } }\n"
SIZE_BUDGET = {"max_text_plus_data": 2048, "max_bss_noinit": 2048, "max_hyp_sloc": 20}
SIZE_CFL = ["clang-19", "--target=aarch64-none-elf", "-std=c11", "-O2", "-ffreestanding",
            "-fno-builtin", "-nostdlib", "-mgeneral-regs-only", "-ffunction-sections",
            "-fdata-sections", "-fno-asynchronous-unwind-tables"]


def size_setup(d):
    write(d, "hyp/core/main.c", SIZE_C)
    write(d, "link.ld", SIZE_LD)
    write(d, "tools/evidence/gates.json", json.dumps({"size": SIZE_BUDGET}))


def size_run(d):
    objs = []
    for base, _, names in os.walk(os.path.join(d, "hyp")):
        for n in sorted(names):
            if n.endswith((".c", ".S")):
                src = os.path.join(base, n)
                rc, out = sh(SIZE_CFL + ["-c", src, "-o", src + ".o"], d)
                if rc:
                    raise RuntimeError(out)
                objs.append(src + ".o")
    rc, out = sh(["ld.lld-19", "-T", "link.ld"] + objs + ["-o", "b.elf"], d)
    if rc:
        raise RuntimeError(out)
    return py("size.py", ["--root", d, "--elf", "b.elf", "--json", d + "/z.json",
                          "--html", d + "/z.html"], d)


def lines(n, fmt):
    return "".join(fmt % k for k in range(n))


def size_rows():
    R = []

    def r(i, kind, tor, how, seed, *expect):
        R.append(Row("size", i, kind, [tor], how, seed, list(expect)))
    img, bss, sloc = (r"^FAIL evidence/size-image: ", r"^FAIL evidence/size-bss: ",
                      r"^FAIL evidence/size-sloc: trusted hyp/ SLOC \d+ over budget 20")
    code = "void big(volatile int *p);\nvoid big(volatile int *p)\n{\n%s}\n" % lines(
        1000, "    p[%d] = 1;\n")
    r("Z01", "code over budget", "TOR-SIZE-001", "a function of 1000 stores (hyp/arch)",
      lambda d: write(d, "hyp/arch/big.c", code.replace("\n    p", " p")), img)
    r("Z02", "read-only data over budget", "TOR-SIZE-001", "a 4 KiB const table",
      lambda d: append(d, "hyp/core/main.c", "const unsigned char t2[4096] = {2};\n"), img)
    r("Z03", "initialised data over budget", "TOR-SIZE-001", "a 4 KiB initialised array",
      lambda d: append(d, "hyp/core/main.c", "unsigned char d2[4096] = {2};\n"), img)
    r("Z04", "code in an oddly named section", "TOR-SIZE-001",
      "the big function placed in section .boot (not .text)",
      lambda d: write(d, "hyp/arch/big.c", code.replace("\n    p", " p").replace(
          "void big(volatile int *p)\n{", '__attribute__((section(".boot")))\n'
          "void big(volatile int *p)\n{")), img)
    r("Z05", "data in an oddly named section", "TOR-SIZE-001", "4 KiB array in section .tables",
      lambda d: append(d, "hyp/core/main.c", '__attribute__((section(".tables"))) '
                       "unsigned char d3[4096] = {2};\n"), img)
    r("Z06", "bss over budget", "TOR-SIZE-002", "an 8 KiB zero array",
      lambda d: append(d, "hyp/core/main.c", "unsigned char z[8192];\n"), bss)
    r("Z07", "no-init memory over budget", "TOR-SIZE-002", "8 KiB .noinit (nobits) from assembly",
      lambda d: write(d, "hyp/arch/noinit.S", '    .section .noinit,"aw",%nobits\n'
                      "    .space 8192\n"), bss)
    r("Z08", "trusted code over budget", "TOR-SIZE-003", "20 more lines in hyp/core",
      lambda d: append(d, "hyp/core/main.c", lines(20, "int g%d;\n")), sloc)
    r("Z09", "assembly lines counted", "TOR-SIZE-003", "20 lines of hyp/arch assembly",
      lambda d: write(d, "hyp/arch/e.S", "    .text\n" + lines(20, "    nop // %d\n")), sloc)
    r("Z10", "header lines counted", "TOR-SIZE-003", "20 declarations in hyp/include",
      lambda d: write(d, "hyp/include/x.h", lines(20, "extern int x%d;\n")), sloc)
    r("Z11", "platform lines counted", "TOR-SIZE-003", "20 lines in hyp/platform",
      lambda d: write(d, "hyp/platform/p/p.c", lines(20, "int p%d;\n")), sloc)
    r("Z12", "code hidden after a string holding /*", "TOR-SIZE-004",
      'a "/*" string literal, 20 code lines, then a real comment',
      lambda d: append(d, "hyp/core/main.c", 'const char *open = "/*";\n' +
                       lines(20, "int h%d;\n") + "/* end */\n"), sloc)
    r("Z13", "code lines with trailing comments", "TOR-SIZE-004",
      "20 declarations each followed by /* ... */",
      lambda d: append(d, "hyp/core/main.c", lines(20, "int c%d; /* note */\n")), sloc)
    r("Z14", "code after a comment on the same line", "TOR-SIZE-004",
      "20 lines of the form /* note */ int a;",
      lambda d: append(d, "hyp/core/main.c", lines(20, "/* note */ int a%d;\n")), sloc)
    r("Z15", "code after a character literal holding a quote", "TOR-SIZE-004",
      "a '\\\"' char literal then a \"/*\" string, then 20 code lines",
      lambda d: append(d, "hyp/core/main.c", "const char q = '\"'; const char *s2 = \"/*\";\n"
                       + lines(20, "int q%d;\n") + "/* end */\n"), sloc)
    return R


def tables():
    tools = {
        "trace": Tool("trace", trace_setup, trace_run,
                      [r"^PASS evidence/trace-functions-tagged$", r"^PASS evidence/trace-llr-tested$"]),
        "coverage": Tool("coverage", cov_setup, cov_run,
                         [r"^PASS evidence/coverage-mcdc$", r"^PASS evidence/coverage-justified$"]),
        "size": Tool("size", size_setup, size_run,
                     [r"^PASS evidence/size-image$", r"^PASS evidence/size-sloc$"]),
    }
    return tools, trace_rows() + cov_rows() + size_rows()
