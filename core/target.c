// SPDX-License-Identifier: GPL-2.0-or-later
#include "target.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pcs_errcode pcs_read(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
			  void *buf, size_t len, struct pcs_error *err)
{
	return t->ops->read(t->priv, as, addr, buf, len, err);
}

enum pcs_errcode pcs_read_search(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
				 void *buf, size_t len, struct pcs_error *err)
{
	if (t->ops->read_search)
		return t->ops->read_search(t->priv, as, addr, buf, len, err);
	return t->ops->read(t->priv, as, addr, buf, len, err);
}

enum pcs_errcode pcs_read_paged(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
				void *buf, size_t len, struct pcs_error *err)
{
	uint64_t ps = t->page_size ? t->page_size : 4096;
	uint8_t *p = buf;

	while (len) {
		size_t n = (size_t)(ps - addr % ps);
		enum pcs_errcode rc;

		if (n > len)
			n = len;
		if ((rc = t->ops->read(t->priv, as, addr, p, n, err)))
			return rc;
		addr += n;
		p += n;
		len -= n;
	}
	return PCS_OK;
}

enum pcs_errcode pcs_read_u64(const struct pcs_target *t, uint64_t kvaddr, uint64_t *val,
			      struct pcs_error *err)
{
	return t->ops->read(t->priv, PCS_KVADDR, kvaddr, val, sizeof(*val), err);
}

enum pcs_errcode pcs_read_u32(const struct pcs_target *t, uint64_t kvaddr, uint32_t *val,
			      struct pcs_error *err)
{
	return t->ops->read(t->priv, PCS_KVADDR, kvaddr, val, sizeof(*val), err);
}

enum pcs_errcode pcs_symbol(const struct pcs_target *t, const char *name, uint64_t *addr,
			    struct pcs_error *err)
{
	return t->ops->symbol_addr(t->priv, name, addr, err);
}

enum pcs_errcode pcs_member_offset(const struct pcs_target *t, const char *type, const char *member,
				   uint64_t *off, struct pcs_error *err)
{
	return t->ops->member_offset(t->priv, type, member, off, err);
}

enum pcs_errcode pcs_type_size(const struct pcs_target *t, const char *type, uint64_t *size,
			       struct pcs_error *err)
{
	return t->ops->type_size(t->priv, type, size, err);
}

enum pcs_errcode pcs_enum_value(const struct pcs_target *t, const char *name, int64_t *value,
				struct pcs_error *err)
{
	if (!t->ops->enum_value)
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "enumerator %s: backend has no enum lookup", name);
	return t->ops->enum_value(t->priv, name, value, err);
}

enum pcs_errcode pcs_vmcoreinfo(const struct pcs_target *t, const char *key, char *buf, size_t len,
				struct pcs_error *err)
{
	if (!t->ops->vmcoreinfo)
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "VMCOREINFO %s: backend has no VMCOREINFO", key);
	return t->ops->vmcoreinfo(t->priv, key, buf, len, err);
}

enum pcs_errcode pcs_vmcoreinfo_u64(const struct pcs_target *t, const char *key, uint64_t *val,
				    struct pcs_error *err)
{
	char buf[128];
	char *end;
	enum pcs_errcode rc;
	/* SYMBOL() and ADDRESS-like values are hex without 0x; the rest decimal. */
	int base = strncmp(key, "SYMBOL(", 7) == 0 || strcmp(key, "KERNELOFFSET") == 0 ? 16 : 0;

	rc = pcs_vmcoreinfo(t, key, buf, sizeof(buf), err);
	if (rc)
		return rc;
	*val = strtoull(buf, &end, base);
	if (end == buf || (*end && *end != '\n' && *end != ' '))
		return pcs_error_set(err, PCS_ERR_CORRUPT, "VMCOREINFO %s=%s is not a number", key,
				     buf);
	return PCS_OK;
}

uint32_t pcs_parse_osrelease(const char *osrelease)
{
	unsigned int a = 0, b = 0, c = 0;

	if (sscanf(osrelease, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return PCS_KERNEL_VERSION(a, b, c);
}

const char *pcs_arch_name(enum pcs_arch arch)
{
	switch (arch) {
	case PCS_ARCH_ARM64: return "arm64";
	case PCS_ARCH_X86_64: return "x86_64";
	default: return "unknown";
	}
}
