# Unit tests of core/ pure functions on synthetic inputs: tests/unit/test_*.c,
# each linked against libpcscore into $(BUILD)/tests/unit/test_*; run by
# tests/unit/t-core (the runner's wrapper).
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
UNIT_LIBS := $(shell $(PKG_CONFIG) --libs libcrypto json-c ext2fs com_err libarchive 2>/dev/null)

.PHONY: unit-build
unit-build: $(UNIT_BINS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(CORE_LIB) $(ALL_LDFLAGS) $(UNIT_LIBS)
