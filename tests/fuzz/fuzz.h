/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c). A harness defines
 *	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 *	static size_t fuzz_seed(int i, uint8_t *buf, size_t cap);
 * fuzz_seed() writes well-formed input number i (0, 1, ...) into buf and returns
 * its size, 0 when there are no more. Run a harness with PCS_FUZZ_WRITE_SEEDS=DIR
 * to write them as DIR/seed-N and exit (make fuzz does, to start the corpus).
 *
 * Dump-controlled bytes reach the code under test as the memory of a fake target
 * (tests/unit/fake_target.h): the input is mapped at a fixed address and every
 * pointer inside it is followed the way the real dump's would be.
 */
#ifndef PCS_FUZZ_H
#define PCS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"

#define FUZZ_MAX_INPUT (1u << 20)

static size_t fuzz_seed(int i, uint8_t *buf, size_t cap);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("PCS_FUZZ_WRITE_SEEDS");
	static uint8_t buf[FUZZ_MAX_INPUT];

	(void)argc;
	(void)argv;
	if (!dir)
		return 0;
	for (int i = 0;; i++) {
		size_t n = fuzz_seed(i, buf, sizeof(buf));
		char path[4096];
		FILE *fp;

		if (!n)
			break;
		snprintf(path, sizeof(path), "%s/seed-%d", dir, i);
		fp = fopen(path, "wb");
		if (!fp || fwrite(buf, 1, n, fp) != n)
			abort();
		fclose(fp);
	}
	exit(0);
}

/* Map size bytes of data (at least one zeroed page) at addr. */
static inline void fuzz_map(struct fake_target *ft, enum pcs_addrspace as, uint64_t addr,
			    const uint8_t *data, size_t size)
{
	uint8_t *p = fake_map(ft, as, addr, size < 4096 ? 4096 : size);

	memcpy(p, data, size);
}

/* Copy the region mapped at addr (as built by a seed) into buf; returns its length. */
static inline size_t fuzz_dump_region(struct fake_target *ft, enum pcs_addrspace as, uint64_t addr,
				      uint8_t *buf, size_t cap, size_t prefix)
{
	struct fake_region *r = fake_find(ft, as, addr, 1);
	size_t n = r ? r->len : 0;

	if (n + prefix > cap)
		n = cap - prefix;
	if (r)
		memcpy(buf + prefix, r->data, n);
	return n + prefix;
}

#endif /* PCS_FUZZ_H */
