// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paths inside a reference source: normalisation, and symbolic-link resolution
 * that never leaves the source (absolute targets start at its root, ".." stops
 * there), as if the source were the guest's root filesystem.
 */
#include "refsrc_impl.h"

#include <string.h>

/* Next component of *p (skipping '/'); its length, 0 at the end. */
static size_t next_component(const char **p, const char **comp)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == '/')
		s++;
	*comp = s;
	while (s[n] && s[n] != '/')
		n++;
	*p = s + n;
	return n;
}

static int is_dot(const char *c, size_t n)
{
	return n == 1 && c[0] == '.';
}

static int is_dotdot(const char *c, size_t n)
{
	return n == 2 && c[0] == '.' && c[1] == '.';
}

/* Drop the last component of out (length *len). */
static void pop_component(char *out, size_t *len)
{
	char *slash = strrchr(out, '/');

	*len = slash ? (size_t)(slash - out) : 0;
	out[*len] = '\0';
}

/* Append "/comp" (or "comp" to "") to out; 0 when it does not fit. */
static int push_component(char *out, size_t *len, const char *c, size_t n)
{
	size_t sep = *len ? 1 : 0;

	if (*len + sep + n + 1 > PCS_REFSRC_PATH_MAX)
		return 0;
	if (sep)
		out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	out[*len] = '\0';
	return 1;
}

enum pcs_errcode pcs_refsrc_normalise(const char *path, char *out, int lexical,
				      struct pcs_error *err)
{
	const char *p = path, *c;
	size_t len = 0, n;
	long depth = 0;

	out[0] = '\0';
	while ((n = next_component(&p, &c))) {
		if (is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			if (lexical) {
				pop_component(out, &len);
				continue;
			}
			if (--depth < 0)
				return pcs_error_set(err, PCS_ERR_INVAL,
						     "path '%s' climbs above the root with '..'",
						     path);
		} else {
			depth++;
		}
		if (!push_component(out, &len, c, n))
			return pcs_error_set(err, PCS_ERR_INVAL, "path '%.64s...' is too long",
					     path);
	}
	return PCS_OK;
}

enum pcs_errcode pcs_refsrc_resolve(const struct pcs_refsrc *s, const char *relpath,
				    pcs_refsrc_readlink_fn readlink_fn, void *ctx, char *out,
				    struct pcs_error *err)
{
	char rest[PCS_REFSRC_PATH_MAX], link[PCS_REFSRC_PATH_MAX], next[PCS_REFSRC_PATH_MAX];
	const char *p = rest, *c;
	size_t len = 0, n;
	int links = 0;

	if (strlen(relpath) >= sizeof(rest))
		return pcs_error_set(err, PCS_ERR_INVAL, "path '%.64s...' is too long", relpath);
	strcpy(rest, relpath);
	out[0] = '\0';
	while ((n = next_component(&p, &c))) {
		size_t before = len, left;
		ssize_t r;

		if (is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			pop_component(out, &len); /* at the root: stays there */
			continue;
		}
		if (!push_component(out, &len, c, n))
			return pcs_error_set(err, PCS_ERR_INVAL, "path '%.64s...' is too long",
					     relpath);
		r = readlink_fn(ctx, out, link, sizeof(link));
		if (r < 0)
			return pcs_error_set(err, PCS_ERR_IO,
					     "reading symbolic link %s in %s %s: %s", out,
					     s->kind_name, s->spec, strerror((int)-r));
		if (r == 0)
			continue;
		if (++links > PCS_REFSRC_MAXSYMLINKS)
			return pcs_error_set(
			    err, PCS_ERR_INVAL,
			    "too many levels of symbolic links resolving %s in %s %s", relpath,
			    s->kind_name, s->spec);
		/* Replace the link by its target: rest = target + "/" + what is left. */
		left = strlen(p);
		if ((size_t)r + 1 + left + 1 > sizeof(next))
			return pcs_error_set(err, PCS_ERR_INVAL,
					     "path '%.64s...' is too long after symbolic links",
					     relpath);
		memcpy(next, link, (size_t)r);
		next[r] = '/';
		memcpy(next + r + 1, p, left + 1);
		memcpy(rest, next, (size_t)r + 1 + left + 1);
		p = rest;
		len = link[0] == '/' ? 0 : before;
		out[len] = '\0';
	}
	return PCS_OK;
}
