/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Types and symbols from the dump itself, for when no vmlinux is given: the
 * kernel's BTF blob from the kernel image (core/btf_find.c), kallsyms from the
 * tables VMCOREINFO points to (core/kallsyms.c) or, before Linux 6.0, found in the
 * kernel image by their structure (core/kallsyms_find.c), and data roots text-only kallsyms
 * lacks derived from VMCOREINFO and the structures it leads to (core/roots.c).
 */
#ifndef SA_DUMP_SRC_H
#define SA_DUMP_SRC_H

#include "sa_target.h"

/* Load the dump's BTF into st->types; records st->types_from. */
enum pcs_errcode sa_dump_types(struct sa_target *st, struct pcs_error *err);
/* Decode kallsyms into st->ksyms (once); records st->syms_from or st->syms_why. */
enum pcs_errcode sa_dump_symbols(struct sa_target *st, struct pcs_error *err);

/* A data root kallsyms lacks, derived once (core/roots.h) and cached in st. */
enum pcs_errcode sa_dump_root(struct sa_target *st, const char *name, uint64_t *addr,
			      struct pcs_error *err);

#endif /* SA_DUMP_SRC_H */
