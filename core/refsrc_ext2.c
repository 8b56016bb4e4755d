// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An ext2/3/4 image as reference source, read with libext2fs (unix I/O manager,
 * read-only, no mount, no root). Lookup is ext2fs_namei_follow() from the root
 * inode: absolute symlink targets start at the image's root and ".." stops
 * there, so no link leads outside the image. Holes and unwritten extents read
 * as zeros. The journal is not replayed: an image whose journal needs recovery
 * is refused (PCS_ERR_UNSUPPORTED).
 */
#include "refsrc_impl.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ext2fs/ext2fs.h>

struct refsrc_ext2 {
	struct pcs_refsrc base;
	ext2_filsys fs;
};

struct reffile_ext2 {
	struct pcs_reffile base;
	ext2_file_t file;
};

/* "ext2" / "ext3" / "ext4", the way blkid tells them apart. */
static const char *ext_version(ext2_filsys fs)
{
	struct ext2_super_block *sb = fs->super;

	if (ext2fs_has_feature_extents(sb) || ext2fs_has_feature_64bit(sb) ||
	    ext2fs_has_feature_flex_bg(sb) || ext2fs_has_feature_huge_file(sb) ||
	    ext2fs_has_feature_gdt_csum(sb) || ext2fs_has_feature_metadata_csum(sb) ||
	    ext2fs_has_feature_dir_nlink(sb) || ext2fs_has_feature_extra_isize(sb))
		return "ext4";
	if (ext2fs_has_feature_journal(sb))
		return "ext3";
	return "ext2";
}

/*
 * A truncated copy is the usual broken image: compare the file size with the
 * superblock's block count before libext2fs meets a short read somewhere.
 */
static enum pcs_errcode check_size(const char *spec, struct pcs_error *err)
{
	struct ext2_super_block sb;
	uint64_t blocks, need;
	struct stat st;
	int fd;

	fd = open(spec, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pcs_error_set(err, PCS_ERR_IO, "cannot read ext2/3/4 image %s: %s", spec,
				     strerror(errno));
	if (fstat(fd, &st) < 0 || pread(fd, &sb, sizeof(sb), SUPERBLOCK_OFFSET) != sizeof(sb)) {
		close(fd);
		return pcs_error_set(err, PCS_ERR_IO, "ext2/3/4 image %s: superblock unreadable",
				     spec);
	}
	close(fd);
	if (!S_ISREG(st.st_mode))
		return PCS_OK; /* a block device: libext2fs checks what it reads */
	if (le32toh(sb.s_log_block_size) > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE)
		return pcs_error_set(err, PCS_ERR_IO,
				     "ext2/3/4 image %s: superblock has no valid block size "
				     "(s_log_block_size %u)",
				     spec, le32toh(sb.s_log_block_size));
	blocks = le32toh(sb.s_blocks_count);
	if (le32toh(sb.s_feature_incompat) & EXT4_FEATURE_INCOMPAT_64BIT)
		blocks |= (uint64_t)le32toh(sb.s_blocks_count_hi) << 32;
	need = blocks << (EXT2_MIN_BLOCK_LOG_SIZE + le32toh(sb.s_log_block_size));
	if ((uint64_t)st.st_size < need)
		return pcs_error_set(err, PCS_ERR_IO,
				     "ext2/3/4 image %s is truncated: %llu bytes, its superblock "
				     "describes %llu (incomplete copy?)",
				     spec, (unsigned long long)st.st_size,
				     (unsigned long long)need);
	return PCS_OK;
}

static enum pcs_errcode ext2_file_open(struct pcs_refsrc *s, const char *relpath,
				       struct pcs_reffile **out, struct pcs_error *err)
{
	struct refsrc_ext2 *x = (struct refsrc_ext2 *)s;
	struct reffile_ext2 *f;
	struct ext2_inode inode;
	ext2_file_t file;
	ext2_ino_t ino;
	errcode_t ret;

	ret = ext2fs_namei_follow(x->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, relpath, &ino);
	if (ret == EXT2_ET_FILE_NOT_FOUND || ret == EXT2_ET_NO_DIRECTORY)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "%s not found in %s %s", relpath,
				     s->kind_name, s->spec);
	if (ret == EXT2_ET_SYMLINK_LOOP)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "too many levels of symbolic links resolving %s in %s %s",
				     relpath, s->kind_name, s->spec);
	if (ret)
		return pcs_error_set(err, PCS_ERR_IO, "looking up %s in %s %s: %s", relpath,
				     s->kind_name, s->spec, error_message(ret));
	ret = ext2fs_read_inode(x->fs, ino, &inode);
	if (ret)
		return pcs_error_set(err, PCS_ERR_IO, "reading inode %u (%s) of %s %s: %s", ino,
				     relpath, s->kind_name, s->spec, error_message(ret));
	if (!LINUX_S_ISREG(inode.i_mode))
		return pcs_error_set(err, PCS_ERR_INVAL, "%s in %s %s is %s, not a regular file",
				     relpath, s->kind_name, s->spec,
				     pcs_refsrc_mode_name(inode.i_mode));
	ret = ext2fs_file_open(x->fs, ino, 0, &file);
	if (ret)
		return pcs_error_set(err, PCS_ERR_IO, "opening inode %u (%s) of %s %s: %s", ino,
				     relpath, s->kind_name, s->spec, error_message(ret));
	f = calloc(1, sizeof(*f));
	if (!f) {
		ext2fs_file_close(file);
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a reference file");
	}
	f->base.src = s;
	f->base.size = EXT2_I_SIZE(&inode);
	f->file = file;
	*out = &f->base;
	return PCS_OK;
}

static enum pcs_errcode ext2_file_read(struct pcs_reffile *file, uint64_t off, void *buf,
				       size_t len, size_t *got, struct pcs_error *err)
{
	struct reffile_ext2 *f = (struct reffile_ext2 *)file;
	const struct pcs_refsrc *s = file->src;
	size_t done = 0;
	errcode_t ret;

	ret = ext2fs_file_llseek(f->file, off, EXT2_SEEK_SET, NULL);
	while (!ret && done < len) {
		unsigned int want = len - done > (1U << 30) ? 1U << 30 : (unsigned int)(len - done);
		unsigned int n = 0;

		ret = ext2fs_file_read(f->file, (char *)buf + done, want, &n);
		if (!ret && !n)
			break;
		done += n;
	}
	if (ret)
		return pcs_error_set(err, PCS_ERR_IO,
				     "reading inode %u of %s %s at offset %llu: %s",
				     ext2fs_file_get_inode_num(f->file), s->kind_name, s->spec,
				     (unsigned long long)(off + done), error_message(ret));
	*got = done;
	return PCS_OK;
}

static void ext2_file_close(struct pcs_reffile *file)
{
	struct reffile_ext2 *f = (struct reffile_ext2 *)file;

	ext2fs_file_close(f->file);
	free(f);
}

static void ext2_close(struct pcs_refsrc *s)
{
	struct refsrc_ext2 *x = (struct refsrc_ext2 *)s;

	ext2fs_close_free(&x->fs);
	pcs_refsrc_release(s);
	free(x);
}

static const struct pcs_refsrc_ops ext2_ops = {
    .file_open = ext2_file_open,
    .file_read = ext2_file_read,
    .file_close = ext2_file_close,
    .close = ext2_close,
};

enum pcs_errcode pcs_refsrc_ext2_open(const char *spec, struct pcs_refsrc **out,
				      struct pcs_error *err)
{
	enum pcs_errcode rc;
	char kind[32];
	struct refsrc_ext2 *x;
	ext2_filsys fs;
	errcode_t ret;

	rc = check_size(spec, err);
	if (rc)
		return rc;
	initialize_ext2_error_table(); /* for error_message(); adds itself once */
	ret = ext2fs_open(spec, EXT2_FLAG_64BITS, 0, 0, unix_io_manager, &fs);
	if (ret)
		return pcs_error_set(err, PCS_ERR_IO, "cannot open ext2/3/4 image %s: %s", spec,
				     error_message(ret));
	/* Metadata still in the journal would show as differences that are not there. */
	if (ext2fs_has_feature_journal_needs_recovery(fs->super)) {
		ext2fs_close_free(&fs);
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "ext2/3/4 image %s has a journal that needs recovery (copied "
				     "while mounted?): run e2fsck on a copy of it first",
				     spec);
	}
	x = calloc(1, sizeof(*x));
	if (!x) {
		ext2fs_close_free(&fs);
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating reference source %s", spec);
	}
	x->fs = fs;
	snprintf(kind, sizeof(kind), "%s image", ext_version(fs));
	if (pcs_refsrc_init(&x->base, &ext2_ops, PCS_REFSRC_EXT2, kind, spec, err)) {
		ext2fs_close_free(&x->fs);
		free(x);
		return PCS_ERR_NOMEM;
	}
	*out = &x->base;
	return PCS_OK;
}
