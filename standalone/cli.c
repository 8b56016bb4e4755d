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
	if (sa_live(c)) {
		if (c->record || !strcmp(cmd, "bundle")) {
			fprintf(
			    stderr,
			    "pcsleuth %s: not available on the live kernel (it needs a vmcore)\n",
			    cmd);
			return SA_EXIT_USAGE;
		}
		if (geteuid() != 0) {
			fprintf(stderr,
				"pcsleuth %s: --live needs root: /proc/kcore is readable only "
				"with CAP_SYS_RAWIO (run as root)\n",
				cmd);
			return SA_EXIT_INPUT;
		}
	}
	if (need_vmlinux)
		flags |= SA_NEED_VMLINUX;
	if (c->no_verify)
		flags |= SA_NO_VERIFY;
	if (c->dwarf)
		flags |= SA_TYPES_DWARF;
	if (c->no_types)
		flags |= SA_NO_TYPES;
	if (c->read_once)
		flags |= SA_READ_ONCE;
	if (c->no_cache)
		flags |= SA_NO_KCACHE;
	if (sa_open_rec(c->vmcore, sa_default_vmlinux(c->vmlinux), flags, c->record, st, &err)) {
		int rc = sa_fail(c, cmd, &err);

		return rc == SA_EXIT_OK || rc == SA_EXIT_ANALYSIS || rc == SA_EXIT_INCOMPLETE
			   ? SA_EXIT_INPUT
			   : rc;
	}
	if ((*st)->kc && !c->json)
		printf("source: live kernel %s (%s): memory changes while it is read\n",
		       (*st)->t.osrelease, c->vmcore);
	return 0;
}

bool sa_live_retry(const struct sa_common *c, const char *cmd, enum pcs_errcode rc,
		   const struct pcs_error *err, int attempt)
{
	if (!rc || !sa_live(c) || attempt >= SA_LIVE_ATTEMPTS ||
	    (rc != PCS_ERR_CORRUPT && rc != PCS_ERR_READ && rc != PCS_ERR_NODATA))
		return false;
	fprintf(stderr, "pcsleuth %s: live: %s; walking again (attempt %d of %d)\n", cmd, err->msg,
		attempt + 1, SA_LIVE_ATTEMPTS);
	return true;
}

bool sa_live(const struct sa_common *c)
{
	return c->live || sa_is_live_path(c->vmcore);
}

void sa_json_print_c(const struct sa_common *c, struct json_object *o)
{
	if (json_object_is_type(o, json_type_object))
		json_object_object_add(o, "source",
				       json_object_new_string(sa_live(c) ? "live" : "dump"));
	sa_json_print(o);
}

char **sa_live_argv(int *argc, char **argv)
{
	bool live = false;
	char **nv;

	for (int i = 2; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--live"))
			live = true;
		else if (sa_is_live_path(argv[i]))
			return argv;
	}
	if (!live || *argc < 2 || !(nv = calloc((size_t)*argc + 2, sizeof(*nv))))
		return argv;
	nv[0] = argv[0];
	nv[1] = argv[1];
	nv[2] = (char *)"/proc/kcore";
	for (int i = 2; i < *argc; i++)
		nv[i + 1] = argv[i];
	(*argc)++;
	return nv;
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
	case SA_OPT_LIVE: c->live = true; return true;
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
