#!/usr/bin/env bash
# Model checks of the event-channel protocols with SPIN (Debian package spin).
#   verify/run.sh [OUTDIR]      default OUTDIR: build/verify
# Prints one "PASS verify/<property>" or "FAIL verify/<property>: reason" line
# per property and exits 1 if any fails. Each model is checked exhaustively
# (pan -DSAFETY: assertions and invalid end states, -DCOLLAPSE to keep memory
# under 1 GB); then a seeded defect must make the same check fail, showing
# that the properties can fail at all.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/verify}
rc=0

fail() {
    echo "FAIL verify/$1: $2"
    rc=1
}

if ! command -v spin >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
    fail evtchn_fifo "spin or gcc not installed (apt-get install spin gcc)"
    exit 1
fi

# pan_run DIR DEFINES: generate, build and run the verifier of evtchn_fifo.pml
# in DIR; leaves its report in DIR/pan.out.
pan_run() {
    local dir=$1
    shift
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$ROOT/verify/evtchn_fifo.pml" "$dir/"
    (
        cd "$dir" &&
            spin "$@" -a evtchn_fifo.pml >spin.out 2>&1 &&
            gcc -O2 -w -DSAFETY -DCOLLAPSE -o pan pan.c >gcc.out 2>&1 &&
            ./pan -m100000 >pan.out 2>&1
    )
}

# The protocol as implemented.
d="$OUT/evtchn_fifo"
pan_run "$d"
if [ ! -s "$d/pan.out" ]; then
    fail evtchn_fifo "verifier did not run (see $d)"
else
    errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.out" | head -1)
    states=$(sed -n 's/^ *\([0-9]*\) states, stored.*/\1/p' "$d/pan.out" | head -1)
    depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$d/pan.out" | head -1)
    secs=$(sed -n 's/^pan: elapsed time \([0-9.e+]*\).*/\1/p' "$d/pan.out" | head -1)
    stats="${states:-?} states, depth ${depth:-?}, ${secs:-?} s"
    if grep -q "search depth too small\|out of memory" "$d/pan.out"; then
        fail evtchn_fifo "search incomplete ($stats)"
    elif [ "${errors:-x}" != "0" ]; then
        fail evtchn_fifo "errors: ${errors:-?} ($stats; trail in $d)"
    else
        for prop in no-lost-event no-double-link bounded-drain no-deadlock; do
            echo "PASS verify/evtchn_fifo-$prop ($stats)"
        done
    fi
fi

# A seeded defect (the old queue keeps a moved tail) must be found.
d="$OUT/evtchn_fifo_seeded"
pan_run "$d" -DSEED_BUG
if grep -q "assertion violated" "$d/pan.out" 2>/dev/null; then
    echo "PASS verify/evtchn_fifo-seeded-defect-found"
else
    fail evtchn_fifo-seeded-defect-found "the model did not detect the seeded defect"
fi

exit $rc
