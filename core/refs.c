// SPDX-License-Identifier: GPL-2.0-or-later
/* The reference search, level by level: targets, one scan, dedup, attribution. */
#include "refs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"

#define FOLIO_PAGES_CHECKED 64 /* pages of the range whose head page is looked up */

const char *pcs_ref_via_name(enum pcs_ref_via via)
{
	switch (via) {
	case PCS_VIA_LINEAR: return "linear-map";
	case PCS_VIA_IMAGE: return "kernel-image";
	case PCS_VIA_STRUCT_PAGE: return "struct-page";
	case PCS_VIA_FOLIO: return "folio";
	case PCS_VIA_PTE: return "pte";
	case PCS_VIA_OBJECT: return "object";
	}
	return "?";
}

/* --- the range must lie in present memory sections ---------------------------------------- */

struct cover {
	uint64_t pfn, end; /* next pfn not yet covered, end of the range */
};

static int on_cover(const struct pcs_mem_section *s, void *arg)
{
	struct cover *c = arg;

	if (s->start_pfn <= c->pfn && c->pfn < s->end_pfn)
		c->pfn = s->end_pfn;
	return c->pfn >= c->end;
}

static enum pcs_errcode check_range(const struct pcs_kernel *k, uint64_t pa, uint64_t len,
				    struct pcs_error *err)
{
	struct cover c = {.pfn = pcs_paddr_to_pfn(k, pa),
			  .end = pcs_paddr_to_pfn(k, pa + len - 1) + 1};
	enum pcs_errcode rc = pcs_memmap_for_each_section(k, on_cover, &c, err);

	if (rc)
		return rc;
	if (c.pfn < c.end)
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "0x%" PRIx64 " is not in any memory section of this dump",
				     pcs_pfn_to_paddr(k, c.pfn) > pa ? pcs_pfn_to_paddr(k, c.pfn)
								     : pa);
	return PCS_OK;
}

/* --- search state --------------------------------------------------------------------------- */

struct raw_hit {
	uint64_t paddr, value;
	struct pcs_ref_range range;
};

struct search {
	const struct pcs_kernel *k;
	const struct pcs_refs_query *q;
	struct pcs_kmem_owner *ko;
	struct pcs_refs *out;
	struct raw_hit *hits;
	size_t nhits, hitcap, max;
	bool nomem;
	uint64_t *seen; /* sorted paddrs of every word reported */
	size_t nseen;
};

static int on_hit(const struct pcs_ref_hit *h, void *arg)
{
	struct search *s = arg;

	if (s->nhits >= s->max) {
		s->out->sum.truncated = true;
		return 1;
	}
	if (s->nhits == s->hitcap) {
		size_t nc = s->hitcap ? s->hitcap * 2 : 64;
		struct raw_hit *v = realloc(s->hits, nc * sizeof(*v));

		if (!v) {
			s->nomem = true;
			return 1;
		}
		s->hits = v;
		s->hitcap = nc;
	}
	s->hits[s->nhits++] =
	    (struct raw_hit){.paddr = h->paddr, .value = h->value, .range = *h->range};
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct raw_hit *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool seen(const struct search *s, uint64_t pa)
{
	return s->nseen && bsearch(&pa, s->seen, s->nseen, sizeof(pa), cmp_u64);
}

static struct pcs_ref *new_ref(struct pcs_refs *r)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		struct pcs_ref *v = realloc(r->v, nc * sizeof(*v));

		if (!v)
			return NULL;
		r->v = v;
		r->cap = nc;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

static bool in(uint64_t v, uint64_t start, uint64_t len)
{
	return len && v - start < len;
}

/* Attribute the level's hits (sorted, deduplicated) and append them as refs. */
static enum pcs_errcode take_hits(struct search *s, unsigned int level, struct pcs_error *err)
{
	const struct pcs_kernel *k = s->k;
	struct pcs_refs *out = s->out;
	size_t first = out->n;
	enum pcs_errcode rc;

	if (s->nhits)
		qsort(s->hits, s->nhits, sizeof(*s->hits), cmp_hit);
	for (size_t i = 0; i < s->nhits; i++) {
		const struct raw_hit *h = &s->hits[i];
		struct pcs_owner o;
		struct pcs_ref *r;
		uint64_t oa;

		if ((i && h->paddr == s->hits[i - 1].paddr) || seen(s, h->paddr))
			continue; /* the same physical word again */
		if ((rc = pcs_kmem_owner_of(s->ko, h->paddr, &o, err)))
			return rc;
		if (in(h->paddr, h->range.self_pa, h->range.self_len) ||
		    (h->range.via != PCS_VIA_PTE && o.vaddr && o.vaddr >= h->range.start &&
		     o.vaddr < h->range.end)) {
			out->sum.self_refs++;
			continue;
		}
		oa = h->range.start;
		if (h->range.via == PCS_VIA_PTE) {
			uint64_t lm;

			oa = h->value & ~((uint64_t)k->page_size - 1) &
			     (k->t->arch == PCS_ARCH_X86_64 ? 0x000fffffffffffffull
							    : 0x0003ffffffffffffull);
			if (!pcs_paddr_to_lmva(k, oa, &lm, NULL) &&
			    pcs_kmem_owner_kernel_pte(s->ko, lm, h->paddr)) {
				o.kind = PCS_OWNER_PGTABLE;
				snprintf(o.mm, sizeof(o.mm), "init_mm");
			}
		}
		if (!(r = new_ref(out)))
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		r->paddr = h->paddr;
		r->value = h->value;
		r->via = (enum pcs_ref_via)h->range.via;
		r->target = oa;
		r->level = level;
		r->parent = h->range.owner == PCS_REF_TARGET_ROOT ? PCS_REF_ROOT : h->range.owner;
		r->same_object = PCS_REF_ROOT;
		if (pcs_paddr_to_lmva(k, h->paddr, &r->vaddr, NULL))
			r->vaddr = 0;
		r->owner = o;
	}
	/* remember the new words */
	size_t add = out->n - first;
	uint64_t *v = realloc(s->seen, (s->nseen + add + 1) * sizeof(*v));

	if (!v)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	s->seen = v;
	for (size_t i = first; i < out->n; i++)
		s->seen[s->nseen++] = out->v[i].paddr;
	if (s->nseen)
		qsort(s->seen, s->nseen, sizeof(*s->seen), cmp_u64);
	if (level == 1)
		out->sum.hits += add;
	else
		out->sum.holders += add;
	return PCS_OK;
}

static enum pcs_errcode scan_level(struct search *s, const struct pcs_ref_table *tab,
				   const struct pcs_ref_range *pte, unsigned int level,
				   struct pcs_error *err)
{
	struct pcs_ref_scan_stats st;
	enum pcs_errcode rc;

	s->nhits = 0;
	rc = pcs_ref_scan(s->k, s->q->exec, tab, pte, s->max + 1, on_hit, s, &st, err);
	if (s->nomem)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting hits");
	if (rc)
		return rc;
	s->out->sum.passes++;
	s->out->sum.sections = st.sections;
	s->out->sum.pages_searched = st.pages;
	s->out->sum.pages_not_in_dump = st.not_in_dump;
	s->out->sum.pages_unreadable = st.unreadable;
	return take_hits(s, level, err);
}

/* --- level 1: the range's own addresses ----------------------------------------------------- */

static enum pcs_errcode add(struct pcs_ref_table *t, uint64_t start, uint64_t len, uint64_t self_pa,
			    uint64_t self_len, enum pcs_ref_via via, uint32_t owner,
			    struct pcs_error *err)
{
	struct pcs_ref_range r = {.start = start,
				  .end = start + len,
				  .self_pa = self_pa,
				  .self_len = self_len,
				  .owner = owner,
				  .via = (uint8_t)via};

	return pcs_ref_table_add(t, &r, err);
}

/* The head page of pfn's folio when pfn is a tail page, else 0. */
static uint64_t head_page(const struct pcs_kernel *k, uint64_t pfn)
{
	uint64_t page, info;

	if (k->page.compound_head == PCS_OFF_NONE || k->compound_info_mask ||
	    pcs_pfn_to_page(k, pfn, &page, NULL) ||
	    pcs_read_u64(k->t, page + k->page.compound_head, &info, NULL) || !(info & 1))
		return 0;
	return info - 1;
}

static enum pcs_errcode level1_targets(struct search *s, struct pcs_ref_table *t,
				       struct pcs_ref_range *pte, struct pcs_error *err)
{
	const struct pcs_kernel *k = s->k;
	struct pcs_refs *out = s->out;
	uint64_t pa = s->q->paddr, len = s->q->len, ps = k->page_size;
	uint64_t first = pcs_paddr_to_pfn(k, pa), last = pcs_paddr_to_pfn(k, pa + len - 1);
	uint64_t iva, page_last;
	enum pcs_errcode rc;

	out->pfn = first;
	if ((rc = pcs_paddr_to_lmva(k, pa, &out->lm_vaddr, err)) ||
	    (rc = add(t, out->lm_vaddr, len, pa, len, PCS_VIA_LINEAR, PCS_REF_TARGET_ROOT, err)))
		return rc;
	if (pcs_kmem_owner_image_alias(s->ko, pa, len, &iva)) {
		out->image_vaddr = iva;
		if ((rc = add(t, out->image_vaddr, len, pa, len, PCS_VIA_IMAGE, PCS_REF_TARGET_ROOT,
			      err)))
			return rc;
	}
	if ((rc = pcs_pfn_to_page(k, first, &out->struct_page, err)) ||
	    (rc = pcs_pfn_to_page(k, last, &page_last, err)) ||
	    (rc = add(t, out->struct_page, page_last + k->page.size - out->struct_page, 0, 0,
		      PCS_VIA_STRUCT_PAGE, PCS_REF_TARGET_ROOT, err)))
		return rc;
	for (uint64_t pfn = first; pfn <= last && pfn - first < FOLIO_PAGES_CHECKED; pfn++) {
		uint64_t head = head_page(k, pfn);

		if (!head || (head >= out->struct_page && head <= page_last))
			continue;
		if (pfn == first)
			out->folio = head;
		if ((rc =
			 add(t, head, k->page.size, 0, 0, PCS_VIA_FOLIO, PCS_REF_TARGET_ROOT, err)))
			return rc;
	}
	*pte = (struct pcs_ref_range){.start = pcs_pfn_to_paddr(k, first),
				      .end = pcs_pfn_to_paddr(k, last) + ps,
				      .self_pa = pa,
				      .self_len = len,
				      .owner = PCS_REF_TARGET_ROOT,
				      .via = PCS_VIA_PTE};
	pcs_ref_table_seal(t);
	return PCS_OK;
}

/* --- deeper levels: who holds the slab objects found at the level above ---------------------- */

static enum pcs_errcode object_targets(struct search *s, size_t from, size_t to,
				       struct pcs_ref_table *t, struct pcs_error *err)
{
	const struct pcs_kernel *k = s->k;
	struct pcs_refs *out = s->out;
	enum pcs_errcode rc;

	for (size_t i = from; i < to; i++) {
		struct pcs_ref *r = &out->v[i];
		const struct pcs_slab_object *o = &r->owner.slab;
		uint64_t pa;

		if (r->owner.kind != PCS_OWNER_SLAB || !o->cache || !o->in_object)
			continue;
		for (size_t j = from; j < i; j++)
			if (out->v[j].owner.kind == PCS_OWNER_SLAB &&
			    out->v[j].owner.slab.object == o->object &&
			    out->v[j].same_object == PCS_REF_ROOT) {
				r->same_object = j;
				break;
			}
		if (r->same_object != PCS_REF_ROOT)
			continue;
		if (pcs_lmva_to_paddr(k, o->object, &pa, NULL))
			pa = 0;
		if ((rc = add(t, o->object, o->object_size ? o->object_size : o->size, pa,
			      pa ? (o->object_size ? o->object_size : o->size) : 0, PCS_VIA_OBJECT,
			      (uint32_t)i, err)))
			return rc;
	}
	pcs_ref_table_seal(t);
	return PCS_OK;
}

enum pcs_errcode pcs_refs_find(const struct pcs_kernel *k, const struct pcs_refs_query *q,
			       struct pcs_refs *out, struct pcs_error *err)
{
	struct search s = {.k = k, .q = q, .out = out};
	struct pcs_ref_table t = {0};
	struct pcs_ref_range pte;
	enum pcs_errcode rc;
	size_t from = 0;

	memset(out, 0, sizeof(*out));
	out->paddr = q->paddr;
	out->len = q->len;
	out->depth = q->depth;
	s.max = q->max_per_level ? q->max_per_level : PCS_REFS_MAX_PER_LEVEL;
	out->limit = s.max;
	if (!q->len || q->paddr + q->len < q->paddr)
		return pcs_error_set(err, PCS_ERR_INVAL, "the range to search is empty");
	if (q->depth < 1 || q->depth > PCS_REFS_MAX_DEPTH)
		return pcs_error_set(err, PCS_ERR_INVAL, "depth %u is not in 1..%u", q->depth,
				     PCS_REFS_MAX_DEPTH);
	if (!k->mm.ok)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s", k->mm.why);
	if ((rc = check_range(k, q->paddr, q->len, err)))
		return rc;
	if ((rc = pcs_kmem_owner_new(k, q->kfn, q->karg, q->fs, &s.ko, err)))
		return rc;
	rc = level1_targets(&s, &t, &pte, err);
	if (!rc)
		rc = scan_level(&s, &t, &pte, 1, err);
	for (unsigned int level = 2; !rc && level <= q->depth; level++) {
		size_t to = out->n;

		pcs_ref_table_free(&t);
		if ((rc = object_targets(&s, from, to, &t, err)) || !t.n)
			break;
		rc = scan_level(&s, &t, NULL, level, err);
		from = to;
	}
	pcs_ref_table_free(&t);
	pcs_kmem_owner_free(s.ko);
	free(s.hits);
	free(s.seen);
	if (rc)
		pcs_refs_free(out);
	return rc;
}

void pcs_refs_free(struct pcs_refs *r)
{
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}
