// SPDX-License-Identifier: GPL-2.0-or-later
/* Folios: head page, order and covered indices (include/linux/page-flags.h, mm.h). */
#include "folio.h"

#include <inttypes.h>
#include <string.h>

static uint64_t field(const uint8_t *buf, uint64_t size, uint64_t off)
{
	uint64_t v = 0;

	if (off != PCS_OFF_NONE && off + 8 <= size)
		memcpy(&v, buf + off, 8);
	return v;
}

/* compound_head(): the head page of page, or page itself. */
static enum pcs_errcode head_of(const struct pcs_kernel *k, uint64_t page, const uint8_t *buf,
				uint64_t *head, bool *tail, struct pcs_error *err)
{
	uint64_t info = field(buf, k->page.size, k->page.compound_head);
	uint64_t max = k->page.size << PCS_FOLIO_MAX_ORDER;

	*head = page;
	*tail = false;
	if (k->page.compound_head == PCS_OFF_NONE || !(info & 1))
		return PCS_OK;
	*tail = true;
	*head = k->compound_info_mask ? page & info : info - 1;
	if (*head > page || page - *head >= max || (page - *head) % k->page.size)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "tail page 0x%" PRIx64 " has compound head 0x%" PRIx64
				     ", not a head page before it",
				     page, *head);
	return PCS_OK;
}

enum pcs_errcode pcs_folio_order(const struct pcs_kernel *k, uint64_t head, unsigned int *order,
				 struct pcs_error *err)
{
	uint8_t o;
	enum pcs_errcode rc;

	if (k->order_src == PCS_ORDER_NONE)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "large folio 0x%" PRIx64
				     ": this kernel's type info has neither folio._folio_order, "
				     "folio._flags_1 nor page.compound_order",
				     head);
	rc = pcs_read(k->t, PCS_KVADDR, head + k->order_off, &o, 1, err);
	if (rc)
		return pcs_error_wrap(err, "reading the order of folio 0x%" PRIx64, head);
	if (o == 0 || o > PCS_FOLIO_MAX_ORDER)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "head page 0x%" PRIx64 " has order %u",
				     head, o);
	*order = o;
	return PCS_OK;
}

enum pcs_errcode pcs_folio_of_page(const struct pcs_kernel *k, uint64_t page, struct pcs_folio *f,
				   struct pcs_error *err)
{
	uint8_t buf[256];
	uint64_t head;
	bool tail, large;
	enum pcs_errcode rc;

	memset(f, 0, sizeof(*f));
	if (k->page.size > sizeof(buf))
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "struct page of %" PRIu64 " bytes",
				     k->page.size);
	rc = pcs_read(k->t, PCS_KVADDR, page, buf, k->page.size, err);
	if (rc)
		return pcs_error_wrap(err, "reading struct page 0x%" PRIx64, page);
	rc = head_of(k, page, buf, &head, &tail, err);
	if (rc)
		return rc;
	if (head != page) {
		rc = pcs_read(k->t, PCS_KVADDR, head, buf, k->page.size, err);
		if (rc)
			return pcs_error_wrap(err, "reading head page 0x%" PRIx64, head);
	}
	f->head = head;
	f->flags = field(buf, k->page.size, k->page.flags);
	f->mapping = field(buf, k->page.size, k->page.mapping);
	f->index = field(buf, k->page.size, k->page.index);
	f->order = 0;
	large = tail || (k->pg.head >= 0 && (f->flags >> k->pg.head) & 1);
	if (tail && k->pg.head >= 0 && !((f->flags >> k->pg.head) & 1))
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "tail page 0x%" PRIx64 " points to 0x%" PRIx64
				     " which is not a head page",
				     page, head);
	if (large) {
		rc = pcs_folio_order(k, head, &f->order, err);
		if (rc)
			return rc;
	}
	f->nr_pages = 1ull << f->order;
	if ((page - head) / k->page.size >= f->nr_pages)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "page 0x%" PRIx64
				     " lies outside its order-%u folio 0x%" PRIx64,
				     page, f->order, head);
	return PCS_OK;
}

uint64_t pcs_folio_page(const struct pcs_kernel *k, const struct pcs_folio *f, uint64_t index)
{
	if (index < f->index || index - f->index >= f->nr_pages)
		return 0;
	return f->head + (index - f->index) * k->page.size;
}

struct folio_walk {
	const struct pcs_kernel *k;
	pcs_folio_fn fn;
	void *arg;
	uint64_t last_head;
	enum pcs_errcode rc;
	struct pcs_error *err;
};

static int folio_walk_entry(const struct pcs_xa_entry *e, void *arg)
{
	struct folio_walk *w = arg;
	struct pcs_folio f;

	if (e->kind != PCS_XA_POINTER)
		return 0;
	w->rc = pcs_folio_of_page(w->k, e->entry, &f, w->err);
	if (w->rc) {
		pcs_error_wrap(w->err, "index %" PRIu64, e->index);
		return 1;
	}
	if (f.head == w->last_head)
		return 0; /* the same folio stored again (5.1..5.16) or a later subpage (< 5.1) */
	w->last_head = f.head;
	return w->fn(&f, w->arg);
}

enum pcs_errcode pcs_folio_walk(const struct pcs_kernel *k, uint64_t root, pcs_folio_fn fn,
				void *arg, struct pcs_error *err)
{
	struct folio_walk w = {.k = k, .fn = fn, .arg = arg, .err = err};
	enum pcs_errcode rc = pcs_xa_walk(k, root, NULL, folio_walk_entry, &w, err);

	return rc ? rc : w.rc;
}
