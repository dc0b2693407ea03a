#!/usr/bin/env bash
# make xen-diff: the same dom0less systems on real Xen and on Bulkhead, the
# guests' console lines compared line by line.
#
#   tests/system/xen-diff.sh [TOOLCHAIN]      (default clang)
#
# For each tests/system/xen-diff/<system>.chosen: QEMU's own device tree
# (-M ...,dumpdtb=) with that /chosen is written to build/xen-diff/<system>.dts.
# Xen 4.17 (scripts/fetch-xen.sh) boots its compiled .dtb under QEMU, the
# guests placed by -device loader at their module addresses; `bulkhead build`
# reads the same .dts with --module ADDR=FILE. Both run under
# -icount shift=0,sleep=off (virtual time, as make bench). The programs are
# named in the file's "xen-diff-domain: NAME ADDR PROGRAM" lines, in the
# order of the xen,domain nodes (Xen numbers them d1, d2, ...).
# tests/system/xen_diff.py compares the outputs, domain by domain, against
# the known differences of docs/xen-compatibility.md and prints the figures.
# Prints "PASS xen-diff/<system>" or "FAIL xen-diff/<system>" per system;
# skips (exit 0) only when the Xen package cannot be fetched.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
TC=${1:-${TOOLCHAIN:-clang}}
B=build/$TC
BULKHEAD=build/host/tools/bulkhead
OUT=build/xen-diff
XEN_DIR=build/xen
SECS=${XEN_DIFF_TIMEOUT:-60}
. scripts/qemu.sh # QEMU, QEMU_MACHINE, QEMU_EVERY, QEMU_FLAGS
ICOUNT=(-icount shift=0,sleep=off)

scripts/fetch-xen.sh "$XEN_DIR"
rc=$?
if [ "$rc" -eq 2 ]; then
    echo "xen-diff: skipped: Debian's xen-hypervisor-4.17-arm64 cannot be fetched (see above)"
    echo "PASS xen-diff/skipped (no Xen package to compare with)"
    exit 0
elif [ "$rc" -ne 0 ]; then
    echo "FAIL xen-diff/fetch: scripts/fetch-xen.sh exited with status $rc"
    exit 1
fi
for f in "$BULKHEAD" "$B/hyp/bulkhead.bin"; do
    [ -s "$f" ] || { echo "FAIL xen-diff/build: $f missing (make xen-diff builds it)"; exit 1; }
done

mkdir -p "$OUT"
# QEMU's own tree for Bulkhead's machine, as a Xen user would start from.
if ! "$QEMU" "${QEMU_FLAGS[@]}" -M "virt,dumpdtb=$OUT/qemu.dtb" >/dev/null 2>&1 ||
    ! dtc -q -I dtb -O dts -o "$OUT/qemu.dts" "$OUT/qemu.dtb"; then
    echo "FAIL xen-diff/dtb: cannot dump QEMU's device tree"
    exit 1
fi

# Run QEMU ($1: log, rest: arguments) until it exits, or until every one of
# $ndom domains has printed "xd: end" (Xen idles once its domains stop), or
# $SECS seconds. QEMU is started directly (no timeout(1) wrapper) and only
# the QEMU started here is stopped, by its process id.
run_qemu() {
    local log=$1
    shift
    : >"$log" # now, not in the background job: the loop reads it at once
    "$QEMU" "$@" </dev/null >>"$log" 2>&1 &
    local qpid=$! end=$((SECONDS + SECS))
    while kill -0 "$qpid" 2>/dev/null; do
        if [ "$(grep -c 'xd: end' "$log")" -ge "$ndom" ]; then
            sleep 0.2
            break
        fi
        if [ "$SECONDS" -ge "$end" ]; then
            echo "xen-diff: $log: stopped after $SECS s"
            break
        fi
        sleep 0.2
    done
    if kill "$qpid" 2>/dev/null; then
        echo "xen-diff: $(basename "$log"): QEMU stopped (pid $qpid, by $BASHPID)"
    else
        echo "xen-diff: $(basename "$log"): QEMU exited"
    fi
    wait "$qpid" 2>/dev/null
    return 0
}

status=0
systems=()
for chosen in tests/system/xen-diff/*.chosen; do
    sys=$(basename "$chosen" .chosen)
    dts="$OUT/$sys.dts"
    rm -f "$OUT/$sys".* # nothing of an earlier run is compared
    python3 - "$OUT/qemu.dts" "$chosen" "$dts" <<'EOF'
import re, sys
base, chosen, out = sys.argv[1:]
s = open(base).read()
m = re.search(r'^\tchosen \{.*?^\t\};\n', s, re.S | re.M)
if not m:
    sys.exit("no /chosen in QEMU's tree")
open(out, 'w').write(s[:m.start()] + open(chosen).read() + s[m.end():])
EOF
    dtc -q -I dts -O dtb -o "$OUT/$sys.dtb" "$dts" || { echo "FAIL xen-diff/$sys: dtc"; status=1; continue; }
    mods=() loaders=() names=()
    while read -r name addr prog; do
        names+=("$name")
        mods+=(--module "$addr=$B/guests/$prog.bin")
        loaders+=(-device "loader,file=$B/guests/$prog.bin,addr=$addr,force-raw=on")
        [ -s "$B/guests/$prog.bin" ] || { echo "FAIL xen-diff/$sys: $B/guests/$prog.bin missing"; status=1; continue 2; }
    done < <(sed -n 's/^.*xen-diff-domain: *//p' "$chosen")
    ndom=${#names[@]}
    if ! "$BULKHEAD" build "$dts" -I "$B" -o "$OUT/$sys.img" "${mods[@]}" >"$OUT/$sys.build.log" 2>&1; then
        cat "$OUT/$sys.build.log"
        echo "FAIL xen-diff/$sys: bulkhead build refused the tree"
        status=1
        continue
    fi
    run_qemu "$OUT/$sys.xen.log" "${QEMU_FLAGS[@]}" "${ICOUNT[@]}" -kernel "$XEN_DIR/xen" \
        -dtb "$OUT/$sys.dtb" "${loaders[@]}"
    run_qemu "$OUT/$sys.bulkhead.log" "${QEMU_FLAGS[@]}" "${ICOUNT[@]}" -kernel "$OUT/$sys.img"
    printf '%s\n' "${names[@]}" >"$OUT/$sys.domains"
    systems+=("$sys")
done
[ ${#systems[@]} -gt 0 ] || exit 1

python3 tests/system/xen_diff.py --doc docs/xen-compatibility.md --dir "$OUT" "${systems[@]}" || status=1
exit "$status"
