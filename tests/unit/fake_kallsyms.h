/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic kallsyms tables for the unit tests and fuzz harnesses of
 * core/kallsyms.c and core/kallsyms_find.c, written into a byte buffer (the
 * backing memory of a fake target, or a fuzz input).
 *
 * fake_ksym_small(): the five-symbol tables VMCOREINFO points to (6.0+), at fixed
 * offsets: token table +0x1000, token index +0x2000, names +0x3000, offsets
 * +0x4000, relative base +0x5000, symbol count +0x5008; 0x5010 bytes.
 *
 * fake_ksym_image(): the pre-6.0 layout of scripts/kallsyms.c (64-bit, every
 * label 8-aligned): offsets (or addresses), relative_base, num_syms, names,
 * markers, token_table, token_index, for any list of symbols. Token b is the
 * character b when printable, else a two-letter stand-in, so a name is stored one
 * token per character.
 */
#ifndef PCS_FAKE_KALLSYMS_H
#define PCS_FAKE_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FAKE_KSYM_SMALL_SIZE 0x5010u

/* tokens: 0 "T", 1 "t", 2 "D", 3 "foo", 4 "bar", 5 "_", 6 "init_task" */
static const char *const fake_ksym_tokens[] = {"T", "t", "D", "foo", "bar", "_", "init_task"};

/*
 * "Tfoo", "tbar_foo", "Dinit_task", "tfoo" (a local foo), "t" + 130 x "_" (the 6.1
 * two-byte length), with offs[] as the kernel stores them, relative to base.
 */
static inline void fake_ksym_small(uint8_t *m, const int32_t offs[5], uint64_t base)
{
	const uint8_t s[] = {2,	       0, 3, 4, 1, 4, 5, 3, 2, 2, 6, 2, 1, 3, (131 & 0x7f) | 0x80,
			     131 >> 7, 1};
	const uint32_t num = 5;
	uint16_t idx[256] = {0};
	size_t tt = 0;

	for (size_t k = 0; k < sizeof(fake_ksym_tokens) / sizeof(*fake_ksym_tokens); k++) {
		idx[k] = (uint16_t)tt;
		memcpy(m + 0x1000 + tt, fake_ksym_tokens[k], strlen(fake_ksym_tokens[k]) + 1);
		tt += strlen(fake_ksym_tokens[k]) + 1;
	}
	memcpy(m + 0x2000, idx, sizeof(idx));
	memcpy(m + 0x3000, s, sizeof(s));
	memset(m + 0x3000 + sizeof(s), 5, 130);
	memcpy(m + 0x4000, offs, 5 * 4);
	memcpy(m + 0x5000, &base, 8);
	memcpy(m + 0x5008, &num, 4);
}

struct fake_ksym {
	char type;
	const char *name;
	uint64_t addr;
};

/* Where fake_ksym_image() put each table: offsets from the buffer's start. */
struct fake_ksym_layout {
	size_t offsets, relative_base, addresses, num_syms, names, markers, token_table,
	    token_index, end;
};

static inline void fake_ksym_token(int b, char out[3])
{
	if (b > 0x20 && b < 0x7f) {
		out[0] = (char)b, out[1] = '\0';
	} else {
		out[0] = (char)('G' + b % 16), out[1] = (char)('g' + b / 16), out[2] = '\0';
	}
}

static inline size_t fake_ksym_align8(size_t v)
{
	return (v + 7) & ~(size_t)7;
}

/*
 * Lay out syms (sorted by address) at m + at (8-aligned), with relative offsets
 * against relative_base (absolute addresses when relative is false). Returns the
 * end offset, 0 if cap is too small.
 */
static inline size_t fake_ksym_image(uint8_t *m, size_t cap, size_t at,
				     const struct fake_ksym *syms, uint32_t n, bool relative,
				     uint64_t relative_base, struct fake_ksym_layout *l)
{
	size_t o = at, names_len = 0;

	for (uint32_t i = 0; i < n; i++)
		names_len += 2 + strlen(syms[i].name);
	if (at + (size_t)n * 8 + 32 + names_len + (n / 256 + 1) * 4 + 256 * 3 + 512 + 64 > cap)
		return 0;
	memset(l, 0, sizeof(*l));
	/* alignment padding is zeros, as the assembler writes it */
	memset(m + at, 0, (size_t)n * 8 + 32 + names_len + (n / 256 + 1) * 4 + 256 * 3 + 512 + 64);
	if (relative) {
		l->offsets = o;
		for (uint32_t i = 0; i < n; i++) {
			int32_t v = (int32_t)(uint32_t)(syms[i].addr - relative_base);

			memcpy(m + o, &v, 4), o += 4;
		}
		o = fake_ksym_align8(o);
		l->relative_base = o;
		memcpy(m + o, &relative_base, 8), o += 8;
	} else {
		l->addresses = o;
		for (uint32_t i = 0; i < n; i++)
			memcpy(m + o, &syms[i].addr, 8), o += 8;
	}
	l->num_syms = o;
	memcpy(m + o, &n, 4), o += 8;
	l->names = o;
	uint32_t markers[(1u << 16) / 256 + 1], nm = 0;

	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(syms[i].name);

		if (i % 256 == 0 && nm < sizeof(markers) / sizeof(*markers))
			markers[nm++] = (uint32_t)(o - l->names);
		m[o++] = (uint8_t)(len + 1);
		m[o++] = (uint8_t)syms[i].type;
		memcpy(m + o, syms[i].name, len), o += len;
	}
	o = fake_ksym_align8(o);
	l->markers = o;
	memcpy(m + o, markers, nm * 4), o += nm * 4;
	o = fake_ksym_align8(o);
	l->token_table = o;
	uint16_t idx[256];

	for (int b = 0; b < 256; b++) {
		char tok[3];

		fake_ksym_token(b, tok);
		idx[b] = (uint16_t)(o - l->token_table);
		memcpy(m + o, tok, strlen(tok) + 1), o += strlen(tok) + 1;
	}
	o = fake_ksym_align8(o);
	l->token_index = o;
	memcpy(m + o, idx, sizeof(idx)), o += sizeof(idx);
	l->end = o;
	return o;
}

#endif /* PCS_FAKE_KALLSYMS_H */
