// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/kallsyms.c on synthetic kallsyms tables: token expansion,
 * the type letter, the 6.1 two-byte length of a long name, relative and
 * KALLSYMS_ABSOLUTE_PERCPU addresses, a global preferred over a same-named local,
 * symbolization, and the errors for missing VMCOREINFO keys and a corrupt count.
 */
#include "fake_kallsyms.h"
#include "fake_target.h"
#include "kallsyms.h"
#include "unit.h"

#define BASE UINT64_C(0xffff800008000000)
#define TAB  UINT64_C(0xffff800009000000)

static void put_hex(struct fake_target *ft, const char *key, uint64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%llx", (unsigned long long)v);
	fake_vmci_set(ft, key, s);
}

/* Lay out 5 symbols; offs[] as the kernel stores them. */
static void build(struct fake_target *ft, const int32_t offs[5], bool with_offsets_key)
{
	uint8_t *m = fake_map(ft, PCS_KVADDR, TAB, 0x10000);

	fake_ksym_small(m, offs, BASE);
	put_hex(ft, "SYMBOL(kallsyms_num_syms)", TAB + 0x5008);
	put_hex(ft, "SYMBOL(kallsyms_names)", TAB + 0x3000);
	put_hex(ft, "SYMBOL(kallsyms_token_table)", TAB + 0x1000);
	put_hex(ft, "SYMBOL(kallsyms_token_index)", TAB + 0x2000);
	if (with_offsets_key)
		put_hex(ft, "SYMBOL(kallsyms_offsets)", TAB + 0x4000);
	put_hex(ft, "SYMBOL(kallsyms_relative_base)", TAB + 0x5000);
}

int main(void)
{
	static struct fake_target ft;
	struct pcs_kallsyms_tables tab;
	struct pcs_kallsyms *ks = NULL;
	struct pcs_error err = {0};
	uint64_t a, off, size;
	const char *name;

	CASE("relative offsets: names, types, a long name and addresses decode")
	{
		const int32_t offs[5] = {0x10, 0x20, 0x30, 0x38, 0x40};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		build(&ft, offs, true);
		EXPECT(pcs_kallsyms_tables(&ft.t, &tab, &err) == PCS_OK);
		EXPECT(pcs_kallsyms_load(&ft.t, &tab, &ks, &err) == PCS_OK);
		EXPECT(ks && ks->n == 5 && !ks->absolute_percpu);
		EXPECT(ks && strcmp(ks->names + ks->name[1], "bar_foo") == 0 && ks->type[1] == 't');
		EXPECT(ks && ks->type[2] == 'D' && strlen(ks->names + ks->name[4]) == 130);
		EXPECT(pcs_kallsyms_lookup(ks, "init_task", &a));
		EXPECT_EQ_U64(a, BASE + 0x30);
		/* foo is both a global (0x10) and a later local (0x38): the global wins */
		EXPECT(pcs_kallsyms_lookup(ks, "foo", &a));
		EXPECT_EQ_U64(a, BASE + 0x10);
		EXPECT(!pcs_kallsyms_lookup(ks, "nosuch", &a));
	}
	CASE("symbolize: nearest symbol below, size to the next one")
	{
		EXPECT(pcs_kallsyms_symbolize(ks, BASE + 0x28, &name, &off, &size));
		EXPECT(strcmp(name, "bar_foo") == 0);
		EXPECT_EQ_U64(off, 8);
		EXPECT_EQ_U64(size, 0x10);
		EXPECT(!pcs_kallsyms_symbolize(ks, BASE + 0x8, &name, &off, &size));
		EXPECT(!pcs_kallsyms_symbolize(ks, BASE + 0x48, &name, &off, &size));
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("KALLSYMS_ABSOLUTE_PERCPU: negative offsets are base-relative, others absolute")
	{
		const int32_t offs[5] = {0x100, -1 - 0x20, -1 - 0x30, -1 - 0x38, -1 - 0x40};

		fake_init(&ft, PCS_ARCH_X86_64, 0);
		build(&ft, offs, true);
		EXPECT(pcs_kallsyms_tables(&ft.t, &tab, &err) == PCS_OK);
		EXPECT(pcs_kallsyms_load(&ft.t, &tab, &ks, &err) == PCS_OK);
		EXPECT(ks && ks->absolute_percpu);
		EXPECT(pcs_kallsyms_lookup(ks, "foo", &a));
		EXPECT_EQ_U64(a, 0x100); /* a per-cpu symbol: an offset, not relocated */
		EXPECT(pcs_kallsyms_lookup(ks, "init_task", &a));
		EXPECT_EQ_U64(a, BASE + 0x30);
		pcs_kallsyms_free(ks);
		ks = NULL;
		fake_free(&ft);
	}
	CASE("no kallsyms_offsets nor kallsyms_addresses in VMCOREINFO: NOSYM naming it")
	{
		const int32_t offs[5] = {0};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		build(&ft, offs, false);
		EXPECT(pcs_kallsyms_tables(&ft.t, &tab, &err) == PCS_ERR_NOSYM);
		EXPECT(strstr(err.msg, "kallsyms_addresses") != NULL);
		fake_free(&ft);
	}
	CASE("an older kernel without the kallsyms keys: NOSYM saying so")
	{
		fake_init(&ft, PCS_ARCH_ARM64, 0);
		EXPECT(pcs_kallsyms_tables(&ft.t, &tab, &err) == PCS_ERR_NOSYM);
		EXPECT(strstr(err.msg, "kallsyms_num_syms") && strstr(err.msg, "6.0"));
		fake_free(&ft);
	}
	CASE("a zero symbol count is corrupt, not an empty table")
	{
		const int32_t offs[5] = {0x10, 0x20, 0x30, 0x38, 0x40};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		build(&ft, offs, true);
		fake_put_u32(&ft, TAB + 0x5008, 0);
		EXPECT(pcs_kallsyms_tables(&ft.t, &tab, &err) == PCS_OK);
		EXPECT(pcs_kallsyms_load(&ft.t, &tab, &ks, &err) == PCS_ERR_CORRUPT);
		EXPECT(ks == NULL);
		fake_free(&ft);
	}
	CASE("/proc/kallsyms text: sorted by address, module symbols, globals win, lookups")
	{
		static const char text[] = "ffffffffc0400010 t stray_ip_newid\t[stray_writer]\n"
					   "ffffffff81000000 T _text\n"
					   "ffffffff81000000 T startup_64\n"
					   "0000000000000000 A fixed_percpu_data\n"
					   "ffffffff82000000 d dup\n"
					   "ffffffff82000100 D dup\n"
					   "garbage line\n"
					   "ffffffffc0402000 b sess_table\t[stray_writer]\n"
					   "ffffffffc0403000 T last";
		struct pcs_kallsyms *t = NULL;
		uint64_t a = 0, off = 0, size = 0;
		const char *nm = NULL;

		EXPECT(pcs_kallsyms_parse_text(text, sizeof(text) - 1, &t, &err) == PCS_OK);
		EXPECT(t && t->n == 8);
		EXPECT(t && t->addr[0] == 0 && t->addr[7] == UINT64_C(0xffffffffc0403000));
		EXPECT(pcs_kallsyms_lookup(t, "sess_table", &a) &&
		       a == UINT64_C(0xffffffffc0402000));
		EXPECT(pcs_kallsyms_lookup(t, "dup", &a) && a == UINT64_C(0xffffffff82000100));
		EXPECT(pcs_kallsyms_lookup(t, "_text", &a) && a == UINT64_C(0xffffffff81000000));
		EXPECT(!pcs_kallsyms_lookup(t, "garbage", &a));
		EXPECT(pcs_kallsyms_symbolize(t, UINT64_C(0xffffffffc0400014), &nm, &off, &size));
		EXPECT_STREQ(nm, "stray_ip_newid");
		EXPECT_EQ_U64(off, 4);
		pcs_kallsyms_free(t);
	}
	CASE("adopt: a table with its saved name index, used in place (the kernel cache)")
	{
		static const char text[] = "ffffffff81000000 T _text\n"
					   "ffffffff81000100 T startup_64\n"
					   "ffffffff82000000 d dup\n"
					   "ffffffff82000100 D dup\n"
					   "ffffffff83000000 B jiffies\n";
		struct pcs_kallsyms *t = NULL, *c = calloc(1, sizeof(*c));
		uint64_t a = 0;

		EXPECT(pcs_kallsyms_parse_text(text, sizeof(text) - 1, &t, &err) == PCS_OK);
		if (!t || !c)
			abort();
		*c = *t; /* the saved arrays, borrowed; a copy of addr (relocated by the cache) */
		c->borrowed = true;
		c->addr = malloc(t->n * 8);
		memcpy(c->addr, t->addr, t->n * 8);
		EXPECT(pcs_kallsyms_adopt(c, &err) == PCS_OK);
		EXPECT(c->hash == t->hash); /* not rebuilt */
		EXPECT(pcs_kallsyms_lookup(c, "dup", &a) && a == UINT64_C(0xffffffff82000100));
		EXPECT(pcs_kallsyms_lookup(c, "jiffies", &a) && a == UINT64_C(0xffffffff83000000));
		EXPECT(!pcs_kallsyms_lookup(c, "nothing", &a));
		/* a malformed index is refused, never used */
		uint32_t saved = t->hash[0];

		t->hash[0] = (uint32_t)t->n + 1;
		EXPECT(pcs_kallsyms_adopt(c, &err) == PCS_ERR_CORRUPT && strstr(err.msg, "range"));
		t->hash[0] = saved;
		c->hcap = t->hcap - 1;
		EXPECT(pcs_kallsyms_adopt(c, &err) == PCS_ERR_CORRUPT && strstr(err.msg, "slots"));
		c->hcap = t->hcap;
		uint32_t *full = malloc(t->hcap * 4);

		for (size_t h = 0; h < t->hcap; h++)
			full[h] = 1;
		c->hash = full;
		EXPECT(pcs_kallsyms_adopt(c, &err) == PCS_ERR_CORRUPT && strstr(err.msg, "full"));
		free(full);
		pcs_kallsyms_free(c); /* frees addr and c only */
		pcs_kallsyms_free(t);
	}
	CASE("/proc/kallsyms with every address 0 (kptr_restrict): NOSYM saying so")
	{
		static const char text[] = "0000000000000000 T _text\n0000000000000000 T x\n";
		struct pcs_kallsyms *t = NULL;

		EXPECT(pcs_kallsyms_parse_text(text, sizeof(text) - 1, &t, &err) == PCS_ERR_NOSYM);
		EXPECT(t == NULL && strstr(err.msg, "kptr_restrict"));
		EXPECT(pcs_kallsyms_parse_text("", 0, &t, &err) == PCS_ERR_NOSYM);
	}
	return unit_failed;
}
