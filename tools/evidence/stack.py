#!/usr/bin/env python3
"""Worst-case stack use per entry point of the hypervisor.

Frame sizes come from the flight build's -fstack-usage files (.su, next to
the objects) for C and from stack-asm.json for assembly; the call graph from
callgraph.py (flight-flag IR plus the assembly objects). The bound of an
entry point is the heaviest path from its root. Recursion, calls through a
pointer, variable-size (dynamic) frames, reachable functions without a frame
size and calls to unknown functions are failures: they make the bound
unsound. The largest bound must leave the margin of gates.json
(stack.min_margin_percent) below the CPU stack size (PLAT_STACK_SIZE).
Prints "PASS evidence/stack-<gate>" or "FAIL evidence/stack-<gate>: reason".

  stack.py --cflags FLAGS --src F.c... --asm OBJ=SRC... --su-dir DIR
           [--root DIR] [--table tools/evidence/stack-asm.json]
           [--gates tools/evidence/gates.json] [--irdir DIR] [--json] [--html]
"""
import argparse
import glob
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph  # noqa: E402

e = html.escape


def read_su(su_dir):
    """{(file, function): (bytes, qualifier)} from every .su under su_dir."""
    frames = {}
    for p in glob.glob(os.path.join(su_dir, "**", "*.su"), recursive=True):
        for line in open(p):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            loc, size, qual = parts
            bits = loc.rsplit(":", 2)
            frames[(bits[0], bits[-1])] = (int(size), qual)
    return frames


def stack_size(spec):
    path, macro = spec.get("stack_size_macro", [None, None])
    if not path or not os.path.exists(path):
        return None
    m = re.search(r"#define\s+%s\s+(\S+)" % re.escape(macro), open(path).read())
    return int(m.group(1).rstrip("uUlL"), 0) if m else None


class Analysis:
    def __init__(self, model, su, table):
        self.funcs = model["functions"]
        self.table = table
        self.frame, self.problems = {}, []
        for fid, f in self.funcs.items():
            if f.get("assembly"):
                if fid in table["frames"]:
                    self.frame[fid] = table["frames"][fid]
            else:
                s = su.get((f["file"], f["name"]))
                if s:
                    self.frame[fid] = s[0]
                    if s[1] != "static":
                        self.problems.append(("dynamic", fid, "%s frame (%s)" % (s[1], s[0])))
            if f["dynamic"]:
                self.problems.append(("dynamic", fid, "%d variable-size alloca" % f["dynamic"]))
        self.memo = {}

    def reach(self, root):
        seen, order = set(), [root]
        while order:
            n = order.pop()
            if n in seen:
                continue
            seen.add(n)
            order.extend(c for c in self.funcs.get(n, {}).get("calls", []))
        return seen

    def check(self, nodes):
        probs = [p for p in self.problems if p[1] in nodes]
        for n in sorted(nodes):
            f = self.funcs.get(n)
            if f is None:
                probs.append(("unknown", n, "called but not defined in the program"))
                continue
            if f["indirect"]:
                probs.append(("indirect", n, "%d call(s) through a pointer" % f["indirect"]))
            if n not in self.frame:
                probs.append(("noframe", n, "no frame size (.su or stack-asm.json)"))
        # Cycles (recursion, direct or mutual) by depth-first search.
        colour = {}
        for start in sorted(nodes):
            if start in colour or start not in self.funcs:
                continue
            stack = [(start, iter(self.funcs[start]["calls"]))]
            colour[start] = 1
            path = [start]
            while stack:
                n, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    colour[n] = 2
                    stack.pop()
                    path.pop()
                    continue
                if nxt not in self.funcs:
                    continue
                if colour.get(nxt) == 1:
                    cyc = path[path.index(nxt):] + [nxt]
                    probs.append(("recursion", nxt, " -> ".join(cyc)))
                elif nxt not in colour:
                    colour[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(self.funcs[nxt]["calls"])))
        return probs

    def bound(self, n, target=None, depth=0):
        """(bytes, path): heaviest path from n (to target, if given)."""
        key = (n, target)
        if key in self.memo:
            return self.memo[key]
        if n == target:
            res = (0, [n])
        else:
            best = None if target else (0, [])
            if depth < 200:
                for c in self.funcs.get(n, {}).get("calls", []):
                    if c not in self.funcs:
                        continue
                    b = self.bound(c, target, depth + 1)
                    if b is not None and (best is None or b[0] > best[0]):
                        best = b
            res = None if best is None else (self.frame.get(n, 0) + best[0], [n] + best[1])
        self.memo[key] = res
        return res


def analyse(model, su, table):
    an = Analysis(model, su, table)
    entries, problems = [], []
    for ent in table["entries"]:
        root = ent["root"]
        nodes = an.reach(root)
        probs = an.check(nodes) if root in model["functions"] else \
            [("unknown", root, "entry root not in the program")]
        note = ""
        if root not in model["functions"]:
            b = (0, [])
        else:
            via = [v for v in ent.get("via", []) if v in model["functions"]]
            if len(via) < len(ent.get("via", [])):
                note = "handler inlined or absent: bound of %s" % (via[-1] if via else root)
            b, prev = (0, []), root
            for v in via:
                part = an.bound(prev, v)
                if part is None:
                    probs.append(("unknown", v, "not reachable from %s" % prev))
                    break
                b = (b[0] + part[0], b[1] + part[1][:-1])
                prev = v
            tail = an.bound(prev)
            b = (b[0] + tail[0], b[1] + tail[1])
        entries.append({"name": ent["name"], "root": root, "bytes": b[0], "path": b[1],
                        "nested": bool(ent.get("nested")), "note": note,
                        "problems": [{"kind": k, "function": f, "what": w} for k, f, w in probs]})
        problems += probs
    top = max([x["bytes"] for x in entries if not x["nested"]] or [0])
    for x in entries:
        if x["nested"]:
            x["bytes"] += top
            x["note"] = (x["note"] + "; " if x["note"] else "") + \
                "taken on top of the deepest other entry (%d bytes)" % top
    uniq = sorted(set(problems))
    return entries, [{"kind": k, "function": f, "what": w} for k, f, w in uniq]


def page(res):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Stack</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
         "td,th{border:1px solid #bbb;padding:2px 6px}.num{text-align:right}.bad{background:#fcc}"
         "</style></head><body><h1>Worst-case stack per entry point</h1>",
         '<p><a href="index.html">evidence index</a>. CPU stack %s bytes, required margin '
         "%s%%. C frames from -fstack-usage, assembly frames from "
         "tools/evidence/stack-asm.json.</p><h2>Gates</h2><ul>"
         % (res.get("stack_size"), res.get("min_margin_percent"))]
    for k, g in res["gates"].items():
        h.append("<li>%s: %s %s</li>" % (e(k), g["status"], e(g["reason"])))
    h.append("</ul><h2>Entry points</h2><table><tr><th>entry</th><th>bytes</th>"
             "<th>worst path</th><th>note</th></tr>")
    for x in res["entries"]:
        h.append("<tr%s><td>%s</td><td class=num>%d</td><td>%s</td><td>%s</td></tr>" % (
            " class=bad" if x["problems"] else "", e(x["name"]), x["bytes"],
            e(" > ".join(x["path"])), e(x["note"])))
    h.append("</table><h2>Problems</h2><table><tr><th>kind</th><th>function</th><th>what</th></tr>")
    for p in res["problems"]:
        h.append("<tr class=bad><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            e(p["kind"]), e(p["function"]), e(p["what"])))
    h.append("</table><h2>Frames</h2><table><tr><th>function</th><th>bytes</th></tr>")
    for f, b in sorted(res["frames"].items()):
        h.append("<tr><td>%s</td><td class=num>%d</td></tr>" % (e(f), b))
    h.append("</table></body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--cflags", required=True)
    ap.add_argument("--src", nargs="*", default=[])
    ap.add_argument("--asm", nargs="*", default=[], help="OBJ=SRC pairs")
    ap.add_argument("--su-dir", required=True)
    ap.add_argument("--table", default="tools/evidence/stack-asm.json")
    ap.add_argument("--gates", default="tools/evidence/gates.json")
    ap.add_argument("--irdir", default="build/evidence/ir")
    ap.add_argument("--json")
    ap.add_argument("--html")
    a = ap.parse_args()
    os.chdir(a.root)
    table = json.load(open(a.table))
    gates = json.load(open(a.gates)).get("stack", {})
    margin = gates.get("min_margin_percent", 25)
    res = {"gates": {}, "entries": [], "problems": [], "frames": {},
           "min_margin_percent": margin}
    try:
        regions = {k: [tuple(r) for r in v] for k, v in table.get("regions", {}).items()}
        model = callgraph.build(a.src, [tuple(x.split("=", 1)) for x in a.asm], a.cflags,
                                a.irdir, regions)
        entries, problems = analyse(model, read_su(a.su_dir), table)
        res["entries"], res["problems"] = entries, problems
        res["frames"] = Analysis(model, read_su(a.su_dir), table).frame
        size = stack_size(table) or gates.get("stack_size")
        res["stack_size"] = size
        res["gates"]["stack-sound"] = {
            "status": "FAIL" if problems else "PASS",
            "reason": "%d problem(s): %s" % (len(problems), "; ".join(
                "%s %s: %s" % (p["kind"], p["function"], p["what"]) for p in problems[:8]))
            if problems else ""}
        worst = max(entries, key=lambda x: x["bytes"]) if entries else None
        limit = (size or 0) * (100 - margin) // 100
        ok = worst is not None and size and worst["bytes"] <= limit
        res["worst"] = worst and {"name": worst["name"], "bytes": worst["bytes"]}
        res["gates"]["stack-margin"] = {
            "status": "PASS" if ok else "FAIL",
            "reason": "" if ok else "worst %s bytes (%s) over %d (stack %s less %d%%)" % (
                worst and worst["bytes"], worst and worst["name"], limit, size, margin)}
    except (RuntimeError, OSError, ValueError) as err:
        res["gates"]["stack-build"] = {"status": "FAIL", "reason": str(err)}
    for k, g in res["gates"].items():
        print("PASS evidence/%s" % k if g["status"] == "PASS" else
              "FAIL evidence/%s: %s" % (k, g["reason"]))
    for x in res["entries"]:
        print("  stack %6d  %s" % (x["bytes"], x["name"]))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)
    if a.html:
        open(a.html, "w").write(page(res))
    return 1 if any(g["status"] != "PASS" for g in res["gates"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
