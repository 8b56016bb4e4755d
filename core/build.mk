# core/: the target-independent analysis library, linked by both front ends.
CORE_SRCS := $(wildcard core/*.c)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CORE_LIB := $(BUILD)/libpcscore.a
ALL_TARGETS += $(CORE_LIB)

$(BUILD)/core/%.o: core/%.c $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_CFLAGS) -fPIC -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

# Libraries every program linking $(CORE_LIB) needs (OpenSSL EVP for pagehash, json-c,
# libext2fs + com_err and libarchive for the reference sources of refsrc*.c).
CORE_PKGS := libcrypto json-c ext2fs com_err libarchive
CORE_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS) 2>/dev/null)
CORE_LIBS := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null)
