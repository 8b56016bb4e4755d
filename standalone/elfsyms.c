// SPDX-License-Identifier: GPL-2.0-or-later
#include "elfsyms.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strhash.h"

struct sa_sym {
	uint64_t addr;
	uint64_t size;
	const char *name;
};

struct sa_elf {
	int fd;
	Elf *elf;
	int machine;
	char build_id[2 * 64 + 1];
	Elf_Data *symdata;
	size_t nsyms;
	size_t strndx;
	bool indexed, sorted_built;
	unsigned int nlookups;
	const Elf64_Sym *raw; /* direct view of the symbol table (ELFCLASS64, native order) */
	const char *strtab;
	size_t strsz;
	struct strhash byname;
	struct sa_sym *sorted; /* by address, functions and objects only */
	size_t nsorted;
};

static void read_build_id(struct sa_elf *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t off = 0, noff, doff;
		GElf_Nhdr nh;

		while (d && (off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    memcmp((char *)d->d_buf + noff, "GNU", 4) == 0 && nh.n_descsz <= 64) {
				const unsigned char *p = (unsigned char *)d->d_buf + doff;

				for (size_t i = 0; i < nh.n_descsz; i++)
					sprintf(e->build_id + 2 * i, "%02x", p[i]);
				return;
			}
		}
	}
}

enum pcs_errcode sa_elf_open(const char *path, struct sa_elf **out, struct pcs_error *err)
{
	struct sa_elf *e;
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	elf_version(EV_CURRENT);
	e = calloc(1, sizeof(*e));
	if (!e)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		int er = errno;

		free(e);
		return pcs_error_set(err, PCS_ERR_IO, "vmlinux %s: %s", path, strerror(er));
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &eh)) {
		sa_elf_close(e);
		return pcs_error_set(err, PCS_ERR_INVAL, "vmlinux %s: not an ELF file", path);
	}
	e->machine = eh.e_machine;
	while ((scn = elf_nextscn(e->elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			e->symdata = elf_getdata(scn, NULL);
			e->nsyms = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
			e->strndx = sh.sh_link;
			if (!e->symdata) {
				sa_elf_close(e);
				return pcs_error_set(
				    err, PCS_ERR_CORRUPT,
				    "vmlinux %s: symbol table unreadable (truncated file?)", path);
			}
			break;
		}
	}
	read_build_id(e);
	if (e->symdata && gelf_getclass(e->elf) == ELFCLASS64 && e->symdata->d_type == ELF_T_SYM) {
		Elf_Scn *ss = elf_getscn(e->elf, e->strndx);
		Elf_Data *sd = ss ? elf_getdata(ss, NULL) : NULL;

		if (sd && sd->d_buf) {
			e->raw = e->symdata->d_buf;
			e->strtab = sd->d_buf;
			e->strsz = sd->d_size;
		}
	}
	*out = e;
	return PCS_OK;
}

void sa_elf_close(struct sa_elf *e)
{
	if (!e)
		return;
	strhash_free(&e->byname);
	free(e->sorted);
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

int sa_elf_machine(const struct sa_elf *e)
{
	return e->machine;
}
const char *sa_elf_build_id(const struct sa_elf *e)
{
	return e->build_id;
}
bool sa_elf_has_symtab(const struct sa_elf *e)
{
	return e->symdata && e->nsyms;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sa_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* prefer sized, then global-looking names (no leading '.') */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return 0;
}

static const char *sym_name(const struct sa_elf *e, size_t i, GElf_Sym *s)
{
	if (e->raw) {
		const Elf64_Sym *r = &e->raw[i];

		s->st_name = r->st_name;
		s->st_info = r->st_info;
		s->st_shndx = r->st_shndx;
		s->st_value = r->st_value;
		s->st_size = r->st_size;
		return r->st_name < e->strsz ? e->strtab + r->st_name : NULL;
	}
	if (!gelf_getsym(e->symdata, (int)i, s))
		return NULL;
	return elf_strptr(e->elf, e->strndx, s->st_name);
}

static bool usable(const GElf_Sym *s, const char *name)
{
	int type = GELF_ST_TYPE(s->st_info);

	return name && *name && s->st_shndx != SHN_UNDEF && type != STT_FILE && type != STT_SECTION;
}

static int build_index(struct sa_elf *e)
{
	if (e->indexed)
		return 0;
	if (strhash_init(&e->byname, e->nsyms))
		return -1;
	/* globals first so they win over static duplicates */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 1; i < e->nsyms; i++) {
			GElf_Sym s;
			const char *name = sym_name(e, i, &s);

			if (!usable(&s, name) ||
			    (GELF_ST_BIND(s.st_info) == STB_LOCAL) != (pass == 1))
				continue;
			strhash_put(&e->byname, name, s.st_value);
		}
	}
	e->indexed = true;
	return 0;
}

static int build_sorted(struct sa_elf *e)
{
	if (e->sorted_built)
		return 0;
	e->sorted = calloc(e->nsyms ? e->nsyms : 1, sizeof(*e->sorted));
	if (!e->sorted)
		return -1;
	for (size_t i = 1; i < e->nsyms; i++) {
		GElf_Sym s;
		const char *name = sym_name(e, i, &s);
		int type = GELF_ST_TYPE(s.st_info);

		if (!usable(&s, name) || name[0] == '$' || name[0] == '.')
			continue;
		if (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE)
			e->sorted[e->nsorted++] =
			    (struct sa_sym){.addr = s.st_value, .size = s.st_size, .name = name};
	}
	qsort(e->sorted, e->nsorted, sizeof(*e->sorted), cmp_sym);
	e->sorted_built = true;
	return 0;
}

/* The first few lookups scan (a cold md5 needs only a handful); then index. */
static bool scan_symbol(struct sa_elf *e, const char *name, uint64_t *addr)
{
	bool found_local = false;
	uint64_t local = 0;

	for (size_t i = 1; i < e->nsyms; i++) {
		GElf_Sym s;
		const char *n = sym_name(e, i, &s);

		if (!n || n[0] != name[0] || strcmp(n, name) || !usable(&s, n))
			continue;
		if (GELF_ST_BIND(s.st_info) != STB_LOCAL) {
			*addr = s.st_value;
			return true;
		}
		if (!found_local) {
			found_local = true;
			local = s.st_value;
		}
	}
	if (found_local)
		*addr = local;
	return found_local;
}

enum pcs_errcode sa_elf_symbol(struct sa_elf *e, const char *name, uint64_t *addr,
			       struct pcs_error *err)
{
	if (!sa_elf_has_symtab(e))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "symbol %s: the vmlinux has no symbol table (stripped?)",
				     name);
	if (!e->indexed && ++e->nlookups <= 24) {
		if (scan_symbol(e, name, addr))
			return PCS_OK;
		return pcs_error_set(err, PCS_ERR_NOSYM, "symbol %s not found in vmlinux", name);
	}
	if (build_index(e))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory indexing symbols");
	if (!strhash_get(&e->byname, name, addr))
		return pcs_error_set(err, PCS_ERR_NOSYM, "symbol %s not found in vmlinux", name);
	return PCS_OK;
}

bool sa_elf_symbolize(struct sa_elf *e, uint64_t addr, const char **name, uint64_t *off,
		      uint64_t *size)
{
	if (!sa_elf_has_symtab(e) || build_sorted(e) || !e->nsorted)
		return false;
	size_t lo = 0, hi = e->nsorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e->sorted[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	/* walk back over same-address aliases to a sized one covering addr */
	for (size_t i = lo; i-- > 0 && lo - i < 64;) {
		const struct sa_sym *s = &e->sorted[i];

		if (s->size && addr < s->addr + s->size) {
			*name = s->name;
			*off = addr - s->addr;
			*size = s->size;
			return true;
		}
	}
	return false;
}

enum pcs_errcode sa_elf_read(struct sa_elf *e, uint64_t vaddr, void *buf, size_t len,
			     struct pcs_error *err)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_type == SHT_NOBITS)
			continue;
		if (vaddr < sh.sh_addr || vaddr + len > sh.sh_addr + sh.sh_size)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);

		if (!d || d->d_size < sh.sh_size)
			break;
		memcpy(buf, (char *)d->d_buf + (vaddr - sh.sh_addr), len);
		return PCS_OK;
	}
	return pcs_error_set(err, PCS_ERR_READ, "vmlinux has no file data at 0x%llx",
			     (unsigned long long)vaddr);
}
