#!/usr/bin/env python3
"""Formal analysis of hyp/core with Frama-C (issue 18 part 5): make prove.

Runs Frama-C's EVA on a harness (absence of run-time errors) and WP on the
ACSL contracts of chosen functions, reads what Frama-C reports, and decides:

  EVA: every property left open (status not Valid, Considered valid or
       Dead: an alarm, an unknown assertion or precondition) must match an entry of
       the justification list (file, function, kind, property text); an
       entry that matches nothing is stale and fails too. The share of
       statements EVA reached must stay at or above --eva-min-reach, so a
       harness that stops early (everything after unreachable, hence no
       alarm) fails. The postconditions of the functions WP proves are
       left to WP; their preconditions, at each call, stay EVA's.
  WP:  every goal of every function named in --wp-fct is proved, and each of
       them has at least one goal of its own contract (not only RTE goals).

  prove.py --root DIR [--cpp ARGS] [--eva-src F...] [--eva-main main]
           [--eva-opt ARGS] [--eva-min-reach PCT] [--justifications J]
           [--wp-src F...] [--wp-fct f,g] [--wp-opt ARGS]
           [--log-dir D] [--json OUT] [--html OUT]

Prints "PASS evidence/eva: ...", "FAIL evidence/eva: reason" and the same
for evidence/wp; exits 1 when either fails. Frama-C's own output is kept in
--log-dir (eva.log, eva.csv, wp.log, wp.json).
"""
import argparse
import csv
import html
import json
import os
import re
import shlex
import subprocess
import sys
import time

# Not open: proved, assumed (the contracts of modelled functions), or on code
# no analysed state reaches ("Dead": the reach gate bounds how much).
OPEN_OK = ("Valid", "Considered valid", "Dead")


def frama(args, root, log, env=None):
    t0 = time.time()
    env = dict(env or os.environ)
    env["PWD"] = root  # Frama-C resolves relative paths against $PWD
    with open(log, "w") as fh:
        r = subprocess.run(["frama-c"] + args, cwd=root, stdout=fh, stderr=subprocess.STDOUT,
                           env=env)
    return r.returncode, time.time() - t0


def base_args(a):
    return ["-c11", "-machdep", "x86_64", "-cpp-extra-args=" + a.cpp]


def read_alarms(path, root):
    """Open properties of the analysed files: dicts file, line, function,
    kind, status, property."""
    out = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["status"] in OPEN_OK:
                continue
            d = row["directory"]
            f = row["file"] if d in ("", ".") else os.path.join(d, row["file"])
            out.append({"file": f, "line": int(row["line"] or 0), "function": row["function"],
                        "kind": row["property kind"], "status": row["status"],
                        "property": " ".join(row["property"].split())})
    return out


def key(x):
    return (x["file"], x["function"], x["kind"], x["property"])


def run_eva(a, res):
    csv_path = os.path.join(a.log_dir, "eva.csv")
    log = os.path.join(a.log_dir, "eva.log")
    if os.path.exists(csv_path):
        os.remove(csv_path)
    args = base_args(a) + a.eva_src + ["-main", a.eva_main, "-eva", "-eva-no-show-progress"] + \
        shlex.split(a.eva_opt) + ["-then", "-report-csv", csv_path]
    rc, secs = frama(args, a.root, log)
    text = open(log, errors="replace").read()
    ev = {"seconds": round(secs, 1), "functions": {}, "open": [], "justified": 0,
          "unjustified": 0, "stale": []}
    res["eva"] = ev
    if rc != 0 or not os.path.exists(csv_path):
        return "frama-c -eva exited %d (see %s)" % (rc, log)
    if re.search(r"degeneration|Analysis degenerated", text):
        return "the analysis degenerated (see %s)" % log
    m = re.search(r"(\d+) statements reached \(out of (\d+)\)", text)
    if not m:
        return "no coverage summary in %s" % log
    reach = 100.0 * int(m.group(1)) / max(1, int(m.group(2)))
    ev["reach_percent"] = round(reach, 1)
    if reach < a.eva_min_reach:
        return "EVA reached %.1f%% of the statements, below %.1f%%: the harness stops early" % (
            reach, a.eva_min_reach)
    just = []
    if a.justifications:
        just = json.load(open(a.justifications))["alarms"]
    jkeys = {}
    for j in just:
        for f in ("file", "function", "kind", "property", "reason"):
            if not str(j.get(f, "")).strip():
                return "justification without %s: %s" % (f, j)
        jkeys[key(j)] = j
    used = set()
    bad = []
    wp_fct = set(f for f in a.wp_fct.split(",") if f)
    for x in read_alarms(csv_path, a.root):
        if x["kind"] == "postcondition" and x["function"] in wp_fct:
            continue  # WP's to prove (the wp gate); EVA checks the callers' side
        k = key(x)
        x["justified"] = k in jkeys
        f = ev["functions"].setdefault(x["function"], {"file": x["file"], "alarms": 0,
                                                       "justified": 0})
        f["alarms"] += 1
        if x["justified"]:
            used.add(k)
            f["justified"] += 1
            ev["justified"] += 1
        else:
            bad.append(x)
        ev["open"].append(x)
    ev["unjustified"] = len(bad)
    ev["stale"] = [j for j in just if key(j) not in used]
    if bad:
        return "%d unjustified alarm(s) of %d: %s" % (len(bad), len(ev["open"]), "; ".join(
            "%s:%d %s %s %s" % (x["file"], x["line"], x["function"], x["kind"], x["property"])
            for x in bad[:8]))
    if ev["stale"]:
        return "%d stale justification(s), matching no alarm: %s" % (
            len(ev["stale"]), "; ".join("%s %s %s" % (j["file"], j["function"], j["property"])
                                       for j in ev["stale"][:5]))
    return None


def run_wp(a, res):
    out = os.path.join(a.log_dir, "wp.json")
    log = os.path.join(a.log_dir, "wp.log")
    conf = os.path.join(a.log_dir, "why3.conf")
    env = dict(os.environ)
    if not os.path.exists(conf):
        subprocess.run(["why3", "config", "detect", "-C", conf], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    env["WHY3CONFIG"] = conf
    if os.path.exists(out):
        os.remove(out)
    fcts = [f for f in a.wp_fct.split(",") if f]
    args = base_args(a) + a.wp_src + ["-wp", "-wp-rte", "-wp-fct", ",".join(fcts),
                                      "-wp-report-json", out] + shlex.split(a.wp_opt)
    rc, secs = frama(args, a.root, log, env)
    wp = {"seconds": round(secs, 1), "functions": {}, "proved": 0, "total": 0}
    res["wp"] = wp
    if rc != 0 or not os.path.exists(out):
        return "frama-c -wp exited %d (see %s)" % (rc, log)
    got = json.load(open(out)).get("wp:functions", {})
    bad = []
    for f in fcts:
        goals = {n: g for n, g in got.get(f, {}).items() if not n.startswith("wp:")}
        total = sum(g.get("wp:main", {}).get("total", 0) for g in goals.values())
        valid = sum(g.get("wp:main", {}).get("valid", 0) for g in goals.values())
        own = [n for n in goals if "_rte_" not in n]
        open_goals = sorted(n for n, g in goals.items()
                            if g.get("wp:main", {}).get("valid", 0) < g.get("wp:main", {})
                            .get("total", 0))
        wp["functions"][f] = {"proved": valid, "total": total, "contract_goals": len(own),
                              "unproved": open_goals}
        wp["proved"] += valid
        wp["total"] += total
        if total == 0:
            bad.append("%s: no goal (function missing?)" % f)
        elif not own:
            bad.append("%s: no contract, only RTE goals" % f)
        elif open_goals:
            bad.append("%s: %d/%d proved, open: %s" % (f, valid, total, ", ".join(open_goals[:4])))
    if bad:
        return "; ".join(bad)
    return None


def write_html(res, path):
    rows = []
    ev = res.get("eva")
    if ev:
        rows.append("<h2>EVA: run-time errors</h2><p>%d open properties, %d justified, %d "
                    "unjustified; %s%% of statements reached; %s s.</p>" % (
                        len(ev["open"]), ev["justified"], ev["unjustified"],
                        ev.get("reach_percent", "?"), ev["seconds"]))
        rows.append("<table><tr><th>function</th><th>file</th><th>alarms</th>"
                    "<th>justified</th></tr>")
        for f, x in sorted(ev["functions"].items()):
            rows.append("<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td></tr>" % (
                html.escape(f), html.escape(x["file"]), x["alarms"], x["justified"]))
        rows.append("</table>")
    wp = res.get("wp")
    if wp:
        rows.append("<h2>WP: contracts</h2><p>%d/%d goals proved; %s s.</p>" % (
            wp["proved"], wp["total"], wp["seconds"]))
        rows.append("<table><tr><th>function</th><th>proved</th><th>total</th>"
                    "<th>open</th></tr>")
        for f, x in sorted(wp["functions"].items()):
            rows.append("<tr><td>%s</td><td>%d</td><td>%d</td><td>%s</td></tr>" % (
                html.escape(f), x["proved"], x["total"], html.escape(", ".join(x["unproved"]))))
        rows.append("</table>")
    with open(path, "w") as fh:
        fh.write("<!doctype html><meta charset=utf-8><title>prove</title><h1>Formal analysis "
                 "of hyp/core</h1>%s\n" % "\n".join(rows))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--cpp", default="")
    ap.add_argument("--eva-src", nargs="*", default=[])
    ap.add_argument("--eva-main", default="main")
    ap.add_argument("--eva-opt", default="")
    ap.add_argument("--eva-min-reach", type=float, default=90.0)
    ap.add_argument("--justifications")
    ap.add_argument("--wp-src", nargs="*", default=[])
    ap.add_argument("--wp-fct", default="")
    ap.add_argument("--wp-opt", default="")
    ap.add_argument("--log-dir", default="build/evidence/prove")
    ap.add_argument("--json")
    ap.add_argument("--html")
    a = ap.parse_args()
    a.root = os.path.abspath(a.root)
    a.log_dir = os.path.abspath(a.log_dir)
    os.makedirs(a.log_dir, exist_ok=True)
    res = {}
    rc = 0
    if a.eva_src:
        why = run_eva(a, res)
        ev = res["eva"]
        if why:
            rc = 1
            print("FAIL evidence/eva: %s" % why)
        else:
            print("PASS evidence/eva: %d open properties, all justified, %s%% reached (%s s)" % (
                len(ev["open"]), ev.get("reach_percent"), ev["seconds"]))
        res["eva"]["status"] = "FAIL" if why else "PASS"
    if a.wp_fct:
        why = run_wp(a, res)
        wp = res["wp"]
        if why:
            rc = 1
            print("FAIL evidence/wp: %s" % why)
        else:
            print("PASS evidence/wp: %d/%d goals proved in %d functions (%s s)" % (
                wp["proved"], wp["total"], len(wp["functions"]), wp["seconds"]))
        res["wp"]["status"] = "FAIL" if why else "PASS"
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=1)
    if a.html:
        write_html(res, a.html)
    return rc


if __name__ == "__main__":
    sys.exit(main())
