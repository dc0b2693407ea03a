#!/usr/bin/env bash
# Fetch Debian 12's Xen hypervisor for arm64 (package
# xen-hypervisor-4.17-arm64) into build/xen/, for `make xen-diff`. Nothing
# fetched is committed and nothing is installed: apt-get download, then
# dpkg -x into a temporary directory. Idempotent: when OUTDIR/xen and
# OUTDIR/VERSION exist it does nothing. Adds the arm64 architecture to dpkg
# when it is missing, as scripts/fetch-linux.sh does; works as root or
# through sudo.
#
#   scripts/fetch-xen.sh [OUTDIR]      (default build/xen)
#
# Exit status: 0 fetched (or already there); 2 the package cannot be
# fetched (no such package known, or the download failed: no network, no
# mirror), the one case make xen-diff skips; 1 anything else (the package
# is not what was expected).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/xen}
PKG=xen-hypervisor-4.17-arm64
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ -s "$OUT/xen" ] && [ -s "$OUT/VERSION" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

cannot() {
    echo "fetch-xen: cannot fetch $PKG:arm64: $1" >&2
    exit 2
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "fetch-xen: adding the arm64 architecture to dpkg"
    $SUDO dpkg --add-architecture arm64 || cannot "dpkg --add-architecture arm64 failed"
    $SUDO apt-get update -qq || cannot "apt-get update failed"
fi
known() {
    apt-cache show "$PKG:arm64" >/dev/null 2>&1
}
if ! known; then
    echo "fetch-xen: $PKG:arm64 not known; running apt-get update"
    $SUDO apt-get update -qq || true
    known || cannot "the archive does not offer it"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
echo "fetch-xen: downloading $PKG:arm64"
# apt-get download writes to the current directory; as root it drops to the
# _apt user, which must be able to write there.
(cd "$work" && apt-get download -q "$PKG:arm64") || cannot "apt-get download failed"
deb=$(ls "$work"/"$PKG"_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || cannot "apt-get download wrote no .deb"
dpkg -x "$deb" "$work/root"
img=$(ls "$work"/root/boot/xen-4.17-arm64 2>/dev/null || true)
if [ -z "$img" ] || [ ! -f "$img" ]; then
    echo "fetch-xen: error: $PKG holds no boot/xen-4.17-arm64" >&2
    exit 1
fi
# Xen's arm64 image carries the Linux Image header: "ARM\x64" at offset 56,
# which is what lets QEMU's -kernel load it.
if [ "$(dd if="$img" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" != "41524d64" ]; then
    echo "fetch-xen: error: $img is not an arm64 Image" >&2
    exit 1
fi
cp "$img" "$OUT/xen"
cp "$work/root/boot/xen-4.17-arm64.config" "$OUT/config" 2>/dev/null || true
ver=$(dpkg-deb -f "$deb" Version)
printf '%s %s\n' "$PKG" "$ver" >"$OUT/VERSION" # last: its presence means complete
echo "fetch-xen: $OUT/xen ($PKG $ver)"
