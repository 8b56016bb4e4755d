// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's BTF blob located in dump memory by its structure (see btf_find.h). */
#include "btf_find.h"
#include "kscan.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BTF_MAGIC_LO 0x9f
#define BTF_MAGIC_HI 0xeb
#define BTF_HDR_LEN  24

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *pcs_btf_check_header(const void *hdr, size_t avail, struct pcs_btf_header *h,
				 int *magic_ok)
{
	const uint8_t *p = hdr;

	*magic_ok = 0;
	if (avail < BTF_HDR_LEN)
		return "shorter than a BTF header";
	if (p[0] != BTF_MAGIC_LO || p[1] != BTF_MAGIC_HI)
		return "no BTF magic 0xeB9F";
	if (p[2] != 1)
		return "BTF version is not 1";
	*magic_ok = 1;
	if (p[3] != 0)
		return "BTF flags are not 0";
	h->hdr_len = le32(p + 4);
	h->type_off = le32(p + 8);
	h->type_len = le32(p + 12);
	h->str_off = le32(p + 16);
	h->str_len = le32(p + 20);
	if (h->hdr_len != BTF_HDR_LEN)
		return "header length is not 24";
	if (h->type_off != 0 || h->type_off % 4 || h->type_len % 4)
		return "type section is not 4-byte aligned at the header's end";
	if (h->str_off != h->type_off + h->type_len)
		return "string section does not follow the type section";
	if (!h->type_len || !h->str_len)
		return "empty type or string section";
	h->total = (uint64_t)h->hdr_len + h->str_off + h->str_len;
	if (h->total > PCS_BTF_MAX_SIZE)
		return "larger than 256 MiB";
	return NULL;
}

const char *pcs_btf_check_blob(const void *blob, const struct pcs_btf_header *h)
{
	const char *s = (const char *)blob + h->hdr_len + h->str_off;

	if (s[0] != '\0')
		return "string section does not start with NUL";
	if (s[h->str_len - 1] != '\0')
		return "string section does not end with NUL";
	return NULL;
}

/* Read and check the whole blob at addr; PCS_OK, or *why set. */
static enum pcs_errcode take(const struct pcs_target *t, uint64_t addr,
			     const struct pcs_btf_header *h, void **blob, const char **why,
			     struct pcs_error *err)
{
	uint8_t *b = malloc(h->total);
	enum pcs_errcode rc;

	if (!b)
		return pcs_error_set(err, PCS_ERR_NOMEM,
				     "out of memory for %" PRIu64 " bytes of BTF", h->total);
	if ((rc = pcs_read_paged(t, PCS_KVADDR, addr, b, h->total, NULL))) {
		free(b);
		*why = "its sections are not all in the dump";
		return rc;
	}
	if ((*why = pcs_btf_check_blob(b, h))) {
		free(b);
		return PCS_ERR_CORRUPT;
	}
	*blob = b;
	return PCS_OK;
}

struct find_ctx {
	const struct pcs_target *t;
	void **blob;
	uint64_t addr, bad_at;
	uint32_t size;
	const char *bad_why;
	enum pcs_errcode rc; /* PCS_OK once found; NOMEM stops too */
	struct pcs_error *err;
};

static int find_chunk(void *vctx, uint64_t base, const uint8_t *buf, size_t len)
{
	struct find_ctx *c = vctx;

	for (const uint8_t *p = buf; p + BTF_HDR_LEN <= buf + len;) {
		p = memchr(p, BTF_MAGIC_LO, (size_t)(buf + len - p));
		if (!p || p + BTF_HDR_LEN > buf + len)
			break;
		struct pcs_btf_header h;
		int magic;
		const char *why = pcs_btf_check_header(p, BTF_HDR_LEN, &h, &magic);
		uint64_t at = base + (uint64_t)(p - buf);

		if (!why) {
			enum pcs_errcode rc = take(c->t, at, &h, c->blob, &why, c->err);

			if (rc == PCS_ERR_NOMEM || rc == PCS_OK) {
				c->rc = rc;
				c->addr = at;
				c->size = (uint32_t)h.total;
				return 1;
			}
		}
		/* a kernel BTF header: magic, version 1, flags 0, hdr_len 24 */
		if (magic && p[3] == 0 && le32(p + 4) == BTF_HDR_LEN && !c->bad_why) {
			c->bad_at = at;
			c->bad_why = why;
		}
		p++;
	}
	return 0;
}

enum pcs_errcode pcs_btf_find(const struct pcs_target *t, uint64_t lo, uint64_t hi, uint64_t *addr,
			      void **blob, uint32_t *size, struct pcs_error *err)
{
	struct find_ctx c = {.t = t, .blob = blob, .rc = PCS_ERR_NOTFOUND, .err = err};
	struct pcs_error se = {0};
	enum pcs_errcode rc;

	/* headers span chunks: carry all but one byte of a header */
	if ((rc = pcs_kscan(t, lo, hi, BTF_HDR_LEN - 1, find_chunk, &c, &se))) {
		if (rc == PCS_ERR_CORRUPT) /* a damaged dump: stop rather than read on */
			return pcs_error_set(err, rc, "searching the kernel image for its BTF: %s",
					     se.msg);
		return pcs_error_set(err, rc, "%s", se.msg);
	}
	if (c.rc == PCS_OK) {
		*addr = c.addr;
		*size = c.size;
	}
	if (c.rc != PCS_ERR_NOTFOUND)
		return c.rc;
	if (c.bad_why)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "the kernel's BTF in the dump at 0x%" PRIx64 " is corrupt: %s",
				     c.bad_at, c.bad_why);
	return pcs_error_set(err, PCS_ERR_NOTFOUND,
			     "no BTF blob in the kernel image 0x%" PRIx64 "-0x%" PRIx64, lo, hi);
}
