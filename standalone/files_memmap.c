// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth files --memmap: the page-cache census (core/census.h), then its anomalies. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "census.h"
#include "cli.h"
#include "fs.h"
#include "json.h"

/* Path (or fstype:s_id:inode N), fs type and device of a census file; fs may be NULL. */
static bool file_name(const struct pcs_fs *fs, const struct pcs_census_file *f, char *path,
		      size_t len, struct pcs_fs_sb_name *sbn)
{
	if (!fs) {
		snprintf(sbn->fstype, sizeof(sbn->fstype), "?");
		sbn->id[0] = '\0';
		snprintf(path, len, "?:?:inode %" PRIu64, f->ino);
		return false;
	}
	pcs_fs_sb_name(fs, f->sb, sbn);
	return pcs_fs_inode_name(fs, f->inode, path, len);
}

static struct json_object *json_file(const struct pcs_census_file *f, const char *path,
				     bool has_path, const struct pcs_fs_sb_name *sbn)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "has_path", json_object_new_boolean(has_path));
	json_object_object_add(o, "fstype", json_object_new_string(sbn->fstype));
	json_object_object_add(o, "dev", json_object_new_string(sbn->id));
	json_object_object_add(o, "mapping", pcs_json_addr(f->mapping));
	json_object_object_add(o, "inode", pcs_json_addr(f->inode));
	json_object_object_add(o, "ino", json_object_new_uint64(f->ino));
	json_object_object_add(o, "size", json_object_new_uint64(f->size));
	json_object_object_add(o, "nrpages", json_object_new_uint64(f->nrpages));
	json_object_object_add(o, "memmap_pages", json_object_new_uint64(f->memmap_pages));
	json_object_object_add(o, "tree_pages", json_object_new_uint64(f->tree_pages));
	return o;
}

static struct json_object *json_anomaly(const struct pcs_census_anomaly *a)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string(pcs_census_kind_name(a->kind)));
	json_object_object_add(o, "mapping", pcs_json_addr(a->mapping));
	json_object_object_add(o, "index", json_object_new_uint64(a->index));
	if (a->page) {
		json_object_object_add(o, "page", pcs_json_addr(a->page));
		json_object_object_add(o, "pfn", json_object_new_uint64(a->pfn));
	}
	if (a->slot)
		json_object_object_add(o, "slot", pcs_json_addr(a->slot));
	json_object_object_add(o, "why", json_object_new_string(a->why));
	return o;
}

static struct json_object *json_summary(const struct pcs_census *c, uint64_t nfiles)
{
	const struct pcs_census_stats *s = &c->stats;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "files", json_object_new_uint64(nfiles)); /* listed */
	json_object_object_add(o, "census_files", json_object_new_uint64(c->nfiles));
	json_object_object_add(o, "mappings", json_object_new_uint64(s->mappings));
	json_object_object_add(o, "folios", json_object_new_uint64(s->folios));
	json_object_object_add(o, "pages", json_object_new_uint64(s->pages));
	json_object_object_add(o, "sections", json_object_new_uint64(s->memmap.sections));
	json_object_object_add(o, "struct_pages", json_object_new_uint64(s->memmap.pages));
	json_object_object_add(o, "unreadable", json_object_new_uint64(s->memmap.unreadable));
	json_object_object_add(o, "tail", json_object_new_uint64(s->tail));
	json_object_object_add(o, "slab", json_object_new_uint64(s->slab));
	json_object_object_add(o, "typed", json_object_new_uint64(s->typed));
	json_object_object_add(o, "anon", json_object_new_uint64(s->anon));
	json_object_object_add(o, "anomalies", json_object_new_uint64(c->nanomalies));
	return o;
}

static void print_summary(const struct pcs_census *c, uint64_t nfiles)
{
	const struct pcs_census_stats *s = &c->stats;

	printf("%zu files through the memory map", c->nfiles);
	if (nfiles != c->nfiles)
		printf(" (%" PRIu64 " listed)", nfiles);
	printf(": %" PRIu64 " page-cache pages in %" PRIu64 " folios of %" PRIu64
	       " mappings (%" PRIu64 " sections, %" PRIu64 " struct pages, %" PRIu64
	       " unreadable; skipped %" PRIu64 " tail, %" PRIu64 " slab, %" PRIu64
	       " anon/movable/KSM, %" PRIu64 " other page types)\n",
	       s->pages, s->folios, s->mappings, s->memmap.sections, s->memmap.pages,
	       s->memmap.unreadable, s->tail, s->slab, s->anon, s->typed);
	if (s->memmap.unreadable)
		printf("WARNING: %" PRIu64 " struct pages are not in the dump: their pages are not "
		       "in the census\n",
		       s->memmap.unreadable);
	if (!c->nanomalies) {
		printf("anomalies: none\n");
		return;
	}
	printf("anomalies: %zu\n%-12s %-18s %8s  %s\n", c->nanomalies, "KIND", "MAPPING", "INDEX",
	       "WHY");
	for (size_t i = 0; i < c->nanomalies; i++) {
		const struct pcs_census_anomaly *a = &c->anomalies[i];

		printf("%-12s %-18" PRIx64 " %8" PRIu64 "  %s\n", pcs_census_kind_name(a->kind),
		       a->mapping, a->index, a->why);
	}
}

int sa_files_memmap(const struct sa_common *common, const struct pcs_kernel *k, const char *prefix)
{
	struct pcs_error err = {0};
	struct pcs_census c;
	struct pcs_fs fs;
	bool have_fs = pcs_fs_init(&fs, k, NULL) == PCS_OK;
	struct json_object *arr = NULL;
	uint64_t nfiles = 0;

	if (pcs_census_take(k, &c, &err)) {
		pcs_census_free(&c);
		return sa_fail(common, "files", &err);
	}
	if (common->json)
		arr = json_object_new_array();
	else
		printf("%-18s %-18s %9s %12s %8s %8s %8s  %-6s %s\n", "MAPPING", "INODE", "INO",
		       "SIZE", "NRPAGES", "MEMMAP", "TREE", "FS", "PATH");
	for (size_t i = 0; i < c.nfiles; i++) {
		const struct pcs_census_file *f = &c.files[i];
		struct pcs_fs_sb_name sbn;
		char path[PCS_FS_PATH_MAX];
		bool has_path = file_name(have_fs ? &fs : NULL, f, path, sizeof(path), &sbn);

		if (prefix && strncmp(path, prefix, strlen(prefix)) != 0)
			continue;
		nfiles++;
		if (arr)
			json_object_array_add(arr, json_file(f, path, has_path, &sbn));
		else
			printf("%-18" PRIx64 " %-18" PRIx64 " %9" PRIu64 " %12" PRIu64 " %8" PRIu64
			       " %8" PRIu64 " %8" PRIu64 "  %-6s %s\n",
			       f->mapping, f->inode, f->ino, f->size, f->nrpages, f->memmap_pages,
			       f->tree_pages, sbn.fstype, path);
	}
	if (common->json) {
		struct json_object *o = json_object_new_object(), *an = json_object_new_array();

		for (size_t i = 0; i < c.nanomalies; i++)
			json_object_array_add(an, json_anomaly(&c.anomalies[i]));
		json_object_object_add(o, "files", arr);
		json_object_object_add(o, "anomalies", an);
		json_object_object_add(o, "summary", json_summary(&c, nfiles));
		sa_json_print_c(common, o);
		json_object_put(o);
	} else {
		print_summary(&c, nfiles);
	}
	int rc = c.nanomalies ? SA_EXIT_DIFF : SA_EXIT_OK;

	pcs_census_free(&c);
	return rc;
}
