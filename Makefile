# pcsleuth top-level Makefile (non-recursive: each part adds rules in its build.mk).
#
#   make            build everything that can be built on this host
#   make check      install deps, build with ASan/UBSan, run every test (unit + lab)
#   make demo       install deps, build, make (or reuse) the arm64 seed-case vmcore, analyse it
#   make bench      benchmarks (pcsleuth vs drgn vs crash vs md5sum)
#   make fuzz       libFuzzer harnesses, FUZZ_TIME seconds each (default 60; tests/fuzz/build.mk)
#   make format     clang-format the tree;  make lint   cppcheck + format check
#   make arm64      arm64 pcsleuth + pcmd5.so in build/arm64 (Debian cross root; scripts/build-arm64)
#   make install    PREFIX=/usr/local DESTDIR= (see packaging/install.mk); make uninstall
#
# Downloads, extracted kernels and vmcores go to $(PCSLEUTH_CACHE).

PCSLEUTH_CACHE ?= $(HOME)/.cache/pcsleuth
export PCSLEUTH_CACHE

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/san
else
BUILD ?= build/rel
endif

CC ?= gcc
# A cross build sets CC, AR and PKG_CONFIG (see `make arm64`, scripts/build-arm64).
PKG_CONFIG ?= pkg-config
WARN := -Wall -Wextra -Werror
VERSION := $(shell cat VERSION)
BASE_CFLAGS := -std=gnu11 -g -O2 $(WARN) -D_GNU_SOURCE -fno-strict-aliasing
ifeq ($(SAN),1)
BASE_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
BASE_LDFLAGS += -fsanitize=address,undefined
endif
CFLAGS ?=
LDFLAGS ?=
ALL_CFLAGS = $(BASE_CFLAGS) -Icore $(CFLAGS)
ALL_LDFLAGS = $(BASE_LDFLAGS) $(LDFLAGS)

ALL_TARGETS :=
CLEAN_FILES :=

.PHONY: all check demo bench format lint clean deps unit lab arm64
all:

include core/build.mk
-include standalone/build.mk
-include crash-ext/build.mk
-include tests/unit/build.mk
-include tests/fuzz/build.mk
include packaging/install.mk

all: $(ALL_TARGETS)

deps:
	@scripts/install-deps

# The test build: sanitizers on, separate build tree.
check: deps
	@$(MAKE) --no-print-directory SAN=1 all unit-build fuzz-build
	@PCSLEUTH_BUILD=$(CURDIR)/build/san tests/run

# arm64 binaries, cross-compiled in a cached Debian root (scripts/arm64-root); needs root.
arm64:
	@scripts/install-deps arm64
	@nice -n 10 scripts/build-arm64

demo: deps
	@$(MAKE) --no-print-directory all
	@PCSLEUTH_BUILD=$(CURDIR)/build/rel scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/tests/bench/floor
	@PCSLEUTH_BUILD=$(CURDIR)/build/rel scripts/bench

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)

lint:
	clang-format --dry-run --Werror $(FORMAT_FILES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --std=c11 -Icore core standalone crash-ext

clean:
	rm -rf build

# The floor program of `make bench` (tests/bench/floor.c): libkdumpfile directly.
BENCH_FLOOR := $(BUILD)/tests/bench/floor
$(BENCH_FLOOR): tests/bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) -lkdumpfile -lpthread
