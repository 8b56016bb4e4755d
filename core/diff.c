// SPDX-License-Identifier: GPL-2.0-or-later
/* Byte ranges where a dumped page and the reference file's page differ. */
#include "diff.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

size_t pcs_diff_page(const void *vmcore, const void *ref, size_t len, size_t merge_gap,
		     pcs_diff_fn fn, void *arg, size_t *ndiff)
{
	const uint8_t *a = vmcore, *b = ref;
	size_t nranges = 0, nbytes = 0, i = 0;
	bool stop = false;

	if (merge_gap == 0)
		merge_gap = 1;
	if (!memcmp(a, b, len)) { /* the common case, at memcmp's speed */
		if (ndiff)
			*ndiff = 0;
		return 0;
	}
	while (i < len) {
		size_t start, end, eq;

		if (a[i] == b[i]) {
			i++;
			continue;
		}
		/* [start, end) differs at both ends; extend over gaps shorter than merge_gap. */
		start = i;
		end = i + 1;
		nbytes++;
		for (i = end, eq = 0; i < len && eq < merge_gap; i++) {
			if (a[i] == b[i]) {
				eq++;
				continue;
			}
			nbytes++;
			end = i + 1;
			eq = 0;
		}
		i = end;
		nranges++;
		if (fn && !stop) {
			struct pcs_diff_range r = {
			    .off = (uint32_t)start,
			    .len = (uint32_t)(end - start),
			    .vmcore = a + start,
			    .ref = b + start,
			};

			stop = fn(&r, arg) != 0;
		}
	}
	if (ndiff)
		*ndiff = nbytes;
	return nranges;
}

enum pcs_errcode pcs_ref_read_page(int fd, uint64_t index, uint32_t page_size, void *buf,
				   size_t *got, struct pcs_error *err)
{
	size_t done = 0;
	off_t off = (off_t)(index * page_size);

	while (done < page_size) {
		ssize_t n = pread(fd, (char *)buf + done, page_size - done, off + (off_t)done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return pcs_error_set(err, PCS_ERR_IO,
					     "reading page %" PRIu64 " of the reference file: %s",
					     index, strerror(errno));
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	memset((char *)buf + done, 0, page_size - done); /* the page cache's zero tail */
	if (got)
		*got = done;
	return PCS_OK;
}
