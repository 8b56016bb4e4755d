// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The header validator as a guard: a file it accepts is handed to libkdumpfile
 * (kdump_open_fd, architecture, VMCOREINFO, one read of each of the first pages)
 * exactly as `pcsleuth` does. A crash here is a header field the validator lets
 * through and libkdumpfile 0.5.1 cannot take (docs/upstream-libkdumpfile.md).
 * Seeds: the synthetic dumps and the lab dumps' real ELF headers.
 */
#include <libkdumpfile/kdumpfile.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dumphdr.h"
#include "fake_dump.h"
#include "fuzz.h"

/* libkdumpfile 0.5.1 leaks on some error paths of its own: not what this looks for */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_file f = {(unsigned char *)data, size};
	struct pcs_dumpfile df = fake_dumpfile(&f);
	struct pcs_error err;

	if (size < 4096 || pcs_dumphdr_check(&df, NULL, &err) != PCS_OK)
		return 0;
	int fd = memfd_create("vmcore", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	kdump_ctx_t *kd = kdump_new();

	if (kd && kdump_open_fd(kd, fd) == KDUMP_OK) {
		const char *s;
		char *val = NULL;
		unsigned char buf[64];

		kdump_set_string_attr(kd, KDUMP_ATTR_OSTYPE, "linux");
		kdump_get_string_attr(kd, KDUMP_ATTR_ARCH_NAME, &s);
		if (kdump_vmcoreinfo_line(kd, "OSRELEASE", &val) == KDUMP_OK)
			free(val);
		for (kdump_addr_t a = 0; a < 8 * 4096; a += 4096) {
			size_t n = sizeof(buf);

			kdump_read(kd, KDUMP_KPHYSADDR, a, buf, &n);
		}
	}
	if (kd)
		kdump_free(kd);
	close(fd);
	return 0;
}

static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	return fake_dump_seed(i, 2, buf, cap);
}
