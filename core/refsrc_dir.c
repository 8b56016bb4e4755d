// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A directory as reference source. Paths are resolved by pcs_refsrc_resolve()
 * (symbolic links read with readlinkat, never followed out of the directory),
 * then opened relative to the directory's fd without following any link:
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel has it,
 * openat(O_NOFOLLOW) otherwise.
 */
#include "refsrc_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

struct refsrc_dir {
	struct pcs_refsrc base;
	int dirfd;
	bool direct; /* pcs_refsrc_open_direct(): files read with O_DIRECT */
};

struct reffile_dir {
	struct pcs_reffile base;
	int fd;
	bool direct;
};

#define DIRECT_ALIGN 4096u /* buffer, offset and length alignment for O_DIRECT reads */

/*
 * Does fd's file live only in the page cache (tmpfs, ramfs)? Then O_DIRECT, which 6.6+
 * accepts on tmpfs, reads the page cache itself: no independent reference.
 */
static bool page_cache_only(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && ((unsigned long)sf.f_type == 0x01021994ul ||
					 (unsigned long)sf.f_type == 0x858458f6ul);
}

/* The file system fd is on, by name where it is a known one. */
static void fs_name(int fd, char *buf, size_t len)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} known[] = {
	    {0x01021994, "tmpfs"},    {0x858458f6, "ramfs"},	 {0x9fa0, "proc"},
	    {0x62656572, "sysfs"},    {0x794c7630, "overlayfs"}, {0x65735546, "fuse"},
	    {0x73717368, "squashfs"}, {0x28cd3d45, "cramfs"},	 {0x6e667364, "nfsd"},
	};
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0) {
		snprintf(buf, len, "this file system");
		return;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if ((unsigned long)sf.f_type == known[i].magic) {
			snprintf(buf, len, "%s", known[i].name);
			return;
		}
	}
	snprintf(buf, len, "file system type 0x%lx", (unsigned long)sf.f_type);
}

static ssize_t dir_readlink(void *ctx, const char *path, char *buf, size_t size)
{
	const struct refsrc_dir *d = ctx;
	ssize_t n = readlinkat(d->dirfd, path, buf, size);

	if (n < 0)
		return errno == EINVAL || errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

/* Open canonical path (no symlinks, no "..") under the directory, following nothing. */
static int open_beneath(int dirfd, const char *path)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
#ifdef SYS_openat2
	struct open_how how = {
	    .flags = (uint64_t)flags,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
#endif
	return openat(dirfd, path, flags);
}

static enum pcs_errcode dir_file_open(struct pcs_refsrc *s, const char *relpath,
				      struct pcs_reffile **out, struct pcs_error *err)
{
	struct refsrc_dir *d = (struct refsrc_dir *)s;
	char path[PCS_REFSRC_PATH_MAX];
	struct reffile_dir *f;
	enum pcs_errcode rc;
	struct stat st;
	int fd;

	rc = pcs_refsrc_resolve(s, relpath, dir_readlink, d, path, err);
	if (rc)
		return rc;
	if (!path[0])
		return pcs_error_set(
		    err, PCS_ERR_INVAL,
		    "%s in directory %s is the directory itself, not a regular file", relpath,
		    s->spec);
	if (fstatat(d->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return pcs_error_set(err, PCS_ERR_NOTFOUND, "%s not found in directory %s",
					     relpath, s->spec);
		return pcs_error_set(err, PCS_ERR_IO, "%s in directory %s: %s", relpath, s->spec,
				     strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "%s in directory %s is %s, not a regular file", relpath,
				     s->spec, pcs_refsrc_mode_name(st.st_mode));
	fd = open_beneath(d->dirfd, path);
	if (fd < 0)
		return pcs_error_set(err, PCS_ERR_IO, "cannot open %s in directory %s: %s", relpath,
				     s->spec, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pcs_error_set(err, PCS_ERR_IO, "%s in directory %s changed while opening it",
				     relpath, s->spec);
	}
	if (d->direct && page_cache_only(fd)) {
		char fs[48];

		fs_name(fd, fs, sizeof(fs));
		close(fd);
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "no O_DIRECT on %s: no independent reference (its files live "
				     "only in the page cache)",
				     fs);
	}
	if (d->direct && fcntl(fd, F_SETFL, (fcntl(fd, F_GETFL) & ~O_NONBLOCK) | O_DIRECT) < 0) {
		int e = errno;
		char fs[48];

		fs_name(fd, fs, sizeof(fs));
		close(fd);
		if (e == EINVAL)
			return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
					     "no O_DIRECT on %s: no independent reference", fs);
		return pcs_error_set(err, PCS_ERR_IO, "%s in %s: O_DIRECT: %s", relpath, s->spec,
				     strerror(e));
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a reference file");
	}
	f->base.src = s;
	f->base.size = (uint64_t)st.st_size;
	f->fd = fd;
	f->direct = d->direct;
	*out = &f->base;
	return PCS_OK;
}

/* O_DIRECT: whole aligned blocks into an aligned bounce buffer, then the part asked for. */
static enum pcs_errcode direct_read(const struct reffile_dir *f, uint64_t off, void *buf,
				    size_t len, size_t *got, struct pcs_error *err)
{
	uint64_t start = off & ~(uint64_t)(DIRECT_ALIGN - 1);
	size_t span = (size_t)(((off + len + DIRECT_ALIGN - 1) & ~(uint64_t)(DIRECT_ALIGN - 1)) -
			       start),
	       done = 0;
	void *b;

	if (posix_memalign(&b, DIRECT_ALIGN, span))
		return pcs_error_set(err, PCS_ERR_NOMEM, "O_DIRECT buffer of %zu bytes", span);
	while (done < span) {
		ssize_t n = pread(f->fd, (char *)b + done, span - done, (off_t)(start + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(b);
			return pcs_error_set(
			    err, PCS_ERR_IO, "O_DIRECT read at offset %llu of a file in %s: %s",
			    (unsigned long long)(start + done), f->base.src->spec, strerror(e));
		}
		if (n == 0 || n % DIRECT_ALIGN) {
			done += (size_t)n; /* end of file */
			break;
		}
		done += (size_t)n;
	}
	size_t skip = (size_t)(off - start);

	*got = done > skip ? (done - skip < len ? done - skip : len) : 0;
	memcpy(buf, (char *)b + skip, *got);
	free(b);
	return PCS_OK;
}

static enum pcs_errcode dir_file_read(struct pcs_reffile *file, uint64_t off, void *buf, size_t len,
				      size_t *got, struct pcs_error *err)
{
	const struct reffile_dir *f = (const struct reffile_dir *)file;
	size_t done = 0;

	if (f->direct)
		return direct_read(f, off, buf, len, got, err);

	while (done < len) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return pcs_error_set(
			    err, PCS_ERR_IO, "reading at offset %llu of a file in directory %s: %s",
			    (unsigned long long)(off + done), file->src->spec, strerror(errno));
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	*got = done;
	return PCS_OK;
}

static void dir_file_close(struct pcs_reffile *file)
{
	struct reffile_dir *f = (struct reffile_dir *)file;

	close(f->fd);
	free(f);
}

static void dir_close(struct pcs_refsrc *s)
{
	struct refsrc_dir *d = (struct refsrc_dir *)s;

	close(d->dirfd);
	pcs_refsrc_release(s);
	free(d);
}

static const struct pcs_refsrc_ops dir_ops = {
    .file_open = dir_file_open,
    .file_read = dir_file_read,
    .file_close = dir_file_close,
    .close = dir_close,
};

enum pcs_errcode pcs_refsrc_dir_open(const char *spec, struct pcs_refsrc **out,
				     struct pcs_error *err)
{
	struct refsrc_dir *d = calloc(1, sizeof(*d));

	if (!d)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating reference source %s", spec);
	d->dirfd = open(spec, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dirfd < 0) {
		pcs_error_set(err, PCS_ERR_IO, "cannot open directory %s: %s", spec,
			      strerror(errno));
		free(d);
		return PCS_ERR_IO;
	}
	if (pcs_refsrc_init(&d->base, &dir_ops, PCS_REFSRC_DIR, "directory", spec, err)) {
		close(d->dirfd);
		free(d);
		return PCS_ERR_NOMEM;
	}
	*out = &d->base;
	return PCS_OK;
}

enum pcs_errcode pcs_refsrc_open_direct(const char *dir, struct pcs_refsrc **out,
					struct pcs_error *err)
{
	struct refsrc_dir *d;
	enum pcs_errcode rc;

	*out = NULL;
	rc = pcs_refsrc_dir_open(dir, out, err);
	if (rc)
		return rc;
	d = (struct refsrc_dir *)*out;
	d->direct = true;
	snprintf(d->base.kind_name, sizeof(d->base.kind_name), "directory (O_DIRECT)");
	return PCS_OK;
}
