# Sourced by the tool tests: fake hypervisor and guest images, so the tests
# need neither the target toolchain nor QEMU.
# fake_image PATH FILE_SIZE HEADER_IMAGE_SIZE [MAGIC]: an arm64 Image header
# (text_offset 0) followed by zeros.
fake_image() {
    python3 - "$@" <<'PY'
import struct, sys
path, size, mem = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
magic = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x644d5241
hdr = struct.pack('<IIQQQQQQII', 0x14000010, 0, 0, mem, 0, 0, 0, 0, magic, 0)
open(path, 'wb').write((hdr + bytes(max(size - len(hdr), 0)))[:size])
PY
}

FAKE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# fake_tree DIR: DIR/hyp/bulkhead.bin and DIR/guests/<program>.bin for every
# program config/*.dts names, DIR/linux/Image and initramfs.cpio.gz, plus good, notarm, tiny and
# huge test images and a hypervisor with a wrapping header image_size, DIR/hyp/huge-size.bin.
fake_tree() {
    mkdir -p "$1/hyp" "$1/guests"
    fake_image "$1/hyp/bulkhead.bin" 0x3000 0x18000
    # image_size near 2^64: the blob offset wrapped to 0 (LLR-TOOL-067)
    fake_image "$1/hyp/huge-size.bin" 0x100000 0xfffffffffffff001
    local named
    named=$(sed -n 's|.*bulkhead,path = "guests/\([A-Za-z0-9_-]*\)\.bin".*|\1|p' \
        "$FAKE_ROOT"/config/*.dts | sort -u)
    for p in $named good; do
        fake_image "$1/guests/$p.bin" 0x200 0x4000
    done
    fake_image "$1/guests/notarm.bin" 0x200 0x4000 0x12345678
    fake_image "$1/guests/tiny.bin" 10 0
    fake_image "$1/guests/huge.bin" 0x200 0x2000000
    # config/linux.dts: a kernel as large in memory as Debian's, a ramdisk.
    mkdir -p "$1/linux"
    fake_image "$1/linux/Image" 0x200 0x2010000
    printf 'fake initramfs\n' >"$1/linux/initramfs.cpio.gz"
}
