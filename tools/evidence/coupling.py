#!/usr/bin/env python3
"""Control and data coupling of hyp/ (DO-178C 6.4.4.2(c)).

Builds the program model (callgraph.py: flight-flag LLVM IR for C, the
objects for assembly), maps each function and global to a module by its
defining file, and checks every call edge and every global access against
the allowed layering (layering.json, which mirrors docs/architecture.md).
Indirect calls are reported too: the layering cannot be checked through them;
so are calls to functions the program model does not define (coupling-resolved).
Prints "PASS evidence/coupling-<gate>" or "FAIL evidence/coupling-<gate>:
reason"; exits 1 if any gate fails. Writes JSON and an HTML page.

  coupling.py --cflags FLAGS --src F.c... --asm OBJ=SRC... [--root DIR]
              [--layering tools/evidence/layering.json] [--irdir DIR]
              [--gates tools/evidence/gates.json] [--json OUT] [--html OUT]
"""
import argparse
import fnmatch
import glob
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph  # noqa: E402

e = html.escape


def header_functions(root, patterns):
    names = set()
    for pat in patterns:
        for h in glob.glob(os.path.join(root, pat)):
            text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", open(h).read(), flags=re.S)
            text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
            names |= set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", text))
    return names


class Layering:
    def __init__(self, spec, root):
        self.spec = spec
        self.rank = {}
        for i, row in enumerate(spec["core_order"]):
            for m in row:
                self.rank[m] = i
        self.ifaces = {}
        for a, row in spec["calls"].items():
            for b, how in row.items():
                if how.startswith("iface:"):
                    self.ifaces[(a, b)] = header_functions(root, how[6:].split(","))
        self.upward = {(u["from"], u["to"], u.get("function")) for u in spec["upward_allowed"]}

    def layer(self, path):
        for name, prefixes in self.spec["layers"].items():
            if any(path.startswith(p) for p in prefixes):
                return name
        return None

    def module(self, path):
        lay = self.layer(path)
        if lay == "core":
            return "core/" + os.path.basename(path).rsplit(".", 1)[0]
        return lay or "?"

    def check_call(self, src, dst, callee):
        la, lb = self.layer(src), self.layer(dst)
        how = self.spec["calls"].get(la, {}).get(lb)
        if how is None:
            return "layer %s may not call layer %s" % (la, lb)
        if how == "any":
            return None
        if how.startswith("iface:"):
            if callee in self.ifaces[(la, lb)]:
                return None
            return "%s is not an interface of %s declared in %s" % (callee, lb, how[6:])
        return self.check_order(src, dst, callee, "calls")

    def check_order(self, src, dst, name, what):
        ma, mb = self.module(src)[5:], self.module(dst)[5:]
        if ma == mb:
            return None
        if ma not in self.rank or mb not in self.rank:
            return "core module %s not in core_order" % (ma if ma not in self.rank else mb)
        if self.rank[mb] >= self.rank[ma]:
            return None
        if (ma, mb, name) in self.upward or (ma, mb, None) in self.upward:
            return None
        return "upward %s: %s (row %d) -> %s (row %d)" % (
            what, ma, self.rank[ma] + 1, mb, self.rank[mb] + 1)

    def check_data(self, src, gfile, gname):
        la, lb = self.layer(src), self.layer(gfile)
        if lb not in self.spec["data"].get(la, []):
            return "layer %s may not access data of layer %s" % (la, lb)
        if la == "core" and lb == "core":
            return self.check_order(src, gfile, gname, "data access")
        return None


def analyse(model, lay):
    funcs, globs = model["functions"], model["globals"]
    edges, accesses, violations, indirect, unknown = [], [], [], [], []
    for fid, f in sorted(funcs.items()):
        src = f["file"]
        for c in f["calls"]:
            g = funcs.get(c)
            if g is None:
                unknown.append({"function": fid, "callee": c})
                continue
            why = lay.check_call(src, g["file"], g["name"])
            edges.append({"from": fid, "to": c, "from_module": lay.module(src),
                          "to_module": lay.module(g["file"]), "ok": why is None})
            if why:
                violations.append({"kind": "call", "from": fid, "to": c, "why": why})
        if f["indirect"]:
            indirect.append({"function": fid, "count": f["indirect"]})
        for kind in ("reads", "writes", "refs"):
            for gname in f[kind]:
                gv = globs.get(gname)
                if gv is None:
                    continue  # a linker symbol or a function's address
                why = lay.check_data(src, gv["file"], gname)
                accesses.append({"function": fid, "global": gname, "kind": kind,
                                 "from_module": lay.module(src),
                                 "owner": lay.module(gv["file"]), "ok": why is None})
                if why:
                    violations.append({"kind": kind, "from": fid, "to": gname, "why": why})
    for f in funcs.values():
        if lay.layer(f["file"]) is None:
            violations.append({"kind": "file", "from": f["id"], "to": f["file"],
                               "why": "file in no layer of layering.json"})
    return {"edges": edges, "accesses": accesses, "violations": violations,
            "indirect": indirect, "unresolved": unknown}


def page(res):
    h = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Coupling</title>',
         "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
         "td,th{border:1px solid #bbb;padding:2px 6px}.bad{background:#fcc}</style></head><body>",
         "<h1>Control and data coupling of hyp/</h1>",
         '<p><a href="index.html">evidence index</a>. Allowed layering: '
         "tools/evidence/layering.json (mirrors docs/architecture.md).</p><h2>Gates</h2><ul>"]
    for k, g in res["gates"].items():
        h.append("<li>%s: %s %s</li>" % (e(k), g["status"], e(g["reason"])))
    h.append("</ul><h2>Violations</h2><table><tr><th>kind</th><th>from</th><th>to</th>"
             "<th>why</th></tr>")
    for v in res["violations"]:
        h.append("<tr class=bad><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            e(v["kind"]), e(v["from"]), e(v["to"]), e(v["why"])))
    h.append("</table><h2>Module call matrix (number of call edges)</h2>")
    mods = sorted({x["from_module"] for x in res["edges"]} | {x["to_module"] for x in res["edges"]})
    cnt = {}
    for x in res["edges"]:
        if x["from_module"] != x["to_module"]:
            cnt[(x["from_module"], x["to_module"])] = cnt.get((x["from_module"], x["to_module"]), 0) + 1
    h.append("<table><tr><th>caller \\ callee</th>%s</tr>" % "".join("<th>%s</th>" % e(m) for m in mods))
    for a in mods:
        h.append("<tr><th>%s</th>%s</tr>" % (e(a), "".join(
            "<td>%s</td>" % (cnt.get((a, b), "") if a != b else "-") for b in mods)))
    h.append("</table><h2>Call edges</h2><table><tr><th>caller</th><th>callee</th>"
             "<th>modules</th></tr>")
    for x in res["edges"]:
        h.append("<tr%s><td>%s</td><td>%s</td><td>%s -> %s</td></tr>" % (
            "" if x["ok"] else " class=bad", e(x["from"]), e(x["to"]), e(x["from_module"]),
            e(x["to_module"])))
    h.append("</table><h2>Global data per function</h2><table><tr><th>function</th>"
             "<th>global</th><th>access</th><th>owner</th></tr>")
    for x in res["accesses"]:
        h.append("<tr%s><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            "" if x["ok"] else " class=bad", e(x["function"]), e(x["global"]),
            e({"refs": "address"}.get(x["kind"], x["kind"][:-1])), e(x["owner"])))
    h.append("</table></body></html>")
    return "\n".join(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--cflags", required=True)
    ap.add_argument("--src", nargs="*", default=[])
    ap.add_argument("--asm", nargs="*", default=[], help="OBJ=SRC pairs")
    ap.add_argument("--layering", default=None)
    ap.add_argument("--irdir", default="build/evidence/ir")
    ap.add_argument("--gates", default="tools/evidence/gates.json")
    ap.add_argument("--json")
    ap.add_argument("--html")
    a = ap.parse_args()
    os.chdir(a.root)
    lim = json.load(open(a.gates)).get("coupling", {}) if os.path.exists(a.gates) else {}
    lay = Layering(json.load(open(a.layering or "tools/evidence/layering.json")), ".")
    res = {"gates": {}}
    try:
        model = callgraph.build(a.src, [tuple(x.split("=", 1)) for x in a.asm], a.cflags, a.irdir)
        res.update(analyse(model, lay))
        v, ind = res["violations"], res["indirect"]
        res["gates"]["coupling-layering"] = {
            "status": "FAIL" if len(v) > lim.get("max_violations", 0) else "PASS",
            "reason": "%d violation(s): %s" % (len(v), "; ".join(
                "%s %s -> %s (%s)" % (x["kind"], x["from"], x["to"], x["why"]) for x in v[:8]))
            if v else ""}
        unres = res["unresolved"]
        res["gates"]["coupling-resolved"] = {
            "status": "FAIL" if unres else "PASS",
            "reason": "%d call(s) to functions outside the analysed program: %s" % (
                len(unres), ", ".join("%s -> %s" % (x["function"], x["callee"])
                                      for x in unres[:8])) if unres else ""}
        res["gates"]["coupling-indirect-calls"] = {
            "status": "FAIL" if len(ind) > lim.get("max_indirect_calls", 0) else "PASS",
            "reason": "%d function(s) call through a pointer: %s" % (
                len(ind), ", ".join(x["function"] for x in ind)) if ind else ""}
        res["counts"] = {"functions": len(model["functions"]), "globals": len(model["globals"]),
                         "edges": len(res["edges"]),
                         "cross_module_edges": sum(1 for x in res["edges"]
                                                   if x["from_module"] != x["to_module"]),
                         "accesses": len(res["accesses"]), "violations": len(v),
                         "indirect": len(ind)}
    except (RuntimeError, OSError) as err:
        res["gates"]["coupling-build"] = {"status": "FAIL", "reason": str(err)}
        res.update({"edges": [], "accesses": [], "violations": [], "indirect": [], "unresolved": [],
                    "counts": {}})
    for k, g in res["gates"].items():
        print("PASS evidence/%s" % k if g["status"] == "PASS" else
              "FAIL evidence/%s: %s" % (k, g["reason"]))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)
    if a.html:
        open(a.html, "w").write(page(res))
    return 1 if any(g["status"] != "PASS" for g in res["gates"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
