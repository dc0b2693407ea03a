#!/usr/bin/env bash
# Boot a Bulkhead image in QEMU: scripts/run-qemu.sh IMAGE [extra QEMU args]
set -eu
. "$(dirname "$0")/qemu.sh"
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 IMAGE [QEMU args...] (image ${1:-<none>} not found; run make first)" >&2
    exit 2
fi
img=$1
shift
echo "Booting Bulkhead in QEMU; the demo powers off by itself when it ends (Ctrl-A X quits QEMU at any time)."
exec "$QEMU" "${QEMU_FLAGS[@]}" -kernel "$img" "$@"
