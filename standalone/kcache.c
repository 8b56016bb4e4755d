// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-kernel cache of the dump's BTF blob and kallsyms: see kcache.h. */
#include "kcache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kallsyms.h"

#define KC_MAGIC   "PCSKCAC\n"
#define KC_VERSION 2u
#define KC_MAX	   (512u << 20)
#define KC_DIGEST  32

/*
 * The fixed part at the file's start; then the BTF blob, addr[nsyms] (8-aligned),
 * name[nsyms], the name index hash[hcap], type[nsyms], names, and a SHA-256 of all
 * before it. Loading maps the file and uses name[], hash[], type[] and names in
 * place (only addr[] is copied, to add the KASLR offset).
 */
struct kc_header {
	char magic[8];
	uint32_t version, endian; /* 0x01020304 as written */
	char build_id[129], osrelease[65];
	uint8_t absolute_percpu, pad[7];
	uint64_t btf_addr; /* without the KASLR offset */
	uint64_t btf_size, nsyms, names_len, hcap;
	char syms_from[128];
};

/* Offsets of the parts after the header; the file's size with its digest. */
struct kc_layout {
	uint64_t addr, name, hash, type, names, digest, size;
};

static bool kc_layout(const struct kc_header *h, struct kc_layout *l)
{
	if (h->btf_size > KC_MAX || h->nsyms > KC_MAX || h->names_len > KC_MAX || h->hcap > KC_MAX)
		return false;
	l->addr = (sizeof(*h) + h->btf_size + 7) & ~UINT64_C(7);
	l->name = l->addr + h->nsyms * 8;
	l->hash = l->name + h->nsyms * 4;
	l->type = l->hash + h->hcap * 4;
	l->names = l->type + h->nsyms;
	l->digest = l->names + h->names_len;
	l->size = l->digest + KC_DIGEST;
	return true;
}

static bool kc_path(const struct sa_target *st, char *path, size_t len, bool mkdirs)
{
	const char *dir = getenv("PCSLEUTH_KERNEL_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char base[3072];

	if (!st->build_id[0] ||
	    strspn(st->build_id, "0123456789abcdefABCDEF") != strlen(st->build_id))
		return false;
	if (dir && strcmp(dir, "off") == 0)
		return false;
	if (dir && dir[0])
		snprintf(base, sizeof(base), "%s", dir);
	else if (xdg && xdg[0])
		snprintf(base, sizeof(base), "%s/pcsleuth/kernels", xdg);
	else if (home && home[0])
		snprintf(base, sizeof(base), "%s/.cache/pcsleuth/kernels", home);
	else
		return false;
	if (mkdirs) /* each level; an existing one is fine */
		for (char *p = base + 1;; p++) {
			if (*p == '/' || !*p) {
				char c = *p;

				*p = '\0';
				if (mkdir(base, 0755) && errno != EEXIST)
					return false;
				*p = c;
			}
			if (!*p)
				break;
		}
	return (size_t)snprintf(path, len, "%s/%s.kc", base, st->build_id) < len;
}

static bool sha256(const void *p, size_t n, uint8_t out[KC_DIGEST])
{
	unsigned int len = 0;

	return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == KC_DIGEST;
}

static uint64_t unrelocate(const struct sa_target *st, uint64_t a)
{
	return a >> 63 ? a - st->kaslr_offset : a; /* per-cpu offsets are not relocated */
}

static uint64_t relocate(const struct sa_target *st, uint64_t a)
{
	return a >> 63 ? a + st->kaslr_offset : a;
}

/* The whole file mapped read-only (no copy of the multi-MB BTF); NULL if unusable. */
static uint8_t *map_all(const char *path, size_t *n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	void *m = MAP_FAILED;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    (uint64_t)sb.st_size <= KC_MAX)
		m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*n = (size_t)sb.st_size;
	return m;
}

/* The kallsyms part of a checked file, used in place; NULL if it does not hold up. */
static struct pcs_kallsyms *take_ksyms(const struct sa_target *st, const struct kc_header *h,
				       const struct kc_layout *l, uint8_t *b)
{
	struct pcs_kallsyms *ks = calloc(1, sizeof(*ks));
	size_t n = h->nsyms;
	uint64_t stext, a;

	if (!ks)
		return NULL;
	ks->n = n;
	ks->names_len = h->names_len;
	ks->absolute_percpu = h->absolute_percpu;
	ks->borrowed = true;
	ks->name = (uint32_t *)(void *)(b + l->name);
	ks->hash = h->hcap ? (uint32_t *)(void *)(b + l->hash) : NULL;
	ks->hcap = h->hcap;
	ks->type = (char *)b + l->type;
	ks->names = (char *)b + l->names;
	if (!(ks->addr = malloc(n * 8)))
		goto bad;
	memcpy(ks->addr, b + l->addr, n * 8);
	for (size_t i = 0; i < n; i++)
		ks->addr[i] = relocate(st, ks->addr[i]);
	if (pcs_kallsyms_adopt(ks, NULL))
		goto bad;
	/* the relocation must land _stext where VMCOREINFO has it */
	if (pcs_vmcoreinfo_u64(&st->t, "SYMBOL(_stext)", &stext, NULL) == PCS_OK &&
	    (!pcs_kallsyms_lookup(ks, "_stext", &a) || a != stext))
		goto bad;
	return ks;
bad:
	pcs_kallsyms_free(ks);
	return NULL;
}

void sa_kcache_load(struct sa_target *st, struct sa_kcache *kc)
{
	struct kc_header h;
	struct kc_layout l;
	uint8_t digest[KC_DIGEST], *b;
	char path[4096];
	size_t n = 0;

	if (kc->loaded)
		return;
	kc->loaded = true;
	if (!kc_path(st, path, sizeof(path), false) || !(b = map_all(path, &n)))
		return;
	if (n < sizeof(h) + KC_DIGEST || !sha256(b, n - KC_DIGEST, digest) ||
	    memcmp(digest, b + n - KC_DIGEST, KC_DIGEST))
		goto out; /* truncated or damaged */
	memcpy(&h, b, sizeof(h));
	if (memcmp(h.magic, KC_MAGIC, 8) || h.version != KC_VERSION || h.endian != 0x01020304 ||
	    memchr(h.build_id, 0, sizeof(h.build_id)) == NULL ||
	    memchr(h.osrelease, 0, sizeof(h.osrelease)) == NULL ||
	    memchr(h.syms_from, 0, sizeof(h.syms_from)) == NULL ||
	    strcmp(h.build_id, st->build_id) || strcmp(h.osrelease, st->t.osrelease) ||
	    !kc_layout(&h, &l) || l.size != n)
		goto out;
	if (h.nsyms && (kc->ks = take_ksyms(st, &h, &l, b)))
		snprintf(kc->syms_from, sizeof(kc->syms_from), "%s", h.syms_from);
	if (h.btf_size) {
		kc->btf = b + sizeof(h);
		kc->btf_size = (uint32_t)h.btf_size;
		kc->btf_addr = relocate(st, h.btf_addr);
	}
	if (kc->ks || kc->btf) { /* both are used in the mapping */
		kc->map = b;
		kc->map_len = n;
		return;
	}
out:
	munmap(b, n);
}

void sa_kcache_store(struct sa_target *st, const void *btf, uint32_t btf_size, uint64_t btf_addr)
{
	const struct pcs_kallsyms *ks = st->ksyms;
	struct kc_header h = {.magic = KC_MAGIC, .version = KC_VERSION, .endian = 0x01020304};
	struct kc_layout l;
	char path[4096], tmp[4200];
	uint8_t *b;
	FILE *fp;

	snprintf(h.build_id, sizeof(h.build_id), "%s", st->build_id);
	snprintf(h.osrelease, sizeof(h.osrelease), "%s", st->t.osrelease);
	h.btf_addr = btf ? unrelocate(st, btf_addr) : 0;
	h.btf_size = btf ? btf_size : 0;
	h.nsyms = ks ? ks->n : 0;
	h.names_len = ks ? ks->names_len : 0;
	h.hcap = ks && ks->hash ? ks->hcap : 0;
	h.absolute_percpu = ks && ks->absolute_percpu;
	snprintf(h.syms_from, sizeof(h.syms_from), "%s", ks ? st->syms_from : "");
	if (!kc_layout(&h, &l) || !kc_path(st, path, sizeof(path), true) ||
	    !(b = calloc(1, l.size)))
		return;
	memcpy(b, &h, sizeof(h));
	if (btf)
		memcpy(b + sizeof(h), btf, btf_size);
	for (size_t i = 0; i < h.nsyms; i++) {
		uint64_t a = unrelocate(st, ks->addr[i]);

		memcpy(b + l.addr + i * 8, &a, 8);
	}
	if (h.nsyms) {
		memcpy(b + l.name, ks->name, h.nsyms * 4);
		if (h.hcap)
			memcpy(b + l.hash, ks->hash, h.hcap * 4);
		memcpy(b + l.type, ks->type, h.nsyms);
		memcpy(b + l.names, ks->names, h.names_len);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (!sha256(b, l.digest, b + l.digest) || !(fp = fopen(tmp, "wb"))) {
		free(b);
		return;
	}
	bool ok = fwrite(b, 1, l.size, fp) == l.size;

	ok = (fclose(fp) == 0) && ok;
	if (!ok || rename(tmp, path))
		unlink(tmp);
	free(b);
}

void sa_kcache_free(struct sa_kcache *kc)
{
	if (kc->map)
		munmap(kc->map, kc->map_len);
	pcs_kallsyms_free(kc->ks);
	memset(kc, 0, sizeof(*kc));
}
