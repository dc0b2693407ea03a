# Host tools: the bhimage library (blob, device trees, packing) linked with the
# hypervisor's own configuration check (hyp/core/cfg.c, cfg_sched.c, cfg_shm.c, cfg_pt.c, cfg_s2.c), the device-tree front
# end and the `bulkhead` command ($(H)/tools/bulkhead). config/config.mk
# builds every system image through it.
TOOLS_CFLAGS := $(HCFLAGS) -Itools -Ihyp/platform/$(PLATFORM)
TOOLS_LIBS := -lfdt
BHI_SRC := tools/bhimage.c tools/bhimage_dt.c hyp/core/cfg.c hyp/core/cfg_sched.c hyp/core/cfg_shm.c hyp/core/cfg_pt.c hyp/core/cfg_s2.c hyp/core/util.c
BHI_OBJ := $(patsubst %.c,$(H)/tools/obj/%.o,$(BHI_SRC))
BULKHEAD_SRC := tools/bhdts.c tools/bhdts_src.c tools/bhsched.c tools/bhlink.c tools/bhpt.c tools/bhbuild.c tools/bhshow.c tools/bhdecode.c
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
# hypervisor and guest images, and the corpus of broken configurations in
# tests/tools/bad/; one "PASS/FAIL tools/<name>" line each.
TOOLS_TEST_BIN := $(H)/tools/test_bhimage

$(TOOLS_TEST_BIN): tests/tools/test_bhimage.c $(BHI_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

tools-test: $(TOOLS_TEST_BIN) $(BULKHEAD)
	@rc=0; $(TOOLS_TEST_BIN) || rc=1; \
	tests/tools/test_bulkhead.sh $(BULKHEAD) $(H)/tools/bulkhead-test || rc=1; \
	tests/tools/test_bad.sh $(BULKHEAD) $(H)/tools/bad-test || rc=1; \
	exit $$rc
.PHONY: tools-test

# libFuzzer targets (clang-19, libclang-rt-19-dev): the boot check on any
# blob, and the device-tree front end plus blob build on any flattened tree.
# `make fuzz` runs each for FUZZ_SECONDS; `make fuzz-smoke` for a few
# seconds, printing "PASS fuzz/<target>" or "FAIL fuzz/<target>".
FUZZ_CC := clang-19
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Ihyp/include -Ihyp/core -Itools -Ihyp/platform/$(PLATFORM) -D_DEFAULT_SOURCE
FUZZ_TARGETS := cfg dts
FUZZ_BINS := $(patsubst %,$(H)/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 5

$(H)/fuzz/fuzz_cfg: tests/tools/fuzz/fuzz_cfg.c hyp/core/cfg.c hyp/core/cfg_sched.c hyp/core/cfg_shm.c hyp/core/cfg_pt.c hyp/core/cfg_s2.c hyp/core/util.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

$(H)/fuzz/fuzz_dts: tests/tools/fuzz/fuzz_dts.c $(BULKHEAD_SRC) $(BHI_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

fuzz-bins: $(FUZZ_BINS)
fuzz-corpus: $(BULKHEAD)
	@tests/tools/fuzz/seeds.sh $(BULKHEAD) $(H)/fuzz
fuzz: fuzz-bins fuzz-corpus
	@tests/tools/fuzz/run.sh $(H)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
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
