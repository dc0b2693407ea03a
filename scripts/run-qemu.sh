#!/usr/bin/env bash
# Boot a Bulkhead image in QEMU: scripts/run-qemu.sh IMAGE [extra QEMU args]
set -eu
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 IMAGE [QEMU args...] (image ${1:-<none>} not found; run make first)" >&2
    exit 2
fi
img=$1
shift
echo "Booting Bulkhead in QEMU; the demo powers off by itself when it ends (Ctrl-A X quits QEMU at any time)."
exec qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 -m 1G \
    -nographic -kernel "$img" "$@"
