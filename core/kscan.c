// SPDX-License-Identifier: GPL-2.0-or-later
/* Chunked kernel-memory scan: see kscan.h. */
#include "kscan.h"

#include <stdlib.h>
#include <string.h>

enum pcs_errcode pcs_kscan(const struct pcs_target *t, uint64_t lo, uint64_t hi, size_t carry,
			   pcs_kscan_fn fn, void *ctx, struct pcs_error *err)
{
	uint8_t *buf;
	size_t kept = 0;

	if (carry >= PCS_KSCAN_CHUNK)
		return pcs_error_set(err, PCS_ERR_INVAL, "scan carry of %zu bytes", carry);
	if (!(buf = malloc(PCS_KSCAN_CHUNK + carry)))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	for (uint64_t a = lo; a < hi;) {
		size_t n = PCS_KSCAN_CHUNK - (size_t)(a % PCS_KSCAN_CHUNK);

		if (n > hi - a)
			n = (size_t)(hi - a);
		struct pcs_error re = {0};
		enum pcs_errcode rc = pcs_read_paged(t, PCS_KVADDR, a, buf + kept, n, &re);

		if (rc == PCS_ERR_CORRUPT) {
			free(buf);
			return pcs_error_set(err, PCS_ERR_CORRUPT, "%s", re.msg);
		}
		if (rc) { /* not in the dump: a pattern cannot span the hole */
			kept = 0;
			a += n;
			continue;
		}
		size_t len = kept + n;

		if (fn(ctx, a - kept, buf, len)) {
			free(buf);
			return PCS_OK;
		}
		kept = len < carry ? len : carry;
		memmove(buf, buf + len - kept, kept);
		a += n;
	}
	free(buf);
	return PCS_OK;
}
