# Certification evidence (issue 4). Included from the root Makefile.
#   make evidence        build/evidence/index.html and summary.json
#   make evidence-gate   trace and coverage gates: "PASS evidence/<gate>" or
#                        "FAIL evidence/<gate>: reason" lines; fails if any fails
#   make evidence-test   tool-confidence tests of the trace tool
# Thresholds: tools/evidence/gates.json; accepted coverage gaps:
# tools/evidence/coverage-justifications.json.
EVD := build/evidence
EVPY := python3 tools/evidence

evidence: $(B)/hyp/bulkhead.elf
	@mkdir -p $(EVD)
	@$(EVPY)/trace.py --json $(EVD)/trace.json --html $(EVD)/trace.html || true
	@$(EVPY)/coverage.py --out $(EVD)/coverage.json || true
	@$(EVPY)/size.py --elf $(B)/hyp/bulkhead.elf --json $(EVD)/size.json --html $(EVD)/size.html
	@$(EVPY)/index.py --dir $(EVD)
	@echo "evidence: $(EVD)/index.html"

evidence-gate:
	@mkdir -p $(EVD)
	@rc=0; \
	$(EVPY)/trace.py --json $(EVD)/trace.json --html $(EVD)/trace.html || rc=1; \
	$(EVPY)/coverage.py --out $(EVD)/coverage.json || rc=1; \
	exit $$rc

evidence-test:
	@tests/evidence/run.sh

.PHONY: evidence evidence-gate evidence-test
