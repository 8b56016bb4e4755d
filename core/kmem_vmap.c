// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Non-linear kernel mappings, reversed (mm/vmalloc.c vmap_area_list, the modules
 * list, init_task.tasks and each thread's task_struct.stack, mem_section).
 */
#include "kmem_vmap.h"
#include "roots.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopcheck.h"
#include "memmap.h"

#define MAX_TASKS     (1u << 22)
#define MAX_AREAS     (1u << 22)
#define MAX_AREA_PGS  (1u << 24) /* 64 GiB of 4K pages in one area: corrupt beyond */
#define THREAD_SIZE_D 16384u

static bool grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 64;
	p = realloc(*v, nc * elem);
	if (!p)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

static void note(struct pcs_vmap *m, const char *what)
{
	size_t used = strlen(m->notes);

	snprintf(m->notes + used, sizeof(m->notes) - used, "%s%s", used ? "; " : "", what);
}

static bool add_page(struct pcs_vmap *m, uint64_t pfn, uint64_t va, uint8_t kind, uint32_t idx,
		     uint8_t sub)
{
	if (!grow((void **)&m->pages, &m->pagecap, m->npages, sizeof(*m->pages)))
		return false;
	m->pages[m->npages++] =
	    (struct pcs_vmap_page){.pfn = pfn, .va = va, .idx = idx, .kind = kind, .sub = sub};
	return true;
}

/* --- modules -------------------------------------------------------------------------- */

static int on_module(const struct pcs_module_info *mi, void *arg)
{
	struct pcs_vmap *m = arg;

	if (!grow((void **)&m->mods, &m->modcap, m->nmods, sizeof(*m->mods)))
		return -1;
	m->mods[m->nmods++] = *mi;
	return 0;
}

/* --- tasks ---------------------------------------------------------------------------- */

struct task_layout {
	uint64_t tasks, pid, comm, stack, thread_group, signal, thread_head, thread_node;
};

static bool add_task(struct pcs_vmap *m, const struct pcs_kernel *k, const struct task_layout *l,
		     uint64_t task)
{
	struct pcs_vmap_task *t;

	if (!grow((void **)&m->tasks, &m->taskcap, m->ntasks, sizeof(*m->tasks)))
		return false;
	t = &m->tasks[m->ntasks];
	memset(t, 0, sizeof(*t));
	t->task = task;
	if (pcs_read_u64(k->t, task + l->stack, &t->stack, NULL) ||
	    pcs_read_u32(k->t, task + l->pid, &t->pid, NULL) || !t->stack)
		return true; /* unreadable task: left out */
	pcs_read(k->t, PCS_KVADDR, task + l->comm, t->comm, 16, NULL);
	t->comm[16] = '\0';
	m->ntasks++;
	return true;
}

/*
 * Every thread of the group led by leader: the leader and its thread_group ring
 * (before 6.7), or every entry of signal->thread_head (6.7+).
 */
static bool add_threads(struct pcs_vmap *m, const struct pcs_kernel *k, const struct task_layout *l,
			uint64_t leader)
{
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
	uint64_t head, pos, link, sig;

	if (l->thread_group != PCS_OFF_NONE) {
		if (!add_task(m, k, l, leader))
			return false;
		head = leader + l->thread_group;
		link = l->thread_group;
	} else if (l->thread_node != PCS_OFF_NONE &&
		   !pcs_read_u64(k->t, leader + l->signal, &sig, NULL) && sig) {
		head = sig + l->thread_head;
		link = l->thread_node;
	} else {
		return add_task(m, k, l, leader);
	}
	if (pcs_read_u64(k->t, head, &pos, NULL))
		return true;
	for (uint32_t n = 0; pos != head && n < MAX_TASKS; n++) {
		if (pcs_loopcheck_step(&lc, pos))
			break;
		if (!add_task(m, k, l, pos - link))
			return false;
		if (pcs_read_u64(k->t, pos, &pos, NULL))
			break;
	}
	return true;
}

/* The idle task of every CPU (rq->idle): not on init_task.tasks, except CPU 0's. */
static bool add_idle_tasks(struct pcs_vmap *m, const struct pcs_kernel *k,
			   const struct task_layout *l)
{
	const struct pcs_target *t = k->t;
	uint64_t rq, pco, o_idle, off, idle;
	uint32_t nr;

	if (pcs_symbol(t, "runqueues", &rq, NULL) ||
	    pcs_symbol(t, "__per_cpu_offset", &pco, NULL) || pcs_nr_cpu_ids(t, &nr, NULL) ||
	    pcs_kernel_offset(t, "rq", "idle", &o_idle, NULL) || nr > 8192)
		return true;
	for (uint32_t cpu = 1; cpu < nr; cpu++) {
		if (pcs_read_u64(t, pco + 8ull * cpu, &off, NULL) ||
		    pcs_read_u64(t, rq + off + o_idle, &idle, NULL) || !idle)
			continue;
		if (!add_task(m, k, l, idle))
			return false;
	}
	return true;
}

static int cmp_task(const void *a, const void *b)
{
	const struct pcs_vmap_task *x = a, *y = b;

	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

static enum pcs_errcode collect_tasks(struct pcs_vmap *m, const struct pcs_kernel *k,
				      struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	struct task_layout l;
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
	uint64_t init_task, head, pos, size;

	if (pcs_symbol(t, "init_task", &init_task, NULL) ||
	    pcs_kernel_offset(t, "task_struct", "tasks", &l.tasks, NULL) ||
	    pcs_kernel_offset(t, "task_struct", "pid", &l.pid, NULL) ||
	    pcs_kernel_offset(t, "task_struct", "comm", &l.comm, NULL) ||
	    pcs_kernel_offset(t, "task_struct", "stack", &l.stack, NULL)) {
		note(m, "task stacks: no init_task or task_struct layout");
		return PCS_OK;
	}
	if (pcs_kernel_offset(t, "task_struct", "thread_group", &l.thread_group, NULL))
		l.thread_group = PCS_OFF_NONE;
	if (pcs_kernel_offset(t, "task_struct", "signal", &l.signal, NULL) ||
	    pcs_kernel_offset(t, "signal_struct", "thread_head", &l.thread_head, NULL) ||
	    pcs_kernel_offset(t, "task_struct", "thread_node", &l.thread_node, NULL))
		l.thread_node = PCS_OFF_NONE;
	m->thread_size = THREAD_SIZE_D;
	if (pcs_kernel_size(t, "thread_union", &size, NULL) == PCS_OK && size >= 4096 &&
	    size <= (1u << 20) && !(size & (size - 1)))
		m->thread_size = size;
	head = init_task + l.tasks;
	if (pcs_read_u64(t, head, &pos, NULL)) {
		note(m, "task stacks: init_task.tasks is not in the dump");
		return PCS_OK;
	}
	if (!add_task(m, k, &l, init_task))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting tasks");
	for (uint32_t n = 0; pos != head; n++) {
		if (n > MAX_TASKS || pcs_loopcheck_step(&lc, pos)) {
			note(m, "task list does not end: stacks of later tasks left out");
			break;
		}
		if (!add_threads(m, k, &l, pos - l.tasks))
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting tasks");
		if (pcs_read_u64(t, pos, &pos, NULL)) {
			note(m, "task list leaves the dump");
			break;
		}
	}
	if (!add_idle_tasks(m, k, &l))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting tasks");
	if (m->ntasks)
		qsort(m->tasks, m->ntasks, sizeof(*m->tasks), cmp_task);
	return PCS_OK;
}

/* --- classification of a vmalloc address ------------------------------------------------ */

static bool classify(const struct pcs_vmap *m, uint64_t va, uint8_t *kind, uint32_t *idx,
		     uint8_t *sub)
{
	size_t lo = 0, hi = m->ntasks;

	for (size_t i = 0; i < m->nmods; i++)
		for (unsigned int r = 0; r < m->mods[i].nregions; r++) {
			const struct pcs_module_region *g = &m->mods[i].region[r];

			if (va >= g->base && va - g->base < g->size) {
				*kind = PCS_VMAP_MODULE;
				*idx = (uint32_t)i;
				*sub = (uint8_t)r;
				return true;
			}
		}
	while (lo < hi) { /* last task whose stack starts at or below va */
		size_t mid = lo + (hi - lo) / 2;

		if (m->tasks[mid].stack <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && va - m->tasks[lo - 1].stack < m->thread_size) {
		*kind = PCS_VMAP_STACK;
		*idx = (uint32_t)(lo - 1);
		*sub = 0;
		return true;
	}
	return false;
}

/* --- vmalloc areas ------------------------------------------------------------------------ */

struct area_layout {
	uint64_t va_start, va_end, list, vm, vm_addr, vm_size, vm_pages, vm_nr_pages, vm_caller;
};

static enum pcs_errcode area_pages(struct pcs_vmap *m, const struct pcs_kernel *k,
				   const struct area_layout *l, uint64_t vm, struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	uint64_t addr, pages, caller, *pp;
	uint32_t nr;
	uint32_t idx = (uint32_t)m->nareas;

	if (pcs_read_u64(t, vm + l->vm_addr, &addr, NULL) ||
	    pcs_read_u64(t, vm + l->vm_pages, &pages, NULL) ||
	    pcs_read_u32(t, vm + l->vm_nr_pages, &nr, NULL) || !pages || !nr || nr > MAX_AREA_PGS)
		return PCS_OK; /* ioremap and friends: no pages[] */
	if (pcs_read_u64(t, vm + l->vm_caller, &caller, NULL))
		caller = 0;
	if (!grow((void **)&m->areas, &m->areacap, m->nareas, sizeof(*m->areas)))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting vmalloc areas");
	m->areas[m->nareas++] = (struct pcs_vmap_area){
	    .start = addr, .end = addr + (uint64_t)nr * k->page_size, .caller = caller};
	pp = malloc(8ull * nr);
	if (!pp)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory reading vm_struct.pages");
	if (pcs_read(t, PCS_KVADDR, pages, pp, 8ull * nr, NULL)) {
		free(pp);
		return PCS_OK;
	}
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t pfn, va = addr + (uint64_t)i * k->page_size;
		uint8_t kind = PCS_VMAP_VMALLOC, sub = 0;
		uint32_t which = idx;

		if (pcs_page_to_pfn(k, pp[i], &pfn, NULL))
			continue;
		classify(m, va, &kind, &which, &sub);
		if (!add_page(m, pfn, va, kind, which, sub)) {
			free(pp);
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		}
	}
	free(pp);
	return PCS_OK;
}

static enum pcs_errcode collect_areas(struct pcs_vmap *m, const struct pcs_kernel *k,
				      struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	struct area_layout l;
	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
	uint64_t head, pos, vm;
	enum pcs_errcode rc;

	if (pcs_symbol(t, "vmap_area_list", &head, NULL) ||
	    pcs_kernel_offset(t, "vmap_area", "va_start", &l.va_start, NULL) ||
	    pcs_kernel_offset(t, "vmap_area", "list", &l.list, NULL) ||
	    pcs_kernel_offset(t, "vmap_area", "vm", &l.vm, NULL) ||
	    pcs_kernel_offset(t, "vm_struct", "addr", &l.vm_addr, NULL) ||
	    pcs_kernel_offset(t, "vm_struct", "pages", &l.vm_pages, NULL) ||
	    pcs_kernel_offset(t, "vm_struct", "nr_pages", &l.vm_nr_pages, NULL) ||
	    pcs_kernel_offset(t, "vm_struct", "caller", &l.vm_caller, NULL)) {
		note(m, "vmalloc areas: no vmap_area_list (6.9+) or vm_struct layout");
		return PCS_OK;
	}
	if (pcs_read_u64(t, head, &pos, NULL)) {
		note(m, "vmalloc areas: vmap_area_list is not in the dump");
		return PCS_OK;
	}
	for (uint32_t n = 0; pos != head; n++) {
		if (n > MAX_AREAS || pcs_loopcheck_step(&lc, pos)) {
			note(m, "vmap_area_list does not end");
			break;
		}
		if (!pcs_read_u64(t, pos - l.list + l.vm, &vm, NULL) && vm &&
		    (rc = area_pages(m, k, &l, vm, err)))
			return rc;
		if (pcs_read_u64(t, pos, &pos, NULL)) {
			note(m, "vmap_area_list leaves the dump");
			break;
		}
	}
	return PCS_OK;
}

/* --- page-table fallback for module regions and stacks the area list did not cover --- */

static uint64_t covered(const struct pcs_vmap *m, uint8_t kind, uint32_t idx, uint8_t sub)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->npages; i++)
		n += m->pages[i].kind == kind && m->pages[i].idx == idx && m->pages[i].sub == sub;
	return n;
}

static bool translate_range(struct pcs_vmap *m, const struct pcs_kernel *k,
			    const struct pcs_pte_walker *pw, uint64_t start, uint64_t size,
			    uint8_t kind, uint32_t idx, uint8_t sub)
{
	uint64_t ps = k->page_size, va = start & ~(ps - 1), pa;

	for (; va < start + size; va += ps)
		if (pcs_pte_walker_translate(pw, va, &pa, NULL) == PCS_OK &&
		    !add_page(m, pcs_paddr_to_pfn(k, pa), va, kind, idx, sub))
			return false;
	return true;
}

static enum pcs_errcode translate_uncovered(struct pcs_vmap *m, const struct pcs_kernel *k,
					    const struct pcs_pte_walker *pw, struct pcs_error *err)
{
	uint64_t ps = k->page_size;
	size_t before = m->npages;

	for (size_t i = 0; i < m->nmods; i++)
		for (unsigned int r = 0; r < m->mods[i].nregions; r++) {
			const struct pcs_module_region *g = &m->mods[i].region[r];

			if (covered(m, PCS_VMAP_MODULE, (uint32_t)i, (uint8_t)r) * ps >= g->size)
				continue;
			if (!translate_range(m, k, pw, g->base, g->size, PCS_VMAP_MODULE,
					     (uint32_t)i, (uint8_t)r))
				return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		}
	/* stacks: one pass over the pages found so far tells which tasks are covered */
	uint8_t *seen = calloc(m->ntasks ? m->ntasks : 1, 1);

	if (!seen)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < before; i++)
		if (m->pages[i].kind == PCS_VMAP_STACK)
			seen[m->pages[i].idx] = 1;
	for (size_t i = 0; i < m->ntasks; i++)
		if (!seen[i] && !translate_range(m, k, pw, m->tasks[i].stack, m->thread_size,
						 PCS_VMAP_STACK, (uint32_t)i, 0)) {
			free(seen);
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		}
	free(seen);
	return PCS_OK;
}

/* --- the memory map ------------------------------------------------------------------------ */

struct vmm_ctx {
	struct pcs_vmap *m;
	const struct pcs_kernel *k;
	const struct pcs_pte_walker *pw;
	bool nomem;
};

static int on_section(const struct pcs_mem_section *s, void *arg)
{
	struct vmm_ctx *c = arg;
	struct pcs_vmap *m = c->m;
	uint64_t va = s->mem_map, end = s->mem_map + (s->end_pfn - s->start_pfn) * c->k->page.size;
	struct pcs_pte_walk *w = malloc(sizeof(*w));

	if (!w) {
		c->nomem = true;
		return 1;
	}
	while (va < end) {
		uint64_t step = c->k->page_size - (va & (c->k->page_size - 1)), len;

		if (pcs_pte_walker_walk(c->pw, 0, va, w, NULL) == PCS_OK && w->page_size) {
			step = w->page_size - (va & (w->page_size - 1));
			len = step < end - va ? step : end - va;
			struct pcs_vmemmap_range *last = m->nvmm ? &m->vmm[m->nvmm - 1] : NULL;

			if (last && last->va + last->len == va &&
			    last->pa + last->len == w->paddr) {
				last->len += len;
			} else {
				if (!grow((void **)&m->vmm, &m->vmmcap, m->nvmm, sizeof(*m->vmm))) {
					c->nomem = true;
					break;
				}
				m->vmm[m->nvmm++] = (struct pcs_vmemmap_range){
				    .pa = w->paddr, .len = len, .va = va};
			}
		}
		va += step;
	}
	free(w);
	return c->nomem;
}

static int cmp_vmm(const void *a, const void *b)
{
	const struct pcs_vmemmap_range *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static int cmp_page(const void *a, const void *b)
{
	const struct pcs_vmap_page *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

enum pcs_errcode pcs_vmap_build(struct pcs_vmap *m, const struct pcs_kernel *k,
				const struct pcs_pte_walker *pw, struct pcs_error *err)
{
	struct vmm_ctx vc = {.m = m, .k = k, .pw = pw};
	enum pcs_errcode rc;
	struct pcs_error e2 = {0};

	memset(m, 0, sizeof(*m));
	rc = pcs_module_for_each(k->t, on_module, m, &e2);
	if (rc == PCS_ERR_NOMEM || (rc == PCS_OK && m->nmods && !m->mods))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting modules");
	if (rc)
		note(m, "modules: list unreadable");
	if ((rc = collect_tasks(m, k, err)) || (rc = collect_areas(m, k, err)))
		return rc;
	if (pw && (rc = translate_uncovered(m, k, pw, err)))
		return rc;
	if (m->npages)
		qsort(m->pages, m->npages, sizeof(*m->pages), cmp_page);
	/* one entry per pfn: the first kind in precedence order */
	size_t j = 0;

	for (size_t i = 0; i < m->npages; i++)
		if (!j || m->pages[j - 1].pfn != m->pages[i].pfn)
			m->pages[j++] = m->pages[i];
	m->npages = j;
	if (pw && k->mm.ok) {
		if (pcs_memmap_for_each_section(k, on_section, &vc, NULL))
			note(m, "memory map: mem_section unreadable");
		if (vc.nomem)
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		if (m->nvmm)
			qsort(m->vmm, m->nvmm, sizeof(*m->vmm), cmp_vmm);
	}
	return PCS_OK;
}

void pcs_vmap_free(struct pcs_vmap *m)
{
	free(m->mods);
	free(m->tasks);
	free(m->areas);
	free(m->pages);
	free(m->vmm);
	memset(m, 0, sizeof(*m));
}

const struct pcs_vmap_page *pcs_vmap_find(const struct pcs_vmap *m, uint64_t pfn)
{
	size_t lo = 0, hi = m->npages;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->pages[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->npages && m->pages[lo].pfn == pfn ? &m->pages[lo] : NULL;
}

const struct pcs_vmemmap_range *pcs_vmemmap_find(const struct pcs_vmap *m, uint64_t pa)
{
	size_t lo = 0, hi = m->nvmm;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->vmm[mid].pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || pa - m->vmm[lo - 1].pa >= m->vmm[lo - 1].len)
		return NULL;
	return &m->vmm[lo - 1];
}
