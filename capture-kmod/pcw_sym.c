// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_sym.c - non-exported symbols and the panic_on_oops sysctl.
 *
 * kallsyms_lookup_name() was unexported in 5.7.  Before that it is called
 * directly; from 5.7 its address is taken from a kprobe registered on it
 * (the kprobe core resolves the name internally) and the kprobe is removed
 * at once.  Without CONFIG_KPROBES there is no lookup and the callers say so.
 * With CONFIG_KALLSYMS_ALL=n only text symbols can be found.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/fs.h>
#include <linux/string.h>
#include "pcw.h"

typedef unsigned long (*pcw_kln_t)(const char *name);
static pcw_kln_t pcw_kln;
static char pcw_method[96] = "unavailable";

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0) && IS_ENABLED(CONFIG_KPROBES)
static unsigned long pcw_kln_by_kprobe(void)
{
	struct kprobe kp = {.symbol_name = "kallsyms_lookup_name"};
	unsigned long addr;
	int ret = register_kprobe(&kp);

	if (ret < 0) {
		snprintf(pcw_method, sizeof(pcw_method),
			 "unavailable (register_kprobe(kallsyms_lookup_name) = %d)", ret);
		return 0;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/* the kprobe sits after ENDBR64; an indirect call must land on it */
	if (*(u32 *)(addr - 4) == 0xfa1e0ff3)
		addr -= 4;
#endif
	return addr;
}
#endif

int pcw_sym_init(void)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 7, 0)
	pcw_kln = kallsyms_lookup_name;
	strscpy(pcw_method, "kallsyms_lookup_name (exported before 5.7)", sizeof(pcw_method));
#elif IS_ENABLED(CONFIG_KPROBES)
	unsigned long addr = pcw_kln_by_kprobe();

	if (!addr)
		return -ENOENT;
	pcw_kln = (pcw_kln_t)addr;
	snprintf(pcw_method, sizeof(pcw_method), "kallsyms_lookup_name at %px (via kprobe)",
		 (void *)addr);
#else
	strscpy(pcw_method, "unavailable (>= 5.7 and CONFIG_KPROBES=n)", sizeof(pcw_method));
	return -ENOSYS;
#endif
	return 0;
}

const char *pcw_lookup_method(void)
{
	return pcw_method;
}

unsigned long pcw_lookup_name(const char *name)
{
	return pcw_kln ? pcw_kln(name) : 0;
}

#define PCW_POO_PATH "/proc/sys/kernel/panic_on_oops"

/* Through procfs first (works with KALLSYMS_ALL=n), then the variable. */
static int *pcw_poo_var(void)
{
	return (int *)pcw_lookup_name("panic_on_oops");
}

int pcw_panic_on_oops_get(void)
{
	struct file *f = filp_open(PCW_POO_PATH, O_RDONLY, 0);
	char buf[24];
	loff_t pos = 0;
	ssize_t n;
	int val, *var;

	if (!IS_ERR(f)) {
		n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
		filp_close(f, NULL);
		if (n > 0) {
			buf[n] = 0;
			if (!kstrtoint(strim(buf), 10, &val))
				return val;
		}
	}
	var = pcw_poo_var();
	return var ? READ_ONCE(*var) : -ENOENT;
}

int pcw_panic_on_oops_set(int val)
{
	struct file *f = filp_open(PCW_POO_PATH, O_WRONLY, 0);
	char buf[24];
	loff_t pos = 0;
	int len = scnprintf(buf, sizeof(buf), "%d\n", val), *var;
	ssize_t n;

	if (!IS_ERR(f)) {
		n = kernel_write(f, buf, len, &pos);
		filp_close(f, NULL);
		if (n == len && pcw_panic_on_oops_get() == val)
			return 0;
	}
	var = pcw_poo_var();
	if (!var)
		return -ENOENT;
	WRITE_ONCE(*var, val);
	return 0;
}

/*
 * crash_kexec_post_notifiers=Y makes die() skip crash_kexec(regs): the dump would then
 * carry the panic CPU's registers, not the writer's.  1 if set, 0 if not, <0 unknown.
 */
int pcw_post_notifiers(void)
{
	struct file *f =
	    filp_open("/sys/module/kernel/parameters/crash_kexec_post_notifiers", O_RDONLY, 0);
	char c = 0;
	loff_t pos = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	kernel_read(f, &c, 1, &pos);
	filp_close(f, NULL);
	return c == 'Y' || c == '1';
}
