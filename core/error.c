// SPDX-License-Identifier: GPL-2.0-or-later
#include "error.h"

#include <stdio.h>
#include <string.h>

enum pcs_errcode pcs_error_set(struct pcs_error *err, enum pcs_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

enum pcs_errcode pcs_error_wrap(struct pcs_error *err, const char *fmt, ...)
{
	char prefix[PCS_ERRMSG_MAX];
	char old[PCS_ERRMSG_MAX];
	va_list ap;

	if (!err)
		return PCS_OK;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is acceptable: messages are one line of context. */
	size_t n = strlen(prefix);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	size_t room = sizeof(err->msg) - n - 3;
	size_t m = strnlen(old, room);
	memcpy(err->msg + n + 2, old, m);
	err->msg[n + 2 + m] = '\0';
	return err->code;
}

void pcs_error_clear(struct pcs_error *err)
{
	if (err) {
		err->code = PCS_OK;
		err->msg[0] = '\0';
	}
}

const char *pcs_errcode_name(enum pcs_errcode code)
{
	switch (code) {
	case PCS_OK: return "ok";
	case PCS_ERR_NODATA: return "excluded";
	case PCS_ERR_READ: return "read-error";
	case PCS_ERR_NOSYM: return "no-symbol";
	case PCS_ERR_NOTYPE: return "no-type";
	case PCS_ERR_CORRUPT: return "corrupt";
	case PCS_ERR_INVAL: return "invalid";
	case PCS_ERR_NOMEM: return "no-memory";
	case PCS_ERR_UNSUPPORTED: return "unsupported";
	case PCS_ERR_IO: return "io-error";
	case PCS_ERR_NOTFOUND: return "not-found";
	case PCS_ERR_MISMATCH: return "mismatch";
	case PCS_ERR_MALFORMED: return "malformed";
	}
	return "unknown";
}
