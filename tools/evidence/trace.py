#!/usr/bin/env python3
"""Requirements traceability of Bulkhead.

Reads docs/requirements/hlr.md and llr.md, the `Implements:` tags of the
code (hyp/**/*.c,h,S and the host tools) and the `Verifies:` tags of the
tests (tests/unit, tests/system/cases, tests/tools, guests/test_*), and
writes a JSON summary and an HTML page that trace both ways:
HLR -> LLR -> code -> tests, and code/tests -> requirements.

  trace.py [--root DIR] [--json OUT] [--html OUT] [--gates FILE]

Gates (thresholds in tools/evidence/gates.json, "trace"): HLRs verified by
test without a system test, LLRs without code, LLRs without a test, tags
naming unknown IDs, hyp/ source files without any Implements tag, LLRs
without a Refines naming a known HLR, requirement IDs defined twice, HLRs
refined by no LLR, external functions of hyp/ C files without an
Implements tag directly above them, and the design trace both ways
(docs/design/*.md, `### DES-<MODULE>-<OP>` sections with a `Realises:`
line; each LLR's `Design:` line): LLRs naming no existing design section,
and design sections named by no LLR (unless `Realises: none (reason)`) or
whose `Realises:` list disagrees with the LLRs' `Design:` lines. Prints "PASS evidence/trace-<gate>" or
"FAIL evidence/trace-<gate>: reason"; exits 1 when a gate fails.
"""
import argparse
import glob
import html
import json
import os
import re
import sys

ID_RE = r"(?:HLR|LLR)-[A-Z0-9]+(?:-[0-9]+)?"
RANGE_RE = re.compile(r"(%s)\s*(?:\.\.|\u2026)\s*(%s)" % (ID_RE, ID_RE))
ONE_RE = re.compile(ID_RE)
TAG_RE = re.compile(r"\b(Implements|Verifies):(.*)$")
HEAD_RE = re.compile(r"^###\s+(%s)\s*$" % ID_RE)
FIELD_RE = re.compile(r"^([A-Z][A-Za-z]+):\s*(.*)$")
FUNC_RE = re.compile(r"^[A-Za-z_][\w \*]*?\b(\w+)\s*\((?!.*\);\s*$)")
CODE_GLOBS = ["hyp/**/*.c", "hyp/**/*.h", "hyp/**/*.S", "tools/*.c", "tools/*.h",
              "guests/lib/*.c", "guests/lib/*.h"]
TEST_GLOBS = [("unit", "tests/unit/*.c"), ("system", "tests/system/cases/*"),
              ("system", "tests/system/xen-diff/*.chosen"),
              ("tool", "tests/tools/**/*"), ("guest", "guests/test_*/**/*.c")]
SYSTEM_KINDS = ("system", "guest")
GATES = [
    ("hlr-tested", "hlr_without_system_test", "HLR(s) verified by test but named by no system test"),
    ("llr-code", "llr_without_code", "LLR(s) implemented by no code"),
    ("llr-tested", "llr_without_test", "LLR(s) verified by no test"),
    ("unknown-ids", "unknown_ids", "tag(s) naming an unknown requirement"),
    ("hyp-files-tagged", "hyp_files_without_tag", "hyp/ source file(s) without an Implements tag"),
    ("llr-refines", "llr_without_refines", "LLR(s) refining no known HLR"),
    ("unique-ids", "duplicate_ids", "requirement ID(s) defined twice"),
    ("hlr-refined", "hlr_without_llr", "HLR(s) refined by no LLR"),
    ("functions-tagged", "hyp_functions_without_tag",
     "external hyp/ function(s) without an Implements tag above them"),
    ("llr-design", "llr_without_design",
     "LLR(s) naming no existing design section (Design:)"),
    ("design-realised", "design_not_realised",
     "design section(s) named by no LLR, defined twice, or whose Realises: disagrees"),
]
DES_RE = re.compile(r"\bDES-[A-Z0-9]+(?:-[A-Z0-9]+)+\b")
DES_HEAD_RE = re.compile(r"^###\s+(DES-[A-Z0-9]+(?:-[A-Z0-9]+)+)\s*$")


def parse_requirements(path):
    """{id: {fields...}} from a requirements file; also the duplicate IDs."""
    reqs, dups, cur = {}, [], None
    if not os.path.exists(path):
        return reqs, dups
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            m = HEAD_RE.match(line.strip())
            if m:
                cur = m.group(1)
                if cur in reqs:
                    dups.append(cur)
                reqs[cur] = {"id": cur, "line": n, "file": path}
                continue
            if line.startswith("#"):
                cur = None
                continue
            m = FIELD_RE.match(line.strip())
            if cur and m:
                reqs[cur][m.group(1).lower()] = m.group(2).strip()
    return reqs, dups


def parse_design(root, design_dir):
    """{DES id: {file, line, realises: [LLR ids], none: reason or None}}
    from docs/design/*.md, and the IDs defined twice."""
    secs, dups = {}, []
    for path in sorted(glob.glob(os.path.join(root, design_dir, "*.md"))):
        rel = os.path.relpath(path, root)
        cur = None
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = DES_HEAD_RE.match(line.strip())
                if m:
                    cur = m.group(1)
                    if cur in secs:
                        dups.append(cur)
                    secs[cur] = {"id": cur, "file": rel, "line": n, "realises": [],
                                 "none": None, "has_field": False}
                    continue
                if line.startswith("#"):
                    cur = None
                    continue
                if cur and line.startswith("Realises:"):
                    text = line[len("Realises:"):].strip()
                    secs[cur]["has_field"] = True
                    if text.lower().startswith("none"):
                        reason = text[4:].strip(" :-()")
                        secs[cur]["none"] = reason
                    else:
                        secs[cur]["realises"] += expand(text)
    return secs, dups


def design_findings(llr, secs, dups):
    """The two design gates' items: LLR IDs, then DES IDs."""
    no_design = []
    named = {}
    for lid, r in sorted(llr.items()):
        ids = DES_RE.findall(r.get("design", ""))
        r["design_ids"] = ids
        if not ids or any(d not in secs for d in ids):
            no_design.append(lid)
        for d in ids:
            named.setdefault(d, []).append(lid)
    bad = set(dups)
    for d, s in secs.items():
        by_llr = sorted(named.get(d, []))
        listed = sorted(i for i in s["realises"] if i.startswith("LLR-"))
        s["named_by"] = by_llr
        if not s["has_field"]:
            bad.add(d)
        elif s["none"] is not None:
            if by_llr or not s["none"]:
                bad.add(d)
        elif not by_llr or listed != by_llr:
            bad.add(d)
    return sorted(no_design), sorted(bad)


def expand(text):
    """IDs named in a tag's text; 'A-X-002 .. A-X-005' is the whole range."""
    ids = []
    for m in RANGE_RE.finditer(text):
        a, b = m.group(1), m.group(2)
        pa, na = a.rsplit("-", 1)
        pb, nb = b.rsplit("-", 1)
        if pa == pb and na.isdigit() and nb.isdigit() and int(na) <= int(nb):
            ids += ["%s-%0*d" % (pa, len(na), k) for k in range(int(na), int(nb) + 1)]
    text = RANGE_RE.sub(" ", text)
    ids += ONE_RE.findall(text)
    seen = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen


def site_after(lines, idx):
    """Name of the function defined just below a tag's comment, or None."""
    for j in range(idx + 1, min(idx + 16, len(lines))):
        s = lines[j]
        if s.startswith((" ", "\t", "*", "/", "#")) or not s.strip():
            continue
        m = FUNC_RE.match(s)
        return m.group(1) if m else None
    return None


def external_functions(root, rel):
    """Names of the non-static functions a hyp/ C file defines, with the
    line of each (the signature starts in column 0, its body follows)."""
    try:
        lines = open(os.path.join(root, rel), encoding="utf-8", errors="replace").read().splitlines()
    except OSError:
        return []
    out = []
    for i, s in enumerate(lines):
        if s.startswith((" ", "\t", "*", "/", "#", "static ", "typedef ")) or not s.strip():
            continue
        m = FUNC_RE.match(s)
        if not m:
            continue
        for j in range(i, min(i + 8, len(lines))):
            if lines[j].rstrip().endswith(";"):
                break
            if lines[j].startswith("{") or lines[j].rstrip().endswith("{"):
                out.append((m.group(1), i + 1))
                break
    return out


def scan(root, globs, kind_of, word):
    """Tags with keyword `word` in files matching globs: list of dicts."""
    tags, files = [], []
    for kind, pattern in globs:
        for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
            rel = os.path.relpath(path, root)
            if not os.path.isfile(path) or rel.startswith("tools/evidence/"):
                continue
            files.append((kind, rel))
            try:
                lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
            except OSError:
                continue
            for i, line in enumerate(lines):
                m = TAG_RE.search(line)
                if not m or m.group(1) != word:
                    continue
                ids = expand(m.group(2))
                if not ids:
                    continue
                tags.append({"file": rel, "line": i + 1, "kind": kind, "ids": ids,
                             "site": site_after(lines, i) if rel.endswith(".c") else None})
    return tags, files


def build(root, req_dir, design_dir="docs/design"):
    hlr, d1 = parse_requirements(os.path.join(root, req_dir, "hlr.md"))
    llr, d2 = parse_requirements(os.path.join(root, req_dir, "llr.md"))
    known = set(hlr) | set(llr)
    code_tags, code_files = scan(root, [("code", g) for g in CODE_GLOBS], None, "Implements")
    test_tags, _ = scan(root, TEST_GLOBS, None, "Verifies")

    for r in list(hlr.values()) + list(llr.values()):
        r.update(code=[], tests=[], llrs=[])
    for r in llr.values():
        r["refines_ids"] = expand(r.get("refines", ""))
        for h in r["refines_ids"]:
            if h in hlr:
                hlr[h]["llrs"].append(r["id"])

    unknown = []
    for t in [dict(x, side="code") for x in code_tags] + [dict(x, side="tests") for x in test_tags]:
        where = {"file": t["file"], "line": t["line"], "site": t["site"], "kind": t["kind"]}
        for i in t["ids"]:
            if i not in known:
                unknown.append(dict(where, id=i))
                continue
            target = hlr.get(i) or llr[i]
            target[t["side"]].append(where)

    def needs_test(r):
        return not r.get("verification", "test").lower().startswith("analysis")

    findings = {
        "hlr_without_system_test": sorted(
            h for h, r in hlr.items()
            if needs_test(r) and not any(t["kind"] in SYSTEM_KINDS for t in r["tests"])),
        "llr_without_code": sorted(l for l, r in llr.items() if not r["code"]),
        "llr_without_test": sorted(l for l, r in llr.items() if needs_test(r) and not r["tests"]),
        "unknown_ids": sorted({"%s (%s:%d)" % (u["id"], u["file"], u["line"]) for u in unknown}),
        "hyp_files_without_tag": sorted(
            f for k, f in code_files
            if f.startswith("hyp/") and f.endswith((".c", ".S"))
            and not any(t["file"] == f for t in code_tags)),
        "llr_without_refines": sorted(
            l for l, r in llr.items() if not [h for h in r["refines_ids"] if h in hlr]),
        "hyp_functions_without_tag": sorted(
            "%s:%s" % (f, name) for k, f in code_files
            if f.startswith("hyp/") and f.endswith(".c")
            for name, _ in external_functions(root, f)
            if not any(t["file"] == f and t["site"] == name for t in code_tags)),
        "duplicate_ids": sorted(d1 + d2),
        "hlr_without_llr": sorted(h for h, r in hlr.items() if not r["llrs"]),
    }
    findings["unknown_ids_bare"] = sorted({u["id"] for u in unknown})
    secs, d3 = parse_design(root, design_dir)
    findings["llr_without_design"], findings["design_not_realised"] = \
        design_findings(llr, secs, d3)
    return {"hlr": hlr, "llr": llr, "code_tags": code_tags, "test_tags": test_tags,
            "design": secs, "findings": findings,
            "counts": {"hlr": len(hlr), "llr": len(llr), "code_tags": len(code_tags),
                       "test_tags": len(test_tags),
                       "hlr_by_analysis": sum(1 for r in hlr.values() if not needs_test(r)),
                       "llr_by_analysis": sum(1 for r in llr.values() if not needs_test(r))}}


def apply_gates(t, cfg):
    """Gate results; accepted gaps (id + gap + reason) are taken out first."""
    accepted = cfg.get("accepted", [])
    out = {}
    lines = []
    for name, key, what in GATES:
        items = t["findings"][key]
        if key == "unknown_ids":
            bare = t["findings"]["unknown_ids_bare"]
        acc = [a for a in accepted if a.get("gap") == key]
        acc_ids = {a["id"] for a in acc}
        if key == "unknown_ids":
            open_items = [i for i in items if i.split(" ")[0] not in acc_ids]
        else:
            open_items = [i for i in items if i not in acc_ids]
        used = [a for a in acc if a["id"] in (bare if key == "unknown_ids" else items)]
        stale = sorted(a["id"] for a in acc if a not in used)
        limit = int(cfg.get("max", {}).get(key, 0))
        ok = len(open_items) <= limit
        out[name] = {"status": "PASS" if ok else "FAIL", "count": len(open_items),
                     "max": limit, "items": open_items, "accepted": used, "stale": stale}
        if ok:
            lines.append("PASS evidence/trace-%s" % name)
        else:
            lines.append("FAIL evidence/trace-%s: %d %s (allowed %d): %s" % (
                name, len(open_items), what, limit, ", ".join(open_items[:8]) +
                (" ..." if len(open_items) > 8 else "")))
    return out, lines


# ------------------------------------------------------------------ HTML ---

def e(s):
    return html.escape(str(s))


def loc(w):
    s = "%s:%d" % (w["file"], w["line"])
    return e(s) + (" <code>%s()</code>" % e(w["site"]) if w.get("site") else "")


def render_html(t, gates):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bulkhead traceability</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "margin-bottom:2em}td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top;"
         "font-size:90%}th{background:#eee}.FAIL{color:#fff;background:#c33}.PASS{color:#fff;"
         "background:#393}.gap{background:#fdd}ul{margin:0;padding-left:1.2em}</style></head>"
         "<body><h1>Traceability</h1><p><a href=\"index.html\">evidence index</a></p>"]
    c = t["counts"]
    h.append("<p>%d HLRs (%d by analysis), %d LLRs (%d by analysis), %d Implements tags, "
             "%d Verifies tags.</p>" % (c["hlr"], c["hlr_by_analysis"], c["llr"],
                                         c["llr_by_analysis"], c["code_tags"], c["test_tags"]))
    h.append("<h2>Gates</h2><table><tr><th>gate</th><th>status</th><th>open</th>"
             "<th>items</th><th>accepted gaps</th></tr>")
    for name, g in gates.items():
        h.append("<tr><td>%s</td><td class=%s>%s</td><td>%d (max %d)</td><td>%s</td><td>%s</td>"
                 "</tr>" % (e(name), g["status"], g["status"], g["count"], g["max"],
                            e(", ".join(g["items"])),
                            "<br>".join("%s: %s" % (e(a["id"]), e(a.get("reason", "")))
                                        for a in g["accepted"])))
    h.append("</table>")
    h.append("<h2>HLR &rarr; LLR &rarr; code &rarr; tests</h2><table><tr><th>HLR</th>"
             "<th>system tests</th><th>LLR</th><th>code</th><th>tests</th></tr>")
    for hid, r in sorted(t["hlr"].items()):
        llrs = sorted(r["llrs"]) or [None]
        systests = "<br>".join(loc(w) for w in r["tests"]) or (
            e(r.get("verification", "")) if r.get("verification", "test") != "test" else "")
        for k, lid in enumerate(llrs):
            row = "<tr>"
            if k == 0:
                cls = "" if systests else " class=gap"
                row += "<td rowspan=%d><b>%s</b> %s</td><td rowspan=%d%s>%s</td>" % (
                    len(llrs), e(hid), e(r.get("title", "")), len(llrs), cls, systests)
            if lid is None:
                row += "<td class=gap>(no LLR)</td><td></td><td></td></tr>"
            else:
                l = t["llr"][lid]
                code = "<br>".join(loc(w) for w in l["code"])
                tests = "<br>".join(loc(w) for w in l["tests"]) or (
                    e(l.get("verification")) if l.get("verification") else "")
                row += "<td title=\"%s\">%s</td><td%s>%s</td><td%s>%s</td></tr>" % (
                    e(l.get("statement", "")), e(lid), "" if code else " class=gap", code,
                    "" if tests else " class=gap", tests)
            h.append(row)
    h.append("</table>")
    h.append("<h2>LLRs</h2><table><tr><th>LLR</th><th>statement</th><th>refines</th>"
             "<th>design</th></tr>")
    for lid, l in sorted(t["llr"].items()):
        h.append("<tr><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td></tr>" % (
            e(lid), e(l.get("statement", "")), e(l.get("refines", "")),
            "" if l.get("design_ids") else " class=gap", e(l.get("design", ""))))
    h.append("</table>")
    h.append("<h2>Design sections &rarr; LLRs</h2><p>%d sections in docs/design/.</p>"
             "<table><tr><th>section</th><th>file:line</th><th>named by</th></tr>" %
             len(t["design"]))
    for did, d in sorted(t["design"].items()):
        named = ", ".join(d.get("named_by", [])) or "none: %s" % (d.get("none") or "")
        h.append("<tr><td>%s</td><td>%s:%d</td><td>%s</td></tr>" % (
            e(did), e(d["file"]), d["line"], e(named)))
    h.append("</table>")
    for title, tags in (("Code &rarr; requirements", t["code_tags"]),
                        ("Tests &rarr; requirements", t["test_tags"])):
        h.append("<h2>%s</h2><table><tr><th>file:line</th><th>kind</th><th>IDs</th></tr>" % title)
        known = set(t["hlr"]) | set(t["llr"])
        for w in tags:
            ids = ", ".join(e(i) if i in known else "<span class=FAIL>%s</span>" % e(i)
                            for i in w["ids"])
            h.append("<tr><td>%s</td><td>%s</td><td>%s</td></tr>" % (loc(w), e(w["kind"]), ids))
        h.append("</table>")
    h.append("</body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--req-dir", default="docs/requirements")
    ap.add_argument("--design-dir", default="docs/design")
    ap.add_argument("--gates", default=None, help="default: <root>/tools/evidence/gates.json, "
                    "or built-in zero thresholds when absent")
    ap.add_argument("--json", default=None)
    ap.add_argument("--html", default=None)
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    t = build(root, a.req_dir, a.design_dir)
    gpath = a.gates or os.path.join(root, "tools/evidence/gates.json")
    cfg = json.load(open(gpath)).get("trace", {}) if os.path.exists(gpath) else {}
    gates, lines = apply_gates(t, cfg)
    t["gates"] = gates
    for path, text in ((a.json, lambda: json.dumps(t, indent=1, default=str)),
                       (a.html, lambda: render_html(t, gates))):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text())
    print("\n".join(lines))
    return 0 if all(g["status"] == "PASS" for g in gates.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
