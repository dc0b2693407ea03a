# Host tools: the bhimage library (blob, device trees, packing), linked with
# the hypervisor's own configuration check (hyp/core/cfg.c, cfg_sched.c), and the
# command-line driver. config/config.mk links one generator per system.
TOOLS_CFLAGS := $(HCFLAGS) -Itools -Ihyp/platform/$(PLATFORM)
TOOLS_LIBS := -lfdt
BHI_SRC := tools/bhimage.c hyp/core/cfg.c hyp/core/cfg_sched.c hyp/core/util.c
BHI_OBJ := $(patsubst %.c,$(H)/tools/obj/%.o,$(BHI_SRC))
SYSGEN_OBJ := $(H)/tools/obj/tools/sysgen_main.o

$(H)/tools/obj/%.o: %.c $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

# config/config.mk adds the per-system generators as prerequisites.
tools: $(BHI_OBJ) $(SYSGEN_OBJ)
.PHONY: tools

# Host tool tests: library unit tests (C) and generator tests (shell), with
# fake hypervisor and guest images; one "PASS/FAIL tools/<name>" line each.
TOOLS_TEST_BIN := $(H)/tools/test_bhimage
TOOLS_TEST_GEN := $(H)/config/demo-gen

$(TOOLS_TEST_BIN): tests/tools/test_bhimage.c $(BHI_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

tools-test: $(TOOLS_TEST_BIN) $(TOOLS_TEST_GEN)
	@rc=0; $(TOOLS_TEST_BIN) || rc=1; \
	tests/tools/test_sysgen.sh $(TOOLS_TEST_GEN) $(H)/tools/sysgen-test || rc=1; \
	exit $$rc
.PHONY: tools-test
