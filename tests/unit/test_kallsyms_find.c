// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/kallsyms_find.c on synthetic pre-6.0 kernel images: the
 * tables are found by their structure behind code-like bytes (relative offsets
 * and absolute addresses, a token index across a 64 KiB scan chunk, after a hole
 * in the image and after a decoy token index) and every symbol decodes; a
 * mismatching _stext, damaged markers or no tables at all give NOSYM naming why.
 */
#include "fake_kallsyms.h"
#include "fake_target.h"
#include "kallsyms.h"
#include "unit.h"

#define IMG	 UINT64_C(0xffff800010000000)
#define IMG_SIZE 0x100000u
#define STEXT	 (IMG + 0x10000)
#define NSYMS	 600u

static struct fake_ksym syms[NSYMS];
static char names[NSYMS][16];

static void make_syms(void)
{
	syms[0] = (struct fake_ksym){'T', "_stext", STEXT};
	for (uint32_t i = 1; i < NSYMS; i++) {
		snprintf(names[i], sizeof(names[i]), "fn_%u", i);
		syms[i] = (struct fake_ksym){i % 3 ? 't' : 'T', names[i], STEXT + 0x40 * i};
	}
}

/* Code-like filler: a fixed pseudo-random sequence. */
static void fill(uint8_t *m, size_t len)
{
	uint32_t x = 12345;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		m[i] = (uint8_t)(x >> 16);
	}
}

static void put_stext(struct fake_target *ft, uint64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%llx", (unsigned long long)v);
	fake_vmci_set(ft, "SYMBOL(_stext)", s);
}

/* An image with the tables at offset at; returns its memory. */
static uint8_t *image(struct fake_target *ft, size_t at, bool relative, struct fake_ksym_layout *l)
{
	uint8_t *m;

	fake_init(ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(5, 10, 0));
	m = fake_map(ft, PCS_KVADDR, IMG, IMG_SIZE);
	fill(m, IMG_SIZE);
	if (!fake_ksym_image(m, IMG_SIZE, at, syms, NSYMS, relative, IMG, l))
		abort();
	put_stext(ft, STEXT);
	return m;
}

static bool all_match(const struct pcs_kallsyms *ks)
{
	if (!ks || ks->n != NSYMS)
		return false;
	for (uint32_t i = 0; i < NSYMS; i++)
		if (ks->addr[i] != syms[i].addr || ks->type[i] != syms[i].type ||
		    strcmp(ks->names + ks->name[i], syms[i].name) != 0)
			return false;
	return true;
}

int main(void)
{
	static struct fake_target ft;
	struct fake_ksym_layout l;
	struct pcs_kallsyms_tables tab;
	struct pcs_kallsyms *ks = NULL;
	struct pcs_error err = {0};
	uint64_t a;

	make_syms();
	CASE("relative offsets behind code-like bytes: found, every symbol decodes")
	{
		image(&ft, 0x40000, true, &l);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) == PCS_OK);
		EXPECT(all_match(ks));
		EXPECT_EQ_U64(tab.token_index, IMG + l.token_index);
		EXPECT_EQ_U64(tab.token_table, IMG + l.token_table);
		EXPECT_EQ_U64(tab.names, IMG + l.names);
		EXPECT_EQ_U64(tab.num_syms, IMG + l.num_syms);
		EXPECT_EQ_U64(tab.offsets, IMG + l.offsets);
		EXPECT_EQ_U64(tab.relative_base, IMG + l.relative_base);
		EXPECT(pcs_kallsyms_lookup(ks, "fn_599", &a));
		EXPECT_EQ_U64(a, STEXT + 0x40 * 599);
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("absolute addresses (no KALLSYMS_BASE_RELATIVE): found")
	{
		image(&ft, 0x40000, false, &l);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) == PCS_OK);
		EXPECT(all_match(ks));
		EXPECT_EQ_U64(tab.addresses, IMG + l.addresses);
		EXPECT_EQ_U64(tab.relative_base, 0);
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("a token index across a 64 KiB scan chunk boundary: found")
	{
		image(&ft, 0x40000, true, &l); /* dry run: where the index falls */
		fake_free(&ft);
		size_t at = 0x40000 + (0x60000 - 0x100 - l.token_index);

		image(&ft, at & ~(size_t)7, true, &l);
		EXPECT((IMG + l.token_index) / 0x10000 != (IMG + l.token_index + 511) / 0x10000);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) == PCS_OK);
		EXPECT(all_match(ks));
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("a hole in the image before the tables is skipped")
	{
		uint8_t *m;

		fake_init(&ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(5, 10, 0));
		fill(fake_map(&ft, PCS_KVADDR, IMG, 0x20000), 0x20000);
		fake_map(&ft, PCS_KVADDR, IMG + 0x20000, 0x10000);
		fake_exclude(&ft, PCS_KVADDR, IMG + 0x20000);
		m = fake_map(&ft, PCS_KVADDR, IMG + 0x30000, IMG_SIZE - 0x30000);
		fill(m, IMG_SIZE - 0x30000);
		fake_ksym_image(m, IMG_SIZE - 0x30000, 0x8000, syms, NSYMS, true, IMG, &l);
		put_stext(&ft, STEXT);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) == PCS_OK);
		EXPECT(all_match(ks));
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("a decoy token index (no token table before it) does not stop the search")
	{
		uint8_t *m = image(&ft, 0x40000, true, &l);

		for (int i = 0; i < 256; i++) {
			uint16_t v = (uint16_t)(3 * i);

			memcpy(m + 0x20000 + 2 * i, &v, 2);
		}
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) == PCS_OK);
		EXPECT(all_match(ks));
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("_stext differing from VMCOREINFO's: not accepted, NOSYM saying why")
	{
		image(&ft, 0x40000, true, &l);
		put_stext(&ft, STEXT + 0x1000);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) ==
		       PCS_ERR_NOSYM);
		EXPECT(ks == NULL && strstr(err.msg, "_stext differs"));
		fake_free(&ft);
	}
	CASE("a marker off by one: the names no longer fit, NOSYM")
	{
		uint8_t *m = image(&ft, 0x40000, true, &l);
		uint32_t v;

		memcpy(&v, m + l.markers + 4, 4);
		v++;
		memcpy(m + l.markers + 4, &v, 4);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) ==
		       PCS_ERR_NOSYM);
		EXPECT(ks == NULL && strstr(err.msg, "markers"));
		fake_free(&ft);
	}
	CASE("no tables at all: NOSYM naming the range searched")
	{
		fake_init(&ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(5, 10, 0));
		fill(fake_map(&ft, PCS_KVADDR, IMG, IMG_SIZE), IMG_SIZE);
		put_stext(&ft, STEXT);
		EXPECT(pcs_kallsyms_find(&ft.t, STEXT, IMG + IMG_SIZE, &tab, &ks, &err) ==
		       PCS_ERR_NOSYM);
		EXPECT(ks == NULL && strstr(err.msg, "no kallsyms tables in the kernel image"));
		fake_free(&ft);
	}
	return unit_failed;
}
