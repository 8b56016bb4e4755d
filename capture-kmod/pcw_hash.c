// SPDX-License-Identifier: GPL-2.0
/* pcw_hash.c - md5 of a page through the kernel crypto API. */
#include <linux/kernel.h>
#include <linux/err.h>
#include <crypto/hash.h>
#include "pcw.h"

static struct crypto_shash *pcw_md5_tfm;

int pcw_hash_init(void)
{
	pcw_md5_tfm = crypto_alloc_shash("md5", 0, 0);
	if (IS_ERR(pcw_md5_tfm)) {
		int ret = PTR_ERR(pcw_md5_tfm);

		pcw_md5_tfm = NULL;
		return ret;
	}
	return 0;
}

void pcw_hash_exit(void)
{
	if (pcw_md5_tfm)
		crypto_free_shash(pcw_md5_tfm);
	pcw_md5_tfm = NULL;
}

int pcw_md5(const void *data, size_t len, u8 out[16])
{
	SHASH_DESC_ON_STACK(desc, pcw_md5_tfm);

	if (!pcw_md5_tfm)
		return -ENOENT;
	desc->tfm = pcw_md5_tfm;
	return crypto_shash_digest(desc, data, len, out);
}
