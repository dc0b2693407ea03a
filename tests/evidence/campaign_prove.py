"""Seeded-defect rows of prove.py, the Frama-C wrapper (campaign.py). The
clean fixture is tests/evidence/analysers/prove: eva.c (one justified
alarm), justifications.json and wp.c (two proved contracts)."""
import json
import os
import shutil

from campaign import ROOT, Row, Tool, py, replace, write

FIX = os.path.join(ROOT, "tests", "evidence", "analysers", "prove")


def prove_setup(d):
    shutil.copytree(FIX, d, dirs_exist_ok=True)


def prove_run(d):
    return py("prove.py", ["--root", d, "--eva-src", "eva.c", "--eva-min-reach", "90",
                           "--justifications", os.path.join(d, "justifications.json"),
                           "--wp-src", "wp.c", "--wp-fct", "lookup,fits",
                           "--wp-opt=-wp-prover z3,cvc4 -wp-timeout 10",
                           "--log-dir", os.path.join(d, "log"), "--json",
                           os.path.join(d, "p.json")], d)


def hook(code, body):
    """Replace seed_hook (called from main) by code and a body using it."""
    return lambda d: replace(d, "eva.c", "static int seed_hook(void)\n{\n    return 0;\n}",
                             code + "static int seed_hook(void)\n{\n" + body + "}")


def justs(f):
    def seed(d):
        p = os.path.join(d, "justifications.json")
        j = json.load(open(p))
        f(j["alarms"])
        with open(p, "w") as fh:
            json.dump(j, fh)
    return seed


EVA = r"^FAIL evidence/eva: [1-9][0-9]* unjustified alarm\(s\) of \d+: .*"


def prove_rows():
    R = []

    def r(i, kind, tor, how, seed, expect):
        R.append(Row("prove", i, kind, [tor], how, seed, [expect]))

    r("P01", "an out-of-bounds index", "TOR-PROVE-001", "get's guard i < 8 becomes i < 9",
      lambda d: replace(d, "eva.c", "if (i < 8u)", "if (i < 9u)"), EVA + r"get index_bound")
    r("P02", "a division by zero", "TOR-PROVE-001", "ratio's b == 0 guard removed",
      lambda d: replace(d, "eva.c", "if (b == 0) {\n        return 0;\n    }\n", ""),
      EVA + r"ratio division_by_zero")
    r("P03", "a removed guard", "TOR-PROVE-001", "get reads table[i] unguarded",
      lambda d: replace(d, "eva.c", "if (i < 8u) {\n        return table[i];\n    }",
                        "return table[i];"), EVA + r"get index_bound")
    r("P04", "a null dereference", "TOR-PROVE-001", "a pointer that may be NULL is read",
      hook("static int cell;\n", "    int *p = Frama_C_nondet(0, 1) ? &cell : (int *)0;\n"
           "    return *p;\n"), EVA + r"seed_hook mem_access")
    r("P05", "a signed overflow", "TOR-PROVE-001", "an int near INT_MAX plus 1",
      hook("", "    int x = Frama_C_interval(0, 2147483647);\n    return x + 1;\n"),
      EVA + r"seed_hook signed_overflow")
    r("P06", "an invalid shift", "TOR-PROVE-001", "1u shifted by up to 40",
      hook("", "    unsigned int k = Frama_C_unsigned_int_interval(0u, 40u);\n"
           "    return (int)((1u << k) & 1u);\n"), EVA + r"seed_hook shift")
    r("P07", "an uninitialised read", "TOR-PROVE-001", "a local set on one path only",
      hook("", "    int x;\n    if (Frama_C_nondet(0, 1)) {\n        x = 1;\n    }\n"
           "    return x;\n"), EVA + r"seed_hook initialization")
    r("P08", "a justification removed", "TOR-PROVE-001",
      "justifications.json emptied: pick's alarm is open",
      justs(lambda a: a.clear()), EVA + r"pick index_bound")
    r("P09", "a stale justification", "TOR-PROVE-002",
      "an entry matching no alarm (a function that has none)",
      justs(lambda a: a.append({"file": "eva.c", "function": "get", "kind": "index_bound",
                                "property": "i < 8", "reason": "stale"})),
      r"^FAIL evidence/eva: 1 stale justification\(s\), matching no alarm: eva\.c get")
    r("P10", "a justification without a reason", "TOR-PROVE-002", "reason left empty",
      justs(lambda a: a[0].update(reason="")),
      r"^FAIL evidence/eva: justification without reason")
    r("P11", "a harness that stops early", "TOR-PROVE-003",
      "main stops before the calls: nothing after is analysed, so no alarm",
      lambda d: replace(d, "eva.c", "    int r = get(i)",
                        "    if (b < 10) {\n        Frama_C_abort();\n    }\n    int r = get(i)"),
      r"^FAIL evidence/eva: EVA reached \d+\.\d% of the statements, below 90\.0%")
    r("P12", "a source Frama-C cannot parse", "TOR-PROVE-004", "a syntax error in eva.c",
      lambda d: replace(d, "eva.c", "static int table[8];", "static int table[8]"),
      r"^FAIL evidence/eva: frama-c -eva exited [1-9]")
    r("P13", "an unproved postcondition", "TOR-PROVE-005",
      "fits off by one: s < max - a", lambda d: replace(d, "wp.c", "s <= 4294967295u - a",
                                                         "s < 4294967295u - a"),
      r"^FAIL evidence/wp: fits: \d+/\d+ proved, open: .*fits_ensures")
    r("P14", "an out-of-bounds read under WP", "TOR-PROVE-005",
      "lookup's guard i >= 8 becomes i > 8",
      lambda d: replace(d, "wp.c", "if (i >= 8u)", "if (i > 8u)"),
      r"^FAIL evidence/wp: lookup: \d+/\d+ proved, open: .*rte_mem_access")
    r("P15", "a contract removed", "TOR-PROVE-006", "fits keeps no ACSL contract",
      lambda d: replace(d, "wp.c", "/*@ assigns \\nothing;\n    ensures \\result <==> "
                        "a + s <= 4294967295;\n */\n", ""),
      r"^FAIL evidence/wp: .*fits: no (contract, only RTE goals|goal)")
    r("P16", "a proved function renamed away", "TOR-PROVE-006",
      "lookup renamed: the named function has no goal",
      lambda d: replace(d, "wp.c", "int lookup(", "int lookup2("),
      r"^FAIL evidence/wp: (lookup: no goal|frama-c -wp exited [1-9])")
    return R


def tables():
    return ({"prove": Tool("prove", prove_setup, prove_run,
                           [r"^PASS evidence/eva: 1 open properties, all justified",
                            r"^PASS evidence/wp: 6/6 goals proved in 2 functions"])},
            prove_rows())
