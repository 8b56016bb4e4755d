// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz the vmcore header validator (core/dumphdr*.c): the input is the whole file. */
#include "dumphdr.h"
#include "fake_dump.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_file f = {(unsigned char *)data, size};
	struct pcs_dumpfile df = fake_dumpfile(&f);
	struct pcs_error err;
	enum pcs_dumpfmt fmt;

	if (pcs_dumphdr_check(&df, &fmt, &err) && !err.msg[0])
		abort(); /* every failure names its field */
	return 0;
}

static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	struct fake_file f;

	if (i == 0)
		f = fake_elf_dump();
	else if (i == 1)
		f = fake_kdump_dump();
	else if (i == 2) { /* flattened: header, one record, end marker */
		f.size = 4096 + 16 + 8 + 16;
		f.data = calloc(1, f.size);
		memcpy(f.data, "makedumpfile", 12);
		f.data[23] = f.data[31] = 1;
		f.data[4096 + 15] = 8;
		memset(f.data + 4096 + 24, 0xff, 16);
	} else
		return 0;
	size_t n = f.size < cap ? f.size : cap;

	memcpy(buf, f.data, n);
	free(f.data);
	return n;
}
