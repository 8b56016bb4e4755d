// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the XArray / radix-tree walker (core/xarray.c). The input is kernel memory
 * at ARENA: byte 0 picks the layout (bit 0: 4.19-like radix tree, else 6.1
 * XArray), bytes 8..23 the walk's first index and count; the struct xarray /
 * radix_tree_root is at ARENA + 64 and nodes anywhere in the input.
 */
#include "fuzz.h"
#include "kernel.h"
#include "xarray.h"

#define ARENA 0xffff888010000000ull
#define ROOT  (ARENA + 64)

struct seen {
	unsigned long n;
	uint64_t last;
};

static int on_entry(const struct pcs_xa_entry *e, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->last = e->index;
	(void)pcs_xa_kind_name(e->kind);
	return s->n > 100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;
	struct pcs_xa_opts o = {0};
	struct seen s = {0};

	if (size < 80 || size > FUZZ_MAX_INPUT)
		return 0;
	if (data[0] & 1)
		fake_layout_radix(&ft);
	else
		fake_layout_xarray(&ft);
	fuzz_map(&ft, PCS_KVADDR, ARENA, data, size);
	if (pcs_kernel_init(&k, &ft.t, &err) == PCS_OK) {
		pcs_xa_walk(&k, ROOT, NULL, on_entry, &s, &err);
		memcpy(&o.first, data + 8, 8);
		memcpy(&o.count, data + 16, 8);
		pcs_xa_walk(&k, ROOT, &o, on_entry, &s, &err);
		for (size_t i = 64; i + 8 <= size && i < 64 + 8 * 16; i += 8) {
			uint64_t v;

			memcpy(&v, data + i, 8);
			(void)pcs_xa_classify(&k, v);
		}
	}
	fake_free(&ft);
	return 0;
}

/* Seeds: one entry in the head; one node of 3 pages; two levels; a radix tree. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static struct fake_target ft;
	const uint64_t node = ARENA + 1024, node2 = ARENA + 2048;

	if (i > 3)
		return 0;
	if (i == 3)
		fake_layout_radix(&ft);
	else
		fake_layout_xarray(&ft);
	fake_map(&ft, PCS_KVADDR, ARENA, 4096);
	if (i == 0)
		fake_put_u64(&ft, ROOT + 8, fake_page(100));
	else {
		fake_put_u64(&ft, ROOT + 8, node | 2);
		fake_put_u8(&ft, node, i == 2 ? 6 : 0); /* shift */
		fake_put_u8(&ft, node + 2, 3);		/* count */
		fake_put_u64(&ft, node + 16, ROOT);	/* array */
		for (int k = 0; k < 3; k++)
			fake_put_u64(&ft, node + 40 + 8 * k,
				     i == 2 && k == 1 ? (node2 | 2) : fake_page(100 + k));
		if (i == 2) {
			fake_put_u8(&ft, node2 + 1, 1);
			fake_put_u8(&ft, node2 + 2, 2);
			fake_put_u64(&ft, node2 + 8, node | 2);
			fake_put_u64(&ft, node2 + 40, fake_page(200));
			fake_put_u64(&ft, node2 + 48, (7 << 1) | 1); /* value entry */
		}
	}
	buf[0] = i == 3;
	size_t n = fuzz_dump_region(&ft, PCS_KVADDR, ARENA, buf, cap, 0);

	buf[0] = i == 3;
	fake_free(&ft);
	return n;
}
