/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interface of pcmd5.so, the crash extension. Include after "defs.h".
 *
 * pcmd5.c is the glue: it registers the commands and owns the extension's only
 * state (the pcs_target over crash and the discovered kernel layout). The
 * cmd_*.c files parse arguments and print; the analysis is core/'s.
 */
#ifndef PCS_CRASH_EXT_H
#define PCS_CRASH_EXT_H

#include "error.h"
#include "kernel.h"
#include "target.h"

/* The target and kernel layout for the open dump (set up on first use). */
enum pcs_errcode pcx_context(const struct pcs_target **t, const struct pcs_kernel **k,
			     struct pcs_error *err);

struct pcs_fs;
/* The file-system layout (core/fs.h) for path lookups (set up on first use). */
enum pcs_errcode pcx_fs(const struct pcs_fs **fs, struct pcs_error *err);

/*
 * Print err as a crash error (INFO: the command returns, the session continues),
 * "CMD: [WHAT: ]CODE: message".
 */
void pcx_error(const char *what, const struct pcs_error *err);

/* Parse a number the crash way (hex with or without 0x for addresses). */
int pcx_parse_u64(const char *s, int hex_default, uint64_t *val);

void cmd_pcmd5(void);
void cmd_pgdump(void);
void cmd_ptewalk(void);
void cmd_pcverify(void);
void cmd_pcrefs(void);
void cmd_pcwatch(void);

extern char *help_pcmd5[];
extern char *help_pgdump[];
extern char *help_ptewalk[];
extern char *help_pcverify[];
extern char *help_pcrefs[];
extern char *help_pcwatch[];

#endif /* PCS_CRASH_EXT_H */
