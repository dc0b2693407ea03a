#!/usr/bin/env python3
"""Every Tool Operational Requirement has a test, and every test's TOR exists.

Reads the TOR IDs defined in docs/tools/tor.md (bold "**TOR-X-NNN**" at the
start of a list item) and the TOR IDs named by the tool-confidence tests
(tests/evidence/*.sh and *.py, this file excepted). Fails when a defined TOR
is named by no test, when a test names an undefined TOR, or when an ID is
defined twice. With --results (campaign.json), a TOR whose campaign rows did
not all pass fails too.

  tor-check.py [--results build/evidence/campaign.json]

Prints "PASS evidence-tor-check/<what>" or "FAIL evidence-tor-check/<what>:
reason"; exits 1 on any failure.
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOR_RE = re.compile(r"\bTOR-[A-Z0-9]+-\d{3}\b")
DEF_RE = re.compile(r"^- \*\*(TOR-[A-Z0-9]+-\d{3})\*\*")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "tools", "tor.md"))
    ap.add_argument("--results")
    a = ap.parse_args()
    defined = []
    for line in open(a.doc, encoding="utf-8"):
        m = DEF_RE.match(line)
        if m:
            defined.append(m.group(1))
    named = {}
    for p in sorted(glob.glob(os.path.join(HERE, "*.sh")) + glob.glob(os.path.join(HERE, "*.py"))):
        if os.path.basename(p) == os.path.basename(__file__):
            continue
        for t in TOR_RE.findall(open(p, encoding="utf-8").read()):
            named.setdefault(t, set()).add(os.path.basename(p))
    lines = []

    def gate(what, bad, reason):
        lines.append("FAIL evidence-tor-check/%s: %s" % (what, reason) if bad else
                     "PASS evidence-tor-check/%s" % what)
    dup = sorted({t for t in defined if defined.count(t) > 1})
    gate("unique", dup, "defined twice: " + ", ".join(dup))
    untested = [t for t in defined if t not in named]
    gate("every-tor-tested", untested, "%d TOR(s) named by no test: %s" % (
        len(untested), ", ".join(untested)))
    unknown = sorted(t for t in named if t not in defined)
    gate("every-test-tor-defined", unknown, "%d TOR(s) named by a test but not in %s: %s" % (
        len(unknown), os.path.relpath(a.doc, ROOT), ", ".join(
            "%s (%s)" % (t, ", ".join(sorted(named[t]))) for t in unknown)))
    if a.results:
        try:
            res = json.load(open(a.results))
            failed = sorted(t for t, s in res.get("tors", {}).items() if s != "PASS")
            gate("campaign-tors-pass", failed, "campaign rows failed for: " + ", ".join(failed))
        except (OSError, ValueError) as err:
            gate("campaign-tors-pass", True, "cannot read %s: %s" % (a.results, err))
    print("\n".join(lines))
    print("  tor-check: %d TORs defined, %d named by tests" % (len(set(defined)), len(named)))
    return 1 if any(x.startswith("FAIL") for x in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
