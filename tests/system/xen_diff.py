#!/usr/bin/env python3
"""Compare the console output of the same guests on Xen and on Bulkhead.

Used by tests/system/xen-diff.sh (make xen-diff). For each system SYS it reads
DIR/SYS.xen.log, DIR/SYS.bulkhead.log and DIR/SYS.domains (the domain names in
the order Xen numbers them: d1, d2, ...). Xen prefixes a guest's lines with
"(dN) " (console_io) or "(XEN) DOMN: " (vPL011), Bulkhead with "[name] ";
all become the domain name, and each
domain's lines are compared in order (domains print concurrently, so their
lines interleave differently). Lines starting "xd-fig " are figures, printed
side by side; "xd-info " lines are neither compared nor shown. The two
sequences are aligned (difflib) first, so that a line missing on one side
is one difference, not a shift of every line after it.

A differing pair (or a line missing on one side, shown as "<none>") passes
only when a row of the known-differences table of the compatibility document
matches it: the table under the heading "Known differences (make xen-diff)",
columns id | domain | Xen line | Bulkhead line | why, each line column a
Python regular expression in backquotes matched against the whole line.
"""
import argparse
import difflib
import re
import sys

# A domU's console_io lines, and its vPL011 lines (Xen's own console).
XEN_RE = re.compile(r'^(?:\(d(\d+)\) |\(XEN\) DOM(\d+): )(.*)$')
BH_RE = re.compile(r'^\[([^\]]+)\] (.*)$')
ROW_RE = re.compile(r'^\|\s*(XD-\d+)\s*\|\s*([^|]*?)\s*\|\s*`([^`]*)`\s*\|\s*`([^`]*)`\s*\|')
NONE = '<none>'


def known_differences(path):
    rows = []
    in_section = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('## '):
                in_section = line.strip() == '## Known differences (make xen-diff)'
                continue
            m = ROW_RE.match(line) if in_section else None
            if m:
                rows.append((m.group(1), m.group(2), re.compile(m.group(3)), re.compile(m.group(4))))
    return rows


def read_lines(path, domains, xen):
    per = {d: [] for d in domains}
    with open(path, encoding='utf-8', errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\r\n')
            m = (XEN_RE if xen else BH_RE).match(line)
            if not m:
                continue
            if xen:
                i = int(m.group(1) or m.group(2)) - 1
                if i < 0 or i >= len(domains):
                    continue
                name = domains[i]
            else:
                name = m.group(1)
                if name not in per:
                    continue
            per[name].append(m.group(m.lastindex))
    return per


def split(lines):
    compared, figures = [], {}
    for l in lines:
        if l.startswith('xd-fig '):
            parts = l.split()
            if len(parts) == 3 and parts[2].isdigit():
                figures[parts[1]] = int(parts[2])
        elif not l.startswith('xd-info '):
            compared.append(l)
    return compared, figures


def pairs(xl, bl):
    """The two sequences aligned: ((xen line no, line), (bulkhead no, line))
    pairs, line numbers from 1, '-' and NONE where one side has no line."""
    out = []
    sm = difflib.SequenceMatcher(None, xl, bl, autojunk=False)
    for _, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            out.append(((i + 1, xl[i]) if i < i2 else ('-', NONE),
                        (j + 1, bl[j]) if j < j2 else ('-', NONE)))
    return out


def listed(rows, domain, x, b):
    for rid, dom, xre, bre in rows:
        if dom in ('*', domain) and xre.fullmatch(x) and bre.fullmatch(b):
            return rid
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--doc', required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('systems', nargs='+')
    args = ap.parse_args()
    rows = known_differences(args.doc)
    if not rows:
        print('FAIL xen-diff/doc: no known-differences rows in %s' % args.doc)
        return 1
    total = diffs = unlisted = 0
    figs = []
    for sysname in args.systems:
        base = '%s/%s' % (args.dir, sysname)
        try:
            with open(base + '.domains', encoding='utf-8') as f:
                domains = [l.strip() for l in f if l.strip()]
            xen = read_lines(base + '.xen.log', domains, True)
            bh = read_lines(base + '.bulkhead.log', domains, False)
        except OSError as e:
            print('FAIL xen-diff/%s: %s' % (sysname, e))
            unlisted += 1
            continue
        bad = 0
        for d in domains:
            xl, xf = split(xen[d])
            bl, bf = split(bh[d])
            if not xl or not bl:
                print('xen-diff: %s/%s: no output from %s' % (sysname, d, 'Xen' if not xl else 'Bulkhead'))
                bad += 1
            for (xi, x), (bi, b) in pairs(xl, bl):
                total += 1
                if x == b:
                    continue
                diffs += 1
                rid = listed(rows, d, x, b)
                where = '%s/%s line %s/%s' % (sysname, d, xi, bi)
                if rid:
                    print('xen-diff: %s: %s (known)' % (where, rid))
                else:
                    bad += 1
                    print('xen-diff: %s: UNLISTED difference' % where)
                print('    xen:      %s' % x)
                print('    bulkhead: %s' % b)
            for k in sorted(set(xf) | set(bf)):
                figs.append(('%s/%s %s' % (sysname, d, k), xf.get(k), bf.get(k)))
        unlisted += bad
        print('%s xen-diff/%s' % ('FAIL' if bad else 'PASS', sysname))
    print('xen-diff: figures (ns of virtual time, QEMU -icount shift=0; Xen runs its domUs on one CPU)')
    print('  %-38s %12s %12s %16s' % ('figure', 'Xen 4.17', 'Bulkhead', 'Bulkhead/Xen'))
    for name, x, b in figs:
        ratio = '%.2f' % (b / x) if x and b is not None else '-'
        print('  %-38s %12s %12s %16s' % (name, x if x is not None else '-', b if b is not None else '-', ratio))
    if unlisted:
        print('xen-diff: %d lines compared, %d differences, %d not listed in %s'
              % (total, diffs, unlisted, args.doc))
        return 1
    print('xen-diff: %d lines compared, %d differences, all listed' % (total, diffs))
    return 0


if __name__ == '__main__':
    sys.exit(main())
