# Host unit tests of hyp/core (cmocka). Every tests/unit/test_*.c is one test
# program, linked with all of hyp/core and the fake arch layer.
UNIT_CORE_SRC := $(wildcard hyp/core/*.c)
UNIT_TESTS := $(wildcard tests/unit/test_*.c)
# Every other .c here is support (fake arch, fixtures), linked into each test;
# tools/evidence/coverage.py takes the same set.
UNIT_SUPPORT := $(filter-out $(UNIT_TESTS),$(wildcard tests/unit/*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(H)/unit/%,$(UNIT_TESTS))

$(H)/unit/%: tests/unit/%.c $(UNIT_CORE_SRC) $(UNIT_SUPPORT) $(wildcard hyp/core/*.h) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Itests/unit -o $@ $< $(UNIT_CORE_SRC) $(UNIT_SUPPORT) -lcmocka

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc
.PHONY: unit
