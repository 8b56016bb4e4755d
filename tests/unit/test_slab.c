// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/slab.c: the hardened free pointer, the object of an
 * address (with a left red zone), and allocated / free / unknown from the slab's
 * freelist and the CPU freelist, on a 6.1-like fake SLUB (fake_slub.h).
 */
#include "fake_slub.h"
#include "kernel.h"
#include "slab.h"
#include "unit.h"

#define KC	0xffffffff82200000ull
#define SLABPFN 20

/* Object k of the test slab: size 64, left red zone 16. */
static uint64_t obj(unsigned int k)
{
	return FS_LM(SLABPFN * FAKE_PAGE_SIZE) + 16 + 64ull * k;
}

/* Store object a's free pointer (to b) the hardened way; fp at offset 32. */
static void link_free(uint8_t *page, uint64_t a, uint64_t b)
{
	fs_put_phys_u64(page, a + 32 - FS_LM(SLABPFN * FAKE_PAGE_SIZE), fs_freeptr(b, a + 32));
}

int main(void)
{
	struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_slub s;
	struct pcs_slab_object o;
	struct pcs_error err;
	uint64_t slab;
	uint8_t *page;

	CASE("a hardened free pointer is next ^ random ^ swab(its own address) (5.7+)")
	{
		uint64_t next = 0xffff888012345640ull, at = 0xffff888012345020ull;
		uint64_t stored = next ^ 0x1122334455667788ull ^ 0x205034128088ffffull;
		struct pcs_slub h57 = {.hardened = true, .swab = true};
		struct pcs_slub h514 = {.hardened = true, .swab = false};

		EXPECT_EQ_U64(pcs_swab64(0x0102030405060708ull), 0x0807060504030201ull);
		EXPECT_EQ_U64(pcs_slub_freeptr_decode(&h57, stored, 0x1122334455667788ull, at),
			      next);
		EXPECT_EQ_U64(pcs_slub_freeptr_decode(&h514, next ^ 7 ^ at, 7, at), next);
		/* the end of a list: NULL stored hardened */
		EXPECT_EQ_U64(pcs_slub_freeptr_decode(&h57, fs_freeptr(0, at), FS_RANDOM, at), 0);
	}

	CASE("without CONFIG_SLAB_FREELIST_HARDENED (no kmem_cache.random) the stored word is the "
	     "next free object itself (regression: the 64K lab kernel's freelists were "
	     "swab-decoded)")
	{
		struct pcs_slub plain = {.hardened = false, .swab = true};

		EXPECT_EQ_U64(pcs_slub_freeptr_decode(&plain, 0xffff000000c4c200ull, 0,
						      0xffff000000c4c000ull),
			      0xffff000000c4c200ull);
		EXPECT_EQ_U64(pcs_slub_freeptr_decode(&plain, 0, 0, 0xffff000000c4c000ull), 0);
	}

	fs_init(&ft);
	fs_cache(&ft, KC, "kmalloc-64", 64, 48, 32, 16);
	page = fs_page(&ft, SLABPFN);
	/* 63 objects; free: 5 -> 2 -> end on the slab's freelist */
	link_free(page, obj(5), obj(2));
	link_free(page, obj(2), 0);
	slab = fs_slab(&ft, SLABPFN, KC, obj(5), 63, 61, false);

	CASE("the SLUB layout is found (struct slab, kmem_cache, kmem_cache_cpu)")
	{
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_OK);
		EXPECT_EQ_U64(s.pg_slab, FS_PG_SLAB);
		EXPECT(s.swab);
		EXPECT(s.hardened); /* the fake kernel has kmem_cache.random */
		EXPECT_EQ_U64(s.nr_cpu_ids, 1);
		EXPECT(pcs_slub_is_slab(&s, 1ull << FS_PG_SLAB, 0));
		EXPECT(!pcs_slub_is_slab(&s, 1ull << 5, 0xf5000000)); /* PG_slab decides */
	}

	CASE("an address inside object 3 (after the left red zone): cache, object, offset")
	{
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(3) + 0x18, &o, &err) == PCS_OK);
		EXPECT_STREQ(o.cache_name, "kmalloc-64");
		EXPECT_EQ_U64(o.object, obj(3));
		EXPECT_EQ_U64(o.index, 3);
		EXPECT_EQ_U64((uint64_t)o.offset, 0x18);
		EXPECT_EQ_U64(o.object_size, 48);
		EXPECT_EQ_U64(o.objects, 63);
		EXPECT(o.in_object);
		EXPECT(o.state == PCS_OBJ_ALLOCATED);
	}

	CASE("objects on the slab's freelist are free, through the hardened pointers")
	{
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(5), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_FREE);
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(2) + 47, &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_FREE);
		EXPECT_EQ_U64(o.object, obj(2));
	}

	CASE("the left red zone belongs to the next object, at a negative offset")
	{
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(4) - 8, &o, &err) == PCS_OK);
		EXPECT_EQ_U64(o.object, obj(4));
		EXPECT(o.offset == -8);
	}

	CASE("the slab's tail after its last object is no object")
	{
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, FS_LM(SLABPFN * 4096) + 4090, &o, &err) ==
		       PCS_OK);
		EXPECT(!o.in_object);
		EXPECT(o.state == PCS_OBJ_UNKNOWN);
	}

	CASE("a frozen CPU slab: objects on kmem_cache_cpu.freelist are free too")
	{
		link_free(page, obj(7), obj(9));
		link_free(page, obj(9), 0);
		fs_slab(&ft, SLABPFN, KC, obj(5), 63, 63, true);
		fs_cpu_slab(&ft, slab, obj(7)); /* c->freelist is a plain pointer */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(9) + 1, &o, &err) == PCS_OK);
		EXPECT(o.frozen);
		EXPECT(o.state == PCS_OBJ_FREE);
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(5), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_FREE); /* remote frees stay on slab->freelist */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(8), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_ALLOCATED);
	}

	CASE("a frozen slab that is no CPU's slab (CPU partial list): its freelist decides")
	{
		fs_cpu_slab(&ft, fake_page(SLABPFN + 1), 0);
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(9), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_ALLOCATED);
	}

	CASE("a freelist that leaves the slab: state unknown, with the reason")
	{
		fs_slab(&ft, SLABPFN, KC, obj(5), 63, 61, false);
		link_free(page, obj(2), 0xffff888077777000ull); /* corrupted */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(11), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_UNKNOWN);
		EXPECT(strstr(o.why, "leaves the slab") != NULL);
		/* an object met before the corruption is still known free */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(2), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_FREE);
	}

	CASE("a freelist that loops is cut after `objects` steps: state unknown")
	{
		link_free(page, obj(2), obj(5)); /* 5 -> 2 -> 5 ... */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(11), &o, &err) == PCS_OK);
		EXPECT(o.state == PCS_OBJ_UNKNOWN);
	}

	CASE("a kmem_cache with an impossible size is corrupt")
	{
		fake_put_u32(&ft, KC + FS_KC_SIZE, 0);
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(1), &o, &err) == PCS_ERR_CORRUPT);
		fake_put_u32(&ft, KC + FS_KC_SIZE, 64);
	}

	CASE("6.10+ (no PG_slab): the slab page type of VMCOREINFO marks a slab; objects as before")
	{
		fake_enum_del(&ft, "PG_slab");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_ERR_UNSUPPORTED); /* no type known */
		fake_member_set(&ft, "page", "page_type", 48);
		/* 6.12 prints PGTY_slab << 24 as an int */
		fake_vmci_set(&ft, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "-184549376");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.pg.slab, -1);
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_OK);
		EXPECT(pcs_slub_is_slab(&s, 0, 0xf5000000));
		EXPECT(!pcs_slub_is_slab(&s, 1ull << FS_PG_SLAB, 0xf0000000)); /* PGTY_buddy */
		EXPECT(!pcs_slub_is_slab(&s, 0, 0xffffffff)); /* _mapcount -1: no type */
		EXPECT(pcs_slub_object(&s, slab, SLABPFN, obj(3) + 0x18, &o, &err) == PCS_OK);
		EXPECT_STREQ(o.cache_name, "kmalloc-64");
		EXPECT_EQ_U64(o.object, obj(3));
		/* 6.10/6.11 print ~PG_slab (0x00200000 cleared) */
		fake_vmci_set(&ft, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "-2097153");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_OK);
		EXPECT(pcs_slub_is_slab(&s, 0, 0xffdfffff));
		EXPECT(!pcs_slub_is_slab(&s, 0, 0xffffffff));
		fake_enum_set(&ft, "PG_slab", FS_PG_SLAB);
		fake_member_del(&ft, "page", "page_type");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_OK);
	}

	CASE("without kmem_cache.cpu_slab (SLAB, SLOB) SLUB decoding is unsupported")
	{
		fake_member_del(&ft, "kmem_cache", "cpu_slab");
		EXPECT(pcs_slub_init(&s, &k, &err) == PCS_ERR_UNSUPPORTED);
	}
	fake_free(&ft);
	UNIT_EXIT();
}
