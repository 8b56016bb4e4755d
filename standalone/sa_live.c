// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live mode: the running kernel through /proc/kcore (memory and VMCOREINFO,
 * standalone/kcore.c), /proc/kallsyms (symbols, module symbols included) and
 * /sys/kernel/btf/vmlinux (types). See docs/pcsleuth.md, "Live mode".
 */
#include "sa_target.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kallsyms.h"

#define LIVE_KALLSYMS	 "/proc/kallsyms"
#define LIVE_BTF	 "/sys/kernel/btf/vmlinux"
#define LIVE_TEXT_MAX	 (512u << 20) /* /proc/kallsyms of any kernel is far smaller */
#define LIVE_BTF_MAX_LEN (256u << 20)

bool sa_is_live_path(const char *vmcore)
{
	struct stat a, b;

	if (!vmcore)
		return false;
	if (!strcmp(vmcore, "/proc/kcore"))
		return true;
	return !stat(vmcore, &a) && !stat("/proc/kcore", &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* A whole file whose size stat() does not tell (proc, sysfs). */
static enum pcs_errcode slurp(const char *path, size_t max, char **out, size_t *len,
			      struct pcs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 20, n = 0;
	char *buf;

	*out = NULL;
	if (fd < 0)
		return pcs_error_set(err, errno == ENOENT ? PCS_ERR_NOTFOUND : PCS_ERR_IO, "%s: %s",
				     path, strerror(errno));
	buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			char *nb = cap >= max ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				close(fd);
				return pcs_error_set(err, PCS_ERR_NOMEM, "%s: too large", path);
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(e));
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!buf)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory reading %s", path);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return PCS_OK;
}

enum pcs_errcode sa_live_init(struct sa_target *st, struct pcs_error *err)
{
	struct pcs_error e = {0};
	enum pcs_errcode rc;
	char buf[128], *text;
	size_t len;

	if ((rc = sa_kcore_open(st->vmcore_path, &st->kc, err)))
		return rc;
	st->t.arch = st->kc->arch;
	if (!st->kc->vmcoreinfo)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "%s has no VMCOREINFO note (Linux before 4.19, or a kernel "
				     "without CONFIG_CRASH_CORE): live mode needs it",
				     st->vmcore_path);
	if (pcs_vmcoreinfo(&st->t, "PAGESIZE", buf, sizeof(buf), NULL) == PCS_OK)
		st->t.page_size = (uint32_t)strtoul(buf, NULL, 10);
	if (!st->t.page_size)
		st->t.page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	if (pcs_vmcoreinfo(&st->t, "OSRELEASE", st->t.osrelease, sizeof(st->t.osrelease), NULL)) {
		struct utsname u;

		if (!uname(&u))
			snprintf(st->t.osrelease, sizeof(st->t.osrelease), "%s", u.release);
	}
	st->t.kernel_version = pcs_parse_osrelease(st->t.osrelease);
	if (pcs_vmcoreinfo_u64(&st->t, "KERNELOFFSET", &st->kaslr_offset, NULL))
		st->kaslr_offset = 0;
	if (pcs_vmcoreinfo(&st->t, "BUILD-ID", st->build_id, sizeof(st->build_id), NULL))
		st->build_id[0] = '\0';
	snprintf(st->format, sizeof(st->format), "live");
	st->dump_level = -1;

	rc = slurp(LIVE_KALLSYMS, LIVE_TEXT_MAX, &text, &len, &e);
	if (!rc) {
		rc = pcs_kallsyms_parse_text(text, len, &st->ksyms, &e);
		free(text);
	}
	if (rc) {
		snprintf(st->syms_why, sizeof(st->syms_why), "no symbols from %s: %.250s",
			 LIVE_KALLSYMS, e.msg);
		if (!st->vmlinux_path)
			return pcs_error_set(err, rc, "%s", st->syms_why);
	} else {
		snprintf(st->syms_from, sizeof(st->syms_from), "%s (%zu symbols, modules included)",
			 LIVE_KALLSYMS, st->ksyms->n);
	}
	return PCS_OK;
}

enum pcs_errcode sa_live_types(struct sa_target *st, struct pcs_error *err)
{
	const char *path = getenv("PCSLEUTH_LIVE_BTF");
	enum pcs_errcode rc;
	char *blob;
	size_t len;

	if (!path || !*path)
		path = LIVE_BTF;
	rc = slurp(path, LIVE_BTF_MAX_LEN, &blob, &len, err);
	if (rc == PCS_ERR_NOTFOUND)
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "no type information: %s is missing (kernel %s built without "
				     "CONFIG_DEBUG_INFO_BTF); give the kernel's debug vmlinux: "
				     "-k VMLINUX",
				     path, st->t.osrelease);
	if (rc)
		return rc;
	rc = sa_types_open_btf_raw(blob, (uint32_t)len, &st->types, err);
	free(blob);
	if (rc) {
		pcs_error_wrap(err, "the running kernel's BTF %s", path);
		return rc;
	}
	snprintf(st->types_from, sizeof(st->types_from), "%s (%zu bytes)", path, len);
	return PCS_OK;
}
