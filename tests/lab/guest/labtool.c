// SPDX-License-Identifier: GPL-2.0
/*
 * labtool - tiny static helper for the lab guest.
 *   labtool pagesize
 *   labtool pages FILE        "file SIZE INODE" then "page INDEX PFN" for each page
 *                             (mmap, touch, /proc/self/pagemap; needs root)
 *   labtool hex FILE OFFSET LEN   bytes as read through the page cache, in hex
 *   labtool kallsyms-fix FIX  /proc/kallsyms plus, for each "NAME DELTA" line of FIX
 *                             whose NAME is missing, "ADDR T NAME" with ADDR = _stext + DELTA
 *   labtool copy-sparse SRC DST  copy SRC (e.g. /proc/vmcore) to DST; all-zero 4 KiB blocks
 *                             become holes, so a full memory image costs only its used pages
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int pages(const char *path)
{
	long psz = sysconf(_SC_PAGESIZE);
	struct stat st;
	int fd = open(path, O_RDONLY), pm;
	volatile unsigned char *map;
	unsigned long n, i;

	if (fd < 0 || fstat(fd, &st))
		return die(path);
	printf("file %lld %llu\n", (long long)st.st_size, (unsigned long long)st.st_ino);
	n = (st.st_size + psz - 1) / psz;
	if (!n)
		return 0;
	map = mmap(NULL, n * psz, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return die("mmap");
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0)
		return die("pagemap");
	for (i = 0; i < n; i++) {
		uint64_t e;
		unsigned char c = map[i * psz];

		(void)c;
		if (pread(pm, &e, sizeof(e), ((uintptr_t)map / psz + i) * sizeof(e)) != sizeof(e))
			return die("pagemap read");
		if (!(e >> 63 & 1) || !(e & ((1ULL << 55) - 1))) {
			fprintf(stderr, "page %lu not present\n", i);
			return 1;
		}
		printf("page %lu %llu\n", i, (unsigned long long)(e & ((1ULL << 55) - 1)));
	}
	munmap((void *)map, n * psz);
	close(pm);
	close(fd);
	return 0;
}

static int hex(const char *path, const char *off, const char *len)
{
	long o = strtol(off, NULL, 0), l = strtol(len, NULL, 0), i;
	unsigned char buf[4096];
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return die(path);
	if (l <= 0 || l > (long)sizeof(buf) || pread(fd, buf, l, o) != l)
		return die("pread");
	for (i = 0; i < l; i++)
		printf("%02x", buf[i]);
	printf("\n");
	close(fd);
	return 0;
}

static int kallsyms_fix(const char *fixfile)
{
	FILE *k = fopen("/proc/kallsyms", "r"), *fx = fopen(fixfile, "r");
	char line[512], name[256], seen[16][256];
	unsigned long long stext = 0, a;
	long long delta;
	int nseen = 0, i, have;
	char t;

	if (!k || !fx)
		return die("open");
	while (fgets(line, sizeof(line), k)) {
		fputs(line, stdout);
		if (sscanf(line, "%llx %c %255s", &a, &t, name) != 3)
			continue;
		if (!strcmp(name, "_stext"))
			stext = a;
		if ((!strcmp(name, "_text") || !strcmp(name, "__init_begin")) && nseen < 16)
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
	}
	if (!stext) {
		fprintf(stderr, "no _stext in /proc/kallsyms\n");
		return 1;
	}
	while (fscanf(fx, "%255s %lld", name, &delta) == 2) {
		have = 0;
		for (i = 0; i < nseen; i++)
			have |= !strcmp(seen[i], name);
		if (!have)
			printf("%016llx T %s\n", stext + (unsigned long long)delta, name);
	}
	return 0;
}

static int copy_sparse(const char *src, const char *dst)
{
	static unsigned char buf[1 << 20];
	static const unsigned char zero[4096];
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long pos = 0;
	ssize_t n, i, len;

	if (in < 0)
		return die(src);
	if (out < 0)
		return die(dst);
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i += len) {
			len = n - i < (ssize_t)sizeof(zero) ? n - i : (ssize_t)sizeof(zero);
			if (!memcmp(buf + i, zero, len))
				continue;
			if (pwrite(out, buf + i, len, pos + i) != len)
				return die("write");
		}
		pos += n;
	}
	if (n < 0)
		return die("read");
	if (ftruncate(out, pos) || fsync(out) || close(out))
		return die(dst);
	close(in);
	printf("%lld\n", pos);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "pagesize")) {
		printf("%ld\n", sysconf(_SC_PAGESIZE));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "pages"))
		return pages(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "hex"))
		return hex(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "kallsyms-fix"))
		return kallsyms_fix(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "copy-sparse"))
		return copy_sparse(argv[2], argv[3]);
	fprintf(stderr, "usage: labtool pagesize | pages FILE | hex FILE OFFSET LEN | "
			"kallsyms-fix FIX | copy-sparse SRC DST\n");
	return 2;
}
