#!/usr/bin/env python3
"""Seeded-defect campaign of the evidence tools (DO-330 TQL-5, issue 18).

One row per seeded defect: the tool, an ID, the kind of defect, the Tool
Operational Requirement (docs/tools/tor.md) it exercises, how it is seeded
and the FAIL line the tool must print. Each row copies a small clean fixture
of the tool's inputs into a scratch directory, seeds the defect, runs the
tool on it directly and checks its exit status (1) and output. Each tool's
clean fixture is run too and must pass (a control, not counted).

  campaign.py [--json build/evidence/campaign.json] [--jobs 2] [--tool T]

Prints "PASS evidence-campaign/<tool>/<id>" or "FAIL ...: reason",
"PASS evidence-tor/<TOR-ID>" per requirement, and the detection rate per tool;
exits 1 if any row failed. The rows are in campaign_rows.py (trace,
coverage, size), campaign_obj.py (misra, coupling, stack, s2o) and
campaign_prove.py (prove: the Frama-C wrapper).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# EVIDENCE_TOOLS=DIR runs the campaign against another copy of the tools.
EV = os.environ.get("EVIDENCE_TOOLS") or os.path.join(ROOT, "tools", "evidence")
sys.path.insert(0, HERE)
MIN_ROWS = 10  # seeded defects per tool (issue 18)


class Tool:
    """A tool under test: setup(d) writes its clean fixture into d;
    run(d) runs it there and returns (exit status, output)."""

    def __init__(self, name, setup, run, clean_expect):
        self.name, self.setup, self.run, self.clean_expect = name, setup, run, clean_expect


class Row:
    def __init__(self, tool, ident, kind, tor, how, seed, expect, absent=()):
        self.tool, self.id, self.kind, self.tor, self.how = tool, ident, kind, tor, how
        self.seed, self.expect, self.absent = seed, expect, absent


# ---- helpers the row tables use to seed a copy -------------------------

def write(d, rel, text):
    p = os.path.join(d, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as fh:
        fh.write(text)


def append(d, rel, text):
    with open(os.path.join(d, rel), "a") as fh:
        fh.write(text)


def replace(d, rel, old, new):
    p = os.path.join(d, rel)
    s = open(p).read()
    if old not in s:
        raise RuntimeError("seed: %r not in %s" % (old, rel))
    with open(p, "w") as fh:
        fh.write(s.replace(old, new, 1))


def sh(cmd, cwd, env=None):
    """Run a command list; (exit status, stdout+stderr)."""
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, env=env)
    return r.returncode, r.stdout


def py(tool, args, cwd):
    return sh([sys.executable, os.path.join(EV, tool)] + args, cwd)


# ---- running --------------------------------------------------------------

def run_one(tool, row, work):
    d = os.path.join(work, tool.name + "-" + (row.id if row else "clean"))
    os.makedirs(d)
    t0 = time.time()
    try:
        tool.setup(d)
        if row:
            row.seed(d)
        rc, out = tool.run(d)
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        return False, "seeding or running failed: %s" % err, "", time.time() - t0
    want_rc = 1 if row else 0
    expect = row.expect if row else tool.clean_expect
    absent = row.absent if row else ()
    if rc != want_rc:
        return False, "exit status %d, expected %d" % (rc, want_rc), out, time.time() - t0
    for rx in expect:
        if not re.search(rx, out, re.M):
            return False, "no line matching: %s" % rx, out, time.time() - t0
    for rx in absent:
        if re.search(rx, out, re.M):
            return False, "unexpected line matching: %s" % rx, out, time.time() - t0
    return True, "", out, time.time() - t0


def main():
    import campaign_obj
    import campaign_prove
    import campaign_rows
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "evidence", "campaign.json"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tool", action="append")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    a = ap.parse_args()
    tools, rows = {}, []
    for mod in (campaign_rows, campaign_obj, campaign_prove):
        t, r = mod.tables()
        tools.update(t)
        rows += r
    if a.tool:
        tools = {k: v for k, v in tools.items() if k in a.tool}
        rows = [r for r in rows if r.tool in tools]
    ids = [(r.tool, r.id) for r in rows]
    if len(set(ids)) != len(ids):
        print("FAIL campaign: duplicate row IDs")
        return 1
    work = tempfile.mkdtemp(prefix="campaign-")
    t0 = time.time()
    jobs = [(tools[name], None) for name in tools] + [(tools[r.tool], r) for r in rows]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(run_one, t, r, work) for t, r in jobs]
        for (t, r), f in zip(jobs, futs):
            ok, why, out, secs = f.result()
            label = "evidence-campaign/%s/%s" % (t.name, r.id if r else "clean")
            print(("PASS %s" % label) if ok else ("FAIL %s: %s" % (label, why)))
            if not ok:
                print("\n".join("    " + x for x in out.splitlines()[-12:]))
            results.append({"tool": t.name, "id": r.id if r else "clean",
                            "kind": r.kind if r else "clean fixture passes (control)",
                            "tor": r.tor if r else [], "how": r.how if r else "",
                            "expect": r.expect if r else t.clean_expect,
                            "status": "PASS" if ok else "FAIL", "why": why,
                            "seconds": round(secs, 2), "control": r is None})
    secs = time.time() - t0
    if a.keep:
        print("scratch: %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    per_tool = {}
    for x in results:
        if x["control"]:
            per_tool.setdefault(x["tool"], {"seeded": 0, "detected": 0})["control"] = x["status"]
            continue
        p = per_tool.setdefault(x["tool"], {"seeded": 0, "detected": 0})
        p["seeded"] += 1
        p["detected"] += x["status"] == "PASS"
    tor = {}
    for x in results:
        for t in x["tor"]:
            tor.setdefault(t, []).append(x["status"])
    for t in sorted(tor):
        bad = tor[t].count("FAIL")
        print("PASS evidence-tor/%s (%d case(s))" % (t, len(tor[t])) if not bad else
              "FAIL evidence-tor/%s: %d of %d case(s) failed" % (t, bad, len(tor[t])))
    total = sum(p["seeded"] for p in per_tool.values())
    found = sum(p["detected"] for p in per_tool.values())
    for name, p in sorted(per_tool.items()):
        p["rate_percent"] = round(100.0 * p["detected"] / p["seeded"], 1) if p["seeded"] else 0.0
        print("  campaign %-9s %3d/%3d seeded defects detected (%.1f%%), clean fixture %s" % (
            name, p["detected"], p["seeded"], p["rate_percent"], p.get("control", "?")))
    print("  campaign total     %3d/%3d detected in %.1f s" % (found, total, secs))
    few = [k for k, p in sorted(per_tool.items()) if p["seeded"] < MIN_ROWS]
    if few:
        print("FAIL evidence-campaign/rows: fewer than %d seeded defects for %s" % (
            MIN_ROWS, ", ".join(few)))
    res = {"tools": per_tool, "seeded": total, "detected": found,
           "rate_percent": round(100.0 * found / total, 1) if total else 0.0,
           "seconds": round(secs, 1), "tors": {t: ("FAIL" if "FAIL" in v else "PASS")
                                               for t, v in tor.items()},
           "rows": results}
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=1)
    return 0 if all(x["status"] == "PASS" for x in results) and not few else 1


if __name__ == "__main__":
    sys.exit(main())
