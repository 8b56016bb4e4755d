// SPDX-License-Identifier: GPL-2.0-or-later
/* Type provider: DWARF through libdw (fallback for kernels without BTF). */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strhash.h"
#include "types.h"

struct dwarf_types {
	struct sa_types base;
	int fd;
	Dwarf *dw;
	struct strhash types; /* name → index into dies */
	Dwarf_Die *dies;
	size_t ndies, capdies;
	char **names; /* owned strings for both tables */
	size_t nnames, capnames;
};

static const char *own(struct dwarf_types *dt, const char *s)
{
	if (dt->nnames == dt->capnames) {
		size_t nc = dt->capnames ? dt->capnames * 2 : 4096;
		char **n = realloc(dt->names, nc * sizeof(*n));

		if (!n)
			return NULL;
		dt->names = n;
		dt->capnames = nc;
	}
	char *c = strdup(s);

	if (c)
		dt->names[dt->nnames++] = c;
	return c;
}

static int add_die(struct dwarf_types *dt, Dwarf_Die *die, const char *name)
{
	uint64_t dummy;

	if (strhash_get(&dt->types, name, &dummy))
		return 0;
	if (dt->ndies == dt->capdies) {
		size_t nc = dt->capdies ? dt->capdies * 2 : 4096;
		Dwarf_Die *n = realloc(dt->dies, nc * sizeof(*n));

		if (!n)
			return -1;
		dt->dies = n;
		dt->capdies = nc;
	}
	const char *k = own(dt, name);

	if (!k)
		return -1;
	dt->dies[dt->ndies] = *die;
	return strhash_put(&dt->types, k, dt->ndies++);
}

static int index_cu(struct dwarf_types *dt, Dwarf_Die *cu)
{
	Dwarf_Die child;

	if (dwarf_child(cu, &child) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&child);
		const char *name = dwarf_diename(&child);
		Dwarf_Attribute a;
		bool decl = dwarf_attr(&child, DW_AT_declaration, &a) != NULL;

		if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
		     tag == DW_TAG_typedef || tag == DW_TAG_base_type) &&
		    name && !decl) {
			if (add_die(dt, &child, name))
				return -1;
		}
		if (tag == DW_TAG_enumeration_type) {
			Dwarf_Die e;

			if (dwarf_child(&child, &e) == 0) {
				do {
					Dwarf_Word v;
					Dwarf_Attribute va;
					const char *en = dwarf_diename(&e);
					uint64_t dummy;

					if (!en || strhash_get(&dt->base.enums, en, &dummy))
						continue;
					if (!dwarf_attr(&e, DW_AT_const_value, &va))
						continue;
					if (dwarf_formudata(&va, &v) != 0)
						continue;
					const char *k = own(dt, en);

					if (!k || strhash_put(&dt->base.enums, k, v))
						return -1;
				} while (dwarf_siblingof(&e, &e) == 0);
			}
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

static bool peel(Dwarf_Die *die)
{
	for (int i = 0; i < 32; i++) {
		int tag = dwarf_tag(die);
		Dwarf_Attribute a;

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type)
			return true;
		if (!dwarf_attr(die, DW_AT_type, &a) || !dwarf_formref_die(&a, die))
			return false;
	}
	return false;
}

_Static_assert(sizeof(Dwarf_Die) <= sizeof(struct sa_type_ref), "a DIE fits a type handle");

static bool dw_aggregate(struct sa_types *ty, const char *type, struct sa_type_ref *ref)
{
	struct dwarf_types *dt = (struct dwarf_types *)ty;
	uint64_t idx;

	if (!strhash_get(&dt->types, type, &idx))
		return false;
	memcpy(ref->bytes, &dt->dies[idx], sizeof(Dwarf_Die));
	return true;
}

static int dw_members(struct sa_types *ty, const struct sa_type_ref *agg, sa_member_fn fn,
		      void *arg)
{
	Dwarf_Die st, m;

	(void)ty;
	memcpy(&st, agg->bytes, sizeof(st));
	if (!peel(&st) || dwarf_child(&st, &m) != 0)
		return -1;
	do {
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		Dwarf_Word o = 0;
		Dwarf_Attribute a, ta;
		Dwarf_Die t;
		struct sa_type_ref mt;
		int rc;

		if (dwarf_attr(&m, DW_AT_data_member_location, &a))
			dwarf_formudata(&a, &o);
		if (!dwarf_attr(&m, DW_AT_type, &ta) || !dwarf_formref_die(&ta, &t))
			continue;
		memcpy(mt.bytes, &t, sizeof(t));
		rc = fn(arg, dwarf_diename(&m), (uint64_t)o * 8, &mt);
		if (rc)
			return rc;
	} while (dwarf_siblingof(&m, &m) == 0);
	return 0;
}

static enum pcs_errcode dw_type_size(struct sa_types *ty, const char *type, uint64_t *size,
				     struct pcs_error *err)
{
	struct dwarf_types *dt = (struct dwarf_types *)ty;
	uint64_t idx;

	type = sa_types_strip_tag(type);
	if (!strhash_get(&dt->types, type, &idx))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "type %s not found in DWARF", type);
	Dwarf_Die d = dt->dies[idx];

	if (!peel(&d))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "type %s unresolvable in DWARF", type);
	int s = dwarf_bytesize(&d);

	if (s < 0)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "size of %s unknown in DWARF", type);
	*size = (uint64_t)s;
	return PCS_OK;
}

static void dw_destroy(struct sa_types *ty)
{
	struct dwarf_types *dt = (struct dwarf_types *)ty;

	sa_types_release(&dt->base);
	strhash_free(&dt->types);
	for (size_t i = 0; i < dt->nnames; i++)
		free(dt->names[i]);
	free(dt->names);
	free(dt->dies);
	if (dt->dw)
		dwarf_end(dt->dw);
	if (dt->fd >= 0)
		close(dt->fd);
	free(dt);
}

static const struct sa_types_ops dw_ops = {
    .aggregate = dw_aggregate,
    .members = dw_members,
    .type_size = dw_type_size,
    .destroy = dw_destroy,
};

enum pcs_errcode sa_types_open_dwarf(const char *path, struct sa_types **out, struct pcs_error *err)
{
	struct dwarf_types *dt = calloc(1, sizeof(*dt));

	if (!dt)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	dt->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (dt->fd < 0 || sa_types_init(&dt->base, &dw_ops, "DWARF", 65536) ||
	    strhash_init(&dt->types, 65536)) {
		dw_destroy(&dt->base);
		return pcs_error_set(err, PCS_ERR_IO, "%s: cannot open", path);
	}
	dt->dw = dwarf_begin(dt->fd, DWARF_C_READ);
	if (!dt->dw) {
		dw_destroy(&dt->base);
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "%s has neither .BTF nor DWARF debug info", path);
	}
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dt->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dt->dw, off + hsize, &cu) && index_cu(dt, &cu)) {
			dw_destroy(&dt->base);
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory indexing DWARF");
		}
		off = next;
	}
	*out = &dt->base;
	return PCS_OK;
}
