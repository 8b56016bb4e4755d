/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files in the dumped kernel: superblocks, their inodes (including files no
 * process has open: super_blocks -> s_inodes / i_sb_list), absolute paths
 * (dentry d_parent/d_name + the superblock's mount: s_mounts, mnt_parent,
 * mnt_mountpoint) and path -> inode lookup through the dentry cache
 * (d_subdirs/d_child before 6.8, d_children/d_sib after) crossing mounts.
 *
 * Every list walk is bounded and loop-checked: a corrupted dump cannot hang it.
 */
#ifndef PCS_FS_H
#define PCS_FS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#define PCS_FS_PATH_MAX 4096

struct pcs_fs {
	const struct pcs_kernel *k;
	const struct pcs_target *t;
	uint64_t super_blocks; /* &super_blocks */
	struct {
		uint64_t s_list, s_inodes, s_id, s_type, s_root, s_mounts;
	} sb;
	uint64_t fstype_name; /* file_system_type.name */
	struct {
		uint64_t i_sb_list, i_dentry, i_mode, i_ino, i_size, i_mapping, i_sb;
	} inode;
	uint64_t as_nrpages; /* address_space.nrpages */
	struct {
		uint64_t d_alias, d_parent, d_name_name, d_name_len, d_inode, d_sb;
		uint64_t d_subdirs, d_child; /* list_head (< 6.8) or hlist (d_children/d_sib) */
		bool hlist_children;
	} dentry;
	struct {
		uint64_t mnt, mnt_parent, mnt_mountpoint, mnt_instance, mnt_mounts, mnt_child;
		uint64_t vfs_mnt_root;
	} mount;
	struct {
		uint64_t task_fs, fs_root, path_mnt, path_dentry;
	} task;
};

/* Find the layout. Fails naming the first missing struct member. */
enum pcs_errcode pcs_fs_init(struct pcs_fs *fs, const struct pcs_kernel *k, struct pcs_error *err);

struct pcs_fs_file {
	uint64_t inode, ino, size, nrpages, mapping, sb;
	uint16_t mode;
	const char *path;   /* absolute path, or "fstype:s_id:inode N" when not derivable */
	bool has_path;	    /* path came from a dentry */
	const char *fstype; /* "ext4", "tmpfs", "bdev" */
	const char *sb_id;  /* s_id, e.g. "vda" */
};

/* Return nonzero to stop. */
typedef int (*pcs_fs_file_fn)(const struct pcs_fs_file *f, void *arg);

/*
 * Every inode of every superblock with at least one page cached (all inodes when
 * cached_only is false). Inodes whose path cannot be built are still reported.
 */
enum pcs_errcode pcs_fs_for_each_inode(const struct pcs_fs *fs, bool cached_only, pcs_fs_file_fn fn,
				       void *arg, struct pcs_error *err);

/* Absolute path of a dentry seen through mount (a struct mount address). */
enum pcs_errcode pcs_fs_dentry_path(const struct pcs_fs *fs, uint64_t dentry, uint64_t mount,
				    char *buf, size_t len, struct pcs_error *err);

/* Absolute path of an inode (first alias dentry, first mount of its superblock). */
enum pcs_errcode pcs_fs_inode_path(const struct pcs_fs *fs, uint64_t inode, char *buf, size_t len,
				   struct pcs_error *err);

/* A superblock's file-system type name ("ext4"; "?" unreadable) and s_id ("vda"; ""). */
struct pcs_fs_sb_name {
	char fstype[32];
	char id[33];
};
void pcs_fs_sb_name(const struct pcs_fs *fs, uint64_t sb, struct pcs_fs_sb_name *n);

/*
 * A name for an inode: its absolute path (pcs_fs_inode_path(), true), else
 * "fstype:s_id:inode N" as pcs_fs_for_each_inode() names it (false).
 */
bool pcs_fs_inode_name(const struct pcs_fs *fs, uint64_t inode, char *buf, size_t len);

/* Look an absolute path up in the dentry cache from pid 1's root. */
enum pcs_errcode pcs_fs_lookup(const struct pcs_fs *fs, const char *path, uint64_t *inode,
			       struct pcs_error *err);

#endif /* PCS_FS_H */
