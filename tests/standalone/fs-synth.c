// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core/fs.c on synthetic kernel structures: a fake target with two superblocks, a
 * mount on /data, dentries and inodes; then the same with a corrupted (looping)
 * inode list. Prints PASS:/FAIL: lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "loopcheck.h"

#define BASE UINT64_C(0xffff000000000000)
static unsigned char mem[1 << 16];
static uint64_t brk_ = 64;

static uint64_t alloc(size_t n)
{
	uint64_t a = BASE + brk_;

	brk_ += (n + 63) & ~(size_t)63;
	return a;
}

static void put64(uint64_t a, uint64_t v)
{
	memcpy(&mem[a - BASE], &v, 8);
}
static void put32(uint64_t a, uint32_t v)
{
	memcpy(&mem[a - BASE], &v, 4);
}
static void putstr(uint64_t a, const char *s)
{
	memcpy(&mem[a - BASE], s, strlen(s) + 1);
}

static const struct {
	const char *t, *m;
	uint64_t off;
} offs[] = {
    {"super_block", "s_list", 0},
    {"super_block", "s_inodes", 16},
    {"super_block", "s_id", 32},
    {"super_block", "s_type", 64},
    {"super_block", "s_root", 72},
    {"super_block", "s_mounts", 80},
    {"file_system_type", "name", 0},
    {"inode", "i_sb_list", 0},
    {"inode", "i_dentry", 16},
    {"inode", "i_mode", 24},
    {"inode", "i_ino", 32},
    {"inode", "i_size", 40},
    {"inode", "i_mapping", 48},
    {"inode", "i_sb", 56},
    {"address_space", "nrpages", 8},
    {"dentry", "d_u.d_alias", 0},
    {"dentry", "d_parent", 16},
    {"dentry", "d_name.name", 24},
    {"dentry", "d_name.len", 32},
    {"dentry", "d_inode", 40},
    {"dentry", "d_sb", 48},
    {"dentry", "d_subdirs", 56},
    {"dentry", "d_child", 72},
    {"mount", "mnt", 0},
    {"vfsmount", "mnt_root", 0},
    {"mount", "mnt_parent", 16},
    {"mount", "mnt_mountpoint", 24},
    {"mount", "mnt_instance", 32},
    {"mount", "mnt_mounts", 48},
    {"mount", "mnt_child", 64},
    {"task_struct", "tasks", 0},
    {"task_struct", "pid", 16},
    {"task_struct", "fs", 24},
    {"fs_struct", "root", 0},
    {"path", "mnt", 0},
    {"path", "dentry", 8},
};

static uint64_t sym_super_blocks, sym_init_task;

static enum pcs_errcode f_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
			       size_t len, struct pcs_error *err)
{
	(void)priv;
	(void)as;
	if (addr < BASE || addr - BASE + len > sizeof(mem))
		return pcs_error_set(err, PCS_ERR_NODATA, "0x%" PRIx64 " not in the dump", addr);
	memcpy(buf, &mem[addr - BASE], len);
	return PCS_OK;
}

static enum pcs_errcode f_sym(void *priv, const char *name, uint64_t *addr, struct pcs_error *err)
{
	(void)priv;
	if (!strcmp(name, "super_blocks"))
		*addr = sym_super_blocks;
	else if (!strcmp(name, "init_task"))
		*addr = sym_init_task;
	else
		return pcs_error_set(err, PCS_ERR_NOSYM, "no %s", name);
	return PCS_OK;
}

static enum pcs_errcode f_off(void *priv, const char *type, const char *member, uint64_t *off,
			      struct pcs_error *err)
{
	(void)priv;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (!strcmp(offs[i].t, type) && !strcmp(offs[i].m, member)) {
			*off = offs[i].off;
			return PCS_OK;
		}
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s.%s", type, member);
}

static enum pcs_errcode f_size(void *priv, const char *type, uint64_t *size, struct pcs_error *err)
{
	(void)priv;
	(void)size;
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s", type);
}

static enum pcs_errcode f_vmci(void *priv, const char *key, char *buf, size_t len,
			       struct pcs_error *err)
{
	(void)priv;
	(void)buf;
	(void)len;
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "no %s", key);
}

static const struct pcs_target_ops ops = {
    .read = f_read,
    .symbol_addr = f_sym,
    .member_offset = f_off,
    .type_size = f_size,
    .vmcoreinfo = f_vmci,
};

/* list_head helpers: append node to head (circular) */
static void list_init(uint64_t h)
{
	put64(h, h);
	put64(h + 8, h);
}

static void list_add_tail(uint64_t n, uint64_t h)
{
	uint64_t prev;

	memcpy(&prev, &mem[h + 8 - BASE], 8);
	put64(n, h);
	put64(n + 8, prev);
	put64(prev, n);
	put64(h + 8, n);
}

static uint64_t mk_dentry(const char *name, uint64_t parent, uint64_t inode, uint64_t sb)
{
	uint64_t d = alloc(128), nm = alloc(strlen(name) + 1);

	putstr(nm, name);
	put64(d + 16, parent ? parent : d);
	put64(d + 24, nm);
	put32(d + 32, (uint32_t)strlen(name));
	put64(d + 40, inode);
	put64(d + 48, sb);
	list_init(d + 56);
	if (parent)
		list_add_tail(d + 72, parent + 56);
	if (inode) /* i_dentry hlist: first = &d->d_alias */
		put64(inode + 16, d);
	return d;
}

static uint64_t mk_inode(uint64_t sb, uint64_t ino, uint64_t size, uint64_t nrpages)
{
	uint64_t i = alloc(64), as = alloc(16);

	put64(i + 32, ino);
	put64(i + 40, size);
	put64(i + 48, as);
	put64(i + 56, sb);
	put64(as + 8, nrpages);
	list_add_tail(i, sb + 16);
	return i;
}

static uint64_t mk_sb(const char *fstype, const char *id)
{
	uint64_t sb = alloc(96), ft = alloc(8), nm = alloc(32);

	putstr(nm, fstype);
	put64(ft, nm);
	put64(sb + 64, ft);
	putstr(sb + 32, id);
	list_init(sb + 16);
	list_init(sb + 80);
	list_add_tail(sb, sym_super_blocks);
	return sb;
}

static uint64_t mk_mount(uint64_t parent, uint64_t mountpoint, uint64_t root, uint64_t sb)
{
	uint64_t m = alloc(96);

	put64(m + 0, root);
	put64(m + 16, parent ? parent : m);
	put64(m + 24, mountpoint);
	list_init(m + 48);
	list_add_tail(m + 32, sb + 80);
	if (parent)
		list_add_tail(m + 64, parent + 48);
	return m;
}

struct seen {
	int n;
	char paths[8][256];
	uint64_t nrpages[8];
};

static int on_file(const struct pcs_fs_file *f, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->paths[s->n], 256, "%s", f->path);
		s->nrpages[s->n] = f->nrpages;
	}
	s->n++;
	return 0;
}

static int fails;
static void check(int ok, const char *name, const char *why)
{
	printf("%s: fs-synth-%s%s%s\n", ok ? "PASS" : "FAIL", name, ok ? "" : ": ", ok ? "" : why);
	fails += !ok;
}

int main(void)
{
	struct pcs_target t = {.ops = &ops, .arch = PCS_ARCH_ARM64, .page_size = 4096};
	struct pcs_kernel k = {.t = &t, .page_size = 4096, .page_shift = 12};
	struct pcs_fs fs;
	struct pcs_error err = {0};
	char msg[1200];

	sym_super_blocks = alloc(16);
	list_init(sym_super_blocks);
	uint64_t sb1 = mk_sb("rootfs", "rootfs"), sb2 = mk_sb("ext4", "vda");
	uint64_t iroot = mk_inode(sb1, 1, 0, 0);
	uint64_t R = mk_dentry("/", 0, iroot, sb1);
	uint64_t idata = mk_inode(sb1, 2, 0, 0);
	uint64_t D = mk_dentry("data", R, idata, sb1);
	uint64_t iroot2 = mk_inode(sb2, 2, 4096, 0);
	uint64_t R2 = mk_dentry("/", 0, iroot2, sb2);
	uint64_t i1 = mk_inode(sb2, 12, 20480, 5);
	uint64_t i2 = mk_inode(sb2, 13, 100, 0);
	uint64_t i3 = mk_inode(sb2, 14, 8192, 2); /* cached, no dentry (unlinked or pruned) */
	mk_dentry("firmware.bin", R2, i1, sb2);
	mk_dentry("small.bin", R2, i2, sb2);
	mk_dentry("gone", R2, 0, sb2); /* negative dentry */
	uint64_t M1 = mk_mount(0, R, R, sb1);
	mk_mount(M1, D, R2, sb2);
	uint64_t fsst = alloc(16);

	put64(fsst + 0, M1); /* path.mnt = &M1->mnt (offset 0) */
	put64(fsst + 8, R);
	sym_init_task = alloc(64);
	uint64_t task1 = alloc(64);

	list_init(sym_init_task);
	list_add_tail(task1, sym_init_task);
	put32(task1 + 16, 1);
	put64(task1 + 24, fsst);

	if (pcs_fs_init(&fs, &k, &err)) {
		check(0, "init", err.msg);
		return 1;
	}
	check(1, "init", NULL);

	struct seen s = {0};
	enum pcs_errcode rc = pcs_fs_for_each_inode(&fs, true, on_file, &s, &err);

	snprintf(msg, sizeof(msg), "rc %d n %d first %s / %s", rc, s.n, s.paths[0], s.paths[1]);
	check(rc == PCS_OK && s.n == 2 && !strcmp(s.paths[0], "/data/firmware.bin") &&
		  s.nrpages[0] == 5 && strstr(s.paths[1], "inode 14"),
	      "cached-files", msg);
	memset(&s, 0, sizeof(s));
	rc = pcs_fs_for_each_inode(&fs, false, on_file, &s, &err);
	snprintf(msg, sizeof(msg), "rc %d n %d", rc, s.n);
	check(rc == PCS_OK && s.n == 6, "all-inodes", msg);

	uint64_t ino = 0;

	rc = pcs_fs_lookup(&fs, "/data/firmware.bin", &ino, &err);
	snprintf(msg, sizeof(msg), "rc %d inode 0x%" PRIx64 " %s", rc, ino, err.msg);
	check(rc == PCS_OK && ino == i1, "lookup", msg);
	rc = pcs_fs_lookup(&fs, "/data/./../data//small.bin", &ino, &err);
	snprintf(msg, sizeof(msg), "rc %d inode 0x%" PRIx64 " %s", rc, ino, err.msg);
	check(rc == PCS_OK && ino == i2, "lookup-dotdot", msg);
	rc = pcs_fs_lookup(&fs, "/data/gone", &ino, &err);
	check(rc == PCS_ERR_NOTFOUND && strstr(err.msg, "negative"), "lookup-negative", err.msg);
	rc = pcs_fs_lookup(&fs, "/data/nope", &ino, &err);
	check(rc == PCS_ERR_NOTFOUND && strstr(err.msg, "nope"), "lookup-missing", err.msg);

	char path[256];

	rc = pcs_fs_inode_path(&fs, i2, path, sizeof(path), &err);
	check(rc == PCS_OK && !strcmp(path, "/data/small.bin"), "inode-path", path);

	/* corrupt: i3's next points back at i1's node: a loop that avoids the head */
	put64(i3, i1);
	memset(&s, 0, sizeof(s));
	rc = pcs_fs_for_each_inode(&fs, false, on_file, &s, &err);
	snprintf(msg, sizeof(msg), "rc %d n %d: %s", rc, s.n, err.msg);
	check(rc == PCS_ERR_CORRUPT && s.n < 64, "inode-list-loop", msg);

	/* corrupt: a dentry list pointing outside the dump */
	put64(R2 + 56, UINT64_C(0xdead000000000000));
	rc = pcs_fs_lookup(&fs, "/data/firmware.bin", &ino, &err);
	check(rc != PCS_OK, "lookup-bad-pointer", err.msg);

	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
	int steps = 0;

	for (uint64_t p = 0;; p = (p + 1) % 7, steps++)
		if (pcs_loopcheck_step(&lc, 100 + p) || steps > 1000)
			break;
	check(steps < 40, "loopcheck", "cycle of 7 not found quickly");
	return fails ? 1 : 0;
}
