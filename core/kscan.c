// SPDX-License-Identifier: GPL-2.0-or-later
/* Chunked kernel-memory scan: see kscan.h. */
#include "kscan.h"

#include <stdlib.h>
#include <string.h>

struct scan {
	const struct pcs_target *t;
	pcs_kscan_fn fn;
	void *ctx;
	size_t carry;
	uint8_t *buf;
	size_t kept; /* carried bytes at the front of buf */
	size_t have; /* bytes read after them */
	uint64_t at; /* address of buf[kept] */
};

/* Hand the bytes read so far to fn and keep the tail; 1 when fn stopped the scan. */
static int flush(struct scan *s)
{
	size_t len = s->kept + s->have;

	if (!s->have)
		return 0;
	if (s->fn(s->ctx, s->at - s->kept, s->buf, len))
		return 1;
	s->at += s->have;
	s->kept = len < s->carry ? len : s->carry;
	memmove(s->buf, s->buf + len - s->kept, s->kept);
	s->have = 0;
	return 0;
}

enum pcs_errcode pcs_kscan(const struct pcs_target *t, uint64_t lo, uint64_t hi, size_t carry,
			   pcs_kscan_fn fn, void *ctx, struct pcs_error *err)
{
	uint64_t ps = t->page_size ? t->page_size : 4096;
	struct scan s = {.t = t, .fn = fn, .ctx = ctx, .carry = carry, .at = lo};

	if (carry >= PCS_KSCAN_CHUNK)
		return pcs_error_set(err, PCS_ERR_INVAL, "scan carry of %zu bytes", carry);
	if (!(s.buf = malloc(PCS_KSCAN_CHUNK + carry)))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	for (uint64_t a = lo; a < hi;) {
		size_t n = (size_t)(ps - a % ps);
		struct pcs_error re = {0};
		enum pcs_errcode rc;

		if (n > hi - a)
			n = (size_t)(hi - a);
		rc = pcs_read_search(t, PCS_KVADDR, a, s.buf + s.kept + s.have, n, &re);
		if (rc == PCS_ERR_CORRUPT) {
			free(s.buf);
			return pcs_error_set(err, PCS_ERR_CORRUPT, "%s", re.msg);
		}
		if (rc) { /* not in the dump: a pattern cannot span the hole */
			if (flush(&s))
				break;
			s.kept = 0;
			a += n;
			s.at = a;
			continue;
		}
		s.have += n;
		a += n;
		if ((a % PCS_KSCAN_CHUNK == 0 || a >= hi) && flush(&s))
			break;
	}
	free(s.buf);
	return PCS_OK;
}
