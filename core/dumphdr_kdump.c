// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed (diskdump) headers as makedumpfile writes them, 64-bit:
 *   block 0          disk_dump_header (block_size, sub_hdr_size, bitmap_blocks, max_mapnr)
 *   block 1..        kdump_sub_header (+ VMCOREINFO, ELF notes, eraseinfo)
 *   1 + sub_hdr_size bitmap_blocks blocks: two bitmaps (present in memory, dumped)
 *   then             one 24-byte page descriptor per bit set in the second bitmap
 *   then             page data
 * Every descriptor must point at data inside the file with a size the
 * compression flag allows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "dumphdr_impl.h"

#define PD_SIZE	      24
#define DH_ZLIB	      0x1
#define DH_LZO	      0x2
#define DH_SNAPPY     0x4
#define DH_ZSTD	      0x20
#define DH_COMPRESSED (DH_ZLIB | DH_LZO | DH_SNAPPY | DH_ZSTD)
#define CHUNK	      (64u << 10)
#ifndef DH_MAX_DESCS
#define DH_MAX_DESCS (1ull << 24) /* descriptors all checked (64 GiB of 4K pages) */
#endif

struct kdump_hdr {
	int32_t version, block_size, sub_hdr_size;
	uint32_t bitmap_blocks, max_mapnr;
	uint64_t max_mapnr_64; /* from the sub-header, version 6 */
};

static enum pcs_errcode bad(struct pcs_error *err, const char *field, int64_t val, const char *why)
{
	return pcs_error_set(err, PCS_ERR_MALFORMED, "kdump header %s %" PRId64 ": %s", field, val,
			     why);
}

static enum pcs_errcode bad_sub(struct pcs_error *err, const char *field, uint64_t val,
				const char *why)
{
	return pcs_error_set(err, PCS_ERR_MALFORMED, "kdump sub-header %s 0x%" PRIx64 ": %s", field,
			     val, why);
}

/* An (offset, size) pair of the sub-header: inside the file, after block 0. */
static enum pcs_errcode check_range(const struct pcs_dumpfile *f, const struct kdump_hdr *h,
				    const unsigned char *sub, int at, const char *name,
				    uint64_t max, struct pcs_error *err)
{
	uint64_t off = dh_le64(sub + at), size = dh_le64(sub + at + 8);
	char field[48];

	if (!size)
		return PCS_OK;
	snprintf(field, sizeof(field), "offset_%s", name);
	if (off < (uint64_t)h->block_size || !dh_fits(f, off, size))
		return bad_sub(err, field, off, "range is not inside the file (truncated?)");
	snprintf(field, sizeof(field), "size_%s", name);
	if (size > max)
		return bad_sub(err, field, size, "larger than any kernel writes");
	return PCS_OK;
}

static enum pcs_errcode check_sub(const struct pcs_dumpfile *f, struct kdump_hdr *h,
				  struct pcs_dump_layout *lay, struct pcs_error *err)
{
	unsigned char sub[104] = {0};
	enum pcs_errcode rc = pcs_dh_read(f, sub, sizeof(sub), (uint64_t)h->block_size, err);

	if (rc)
		return rc;
	int32_t level = (int32_t)dh_le32(sub + 8), split = (int32_t)dh_le32(sub + 12);

	if (level < 0 || level > 31)
		return bad_sub(err, "dump_level", (uint32_t)level, "not 0..31");
	if (h->version >= 2 && split != 0 && split != 1)
		return bad_sub(err, "split", (uint32_t)split, "not 0 or 1");
	h->max_mapnr_64 = h->max_mapnr;
	if (h->version >= 6) {
		h->max_mapnr_64 = dh_le64(sub + 96);
		if (h->max_mapnr_64 < h->max_mapnr ||
		    (h->max_mapnr_64 <= UINT32_MAX && h->max_mapnr_64 != h->max_mapnr))
			return bad_sub(err, "max_mapnr_64", h->max_mapnr_64,
				       "disagrees with the header's max_mapnr");
	}
	if (h->version >= 2 && split) {
		uint64_t s = h->version >= 6 ? dh_le64(sub + 80) : dh_le64(sub + 16);
		uint64_t e = h->version >= 6 ? dh_le64(sub + 88) : dh_le64(sub + 24);

		if (s > e || e > h->max_mapnr_64)
			return bad_sub(err, "end_pfn", e, "split range is not inside max_mapnr");
	}
	if (h->version >= 3 && (rc = check_range(f, h, sub, 32, "vmcoreinfo", DH_MAX_VMCI, err)))
		return rc;
	if (h->version >= 3 && dh_le64(sub + 40) &&
	    (rc = pcs_dh_vmcoreinfo(f, dh_le64(sub + 32), dh_le64(sub + 40), "kdump sub-header",
				    err)))
		return rc;
	if (h->version >= 3 && dh_le64(sub + 40)) {
		lay->vmcoreinfo_off = dh_le64(sub + 32);
		lay->vmcoreinfo_size = dh_le64(sub + 40);
	}
	if (h->version >= 4) {
		if ((rc = check_range(f, h, sub, 48, "note", DH_MAX_NOTES, err)))
			return rc;
		if (dh_le64(sub + 56) && (rc = pcs_dh_notes(f, dh_le64(sub + 48), dh_le64(sub + 56),
							    "kdump notes", lay, err)))
			return rc;
		if (dh_le64(sub + 56) &&
		    (rc = pcs_dh_push_seg(&lay->notes, &lay->nnotes,
					  (struct pcs_dump_seg){.offset = dh_le64(sub + 48),
								.filesz = dh_le64(sub + 56)},
					  err)))
			return rc;
	}
	if (h->version >= 5 && (rc = check_range(f, h, sub, 64, "eraseinfo", DH_MAX_NOTES, err)))
		return rc;
	return PCS_OK;
}

/*
 * Count the pages the dump bitmap (the second) says are dumped; each must also
 * be in the memory bitmap (the first).
 */
static enum pcs_errcode count_dumped(const struct pcs_dumpfile *f, uint64_t off, uint64_t len,
				     uint64_t *n, struct pcs_error *err)
{
	unsigned char *buf = malloc(2 * CHUNK), *mem;
	enum pcs_errcode rc = PCS_OK;

	if (!buf)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	mem = buf + CHUNK;
	*n = 0;
	for (uint64_t done = 0; done < len && !rc;) {
		size_t k = len - done < CHUNK ? (size_t)(len - done) : CHUNK;

		rc = pcs_dh_read(f, buf, k, off + len + done, err);
		if (!rc)
			rc = pcs_dh_read(f, mem, k, off + done, err);
		for (size_t i = 0; i < k && !rc; i++) {
			if (buf[i] & ~mem[i])
				rc = pcs_error_set(err, PCS_ERR_MALFORMED,
						   "kdump bitmap: pfn 0x%" PRIx64
						   " is dumped but not in the memory bitmap",
						   (done + i) * 8 +
						       (uint64_t)__builtin_ctz(buf[i] & ~mem[i]));
			*n += (uint64_t)__builtin_popcount(buf[i]);
		}
		done += k;
	}
	free(buf);
	return rc;
}

static enum pcs_errcode check_descs(const struct pcs_dumpfile *f, const struct kdump_hdr *h,
				    uint64_t table, uint64_t n, struct pcs_error *err)
{
	uint64_t data = table + n * PD_SIZE, lowest = UINT64_MAX;
	unsigned char *buf = malloc(CHUNK / PD_SIZE * PD_SIZE);
	enum pcs_errcode rc = PCS_OK;

	const uint64_t per = CHUNK / PD_SIZE, nchunks = (n + per - 1) / per;
	/* past DH_MAX_DESCS descriptors, a stride of chunks (and the last one) is checked */
	const bool all = n <= DH_MAX_DESCS;
	const uint64_t stride = all ? 1 : (nchunks + DH_MAX_DESCS / per - 1) / (DH_MAX_DESCS / per);

	if (!buf)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	for (uint64_t c = 0; c < nchunks && !rc; c++) {
		if (c % stride && c != nchunks - 1)
			continue;
		uint64_t i = c * per, k = n - i < per ? n - i : per;

		rc = pcs_dh_read(f, buf, (size_t)(k * PD_SIZE), table + i * PD_SIZE, err);
		for (uint64_t j = 0; j < k && !rc; j++, i++) {
			const unsigned char *d = buf + j * PD_SIZE;
			uint64_t off = dh_le64(d);
			uint32_t size = dh_le32(d + 8), flags = dh_le32(d + 12);
			uint32_t comp = flags & DH_COMPRESSED;

			if (flags & ~(uint32_t)DH_COMPRESSED || (comp & (comp - 1)))
				rc = pcs_error_set(err, PCS_ERR_MALFORMED,
						   "kdump page descriptor %" PRIu64
						   ": flags 0x%x are not one compression method",
						   i, flags);
			else if (comp ? !size || size > (uint32_t)h->block_size
				      : size != (uint32_t)h->block_size)
				rc = pcs_error_set(err, PCS_ERR_MALFORMED,
						   "kdump page descriptor %" PRIu64
						   ": size %u with flags 0x%x (block_size %d)",
						   i, size, flags, h->block_size);
			else if (off < data || !dh_fits(f, off, size))
				rc = pcs_error_set(
				    err, PCS_ERR_MALFORMED,
				    "kdump page descriptor %" PRIu64 ": offset 0x%" PRIx64
				    " size %u is not in the page "
				    "data (0x%" PRIx64 "..%" PRIu64 " bytes; truncated?)",
				    i, off, size, data, f->size);
			if (off < lowest)
				lowest = off;
		}
	}
	free(buf);
	/*
	 * makedumpfile and QEMU write the first page (the shared zero page) right
	 * after the descriptors: a gap means the bitmap counts fewer pages than
	 * there are descriptors, and later pages would be read through the wrong ones.
	 */
	if (!rc && n && all && lowest != data)
		rc = pcs_error_set(err, PCS_ERR_MALFORMED,
				   "kdump page descriptors: page data starts at 0x%" PRIx64
				   ", not where the %" PRIu64
				   " descriptors the bitmap counts end (0x%" PRIx64 ")",
				   lowest, n, data);
	return rc;
}

enum pcs_errcode pcs_dh_check_kdump(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				    struct pcs_error *err)
{
	unsigned char b[464];
	struct kdump_hdr h;
	enum pcs_errcode rc;

	if (!dh_fits(f, 0, sizeof(b)))
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "kdump header: file of %" PRIu64 " bytes is truncated",
				     f->size);
	rc = pcs_dh_read(f, b, sizeof(b), 0, err);
	if (rc)
		return rc;
	h.version = (int32_t)dh_le32(b + 8);
	h.block_size = (int32_t)dh_le32(b + 428);
	h.sub_hdr_size = (int32_t)dh_le32(b + 432);
	h.bitmap_blocks = dh_le32(b + 436);
	h.max_mapnr = dh_le32(b + 440);

	if (h.version < 1 || h.version > 64)
		return bad(err, "header_version", h.version, "not a version makedumpfile writes");
	if (h.block_size < 4096 || h.block_size > 65536 || (h.block_size & (h.block_size - 1)))
		return bad(err, "block_size", h.block_size, "not a page size (4096..65536)");
	if (h.sub_hdr_size < 1 || h.sub_hdr_size > DH_MAX_SUBHDR)
		return bad(err, "sub_hdr_size", h.sub_hdr_size, "not 1..1024 blocks");
	if (!h.bitmap_blocks || h.bitmap_blocks % 2)
		return bad(err, "bitmap_blocks", h.bitmap_blocks, "not a positive even number");
	if (!h.max_mapnr)
		return bad(err, "max_mapnr", h.max_mapnr, "no pages");

	uint64_t bs = (uint64_t)h.block_size;
	uint64_t bitmap = (1 + (uint64_t)h.sub_hdr_size) * bs;
	uint64_t half = (uint64_t)h.bitmap_blocks / 2 * bs;
	uint64_t table = bitmap + 2 * half;

	if (!dh_fits(f, 0, table))
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "kdump header: sub_hdr_size %d and bitmap_blocks %u end at "
				     "0x%" PRIx64 ", past the end of the file (%" PRIu64
				     " bytes; truncated?)",
				     h.sub_hdr_size, h.bitmap_blocks, table, f->size);
	rc = check_sub(f, &h, lay, err);
	if (rc)
		return rc;
	if (h.max_mapnr_64 > half * 8)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "kdump header max_mapnr %" PRIu64
				     ": more pages than bitmap_blocks %u cover (%" PRIu64 ")",
				     h.max_mapnr_64, h.bitmap_blocks, half * 8);

	uint64_t n = 0;

	rc = count_dumped(f, bitmap, half, &n, err);
	if (rc)
		return rc;
	if (!dh_fits(f, table, n * PD_SIZE))
		return pcs_error_set(
		    err, PCS_ERR_MALFORMED,
		    "kdump bitmap: %" PRIu64 " dumped pages need descriptors up to "
		    "0x%" PRIx64 ", past the end of the file (%" PRIu64 " bytes; truncated?)",
		    n, table + n * PD_SIZE, f->size);
	rc = check_descs(f, &h, table, n, err);
	if (rc == PCS_ERR_MALFORMED && (dh_le32(b + 424) & 0x8)) /* DUMP_DH_COMPRESSED_INCOMPLETE */
		pcs_error_wrap(err, "makedumpfile marked this dump incomplete (disk full?)");
	return rc;
}
