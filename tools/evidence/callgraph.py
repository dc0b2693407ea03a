#!/usr/bin/env python3
"""Program model of the hypervisor for the coupling and stack analyses.

C files are compiled again with the flight flags to LLVM IR after
optimisation (clang-19 -S -emit-llvm, the same -O2 pipeline as the object),
which gives per emitted function: direct calls, indirect calls, inline
assembly, variable-size allocas and the global data it reads, writes or
passes by address. Assembly objects are read with llvm-objdump-19 -dr: each
symbol (or a region of one, declared in stack-asm.json) is a node, and its
branches, calls and fall-through to the next symbol are edges; blr/br are
indirect. Library use only: coupling.py and stack.py import it.
"""
import os
import re
import shlex
import subprocess

CLANG = "clang-19"
OBJDUMP = "llvm-objdump-19"

DEFINE_RE = re.compile(r"^define\s+(.*?)@([-\w.$]+)\(")
GLOBAL_RE = re.compile(r"^@([-\w.$]+)\s*=\s*(.*)$")
SYM_RE = re.compile(r"@([-\w.$]+)")
LOCAL_RE = re.compile(r"%([-\w.]+)")
CALL_RE = re.compile(r"\b(?:call|invoke)\b.*?([@%][-\w.$]+)\(")
# Intrinsics that touch memory: argument index -> access kind.
MEM_INTRINSICS = {"llvm.memcpy": {0: "writes", 1: "reads"}, "llvm.memmove": {0: "writes", 1: "reads"},
                  "llvm.memset": {0: "writes"}}


def split_top(s):
    """Split s at commas outside (), [], {} and <>."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return out


def emit_ir(src, cflags, out):
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    if cflags.startswith("@"):  # flags in a file, as make writes them
        cflags = open(cflags[1:]).read()
    flags = [f for f in shlex.split(cflags) if f not in ("-fstack-usage", "-MMD", "-MP")]
    r = subprocess.run([CLANG] + flags + ["-g0", "-S", "-emit-llvm", src, "-o", out],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("%s: IR build failed: %s" % (src, r.stderr.strip()))


def parse_ir(text, src):
    """Functions and globals of one IR module, keyed by symbol name."""
    funcs, globs = {}, {}
    cur = None
    derived = {}
    for line in text.splitlines():
        if cur is None:
            m = GLOBAL_RE.match(line)
            if m and re.search(r"\b(global|constant)\b", m.group(2)) and \
                    not m.group(2).startswith("external"):
                name = m.group(1)
                if not name.startswith(".str") and "private" not in m.group(2).split("global")[0]:
                    globs[name] = {"file": src, "static": "internal" in m.group(2).split()[:3],
                                   "const": " constant " in " %s " % m.group(2)}
                continue
            m = DEFINE_RE.match(line)
            if m:
                cur = {"name": m.group(2), "file": src, "static": "internal" in m.group(1),
                       "calls": [], "indirect": 0, "asm": 0, "dynamic": 0,
                       "reads": set(), "writes": set(), "refs": set()}
                funcs[cur["name"]] = cur
                derived = {}
            continue
        if line.startswith("}"):
            cur = None
            continue
        body = line.split(", !")[0]
        if not body.strip() or body.lstrip().startswith(";"):
            continue

        def gl(op):
            g = set(SYM_RE.findall(op))
            for loc in LOCAL_RE.findall(op):
                g |= derived.get(loc, set())
            return g

        m = re.match(r"\s*%([-\w.]+)\s*=\s*(\w+)\s*(.*)$", body)
        dest, opc, rest = (m.group(1), m.group(2), m.group(3)) if m else \
            (None, body.split()[0], body.strip()[len(body.split()[0]):])
        if opc in ("getelementptr", "phi", "select", "bitcast", "addrspacecast", "ptrtoint",
                   "inttoptr", "add", "sub", "or", "and"):
            g = gl(rest)
            if g and dest:
                derived[dest] = g
            if opc in ("ptrtoint",):
                cur["refs"] |= g
            continue
        if opc == "load":
            ops = split_top(rest.replace("volatile ", "", 1))
            cur["reads"] |= gl(ops[1]) if len(ops) > 1 else set()
            continue
        if opc == "store":
            ops = split_top(rest.replace("volatile ", "", 1))
            cur["writes"] |= gl(ops[1]) if len(ops) > 1 else set()
            cur["refs"] |= gl(ops[0])
            continue
        if opc in ("atomicrmw", "cmpxchg"):
            g = gl(rest)
            cur["reads"] |= g
            cur["writes"] |= g
            continue
        if opc == "alloca":
            ops = split_top(rest)
            if len(ops) > 1 and not ops[1].startswith("align") and "%" in ops[1]:
                cur["dynamic"] += 1
            continue
        if opc in ("call", "tail", "musttail", "notail", "invoke"):
            if re.search(r"\basm\b", rest.split("(")[0]) or " asm sideeffect" in body \
                    or " asm \"" in body:
                cur["asm"] += 1
                continue
            cm = CALL_RE.search(body)
            if not cm:
                continue
            callee = cm.group(1)
            args = split_top(body[cm.end():].rsplit(")", 1)[0])
            if callee.startswith("%"):
                cur["indirect"] += 1
            elif callee[1:].startswith("llvm."):
                base = ".".join(callee[1:].split(".")[:2])
                for i, a in enumerate(args):
                    kind = MEM_INTRINSICS.get(base, {}).get(i)
                    if kind:
                        cur[kind] |= gl(a)
                continue
            else:
                cur["calls"].append(callee[1:])
            for a in args:
                cur["refs"] |= gl(a)
            continue
        # Any other instruction naming a global takes its address.
        cur["refs"] |= set(SYM_RE.findall(rest)) & set(globs)
    return funcs, globs


INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
SYMHDR_RE = re.compile(r"^([0-9a-f]+) <([^>]+)>:")
RELOC_RE = re.compile(r"^\s*[0-9a-f]+:\s+(R_AARCH64_\w+)\s+(\S+)")
TARGET_RE = re.compile(r"<([^>+]+)(?:\+0x([0-9a-f]+))?>")
BRANCHES = ("b", "bl", "cbz", "cbnz", "tbz", "tbnz")
ENDS = ("b", "ret", "eret", "br")


def parse_asm_obj(obj, src, regions):
    """Nodes of an assembly object. regions: {symbol: [(name, start, end)]}
    splits a symbol (the vector table) into separately named nodes."""
    out = subprocess.run([OBJDUMP, "-dr", "--no-show-raw-insn", obj], capture_output=True,
                         text=True, check=True).stdout
    insns = []  # (symbol, offset within symbol, mnemonic, operand text)
    sym, base = None, 0
    for line in out.splitlines():
        m = SYMHDR_RE.match(line)
        if m:
            sym, base = m.group(2), int(m.group(1), 16)
            continue
        m = RELOC_RE.match(line)
        if m and insns:
            insns[-1][4] = m.group(2)
            continue
        m = INSN_RE.match(line)
        if m and sym:
            insns.append([sym, int(m.group(1), 16) - base, m.group(2), m.group(3), None])

    def node(s, off):
        for name, start, end in regions.get(s, []):
            if start <= off < end:
                return name
        return s

    funcs = {}
    prev = None
    for s, off, mn, ops, reloc in insns:
        n = node(s, off)
        f = funcs.setdefault(n, {"name": n, "file": src, "static": False, "calls": [],
                                 "indirect": 0, "asm": 0, "dynamic": 0, "reads": set(),
                                 "writes": set(), "refs": set(), "assembly": True})
        if prev is not None and prev[0] != n and prev[1] not in ENDS:
            funcs[prev[0]]["calls"].append(n)  # falls through into the next node
        base_mn = mn.split(".")[0]
        if mn in ("blr", "br"):
            f["indirect"] += 1
        elif base_mn in BRANCHES:
            target = None
            if reloc and reloc.split("+")[0] and not reloc.startswith(".text"):
                target = reloc.split("+")[0]
            else:
                tm = TARGET_RE.search(ops)
                if tm:
                    target = node(tm.group(1), int(tm.group(2) or "0", 16))
            # A branch to its own node is a loop; a call (bl) to it recurses.
            if target and (target != n or mn == "bl"):
                f["calls"].append(target)
        elif reloc and reloc.split("+")[0] not in ("",):
            f["refs"].add(reloc.split("+")[0])
        if mn not in ("nop", "udf", ".word", "<unknown>"):
            prev = (n, mn)
    return funcs


def build(c_sources, asm_objects, cflags, irdir, regions=None):
    """The whole program: {"functions": {id: f}, "globals": {name: g}}.
    A function's id is its name, or file:name for a static one."""
    funcs, globs = {}, {}
    statics = {}
    for src in c_sources:
        ll = os.path.join(irdir, src + ".ll")
        emit_ir(src, cflags, ll)
        fs, gs = parse_ir(open(ll).read(), src)
        for name, f in fs.items():
            fid = "%s:%s" % (src, name) if f["static"] else name
            f["id"] = fid
            funcs[fid] = f
            statics.setdefault(src, {})[name] = fid
        for name, g in gs.items():
            globs[name] = g
    for obj, src in asm_objects:
        for name, f in parse_asm_obj(obj, src, regions or {}).items():
            f["id"] = name
            funcs[name] = f
            statics.setdefault(src, {})[name] = name
    # Resolve callee names: same-file static first, then global.
    for f in funcs.values():
        f["calls"] = sorted(set(statics.get(f["file"], {}).get(c, c) for c in f["calls"]))
        for k in ("reads", "writes", "refs"):
            f[k] = sorted(g for g in f[k] if not g.startswith(".str"))
    return {"functions": funcs, "globals": globs}
