// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcmd5.so: the pcsleuth commands inside the crash utility.
 *
 *	crash> extend pcmd5.so
 *	crash> pcmd5 /lib/firmware/foo.bin
 *	crash> pgdump -p 0x12345
 *	crash> ptewalk ffff000012345000
 *	crash> pcrefs -p 0x12345
 *	crash> pcwatch
 *
 * This file is the crash glue: command registration, load-time checks and the
 * extension's only state (the target over crash and the kernel layout, found
 * once per session and reused by every command).
 */
#include "defs.h" /* crash */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ext.h"
#include "fs.h"
#include "target_crash.h"

/* makedumpfile dump-level bits that drop page-cache pages. */
#define PCX_DL_EXCLUDE_CACHE	 0x2 /* non-private cache */
#define PCX_DL_EXCLUDE_CACHE_PRI 0x4 /* all cache (also private) */

static struct {
	int ready, fs_ready;
	struct pcs_target t;
	struct pcs_kernel k;
	struct pcs_fs fs;
} pcx;

enum pcs_errcode pcx_context(const struct pcs_target **t, const struct pcs_kernel **k,
			     struct pcs_error *err)
{
	enum pcs_errcode rc;

	if (!pcx.ready) {
		rc = pcs_crash_target_init(&pcx.t, err);
		if (rc)
			return rc;
		rc = pcs_kernel_init(&pcx.k, &pcx.t, err);
		if (rc)
			return pcs_error_wrap(err, "kernel layout");
		pcx.ready = 1;
	}
	if (t)
		*t = &pcx.t;
	if (k)
		*k = &pcx.k;
	return PCS_OK;
}

enum pcs_errcode pcx_fs(const struct pcs_fs **fs, struct pcs_error *err)
{
	const struct pcs_kernel *k;

	if (!pcx.fs_ready) {
		if (pcx_context(NULL, &k, err))
			return err->code;
		if (pcs_fs_init(&pcx.fs, k, err))
			return pcs_error_wrap(err, "file-system layout");
		pcx.fs_ready = 1;
	}
	*fs = &pcx.fs;
	return PCS_OK;
}

void pcx_error(const char *what, const struct pcs_error *err)
{
	/* crash's error() already prefixes the command name. */
	error(INFO, "%s%s%s: %s\n", what ? what : "", what ? ": " : "", pcs_errcode_name(err->code),
	      err->msg[0] ? err->msg : "failed");
}

int pcx_parse_u64(const char *s, int hex_default, uint64_t *val)
{
	char *end;
	int base = hex_default ? 16 : 0;

	if (!s || !*s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	errno = 0;
	*val = strtoull(s, &end, base);
	return errno == 0 && *end == '\0';
}

static struct command_table_entry pcx_commands[] = {
    {"pcmd5", cmd_pcmd5, help_pcmd5, 0},
    {"pgdump", cmd_pgdump, help_pgdump, 0},
    {"ptewalk", cmd_ptewalk, help_ptewalk, 0},
    {"pcverify", cmd_pcverify, help_pcverify, 0},
    {"pcrefs", cmd_pcrefs, help_pcrefs, 0},
    {"pcwatch", cmd_pcwatch, help_pcwatch, 0},
    {NULL, NULL, NULL, 0},
};

static void pcx_warn_dump_level(void)
{
	int level = pcs_crash_dump_level();

	if (level < 0 || !(level & (PCX_DL_EXCLUDE_CACHE | PCX_DL_EXCLUDE_CACHE_PRI)))
		return;
	error(WARNING,
	      "pcmd5.so: dump level %d excluded page-cache pages (%s%s%s):"
	      " pcmd5 will report file pages as excluded, not hash them\n",
	      level, level & PCX_DL_EXCLUDE_CACHE ? "bit 2: cache" : "",
	      (level & PCX_DL_EXCLUDE_CACHE) && (level & PCX_DL_EXCLUDE_CACHE_PRI) ? ", " : "",
	      level & PCX_DL_EXCLUDE_CACHE_PRI ? "bit 4: private cache" : "");
}

void __attribute__((constructor)) pcmd5_init(void);
void __attribute__((constructor)) pcmd5_init(void)
{
	register_extension(pcx_commands);
	pcx_warn_dump_level();
}

void __attribute__((destructor)) pcmd5_fini(void);
void __attribute__((destructor)) pcmd5_fini(void)
{
	memset(&pcx, 0, sizeof(pcx));
}
