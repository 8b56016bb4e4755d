/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors as values. Every fallible core function returns an enum pcs_errcode
 * (PCS_OK == 0) and, on failure, fills a struct pcs_error with one sentence of
 * context in the kernel's vocabulary ("xa_node 0xffff... has shift 70").
 * The front end prints it once, at the edge.
 */
#ifndef PCS_ERROR_H
#define PCS_ERROR_H

#include <stdarg.h>

enum pcs_errcode {
	PCS_OK = 0,
	PCS_ERR_NODATA,	     /* the dump does not contain this memory (excluded / filtered) */
	PCS_ERR_READ,	     /* memory read failed for another reason */
	PCS_ERR_NOSYM,	     /* kernel symbol not found */
	PCS_ERR_NOTYPE,	     /* struct or member not found in the type info */
	PCS_ERR_CORRUPT,     /* kernel data inconsistent: loop, bad depth, bad pointer */
	PCS_ERR_INVAL,	     /* bad argument from the user */
	PCS_ERR_NOMEM,	     /* allocation failed */
	PCS_ERR_UNSUPPORTED, /* arch / kernel version / format not supported */
	PCS_ERR_IO,	     /* host file I/O failed */
	PCS_ERR_NOTFOUND,    /* looked-up object (file, pid, key) does not exist */
	PCS_ERR_MISMATCH,    /* e.g. vmlinux does not match the dump */
	PCS_ERR_MALFORMED,   /* a file's own headers are inconsistent (vmcore ELF/kdump header) */
};

#define PCS_ERRMSG_MAX 512

struct pcs_error {
	enum pcs_errcode code;
	char msg[PCS_ERRMSG_MAX];
};

/* Set *err (if non-NULL) and return code. */
enum pcs_errcode pcs_error_set(struct pcs_error *err, enum pcs_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context: "walking i_pages: <old msg>". */
enum pcs_errcode pcs_error_wrap(struct pcs_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void pcs_error_clear(struct pcs_error *err);

/* Short name of a code, e.g. "excluded", for status columns. */
const char *pcs_errcode_name(enum pcs_errcode code);

#endif /* PCS_ERROR_H */
