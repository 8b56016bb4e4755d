// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz module lookups (core/symbolize.c): the modules list, struct module names
 * and layouts, their kallsyms (Elf64_Sym symtab + strtab) and export tables. The
 * input is kernel memory at ARENA: the list head `modules` at ARENA + 64 and
 * modules anywhere; bytes 8..15 are the address symbolized, byte 0 bit 0 picks the
 * 6.4+ mod->mem[] layout instead of core_layout/init_layout.
 */
#include "fuzz.h"
#include "symbolize.h"

#define ARENA 0xffffffffc0000000ull
#define HEAD  (ARENA + 64)
#define MOD   (ARENA + 256)

static void layout(struct fake_target *ft, bool mem)
{
	fake_init(ft, PCS_ARCH_X86_64, PCS_KERNEL_VERSION(6, 1, 0));
	fake_sym_set(ft, "modules", HEAD);
	fake_member_set(ft, "module", "list", 8);
	fake_member_set(ft, "module", "name", 24);
	fake_member_set(ft, "module", "kallsyms", 80);
	fake_member_set(ft, "module", "syms", 88);
	fake_member_set(ft, "module", "num_syms", 96);
	fake_member_set(ft, "module", "gpl_syms", 104);
	fake_member_set(ft, "module", "num_gpl_syms", 112);
	fake_member_set(ft, "mod_kallsyms", "symtab", 0);
	fake_member_set(ft, "mod_kallsyms", "num_symtab", 8);
	fake_member_set(ft, "mod_kallsyms", "strtab", 16);
	fake_size_set(ft, "kernel_symbol", 12);
	fake_member_set(ft, "kernel_symbol", "value_offset", 0);
	fake_member_set(ft, "kernel_symbol", "name_offset", 4);
	if (mem) {
		fake_member_set(ft, "module", "mem", 128);
		fake_size_set(ft, "module_memory", 16);
		fake_member_set(ft, "module_memory", "base", 0);
		fake_member_set(ft, "module_memory", "size", 8);
	} else {
		fake_member_set(ft, "module", "core_layout", 128);
		fake_member_set(ft, "module", "core_layout.base", 128);
		fake_member_set(ft, "module", "core_layout.size", 136);
		fake_member_set(ft, "module", "init_layout", 160);
		fake_member_set(ft, "module", "init_layout.base", 160);
		fake_member_set(ft, "module", "init_layout.size", 168);
		fake_member_set(ft, "module_layout", "base", 0);
		fake_member_set(ft, "module_layout", "size", 8);
		fake_member_set(ft, "module_layout", "text_size", 12);
	}
}

static int on_module(const struct pcs_module_info *m, void *arg)
{
	return ++*(unsigned long *)arg > 10000 || !m->name[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_symbol_info si;
	struct pcs_error err;
	unsigned long n = 0;
	uint64_t pc, mod, addr;

	if (size < 320 || size > FUZZ_MAX_INPUT)
		return 0;
	layout(&ft, data[0] & 1);
	fuzz_map(&ft, PCS_KVADDR, ARENA, data, size);
	memcpy(&pc, data + 8, 8);
	pcs_module_for_each(&ft.t, on_module, &n, &err);
	pcs_symbolize(&ft.t, NULL, NULL, pc, &si, &err);
	if (pcs_module_find(&ft.t, "stray_writer", &mod, &err) == PCS_OK)
		pcs_module_symbol(&ft.t, mod, "sess_table", &addr, &err);
	pcs_module_symbol(&ft.t, MOD, "sess_table", &addr, &err);
	fake_free(&ft);
	return 0;
}

/* Seed: one module "stray_writer" with text at ARENA + 0x800 and two symbols. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static struct fake_target ft;
	const uint64_t ks = ARENA + 1024, symtab = ARENA + 1088, strtab = ARENA + 1200,
		       text = ARENA + 0x800;

	if (i > 1)
		return 0;
	layout(&ft, i == 1);
	fake_map(&ft, PCS_KVADDR, ARENA, 4096);
	fake_put_u64(&ft, ARENA + 8, text + 0x10);
	fake_put_u64(&ft, HEAD, MOD + 8);
	fake_put_u64(&ft, HEAD + 8, MOD + 8);
	fake_put_u64(&ft, MOD + 8, HEAD);
	fake_put_u64(&ft, MOD + 16, HEAD);
	fake_put_str(&ft, MOD + 24, "stray_writer");
	fake_put_u64(&ft, MOD + 80, ks);
	fake_put_u64(&ft, MOD + 128, text);
	fake_put_u32(&ft, MOD + 136, 0x800);
	fake_put_u64(&ft, ks, symtab);
	fake_put_u32(&ft, ks + 8, 3);
	fake_put_u64(&ft, ks + 16, strtab);
	/* sym 1: stray_write_id (text, 0x40 bytes); sym 2: sess_table */
	fake_put_u32(&ft, symtab + 24, 1);
	fake_put_u16(&ft, symtab + 24 + 6, 1);
	fake_put_u64(&ft, symtab + 24 + 8, text);
	fake_put_u64(&ft, symtab + 24 + 16, 0x40);
	fake_put_u32(&ft, symtab + 48, 16);
	fake_put_u16(&ft, symtab + 48 + 6, 2);
	fake_put_u64(&ft, symtab + 48 + 8, text + 0x100);
	fake_put_u64(&ft, symtab + 48 + 16, 8);
	fake_put_str(&ft, strtab + 1, "stray_write_id");
	fake_put_str(&ft, strtab + 16, "sess_table");
	size_t n = fuzz_dump_region(&ft, PCS_KVADDR, ARENA, buf, cap, 0);

	buf[0] = (uint8_t)i;
	fake_free(&ft);
	return n;
}
