#!/usr/bin/env python3
"""MISRA C:2012 findings of hyp/ and their deviations.

Runs cppcheck (Debian 2.10) with its MISRA addon over the whole hypervisor
at once, with the flight build's include paths and defines (the addon sees
the whole program, so rules such as 8.7 work across files). Without the
licensed rule texts it reports rule numbers only. Every finding, and any
error of cppcheck's own checks, must be covered by an entry of
misra-deviations.json (rule and a file:line pattern); one that is not fails.
Prints "PASS evidence/misra-<gate>" or "FAIL evidence/misra-<gate>: reason".
Every rule the addon checks is listed as clean (no finding) or deviated
(findings, all covered); a finding of a clean rule has no deviation to
cover it, so it fails misra-deviated.

  misra.py --src F.c... [--inc DIR...] [--define D...] [--root DIR]
           [--deviations tools/evidence/misra-deviations.json]
           [--gates tools/evidence/gates.json] [--json OUT] [--html OUT]
"""
import argparse
import fnmatch
import glob
import html
import json
import os
import re
import subprocess
import sys

e = html.escape
LINE_RE = re.compile(r"^(.+?):(\d+):(\d+):(\w+):([\w.-]+):(.*)$")


def run_cppcheck(srcs, incs, defines):
    cmd = ["cppcheck", "--addon=misra", "--platform=unix64", "--std=c11", "--quiet",
           "--template={file}:{line}:{column}:{severity}:{id}:{message}"]
    cmd += ["-I" + i for i in incs] + ["-D" + d for d in defines] + list(srcs)
    r = subprocess.run(cmd, capture_output=True, text=True)
    findings, other = [], []
    for line in (r.stdout + r.stderr).splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        f, ln, _col, sev, ident, msg = m.groups()
        if ident.startswith("misra-c2012-"):
            rule = ident[len("misra-c2012-"):]
        elif sev in ("error", "warning"):
            rule = "cppcheck:" + ident
        else:
            other.append(line)
            continue
        findings.append({"file": os.path.normpath(f), "line": int(ln), "rule": rule,
                         "severity": sev, "message": msg})
    if r.returncode != 0 and not findings:
        raise RuntimeError("cppcheck failed: %s" % r.stderr.strip()[:400])
    return sorted(findings, key=lambda x: (x["rule"], x["file"], x["line"])), other


ADDON_GLOBS = ["/usr/lib/*/cppcheck/addons/misra.py", "/usr/share/cppcheck/addons/misra.py",
               "/usr/lib/cppcheck/addons/misra.py"]
CHECK_RE = re.compile(r"executeCheck\((\d+),")
REPORT_RE = re.compile(r"reportError\([^,()]+, (\d+), (\d+)\)")


def addon_rules():
    """MISRA C:2012 rules the installed addon checks, read from its source:
    its executeCheck(<rule*100>) calls and reportError(.., rule, sub) sites."""
    for pat in ADDON_GLOBS:
        for path in sorted(glob.glob(pat)):
            text = open(path, encoding="utf-8").read()
            rules = {"%d.%d" % (int(n) // 100, int(n) % 100) for n in CHECK_RE.findall(text)}
            rules |= {"%s.%s" % m for m in REPORT_RE.findall(text)}
            return path, sorted(rules, key=rule_key)
    return None, []


def rule_status(checked, findings):
    """Each checked rule (and any other rule found): clean, deviated or
    violated (a finding no deviation covers), with its finding count."""
    out = {r: {"status": "clean", "findings": 0, "deviations": []} for r in checked}
    for f in findings:
        e = out.setdefault(f["rule"], {"status": "clean", "findings": 0, "deviations": []})
        e["findings"] += 1
        if f["deviation"] is None:
            e["status"] = "violated"
        else:
            if e["status"] == "clean":
                e["status"] = "deviated"
            if f["deviation"] not in e["deviations"]:
                e["deviations"].append(f["deviation"])
    return out


def rule_key(r):
    return [int(x) if x.isdigit() else 0 for x in r.split(":")[-1].split(".")] \
        if not r.startswith("cppcheck") else [99]


def match(findings, deviations):
    used = {d["id"]: 0 for d in deviations}
    bad = []
    for f in findings:
        where = "%s:%d" % (f["file"], f["line"])
        for d in deviations:
            if d["rule"] == f["rule"] and any(fnmatch.fnmatch(where, p) for p in d["scope"]):
                f["deviation"] = d["id"]
                used[d["id"]] += 1
                break
        else:
            f["deviation"] = None
            bad.append(f)
    return bad, used


def check_deviations(devs):
    """Malformed entries: missing fields, empty justification, duplicate ID."""
    probs, seen = [], set()
    for d in devs:
        for k in ("id", "rule", "scope", "justification"):
            if not d.get(k):
                probs.append("%s: no %s" % (d.get("id", "?"), k))
        if d.get("id") in seen:
            probs.append("%s: duplicate ID" % d["id"])
        seen.add(d.get("id"))
    return probs


def page(res):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>MISRA C:2012</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "margin-bottom:1em}td,th{border:1px solid #bbb;padding:2px 6px}.num{text-align:right}"
         ".bad{background:#fcc}</style></head><body><h1>MISRA C:2012 compliance of hyp/</h1>",
         '<p><a href="index.html">evidence index</a>. %s. %d findings, %d not covered by a '
         "deviation. Deviations: tools/evidence/misra-deviations.json.</p><h2>Gates</h2><ul>"
         % (e(res["tool"]), len(res["findings"]), len(res["unjustified"]))]
    for k, g in res["gates"].items():
        h.append("<li>%s: %s %s</li>" % (e(k), g["status"], e(g["reason"])))
    h.append("</ul><h2>Findings per rule</h2><table><tr><th>rule</th><th>findings</th>"
             "<th>deviation</th><th>kind</th><th>justification</th></tr>")
    devs = {d["id"]: d for d in res["deviations"]}
    for rule, n in sorted(res["per_rule"].items(), key=lambda x: rule_key(x[0])):
        ids = sorted({f["deviation"] or "NONE" for f in res["findings"] if f["rule"] == rule})
        h.append("<tr%s><td>%s</td><td class=num>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            " class=bad" if "NONE" in ids else "", e(rule), n, e(", ".join(ids)),
            e(", ".join(devs[i].get("kind", "") for i in ids if i in devs)),
            e(" / ".join(devs[i]["justification"] for i in ids if i in devs))))
    h.append("</table>")
    rules = res.get("rules", {})
    n = {k: sum(1 for v in rules.values() if v["status"] == k) for k in ("clean", "deviated", "violated")}
    h.append("<h2>Every rule checked</h2><p>%d MISRA C:2012 rules checked by %s: %d clean (a new "
             "finding fails misra-deviated), %d deviated, %d violated. For comparison, Xen 4.22 adopts "
             "120 MISRA C guidelines and gates 98 of them clean.</p><table><tr><th>rule</th>"
             "<th>status</th><th>findings</th><th>deviations</th></tr>" % (
                 len(rules), e(res.get("addon") or "the addon"), n["clean"], n["deviated"], n["violated"]))
    for rule, v in sorted(rules.items(), key=lambda x: rule_key(x[0])):
        h.append("<tr%s><td>%s</td><td>%s</td><td class=num>%d</td><td>%s</td></tr>" % (
            " class=bad" if v["status"] == "violated" else "", e(rule), v["status"], v["findings"],
            e(", ".join(v["deviations"]))))
    h.append("</table><h2>Not covered by a deviation</h2><table>")
    for f in res["unjustified"]:
        h.append("<tr class=bad><td>%s:%d</td><td>%s</td></tr>" % (e(f["file"]), f["line"], e(f["rule"])))
    h.append("</table><h2>All findings</h2><table><tr><th>where</th><th>rule</th><th>deviation</th></tr>")
    for f in res["findings"]:
        h.append("<tr><td>%s:%d</td><td>%s</td><td>%s</td></tr>" % (
            e(f["file"]), f["line"], e(f["rule"]), e(f["deviation"] or "")))
    h.append("</table></body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--src", nargs="+", required=True)
    ap.add_argument("--inc", nargs="*", default=[])
    ap.add_argument("--define", nargs="*", default=[])
    ap.add_argument("--deviations", default="tools/evidence/misra-deviations.json")
    ap.add_argument("--gates", default="tools/evidence/gates.json")
    ap.add_argument("--json")
    ap.add_argument("--html")
    a = ap.parse_args()
    os.chdir(a.root)
    limit = json.load(open(a.gates)).get("misra", {}).get("max_unjustified", 0)
    devs = json.load(open(a.deviations))["deviations"]
    ver = subprocess.run(["cppcheck", "--version"], capture_output=True, text=True).stdout.strip()
    res = {"tool": ver + " with addons/misra.py", "deviations": devs, "findings": [],
           "unjustified": [], "per_rule": {}, "gates": {}}
    try:
        findings, _ = run_cppcheck(a.src, a.inc, a.define)
        bad, used = match(findings, devs)
        per = {}
        for f in findings:
            per[f["rule"]] = per.get(f["rule"], 0) + 1
        res.update({"findings": findings, "unjustified": bad, "per_rule": per,
                    "deviation_use": used})
        res["gates"]["misra-deviated"] = {
            "status": "PASS" if len(bad) <= limit else "FAIL",
            "reason": "" if len(bad) <= limit else "%d finding(s) without a deviation: %s" % (
                len(bad), ", ".join("%s:%d rule %s" % (f["file"], f["line"], f["rule"])
                                    for f in bad[:8]))}
        probs = check_deviations(devs)
        res["gates"]["misra-deviations-valid"] = {
            "status": "FAIL" if probs else "PASS", "reason": "; ".join(probs)}
        res["unused_deviations"] = [k for k, n in used.items() if n == 0]
        res["addon"], checked = addon_rules()
        res["rules"] = rule_status(checked, findings)
    except (RuntimeError, OSError) as err:
        res["gates"]["misra-run"] = {"status": "FAIL", "reason": str(err)}
    for k, g in res["gates"].items():
        print("PASS evidence/%s" % k if g["status"] == "PASS" else
              "FAIL evidence/%s: %s" % (k, g["reason"]))
    for d in res.get("unused_deviations", []):
        print("  note: deviation %s matches no finding" % d)
    print("  misra: %d findings, %d rules, %d deviations, %d not covered" % (
        len(res["findings"]), len(res["per_rule"]), len(devs), len(res["unjustified"])))
    rules = res.get("rules", {})
    if rules:
        print("  misra: %d rules checked: %d clean, %d deviated, %d violated" % (
            len(rules), *(sum(1 for v in rules.values() if v["status"] == k)
                          for k in ("clean", "deviated", "violated"))))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)
    if a.html:
        open(a.html, "w").write(page(res))
    return 0 if all(g["status"] == "PASS" for g in res["gates"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
