#!/usr/bin/env bash
# Verifies: LLR-TOOL-020, LLR-TOOL-023, LLR-TOOL-034, LLR-TOOL-035, LLR-TOOL-036, LLR-TOOL-037, LLR-TOOL-038
# Verifies: LLR-TOOL-060, LLR-TOOL-061, LLR-TOOL-062, LLR-TOOL-065, LLR-CFG-024 (the evtchn-*, shm-* and peers-* cases)
# Verifies: LLR-PT-001, LLR-PT-002, LLR-PT-003, LLR-PT-022, LLR-PT-024, LLR-PT-025 (the pt-* cases)
# Verifies: LLR-CFG-025 (ram-pa-s2-pool, s2-pool-overfull)
# Verifies: LLR-TOOL-067 (the hypervisor-image-size-huge case)
# Verifies: LLR-TOOL-070, LLR-TOOL-073 (host-*, num-cpus-host), LLR-TOOL-072 (xen-static-mem, *-unknown-prop)
# Verifies: LLR-TOOL-074 (place-no-room), LLR-TOOL-077 (ram-pa-overlap, shm-overlaps-ram, shm-regions-overlap), LLR-TOOL-078 (dom0-module)
# Verifies: LLR-TOOL-080 (module-reg-*, kernel-reg)
# (each broken configuration gets its message in the form file:line: node: property: message)
# The corpus of broken configurations: each tests/tools/bad/<case>.dts says
# in its header what `bulkhead check` must report ("// expect: <text>", every
# one must appear in the output, in any order) and, with "// exit: N", its
# exit status (default 1). Prints "PASS tools/bad/<case>" or "FAIL ..." each.
#   tests/tools/test_bad.sh BULKHEAD WORKDIR
set -uo pipefail

BH=${1:?usage: $0 BULKHEAD WORKDIR}
WORK=${2:?usage: $0 BULKHEAD WORKDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/fake_inputs.sh"
rm -rf "$WORK"
mkdir -p "$WORK"
fake_tree "$WORK/tree"
failed=0

for src in "$HERE"/bad/*.dts; do
    name=$(basename "$src" .dts)
    log=$WORK/$name.log
    want=$(sed -n 's|^// exit: *||p' "$src" | head -n1)
    "$BH" check "$src" -I "$WORK/tree" >"$log" 2>&1
    rc=$?
    why=""
    [ "$rc" -eq "${want:-1}" ] || why="exit status $rc, expected ${want:-1}"
    while IFS= read -r text; do
        [ -n "$why" ] && break
        grep -qF -- "$text" "$log" || why="missing: $text"
    done < <(sed -n 's|^// expect: *||p' "$src")
    grep -q '^// expect: ' "$src" || why="no expectation in the case"
    grep -qiE 'sanitizer|segmentation|core dumped' "$log" && why="crashed"
    if [ -z "$why" ]; then
        echo "PASS tools/bad/$name"
    else
        echo "FAIL tools/bad/$name: $why"
        sed 's/^/    /' "$log"
        failed=1
    fi
done
exit $failed
