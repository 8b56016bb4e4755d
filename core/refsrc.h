/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reference sources: where `verify` finds the known-good copy of a file whose
 * pages it compares with the page cache of the dump. Three kinds, detected from
 * the source itself:
 *
 *   directory    a copy of the guest's tree (read with openat/pread)
 *   ext2/3/4     a filesystem image, read with libext2fs without mounting (no root
 *                needed). The journal is not replayed: an image whose journal needs
 *                recovery is refused (PCS_ERR_UNSUPPORTED), e2fsck a copy first
 *   tar archive  anything libarchive reads as tar, optionally compressed
 *                (gzip, xz, zstd, bzip2, ...)
 *
 * Paths are relative to the source's root: "firmware.bin", "sub/dir/f" (leading
 * '/' and "./" are ignored, "//" and "." collapse). A ".." that would climb
 * above the root is refused (PCS_ERR_INVAL). Symbolic links are followed as if
 * the source were the guest's root filesystem: an absolute target starts at the
 * source's root and ".." stops there, so nothing outside the source is ever
 * read. Holes in sparse files read as zeros (that is what the file contains).
 *
 * Tar archives are read sequentially. pcs_refsrc_open() scans the headers once
 * (skipping the data) to index path -> member. Opening a member reads its data
 * into memory (at most PCS_REFSRC_TAR_FILE_MAX bytes, else PCS_ERR_UNSUPPORTED),
 * going forward from the archive's current position when the member lies ahead
 * and reopening the archive otherwise. Open files in pcs_refsrc_order() order to
 * read a compressed archive once (O(n)); any order works. Memory: the data of
 * each open file, plus the member read last (kept for its hard links).
 *
 * Errors: PCS_ERR_IO when the source is unreadable or damaged (truncated image or
 * archive), PCS_ERR_INVAL for a source of unknown kind, a non-regular file, a ".."
 * escape, a symbolic link loop; PCS_ERR_NOTFOUND for a missing path;
 * PCS_ERR_UNSUPPORTED (tar member too big, image needing journal recovery);
 * PCS_ERR_NOMEM. Messages are one line naming the path and the source.
 *
 * Not thread-safe: one thread per struct pcs_refsrc (and its files), except
 * that where pcs_refsrc_parallel_reads() says so, files already open may be
 * read (pcs_reffile_pread, pcs_reffile_read_page) from other threads at the same
 * time, while one thread opens and closes files.
 */
#ifndef PCS_REFSRC_H
#define PCS_REFSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define PCS_REFSRC_TAR_FILE_MAX (256ULL << 20)

struct pcs_refsrc;  /* an open reference source */
struct pcs_reffile; /* one open regular file of a source */

enum pcs_refsrc_kind {
	PCS_REFSRC_DIR,
	PCS_REFSRC_EXT2, /* ext2, ext3 or ext4 */
	PCS_REFSRC_TAR,
};

/*
 * Detect the kind of spec (a directory; an ext2/3/4 superblock; a tar archive,
 * compressed or not) and open it. *out is NULL on failure.
 */
enum pcs_errcode pcs_refsrc_open(const char *spec, struct pcs_refsrc **out, struct pcs_error *err);
void pcs_refsrc_close(struct pcs_refsrc *s);
/*
 * The live files under directory dir themselves, read with O_DIRECT (bypassing
 * the page cache: what the storage holds), as a directory source. A file whose
 * file system refuses O_DIRECT (EINVAL: tmpfs, ...) fails to open with
 * PCS_ERR_UNSUPPORTED "no O_DIRECT on tmpfs: no independent reference".
 */
enum pcs_errcode pcs_refsrc_open_direct(const char *dir, struct pcs_refsrc **out,
					struct pcs_error *err);

enum pcs_refsrc_kind pcs_refsrc_kind(const struct pcs_refsrc *s);
/* "directory", "ext2/ext3/ext4 image", "tar archive", "gzip-compressed tar archive"... */
const char *pcs_refsrc_kind_name(const struct pcs_refsrc *s);

/*
 * May open files be read from several threads at once (see above)? True for
 * directories (pread) and tar archives (members in memory); false for ext2/3/4
 * images (libext2fs keeps one I/O channel with its own block cache).
 */
bool pcs_refsrc_parallel_reads(const struct pcs_refsrc *s);

/*
 * Sort key for reading many files: a tar member's position in the archive
 * (symbolic and hard links resolved; UINT64_MAX when absent). 0 for directories
 * and images, whose files can be read in any order at no cost.
 */
uint64_t pcs_refsrc_order(struct pcs_refsrc *s, const char *relpath);

/*
 * Open the regular file relpath (symbolic links followed inside the source).
 * PCS_ERR_NOTFOUND when absent, PCS_ERR_INVAL when it is not a regular file (the
 * message says what it is).
 */
enum pcs_errcode pcs_reffile_open(struct pcs_refsrc *s, const char *relpath,
				  struct pcs_reffile **out, struct pcs_error *err);
uint64_t pcs_reffile_size(const struct pcs_reffile *f);
/* Read up to len bytes at off; *got = bytes read (short only at EOF, 0 past EOF). */
enum pcs_errcode pcs_reffile_pread(struct pcs_reffile *f, uint64_t off, void *buf, size_t len,
				   size_t *got, struct pcs_error *err);
void pcs_reffile_close(struct pcs_reffile *f);

/*
 * Page index of reffile (a struct pcs_reffile *) into buf (page_size bytes), zero
 * past EOF as in the page cache; *got (may be NULL): bytes the file has there
 * (0: past its end). The shape of core/verify.h's pcs_ref_page_fn, and the
 * counterpart of pcs_ref_read_page() (core/diff.h) for reference sources.
 */
enum pcs_errcode pcs_reffile_read_page(void *reffile, uint64_t index, uint32_t page_size, void *buf,
				       size_t *got, struct pcs_error *err);

#endif /* PCS_REFSRC_H */
