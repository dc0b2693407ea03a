# Host unit tests of hyp/core (cmocka). Every tests/unit/test_*.c is one test
# program, linked with all of hyp/core and the fake arch layer.
UNIT_CORE_SRC := $(wildcard hyp/core/*.c)
UNIT_SUPPORT := tests/unit/fake_arch.c tests/unit/blob_fixture.c tests/unit/cfg_fixture.c
UNIT_TESTS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(H)/unit/%,$(UNIT_TESTS))

$(H)/unit/%: tests/unit/%.c $(UNIT_CORE_SRC) $(UNIT_SUPPORT) $(wildcard hyp/core/*.h) tests/unit/fake_arch.h tests/unit/blob_fixture.h \
		tests/unit/cfg_fixture.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HCFLAGS) -Itests/unit -o $@ $< $(UNIT_CORE_SRC) $(UNIT_SUPPORT) -lcmocka

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc
.PHONY: unit
