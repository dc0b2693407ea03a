#!/usr/bin/env bash
# Build the initramfs of the Linux partition: a gzipped cpio (newc) archive
# with busybox-static and an /init script. Written by a few lines of Python
# (no cpio program, no root: the device nodes are archive entries), with
# every timestamp zero, so the same inputs give the same bytes.
#
#   scripts/mkinitramfs.sh BUSYBOX OUTPUT [MODDIR [PROGRAM...]]
#
# With MODDIR (scripts/fetch-linux.sh's build/linux/modules), the modules it
# holds go to /lib/modules/ with their load order (MODDIR/order); /init
# loads them, in that order, when the command line holds bulkhead.disk, then
# mounts /dev/vda read-only on /mnt (a virtio block device, passed through:
# docs/passthrough.md) and prints "linux-init: disk mounted". MODDIR may also
# hold xen-evtchn.ko (not in the order list): /init loads it when the kernel
# runs as a Xen guest (/sys/hypervisor/type says xen), which gives
# /dev/xen/evtchn. Each PROGRAM (a static arm64 executable, such as
# guests/linux/xenevt.c built by config/config.mk) goes to /bin.
#
# /init mounts devtmpfs, proc and sysfs, prints the marker line
#   linux-init: up, kernel <release>, uptime <seconds>
# and then, if the kernel command line holds bulkhead.run="CMDS", runs CMDS
# with the shell, prints "linux-init: commands done" and powers off
# (poweroff -f: PSCI SYSTEM_OFF, which stops only this partition); without
# bulkhead.run it gives a shell on the console.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 BUSYBOX OUTPUT [MODDIR [PROGRAM...]]" >&2
    exit 2
fi
BUSYBOX=$1
OUT=$2
MODDIR=${3:-}
shift $(($# < 3 ? $# : 3))
for prog in "$@"; do
    [ -x "$prog" ] || { echo "mkinitramfs: $prog is not an executable" >&2; exit 1; }
done
[ -z "$MODDIR" ] || [ -s "$MODDIR/order" ] ||
    { echo "mkinitramfs: $MODDIR/order missing (run scripts/fetch-linux.sh)" >&2; exit 1; }
[ -f "$BUSYBOX" ] || { echo "mkinitramfs: $BUSYBOX missing (run scripts/fetch-linux.sh)" >&2; exit 1; }

INIT=$(cat <<'INIT_EOF'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
export PATH=/bin HOME=/ TERM=vt100
read up rest </proc/uptime
echo "linux-init: up, kernel $(uname -r), uptime $up"
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ] && [ -f /lib/modules/xen-evtchn.ko ]; then
    insmod /lib/modules/xen-evtchn.ko && echo "linux-init: xen-evtchn loaded"
fi
if grep -qw bulkhead.disk /proc/cmdline; then
    for m in $(cat /lib/modules/order); do
        insmod /lib/modules/$m || echo "linux-init: insmod $m failed"
    done
    mkdir -p /mnt
    n=0
    while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    mount -t ext4 -o ro /dev/vda /mnt && echo "linux-init: disk mounted"
fi
cmds=$(sed -n 's/.*bulkhead\.run="\([^"]*\)".*/\1/p' /proc/cmdline)
if [ -n "$cmds" ]; then
    eval "$cmds"
    echo "linux-init: commands done"
    poweroff -f
fi
echo "linux-init: no bulkhead.run; shell on the console"
exec setsid cttyhack sh
INIT_EOF
)

echo "  INITRAMFS $OUT"
python3 - "$BUSYBOX" "$OUT" "$INIT" "$MODDIR" "$@" <<'PY_EOF'
import gzip, os, sys

busybox, out, init, moddir = sys.argv[1], sys.argv[2], sys.argv[3] + "\n", sys.argv[4]
programs = sys.argv[5:]
entries = []  # (name, mode, data, rdevmajor, rdevminor)
for d in ("bin", "dev", "proc", "sys", "tmp", "root"):
    entries.append((d, 0o040755, b"", 0, 0))
if moddir:
    entries.append(("lib", 0o040755, b"", 0, 0))
    entries.append(("lib/modules", 0o040755, b"", 0, 0))
    order = open(os.path.join(moddir, "order"), "rb").read()
    entries.append(("lib/modules/order", 0o100644, order, 0, 0))
    for m in order.decode().split():
        entries.append(("lib/modules/" + m, 0o100644, open(os.path.join(moddir, m), "rb").read(), 0, 0))
    xen = os.path.join(moddir, "xen-evtchn.ko")
    if os.path.exists(xen):
        entries.append(("lib/modules/xen-evtchn.ko", 0o100644, open(xen, "rb").read(), 0, 0))
entries.append(("dev/console", 0o020600, b"", 5, 1))
entries.append(("bin/busybox", 0o100755, open(busybox, "rb").read(), 0, 0))
entries.append(("bin/sh", 0o120777, b"busybox", 0, 0))
for prog in programs:
    entries.append(("bin/" + os.path.basename(prog), 0o100755, open(prog, "rb").read(), 0, 0))
entries.append(("init", 0o100755, init.encode(), 0, 0))

def pad4(n):
    return (4 - n % 4) % 4

blob = bytearray()
for ino, (name, mode, data, rmaj, rmin) in enumerate(entries + [("TRAILER!!!", 0, b"", 0, 0)], 1):
    nb = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1 if not mode & 0o040000 else 2, 0, len(data), 0, 0, rmaj, rmin,
              len(nb), 0]
    blob += b"070701" + b"".join(b"%08x" % f for f in fields)
    blob += nb + b"\0" * pad4(110 + len(nb))
    blob += data + b"\0" * pad4(len(data))
blob += b"\0" * pad4(len(blob))
with open(out, "wb") as f:
    f.write(gzip.compress(bytes(blob), compresslevel=9, mtime=0))
PY_EOF
