// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The provider-independent part of the type providers: dotted member paths
 * ("d_name.len"), members reached through anonymous structs/unions, the offset
 * cache and enumerators. A provider (types_btf.c, types_dwarf.c) only names
 * aggregates and lists their members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"

int sa_types_init(struct sa_types *ty, const struct sa_types_ops *ops, const char *kind,
		  size_t enums_expected)
{
	ty->ops = ops;
	ty->kind = kind;
	if (strhash_init(&ty->enums, enums_expected) || strhash_init(&ty->member_cache, 256))
		return -1;
	return 0;
}

void sa_types_release(struct sa_types *ty)
{
	for (size_t i = 0; i < ty->member_cache.cap; i++)
		free((char *)ty->member_cache.ents[i].key);
	strhash_free(&ty->member_cache);
	strhash_free(&ty->enums);
}

const char *sa_types_strip_tag(const char *type)
{
	if (strncmp(type, "struct ", 7) == 0)
		return type + 7;
	if (strncmp(type, "union ", 6) == 0)
		return type + 6;
	return type;
}

struct find {
	struct sa_types *ty;
	const char *name;
	size_t len;
	int depth;
	uint64_t bitoff;	 /* out */
	struct sa_type_ref type; /* out */
};

static int find_member(struct sa_types *ty, const struct sa_type_ref *agg, const char *name,
		       size_t len, uint64_t *bitoff, struct sa_type_ref *mtype, int depth);

static int visit(void *arg, const char *mname, uint64_t bitoff, const struct sa_type_ref *mtype)
{
	struct find *f = arg;
	uint64_t sub;

	if (mname) {
		if (strlen(mname) != f->len || memcmp(mname, f->name, f->len) != 0)
			return 0;
		f->bitoff = bitoff;
		f->type = *mtype;
		return 1;
	}
	if (find_member(f->ty, mtype, f->name, f->len, &sub, &f->type, f->depth + 1))
		return 0;
	f->bitoff = bitoff + sub;
	return 1;
}

/* Member name[0..len) of agg, directly or through anonymous members. 0 or -1. */
static int find_member(struct sa_types *ty, const struct sa_type_ref *agg, const char *name,
		       size_t len, uint64_t *bitoff, struct sa_type_ref *mtype, int depth)
{
	struct find f = {.ty = ty, .name = name, .len = len, .depth = depth};

	if (depth > 16 || ty->ops->members(ty, agg, visit, &f) != 1)
		return -1;
	*bitoff = f.bitoff;
	*mtype = f.type;
	return 0;
}

enum pcs_errcode sa_types_member_offset(struct sa_types *ty, const char *type, const char *member,
					uint64_t *off, struct pcs_error *err)
{
	struct sa_type_ref cur;
	char key[256];
	uint64_t total = 0;

	type = sa_types_strip_tag(type);
	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (strhash_get(&ty->member_cache, key, off))
		return PCS_OK;
	if (!ty->ops->aggregate(ty, type, &cur))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "struct %s not found in %s", type,
				     ty->kind);
	for (const char *p = member; *p;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		uint64_t bit;

		if (find_member(ty, &cur, p, len, &bit, &cur, 0))
			return pcs_error_set(err, PCS_ERR_NOTYPE, "member %s.%s not found in %s",
					     type, member, ty->kind);
		total += bit;
		p = dot ? dot + 1 : p + len;
	}
	*off = total / 8;
	char *k = strdup(key);

	if (k && strhash_put(&ty->member_cache, k, *off))
		free(k);
	return PCS_OK;
}

enum pcs_errcode sa_types_enum_value(struct sa_types *ty, const char *name, int64_t *value,
				     struct pcs_error *err)
{
	uint64_t v;

	if (!strhash_get(&ty->enums, name, &v))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "enumerator %s not found in %s", name,
				     ty->kind);
	*value = (int64_t)v;
	return PCS_OK;
}
