// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_hwbp_none.c - mode=hwbp on a kernel without hardware breakpoints
 * (CONFIG_HAVE_HW_BREAKPOINT unset, e.g. CONFIG_PERF_EVENTS=n): every arm is refused
 * with the reason; the other modes are unaffected. Kbuild picks this file instead of
 * pcw_hwbp.c + pcw_hwbp_arch.c.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include "pcw.h"

int pcw_hwbp_arm(struct page *page, unsigned long va, unsigned int len, enum pcw_source src,
		 int file, bool then_panic, struct pcw_err *err)
{
	return pcw_fail(err, -EOPNOTSUPP,
			"refused: mode=hwbp needs hardware breakpoints, and this kernel has none "
			"(CONFIG_HAVE_HW_BREAKPOINT is not set: it comes with CONFIG_PERF_EVENTS)");
}

int pcw_hwbp_disarm(unsigned int idx, struct pcw_err *err)
{
	return pcw_fail(err, -ENOENT, "no hwbp range %u (this kernel has no hardware breakpoints)",
			idx);
}

int pcw_hwbp_disarm_all(struct pcw_err *err)
{
	return 0;
}

unsigned int pcw_hwbp_in_use(void)
{
	return 0;
}

unsigned int pcw_hwbp_armed(void)
{
	return 0;
}

u32 pcw_hwbp_max(void)
{
	return 0;
}

int pcw_hwbp_arch_init(void)
{
	return 0;
}

void pcw_hwbp_arch_exit(void)
{
}
