# System tests: boot each image in QEMU and match its console output against
# tests/system/cases/<case> (see tests/system/run.sh).

system-test: all
	@tests/system/run.sh $(TOOLCHAIN)
.PHONY: system-test

# make hostile: every attack partition's case (tests/system/cases/attack-*)
# and the longer attacks of tests/system/hostile/ (the IDLE escape attack
# at 200 rounds instead of 50), the images of the latter built from their
# make-test systems with more rounds.
HOSTILE_IDLE_IMG := $(B)/images/attack-idle-200.img
$(HOSTILE_IDLE_IMG): config/attack-idle.dts $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	sed 's/rounds=50/rounds=200/' $< >$(B)/attack-idle-200.dts
	$(BULKHEAD) build $(B)/attack-idle-200.dts -I $(B) -I build -o $@

# The hostile-partition suite (tests/system/hostile-modes): one system and
# one case per attack mode, generated from config/hostile.dts.in; make test
# runs each over 100 probe frames, make hostile over 1,000.
HOSTILE_INPUTS := config/hostile.dts.in tests/system/hostile-modes tests/system/hostile-gen.sh \
  $(IMAGE_INPUTS)
$(B)/hostile/cases.stamp: $(HOSTILE_INPUTS)
	tests/system/hostile-gen.sh $(notdir $(B)) $(BULKHEAD)
	@touch $@
$(B)/hostile/cases-long.stamp: $(HOSTILE_INPUTS)
	tests/system/hostile-gen.sh $(notdir $(B)) $(BULKHEAD) long
	@touch $@
hostile-cases: $(B)/hostile/cases.stamp
.PHONY: hostile-cases

hostile: deps
	@$(MAKE) --no-print-directory all $(HOSTILE_IDLE_IMG) $(B)/hostile/cases-long.stamp
	@rc=0; tests/system/run.sh $(TOOLCHAIN) $(notdir $(wildcard tests/system/cases/attack-*)) || rc=1; \
	CASES_DIR=$(CURDIR)/tests/system/hostile tests/system/run.sh $(TOOLCHAIN) \
	  $(notdir $(wildcard tests/system/hostile/*)) || rc=1; \
	CASES_DIR=$(CURDIR)/$(B)/hostile/cases-long tests/system/run.sh $(TOOLCHAIN) \
	  $$(ls $(B)/hostile/cases-long) || rc=1; \
	tests/system/hostile-report.sh $(TOOLCHAIN); exit $$rc
.PHONY: hostile
