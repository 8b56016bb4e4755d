/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * struct pcs_target implemented with the crash utility's API: readmem(),
 * kvtop(), symbol_value(), MEMBER_OFFSET(), STRUCT_SIZE(), enumerator_value()
 * and pc->read_vmcoreinfo(). Only valid inside a running crash session.
 */
#ifndef PCS_TARGET_CRASH_H
#define PCS_TARGET_CRASH_H

#include "target.h"

/* Fill *t for the dump crash has open. */
enum pcs_errcode pcs_crash_target_init(struct pcs_target *t, struct pcs_error *err);

/*
 * The dump level makedumpfile wrote (-1 when unknown or not a kdump-compressed
 * dump), as crash's get_dump_level() reports it.
 */
int pcs_crash_dump_level(void);

#endif /* PCS_TARGET_CRASH_H */
