// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of the XArray / radix tree walker on synthetic trees. */
#include "fake_target.h"
#include "kernel.h"
#include "unit.h"
#include "xarray.h"

#define XA    0xffff888010000000ull /* struct xarray (xa_head at +8) */
#define NODE0 0xffff888010100000ull /* tree nodes */
#define NODE1 0xffff888010200000ull
#define NODE2 0xffff888010300000ull

struct seen {
	int n;
	struct pcs_xa_entry e[64];
};

static int collect(const struct pcs_xa_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n < 64)
		s->e[s->n] = *e;
	s->n++;
	return 0;
}

static int stop_after_first(const struct pcs_xa_entry *e, void *arg)
{
	(void)e;
	++*(int *)arg;
	return 1;
}

static void setup(struct fake_target *ft, struct pcs_kernel *k, bool radix)
{
	struct pcs_error err;

	if (radix)
		fake_layout_radix(ft);
	else
		fake_layout_xarray(ft);
	fake_map(ft, PCS_KVADDR, XA, 64);
	if (pcs_kernel_init(k, &ft->t, &err))
		fprintf(stderr, "kernel init: %s\n", err.msg);
}

static enum pcs_errcode walk(struct pcs_kernel *k, struct seen *s, struct pcs_error *err)
{
	memset(s, 0, sizeof(*s));
	return pcs_xa_walk(k, XA, NULL, collect, s, err);
}

int main(void)
{
	struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;
	struct seen s;
	const uint64_t P = fake_page(100), Q = fake_page(200);

	CASE("an empty xarray reports nothing")
	{
		setup(&ft, &k, false);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 0);
		fake_free(&ft);
	}

	CASE("a single-entry xarray stores the entry in xa_head, at index 0")
	{
		setup(&ft, &k, false);
		fake_put_u64(&ft, XA + 8, P);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 1);
		EXPECT_EQ_U64(s.e[0].index, 0);
		EXPECT_EQ_U64(s.e[0].nr, 1);
		EXPECT_EQ_U64(s.e[0].entry, P);
		EXPECT(s.e[0].kind == PCS_XA_POINTER);
		EXPECT_EQ_U64(s.e[0].node, 0);
		fake_free(&ft);
	}

	CASE("a two-level tree reports entries in index order with node-relative indices")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_node(&ft, NODE1, 0, 0, NODE0);
		fake_node(&ft, NODE2, 0, 3, NODE0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, xa_mk_node(NODE1));
		fake_slot(&ft, NODE0, 3, xa_mk_node(NODE2));
		fake_slot(&ft, NODE1, 1, P);
		fake_slot(&ft, NODE2, 5, Q);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 2);
		EXPECT_EQ_U64(s.e[0].index, 1);
		EXPECT_EQ_U64(s.e[0].entry, P);
		EXPECT_EQ_U64(s.e[0].node, NODE1);
		EXPECT_EQ_U64(s.e[1].index, 3 * 64 + 5);
		EXPECT_EQ_U64(s.e[1].entry, Q);
		fake_free(&ft);
	}

	CASE("order-2 entry at index 4 appears once and covers 4..7")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 4, P);
		for (unsigned int i = 5; i < 8; i++)
			fake_slot(&ft, NODE0, i, xa_mk_sibling(4));
		fake_slot(&ft, NODE0, 8, Q);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 2);
		EXPECT_EQ_U64(s.e[0].index, 4);
		EXPECT_EQ_U64(s.e[0].nr, 4);
		EXPECT_EQ_U64(s.e[0].entry, P);
		EXPECT_EQ_U64(s.e[1].index, 8);
		EXPECT_EQ_U64(s.e[1].nr, 1);
		fake_free(&ft);
	}

	CASE("sibling entries never yield a second entry, even in an upper node")
	{
		/* An order-7 folio at index 128 in a shift-6 node: slot 2 plus sibling slot 3. */
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 2, P);
		fake_slot(&ft, NODE0, 3, xa_mk_sibling(2));
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 1);
		EXPECT_EQ_U64(s.e[0].index, 128);
		EXPECT_EQ_U64(s.e[0].nr, 128);
		fake_free(&ft);
	}

	CASE("value entry is reported as a value (shadow), never as a pointer")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, xa_mk_value(0x1234));
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 1);
		EXPECT(s.e[0].kind == PCS_XA_VALUE);
		EXPECT_EQ_U64(s.e[0].entry, xa_mk_value(0x1234));
		EXPECT_STREQ(pcs_xa_kind_name(s.e[0].kind), "value");
		fake_free(&ft);
	}

	CASE("retry and zero entries are reported as such, not followed")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 1, XA_RETRY_ENTRY);
		fake_slot(&ft, NODE0, 2, XA_ZERO_ENTRY);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 2);
		EXPECT(s.e[0].kind == PCS_XA_RETRY);
		EXPECT_EQ_U64(s.e[0].index, 1);
		EXPECT(s.e[1].kind == PCS_XA_ZERO);
		fake_free(&ft);
	}

	CASE("node cycle gives PCS_ERR_CORRUPT, not a hang")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 1, xa_mk_node(NODE0)); /* points back at itself */
		EXPECT(walk(&k, &s, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "xa_node") != NULL);
		fake_free(&ft);
	}

	CASE("child whose parent pointer disagrees gives PCS_ERR_CORRUPT naming both nodes")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_node(&ft, NODE1, 0, 1, NODE2); /* wrong parent */
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 1, xa_mk_node(NODE1));
		EXPECT(walk(&k, &s, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "parent") != NULL);
		fake_free(&ft);
	}

	CASE("child whose offset disagrees with its slot gives PCS_ERR_CORRUPT")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_node(&ft, NODE1, 0, 7, NODE0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 1, xa_mk_node(NODE1));
		EXPECT(walk(&k, &s, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "offset 7") != NULL);
		fake_free(&ft);
	}

	CASE("node shift 70 gives PCS_ERR_CORRUPT with the shift in the message")
	{
		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 70, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		EXPECT(walk(&k, &s, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "shift 70") != NULL);
		fake_free(&ft);
	}

	CASE("visiting more than max_nodes nodes gives PCS_ERR_CORRUPT")
	{
		struct pcs_xa_opts o = {.max_nodes = 1};

		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_node(&ft, NODE1, 0, 0, NODE0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, xa_mk_node(NODE1));
		memset(&s, 0, sizeof(s));
		EXPECT(pcs_xa_walk(&k, XA, &o, collect, &s, &err) == PCS_ERR_CORRUPT);
		fake_free(&ft);
	}

	CASE("unreadable node is an error that names the node")
	{
		setup(&ft, &k, false);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE2)); /* not mapped */
		EXPECT(walk(&k, &s, &err) == PCS_ERR_READ);
		EXPECT(strstr(err.msg, "reading xa_node 0xffff888010300000") != NULL);
		fake_free(&ft);
	}

	CASE("an index range skips subtrees outside it")
	{
		struct pcs_xa_opts o = {.first = 64, .count = 64};

		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 6, 0, 0);
		fake_node(&ft, NODE1, 0, 0, NODE0);
		fake_node(&ft, NODE2, 0, 1, NODE0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, xa_mk_node(NODE1));
		fake_slot(&ft, NODE0, 1, xa_mk_node(NODE2));
		fake_slot(&ft, NODE1, 0, P);
		fake_slot(&ft, NODE2, 0, Q);
		memset(&s, 0, sizeof(s));
		ft.reads = 0;
		EXPECT(pcs_xa_walk(&k, XA, &o, collect, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 1);
		EXPECT_EQ_U64(s.e[0].index, 64);
		EXPECT_EQ_U64(ft.reads, 3); /* head, NODE0, NODE2: NODE1 never read */
		fake_free(&ft);
	}

	CASE("a nonzero return from the callback stops the walk")
	{
		int calls = 0;

		setup(&ft, &k, false);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, P);
		fake_slot(&ft, NODE0, 1, Q);
		EXPECT(pcs_xa_walk(&k, XA, NULL, stop_after_first, &calls, &err) == PCS_OK);
		EXPECT_EQ_U64(calls, 1);
		fake_free(&ft);
	}

	CASE("pre-4.20 radix tree: node pointers tagged 1, exceptional entry is a value")
	{
		setup(&ft, &k, true);
		EXPECT(k.xa.kind == PCS_TREE_RADIX);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, NODE0 | 1);
		fake_slot(&ft, NODE0, 0, P);
		fake_slot(&ft, NODE0, 1, (0x55ull << 2) | 2); /* exceptional (shadow) */
		fake_slot(&ft, NODE0, 2, 1);		      /* RADIX_TREE_RETRY */
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 3);
		EXPECT(s.e[0].kind == PCS_XA_POINTER);
		EXPECT(s.e[1].kind == PCS_XA_VALUE);
		EXPECT(s.e[2].kind == PCS_XA_RETRY);
		fake_free(&ft);
	}

	CASE("pre-4.20 radix tree: a sibling is a pointer into the node's own slots")
	{
		setup(&ft, &k, true);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, NODE0 | 1);
		fake_slot(&ft, NODE0, 8, P);
		fake_slot(&ft, NODE0, 9, (NODE0 + 40 + 8 * 8) | 1);
		EXPECT(walk(&k, &s, &err) == PCS_OK);
		EXPECT_EQ_U64(s.n, 1);
		EXPECT_EQ_U64(s.e[0].index, 8);
		EXPECT_EQ_U64(s.e[0].nr, 2);
		fake_free(&ft);
	}

	UNIT_EXIT();
}
