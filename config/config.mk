# System descriptions: each config/<system>.c is linked with the host library
# into $(H)/config/<system>-gen, which packs $(B)/images/<system>.img.
# The bad-<kind>.img images are the demo system broken on purpose, for the
# system tests of the hypervisor's boot check.
SYSTEMS := demo hcall wild vtimer vgic bench
CORRUPT_KINDS := checksum magic version overlap hyp-overlap cpu image-bounds truncated

SYSGEN_BINS := $(patsubst %,$(H)/config/%-gen,$(SYSTEMS))
SYSTEM_IMAGES := $(patsubst %,$(B)/images/%.img,$(SYSTEMS))
BAD_IMAGES := $(patsubst %,$(B)/images/bad-%.img,$(CORRUPT_KINDS))
IMAGE_INPUTS := $(B)/hyp/bulkhead.bin $(GUEST_BINS)

$(SYSGEN_BINS): $(H)/config/%-gen: $(H)/tools/obj/config/%.o $(BHI_OBJ) $(SYSGEN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TOOLS_CFLAGS) -o $@ $^ $(TOOLS_LIBS)

tools: $(SYSGEN_BINS)

$(SYSTEM_IMAGES): $(B)/images/%.img: $(H)/config/%-gen $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	$< --hyp $(B)/hyp/bulkhead.bin --guests $(B)/guests -o $@

# The generator reports the boot-check errors it provoked; keep them in a log.
$(BAD_IMAGES): $(B)/images/bad-%.img: $(H)/config/demo-gen $(IMAGE_INPUTS)
	@mkdir -p $(dir $@)
	@$< --hyp $(B)/hyp/bulkhead.bin --guests $(B)/guests -o $@ --corrupt $* \
	  >$@.log 2>&1 || { cat $@.log; exit 1; }
	@echo "  BAD  $@ ($$(grep -m1 'error:' $@.log))"

images: $(SYSTEM_IMAGES) $(BAD_IMAGES)
.PHONY: images
