/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page digests with OpenSSL EVP. A page the dump does not contain is never hashed:
 * pcs_hash_page() returns PCS_ERR_NODATA and leaves the digest empty (len 0).
 */
#ifndef PCS_PAGEHASH_H
#define PCS_PAGEHASH_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

enum pcs_hash_algo {
	PCS_HASH_NONE = 0,
	PCS_HASH_MD5,
	PCS_HASH_SHA256,
};

#define PCS_DIGEST_MAX 32

struct pcs_digest {
	enum pcs_hash_algo algo;
	uint32_t len; /* 0: no digest */
	unsigned char bytes[PCS_DIGEST_MAX];
};

/* "md5" / "sha256" -> algo; PCS_ERR_INVAL otherwise. */
enum pcs_errcode pcs_hash_parse(const char *name, enum pcs_hash_algo *algo, struct pcs_error *err);
const char *pcs_hash_name(enum pcs_hash_algo algo);

/* Opaque hasher: holds the EVP context, reused for every page. */
struct pcs_hasher;
enum pcs_errcode pcs_hasher_new(enum pcs_hash_algo algo, struct pcs_hasher **h,
				struct pcs_error *err);
void pcs_hasher_free(struct pcs_hasher *h);

/* Digest of a buffer. */
enum pcs_errcode pcs_hash_buf(struct pcs_hasher *h, const void *buf, size_t len,
			      struct pcs_digest *out, struct pcs_error *err);

/*
 * Read the page at physical address paddr (t->page_size bytes) into buf and digest
 * it. PCS_ERR_NODATA (out->len = 0) when the dump excluded it.
 */
enum pcs_errcode pcs_hash_page(struct pcs_hasher *h, const struct pcs_target *t, uint64_t paddr,
			       void *buf, struct pcs_digest *out, struct pcs_error *err);

/* Lower-case hex into hex (2 * PCS_DIGEST_MAX + 1 bytes); "" when len == 0. */
void pcs_digest_hex(const struct pcs_digest *d, char *hex);

#endif /* PCS_PAGEHASH_H */
