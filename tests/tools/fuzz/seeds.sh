#!/usr/bin/env bash
# Seed corpora for the fuzz targets: the blob of every config/*.dts (built
# with fake images) and the compiled tree of every config/*.dts and every
# bad case dtc accepts.   tests/tools/fuzz/seeds.sh BULKHEAD OUTDIR
set -uo pipefail
BH=${1:?} OUT=${2:?}
HERE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/fake_inputs.sh"
mkdir -p "$OUT/corpus-cfg" "$OUT/corpus-dts" "$OUT/tree"
fake_tree "$OUT/tree" # every run: config/ may name new programs
for f in "$ROOT"/config/*.dts; do
    n=$(basename "$f" .dts)
    "$BH" build "$f" -I "$OUT/tree" -o "$OUT/tree/$n.img" --blob "$OUT/tree/$n.blob" >/dev/null &&
        { printf '\x00'; cat "$OUT/tree/$n.blob"; } >"$OUT/corpus-cfg/seed-$n" &&
        { printf '\x01'; cat "$OUT/tree/$n.blob"; } >"$OUT/corpus-cfg/seed-fixed-$n"
done
for f in "$ROOT"/config/*.dts "$HERE"/good/*.dts "$HERE"/bad/*.dts; do
    dtc -q -I dts -O dtb -o "$OUT/corpus-dts/seed-$(basename "$f" .dts)" "$f" 2>/dev/null
done
exit 0
