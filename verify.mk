# Formal models (issue 6). Included from the root Makefile.
#   make verify   model-check verify/*.pml with SPIN; one "PASS verify/<property>"
#                 or "FAIL verify/<property>: reason" line each; fails if any fails
verify:
	@verify/run.sh $(CURDIR)/build/verify

.PHONY: verify
