# System tests: boot each image in QEMU and match its console output against
# tests/system/cases/<case> (see tests/system/run.sh).

system-test: all
	@tests/system/run.sh $(TOOLCHAIN)
.PHONY: system-test
