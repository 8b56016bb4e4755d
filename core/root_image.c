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

#include "roots.h"

#define TEXT_MAX_BELOW	  (2ull << 20)
#define CHUNK		  65536
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

enum pcs_errcode pcs_root_end(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err)
{
	uint64_t lo, hi, sdata, voff, o_start, o_end, o_name, *w;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (t->arch != PCS_ARCH_ARM64 ||
	    pcs_vmcoreinfo_u64(t, "NUMBER(kimage_voffset)", &voff, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "_end: needs arm64 VMCOREINFO NUMBER(kimage_voffset)");
	if ((rc = pcs_symbol(t, "__init_end", &sdata, err)))
		return rc;
	if (pcs_member_offset(t, "resource", "start", &o_start, NULL) ||
	    pcs_member_offset(t, "resource", "end", &o_end, NULL) ||
	    pcs_member_offset(t, "resource", "name", &o_name, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM, "_end: no struct resource layout");
	if (!(w = malloc(CHUNK)))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	uint64_t pstart = sdata - voff;

	for (uint64_t a = sdata; a + CHUNK <= hi; a += CHUNK) {
		enum pcs_errcode rrc = pcs_read_paged(t, PCS_KVADDR, a, w, CHUNK, NULL);

		if (rrc == PCS_ERR_CORRUPT)
			break; /* a damaged dump: stop rather than read on through it */
		if (rrc)
			continue;
		for (size_t i = 0; i < CHUNK / 8; i++) {
			uint64_t res = a + 8 * i - o_start, pend;

			if (w[i] != pstart || !is_kernel_data(t, res, o_name) ||
			    pcs_read_u64(t, res + o_end, &pend, NULL) || pend < pstart)
				continue;
			free(w);
			*addr = pend + 1 + voff;
			if (*addr > hi)
				return pcs_error_set(err, PCS_ERR_NOSYM,
						     "_end: \"Kernel data\" ends past the image");
			return PCS_OK;
		}
	}
	free(w);
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "_end: no \"Kernel data\" resource starting at physical 0x%" PRIx64
			     " in the image's data",
			     pstart);
}
