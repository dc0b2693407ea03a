#!/usr/bin/env bash
# Fetch an unmodified Debian arm64 Linux kernel and busybox-static into
# build/linux/ (nothing fetched is committed). Idempotent: when
# build/linux/Image and build/linux/busybox exist it does nothing.
# Uses apt-get download with the arm64 architecture (added to dpkg once);
# works as root or through sudo. Prints what it does.
#
#   scripts/fetch-linux.sh [OUTDIR]      (default build/linux)
#
# The kernel is the newest linux-image-6.1.*-arm64 (the plain flavour) the
# archive offers; its version is recorded in OUTDIR/VERSION. The kernel
# modules a virtio block device with ext4 needs (virtio_mmio, virtio_blk,
# ext4 and what they depend on) are copied, as they are, to
# OUTDIR/modules/ in load order (OUTDIR/modules/order); xen-evtchn.ko
# (/dev/xen/evtchn, for a Xen-aware partition) goes there too, outside the
# order list.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/linux}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ -s "$OUT/Image" ] && [ -s "$OUT/busybox" ] && [ -s "$OUT/VERSION" ] &&
    [ -s "$OUT/modules/order" ] && [ -s "$OUT/modules/xen-evtchn.ko" ] &&
    [ -s "$OUT/modules/virtio_pci.ko" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "fetch-linux: adding the arm64 architecture to dpkg"
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -qq
fi

pick_kernel() {
    apt-cache search --names-only '^linux-image-6\.1\.[0-9.]+-[0-9]+-arm64$' 2>/dev/null |
        awk '{print $1}' | sort -V | tail -n1
}
pkg=$(pick_kernel)
if [ -z "$pkg" ]; then
    echo "fetch-linux: no linux-image-6.1.*-arm64 known; running apt-get update"
    $SUDO apt-get update -qq
    pkg=$(pick_kernel)
fi
if [ -z "$pkg" ]; then
    echo "fetch-linux: error: the archive offers no linux-image-6.1.*-arm64" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
echo "fetch-linux: downloading $pkg:arm64 and busybox-static:arm64"
# apt-get download writes to the current directory; as root it drops to the
# _apt user, which must be able to write there.
(cd "$work" && apt-get download -q "$pkg:arm64" busybox-static:arm64)
for deb in "$work"/*.deb; do
    dpkg -x "$deb" "$work/root"
done
kver=${pkg#linux-image-}
img="$work/root/boot/vmlinuz-$kver"
if [ ! -f "$img" ]; then
    echo "fetch-linux: error: $pkg holds no boot/vmlinuz-$kver" >&2
    exit 1
fi
# The arm64 Image header: magic "ARM\x64" at offset 56.
if [ "$(dd if="$img" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" != "41524d64" ]; then
    echo "fetch-linux: error: $img is not an arm64 Image" >&2
    exit 1
fi
cp "$img" "$OUT/Image"
cp "$work/root/bin/busybox" "$OUT/busybox"
cp "$work/root/boot/config-$kver" "$OUT/config" 2>/dev/null || true
# The modules and their dependencies, in load order. The package has no
# modules.dep (depmod makes it at install time), so the order is written
# here and checked against each module's own "depends=" list. crc32c_generic
# is what ext4 asks the crypto API for when it checks metadata checksums.
moddir="$work/root/lib/modules/$kver/kernel"
mods="crypto/crc32c_generic lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 drivers/virtio/virtio_mmio
  drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci
  drivers/block/virtio_blk"
rm -rf "$OUT/modules"
mkdir -p "$OUT/modules"
: >"$work/order"
for m in $mods; do
    ko="$moddir/$m.ko"
    [ -f "$ko" ] || { echo "fetch-linux: error: $pkg holds no $m.ko" >&2; exit 1; }
    deps=$(strings "$ko" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' ')
    for dep in $deps; do
        grep -qx "$dep.ko" "$work/order" ||
            { echo "fetch-linux: error: $m needs $dep, not loaded before it" >&2; exit 1; }
    done
    cp "$ko" "$OUT/modules/"
    basename "$ko" >>"$work/order"
done
xenko="$moddir/drivers/xen/xen-evtchn.ko"
[ -f "$xenko" ] || { echo "fetch-linux: error: $pkg holds no drivers/xen/xen-evtchn.ko" >&2; exit 1; }
cp "$xenko" "$OUT/modules/"
mv "$work/order" "$OUT/modules/order" # last: its presence means complete
bbver=$(dpkg-deb -f "$work"/busybox-static_*.deb Version)
kpkgver=$(dpkg-deb -f "$work"/"$pkg"_*.deb Version)
printf 'kernel %s %s\nbusybox-static %s\n' "$pkg" "$kpkgver" "$bbver" >"$OUT/VERSION"
echo "fetch-linux: $OUT/Image ($pkg $kpkgver), $OUT/busybox (busybox-static $bbver)"
