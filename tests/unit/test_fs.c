// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/fs.c on synthetic kernel structures: two superblocks
 * (rootfs on /, ext4 mounted on /data), dentries and inodes; then the same with
 * a corrupted (looping) inode list and a dentry list pointing outside the dump.
 */
#include "fake_target.h"
#include "fs.h"
#include "loopcheck.h"
#include "unit.h"

#define ARENA UINT64_C(0xffff000000000000)

static void fs_layout(struct fake_target *ft)
{
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

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		fake_member_set(ft, offs[i].t, offs[i].m, offs[i].off);
}

static uint64_t mk_dentry(struct fake_target *ft, const char *name, uint64_t parent, uint64_t inode,
			  uint64_t sb)
{
	uint64_t d = fake_alloc(ft, 128), nm = fake_alloc(ft, strlen(name) + 1);

	fake_put_str(ft, nm, name);
	fake_put_u64(ft, d + 16, parent ? parent : d);
	fake_put_u64(ft, d + 24, nm);
	fake_put_u32(ft, d + 32, (uint32_t)strlen(name));
	fake_put_u64(ft, d + 40, inode);
	fake_put_u64(ft, d + 48, sb);
	fake_list_init(ft, d + 56);
	if (parent)
		fake_list_add_tail(ft, d + 72, parent + 56);
	if (inode) /* i_dentry hlist: first = &d->d_alias */
		fake_put_u64(ft, inode + 16, d);
	return d;
}

static uint64_t mk_inode(struct fake_target *ft, uint64_t sb, uint64_t ino, uint64_t size,
			 uint64_t nrpages)
{
	uint64_t i = fake_alloc(ft, 64), as = fake_alloc(ft, 16);

	fake_put_u64(ft, i + 32, ino);
	fake_put_u64(ft, i + 40, size);
	fake_put_u64(ft, i + 48, as);
	fake_put_u64(ft, i + 56, sb);
	fake_put_u64(ft, as + 8, nrpages);
	fake_list_add_tail(ft, i, sb + 16);
	return i;
}

static uint64_t mk_sb(struct fake_target *ft, uint64_t super_blocks, const char *fstype,
		      const char *id)
{
	uint64_t sb = fake_alloc(ft, 96), fst = fake_alloc(ft, 8), nm = fake_alloc(ft, 32);

	fake_put_str(ft, nm, fstype);
	fake_put_u64(ft, fst, nm);
	fake_put_u64(ft, sb + 64, fst);
	fake_put_str(ft, sb + 32, id);
	fake_list_init(ft, sb + 16);
	fake_list_init(ft, sb + 80);
	fake_list_add_tail(ft, sb, super_blocks);
	return sb;
}

static uint64_t mk_mount(struct fake_target *ft, uint64_t parent, uint64_t mountpoint,
			 uint64_t root, uint64_t sb)
{
	uint64_t m = fake_alloc(ft, 96);

	fake_put_u64(ft, m + 0, root);
	fake_put_u64(ft, m + 16, parent ? parent : m);
	fake_put_u64(ft, m + 24, mountpoint);
	fake_list_init(ft, m + 48);
	fake_list_add_tail(ft, m + 32, sb + 80);
	if (parent)
		fake_list_add_tail(ft, m + 64, parent + 48);
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

int main(void)
{
	static struct fake_target ft;
	struct pcs_kernel k = {.t = &ft.t, .page_size = 4096, .page_shift = 12};
	struct pcs_fs fs;
	struct pcs_error err = {0};
	enum pcs_errcode rc = PCS_OK;
	struct seen s;
	uint64_t ino = 0;
	char path[256];

	fake_init(&ft, PCS_ARCH_ARM64, 0);
	fs_layout(&ft);
	fake_arena(&ft, ARENA, 1 << 16);

	uint64_t super_blocks = fake_alloc(&ft, 16);

	fake_sym_set(&ft, "super_blocks", super_blocks);
	fake_list_init(&ft, super_blocks);
	uint64_t sb1 = mk_sb(&ft, super_blocks, "rootfs", "rootfs");
	uint64_t sb2 = mk_sb(&ft, super_blocks, "ext4", "vda");
	uint64_t iroot = mk_inode(&ft, sb1, 1, 0, 0);
	uint64_t R = mk_dentry(&ft, "/", 0, iroot, sb1);
	uint64_t idata = mk_inode(&ft, sb1, 2, 0, 0);
	uint64_t D = mk_dentry(&ft, "data", R, idata, sb1);
	uint64_t iroot2 = mk_inode(&ft, sb2, 2, 4096, 0);
	uint64_t R2 = mk_dentry(&ft, "/", 0, iroot2, sb2);
	uint64_t i1 = mk_inode(&ft, sb2, 12, 20480, 5);
	uint64_t i2 = mk_inode(&ft, sb2, 13, 100, 0);
	uint64_t i3 = mk_inode(&ft, sb2, 14, 8192, 2); /* cached, no dentry (unlinked or pruned) */

	mk_dentry(&ft, "firmware.bin", R2, i1, sb2);
	mk_dentry(&ft, "small.bin", R2, i2, sb2);
	mk_dentry(&ft, "gone", R2, 0, sb2); /* negative dentry */
	uint64_t M1 = mk_mount(&ft, 0, R, R, sb1);

	mk_mount(&ft, M1, D, R2, sb2);
	uint64_t fsst = fake_alloc(&ft, 16);

	fake_put_u64(&ft, fsst + 0, M1); /* path.mnt = &M1->mnt (offset 0) */
	fake_put_u64(&ft, fsst + 8, R);
	uint64_t init_task = fake_alloc(&ft, 64), task1 = fake_alloc(&ft, 64);

	fake_sym_set(&ft, "init_task", init_task);
	fake_list_init(&ft, init_task);
	fake_list_add_tail(&ft, task1, init_task);
	fake_put_u32(&ft, task1 + 16, 1);
	fake_put_u64(&ft, task1 + 24, fsst);

	CASE("fs init finds superblocks, mounts and pid 1's root")
	{
		rc = pcs_fs_init(&fs, &k, &err);
		EXPECT(rc == PCS_OK);
	}
	if (rc != PCS_OK)
		UNIT_EXIT();

	CASE("cached files: only inodes with pages, by path, then unnamed ones by inode number")
	{
		memset(&s, 0, sizeof(s));
		rc = pcs_fs_for_each_inode(&fs, true, on_file, &s, &err);
		EXPECT(rc == PCS_OK);
		EXPECT(s.n == 2);
		EXPECT_STREQ(s.paths[0], "/data/firmware.bin");
		EXPECT_EQ_U64(s.nrpages[0], 5);
		EXPECT(strstr(s.paths[1], "inode 14") != NULL);
	}
	CASE("all inodes: every inode of every superblock")
	{
		memset(&s, 0, sizeof(s));
		rc = pcs_fs_for_each_inode(&fs, false, on_file, &s, &err);
		EXPECT(rc == PCS_OK);
		EXPECT(s.n == 6);
	}
	CASE("lookup crosses the mount on /data")
	{
		rc = pcs_fs_lookup(&fs, "/data/firmware.bin", &ino, &err);
		EXPECT(rc == PCS_OK);
		EXPECT_EQ_U64(ino, i1);
	}
	CASE("lookup handles . and .. and repeated slashes")
	{
		rc = pcs_fs_lookup(&fs, "/data/./../data//small.bin", &ino, &err);
		EXPECT(rc == PCS_OK);
		EXPECT_EQ_U64(ino, i2);
	}
	CASE("lookup of a negative dentry is not found, and says negative")
	{
		rc = pcs_fs_lookup(&fs, "/data/gone", &ino, &err);
		EXPECT(rc == PCS_ERR_NOTFOUND);
		EXPECT(strstr(err.msg, "negative") != NULL);
	}
	CASE("lookup of a missing name is not found, and names it")
	{
		rc = pcs_fs_lookup(&fs, "/data/nope", &ino, &err);
		EXPECT(rc == PCS_ERR_NOTFOUND);
		EXPECT(strstr(err.msg, "nope") != NULL);
	}
	CASE("inode path goes up through the mount")
	{
		rc = pcs_fs_inode_path(&fs, i2, path, sizeof(path), &err);
		EXPECT(rc == PCS_OK);
		EXPECT_STREQ(path, "/data/small.bin");
	}
	CASE("an inode list looping without reaching its head is corrupt, found quickly")
	{
		/* i3's next points back at i1's node */
		fake_put_u64(&ft, i3, i1);
		memset(&s, 0, sizeof(s));
		rc = pcs_fs_for_each_inode(&fs, false, on_file, &s, &err);
		EXPECT(rc == PCS_ERR_CORRUPT);
		EXPECT(s.n < 64);
	}
	CASE("a dentry list pointing outside the dump fails the lookup")
	{
		fake_put_u64(&ft, R2 + 56, UINT64_C(0xdead000000000000));
		rc = pcs_fs_lookup(&fs, "/data/firmware.bin", &ino, &err);
		EXPECT(rc != PCS_OK);
	}
	CASE("loopcheck finds a cycle of 7 quickly")
	{
		struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
		int steps = 0;

		for (uint64_t p = 0;; p = (p + 1) % 7, steps++)
			if (pcs_loopcheck_step(&lc, 100 + p) || steps > 1000)
				break;
		EXPECT(steps < 40);
	}
	fake_free(&ft);
	UNIT_EXIT();
}
