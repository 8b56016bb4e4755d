/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic struct pcs_target for unit tests: an in-memory address map (kernel
 * virtual and physical regions, some marked excluded like a makedumpfile-filtered
 * page) and a table of types, members, enumerators, symbols and VMCOREINFO keys.
 *
 * Layouts mimic real kernels: fake_layout_xarray() is 6.1-like (struct xarray,
 * folio._folio_order), fake_layout_radix() is 4.19-like (radix_tree_node,
 * page[1].compound_order).
 */
#ifndef PCS_FAKE_TARGET_H
#define PCS_FAKE_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

#define FAKE_MAX 128

struct fake_region {
	enum pcs_addrspace as;
	uint64_t addr;
	size_t len;
	uint8_t *data;
	bool excluded;
};

struct fake_kv {
	char key[64];
	char member[64];
	uint64_t val;
	char str[64];
};

struct fake_target {
	struct pcs_target t;
	struct fake_region mem[FAKE_MAX];
	int nmem;
	struct fake_kv members[FAKE_MAX], sizes[FAKE_MAX], enums[FAKE_MAX], syms[FAKE_MAX],
	    vmci[FAKE_MAX];
	int nmembers, nsizes, nenums, nsyms, nvmci;
	unsigned long reads;
	uint64_t arena_next, arena_end; /* fake_alloc()'s bump allocator */
};

static inline struct fake_region *fake_find(struct fake_target *ft, enum pcs_addrspace as,
					    uint64_t addr, size_t len)
{
	for (int i = 0; i < ft->nmem; i++) {
		struct fake_region *r = &ft->mem[i];

		if (r->as == as && addr >= r->addr && addr - r->addr <= r->len &&
		    len <= r->len - (addr - r->addr))
			return r;
	}
	return NULL;
}

static inline enum pcs_errcode fake_read(void *priv, enum pcs_addrspace as, uint64_t addr,
					 void *buf, size_t len, struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_region *r = fake_find(ft, as, addr, len);

	ft->reads++;
	if (!r)
		return pcs_error_set(err, as == PCS_KPHYSADDR ? PCS_ERR_NODATA : PCS_ERR_READ,
				     "fake: nothing mapped at 0x%llx", (unsigned long long)addr);
	if (r->excluded)
		return pcs_error_set(err, PCS_ERR_NODATA, "fake: 0x%llx excluded",
				     (unsigned long long)addr);
	memcpy(buf, r->data + (addr - r->addr), len);
	return PCS_OK;
}

static inline struct fake_kv *fake_lookup(struct fake_kv *tab, int n, const char *key,
					  const char *member)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(tab[i].key, key) && (!member || !strcmp(tab[i].member, member)))
			return &tab[i];
	return NULL;
}

static inline enum pcs_errcode fake_symbol(void *priv, const char *name, uint64_t *addr,
					   struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_kv *kv = fake_lookup(ft->syms, ft->nsyms, name, NULL);

	if (!kv)
		return pcs_error_set(err, PCS_ERR_NOSYM, "fake: no symbol %s", name);
	*addr = kv->val;
	return PCS_OK;
}

static inline enum pcs_errcode fake_member(void *priv, const char *type, const char *member,
					   uint64_t *off, struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_kv *kv = fake_lookup(ft->members, ft->nmembers, type, member);

	if (!kv)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "fake: no %s.%s", type, member);
	*off = kv->val;
	return PCS_OK;
}

static inline enum pcs_errcode fake_size(void *priv, const char *type, uint64_t *size,
					 struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_kv *kv = fake_lookup(ft->sizes, ft->nsizes, type, NULL);

	if (!kv)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "fake: no struct %s", type);
	*size = kv->val;
	return PCS_OK;
}

static inline enum pcs_errcode fake_enum(void *priv, const char *name, int64_t *value,
					 struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_kv *kv = fake_lookup(ft->enums, ft->nenums, name, NULL);

	if (!kv)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "fake: no enumerator %s", name);
	*value = (int64_t)kv->val;
	return PCS_OK;
}

static inline enum pcs_errcode fake_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
					       struct pcs_error *err)
{
	struct fake_target *ft = priv;
	struct fake_kv *kv = fake_lookup(ft->vmci, ft->nvmci, key, NULL);

	if (!kv)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "fake: no VMCOREINFO %s", key);
	snprintf(buf, len, "%s", kv->str);
	return PCS_OK;
}

static const struct pcs_target_ops fake_ops = {
    .read = fake_read,
    .symbol_addr = fake_symbol,
    .member_offset = fake_member,
    .type_size = fake_size,
    .enum_value = fake_enum,
    .vmcoreinfo = fake_vmcoreinfo,
};

static inline void fake_kv_set(struct fake_kv *tab, int *n, const char *key, const char *member,
			       uint64_t val, const char *str)
{
	struct fake_kv *kv = fake_lookup(tab, *n, key, member);

	if (!kv) {
		if (*n >= FAKE_MAX)
			abort();
		kv = &tab[(*n)++];
	}
	snprintf(kv->key, sizeof(kv->key), "%s", key);
	snprintf(kv->member, sizeof(kv->member), "%s", member ? member : "");
	kv->val = val;
	snprintf(kv->str, sizeof(kv->str), "%s", str ? str : "");
}

static inline void fake_member_set(struct fake_target *ft, const char *type, const char *member,
				   uint64_t off)
{
	fake_kv_set(ft->members, &ft->nmembers, type, member, off, NULL);
}

/* Remove a member (to model an older/newer kernel). */
static inline void fake_member_del(struct fake_target *ft, const char *type, const char *member)
{
	struct fake_kv *kv = fake_lookup(ft->members, ft->nmembers, type, member);

	if (kv)
		*kv = ft->members[--ft->nmembers];
}

static inline void fake_size_set(struct fake_target *ft, const char *type, uint64_t size)
{
	fake_kv_set(ft->sizes, &ft->nsizes, type, NULL, size, NULL);
}

static inline void fake_enum_set(struct fake_target *ft, const char *name, int64_t v)
{
	fake_kv_set(ft->enums, &ft->nenums, name, NULL, (uint64_t)v, NULL);
}

/* Remove an enumerator (to model a newer kernel, e.g. PG_slab gone in 6.10). */
static inline void fake_enum_del(struct fake_target *ft, const char *name)
{
	struct fake_kv *kv = fake_lookup(ft->enums, ft->nenums, name, NULL);

	if (kv)
		*kv = ft->enums[--ft->nenums];
}

static inline void fake_sym_set(struct fake_target *ft, const char *name, uint64_t addr)
{
	fake_kv_set(ft->syms, &ft->nsyms, name, NULL, addr, NULL);
}

static inline void fake_vmci_set(struct fake_target *ft, const char *key, const char *value)
{
	fake_kv_set(ft->vmci, &ft->nvmci, key, NULL, 0, value);
}

/* Map len zeroed bytes at addr; returns the backing buffer. */
static inline uint8_t *fake_map(struct fake_target *ft, enum pcs_addrspace as, uint64_t addr,
				size_t len)
{
	struct fake_region *r;

	if (ft->nmem >= FAKE_MAX)
		abort();
	r = &ft->mem[ft->nmem++];
	r->as = as;
	r->addr = addr;
	r->len = len;
	r->data = calloc(1, len);
	r->excluded = false;
	if (!r->data)
		abort();
	return r->data;
}

static inline void fake_exclude(struct fake_target *ft, enum pcs_addrspace as, uint64_t addr)
{
	struct fake_region *r = fake_find(ft, as, addr, 1);

	if (r)
		r->excluded = true;
}

static inline void fake_put_u64(struct fake_target *ft, uint64_t kvaddr, uint64_t v)
{
	struct fake_region *r = fake_find(ft, PCS_KVADDR, kvaddr, 8);

	if (!r)
		abort();
	memcpy(r->data + (kvaddr - r->addr), &v, 8);
}

static inline void fake_put_bytes(struct fake_target *ft, uint64_t kvaddr, const void *p,
				  size_t len)
{
	struct fake_region *r = fake_find(ft, PCS_KVADDR, kvaddr, len);

	if (!r)
		abort();
	memcpy(r->data + (kvaddr - r->addr), p, len);
}

static inline void fake_put_u32(struct fake_target *ft, uint64_t kvaddr, uint32_t v)
{
	fake_put_bytes(ft, kvaddr, &v, 4);
}

static inline void fake_put_u16(struct fake_target *ft, uint64_t kvaddr, uint16_t v)
{
	fake_put_bytes(ft, kvaddr, &v, 2);
}

/* A NUL-terminated string at kvaddr. */
static inline void fake_put_str(struct fake_target *ft, uint64_t kvaddr, const char *s)
{
	fake_put_bytes(ft, kvaddr, s, strlen(s) + 1);
}

static inline uint64_t fake_get_u64(struct fake_target *ft, uint64_t kvaddr)
{
	struct fake_region *r = fake_find(ft, PCS_KVADDR, kvaddr, 8);
	uint64_t v;

	if (!r)
		abort();
	memcpy(&v, r->data + (kvaddr - r->addr), 8);
	return v;
}

/* Map len zeroed bytes of kernel memory at base for fake_alloc() to hand out. */
static inline void fake_arena(struct fake_target *ft, uint64_t base, size_t len)
{
	fake_map(ft, PCS_KVADDR, base, len);
	ft->arena_next = base + 64; /* never hand out the arena's first bytes */
	ft->arena_end = base + len;
}

/* n zeroed bytes (64-byte aligned) from the arena, like a kernel object. */
static inline uint64_t fake_alloc(struct fake_target *ft, size_t n)
{
	uint64_t a = ft->arena_next;

	if (!a || a + n > ft->arena_end)
		abort();
	ft->arena_next += (n + 63) & ~(size_t)63;
	return a;
}

/* An empty list_head at h. */
static inline void fake_list_init(struct fake_target *ft, uint64_t h)
{
	fake_put_u64(ft, h, h);
	fake_put_u64(ft, h + 8, h);
}

/* list_add_tail(n, h). */
static inline void fake_list_add_tail(struct fake_target *ft, uint64_t n, uint64_t h)
{
	uint64_t prev = fake_get_u64(ft, h + 8);

	fake_put_u64(ft, n, h);
	fake_put_u64(ft, n + 8, prev);
	fake_put_u64(ft, prev, n);
	fake_put_u64(ft, h + 8, n);
}

static inline void fake_put_u8(struct fake_target *ft, uint64_t kvaddr, uint8_t v)
{
	struct fake_region *r = fake_find(ft, PCS_KVADDR, kvaddr, 1);

	if (!r)
		abort();
	r->data[kvaddr - r->addr] = v;
}

static inline void fake_free(struct fake_target *ft)
{
	for (int i = 0; i < ft->nmem; i++)
		free(ft->mem[i].data);
	ft->nmem = 0;
}

/* --- kernel-like layouts ------------------------------------------------------------ */

/* x86_64 memory model: variables page_offset_base and vmemmap_base. */
#define FAKE_PAGE_OFFSET 0xffff888000000000ull
#define FAKE_VMEMMAP	 0xffffea0000000000ull
#define FAKE_VARS	 0xffffffff82000000ull
#define FAKE_PAGE_SIZE	 4096

/* struct page of pfn in the fake vmemmap (64-byte struct page). */
static inline uint64_t fake_page(uint64_t pfn)
{
	return FAKE_VMEMMAP + pfn * 64;
}

/* An empty target: no memory, types, symbols or VMCOREINFO. */
static inline void fake_init(struct fake_target *ft, enum pcs_arch arch, uint32_t version)
{
	memset(ft, 0, sizeof(*ft));
	ft->t.ops = &fake_ops;
	ft->t.priv = ft;
	ft->t.arch = arch;
	ft->t.page_size = FAKE_PAGE_SIZE;
	ft->t.kernel_version = version;
}

static inline void fake_common(struct fake_target *ft, uint32_t version)
{
	fake_init(ft, PCS_ARCH_X86_64, version);

	fake_size_set(ft, "page", 64);
	fake_member_set(ft, "page", "flags", 0);
	fake_member_set(ft, "page", "compound_head", 8);
	fake_member_set(ft, "page", "mapping", 24);
	fake_member_set(ft, "page", "index", 32);
	fake_member_set(ft, "page", "private", 40);
	fake_member_set(ft, "page", "_refcount", 52);
	fake_member_set(ft, "address_space", "host", 0);
	fake_member_set(ft, "address_space", "nrpages", 88);
	fake_member_set(ft, "inode", "i_sb", 40);
	fake_member_set(ft, "inode", "i_mapping", 48);
	fake_member_set(ft, "inode", "i_ino", 64);
	fake_member_set(ft, "inode", "i_size", 80);
	fake_enum_set(ft, "PG_locked", 0);
	fake_enum_set(ft, "PG_uptodate", 2);
	fake_enum_set(ft, "PG_dirty", 4);
	fake_enum_set(ft, "PG_lru", 5);
	fake_enum_set(ft, "PG_head", 6);
	fake_enum_set(ft, "PG_private", 13);
	fake_enum_set(ft, "PG_writeback", 15);

	fake_map(ft, PCS_KVADDR, FAKE_VARS, 4096);
	fake_sym_set(ft, "page_offset_base", FAKE_VARS);
	fake_sym_set(ft, "vmemmap_base", FAKE_VARS + 8);
	fake_put_u64(ft, FAKE_VARS, FAKE_PAGE_OFFSET);
	fake_put_u64(ft, FAKE_VARS + 8, FAKE_VMEMMAP);
}

/* 6.1-like: struct xarray, xa_node, folio._folio_order at 81. */
static inline void fake_layout_xarray(struct fake_target *ft)
{
	fake_common(ft, PCS_KERNEL_VERSION(6, 1, 0));
	fake_member_set(ft, "address_space", "i_pages", 8);
	fake_member_set(ft, "xarray", "xa_head", 8);
	fake_member_set(ft, "xa_node", "shift", 0);
	fake_member_set(ft, "xa_node", "offset", 1);
	fake_member_set(ft, "xa_node", "count", 2);
	fake_member_set(ft, "xa_node", "nr_values", 3);
	fake_member_set(ft, "xa_node", "parent", 8);
	fake_member_set(ft, "xa_node", "array", 16);
	fake_member_set(ft, "xa_node", "slots", 40);
	fake_member_set(ft, "xa_node", "marks", 40 + 64 * 8);
	fake_size_set(ft, "xa_node", 576);
	fake_member_set(ft, "folio", "index", 32);
	fake_member_set(ft, "folio", "_flags_1", 64);
	fake_member_set(ft, "folio", "_folio_order", 81);
}

/* 4.19-like: radix_tree_root.rnode, radix_tree_node, page[1].compound_order. */
static inline void fake_layout_radix(struct fake_target *ft)
{
	fake_common(ft, PCS_KERNEL_VERSION(4, 19, 0));
	fake_member_set(ft, "address_space", "i_pages", 8);
	fake_member_set(ft, "radix_tree_root", "rnode", 8);
	fake_member_set(ft, "radix_tree_node", "shift", 0);
	fake_member_set(ft, "radix_tree_node", "offset", 1);
	fake_member_set(ft, "radix_tree_node", "count", 2);
	fake_member_set(ft, "radix_tree_node", "exceptional", 3);
	fake_member_set(ft, "radix_tree_node", "parent", 8);
	fake_member_set(ft, "radix_tree_node", "root", 16);
	fake_member_set(ft, "radix_tree_node", "slots", 40);
	fake_member_set(ft, "radix_tree_node", "tags", 40 + 64 * 8);
	fake_member_set(ft, "page", "compound_order", 17); /* u8 in page[1] */
}

/* A tree node (xa_node / radix_tree_node) at kvaddr; returns it. */
static inline uint64_t fake_node(struct fake_target *ft, uint64_t addr, uint8_t shift,
				 uint8_t offset, uint64_t parent)
{
	fake_map(ft, PCS_KVADDR, addr, 576);
	fake_put_u8(ft, addr + 0, shift);
	fake_put_u8(ft, addr + 1, offset);
	fake_put_u64(ft, addr + 8, parent);
	return addr;
}

static inline void fake_slot(struct fake_target *ft, uint64_t node, unsigned int slot, uint64_t v)
{
	fake_put_u64(ft, node + 40 + 8ull * slot, v);
}

/* XArray encodings (include/linux/xarray.h). */
static inline uint64_t xa_mk_node(uint64_t node)
{
	return node | 2;
}
static inline uint64_t xa_mk_sibling(unsigned int slot)
{
	return ((uint64_t)slot << 2) | 2;
}
static inline uint64_t xa_mk_value(uint64_t v)
{
	return (v << 1) | 1;
}
#define XA_RETRY_ENTRY ((256ull << 2) | 2)
#define XA_ZERO_ENTRY  ((257ull << 2) | 2)

/*
 * struct page for pfn with flags, mapping, index; its data page in physical memory
 * filled with fill (excluded when asked). Returns the struct page address.
 */
static inline uint64_t fake_cached_page(struct fake_target *ft, uint64_t pfn, uint64_t flags,
					uint64_t mapping, uint64_t index, int fill, bool excluded)
{
	uint64_t page = fake_page(pfn);
	uint8_t *data;

	if (!fake_find(ft, PCS_KVADDR, page, 64))
		fake_map(ft, PCS_KVADDR, page, 64);
	fake_put_u64(ft, page + 0, flags);
	fake_put_u64(ft, page + 24, mapping);
	fake_put_u64(ft, page + 32, index);
	data = fake_map(ft, PCS_KPHYSADDR, pfn * FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
	memset(data, fill, FAKE_PAGE_SIZE);
	if (excluded)
		fake_exclude(ft, PCS_KPHYSADDR, pfn * FAKE_PAGE_SIZE);
	return page;
}

/*
 * A SPARSEMEM_EXTREME mem_section table as VMCOREINFO describes it: nroots root
 * pointers at FAKE_MEMSEC, each root a page of 16-byte struct mem_section (256
 * sections), SECTION_SIZE_BITS section_bits (20: 256 pfns a section).
 */
#define FAKE_MEMSEC	    0xffff888050000000ull
#define FAKE_MEMSEC_ROOT(i) (0xffff888050100000ull + (uint64_t)(i)*0x1000)

static inline void fake_memsec_init(struct fake_target *ft, unsigned int section_bits,
				    uint64_t nroots)
{
	char v[32];

	fake_map(ft, PCS_KVADDR, FAKE_MEMSEC, 8 * nroots);
	snprintf(v, sizeof(v), "%llx", (unsigned long long)FAKE_MEMSEC);
	fake_vmci_set(ft, "SYMBOL(mem_section)", v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)nroots);
	fake_vmci_set(ft, "LENGTH(mem_section)", v);
	fake_vmci_set(ft, "SIZE(mem_section)", "16");
	fake_vmci_set(ft, "OFFSET(mem_section.section_mem_map)", "0");
	snprintf(v, sizeof(v), "%u", section_bits);
	fake_vmci_set(ft, "NUMBER(SECTION_SIZE_BITS)", v);
}

/* Map root page i (sections 256 * i ..) and point roots[i] at it. */
static inline void fake_memsec_root(struct fake_target *ft, uint64_t i)
{
	fake_map(ft, PCS_KVADDR, FAKE_MEMSEC_ROOT(i), 4096);
	fake_put_u64(ft, FAKE_MEMSEC + 8 * i, FAKE_MEMSEC_ROOT(i));
}

/*
 * Section nr present with a memory map (SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP,
 * encoded as vmemmap - start_pfn's struct page == FAKE_VMEMMAP); its root must be
 * mapped. The first npages of its 1 << (section_bits - 12) struct pages are
 * mapped (zeroed); returns the struct page of its first pfn.
 */
static inline uint64_t fake_memsec_section(struct fake_target *ft, uint64_t nr,
					   unsigned int section_bits, uint64_t npages)
{
	uint64_t start = nr << (section_bits - 12);

	fake_put_u64(ft, FAKE_MEMSEC_ROOT(nr / 256) + 16 * (nr % 256), FAKE_VMEMMAP | 0x3);
	if (npages)
		fake_map(ft, PCS_KVADDR, fake_page(start), 64 * npages);
	return fake_page(start);
}

#endif /* PCS_FAKE_TARGET_H */
