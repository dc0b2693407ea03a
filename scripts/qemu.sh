# Sourced by the project's scripts (bash): QEMU and its flags from
# scripts/qemu.flags, the one definition of the command line.
#   QEMU              the binary ($QEMU, else qemu-system-aarch64)
#   QEMU_EVERY[@]     flags every QEMU run takes (no graphics, no network card)
#   QEMU_MACHINE[@]   Bulkhead's machine
#   QEMU_FLAGS[@]     both: what an image of this project boots with
QEMU=${QEMU:-qemu-system-aarch64}
qemu_flags_file="$(dirname "${BASH_SOURCE[0]}")/qemu.flags"
read -r -a QEMU_EVERY <<<"$(sed -n 's/^every: *//p' "$qemu_flags_file")"
read -r -a QEMU_MACHINE <<<"$(sed -n 's/^machine: *//p' "$qemu_flags_file")"
QEMU_FLAGS=("${QEMU_MACHINE[@]}" "${QEMU_EVERY[@]}")
unset qemu_flags_file
