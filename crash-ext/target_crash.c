// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pcs_target seam on top of crash. Stateless: every callback asks crash.
 *
 * readmem() only says TRUE/FALSE. To tell "the dump does not hold this page"
 * (makedumpfile excluded it, or the ELF dump has no PT_LOAD for it) from
 * "the address does not translate", a failed read is retried page by page:
 * kvtop() for the translation, then crash's raw dump reader (pc->readmem, the
 * READMEM macro) whose return value is PAGE_EXCLUDED / READ_ERROR /
 * SEEK_ERROR for a physical page the dump lacks.
 */
#include "defs.h" /* crash */

#include <stdlib.h>
#include <string.h>

#include "target_crash.h"

static enum pcs_errcode raw_page_status(uint64_t paddr, void *buf, long cnt, struct pcs_error *err)
{
	int fd = pc->dfd;
	long rc;

	pc->curcmd_flags &= ~MEMTYPE_KVADDR;
	rc = READMEM(fd, buf, cnt, 0, (physaddr_t)paddr);
	if (rc == cnt)
		return PCS_OK;
	switch (rc) {
	case PAGE_EXCLUDED:
		return pcs_error_set(err, PCS_ERR_NODATA,
				     "physical page 0x%llx excluded from the dump",
				     (unsigned long long)paddr);
	case SEEK_ERROR:
	case READ_ERROR:
		return pcs_error_set(err, PCS_ERR_NODATA, "physical address 0x%llx not in the dump",
				     (unsigned long long)paddr);
	default:
		return pcs_error_set(err, PCS_ERR_READ,
				     "reading physical address 0x%llx failed (%ld)",
				     (unsigned long long)paddr, rc);
	}
}

/* readmem() failed: find the first page that fails and say why. */
static enum pcs_errcode diagnose(enum pcs_addrspace as, uint64_t addr, void *buf, size_t len,
				 struct pcs_error *err)
{
	uint64_t psize = PAGESIZE();
	char *p = buf;

	while (len) {
		uint64_t cnt = psize - (addr & (psize - 1));
		physaddr_t paddr;
		enum pcs_errcode rc;

		if (cnt > len)
			cnt = len;
		if (as == PCS_KVADDR) {
			if (!IS_KVADDR(addr))
				return pcs_error_set(err, PCS_ERR_READ,
						     "0x%llx is not a kernel address",
						     (unsigned long long)addr);
			if (!kvtop(CURRENT_CONTEXT(), addr, &paddr, 0))
				return pcs_error_set(err, PCS_ERR_READ,
						     "kernel address 0x%llx does not translate",
						     (unsigned long long)addr);
		} else {
			paddr = addr;
		}
		rc = raw_page_status(paddr, p, cnt, err);
		if (rc) {
			if (as == PCS_KVADDR)
				pcs_error_wrap(err, "kernel address 0x%llx",
					       (unsigned long long)addr);
			return rc;
		}
		addr += cnt;
		p += cnt;
		len -= cnt;
	}
	return pcs_error_set(err, PCS_ERR_READ, "readmem failed at 0x%llx",
			     (unsigned long long)addr);
}

static enum pcs_errcode crash_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				   size_t len, struct pcs_error *err)
{
	int memtype = as == PCS_KPHYSADDR ? PHYSADDR : KVADDR;

	(void)priv;
	if (!len)
		return PCS_OK;
	if (readmem(addr, memtype, buf, len, "pcsleuth", RETURN_ON_ERROR | QUIET))
		return PCS_OK;
	return diagnose(as, addr, buf, len, err);
}

static enum pcs_errcode crash_symbol_addr(void *priv, const char *name, uint64_t *addr,
					  struct pcs_error *err)
{
	(void)priv;
	if (!symbol_exists((char *)name))
		return pcs_error_set(err, PCS_ERR_NOSYM, "no kernel symbol %s", name);
	*addr = symbol_value((char *)name);
	return PCS_OK;
}

/*
 * MEMBER_OFFSET() asks gdb for a direct member (gdb also finds members of
 * anonymous unions and structs). Dotted paths ("d_u.d_alias", through named
 * but anonymous-typed unions) and anything MEMBER_OFFSET() misses go through
 * ANON_MEMBER_OFFSET(), which has gdb evaluate &((struct type *)0)->path.
 */
static enum pcs_errcode crash_member_offset(void *priv, const char *type, const char *member,
					    uint64_t *off, struct pcs_error *err)
{
	long o = -1;

	(void)priv;
	if (!strchr(member, '.'))
		o = MEMBER_OFFSET((char *)type, (char *)member);
	if (o < 0 && STRUCT_EXISTS((char *)type))
		o = ANON_MEMBER_OFFSET((char *)type, (char *)member);
	if (o < 0)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "%s has no member %s", type, member);
	*off = (uint64_t)o;
	return PCS_OK;
}

static enum pcs_errcode crash_type_size(void *priv, const char *type, uint64_t *size,
					struct pcs_error *err)
{
	long s;

	(void)priv;
	s = STRUCT_SIZE((char *)type);
	if (s < 0)
		return pcs_error_set(err, PCS_ERR_NOTYPE, "no type %s", type);
	*size = (uint64_t)s;
	return PCS_OK;
}

static enum pcs_errcode crash_enum_value(void *priv, const char *name, int64_t *value,
					 struct pcs_error *err)
{
	long v;

	(void)priv;
	if (!enumerator_value((char *)name, &v))
		return pcs_error_set(err, PCS_ERR_NOTYPE, "no enumerator %s", name);
	*value = v;
	return PCS_OK;
}

static enum pcs_errcode crash_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
					 struct pcs_error *err)
{
	char *v;

	(void)priv;
	if (!pc->read_vmcoreinfo)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "VMCOREINFO %s: dump has no VMCOREINFO",
				     key);
	v = pc->read_vmcoreinfo(key);
	if (!v)
		return pcs_error_set(err, PCS_ERR_NOTFOUND, "VMCOREINFO has no %s", key);
	if (strlen(v) >= len) {
		free(v);
		return pcs_error_set(err, PCS_ERR_INVAL, "VMCOREINFO %s value too long", key);
	}
	strcpy(buf, v);
	free(v);
	return PCS_OK;
}

static const struct pcs_target_ops crash_ops = {
    .read = crash_read,
    .symbol_addr = crash_symbol_addr,
    .member_offset = crash_member_offset,
    .type_size = crash_type_size,
    .enum_value = crash_enum_value,
    .vmcoreinfo = crash_vmcoreinfo,
};

enum pcs_errcode pcs_crash_target_init(struct pcs_target *t, struct pcs_error *err)
{
	memset(t, 0, sizeof(*t));
	t->ops = &crash_ops;
	t->priv = NULL;
#if defined(ARM64)
	t->arch = PCS_ARCH_ARM64;
#elif defined(X86_64)
	t->arch = PCS_ARCH_X86_64;
#else
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
			     "pcmd5.so built for an unsupported crash target");
#endif
	t->page_size = PAGESIZE();
	snprintf(t->osrelease, sizeof(t->osrelease), "%s", kt->utsname.release);
	t->kernel_version = pcs_parse_osrelease(t->osrelease);
	if (!t->kernel_version)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "cannot parse kernel release \"%s\"",
				     t->osrelease);
	return PCS_OK;
}

int pcs_crash_dump_level(void)
{
	return get_dump_level();
}
