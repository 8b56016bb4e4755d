// SPDX-License-Identifier: GPL-2.0-or-later
#include "fs.h"
#include "loopcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* pcs_error_wrap() returns PCS_OK when err is NULL: keep the code then. */
#define WRAP(rc, err, ...) ((err) ? pcs_error_wrap(err, __VA_ARGS__) : (rc))

#define FS_MAX_LIST  (1u << 24) /* list entries before we call it a loop */
#define FS_MAX_DEPTH 256	/* path components / mount hops */

static enum pcs_errcode off(const struct pcs_fs *fs, const char *type, const char *member,
			    uint64_t *o, struct pcs_error *err)
{
	return pcs_kernel_offset(fs->t, type, member, o, err);
}

enum pcs_errcode pcs_fs_init(struct pcs_fs *fs, const struct pcs_kernel *k, struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	enum pcs_errcode rc;

	memset(fs, 0, sizeof(*fs));
	fs->k = k;
	fs->t = t;
#define O(type, member, dst)                                                                       \
	do {                                                                                       \
		if ((rc = off(fs, type, member, dst, err)))                                        \
			return WRAP(rc, err, "file walk");                                         \
	} while (0)
	if ((rc = pcs_symbol(t, "super_blocks", &fs->super_blocks, err)))
		return rc;
	O("super_block", "s_list", &fs->sb.s_list);
	O("super_block", "s_inodes", &fs->sb.s_inodes);
	O("super_block", "s_id", &fs->sb.s_id);
	O("super_block", "s_type", &fs->sb.s_type);
	O("super_block", "s_root", &fs->sb.s_root);
	O("super_block", "s_mounts", &fs->sb.s_mounts);
	O("file_system_type", "name", &fs->fstype_name);
	O("inode", "i_sb_list", &fs->inode.i_sb_list);
	O("inode", "i_dentry", &fs->inode.i_dentry);
	O("inode", "i_mode", &fs->inode.i_mode);
	O("inode", "i_ino", &fs->inode.i_ino);
	O("inode", "i_size", &fs->inode.i_size);
	O("inode", "i_mapping", &fs->inode.i_mapping);
	O("inode", "i_sb", &fs->inode.i_sb);
	O("address_space", "nrpages", &fs->as_nrpages);
	if (off(fs, "dentry", "d_u.d_alias", &fs->dentry.d_alias, NULL))
		O("dentry", "d_alias", &fs->dentry.d_alias);
	O("dentry", "d_parent", &fs->dentry.d_parent);
	O("dentry", "d_name.name", &fs->dentry.d_name_name);
	O("dentry", "d_name.len", &fs->dentry.d_name_len);
	O("dentry", "d_inode", &fs->dentry.d_inode);
	O("dentry", "d_sb", &fs->dentry.d_sb);
	if (off(fs, "dentry", "d_subdirs", &fs->dentry.d_subdirs, NULL) == PCS_OK) {
		O("dentry", "d_child", &fs->dentry.d_child);
	} else {
		O("dentry", "d_children", &fs->dentry.d_subdirs);
		O("dentry", "d_sib", &fs->dentry.d_child);
		fs->dentry.hlist_children = true;
	}
	O("mount", "mnt", &fs->mount.mnt);
	O("mount", "mnt_parent", &fs->mount.mnt_parent);
	O("mount", "mnt_mountpoint", &fs->mount.mnt_mountpoint);
	O("mount", "mnt_instance", &fs->mount.mnt_instance);
	O("mount", "mnt_mounts", &fs->mount.mnt_mounts);
	O("mount", "mnt_child", &fs->mount.mnt_child);
	O("vfsmount", "mnt_root", &fs->mount.vfs_mnt_root);
	O("task_struct", "fs", &fs->task.task_fs);
	O("fs_struct", "root", &fs->task.fs_root);
	O("path", "mnt", &fs->task.path_mnt);
	O("path", "dentry", &fs->task.path_dentry);
#undef O
	return PCS_OK;
}

static enum pcs_errcode rd(const struct pcs_fs *fs, uint64_t addr, uint64_t *v,
			   struct pcs_error *err)
{
	return pcs_read_u64(fs->t, addr, v, err);
}

static enum pcs_errcode read_str(const struct pcs_fs *fs, uint64_t addr, char *buf, size_t len,
				 struct pcs_error *err)
{
	/* Read byte-wise up to a page boundary, then on: strings here are short. */
	size_t i = 0;

	while (i + 1 < len) {
		size_t chunk = 64 - ((addr + i) & 63);
		char tmp[64];

		if (chunk > len - 1 - i)
			chunk = len - 1 - i;
		enum pcs_errcode rc = pcs_read(fs->t, PCS_KVADDR, addr + i, tmp, chunk, err);

		if (rc)
			return rc;
		for (size_t j = 0; j < chunk; j++) {
			buf[i++] = tmp[j];
			if (!tmp[j])
				return PCS_OK;
		}
	}
	buf[i] = '\0';
	return PCS_OK;
}

static enum pcs_errcode dentry_name(const struct pcs_fs *fs, uint64_t dentry, char *buf, size_t len,
				    uint32_t *nlen, struct pcs_error *err)
{
	uint64_t name;
	uint32_t n;
	enum pcs_errcode rc;

	if ((rc = rd(fs, dentry + fs->dentry.d_name_name, &name, err)) ||
	    (rc = pcs_read_u32(fs->t, dentry + fs->dentry.d_name_len, &n, err)))
		return rc;
	if (n >= len || n > 255)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "dentry 0x%" PRIx64 " has name length %u", dentry, n);
	if (n && (rc = pcs_read(fs->t, PCS_KVADDR, name, buf, n, err)))
		return rc;
	buf[n] = '\0';
	*nlen = n;
	return PCS_OK;
}

enum pcs_errcode pcs_fs_dentry_path(const struct pcs_fs *fs, uint64_t dentry, uint64_t mount,
				    char *buf, size_t len, struct pcs_error *err)
{
	char tmp[PCS_FS_PATH_MAX];
	size_t pos = sizeof(tmp) - 1;
	enum pcs_errcode rc;

	tmp[pos] = '\0';
	for (int hops = 0; hops < FS_MAX_DEPTH * 4; hops++) {
		uint64_t parent, mnt_root = 0;

		if (mount &&
		    (rc = rd(fs, mount + fs->mount.mnt + fs->mount.vfs_mnt_root, &mnt_root, err)))
			return rc;
		if ((rc = rd(fs, dentry + fs->dentry.d_parent, &parent, err)))
			return rc;
		if (dentry == mnt_root || parent == dentry) {
			uint64_t mparent, mp;

			if (!mount)
				goto done;
			if ((rc = rd(fs, mount + fs->mount.mnt_parent, &mparent, err)) ||
			    (rc = rd(fs, mount + fs->mount.mnt_mountpoint, &mp, err)))
				return rc;
			if (mparent == mount || !mparent)
				goto done;
			dentry = mp;
			mount = mparent;
			continue;
		}
		char name[256];
		uint32_t n;

		if ((rc = dentry_name(fs, dentry, name, sizeof(name), &n, err)))
			return rc;
		if (n + 1 > pos)
			return pcs_error_set(err, PCS_ERR_CORRUPT, "path longer than %d bytes",
					     PCS_FS_PATH_MAX);
		pos -= n;
		memcpy(tmp + pos, name, n);
		tmp[--pos] = '/';
		dentry = parent;
	}
	return pcs_error_set(err, PCS_ERR_CORRUPT, "dentry chain too deep (loop?)");
done:
	if (tmp[pos] == '\0')
		tmp[--pos] = '/';
	snprintf(buf, len, "%s", tmp + pos);
	return PCS_OK;
}

/* First struct mount of a superblock (sb->s_mounts), 0 if none. */
static uint64_t sb_first_mount(const struct pcs_fs *fs, uint64_t sb)
{
	uint64_t first;

	if (rd(fs, sb + fs->sb.s_mounts, &first, NULL) || first == sb + fs->sb.s_mounts || !first)
		return 0;
	return first - fs->mount.mnt_instance;
}

enum pcs_errcode pcs_fs_inode_path(const struct pcs_fs *fs, uint64_t inode, char *buf, size_t len,
				   struct pcs_error *err)
{
	uint64_t first, sb;
	enum pcs_errcode rc;

	if ((rc = rd(fs, inode + fs->inode.i_dentry, &first, err)) ||
	    (rc = rd(fs, inode + fs->inode.i_sb, &sb, err)))
		return rc;
	if (!first)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "inode 0x%" PRIx64 " has no dentry",
				     inode);
	uint64_t dentry = first - fs->dentry.d_alias;
	uint64_t mount = sb_first_mount(fs, sb);

	rc = pcs_fs_dentry_path(fs, dentry, mount, buf, len, err);
	if (rc == PCS_OK && !mount) {
		/* internal superblock (no mount): prefix the fs type */
		char path[PCS_FS_PATH_MAX];
		uint64_t type, name;
		char tname[32] = "?";

		if (!rd(fs, sb + fs->sb.s_type, &type, NULL) &&
		    !rd(fs, type + fs->fstype_name, &name, NULL))
			read_str(fs, name, tname, sizeof(tname), NULL);
		snprintf(path, sizeof(path), "%s:%s", tname, buf);
		snprintf(buf, len, "%s", path);
	}
	return rc;
}

void pcs_fs_sb_name(const struct pcs_fs *fs, uint64_t sb, struct pcs_fs_sb_name *n)
{
	uint64_t type, name;

	memset(n, 0, sizeof(*n));
	if (!sb || rd(fs, sb + fs->sb.s_type, &type, NULL) || !type ||
	    rd(fs, type + fs->fstype_name, &name, NULL) ||
	    read_str(fs, name, n->fstype, sizeof(n->fstype), NULL))
		snprintf(n->fstype, sizeof(n->fstype), "?");
	if (!sb || pcs_read(fs->t, PCS_KVADDR, sb + fs->sb.s_id, n->id, sizeof(n->id) - 1, NULL))
		memset(n->id, 0, sizeof(n->id));
	n->id[sizeof(n->id) - 1] = '\0';
}

/* The name of an inode no dentry gives a path for. */
static void unnamed_path(char *buf, size_t len, const struct pcs_fs_sb_name *n, uint64_t ino)
{
	snprintf(buf, len, "%s:%s:inode %" PRIu64, n->fstype, n->id, ino);
}

bool pcs_fs_inode_name(const struct pcs_fs *fs, uint64_t inode, char *buf, size_t len)
{
	struct pcs_fs_sb_name n;
	uint64_t sb = 0, ino = 0;

	if (pcs_fs_inode_path(fs, inode, buf, len, NULL) == PCS_OK)
		return true;
	if (rd(fs, inode + fs->inode.i_sb, &sb, NULL))
		sb = 0;
	if (rd(fs, inode + fs->inode.i_ino, &ino, NULL))
		ino = 0;
	pcs_fs_sb_name(fs, sb, &n);
	unnamed_path(buf, len, &n, ino);
	return false;
}

enum pcs_errcode pcs_fs_for_each_inode(const struct pcs_fs *fs, bool cached_only, pcs_fs_file_fn fn,
				       void *arg, struct pcs_error *err)
{
	uint64_t head = fs->super_blocks, pos;
	enum pcs_errcode rc;
	uint32_t nsb = 0;
	struct pcs_loopcheck lsb = PCS_LOOPCHECK_INIT;

	if ((rc = rd(fs, head, &pos, err)))
		return WRAP(rc, err, "reading super_blocks");
	while (pos != head) {
		if (pcs_loopcheck_step(&lsb, pos))
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "super_blocks list loops at 0x%" PRIx64, pos);
		uint64_t sb = pos - fs->sb.s_list;
		struct pcs_fs_sb_name sbn;
		const char *fstype = sbn.fstype;

		if (++nsb > 65536)
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "super_blocks list does not end");
		pcs_fs_sb_name(fs, sb, &sbn);

		uint64_t ihead = sb + fs->sb.s_inodes, ipos;
		uint32_t n = 0;
		struct pcs_loopcheck li = PCS_LOOPCHECK_INIT;

		if ((rc = rd(fs, ihead, &ipos, err)))
			return WRAP(rc, err, "superblock 0x%" PRIx64 " (%s) s_inodes", sb, fstype);
		while (ipos != ihead) {
			uint64_t inode = ipos - fs->inode.i_sb_list;
			struct pcs_fs_file f = {
			    .inode = inode, .sb = sb, .fstype = sbn.fstype, .sb_id = sbn.id};
			char path[PCS_FS_PATH_MAX];

			if (++n > FS_MAX_LIST || pcs_loopcheck_step(&li, ipos))
				return pcs_error_set(err, PCS_ERR_CORRUPT,
						     "s_inodes of superblock 0x%" PRIx64
						     " loops at 0x%" PRIx64,
						     sb, ipos);
			if ((rc = rd(fs, inode + fs->inode.i_mapping, &f.mapping, err)))
				return WRAP(rc, err, "inode 0x%" PRIx64, inode);
			if (f.mapping && rd(fs, f.mapping + fs->as_nrpages, &f.nrpages, NULL))
				f.nrpages = 0;
			if (!cached_only || f.nrpages) {
				rd(fs, inode + fs->inode.i_ino, &f.ino, NULL);
				rd(fs, inode + fs->inode.i_size, &f.size, NULL);
				pcs_read(fs->t, PCS_KVADDR, inode + fs->inode.i_mode, &f.mode, 2,
					 NULL);
				if (pcs_fs_inode_path(fs, inode, path, sizeof(path), NULL) ==
				    PCS_OK) {
					f.has_path = true;
				} else {
					unnamed_path(path, sizeof(path), &sbn, f.ino);
				}
				f.path = path;
				if (fn(&f, arg))
					return PCS_OK;
			}
			if ((rc = rd(fs, ipos, &ipos, err)))
				return WRAP(rc, err, "walking s_inodes of %s", fstype);
		}
		if ((rc = rd(fs, pos, &pos, err)))
			return WRAP(rc, err, "walking super_blocks");
	}
	return PCS_OK;
}

/* Root (mount, dentry) of pid 1, else of init_task. */
static enum pcs_errcode root_of_init(const struct pcs_fs *fs, uint64_t *mount, uint64_t *dentry,
				     struct pcs_error *err)
{
	uint64_t init_task, o_tasks, o_pid, task, fsp, vfsmnt;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(fs->t, "init_task", &init_task, err)) ||
	    (rc = pcs_kernel_offset(fs->t, "task_struct", "tasks", &o_tasks, err)) ||
	    (rc = pcs_kernel_offset(fs->t, "task_struct", "pid", &o_pid, err)))
		return rc;
	task = init_task;
	uint64_t next;

	if (rd(fs, init_task + o_tasks, &next, NULL) == PCS_OK && next != init_task + o_tasks) {
		uint32_t pid = 0;

		if (pcs_read_u32(fs->t, next - o_tasks + o_pid, &pid, NULL) == PCS_OK && pid == 1)
			task = next - o_tasks;
	}
	if ((rc = rd(fs, task + fs->task.task_fs, &fsp, err)))
		return rc;
	if (!fsp)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "pid 1 has no fs_struct");
	if ((rc = rd(fs, fsp + fs->task.fs_root + fs->task.path_mnt, &vfsmnt, err)) ||
	    (rc = rd(fs, fsp + fs->task.fs_root + fs->task.path_dentry, dentry, err)))
		return rc;
	*mount = vfsmnt - fs->mount.mnt;
	return PCS_OK;
}

/* If something is mounted on dentry inside mount, step onto its root (repeatedly). */
static enum pcs_errcode cross_mounts(const struct pcs_fs *fs, uint64_t *mount, uint64_t *dentry,
				     struct pcs_error *err)
{
	for (int hops = 0; hops < FS_MAX_DEPTH; hops++) {
		uint64_t head = *mount + fs->mount.mnt_mounts, pos, found = 0;
		uint32_t n = 0;
		enum pcs_errcode rc;
		struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

		if ((rc = rd(fs, head, &pos, err)))
			return rc;
		while (pos != head && pos) {
			uint64_t child = pos - fs->mount.mnt_child, mp;

			if (++n > FS_MAX_LIST || pcs_loopcheck_step(&lc, pos))
				return pcs_error_set(err, PCS_ERR_CORRUPT,
						     "mnt_mounts does not end");
			if ((rc = rd(fs, child + fs->mount.mnt_mountpoint, &mp, err)))
				return rc;
			if (mp == *dentry)
				found = child; /* the last one mounted is on top */
			if ((rc = rd(fs, pos, &pos, err)))
				return rc;
		}
		if (!found)
			return PCS_OK;
		*mount = found;
		if ((rc = rd(fs, found + fs->mount.mnt + fs->mount.vfs_mnt_root, dentry, err)))
			return rc;
	}
	return pcs_error_set(err, PCS_ERR_CORRUPT, "mounts stacked too deep");
}

static enum pcs_errcode find_child(const struct pcs_fs *fs, uint64_t parent, const char *name,
				   size_t nlen, uint64_t *child, struct pcs_error *err)
{
	uint64_t head = parent + fs->dentry.d_subdirs, pos;
	uint32_t n = 0;
	enum pcs_errcode rc;
	uint64_t negative = 0;
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

	if ((rc = rd(fs, head, &pos, err)))
		return rc;
	while (pos && pos != (fs->dentry.hlist_children ? 0 : head)) {
		uint64_t d = pos - fs->dentry.d_child;
		char dn[256];
		uint32_t dl;

		if (++n > FS_MAX_LIST || pcs_loopcheck_step(&lc, pos))
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "d_subdirs of dentry 0x%" PRIx64 " loops", parent);
		if (dentry_name(fs, d, dn, sizeof(dn), &dl, NULL) == PCS_OK && dl == nlen &&
		    memcmp(dn, name, nlen) == 0) {
			uint64_t ino;

			if (rd(fs, d + fs->dentry.d_inode, &ino, NULL) == PCS_OK && ino) {
				*child = d;
				return PCS_OK;
			}
			negative = d;
		}
		if ((rc = rd(fs, pos, &pos, err)))
			return rc;
	}
	if (negative)
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "'%.*s' is a negative dentry (deleted or "
				     "never existed)",
				     (int)nlen, name);
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "'%.*s' is not in the dentry cache", (int)nlen,
			     name);
}

enum pcs_errcode pcs_fs_lookup(const struct pcs_fs *fs, const char *path, uint64_t *inode,
			       struct pcs_error *err)
{
	uint64_t mount, dentry;
	enum pcs_errcode rc;
	const char *p = path;

	if (path[0] != '/')
		return pcs_error_set(err, PCS_ERR_INVAL, "path '%s' is not absolute", path);
	if ((rc = root_of_init(fs, &mount, &dentry, err)))
		return WRAP(rc, err, "looking up %s", path);
	if ((rc = cross_mounts(fs, &mount, &dentry, err)))
		return WRAP(rc, err, "looking up %s", path);
	for (int depth = 0; *p && depth < FS_MAX_DEPTH; depth++) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			for (int hops = 0; hops < FS_MAX_DEPTH; hops++) {
				uint64_t root, mparent;

				if ((rc = rd(fs, mount + fs->mount.mnt + fs->mount.vfs_mnt_root,
					     &root, err)) ||
				    (rc = rd(fs, mount + fs->mount.mnt_parent, &mparent, err)))
					return rc;
				if (dentry != root || mparent == mount)
					break;
				if ((rc = rd(fs, mount + fs->mount.mnt_mountpoint, &dentry, err)))
					return rc;
				mount = mparent;
			}
			if ((rc = rd(fs, dentry + fs->dentry.d_parent, &dentry, err)))
				return rc;
			p += n;
			continue;
		}
		uint64_t child = 0;

		if ((rc = find_child(fs, dentry, p, n, &child, err)))
			return WRAP(rc, err, "looking up %s", path);
		dentry = child;
		if ((rc = cross_mounts(fs, &mount, &dentry, err)))
			return WRAP(rc, err, "looking up %s", path);
		p += n;
	}
	if ((rc = rd(fs, dentry + fs->dentry.d_inode, inode, err)))
		return rc;
	if (!*inode)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "%s: negative dentry", path);
	return PCS_OK;
}
