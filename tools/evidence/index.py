#!/usr/bin/env python3
"""Front page of the certification evidence.

Reads build/evidence/{trace,coverage,size,misra,coupling,stack,s2o,
campaign,prove}.json (any may be missing) and writes build/evidence/index.html
(the issue-18 measures, then one row per objective, status and link),
build/evidence/coverage.html (per-file figures, uncovered items),
build/evidence/campaign.html (the evidence tools' seeded-defect campaign) and
build/evidence/summary.json.

  index.py [--dir build/evidence]
"""
import argparse
import datetime
import html
import json
import os
import sys

e = html.escape
STYLE = ("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:3px 8px}th{background:#eee}"
         ".PASS{background:#393;color:#fff}.FAIL{background:#c33;color:#fff}"
         ".NOTBUILT{background:#999;color:#fff}.num{text-align:right}</style>")
PLACEHOLDERS = []


def load(d, name):
    p = os.path.join(d, name)
    try:
        return json.load(open(p))
    except (OSError, ValueError):
        return None


def status_of(gates, prefix=""):
    if not gates:
        return "FAIL", "not run"
    bad = [k for k, g in gates.items() if k.startswith(prefix) and g["status"] != "PASS"]
    return ("FAIL", ", ".join(bad)) if bad else ("PASS", "")


def coverage_page(cov):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Coverage</title>', STYLE,
         '</head><body><h1>Structural coverage of hyp/core (host unit tests)</h1>',
         '<p><a href="index.html">evidence index</a></p>']
    if not cov or cov.get("error"):
        h.append("<p class=FAIL>%s</p>" % e(str(cov and cov.get("error") or "not run")))
    if cov:
        h.append("<p>%s. Statement = line coverage, branch = each condition outcome, "
                 "MC/DC = conditions shown to independently affect their decision.</p>"
                 % e(cov["tool"]))
        h.append("<table><tr><th>file</th>%s</tr>" % "".join(
            "<th>%s</th>" % m for m in ("lines", "regions", "branches", "MC/DC", "functions")))
        rows = sorted(cov["files"].items()) + [("TOTAL", cov.get("totals", {}))]
        for f, v in rows:
            if not v:
                continue
            h.append("<tr><td>%s</td>%s</tr>" % (e(f), "".join(
                "<td class=num>%.2f%% (%d/%d)</td>" % (v[m]["percent"], v[m]["covered"],
                                                       v[m]["count"])
                for m in ("lines", "regions", "branches", "mcdc", "functions"))))
        h.append("</table><h2>Gates</h2><table>")
        for k, g in cov["gates"].items():
            h.append("<tr><td>%s</td><td class=%s>%s</td><td>%s</td></tr>" % (
                e(k), g["status"], g["status"], e(g["reason"] if g["status"] != "PASS" else "")))
        h.append("</table>")
        if cov.get("waived"):
            h.append("<h2>Below 100%, under a file floor of gates.json (open)</h2><ul>")
            for m, items in cov["waived"].items():
                for i in items:
                    h.append("<li>%s: %s</li>" % (e(m), e(i)))
            h.append("</ul>")
        h.append("<h2>Uncovered items not justified</h2><table><tr><th>where</th><th>what</th></tr>")
        for i in cov.get("unjustified", []):
            h.append("<tr><td>%s:%d</td><td>%s</td></tr>" % (e(i["file"]), i["line"], e(i["what"])))
        h.append("</table><h2>Accepted (coverage-justifications.json)</h2><table>"
                 "<tr><th>ID</th><th>where</th><th>what</th><th>reason</th></tr>")
        for i in cov.get("accepted", []):
            h.append("<tr><td>%s</td><td>%s:%d</td><td>%s</td><td>%s</td></tr>" % (
                e(i["justification"]), e(i["file"]), i["line"], e(i["what"]), e(i["reason"])))
        h.append("</table>")
        if cov.get("warnings"):
            h.append("<h2>Compiler warnings (coverage build)</h2><pre>%s</pre>"
                     % e("\n".join(cov["warnings"])))
    h.append("</body></html>")
    return "\n".join(h)


def campaign_page(camp):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tool qualification</title>',
         STYLE, "</head><body><h1>Seeded-defect campaign of the evidence tools</h1>",
         '<p><a href="index.html">evidence index</a>. Tool Operational Requirements: '
         "docs/tools/tor.md. Each row seeds one defect into a clean fixture of the tool's "
         "inputs (tests/evidence/campaign.py) and expects the tool to fail with the line "
         "shown. %d/%d detected in %.1f s.</p>" % (camp["detected"], camp["seeded"],
                                                   camp["seconds"]),
         "<table><tr><th>tool</th><th>seeded</th><th>detected</th><th>rate</th>"
         "<th>clean fixture</th></tr>"]
    for k, v in sorted(camp["tools"].items()):
        h.append("<tr><td>%s</td><td class=num>%d</td><td class=num>%d</td>"
                 "<td class=num>%.1f%%</td><td class=%s>%s</td></tr>" % (
                     e(k), v["seeded"], v["detected"], v["rate_percent"],
                     v.get("control", "FAIL"), v.get("control", "?")))
    h.append("</table><table><tr><th>tool</th><th>ID</th><th>defect</th><th>TOR</th>"
             "<th>how seeded</th><th>expected</th><th>result</th></tr>")
    for r in camp["rows"]:
        if r["control"]:
            continue
        h.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                 "<td><code>%s</code></td><td class=%s>%s</td></tr>" % (
                     e(r["tool"]), e(r["id"]), e(r["kind"]), e(", ".join(r["tor"])),
                     e(r["how"]), e(" ".join(r["expect"])), r["status"],
                     r["status"] + (": " + e(r["why"]) if r["why"] else "")))
    h.append("</table></body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="build/evidence")
    a = ap.parse_args()
    trace, cov, size = (load(a.dir, n) for n in ("trace.json", "coverage.json", "size.json"))
    with open(os.path.join(a.dir, "coverage.html"), "w") as fh:
        fh.write(coverage_page(cov))

    objectives = []
    st, why = status_of(trace and trace.get("gates"))
    c = trace["counts"] if trace else {}
    objectives.append({"name": "Requirements traceability (HLR, LLR, code, tests)",
                       "status": st, "link": "trace.html", "detail": why or
                       "%d HLR, %d LLR, %d Implements and %d Verifies tags" % (
                           c.get("hlr", 0), c.get("llr", 0), c.get("code_tags", 0),
                           c.get("test_tags", 0))})
    for label, metric, key in (("statement", "statement", "lines"),
                               ("branch", "branch", "branches"), ("MC/DC", "mcdc", "mcdc")):
        g = (cov or {}).get("gates", {})
        parts = {k: v for k, v in g.items() if k in ("coverage-" + metric, "coverage-build",
                                                      "coverage-justified",
                                                      "coverage-mcdc-supported")}
        st, why = status_of(parts)
        tot = (cov or {}).get("totals", {}).get(key)
        objectives.append({"name": "Structural coverage, %s (hyp/core)" % label, "status": st,
                           "link": "coverage.html",
                           "detail": why or ("%.2f%% total (%d/%d)" % (
                               tot["percent"], tot["covered"], tot["count"]) if tot else "")})
    st, why = status_of(size.get("gates") or {"size": {"status": "PASS"}}) if size else \
        ("FAIL", "not run")
    objectives.append({"name": "Size and certification cost", "status": st,
                       "link": "size.html", "detail": (why + ": " if why else "") + (
                           "trusted hyp/ %d SLOC, Level A estimate $%s" % (
                               size["hyp_sloc"], format(size["estimate"][0]["cost_usd"], ","))
                           if size else "not run")})
    objs = {n: load(a.dir, n + ".json") for n in ("misra", "coupling", "stack", "s2o")}
    m, c2, st2, so = objs["misra"], objs["coupling"], objs["stack"], objs["s2o"]
    details = {
        "misra": lambda r: "%d findings under %d rules, %d deviations (%d interim), %d not covered; "
        "%d rules checked, %d clean" % (
            len(r["findings"]), len(r["per_rule"]), len(r["deviations"]),
            sum(1 for d in r["deviations"] if d.get("kind") == "interim"), len(r["unjustified"]),
            len(r.get("rules", {})),
            sum(1 for v in r.get("rules", {}).values() if v["status"] == "clean")),
        "coupling": lambda r: "%d call edges (%d across modules), %d global accesses, "
        "%d violations, %d indirect calls" % (
            r["counts"].get("edges", 0), r["counts"].get("cross_module_edges", 0),
            r["counts"].get("accesses", 0), r["counts"].get("violations", 0),
            r["counts"].get("indirect", 0)),
        "stack": lambda r: "worst %d of %s bytes (%s), %d entry points" % (
            r["worst"]["bytes"], r.get("stack_size"), r["worst"]["name"], len(r["entries"]))
        if r.get("worst") else "",
        "s2o": lambda r: "%d instructions, %d without a source line (compiler-generated), "
        "%d outside the line table" % (r["instructions"], len(r["unmapped"]),
                                       r.get("no_sequence", 0))}
    for key, name in (("misra", "MISRA C:2012 compliance"),
                      ("coupling", "Coupling (data and control)"),
                      ("stack", "Stack usage (worst case per entry point)"),
                      ("s2o", "Source-to-object traceability")):
        r = objs[key]
        st, why = status_of(r and r.get("gates"))
        try:
            d = details[key](r) if r else ""
        except (KeyError, TypeError):
            d = ""
        objectives.append({"name": name, "status": st, "link": key + ".html" if r else None,
                           "detail": (why + ": " if why else "") + d if r else "not run"})
    camp = load(a.dir, "campaign.json")
    if camp:
        bad = [k for k, v in sorted(camp["tools"].items())
               if v["detected"] < v["seeded"] or v.get("control") != "PASS"]
        st = "FAIL" if bad or camp.get("tors", {}) and "FAIL" in camp["tors"].values() else "PASS"
        detail = "%d/%d seeded defects detected (%.1f%%): %s" % (
            camp["detected"], camp["seeded"], camp["rate_percent"], ", ".join(
                "%s %d/%d" % (k, v["detected"], v["seeded"]) for k, v in sorted(camp["tools"].items())))
    else:
        st, detail = "FAIL", "not run"
    objectives.append({"name": "Tool qualification (DO-330 TQL-5): seeded-defect campaign",
                       "status": st, "link": "campaign.html" if camp else None,
                       "detail": detail})
    if camp:
        with open(os.path.join(a.dir, "campaign.html"), "w") as fh:
            fh.write(campaign_page(camp))
    prv = load(a.dir, "prove.json")
    ev, wp = (prv or {}).get("eva"), (prv or {}).get("wp")
    if prv and ev and wp:
        st = "PASS" if ev.get("status") == wp.get("status") == "PASS" else "FAIL"
        detail = ("EVA: %d open properties, %d justified, %d unjustified, %s%% of statements "
                  "reached; WP: %d/%d goals proved in %d functions" % (
                      len(ev.get("open", [])), ev.get("justified", 0), ev.get("unjustified", 0),
                      ev.get("reach_percent", "?"), wp.get("proved", 0), wp.get("total", 0),
                      len(wp.get("functions", {}))))
    else:
        st, detail = "FAIL", "not run (make prove)"
    objectives.append({"name": "Absence of run-time errors and isolation proofs (Frama-C)",
                       "status": st, "link": "prove.html" if prv else None, "detail": detail})
    for name, what in PLACEHOLDERS:
        objectives.append({"name": name, "status": "NOTBUILT", "link": None,
                           "detail": "not yet built: " + what})

    rules = (m or {}).get("rules", {})
    measures = {
        "interim_deviations": sum(1 for d in m["deviations"] if d.get("kind") == "interim")
        if m else None,
        "misra_rules_checked": len(rules) if m else None,
        "misra_rules_clean": sum(1 for v in rules.values() if v["status"] == "clean")
        if m else None,
        "eva_open_properties": len(ev.get("open", [])) if ev else None,
        "eva_unjustified": ev.get("unjustified") if ev else None,
        "wp_goals_proved": wp.get("proved") if wp else None,
        "wp_goals_total": wp.get("total") if wp else None,
        "tool_seeded_detection_percent": camp["rate_percent"] if camp else None,
        "hyp_sloc": size["hyp_sloc"] if size else None,
        "certification_cost_usd": size["estimate"][0]["cost_usd"] if size else None}
    summary = {"generated": datetime.datetime.now(datetime.timezone.utc).isoformat(),
               "measures": measures,
               "objectives": objectives,
               "prove": prv,
               "trace": trace and {"counts": trace["counts"], "gates": trace["gates"],
                                   "findings": trace["findings"]},
               "coverage": cov and {"files": cov["files"], "totals": cov["totals"],
                                    "gates": cov["gates"], "waived": cov.get("waived"),
                                    "unjustified": cov.get("unjustified"),
                                    "accepted": cov.get("accepted")},
               "size": size,
               "misra": m and {"per_rule": m["per_rule"], "gates": m["gates"],
                               "rules": m.get("rules"),
                               "deviations": len(m["deviations"]),
                               "unjustified": m["unjustified"]},
               "coupling": c2 and {"counts": c2.get("counts"), "gates": c2["gates"],
                                   "violations": c2.get("violations")},
               "stack": st2 and {"gates": st2["gates"], "stack_size": st2.get("stack_size"),
                                 "entries": [{"name": x["name"], "bytes": x["bytes"]}
                                             for x in st2.get("entries", [])]},
               "s2o": so and {"gates": so["gates"], "instructions": so["instructions"],
                              "unmapped": len(so["unmapped"]),
                              "no_sequence": so.get("no_sequence", 0)},
               "tool_qualification": camp and {
                   "tors": "docs/tools/tor.md", "seeded": camp["seeded"],
                   "detected": camp["detected"], "rate_percent": camp["rate_percent"],
                   "seconds": camp["seconds"],
                   "per_tool": {k: {"seeded": v["seeded"], "detected": v["detected"],
                                    "rate_percent": v["rate_percent"]}
                                for k, v in camp["tools"].items()}}}
    with open(os.path.join(a.dir, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)

    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bulkhead evidence</title>',
         STYLE, "</head><body><h1>Bulkhead certification evidence</h1>",
         "<p>Generated %s by <code>make evidence</code>. Green: the objective's gates pass "
         "(thresholds in tools/evidence/gates.json); red: a gate fails; grey: not yet built.</p>"
         % e(summary["generated"]), "<h2>Measures (issue 18)</h2><table>"]
    labels = (("interim_deviations", "MISRA interim deviations (target 0)"),
              ("misra_rules_checked", "MISRA rules checked"),
              ("misra_rules_clean", "MISRA rules clean"),
              ("eva_open_properties", "EVA open properties (alarms)"),
              ("eva_unjustified", "EVA unjustified alarms (target 0)"),
              ("wp_goals_proved", "WP goals proved"), ("wp_goals_total", "WP goals"),
              ("tool_seeded_detection_percent", "Tool seeded-defect detection % (target 100)"),
              ("hyp_sloc", "hyp/ SLOC"),
              ("certification_cost_usd", "Level A certification cost, USD (size.html)"))
    for k, label in labels:
        v = measures[k]
        h.append("<tr><td>%s</td><td>%s</td></tr>" % (
            e(label), "not run" if v is None else e(format(v, ",") if isinstance(v, int) else str(v))))
    h += ["</table><h2>Objectives</h2>", "<table><tr><th>objective</th><th>status</th>"
         "<th>detail</th></tr>"]
    for o in objectives:
        name = '<a href="%s">%s</a>' % (o["link"], e(o["name"])) if o["link"] else e(o["name"])
        label = "not yet built" if o["status"] == "NOTBUILT" else o["status"]
        h.append("<tr><td>%s</td><td class=%s>%s</td><td>%s</td></tr>" % (
            name, o["status"], label, e(o["detail"])))
    h.append('</table><p><a href="summary.json">summary.json</a></p></body></html>')
    with open(os.path.join(a.dir, "index.html"), "w") as fh:
        fh.write("\n".join(h))
    for o in objectives:
        print("%-9s %s" % (o["status"], o["name"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
