// SPDX-License-Identifier: GPL-2.0-or-later
/* Page digests through OpenSSL EVP; excluded pages are never hashed. */
#include "pagehash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct pcs_hasher {
	enum pcs_hash_algo algo;
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
};

enum pcs_errcode pcs_hash_parse(const char *name, enum pcs_hash_algo *algo, struct pcs_error *err)
{
	if (!strcmp(name, "md5"))
		*algo = PCS_HASH_MD5;
	else if (!strcmp(name, "sha256"))
		*algo = PCS_HASH_SHA256;
	else if (!strcmp(name, "none"))
		*algo = PCS_HASH_NONE;
	else
		return pcs_error_set(err, PCS_ERR_INVAL, "unknown hash '%s' (md5, sha256)", name);
	return PCS_OK;
}

const char *pcs_hash_name(enum pcs_hash_algo algo)
{
	switch (algo) {
	case PCS_HASH_MD5: return "md5";
	case PCS_HASH_SHA256: return "sha256";
	default: return "none";
	}
}

enum pcs_errcode pcs_hasher_new(enum pcs_hash_algo algo, struct pcs_hasher **out,
				struct pcs_error *err)
{
	struct pcs_hasher *h;

	*out = NULL;
	if (algo != PCS_HASH_MD5 && algo != PCS_HASH_SHA256)
		return pcs_error_set(err, PCS_ERR_INVAL, "no hash algorithm chosen");
	h = calloc(1, sizeof(*h));
	if (!h)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a hasher");
	h->algo = algo;
	h->md = algo == PCS_HASH_MD5 ? EVP_md5() : EVP_sha256();
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		pcs_hasher_free(h);
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "OpenSSL has no %s",
				     pcs_hash_name(algo));
	}
	*out = h;
	return PCS_OK;
}

void pcs_hasher_free(struct pcs_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

enum pcs_errcode pcs_hash_buf(struct pcs_hasher *h, const void *buf, size_t len,
			      struct pcs_digest *out, struct pcs_error *err)
{
	unsigned int n = 0;

	memset(out, 0, sizeof(*out));
	if (!EVP_DigestInit_ex(h->ctx, h->md, NULL) || !EVP_DigestUpdate(h->ctx, buf, len) ||
	    !EVP_DigestFinal_ex(h->ctx, out->bytes, &n) || n > PCS_DIGEST_MAX)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "OpenSSL %s digest failed",
				     pcs_hash_name(h->algo));
	out->algo = h->algo;
	out->len = n;
	return PCS_OK;
}

enum pcs_errcode pcs_hash_page(struct pcs_hasher *h, const struct pcs_target *t, uint64_t paddr,
			       void *buf, struct pcs_digest *out, struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(out, 0, sizeof(*out));
	rc = pcs_read(t, PCS_KPHYSADDR, paddr, buf, t->page_size, err);
	if (rc)
		return rc; /* PCS_ERR_NODATA: excluded, and deliberately left unhashed */
	return pcs_hash_buf(h, buf, t->page_size, out, err);
}

void pcs_digest_hex(const struct pcs_digest *d, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t n = d->len > PCS_DIGEST_MAX ? PCS_DIGEST_MAX : d->len;

	for (uint32_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d->bytes[i] >> 4];
		hex[2 * i + 1] = digits[d->bytes[i] & 15];
	}
	hex[2 * n] = '\0';
}
