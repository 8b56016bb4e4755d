// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Architecture-neutral part of the page-table code: the field-table engine
 * shared by the decoders, and the entry points that pick the architecture.
 */
#include "pte.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arm64_pgtable.h"
#include "arm64_pte.h"
#include "pte_fields.h"
#include "pte_walker.h"
#include "x86_64_pgtable.h"
#include "x86_64_pte.h"

const struct pcs_pte_field *pcs_pte_field(const struct pcs_pte_decode *d, const char *name)
{
	for (unsigned int i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return &d->fields[i];
	return NULL;
}

const char *pcs_pte_kind_name(enum pcs_pte_kind kind)
{
	switch (kind) {
	case PCS_PTE_NONE: return "none";
	case PCS_PTE_INVALID: return "invalid";
	case PCS_PTE_PRESENT_INVALID: return "present-invalid";
	case PCS_PTE_RESERVED: return "reserved";
	case PCS_PTE_TABLE: return "table";
	case PCS_PTE_BLOCK: return "block";
	case PCS_PTE_PAGE: return "page";
	}
	return "?";
}

const char *pcs_pte_size_name(uint64_t size, char *buf, unsigned int len)
{
	static const char units[] = "KMGTP";
	unsigned int u = 0;

	if (!size || (size & 1023)) {
		snprintf(buf, len, "%" PRIu64 "B", size);
		return buf;
	}
	size >>= 10;
	while (u + 1 < sizeof(units) - 1 && size >= 1024 && !(size & 1023)) {
		size >>= 10;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 "%c", size, units[u]);
	return buf;
}

int pcs_pte_version_in(uint32_t kernel_version, uint32_t since, uint32_t until)
{
	uint32_t v = kernel_version ? kernel_version : UINT32_MAX;

	return v >= since && (!until || v < until);
}

void pcs_pte_verdict_add(char *buf, size_t len, const char *sep, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	if (used) {
		snprintf(buf + used, len - used, "%s", sep);
		used = strnlen(buf, len);
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

void pcs_pte_field_add(struct pcs_pte_decode *d, const char *name, unsigned int lsb,
		       unsigned int msb, uint64_t value, const char *fmt, ...)
{
	struct pcs_pte_field *f;
	va_list ap;

	if (d->nfields >= PCS_PTE_MAX_FIELDS)
		return;
	f = &d->fields[d->nfields++];
	f->name = name;
	f->lsb = lsb;
	f->msb = msb;
	f->value = value;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

void pcs_pte_fields_apply(const struct pcs_pte_field_desc *tab, size_t n,
			  const struct pcs_pte_fields_ctx *ctx, uint64_t raw,
			  struct pcs_pte_decode *d)
{
	for (size_t i = 0; i < n; i++) {
		const struct pcs_pte_field_desc *f = &tab[i];
		uint64_t v = pcs_pte_bits(raw, f->lsb, f->msb);
		char text[64] = "";

		if (!(f->on & ctx->on))
			continue;
		if ((f->cond & ctx->cond) != f->cond || (f->nocond & ctx->cond))
			continue;
		if (!pcs_pte_version_in(ctx->kernel_version, f->since, f->until))
			continue;
		switch (f->fmt) {
		case PCS_PTE_FMT_FLAG:
			snprintf(text, sizeof(text), "%s", v ? f->set : (f->clear ? f->clear : ""));
			break;
		case PCS_PTE_FMT_ENUM: snprintf(text, sizeof(text), "%s", f->names[v]); break;
		case PCS_PTE_FMT_HEX: snprintf(text, sizeof(text), "0x%" PRIx64, v); break;
		case PCS_PTE_FMT_ARCH:
			if (ctx->arch_text)
				ctx->arch_text(f, v, text, sizeof(text), ctx->arg);
			break;
		}
		pcs_pte_field_add(d, f->name, f->lsb, f->msb, v, "%s", text);
	}
}

enum pcs_errcode pcs_pte_decode_value(enum pcs_arch arch, uint64_t raw, const char *level_name,
				      uint32_t page_size, uint32_t kernel_version,
				      struct pcs_pte_decode *out, struct pcs_error *err)
{
	const char *name = level_name ? level_name : "pte";

	switch (arch) {
	case PCS_ARCH_ARM64: {
		struct pcs_arm64_fmt f;
		int level;
		enum pcs_errcode rc;

		rc = pcs_arm64_fmt_default(page_size ? page_size : 4096, kernel_version, &f, err);
		if (rc)
			return rc;
		rc = pcs_arm64_level_by_name(&f, name, &level, err);
		if (rc)
			return rc;
		return pcs_arm64_pte_decode(&f, raw, level, out, err);
	}
	case PCS_ARCH_X86_64: {
		int level = pcs_x86_64_level_by_name(name, true);

		if (level < 0)
			return pcs_error_set(
			    err, PCS_ERR_INVAL,
			    "x86_64 has no page-table level \"%s\" (pgd, p4d, pud, pmd, pte)",
			    name);
		return pcs_x86_64_pte_decode(raw, level, true, kernel_version, out, err);
	}
	default:
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "decoding %s page-table entries",
				     pcs_arch_name(arch));
	}
}

enum pcs_errcode pcs_pte_walker_init(struct pcs_pte_walker *pw, const struct pcs_target *t,
				     struct pcs_error *err)
{
	memset(pw, 0, sizeof(*pw));
	pw->t = t;
	pw->arch = t->arch;
	switch (t->arch) {
	case PCS_ARCH_ARM64: return pcs_arm64_layout_read(t, &pw->l.arm64, err);
	case PCS_ARCH_X86_64: return pcs_x86_64_layout_read(t, &pw->l.x86_64, err);
	default:
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "walking %s page tables",
				     pcs_arch_name(t->arch));
	}
}

enum pcs_errcode pcs_pte_walker_walk(const struct pcs_pte_walker *pw, uint64_t mm, uint64_t vaddr,
				     struct pcs_pte_walk *w, struct pcs_error *err)
{
	switch (pw->arch) {
	case PCS_ARCH_ARM64: return pcs_arm64_walk_mm(pw->t, &pw->l.arm64, mm, vaddr, w, err);
	case PCS_ARCH_X86_64: return pcs_x86_64_walk_mm(pw->t, &pw->l.x86_64, mm, vaddr, w, err);
	default:
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "walking %s page tables",
				     pcs_arch_name(pw->arch));
	}
}

enum pcs_errcode pcs_pte_walker_translate(const struct pcs_pte_walker *pw, uint64_t vaddr,
					  uint64_t *paddr, struct pcs_error *err)
{
	struct pcs_pte_walk w;
	enum pcs_errcode rc = pcs_pte_walker_walk(pw, 0, vaddr, &w, err);

	if (rc)
		return rc;
	*paddr = w.paddr;
	return PCS_OK;
}

enum pcs_errcode pcs_pte_walker_kvtop(const struct pcs_pte_walker *pw, uint64_t vaddr,
				      uint64_t *paddr, uint64_t *base_vaddr, uint64_t *base_paddr,
				      uint64_t *span, struct pcs_error *err)
{
	const struct pcs_arm64_layout *a = &pw->l.arm64;
	struct pcs_pte_walk w;
	enum pcs_errcode rc;

	if (pw->arch == PCS_ARCH_ARM64 && a->have_linear && a->linear_size &&
	    vaddr - a->page_offset < a->linear_size) {
		*base_vaddr = a->page_offset;
		*base_paddr = a->phys_offset;
		*span = a->linear_size;
		*paddr = vaddr - a->page_offset + a->phys_offset;
		return PCS_OK;
	}
	struct pcs_pte_walker brief = *pw; /* translation only: no descriptor fields */

	brief.l.arm64.kfmt.brief = pw->arch == PCS_ARCH_ARM64;
	if ((rc = pcs_pte_walker_walk(pw->arch == PCS_ARCH_ARM64 ? &brief : pw, 0, vaddr, &w, err)))
		return rc;
	*paddr = w.paddr;
	*span = w.page_size ? w.page_size : 1;
	*base_vaddr = vaddr & ~(*span - 1);
	*base_paddr = w.paddr - (vaddr - *base_vaddr);
	return PCS_OK;
}

enum pcs_errcode pcs_pte_walk(const struct pcs_target *t, uint64_t mm, uint64_t vaddr,
			      struct pcs_pte_walk *w, struct pcs_error *err)
{
	struct pcs_pte_walker pw;
	enum pcs_errcode rc = pcs_pte_walker_init(&pw, t, err);

	if (rc)
		return rc;
	return pcs_pte_walker_walk(&pw, mm, vaddr, w, err);
}

enum pcs_errcode pcs_pte_translate(const struct pcs_target *t, uint64_t vaddr, uint64_t *paddr,
				   struct pcs_error *err)
{
	struct pcs_pte_walker pw;
	enum pcs_errcode rc = pcs_pte_walker_init(&pw, t, err);

	if (rc)
		return rc;
	return pcs_pte_walker_translate(&pw, vaddr, paddr, err);
}

enum pcs_errcode pcs_pte_walk_stopped(struct pcs_pte_walk *w, const struct pcs_pte_walk_level *lv,
				      struct pcs_error *err)
{
	const struct pcs_pte_decode *d = &lv->d;
	const char *n = d->level_name;

	switch (d->kind) {
	case PCS_PTE_PRESENT_INVALID:
		snprintf(w->verdict, sizeof(w->verdict),
			 "%s present but invalid to the MMU: %s[%u] = 0x%" PRIx64 " (%.150s)", n, n,
			 lv->index, d->raw, d->verdict);
		w->paddr = d->oa | (w->vaddr & (d->size - 1));
		w->page_size = d->size;
		break;
	case PCS_PTE_RESERVED:
		snprintf(w->verdict, sizeof(w->verdict), "bad %s: %s[%u] = 0x%" PRIx64 " (%.150s)",
			 n, n, lv->index, d->raw, d->verdict);
		break;
	default:
		snprintf(w->verdict, sizeof(w->verdict), "%s not present: %s[%u] = 0x%" PRIx64, n,
			 n, lv->index, d->raw);
		break;
	}
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "%s", w->verdict);
}

/* Apply the limits the table levels above the leaf put on it. */
static void pte_walk_effective(struct pcs_pte_walk *w, const struct pcs_pte_decode *leaf)
{
	w->writable = leaf->writable;
	w->user = leaf->user;
	w->kernel_exec = leaf->kernel_exec;
	w->user_exec = leaf->user_exec;
	for (unsigned int i = 0; i + 1 < w->nlevels; i++) {
		uint64_t raw = w->lv[i].d.raw;

		if (w->arch == PCS_ARCH_ARM64) {
			w->writable &= !(raw >> 62 & 1);    /* APTable[1] */
			w->user &= !(raw >> 61 & 1);	    /* APTable[0] */
			w->kernel_exec &= !(raw >> 59 & 1); /* PXNTable */
			w->user_exec &= !(raw >> 60 & 1);   /* UXNTable */
		} else {
			w->writable &= raw >> 1 & 1; /* RW */
			w->user &= raw >> 2 & 1;     /* US */
			w->user_exec &= (raw >> 2 & 1) && !(raw >> 63);
			w->kernel_exec &= !(raw >> 63); /* NX */
		}
	}
	if (w->writable == leaf->writable && w->user == leaf->user &&
	    w->kernel_exec == leaf->kernel_exec && w->user_exec == leaf->user_exec)
		return;
	pcs_pte_verdict_add(
	    w->verdict, sizeof(w->verdict), "; ", "table bits limit it to %s %s, %s",
	    w->user ? "user" : "kernel", w->writable ? "read-write" : "read-only",
	    (w->user ? w->user_exec : w->kernel_exec) ? "executable" : "non-executable");
}

void pcs_pte_walk_mapped(struct pcs_pte_walk *w, const struct pcs_pte_walk_level *lv)
{
	w->mapped = true;
	w->page_size = lv->d.size;
	w->paddr = lv->d.oa | (w->vaddr & (lv->d.size - 1));
	snprintf(w->verdict, sizeof(w->verdict), "%s", lv->d.verdict);
	pte_walk_effective(w, &lv->d);
}
