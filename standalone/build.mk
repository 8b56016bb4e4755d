# standalone/: the `pcsleuth` tool (libkdumpfile + BTF/DWARF + libelf + OpenSSL + json-c).
SA_SRCS := $(wildcard standalone/*.c)
SA_OBJS := $(SA_SRCS:%.c=$(BUILD)/%.o)
SA_BIN := $(BUILD)/pcsleuth
SA_PKGS := libkdumpfile libaddrxlat libbpf libdw libelf libcrypto json-c
SA_CFLAGS := $(shell pkg-config --cflags $(SA_PKGS) 2>/dev/null)
SA_LIBS := $(shell pkg-config --libs $(SA_PKGS) 2>/dev/null || echo -lkdumpfile -laddrxlat -lbpf -ldw -lelf -lcrypto -ljson-c)
ALL_TARGETS += $(SA_BIN)

$(BUILD)/standalone/%.o: standalone/%.c $(wildcard standalone/*.h) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SA_CFLAGS) -c -o $@ $<

$(SA_BIN): $(SA_OBJS) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(SA_OBJS) $(CORE_LIB) $(SA_LIBS) -lm

# tests/standalone/fs-synth: core/fs.c on synthetic structures (run by tests/standalone/t-core-fs)
SA_TEST_BIN := $(BUILD)/tests/standalone/fs-synth
ALL_TARGETS += $(SA_TEST_BIN)

$(SA_TEST_BIN): tests/standalone/fs-synth.c $(CORE_LIB) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CORE_LIB) $(SA_LIBS) -lm

# tests/standalone/printk-synth: core/printk.c on a synthetic ring buffer (tests/standalone/t-core-printk)
SA_TEST_BIN2 := $(BUILD)/tests/standalone/printk-synth
ALL_TARGETS += $(SA_TEST_BIN2)

$(SA_TEST_BIN2): tests/standalone/printk-synth.c $(CORE_LIB) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CORE_LIB) $(SA_LIBS) -lm
