# Host tools: the bhimage library (blob, device trees, packing) linked with the
# hypervisor's own configuration check (hyp/core/cfg.c, cfg_sched.c, cfg_shm.c, cfg_pt.c, cfg_dma.c, cfg_s2.c), the device-tree front
# end and the `bulkhead` command ($(H)/tools/bulkhead). config/config.mk
# builds every system image through it.
TOOLS_CFLAGS := $(HCFLAGS) -Itools -Ihyp/platform/$(PLATFORM)
TOOLS_LIBS := -lfdt
BHI_SRC := tools/bhimage.c tools/bhimage_dt.c hyp/core/cfg.c hyp/core/cfg_sched.c hyp/core/cfg_shm.c hyp/core/cfg_pt.c hyp/core/cfg_dma.c hyp/core/cfg_s2.c hyp/core/util.c
BHI_OBJ := $(patsubst %.c,$(H)/tools/obj/%.o,$(BHI_SRC))
BULKHEAD_SRC := tools/bhdts.c tools/bhdts_src.c tools/bhxen.c tools/bhplace.c tools/bhsched.c tools/bhlink.c tools/bhpt.c tools/bhbuild.c tools/bhshow.c tools/bhdecode.c tools/bhimport.c tools/bhimport_read.c
BULKHEAD_OBJ := $(patsubst %.c,$(H)/tools/obj/%.o,$(BULKHEAD_SRC))
BULKHEAD := $(H)/tools/bulkhead

$(H)/tools/obj/%.o: %.c $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

# bulkhead run boots QEMU with the project's one command line.
$(H)/tools/obj/tools/bulkhead.o: TOOLS_CFLAGS += -DBH_QEMU_FLAGS='"$(QEMU_FLAGS)"'
$(H)/tools/obj/tools/bulkhead.o: scripts/qemu.flags

$(BULKHEAD): $(H)/tools/obj/tools/bulkhead.o $(BULKHEAD_OBJ) $(BHI_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

tools: $(BULKHEAD)
.PHONY: tools

# Host tool tests: library unit tests (C), the bulkhead command against fake
# hypervisor and guest images, the corpus of broken configurations in
# tests/tools/bad/ and the ImageBuilder import (tests/tools/imagebuilder/);
# one "PASS/FAIL tools/<name>" line each.
TOOLS_TEST_BIN := $(H)/tools/test_bhimage

$(TOOLS_TEST_BIN): tests/tools/test_bhimage.c $(BHI_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

# The tests run the sanitizer build of both (SAN_H, clang-19 with
# AddressSanitizer and UndefinedBehaviorSanitizer, no recovery): a finding
# ends the program with status 99 (tests/tools/san_options.c), which no test
# accepts, and its report is kept in $(SAN_H)/reports, so one behind a test
# that expects a failure still fails "tools/sanitizer_reports". The plain
# build ($(BULKHEAD)) stays what config/config.mk and the seeds use.
SAN_H := build/host-asan
SAN_CC := clang-19
SAN_CFLAGS := $(TOOLS_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer
SAN_BHI_OBJ := $(patsubst %.c,$(SAN_H)/tools/obj/%.o,$(BHI_SRC) tests/tools/san_options.c)
SAN_BULKHEAD := $(SAN_H)/tools/bulkhead
SAN_TEST_BIN := $(SAN_H)/tools/test_bhimage
SAN_REPORTS := $(SAN_H)/reports

$(SAN_H)/tools/obj/%.o: %.c $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(SAN_H)/tools/obj/tools/bulkhead.o: SAN_CFLAGS += -DBH_QEMU_FLAGS='"$(QEMU_FLAGS)"'
$(SAN_H)/tools/obj/tools/bulkhead.o: scripts/qemu.flags

$(SAN_BULKHEAD): $(patsubst %.c,$(SAN_H)/tools/obj/%.o,tools/bulkhead.c $(BULKHEAD_SRC)) $(SAN_BHI_OBJ)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

$(SAN_TEST_BIN): $(SAN_H)/tools/obj/tests/tools/test_bhimage.o $(SAN_BHI_OBJ)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

tools-test: $(SAN_TEST_BIN) $(SAN_BULKHEAD) $(TOOLS_TEST_BIN) $(BULKHEAD)
	@rm -rf $(SAN_REPORTS); mkdir -p $(SAN_REPORTS); \
	export ASAN_OPTIONS=log_path=$(CURDIR)/$(SAN_REPORTS)/asan \
	  UBSAN_OPTIONS=log_path=$(CURDIR)/$(SAN_REPORTS)/ubsan; \
	rc=0; $(SAN_TEST_BIN) || rc=1; \
	tests/tools/test_bulkhead.sh $(SAN_BULKHEAD) $(SAN_H)/tools/bulkhead-test || rc=1; \
	tests/tools/test_bad.sh $(SAN_BULKHEAD) $(SAN_H)/tools/bad-test || rc=1; \
	tests/tools/test_imagebuilder.sh $(SAN_BULKHEAD) $(SAN_H)/tools/imagebuilder-test || rc=1; \
	tests/tools/test_xen_diff.sh || rc=1; \
	if [ -z "$$(ls -A $(SAN_REPORTS))" ]; then echo "PASS tools/sanitizer_reports"; \
	else echo "FAIL tools/sanitizer_reports: $$(ls $(SAN_REPORTS))"; cat $(SAN_REPORTS)/*; rc=1; fi; \
	exit $$rc
.PHONY: tools-test

# libFuzzer targets (clang-19, libclang-rt-19-dev), each on arbitrary bytes:
#   cfg    the boot check (cfg_validate) on a blob
#   dts    the device-tree front end and blob build on a flattened tree
#   src    the source side: dtc's annotated text read for source locations,
#          a tree parsed with them, errors printed with file:line
#   image  the arm64 Image header and packing: the input as hypervisor
#          (bhi_pack, then found and boot-checked) and as a kernel (placed)
#   ib     the ImageBuilder import (bulkhead import-imagebuilder) on a
#          configuration file's text
# `make fuzz` runs each for its count in FUZZ_RUNS (libFuzzer -runs, so the
# total is certain: 1.1 x 10^7 executions in all, 23 minutes measured on a
# shared 2-core machine, figures in docs/configuration.md) and
# ends with "fuzz: N executions in all, M crashes"; `make fuzz-smoke` (in
# `make test`) runs each for FUZZ_SMOKE_SECONDS. One line per target:
# "PASS fuzz/<target> (N runs) in S s" or "FAIL fuzz/<target> ...".
FUZZ_CC := clang-19
FUZZ_IGNORE := tests/tools/fuzz/coverage-ignore.txt
FUZZ_DEPS := $(FUZZ_IGNORE) $(wildcard tools/*.h hyp/core/*.h hyp/include/bulkhead/*.h) $(MAKEFILE_LIST)
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fsanitize-coverage-ignorelist=$(FUZZ_IGNORE) \
  -Ihyp/include -Ihyp/core -Itools -Ihyp/platform/$(PLATFORM) -D_DEFAULT_SOURCE
FUZZ_TARGETS := cfg dts src image ib
FUZZ_BINS := $(patsubst %,$(H)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_RUNS ?= cfg=1000000 dts=6000000 src=2000000 image=1000000 ib=1000000
FUZZ_SMOKE_SECONDS ?= 5

$(H)/fuzz/fuzz_cfg: tests/tools/fuzz/fuzz_cfg.c hyp/core/cfg.c hyp/core/cfg_sched.c hyp/core/cfg_shm.c hyp/core/cfg_pt.c hyp/core/cfg_dma.c hyp/core/cfg_s2.c hyp/core/util.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(H)/fuzz/fuzz_dts: tests/tools/fuzz/fuzz_dts.c $(BULKHEAD_SRC) $(BHI_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(TOOLS_LIBS)

$(H)/fuzz/fuzz_src: tests/tools/fuzz/fuzz_src.c $(BULKHEAD_SRC) $(BHI_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(TOOLS_LIBS)

$(H)/fuzz/fuzz_ib: tests/tools/fuzz/fuzz_ib.c tools/bhimport.c tools/bhimport_read.c $(BHI_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(TOOLS_LIBS)

$(H)/fuzz/fuzz_image: tests/tools/fuzz/fuzz_image.c $(BHI_SRC) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(TOOLS_LIBS)

fuzz-bins: $(FUZZ_BINS)
fuzz-corpus: $(BULKHEAD)
	@tests/tools/fuzz/seeds.sh $(BULKHEAD) $(H)/fuzz
fuzz: fuzz-bins fuzz-corpus
	@tests/tools/fuzz/run.sh $(H)/fuzz 0 $(FUZZ_RUNS)
fuzz-smoke: fuzz-bins fuzz-corpus
	@tests/tools/fuzz/run.sh $(H)/fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)
.PHONY: fuzz fuzz-smoke fuzz-bins fuzz-corpus

# The host programs (tools, tool tests, unit tests) built by gcc as well,
# warning-free like the target, so both compilers keep accepting them:
# one line "PASS build/host-gcc" or "FAIL build/host-gcc".
HOST_GCC_BINS = $(patsubst $(H)/%,build/host-gcc/%,$(BULKHEAD) $(TOOLS_TEST_BIN) $(UNIT_BINS))
host-gcc:
	@mkdir -p build/host-gcc
	@if $(MAKE) --no-print-directory HOSTCC=gcc H=build/host-gcc $(HOST_GCC_BINS) \
	    >build/host-gcc/build.log 2>&1; then echo "PASS build/host-gcc"; \
	else cat build/host-gcc/build.log; echo "FAIL build/host-gcc"; exit 1; fi
.PHONY: host-gcc
