"""Seeded-defect rows of misra.py, coupling.py, stack.py and s2o.py
(campaign.py). The fixtures are tests/evidence/analysers/."""
import json
import os
import shutil

from campaign import ROOT, Row, Tool, append, py, replace, sh, write

FIX = os.path.join(ROOT, "tests", "evidence", "analysers")
CFL = ("--target=aarch64-none-elf -std=c11 -O2 -ffreestanding -fno-builtin -nostdlib "
       "-mgeneral-regs-only -ffunction-sections -fno-asynchronous-unwind-tables")
CLANG = ["clang-19"] + CFL.split()

# ---------------------------------------------------------------- misra ---
# fix.c has two returns (15.5), deviated by DEV-FIX-1; seed.c is clean.
SEED_C = "int seed_f(int a);\nint seed_f(int a)\n{\n    return a;\n}\n"


def misra_setup(d):
    shutil.copytree(os.path.join(FIX, "misra"), d, dirs_exist_ok=True)
    write(d, "seed.c", SEED_C)


def misra_run(d):
    return py("misra.py", ["--root", d, "--src", "fix.c", "seed.c", "--deviations",
                           "deviations.json", "--gates", "gates.json", "--json", "m.json",
                           "--html", "m.html"], d)


def body(text, decl="int seed_f(int a)"):
    """seed.c with the given function body (declared first, for 8.4)."""
    return lambda d: write(d, "seed.c", "%s;\n%s\n{\n%s}\n" % (decl, decl, text))


def misra_rows():
    R = []

    def r(i, kind, how, seed, rule, tor="TOR-MISRA-001"):
        rx = r"^FAIL evidence/misra-deviated: [1-9][0-9]* finding\(s\) without a deviation: " \
             r".*seed\.[ch]:\d+ rule %s\b" % rule.replace(".", r"\.")
        R.append(Row("misra", i, "new finding: " + kind, [tor], how, seed, [rx]))
    r("M01", "rule 15.5 (second return)", "early return in seed.c; 15.5 deviated in fix.c only",
      body("    if (a > 0) {\n        return 1;\n    }\n    return a;\n"), "15.5", "TOR-MISRA-002")
    r("M02", "rule 10.4 (mixed essential types)", "unsigned + signed",
      body("    return a + b;\n", "unsigned int seed_f(unsigned int a, int b)"), "10.4")
    r("M03", "rule 17.7 (ignored return value)", "call of a non-void function as a statement",
      lambda d: write(d, "seed.c", "int seed_g(void);\nvoid seed_f(void);\nvoid seed_f(void)\n"
                      "{\n    seed_g();\n}\n"), "17.7")
    r("M04", "rule 8.4 (definition without a declaration)", "external function not declared",
      lambda d: write(d, "seed.c", "int seed_f(int a)\n{\n    return a;\n}\n"), "8.4")
    r("M05", "rule 15.7 (else if without else)", "if ... else if with no final else",
      body("    int r = 0;\n    if (a == 1) {\n        r = 1;\n    } else if (a == 2) {\n"
           "        r = 2;\n    }\n    return r;\n"), "15.7")
    r("M06", "rule 16.4 (switch without default)", "switch with one case",
      body("    int r = 0;\n    switch (a) {\n    case 1:\n        r = 1;\n        break;\n"
           "    }\n    return r;\n"), "16.4")
    r("M07", "rule 21.3 (heap allocation)", "malloc call",
      lambda d: write(d, "seed.c", "#include <stdlib.h>\nvoid *seed_f(void);\nvoid *seed_f(void)"
                      "\n{\n    return malloc(4u);\n}\n"), "21.3")
    r("M08", "rule 11.4 (pointer to integer cast)", "(uintptr_t)p",
      lambda d: write(d, "seed.c", "#include <stdint.h>\nuintptr_t seed_f(int *p);\n"
                      "uintptr_t seed_f(int *p)\n{\n    return (uintptr_t)p;\n}\n"), "11.4")
    r("M09", "rule 13.4 (assignment used as a value)", "if ((b = a) != 0)",
      body("    int b;\n    int r = 0;\n    if ((b = a) != 0) {\n        r = b;\n    }\n"
           "    return r;\n"), "13.4")
    r("M10", "rule 7.2 (unsigned constant without u)", "0x80000000 without suffix",
      body("    unsigned int x = 0x80000000;\n    return x;\n", "unsigned int seed_f(void)"), "7.2")
    r("M11", "rule 15.1 (goto)", "goto out",
      body("    int r = a;\n    if (r != 0) {\n        goto out;\n    }\n    r = 2;\nout:\n"
           "    return r;\n"), "15.1")
    r("M12", "rule 14.4 (non-boolean condition)", "if (a)",
      body("    int r = 0;\n    if (a) {\n        r = 2;\n    }\n    return r;\n"), "14.4")
    r("M13", "rule 16.3 (case falls through)", "case without break",
      body("    int r = 0;\n    switch (a) {\n    case 1:\n        r = 1;\n    default:\n"
           "        r = 2;\n        break;\n    }\n    return r;\n"), "16.3")
    r("M14", "rule 21.6 (standard I/O)", "printf",
      lambda d: write(d, "seed.c", "#include <stdio.h>\nvoid seed_f(void);\nvoid seed_f(void)\n"
                      "{\n    (void)printf(\"x\");\n}\n"), "21.6")
    r("M15", "rule 17.8 (parameter modified)", "a = a + 1 on the parameter",
      body("    a = a + 1;\n    return a;\n"), "17.8")
    r("M16", "cppcheck error: null pointer", "*p with p = 0",
      body("    int *p = 0;\n    return *p + a;\n"), "cppcheck:nullPointer", "TOR-MISRA-003")
    r("M17", "cppcheck error: index out of bounds", "a[4] of int a[4]",
      body("    int b[4] = {0};\n    return b[4] + a;\n"), "cppcheck:arrayIndexOutOfBounds",
      "TOR-MISRA-003")
    r("M18", "cppcheck error: file it cannot parse", "unbalanced braces hide the file",
      lambda d: write(d, "seed.c", "int seed_f(int a);\nint seed_f(int a)\n{\n    return a;\n"
                      "}\n}\n"), "cppcheck:syntaxError", "TOR-MISRA-003")
    r("M19", "finding in an included header", "rule 14.4 in a function of seed.h",
      lambda d: (write(d, "seed.h", "static inline int seed_h(int a)\n{\n    int r = 0;\n"
                       "    if (a) {\n        r = 1;\n    }\n    return r;\n}\n"),
                 write(d, "seed.c", '#include "seed.h"\n' + SEED_C)), "14.4", "TOR-MISRA-004")
    r("M20", "deviation of another rule", "a 15.5 finding, a deviation of 15.6 scoped to seed.c",
      lambda d: (body("    if (a > 0) {\n        return 1;\n    }\n    return a;\n")(d),
                 write(d, "deviations.json", json.dumps({"deviations": [
                     {"id": "DEV-FIX-1", "rule": "15.5", "scope": ["fix.c:*"],
                      "justification": "fixture", "kind": "permanent"},
                     {"id": "DEV-S-1", "rule": "15.6", "scope": ["seed.c:*"],
                      "justification": "seed", "kind": "permanent"}]}))),
      "15.5", "TOR-MISRA-002")
    r("M21", "deviation scoped to another line", "a 15.5 deviation for seed.c:99 only",
      lambda d: (body("    if (a > 0) {\n        return 1;\n    }\n    return a;\n")(d),
                 write(d, "deviations.json", json.dumps({"deviations": [
                     {"id": "DEV-FIX-1", "rule": "15.5", "scope": ["fix.c:*", "seed.c:99"],
                      "justification": "fixture", "kind": "permanent"}]}))),
      "15.5", "TOR-MISRA-002")
    R.append(Row("misra", "M22", "deviation without a justification", ["TOR-MISRA-005"],
                 "DEV-FIX-1's justification emptied",
                 lambda d: replace(d, "deviations.json",
                                   '"justification": "Early return after the check (fixture)."',
                                   '"justification": ""'),
                 [r"^FAIL evidence/misra-deviations-valid: DEV-FIX-1: no justification"]))
    R.append(Row("misra", "M23", "two deviations with one ID", ["TOR-MISRA-005"],
                 "DEV-FIX-1 listed twice",
                 lambda d: write(d, "deviations.json", json.dumps({"deviations": [
                     {"id": "DEV-FIX-1", "rule": "15.5", "scope": ["fix.c:*"],
                      "justification": "fixture", "kind": "permanent"}] * 2})),
                 [r"^FAIL evidence/misra-deviations-valid: DEV-FIX-1: duplicate ID"]))
    return R


# ------------------------------------------------------------- coupling ---
# hi (row 1) -> lo (row 2) -> arch_x (arch_if.h) -> arch_internal;
# arch_entry -> hi_g. Seeds replace hyp/core/lo.c (or add files).
LO_HEAD = '#include "lo.h"\n#include "arch_if.h"\n'


def coupling_setup(d):
    shutil.copytree(os.path.join(FIX, "layered"), d, dirs_exist_ok=True)


def coupling_run(d):
    srcs = sorted(os.path.relpath(os.path.join(b, n), d)
                  for b, _, ns in os.walk(os.path.join(d, "hyp")) for n in ns if n.endswith(".c"))
    return py("coupling.py", ["--root", d, "--cflags", CFL + " -Ihyp/core", "--src"] + srcs +
              ["--layering", "layering.json", "--irdir", "ir", "--json", "c.json",
               "--html", "c.html"], d)


def lo(text):
    return lambda d: write(d, "hyp/core/lo.c", LO_HEAD + text)


def coupling_rows():
    R = []
    lay = r"^FAIL evidence/coupling-layering: [1-9][0-9]* violation\(s\): .*"

    def r(i, kind, tor, how, seed, expect):
        R.append(Row("coupling", i, kind, [tor], how, seed, [expect]))
    r("K01", "upward call", "TOR-COUP-001", "lo_f calls hi_g",
      lo("int lo_f(int v) { return v > 100 ? hi_g(v - 100) : arch_x(v) * 3; }\n"),
      lay + r"call lo_f -> hi_g \(upward calls: lo \(row 2\) -> hi \(row 1\)\)")
    r("K02", "upward tail call", "TOR-COUP-001", "lo_f ends in a call of hi_g",
      lo("int lo_f(int v) { return hi_g(v); }\n"), lay + r"call lo_f -> hi_g \(upward calls")
    r("K03", "call of an arch internal", "TOR-COUP-002", "lo_f calls arch_internal",
      lo("int arch_internal(int v);\nint lo_f(int v) { return arch_internal(v) * 3; }\n"),
      lay + r"lo_f -> arch_internal \(arch_internal is not an interface of arch")
    r("K04", "arch calls a core function no header declares", "TOR-COUP-002",
      "hi_secret defined in hi.c, declared only in x.c",
      lambda d: (append(d, "hyp/core/hi.c", "int hi_secret(int v);\nint hi_secret(int v) "
                        "{ return v - 1; }\n"),
                 append(d, "hyp/arch/aarch64/x.c", "int hi_secret(int v);\nint arch_y(int v) "
                        "{ return hi_secret(v); }\n")),
      lay + r"arch_y -> hi_secret \(hi_secret is not an interface of core")
    r("K05", "upward write through a global", "TOR-COUP-003", "lo_f writes hi_state",
      lo("int lo_f(int v) { hi_state = 0; return arch_x(v) * 3; }\n"),
      lay + r"writes lo_f -> hi_state \(upward data access")
    r("K06", "upward read through a global", "TOR-COUP-003", "lo_f reads hi_state",
      lo("int lo_f(int v) { return arch_x(v) * hi_state; }\n"),
      lay + r"reads lo_f -> hi_state \(upward data access")
    r("K07", "upward address of a global", "TOR-COUP-003", "lo_f passes &hi_state on",
      lo("void lo_sink(int *p);\nint lo_f(int v) { lo_sink(&hi_state); return arch_x(v); }\n"
         "__attribute__((noinline)) void lo_sink(int *p) { *p = 1; }\n"),
      lay + r"refs lo_f -> hi_state \(upward data access")
    r("K08", "upward write of a struct field", "TOR-COUP-003", "lo_f writes hi_rec.b",
      lambda d: (append(d, "hyp/core/hi.c", "struct rec { int a; int b; } hi_rec;\n"),
                 lo("struct rec { int a; int b; };\nextern struct rec hi_rec;\n"
                    "int lo_f(int v) { hi_rec.b = v; return arch_x(v); }\n")(d)),
      lay + r"writes lo_f -> hi_rec \(upward data access")
    r("K09", "upward atomic update", "TOR-COUP-003", "__atomic_fetch_add on hi_state",
      lo("int lo_f(int v) { return __atomic_fetch_add(&hi_state, v, __ATOMIC_SEQ_CST); }\n"),
      lay + r"(reads|writes) lo_f -> hi_state \(upward data access")
    r("K10", "upward block copy into a global", "TOR-COUP-003", "__builtin_memcpy into hi_arr",
      lambda d: (append(d, "hyp/core/hi.c", "int hi_arr[64];\n"),
                 lo("extern int hi_arr[64];\nint lo_f(int v) { int t[64] = {v};\n"
                    "    __builtin_memcpy(hi_arr, t, sizeof t); return arch_x(v); }\n")(d)),
      lay + r"writes lo_f -> hi_arr \(upward data access")
    r("K11", "core reads arch data", "TOR-COUP-004", "lo_f reads arch_cfg of x.c",
      lambda d: (append(d, "hyp/arch/aarch64/x.c", "int arch_cfg = 4;\n"),
                 lo("extern int arch_cfg;\nint lo_f(int v) { return arch_x(v) + arch_cfg; }\n")(d)),
      lay + r"reads lo_f -> arch_cfg \(layer core may not access data of layer arch\)")
    r("K12", "arch writes core data", "TOR-COUP-004", "arch_entry writes hi_state",
      lambda d: replace(d, "hyp/arch/aarch64/x.c", "int arch_entry(int v) { return hi_g(v); }",
                        "int arch_entry(int v) { hi_state = v; return hi_g(v); }"),
      lay + r"writes arch_entry -> hi_state \(layer arch may not access data of layer core\)")
    r("K13", "file in no layer", "TOR-COUP-005", "new hyp/platform/p.c called by nobody",
      lambda d: write(d, "hyp/platform/p.c", "int plat_f(int v);\nint plat_f(int v) "
                      "{ return v; }\n"),
      lay + r"file plat_f -> hyp/platform/p\.c \(file in no layer")
    r("K14", "core module not in the layering", "TOR-COUP-005", "new core module mid.c",
      lambda d: (write(d, "hyp/core/mid.c", "int mid_f(int v);\nint mid_f(int v) "
                       "{ return v; }\n"),
                 lo("int mid_f(int v);\nint lo_f(int v) { return mid_f(arch_x(v)); }\n")(d)),
      lay + r"core module mid not in core_order")
    r("K15", "indirect call in core", "TOR-COUP-006", "lo_f calls through a function pointer",
      lo("int (*volatile lo_hook)(int) = arch_x;\nint lo_f(int v) { return lo_hook(v) * 3; }\n"),
      r"^FAIL evidence/coupling-indirect-calls: 1 function\(s\) call through a pointer: lo_f")
    r("K16", "indirect call in arch", "TOR-COUP-006", "arch_x calls through a pointer",
      lambda d: replace(d, "hyp/arch/aarch64/x.c",
                        "int arch_x(int v) { return arch_internal(v) + 2; }",
                        "int (*volatile arch_hook)(int) = arch_internal;\n"
                        "int arch_x(int v) { return arch_hook(v) + 2; }"),
      r"^FAIL evidence/coupling-indirect-calls: 1 function\(s\) call through a pointer: arch_x")
    r("K17", "call out of the analysed program", "TOR-COUP-007",
      "lo_f calls ext_f, defined in no analysed file",
      lo("int ext_f(int v);\nint lo_f(int v) { return ext_f(arch_x(v)); }\n"),
      r"^FAIL evidence/coupling-resolved: 1 call\(s\) to functions outside the analysed "
      r"program: lo_f -> ext_f")
    return R


# ---------------------------------------------------------------- stack ---
# prog.c: entry -> mid -> leaf -> sink against a 1 KiB stack, 50% margin.
# A row writes more C (and assembly) files; the table can be changed.


def stack_setup(d):
    for n in ("prog.c", "table.json", "stack.h", "gates.json"):
        shutil.copy(os.path.join(FIX, "stack", n), d)


def stack_run(d):
    srcs = sorted(n for n in os.listdir(d) if n.endswith(".c"))
    asm = []
    os.makedirs(os.path.join(d, "su"), exist_ok=True)
    for n in srcs:
        rc, out = sh(CLANG + ["-fstack-usage", "-c", n, "-o", "su/%s.o" % n[:-2]], d)
        if rc:
            raise RuntimeError(out)
    for n in sorted(x for x in os.listdir(d) if x.endswith(".S")):
        rc, out = sh(["clang-19", "--target=aarch64-none-elf", "-c", n, "-o", n + ".o"], d)
        if rc:
            raise RuntimeError(out)
        asm.append("%s.o=%s" % (n, n))
    return py("stack.py", ["--root", d, "--cflags", CFL, "--src"] + srcs + ["--asm"] + asm +
              ["--su-dir", "su", "--table", "table.json", "--gates", "gates.json",
               "--irdir", "ir", "--json", "s.json", "--html", "s.html"], d)


def table(d, **kw):
    t = json.load(open(os.path.join(d, "table.json")))
    t.update(kw)
    write(d, "table.json", json.dumps(t))


def entry(text):
    """prog.c's entry() replaced: it also calls extra(v), defined in text."""
    return lambda d: (write(d, "extra.c", text),
                      replace(d, "prog.c", "int entry(int v) { return mid(v) + leaf(v + 1); }",
                              "int extra(int v);\nint entry(int v) { return mid(v) + leaf(v + 1)"
                              " + extra(v); }"))


def stack_rows():
    R = []
    sound = r"^FAIL evidence/stack-sound: [1-9][0-9]* problem\(s\): .*"
    margin = r"^FAIL evidence/stack-margin: worst [0-9]+ bytes \(.*\) over 512"

    def r(i, kind, tor, how, seed, expect):
        R.append(Row("stack", i, kind, [tor], how, seed, [expect]))
    r("S01", "direct recursion", "TOR-STACK-002", "extra calls itself",
      entry("__attribute__((noinline)) int extra(int v) { volatile int x = v;\n"
            "    return v > 0 ? extra(v - x) * 2 + 1 : 0; }\n"),
      sound + r"recursion extra: extra -> extra")
    r("S02", "mutual recursion", "TOR-STACK-002", "ping -> pong -> ping",
      entry("int pong(int v);\n__attribute__((noinline)) int ping(int v) { volatile int x = v;\n"
            "    return v > 0 ? pong(v - x) * 2 + 1 : 0; }\n"
            "__attribute__((noinline)) int pong(int v) { volatile int x = v;\n"
            "    return v > 0 ? ping(v - x) * 3 + 1 : 0; }\n"
            "int extra(int v) { return ping(v); }\n"),
      sound + r"recursion (ping|pong): (ping -> pong -> ping|pong -> ping -> pong)")
    r("S03", "indirect call", "TOR-STACK-003", "extra calls through a pointer",
      entry("int (*volatile hook)(int);\nint extra(int v) { return hook(v); }\n"),
      sound + r"indirect extra: 1 call\(s\) through a pointer")
    r("S04", "variable-length array", "TOR-STACK-004", "extra has a VLA",
      entry("void sink(volatile char *p, int n);\nint extra(int v) { volatile char b[v & 63];\n"
            "    sink(b, v & 63); return b[0]; }\n"),
      sound + r"dynamic extra: ")
    r("S05", "alloca", "TOR-STACK-004", "extra calls __builtin_alloca",
      entry("void sink(volatile char *p, int n);\nint extra(int v) { volatile char *b =\n"
            "    __builtin_alloca((unsigned)(v & 63) + 1u); sink(b, 1); return b[0]; }\n"),
      sound + r"dynamic extra: ")
    r("S06", "call of an undefined function", "TOR-STACK-005", "extra calls ext (no body)",
      entry("int ext(int v);\nint extra(int v) { return ext(v) + 1; }\n"),
      sound + r"unknown ext: called but not defined in the program")
    r("S07", "entry root missing", "TOR-STACK-005", "table names root boot_main, not defined",
      lambda d: table(d, entries=[{"name": "entry", "root": "entry"},
                                  {"name": "boot", "root": "boot_main"}]),
      sound + r"unknown boot_main: entry root not in the program")
    r("S08", "handler on a via path not reachable", "TOR-STACK-005",
      "entry's via names sink -> mid (mid is not below sink)",
      lambda d: table(d, entries=[{"name": "entry", "root": "entry", "via": ["sink", "mid"]}]),
      sound + r"unknown mid: not reachable from sink")
    r("S09", "assembly node without a frame size", "TOR-STACK-006",
      "asm_entry (assembly) calls entry; no frame in the table",
      lambda d: (write(d, "a.S", "    .text\n    .globl asm_entry\nasm_entry:\n"
                       "    bl entry\n    b .\n"),
                 table(d, entries=[{"name": "asm", "root": "asm_entry"}])),
      sound + r"noframe asm_entry: no frame size")
    r("S10", "indirect branch in assembly", "TOR-STACK-003", "asm_entry ends in blr x1",
      lambda d: (write(d, "a.S", "    .text\n    .globl asm_entry\nasm_entry:\n"
                       "    bl entry\n    blr x1\n    b .\n"),
                 table(d, entries=[{"name": "asm", "root": "asm_entry"}],
                       frames={"asm_entry": 16})),
      sound + r"indirect asm_entry: 1 call\(s\) through a pointer")
    r("S11", "deeper stack over budget", "TOR-STACK-001", "extra has a 600-byte frame",
      entry("void sink(volatile char *p, int n);\nint extra(int v) { volatile char b[600];\n"
            "    sink(b, 600); return b[v & 7]; }\n"), margin)
    r("S12", "deeper call chain over budget", "TOR-STACK-001",
      "extra -> e1 -> e2 -> e3, 160 bytes each",
      entry("void sink(volatile char *p, int n);\n" + "".join(
          "__attribute__((noinline)) int e%d(int v) { volatile char b[160]; sink(b, 160);\n"
          "    return b[v & 7]%s; }\n" % (k, " + e%d(v)" % (k + 1) if k < 3 else "")
          for k in (3, 2, 1)) + "int extra(int v) { return e1(v); }\n"), margin)
    r("S13", "over budget on a branch not taken first", "TOR-STACK-001",
      "extra calls a small and, on one path, a big function",
      entry("void sink(volatile char *p, int n);\n__attribute__((noinline)) int small(int v) {\n"
            "    volatile char b[8]; sink(b, 8); return b[v & 7]; }\n"
            "__attribute__((noinline)) int big(int v) { volatile char b[700]; sink(b, 700);\n"
            "    return b[v & 7]; }\n"
            "int extra(int v) { return v > 5 ? small(v) : big(v) + small(v); }\n"), margin)
    r("S14", "nested entry over budget", "TOR-STACK-001",
      "an exception entry (nested) on top of entry",
      lambda d: table(d, entries=[{"name": "entry", "root": "entry"},
                                  {"name": "fault", "root": "entry", "nested": True}]),
      r"^FAIL evidence/stack-margin: worst [0-9]+ bytes \(fault\) over 512")
    r("S15", "recursion in assembly", "TOR-STACK-002", "asm_loop branches with bl to itself",
      lambda d: (write(d, "a.S", "    .text\n    .globl asm_loop\nasm_loop:\n"
                       "    bl entry\n    bl asm_loop\n    ret\n"),
                 table(d, entries=[{"name": "asm", "root": "asm_loop"}],
                       frames={"asm_loop": 16})),
      sound + r"recursion asm_loop: asm_loop -> asm_loop")
    return R


# ------------------------------------------------------------------ s2o ---
# main.c (C, -g) calls helper (helper.S); linked with link.ld.


def s2o_setup(d):
    shutil.copytree(os.path.join(FIX, "s2o"), d, dirs_exist_ok=True)
    write(d, "gates.json", json.dumps({"s2o": {"max_no_line_sequence": 0,
                                               "max_line0_percent": 10}}))
    write(d, "build.json", json.dumps({"main.c": ["-g"], "helper.S": ["-g"], "ld": "link.ld",
                                       "post": []}))


def s2o_run(d):
    b = json.load(open(os.path.join(d, "build.json")))
    objs = []
    for src, flags in sorted(b.items()):
        if src in ("ld", "post"):
            continue
        cc = CLANG if src.endswith(".c") else ["clang-19", "--target=aarch64-none-elf"]
        rc, out = sh(cc + flags + ["-c", src, "-o", src + ".o"], d)
        if rc:
            raise RuntimeError(out)
        objs.append(src + ".o")
    for cmd in b["post"]:
        if cmd[0] == "obj":
            rc, out = sh(cmd[1:], d)
            if rc:
                raise RuntimeError(out)
    rc, out = sh(["ld.lld-19", "-T", b["ld"]] + objs + ["-o", "prog.elf"], d)
    if rc:
        raise RuntimeError(out)
    for cmd in b["post"]:
        if cmd[0] == "elf":
            rc, out = sh(cmd[1:], d)
            if rc:
                raise RuntimeError(out)
    return py("s2o.py", ["--elf", "prog.elf", "--gates", "gates.json", "--json", "o.json",
                         "--html", "o.html"], d)


def build(**kw):
    def seed(d):
        p = os.path.join(d, "build.json")
        b = json.load(open(p))
        for k, v in kw.items():
            if v is None:
                b.pop(k, None)
            else:
                b[k] = v
        write(d, "build.json", json.dumps(b))
    return seed


def s2o_rows():
    R = []
    nol = r"^FAIL evidence/s2o-line-table: [1-9][0-9]* instruction\(s\) outside every DWARF " \
          r"line sequence \(limit 0\) in .*"

    def r(i, kind, tor, how, seed, expect):
        R.append(Row("s2o", i, kind, [tor], how, seed, [expect]))
    r("O01", "assembly without line information", "TOR-S2O-001", "helper.S assembled without -g",
      build(**{"helper.S": []}), nol + "helper")
    r("O02", "C without line information", "TOR-S2O-001", "main.c compiled without -g",
      build(**{"main.c": []}), nol + "start")
    r("O03", "one C object without lines among others", "TOR-S2O-001",
      "extra.c (-g0) linked beside main.c (-g)",
      lambda d: (write(d, "extra.c", "int extra_f(int v);\nint extra_f(int v) "
                       "{ return v * 7; }\n"), build(**{"extra.c": ["-g0"]})(d)),
      nol + "extra_f")
    r("O04", "object with its debug sections stripped", "TOR-S2O-001",
      "llvm-objcopy --strip-debug main.c.o before the link",
      build(post=[["obj", "llvm-objcopy-19", "--strip-debug", "main.c.o"]]), nol + "start")
    r("O05", "ELF with its debug sections stripped", "TOR-S2O-001",
      "llvm-objcopy --strip-debug prog.elf",
      build(post=[["elf", "llvm-objcopy-19", "--strip-debug", "prog.elf"]]), nol)
    r("O06", "linker-made veneer", "TOR-S2O-002",
      "helper placed 256 MiB away: lld adds a long-branch thunk",
      lambda d: (write(d, "far.ld", "ENTRY(start)\nSECTIONS { . = 0x40000000; .text : "
                       "{ main.c.o(.text*) } . = 0x50000000; .far : { helper.S.o(.text*) } }\n"),
                 build(ld="far.ld")(d)), nol + r"__AArch64AbsLongThunk_helper")
    r("O07", "code patched into the ELF", "TOR-S2O-002",
      "llvm-objcopy --add-section of 2 instructions, code flags",
      lambda d: (open(os.path.join(d, "blob.bin"), "wb").write(
          bytes.fromhex("00040091c0035fd6")),
          build(post=[["elf", "llvm-objcopy-19", "--add-section", ".text.patch=blob.bin",
                       "--set-section-flags", ".text.patch=code,alloc,readonly",
                       "prog.elf"]])(d)), nol + r"\.text\.patch")
    r("O08", "code the compiler says has no line (line 0)", "TOR-S2O-003",
      "helper.S with .loc 1 0 before 8 instructions",
      lambda d: write(d, "helper.S", "    .text\n    .file 1 \"helper.S\"\n    .globl helper\n"
                      "helper:\n    .loc 1 0 0\n" + "    add x0, x0, #2\n" * 8 + "    ret\n"),
      r"^FAIL evidence/s2o-compiler-generated: 9 line-0 instructions")
    r("O09", "line info for part of an assembly file", "TOR-S2O-001",
      "helper.S with .loc rows, then a second section without any",
      lambda d: (write(d, "helper.S", "    .text\n    .file 1 \"helper.S\"\n    .globl helper\n"
                       "helper:\n    .loc 1 4 0\n    add x0, x0, #2\n    ret\n"
                       "    .section .text.late,\"ax\"\n    .globl late\nlate:\n"
                       "    add x0, x0, #3\n    ret\n"), build(**{"helper.S": []})(d)),
      nol + "late")
    r("O10", "no code at all", "TOR-S2O-004", "an ELF whose text holds only data words",
      lambda d: (write(d, "main.c", "const int start[4] = {1, 2, 3, 4};\n"),
                 write(d, "helper.S", "    .data\n    .word 1\n")),
      r"^FAIL evidence/s2o-line-table: 0 instruction\(s\) outside")
    r("O11", "unmapped code after padding-like nops", "TOR-S2O-001",
      "ret, two nops, then code, assembled without -g",
      lambda d: (write(d, "helper.S", "    .text\n    .globl helper\nhelper:\n    ret\n"
                       "    nop\n    nop\n    add x0, x0, #1\n    ret\n"),
                 build(**{"helper.S": []})(d)), nol + "helper")
    return R


def tables():
    tools = {
        "misra": Tool("misra", misra_setup, misra_run, [r"^PASS evidence/misra-deviated$"]),
        "coupling": Tool("coupling", coupling_setup, coupling_run,
                         [r"^PASS evidence/coupling-layering$", r"^PASS evidence/coupling-resolved$"]),
        "stack": Tool("stack", stack_setup, stack_run,
                      [r"^PASS evidence/stack-sound$", r"^PASS evidence/stack-margin$"]),
        "s2o": Tool("s2o", s2o_setup, s2o_run,
                    [r"^PASS evidence/s2o-line-table$", r"^PASS evidence/s2o-compiler-generated$"]),
    }
    return tools, misra_rows() + coupling_rows() + stack_rows() + s2o_rows()
