# Partition programs: guests/<prog>/main.c linked with the runtime library in
# guests/lib into $(B)/guests/<prog>.bin (an arm64 Image, loaded at 0x40000000).

# Every guests/<prog>/main.c is a program.
GUEST_PROGS := $(sort $(patsubst guests/%/main.c,%,$(wildcard guests/*/main.c)))
GUEST_BINS := $(patsubst %,$(B)/guests/%.bin,$(GUEST_PROGS))

GUEST_INC := -Iguests/lib
GUEST_LIB_SRC := $(wildcard guests/lib/*.c) $(wildcard guests/lib/*.S)
GUEST_LIB_OBJ := $(patsubst %,$(B)/%.o,$(GUEST_LIB_SRC))

$(B)/guests/%.c.o: guests/%.c $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) $(GUEST_INC) -MMD -MP -c $< -o $@

$(B)/guests/%.S.o: guests/%.S $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	$(TCC) $(TASFLAGS) $(GUEST_INC) -MMD -MP -c $< -o $@

# A program that owns a pass-through device runs 1:1 (guest-physical = physical
# RAM), so it is linked at its partition's physical RAM base instead.
GUEST_LDFLAGS_attack_at := --defsym=GUEST_BASE=0x48000000
GUEST_LDFLAGS_attack_ptirq := --defsym=GUEST_BASE=0x48000000
# The DMA attacker is not 1:1 (its disk is behind the SMMU): its RAM is at
# guest-physical 0x60000000, outside every physical address it aims at.
GUEST_LDFLAGS_attack_dma := --defsym=GUEST_BASE=0x60000000

# A program is every .c of its folder (main.c and, for the hostile suite, a
# file per group of attack modes).
guest_objs = $(patsubst %,$(B)/%.o,$(wildcard guests/$(1)/*.c))

.SECONDEXPANSION:
$(B)/guests/%.elf: $$(call guest_objs,$$*) $(GUEST_LIB_OBJ) guests/lib/guest.ld
	$(TLD) -nostdlib -static -T guests/lib/guest.ld $(GUEST_LDFLAGS_$*) --gc-sections -o $@ $(call guest_objs,$*) $(GUEST_LIB_OBJ)

$(B)/guests/%.bin: $(B)/guests/%.elf
	$(TOBJCOPY) -O binary $< $@

guests: $(GUEST_BINS)
.PHONY: guests
.SECONDARY: $(patsubst %,$(B)/guests/%.elf,$(GUEST_PROGS)) \
  $(foreach p,$(GUEST_PROGS),$(call guest_objs,$(p))) $(GUEST_LIB_OBJ)
