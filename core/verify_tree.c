// SPDX-License-Identifier: GPL-2.0-or-later
/* verify over a tree of files: enumeration, ordering, per-file results, output. */
#include "verify_tree.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "census.h"
#include "exec.h"
#include "json.h"
#include "worksplit.h"

#define VERIFY_JOB_PAGES 512 /* cached pages per job (core/worksplit.h) */

/* A file between the prep of its first job and the done of its last. */
struct vopen {
	struct pcs_reffile *rf;
	enum pcs_errcode frc; /* opening the reference */
	char *fwhy;	      /* its message */
	uint64_t ref_size;
	struct pcs_verify_stats s; /* the jobs done so far */
	enum pcs_errcode wrc;	   /* the first job whose walk failed: later jobs ignored */
	char *wwhy;
	char *first_why; /* the first page of the file that was not compared */
};

struct vfile {
	char *path;
	const char *rel; /* inside path */
	uint64_t inode, mapping, ino, size, nrpages;
	uint64_t order; /* position in the reference (tar order) */
	struct vopen op;
};

/* A job: pages [first, first + count) of one file. */
struct vplan {
	size_t file;
	uint64_t first, count;
	bool first_job, last_job;
};

/* One differing range, copied out of the walk; its bytes are in the job's buffer. */
struct vdiff {
	uint64_t index, file_offset, pfn, paddr;
	uint32_t offset, length;
	size_t bytes; /* vmcore bytes at b[bytes], reference bytes right after */
};

/* What a job found, kept until its done(). */
struct vjob {
	size_t i;
	struct pcs_verify_stats s;
	enum pcs_errcode rc;
	struct pcs_error err;
	char first_why[PCS_ERRMSG_MAX];
	struct vdiff *d;
	size_t nd, dcap;
	uint8_t *b;
	size_t nb, bcap;
	bool nomem;
};

struct vctx {
	const struct pcs_verify_tree_opts *o;
	size_t plen;
	struct vfile *files;
	size_t nfiles, cap;
	uint64_t no_path, fs_no_path, census_only;
	bool nomem;
	struct json_object *diffs, *jfiles;
	const char *cur_path;
	/* the jobs */
	struct pcs_refsrc *src;
	bool lock_refs;	       /* the reference source is not thread-safe: every call locked */
	struct pcs_kernel *ks; /* one per worker */
	struct vplan *plan;
	size_t njobs;
	struct vjob *slots; /* job i in slots[i % window] */
	size_t window;
	struct pcs_verify_totals *tot;
};

/* The part of path below prefix: "/data" holds "/data/x" but not "/database". */
static const char *under(const char *path, const char *prefix, size_t plen)
{
	if (plen == 1 && prefix[0] == '/')
		return path + 1;
	if (strncmp(path, prefix, plen) != 0 || path[plen] != '/')
		return NULL;
	return path + plen + 1;
}

/* Add a file to the list when its path lies under the prefix. */
static void add_file(struct vctx *c, const char *path, uint16_t mode, uint64_t inode,
		     uint64_t mapping, uint64_t ino, uint64_t size, uint64_t nrpages)
{
	const char *rel = under(path, c->o->at, c->plen);
	struct vfile *v;

	if (!rel || !*rel || !S_ISREG(mode))
		return;
	if (c->nfiles == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		struct vfile *n = realloc(c->files, ncap * sizeof(*n));

		if (!n) {
			c->nomem = true;
			return;
		}
		c->files = n;
		c->cap = ncap;
	}
	v = &c->files[c->nfiles];
	memset(v, 0, sizeof(*v));
	v->path = strdup(path);
	if (!v->path) {
		c->nomem = true;
		return;
	}
	v->rel = v->path + (rel - path);
	v->inode = inode;
	v->mapping = mapping;
	v->ino = ino;
	v->size = size;
	v->nrpages = nrpages;
	c->nfiles++;
}

static int collect(const struct pcs_fs_file *f, void *arg)
{
	struct vctx *c = arg;

	if (!f->has_path)
		c->fs_no_path++;
	else
		add_file(c, f->path, f->mode, f->inode, f->mapping, f->ino, f->size, f->nrpages);
	return c->nomem;
}

static int by_mapping(const void *a, const void *b)
{
	const struct vfile *x = a, *y = b;

	return x->mapping < y->mapping ? -1 : x->mapping > y->mapping;
}

static const struct vfile *find_mapping(const struct vctx *c, uint64_t mapping)
{
	struct vfile key = {.mapping = mapping};

	return c->nfiles ? bsearch(&key, c->files, c->nfiles, sizeof(key), by_mapping) : NULL;
}

/*
 * The memory map's view (core/census.h): files no superblock list reaches are
 * added; folios that claim a listed file but are not in its tree are reported.
 */
static void add_census(struct vctx *c, const struct pcs_kernel *k, const struct pcs_fs *fs,
		       const struct pcs_census *cen)
{
	size_t listed = c->nfiles;
	char path[PCS_FS_PATH_MAX];

	qsort(c->files, c->nfiles, sizeof(*c->files), by_mapping);
	for (size_t i = 0; i < cen->nfiles && !c->nomem; i++) {
		const struct pcs_census_file *f = &cen->files[i];
		struct vctx lookup = *c;
		uint16_t mode = 0;

		lookup.nfiles = listed;
		if (!pcs_fs_inode_name(fs, f->inode, path, sizeof(path))) {
			c->no_path++;
			continue;
		}
		if (find_mapping(&lookup, f->mapping))
			continue;
		if (fs->inode.i_mode == PCS_OFF_NONE ||
		    pcs_read(k->t, PCS_KVADDR, f->inode + fs->inode.i_mode, &mode, 2, NULL))
			continue;
		add_file(c, path, mode, f->inode, f->mapping, f->ino, f->size, f->nrpages);
		c->census_only++;
	}
	qsort(c->files, c->nfiles, sizeof(*c->files), by_mapping);
}

static void report_anomalies(struct vctx *c, const struct pcs_census *cen,
			     struct pcs_verify_totals *tot, struct json_object *janom)
{
	for (size_t i = 0; i < cen->nanomalies; i++) {
		const struct pcs_census_anomaly *a = &cen->anomalies[i];
		const struct vfile *v = find_mapping(c, a->mapping);

		/* inconsistent slots are already verdicts of the per-file walk */
		if (!v || a->kind == PCS_CENSUS_INCONSISTENT)
			continue;
		tot->anomalies++;
		if (janom) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "path", json_object_new_string(v->path));
			json_object_object_add(
			    o, "kind", json_object_new_string(pcs_census_kind_name(a->kind)));
			json_object_object_add(o, "index",
					       json_object_new_int64((int64_t)a->index));
			json_object_object_add(o, "page", pcs_json_addr(a->page));
			json_object_object_add(o, "pfn", json_object_new_int64((int64_t)a->pfn));
			json_object_object_add(o, "why", json_object_new_string(a->why));
			json_object_array_add(janom, o);
		} else {
			fprintf(c->o->out, "%s  index %" PRIu64 "  %s: %s\n", v->path, a->index,
				pcs_census_kind_name(a->kind), a->why);
		}
	}
}

static int by_order(const void *a, const void *b)
{
	const struct vfile *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->path, y->path);
}

static void hexbytes(FILE *fp, const uint8_t *b, uint32_t len)
{
	for (uint32_t i = 0; i < len && i < 32; i++)
		fprintf(fp, "%02x", b[i]);
	if (len > 32)
		fputs("...", fp);
}

static void progress_clear(const struct vctx *c)
{
	if (c->o->progress)
		fputs("\r\033[K", c->o->progress);
}

static void emit_diff(struct vctx *c, const struct vdiff *d, const uint8_t *vm, const uint8_t *ref)
{
	FILE *fp = c->o->out;

	if (c->o->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "path", json_object_new_string(c->cur_path));
		json_object_object_add(o, "index", json_object_new_int64((int64_t)d->index));
		json_object_object_add(o, "offset", json_object_new_int64(d->offset));
		json_object_object_add(o, "file_offset",
				       json_object_new_int64((int64_t)d->file_offset));
		json_object_object_add(o, "length", json_object_new_int64(d->length));
		json_object_object_add(o, "vmcore", pcs_json_hex(vm, d->length));
		json_object_object_add(o, "ref", pcs_json_hex(ref, d->length));
		json_object_object_add(o, "pfn", json_object_new_int64((int64_t)d->pfn));
		json_object_object_add(o, "paddr", pcs_json_addr(d->paddr + d->offset));
		json_object_array_add(c->diffs, o);
		return;
	}
	progress_clear(c);
	fprintf(fp, "%s  index %" PRIu64 "  offset 0x%" PRIx64 " (+0x%03x)  %u byte%s: vmcore ",
		c->cur_path, d->index, d->file_offset, d->offset, d->length,
		d->length == 1 ? "" : "s");
	hexbytes(fp, vm, d->length);
	fputs(" | ref ", fp);
	hexbytes(fp, ref, d->length);
	fprintf(fp, "  (pfn %" PRIu64 ")\n", d->pfn);
}

/* A worker: keep a copy of a differing range for done(). */
static int on_diff(const struct pcs_verify_diff *d, void *arg)
{
	struct vjob *j = arg;

	if (j->nd == j->dcap) {
		size_t n = j->dcap ? 2 * j->dcap : 16;
		struct vdiff *v = realloc(j->d, n * sizeof(*v));

		if (!v)
			goto nomem;
		j->d = v;
		j->dcap = n;
	}
	if (j->nb + 2 * (size_t)d->length > j->bcap) {
		size_t n = j->bcap ? 2 * j->bcap : 4096;
		uint8_t *b;

		while (n < j->nb + 2 * (size_t)d->length)
			n *= 2;
		if (!(b = realloc(j->b, n)))
			goto nomem;
		j->b = b;
		j->bcap = n;
	}
	j->d[j->nd++] = (struct vdiff){.index = d->index,
				       .file_offset = d->file_offset,
				       .pfn = d->row->pfn,
				       .paddr = d->row->paddr,
				       .offset = d->offset,
				       .length = d->length,
				       .bytes = j->nb};
	memcpy(j->b + j->nb, d->vmcore, d->length);
	memcpy(j->b + j->nb + d->length, d->ref, d->length);
	j->nb += 2 * (size_t)d->length;
	return 0;
nomem:
	j->nomem = true;
	return 1;
}

/* Remember why the first page of a file could not be compared. */
static int on_page(const struct pcs_page_row *row, enum pcs_verify_verdict v, void *arg)
{
	struct vjob *c = arg;

	if (c->first_why[0] || v == PCS_VERIFY_DIFFERS || v == PCS_VERIFY_EXCLUDED ||
	    v == PCS_VERIFY_BEYOND_EOF)
		return 0;
	snprintf(c->first_why, sizeof(c->first_why), "index %" PRIu64 " %s: %s", row->index,
		 pcs_verify_verdict_name(v), row->why ? row->why : "reference unreadable");
	return 0;
}

static const char *file_status(const struct pcs_verify_stats *s, bool size_differs)
{
	if (s->differing)
		return "differs";
	if (s->inconsistent)
		return "inconsistent";
	if (size_differs)
		return "size-differs";
	if (s->beyond_eof)
		return "beyond-eof";
	if (s->excluded || s->errors || s->ref_unreadable)
		return "incomplete";
	return "match";
}

static void add_stats(struct pcs_verify_totals *t, const struct pcs_verify_stats *s)
{
	t->cached += s->cached;
	t->compared += s->compared;
	t->differing += s->differing;
	t->reread_matched += s->reread_matched;
	t->ranges += s->ranges;
	t->bytes += s->bytes;
	t->beyond_eof += s->beyond_eof;
	t->excluded += s->excluded;
	t->inconsistent += s->inconsistent;
	t->errors += s->errors + s->ref_unreadable;
}

static struct json_object *json_file(const struct vfile *v, const char *status, uint64_t ref_size,
				     bool have_ref, const struct pcs_verify_stats *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(v->path));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "inode", pcs_json_addr(v->inode));
	json_object_object_add(o, "ino", json_object_new_int64((int64_t)v->ino));
	json_object_object_add(o, "mapping", pcs_json_addr(v->mapping));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)v->size));
	if (have_ref)
		json_object_object_add(o, "ref_size", json_object_new_int64((int64_t)ref_size));
	json_object_object_add(o, "nrpages", json_object_new_int64((int64_t)v->nrpages));
	if (s) {
#define N(f) json_object_object_add(o, #f, json_object_new_int64((int64_t)s->f))
		N(cached);
		N(compared);
		N(differing);
		N(beyond_eof);
		N(excluded);
		N(inconsistent);
		N(errors);
		N(ranges);
		N(bytes);
#undef N
	}
	return o;
}

static void print_file(const struct vctx *c, const struct vfile *v, const char *status,
		       const struct pcs_verify_stats *s, uint64_t ref_size, const char *why)
{
	FILE *fp = c->o->out;

	if (!strcmp(status, "match") && !c->o->verbose)
		return;
	progress_clear(c);
	fprintf(fp, "%s: %s: %" PRIu64 " pages cached, %" PRIu64 " compared, %" PRIu64 " differ",
		v->path, status, s->cached, s->compared, s->differing);
	if (ref_size != v->size)
		fprintf(fp, ", size %" PRIu64 " vs reference %" PRIu64, v->size, ref_size);
	if (s->beyond_eof)
		fprintf(fp, ", %" PRIu64 " past the reference's end", s->beyond_eof);
	if (s->excluded)
		fprintf(fp, ", %" PRIu64 " not in the dump", s->excluded);
	if (s->inconsistent)
		fprintf(fp, ", %" PRIu64 " inconsistent", s->inconsistent);
	if (s->errors || s->ref_unreadable)
		fprintf(fp, ", %" PRIu64 " unreadable", s->errors + s->ref_unreadable);
	if (why)
		fprintf(fp, " (%s)", why);
	fputc('\n', fp);
}

static void add_job_stats(struct pcs_verify_stats *t, const struct pcs_verify_stats *s)
{
	t->cached += s->cached;
	t->compared += s->compared;
	t->reread_matched += s->reread_matched;
	t->matching += s->matching;
	t->differing += s->differing;
	t->beyond_eof += s->beyond_eof;
	t->excluded += s->excluded;
	t->inconsistent += s->inconsistent;
	t->errors += s->errors;
	t->ref_unreadable += s->ref_unreadable;
	t->ranges += s->ranges;
	t->bytes += s->bytes;
}

/* NULL when out of memory: the reports then say "out of memory". */
static char *dup_msg(const char *m)
{
	return strdup(m);
}

/* Calling thread, in job order: open the file's reference with its first job. */
static void job_prep(void *arg, size_t i)
{
	struct vctx *c = arg;
	const struct vplan *p = &c->plan[i];
	struct vjob *j = &c->slots[i % c->window];
	struct vfile *v = &c->files[p->file];
	struct pcs_error ferr = {0};

	j->i = i;
	memset(&j->s, 0, sizeof(j->s));
	j->rc = PCS_OK;
	j->first_why[0] = '\0';
	j->nd = j->nb = 0;
	j->nomem = false;
	if (!p->first_job)
		return;
	memset(&v->op, 0, sizeof(v->op));
	if (c->lock_refs)
		pcs_exec_lock(c->o->exec);
	v->op.frc = pcs_reffile_open(c->src, v->rel, &v->op.rf, &ferr);
	if (!v->op.frc)
		v->op.ref_size = pcs_reffile_size(v->op.rf);
	if (c->lock_refs)
		pcs_exec_unlock(c->o->exec);
	if (v->op.frc)
		v->op.fwhy = dup_msg(ferr.msg);
}

struct locked_ref {
	struct pcs_reffile *rf;
	const struct pcs_exec *x;
};

static enum pcs_errcode read_ref_locked(void *arg, uint64_t index, uint32_t page_size, void *buf,
					size_t *got, struct pcs_error *err)
{
	struct locked_ref *l = arg;
	enum pcs_errcode rc;

	pcs_exec_lock(l->x);
	rc = pcs_reffile_read_page(l->rf, index, page_size, buf, got, err);
	pcs_exec_unlock(l->x);
	return rc;
}

/* Any worker: compare the job's pages. */
static void job_work(void *arg, size_t i, unsigned int worker)
{
	struct vctx *c = arg;
	const struct vplan *p = &c->plan[i];
	struct vjob *j = &c->slots[i % c->window];
	const struct vfile *v = &c->files[p->file];
	struct pcs_verify_cb cb = {
	    .diff = on_diff, .page = on_page, .arg = j, .reread = c->o->reread};
	struct locked_ref l = {.rf = v->op.rf, .x = c->o->exec};

	if (v->op.frc)
		return;
	if (c->lock_refs)
		j->rc = pcs_verify_mapping_range(&c->ks[worker], v->mapping, p->first, p->count,
						 read_ref_locked, &l, &cb, &j->s, &j->err);
	else
		j->rc =
		    pcs_verify_mapping_range(&c->ks[worker], v->mapping, p->first, p->count,
					     pcs_reffile_read_page, v->op.rf, &cb, &j->s, &j->err);
	if (!j->rc && j->nomem)
		j->rc = pcs_error_set(&j->err, PCS_ERR_NOMEM, "out of memory keeping differences");
}

/* The file's last job is done: close its reference, report the file. */
static void finish_file(struct vctx *c, struct vfile *v)
{
	struct pcs_verify_totals *tot = c->tot;
	struct vopen *op = &v->op;
	const struct pcs_verify_stats *s = &op->s;
	const char *status;

	if (op->frc) {
		const char *why = op->fwhy ? op->fwhy : "out of memory";

		tot->missing++;
		status = op->frc == PCS_ERR_NOTFOUND ? "missing-ref" : "ref-error";
		if (c->o->json) {
			struct json_object *o = json_file(v, status, 0, false, NULL);

			json_object_object_add(o, "why", json_object_new_string(why));
			json_object_array_add(c->jfiles, o);
		} else {
			progress_clear(c);
			fprintf(c->o->out, "%s: %s (%" PRIu64 " pages cached)\n", v->path,
				op->frc == PCS_ERR_NOTFOUND ? "not in the reference" : why,
				v->nrpages);
		}
		goto out;
	}
	if (c->lock_refs)
		pcs_exec_lock(c->o->exec);
	pcs_reffile_close(op->rf);
	if (c->lock_refs)
		pcs_exec_unlock(c->o->exec);
	op->rf = NULL;
	tot->compared_files++;
	add_stats(tot, s);
	if (op->ref_size != v->size)
		tot->size_mismatch++;
	if (s->differing)
		tot->differing_files++;
	if (op->wrc)
		tot->errors++;
	status = op->wrc ? "error" : file_status(s, op->ref_size != v->size);
	{
		const char *why = op->wrc ? (op->wwhy ? op->wwhy : "out of memory") : op->first_why;

		if (c->o->json) {
			struct json_object *o = json_file(v, status, op->ref_size, true, s);

			if (why)
				json_object_object_add(o, "why", json_object_new_string(why));
			json_object_array_add(c->jfiles, o);
		} else {
			print_file(c, v, status, s, op->ref_size, why);
		}
	}
out:
	free(op->fwhy);
	free(op->wwhy);
	free(op->first_why);
	memset(op, 0, sizeof(*op));
}

/* Calling thread, in job order: report what the job found, as one walk would. */
static int job_done(void *arg, size_t i)
{
	struct vctx *c = arg;
	const struct vplan *p = &c->plan[i];
	const struct vjob *j = &c->slots[i % c->window];
	struct vfile *v = &c->files[p->file];
	struct vopen *op = &v->op;

	if (p->first_job) {
		c->tot->files++;
		if (c->o->progress)
			fprintf(c->o->progress,
				"\r\033[Kverify: %zu/%zu files, %" PRIu64 " pages: %s", p->file + 1,
				c->nfiles, c->tot->compared, v->path);
	}
	if (!op->frc && !op->wrc) {
		c->cur_path = v->path;
		for (size_t d = 0; d < j->nd; d++)
			emit_diff(c, &j->d[d], j->b + j->d[d].bytes,
				  j->b + j->d[d].bytes + j->d[d].length);
		add_job_stats(&op->s, &j->s);
		if (!op->first_why && j->first_why[0])
			op->first_why = dup_msg(j->first_why);
		if (j->rc) {
			op->wrc = j->rc;
			op->wwhy = dup_msg(j->err.msg);
		}
	}
	if (p->last_job)
		finish_file(c, v);
	return 0;
}

/* Cut every file into jobs of about VERIFY_JOB_PAGES cached pages. */
static bool plan_jobs(struct vctx *c, uint32_t page_size)
{
	size_t n = 0, k = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t f = 0; f < c->nfiles; f++) {
			const struct vfile *v = &c->files[f];
			uint64_t span = v->size / page_size + (v->size % page_size != 0);
			size_t m = pcs_split_ranges(v->nrpages, span, VERIFY_JOB_PAGES);

			if (!pass) {
				n += m;
				continue;
			}
			for (size_t r = 0; r < m; r++, k++) {
				struct vplan *p = &c->plan[k];

				p->file = f;
				pcs_split_range(span, m, r, &p->first, &p->count);
				p->first_job = r == 0;
				p->last_job = r + 1 == m;
			}
		}
		if (!pass) {
			c->njobs = n;
			c->plan = calloc(n ? n : 1, sizeof(*c->plan));
			if (!c->plan)
				return false;
		}
	}
	return true;
}

/* Every file, in c->files order, through the front end's workers (core/exec.h). */
static enum pcs_errcode verify_files(struct vctx *c, const struct pcs_kernel *k,
				     struct pcs_error *err)
{
	const struct pcs_exec *x = c->o->exec;
	struct pcs_jobs jobs = {.prep = job_prep, .work = job_work, .done = job_done, .arg = c};
	enum pcs_errcode rc = PCS_OK;

	c->lock_refs = !pcs_refsrc_parallel_reads(c->src);
	c->window = 4 * (size_t)pcs_exec_workers(x);
	c->ks = pcs_exec_kernels(x, k);
	c->slots = calloc(c->window, sizeof(*c->slots));
	if (!c->ks || !c->slots || !plan_jobs(c, k->page_size)) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory planning the comparison");
		goto out;
	}
	jobs.n = c->njobs;
	jobs.window = c->window;
	pcs_exec_run(x, &jobs);
out:
	for (size_t i = 0; c->slots && i < c->window; i++) {
		free(c->slots[i].d);
		free(c->slots[i].b);
	}
	free(c->slots);
	free(c->plan);
	free(c->ks);
	return rc;
}

static struct json_object *json_summary(const struct pcs_verify_tree_opts *o,
					const struct pcs_verify_totals *t)
{
	struct json_object *s = json_object_new_object();

#define N(name, v) json_object_object_add(s, name, json_object_new_int64((int64_t)(v)))
	N("files", t->files);
	N("files_compared", t->compared_files);
	N("files_missing_from_ref", t->missing);
	N("files_differing", t->differing_files);
	N("files_size_differs", t->size_mismatch);
	N("files_without_path", t->no_path);
	N("files_from_memmap_only", t->census_only);
	N("anomalies", t->anomalies);
	N("pages_cached", t->cached);
	N("pages_compared", t->compared);
	N("pages_differing", t->differing);
	N("ranges", t->ranges);
	N("bytes", t->bytes);
	N("pages_beyond_eof", t->beyond_eof);
	N("pages_excluded", t->excluded);
	N("pages_inconsistent", t->inconsistent);
	N("pages_unreadable", t->errors);
	if (o->reread)
		N("pages_reread_matched", t->reread_matched);
#undef N
	json_object_object_add(s, "page_cache_in_dump", json_object_new_boolean(!t->no_cache));
	return s;
}

static void print_summary(const struct pcs_verify_tree_opts *o, const struct pcs_verify_totals *t)
{
	FILE *fp = o->out;

	fprintf(fp,
		"summary: %" PRIu64 " files under %s (%" PRIu64 " compared, %" PRIu64
		" not in the reference), %" PRIu64 " pages cached, %" PRIu64 " compared, %" PRIu64
		" differ (%" PRIu64 " ranges, %" PRIu64 " bytes) in %" PRIu64 " files",
		t->files, o->at, t->compared_files, t->missing, t->cached, t->compared,
		t->differing, t->ranges, t->bytes, t->differing_files);
	if (t->size_mismatch)
		fprintf(fp, ", %" PRIu64 " files differ in size", t->size_mismatch);
	if (o->reread)
		fprintf(fp, ", %" PRIu64 " differed at first and matched when read again",
			t->reread_matched);
	if (t->excluded)
		fprintf(fp, ", %" PRIu64 " pages not in the dump", t->excluded);
	if (t->inconsistent)
		fprintf(fp, ", %" PRIu64 " inconsistent", t->inconsistent);
	if (t->anomalies)
		fprintf(fp, ", %" PRIu64 " pages claim a file but are not in its page cache",
			t->anomalies);
	if (t->no_path)
		fprintf(fp, "; %" PRIu64 " cached files have no path and were not compared",
			t->no_path);
	fputc('\n', fp);
}

enum pcs_errcode pcs_verify_tree(const struct pcs_kernel *k, const struct pcs_fs *fs,
				 struct pcs_refsrc *src, const char *ref_spec,
				 const struct pcs_verify_tree_opts *o,
				 struct pcs_verify_totals *tot, struct json_object **doc,
				 struct pcs_error *err)
{
	struct vctx c = {.o = o};
	struct json_object *jfiles = NULL, *janom = NULL;
	struct pcs_census cen;
	struct pcs_error cerr = {0};
	bool have_census;
	enum pcs_errcode rc;

	memset(tot, 0, sizeof(*tot));
	if (doc)
		*doc = NULL;
	c.plen = strlen(o->at);
	while (c.plen > 1 && o->at[c.plen - 1] == '/')
		c.plen--;
	memset(&cen, 0, sizeof(cen));
	rc = pcs_fs_for_each_inode(fs, true, collect, &c, err);
	have_census = !rc && pcs_census_take(k, &cen, &cerr) == PCS_OK;
	if (have_census)
		add_census(&c, k, fs, &cen);
	if (!rc && c.nomem)
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory listing the cached files");
	if (rc)
		goto out;
	tot->census_only = c.census_only;
	tot->no_path = have_census ? c.no_path : c.fs_no_path;
	if (o->json)
		janom = json_object_new_array();
	if (have_census)
		report_anomalies(&c, &cen, tot, janom);
	else if (!o->json)
		fprintf(o->out, "note: no memory-map census (%s): orphaned pages not looked for\n",
			cerr.msg);
	for (size_t i = 0; i < c.nfiles; i++)
		c.files[i].order = pcs_refsrc_order(src, c.files[i].rel);
	qsort(c.files, c.nfiles, sizeof(*c.files), by_order);
	if (o->json) {
		c.diffs = json_object_new_array();
		jfiles = json_object_new_array();
	}
	c.jfiles = jfiles;
	c.src = src;
	c.tot = tot;
	rc = verify_files(&c, k, err);
	progress_clear(&c);
	if (rc) {
		json_object_put(c.diffs);
		json_object_put(jfiles);
		json_object_put(janom);
		goto out;
	}
	tot->found = tot->differing || tot->size_mismatch || tot->beyond_eof || tot->inconsistent ||
		     tot->anomalies;
	tot->no_cache = tot->excluded && !tot->compared;
	if (o->json) {
		struct json_object *d = json_object_new_object(), *r = json_object_new_object();

		json_object_object_add(r, "source", json_object_new_string(ref_spec));
		json_object_object_add(r, "kind",
				       json_object_new_string(pcs_refsrc_kind_name(src)));
		json_object_object_add(d, "ref", r);
		json_object_object_add(d, "at", json_object_new_string(o->at));
		json_object_object_add(d, "differences", c.diffs);
		json_object_object_add(d, "files", jfiles);
		json_object_object_add(d, "anomalies", janom);
		if (!have_census)
			json_object_object_add(d, "census_error", json_object_new_string(cerr.msg));
		json_object_object_add(d, "summary", json_summary(o, tot));
		*doc = d;
	} else {
		print_summary(o, tot);
	}
out:
	for (size_t i = 0; i < c.nfiles; i++)
		free(c.files[i].path);
	free(c.files);
	pcs_census_free(&cen);
	return rc;
}
