# crash-ext/: pcmd5.so, the crash utility extension (included by the top-level Makefile).
#
# $(BUILD)/pcmd5.so        for the host's crash, when crash's defs.h is installed (for
#                          the target's crash in a cross build: `make arm64`)
# $(BUILD)/arm64/pcmd5.so  for Debian's crash:arm64 run under qemu-aarch64-static
#                          (tests/lab/crash-arm64), when aarch64-linux-gnu-gcc exists
#
# crash is not built with ASan, so the extension and the core objects linked into
# it are compiled without sanitizers even under SAN=1 (own object trees below).

CRASH_DEFS_DIR ?= /usr/include/crash
EXT_SRCS := $(wildcard crash-ext/*.c)
EXT_HDRS := $(wildcard crash-ext/*.h) $(wildcard core/*.h)
# Core sources the extension links (a static archive per arch, so only the
# objects it uses end up in the .so).
EXT_CORE_SRCS = $(CORE_SRCS)
EXT_CFLAGS = -std=gnu11 -g -O2 $(WARN) -D_GNU_SOURCE -fno-strict-aliasing -fPIC \
	-fvisibility=hidden -Icore -Icrash-ext $(filter-out -fsanitize%,$(CFLAGS))
# defs.h is crash's header, not ours: no warnings from it.
EXT_DEFS = -isystem $(CRASH_DEFS_DIR)

# The machine $(CC) builds for (aarch64 in the cross build of `make arm64`).
EXT_HOST_MACHINE := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine 2>/dev/null)) $(shell uname -m))
EXT_HOST_DEF := $(if $(filter x86_64,$(EXT_HOST_MACHINE)),-DX86_64,$(if $(filter aarch64,$(EXT_HOST_MACHINE)),-DARM64,))
# libcrypto (pagehash), libext2fs + com_err and libarchive (refsrc: reference sources),
# json-c (pcverify -j: the same JSON document as pcsleuth verify --json).
EXT_LIB_FLAGS := -lcrypto -lext2fs -lcom_err -larchive -ljson-c
EXT_HOST_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto ext2fs com_err libarchive json-c 2>/dev/null || echo $(EXT_LIB_FLAGS))

# arm64 cross build: the arm64 libraries and headers come from the cached sysroot
# (tests/lab/crash-arm64-sysroot adds libssl-dev, libext2fs-dev, comerr-dev,
# libarchive-dev and libjson-c-dev:arm64 there, with their run-time closure).
EXT_ARM64_CC ?= aarch64-linux-gnu-gcc
EXT_ARM64_SYSROOT ?= $(PCSLEUTH_CACHE)/crash-arm64/bookworm/sysroot
EXT_ARM64_LIBS = -L$(EXT_ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu \
	-Wl,-rpath-link,$(EXT_ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu \
	-Wl,-rpath-link,$(EXT_ARM64_SYSROOT)/lib/aarch64-linux-gnu $(EXT_LIB_FLAGS)
EXT_ARM64_INC = -idirafter $(EXT_ARM64_SYSROOT)/usr/include \
	-idirafter $(EXT_ARM64_SYSROOT)/usr/include/aarch64-linux-gnu

.PHONY: crash-ext crash-ext-arm64
ifneq ($(wildcard $(CRASH_DEFS_DIR)/defs.h),)
ifneq ($(EXT_HOST_DEF),)
ALL_TARGETS += $(BUILD)/pcmd5.so
crash-ext: $(BUILD)/pcmd5.so

$(BUILD)/crash-ext/host/crash-ext/%.o: crash-ext/%.c $(EXT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(EXT_CFLAGS) $(EXT_DEFS) $(EXT_HOST_DEF) -c -o $@ $<

$(BUILD)/crash-ext/host/core/%.o: core/%.c $(EXT_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(EXT_CFLAGS) -c -o $@ $<

$(BUILD)/crash-ext/host/libcore.a: $(EXT_CORE_SRCS:%.c=$(BUILD)/crash-ext/host/%.o)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/pcmd5.so: $(EXT_SRCS:%.c=$(BUILD)/crash-ext/host/%.o) $(BUILD)/crash-ext/host/libcore.a
	$(CC) -shared -rdynamic -o $@ $(filter %.o,$^) $(BUILD)/crash-ext/host/libcore.a $(EXT_HOST_LIBS)
endif

ifneq ($(shell command -v $(EXT_ARM64_CC) 2>/dev/null),)
ALL_TARGETS += $(BUILD)/arm64/pcmd5.so
crash-ext-arm64: $(BUILD)/arm64/pcmd5.so

# The sysroot (crash:arm64 + the arm64 libraries pcmd5.so links) is set up once
# and cached. The script runs on every make (a quick check once complete): a
# checkout with another package list may have replaced the shared sysroot since.
.PHONY: crash-arm64-sysroot
crash-arm64-sysroot:
	tests/lab/crash-arm64-sysroot >/dev/null

$(BUILD)/crash-ext/arm64/crash-ext/%.o: crash-ext/%.c $(EXT_HDRS) | crash-arm64-sysroot
	@mkdir -p $(dir $@)
	$(EXT_ARM64_CC) $(EXT_CFLAGS) $(EXT_DEFS) $(EXT_ARM64_INC) -DARM64 -c -o $@ $<

$(BUILD)/crash-ext/arm64/core/%.o: core/%.c $(EXT_HDRS) | crash-arm64-sysroot
	@mkdir -p $(dir $@)
	$(EXT_ARM64_CC) $(EXT_CFLAGS) $(EXT_ARM64_INC) -c -o $@ $<

$(BUILD)/crash-ext/arm64/libcore.a: $(EXT_CORE_SRCS:%.c=$(BUILD)/crash-ext/arm64/%.o)
	rm -f $@ && aarch64-linux-gnu-ar rcs $@ $^

$(BUILD)/arm64/pcmd5.so: $(EXT_SRCS:%.c=$(BUILD)/crash-ext/arm64/%.o) $(BUILD)/crash-ext/arm64/libcore.a \
		| crash-arm64-sysroot
	@mkdir -p $(dir $@)
	$(EXT_ARM64_CC) -shared -rdynamic -o $@ $(filter %.o,$^) $(BUILD)/crash-ext/arm64/libcore.a $(EXT_ARM64_LIBS)
endif
endif
