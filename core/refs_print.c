// SPDX-License-Identifier: GPL-2.0-or-later
/* The reference report, as text and as JSON (core/jsonw.h), for both front ends. */
#include "refs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

/* Children of each ref (holders), in index order: first[i], next[i]. */
struct tree {
	size_t *first, *next;
};

static bool tree_build(const struct pcs_refs *r, struct tree *t)
{
	size_t n = r->n ? r->n : 1, *last;

	t->first = malloc(n * sizeof(size_t));
	t->next = malloc(n * sizeof(size_t));
	last = malloc(n * sizeof(size_t));
	if (!t->first || !t->next || !last) {
		free(t->first);
		free(t->next);
		free(last);
		return false;
	}
	for (size_t i = 0; i < r->n; i++)
		t->first[i] = t->next[i] = last[i] = PCS_REF_ROOT;
	for (size_t i = 0; i < r->n; i++) {
		size_t p = r->v[i].parent;

		if (p == PCS_REF_ROOT || p >= r->n)
			continue;
		if (t->first[p] == PCS_REF_ROOT)
			t->first[p] = i;
		else
			t->next[last[p]] = i;
		last[p] = i;
	}
	free(last);
	return true;
}

static void tree_free(struct tree *t)
{
	free(t->first);
	free(t->next);
}

/* The word's address as its owner maps it (module, stack, vmalloc ...), else linear map. */
static uint64_t word_vaddr(const struct pcs_ref *ref)
{
	return ref->owner.vaddr ? ref->owner.vaddr : ref->vaddr;
}

/* --- text ------------------------------------------------------------------------------------- */

static void text_ref(const struct pcs_refs *r, const struct tree *t, size_t i, unsigned int indent,
		     FILE *fp)
{
	const struct pcs_ref *ref = &r->v[i];
	char desc[512];

	pcs_owner_describe(&ref->owner, desc, sizeof(desc));
	fprintf(fp, "%*s%s%s\n", (int)indent, "", ref->level > 1 ? "<- held by " : "", desc);
	fprintf(fp, "%*s   word 0x%" PRIx64 " (paddr 0x%" PRIx64 ") = 0x%" PRIx64 " [%s]\n",
		(int)indent, "", word_vaddr(ref), ref->paddr, ref->value,
		pcs_ref_via_name(ref->via));
	if (ref->owner.kind != PCS_OWNER_SLAB && ref->owner.why[0])
		fprintf(fp, "%*s   (%s)\n", (int)indent, "", ref->owner.why);
	if (ref->owner.kind == PCS_OWNER_SLAB && ref->owner.slab.state == PCS_OBJ_UNKNOWN &&
	    ref->owner.slab.why[0])
		fprintf(fp, "%*s   (state unknown: %s)\n", (int)indent, "", ref->owner.slab.why);
	if (ref->same_object != PCS_REF_ROOT && ref->same_object < r->n)
		fprintf(fp,
			"%*s   (same object as the word at paddr 0x%" PRIx64
			": its holders are listed there)\n",
			(int)indent, "", r->v[ref->same_object].paddr);
	for (size_t c = t->first[i]; c != PCS_REF_ROOT; c = t->next[c])
		text_ref(r, t, c, indent + 4, fp);
}

void pcs_refs_print_text(const struct pcs_refs *r, FILE *fp)
{
	const struct pcs_refs_summary *s = &r->sum;
	struct tree t;

	fprintf(fp,
		"refs to pfn 0x%" PRIx64 ": paddr 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
		" bytes), linear map 0x%" PRIx64 ", struct page 0x%" PRIx64,
		r->pfn, r->paddr, r->paddr + r->len - 1, r->len, r->lm_vaddr, r->struct_page);
	if (r->folio)
		fprintf(fp, ", folio 0x%" PRIx64, r->folio);
	if (r->image_vaddr)
		fprintf(fp, ", kernel image 0x%" PRIx64, r->image_vaddr);
	fprintf(fp, "\n\n");
	if (!tree_build(r, &t)) {
		fprintf(fp, "out of memory\n");
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].parent == PCS_REF_ROOT) {
			text_ref(r, &t, i, 0, fp);
			fputc('\n', fp);
		}
	tree_free(&t);
	if (!s->hits)
		fprintf(fp, "no reference found\n");
	fprintf(fp, "%" PRIu64 " reference%s", s->hits, s->hits == 1 ? "" : "s");
	if (r->depth > 1)
		fprintf(fp, ", %" PRIu64 " holder%s (depth %u)", s->holders,
			s->holders == 1 ? "" : "s", r->depth);
	fprintf(fp, "; %" PRIu64 " pages searched in %u pass%s", s->pages_searched, s->passes,
		s->passes == 1 ? "" : "es");
	if (s->self_refs)
		fprintf(fp, "; %" PRIu64 " self reference%s not shown", s->self_refs,
			s->self_refs == 1 ? "" : "s");
	fprintf(fp, "\n");
	if (s->pages_not_in_dump)
		fprintf(fp, "%" PRIu64 " pages not in the dump were not searched\n",
			s->pages_not_in_dump);
	if (s->pages_unreadable)
		fprintf(fp, "%" PRIu64 " pages could not be read\n", s->pages_unreadable);
	if (s->truncated)
		fprintf(fp, "WARNING: more than %zu hits at one level: the list is cut short\n",
			r->limit);
}

/* --- JSON ------------------------------------------------------------------------------------- */

static void json_owner(struct pcs_jsonw *w, const struct pcs_owner *o)
{
	const struct pcs_slab_object *s = &o->slab;

	switch (o->kind) {
	case PCS_OWNER_SLAB:
		if (s->cache) {
			pcs_jsonw_string(w, "cache", s->cache_name);
			pcs_jsonw_addr(w, "kmem_cache", s->cache);
			pcs_jsonw_addr(w, "slab", s->slab);
		}
		if (s->cache && s->in_object) {
			pcs_jsonw_addr(w, "object", s->object);
			pcs_jsonw_u64(w, "object_size", s->object_size);
			pcs_jsonw_i64(w, "offset", s->offset);
			pcs_jsonw_string(w, "state", pcs_obj_state_name(s->state));
			if (s->state == PCS_OBJ_UNKNOWN && s->why[0])
				pcs_jsonw_string(w, "state_why", s->why);
		}
		break;
	case PCS_OWNER_MODULE:
		pcs_jsonw_string(w, "module", o->module);
		pcs_jsonw_string(w, "section", o->section);
		pcs_jsonw_i64(w, "section_offset", (int64_t)o->offset);
		if (o->symbol[0])
			pcs_jsonw_string(w, "symbol", o->symbol);
		break;
	case PCS_OWNER_KERNEL:
		if (o->symbol[0])
			pcs_jsonw_string(w, "symbol", o->symbol);
		break;
	case PCS_OWNER_STACK:
		pcs_jsonw_u64(w, "pid", o->pid);
		pcs_jsonw_string(w, "comm", o->comm);
		pcs_jsonw_addr(w, "task", o->task);
		pcs_jsonw_i64(w, "offset", (int64_t)o->offset);
		break;
	case PCS_OWNER_PGTABLE:
		if (o->mm[0])
			pcs_jsonw_string(w, "mm", o->mm);
		break;
	case PCS_OWNER_MEMMAP:
		pcs_jsonw_u64(w, "described_pfn", o->described_pfn);
		pcs_jsonw_i64(w, "offset", (int64_t)o->offset);
		break;
	case PCS_OWNER_VMALLOC:
		pcs_jsonw_addr(w, "area_start", o->area_start);
		pcs_jsonw_addr(w, "area_end", o->area_end);
		pcs_jsonw_i64(w, "offset", (int64_t)o->offset);
		if (o->symbol[0])
			pcs_jsonw_string(w, "symbol", o->symbol);
		break;
	case PCS_OWNER_PAGECACHE:
		if (o->path[0])
			pcs_jsonw_string(w, "path", o->path);
		pcs_jsonw_addr(w, "inode", o->inode);
		pcs_jsonw_addr(w, "mapping", o->mapping);
		pcs_jsonw_u64(w, "index", o->index);
		pcs_jsonw_i64(w, "offset", (int64_t)o->offset);
		break;
	case PCS_OWNER_ANON: pcs_jsonw_u64(w, "index", o->index); break;
	default: break;
	}
	if (o->flags_read && o->kind != PCS_OWNER_SLAB) {
		pcs_jsonw_addr(w, "flags", o->flags);
		pcs_jsonw_string(w, "flag_names", o->flag_names);
	}
	if (o->why[0])
		pcs_jsonw_string(w, "why", o->why);
}

static void json_ref(struct pcs_jsonw *w, const struct pcs_refs *r, const struct tree *t, size_t i)
{
	const struct pcs_ref *ref = &r->v[i];
	char desc[512];

	pcs_owner_describe(&ref->owner, desc, sizeof(desc));
	pcs_jsonw_begin_object(w, NULL);
	pcs_jsonw_string(w, "kind", pcs_owner_kind_name(ref->owner.kind));
	pcs_jsonw_addr(w, "paddr", ref->paddr);
	if (ref->vaddr)
		pcs_jsonw_addr(w, "vaddr", ref->vaddr);
	if (ref->owner.vaddr && ref->owner.vaddr != ref->vaddr)
		pcs_jsonw_addr(w, "owner_vaddr", ref->owner.vaddr);
	pcs_jsonw_addr(w, "value", ref->value);
	pcs_jsonw_string(w, "via", pcs_ref_via_name(ref->via));
	pcs_jsonw_addr(w, "target", ref->target);
	pcs_jsonw_u64(w, "level", ref->level);
	pcs_jsonw_u64(w, "pfn", ref->owner.pfn);
	json_owner(w, &ref->owner);
	pcs_jsonw_string(w, "description", desc);
	if (ref->same_object != PCS_REF_ROOT && ref->same_object < r->n)
		pcs_jsonw_addr(w, "same_object_as", r->v[ref->same_object].paddr);
	if (t->first[i] != PCS_REF_ROOT) {
		pcs_jsonw_begin_array(w, "holders");
		for (size_t c = t->first[i]; c != PCS_REF_ROOT; c = t->next[c])
			json_ref(w, r, t, c);
		pcs_jsonw_end_array(w);
	}
	pcs_jsonw_end_object(w);
}

void pcs_refs_print_json(const struct pcs_refs *r, FILE *fp)
{
	const struct pcs_refs_summary *s = &r->sum;
	struct pcs_jsonw w;
	struct tree t;
	bool ok = tree_build(r, &t);

	pcs_jsonw_init(&w, fp);
	pcs_jsonw_begin_object(&w, NULL);
	pcs_jsonw_begin_object(&w, "range");
	pcs_jsonw_addr(&w, "paddr", r->paddr);
	pcs_jsonw_u64(&w, "len", r->len);
	pcs_jsonw_u64(&w, "pfn", r->pfn);
	pcs_jsonw_addr(&w, "vaddr", r->lm_vaddr);
	pcs_jsonw_addr(&w, "struct_page", r->struct_page);
	if (r->folio)
		pcs_jsonw_addr(&w, "folio", r->folio);
	if (r->image_vaddr)
		pcs_jsonw_addr(&w, "image_vaddr", r->image_vaddr);
	pcs_jsonw_end_object(&w);
	pcs_jsonw_u64(&w, "depth", r->depth);
	pcs_jsonw_begin_array(&w, "refs");
	for (size_t i = 0; ok && i < r->n; i++)
		if (r->v[i].parent == PCS_REF_ROOT)
			json_ref(&w, r, &t, i);
	pcs_jsonw_end_array(&w);
	pcs_jsonw_begin_object(&w, "summary");
	pcs_jsonw_u64(&w, "sections", s->sections);
	pcs_jsonw_u64(&w, "pages_searched", s->pages_searched);
	pcs_jsonw_u64(&w, "pages_not_in_dump", s->pages_not_in_dump);
	pcs_jsonw_u64(&w, "pages_unreadable", s->pages_unreadable);
	pcs_jsonw_u64(&w, "passes", s->passes);
	pcs_jsonw_u64(&w, "hits", s->hits);
	pcs_jsonw_u64(&w, "holders", s->holders);
	pcs_jsonw_u64(&w, "self_references", s->self_refs);
	pcs_jsonw_bool(&w, "truncated", s->truncated);
	pcs_jsonw_end_object(&w);
	pcs_jsonw_end_object(&w);
	if (ok)
		tree_free(&t);
}
