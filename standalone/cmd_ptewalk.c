// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth ptewalk: page-table walk of a dump, or decode of one raw descriptor. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "pte.h"
#include "tasks.h"

static const char help[] =
    "usage: pcsleuth ptewalk VMCORE VADDR... [--pid P | --mm ADDR] [-k VMLINUX] [--json]\n"
    "       pcsleuth ptewalk --decode VALUE [--arch arm64|x86_64] [--level pte|pmd|pud|p4d|pgd]\n"
    "                        [--page-size 4096|16384|65536] [--kernel X.Y] [--json]\n"
    "\n"
    "Walk the page tables for each VADDR: for every level the entry's physical and\n"
    "linear-map address, its raw value and every field decoded (arm64: table bits\n"
    "NSTable/APTable/UXNTable/PXNTable; leaf OA, AttrIndx named through the kernel's\n"
    "MAIR layout, NS, AP[2:1], SH, AF, nG, DBM, Contiguous, PXN, UXN, GP and Linux's\n"
    "software bits; x86_64 4/5-level), and a one-line verdict. Kernel tables by\n"
    "default (swapper_pg_dir / init_top_pgt); --pid or --mm for a process's tables.\n"
    "--decode decodes a raw descriptor with no dump (default arch arm64, level pte).\n"
    "\n"
    "  -k, --vmlinux FILE  debug vmlinux (else types/symbols from the dump: --pid, --mm)\n"
    "      --pid P         walk the tables of the task with pid P\n"
    "      --mm ADDR       walk the tables of struct mm_struct at ADDR\n"
    "      --live          the running kernel (/proc/kcore; root) instead of VMCORE\n"
    "      --json          JSON output\n"
    "exit: 0 mapped, 1 not mapped, 2 usage, 3 unusable input, 4 tables unreadable,\n"
    "      5 a table is not in the dump\n";

static void print_decode(const struct pcs_pte_decode *d, const char *indent)
{
	for (unsigned int i = 0; i < d->nfields; i++) {
		const struct pcs_pte_field *f = &d->fields[i];
		char bits[16];

		if (f->msb == f->lsb)
			snprintf(bits, sizeof(bits), "%u", f->lsb);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f->msb, f->lsb);
		printf("%s%-14s [%5s] 0x%-10" PRIx64 " %s\n", indent, f->name, bits, f->value,
		       f->text);
	}
}

static struct json_object *json_decode(const struct pcs_pte_decode *d)
{
	struct json_object *o = json_object_new_object(), *fa = json_object_new_array();
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, d->raw);
	json_object_object_add(o, "raw", json_object_new_string(buf));
	json_object_object_add(o, "level",
			       json_object_new_string(d->level_name ? d->level_name : ""));
	json_object_object_add(o, "kind", json_object_new_string(pcs_pte_kind_name(d->kind)));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, d->oa);
	json_object_object_add(o, "oa", json_object_new_string(buf));
	if (d->size)
		json_object_object_add(o, "size", json_object_new_int64((int64_t)d->size));
	json_object_object_add(o, "contiguous", json_object_new_boolean(d->contiguous));
	json_object_object_add(o, "writable", json_object_new_boolean(d->writable));
	json_object_object_add(o, "user", json_object_new_boolean(d->user));
	json_object_object_add(o, "kernel_exec", json_object_new_boolean(d->kernel_exec));
	json_object_object_add(o, "user_exec", json_object_new_boolean(d->user_exec));
	for (unsigned int i = 0; i < d->nfields; i++) {
		const struct pcs_pte_field *f = &d->fields[i];
		struct json_object *jf = json_object_new_object();

		json_object_object_add(jf, "name", json_object_new_string(f->name));
		json_object_object_add(jf, "lsb", json_object_new_int(f->lsb));
		json_object_object_add(jf, "msb", json_object_new_int(f->msb));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, f->value);
		json_object_object_add(jf, "value", json_object_new_string(buf));
		json_object_object_add(jf, "text", json_object_new_string(f->text));
		json_object_array_add(fa, jf);
	}
	json_object_object_add(o, "fields", fa);
	json_object_object_add(o, "verdict", json_object_new_string(d->verdict));
	return o;
}

static int do_decode(const char *value, const char *arch, const char *level, uint32_t page_size,
		     const char *kver, bool json)
{
	enum pcs_arch a;
	uint64_t raw;
	struct pcs_pte_decode d;
	struct pcs_error err = {0};
	uint32_t kv = 0;

	if (!sa_parse_u64(value, &raw))
		return sa_usage_error("ptewalk", "--decode: '%s' is not a number", value);
	if (!arch || !strcmp(arch, "arm64") || !strcmp(arch, "aarch64"))
		a = PCS_ARCH_ARM64;
	else if (!strcmp(arch, "x86_64") || !strcmp(arch, "amd64") || !strcmp(arch, "x86"))
		a = PCS_ARCH_X86_64;
	else
		return sa_usage_error("ptewalk", "--arch: unknown architecture '%s'", arch);
	if (kver && !(kv = pcs_parse_osrelease(kver)))
		return sa_usage_error("ptewalk", "--kernel: '%s' is not a version like 6.1", kver);
	if (pcs_pte_decode_value(a, raw, level, page_size, kv, &d, &err)) {
		struct sa_common c = {.json = json};

		return sa_fail(&c, "ptewalk", &err);
	}
	if (json) {
		struct json_object *o = json_decode(&d);

		json_object_object_add(o, "arch", json_object_new_string(pcs_arch_name(a)));
		sa_json_print(o);
		json_object_put(o);
	} else {
		printf("%s %s 0x%016" PRIx64 ": %s\n", pcs_arch_name(a),
		       d.level_name ? d.level_name : "pte", raw, pcs_pte_kind_name(d.kind));
		print_decode(&d, "  ");
		printf("verdict: %s\n", d.verdict);
	}
	return 0;
}

static void print_walk(const struct pcs_pte_walk *w, uint64_t mm)
{
	printf("ptewalk 0x%016" PRIx64 ": %s tables, root 0x%" PRIx64 ", %u-bit VA\n", w->vaddr,
	       mm ? "process" : "kernel", w->root_paddr, w->va_bits);
	for (unsigned int i = 0; i < w->nlevels; i++) {
		const struct pcs_pte_walk_level *l = &w->lv[i];

		printf("  %-4s[%3u] @ 0x%" PRIx64, l->d.level_name ? l->d.level_name : "?",
		       l->index, l->entry_paddr);
		if (l->entry_vaddr)
			printf(" (va 0x%" PRIx64 ")", l->entry_vaddr);
		printf(" = 0x%016" PRIx64 "  %s", l->d.raw, pcs_pte_kind_name(l->d.kind));
		if (l->d.kind == PCS_PTE_TABLE || l->d.kind == PCS_PTE_BLOCK ||
		    l->d.kind == PCS_PTE_PAGE)
			printf(" -> 0x%" PRIx64, l->d.oa);
		printf("\n");
		print_decode(&l->d, "        ");
	}
	if (w->mapped) {
		char sz[16];

		printf("  => paddr 0x%" PRIx64 " (%s mapping)\n", w->paddr,
		       pcs_pte_size_name(w->page_size, sz, sizeof(sz)));
	} else {
		printf("  => not mapped\n");
	}
	printf("  verdict: %s\n", w->verdict);
}

static struct json_object *json_walk(const struct pcs_pte_walk *w)
{
	struct json_object *o = json_object_new_object(), *la = json_object_new_array();
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, w->vaddr);
	json_object_object_add(o, "vaddr", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, w->root_paddr);
	json_object_object_add(o, "root", json_object_new_string(buf));
	json_object_object_add(o, "va_bits", json_object_new_int((int)w->va_bits));
	for (unsigned int i = 0; i < w->nlevels; i++) {
		const struct pcs_pte_walk_level *l = &w->lv[i];
		struct json_object *jl = json_decode(&l->d);

		json_object_object_add(jl, "index", json_object_new_int((int)l->index));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, l->entry_paddr);
		json_object_object_add(jl, "entry_paddr", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, l->entry_vaddr);
		json_object_object_add(jl, "entry_vaddr", json_object_new_string(buf));
		json_object_array_add(la, jl);
	}
	json_object_object_add(o, "levels", la);
	json_object_object_add(o, "mapped", json_object_new_boolean(w->mapped));
	if (w->mapped) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, w->paddr);
		json_object_object_add(o, "paddr", json_object_new_string(buf));
		json_object_object_add(o, "page_size",
				       json_object_new_int64((int64_t)w->page_size));
	}
	json_object_object_add(o, "verdict", json_object_new_string(w->verdict));
	return o;
}

int cmd_ptewalk(int argc, char **argv)
{
	enum { O_DECODE = 1, O_ARCH, O_LEVEL, O_PAGESIZE, O_KERNEL, O_PID, O_MM };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"decode", required_argument, NULL, O_DECODE},
	    {"arch", required_argument, NULL, O_ARCH},
	    {"level", required_argument, NULL, O_LEVEL},
	    {"page-size", required_argument, NULL, O_PAGESIZE},
	    {"kernel", required_argument, NULL, O_KERNEL},
	    {"pid", required_argument, NULL, O_PID},
	    {"mm", required_argument, NULL, O_MM},
	    {0},
	};
	struct sa_common c = {0};
	const char *decode = NULL, *arch = NULL, *level = NULL, *kver = NULL, *pid_s = NULL,
		   *mm_s = NULL;
	uint64_t page_size = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "hk:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case O_DECODE: decode = optarg; break;
		case O_ARCH: arch = optarg; break;
		case O_LEVEL: level = optarg; break;
		case O_KERNEL: kver = optarg; break;
		case O_PID: pid_s = optarg; break;
		case O_MM: mm_s = optarg; break;
		case O_PAGESIZE:
			if (!sa_parse_u64(optarg, &page_size))
				return sa_usage_error("ptewalk", "--page-size: not a number");
			break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("ptewalk", "bad option");
		}
	}
	if (decode) {
		if (optind != argc)
			return sa_usage_error("ptewalk", "--decode takes no VMCORE");
		return do_decode(decode, arch, level, (uint32_t)page_size, kver, c.json);
	}
	if (argc - optind < 2)
		return sa_usage_error("ptewalk", "expected VMCORE VADDR...");
	if (pid_s && mm_s)
		return sa_usage_error("ptewalk", "--pid and --mm exclude each other");
	c.vmcore = argv[optind];
	for (int i = optind + 1; i < argc; i++) {
		uint64_t v;

		if (!sa_parse_u64(argv[i], &v))
			return sa_usage_error("ptewalk", "'%s' is not an address", argv[i]);
	}
	struct sa_target *st;
	int rc = sa_open_common(&c, "ptewalk", pid_s != NULL, &st);

	if (rc)
		return rc;
	struct pcs_error err = {0};
	uint64_t mm = 0;

	if (mm_s && !sa_parse_u64(mm_s, &mm)) {
		sa_close(st);
		return sa_usage_error("ptewalk", "--mm: not an address");
	}
	if (pid_s) {
		uint64_t pid, task;
		char comm[17];

		if (!sa_parse_u64(pid_s, &pid)) {
			sa_close(st);
			return sa_usage_error("ptewalk", "--pid: not a number");
		}
		if (sa_task_by_pid(&st->t, pid, &task, &mm, comm, &err)) {
			rc = sa_fail(&c, "ptewalk", &err);
			sa_close(st);
			return rc;
		}
		if (!mm) {
			pcs_error_set(&err, PCS_ERR_NOTFOUND,
				      "pid %" PRIu64 " (%s) is a kernel thread: it has no mm", pid,
				      comm);
			rc = sa_fail(&c, "ptewalk", &err);
			sa_close(st);
			return rc;
		}
		if (!c.json)
			printf("pid %" PRIu64 " (%s): task 0x%" PRIx64 ", mm 0x%" PRIx64 "\n", pid,
			       comm, task, mm);
	}
	struct json_object *arr = c.json ? json_object_new_array() : NULL;
	int worst = 0;

	for (int i = optind + 1; i < argc; i++) {
		uint64_t va;
		struct pcs_pte_walk w;
		enum pcs_errcode e;

		sa_parse_u64(argv[i], &va);
		memset(&w, 0, sizeof(w));
		pcs_error_clear(&err);
		e = pcs_pte_walk(&st->t, mm, va, &w, &err);
		if (e && e != PCS_ERR_NOTFOUND) {
			fprintf(stderr, "pcsleuth ptewalk: 0x%" PRIx64 ": %s\n", va, err.msg);
			if (arr) {
				struct json_object *o = json_object_new_object();
				char b[32];

				snprintf(b, sizeof(b), "0x%" PRIx64, va);
				json_object_object_add(o, "vaddr", json_object_new_string(b));
				json_object_object_add(o, "error",
						       json_object_new_string(pcs_errcode_name(e)));
				json_object_object_add(o, "message",
						       json_object_new_string(err.msg));
				json_object_array_add(arr, o);
			}
			int x = sa_exit_for(e);

			if (x > worst)
				worst = x;
			continue;
		}
		uint64_t xpa = 0;
		bool xok = !mm && sa_xlat_kvaddr(st, va, &xpa) == PCS_OK;

		if (arr) {
			struct json_object *o = json_walk(&w);

			if (!mm)
				json_object_object_add(o, "libkdumpfile_paddr",
						       xok ? pcs_json_addr(xpa) : NULL);
			json_object_array_add(arr, o);
		} else {
			print_walk(&w, mm);
			const char *by = st->kc ? "/proc/kcore's segments" : "libkdumpfile";

			if (!mm && xok)
				printf("  %s translate%s it to 0x%" PRIx64 ": %s\n", by,
				       st->kc ? "" : "s", xpa,
				       w.mapped && w.paddr == xpa ? "agrees" : "DISAGREES");
			else if (!mm && st->kc)
				printf("  /proc/kcore gives no physical address for it (not in the "
				       "linear map or the kernel text)\n");
			else if (!mm)
				printf("  libkdumpfile cannot translate it%s\n",
				       w.mapped ? ": DISAGREES" : " either");
		}
		if (e == PCS_ERR_NOTFOUND && worst < 1)
			worst = 1;
	}
	if (arr) {
		sa_json_print(arr);
		json_object_put(arr);
	}
	sa_close(st);
	return worst;
}
