# libFuzzer harnesses (tests/fuzz/fuzz_*.c): clang, -fsanitize=fuzzer plus ASan and UBSan,
# linked against core/ compiled again with clang into $(BUILD)/fuzz/obj. Needs clang and
# libclang-rt-14-dev (scripts/install-deps); without them fuzz-build says so and builds
# nothing (tests/fuzz/t-fuzz then skips).
#
#   make fuzz-build          build the harnesses into $(BUILD)/fuzz/
#   make fuzz [FUZZ_TIME=s]  build (SAN=1) and run each harness FUZZ_TIME seconds (default 60)
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) -D_GNU_SOURCE -fno-strict-aliasing $(FUZZ_SAN) \
	-Icore -Itests/unit -Itests/fuzz $(CORE_CFLAGS)

.PHONY: fuzz fuzz-build
.SECONDARY: $(FUZZ_CORE_OBJS)
fuzz-build:
	@if echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d && n; }' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then \
		$(MAKE) --no-print-directory $(FUZZ_BINS); \
	else \
		echo "fuzz-build: $(FUZZ_CC) with libFuzzer is not available (scripts/install-deps" \
		     "installs clang and libclang-rt-14-dev): harnesses not built" >&2; \
	fi

fuzz: deps
	@$(MAKE) --no-print-directory SAN=1 fuzz-build
	@PCSLEUTH_BUILD=$(CURDIR)/build/san tests/fuzz/fuzzrun --time $(FUZZ_TIME)

$(BUILD)/fuzz/obj/core/%.o: core/%.c $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# the guard harness also runs libkdumpfile on what the validator accepts
$(BUILD)/fuzz/fuzz_kdump_open: FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs libkdumpfile 2>/dev/null || echo -lkdumpfile)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(wildcard tests/unit/*.h) $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE_OBJS) $(CORE_LIBS) $(FUZZ_LIBS) -lm

# the BTF harness also loads what the search accepts with libbpf
$(BUILD)/fuzz/fuzz_btf: FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)
