#!/usr/bin/env python3
"""Source-to-object traceability of the linked hypervisor (DO-178C Level A).

Maps every instruction of the ELF (llvm-objdump-19 -d) to a source line via
the DWARF line table (llvm-dwarfdump-19 --debug-line). Data placed in text
(mapping symbol $d: the Image header, literal pools, strings) is counted
apart. An instruction with no line (outside every line sequence, or line 0:
code the compiler made up) is listed with its function; alignment padding
(nop after an unconditional branch or return, up to the next aligned
address) is counted apart. Gates: s2o-line-table fails when an instruction
lies outside every line sequence (code built without line information,
gates.json s2o.max_no_line_sequence); s2o-compiler-generated when the share
of line-0 instructions exceeds s2o.max_line0_percent.

  s2o.py --elf ELF [--gates tools/evidence/gates.json] [--json OUT] [--html OUT]
"""
import argparse
import bisect
import html
import json
import re
import subprocess
import sys

e = html.escape
ROW_RE = re.compile(r"^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$")
FILE_RE = re.compile(r'^file_names\[\s*(\d+)\]:')
NAME_RE = re.compile(r'^\s+name: "(.*)"')
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(?:(?:[0-9a-f]{2} )+)?\s*(\S+)\s*(.*)$")
SYM_RE = re.compile(r"^([0-9a-f]+) <([^>]+)>:")


def line_table(elf):
    out = subprocess.run(["llvm-dwarfdump-19", "--debug-line", elf], capture_output=True,
                         text=True, check=True).stdout
    rows, files, cur_file = [], {}, None
    for line in out.splitlines():
        if line.startswith("debug_line["):
            files = {}
        m = FILE_RE.match(line)
        if m:
            cur_file = int(m.group(1))
            continue
        m = NAME_RE.match(line)
        if m and cur_file is not None:
            files[cur_file] = m.group(1)
            cur_file = None
            continue
        m = ROW_RE.match(line)
        if m:
            rows.append((int(m.group(1), 16), int(m.group(2)), files.get(int(m.group(4)), "?"),
                         "end_sequence" in m.group(5)))
    # Sort by address; at one address an end_sequence comes before a new start.
    rows.sort(key=lambda r: (r[0], not r[3]))
    return rows


def lookup(rows, keys, addr):
    i = bisect.bisect_right(keys, addr) - 1
    while i >= 0 and rows[i][0] == addr and rows[i][3] and i + 1 < len(rows) and \
            rows[i + 1][0] == addr:
        i += 1
    if i < 0 or rows[i][3]:
        return None
    return rows[i]


def analyse(elf):
    rows = line_table(elf)
    keys = [r[0] for r in rows]
    out = subprocess.run(["llvm-objdump-19", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    func = "?"
    insns = data = 0
    unmapped, padding, per_file = [], [], {}
    prev_end = False
    for line in out.splitlines():
        m = SYM_RE.match(line)
        if m:
            func = m.group(2)
            prev_end = False
            continue
        m = INSN_RE.match(line)
        if not m:
            continue
        addr, mn = int(m.group(1), 16), m.group(2)
        if mn.startswith("."):
            data += 1
            continue
        insns += 1
        r = lookup(rows, keys, addr)
        if r is None or r[1] == 0:
            item = {"address": "0x%x" % addr, "function": func, "insn": (mn + " " + m.group(3)).strip(),
                    "why": "line 0" if r else "no line sequence"}
            if mn == "nop" and prev_end:
                padding.append(item)
            else:
                unmapped.append(item)
                prev_end = False
        else:
            per_file[r[2]] = per_file.get(r[2], 0) + 1
            prev_end = mn in ("b", "ret", "eret", "br") or (mn == "nop" and prev_end)
        if mn in ("b", "ret", "eret", "br"):
            prev_end = True
    return {"instructions": insns, "data_words": data, "mapped": insns - len(unmapped) - len(padding),
            "unmapped": unmapped, "padding": padding, "per_file": per_file}


def page(res):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Source to object</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
         "td,th{border:1px solid #bbb;padding:2px 6px}.num{text-align:right}</style></head><body>",
         "<h1>Source-to-object traceability of the hypervisor ELF</h1>",
         '<p><a href="index.html">evidence index</a>. %d instructions, %d mapped to a source '
         "line, %d without a line, %d alignment padding; %d data words in text.</p><h2>Gates</h2><ul>"
         % (res["instructions"], res["mapped"], len(res["unmapped"]), len(res["padding"]),
            res["data_words"])]
    for k, g in res["gates"].items():
        h.append("<li>%s: %s %s</li>" % (e(k), g["status"], e(g["reason"])))
    h.append("</ul><h2>Instructions without a source line</h2><table><tr><th>function</th>"
             "<th>count</th><th>instructions</th></tr>")
    by = {}
    for i in res["unmapped"]:
        by.setdefault(i["function"], []).append(i)
    for f, items in sorted(by.items()):
        h.append("<tr><td>%s</td><td class=num>%d</td><td>%s</td></tr>" % (e(f), len(items), "<br>".join(
            e("%s %s (%s)" % (i["address"], i["insn"], i["why"])) for i in items)))
    h.append("</table><h2>Alignment padding per function</h2><table>")
    byp = {}
    for i in res["padding"]:
        byp[i["function"]] = byp.get(i["function"], 0) + 1
    for f, n in sorted(byp.items()):
        h.append("<tr><td>%s</td><td class=num>%d</td></tr>" % (e(f), n))
    h.append("</table><h2>Instructions per source file</h2><table>")
    for f, n in sorted(res["per_file"].items()):
        h.append("<tr><td>%s</td><td class=num>%d</td></tr>" % (e(f), n))
    h.append("</table></body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--gates", default="tools/evidence/gates.json")
    ap.add_argument("--json")
    ap.add_argument("--html")
    a = ap.parse_args()
    g = json.load(open(a.gates)).get("s2o", {})
    try:
        res = analyse(a.elf)
        nos = [i for i in res["unmapped"] if i["why"] != "line 0"]
        zero = [i for i in res["unmapped"] if i["why"] == "line 0"]
        pct = 100.0 * len(zero) / res["instructions"] if res["instructions"] else 100.0
        lim_n, lim_p = g.get("max_no_line_sequence", 0), g.get("max_line0_percent", 0)
        res["gates"] = {
            "s2o-line-table": {"status": "PASS" if len(nos) <= lim_n and res["instructions"] else
                               "FAIL", "reason": "%d instruction(s) outside every DWARF line "
                               "sequence (limit %d) in %s" % (len(nos), lim_n, ", ".join(
                                   sorted({i["function"] for i in nos})[:10]))},
            "s2o-compiler-generated": {"status": "PASS" if pct <= lim_p else "FAIL",
                                       "reason": "%d line-0 instructions, %.1f%% (limit %s%%)"
                                       % (len(zero), pct, lim_p)}}
        res["line0"], res["line0_percent"], res["no_sequence"] = len(zero), round(pct, 2), len(nos)
        for k in res["gates"].values():
            if k["status"] == "PASS":
                k["reason"] = ""
    except (OSError, subprocess.CalledProcessError) as err:
        res = {"instructions": 0, "data_words": 0, "mapped": 0, "unmapped": [], "padding": [],
               "per_file": {}, "line0": 0, "line0_percent": 0, "no_sequence": 0,
               "gates": {"s2o-build": {"status": "FAIL", "reason": str(err)}}}
    for k, g in res["gates"].items():
        print("PASS evidence/%s" % k if g["status"] == "PASS" else
              "FAIL evidence/%s: %s" % (k, g["reason"]))
    print("  s2o: %d instructions, %d mapped, %d without a line, %d padding, %d data words" % (
        res["instructions"], res["mapped"], len(res["unmapped"]), len(res["padding"]),
        res["data_words"]))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)
    if a.html:
        open(a.html, "w").write(page(res))
    return 0 if all(g["status"] == "PASS" for g in res["gates"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
