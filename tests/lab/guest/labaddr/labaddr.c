// SPDX-License-Identifier: GPL-2.0
/*
 * labaddr - tells the lab guest how physical addresses map into the kernel's
 * linear map: linear_delta = page_address(page) - page_to_phys(page) for an
 * ordinary page (the linear map is linear, so vaddr = paddr + delta for RAM).
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/pfn.h>

static unsigned long linear_delta;
module_param(linear_delta, ulong, 0444);

static int __init labaddr_init(void)
{
	struct page *p = alloc_page(GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	linear_delta = (unsigned long)page_address(p) - (unsigned long)PFN_PHYS(page_to_pfn(p));
	__free_page(p);
	return 0;
}

static void __exit labaddr_exit(void)
{
}

module_init(labaddr_init);
module_exit(labaddr_exit);
MODULE_LICENSE("GPL");
