/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PATH | --inode | --mapping → the address_space to walk, with its inode facts. */
#ifndef SA_RESOLVE_H
#define SA_RESOLVE_H

#include "fs.h"
#include "kernel.h"
#include "pagecache.h"

struct sa_file {
	uint64_t mapping;
	uint64_t inode; /* 0 if unknown */
	uint64_t ino;
	uint64_t size; /* i_size; UINT64_MAX if unknown */
	uint64_t nrpages;
	char path[PCS_FS_PATH_MAX];
};

enum pcs_errcode sa_resolve_file(const struct pcs_kernel *k, const char *path, uint64_t inode,
				 uint64_t mapping, struct sa_file *f, struct pcs_error *err);

#endif
