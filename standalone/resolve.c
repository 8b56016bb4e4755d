// SPDX-License-Identifier: GPL-2.0-or-later
#include "resolve.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* pcs_error_wrap() returns PCS_OK when err is NULL: keep the code then. */
#define WRAP(rc, err, ...) ((err) ? pcs_error_wrap(err, __VA_ARGS__) : (rc))

enum pcs_errcode sa_resolve_file(const struct pcs_kernel *k, const char *path, uint64_t inode,
				 uint64_t mapping, struct sa_file *f, struct pcs_error *err)
{
	struct pcs_fs fs;
	enum pcs_errcode rc = PCS_ERR_NOTYPE;
	bool have_fs;

	memset(f, 0, sizeof(*f));
	f->size = UINT64_MAX;
	have_fs = pcs_fs_init(&fs, k, path ? err : NULL) == PCS_OK;
	if (path) {
		if (!have_fs)
			return WRAP(rc, err, "cannot look up %s", path);
		if ((rc = pcs_fs_lookup(&fs, path, &inode, err)))
			return rc;
		snprintf(f->path, sizeof(f->path), "%s", path);
	}
	if (inode) {
		struct pcs_inode_info ii;

		if ((rc = pcs_inode_read(k, inode, &ii, err)))
			return WRAP(rc, err, "inode 0x%" PRIx64, inode);
		f->inode = inode;
		f->ino = ii.ino;
		f->size = ii.size;
		mapping = ii.mapping;
		if (!mapping)
			return pcs_error_set(err, PCS_ERR_NOTFOUND,
					     "inode 0x%" PRIx64 " has no i_mapping", inode);
	}
	struct pcs_mapping_info mi;

	if ((rc = pcs_mapping_read(k, mapping, &mi, err)))
		return WRAP(rc, err, "address_space 0x%" PRIx64, mapping);
	f->mapping = mapping;
	f->nrpages = mi.nrpages;
	if (!inode && mi.host) {
		struct pcs_inode_info ii;

		if (pcs_inode_read(k, mi.host, &ii, NULL) == PCS_OK) {
			f->inode = mi.host;
			f->ino = ii.ino;
			f->size = ii.size;
		}
	}
	if (!f->path[0] && f->inode && have_fs &&
	    pcs_fs_inode_path(&fs, f->inode, f->path, sizeof(f->path), NULL) != PCS_OK)
		f->path[0] = '\0';
	return PCS_OK;
}
