// SPDX-License-Identifier: GPL-2.0-or-later
/* Type provider: BTF through libbpf (vmlinux .BTF section or a raw blob). */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "strhash.h"
#include "types.h"

struct btf_types {
	struct sa_types base;
	struct btf *btf;
	struct strhash types; /* struct/union name → type id */
	struct strhash enums; /* enumerator name → value */
	struct strhash cache; /* "type.member" → offset (keys owned) */
};

static const char *strip_tag(const char *type)
{
	if (strncmp(type, "struct ", 7) == 0)
		return type + 7;
	if (strncmp(type, "union ", 6) == 0)
		return type + 6;
	return type;
}

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	for (int depth = 0; t && depth < 32; depth++) {
		if (!btf_is_mod(t) && !btf_is_typedef(t))
			return t;
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static int build_index(struct btf_types *bt)
{
	uint32_t n = btf__type_cnt(bt->btf);

	if (strhash_init(&bt->types, 16384) || strhash_init(&bt->enums, 16384) ||
	    strhash_init(&bt->cache, 256))
		return -1;
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(bt->btf, id);

		if ((btf_is_struct(t) || btf_is_union(t)) && t->name_off) {
			if (strhash_put(&bt->types, btf__name_by_offset(bt->btf, t->name_off), id))
				return -1;
		} else if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (int i = 0; i < btf_vlen(t); i++, e++) {
				int64_t v =
				    btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;

				if (strhash_put(&bt->enums,
						btf__name_by_offset(bt->btf, e->name_off),
						(uint64_t)v))
					return -1;
			}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (int i = 0; i < btf_vlen(t); i++, e++)
				if (strhash_put(&bt->enums,
						btf__name_by_offset(bt->btf, e->name_off),
						btf_enum64_value(e)))
					return -1;
		}
	}
	return 0;
}

/* Find member `name` in struct/union `id`, descending into anonymous members. */
static int find_member(const struct btf *btf, uint32_t id, const char *name, size_t namelen,
		       uint64_t *bitoff, uint32_t *mtype, int depth)
{
	const struct btf_type *t = skip_mods(btf, &id);

	if (!t || depth > 16 || !(btf_is_struct(t) || btf_is_union(t)))
		return -1;
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		uint64_t off = btf_member_bit_offset(t, i);

		if (m->name_off) {
			const char *mn = btf__name_by_offset(btf, m->name_off);

			if (strlen(mn) == namelen && memcmp(mn, name, namelen) == 0) {
				*bitoff = off;
				*mtype = m->type;
				return 0;
			}
		} else {
			uint64_t sub;

			if (find_member(btf, m->type, name, namelen, &sub, mtype, depth + 1) == 0) {
				*bitoff = off + sub;
				return 0;
			}
		}
	}
	return -1;
}

static enum pcs_errcode btf_member_offset(struct sa_types *ty, const char *type, const char *member,
					  uint64_t *off, struct pcs_error *err)
{
	struct btf_types *bt = (struct btf_types *)ty;
	char key[256];
	uint64_t id, total = 0;

	type = strip_tag(type);
	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (strhash_get(&bt->cache, key, off))
		return PCS_OK;
	if (!strhash_get(&bt->types, type, &id))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "struct %s not found in BTF", type);
	uint32_t cur = (uint32_t)id;
	const char *p = member;

	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		uint64_t bit;
		uint32_t mt;

		if (find_member(bt->btf, cur, p, len, &bit, &mt, 0))
			return pcs_error_set(err, PCS_ERR_NOTYPE, "member %s.%s not found in BTF",
					     type, member);
		total += bit;
		cur = mt;
		p = dot ? dot + 1 : p + len;
	}
	*off = total / 8;
	char *k = strdup(key);

	if (k && strhash_put(&bt->cache, k, *off))
		free(k);
	return PCS_OK;
}

static enum pcs_errcode btf_type_size(struct sa_types *ty, const char *type, uint64_t *size,
				      struct pcs_error *err)
{
	struct btf_types *bt = (struct btf_types *)ty;
	uint64_t id;
	int32_t id2;

	type = strip_tag(type);
	if (!strhash_get(&bt->types, type, &id)) {
		/* typedefs and base types ("pgd_t", "long") */
		id2 = btf__find_by_name(bt->btf, type);
		if (id2 <= 0)
			return pcs_error_set(err, PCS_ERR_NOTYPE, "type %s not found in BTF", type);
		id = (uint64_t)id2;
	}
	long long s = btf__resolve_size(bt->btf, (uint32_t)id);

	if (s < 0)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "size of %s not resolvable in BTF", type);
	*size = (uint64_t)s;
	return PCS_OK;
}

static enum pcs_errcode btf_enum_value(struct sa_types *ty, const char *name, int64_t *value,
				       struct pcs_error *err)
{
	struct btf_types *bt = (struct btf_types *)ty;
	uint64_t v;

	if (!strhash_get(&bt->enums, name, &v))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "enumerator %s not found in BTF", name);
	*value = (int64_t)v;
	return PCS_OK;
}

static void btf_destroy(struct sa_types *ty)
{
	struct btf_types *bt = (struct btf_types *)ty;

	for (size_t i = 0; i < bt->cache.cap; i++)
		free((char *)bt->cache.ents[i].key);
	strhash_free(&bt->cache);
	strhash_free(&bt->types);
	strhash_free(&bt->enums);
	btf__free(bt->btf);
	free(bt);
}

static const struct sa_types_ops btf_ops = {
    .member_offset = btf_member_offset,
    .type_size = btf_type_size,
    .enum_value = btf_enum_value,
    .destroy = btf_destroy,
};

static enum pcs_errcode finish(struct btf *btf, const char *what, struct sa_types **out,
			       struct pcs_error *err)
{
	struct btf_types *bt = calloc(1, sizeof(*bt));

	if (!bt) {
		btf__free(btf);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory loading BTF");
	}
	bt->base.ops = &btf_ops;
	bt->base.kind = "BTF";
	bt->btf = btf;
	if (build_index(bt)) {
		btf_destroy(&bt->base);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory indexing BTF of %s", what);
	}
	*out = &bt->base;
	return PCS_OK;
}

enum pcs_errcode sa_types_open_btf(const char *path, struct sa_types **out, struct pcs_error *err)
{
	struct btf *btf;

	libbpf_set_print(NULL); /* errors are reported once, by us */
	btf = btf__parse(path, NULL);
	if (!btf) {
		int e = errno;

		return pcs_error_set(err, e == ENOENT ? PCS_ERR_NOTYPE : PCS_ERR_IO,
				     "%s: no usable .BTF section (%s)", path, strerror(e));
	}
	return finish(btf, path, out, err);
}

enum pcs_errcode sa_types_open_btf_raw(const void *data, uint32_t size, struct sa_types **out,
				       struct pcs_error *err)
{
	struct btf *btf = btf__new(data, size);

	if (!btf)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "BTF blob of %u bytes does not parse (%s)", size,
				     strerror(errno));
	return finish(btf, "raw blob", out, err);
}
