#!/usr/bin/env python3
"""Longest stretches of hypervisor (EL2) execution in a QEMU run.

Reads the log of a run under -icount with `-d int,exec,nochain,in_asm` and
prints the longest EL2 spans, in instructions (= ns under -icount shift=0):
a span starts where a CPU enters EL2 (an exception from EL1, or the end of
a WFI of the hypervisor's idle loop) and ends at its ERET or at its next
WFI; boot (from reset to the first ERET) is left out. For each span it
names the exception and the hypervisor functions that took most of it.

  qemu-system-aarch64 $(QEMU_FLAGS) -icount shift=0,sleep=off -kernel IMG \\
      -d int,exec,nochain,in_asm -D run.log </dev/null
  tools/el2-spans.py run.log build/clang/hyp/bulkhead.elf [N]

A translated block's instructions are counted once per execution, so a
block left early by an exception counts whole (guest blocks only: EL2
takes no exception but the AT abort of arch_at_s1e1).
"""
import bisect
import re
import subprocess
import sys

TRACE = re.compile(r"^Trace (\d+): (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/")
TAKE = re.compile(r"^Taking exception (\d+) \[([^\]]*)\] on CPU (\d+)")
INSN = re.compile(r"^0x([0-9a-f]+):\s+[0-9a-f]{8}\s+(\S+)")


def symbols(elf):
    out = subprocess.run(["llvm-nm-19", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            addrs.append(int(f[0], 16))
            names.append(f[2])
    return addrs, names


def main():
    log, elf = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    addrs, names = symbols(elf)
    lo, hi = addrs[0], addrs[-1] + 0x1000

    def fn(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return names[i] if i >= 0 else "?"

    tb_size = {}       # host TB pointer -> (instructions, ends in wfi, insn pcs)
    pending = None     # last IN: block awaiting its first execution
    el2 = {}           # cpu -> True while at EL2
    span = {}          # cpu -> [count, kind, {fn: count}]
    booted = set()
    spans = []
    cur_cpu = 0
    last_kind = {}

    def close(cpu):
        s = span.pop(cpu, None)
        if s is not None and s[0] > 0:
            spans.append(s)

    block = None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                block = []
                continue
            if block is not None:
                m = INSN.match(line)
                if m:
                    block.append((int(m.group(1), 16), m.group(2)))
                    continue
                if block:
                    pending = block
                block = None
            m = TRACE.match(line)
            if m:
                cpu, host, pc, flags = int(m.group(1)), m.group(2), int(m.group(3), 16), m.group(4)
                cur_cpu = cpu
                if pending is not None and pending[0][0] == pc:
                    tb_size[host] = pending
                    pending = None
                insns = tb_size.get(host)
                if insns is None or not (lo <= pc < hi):
                    continue
                if cpu not in booted:
                    continue  # boot, from reset to the first ERET
                if not el2.get(cpu):
                    continue  # a guest block at an address the hypervisor also uses
                s = span.get(cpu)
                if s is None:
                    s = span[cpu] = [0, last_kind.get(cpu, "after WFI"), {}, cpu]
                for a, mnem in insns:
                    s[0] += 1
                    name = fn(a)
                    s[2][name] = s[2].get(name, 0) + 1
                    if mnem == "wfi":
                        close(cpu)
                        last_kind[cpu] = "after WFI"
                        s = span[cpu] = [0, "after WFI", {}, cpu]
                continue
            m = TAKE.match(line)
            if m:
                cpu = int(m.group(3))
                cur_cpu = cpu
                if el2.get(cpu) and cpu in span:
                    continue  # taken at EL2 (the AT abort): same span
                close(cpu)
                el2[cpu] = True
                last_kind[cpu] = m.group(2)
                span[cpu] = [0, m.group(2), {}, cpu]
                continue
            if line.startswith("Exception return from AArch64 EL2"):
                if cur_cpu in booted:
                    close(cur_cpu)
                booted.add(cur_cpu)
                el2[cur_cpu] = False
                span.pop(cur_cpu, None)
    spans.sort(key=lambda s: -s[0])
    for count, kind, fns, cpu in spans[:top]:
        parts = sorted(fns.items(), key=lambda kv: -kv[1])[:6]
        print(f"{count:8d}  cpu{cpu}  {kind:24s}  " +
              ", ".join(f"{n} {c}" for n, c in parts))


if __name__ == "__main__":
    main()
