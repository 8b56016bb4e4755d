// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel image's own bounds when kallsyms lacks them (arm64, KALLSYMS_ALL=n):
 *  - _text: arm64 links the image at KIMAGE_VADDR, which is MODULES_END, and
 *    KASLR moves it by KERNELOFFSET: _text = NUMBER(MODULES_END) + KERNELOFFSET,
 *    checked to be page-aligned and at most 2 MiB below SYMBOL(_stext); kernels
 *    before 5.12 lack MODULES_END: there the arm64 Image header marks _text.
 *  - __init_end: the init sections end where .data starts, and .data starts with
 *    init_stack (INIT_TASK_DATA), which is init_task.stack.
 *  - _end: arm64 registers the image's data as the iomem resource "Kernel data",
 *    [__pa(_sdata), __pa(_end) - 1] (request_standard_resources); that struct
 *    resource is static in the image's .data, found there by its start (the
 *    physical address of init_stack, = _sdata) and its name.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kscan.h"
#include "roots.h"

#define TEXT_MAX_BELOW	  (2ull << 20)
#define ARM64_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" */

/*
 * Before 5.12 arm64 VMCOREINFO has no MODULES_END: _text is where the arm64 Image
 * header (Documentation/arm64/booting.rst) starts, the first thing in the image:
 * magic "ARM\x64" at +56, its image_size (_end - _text) reaching past _stext.
 * Searched page by page at most 2 MiB below _stext.
 */
static enum pcs_errcode text_by_image_header(const struct pcs_target *t, uint64_t stext,
					     uint64_t ps, uint64_t *addr)
{
	for (uint64_t a = stext & ~(ps - 1); stext - a <= TEXT_MAX_BELOW; a -= ps) {
		uint8_t h[64];
		uint32_t magic;
		uint64_t size;

		if (pcs_read(t, PCS_KVADDR, a, h, sizeof(h), NULL))
			continue;
		memcpy(&magic, h + 56, 4);
		memcpy(&size, h + 16, 8);
		if (magic == ARM64_IMAGE_MAGIC && size > stext - a && size <= PCS_IMAGE_MAX) {
			*addr = a;
			return PCS_OK;
		}
	}
	return PCS_ERR_NOSYM;
}

enum pcs_errcode pcs_root_text(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err)
{
	uint64_t mend, koff, stext, ps = t->page_size ? t->page_size : 4096;

	if (t->arch != PCS_ARCH_ARM64 || pcs_vmcoreinfo_u64(t, "SYMBOL(_stext)", &stext, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "_text: needs arm64 VMCOREINFO SYMBOL(_stext)");
	if (pcs_vmcoreinfo_u64(t, "NUMBER(MODULES_END)", &mend, NULL) ||
	    pcs_vmcoreinfo_u64(t, "KERNELOFFSET", &koff, NULL)) {
		if (text_by_image_header(t, stext, ps, addr) == PCS_OK)
			return PCS_OK;
		return pcs_error_set(
		    err, PCS_ERR_NOSYM,
		    "_text: no VMCOREINFO NUMBER(MODULES_END) + KERNELOFFSET and no arm64 "
		    "Image header within 2 MiB below _stext 0x%" PRIx64,
		    stext);
	}
	*addr = mend + koff;
	if (*addr % ps || *addr > stext || stext - *addr > TEXT_MAX_BELOW)
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "_text: MODULES_END + KERNELOFFSET = 0x%" PRIx64
				     " is not just below _stext 0x%" PRIx64,
				     *addr, stext);
	return PCS_OK;
}

enum pcs_errcode pcs_root_init_end(const struct pcs_target *t, uint64_t *addr,
				   struct pcs_error *err)
{
	uint64_t task, o_stack, stack, ib, ps = t->page_size ? t->page_size : 4096;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "init_task", &task, err)))
		return rc;
	if (pcs_member_offset(t, "task_struct", "stack", &o_stack, NULL) ||
	    pcs_read_u64(t, task + o_stack, &stack, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM, "__init_end: init_task.stack unreadable");
	if (pcs_symbol(t, "__init_begin", &ib, NULL) || stack % ps || stack <= ib || stack >= task)
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "__init_end: init_stack 0x%" PRIx64
				     " is not a page boundary between __init_begin and init_task",
				     stack);
	*addr = stack;
	return PCS_OK;
}

static bool is_kernel_data(const struct pcs_target *t, uint64_t res, uint64_t o_name)
{
	uint64_t name;
	char s[16] = {0};

	return pcs_read_u64(t, res + o_name, &name, NULL) == PCS_OK &&
	       pcs_read(t, PCS_KVADDR, name, s, 12, NULL) == PCS_OK &&
	       memcmp(s, "Kernel data", 12) == 0;
}

struct end_scan {
	const struct pcs_target *t;
	uint64_t pstart, o_start, o_end, o_name;
	uint64_t pend; /* the resource's end, when found */
	bool found;
};

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int end_chunk(void *vctx, uint64_t base, const uint8_t *buf, size_t len)
{
	struct end_scan *c = vctx;

	for (size_t o = (size_t)((8 - base % 8) % 8); o + 8 <= len; o += 8) {
		uint64_t res = base + o - c->o_start, start;

		if (le64(buf + o) != c->pstart)
			continue;
		/* the start again, read as evidence (the scan's read is not) */
		if (pcs_read_u64(c->t, res + c->o_start, &start, NULL) || start != c->pstart ||
		    !is_kernel_data(c->t, res, c->o_name) ||
		    pcs_read_u64(c->t, res + c->o_end, &c->pend, NULL) || c->pend < c->pstart)
			continue;
		c->found = true;
		return 1;
	}
	return 0;
}

enum pcs_errcode pcs_root_end(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err)
{
	struct end_scan c = {.t = t};
	uint64_t lo, hi, sdata, voff;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (t->arch != PCS_ARCH_ARM64 ||
	    pcs_vmcoreinfo_u64(t, "NUMBER(kimage_voffset)", &voff, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "_end: needs arm64 VMCOREINFO NUMBER(kimage_voffset)");
	if ((rc = pcs_symbol(t, "__init_end", &sdata, err)))
		return rc;
	if (pcs_member_offset(t, "resource", "start", &c.o_start, NULL) ||
	    pcs_member_offset(t, "resource", "end", &c.o_end, NULL) ||
	    pcs_member_offset(t, "resource", "name", &c.o_name, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM, "_end: no struct resource layout");
	c.pstart = sdata - voff;
	/* a corrupt page ends the scan (not found): reading on through it is unsafe */
	rc = pcs_kscan(t, sdata, hi, 7, end_chunk, &c, NULL);
	if (rc == PCS_ERR_NOMEM)
		return pcs_error_set(err, rc, "out of memory");
	if (c.found) {
		*addr = c.pend + 1 + voff;
		if (*addr > hi)
			return pcs_error_set(err, PCS_ERR_NOSYM,
					     "_end: \"Kernel data\" ends past the image");
		return PCS_OK;
	}
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "_end: no \"Kernel data\" resource starting at physical 0x%" PRIx64
			     " in the image's data",
			     c.pstart);
}
