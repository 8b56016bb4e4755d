// SPDX-License-Identifier: GPL-2.0-or-later
/* Who owns a physical address: the non-linear mappings first, then the page's struct page. */
#include "kmem_owner.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem_vmap.h"
#include "memmap.h"
#include "pte_walker.h"

/* include/linux/page-flags.h, 4.18 .. 6.8: page_type bits are cleared to set a type. */
#define PAGE_TYPE_BASE 0xf0000000u
#define PG_BUDDY_TYPE  0x00000080u
#define PG_TABLE_TYPE  0x00000200u
/* 6.12+: enum pagetype in the top byte of page_type (PGTY_table; PGTY_buddy is in VMCOREINFO) */
#define PGTY_TABLE	   0xf2u
#define PAGE_MAPPING_FLAGS 3ull /* PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE */

static const char *const flag_names[] = {
    "locked", "referenced", "uptodate", "dirty",     "lru",  "active",	   "workingset",  "error",
    "slab",   "reserved",   "private",	"writeback", "head", "swapbacked", "unevictable", "mlocked",
};
#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

struct pcs_kmem_owner {
	const struct pcs_kernel *k;
	pcs_ksym_fn kfn;
	void *karg;
	const struct pcs_fs *fs;
	struct pcs_pte_walker pw;
	bool have_pw;
	struct pcs_slub slub;
	bool have_slub;
	struct pcs_vmap vm;
	uint64_t image_va, image_pa, image_len;
	uint64_t init_pa, init_len; /* freed __init memory inside the image range */
	uint64_t o_page_type;	    /* PCS_OFF_NONE: page types not decoded */
	int flag_bit[NFLAGS];
	/* struct module_sect_attrs / module_sect_attr, for section names */
	uint64_t o_sect_attrs, o_nsections, o_attrs, sect_size, o_sect_name, o_sect_addr;
	bool have_sections;
};

const char *pcs_owner_kind_name(enum pcs_owner_kind kind)
{
	switch (kind) {
	case PCS_OWNER_SLAB: return "slab";
	case PCS_OWNER_MODULE: return "module";
	case PCS_OWNER_KERNEL: return "kernel";
	case PCS_OWNER_STACK: return "stack";
	case PCS_OWNER_PGTABLE: return "page-table";
	case PCS_OWNER_MEMMAP: return "memmap";
	case PCS_OWNER_VMALLOC: return "vmalloc";
	case PCS_OWNER_PAGECACHE: return "page-cache";
	case PCS_OWNER_ANON: return "anon";
	case PCS_OWNER_FREE: return "free";
	default: return "unknown";
	}
}

static void init_image(struct pcs_kmem_owner *ko)
{
	const struct pcs_target *t = ko->k->t;
	uint64_t text, end, pa, pa_last, ib, ie;

	if (!ko->have_pw || pcs_symbol(t, "_text", &text, NULL) ||
	    pcs_symbol(t, "_end", &end, NULL) || end <= text ||
	    pcs_pte_walker_translate(&ko->pw, text, &pa, NULL) ||
	    pcs_pte_walker_translate(&ko->pw, end - 1, &pa_last, NULL) ||
	    pa_last - pa != end - 1 - text)
		return; /* not physically contiguous as one range: left out */
	ko->image_va = text;
	ko->image_pa = pa;
	ko->image_len = end - text;
	/* [__init_begin, __init_end) is freed after boot: its pages are anyone's */
	if (!pcs_symbol(t, "__init_begin", &ib, NULL) && !pcs_symbol(t, "__init_end", &ie, NULL) &&
	    ib >= text && ie > ib && ie <= end) {
		ko->init_pa = pa + (ib - text);
		ko->init_len = ie - ib;
	}
}

static void init_sections(struct pcs_kmem_owner *ko)
{
	const struct pcs_target *t = ko->k->t;

	ko->have_sections =
	    !pcs_kernel_offset(t, "module", "sect_attrs", &ko->o_sect_attrs, NULL) &&
	    !pcs_kernel_offset(t, "module_sect_attrs", "nsections", &ko->o_nsections, NULL) &&
	    !pcs_kernel_offset(t, "module_sect_attrs", "attrs", &ko->o_attrs, NULL) &&
	    !pcs_kernel_size(t, "module_sect_attr", &ko->sect_size, NULL) &&
	    !pcs_kernel_offset(t, "module_sect_attr", "address", &ko->o_sect_addr, NULL) &&
	    (!pcs_kernel_offset(t, "module_sect_attr", "battr.attr.name", &ko->o_sect_name, NULL) ||
	     !pcs_kernel_offset(t, "module_sect_attr", "name", &ko->o_sect_name, NULL));
}

enum pcs_errcode pcs_kmem_owner_new(const struct pcs_kernel *k, pcs_ksym_fn kfn, void *karg,
				    const struct pcs_fs *fs, struct pcs_kmem_owner **out,
				    struct pcs_error *err)
{
	struct pcs_kmem_owner *ko = calloc(1, sizeof(*ko));
	enum pcs_errcode rc;
	int64_t v;

	if (!ko)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	ko->k = k;
	ko->kfn = kfn;
	ko->karg = karg;
	ko->fs = fs;
	ko->have_pw = pcs_pte_walker_init(&ko->pw, k->t, NULL) == PCS_OK;
	ko->have_slub = pcs_slub_init(&ko->slub, k, NULL) == PCS_OK;
	rc = pcs_vmap_build(&ko->vm, k, ko->have_pw ? &ko->pw : NULL, err);
	if (rc) {
		pcs_kmem_owner_free(ko);
		return rc;
	}
	init_image(ko);
	init_sections(ko);
	ko->o_page_type = PCS_OFF_NONE;
	if (k->version >= PCS_KERNEL_VERSION(4, 18, 0) &&
	    k->version < PCS_KERNEL_VERSION(6, 9, 0) &&
	    pcs_kernel_offset(k->t, "page", "page_type", &ko->o_page_type, NULL))
		ko->o_page_type = PCS_OFF_NONE;
	for (size_t i = 0; i < NFLAGS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "PG_%s", flag_names[i]);
		ko->flag_bit[i] = pcs_enum_value(k->t, name, &v, NULL) == PCS_OK && v >= 0 && v < 64
				      ? (int)v
				      : -1;
	}
	*out = ko;
	return PCS_OK;
}

void pcs_kmem_owner_free(struct pcs_kmem_owner *ko)
{
	if (!ko)
		return;
	pcs_vmap_free(&ko->vm);
	free(ko);
}

bool pcs_kmem_owner_image_alias(const struct pcs_kmem_owner *ko, uint64_t pa, uint64_t len,
				uint64_t *va)
{
	if (!ko->image_len || !len || pa < ko->image_pa || len > ko->image_len ||
	    pa - ko->image_pa > ko->image_len - len)
		return false;
	if (ko->init_len && pa < ko->init_pa + ko->init_len && pa + len > ko->init_pa)
		return false; /* overlaps the freed __init range */
	*va = ko->image_va + (pa - ko->image_pa);
	return true;
}

const struct pcs_slub *pcs_kmem_owner_slub(const struct pcs_kmem_owner *ko)
{
	return ko->have_slub ? &ko->slub : NULL;
}

bool pcs_kmem_owner_kernel_pte(const struct pcs_kmem_owner *ko, uint64_t vaddr,
			       uint64_t entry_paddr)
{
	struct pcs_pte_walk *w;
	bool found = false;

	if (!ko->have_pw || !(w = malloc(sizeof(*w))))
		return false;
	if (pcs_pte_walker_walk(&ko->pw, 0, vaddr, w, NULL) == PCS_OK)
		for (unsigned int i = 0; i < w->nlevels; i++)
			found |= w->lv[i].entry_paddr == entry_paddr;
	free(w);
	return found;
}

/* "name+0xoff" of a kernel-image address through the front end's symbol table. */
static bool kernel_symbol(const struct pcs_kmem_owner *ko, uint64_t va, char *buf, size_t len)
{
	char *slash;

	if (!ko->kfn || !ko->kfn(ko->karg, va, buf, len))
		return false;
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	return true;
}

/* "name+0xoff" of any code or data address: kernel image, then modules. */
static void any_symbol(const struct pcs_kmem_owner *ko, uint64_t va, char *buf, size_t len)
{
	struct pcs_symbol_info si;

	buf[0] = '\0';
	if (ko->image_len && va - ko->image_va < ko->image_len && kernel_symbol(ko, va, buf, len))
		return;
	if (pcs_symbolize(ko->k->t, NULL, NULL, va, &si, NULL) == PCS_OK) {
		if (si.module[0])
			snprintf(buf, len, "%.60s:%.100s+0x%" PRIx64, si.module, si.func,
				 si.offset);
		else
			snprintf(buf, len, "%.100s+0x%" PRIx64, si.func, si.offset);
	} else if (va) {
		snprintf(buf, len, "0x%" PRIx64, va);
	}
}

/*
 * Section of a module address and where it starts: module_sect_attrs (sysfs), else
 * the region's layout (text, rodata, ro_after_init, then data and bss).
 */
static void module_section(const struct pcs_kmem_owner *ko, const struct pcs_module_info *mi,
			   const struct pcs_module_region *g, uint64_t va, char *buf, size_t len,
			   uint64_t *start)
{
	const struct pcs_target *t = ko->k->t;
	uint64_t attrs, best = 0, name = 0, rel = va - g->base;
	uint32_t n;

	if (ko->have_sections && !pcs_read_u64(t, mi->module + ko->o_sect_attrs, &attrs, NULL) &&
	    attrs && !pcs_read_u32(t, attrs + ko->o_nsections, &n, NULL) && n < 4096) {
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a = attrs + ko->o_attrs + i * ko->sect_size, addr, np;

			if (pcs_read_u64(t, a + ko->o_sect_addr, &addr, NULL) ||
			    pcs_read_u64(t, a + ko->o_sect_name, &np, NULL))
				continue;
			if (addr <= va && addr >= g->base && addr >= best) {
				best = addr;
				name = np;
			}
		}
		memset(buf, 0, len);
		if (name && !pcs_read(t, PCS_KVADDR, name, buf, len - 1, NULL) && buf[0] == '.') {
			*start = best;
			return;
		}
	}
	*start = g->base;
	if (g->text_size && rel < g->text_size) {
		snprintf(buf, len, ".text");
	} else if (g->ro_size && rel < g->ro_size) {
		snprintf(buf, len, ".rodata");
		*start += g->text_size;
	} else if (g->ro_after_init_size && rel < g->ro_after_init_size) {
		snprintf(buf, len, ".data..ro_after_init");
		*start += g->ro_size;
	} else if (g->text_size) {
		snprintf(buf, len, ".data/.bss");
		*start += g->ro_after_init_size ? g->ro_after_init_size : g->ro_size;
	} else {
		snprintf(buf, len, "%s", g->name);
	}
}

/*
 * A module parameter's variable (struct kernel_param.arg in mod->kp[]): named even
 * when the module's kallsyms keep no data symbols (CONFIG_KALLSYMS_ALL=n).
 */
static bool module_param(const struct pcs_kmem_owner *ko, const struct pcs_module_info *mi,
			 uint64_t va, char *buf, size_t len)
{
	const struct pcs_target *t = ko->k->t;
	uint64_t o_kp, o_num, ksz, o_name, o_arg, kp, arg, name;
	uint32_t n;
	char nm[64] = {0};

	if (pcs_kernel_offset(t, "module", "kp", &o_kp, NULL) ||
	    pcs_kernel_offset(t, "module", "num_kp", &o_num, NULL) ||
	    pcs_kernel_size(t, "kernel_param", &ksz, NULL) ||
	    pcs_kernel_offset(t, "kernel_param", "name", &o_name, NULL) ||
	    pcs_kernel_offset(t, "kernel_param", "arg", &o_arg, NULL) ||
	    pcs_read_u64(t, mi->module + o_kp, &kp, NULL) ||
	    pcs_read_u32(t, mi->module + o_num, &n, NULL) || n > 1024)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = kp + i * ksz;

		if (pcs_read_u64(t, p + o_arg, &arg, NULL) || va < arg || va - arg >= 8 ||
		    pcs_read_u64(t, p + o_name, &name, NULL))
			continue;
		for (size_t l = sizeof(nm) - 1; l; l /= 2)
			if (!pcs_read(t, PCS_KVADDR, name, nm, l, NULL))
				break;
		nm[sizeof(nm) - 1] = '\0';
		if (!nm[0])
			continue;
		snprintf(buf, len, "%s+0x%" PRIx64, nm, va - arg);
		return true;
	}
	return false;
}

static void from_module(struct pcs_kmem_owner *ko, const struct pcs_module_info *mi,
			const struct pcs_module_region *g, uint64_t va, struct pcs_owner *o)
{
	struct pcs_symbol_info si;
	uint64_t start;

	o->kind = PCS_OWNER_MODULE;
	snprintf(o->module, sizeof(o->module), "%s", mi->name);
	module_section(ko, mi, g, va, o->section, sizeof(o->section), &start);
	o->offset = va - start;
	/* a symbol below the section (an unsized one in another section) is no name for va */
	if (pcs_symbolize(ko->k->t, NULL, NULL, va, &si, NULL) == PCS_OK && va - si.offset >= start)
		snprintf(o->symbol, sizeof(o->symbol), "%s+0x%" PRIx64, si.func, si.offset);
	else
		module_param(ko, mi, va, o->symbol, sizeof(o->symbol));
}

static void from_vmap(struct pcs_kmem_owner *ko, const struct pcs_vmap_page *vp, uint64_t paddr,
		      struct pcs_owner *o)
{
	uint64_t va = vp->va + (paddr & (ko->k->page_size - 1));

	o->vaddr = va;
	switch (vp->kind) {
	case PCS_VMAP_MODULE:
		from_module(ko, &ko->vm.mods[vp->idx], &ko->vm.mods[vp->idx].region[vp->sub], va,
			    o);
		break;
	case PCS_VMAP_STACK: {
		const struct pcs_vmap_task *tk = &ko->vm.tasks[vp->idx];

		o->kind = PCS_OWNER_STACK;
		o->pid = tk->pid;
		o->task = tk->task;
		snprintf(o->comm, sizeof(o->comm), "%s", tk->comm);
		o->offset = va - tk->stack;
		break;
	}
	default: {
		const struct pcs_vmap_area *a = &ko->vm.areas[vp->idx];

		o->kind = PCS_OWNER_VMALLOC;
		o->area_start = a->start;
		o->area_end = a->end;
		o->offset = va - a->start;
		any_symbol(ko, a->caller, o->symbol, sizeof(o->symbol));
		break;
	}
	}
}

static void name_flags(const struct pcs_kmem_owner *ko, struct pcs_owner *o)
{
	size_t used = 0;

	o->flag_names[0] = '\0';
	for (size_t i = 0; i < NFLAGS; i++) {
		if (ko->flag_bit[i] < 0 || !(o->flags >> ko->flag_bit[i] & 1))
			continue;
		used += (size_t)snprintf(o->flag_names + used, sizeof(o->flag_names) - used, "%s%s",
					 used ? "|" : "", flag_names[i]);
		if (used >= sizeof(o->flag_names))
			break;
	}
}

static void page_cache(struct pcs_kmem_owner *ko, uint64_t head_pfn, const uint8_t *raw,
		       struct pcs_owner *o)
{
	const struct pcs_kernel *k = ko->k;
	struct pcs_error e = {0};

	o->kind = PCS_OWNER_PAGECACHE;
	o->index = pcs_page_field(k, raw, k->page.index) + (o->pfn - head_pfn);
	o->offset = o->paddr & (k->page_size - 1);
	if (k->mapping.host == PCS_OFF_NONE ||
	    pcs_read_u64(k->t, o->mapping + k->mapping.host, &o->inode, NULL))
		return;
	if (ko->fs && pcs_fs_inode_path(ko->fs, o->inode, o->path, sizeof(o->path), &e))
		snprintf(o->why, sizeof(o->why), "path: %.140s", e.msg);
}

/* Classify by the struct page (and its head page) of o->pfn. */
static enum pcs_errcode from_page(struct pcs_kmem_owner *ko, struct pcs_owner *o,
				  struct pcs_error *err)
{
	const struct pcs_kernel *k = ko->k;
	uint8_t raw[256], head_raw[256];
	uint64_t info, head, head_pfn = o->pfn;
	uint32_t type, head_type = 0;

	(void)err;
	if (k->page.size > sizeof(raw) || pcs_pfn_to_page(k, o->pfn, &o->page, NULL) ||
	    pcs_read(k->t, PCS_KVADDR, o->page, raw, k->page.size, NULL)) {
		snprintf(o->why, sizeof(o->why),
			 "the struct page of pfn 0x%" PRIx64 " is not in the dump", o->pfn);
		return PCS_OK;
	}
	head = o->page;
	memcpy(head_raw, raw, k->page.size);
	info = pcs_page_field(k, raw, k->page.compound_head);
	if (k->page.compound_head != PCS_OFF_NONE && (info & 1) && !k->compound_info_mask) {
		head = info - 1;
		if (pcs_page_to_pfn(k, head, &head_pfn, NULL) || head_pfn > o->pfn ||
		    pcs_read(k->t, PCS_KVADDR, head, head_raw, k->page.size, NULL)) {
			head = o->page;
			head_pfn = o->pfn;
			memcpy(head_raw, raw, k->page.size);
		}
	}
	o->flags = pcs_page_field(k, head_raw, k->page.flags);
	o->flags_read = true;
	name_flags(ko, o);
	if (k->page.page_type != PCS_OFF_NONE && k->page.page_type + 4 <= k->page.size)
		memcpy(&head_type, head_raw + k->page.page_type, 4);
	if (ko->have_slub && pcs_slub_is_slab(&ko->slub, o->flags, head_type)) {
		struct pcs_error e = {0};
		uint64_t lm;

		o->kind = PCS_OWNER_SLAB;
		if (pcs_paddr_to_lmva(k, o->paddr, &lm, &e) ||
		    pcs_slub_object(&ko->slub, head, head_pfn, lm, &o->slab, &e)) {
			snprintf(o->why, sizeof(o->why), "%.150s", e.msg);
			o->slab.state = PCS_OBJ_UNKNOWN;
		}
		return PCS_OK;
	}
	if (ko->o_page_type != PCS_OFF_NONE && ko->o_page_type + 4 <= k->page.size) {
		memcpy(&type, raw + ko->o_page_type, 4);
		if ((type & (PAGE_TYPE_BASE | PG_TABLE_TYPE)) == PAGE_TYPE_BASE) {
			o->kind = PCS_OWNER_PGTABLE;
			return PCS_OK;
		}
		if ((type & (PAGE_TYPE_BASE | PG_BUDDY_TYPE)) == PAGE_TYPE_BASE) {
			o->kind = PCS_OWNER_FREE;
			return PCS_OK;
		}
	} else if (k->version >= PCS_KERNEL_VERSION(6, 9, 0) && k->page.page_type != PCS_OFF_NONE &&
		   k->page.page_type + 4 <= k->page.size) {
		/* 6.9+: other type bits; the buddy value from VMCOREINFO (either encoding) */
		memcpy(&type, raw + k->page.page_type, 4);
		if (pcs_page_type_is(type, k->pgtype.buddy)) {
			o->kind = PCS_OWNER_FREE;
			return PCS_OK;
		}
		if (k->version >= PCS_KERNEL_VERSION(6, 12, 0) && type >> 24 == PGTY_TABLE) {
			o->kind = PCS_OWNER_PGTABLE;
			return PCS_OK;
		}
	}
	o->mapping = pcs_page_field(k, head_raw, k->page.mapping);
	if (o->mapping & 1) {
		o->kind = PCS_OWNER_ANON;
		o->mapping &= ~PAGE_MAPPING_FLAGS;
		o->index = pcs_page_field(k, head_raw, k->page.index) + (o->pfn - head_pfn);
	} else if (o->mapping && !(o->mapping & PAGE_MAPPING_FLAGS)) {
		page_cache(ko, head_pfn, head_raw, o);
	}
	return PCS_OK;
}

enum pcs_errcode pcs_kmem_owner_of(struct pcs_kmem_owner *ko, uint64_t paddr, struct pcs_owner *o,
				   struct pcs_error *err)
{
	const struct pcs_kernel *k = ko->k;
	const struct pcs_vmap_page *vp;
	const struct pcs_vmemmap_range *vr;

	memset(o, 0, sizeof(*o));
	o->paddr = paddr;
	o->pfn = pcs_paddr_to_pfn(k, paddr);
	if (pcs_paddr_to_lmva(k, paddr, &o->vaddr, NULL))
		o->vaddr = 0;
	/* a page a vmalloc area maps is that area's, even inside the image's
	 * physical range (freed __init memory is reused) */
	if ((vp = pcs_vmap_find(&ko->vm, o->pfn))) {
		from_vmap(ko, vp, paddr, o);
		return PCS_OK;
	}
	if (ko->image_len && paddr - ko->image_pa < ko->image_len &&
	    !(ko->init_len && paddr - ko->init_pa < ko->init_len)) {
		o->kind = PCS_OWNER_KERNEL;
		o->vaddr = ko->image_va + (paddr - ko->image_pa);
		if (!kernel_symbol(ko, o->vaddr, o->symbol, sizeof(o->symbol)))
			snprintf(o->why, sizeof(o->why), "no kernel symbol at 0x%" PRIx64,
				 o->vaddr);
		return PCS_OK;
	}
	if ((vr = pcs_vmemmap_find(&ko->vm, paddr))) {
		uint64_t rel;

		o->kind = PCS_OWNER_MEMMAP;
		o->vaddr = vr->va + (paddr - vr->pa);
		rel = o->vaddr - k->mm.vmemmap;
		o->described_pfn = rel / k->page.size;
		o->offset = rel % k->page.size;
		return PCS_OK;
	}
	return from_page(ko, o, err);
}

void pcs_owner_describe(const struct pcs_owner *o, char *buf, size_t len)
{
	const struct pcs_slab_object *s = &o->slab;

	switch (o->kind) {
	case PCS_OWNER_SLAB:
		if (!s->cache)
			snprintf(buf, len, "slab page pfn 0x%" PRIx64 " (%s)", o->pfn, o->why);
		else if (!s->in_object)
			snprintf(buf, len, "%s slab 0x%" PRIx64 ", after its %u objects",
				 s->cache_name, s->base, s->objects);
		else
			snprintf(buf, len, "%s object 0x%" PRIx64 " %s0x%" PRIx64 " (%s)",
				 s->cache_name, s->object, s->offset < 0 ? "-" : "+",
				 (uint64_t)(s->offset < 0 ? -s->offset : s->offset),
				 pcs_obj_state_name(s->state));
		break;
	case PCS_OWNER_MODULE:
		if (o->symbol[0])
			snprintf(buf, len, "%s:%s [%s]", o->module, o->symbol, o->section);
		else
			snprintf(buf, len, "%s:%s+0x%" PRIx64, o->module, o->section, o->offset);
		break;
	case PCS_OWNER_KERNEL:
		snprintf(buf, len, "kernel %s", o->symbol[0] ? o->symbol : "image (no symbol)");
		break;
	case PCS_OWNER_STACK:
		snprintf(buf, len, "stack of pid %u (%s) +0x%" PRIx64, o->pid, o->comm, o->offset);
		break;
	case PCS_OWNER_PGTABLE:
		snprintf(buf, len, "page table%s%s", o->mm[0] ? " of " : "", o->mm);
		break;
	case PCS_OWNER_MEMMAP:
		snprintf(buf, len, "struct page of pfn 0x%" PRIx64 " +0x%" PRIx64, o->described_pfn,
			 o->offset);
		break;
	case PCS_OWNER_VMALLOC:
		snprintf(buf, len, "vmalloc 0x%" PRIx64 "-0x%" PRIx64 " +0x%" PRIx64 "%s%s%s",
			 o->area_start, o->area_end, o->offset, o->symbol[0] ? " (" : "", o->symbol,
			 o->symbol[0] ? ")" : "");
		break;
	case PCS_OWNER_PAGECACHE:
		if (o->path[0])
			snprintf(buf, len, "page cache of %s index %" PRIu64 " +0x%" PRIx64,
				 o->path, o->index, o->offset);
		else
			snprintf(buf, len,
				 "page cache of inode 0x%" PRIx64 " index %" PRIu64 " +0x%" PRIx64,
				 o->inode, o->index, o->offset);
		break;
	case PCS_OWNER_ANON: snprintf(buf, len, "anonymous page pfn 0x%" PRIx64, o->pfn); break;
	case PCS_OWNER_FREE: snprintf(buf, len, "free page (buddy) pfn 0x%" PRIx64, o->pfn); break;
	default:
		if (o->flags_read)
			snprintf(buf, len, "unknown: pfn 0x%" PRIx64 " flags 0x%" PRIx64 " (%s)",
				 o->pfn, o->flags, o->flag_names[0] ? o->flag_names : "none");
		else
			snprintf(buf, len, "unknown: %s", o->why);
		break;
	}
}
