// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth bundle: which files and pages to examine, and their reference copies. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle.h"
#include "cli.h"

const char *sa_bundle_jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

bool sa_bundle_jint(struct json_object *o, const char *k, int64_t *out)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v))
		return false;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return true;
	}
	uint64_t u;

	if (json_object_is_type(v, json_type_string) &&
	    sa_parse_u64(json_object_get_string(v), &u)) {
		*out = (int64_t)u;
		return true;
	}
	return false;
}

struct json_object *sa_bundle_jarr(struct json_object *o, const char *k)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_array)
		   ? v
		   : NULL;
}

void sa_bundle_add_path(struct sa_bundle *b, const char *p)
{
	if (!p || !*p || b->npaths >= SA_BUNDLE_MAX_PATHS)
		return;
	for (int i = 0; i < b->npaths; i++)
		if (!strcmp(b->paths[i], p))
			return;
	b->path_store[b->npaths] = strdup(p);
	b->paths[b->npaths] = b->path_store[b->npaths];
	if (b->paths[b->npaths])
		b->npaths++;
}

int sa_bundle_path_no(struct sa_bundle *b, const char *p)
{
	for (int i = 0; p && i < b->npaths; i++)
		if (!strcmp(b->paths[i], p))
			return i + 1;
	return 0;
}

void sa_bundle_add_page(struct sa_bundle *b, uint64_t pfn, int64_t index, int pathno,
			uint64_t vaddr)
{
	for (int i = 0; i < b->npages; i++) {
		struct sa_bundle_page *a = &b->pages[i];

		if (a->pfn == pfn) {
			if (a->index < 0 && index >= 0) {
				a->index = index;
				a->pathno = pathno;
			}
			if (!a->vaddr)
				a->vaddr = vaddr;
			return;
		}
	}
	if (b->npages < SA_BUNDLE_MAX_PAGES)
		b->pages[b->npages++] = (struct sa_bundle_page){pfn, index, pathno, vaddr};
}

/* The guest path relative to --at, for the reference source; NULL if outside it. */
static const char *ref_relpath(const struct sa_bundle *b, const char *path)
{
	size_t n = strlen(b->at);

	while (n > 1 && b->at[n - 1] == '/')
		n--;
	if (n == 1 && b->at[0] == '/')
		return path + 1;
	if (strncmp(path, b->at, n) || (path[n] != '/' && path[n]))
		return NULL;
	return path[n] ? path + n + 1 : NULL;
}

/* Copy the reference of paths[i] out of the source into the work directory. */
void sa_bundle_extract_ref(struct sa_bundle *b, int i)
{
	const char *rel = ref_relpath(b, b->paths[i]);
	struct pcs_reffile *f = NULL;
	struct pcs_error err = {0};
	char buf[65536];
	uint64_t off = 0;
	size_t got;
	FILE *out;

	b->reffile[i][0] = '\0';
	if (!b->refsrc || !rel || pcs_reffile_open(b->refsrc, rel, &f, &err))
		return;
	const char *base = strrchr(b->paths[i], '/');
	char rdir[PATH_MAX];

	snprintf(rdir, sizeof(rdir), "%s/ref-%d", b->work, i + 1);
	if (mkdir(rdir, 0700) && errno != EEXIST) {
		pcs_reffile_close(f);
		return;
	}
	if (snprintf(b->reffile[i], sizeof(b->reffile[i]), "%s/%s", rdir,
		     base && base[1] ? base + 1 : "ref") >= (int)sizeof(b->reffile[i])) {
		b->reffile[i][0] = '\0';
		pcs_reffile_close(f);
		return;
	}
	out = fopen(b->reffile[i], "w");
	while (out && pcs_reffile_pread(f, off, buf, sizeof(buf), &got, &err) == PCS_OK && got) {
		if (fwrite(buf, 1, got, out) != got)
			break;
		off += got;
	}
	if (!out || fclose(out) || off != pcs_reffile_size(f))
		b->reffile[i][0] = '\0';
	pcs_reffile_close(f);
}

/* Pages of an md5 document worth a closer look: differing, inconsistent. */
void sa_bundle_pages_from_md5(struct sa_bundle *b, int pathno, struct json_object *doc)
{
	struct json_object *rows = sa_bundle_jarr(doc, "pages");

	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		const char *st = sa_bundle_jstr(r, "status"), *ref = sa_bundle_jstr(r, "ref");
		int64_t pfn, index, va = 0;

		if (!(st && !strcmp(st, "inconsistent")) && !(ref && !strcmp(ref, "differs")))
			continue;
		if (!sa_bundle_jint(r, "pfn", &pfn) || !sa_bundle_jint(r, "index", &index))
			continue;
		sa_bundle_jint(r, "vaddr", &va);
		sa_bundle_add_page(b, (uint64_t)pfn, index, pathno, (uint64_t)va);
	}
}

/* The linear-map address of a page md5 listed, to walk its page tables. */
void sa_bundle_vaddr_from_md5(struct sa_bundle_page *a, struct json_object *doc)
{
	struct json_object *rows = sa_bundle_jarr(doc, "pages");

	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		int64_t pfn, va;

		if (sa_bundle_jint(r, "pfn", &pfn) && (uint64_t)pfn == a->pfn &&
		    sa_bundle_jint(r, "vaddr", &va)) {
			a->vaddr = (uint64_t)va;
			return;
		}
	}
}
