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
	struct pcs_dump_layout lay;
	enum pcs_errcode rc = pcs_dumphdr_check(&df, &lay, &err);

	if (rc && !err.msg[0])
		abort();			       /* every failure names its field */
	for (size_t i = 0; !rc && i < lay.nloads; i++) /* a valid layout lies inside the file */
		if (lay.loads[i].offset + lay.loads[i].filesz > size ||
		    lay.loads[i].filesz > lay.loads[i].memsz)
			abort();
	for (size_t i = 0; !rc && i < lay.nnotes; i++)
		if (lay.notes[i].offset + lay.notes[i].filesz > size)
			abort();
	pcs_dump_layout_free(&lay);
	return 0;
}

static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	return fake_dump_seed(i, 3, buf, cap);
}
