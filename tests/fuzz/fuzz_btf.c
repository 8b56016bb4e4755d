// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the kernel's BTF as found in dump memory (the dump-alone path): the
 * structural search of core/btf_find.c over kernel-image memory, then, for a blob
 * it accepts, what the standalone front end does with it: libbpf's btf__new()
 * (its own validation of types and strings) and a walk of every type's name and
 * members. The input is kernel memory at ARENA; the blob may sit anywhere in it,
 * also at an unaligned or truncated position.
 */
#include <bpf/btf.h>

#include "btf_find.h"
#include "fuzz.h"

#define ARENA 0xffff800008000000ull

static void walk(const struct btf *btf)
{
	unsigned int n = btf__type_cnt(btf);

	for (unsigned int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			continue;
		(void)btf__name_by_offset(btf, t->name_off);
		if (btf_is_composite(t)) {
			const struct btf_member *m = btf_members(t);

			for (unsigned short i = 0; i < btf_vlen(t); i++)
				(void)btf__name_by_offset(btf, m[i].name_off);
		} else if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (unsigned short i = 0; i < btf_vlen(t); i++)
				(void)btf__name_by_offset(btf, e[i].name_off);
		}
	}
	(void)btf__find_by_name_kind(btf, "page", BTF_KIND_STRUCT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_error err;
	uint64_t addr;
	void *blob = NULL;
	uint32_t bsize = 0;

	if (size < 24 || size > FUZZ_MAX_INPUT)
		return 0;
	fake_init(&ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(6, 1, 0));
	fuzz_map(&ft, PCS_KVADDR, ARENA, data, size);
	if (pcs_btf_find(&ft.t, ARENA, ARENA + size, &addr, &blob, &bsize, &err) == PCS_OK) {
		struct btf *btf = btf__new(blob, bsize);

		if (btf)
			walk(btf);
		btf__free(btf);
		free(blob);
	}
	fake_free(&ft);
	return 0;
}

/* Seeds: a small kernel-like BTF (int, struct page with two members, an enum) at
 * offset 0 and after 100 bytes of other data. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	struct btf *btf;
	const void *raw;
	uint32_t rsize;
	size_t off = i == 0 ? 0 : 100;

	if (i > 1)
		return 0;
	btf = btf__new_empty();
	if (!btf)
		return 0;
	int ul = btf__add_int(btf, "unsigned long", 8, 0);
	int pg = btf__add_struct(btf, "page", 16);

	btf__add_field(btf, "flags", ul, 0, 0);
	btf__add_field(btf, "mapping", ul, 64, 0);
	btf__add_enum(btf, "pageflags", 4);
	btf__add_enum_value(btf, "PG_locked", 0);
	btf__add_enum_value(btf, "PG_head", 16);
	(void)pg;
	raw = btf__raw_data(btf, &rsize);
	if (!raw || off + rsize > cap) {
		btf__free(btf);
		return 0;
	}
	memset(buf, 0x5a, off);
	memcpy(buf + off, raw, rsize);
	btf__free(btf);
	return off + rsize;
}
