/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny open-addressing string → u64 map (names are borrowed, not copied). */
#ifndef SA_STRHASH_H
#define SA_STRHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strhash_ent {
	const char *key;
	uint64_t val;
};

struct strhash {
	struct strhash_ent *ents;
	size_t cap; /* power of two */
	size_t n;
};

int strhash_init(struct strhash *h, size_t expected);
void strhash_free(struct strhash *h);
/* Insert; keeps the first value for a duplicate key. 0 or -1 (ENOMEM). */
int strhash_put(struct strhash *h, const char *key, uint64_t val);
bool strhash_get(const struct strhash *h, const char *key, uint64_t *val);

#endif
