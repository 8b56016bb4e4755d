/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB and physical memory on the fake target (fake_target.h), 6.1-like:
 * struct slab over struct page, kmem_cache with CONFIG_SLAB_FREELIST_HARDENED,
 * kmem_cache_cpu, __per_cpu_offset; a mem_section table (1 MiB sections) so the
 * memory map can be walked; and a linear map that aliases physical memory
 * (kernel virtual reads at FAKE_PAGE_OFFSET + paddr read the physical pages).
 */
#ifndef PCS_FAKE_SLUB_H
#define PCS_FAKE_SLUB_H

#include "fake_target.h"

#define FS_NPAGES  256u			     /* physical pages 0..255: one section */
#define FS_LM(pa)  (FAKE_PAGE_OFFSET + (pa)) /* linear-map address of a physical one */
#define FS_PERCPU  0xffffffff82100000ull     /* the per-CPU area of CPU 0 */
#define FS_MEMSEC  (FAKE_VARS + 0x800)	     /* struct mem_section[] root page */
#define FS_PG_SLAB 9
#define FS_RANDOM  0x5a5aa5a512345678ull /* kmem_cache.random */

/* struct slab / kmem_cache / kmem_cache_cpu offsets (6.1, x86_64) */
enum {
	FS_SLAB_CACHE = 8, /* struct slab: slab_cache, freelist, counters */
	FS_SLAB_FREELIST = 16,
	FS_SLAB_COUNTERS = 32,
	FS_KC_CPU_SLAB = 0, /* struct kmem_cache */
	FS_KC_SIZE = 24,
	FS_KC_OBJECT_SIZE = 28,
	FS_KC_OFFSET = 40,
	FS_KC_RED_LEFT_PAD = 80,
	FS_KC_NAME = 96,
	FS_KC_RANDOM = 184,
	FS_KCC_FREELIST = 0, /* struct kmem_cache_cpu */
	FS_KCC_SLAB = 16,
};

/* Kernel virtual reads in the linear map go to physical memory. */
static inline enum pcs_errcode fs_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				       size_t len, struct pcs_error *err)
{
	if (as == PCS_KVADDR && addr >= FAKE_PAGE_OFFSET &&
	    addr - FAKE_PAGE_OFFSET < (uint64_t)FS_NPAGES * FAKE_PAGE_SIZE)
		return fake_read(priv, PCS_KPHYSADDR, addr - FAKE_PAGE_OFFSET, buf, len, err);
	return fake_read(priv, as, addr, buf, len, err);
}

static const struct pcs_target_ops fs_ops = {
    .read = fs_read,
    .symbol_addr = fake_symbol,
    .member_offset = fake_member,
    .type_size = fake_size,
    .enum_value = fake_enum,
    .vmcoreinfo = fake_vmcoreinfo,
};

/* Physical page pfn (zeroed), its struct page mapped too. Returns its bytes. */
static inline uint8_t *fs_page(struct fake_target *ft, uint64_t pfn)
{
	uint64_t page = fake_page(pfn);

	if (!fake_find(ft, PCS_KVADDR, page, 64))
		fake_map(ft, PCS_KVADDR, page, 64);
	return fake_map(ft, PCS_KPHYSADDR, pfn * FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
}

static inline void fs_put_phys_u64(uint8_t *page, uint64_t off, uint64_t v)
{
	memcpy(page + off, &v, 8);
}

/* A 6.1-like x86_64 target with SLUB, one CPU and a one-section memory map. */
static inline void fs_init(struct fake_target *ft)
{
	char buf[32];

	fake_layout_xarray(ft);
	ft->t.ops = &fs_ops;
	fake_enum_set(ft, "PG_slab", FS_PG_SLAB);
	fake_member_set(ft, "slab", "slab_cache", FS_SLAB_CACHE);
	fake_member_set(ft, "slab", "freelist", FS_SLAB_FREELIST);
	fake_member_set(ft, "slab", "counters", FS_SLAB_COUNTERS);
	fake_member_set(ft, "kmem_cache", "cpu_slab", FS_KC_CPU_SLAB);
	fake_member_set(ft, "kmem_cache", "size", FS_KC_SIZE);
	fake_member_set(ft, "kmem_cache", "object_size", FS_KC_OBJECT_SIZE);
	fake_member_set(ft, "kmem_cache", "offset", FS_KC_OFFSET);
	fake_member_set(ft, "kmem_cache", "red_left_pad", FS_KC_RED_LEFT_PAD);
	fake_member_set(ft, "kmem_cache", "name", FS_KC_NAME);
	fake_member_set(ft, "kmem_cache", "random", FS_KC_RANDOM);
	fake_member_set(ft, "kmem_cache_cpu", "freelist", FS_KCC_FREELIST);
	fake_member_set(ft, "kmem_cache_cpu", "slab", FS_KCC_SLAB);
	/* one CPU whose per-CPU offset is FS_PERCPU */
	fake_sym_set(ft, "__per_cpu_offset", FAKE_VARS + 0x100);
	fake_put_u64(ft, FAKE_VARS + 0x100, FS_PERCPU);
	fake_sym_set(ft, "nr_cpu_ids", FAKE_VARS + 0x140);
	fake_put_u32(ft, FAKE_VARS + 0x140, 1);
	fake_map(ft, PCS_KVADDR, FS_PERCPU, 4096);
	/* mem_section: SPARSEMEM_EXTREME root -> one page of 16-byte sections; section 0 */
	fake_map(ft, PCS_KVADDR, FAKE_VARS + 0x1000, 4096);
	fake_put_u64(ft, FS_MEMSEC, FAKE_VARS + 0x1000);
	fake_put_u64(ft, FAKE_VARS + 0x1000, FAKE_VMEMMAP | 0x2 /* SECTION_HAS_MEM_MAP */);
	snprintf(buf, sizeof(buf), "%llx", (unsigned long long)FS_MEMSEC);
	fake_vmci_set(ft, "SYMBOL(mem_section)", buf);
	fake_vmci_set(ft, "LENGTH(mem_section)", "1");
	fake_vmci_set(ft, "NUMBER(SECTION_SIZE_BITS)", "20");
	fake_size_set(ft, "mem_section", 16);
	fake_member_set(ft, "mem_section", "section_mem_map", 0);
}

/* A kmem_cache at kc with its name stored just after it. */
static inline void fs_cache(struct fake_target *ft, uint64_t kc, const char *name, uint32_t size,
			    uint32_t object_size, uint32_t fp_offset, uint32_t red_left_pad)
{
	fake_map(ft, PCS_KVADDR, kc, 512);
	fake_put_u64(ft, kc + FS_KC_CPU_SLAB, 0x200); /* a __percpu pointer */
	fake_put_u32(ft, kc + FS_KC_SIZE, size);
	fake_put_u32(ft, kc + FS_KC_OBJECT_SIZE, object_size);
	fake_put_u32(ft, kc + FS_KC_OFFSET, fp_offset);
	fake_put_u32(ft, kc + FS_KC_RED_LEFT_PAD, red_left_pad);
	fake_put_u64(ft, kc + FS_KC_RANDOM, FS_RANDOM);
	fake_put_str(ft, kc + 256, name);
	fake_put_u64(ft, kc + FS_KC_NAME, kc + 256);
}

/* The stored (hardened) form of free pointer next kept at ptr_addr. */
static inline uint64_t fs_freeptr(uint64_t next, uint64_t ptr_addr)
{
	return next ^ FS_RANDOM ^ __builtin_bswap64(ptr_addr);
}

/*
 * Make pfn a one-page slab of cache kc: PG_slab, slab_cache, counters
 * (inuse, objects, frozen). Returns its struct slab (struct page) address.
 */
static inline uint64_t fs_slab(struct fake_target *ft, uint64_t pfn, uint64_t kc, uint64_t freelist,
			       uint32_t objects, uint32_t inuse, bool frozen)
{
	uint64_t page = fake_page(pfn);

	fake_put_u64(ft, page + 0, 1ull << FS_PG_SLAB);
	fake_put_u64(ft, page + FS_SLAB_CACHE, kc);
	fake_put_u64(ft, page + FS_SLAB_FREELIST, freelist);
	fake_put_u64(ft, page + FS_SLAB_COUNTERS,
		     inuse | (uint64_t)objects << 16 | (uint64_t)frozen << 31);
	return page;
}

/* CPU 0's kmem_cache_cpu of cache kc: its slab and freelist. */
static inline void fs_cpu_slab(struct fake_target *ft, uint64_t slab, uint64_t freelist)
{
	uint64_t c = FS_PERCPU + 0x200;

	fake_put_u64(ft, c + FS_KCC_SLAB, slab);
	fake_put_u64(ft, c + FS_KCC_FREELIST, freelist);
}

#endif /* PCS_FAKE_SLUB_H */
