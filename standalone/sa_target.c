// SPDX-License-Identifier: GPL-2.0-or-later
#include "sa_target.h"
#include "kcache.h"

#include "dumphdr.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_src.h"
#include "kallsyms.h"
#include "roots.h"

static enum pcs_errcode map_kdump(struct sa_target *st, kdump_status ks, struct pcs_error *err,
				  const char *what, uint64_t addr)
{
	switch (ks) {
	case KDUMP_OK: return PCS_OK;
	case KDUMP_ERR_NODATA:
		return pcs_error_set(err, PCS_ERR_NODATA,
				     "%s 0x%" PRIx64 " is not in the dump (%s)", what, addr,
				     kdump_get_err(st->kd));
	case KDUMP_ERR_EOF:
		return pcs_error_set(err, PCS_ERR_READ,
				     "%s 0x%" PRIx64 ": vmcore ends early (truncated file?): %s",
				     what, addr, kdump_get_err(st->kd));
	case KDUMP_ERR_CORRUPT:
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "%s 0x%" PRIx64 ": corrupt vmcore data: %s", what, addr,
				     kdump_get_err(st->kd));
	case KDUMP_ERR_ADDRXLAT:
		return pcs_error_set(err, PCS_ERR_READ, "%s 0x%" PRIx64 " cannot be translated: %s",
				     what, addr, kdump_get_err(st->kd));
	default:
		return pcs_error_set(err, PCS_ERR_READ, "%s 0x%" PRIx64 ": %s", what, addr,
				     kdump_get_err(st->kd));
	}
}

/* ELF: is every byte of [paddr, paddr + len) backed by file data? */
static bool elf_stored(const struct sa_target *st, uint64_t paddr, uint64_t len)
{
	uint64_t a = paddr, end = paddr + len;

	while (a < end) {
		uint64_t best = 0;

		for (size_t i = 0; i < st->layout.nloads; i++) {
			const struct pcs_dump_seg *l = &st->layout.loads[i];

			if (a >= l->paddr && a < l->paddr + l->filesz &&
			    l->paddr + l->filesz > best)
				best = l->paddr + l->filesz;
		}
		if (!best)
			return false;
		a = best;
	}
	return true;
}

static bool xlat(struct sa_target *st, uint64_t vaddr, uint64_t *paddr)
{
	if (!st->kd)
		return false;
	if (!st->xctx && kdump_get_addrxlat(st->kd, &st->xctx, &st->xsys) != KDUMP_OK) {
		st->xctx = NULL;
		return false;
	}
	addrxlat_fulladdr_t fa = {.addr = vaddr, .as = ADDRXLAT_KVADDR};

	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, st->xctx, st->xsys) != ADDRXLAT_OK)
		return false;
	*paddr = fa.addr;
	return true;
}

/* ELF dumps with filtered ranges: refuse zero-filled pages. */
static enum pcs_errcode elf_guard(struct sa_target *st, enum pcs_addrspace as, uint64_t addr,
				  size_t len, struct pcs_error *err)
{
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096;

	if (as == PCS_KPHYSADDR) {
		if (!elf_stored(st, addr, len))
			return pcs_error_set(err, PCS_ERR_NODATA,
					     "physical address 0x%" PRIx64
					     " is not in the dump (filtered out of this ELF dump)",
					     addr);
		return PCS_OK;
	}
	for (uint64_t a = addr & ~(ps - 1); a < addr + len; a += ps) {
		uint64_t pa, lo = a < addr ? addr : a,
			     hi = a + ps > addr + len ? addr + len : a + ps;

		if (xlat(st, lo, &pa) && !elf_stored(st, pa, hi - lo))
			return pcs_error_set(err, PCS_ERR_NODATA,
					     "address 0x%" PRIx64 " (physical 0x%" PRIx64
					     ") is not in the dump (filtered out of this ELF dump)",
					     lo, pa);
	}
	return PCS_OK;
}

/*
 * libkdumpfile 0.5.1 breaks its page cache on reads of pages the dump lacks: after
 * a multi-page read stopped by one, or after many single-page ones (a scan of a
 * makedumpfile -d 31 dump), a later read copies or decompresses through a NULL
 * pointer. So it is never asked for such a page when the makedumpfile bitmap
 * already says: physical reads of any size are checked page by page, virtual
 * reads spanning pages after translating each page.
 */
static bool pagemap_load(struct sa_target *st);

/* The makedumpfile bitmap says pfn is not in the dump (false when there is none). */
static bool bitmap_absent(struct sa_target *st, uint64_t pfn)
{
	unsigned char raw = 1;

	return pagemap_load(st) && kdump_bmp_get_bits(st->pagemap, pfn, pfn, &raw) == KDUMP_OK &&
	       !(raw & 1);
}

static enum pcs_errcode absent_guard(struct sa_target *st, enum pcs_addrspace as, uint64_t addr,
				     size_t len, struct pcs_error *err)
{
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096;

	if (!len || (as == PCS_KVADDR && addr / ps == (addr + len - 1) / ps))
		return PCS_OK;
	for (uint64_t a = addr & ~(ps - 1); a < addr + len; a += ps) {
		uint64_t lo = a < addr ? addr : a, pa = lo;

		if (as == PCS_KVADDR && !xlat(st, lo, &pa))
			continue; /* kdump_read reports the translation itself */
		if (bitmap_absent(st, pa / ps))
			return as == PCS_KPHYSADDR
				   ? pcs_error_set(err, PCS_ERR_NODATA,
						   "physical page 0x%" PRIx64 " is not in the dump",
						   pa & ~(ps - 1))
				   : pcs_error_set(err, PCS_ERR_NODATA,
						   "address 0x%" PRIx64 " (physical 0x%" PRIx64
						   ") is not in the dump",
						   lo, pa);
	}
	return PCS_OK;
}

/* The translation cache entry for a read of [addr, addr + len), or NULL if it spans pages. */
static struct sa_tlb *tlb_slot(struct sa_target *st, uint64_t addr, size_t len)
{
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096;

	if (st->elf_holes || !len || addr / ps != (addr + len - 1) / ps)
		return NULL;
	return &st->tlb[(addr / ps) % (sizeof(st->tlb) / sizeof(st->tlb[0]))];
}

/* A physical read of the dump, refusing what it lacks (see absent_guard). */
static enum pcs_errcode read_phys(struct sa_target *st, uint64_t addr, void *buf, size_t len,
				  struct pcs_error *err)
{
	enum pcs_errcode g = st->elf_holes ? elf_guard(st, PCS_KPHYSADDR, addr, len, err)
					   : absent_guard(st, PCS_KPHYSADDR, addr, len, err);
	size_t n = len;

	if (g)
		return g;
	kdump_status ks = kdump_read(st->kd, KDUMP_KPHYSADDR, addr, buf, &n);

	if (ks == KDUMP_OK && n != len)
		return pcs_error_set(err, PCS_ERR_READ, "short read at physical 0x%" PRIx64, addr);
	return map_kdump(st, ks, err, "physical address", addr);
}

/* kboot: physical reads and VMCOREINFO of this dump, nothing else. */
static enum pcs_errcode boot_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				  size_t len, struct pcs_error *err)
{
	if (as != PCS_KPHYSADDR)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "address 0x%" PRIx64 ": no kernel virtual reads while the "
				     "page-table walker is set up",
				     addr);
	return read_phys(priv, addr, buf, len, err);
}

static enum pcs_errcode boot_symbol(void *priv, const char *name, uint64_t *addr,
				    struct pcs_error *err)
{
	struct sa_target *st = priv;
	char key[160];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	return pcs_vmcoreinfo_u64(&st->kboot, key, addr, err);
}

static enum pcs_errcode boot_notype(void *priv, const char *type, const char *member, uint64_t *off,
				    struct pcs_error *err)
{
	(void)priv, (void)off;
	return pcs_error_set(err, PCS_ERR_NOTYPE, "%s.%s: no types while setting up", type, member);
}

static enum pcs_errcode boot_nosize(void *priv, const char *type, uint64_t *size,
				    struct pcs_error *err)
{
	(void)priv, (void)size;
	return pcs_error_set(err, PCS_ERR_NOTYPE, "%s: no types while setting up", type);
}

static enum pcs_errcode boot_noenum(void *priv, const char *name, int64_t *value,
				    struct pcs_error *err)
{
	(void)priv, (void)value;
	return pcs_error_set(err, PCS_ERR_NOTYPE, "%s: no types while setting up", name);
}

static enum pcs_errcode op_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
				      struct pcs_error *err);

static const struct pcs_target_ops boot_ops = {
    .read = boot_read,
    .symbol_addr = boot_symbol,
    .member_offset = boot_notype,
    .type_size = boot_nosize,
    .enum_value = boot_noenum,
    .vmcoreinfo = op_vmcoreinfo,
};

/* Set up core's walker for this dump once; false: libaddrxlat translates instead. */
static bool kwalk_ready(struct sa_target *st)
{
	struct pcs_error e = {0};

	if (st->kwalk_state == SA_KWALK_UNSET) {
		st->kwalk_state = SA_KWALK_BUSY;
		st->kboot = st->t;
		st->kboot.ops = &boot_ops;
		st->kboot.priv = st;
		if (pcs_pte_walker_init(&st->kwalk, &st->kboot, &e)) {
			snprintf(st->kwalk_why, sizeof(st->kwalk_why), "%.190s", e.msg);
			st->kwalk_state = SA_KWALK_NONE;
		} else {
			st->kwalk_state = SA_KWALK_OK;
		}
	}
	return st->kwalk_state == SA_KWALK_OK;
}

const char *sa_kvaddr_how(struct sa_target *st, char *buf, size_t len)
{
	if (st->kc)
		snprintf(buf, len, "/proc/kcore's program headers");
	else if (kwalk_ready(st))
		snprintf(buf, len,
			 "the kernel page tables, walked by pcsleuth (%s at physical 0x%" PRIx64
			 ")",
			 st->t.arch == PCS_ARCH_ARM64 ? "swapper_pg_dir" : "init_top_pgt",
			 st->t.arch == PCS_ARCH_ARM64 ? st->kwalk.l.arm64.swapper_pg_dir
						      : st->kwalk.l.x86_64.init_top_pgt);
	else
		snprintf(buf, len, "libkdumpfile's libaddrxlat (pcsleuth's walker: %s)",
			 st->kwalk_why);
	return buf;
}

/* Translate with the spans seen before, else core's walker (remembering a large span). */
static enum pcs_errcode kvtop(struct sa_target *st, uint64_t vaddr, uint64_t *paddr,
			      struct pcs_error *err)
{
	size_t nbig = sizeof(st->kbig) / sizeof(st->kbig[0]);
	struct sa_kspan *b = &st->kblock[(vaddr >> 21) % (sizeof(st->kblock) / sizeof(*b))];
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096, vbase, pbase, size;
	enum pcs_errcode rc;

	for (size_t i = 0; i < nbig && st->kbig[i].size; i++)
		if (vaddr - st->kbig[i].vbase < st->kbig[i].size) {
			*paddr = st->kbig[i].pbase + (vaddr - st->kbig[i].vbase);
			return PCS_OK;
		}
	if (b->size && vaddr - b->vbase < b->size) {
		*paddr = b->pbase + (vaddr - b->vbase);
		return PCS_OK;
	}
	if ((rc = pcs_pte_walker_kvtop(&st->kwalk, vaddr, paddr, &vbase, &pbase, &size, err)))
		return rc;
	if (size >= (UINT64_C(1) << 30)) {
		memmove(&st->kbig[1], &st->kbig[0], sizeof(st->kbig) - sizeof(st->kbig[0]));
		st->kbig[0] = (struct sa_kspan){.vbase = vbase, .pbase = pbase, .size = size};
	} else if (size > ps) {
		*b = (struct sa_kspan){.vbase = vbase, .pbase = pbase, .size = size};
	}
	return PCS_OK;
}

/* A kernel virtual read translated page by page with core's walker (see kwalk_state). */
static enum pcs_errcode read_kvaddr_walked(struct sa_target *st, uint64_t addr, void *buf,
					   size_t len, struct pcs_error *err)
{
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096;
	size_t ntlb = sizeof(st->tlb) / sizeof(st->tlb[0]);
	uint8_t *p = buf;

	while (len) {
		uint64_t vpage = addr & ~(ps - 1), pa;
		size_t n = (size_t)(vpage + ps - addr);
		struct sa_tlb *e = &st->tlb[(addr / ps) % ntlb];
		struct pcs_error we = {0};
		enum pcs_errcode rc;

		if (n > len)
			n = len;
		if (vpage && e->vpage == vpage) {
			pa = e->ppage + (addr - vpage);
		} else if ((rc = kvtop(st, addr, &pa, &we))) {
			return pcs_error_set(err, rc == PCS_ERR_NODATA ? rc : PCS_ERR_READ,
					     "address 0x%" PRIx64 " cannot be translated: %s", addr,
					     we.msg);
		}
		if ((rc = read_phys(st, pa, p, n, &we)))
			return pcs_error_set(err, rc, "address 0x%" PRIx64 ": %s", addr, we.msg);
		if (vpage)
			*e = (struct sa_tlb){.vpage = vpage, .ppage = pa - (addr - vpage)};
		addr += n;
		p += n;
		len -= n;
	}
	return PCS_OK;
}

static enum pcs_errcode op_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				size_t len, struct pcs_error *err)
{
	struct sa_target *st = priv;
	uint64_t ps = st->t.page_size ? st->t.page_size : 4096, vpage = addr & ~(ps - 1);
	struct sa_tlb *e;
	size_t n = len;

	if (st->kc)
		return sa_kcore_read(st->kc, as, addr, buf, len, err);
	if (as == PCS_KPHYSADDR)
		return read_phys(st, addr, buf, len, err);
	if (kwalk_ready(st))
		return read_kvaddr_walked(st, addr, buf, len, err);
	/* libaddrxlat's translation, inside libkdumpfile */
	e = tlb_slot(st, addr, len);
	if (e && vpage && e->vpage == vpage &&
	    kdump_read(st->kd, KDUMP_KPHYSADDR, e->ppage + (addr - vpage), buf, &n) == KDUMP_OK &&
	    n == len)
		return PCS_OK;
	n = len;

	enum pcs_errcode g = st->elf_holes ? elf_guard(st, as, addr, len, err)
					   : absent_guard(st, as, addr, len, err);

	if (g)
		return g;
	kdump_status ks = kdump_read(st->kd, KDUMP_KVADDR, addr, buf, &n);

	if (ks == KDUMP_OK && n != len)
		return pcs_error_set(err, PCS_ERR_READ, "short read at 0x%" PRIx64, addr);
	if (ks == KDUMP_OK && e && vpage) {
		uint64_t pa;

		if (xlat(st, vpage, &pa))
			*e = (struct sa_tlb){.vpage = vpage, .ppage = pa & ~(ps - 1)};
	}
	return map_kdump(st, ks, err, "address", addr);
}

static enum pcs_errcode op_symbol(void *priv, const char *name, uint64_t *addr,
				  struct pcs_error *err)
{
	struct sa_target *st = priv;
	enum pcs_errcode rc;

	if (st->elf) {
		rc = sa_elf_symbol(st->elf, name, addr, err);
		if (rc == PCS_OK) {
			/* x86_64 per-cpu symbols are offsets from 0, not relocated */
			if (*addr >> 63)
				*addr += st->kaslr_offset;
			return PCS_OK;
		}
	}
	/* VMCOREINFO SYMBOL() values are already relocated. */
	kdump_addr_t a;
	char key[160];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	if (st->kc && pcs_vmcoreinfo_u64(&st->t, key, addr, NULL) == PCS_OK)
		return PCS_OK;
	if (st->kd && kdump_vmcoreinfo_symbol(st->kd, name, &a) == KDUMP_OK) {
		*addr = a;
		return PCS_OK;
	}
	if (st->elf)
		return pcs_error_set(err, PCS_ERR_NOSYM, "symbol %s not found in vmlinux %s", name,
				     st->vmlinux_path);
	if (sa_dump_symbols(st, NULL) == PCS_OK && pcs_kallsyms_lookup(st->ksyms, name, addr))
		return PCS_OK;
	if (pcs_root_known(name))
		return sa_dump_root(st, name, addr, err);
	if (st->syms_why[0])
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "symbol %s: not in VMCOREINFO and %s (-k VMLINUX gives it)",
				     name, st->syms_why);
	return pcs_error_set(
	    err, PCS_ERR_NOSYM,
	    "symbol %s: not in VMCOREINFO or the dump's kallsyms (-k VMLINUX gives it)", name);
}

/* Without vmlinux, for commands that may not need types: load the dump's BTF once. */
static void lazy_types(struct sa_target *st)
{
	struct pcs_error e = {0};

	if (!st->types_lazy)
		return;
	st->types_lazy = false;
	if (st->kc ? sa_live_types(st, &e) : sa_dump_types(st, &e))
		snprintf(st->types_why, sizeof(st->types_why), "%.300s", e.msg);
}

static enum pcs_errcode no_types(struct sa_target *st, struct pcs_error *err, const char *what)
{
	if (st->types_why[0])
		return pcs_error_set(err, PCS_ERR_NOTYPE, "%s: %s", what, st->types_why);
	return pcs_error_set(err, PCS_ERR_NOTYPE, "%s: no type information (give -k VMLINUX)",
			     what);
}

static enum pcs_errcode op_member_offset(void *priv, const char *type, const char *member,
					 uint64_t *off, struct pcs_error *err)
{
	struct sa_target *st = priv;

	lazy_types(st);

	if (!st->types) {
		/* VMCOREINFO carries a few: OFFSET(page.flags) */
		char key[160];

		snprintf(key, sizeof(key), "OFFSET(%s.%s)", type, member);
		if (pcs_vmcoreinfo_u64(&st->t, key, off, NULL) == PCS_OK)
			return PCS_OK;
		return no_types(st, err, member);
	}
	return sa_types_member_offset(st->types, type, member, off, err);
}

static enum pcs_errcode op_type_size(void *priv, const char *type, uint64_t *size,
				     struct pcs_error *err)
{
	struct sa_target *st = priv;

	lazy_types(st);

	if (!st->types) {
		char key[160];

		snprintf(key, sizeof(key), "SIZE(%s)", type);
		if (pcs_vmcoreinfo_u64(&st->t, key, size, NULL) == PCS_OK)
			return PCS_OK;
		return no_types(st, err, type);
	}
	return sa_types_type_size(st->types, type, size, err);
}

static enum pcs_errcode op_enum_value(void *priv, const char *name, int64_t *value,
				      struct pcs_error *err)
{
	struct sa_target *st = priv;

	lazy_types(st);

	if (!st->types) {
		char key[160];
		uint64_t v;

		snprintf(key, sizeof(key), "NUMBER(%s)", name);
		if (pcs_vmcoreinfo_u64(&st->t, key, &v, NULL) == PCS_OK) {
			*value = (int64_t)v;
			return PCS_OK;
		}
		return no_types(st, err, name);
	}
	return sa_types_enum_value(st->types, name, value, err);
}

static enum pcs_errcode op_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
				      struct pcs_error *err)
{
	struct sa_target *st = priv;
	char *val = NULL;

	if (st->kc)
		return sa_kcore_vmcoreinfo(st->kc, key, buf, len, err);
	if (!st->kd || kdump_vmcoreinfo_line(st->kd, key, &val) != KDUMP_OK || !val)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "VMCOREINFO has no %s", key);
	snprintf(buf, len, "%s", val);
	free(val);
	return PCS_OK;
}

static const struct pcs_target_ops sa_ops = {
    .read = op_read,
    .symbol_addr = op_symbol,
    .member_offset = op_member_offset,
    .type_size = op_type_size,
    .enum_value = op_enum_value,
    .vmcoreinfo = op_vmcoreinfo,
};

/* makedumpfile's kdump-compressed header: dump_level lives in the sub-header. */
static void read_diskdump_level(struct sa_target *st)
{
	unsigned char hdr[4096];
	int32_t block_size, level;

	st->dump_level = -1;
	if (pread(st->fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return;
	if (memcmp(hdr, "KDUMP   ", 8) != 0)
		return;
	/* signature[8], header_version, new_utsname (6*65), timeval (aligned 8) */
	size_t off = 8 + 4 + 6 * 65;

	off = (off + 7) & ~(size_t)7;
	off += 16; /* timestamp */
	off += 4;  /* status */
	memcpy(&block_size, hdr + off, 4);
	if (block_size < 1024 || block_size > (1 << 20))
		return;
	/* kdump_sub_header: unsigned long phys_base; int dump_level */
	if (pread(st->fd, &level, 4, block_size + 8) != 4)
		return;
	if (level >= 0 && level <= 31)
		st->dump_level = level;
}

static void detect_format(struct sa_target *st)
{
	const char *fmt = NULL;

	if (kdump_get_string_attr(st->kd, KDUMP_ATTR_FILE_FORMAT, &fmt) != KDUMP_OK || !fmt)
		fmt = "unknown";
	if (strcmp(fmt, "diskdump") == 0 || strcmp(fmt, "compressed kdump") == 0 ||
	    strstr(fmt, "kdump")) {
		snprintf(st->format, sizeof(st->format), "kdump-compressed");
		read_diskdump_level(st);
	} else if (strstr(fmt, "ELF") || strstr(fmt, "elf")) {
		snprintf(st->format, sizeof(st->format), "elf");
		st->dump_level = -1;
	} else {
		snprintf(st->format, sizeof(st->format), "%s", fmt);
		st->dump_level = -1;
	}
}

static enum pcs_errcode check_header(const struct sa_target *st, const char *path,
				     struct pcs_error *err)
{
	struct stat sb;

	if (fstat(st->fd, &sb) == 0 && sb.st_size < 4096)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "%s: %lld bytes is too small for a vmcore", path,
				     (long long)sb.st_size);
	if (st->layout.fmt == PCS_DUMPFMT_FLAT)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "%s is in makedumpfile's flattened format: convert it with "
				     "'makedumpfile -R OUT < %s' first",
				     path, path);
	return PCS_OK;
}

/*
 * Truncation is core/dumphdr's job: it checked every PT_LOAD, PT_NOTE and kdump
 * page descriptor against the file size. Here: does an ELF PT_LOAD stop storing
 * before its memory ends (makedumpfile -E -d N puts filtered pages there)?
 */
static void note_elf_holes(struct sa_target *st)
{
	for (size_t i = 0; i < st->layout.nloads; i++)
		if (st->layout.loads[i].filesz < st->layout.loads[i].memsz)
			st->elf_holes = true;
}

static enum pcs_errcode verify_vmlinux(struct sa_target *st, struct pcs_error *err)
{
	int em = sa_elf_machine(st->elf);
	enum pcs_arch earch = em == EM_AARCH64	? PCS_ARCH_ARM64
			      : em == EM_X86_64 ? PCS_ARCH_X86_64
						: PCS_ARCH_UNKNOWN;

	if (earch != st->t.arch) {
		st->match = SA_MATCH_NO;
		snprintf(st->match_how, sizeof(st->match_how), "vmlinux is %s, dump is %s",
			 pcs_arch_name(earch), pcs_arch_name(st->t.arch));
		return pcs_error_set(
		    err, PCS_ERR_MISMATCH,
		    "vmlinux %s does not match the dump: vmlinux is %s, dump is %s",
		    st->vmlinux_path, pcs_arch_name(earch), pcs_arch_name(st->t.arch));
	}
	const char *ebid = sa_elf_build_id(st->elf);

	if (st->build_id[0] && ebid[0]) {
		if (strncmp(st->build_id, ebid, strlen(ebid)) == 0) {
			st->match = SA_MATCH_YES;
			snprintf(st->match_how, sizeof(st->match_how), "BUILD-ID %.20s... equal",
				 ebid);
			return PCS_OK;
		}
		st->match = SA_MATCH_NO;
		snprintf(st->match_how, sizeof(st->match_how),
			 "BUILD-ID dump %.16s... vmlinux %.16s...", st->build_id, ebid);
		return pcs_error_set(err, PCS_ERR_MISMATCH,
				     "vmlinux %s does not match the dump: build-id %.16s... vs the "
				     "dump's %.16s... (OSRELEASE %s)",
				     st->vmlinux_path, ebid, st->build_id, st->t.osrelease);
	}
	/* No build-id: compare linux_banner in the file and in the dump. */
	uint64_t banner;
	char fb[160] = {0}, db[160] = {0};

	if (sa_elf_symbol(st->elf, "linux_banner", &banner, NULL) == PCS_OK &&
	    sa_elf_read(st->elf, banner, fb, sizeof(fb) - 1, NULL) == PCS_OK) {
		if (pcs_read(&st->t, PCS_KVADDR, banner + st->kaslr_offset, db, sizeof(db) - 1,
			     NULL) == PCS_OK) {
			if (strcmp(fb, db) == 0) {
				st->match = SA_MATCH_YES;
				snprintf(st->match_how, sizeof(st->match_how),
					 "linux_banner equal");
				return PCS_OK;
			}
			st->match = SA_MATCH_NO;
			snprintf(st->match_how, sizeof(st->match_how), "linux_banner differs");
			return pcs_error_set(
			    err, PCS_ERR_MISMATCH,
			    "vmlinux %s does not match the dump: linux_banner differs "
			    "(dump OSRELEASE %s)",
			    st->vmlinux_path, st->t.osrelease);
		}
		char rel[65] = {0};

		if (sscanf(fb, "Linux version %64s", rel) == 1 && strcmp(rel, st->t.osrelease)) {
			st->match = SA_MATCH_NO;
			snprintf(st->match_how, sizeof(st->match_how), "OSRELEASE %s vs %s", rel,
				 st->t.osrelease);
			return pcs_error_set(err, PCS_ERR_MISMATCH,
					     "vmlinux %s is %s but the dump is %s",
					     st->vmlinux_path, rel, st->t.osrelease);
		}
	}
	st->match = SA_MATCH_UNKNOWN;
	snprintf(st->match_how, sizeof(st->match_how), "no BUILD-ID or banner to compare");
	return PCS_OK;
}

static enum pcs_errcode rec_xlat(void *priv, uint64_t vaddr, uint64_t *paddr)
{
	return sa_xlat_kvaddr(priv, vaddr, paddr);
}

enum pcs_errcode sa_open(const char *vmcore, const char *vmlinux, unsigned int flags,
			 struct sa_target **out, struct pcs_error *err)
{
	return sa_open_rec(vmcore, vmlinux, flags, NULL, out, err);
}

enum pcs_errcode sa_open_rec(const char *vmcore, const char *vmlinux, unsigned int flags,
			     const char *record, struct sa_target **out, struct pcs_error *err)
{
	struct sa_target *st;
	enum pcs_errcode rc;
	kdump_status ks;
	const char *s;
	kdump_num_t num;
	char buf[128];

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	st->fd = -1;
	st->vmcore_path = vmcore;
	st->vmlinux_path = vmlinux;
	st->match = SA_MATCH_UNKNOWN;
	st->t.ops = &sa_ops;
	st->t.priv = st;
	if (record) {
		rc = pcs_recorder_new(&st->rec, err);
		if (rc)
			goto fail;
		pcs_recorder_wrap(st->rec, &st->t);
		pcs_recorder_set_xlat(st->rec, rec_xlat, st);
		st->rec_path = record;
	}
	/* a bundle's mini vmcore must hold the BTF and kallsyms: read them from the dump */
	st->kcache_off = record || (flags & SA_NO_KCACHE);

	if (sa_is_live_path(vmcore)) {
		rc = sa_live_init(st, err);
		if (rc)
			goto fail;
		goto types;
	}
	st->fd = open(vmcore, O_RDONLY | O_CLOEXEC);
	if (st->fd < 0) {
		rc = pcs_error_set(err, PCS_ERR_IO, "vmcore %s: %s", vmcore, strerror(errno));
		goto fail;
	}
	rc = pcs_dumphdr_check_fd(st->fd, vmcore, &st->layout, err); /* before libkdumpfile */
	if (rc)
		goto fail;
	rc = check_header(st, vmcore, err);
	if (rc)
		goto fail;
	note_elf_holes(st);
	st->kd = kdump_new();
	if (!st->kd) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "kdump_new failed");
		goto fail;
	}
	ks = kdump_open_fd(st->kd, st->fd);
	if (ks == KDUMP_OK && (flags & SA_READ_ONCE)) /* before any read: see sa_target.h */
		ks = kdump_set_number_attr(st->kd, "cache.size", SA_READ_ONCE_CACHE_PAGES);
	if (ks != KDUMP_OK) {
		rc = pcs_error_set(
		    err, ks == KDUMP_ERR_NOTIMPL ? PCS_ERR_UNSUPPORTED : PCS_ERR_CORRUPT,
		    "%s is not a readable vmcore: %s", vmcore, kdump_get_err(st->kd));
		goto fail;
	}
	kdump_set_string_attr(st->kd, KDUMP_ATTR_OSTYPE, "linux");

	if (kdump_get_string_attr(st->kd, KDUMP_ATTR_ARCH_NAME, &s) != KDUMP_OK) {
		rc = pcs_error_set(err, PCS_ERR_CORRUPT, "%s: architecture unknown: %s", vmcore,
				   kdump_get_err(st->kd));
		goto fail;
	}
	if (strcmp(s, KDUMP_ARCH_AARCH64) == 0)
		st->t.arch = PCS_ARCH_ARM64;
	else if (strcmp(s, KDUMP_ARCH_X86_64) == 0)
		st->t.arch = PCS_ARCH_X86_64;
	else {
		rc = pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s: architecture %s not supported",
				   vmcore, s);
		goto fail;
	}
	if (kdump_get_number_attr(st->kd, KDUMP_ATTR_PAGE_SIZE, &num) == KDUMP_OK)
		st->t.page_size = (uint32_t)num;
	if (pcs_vmcoreinfo(&st->t, "OSRELEASE", st->t.osrelease, sizeof(st->t.osrelease), NULL)) {
		rc = pcs_error_set(err, PCS_ERR_CORRUPT,
				   "%s has no VMCOREINFO OSRELEASE (not a Linux kdump vmcore?)",
				   vmcore);
		goto fail;
	}
	st->t.kernel_version = pcs_parse_osrelease(st->t.osrelease);
	if (!st->t.page_size &&
	    pcs_vmcoreinfo(&st->t, "PAGESIZE", buf, sizeof(buf), NULL) == PCS_OK)
		st->t.page_size = (uint32_t)strtoul(buf, NULL, 10);
	if (pcs_vmcoreinfo_u64(&st->t, "KERNELOFFSET", &st->kaslr_offset, NULL))
		st->kaslr_offset = 0;
	if (pcs_vmcoreinfo(&st->t, "BUILD-ID", st->build_id, sizeof(st->build_id), NULL))
		st->build_id[0] = '\0';
	detect_format(st);
types:
	if (vmlinux) {
		rc = sa_elf_open(vmlinux, &st->elf, err);
		if (rc)
			goto fail;
		if (!sa_elf_has_symtab(st->elf)) {
			rc = pcs_error_set(err, PCS_ERR_NOSYM,
					   "vmlinux %s has no symbol table: use the -dbg vmlinux",
					   vmlinux);
			goto fail;
		}
		rc = verify_vmlinux(st, err);
		if (rc && !(flags & SA_NO_VERIFY))
			goto fail;
		pcs_error_clear(err);
		if (flags & SA_NO_TYPES)
			goto done;
		rc = PCS_ERR_NOTYPE;
		if (!(flags & SA_TYPES_DWARF))
			rc = sa_types_open_btf(vmlinux, &st->types, err);
		if (rc)
			rc = sa_types_open_dwarf(vmlinux, &st->types, err);
		if (rc) {
			pcs_error_wrap(err, "no type information in %s", vmlinux);
			goto fail;
		}
		snprintf(st->types_from, sizeof(st->types_from), "vmlinux %s", st->types->kind);
	} else if (flags & SA_NEED_VMLINUX) {
		/* types from the dump now, so that their absence is one clear error */
		if ((rc = st->kc ? sa_live_types(st, err) : sa_dump_types(st, err)))
			goto fail;
	} else if (!(flags & SA_NO_TYPES)) {
		st->types_lazy = true; /* loaded by the first type lookup, if any */
	}
done:
	if (st->elf)
		snprintf(st->syms_from, sizeof(st->syms_from), "vmlinux ELF symbol table%s",
			 st->ksyms ? " + /proc/kallsyms" : "");
	*out = st;
	return PCS_OK;
fail:
	sa_close(st);
	return rc;
}

/* --record: the physical ranges read, with the tables mapping the virtual ones. */
static void rec_write(struct sa_target *st)
{
	struct pcs_error err = {0};
	const struct pcs_range *v;
	uint64_t unmapped;
	size_t n;
	FILE *f;

	if (pcs_recorder_finish(st->rec, &st->t, &unmapped, &err)) {
		fprintf(stderr, "pcsleuth: recording reads: %s\n", err.msg);
		return;
	}
	v = pcs_recorder_ranges(st->rec, &n);
	f = fopen(st->rec_path, "w");
	if (!f) {
		fprintf(stderr, "pcsleuth: %s: %s\n", st->rec_path, strerror(errno));
		return;
	}
	fprintf(f,
		"# pcsleuth recorded physical ranges; %" PRIu64 " virtual pages untranslatable\n",
		unmapped);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 "\n", v[i].start, v[i].end);
	if (fclose(f))
		fprintf(stderr, "pcsleuth: %s: %s\n", st->rec_path, strerror(errno));
}

enum pcs_errcode sa_ranges_load(const char *path, struct pcs_rangeset *rs, struct pcs_error *err)
{
	char line[256];
	FILE *f = fopen(path, "r");
	enum pcs_errcode rc = PCS_OK;

	if (!f)
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(errno));
	while (!rc && fgets(line, sizeof(line), f)) {
		uint64_t a, b;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%" SCNx64 " %" SCNx64, &a, &b) != 2 || b < a) {
			rc =
			    pcs_error_set(err, PCS_ERR_CORRUPT, "%s: bad line '%.40s'", path, line);
			break;
		}
		rc = pcs_rangeset_add(rs, a, b, err);
	}
	fclose(f);
	return rc;
}

void sa_close(struct sa_target *st)
{
	if (!st)
		return;
	if (st->rec && st->rec_path && st->kd)
		rec_write(st);
	pcs_recorder_free(st->rec);
	if (st->pagemap)
		kdump_bmp_decref(st->pagemap);
	if (st->xctx)
		addrxlat_ctx_decref(st->xctx);
	if (st->xsys)
		addrxlat_sys_decref(st->xsys);
	pcs_dump_layout_free(&st->layout);
	sa_kcore_close(st->kc);
	pcs_kallsyms_free(st->ksyms);
	if (st->kcache)
		sa_kcache_free(st->kcache);
	free(st->kcache);
	free(st->btf_blob);
	sa_types_destroy(st->types);
	sa_elf_close(st->elf);
	if (st->kd)
		kdump_free(st->kd);
	if (st->fd >= 0)
		close(st->fd);
	free(st);
}

/* A reader has memory only: the walks it serves found their layout at pcs_kernel_init(). */
static enum pcs_errcode reader_no_symbol(void *priv, const char *name, uint64_t *addr,
					 struct pcs_error *err)
{
	(void)priv, (void)addr;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
			     "symbol %s: not available to a worker thread", name);
}

static enum pcs_errcode reader_no_member(void *priv, const char *type, const char *member,
					 uint64_t *off, struct pcs_error *err)
{
	(void)priv, (void)off;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
			     "%s.%s: no type information in a worker thread", type, member);
}

static enum pcs_errcode reader_no_size(void *priv, const char *type, uint64_t *size,
				       struct pcs_error *err)
{
	(void)priv, (void)size;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
			     "sizeof %s: no type information in a worker thread", type);
}

static enum pcs_errcode reader_no_enum(void *priv, const char *name, int64_t *value,
				       struct pcs_error *err)
{
	(void)priv, (void)value;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s: no type information in a worker thread",
			     name);
}

static enum pcs_errcode reader_no_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
					     struct pcs_error *err)
{
	(void)priv, (void)buf, (void)len;
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "VMCOREINFO %s: not read by a worker thread",
			     key);
}

static const struct pcs_target_ops reader_ops = {
    .read = op_read,
    .symbol_addr = reader_no_symbol,
    .member_offset = reader_no_member,
    .type_size = reader_no_size,
    .enum_value = reader_no_enum,
    .vmcoreinfo = reader_no_vmcoreinfo,
};

enum pcs_errcode sa_open_reader(const struct sa_target *st, unsigned int cache_pages,
				struct sa_target **out, struct pcs_error *err)
{
	struct sa_target *r;
	struct stat a, b;
	enum pcs_errcode rc;
	kdump_status ks;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	r->t = st->t;
	r->t.ops = &reader_ops;
	r->t.priv = r;
	r->vmcore_path = st->vmcore_path;
	r->dump_level = st->dump_level;
	r->match = st->match;
	memcpy(r->format, st->format, sizeof(r->format));
	r->elf_holes = st->elf_holes;
	if (st->kc) {
		r->fd = -1;
		rc = sa_kcore_dup(st->kc, &r->kc, err);
		if (rc)
			goto fail;
		*out = r;
		return PCS_OK;
	}
	r->fd = open(st->vmcore_path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		rc = pcs_error_set(err, PCS_ERR_IO, "vmcore %s: %s", st->vmcore_path,
				   strerror(errno));
		goto fail;
	}
	if (fstat(r->fd, &a) || fstat(st->fd, &b) || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		rc = pcs_error_set(err, PCS_ERR_IO, "vmcore %s was replaced while being read",
				   st->vmcore_path);
		goto fail;
	}
	if (st->layout.nloads) { /* a reader needs the PT_LOADs only */
		r->layout.loads = calloc(st->layout.nloads, sizeof(*r->layout.loads));
		if (!r->layout.loads) {
			rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
			goto fail;
		}
		memcpy(r->layout.loads, st->layout.loads,
		       st->layout.nloads * sizeof(*r->layout.loads));
		r->layout.nloads = st->layout.nloads;
		r->layout.fmt = st->layout.fmt;
	}
	r->kd = kdump_new();
	if (!r->kd) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "kdump_new failed");
		goto fail;
	}
	ks = kdump_open_fd(r->kd, r->fd);
	if (ks == KDUMP_OK && cache_pages) /* before any read: see SA_READ_ONCE_CACHE_PAGES */
		ks = kdump_set_number_attr(r->kd, "cache.size", cache_pages);
	if (ks == KDUMP_OK)
		ks = kdump_set_string_attr(r->kd, KDUMP_ATTR_OSTYPE, "linux");
	if (ks != KDUMP_OK) {
		rc = pcs_error_set(err, PCS_ERR_CORRUPT, "%s: opening it again for a worker: %s",
				   st->vmcore_path, kdump_get_err(r->kd));
		goto fail;
	}
	*out = r;
	return PCS_OK;
fail:
	sa_close(r);
	return rc;
}

/*
 * Live: addr outside the kernel image by the /proc/kallsyms table, [_text, _end), or
 * where kallsyms keeps only text symbols (arm64, KALLSYMS_ALL=n: no _text, _end)
 * [_stext, _einittext or _etext). Modules never lie inside the image, so a short
 * range only sends more addresses to the module walk. False when the table does not
 * say.
 */
static bool sa_live_outside_image(const struct pcs_kallsyms *ks, uint64_t addr)
{
	uint64_t lo, hi;

	if (!pcs_kallsyms_lookup(ks, "_text", &lo) && !pcs_kallsyms_lookup(ks, "_stext", &lo))
		return false;
	if (!pcs_kallsyms_lookup(ks, "_end", &hi) && !pcs_kallsyms_lookup(ks, "_einittext", &hi) &&
	    !pcs_kallsyms_lookup(ks, "_etext", &hi))
		return false;
	return addr < lo || addr >= hi;
}

bool sa_symbolize_kernel(struct sa_target *st, uint64_t addr, char *buf, size_t len)
{
	const char *name;
	uint64_t off, size;

	if (!st->elf) {
		/* kallsyms addresses are the running kernel's (KASLR applied) */
		if (sa_dump_symbols(st, NULL))
			return false;
		/*
		 * /proc/kallsyms lists module symbols too, without their module: leave an
		 * address outside the kernel image to the module walk, which names the
		 * module as on a dump ("func+0x24/0x60 [mod]"). Otherwise whether a
		 * module function got its module named depended on where the module was
		 * loaded (the last symbol of all has no size and went to the walk).
		 */
		if (st->kc && sa_live_outside_image(st->ksyms, addr))
			return false;
		if (!pcs_kallsyms_symbolize(st->ksyms, addr, &name, &off, &size))
			return false;
	} else if (!sa_elf_symbolize(st->elf, addr - st->kaslr_offset, &name, &off, &size)) {
		return false;
	}
	snprintf(buf, len, "%s+0x%" PRIx64 "/0x%" PRIx64, name, off, size);
	return true;
}

bool sa_phys_present(struct sa_target *st, uint64_t paddr)
{
	if (st->kc)
		return sa_kcore_phys_mapped(st->kc, paddr);
	if (st->elf_holes && !elf_stored(st, paddr, 1))
		return false;
	unsigned char b;
	size_t n = 1;

	return kdump_read(st->kd, KDUMP_KPHYSADDR, paddr, &b, &n) == KDUMP_OK;
}

enum pcs_errcode sa_xlat_kvaddr(struct sa_target *st, uint64_t vaddr, uint64_t *paddr)
{
	addrxlat_ctx_t *xctx;
	addrxlat_sys_t *xsys;
	enum pcs_errcode rc = PCS_ERR_READ;

	if (st->rec)
		pcs_recorder_note_kvaddr(st->rec, vaddr);
	if (st->kc)
		return sa_kcore_virt_to_phys(st->kc, vaddr, paddr) ? PCS_OK : PCS_ERR_UNSUPPORTED;
	if (kdump_get_addrxlat(st->kd, &xctx, &xsys) != KDUMP_OK)
		return PCS_ERR_UNSUPPORTED;
	addrxlat_fulladdr_t fa = {.addr = vaddr, .as = ADDRXLAT_KVADDR};

	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, xctx, xsys) == ADDRXLAT_OK) {
		*paddr = fa.addr;
		rc = PCS_OK;
	}
	addrxlat_ctx_decref(xctx);
	addrxlat_sys_decref(xsys);
	return rc;
}

static bool pagemap_load(struct sa_target *st)
{
	if (!st->kd)
		return false;
	if (!st->pagemap_tried) {
		kdump_attr_t attr;

		st->pagemap_tried = true;
		if (kdump_get_attr(st->kd, KDUMP_ATTR_FILE_PAGEMAP, &attr) == KDUMP_OK &&
		    attr.type == KDUMP_BITMAP) {
			st->pagemap = attr.val.bitmap;
			kdump_bmp_incref(st->pagemap);
		}
	}
	return st->pagemap != NULL;
}

bool sa_pfn_present(struct sa_target *st, uint64_t pfn)
{
	if (st->kc)
		return sa_kcore_phys_mapped(st->kc, pfn * st->t.page_size);
	if (st->elf_holes)
		return elf_stored(st, pfn * st->t.page_size, st->t.page_size);
	if (pagemap_load(st)) {
		unsigned char raw = 0;

		if (kdump_bmp_get_bits(st->pagemap, pfn, pfn, &raw) == KDUMP_OK)
			return raw & 1;
	}
	return sa_phys_present(st, pfn * st->t.page_size);
}
