// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The libraries' own version calls where they have one (run-time versions: what a
 * bug report needs), the header's version where they do not (libkdumpfile).
 */
#include "version.h"

#include <archive.h>
#include <bpf/libbpf.h>
#include <elfutils/libdwfl.h>
#include <et/com_err.h>
#include <ext2fs/ext2fs.h>
#include <json-c/json.h>
#include <libkdumpfile/kdumpfile.h>
#include <openssl/crypto.h>

void sa_print_version(FILE *out)
{
	const char *e2fs = NULL;

	ext2fs_get_library_version(&e2fs, NULL);
	fprintf(out, "pcsleuth %s\n", PCSLEUTH_VERSION);
	fprintf(out, "  libkdumpfile %s (built with)\n", KDUMPFILE_VERSION_STRING);
	fprintf(out, "  libbpf %s\n", libbpf_version_string());
	fprintf(out, "  elfutils %s\n", dwfl_version(NULL));
	fprintf(out, "  %s\n", OpenSSL_version(OPENSSL_VERSION));
	fprintf(out, "  json-c %s\n", json_c_version());
	fprintf(out, "  %s\n", archive_version_string());
	fprintf(out, "  libext2fs %s\n", e2fs ? e2fs : "unknown");
}
