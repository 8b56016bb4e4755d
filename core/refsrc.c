// SPDX-License-Identifier: GPL-2.0-or-later
/* Reference sources: detect the kind, then dispatch to its operations. */
#include "refsrc_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXT2_MAGIC_OFFSET (1024 + 56) /* s_magic in the superblock at byte 1024 */

enum pcs_errcode pcs_refsrc_init(struct pcs_refsrc *s, const struct pcs_refsrc_ops *ops,
				 enum pcs_refsrc_kind kind, const char *kind_name, const char *spec,
				 struct pcs_error *err)
{
	s->ops = ops;
	s->kind = kind;
	snprintf(s->kind_name, sizeof(s->kind_name), "%s", kind_name);
	s->spec = strdup(spec);
	if (!s->spec)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating reference source %s", spec);
	return PCS_OK;
}

void pcs_refsrc_release(struct pcs_refsrc *s)
{
	free(s->spec);
	s->spec = NULL;
}

const char *pcs_refsrc_mode_name(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a fifo";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
}

/* Does fd hold the ext2/3/4 superblock magic 0xef53 (little-endian)? */
static int has_ext2_magic(int fd)
{
	unsigned char m[2];

	if (pread(fd, m, sizeof(m), EXT2_MAGIC_OFFSET) != (ssize_t)sizeof(m))
		return 0;
	return m[0] == 0x53 && m[1] == 0xef;
}

static enum pcs_errcode not_a_source(const char *spec, const char *what, struct pcs_error *err)
{
	return pcs_error_set(err, PCS_ERR_INVAL,
			     "%s is %snot a directory, an ext2/3/4 image or a tar archive", spec,
			     what);
}

enum pcs_errcode pcs_refsrc_open(const char *spec, struct pcs_refsrc **out, struct pcs_error *err)
{
	struct pcs_error tar_err;
	enum pcs_errcode rc;
	struct stat st;
	int fd, ext2;

	*out = NULL;
	if (stat(spec, &st) < 0)
		return pcs_error_set(err, PCS_ERR_IO, "cannot read reference source %s: %s", spec,
				     strerror(errno));
	if (S_ISDIR(st.st_mode))
		return pcs_refsrc_dir_open(spec, out, err);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		char what[64];

		snprintf(what, sizeof(what), "%s, ", pcs_refsrc_mode_name(st.st_mode));
		return not_a_source(spec, what, err);
	}
	fd = open(spec, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pcs_error_set(err, PCS_ERR_IO, "cannot read reference source %s: %s", spec,
				     strerror(errno));
	ext2 = has_ext2_magic(fd);
	close(fd);
	if (ext2) {
		rc = pcs_refsrc_ext2_open(spec, out, err);
		/* 0xef53 at byte 1080 of a tar archive is possible, if unlikely. */
		if (rc && rc != PCS_ERR_NOMEM && !pcs_refsrc_tar_open(spec, out, NULL))
			return PCS_OK;
		return rc;
	}
	pcs_error_clear(&tar_err);
	rc = pcs_refsrc_tar_open(spec, out, &tar_err);
	if (rc == PCS_ERR_INVAL && !tar_err.msg[0])
		return not_a_source(spec, "", err);
	if (rc)
		return pcs_error_set(err, rc, "%s", tar_err.msg);
	return PCS_OK;
}

void pcs_refsrc_close(struct pcs_refsrc *s)
{
	if (s)
		s->ops->close(s);
}

enum pcs_refsrc_kind pcs_refsrc_kind(const struct pcs_refsrc *s)
{
	return s->kind;
}

bool pcs_refsrc_parallel_reads(const struct pcs_refsrc *s)
{
	/* directory files: pread() on their own descriptors; tar members: in memory */
	return s->kind != PCS_REFSRC_EXT2;
}

const char *pcs_refsrc_kind_name(const struct pcs_refsrc *s)
{
	return s->kind_name;
}

uint64_t pcs_refsrc_order(struct pcs_refsrc *s, const char *relpath)
{
	char path[PCS_REFSRC_PATH_MAX];

	if (!s->ops->order)
		return 0;
	if (pcs_refsrc_normalise(relpath, path, 0, NULL) != PCS_OK || !path[0])
		return UINT64_MAX;
	return s->ops->order(s, path);
}

enum pcs_errcode pcs_reffile_open(struct pcs_refsrc *s, const char *relpath,
				  struct pcs_reffile **out, struct pcs_error *err)
{
	char path[PCS_REFSRC_PATH_MAX];
	enum pcs_errcode rc;

	*out = NULL;
	rc = pcs_refsrc_normalise(relpath, path, 0, err);
	if (rc)
		return pcs_error_wrap(err, "%s %s", s->kind_name, s->spec);
	if (!path[0])
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "'%s' is the root directory of %s %s, not a regular file",
				     relpath, s->kind_name, s->spec);
	return s->ops->file_open(s, path, out, err);
}

uint64_t pcs_reffile_size(const struct pcs_reffile *f)
{
	return f->size;
}

enum pcs_errcode pcs_reffile_pread(struct pcs_reffile *f, uint64_t off, void *buf, size_t len,
				   size_t *got, struct pcs_error *err)
{
	*got = 0;
	if (off >= f->size || !len)
		return PCS_OK;
	if (len > f->size - off)
		len = (size_t)(f->size - off);
	return f->src->ops->file_read(f, off, buf, len, got, err);
}

enum pcs_errcode pcs_reffile_read_page(void *reffile, uint64_t index, uint32_t page_size, void *buf,
				       size_t *got, struct pcs_error *err)
{
	struct pcs_reffile *f = reffile;
	enum pcs_errcode rc;
	size_t n = 0;

	if (page_size && index <= UINT64_MAX / page_size) {
		rc = pcs_reffile_pread(f, index * page_size, buf, page_size, &n, err);
		if (rc)
			return rc;
	}
	memset((char *)buf + n, 0, page_size - n); /* the page cache's zero tail */
	if (got)
		*got = n;
	return PCS_OK;
}

void pcs_reffile_close(struct pcs_reffile *f)
{
	if (f)
		f->src->ops->file_close(f);
}
