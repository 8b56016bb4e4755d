// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth bundle --tar: the bundle directory as one xz-compressed tar archive. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum pcs_errcode add_file(struct archive *a, const char *dir, const char *top,
				 const char *name, struct pcs_error *err)
{
	char p[4096], in[4096], buf[65536];
	struct stat sb;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	snprintf(in, sizeof(in), "%s/%s", top, name);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		if (fd >= 0)
			close(fd);
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", p, strerror(errno));
	}
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, in);
	archive_entry_set_size(e, sb.st_size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, sb.st_mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		close(fd);
		return pcs_error_set(err, PCS_ERR_IO, "archive: %s", archive_error_string(a));
	}
	archive_entry_free(e);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (archive_write_data(a, buf, (size_t)n) != n) {
			close(fd);
			return pcs_error_set(err, PCS_ERR_IO, "archive: %s",
					     archive_error_string(a));
		}
	close(fd);
	return n < 0 ? pcs_error_set(err, PCS_ERR_IO, "%s: %s", p, strerror(errno)) : PCS_OK;
}

enum pcs_errcode sa_bundle_tar(const char *dir, const char *archive, struct pcs_error *err)
{
	struct archive *a = archive_write_new();
	char *names[512], top[256];
	size_t n = 0;
	enum pcs_errcode rc = PCS_OK;
	DIR *d;
	struct dirent *e;
	const char *base = strrchr(archive, '/');

	/* Members live under the archive's own name: "bug123.tar.xz" -> "bug123/..." */
	snprintf(top, sizeof(top), "%s", base ? base + 1 : archive);
	if (strlen(top) > 7 && !strcmp(top + strlen(top) - 7, ".tar.xz"))
		top[strlen(top) - 7] = '\0';
	if (!a)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	d = opendir(dir);
	if (!d) {
		archive_write_free(a);
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", dir, strerror(errno));
	}
	while ((e = readdir(d)) && n < 512)
		if (e->d_name[0] != '.' && e->d_type != DT_DIR && (names[n] = strdup(e->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_xz(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, archive) != ARCHIVE_OK)
		rc = pcs_error_set(err, PCS_ERR_IO, "%s: %s", archive, archive_error_string(a));
	for (size_t i = 0; i < n; i++) {
		if (!rc)
			rc = add_file(a, dir, top, names[i], err);
		free(names[i]);
	}
	if (archive_write_close(a) != ARCHIVE_OK && !rc)
		rc = pcs_error_set(err, PCS_ERR_IO, "%s: %s", archive, archive_error_string(a));
	archive_write_free(a);
	if (rc)
		unlink(archive);
	return rc;
}
