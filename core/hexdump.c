// SPDX-License-Identifier: GPL-2.0-or-later
/* Hex + ASCII page dump with per-byte difference marks. */
#include "hexdump.h"

#include <inttypes.h>
#include <string.h>

#define HD_WIDTH  16
#define ANSI_DIFF "\033[1;7;31m"
#define ANSI_REF  "\033[2m"
#define ANSI_OFF  "\033[0m"

static bool line_differs(const uint8_t *a, const uint8_t *b, size_t n)
{
	return b && memcmp(a, b, n) != 0;
}

static void print_line(FILE *fp, uint64_t addr, const uint8_t *p, const uint8_t *other, size_t n,
		       bool colour, bool is_ref)
{
	size_t ndiff = 0;

	fprintf(fp, "%016" PRIx64 ": ", addr);
	for (size_t i = 0; i < HD_WIDTH; i++) {
		bool d = other && i < n && p[i] != other[i];

		if (i == HD_WIDTH / 2)
			fputc(' ', fp);
		if (i >= n) {
			fputs("   ", fp);
			continue;
		}
		ndiff += d;
		if (colour && d)
			fprintf(fp, "%s%02x%s ", is_ref ? ANSI_REF : ANSI_DIFF, p[i], ANSI_OFF);
		else
			fprintf(fp, "%02x%c", p[i], !colour && d ? '*' : ' ');
	}
	fputs(" |", fp);
	for (size_t i = 0; i < n; i++) {
		bool d = other && p[i] != other[i];
		int c = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.';

		if (colour && d)
			fprintf(fp, "%s%c%s", is_ref ? ANSI_REF : ANSI_DIFF, c, ANSI_OFF);
		else
			fputc(c, fp);
	}
	fputc('|', fp);
	if (!colour && ndiff)
		fprintf(fp, " %s%zu differ", is_ref ? "ref: " : "<< ", ndiff);
	fputc('\n', fp);
}

size_t pcs_hexdump(FILE *fp, const void *buf, size_t len, const struct pcs_hexdump_opts *opts)
{
	static const struct pcs_hexdump_opts defaults;
	const struct pcs_hexdump_opts *o = opts ? opts : &defaults;
	const uint8_t *p = buf, *ref = o->ref;
	size_t total = 0, nlines = (len + HD_WIDTH - 1) / HD_WIDTH;
	size_t last_printed = SIZE_MAX;

	for (size_t l = 0; l < nlines; l++) {
		size_t off = l * HD_WIDTH, n = len - off < HD_WIDTH ? len - off : HD_WIDTH;
		bool show = !o->only_diff;

		for (size_t i = 0; ref && i < n; i++)
			total += p[off + i] != ref[off + i];
		if (!show) {
			/* Show a line within context lines of a differing one. */
			size_t lo = l > o->context ? l - o->context : 0;
			size_t hi = l + o->context < nlines - 1 ? l + o->context : nlines - 1;

			for (size_t m = lo; m <= hi && !show; m++) {
				size_t mo = m * HD_WIDTH;
				size_t mn = len - mo < HD_WIDTH ? len - mo : HD_WIDTH;

				show = line_differs(p + mo, ref ? ref + mo : NULL, mn);
			}
		}
		if (!show)
			continue;
		if (o->only_diff && last_printed != SIZE_MAX && l != last_printed + 1)
			fputs("*\n", fp);
		last_printed = l;
		print_line(fp, o->base + off, p + off, ref ? ref + off : NULL, n, o->colour, false);
		if (o->show_ref && line_differs(p + off, ref ? ref + off : NULL, n))
			print_line(fp, o->base + off, ref + off, p + off, n, o->colour, true);
	}
	return total;
}
