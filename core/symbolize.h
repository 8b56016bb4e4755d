/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code address → "function+0xoff/0xsize [module]". Kernel-image addresses are
 * resolved by the front end (vmlinux symtab, crash's symbol table) through a
 * callback; module addresses from the dump itself: the modules list and each
 * struct module's kallsyms (symtab/strtab as the module loader kept them).
 */
#ifndef PCS_SYMBOLIZE_H
#define PCS_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

/* Kernel image lookup: write "name+0xoff/0xsize" and return true, or false. */
typedef bool (*pcs_ksym_fn)(void *arg, uint64_t addr, char *buf, size_t len);

struct pcs_symbol_info {
	char text[256];	 /* "stray_write_id+0x4c/0x70 [stray_writer]" */
	char func[128];	 /* "stray_write_id" */
	char module[64]; /* "stray_writer", "" for the kernel image */
	uint64_t offset;
};

/*
 * Resolve pc: kernel image through kfn (may be NULL), then loaded modules.
 * PCS_ERR_NOTFOUND when neither knows the address (text then "0x...").
 */
enum pcs_errcode pcs_symbolize(const struct pcs_target *t, pcs_ksym_fn kfn, void *karg, uint64_t pc,
			       struct pcs_symbol_info *out, struct pcs_error *err);

/* Find a loaded module by name: address of struct module, PCS_ERR_NOTFOUND if absent. */
enum pcs_errcode pcs_module_find(const struct pcs_target *t, const char *name, uint64_t *module,
				 struct pcs_error *err);

/* Address of a symbol of a loaded module (from its kallsyms). */
enum pcs_errcode pcs_module_symbol(const struct pcs_target *t, uint64_t module, const char *name,
				   uint64_t *addr, struct pcs_error *err);

/* One memory region of a loaded module: mod->mem[type] (6.4+) or core/init_layout (before). */
struct pcs_module_region {
	uint64_t base, size;
	const char *name; /* ".text", ".data", ... (6.4+); "core", "init" (before) */
	/* core/init_layout only: ends of text, rodata, ro_after_init within the region (0: unknown)
	 */
	uint64_t text_size, ro_size, ro_after_init_size;
};

#define PCS_MODULE_MAX_REGIONS 8

struct pcs_module_info {
	uint64_t module; /* struct module address */
	char name[64];
	unsigned int nregions; /* regions with a base and a size */
	struct pcs_module_region region[PCS_MODULE_MAX_REGIONS];
};

/* Return nonzero to stop the walk (which then returns PCS_OK). */
typedef int (*pcs_module_fn)(const struct pcs_module_info *m, void *arg);

/* Every loaded module on the modules list, with its memory regions. */
enum pcs_errcode pcs_module_for_each(const struct pcs_target *t, pcs_module_fn fn, void *arg,
				     struct pcs_error *err);

#endif /* PCS_SYMBOLIZE_H */
