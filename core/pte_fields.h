/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Descriptor layouts as data: one row per field (name, bit range, where it
 * applies, which kernels give it that meaning, how to name its value).
 * Shared by the arm64 and x86_64 decoders; internal to core/.
 */
#ifndef PCS_PTE_FIELDS_H
#define PCS_PTE_FIELDS_H

#include <stddef.h>

#include "pte.h"

/* Where a row applies. */
#define PCS_PTE_ON_TABLE   (1u << 0) /* table (next-level) descriptors */
#define PCS_PTE_ON_LEAF	   (1u << 1) /* blocks, pages and Linux-present invalid leaves */
#define PCS_PTE_ON_INVALID (1u << 2) /* only invalid-but-present leaves (software meaning) */

enum pcs_pte_fmt {
	PCS_PTE_FMT_FLAG, /* one bit: set/clear text */
	PCS_PTE_FMT_ENUM, /* names[value] */
	PCS_PTE_FMT_HEX,  /* the value in hex */
	PCS_PTE_FMT_ARCH, /* named by the architecture's callback (AttrIndx, PKEY) */
};

struct pcs_pte_field_desc {
	const char *name;
	uint8_t lsb, msb;
	uint8_t on;		  /* PCS_PTE_ON_* mask */
	uint8_t fmt;		  /* enum pcs_pte_fmt */
	uint32_t cond;		  /* architecture conditions that must all hold (0: always) */
	uint32_t nocond;	  /* architecture conditions that must not hold */
	uint32_t since, until;	  /* kernel versions [since, until) with this meaning; 0: open */
	const char *set;	  /* FLAG: text when 1 */
	const char *clear;	  /* FLAG: text when 0 */
	const char *const *names; /* ENUM: text per value */
};

/*
 * Row constructors, so that a table reads like the architecture manual:
 *	FLAG(name, bit, where, text when set, text when clear)
 *	FLAG_IF(name, bit, where, cond, text when set): only when cond holds
 *	FLAG_KV(name, bit, where, since, until, text when set, text when clear):
 *		a meaning only kernels [since, until) give the bit
 *	ENUM(name, lsb, msb, where, unless, names): hidden when unless holds
 *	HEX(name, lsb, msb, where, cond, since): value in hex
 *	ARCH(name, lsb, msb, where): named by the architecture's callback
 */
#define PCS_PTE_ROW(n, lo, hi, where, fmt_, cond_, nocond_, since_, until_, set_, clear_, names_)  \
	{                                                                                          \
		.name = (n), .lsb = (lo), .msb = (hi), .on = (where), .fmt = (fmt_),               \
		.cond = (cond_), .nocond = (nocond_), .since = (since_), .until = (until_),        \
		.set = (set_), .clear = (clear_), .names = (names_)                                \
	}
#define PCS_PTE_FLAG(n, bit, where, set_, clear_)                                                  \
	PCS_PTE_ROW(n, bit, bit, where, PCS_PTE_FMT_FLAG, 0, 0, 0, 0, set_, clear_, NULL)
#define PCS_PTE_FLAG_IF(n, bit, where, cond_, set_)                                                \
	PCS_PTE_ROW(n, bit, bit, where, PCS_PTE_FMT_FLAG, cond_, 0, 0, 0, set_, "", NULL)
#define PCS_PTE_FLAG_KV(n, bit, where, since_, until_, set_, clear_)                               \
	PCS_PTE_ROW(n, bit, bit, where, PCS_PTE_FMT_FLAG, 0, 0, since_, until_, set_, clear_, NULL)
#define PCS_PTE_ENUM(n, lo, hi, where, nocond_, names_)                                            \
	PCS_PTE_ROW(n, lo, hi, where, PCS_PTE_FMT_ENUM, 0, nocond_, 0, 0, NULL, NULL, names_)
#define PCS_PTE_HEX(n, lo, hi, where, cond_, since_)                                               \
	PCS_PTE_ROW(n, lo, hi, where, PCS_PTE_FMT_HEX, cond_, 0, since_, 0, NULL, NULL, NULL)
#define PCS_PTE_ARCH(n, lo, hi, where)                                                             \
	PCS_PTE_ROW(n, lo, hi, where, PCS_PTE_FMT_ARCH, 0, 0, 0, 0, NULL, NULL, NULL)

struct pcs_pte_fields_ctx {
	unsigned int on;	 /* the PCS_PTE_ON_* bit of the descriptor being decoded */
	uint32_t cond;		 /* architecture conditions that hold */
	uint32_t kernel_version; /* 0: unknown, the newest meaning applies */
	void (*arch_text)(const struct pcs_pte_field_desc *f, uint64_t value, char *buf, size_t len,
			  const void *arg);
	const void *arg;
};

/* Append every applicable row of tab to d->fields. */
void pcs_pte_fields_apply(const struct pcs_pte_field_desc *tab, size_t n,
			  const struct pcs_pte_fields_ctx *ctx, uint64_t raw,
			  struct pcs_pte_decode *d);

/* Append one field with printf-style text. Silently drops past PCS_PTE_MAX_FIELDS. */
void pcs_pte_field_add(struct pcs_pte_decode *d, const char *name, unsigned int lsb,
		       unsigned int msb, uint64_t value, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Bits msb..lsb of v, shifted down. */
static inline uint64_t pcs_pte_bits(uint64_t v, unsigned int lsb, unsigned int msb)
{
	unsigned int w = msb - lsb + 1;

	return w >= 64 ? v >> lsb : (v >> lsb) & ((UINT64_C(1) << w) - 1);
}

/* Mask of bits msb..lsb. */
static inline uint64_t pcs_pte_mask(unsigned int lsb, unsigned int msb)
{
	return (msb >= 63 ? ~UINT64_C(0) : (UINT64_C(1) << (msb + 1)) - 1) &
	       ~((UINT64_C(1) << lsb) - 1);
}

/* Is kernel_version inside [since, until)? 0 (unknown) counts as the newest kernel. */
int pcs_pte_version_in(uint32_t kernel_version, uint32_t since, uint32_t until);

/* Append ", text" (or text when buf is empty) to buf, bounded. */
void pcs_pte_verdict_add(char *buf, size_t len, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * End a walk at a level whose entry maps nothing (or something the MMU
 * rejects): set w->verdict and err to "pmd not present: pmd[3] = 0x0" and
 * return PCS_ERR_NOTFOUND.
 */
enum pcs_errcode pcs_pte_walk_stopped(struct pcs_pte_walk *w, const struct pcs_pte_walk_level *lv,
				      struct pcs_error *err);

/* End a walk at a block or page: fill paddr, page_size, mapped, verdict. */
void pcs_pte_walk_mapped(struct pcs_pte_walk *w, const struct pcs_pte_walk_level *lv);

#endif /* PCS_PTE_FIELDS_H */
