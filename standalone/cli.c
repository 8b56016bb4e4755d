// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sa_exit_for(enum pcs_errcode code)
{
	switch (code) {
	case PCS_OK: return SA_EXIT_OK;
	case PCS_ERR_INVAL: return SA_EXIT_USAGE;
	case PCS_ERR_NODATA: return SA_EXIT_INCOMPLETE;
	case PCS_ERR_READ:
	case PCS_ERR_CORRUPT: return SA_EXIT_ANALYSIS;
	default: return SA_EXIT_INPUT;
	}
}

int sa_fail(const struct sa_common *c, const char *cmd, const struct pcs_error *err)
{
	const char *msg = err->msg[0] ? err->msg : pcs_errcode_name(err->code);

	fprintf(stderr, "pcsleuth %s: %s\n", cmd, msg);
	if (c && c->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error",
				       json_object_new_string(pcs_errcode_name(err->code)));
		json_object_object_add(o, "message", json_object_new_string(msg));
		sa_json_print(o);
		json_object_put(o);
	}
	return sa_exit_for(err->code);
}

int sa_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pcsleuth %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'pcsleuth %s --help')\n", cmd);
	return SA_EXIT_USAGE;
}

const char *sa_default_vmlinux(const char *given)
{
	const char *e;

	if (given)
		return given;
	e = getenv("PCSLEUTH_VMLINUX");
	return e && *e ? e : NULL;
}

int sa_open_common(const struct sa_common *c, const char *cmd, bool need_vmlinux,
		   struct sa_target **st)
{
	struct pcs_error err = {0};
	unsigned int flags = 0;

	if (!c->vmcore)
		return sa_usage_error(cmd, "missing VMCORE");
	if (need_vmlinux)
		flags |= SA_NEED_VMLINUX;
	if (c->no_verify)
		flags |= SA_NO_VERIFY;
	if (c->dwarf)
		flags |= SA_TYPES_DWARF;
	if (c->no_types)
		flags |= SA_NO_TYPES;
	if (c->no_cache)
		flags |= SA_NO_KCACHE;
	if (sa_open_rec(c->vmcore, sa_default_vmlinux(c->vmlinux), flags, c->record, st, &err)) {
		int rc = sa_fail(c, cmd, &err);

		return rc == SA_EXIT_OK || rc == SA_EXIT_ANALYSIS || rc == SA_EXIT_INCOMPLETE
			   ? SA_EXIT_INPUT
			   : rc;
	}
	return 0;
}

void sa_json_print(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
}

bool sa_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *end == '\0';
}

bool sa_common_opt(struct sa_common *c, int opt, const char *arg)
{
	switch (opt) {
	case SA_OPT_JSON: c->json = true; return true;
	case 'k': c->vmlinux = arg; return true;
	case SA_OPT_NO_VERIFY: c->no_verify = true; return true;
	case SA_OPT_DWARF: c->dwarf = true; return true;
	case SA_OPT_NO_CACHE: c->no_cache = true; return true;
	case SA_OPT_RECORD: c->record = arg; return true;
	}
	return false;
}

bool sa_parse_jobs(const char *s, unsigned int *n)
{
	uint64_t v;

	if (!sa_parse_u64(s, &v) || v < 1 || v > 256)
		return false;
	*n = (unsigned int)v;
	return true;
}
