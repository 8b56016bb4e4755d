// SPDX-License-Identifier: GPL-2.0-or-later
/* ptewalk: page-table walk and descriptor decode (core/pte.h), crash-style output. */
#include "defs.h" /* crash */

#include <string.h>

#include "ext.h"
#include "pte.h"

static void print_decode(const struct pcs_pte_decode *d, const char *indent)
{
	char sz[16];
	unsigned int i;

	fprintf(fp, "%s%s", indent, pcs_pte_kind_name(d->kind));
	if (d->kind == PCS_PTE_TABLE)
		fprintf(fp, " -> next table at paddr %llx", (ulonglong)d->oa);
	else if (d->size)
		fprintf(fp, " %s -> paddr %llx%s", pcs_pte_size_name(d->size, sz, sizeof(sz)),
			(ulonglong)d->oa, d->contiguous ? " (contiguous)" : "");
	fprintf(fp, "\n");
	for (i = 0; i < d->nfields; i++) {
		const struct pcs_pte_field *f = &d->fields[i];
		char bits[16];

		if (f->msb == f->lsb)
			snprintf(bits, sizeof(bits), "[%u]", f->lsb);
		else
			snprintf(bits, sizeof(bits), "[%u:%u]", f->msb, f->lsb);
		fprintf(fp, "%s  %-14s %-8s %#-18llx %s\n", indent, f->name, bits,
			(ulonglong)f->value, f->text);
	}
	if (d->verdict[0])
		fprintf(fp, "%s  => %s\n", indent, d->verdict);
}

static void print_walk(const struct pcs_pte_walk *w, uint64_t mm)
{
	unsigned int i;

	fprintf(fp, "VIRTUAL           ROOT (PHYSADDR)   VA_BITS  HALF\n");
	fprintf(fp, "%-16llx  %-16llx  %-7u  %s%s\n", (ulonglong)w->vaddr, (ulonglong)w->root_paddr,
		w->va_bits, w->user_half ? "user" : "kernel", mm ? "" : " (kernel page tables)");
	if (mm)
		fprintf(fp, "MM_STRUCT: %llx\n", (ulonglong)mm);
	for (i = 0; i < w->nlevels; i++) {
		const struct pcs_pte_walk_level *l = &w->lv[i];

		fprintf(fp, "\n%s[%u]  ENTRY PHYSADDR %llx",
			l->d.level_name ? l->d.level_name : "?", l->index,
			(ulonglong)l->entry_paddr);
		if (l->entry_vaddr)
			fprintf(fp, "  VADDR %llx", (ulonglong)l->entry_vaddr);
		fprintf(fp, "  VALUE %016llx  (level %d)\n", (ulonglong)l->d.raw, l->d.level);
		print_decode(&l->d, "  ");
	}
	fprintf(fp, "\n");
	if (w->mapped) {
		char sz[16];

		fprintf(fp, "PHYSADDR: %llx  (%s mapping)\n", (ulonglong)w->paddr,
			pcs_pte_size_name(w->page_size, sz, sizeof(sz)));
	} else {
		fprintf(fp, "PHYSADDR: (not mapped)\n");
	}
	fprintf(fp, "VERDICT: %s\n", w->verdict);
}

static void ptewalk_decode(const char *value, const char *level, uint64_t psize)
{
	const struct pcs_target *t;
	struct pcs_pte_decode d;
	struct pcs_error err = {0};
	uint64_t raw;
	uint32_t kver;

	if (!pcx_parse_u64(value, 1, &raw)) {
		error(INFO, "invalid descriptor value: %s\n", value);
		return;
	}
	if (pcx_context(&t, NULL, &err)) {
		pcx_error(NULL, &err);
		return;
	}
	kver = t->kernel_version;
	if (!psize)
		psize = t->page_size;
	if (pcs_pte_decode_value(t->arch, raw, level, (uint32_t)psize, kver, &d, &err)) {
		pcx_error(NULL, &err);
		return;
	}
	fprintf(fp, "%s VALUE %016llx  (%s, %s, %u-byte granule)\n",
		d.level_name ? d.level_name : (level ? level : "pte"), (ulonglong)raw,
		pcs_arch_name(t->arch), t->osrelease, (unsigned int)psize);
	print_decode(&d, "");
}

void cmd_ptewalk(void)
{
	const struct pcs_target *t;
	struct pcs_pte_walk w;
	struct pcs_error err = {0};
	char *value = NULL, *level = NULL;
	uint64_t mm = 0, vaddr, psize = 0, pid;
	int c, have_pid = 0;
	enum pcs_errcode rc;

	while ((c = getopt(argcnt, args, "c:m:D:l:s:")) != EOF) {
		switch (c) {
		case 'c':
			if (!pcx_parse_u64(optarg, 0, &pid))
				cmd_usage(pc->curcmd, SYNOPSIS);
			have_pid = 1;
			break;
		case 'm':
			if (!pcx_parse_u64(optarg, 1, &mm) || !mm)
				cmd_usage(pc->curcmd, SYNOPSIS);
			break;
		case 'D': value = optarg; break;
		case 'l': level = optarg; break;
		case 's':
			if (!pcx_parse_u64(optarg, 0, &psize))
				cmd_usage(pc->curcmd, SYNOPSIS);
			break;
		default: argerrs++; break;
		}
	}
	if (argerrs)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (value) {
		if (args[optind] || have_pid || mm)
			cmd_usage(pc->curcmd, SYNOPSIS);
		ptewalk_decode(value, level, psize);
		return;
	}
	if (!args[optind] || args[optind + 1] || (have_pid && mm) || level || psize)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (!pcx_parse_u64(args[optind], 1, &vaddr)) {
		error(INFO, "invalid address: %s\n", args[optind]);
		return;
	}
	if (have_pid) {
		struct task_context *tc = pid_to_context((ulong)pid);

		if (!tc) {
			error(INFO, "no task with pid %llu\n", (ulonglong)pid);
			return;
		}
		mm = tc->mm_struct;
		if (!mm) {
			error(INFO, "pid %llu (%s) has no mm_struct (kernel thread)\n",
			      (ulonglong)pid, tc->comm);
			return;
		}
	}
	if (pcx_context(&t, NULL, &err)) {
		pcx_error(NULL, &err);
		return;
	}
	memset(&w, 0, sizeof(w));
	rc = pcs_pte_walk(t, mm, vaddr, &w, &err);
	if (rc && rc != PCS_ERR_NOTFOUND) {
		if (w.nlevels)
			print_walk(&w, mm);
		pcx_error(NULL, &err);
		return;
	}
	print_walk(&w, mm);
	if (rc == PCS_ERR_NOTFOUND && err.msg[0])
		fprintf(fp, "%s\n", err.msg);
}
