// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * super_blocks, the head of the circular list of every superblock (s_list), lives
 * in the kernel image; the superblocks themselves are slab objects. Reached from
 * init_task: init_task.fs->root.mnt->mnt_sb is the root filesystem's superblock;
 * walking its s_list, the one entry inside the kernel image is the head.
 */
#include <inttypes.h>

#include "loopcheck.h"
#include "roots.h"

enum pcs_errcode pcs_root_super_blocks(const struct pcs_target *t, uint64_t *addr,
				       struct pcs_error *err)
{
	uint64_t lo, hi, task, o_fs, o_mnt, o_sb, o_list, fs, mnt, sb, pos;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if ((rc = pcs_symbol(t, "init_task", &task, err))) {
		if (err)
			pcs_error_wrap(err, "super_blocks (found from init_task)");
		return rc;
	}
	if (pcs_member_offset(t, "task_struct", "fs", &o_fs, NULL) ||
	    pcs_member_offset(t, "fs_struct", "root.mnt", &o_mnt, NULL) ||
	    pcs_member_offset(t, "vfsmount", "mnt_sb", &o_sb, NULL) ||
	    pcs_member_offset(t, "super_block", "s_list", &o_list, NULL))
		return pcs_error_set(
		    err, PCS_ERR_NOSYM,
		    "super_blocks: no task_struct.fs / fs_struct.root / vfsmount / "
		    "super_block.s_list layout to reach it by");
	if (pcs_read_u64(t, task + o_fs, &fs, NULL) || !fs ||
	    pcs_read_u64(t, fs + o_mnt, &mnt, NULL) || !mnt ||
	    pcs_read_u64(t, mnt + o_sb, &sb, NULL) || !sb)
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "super_blocks: init_task 0x%" PRIx64
				     " has no readable fs->root.mnt->mnt_sb",
				     task);
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

	pos = sb + o_list;
	for (unsigned n = 0; n < 1u << 20; n++) {
		if (pos >= lo && pos < hi) {
			*addr = pos;
			return PCS_OK;
		}
		if (pcs_read_u64(t, pos, &pos, NULL) || pcs_loopcheck_step(&lc, pos))
			break;
	}
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "super_blocks: the root superblock's s_list (from 0x%" PRIx64
			     ") reaches no head in the kernel image",
			     sb);
}
