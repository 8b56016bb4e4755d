// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of the reference sources (core/refsrc*.c): one small tree read
 * as a directory, an ext4 image (mke2fs -d), a tar archive (GNU format) and a
 * sparse pax tar.gz gives the same bytes for every path; missing paths, non-
 * regular files, ".." escapes and damaged sources fail with one line each.
 * Fixtures are made at run time in a temporary directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "refsrc.h"
#include "unit.h"

#define PAGE		4096
#define BIG_SIZE	(5 * PAGE + 123)
#define SPARSE_SIZE	(1 << 20)
#define SPARSE_DATA_OFF (512 << 10)
#define FTXT		"a file in a subdirectory\n"
#define HUGE_SIZE	(300ULL << 20)

struct fixture {
	char dir[64];
	char tree[128], img[128], tar[128], tgz[128];
	uint8_t big[BIG_SIZE];
	uint8_t *sparse; /* SPARSE_SIZE */
};

struct expect {
	const char *path;
	const uint8_t *data;
	size_t size;
};

static void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

static int write_file(const char *path, const void *buf, size_t len, off_t off, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0;

	ok = ok && (!size || ftruncate(fd, size) == 0);
	ok = ok && (!len || pwrite(fd, buf, len, off) == (ssize_t)len);
	if (fd >= 0)
		close(fd);
	return ok;
}

static int run(const char *fmt, const char *a, const char *b, const char *c)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, a, b, c);
	if (system(cmd) != 0) {
		fprintf(stderr, "fixture command failed: %s\n", cmd);
		return 0;
	}
	return 1;
}

#define SH "PATH=\"$PATH:/usr/sbin:/sbin\"; "

static int make_fixture(struct fixture *fx)
{
	char p[256];
	int ok = 1;

	snprintf(fx->dir, sizeof(fx->dir), "%s/pcs-refsrc-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fx->dir))
		return 0;
	snprintf(fx->tree, sizeof(fx->tree), "%s/tree", fx->dir);
	snprintf(fx->img, sizeof(fx->img), "%s/tree.ext4", fx->dir);
	snprintf(fx->tar, sizeof(fx->tar), "%s/tree.tar", fx->dir);
	snprintf(fx->tgz, sizeof(fx->tgz), "%s/tree.tar.gz", fx->dir);
	fill_random(fx->big, sizeof(fx->big), 0x9e3779b97f4a7c15ULL);
	fx->sparse = calloc(1, SPARSE_SIZE);
	if (!fx->sparse)
		return 0;
	fill_random(fx->sparse + SPARSE_DATA_OFF, PAGE, 42);
	memcpy(fx->sparse + SPARSE_SIZE - 4, "end\n", 4);

#define P(rel) (snprintf(p, sizeof(p), "%s/%s", fx->tree, rel), p)
	ok = ok && mkdir(fx->tree, 0755) == 0;
	ok = ok && mkdir(P("sub"), 0755) == 0 && mkdir(P("sub/dir"), 0755) == 0;
	ok = ok && write_file(P("big.bin"), fx->big, sizeof(fx->big), 0, 0);
	ok = ok && write_file(P("sparse.bin"), fx->sparse + SPARSE_DATA_OFF, PAGE, SPARSE_DATA_OFF,
			      SPARSE_SIZE);
	{
		int fd = open(P("sparse.bin"), O_WRONLY);

		ok = ok && fd >= 0 && pwrite(fd, "end\n", 4, SPARSE_SIZE - 4) == 4;
		if (fd >= 0)
			close(fd);
	}
	ok = ok && write_file(P("sub/dir/f.txt"), FTXT, strlen(FTXT), 0, 0);
	ok = ok && write_file(P("empty"), NULL, 0, 0, 0);
	ok = ok && symlink("sub/dir/f.txt", P("link")) == 0;
	ok = ok && symlink("/big.bin", P("abslink")) == 0;
	ok = ok && symlink("../big.bin", P("sub/up")) == 0;
	ok = ok && symlink("sub/dir", P("dirlink")) == 0;
	ok = ok && symlink("../../../../../../../../etc/passwd", P("escape")) == 0;
	ok = ok && symlink("/etc/passwd", P("absescape")) == 0;
	ok = ok && symlink("loop", P("loop")) == 0;
	ok = ok && mkfifo(P("fifo"), 0644) == 0;
	{
		char big[256];

		snprintf(big, sizeof(big), "%s/big.bin", fx->tree);
		ok = ok && link(big, P("hard")) == 0;
	}
#undef P
	ok = ok && run(SH "mke2fs -q -t ext4 -d '%s' -F '%s' 8M >/dev/null 2>&1%s", fx->tree,
		       fx->img, "");
	ok = ok && run(SH "tar -C '%s' --format=gnu -cf '%s' .%s", fx->tree, fx->tar, "");
	ok = ok && run(SH "tar -C '%s' --format=pax -S -czf '%s' .%s", fx->tree, fx->tgz, "");
	return ok;
}

static void remove_fixture(struct fixture *fx)
{
	if (fx->dir[0] && strstr(fx->dir, "pcs-refsrc-"))
		run("rm -rf '%s'%s%s", fx->dir, "", "");
	free(fx->sparse);
}

static int one_line(const struct pcs_error *e)
{
	return e->msg[0] && !strchr(e->msg, '\n');
}

/* Read f page by page (as verify does) and compare with want. */
static int read_matches(struct pcs_reffile *f, const uint8_t *want, size_t size)
{
	uint8_t page[PAGE];
	struct pcs_error err;

	if (pcs_reffile_size(f) != size)
		return 0;
	for (uint64_t off = 0; off < size; off += PAGE) {
		size_t got = 0, n = size - off < PAGE ? size - off : PAGE;

		if (pcs_reffile_pread(f, off, page, PAGE, &got, &err) || got != n ||
		    memcmp(page, want + off, n))
			return 0;
	}
	return 1;
}

static enum pcs_errcode open_fails(struct pcs_refsrc *s, const char *path, struct pcs_error *err)
{
	struct pcs_reffile *f = NULL;
	enum pcs_errcode rc = pcs_reffile_open(s, path, &f, err);

	if (!rc) {
		pcs_reffile_close(f);
		snprintf(err->msg, sizeof(err->msg), "opened");
	}
	return rc;
}

static void check_source(const struct fixture *fx, const char *spec, enum pcs_refsrc_kind kind,
			 const char *kind_name)
{
	const struct expect files[] = {
	    {"big.bin", fx->big, BIG_SIZE},
	    {"hard", fx->big, BIG_SIZE},
	    {"abslink", fx->big, BIG_SIZE},
	    {"sub/up", fx->big, BIG_SIZE},
	    {"sparse.bin", fx->sparse, SPARSE_SIZE},
	    {"sub/dir/f.txt", (const uint8_t *)FTXT, strlen(FTXT)},
	    {"link", (const uint8_t *)FTXT, strlen(FTXT)},
	    {"dirlink/f.txt", (const uint8_t *)FTXT, strlen(FTXT)},
	    {"empty", NULL, 0},
	    {"./big.bin", fx->big, BIG_SIZE},
	    {"/sub//dir/./f.txt", (const uint8_t *)FTXT, strlen(FTXT)},
	    {"sub/../big.bin", fx->big, BIG_SIZE},
	};
	struct pcs_refsrc *s = NULL;
	struct pcs_reffile *f;
	struct pcs_error err;
	static char name[160]; /* CASE keeps a pointer to it */
	size_t got;
	enum pcs_errcode rc;

	snprintf(name, sizeof(name), "%s opens as %s", kind_name, kind_name);
	CASE(name)
	{
		rc = pcs_refsrc_open(spec, &s, &err);
		EXPECT(rc == PCS_OK);
		if (rc) {
			fprintf(stderr, "%s\n", err.msg);
			break;
		}
		EXPECT(pcs_refsrc_kind(s) == kind);
		EXPECT_STREQ(pcs_refsrc_kind_name(s), kind_name);
	}
	if (!s)
		return;

	snprintf(name, sizeof(name), "%s: every file reads as the tree's bytes", kind_name);
	CASE(name)
	{
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			rc = pcs_reffile_open(s, files[i].path, &f, &err);
			if (rc) {
				fprintf(stderr, "%s: %s\n", files[i].path, err.msg);
				EXPECT(rc == PCS_OK);
				continue;
			}
			if (!read_matches(f, files[i].data, files[i].size)) {
				fprintf(stderr, "%s: content differs\n", files[i].path);
				EXPECT(!"content matches");
			}
			pcs_reffile_close(f);
		}
	}

	snprintf(name, sizeof(name), "%s: files read in reverse order read the same", kind_name);
	CASE(name)
	{
		for (size_t i = sizeof(files) / sizeof(files[0]); i-- > 0;) {
			rc = pcs_reffile_open(s, files[i].path, &f, &err);
			EXPECT(rc == PCS_OK);
			if (rc)
				continue;
			EXPECT(read_matches(f, files[i].data, files[i].size));
			pcs_reffile_close(f);
		}
	}

	snprintf(name, sizeof(name),
		 "%s: pread at and past EOF reads nothing, across EOF short; pages zero-filled",
		 kind_name);
	CASE(name)
	{
		uint8_t buf[2 * PAGE];

		rc = pcs_reffile_open(s, "big.bin", &f, &err);
		EXPECT(rc == PCS_OK);
		if (rc)
			break;
		EXPECT(pcs_reffile_pread(f, BIG_SIZE, buf, PAGE, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 0);
		EXPECT(pcs_reffile_pread(f, BIG_SIZE + 5 * PAGE, buf, PAGE, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 0);
		EXPECT(pcs_reffile_pread(f, 5 * PAGE, buf, sizeof(buf), &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 123);
		EXPECT(!memcmp(buf, fx->big + 5 * PAGE, 123));
		EXPECT(pcs_reffile_pread(f, 100, buf, 7, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 7);
		EXPECT(!memcmp(buf, fx->big + 100, 7));
		/* Whole pages, as verify reads them: a zero tail past EOF. */
		memset(buf, 0xaa, sizeof(buf));
		EXPECT(pcs_reffile_read_page(f, 5, PAGE, buf, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 123);
		EXPECT(!memcmp(buf, fx->big + 5 * PAGE, 123));
		EXPECT(buf[123] == 0 && buf[PAGE - 1] == 0 && buf[PAGE] == 0xaa);
		memset(buf, 0xaa, sizeof(buf));
		EXPECT(pcs_reffile_read_page(f, 6, PAGE, buf, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 0);
		EXPECT(buf[0] == 0 && buf[PAGE - 1] == 0);
		EXPECT(pcs_reffile_read_page(f, UINT64_MAX / 2, PAGE, buf, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 0);
		EXPECT(pcs_reffile_read_page(f, 1, PAGE, buf, NULL, &err) == PCS_OK);
		EXPECT(!memcmp(buf, fx->big + PAGE, PAGE));
		pcs_reffile_close(f);
	}

	snprintf(name, sizeof(name), "%s: missing paths are NOTFOUND", kind_name);
	CASE(name)
	{
		static const char *const missing[] = {"nope", "sub/nope", "big.bin/x",
						      "nodir/f.txt"};

		for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
			EXPECT(open_fails(s, missing[i], &err) == PCS_ERR_NOTFOUND);
			EXPECT(one_line(&err));
		}
	}

	snprintf(name, sizeof(name), "%s: symbolic links never lead outside the source", kind_name);
	CASE(name)
	{
		/* ../../etc/passwd and /etc/passwd name the source's etc/passwd: absent. */
		EXPECT(open_fails(s, "escape", &err) == PCS_ERR_NOTFOUND);
		EXPECT(open_fails(s, "absescape", &err) == PCS_ERR_NOTFOUND);
		EXPECT(one_line(&err));
		EXPECT(open_fails(s, "loop", &err) == PCS_ERR_INVAL);
		EXPECT(strstr(err.msg, "symbolic links") != NULL);
	}

	snprintf(name, sizeof(name), "%s: a directory or a fifo is INVAL and says what it is",
		 kind_name);
	CASE(name)
	{
		static const char *const dirs[] = {"sub", "sub/dir", "dirlink", "sub/..", "."};

		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			EXPECT(open_fails(s, dirs[i], &err) == PCS_ERR_INVAL);
			EXPECT(strstr(err.msg, "directory") != NULL);
			EXPECT(one_line(&err));
		}
		EXPECT(open_fails(s, "fifo", &err) == PCS_ERR_INVAL);
		EXPECT(strstr(err.msg, "fifo") != NULL);
	}

	snprintf(name, sizeof(name), "%s: '..' climbing above the root is refused", kind_name);
	CASE(name)
	{
		static const char *const up[] = {"..", "../big.bin", "sub/../../big.bin",
						 "/../tree/big.bin"};

		for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
			EXPECT(open_fails(s, up[i], &err) == PCS_ERR_INVAL);
			EXPECT(strstr(err.msg, "above the root") != NULL);
			EXPECT(one_line(&err));
		}
	}

	snprintf(name, sizeof(name), "%s: read order", kind_name);
	CASE(name)
	{
		if (kind != PCS_REFSRC_TAR) {
			EXPECT_EQ_U64(pcs_refsrc_order(s, "big.bin"), 0);
			EXPECT_EQ_U64(pcs_refsrc_order(s, "nope"), 0);
		} else {
			/* Links order as the member holding their data. */
			EXPECT_EQ_U64(pcs_refsrc_order(s, "hard"), pcs_refsrc_order(s, "big.bin"));
			EXPECT_EQ_U64(pcs_refsrc_order(s, "link"),
				      pcs_refsrc_order(s, "sub/dir/f.txt"));
			EXPECT(pcs_refsrc_order(s, "big.bin") != pcs_refsrc_order(s, "sparse.bin"));
			EXPECT(pcs_refsrc_order(s, "big.bin") != UINT64_MAX);
			EXPECT_EQ_U64(pcs_refsrc_order(s, "nope"), UINT64_MAX);
			EXPECT_EQ_U64(pcs_refsrc_order(s, "../big.bin"), UINT64_MAX);
		}
	}
	pcs_refsrc_close(s);
}

static void check_bad_source(const char *what, const char *spec, enum pcs_errcode want,
			     const char *needle)
{
	struct pcs_refsrc *s = NULL;
	struct pcs_error err;
	enum pcs_errcode rc;

	CASE(what)
	{
		rc = pcs_refsrc_open(spec, &s, &err);
		EXPECT_EQ_U64(rc, want);
		EXPECT(s == NULL);
		if (rc) {
			EXPECT(one_line(&err));
			EXPECT(strstr(err.msg, needle) != NULL);
			fprintf(stderr, "%s: %s\n", what, err.msg);
		}
		pcs_refsrc_close(s);
	}
}

/* Cut a copy of src to len bytes. */
static int truncated_copy(const char *src, const char *dst, size_t len)
{
	char buf[PAGE];
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t done = 0;
	int ok = in >= 0 && out >= 0;

	while (ok && done < len) {
		ssize_t n = read(in, buf, len - done < sizeof(buf) ? len - done : sizeof(buf));

		ok = n > 0 && write(out, buf, (size_t)n) == n;
		done += ok ? (size_t)n : 0;
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok;
}

static void check_bad_sources(const struct fixture *fx)
{
	char p[256], q[256];
	uint8_t junk[3 * PAGE];
	struct stat st;

	snprintf(p, sizeof(p), "%s/does-not-exist", fx->dir);
	check_bad_source("an unreadable path is IO with strerror", p, PCS_ERR_IO,
			 "No such file or directory");

	snprintf(p, sizeof(p), "%s/random.bin", fx->dir);
	fill_random(junk, sizeof(junk), 7);
	write_file(p, junk, sizeof(junk), 0, 0);
	check_bad_source("random bytes are neither ext* nor tar", p, PCS_ERR_INVAL,
			 "is not a directory, an ext2/3/4 image or a tar archive");

	snprintf(q, sizeof(q), "%s/random.bin.gz", fx->dir);
	run("gzip -c '%s' > '%s'%s", p, q, "");
	check_bad_source("gzip data that is not tar says so", q, PCS_ERR_INVAL,
			 "gzip-compressed data, but not a tar archive");

	snprintf(p, sizeof(p), "%s/empty.bin", fx->dir);
	write_file(p, NULL, 0, 0, 0);
	check_bad_source("an empty file is neither ext* nor tar", p, PCS_ERR_INVAL,
			 "is not a directory, an ext2/3/4 image or a tar archive");

	snprintf(p, sizeof(p), "%s/zeros.bin", fx->dir);
	memset(junk, 0, sizeof(junk));
	write_file(p, junk, sizeof(junk), 0, 0);
	check_bad_source("zeros (an empty tar to libarchive) are no source", p, PCS_ERR_INVAL,
			 "holds no tar members");

	snprintf(q, sizeof(q), "%s/fifo", fx->tree);
	check_bad_source("a fifo is not a source", q, PCS_ERR_INVAL, "a fifo, not a directory");

	snprintf(p, sizeof(p), "%s/truncated.ext4", fx->dir);
	truncated_copy(fx->img, p, 64 << 10);
	check_bad_source("a truncated ext4 image is IO and says truncated", p, PCS_ERR_IO,
			 "is truncated");

	snprintf(p, sizeof(p), "%s/recover.ext4", fx->dir);
	truncated_copy(fx->img, p, 8 << 20);
	run(SH "debugfs -w -R 'feature needs_recovery' '%s' >/dev/null 2>&1%s%s", p, "", "");
	check_bad_source("an ext4 image whose journal needs recovery is UNSUPPORTED", p,
			 PCS_ERR_UNSUPPORTED, "needs recovery");

	snprintf(p, sizeof(p), "%s/truncated.tar.gz", fx->dir);
	if (stat(fx->tgz, &st) == 0)
		truncated_copy(fx->tgz, p, (size_t)st.st_size / 2);
	check_bad_source("a truncated tar.gz is IO", p, PCS_ERR_IO, "tar");

	snprintf(p, sizeof(p), "%s/truncated.tar", fx->dir);
	truncated_copy(fx->tar, p, 3 * PAGE + 700);
	check_bad_source("a truncated tar is IO", p, PCS_ERR_IO, "tar archive");
}

/* A sparse 300 MiB member (a few KiB of archive) is above the in-memory bound. */
static void check_tar_bound(const struct fixture *fx)
{
	char dir[256], file[300], tar[256];
	struct pcs_refsrc *s = NULL;
	struct pcs_reffile *f = NULL;
	struct pcs_error err;

	snprintf(dir, sizeof(dir), "%s/huge", fx->dir);
	snprintf(file, sizeof(file), "%s/huge.bin", dir);
	snprintf(tar, sizeof(tar), "%s/huge.tar", fx->dir);
	CASE("a tar member above 256 MiB is UNSUPPORTED with a clear message")
	{
		EXPECT(mkdir(dir, 0755) == 0);
		EXPECT(write_file(file, "x", 1, (off_t)HUGE_SIZE - 1, (off_t)HUGE_SIZE));
		EXPECT(run(SH "tar -C '%s' -S -cf '%s' huge.bin%s", dir, tar, ""));
		EXPECT(pcs_refsrc_open(tar, &s, &err) == PCS_OK);
		if (!s)
			break;
		EXPECT(pcs_reffile_open(s, "huge.bin", &f, &err) == PCS_ERR_UNSUPPORTED);
		EXPECT(strstr(err.msg, "256 MiB") != NULL);
		EXPECT(one_line(&err));
		EXPECT(f == NULL);
		pcs_refsrc_close(s);
	}
}

/*
 * A tar made from a file list has no directory members ("sub" exists only as a
 * prefix) and no "./"; a name appended twice (tar -r) reads as its last copy.
 */
static void check_tar_shapes(const struct fixture *fx)
{
	char tar[256], f[256];
	struct pcs_refsrc *s = NULL;
	struct pcs_reffile *rf = NULL;
	struct pcs_error err;

	snprintf(tar, sizeof(tar), "%s/list.tar", fx->dir);
	snprintf(f, sizeof(f), "%s/empty", fx->tree);
	CASE("tar: directories implied by member names, last copy of a name wins")
	{
		EXPECT(run(SH "tar -C '%s' -cf '%s' big.bin sub/dir/f.txt empty%s", fx->tree, tar,
			   ""));
		EXPECT(write_file(f, "second copy\n", 12, 0, 0));
		EXPECT(run(SH "tar -C '%s' -rf '%s' empty%s", fx->tree, tar, ""));
		EXPECT(write_file(f, NULL, 0, 0, 0));
		EXPECT(pcs_refsrc_open(tar, &s, &err) == PCS_OK);
		if (!s)
			break;
		EXPECT(open_fails(s, "sub", &err) == PCS_ERR_INVAL);
		EXPECT(strstr(err.msg, "directory") != NULL);
		EXPECT(open_fails(s, "sub/dir", &err) == PCS_ERR_INVAL);
		EXPECT(open_fails(s, "su", &err) == PCS_ERR_NOTFOUND);
		EXPECT(pcs_reffile_open(s, "sub/dir/f.txt", &rf, &err) == PCS_OK);
		if (rf)
			EXPECT(read_matches(rf, (const uint8_t *)FTXT, strlen(FTXT)));
		pcs_reffile_close(rf);
		rf = NULL;
		EXPECT(pcs_reffile_open(s, "empty", &rf, &err) == PCS_OK);
		if (rf)
			EXPECT(read_matches(rf, (const uint8_t *)"second copy\n", 12));
		pcs_reffile_close(rf);
		pcs_refsrc_close(s);
	}
}

/* pcs_refsrc_open_direct(): the same bytes through O_DIRECT, or a clear refusal. */
static void check_direct(struct fixture *fx)
{
	CASE("O_DIRECT source: the same bytes as the file, at any offset; or a clear refusal")
	{
		struct pcs_refsrc *s = NULL;
		struct pcs_reffile *f = NULL;
		struct pcs_error err = {0};
		static uint8_t buf[BIG_SIZE];
		size_t got = 0;
		enum pcs_errcode rc;

		EXPECT(pcs_refsrc_open_direct(fx->tree, &s, &err) == PCS_OK);
		rc = s ? pcs_reffile_open(s, "abslink", &f, &err) : PCS_ERR_INVAL;
		if (rc == PCS_ERR_UNSUPPORTED) {
			/* a file system without O_DIRECT under TMPDIR (tmpfs before 6.6) */
			EXPECT(strstr(err.msg, "no O_DIRECT on ") &&
			       strstr(err.msg, "no independent reference"));
		} else {
			EXPECT(rc == PCS_OK && f && pcs_reffile_size(f) == BIG_SIZE);
			EXPECT(f && pcs_reffile_pread(f, 0, buf, BIG_SIZE, &got, &err) == PCS_OK &&
			       got == BIG_SIZE && !memcmp(buf, fx->big, BIG_SIZE));
			EXPECT(f && pcs_reffile_pread(f, 4097, buf, 100, &got, &err) == PCS_OK &&
			       got == 100 && !memcmp(buf, fx->big + 4097, 100));
			EXPECT(f &&
			       pcs_reffile_pread(f, BIG_SIZE - 10, buf, 10, &got, &err) == PCS_OK &&
			       got == 10 && !memcmp(buf, fx->big + BIG_SIZE - 10, 10));
			pcs_reffile_close(f);
		}
		EXPECT(s && pcs_reffile_open(s, "nonexistent", &f, &err) == PCS_ERR_NOTFOUND);
		pcs_refsrc_close(s);
		EXPECT(pcs_refsrc_open_direct("/nonexistent-dir", &s, &err) == PCS_ERR_IO && !s);
	}
}

/*
 * tmpfs accepts O_DIRECT since 6.6 but its files live only in the page cache: the O_DIRECT
 * source must refuse them whatever the kernel (found on 6.12: --ref-direct compared the
 * page cache with itself). Uses /dev/shm when it is a tmpfs.
 */
static void check_direct_tmpfs(void)
{
	struct statfs sf;
	char dir[] = "/dev/shm/pcs-refsrc-XXXXXX", path[64];

	if (statfs("/dev/shm", &sf) || (unsigned long)sf.f_type != 0x01021994ul || !mkdtemp(dir))
		return;
	CASE("O_DIRECT source on tmpfs: refused (page cache only), even where O_DIRECT opens")
	{
		struct pcs_refsrc *s = NULL;
		struct pcs_reffile *f = NULL;
		struct pcs_error err = {0};
		int fd;

		snprintf(path, sizeof(path), "%s/f", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		EXPECT(fd >= 0 && write(fd, "page cache only\n", 16) == 16);
		if (fd >= 0)
			close(fd);
		EXPECT(pcs_refsrc_open_direct(dir, &s, &err) == PCS_OK);
		EXPECT(s && pcs_reffile_open(s, "f", &f, &err) == PCS_ERR_UNSUPPORTED && !f);
		EXPECT(strstr(err.msg, "no O_DIRECT on tmpfs: no independent reference"));
		pcs_refsrc_close(s);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	static struct fixture fx;

	CASE("fixtures: a tree, its ext4 image, tar and sparse pax tar.gz")
	{
		EXPECT(make_fixture(&fx));
	}
	if (!unit_failed) {
		check_source(&fx, fx.tree, PCS_REFSRC_DIR, "directory");
		check_source(&fx, fx.img, PCS_REFSRC_EXT2, "ext4 image");
		check_source(&fx, fx.tar, PCS_REFSRC_TAR, "tar archive");
		check_source(&fx, fx.tgz, PCS_REFSRC_TAR, "gzip-compressed tar archive");
		check_tar_shapes(&fx);
		check_bad_sources(&fx);
		check_tar_bound(&fx);
		check_direct(&fx);
	}
	check_direct_tmpfs();
	remove_fixture(&fx);
	UNIT_EXIT();
}
