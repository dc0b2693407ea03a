#!/usr/bin/env python3
"""Check the lifecycle plans (docs/plans/) against the repository.

1. The PSAC's compliance table lists every objective of DO-178C Annex A at
   Level A (tables A-1 to A-10, 71 objectives) exactly once, each with a
   status "met", "partly met" or "not yet met"; a row not met gives a reason,
   and a row not "not yet met" names an artefact and a command. The
   "Counts:" line under the table gives the true counts.
2. Every command a plan names in a code span exists: `make X` needs a rule
   for X in the Makefile or an included .mk file, `bulkhead X` a subcommand
   of tools/bulkhead.c, `issues X` a subcommand of the issues tool. A gate
   named anywhere (trace-..., coverage-..., misra-..., coupling-...,
   stack-..., s2o-...) must appear quoted in tools/evidence/<tool>.py.
3. Every repository path a plan names in a code span exists (a glob must
   match; <name> stands for any text), a bare file name (`trace.py`) must
   name a file somewhere in the tree, and every relative link resolves.
   Paths under build/ are outputs and are not checked; ../shared/tools/
   fresh-debian lives outside the repository.
4. A figure the plans quote from the tree is still true: "N deviations, M
   of them interim" against tools/evidence/misra-deviations.json.

Prints "PASS evidence-test/plans-<check>" or "FAIL evidence-test/plans-<check>:
reason"; exits 1 if any check fails.

  plans-check.py [--root DIR] [--plans DIR]
"""
import argparse
import fnmatch
import glob
import json
import os
import re
import sys

# Objectives per Annex A table at Level A (DO-178C).
ANNEX_A = {1: 7, 2: 7, 3: 7, 4: 13, 5: 9, 6: 5, 7: 9, 8: 6, 9: 5, 10: 3}
STATUSES = ("met", "partly met", "not yet met")
PLANS = ("README.md", "psac.md", "sdp.md", "svp.md", "scmp.md", "sqap.md")
ISSUES_SUBCOMMANDS = {"list", "show", "all", "stops", "resolved", "blocked", "ci",
                      "note", "said", "unsay"}
EXTERNAL = {"../shared/tools/fresh-debian", "git", "issues", "python3", "sudo", "apt-get"}
GATE_TOOLS = ("trace", "coverage", "misra", "coupling", "stack", "s2o")
SPAN_RE = re.compile(r"`([^`]+)`")
LINK_RE = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ROW_RE = re.compile(r"^\|\s*A-(\d+)\.(\d+)\s*\|")
COUNTS_RE = re.compile(r"Counts: (\d+) objectives; (\d+) met, (\d+) partly met, (\d+) not yet met")
FILE_RE = re.compile(r"^[\w*][\w*.-]*\.(md|mk|py|sh|json|dts|in|c|h|S|txt|pml)$")
GATE_RE = re.compile(r"\b((?:%s)-[a-z0-9]+(?:-[a-z0-9]+)*)\b(?![/\w-]|\.\w)" % "|".join(
    GATE_TOOLS))
DEVIATIONS_RE = re.compile(r"(\d+) deviations, (\d+) of them `?interim")
RULE_RE = re.compile(r"^([A-Za-z0-9_./$()%-][^:=#]*?)\s*::?(?!=)")


def make_targets(root):
    """Names with a rule in the Makefile or any .mk file of the tree."""
    names = set()
    files = [os.path.join(root, "Makefile")]
    files += glob.glob(os.path.join(root, "**", "*.mk"), recursive=True)
    for path in files:
        if os.sep + "build" + os.sep in path[len(root):]:
            continue
        try:
            text = open(path, encoding="utf-8").read()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(("\t", "#", " ")):
                continue
            m = RULE_RE.match(line)
            if m:
                names.update(m.group(1).split())
    return names


def bulkhead_subcommands(root):
    try:
        text = open(os.path.join(root, "tools", "bulkhead.c"), encoding="utf-8").read()
    except OSError:
        return set()
    return set(re.findall(r'^\s*\{"([a-z-]+)",', text, flags=re.M))


def gate_exists(root, gate):
    tool, _, rest = gate.partition("-")
    if tool not in GATE_TOOLS or not rest:
        return False
    try:
        text = open(os.path.join(root, "tools", "evidence", tool + ".py"), encoding="utf-8").read()
    except OSError:
        return False
    return ('"%s"' % rest) in text or ('"%s"' % gate) in text


def path_exists(root, path):
    pat = re.sub(r"<[^>]*>", "*", path.rstrip("/"))
    full = os.path.join(root, pat)
    if any(c in pat for c in "*?["):
        return bool(glob.glob(full))
    return os.path.exists(full)


class Checker:
    def __init__(self, root, plans):
        self.root, self.plans = root, plans
        # Links resolve from the plans' place in the tree, also for a copy.
        self.home = os.path.join(root, "docs", "plans")
        self.targets = make_targets(root)
        self.bulkhead = bulkhead_subcommands(root)
        self.top = set(os.listdir(root))
        self.basenames = set()
        for d, dirs, files in os.walk(root):
            dirs[:] = [x for x in dirs if x not in ("build", ".git")]
            self.basenames.update(files)
        self.results = []

    def result(self, name, problems):
        if problems:
            shown = "; ".join(problems[:6]) + ("; ..." if len(problems) > 6 else "")
            print("FAIL evidence-test/plans-%s: %d problem(s): %s" % (name, len(problems), shown))
        else:
            print("PASS evidence-test/plans-%s" % name)
        self.results.append(not problems)

    def is_repo_path(self, word):
        return word.split("/", 1)[0] in self.top

    def check_span(self, span, where):
        """Problems of one code span, or [] when it names nothing checkable."""
        words = span.split()
        if not words:
            return []
        w0 = words[0]
        if w0 == "make":
            goals = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
            return ["%s: no make target '%s'" % (where, g) for g in goals if g not in self.targets]
        if w0 == "bulkhead":
            if len(words) > 1 and words[1] not in self.bulkhead:
                return ["%s: no bulkhead subcommand '%s'" % (where, words[1])]
            return []
        if w0 == "issues":
            if len(words) > 1 and words[1] not in ISSUES_SUBCOMMANDS:
                return ["%s: no issues subcommand '%s'" % (where, words[1])]
            return []
        if w0 in EXTERNAL:
            return []
        if w0.startswith("build/"):
            return []
        if self.is_repo_path(w0):
            if not path_exists(self.root, w0):
                return ["%s: no such path '%s'" % (where, w0)]
        elif FILE_RE.match(w0) and not any(fnmatch.fnmatch(b, w0) for b in self.basenames):
            return ["%s: no file named '%s' in the tree" % (where, w0)]
        return []

    def check_files(self):
        missing = [p for p in PLANS if not os.path.isfile(os.path.join(self.plans, p))]
        self.result("files", ["missing %s" % p for p in missing])

    def check_names(self):
        problems = []
        for name in PLANS:
            path = os.path.join(self.plans, name)
            if not os.path.isfile(path):
                continue
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                where = "%s:%d" % (name, n)
                for span in SPAN_RE.findall(line):
                    problems += self.check_span(span, where)
                for link in LINK_RE.findall(line):
                    if "://" in link:
                        continue
                    if not os.path.exists(os.path.join(self.home, link)):
                        problems.append("%s: broken link '%s'" % (where, link))
                for gate in GATE_RE.findall(line):
                    if not gate_exists(self.root, gate):
                        problems.append("%s: no evidence gate '%s'" % (where, gate))
        self.result("names", problems)

    def check_table(self):
        path = os.path.join(self.plans, "psac.md")
        if not os.path.isfile(path):
            self.result("annex-a", ["no psac.md"])
            return
        problems, seen, counts = [], {}, {s: 0 for s in STATUSES}
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            m = ROW_RE.match(line)
            if not m:
                continue
            obj = "A-%s.%s" % m.groups()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if obj in seen:
                problems.append("%s listed twice (lines %d, %d)" % (obj, seen[obj], n))
            seen[obj] = n
            t, k = int(m.group(1)), int(m.group(2))
            if t not in ANNEX_A or not 1 <= k <= ANNEX_A[t]:
                problems.append("%s (line %d) is not an Annex A objective" % (obj, n))
            if len(cells) != 6:
                problems.append("%s: %d cells, expected 6" % (obj, len(cells)))
                continue
            _, name, artefact, command, status, reason = cells
            if status not in STATUSES:
                problems.append("%s: status '%s'" % (obj, status))
                continue
            counts[status] += 1
            if not name:
                problems.append("%s: no objective name" % obj)
            if status != "met" and not reason:
                problems.append("%s: %s without a reason" % (obj, status))
            if status != "not yet met" and (not SPAN_RE.search(artefact) or
                                            not SPAN_RE.search(command)):
                problems.append("%s: %s without an artefact and a command" % (obj, status))
        for t, k in ANNEX_A.items():
            for i in range(1, k + 1):
                if "A-%d.%d" % (t, i) not in seen:
                    problems.append("A-%d.%d missing" % (t, i))
        stated = COUNTS_RE.search(open(path, encoding="utf-8").read())
        want = (len(seen), counts["met"], counts["partly met"], counts["not yet met"])
        if not stated or tuple(int(x) for x in stated.groups()) != want:
            problems.append("the Counts line does not say: %d objectives; %d met, %d partly met, "
                            "%d not yet met" % want)
        self.result("annex-a", problems)
        print("  plans: %d objectives: %d met, %d partly met, %d not yet met" % (
            len(seen), counts["met"], counts["partly met"], counts["not yet met"]))


def check_figures(c):
    """Figures the plans quote from the tree must still be true."""
    problems = []
    try:
        devs = json.load(open(os.path.join(c.root, "tools", "evidence",
                                           "misra-deviations.json")))["deviations"]
    except (OSError, ValueError, KeyError) as err:
        c.result("figures", ["misra-deviations.json: %s" % err])
        return
    want = (len(devs), sum(1 for d in devs if d.get("kind") == "interim"))
    for name in PLANS:
        path = os.path.join(c.plans, name)
        if not os.path.isfile(path):
            continue
        text = re.sub(r"\s+", " ", open(path, encoding="utf-8").read())
        for m in DEVIATIONS_RE.finditer(text):
            got = (int(m.group(1)), int(m.group(2)))
            if got != want:
                problems.append("%s says %d deviations, %d interim; "
                                "tools/evidence/misra-deviations.json has %d, %d" % ((name,) + got + want))
    c.result("figures", problems)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")))
    ap.add_argument("--plans")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    c = Checker(root, os.path.abspath(a.plans or os.path.join(root, "docs", "plans")))
    c.check_files()
    c.check_table()
    c.check_names()
    check_figures(c)
    return 0 if all(c.results) else 1


if __name__ == "__main__":
    sys.exit(main())
