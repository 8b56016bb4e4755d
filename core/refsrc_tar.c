// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A tar archive (any compression libarchive reads) as reference source.
 *
 * libarchive reads sequentially. Opening the source scans every header once
 * (skipping data) into an index sorted by normalised name ("./a/b" is "a/b").
 * Opening a file reads its whole data into memory (up to
 * PCS_REFSRC_TAR_FILE_MAX; holes of sparse members are zeros), going forward
 * from the reader's position when the member lies ahead, reopening the archive
 * otherwise: files opened in pcs_refsrc_order() order cost one pass in total.
 * The data of the member read last stays with the source (shared, counted) so
 * that its hard links, which sort next to it, do not read it again.
 *
 * A name that occurs more than once is the last occurrence, as after
 * extraction; a hard link reads the data of the last member of its target's
 * name before it in the archive. Symbolic links resolve inside the archive
 * (pcs_refsrc_resolve()); directories also exist implicitly, as prefixes.
 */
#include "refsrc_impl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#define TAR_BLOCK_SIZE (64 * 1024)
/* libarchive's ARCHIVE_ERRNO_FILE_FORMAT on Linux: "Unrecognized archive format". */
#define TAR_ERRNO_FILE_FORMAT EILSEQ

struct tar_member {
	char *name;	  /* normalised */
	char *link;	  /* symbolic link target as stored, or hard link target normalised */
	uint64_t ordinal; /* position in the archive, from 0 */
	uint64_t size;
	unsigned int type; /* S_IFREG, S_IFDIR, S_IFLNK... (AE_IF* are the same values) */
	bool hardlink;	   /* its data is the link target's */
};

/* A member's data, shared by the files open on it and the source's cache. */
struct tar_data {
	unsigned int refs;
	uint64_t ordinal;
	unsigned char bytes[];
};

struct refsrc_tar {
	struct pcs_refsrc base;
	struct tar_member *members; /* sorted by (name, ordinal) */
	size_t nr_members;
	struct archive *a;     /* the reader; NULL when closed */
	uint64_t next;	       /* ordinal archive_read_next_header() returns next */
	bool data_unread;      /* member next - 1's data not read yet */
	struct tar_data *last; /* data of the member read last; NULL: none */
};

struct reffile_tar {
	struct pcs_reffile base;
	struct tar_data *data; /* base.size bytes; NULL when empty */
};

static void tar_data_put(struct tar_data *d)
{
	if (d && !--d->refs)
		free(d);
}

static int member_cmp(const void *a, const void *b)
{
	const struct tar_member *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

/* First member whose name is >= name. */
static size_t lower_bound(const struct refsrc_tar *t, const char *name)
{
	size_t lo = 0, hi = t->nr_members;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->members[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The last member called name that comes before ordinal `before`; NULL if none. */
static const struct tar_member *lookup(const struct refsrc_tar *t, const char *name,
				       uint64_t before)
{
	const struct tar_member *found = NULL;

	for (size_t i = lower_bound(t, name);
	     i < t->nr_members && !strcmp(t->members[i].name, name) &&
	     t->members[i].ordinal < before;
	     i++)
		found = &t->members[i];
	return found;
}

/* Is name a directory only because members live under it ("name/...")? */
static bool implicit_dir(const struct refsrc_tar *t, const char *name)
{
	char prefix[PCS_REFSRC_PATH_MAX + 1];
	size_t n = strlen(name), i;

	if (n + 2 > sizeof(prefix))
		return false;
	memcpy(prefix, name, n);
	prefix[n] = '/';
	prefix[n + 1] = '\0';
	i = lower_bound(t, prefix);
	return i < t->nr_members && !strncmp(t->members[i].name, prefix, n + 1);
}

static ssize_t tar_readlink(void *ctx, const char *path, char *buf, size_t size)
{
	const struct tar_member *m = lookup(ctx, path, UINT64_MAX);
	size_t n;

	if (!m || m->type != S_IFLNK || !m->link[0])
		return 0;
	n = strlen(m->link);
	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, m->link, n + 1);
	return (ssize_t)n;
}

/*
 * relpath -> the member holding its data (symbolic and hard links followed).
 * NOTFOUND / INVAL (not a regular file) / IO (a dangling hard link).
 */
static enum pcs_errcode find_data_member(struct refsrc_tar *t, const char *relpath,
					 const struct tar_member **out, struct pcs_error *err)
{
	const struct pcs_refsrc *s = &t->base;
	char path[PCS_REFSRC_PATH_MAX];
	const struct tar_member *m;
	enum pcs_errcode rc;
	int hops = 0;

	rc = pcs_refsrc_resolve(s, relpath, tar_readlink, t, path, err);
	if (rc)
		return rc;
	m = path[0] ? lookup(t, path, UINT64_MAX) : NULL;
	if (!m && (!path[0] || implicit_dir(t, path)))
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "%s in %s %s is a directory, not a regular file", relpath,
				     s->kind_name, s->spec);
	if (!m)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "%s not found in %s %s", relpath,
				     s->kind_name, s->spec);
	while (m->hardlink) {
		const struct tar_member *target = lookup(t, m->link, m->ordinal);

		if (!target || ++hops > PCS_REFSRC_MAXSYMLINKS)
			return pcs_error_set(err, PCS_ERR_IO,
					     "%s in %s %s is a hard link to %s, which is not "
					     "earlier in the archive",
					     relpath, s->kind_name, s->spec, m->link);
		m = target;
	}
	if (m->type != S_IFREG)
		return pcs_error_set(err, PCS_ERR_INVAL, "%s in %s %s is %s, not a regular file",
				     relpath, s->kind_name, s->spec, pcs_refsrc_mode_name(m->type));
	*out = m;
	return PCS_OK;
}

/* Open the archive for reading from its start. */
static enum pcs_errcode reader_open(const char *spec, struct archive **out, struct pcs_error *err)
{
	struct archive *a = archive_read_new();

	*out = NULL;
	if (!a)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a tar reader");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, spec, TAR_BLOCK_SIZE) < ARCHIVE_WARN) {
		enum pcs_errcode rc;

		if (archive_errno(a) != TAR_ERRNO_FILE_FORMAT)
			rc = pcs_error_set(err, PCS_ERR_IO, "cannot read %s as a tar archive: %s",
					   spec, archive_error_string(a));
		else if (archive_filter_count(a) > 1)
			rc = pcs_error_set(err, PCS_ERR_INVAL,
					   "%s is %s-compressed data, but not a tar archive", spec,
					   archive_filter_name(a, 0));
		else
			rc = pcs_error_set(err, PCS_ERR_INVAL, "%s", ""); /* not a tar */
		archive_read_free(a);
		return rc;
	}
	*out = a;
	return PCS_OK;
}

static void reader_close(struct refsrc_tar *t)
{
	if (t->a)
		archive_read_free(t->a);
	t->a = NULL;
	t->next = 0;
	t->data_unread = false;
}

/* Read the next header; *e NULL at the end of the archive. */
static enum pcs_errcode reader_next(struct refsrc_tar *t, struct archive_entry **e,
				    struct pcs_error *err)
{
	int r = archive_read_next_header(t->a, e);

	if (r == ARCHIVE_EOF) {
		*e = NULL;
		return PCS_OK;
	}
	if (r < ARCHIVE_WARN) {
		pcs_error_set(err, PCS_ERR_IO, "tar archive %s is damaged after %llu members: %s",
			      t->base.spec, (unsigned long long)t->next,
			      archive_error_string(t->a));
		reader_close(t);
		return PCS_ERR_IO;
	}
	t->next++;
	t->data_unread = true;
	return PCS_OK;
}

static enum pcs_errcode add_member(struct refsrc_tar *t, struct archive_entry *e, size_t *cap,
				   struct pcs_error *err)
{
	char name[PCS_REFSRC_PATH_MAX], target[PCS_REFSRC_PATH_MAX];
	const char *pathname = archive_entry_pathname(e);
	const char *hardlink = archive_entry_hardlink(e);
	const char *symlink = archive_entry_symlink(e);
	struct tar_member *m;

	/* Names that cannot be addressed (undecodable, too long, the root) are skipped. */
	if (!pathname || pcs_refsrc_normalise(pathname, name, 1, NULL) || !name[0])
		return PCS_OK;
	if (hardlink && pcs_refsrc_normalise(hardlink, target, 1, NULL))
		return PCS_OK;
	if (t->nr_members == *cap) {
		size_t ncap = *cap ? 2 * *cap : 256;
		struct tar_member *nm = realloc(t->members, ncap * sizeof(*nm));

		if (!nm)
			return pcs_error_set(err, PCS_ERR_NOMEM, "indexing tar archive %s",
					     t->base.spec);
		t->members = nm;
		*cap = ncap;
	}
	m = &t->members[t->nr_members];
	memset(m, 0, sizeof(*m));
	m->ordinal = t->next - 1;
	m->size = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e) : 0;
	m->type = archive_entry_filetype(e);
	/* A hard link carrying data (pax) is a regular file of its own. */
	m->hardlink = hardlink && !m->size;
	if (hardlink)
		m->type = S_IFREG;
	m->name = strdup(name);
	if (m->hardlink)
		m->link = strdup(target);
	else if (m->type == S_IFLNK)
		m->link = strdup(symlink ? symlink : "");
	if (!m->name || ((m->hardlink || m->type == S_IFLNK) && !m->link)) {
		free(m->name);
		free(m->link);
		return pcs_error_set(err, PCS_ERR_NOMEM, "indexing tar archive %s", t->base.spec);
	}
	t->nr_members++;
	return PCS_OK;
}

/* Scan every header once. */
static enum pcs_errcode index_archive(struct refsrc_tar *t, struct pcs_error *err)
{
	struct archive_entry *e;
	enum pcs_errcode rc;
	size_t cap = 0;

	for (;;) {
		rc = reader_next(t, &e, err);
		if (rc)
			return rc;
		if (!e)
			break;
		rc = add_member(t, e, &cap, err);
		if (rc)
			return rc;
	}
	/* libarchive takes any file starting with a zero block as an empty tar. */
	if (!t->next)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "%s holds no tar members: not a directory, an ext2/3/4 image "
				     "or a non-empty tar archive",
				     t->base.spec);
	if (t->nr_members)
		qsort(t->members, t->nr_members, sizeof(*t->members), member_cmp);
	reader_close(t); /* at the end: the first file open starts over */
	return PCS_OK;
}

/* Position the reader at member m's data, reading forward or starting over. */
static enum pcs_errcode seek_member(struct refsrc_tar *t, const struct tar_member *m,
				    struct pcs_error *err)
{
	char name[PCS_REFSRC_PATH_MAX];
	struct archive_entry *e = NULL;
	enum pcs_errcode rc;

	if (t->a && t->data_unread && t->next - 1 == m->ordinal)
		return PCS_OK;
	if (!t->a || m->ordinal < t->next) {
		reader_close(t);
		rc = reader_open(t->base.spec, &t->a, err);
		if (rc == PCS_ERR_INVAL)
			return pcs_error_set(
			    err, PCS_ERR_IO,
			    "tar archive %s changed: it is no longer a tar archive", t->base.spec);
		if (rc)
			return rc;
	}
	while (t->next <= m->ordinal) {
		rc = reader_next(t, &e, err);
		if (rc)
			return rc;
		if (!e) {
			reader_close(t);
			return pcs_error_set(err, PCS_ERR_IO,
					     "tar archive %s changed: it ends before %s",
					     t->base.spec, m->name);
		}
	}
	/* The index is from the same file: a different name means it was replaced. */
	if (!e || !archive_entry_pathname(e) ||
	    pcs_refsrc_normalise(archive_entry_pathname(e), name, 1, NULL) ||
	    strcmp(name, m->name)) {
		reader_close(t);
		return pcs_error_set(err, PCS_ERR_IO, "tar archive %s changed: %s moved",
				     t->base.spec, m->name);
	}
	return PCS_OK;
}

/* Read member m's data (positioned by seek_member) into buf (m->size bytes, zeroed). */
static enum pcs_errcode read_member(struct refsrc_tar *t, const struct tar_member *m,
				    unsigned char *buf, struct pcs_error *err)
{
	for (;;) {
		const void *blk;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(t->a, &blk, &len, &off);

		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			pcs_error_set(err, PCS_ERR_IO, "reading %s from tar archive %s: %s",
				      m->name, t->base.spec, archive_error_string(t->a));
			reader_close(t);
			return PCS_ERR_IO;
		}
		if (off < 0 || (uint64_t)off > m->size || len > m->size - (uint64_t)off) {
			reader_close(t);
			return pcs_error_set(err, PCS_ERR_IO,
					     "tar archive %s: data of %s runs past its size %llu",
					     t->base.spec, m->name, (unsigned long long)m->size);
		}
		if (len)
			memcpy(buf + off, blk, len);
	}
	t->data_unread = false;
	return PCS_OK;
}

/* Member m's data: the cached copy, or read from the archive (and cached). */
static enum pcs_errcode get_data(struct refsrc_tar *t, const struct tar_member *m,
				 struct tar_data **out, struct pcs_error *err)
{
	struct tar_data *d;
	enum pcs_errcode rc;

	if (t->last && t->last->ordinal == m->ordinal) {
		t->last->refs++;
		*out = t->last;
		return PCS_OK;
	}
	tar_data_put(t->last);
	t->last = NULL;
	d = calloc(1, sizeof(*d) + (size_t)m->size);
	if (!d)
		return pcs_error_set(err, PCS_ERR_NOMEM,
				     "allocating %llu bytes for %s from tar archive %s",
				     (unsigned long long)m->size, m->name, t->base.spec);
	d->refs = 2; /* the file's and the cache's */
	d->ordinal = m->ordinal;
	rc = seek_member(t, m, err);
	if (!rc)
		rc = read_member(t, m, d->bytes, err);
	if (rc) {
		free(d);
		return rc;
	}
	t->last = d;
	*out = d;
	return PCS_OK;
}

static enum pcs_errcode tar_file_open(struct pcs_refsrc *s, const char *relpath,
				      struct pcs_reffile **out, struct pcs_error *err)
{
	struct refsrc_tar *t = (struct refsrc_tar *)s;
	const struct tar_member *m;
	struct reffile_tar *f;
	enum pcs_errcode rc;

	rc = find_data_member(t, relpath, &m, err);
	if (rc)
		return rc;
	if (m->size > PCS_REFSRC_TAR_FILE_MAX)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "%s in %s %s has %llu MiB; files above %llu MiB are not read "
				     "from tar archives (extract it, or use an image)",
				     relpath, s->kind_name, s->spec,
				     (unsigned long long)(m->size >> 20),
				     (unsigned long long)(PCS_REFSRC_TAR_FILE_MAX >> 20));
	f = calloc(1, sizeof(*f));
	if (!f)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a reference file");
	f->base.src = s;
	f->base.size = m->size;
	if (m->size) {
		rc = get_data(t, m, &f->data, err);
		if (rc) {
			free(f);
			return rc;
		}
	}
	*out = &f->base;
	return PCS_OK;
}

static enum pcs_errcode tar_file_read(struct pcs_reffile *file, uint64_t off, void *buf, size_t len,
				      size_t *got, struct pcs_error *err)
{
	const struct reffile_tar *f = (const struct reffile_tar *)file;

	(void)err;
	memcpy(buf, f->data->bytes + off, len);
	*got = len;
	return PCS_OK;
}

static void tar_file_close(struct pcs_reffile *file)
{
	struct reffile_tar *f = (struct reffile_tar *)file;

	tar_data_put(f->data);
	free(f);
}

static uint64_t tar_order(struct pcs_refsrc *s, const char *relpath)
{
	const struct tar_member *m;

	if (find_data_member((struct refsrc_tar *)s, relpath, &m, NULL))
		return UINT64_MAX;
	return m->ordinal;
}

static void tar_close(struct pcs_refsrc *s)
{
	struct refsrc_tar *t = (struct refsrc_tar *)s;

	reader_close(t);
	tar_data_put(t->last);
	for (size_t i = 0; i < t->nr_members; i++) {
		free(t->members[i].name);
		free(t->members[i].link);
	}
	free(t->members);
	pcs_refsrc_release(s);
	free(t);
}

static const struct pcs_refsrc_ops tar_ops = {
    .file_open = tar_file_open,
    .file_read = tar_file_read,
    .file_close = tar_file_close,
    .order = tar_order,
    .close = tar_close,
};

enum pcs_errcode pcs_refsrc_tar_open(const char *spec, struct pcs_refsrc **out,
				     struct pcs_error *err)
{
	struct refsrc_tar *t;
	enum pcs_errcode rc;
	char kind[32];
	const char *filter;

	t = calloc(1, sizeof(*t));
	if (!t)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating reference source %s", spec);
	rc = reader_open(spec, &t->a, err);
	if (rc) {
		free(t);
		return rc;
	}
	filter = archive_filter_name(t->a, 0);
	if (!filter || !strcmp(filter, "none"))
		snprintf(kind, sizeof(kind), "tar archive");
	else
		snprintf(kind, sizeof(kind), "%s-compressed tar archive", filter);
	rc = pcs_refsrc_init(&t->base, &tar_ops, PCS_REFSRC_TAR, kind, spec, err);
	if (!rc)
		rc = index_archive(t, err);
	if (rc) {
		tar_close(&t->base);
		return rc;
	}
	*out = &t->base;
	return PCS_OK;
}
