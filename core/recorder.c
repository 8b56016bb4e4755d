// SPDX-License-Identifier: GPL-2.0-or-later
#include "recorder.h"

#include <stdlib.h>
#include <string.h>

#include "pte_walker.h"

struct pcs_recorder {
	const struct pcs_target_ops *inner_ops;
	void *inner_priv;
	uint64_t page_size;
	struct pcs_rangeset phys;
	struct pcs_rangeset virt;
	pcs_recorder_xlat_fn xlat;
	void *xlat_priv;
	enum pcs_errcode nomem; /* a recording failed for lack of memory */
};

static int range_cmp(const void *a, const void *b)
{
	const struct pcs_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

void pcs_rangeset_normalize(struct pcs_rangeset *rs)
{
	size_t o = 0;

	if (rs->sorted_n == rs->n)
		return;
	qsort(rs->v, rs->n, sizeof(*rs->v), range_cmp);
	for (size_t i = 0; i < rs->n; i++) {
		if (o && rs->v[i].start <= rs->v[o - 1].end) {
			if (rs->v[i].end > rs->v[o - 1].end)
				rs->v[o - 1].end = rs->v[i].end;
		} else {
			rs->v[o++] = rs->v[i];
		}
	}
	rs->n = rs->sorted_n = o;
}

enum pcs_errcode pcs_rangeset_add(struct pcs_rangeset *rs, uint64_t start, uint64_t end,
				  struct pcs_error *err)
{
	if (end <= start)
		return PCS_OK;
	if (rs->n) {
		struct pcs_range *last = &rs->v[rs->n - 1];

		if (start <= last->end && end >= last->start) {
			bool grows = start < last->start || end > last->end;

			if (start < last->start)
				last->start = start;
			if (end > last->end)
				last->end = end;
			if (grows && rs->sorted_n == rs->n)
				rs->sorted_n = rs->n - 1; /* may now overlap its predecessor */
			return PCS_OK;
		}
	}
	if (rs->n == rs->cap) {
		/* Many scattered reads: coalesce before growing. */
		if (rs->cap >= 4096) {
			pcs_rangeset_normalize(rs);
			if (rs->n < rs->cap / 2)
				goto append;
		}
		size_t ncap = rs->cap ? rs->cap * 2 : 64;
		struct pcs_range *nv = realloc(rs->v, ncap * sizeof(*nv));

		if (!nv)
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory recording reads");
		rs->v = nv;
		rs->cap = ncap;
	}
append:
	rs->v[rs->n++] = (struct pcs_range){start, end};
	return PCS_OK;
}

uint64_t pcs_rangeset_bytes(const struct pcs_rangeset *rs)
{
	uint64_t b = 0;

	for (size_t i = 0; i < rs->n; i++)
		b += rs->v[i].end - rs->v[i].start;
	return b;
}

void pcs_rangeset_free(struct pcs_rangeset *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void record(struct pcs_recorder *r, struct pcs_rangeset *rs, uint64_t addr, size_t len)
{
	uint64_t ps = r->page_size, lo, hi;

	if (!len)
		return;
	lo = addr & ~(ps - 1);
	hi = addr + len;
	if (hi < addr) /* wraps */
		hi = UINT64_MAX & ~(ps - 1);
	else
		hi = (hi + ps - 1) & ~(ps - 1);
	if (hi <= lo)
		return;
	if (pcs_rangeset_add(rs, lo, hi, NULL))
		r->nomem = PCS_ERR_NOMEM;
}

static enum pcs_errcode rec_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				 size_t len, struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	record(r, as == PCS_KPHYSADDR ? &r->phys : &r->virt, addr, len);
	return r->inner_ops->read(r->inner_priv, as, addr, buf, len, err);
}

/* Not recorded: see pcs_target_ops.read_search. */
static enum pcs_errcode rec_read_search(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
					size_t len, struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	if (r->inner_ops->read_search)
		return r->inner_ops->read_search(r->inner_priv, as, addr, buf, len, err);
	return r->inner_ops->read(r->inner_priv, as, addr, buf, len, err);
}

static enum pcs_errcode rec_symbol(void *priv, const char *name, uint64_t *addr,
				   struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	return r->inner_ops->symbol_addr(r->inner_priv, name, addr, err);
}

static enum pcs_errcode rec_member_offset(void *priv, const char *type, const char *member,
					  uint64_t *off, struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	return r->inner_ops->member_offset(r->inner_priv, type, member, off, err);
}

static enum pcs_errcode rec_type_size(void *priv, const char *type, uint64_t *size,
				      struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	return r->inner_ops->type_size(r->inner_priv, type, size, err);
}

static enum pcs_errcode rec_enum_value(void *priv, const char *name, int64_t *value,
				       struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	return r->inner_ops->enum_value(r->inner_priv, name, value, err);
}

static enum pcs_errcode rec_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
				       struct pcs_error *err)
{
	struct pcs_recorder *r = priv;

	return r->inner_ops->vmcoreinfo(r->inner_priv, key, buf, len, err);
}

static const struct pcs_target_ops rec_ops = {
    .read = rec_read,
    .read_search = rec_read_search,
    .symbol_addr = rec_symbol,
    .member_offset = rec_member_offset,
    .type_size = rec_type_size,
    .enum_value = rec_enum_value,
    .vmcoreinfo = rec_vmcoreinfo,
};

enum pcs_errcode pcs_recorder_new(struct pcs_recorder **out, struct pcs_error *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	(*out)->page_size = 4096;
	return PCS_OK;
}

void pcs_recorder_free(struct pcs_recorder *r)
{
	if (!r)
		return;
	pcs_rangeset_free(&r->phys);
	pcs_rangeset_free(&r->virt);
	free(r);
}

void pcs_recorder_wrap(struct pcs_recorder *r, struct pcs_target *t)
{
	r->inner_ops = t->ops;
	r->inner_priv = t->priv;
	t->ops = &rec_ops;
	t->priv = r;
}

void pcs_recorder_set_xlat(struct pcs_recorder *r, pcs_recorder_xlat_fn fn, void *priv)
{
	r->xlat = fn;
	r->xlat_priv = priv;
}

void pcs_recorder_note_kvaddr(struct pcs_recorder *r, uint64_t vaddr)
{
	record(r, &r->virt, vaddr, 1);
}

enum pcs_errcode pcs_recorder_finish(struct pcs_recorder *r, const struct pcs_target *t,
				     uint64_t *unmapped, struct pcs_error *err)
{
	struct pcs_pte_walker pw;
	bool have_walker;
	uint64_t ps;

	*unmapped = 0;
	if (r->nomem)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory recording reads");
	/* Recorded at the default granule until the target's own was known. */
	if (t->page_size && t->page_size != r->page_size)
		r->page_size = t->page_size;
	ps = r->page_size;
	have_walker = pcs_pte_walker_init(&pw, t, NULL) == PCS_OK;
	pcs_rangeset_normalize(&r->virt);
	/* The walk below records into r->virt's sibling only: iterate a copy. */
	struct pcs_rangeset virt = r->virt;

	memset(&r->virt, 0, sizeof(r->virt));
	for (size_t i = 0; i < virt.n; i++) {
		for (uint64_t va = virt.v[i].start & ~(ps - 1); va < virt.v[i].end; va += ps) {
			struct pcs_pte_walk w;
			uint64_t pa;

			if (have_walker && pcs_pte_walker_walk(&pw, 0, va, &w, NULL) == PCS_OK)
				pa = w.paddr;
			else if (!r->xlat || r->xlat(r->xlat_priv, va, &pa) != PCS_OK) {
				(*unmapped)++;
				continue;
			}
			record(r, &r->phys, pa & ~(ps - 1), ps);
			if (va + ps < va)
				break;
		}
	}
	/* Kernel virtual reads made by the walker itself (mm->pgd) are not expected. */
	pcs_rangeset_free(&r->virt);
	r->virt = virt;
	pcs_rangeset_normalize(&r->phys);
	if (r->nomem)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory recording reads");
	return PCS_OK;
}

const struct pcs_range *pcs_recorder_ranges(const struct pcs_recorder *r, size_t *n)
{
	*n = r->phys.n;
	return r->phys.v;
}
