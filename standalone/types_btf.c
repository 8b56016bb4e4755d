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
};

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

	if (strhash_init(&bt->types, 16384))
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

				if (strhash_put(&bt->base.enums,
						btf__name_by_offset(bt->btf, e->name_off),
						(uint64_t)v))
					return -1;
			}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (int i = 0; i < btf_vlen(t); i++, e++)
				if (strhash_put(&bt->base.enums,
						btf__name_by_offset(bt->btf, e->name_off),
						btf_enum64_value(e)))
					return -1;
		}
	}
	return 0;
}

static uint32_t ref_id(const struct sa_type_ref *ref)
{
	uint32_t id;

	memcpy(&id, ref->bytes, sizeof(id));
	return id;
}

static void set_ref(struct sa_type_ref *ref, uint32_t id)
{
	memcpy(ref->bytes, &id, sizeof(id));
}

static bool btf_find_aggregate(struct sa_types *ty, const char *type, struct sa_type_ref *ref)
{
	struct btf_types *bt = (struct btf_types *)ty;
	uint64_t id;

	if (!strhash_get(&bt->types, type, &id))
		return false;
	set_ref(ref, (uint32_t)id);
	return true;
}

static int btf_each_member(struct sa_types *ty, const struct sa_type_ref *agg, sa_member_fn fn,
			   void *arg)
{
	const struct btf *btf = ((struct btf_types *)ty)->btf;
	uint32_t id = ref_id(agg);
	const struct btf_type *t = skip_mods(btf, &id);

	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return -1;
	const struct btf_member *m = btf_members(t);

	for (int i = 0; i < btf_vlen(t); i++, m++) {
		struct sa_type_ref mt;
		int rc;

		set_ref(&mt, m->type);
		rc = fn(arg, m->name_off ? btf__name_by_offset(btf, m->name_off) : NULL,
			btf_member_bit_offset(t, i), &mt);
		if (rc)
			return rc;
	}
	return 0;
}

static enum pcs_errcode btf_type_size(struct sa_types *ty, const char *type, uint64_t *size,
				      struct pcs_error *err)
{
	struct btf_types *bt = (struct btf_types *)ty;
	uint64_t id;
	int32_t id2;

	type = sa_types_strip_tag(type);
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

static void btf_destroy(struct sa_types *ty)
{
	struct btf_types *bt = (struct btf_types *)ty;

	sa_types_release(&bt->base);
	strhash_free(&bt->types);
	btf__free(bt->btf);
	free(bt);
}

static const struct sa_types_ops btf_ops = {
    .aggregate = btf_find_aggregate,
    .members = btf_each_member,
    .type_size = btf_type_size,
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
	bt->btf = btf;
	if (sa_types_init(&bt->base, &btf_ops, "BTF", 16384) || build_index(bt)) {
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
