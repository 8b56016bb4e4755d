// SPDX-License-Identifier: GPL-2.0-or-later
/* Vmcore header validation: format dispatch, notes, flattened-format markers. */
#include "dumphdr.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dumphdr_impl.h"

enum pcs_errcode pcs_dh_read(const struct pcs_dumpfile *f, void *buf, size_t len, uint64_t off,
			     struct pcs_error *err)
{
	long n = f->pread(f->priv, buf, len, off);

	if (n < 0 || (size_t)n != len)
		return pcs_error_set(err, PCS_ERR_IO,
				     "cannot read %zu bytes at file offset 0x%" PRIx64, len, off);
	return PCS_OK;
}

enum pcs_errcode pcs_dh_vmcoreinfo(const struct pcs_dumpfile *f, uint64_t off, uint64_t size,
				   const char *where, struct pcs_error *err)
{
	char *text = malloc(size + 1);
	enum pcs_errcode rc;
	unsigned int line = 1;

	if (!text)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	rc = pcs_dh_read(f, text, (size_t)size, off, err);
	text[rc ? 0 : size] = '\0';
	/* NUL only as trailing padding: libkdumpfile parses the whole length */
	for (size_t i = rc ? size : strlen(text); i < size && !rc; i++)
		if (text[i])
			rc = pcs_error_set(err, PCS_ERR_MALFORMED,
					   "%s: VMCOREINFO has a NUL byte inside its text (at %zu)",
					   where, strlen(text));
	/* lines KEY=VALUE; libkdumpfile splits KEY at '.' into an attribute path */
	for (char *l = text; !rc && *l; line++) {
		char *end = strchr(l, '\n'), *eq;

		if (end)
			*end = '\0';
		eq = strchr(l, '=');
		if (eq) {
			*eq = '\0';
			for (const char *c = l; *c && !rc; c++)
				if (*c <= ' ' || *c > '~')
					rc = pcs_error_set(
					    err, PCS_ERR_MALFORMED,
					    "%s: VMCOREINFO line %u has byte 0x%02x in "
					    "its key",
					    where, line, (unsigned char)*c);
			if (!rc && (!*l || *l == '.' || l[strlen(l) - 1] == '.' || strstr(l, "..")))
				rc = pcs_error_set(err, PCS_ERR_MALFORMED,
						   "%s: VMCOREINFO line %u has key \"%.40s\"",
						   where, line, l);
		}
		if (!end)
			break;
		l = end + 1;
	}
	free(text);
	return rc;
}

enum pcs_errcode pcs_dh_notes(const struct pcs_dumpfile *f, uint64_t off, uint64_t size,
			      const char *where, struct pcs_dump_layout *lay, struct pcs_error *err)
{
	uint64_t pos = 0, nvmci = 0;

	if (!dh_fits(f, off, size))
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "%s: offset 0x%" PRIx64 " size 0x%" PRIx64
				     " is past the end of the file (%" PRIu64 " bytes; truncated?)",
				     where, off, size, f->size);
	if (size > DH_MAX_NOTES)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "%s: size 0x%" PRIx64 " is larger than any kernel writes",
				     where, size);
	while (size - pos >= 12) {
		unsigned char h[12 + 12];
		enum pcs_errcode rc = pcs_dh_read(f, h, 12, off + pos, err);

		if (rc)
			return rc;
		uint64_t namesz = dh_le32(h), descsz = dh_le32(h + 4);
		uint64_t descoff = 12 + ((namesz + 3) & ~3ull);

		if (descoff > size - pos || descsz > size - pos - descoff)
			return pcs_error_set(err, PCS_ERR_MALFORMED,
					     "%s: note at offset 0x%" PRIx64
					     " has n_namesz %" PRIu64 " n_descsz %" PRIu64
					     ", beyond the notes' end (0x%" PRIx64 " bytes)",
					     where, pos, namesz, descsz, size);
		if (namesz == 11) {
			rc = pcs_dh_read(f, h + 12, 11, off + pos + 12, err);
			if (rc)
				return rc;
			if (memcmp(h + 12, "VMCOREINFO", 11) == 0) {
				nvmci++;
				if (descsz > DH_MAX_VMCI || !descsz)
					return pcs_error_set(
					    err, PCS_ERR_MALFORMED,
					    "%s: VMCOREINFO note at offset 0x%" PRIx64
					    " has n_descsz %" PRIu64,
					    where, pos, descsz);
				rc = pcs_dh_vmcoreinfo(f, off + pos + descoff, descsz, where, err);
				if (rc)
					return rc;
				lay->vmcoreinfo_off = off + pos + descoff;
				lay->vmcoreinfo_size = descsz;
			}
		}
		pos += descoff + ((descsz + 3) & ~3ull);
		if (pos > size)
			pos = size;
	}
	if (nvmci > 1)
		return pcs_error_set(err, PCS_ERR_MALFORMED, "%s: %" PRIu64 " VMCOREINFO notes",
				     where, nvmci);
	return PCS_OK;
}

/*
 * makedumpfile -F: a 4096-byte header ("makedumpfile", type 1, version 1, both
 * big-endian 64-bit), then records {offset, buf_size} (big-endian) each followed
 * by buf_size bytes, ended by a record of two -1.
 */
enum pcs_errcode pcs_dh_check_flat(const struct pcs_dumpfile *f, struct pcs_error *err)
{
	unsigned char h[32];
	enum pcs_errcode rc;
	uint64_t pos = 4096;

	if (!dh_fits(f, 0, 4096))
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "flattened format: %" PRIu64
				     " bytes is shorter than its 4096-byte header (truncated?)",
				     f->size);
	rc = pcs_dh_read(f, h, 32, 0, err);
	if (rc)
		return rc;
	if (dh_be64(h + 16) != 1)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "flattened format: header type %" PRId64 " (expected 1)",
				     (int64_t)dh_be64(h + 16));
	if (dh_be64(h + 24) != 1)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "flattened format: header version %" PRId64 " (expected 1)",
				     (int64_t)dh_be64(h + 24));
	for (uint32_t n = 0; n < DH_MAX_RECORDS; n++) {
		if (!dh_fits(f, pos, 16))
			return pcs_error_set(
			    err, PCS_ERR_MALFORMED,
			    "flattened format: no end marker before the end of the "
			    "file at 0x%" PRIx64 " (truncated?)",
			    pos);
		rc = pcs_dh_read(f, h, 16, pos, err);
		if (rc)
			return rc;
		int64_t roff = (int64_t)dh_be64(h), rsize = (int64_t)dh_be64(h + 8);

		if (roff == -1 && rsize == -1)
			return PCS_OK;
		if (roff < 0)
			return pcs_error_set(err, PCS_ERR_MALFORMED,
					     "flattened format: record at 0x%" PRIx64
					     " has offset %" PRId64,
					     pos, roff);
		if (rsize <= 0 || !dh_fits(f, pos + 16, (uint64_t)rsize))
			return pcs_error_set(err, PCS_ERR_MALFORMED,
					     "flattened format: record at 0x%" PRIx64
					     " has buf_size %" PRId64 " (file is %" PRIu64
					     " bytes; truncated?)",
					     pos, rsize, f->size);
		pos += 16 + (uint64_t)rsize;
	}
	return PCS_OK;
}

enum pcs_errcode pcs_dh_push_seg(struct pcs_dump_seg **v, size_t *n, struct pcs_dump_seg s,
				 struct pcs_error *err)
{
	struct pcs_dump_seg *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	nv[(*n)++] = s;
	*v = nv;
	return PCS_OK;
}

void pcs_dump_layout_free(struct pcs_dump_layout *lay)
{
	if (!lay)
		return;
	free(lay->loads);
	free(lay->notes);
	*lay = (struct pcs_dump_layout){0};
}

enum pcs_errcode pcs_dumphdr_check(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				   struct pcs_error *err)
{
	unsigned char sig[16] = {0};
	struct pcs_dump_layout scratch = {0};
	enum pcs_errcode rc = PCS_OK;

	if (!lay)
		lay = &scratch;
	*lay = (struct pcs_dump_layout){0};
	if (f->size < sizeof(sig))
		return PCS_OK; /* too small to be anything: the caller says so */
	rc = pcs_dh_read(f, sig, sizeof(sig), 0, err);
	if (rc)
		return rc;
	if (memcmp(sig, "\177ELF", 4) == 0) {
		lay->fmt = PCS_DUMPFMT_ELF;
		rc = pcs_dh_check_elf(f, lay, err);
	} else if (memcmp(sig, "KDUMP   ", 8) == 0 || memcmp(sig, "DISKDUMP", 8) == 0) {
		lay->fmt = PCS_DUMPFMT_KDUMP;
		rc = pcs_dh_check_kdump(f, lay, err);
	} else if (memcmp(sig, "makedumpfile", 13) == 0) {
		lay->fmt = PCS_DUMPFMT_FLAT;
		rc = pcs_dh_check_flat(f, err);
	}
	pcs_dump_layout_free(&scratch);
	return rc;
}

struct fd_src {
	int fd;
};

static long fd_pread(void *priv, void *buf, size_t len, uint64_t off)
{
	const struct fd_src *s = priv;
	size_t done = 0;

	if (off > (uint64_t)INT64_MAX)
		return -1;
	while (done < len) {
		ssize_t n = pread(s->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

enum pcs_errcode pcs_dumphdr_check_fd(int fd, const char *path, struct pcs_dump_layout *lay,
				      struct pcs_error *err)
{
	struct stat sb;
	struct fd_src s = {.fd = fd};

	if (fstat(fd, &sb))
		return pcs_error_set(err, PCS_ERR_IO, "vmcore %s: %s", path, strerror(errno));
	const struct pcs_dumpfile f = {.pread = fd_pread, .priv = &s, .size = (uint64_t)sb.st_size};
	enum pcs_errcode rc = pcs_dumphdr_check(&f, lay, err);

	if (rc)
		pcs_error_wrap(err, "vmcore %s", path);
	return rc;
}
