#!/usr/bin/env python3
"""Structural coverage of hyp/core from the host unit tests.

Builds every tests/unit/test_*.c against hyp/core compiled with clang-19
source-based coverage (-fprofile-instr-generate -fcoverage-mapping
-fcoverage-mcdc) into build/host/cov/, runs them, merges the profiles and
reports per file: lines, regions, branches, MC/DC conditions, functions.
Uncovered items (lines, branch outcomes never taken, MC/DC conditions not
shown to act independently) are listed, matched against the accepted gaps
of tools/evidence/coverage-justifications.json, and the gate thresholds of
tools/evidence/gates.json are applied.

  coverage.py [--root DIR] [--out build/evidence/coverage.json] [--no-build]

Prints "PASS evidence/coverage-<metric>" or "FAIL evidence/coverage-<metric>:
reason" per gate; exits 1 when a gate fails.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

CC = "clang-19"
PROFDATA = "llvm-profdata-19"
LLVM_COV = "llvm-cov-19"
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wconversion", "-Wshadow", "-g", "-O0",
          "-Ihyp/include", "-Ihyp/core", "-Itests/unit", "-D_DEFAULT_SOURCE"]
COVFLAGS = ["-fprofile-instr-generate", "-fcoverage-mapping", "-fcoverage-mcdc"]
METRICS = ("lines", "regions", "branches", "mcdc", "functions")
MCDC_UNSUPPORTED = re.compile(r"unsupported MC/DC boolean expression", re.I)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def build(root, cov):
    """Compile core (instrumented) and tests; return (binaries, log, warnings)."""
    os.makedirs(os.path.join(cov, "obj"), exist_ok=True)
    log = []
    warnings = []
    core_objs = []
    for src in sorted(glob.glob("hyp/core/*.c")):
        obj = os.path.join(cov, "obj", os.path.basename(src) + ".o")
        r = run([CC] + CFLAGS + COVFLAGS + ["-c", src, "-o", obj], cwd=root)
        log.append("$ %s %s\n%s" % (CC, src, r.stdout))
        warnings += [l for l in r.stdout.splitlines() if "warning:" in l]
        if r.returncode != 0:
            return None, log, warnings, "compile of %s failed" % src
        core_objs.append(obj)
    support = []
    # Every tests/unit/*.c that is not a test is support, as unit.mk has it.
    names = sorted(os.path.splitext(os.path.basename(f))[0]
                   for f in glob.glob("tests/unit/*.c")
                   if not os.path.basename(f).startswith("test_"))
    for name in names:
        obj = os.path.join(cov, "obj", name + ".o")
        r = run([CC] + CFLAGS + ["-c", "tests/unit/%s.c" % name, "-o", obj], cwd=root)
        log.append("$ %s %s.c\n%s" % (CC, name, r.stdout))
        if r.returncode != 0:
            return None, log, warnings, "compile of %s.c failed" % name
        support.append(obj)
    bins = []
    for test in sorted(glob.glob("tests/unit/test_*.c")):
        name = os.path.splitext(os.path.basename(test))[0]
        out = os.path.join(cov, name)
        r = run([CC] + CFLAGS + COVFLAGS + ["-o", out, test] + core_objs + support +
                ["-lcmocka"], cwd=root)
        log.append("$ %s %s\n%s" % (CC, test, r.stdout))
        warnings += [l for l in r.stdout.splitlines() if "warning:" in l]
        if r.returncode != 0:
            return None, log, warnings, "build of %s failed" % test
        bins.append(out)
    return bins, log, warnings, None


def run_tests(root, cov, bins):
    prof = os.path.join(cov, "prof")
    os.makedirs(prof, exist_ok=True)
    for old in glob.glob(os.path.join(prof, "*.profraw")):
        os.remove(old)
    failed = []
    for b in bins:
        env = dict(os.environ)
        env["LLVM_PROFILE_FILE"] = os.path.join(
            os.path.abspath(os.path.join(root, prof)), os.path.basename(b) + ".profraw")
        r = run([os.path.abspath(os.path.join(root, b))], cwd=root, env=env)
        if r.returncode != 0:
            failed.append(os.path.basename(b))
    return failed


def export(root, cov, bins):
    prof = os.path.join(cov, "prof")
    raws = sorted(glob.glob(os.path.join(root, prof, "*.profraw")))
    pdata = os.path.join(cov, "unit.profdata")
    r = run([PROFDATA, "merge", "-sparse", "-o", pdata] + raws, cwd=root)
    if r.returncode != 0:
        raise RuntimeError("llvm-profdata merge: " + r.stdout)
    objs = [bins[0]] + sum((["-object", b] for b in bins[1:]), [])
    srcs = sorted(glob.glob(os.path.join(root, "hyp/core/*.c")))
    r = subprocess.run([LLVM_COV, "export", "-instr-profile=" + pdata] + objs + srcs,
                       cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("llvm-cov export: " + r.stderr)
    rep = run([LLVM_COV, "report", "--show-mcdc-summary", "-instr-profile=" + pdata] +
              objs + srcs, cwd=root)
    with open(os.path.join(root, cov, "report.txt"), "w") as f:
        f.write(rep.stdout)
    return json.loads(r.stdout)


def zero_lines(root, cov, bins):
    """{file: [line, ...]} of lines llvm-cov show reports with count 0."""
    pdata = os.path.join(cov, "unit.profdata")
    objs = [bins[0]] + sum((["-object", b] for b in bins[1:]), [])
    srcs = sorted(glob.glob(os.path.join(root, "hyp/core/*.c")))
    r = subprocess.run([LLVM_COV, "show", "-instr-profile=" + pdata] + objs + srcs,
                       cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    out = {}
    # With one source file llvm-cov show prints no "<file>:" header.
    cur = os.path.relpath(srcs[0], root) if len(srcs) == 1 else None
    for line in r.stdout.splitlines():
        m = re.match(r"^(/\S+\.c):$", line)
        if m:
            cur = os.path.relpath(m.group(1), root)
            continue
        m = re.match(r"^\s*(\d+)\|\s*0\|", line)
        if m and cur:
            out.setdefault(cur, []).append(int(m.group(1)))
    return out


def uncovered_items(f, rel, zeros):
    """Uncovered lines, branch outcomes and MC/DC conditions of one file."""
    items = []
    for line in zeros.get(rel, []):
        items.append({"file": rel, "line": line, "kind": "line", "missed": 1,
                      "what": "line not executed"})
    for b in f["branches"]:
        line, col, true_n, false_n = b[0], b[1], b[4], b[5]
        if true_n == 0 or false_n == 0:
            side = "true" if true_n == 0 else "false"
            items.append({"file": rel, "line": line, "col": col, "kind": "branch",
                          "missed": (true_n == 0) + (false_n == 0),
                          "what": "branch outcome %s never taken" % side})
    for m in f.get("mcdc_records", []):
        conds = m[-1] if isinstance(m[-1], list) else []
        missing = [i for i, ok in enumerate(conds) if not ok]
        if missing:
            items.append({"file": rel, "line": m[0], "col": m[1], "kind": "mcdc",
                          "missed": len(missing), "what": "MC/DC: condition(s) %s of %d not shown independent"
                          % (",".join(str(i + 1) for i in missing), len(conds))})
    return items


def pct(s):
    return 100.0 if s["count"] == 0 else 100.0 * s["covered"] / s["count"]


def key_of(item):
    return "%s:%d:%s" % (item["file"], item["line"], item["kind"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=".")
    ap.add_argument("--out", default="build/evidence/coverage.json")
    ap.add_argument("--cov-dir", default="build/host/cov")
    ap.add_argument("--gates", default="tools/evidence/gates.json")
    ap.add_argument("--justifications", default="tools/evidence/coverage-justifications.json")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    os.chdir(root)  # the globs and the build directory are relative to the root
    gates = json.load(open(os.path.join(root, a.gates)))["coverage"]
    just = json.load(open(os.path.join(root, a.justifications)))["accepted"]
    result = {"tool": "%s source-based coverage with MC/DC" % CC, "files": {},
              "totals": {}, "uncovered": [], "accepted": [], "warnings": [],
              "test_failures": [], "gates": {}, "error": None}

    bins, log, warnings, err = (None, [], [], None)
    if a.no_build:
        bins = sorted(glob.glob(os.path.join(a.cov_dir, "test_*")))
    else:
        bins, log, warnings, err = build(root, a.cov_dir)
    os.makedirs(os.path.join(root, a.cov_dir), exist_ok=True)
    with open(os.path.join(root, a.cov_dir, "compile.log"), "w") as fh:
        fh.write("\n".join(log))
    result["warnings"] = warnings
    data = None
    if err is None and bins:
        result["test_failures"] = run_tests(root, a.cov_dir, bins)
        try:
            data = export(root, a.cov_dir, bins)
        except RuntimeError as e:
            err = str(e)
    elif err is None:
        err = "no unit test binaries"
    result["error"] = err

    if data is not None:
        zeros = zero_lines(root, a.cov_dir, bins)
        for f in data["data"][0]["files"]:
            rel = os.path.relpath(f["filename"], root)
            s = f["summary"]
            result["files"][rel] = {m: {"count": s[m]["count"], "covered": s[m]["covered"],
                                        "percent": round(pct(s[m]), 2)} for m in METRICS}
            result["uncovered"] += uncovered_items(f, rel, zeros)
        t = data["data"][0]["totals"]
        result["totals"] = {m: {"count": t[m]["count"], "covered": t[m]["covered"],
                                "percent": round(pct(t[m]), 2)} for m in METRICS}

    # Accepted gaps: an uncovered item whose file:line:kind a justification names.
    by_key = {"%s:%d:%s" % (j["file"], j["line"], j["kind"]): j for j in just}
    still = []
    for item in result["uncovered"]:
        j = by_key.get(key_of(item))
        if j:
            item = dict(item, justification=j["id"], reason=j["reason"])
            result["accepted"].append(item)
        else:
            still.append(item)
    result["unjustified"] = still
    used = {x["justification"] for x in result["accepted"]}
    result["stale_justifications"] = [j["id"] for j in just if j["id"] not in used]

    lines = []
    mcdc_bad = [w for w in warnings if MCDC_UNSUPPORTED.search(w)]
    def gate(name, ok, reason):
        result["gates"][name] = {"status": "PASS" if ok else "FAIL", "reason": reason}
        lines.append("PASS evidence/%s" % name if ok else "FAIL evidence/%s: %s" % (name, reason))

    gate("coverage-build", err is None and not result["test_failures"],
         err or ("unit tests failed under coverage: " + ", ".join(result["test_failures"])))
    gate("coverage-mcdc-supported", not mcdc_bad,
         "%d unsupported MC/DC expression(s): %s" % (len(mcdc_bad), "; ".join(mcdc_bad[:3])))
    floors = gates.get("file_floor", {})
    kind_metric = {"line": "lines", "branch": "branches", "mcdc": "mcdc"}
    for metric, key in (("statement", "lines"), ("branch", "branches"), ("mcdc", "mcdc")):
        low, waived = [], []
        for path, v in sorted(result["files"].items()):
            got = v[key]["percent"]
            floor = float(floors.get(path, {}).get(key, gates["min_percent"][key]))
            unjust = [i for i in still if i["file"] == path and kind_metric[i["kind"]] == key]
            # Every missed line, branch outcome or condition must be a listed
            # item; a shortfall the items do not account for fails too.
            listed = sum(i["missed"] for i in result["uncovered"]
                         if i["file"] == path and kind_metric[i["kind"]] == key)
            unlisted = v[key]["count"] - v[key]["covered"] - listed
            if unlisted > 0:
                unjust = unjust + [{"file": path, "line": 0, "kind": key,
                                    "what": "%d missed but not listed" % unlisted}]
            if got < floor and (unjust or data is None):
                low.append("%s %.2f%% < %.2f%%" % (path, got, floor))
            elif got < float(gates["min_percent"][key]) and unjust:
                waived.append("%s %.2f%%" % (path, got))
        result.setdefault("waived", {})[key] = waived
        gate("coverage-" + metric, data is not None and not low,
             "; ".join(low) or "no coverage data")
    # Uncovered items must be justified unless their file's metric has a
    # floor below 100% in gates.json (a known gap the lead has to decide on).
    open_items = [i for i in still
                  if kind_metric[i["kind"]] not in floors.get(i["file"], {})]
    result["open_items"] = open_items
    max_unj = int(gates.get("max_unjustified_items", 0))
    gate("coverage-justified", data is not None and len(open_items) <= max_unj,
         "%d uncovered item(s) neither justified nor under a file floor (allowed %d): %s"
         % (len(open_items), max_unj,
            ", ".join("%s:%d %s" % (i["file"], i["line"], i["kind"]) for i in open_items[:5])))

    out = os.path.join(root, a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        json.dump(result, fh, indent=1)
    print("\n".join(lines))
    return 0 if all(g["status"] == "PASS" for g in result["gates"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
