// SPDX-License-Identifier: GPL-2.0-or-later
#include "symbolize.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "loopcheck.h"

/* pcs_error_wrap() returns PCS_OK when err is NULL: keep the code then. */
#define WRAP(rc, err, ...) ((err) ? pcs_error_wrap(err, __VA_ARGS__) : (rc))

#define MOD_MAX	     (1u << 16)
#define MOD_MAX_SYMS (1u << 20)

struct mod_layout {
	uint64_t o_list, o_name, o_kallsyms, o_symtab, o_num, o_strtab;
	/* 6.1: core_layout/init_layout {base,size}; 6.4+: mem[] of module_memory */
	uint64_t o_core_base, o_core_size, o_init_base, o_init_size;
	uint64_t o_mem, mem_size, o_mem_base, o_mem_size;
	unsigned int nmem;
};

static enum pcs_errcode mod_layout(const struct pcs_target *t, struct mod_layout *l,
				   struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(l, 0, sizeof(*l));
	if ((rc = pcs_kernel_offset(t, "module", "list", &l->o_list, err)) ||
	    (rc = pcs_kernel_offset(t, "module", "name", &l->o_name, err)) ||
	    (rc = pcs_kernel_offset(t, "module", "kallsyms", &l->o_kallsyms, err)) ||
	    (rc = pcs_kernel_offset(t, "mod_kallsyms", "symtab", &l->o_symtab, err)) ||
	    (rc = pcs_kernel_offset(t, "mod_kallsyms", "num_symtab", &l->o_num, err)) ||
	    (rc = pcs_kernel_offset(t, "mod_kallsyms", "strtab", &l->o_strtab, err)))
		return WRAP(rc, err, "module layout");
	if (pcs_kernel_offset(t, "module", "core_layout.base", &l->o_core_base, NULL) == PCS_OK) {
		if ((rc = pcs_kernel_offset(t, "module", "core_layout.size", &l->o_core_size,
					    err)) ||
		    (rc = pcs_kernel_offset(t, "module", "init_layout.base", &l->o_init_base,
					    err)) ||
		    (rc = pcs_kernel_offset(t, "module", "init_layout.size", &l->o_init_size, err)))
			return rc;
		return PCS_OK;
	}
	if ((rc = pcs_kernel_offset(t, "module", "mem", &l->o_mem, err)) ||
	    (rc = pcs_kernel_size(t, "module_memory", &l->mem_size, err)) ||
	    (rc = pcs_kernel_offset(t, "module_memory", "base", &l->o_mem_base, err)) ||
	    (rc = pcs_kernel_offset(t, "module_memory", "size", &l->o_mem_size, err)))
		return WRAP(rc, err, "module layout");
	int64_t n;

	if (pcs_enum_value(t, "MOD_MEM_NUM_TYPES", &n, NULL) == PCS_OK && n > 0 && n < 16)
		l->nmem = (unsigned int)n;
	else
		l->nmem = 7;
	return PCS_OK;
}

static bool mod_contains(const struct pcs_target *t, const struct mod_layout *l, uint64_t mod,
			 uint64_t pc)
{
	uint64_t base, size;
	uint32_t s32;

	if (!l->o_mem) {
		uint64_t b[2] = {l->o_core_base, l->o_init_base},
			 s[2] = {l->o_core_size, l->o_init_size};

		for (int i = 0; i < 2; i++) {
			if (pcs_read_u64(t, mod + b[i], &base, NULL) ||
			    pcs_read_u32(t, mod + s[i], &s32, NULL))
				continue;
			if (base && pc >= base && pc < base + s32)
				return true;
		}
		return false;
	}
	for (unsigned int i = 0; i < l->nmem; i++) {
		uint64_t m = mod + l->o_mem + i * l->mem_size;

		if (pcs_read_u64(t, m + l->o_mem_base, &base, NULL) ||
		    pcs_read_u32(t, m + l->o_mem_size, &s32, NULL))
			continue;
		size = s32;
		if (base && pc >= base && pc < base + size)
			return true;
	}
	return false;
}

/* Elf64_Sym as the module loader keeps it. */
struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
};

static enum pcs_errcode mod_symbolize(const struct pcs_target *t, const struct mod_layout *l,
				      uint64_t mod, uint64_t pc, struct pcs_symbol_info *out,
				      struct pcs_error *err)
{
	uint64_t ks, symtab, strtab, num;
	uint32_t num32 = 0;
	enum pcs_errcode rc;

	pcs_read(t, PCS_KVADDR, mod + l->o_name, out->module, sizeof(out->module) - 1, NULL);
	out->module[sizeof(out->module) - 1] = '\0';
	if ((rc = pcs_read_u64(t, mod + l->o_kallsyms, &ks, err)) ||
	    (rc = pcs_read_u64(t, ks + l->o_symtab, &symtab, err)) ||
	    (rc = pcs_read_u64(t, ks + l->o_strtab, &strtab, err)) ||
	    (rc = pcs_read_u32(t, ks + l->o_num, &num32, err)))
		return WRAP(rc, err, "kallsyms of module %s", out->module);
	num = num32;
	if (num > MOD_MAX_SYMS)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "module %s: %" PRIu64 " symbols",
				     out->module, num);
	struct elf64_sym *syms = calloc(num ? num : 1, sizeof(*syms));

	if (!syms)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	if (num && (rc = pcs_read(t, PCS_KVADDR, symtab, syms, num * sizeof(*syms), err))) {
		free(syms);
		return WRAP(rc, err, "symtab of module %s", out->module);
	}
	const struct elf64_sym *best = NULL;

	for (uint64_t i = 0; i < num; i++) {
		const struct elf64_sym *s = &syms[i];

		if (!s->st_name || s->st_value > pc || !s->st_shndx)
			continue;
		if (s->st_size && pc >= s->st_value + s->st_size)
			continue;
		/* a sized symbol containing pc beats unsized ones (arm64 mapping symbols $x, $d) */
		if (best && best->st_size && !s->st_size)
			continue;
		if (!best || (s->st_size && !best->st_size) || s->st_value > best->st_value ||
		    (s->st_value == best->st_value && s->st_size > best->st_size))
			best = s;
	}
	if (!best) {
		free(syms);
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "0x%" PRIx64 " in module %s has no symbol", pc, out->module);
	}
	char name[128] = {0};

	pcs_read(t, PCS_KVADDR, strtab + best->st_name, name, sizeof(name) - 1, NULL);
	name[sizeof(name) - 1] = '\0';
	if (name[0] == '$') { /* only a mapping symbol below pc: no name for it */
		free(syms);
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "0x%" PRIx64 " in module %s has no symbol", pc, out->module);
	}
	/* the loader's strtab may be short; read may cross into unreadable memory */
	snprintf(out->func, sizeof(out->func), "%s", name);
	out->offset = pc - best->st_value;
	snprintf(out->text, sizeof(out->text), "%s+0x%" PRIx64 "/0x%" PRIx64 " [%s]", name,
		 out->offset, best->st_size, out->module);
	free(syms);
	return PCS_OK;
}

static enum pcs_errcode for_modules(const struct pcs_target *t, const struct mod_layout *l,
				    uint64_t pc, const char *name, uint64_t *found,
				    struct pcs_error *err)
{
	uint64_t head, pos;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "modules", &head, err)))
		return rc;
	if ((rc = pcs_read_u64(t, head, &pos, err)))
		return WRAP(rc, err, "reading the modules list");
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

	for (uint32_t n = 0; pos != head; n++) {
		uint64_t mod = pos - l->o_list;

		if (n > MOD_MAX || pcs_loopcheck_step(&lc, pos))
			return pcs_error_set(err, PCS_ERR_CORRUPT, "modules list does not end");
		if (name) {
			char mn[64] = {0};

			pcs_read(t, PCS_KVADDR, mod + l->o_name, mn, sizeof(mn) - 1, NULL);
			if (strcmp(mn, name) == 0) {
				*found = mod;
				return PCS_OK;
			}
		} else if (mod_contains(t, l, mod, pc)) {
			*found = mod;
			return PCS_OK;
		}
		if ((rc = pcs_read_u64(t, pos, &pos, err)))
			return WRAP(rc, err, "walking the modules list");
	}
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "not in any loaded module");
}

enum pcs_errcode pcs_symbolize(const struct pcs_target *t, pcs_ksym_fn kfn, void *karg, uint64_t pc,
			       struct pcs_symbol_info *out, struct pcs_error *err)
{
	struct mod_layout l;
	uint64_t mod;
	enum pcs_errcode rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->text, sizeof(out->text), "0x%" PRIx64, pc);
	if (kfn && kfn(karg, pc, out->text, sizeof(out->text))) {
		const char *plus = strchr(out->text, '+');
		size_t n = plus ? (size_t)(plus - out->text) : strlen(out->text);

		if (n >= sizeof(out->func))
			n = sizeof(out->func) - 1;
		memcpy(out->func, out->text, n);
		out->func[n] = '\0';
		if (plus)
			out->offset = strtoull(plus + 1, NULL, 16);
		return PCS_OK;
	}
	if ((rc = mod_layout(t, &l, err)))
		return rc;
	if ((rc = for_modules(t, &l, pc, NULL, &mod, err))) {
		snprintf(out->text, sizeof(out->text), "0x%" PRIx64, pc);
		return WRAP(rc, err, "0x%" PRIx64, pc);
	}
	return mod_symbolize(t, &l, mod, pc, out, err);
}

enum pcs_errcode pcs_module_find(const struct pcs_target *t, const char *name, uint64_t *module,
				 struct pcs_error *err)
{
	struct mod_layout l;
	enum pcs_errcode rc;

	if ((rc = mod_layout(t, &l, err)))
		return rc;
	return for_modules(t, &l, 0, name, module, err);
}

/* Exported symbols: struct module.syms[] / gpl_syms[] (struct kernel_symbol, PREL32 or absolute).
 */
static enum pcs_errcode module_export_list(const struct pcs_target *t, uint64_t mod,
					   const char *name, const char *m_syms, const char *m_num,
					   uint64_t *addr, struct pcs_error *err)
{
	uint64_t o_syms, o_num, syms, ksz, o_val, o_name;
	uint32_t num;
	bool prel32;
	size_t nlen = strlen(name);
	enum pcs_errcode rc;

	if ((rc = pcs_kernel_offset(t, "module", m_syms, &o_syms, err)) ||
	    (rc = pcs_kernel_offset(t, "module", m_num, &o_num, err)) ||
	    (rc = pcs_kernel_size(t, "kernel_symbol", &ksz, err)))
		return WRAP(rc, err, "module exports");
	prel32 = pcs_kernel_offset(t, "kernel_symbol", "value_offset", &o_val, NULL) == PCS_OK;
	if (prel32) {
		if ((rc = pcs_kernel_offset(t, "kernel_symbol", "name_offset", &o_name, err)))
			return rc;
	} else if ((rc = pcs_kernel_offset(t, "kernel_symbol", "value", &o_val, err)) ||
		   (rc = pcs_kernel_offset(t, "kernel_symbol", "name", &o_name, err))) {
		return rc;
	}
	if ((rc = pcs_read_u64(t, mod + o_syms, &syms, err)) ||
	    (rc = pcs_read_u32(t, mod + o_num, &num, err)))
		return WRAP(rc, err, "module exports");
	if (num > MOD_MAX_SYMS)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "module exports %u symbols", num);
	for (uint32_t i = 0; i < num; i++) {
		uint64_t ks = syms + (uint64_t)i * ksz, val, np;
		char sn[128];

		if (prel32) {
			int32_t vo, no;

			if (pcs_read(t, PCS_KVADDR, ks + o_val, &vo, 4, NULL) ||
			    pcs_read(t, PCS_KVADDR, ks + o_name, &no, 4, NULL))
				continue;
			val = ks + o_val + (uint64_t)(int64_t)vo;
			np = ks + o_name + (uint64_t)(int64_t)no;
		} else if (pcs_read_u64(t, ks + o_val, &val, NULL) ||
			   pcs_read_u64(t, ks + o_name, &np, NULL)) {
			continue;
		}
		if (nlen + 1 > sizeof(sn) || pcs_read(t, PCS_KVADDR, np, sn, nlen + 1, NULL))
			continue;
		if (memcmp(sn, name, nlen + 1) == 0) {
			*addr = val;
			return PCS_OK;
		}
	}
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "module has no symbol %s", name);
}

static enum pcs_errcode module_export(const struct pcs_target *t, uint64_t mod, const char *name,
				      uint64_t *addr, struct pcs_error *err)
{
	if (module_export_list(t, mod, name, "gpl_syms", "num_gpl_syms", addr, NULL) == PCS_OK)
		return PCS_OK;
	return module_export_list(t, mod, name, "syms", "num_syms", addr, err);
}

enum pcs_errcode pcs_module_symbol(const struct pcs_target *t, uint64_t mod, const char *name,
				   uint64_t *addr, struct pcs_error *err)
{
	struct mod_layout l;
	uint64_t ks, symtab, strtab;
	uint32_t num;
	enum pcs_errcode rc;
	size_t nlen = strlen(name);

	if ((rc = mod_layout(t, &l, err)))
		return rc;
	if ((rc = pcs_read_u64(t, mod + l.o_kallsyms, &ks, err)) ||
	    (rc = pcs_read_u64(t, ks + l.o_symtab, &symtab, err)) ||
	    (rc = pcs_read_u64(t, ks + l.o_strtab, &strtab, err)) ||
	    (rc = pcs_read_u32(t, ks + l.o_num, &num, err)))
		return WRAP(rc, err, "module kallsyms");
	if (num > MOD_MAX_SYMS)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "module has %u symbols", num);
	for (uint32_t i = 0; i < num; i++) {
		struct elf64_sym s;
		char sn[128];

		if (pcs_read(t, PCS_KVADDR, symtab + (uint64_t)i * sizeof(s), &s, sizeof(s),
			     NULL) ||
		    !s.st_name)
			continue;
		if (nlen + 1 > sizeof(sn) ||
		    pcs_read(t, PCS_KVADDR, strtab + s.st_name, sn, nlen + 1, NULL))
			continue;
		if (memcmp(sn, name, nlen + 1) == 0) {
			*addr = s.st_value;
			return PCS_OK;
		}
	}
	return module_export(t, mod, name, addr, err);
}

/* mod->mem[] types (include/linux/module.h, 6.4+), in enum mod_mem_type order. */
static const char *const mod_mem_names[] = {
    ".text", ".data", ".rodata", ".data..ro_after_init", ".init.text", ".init.data", ".init.rodata",
};

static void layout_region(const struct pcs_target *t, uint64_t mod, const char *member,
			  const char *name, struct pcs_module_info *m)
{
	static const char *const sizes[] = {"size", "text_size", "ro_size", "ro_after_init_size"};
	uint64_t o_layout, o, base, v[4] = {0};
	uint32_t s32;

	if (m->nregions >= PCS_MODULE_MAX_REGIONS ||
	    pcs_kernel_offset(t, "module", member, &o_layout, NULL) ||
	    pcs_kernel_offset(t, "module_layout", "base", &o, NULL) ||
	    pcs_read_u64(t, mod + o_layout + o, &base, NULL) || !base)
		return;
	for (int i = 0; i < 4; i++) {
		if (pcs_kernel_offset(t, "module_layout", sizes[i], &o, NULL) == PCS_OK &&
		    pcs_read_u32(t, mod + o_layout + o, &s32, NULL) == PCS_OK)
			v[i] = s32;
	}
	if (!v[0])
		return;
	m->region[m->nregions++] = (struct pcs_module_region){
	    .base = base,
	    .size = v[0],
	    .name = name,
	    .text_size = v[1],
	    .ro_size = v[2],
	    .ro_after_init_size = v[3],
	};
}

static void module_regions(const struct pcs_target *t, const struct mod_layout *l, uint64_t mod,
			   struct pcs_module_info *m)
{
	if (!l->o_mem) {
		layout_region(t, mod, "core_layout", "core", m);
		layout_region(t, mod, "init_layout", "init", m);
		layout_region(t, mod, "data_layout", "data",
			      m); /* ARCH_WANTS_MODULES_DATA_IN_VMALLOC */
		return;
	}
	for (unsigned int i = 0; i < l->nmem && m->nregions < PCS_MODULE_MAX_REGIONS; i++) {
		uint64_t mm = mod + l->o_mem + i * l->mem_size, base;
		uint32_t s32;

		if (pcs_read_u64(t, mm + l->o_mem_base, &base, NULL) ||
		    pcs_read_u32(t, mm + l->o_mem_size, &s32, NULL) || !base || !s32)
			continue;
		m->region[m->nregions++] = (struct pcs_module_region){
		    .base = base,
		    .size = s32,
		    .name = i < sizeof(mod_mem_names) / sizeof(mod_mem_names[0]) ? mod_mem_names[i]
										 : "?",
		};
	}
}

enum pcs_errcode pcs_module_for_each(const struct pcs_target *t, pcs_module_fn fn, void *arg,
				     struct pcs_error *err)
{
	struct mod_layout l;
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
	uint64_t head, pos;
	enum pcs_errcode rc;

	if ((rc = mod_layout(t, &l, err)) || (rc = pcs_symbol(t, "modules", &head, err)))
		return rc;
	if ((rc = pcs_read_u64(t, head, &pos, err)))
		return WRAP(rc, err, "reading the modules list");
	for (uint32_t n = 0; pos != head; n++) {
		struct pcs_module_info m;

		if (n > MOD_MAX || pcs_loopcheck_step(&lc, pos))
			return pcs_error_set(err, PCS_ERR_CORRUPT, "modules list does not end");
		memset(&m, 0, sizeof(m));
		m.module = pos - l.o_list;
		pcs_read(t, PCS_KVADDR, m.module + l.o_name, m.name, sizeof(m.name) - 1, NULL);
		module_regions(t, &l, m.module, &m);
		if (fn(&m, arg))
			return PCS_OK;
		if ((rc = pcs_read_u64(t, pos, &pos, err)))
			return WRAP(rc, err, "walking the modules list");
	}
	return PCS_OK;
}
