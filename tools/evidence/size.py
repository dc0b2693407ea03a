#!/usr/bin/env python3
"""Size and certification cost of Bulkhead.

Counts source lines (non-blank, non-comment) per component with a small
counter of its own, reads text/data/bss of the hypervisor ELF with
llvm-size-19, and estimates the certification effort of the trusted code
(hyp/) per DO-178C level from hours-per-line figures, beside the same
estimate for a 30,000-line hypervisor. Writes JSON and an HTML page with an
inline SVG bar chart. Gates (budgets in gates.json "size"): size-image
(text+rodata+data bytes), size-bss (bss+noinit bytes), size-sloc (trusted
hyp/ SLOC); each prints "PASS evidence/size-<gate>" or "FAIL ...: reason"
and a failure makes the exit status 1.

  size.py [--root DIR] [--elf build/clang/hyp/bulkhead.elf] [--gates FILE]
          [--json OUT] [--html OUT]
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys

COMPONENTS = [  # (name, directory, trusted)
    ("hyp/core", "hyp/core", True),
    ("hyp/arch", "hyp/arch", True),
    ("hyp/platform", "hyp/platform", True),
    ("hyp/include", "hyp/include", True),
    ("tools (host)", "tools", False),
    ("guests", "guests", False),
    ("tests", "tests", False),
]
C_EXT = (".c", ".h", ".S", ".ld.in")
HASH_EXT = (".sh", ".py", ".mk", "Makefile")
HOURS_PER_LINE = {"A": 0.67, "B": 0.40, "C": 0.20, "D": 0.13, "E": 0.11}
NOVICE = (3, 4)
RATE = 100
REFERENCE_LINES = 30000


def strip_c_comments(text):
    """The text with /* */ and // comments blanked (newlines kept). String
    and character literals are skipped whole, so a "/*" inside a string
    does not hide the code after it."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] not in (c, "\n"):
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1] if j < n and text[j] == c else text[i:j])
            i = j + 1 if j < n and text[j] == c else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sloc_c(text):
    """Non-blank lines left after removing /* */ and // comments."""
    return sum(1 for line in strip_c_comments(text).splitlines() if line.strip())


def sloc_hash(text):
    n = 0
    for line in text.splitlines():
        s = line.strip()
        if s and not (s.startswith("#") and not s.startswith("#!")):
            n += 1
    return n


def sloc_file(path):
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return None
    if path.endswith(C_EXT):
        return sloc_c(text)
    if path.endswith(HASH_EXT) or "/cases/" in path:
        return sloc_hash(text)
    return None


def count(root, directory, exclude=()):
    total, files = 0, 0
    for d, subdirs, names in os.walk(os.path.join(root, directory)):
        rel = os.path.relpath(d, root)
        subdirs[:] = [s for s in subdirs if os.path.join(rel, s) not in exclude]
        for name in sorted(names):
            n = sloc_file(os.path.join(d, name))
            if n is not None:
                total += n
                files += 1
    return total, files


SEC_RE = re.compile(r"^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)"
                    r"\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+")


def elf_size(root, elf):
    """Bytes of the ELF's allocated sections by their flags (llvm-readelf-19
    -S): executable or read-only (text+rodata), writable with contents
    (data), writable without contents (bss/noinit), whatever their names."""
    path = os.path.join(root, elf)
    if not os.path.exists(path):
        return None
    r = subprocess.run(["llvm-readelf-19", "-S", "-W", path], stdout=subprocess.PIPE,
                       universal_newlines=True)
    text = data = bss = 0
    sections = []
    for line in r.stdout.splitlines():
        m = SEC_RE.match(line)
        if not m or "A" not in m.group(4):
            continue
        name, typ, size, flags = m.group(1), m.group(2), int(m.group(3), 16), m.group(4)
        if typ == "NOBITS":
            bss += size
            kind = "bss"
        elif "W" in flags:
            data += size
            kind = "data"
        else:
            text += size
            kind = "text"
        sections.append({"name": name, "kind": kind, "bytes": size})
    return {"elf": elf, "text_rodata": text, "data": data, "bss_noinit": bss,
            "text_plus_data": text + data, "sections": sections}


def apply_gates(r, cfg):
    """Budgets of gates.json "size": image and trusted SLOC."""
    img = r["image"] or {}
    checks = [("size-image", "max_text_plus_data", img.get("text_plus_data"),
               "text+rodata+data bytes"),
              ("size-bss", "max_bss_noinit", img.get("bss_noinit"), "bss+noinit bytes"),
              ("size-sloc", "max_hyp_sloc", r["hyp_sloc"], "trusted hyp/ SLOC")]
    gates = {}
    for name, key, got, what in checks:
        if key not in cfg:
            continue
        ok = got is not None and got <= cfg[key]
        gates[name] = {"status": "PASS" if ok else "FAIL",
                       "reason": "" if ok else "%s %s over budget %d" % (
                           what, "no ELF" if got is None else got, cfg[key])}
    return gates


def estimate(lines):
    rows = []
    for level, hpl in HOURS_PER_LINE.items():
        hours = lines * hpl
        rows.append({"level": level, "hours_per_line": hpl, "hours": round(hours),
                     "cost_usd": round(hours * RATE),
                     "novice_cost_usd": [round(hours * k * RATE) for k in NOVICE]})
    return rows


def svg_bars(items, unit, width=560, bar=22):
    top = max(v for _, v in items) or 1
    h = bar * len(items) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (width, h)]
    for k, (label, v) in enumerate(items):
        w = int((width - 260) * v / top)
        y = 5 + k * bar
        out.append('<text x="0" y="%d">%s</text>' % (y + 15, html.escape(label)))
        out.append('<rect x="150" y="%d" width="%d" height="%d" fill="#4a7"/>' % (y + 3, w, bar - 6))
        out.append('<text x="%d" y="%d">%s %s</text>' % (155 + w, y + 15, format(v, ","), unit))
    out.append("</svg>")
    return "\n".join(out)


def render_html(r):
    e = html.escape
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bulkhead size and cost</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
         "margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
         "th{background:#eee}td:first-child{text-align:left}</style></head><body>",
         '<h1>Size and certification cost</h1><p><a href="index.html">evidence index</a></p>',
         "<h2>Budgets (gates.json size)</h2><ul>%s</ul>" % "".join(
             "<li>%s: %s %s</li>" % (e(k), g["status"], e(g["reason"]))
             for k, g in r.get("gates", {}).items()),
         "<h2>Source lines (non-blank, non-comment)</h2><table><tr><th>component</th>"
         "<th>files</th><th>SLOC</th></tr>"]
    for c in r["components"]:
        h.append("<tr><td>%s%s</td><td>%d</td><td>%d</td></tr>" % (
            e(c["name"]), " (trusted)" if c["trusted"] else "", c["files"], c["sloc"]))
    h.append("<tr><th>trusted hyp/ total</th><th></th><th>%d</th></tr></table>" % r["hyp_sloc"])
    h.append(svg_bars([(c["name"], c["sloc"]) for c in r["components"]], "lines"))
    img = r["image"]
    if img:
        h.append("<h2>Image</h2><p>%s: text+rodata %d bytes, data %d bytes, "
                 "bss/noinit %d bytes; text+data <b>%d</b> bytes (llvm-size-19 -A).</p>" % (
                     e(img["elf"]), img["text_rodata"], img["data"], img["bss_noinit"],
                     img["text_plus_data"]))
    else:
        h.append("<h2>Image</h2><p>not built (no ELF)</p>")
    h.append("<h2>Certification effort estimate</h2><p>Hours per line of trusted code by "
             "DO-178C level, at $%d/hour; the last columns multiply by %d to %d for a team "
             "without certification experience. Rough planning figures, not a quote.</p>"
             % (RATE, NOVICE[0], NOVICE[1]))
    h.append("<table><tr><th>level</th><th>h/line</th><th>Bulkhead hyp/ (%d lines): hours</th>"
             "<th>cost</th><th>inexperienced</th><th>%d-line hypervisor: hours</th><th>cost</th>"
             "<th>inexperienced</th></tr>" % (r["hyp_sloc"], REFERENCE_LINES))
    for a, b in zip(r["estimate"], r["reference_estimate"]):
        h.append("<tr><td>%s</td><td>%.2f</td><td>%s</td><td>$%s</td><td>$%s&ndash;$%s</td>"
                 "<td>%s</td><td>$%s</td><td>$%s&ndash;$%s</td></tr>" % (
                     a["level"], a["hours_per_line"], format(a["hours"], ","),
                     format(a["cost_usd"], ","), format(a["novice_cost_usd"][0], ","),
                     format(a["novice_cost_usd"][1], ","), format(b["hours"], ","),
                     format(b["cost_usd"], ","), format(b["novice_cost_usd"][0], ","),
                     format(b["novice_cost_usd"][1], ",")))
    h.append("</table>")
    a = r["estimate"][0]
    b = r["reference_estimate"][0]
    h.append("<h3>Level A cost (experienced team)</h3>")
    h.append(svg_bars([("Bulkhead hyp/", a["cost_usd"]),
                       ("%d-line hypervisor" % REFERENCE_LINES, b["cost_usd"])], "USD"))
    h.append("</body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--elf", default="build/clang/hyp/bulkhead.elf")
    ap.add_argument("--gates", default=None, help="default: <root>/tools/evidence/gates.json")
    ap.add_argument("--json", default=None)
    ap.add_argument("--html", default=None)
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    comps = []
    for name, d, trusted in COMPONENTS:
        excl = ("tools/evidence",) if d == "tools" else ()
        n, files = count(root, d, excl)
        comps.append({"name": name, "dir": d, "trusted": trusted, "sloc": n, "files": files})
    n, files = count(root, "tools/evidence")
    comps.append({"name": "tools/evidence", "dir": "tools/evidence", "trusted": False,
                  "sloc": n, "files": files})
    hyp = sum(c["sloc"] for c in comps if c["trusted"])
    r = {"components": comps, "hyp_sloc": hyp, "image": elf_size(root, a.elf),
         "rate_usd_per_hour": RATE, "novice_factor": list(NOVICE),
         "estimate": estimate(hyp), "reference_lines": REFERENCE_LINES,
         "reference_estimate": estimate(REFERENCE_LINES)}
    gpath = a.gates or os.path.join(root, "tools/evidence/gates.json")
    cfg = json.load(open(gpath)).get("size", {}) if os.path.exists(gpath) else {}
    r["budget"] = cfg
    r["gates"] = apply_gates(r, cfg)
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        json.dump(r, open(a.json, "w"), indent=1)
    if a.html:
        os.makedirs(os.path.dirname(os.path.abspath(a.html)), exist_ok=True)
        open(a.html, "w").write(render_html(r))
    for c in comps:
        print("%-16s %6d SLOC in %d files" % (c["name"], c["sloc"], c["files"]))
    print("trusted hyp/     %6d SLOC; Level A %d h, $%s (x%d-x%d inexperienced: $%s-$%s)" % (
        hyp, r["estimate"][0]["hours"], format(r["estimate"][0]["cost_usd"], ","), NOVICE[0],
        NOVICE[1], format(r["estimate"][0]["novice_cost_usd"][0], ","),
        format(r["estimate"][0]["novice_cost_usd"][1], ",")))
    if r["image"]:
        print("image text+data  %6d bytes" % r["image"]["text_plus_data"])
    for k, g in r["gates"].items():
        print("PASS evidence/%s" % k if g["status"] == "PASS" else
              "FAIL evidence/%s: %s" % (k, g["reason"]))
    return 0 if all(g["status"] == "PASS" for g in r["gates"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
