// SPDX-License-Identifier: GPL-2.0
/*
 * pcwatch_poke - write one byte of a page through its linear-map address and
 * put the old value back (test helper for pcwatch: after disarm the write
 * must succeed without a fault).  Sets parameter done=1 when it did.
 *   insmod pcwatch_poke.ko pfn=N [offset=N]
 */
#include <linux/module.h>
#include <linux/mm.h>

static unsigned long pfn;
module_param(pfn, ulong, 0444);
static unsigned int offset;
module_param(offset, uint, 0444);
static int done;
module_param(done, int, 0444);
static bool null_write;
module_param(null_write, bool, 0444);

static noinline void pcwatch_poke_write(u8 *p)
{
	u8 old = READ_ONCE(*p);

	WRITE_ONCE(*p, old ^ 0xff);
	if (READ_ONCE(*p) == (u8)(old ^ 0xff))
		done = 1;
	WRITE_ONCE(*p, old);
}

static noinline void pcwatch_poke_null(void)
{
	WRITE_ONCE(*(volatile u8 *)(unsigned long)(offset + 0x10), 0x5a);
}

static int __init pcwatch_poke_init(void)
{
	if (null_write) {
		pcwatch_poke_null();
		return -EFAULT;
	}
	if (!pfn_valid(pfn) || offset >= PAGE_SIZE)
		return -EINVAL;
	pcwatch_poke_write((u8 *)page_address(pfn_to_page(pfn)) + offset);
	pr_info("pcwatch_poke: wrote pfn 0x%lx +0x%x: %s\n", pfn, offset, done ? "ok" : "no");
	return 0;
}

static void __exit pcwatch_poke_exit(void)
{
}

module_init(pcwatch_poke_init);
module_exit(pcwatch_poke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcsleuth test helper: write a byte to a page after pcwatch disarm");
