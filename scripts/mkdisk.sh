#!/usr/bin/env bash
# Make the disk image of the pass-through test (tests/system/cases/linux-disk):
# an 8 MiB ext4 file system holding hello.txt, whose one line the test
# expects Linux to print. Nothing of it is committed.
#
#   scripts/mkdisk.sh OUTPUT
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTPUT" >&2
    exit 2
fi
OUT=$1
MKE2FS=$(command -v mke2fs || echo /sbin/mke2fs)
[ -x "$MKE2FS" ] || { echo "mkdisk: mke2fs missing (scripts/setup.sh installs e2fsprogs)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "bulkhead passthrough disk: virtio-blk at 0x0a003e00, SPI 47" >"$dir/hello.txt"
rm -f "$OUT"
mkdir -p "$(dirname "$OUT")"
echo "  MKDISK $OUT"
"$MKE2FS" -q -F -t ext4 -E root_owner=0:0 -d "$dir" "$OUT" 8M
