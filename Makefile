# Bulkhead: one Makefile for the hypervisor, guests, host tools and tests.
#   make            build everything for the default toolchain (clang-19)
#   make CC=gcc     build the target with aarch64-linux-gnu-gcc instead
#   make run        build and boot the demo system in QEMU
#   make test       every test; ends with "N passed, M failed"
#   make bench      benchmarks under QEMU -icount

.DEFAULT_GOAL := all
SHELL := /bin/bash

ifeq ($(origin CC),command line)
  ifneq ($(findstring gcc,$(CC)),)
    TOOLCHAIN ?= gcc
  endif
endif
TOOLCHAIN ?= clang

B := build/$(TOOLCHAIN)
# A test build whose UART is modelled at UART_BAUD (hyp/platform/qemu-virt/
# uart.c), in its own directory so that it never mixes with the flown build:
#   make UART_BAUD=115200 hostile-cases
#   CASES_DIR=$PWD/build/clang-uart115200/hostile/cases \
#     tests/system/run.sh clang-uart115200 hostile-<mode>
UART_BAUD ?=
ifneq ($(UART_BAUD),)
  B := build/$(TOOLCHAIN)-uart$(UART_BAUD)
endif
H := build/host
VERSION := 0.1.0

# ---------------------------------------------------------------- target ---
WARN := -Wall -Wextra -Wconversion -Wshadow -Werror
TCFLAGS_COMMON := -std=c11 $(WARN) -O2 -g -ffreestanding -fno-builtin -nostdlib \
  -mgeneral-regs-only -mstrict-align -fno-common -fno-stack-protector \
  -fno-pic -fno-asynchronous-unwind-tables -fno-unwind-tables \
  -ffunction-sections -fdata-sections -fstack-usage -march=armv8-a+crc -fno-jump-tables \
  -DBH_VERSION='"$(VERSION)"' $(if $(UART_BAUD),-DPLAT_UART_MODEL_BAUD=$(UART_BAUD)u)

ifeq ($(TOOLCHAIN),gcc)
  TCC := aarch64-linux-gnu-gcc
  TLD := aarch64-linux-gnu-ld
  TOBJCOPY := aarch64-linux-gnu-objcopy
  TOBJDUMP := aarch64-linux-gnu-objdump
  TCFLAGS := $(TCFLAGS_COMMON) -fno-pie -mcmodel=small -mno-outline-atomics
else
  TCC := clang-19
  TLD := ld.lld-19
  TOBJCOPY := llvm-objcopy-19
  TOBJDUMP := llvm-objdump-19
  TCFLAGS := $(TCFLAGS_COMMON) --target=aarch64-none-elf -mcmodel=small
endif
TASFLAGS := $(filter-out -std=c11 -fstack-usage,$(TCFLAGS)) -D__ASSEMBLY__

PLATFORM ?= qemu-virt
HYP_INC := -Ihyp/include -Ihyp/core -Ihyp/arch/aarch64 -Ihyp/platform/$(PLATFORM)
HYP_SRC := $(wildcard hyp/core/*.c) $(wildcard hyp/arch/aarch64/*.c) \
  $(wildcard hyp/arch/aarch64/*.S) $(wildcard hyp/platform/$(PLATFORM)/*.c)
HYP_OBJ := $(patsubst %,$(B)/%.o,$(HYP_SRC))

$(B)/hyp/%.c.o: hyp/%.c $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) $(HYP_INC) -MMD -MP -c $< -o $@

$(B)/hyp/%.S.o: hyp/%.S $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(TCC) $(TASFLAGS) $(HYP_INC) -MMD -MP -c $< -o $@

$(B)/hyp/bulkhead.elf: $(HYP_OBJ) $(B)/hyp/link.ld
	$(TLD) -nostdlib -static -T $(B)/hyp/link.ld --gc-sections -Map=$(B)/hyp/bulkhead.map -o $@ $(HYP_OBJ)

$(B)/hyp/link.ld: hyp/arch/aarch64/link.ld.in hyp/platform/$(PLATFORM)/platform.h
	@mkdir -p $(dir $@)
	cpp -P -D__ASSEMBLY__ -Ihyp/platform/$(PLATFORM) -x c $< -o $@

# The hypervisor has no indirect branch (BR, BLR) for a partition to train
# the branch predictor against (Spectre variant 2): no function pointers,
# no jump tables (-fno-jump-tables). An image with one is not built.
# Implements: LLR-ARCH-096
$(B)/hyp/bulkhead.bin: $(B)/hyp/bulkhead.elf
	@if $(TOBJDUMP) -d $< | grep -E '\s(br|blr|braa|brab|blraa|blrab)\s'; then \
	  echo "error: $<: indirect branches in the hypervisor (above)"; exit 1; fi
	$(TOBJCOPY) -O binary $< $@

hyp: $(B)/hyp/bulkhead.bin
.PHONY: hyp

# ------------------------------------------------------------------ host ---
HOSTCC ?= clang-19
HCFLAGS := -std=c11 $(WARN) -g -O1 -Ihyp/include -Ihyp/core -D_DEFAULT_SOURCE

# The QEMU command line, defined once in scripts/qemu.flags (the scripts read
# it through scripts/qemu.sh; `bulkhead run` has it compiled in).
QEMU_FLAGS := $(shell sed -n 's/^machine: *//p' scripts/qemu.flags) $(shell sed -n 's/^every: *//p' scripts/qemu.flags)

include tools/tools.mk
include guests/guests.mk
include config/config.mk
include tests/unit/unit.mk
include tests/system/system.mk
include evidence.mk
include verify.mk

all: hyp tools guests images
	@command -v bulkhead >/dev/null 2>&1 || echo "To type 'bulkhead' as the README does: export PATH=\"$(CURDIR)/$(H)/tools:\$$PATH\""
.PHONY: all

# ------------------------------------------------------------- top level ---
deps:
	@scripts/setup.sh
.PHONY: deps

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-qemu.sh $(B)/images/demo.img

# The second demo: unmodified Debian Linux (two vCPUs) with a busybox shell
# beside a bare-metal heartbeat partition. Ctrl-B three times moves the
# console input between the partitions; Ctrl-A X quits QEMU.
run-linux: deps
	@$(MAKE) --no-print-directory all
	@echo "Linux and a bare-metal partition side by side. Console input starts with linux;"
	@echo "press Ctrl-B three times to move it to the next partition. Ctrl-A X quits QEMU."
	@scripts/run-qemu.sh $(B)/images/linux-input.img

# Xen-aware Linux (config/linux-xen.dts) beside a bare-metal peer: events
# both ways over a static channel, through /dev/xen/evtchn. Ends by itself.
run-linux-xen: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-qemu.sh $(B)/images/linux-xen.img

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@TOOLCHAIN=$(TOOLCHAIN) scripts/test-all.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@TOOLCHAIN=$(TOOLCHAIN) scripts/bench.sh

# The same dom0less systems on Debian's Xen 4.17 and on Bulkhead, their
# guests' output compared line by line (docs/xen-compatibility.md). Skips,
# with success, only when the Xen package cannot be fetched.
XEN_DIFF_PROGS := xd_probe xd_ping xd_pong
xen-diff: deps
	@$(MAKE) --no-print-directory $(B)/hyp/bulkhead.bin $(BULKHEAD) \
	  $(patsubst %,$(B)/guests/%.bin,$(XEN_DIFF_PROGS))
	@tests/system/xen-diff.sh $(TOOLCHAIN)

clean:
	rm -rf build
.PHONY: run run-linux run-linux-xen test bench xen-diff clean

-include $(shell find build -name '*.d' 2>/dev/null)
