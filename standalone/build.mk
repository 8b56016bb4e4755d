# standalone/: the `pcsleuth` tool (libkdumpfile + BTF/DWARF + libelf + OpenSSL + json-c).
SA_SRCS := $(wildcard standalone/*.c)
SA_OBJS := $(SA_SRCS:%.c=$(BUILD)/%.o)
SA_BIN := $(BUILD)/pcsleuth
SA_PKGS := libkdumpfile libaddrxlat libbpf libdw libelf libcrypto json-c ext2fs com_err libarchive
SA_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(SA_PKGS) 2>/dev/null)
SA_LIBS := $(shell $(PKG_CONFIG) --libs $(SA_PKGS) 2>/dev/null || echo -lkdumpfile -laddrxlat -lbpf -ldw -lelf -lcrypto -ljson-c -lext2fs -lcom_err -larchive)
ALL_TARGETS += $(SA_BIN)

$(BUILD)/standalone/%.o: standalone/%.c $(wildcard standalone/*.h) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SA_CFLAGS) -c -o $@ $<

$(SA_BIN): $(SA_OBJS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(SA_OBJS) $(CORE_LIB) $(SA_LIBS) -lm


# --version: the project's version from the top-level VERSION file.
$(BUILD)/standalone/version.o: VERSION
$(BUILD)/standalone/version.o: ALL_CFLAGS += -DPCSLEUTH_VERSION='"$(VERSION)"'
