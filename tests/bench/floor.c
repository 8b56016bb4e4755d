// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor for `pcsleuth verify` in `make bench`: read and decompress a given
 * set of page-cache pages of a vmcore once and compare each with its reference
 * page, on N threads, with libkdumpfile directly and nothing else (no page-cache
 * walk, no struct page reads, no output formatting).
 *
 *	floor VMCORE PAGELIST NTHREADS
 *
 * PAGELIST: one line per page, "PFN INDEX REFFILE" (the reference file's page
 * INDEX is compared with physical page PFN). Each thread has its own
 * libkdumpfile context on the same file and takes runs of 512 pages from a
 * shared counter, with the libkdumpfile cache size pcsleuth verify uses (0.5.1
 * searches its cache linearly: 64 pages cost less than the default 1024). Prints
 * "pages N differ N unreadable N".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN	    512
#define CACHE_PAGES 64 /* libkdumpfile's cache, as pcsleuth verify sets it */

struct page {
	uint64_t pfn, index;
	int ref; /* index into refs */
};

struct shared {
	const char *vmcore;
	struct page *pages;
	size_t npages;
	int *ref_fds;
	uint32_t page_size;
	atomic_size_t next;
	atomic_ulong differ, unreadable;
};

static void *worker(void *arg)
{
	struct shared *sh = arg;
	int fd = open(sh->vmcore, O_RDONLY | O_CLOEXEC);
	kdump_ctx_t *kd = kdump_new();
	uint8_t *a = malloc(sh->page_size), *b = malloc(sh->page_size);
	unsigned long differ = 0, unreadable = 0;

	if (fd < 0 || !kd || !a || !b || kdump_open_fd(kd, fd) != KDUMP_OK ||
	    kdump_set_string_attr(kd, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK ||
	    kdump_set_number_attr(kd, "cache.size", CACHE_PAGES) != KDUMP_OK) {
		fprintf(stderr, "floor: cannot open %s: %s\n", sh->vmcore,
			kd ? kdump_get_err(kd) : "out of memory");
		exit(2);
	}
	for (;;) {
		size_t first = atomic_fetch_add(&sh->next, RUN);

		if (first >= sh->npages)
			break;
		for (size_t i = first; i < first + RUN && i < sh->npages; i++) {
			const struct page *p = &sh->pages[i];
			size_t n = sh->page_size;
			ssize_t got;

			if (kdump_read(kd, KDUMP_KPHYSADDR, p->pfn * sh->page_size, a, &n) !=
				KDUMP_OK ||
			    n != sh->page_size) {
				if (!unreadable++)
					fprintf(stderr, "floor: pfn %" PRIu64 ": %s\n", p->pfn,
						kdump_get_err(kd));
				continue;
			}
			got = pread(sh->ref_fds[p->ref], b, sh->page_size,
				    (off_t)(p->index * sh->page_size));
			if (got < 0)
				got = 0;
			memset(b + got, 0, sh->page_size - (size_t)got);
			if (memcmp(a, b, sh->page_size))
				differ++;
		}
	}
	atomic_fetch_add(&sh->differ, differ);
	atomic_fetch_add(&sh->unreadable, unreadable);
	free(a);
	free(b);
	kdump_free(kd);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct shared sh = {0};
	char **names = NULL, line[8192];
	size_t nnames = 0, cap = 0;
	int nthreads;
	FILE *fp;

	if (argc != 4 || (nthreads = atoi(argv[3])) < 1 || nthreads > 256) {
		fprintf(stderr, "usage: floor VMCORE PAGELIST NTHREADS\n");
		return 2;
	}
	sh.vmcore = argv[1];
	sh.page_size = 4096;
	if (!(fp = fopen(argv[2], "r"))) {
		fprintf(stderr, "floor: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), fp)) {
		uint64_t pfn, index;
		char path[4096];
		int ref = -1;

		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %4095s", &pfn, &index, path) != 3)
			continue;
		if (nnames && !strcmp(names[nnames - 1], path))
			ref = (int)nnames - 1;
		if (ref < 0) {
			names = realloc(names, (nnames + 1) * sizeof(*names));
			sh.ref_fds = realloc(sh.ref_fds, (nnames + 1) * sizeof(*sh.ref_fds));
			if (!names || !sh.ref_fds)
				return 2;
			names[nnames] = strdup(path);
			sh.ref_fds[nnames] = open(path, O_RDONLY | O_CLOEXEC);
			if (sh.ref_fds[nnames] < 0) {
				fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
				return 2;
			}
			ref = (int)nnames++;
		}
		if (sh.npages == cap) {
			cap = cap ? 2 * cap : 4096;
			sh.pages = realloc(sh.pages, cap * sizeof(*sh.pages));
			if (!sh.pages)
				return 2;
		}
		sh.pages[sh.npages++] = (struct page){.pfn = pfn, .index = index, .ref = ref};
	}
	fclose(fp);

	pthread_t *th = calloc((size_t)nthreads, sizeof(*th));

	for (int i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, &sh);
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("pages %zu differ %lu unreadable %lu\n", sh.npages, atomic_load(&sh.differ),
	       atomic_load(&sh.unreadable));
	return 0;
}
