// SPDX-License-Identifier: GPL-2.0-or-later
#include "strhash.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

int strhash_init(struct strhash *h, size_t expected)
{
	size_t cap = 64;

	while (cap < expected * 2)
		cap <<= 1;
	h->ents = calloc(cap, sizeof(*h->ents));
	if (!h->ents)
		return -1;
	h->cap = cap;
	h->n = 0;
	return 0;
}

void strhash_free(struct strhash *h)
{
	free(h->ents);
	h->ents = NULL;
	h->cap = h->n = 0;
}

static int grow(struct strhash *h)
{
	struct strhash nh;

	if (strhash_init(&nh, h->cap))
		return -1;
	for (size_t i = 0; i < h->cap; i++)
		if (h->ents[i].key)
			strhash_put(&nh, h->ents[i].key, h->ents[i].val);
	free(h->ents);
	*h = nh;
	return 0;
}

int strhash_put(struct strhash *h, const char *key, uint64_t val)
{
	if ((h->n + 1) * 2 > h->cap && grow(h))
		return -1;
	size_t i = hash_str(key) & (h->cap - 1);

	while (h->ents[i].key) {
		if (strcmp(h->ents[i].key, key) == 0)
			return 0;
		i = (i + 1) & (h->cap - 1);
	}
	h->ents[i].key = key;
	h->ents[i].val = val;
	h->n++;
	return 0;
}

bool strhash_get(const struct strhash *h, const char *key, uint64_t *val)
{
	if (!h->cap)
		return false;
	size_t i = hash_str(key) & (h->cap - 1);

	while (h->ents[i].key) {
		if (strcmp(h->ents[i].key, key) == 0) {
			*val = h->ents[i].val;
			return true;
		}
		i = (i + 1) & (h->cap - 1);
	}
	return false;
}
