# System descriptions: each config/<system>.dts is built by the toolstack,
# `bulkhead build`, into $(B)/images/<system>.img. Files the sources name
# (hyp/bulkhead.bin, guests/<program>.bin) are found in $(B).
# The bad-<kind>.img images are the demo system broken on purpose (the hidden
# `bulkhead build --corrupt KIND`), for the system tests of the boot check.
# Every config/<system>.dts is a system.
SYSTEMS := $(sort $(patsubst config/%.dts,%,$(wildcard config/*.dts)))
CORRUPT_KINDS := checksum magic version overlap hyp-overlap cpu image-bounds truncated image-size

SYSTEM_IMAGES := $(patsubst %,$(B)/images/%.img,$(SYSTEMS))
BAD_IMAGES := $(patsubst %,$(B)/images/bad-%.img,$(CORRUPT_KINDS))
IMAGE_INPUTS := $(B)/hyp/bulkhead.bin $(GUEST_BINS) $(BULKHEAD)

$(SYSTEM_IMAGES): $(B)/images/%.img: config/%.dts $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	$(BULKHEAD) build $< -I $(B) -I build -o $@

# The linux system boots an unmodified Debian kernel and a busybox
# initramfs, fetched and built into build/linux/ (never committed). A missing
# kernel is fetched; a fetch that fails fails the build.
LINUX_DIR := build/linux
$(LINUX_DIR)/VERSION:
	scripts/fetch-linux.sh $(LINUX_DIR)
$(LINUX_DIR)/Image $(LINUX_DIR)/busybox: $(LINUX_DIR)/VERSION
	@test -s $@ || { echo "$@ missing: remove $(LINUX_DIR) and build again"; exit 1; }
$(LINUX_DIR)/modules/order: $(LINUX_DIR)/VERSION
	@test -s $@ || scripts/fetch-linux.sh $(LINUX_DIR)
$(LINUX_DIR)/modules/xen-evtchn.ko: $(LINUX_DIR)/VERSION
	@test -s $@ || scripts/fetch-linux.sh $(LINUX_DIR)
# virtio_pci (linux-pci): a build/linux from before it is fetched again.
$(LINUX_DIR)/modules/virtio_pci.ko: $(LINUX_DIR)/VERSION
	@test -s $@ || scripts/fetch-linux.sh $(LINUX_DIR)
# xenevt: a Linux user program (guests/linux/xenevt.c) for the Xen-aware
# partition, static against the cross C library.
$(LINUX_DIR)/xenevt: guests/linux/xenevt.c
	aarch64-linux-gnu-gcc -std=c11 -D_DEFAULT_SOURCE $(WARN) -O2 -static -s -o $@ $<
$(LINUX_DIR)/initramfs.cpio.gz: $(LINUX_DIR)/busybox $(LINUX_DIR)/modules/order \
  $(LINUX_DIR)/modules/xen-evtchn.ko $(LINUX_DIR)/modules/virtio_pci.ko $(LINUX_DIR)/xenevt \
  scripts/mkinitramfs.sh
	scripts/mkinitramfs.sh $< $@ $(LINUX_DIR)/modules $(LINUX_DIR)/xenevt
$(B)/images/linux.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz
$(B)/images/linux-xen.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz
$(B)/images/linux-timing.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz
$(B)/images/linux-input.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz
# linux-disk: a virtio block device passed through, read from an ext4 disk
# image made by scripts/mkdisk.sh (QEMU attaches it, see its system test).
$(LINUX_DIR)/disk.img: scripts/mkdisk.sh
	scripts/mkdisk.sh $@
$(B)/images/linux-disk.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz $(LINUX_DIR)/disk.img
# linux-pci: the same disk as a virtio-blk-pci function behind the SMMU.
$(B)/images/linux-pci.img: $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz $(LINUX_DIR)/disk.img

# The boot-check errors each corruption provokes are kept in a log.
$(BAD_IMAGES): $(B)/images/bad-%.img: config/demo.dts $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	@$(BULKHEAD) build $< -I $(B) -o $@ --corrupt $* >$@.log 2>&1 || { cat $@.log; exit 1; }
	@echo "  BAD  $@ ($$(grep -m1 'error:' $@.log))"

# The tool tests run the README's commands against the real build's outputs.
tools-test: $(IMAGE_INPUTS)

# A Xen dom0less tree taken as Xen users write it (QEMU's host nodes,
# ImageBuilder's /chosen, no bulkhead, property): its modules are named by
# reg, so each file is given with --module; RAM and pinning are automatic.
XEN_TREE := tests/tools/xen/qemu-dom0less.dts
$(B)/images/dom0less.img: $(XEN_TREE) $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	$(BULKHEAD) build $< -I $(B) -o $@ --print-placement \
	  --module 0x4a000000=$(B)/guests/test_hcall.bin --module 0x4a200000=$(B)/guests/witness.bin

# An ImageBuilder configuration taken as a Xen user writes it: imported
# (bulkhead import-imagebuilder) into a source whose modules name their
# files, found in $(B) as ImageBuilder finds them in its -d directory.
IB_CONFIG := tests/tools/imagebuilder/two-domus.cfg
$(B)/images/imagebuilder.img: $(IB_CONFIG) $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	$(BULKHEAD) import-imagebuilder $< -o $(B)/images/imagebuilder.dts
	$(BULKHEAD) build $(B)/images/imagebuilder.dts -I $(B) -o $@ --print-placement

images: $(SYSTEM_IMAGES) $(BAD_IMAGES) $(B)/images/dom0less.img $(B)/images/imagebuilder.img \
  $(B)/hostile/cases.stamp
.PHONY: images

# Draw the demo system (text on the terminal, SVG files in $(B)/show).
show: $(B)/images/demo.img
	@mkdir -p $(B)/show
	@$(BULKHEAD) show config/demo.dts -I $(B) --out-dir $(B)/show
.PHONY: show
