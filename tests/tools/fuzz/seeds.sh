#!/usr/bin/env bash
# Seed corpora for the fuzz targets: the blob of every config/*.dts (built
# with fake images: cfg), the compiled tree of every config/*.dts and every
# bad case dtc accepts (dts), the path, `dtc -O dts -T` text and tree of
# each of those sources (src: see fuzz_src.c), and arm64 Images with chosen
# headers plus the build's hypervisor and guest programs (image), and the
# ImageBuilder configurations of tests/tools/imagebuilder/ (ib).
#   tests/tools/fuzz/seeds.sh BULKHEAD OUTDIR
set -uo pipefail
BH=${1:?} OUT=${2:?}
HERE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/fake_inputs.sh"
mkdir -p "$OUT/corpus-cfg" "$OUT/corpus-dts" "$OUT/corpus-src" "$OUT/corpus-image" "$OUT/corpus-ib" "$OUT/tree"
fake_tree "$OUT/tree" # every run: config/ may name new programs
for f in "$ROOT"/config/*.dts; do
    n=$(basename "$f" .dts)
    "$BH" build "$f" -I "$OUT/tree" -o "$OUT/tree/$n.img" --blob "$OUT/tree/$n.blob" >/dev/null 2>&1 &&
        { printf '\x00'; cat "$OUT/tree/$n.blob"; } >"$OUT/corpus-cfg/seed-$n" &&
        { printf '\x01'; cat "$OUT/tree/$n.blob"; } >"$OUT/corpus-cfg/seed-fixed-$n"
done
for f in "$ROOT"/config/*.dts "$HERE"/good/*.dts "$HERE"/bad/*.dts; do
    n=$(basename "$f" .dts)
    dtc -q -I dts -O dtb -o "$OUT/corpus-dts/seed-$n" "$f" 2>/dev/null || continue
    { printf '%s\n' "$f"; dtc -q -I dts -O dts -T "$f"; printf '\0'; cat "$OUT/corpus-dts/seed-$n"; } \
        >"$OUT/corpus-src/seed-$n" 2>/dev/null
done
# image: file size, header image_size, text_offset (fake_image writes 0; set here)
i=0
for spec in "0x40 0x40" "0x200 0x4000" "0x3000 0x18000" "0x3000 0x3000" "0x1000 0xfffffffffffff001" \
    "0x1000 0x10000000" "0x1000 0xff0000" "0x200 0"; do
    fake_image "$OUT/corpus-image/seed-fake-$i" $spec
    i=$((i + 1))
done
python3 - "$OUT/corpus-image/seed-text-offset" <<'PY'
import struct, sys
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, 0x80000, 0x100000, 0xa, 0, 0, 0, 0x644d5241, 0)
open(sys.argv[1], 'wb').write(hdr + bytes(0x200 - len(hdr)))
PY
for f in "$ROOT"/build/clang/hyp/bulkhead.bin "$ROOT"/build/clang/guests/*.bin; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 1048576 ] &&
        cp "$f" "$OUT/corpus-image/seed-build-$(basename "$f" .bin)"
done
for f in "$HERE"/imagebuilder/*.cfg "$HERE"/imagebuilder/bad/*.cfg; do
    cp "$f" "$OUT/corpus-ib/seed-$(basename "$f" .cfg)"
done
exit 0
