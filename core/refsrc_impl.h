/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the reference sources (core/refsrc*.c only): the operations each kind
 * implements, the base structs every kind embeds first, and the path helpers
 * they share.
 */
#ifndef PCS_REFSRC_IMPL_H
#define PCS_REFSRC_IMPL_H

#include <sys/types.h>

#include "refsrc.h"

#define PCS_REFSRC_PATH_MAX    4096
#define PCS_REFSRC_MAXSYMLINKS 40 /* the kernel's MAXSYMLINKS */

struct pcs_refsrc_ops {
	/* relpath: normalised (pcs_refsrc_normalise), never "" (the root). */
	enum pcs_errcode (*file_open)(struct pcs_refsrc *s, const char *relpath,
				      struct pcs_reffile **out, struct pcs_error *err);
	/* 0 < len <= size - off; *got short only if the file ended early. */
	enum pcs_errcode (*file_read)(struct pcs_reffile *f, uint64_t off, void *buf, size_t len,
				      size_t *got, struct pcs_error *err);
	void (*file_close)(struct pcs_reffile *f);
	/* NULL: every file has order 0. */
	uint64_t (*order)(struct pcs_refsrc *s, const char *relpath);
	void (*close)(struct pcs_refsrc *s);
};

struct pcs_refsrc {
	const struct pcs_refsrc_ops *ops;
	enum pcs_refsrc_kind kind;
	char kind_name[32];
	char *spec; /* as given, for messages */
};

struct pcs_reffile {
	struct pcs_refsrc *src;
	uint64_t size;
};

/* Each kind's opener, for a spec already classified (directory, ext magic, other). */
enum pcs_errcode pcs_refsrc_dir_open(const char *spec, struct pcs_refsrc **out,
				     struct pcs_error *err);
enum pcs_errcode pcs_refsrc_ext2_open(const char *spec, struct pcs_refsrc **out,
				      struct pcs_error *err);
/* Not a tar archive: PCS_ERR_INVAL with an empty message (the caller words it). */
enum pcs_errcode pcs_refsrc_tar_open(const char *spec, struct pcs_refsrc **out,
				     struct pcs_error *err);

/* Fill the base fields (spec is copied). PCS_ERR_NOMEM. */
enum pcs_errcode pcs_refsrc_init(struct pcs_refsrc *s, const struct pcs_refsrc_ops *ops,
				 enum pcs_refsrc_kind kind, const char *kind_name, const char *spec,
				 struct pcs_error *err);
/* Free the base fields (not s itself). */
void pcs_refsrc_release(struct pcs_refsrc *s);

/*
 * Normalise path into out (size PCS_REFSRC_PATH_MAX): leading '/', empty and "."
 * components dropped. A user's path (lexical 0) keeps its ".." components for
 * pcs_refsrc_resolve() to walk, and PCS_ERR_INVAL when one climbs above the root.
 * A tar member name (lexical 1) has ".." applied to the text, stopping at the
 * root. "" is the root. PCS_ERR_INVAL when too long.
 */
enum pcs_errcode pcs_refsrc_normalise(const char *path, char *out, int lexical,
				      struct pcs_error *err);

/*
 * Read the symbolic link at path (a canonical path relative to the root, no
 * symlinks in it but perhaps the last component). Return the target's length
 * (> 0, target in buf, NUL-terminated) if path is a symbolic link, 0 if it is
 * anything else or absent, -errno on failure.
 */
typedef ssize_t (*pcs_refsrc_readlink_fn)(void *ctx, const char *path, char *buf, size_t size);

/*
 * Resolve normalised relpath into canonical out (size PCS_REFSRC_PATH_MAX): every
 * symbolic link followed, chroot-style (absolute targets start at the root, ".."
 * at the root stays there), no ".." or symlink left. The last component need not
 * exist. PCS_ERR_INVAL on a loop, PCS_ERR_IO when readlink fails.
 */
enum pcs_errcode pcs_refsrc_resolve(const struct pcs_refsrc *s, const char *relpath,
				    pcs_refsrc_readlink_fn readlink_fn, void *ctx, char *out,
				    struct pcs_error *err);

/* "a directory", "a symbolic link", "a character device"... for st_mode / i_mode. */
const char *pcs_refsrc_mode_name(unsigned int mode);

#endif /* PCS_REFSRC_IMPL_H */
