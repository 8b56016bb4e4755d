/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * pcwatch_record.h - layout of the pcwatch capture record.
 *
 * The record is one structure in pcwatch.ko's memory (symbol `pcwatch_record`,
 * exported, so it is listed in the dump's struct module syms[] even when the
 * kernel has CONFIG_KALLSYMS_ALL=n).  Offline tools find it in a vmcore by
 * that symbol, by the "pcwatch: record at" line in the kernel log, or by a
 * scan for the 16-byte magic (a candidate is genuine only if its `self`
 * field equals the virtual address it was found at: stale copies of the
 * module image in freed memory fail that test).
 *
 * Shared by the kernel module and the offline readers: fixed-width fields,
 * natural alignment, no pointers (addresses are u64), little-endian on every
 * architecture we support.  See docs/capture-record.md.
 */
#ifndef PCWATCH_RECORD_H
#define PCWATCH_RECORD_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef u8 pcw_u8;
typedef u32 pcw_u32;
typedef u64 pcw_u64;
#else
#include <stdint.h>
typedef uint8_t pcw_u8;
typedef uint32_t pcw_u32;
typedef uint64_t pcw_u64;
#endif

/* magic: the bytes "PCWATCH\0" "RECORD\0\1" (two little-endian u64 words). */
#define PCW_MAGIC0	   0x0048435441574350ULL /* "PCWATCH\0" */
#define PCW_MAGIC1	   0x010044524f434552ULL /* "RECORD\0\1" */
#define PCW_RECORD_VERSION 2

#define PCW_MAX_PAGES	  2048
#define PCW_MAX_FILES	  16
#define PCW_MAX_HITS	  64 /* v2: a ring, the oldest overwritten (v1: 4, the first kept) */
#define PCW_MAX_RANGES	  16 /* hardware-watchpoint ranges (mode=hwbp) */
#define PCW_PATH_LEN	  256
#define PCW_SYM_LEN	  128
#define PCW_RELEASE_LEN	  65
#define PCW_HIT_STACK	  8  /* return addresses kept per hit */
#define PCW_STACK_SYM_LEN 96 /* "%pS" of each of them */
#define PCW_HIT_BYTES	  16 /* bytes kept around the written address */
#define PCW_NONE	  0xffffffffU

/* How a watch catches its writer (pcw_rec_page.mode, pcw_rec_hit.mode; a range is always HWBP). */
enum pcw_mode {
	PCW_MODE_PANIC = 0, /* PTE write-protect; the first write oopses and kdumps */
	PCW_MODE_LOG = 1, /* PTE write-protect; a write is recorded, completes, page re-protected */
	PCW_MODE_HWBP = 2, /* hardware data watchpoint on a range; no page-table change */
};

/* pcw_rec_hit.flags */
#define PCW_HIT_BEFORE 0x1 /* before[] holds the bytes at data_addr before the write */
#define PCW_HIT_AFTER  0x2 /* after[] holds them once the write completed */
#define PCW_HIT_PANIC  0x4 /* this hit went on to panic (mode panic, or hwbp then=panic) */

/* pcw_rec_page.state */
enum pcw_page_state {
	PCW_EMPTY = 0,
	PCW_ARMED = 1,	  /* write-protected, pinned */
	PCW_DISARMED = 2, /* original PTE restored, reference dropped */
	PCW_STUCK = 3,	  /* PTE changed behind pcwatch's back: left alone */
};

/* pcw_rec_page.source: how the page was named */
enum pcw_source {
	PCW_SRC_FILE = 1,
	PCW_SRC_PFN = 2,
	PCW_SRC_PHYS = 3,
	PCW_SRC_VA = 4,
};

/* pcw_record.arch: ELF e_machine */
#define PCW_ARCH_X86_64	 62
#define PCW_ARCH_AARCH64 183

/* One watched base page (always PAGE_SIZE, even inside a large folio). */
struct pcw_rec_page {
	pcw_u64 pfn;
	pcw_u64 vaddr; /* linear-map (direct-map) virtual address */
	pcw_u64 paddr;
	pcw_u64 mapping;      /* struct address_space * at arm time, 0 if none */
	pcw_u64 ino;	      /* mapping->host->i_ino, 0 if unknown */
	pcw_u64 index;	      /* page-cache index of this base page */
	pcw_u64 orig_pte;     /* linear-map entry before arming (x86: at pte_level) */
	pcw_u64 armed_pte;    /* entry after write-protection */
	pcw_u64 restored_pte; /* entry read back after disarm, 0 while armed */
	pcw_u64 arm_time_ns;  /* CLOCK_REALTIME */
	pcw_u8 md5[16];	      /* of the page content at arm time */
	pcw_u32 state;	      /* enum pcw_page_state */
	pcw_u32 source;	      /* enum pcw_source */
	pcw_u32 file;	      /* index into files[], or 0xffffffff */
	pcw_u32 hits;
	pcw_u32 pte_level;   /* x86: 1 = 4K pte; arm64: always 3 (level-3 pte) */
	pcw_u32 folio_order; /* order of the folio holding it at arm time */
	pcw_u32 mode;	     /* v2: enum pcw_mode (PANIC or LOG) */
	pcw_u32 reserved;
};

/* v2: one hardware-watchpoint range (mode=hwbp): len bytes at vaddr, inside one page. */
struct pcw_rec_range {
	pcw_u64 vaddr; /* linear-map address watched */
	pcw_u64 paddr;
	pcw_u64 pfn;
	pcw_u64 mapping; /* struct address_space * of the page at arm time, 0 if none */
	pcw_u64 ino;
	pcw_u64 index;	     /* page-cache index of the page */
	pcw_u64 arm_time_ns; /* CLOCK_REALTIME */
	pcw_u32 len;	     /* bytes watched (what the CPU's watchpoint covers) */
	pcw_u32 state;	     /* enum pcw_page_state: ARMED, DISARMED */
	pcw_u32 source;	     /* enum pcw_source */
	pcw_u32 file;	     /* index into files[], or PCW_NONE */
	pcw_u32 hits;
	pcw_u32 then_panic; /* 1: the first hit panics (kdump) after it is recorded */
	pcw_u32 nr_bp;	    /* hardware watchpoints (per CPU) this range uses */
	pcw_u32 reserved;
};

struct pcw_rec_file {
	pcw_u64 ino;
	pcw_u64 size; /* i_size at arm time */
	pcw_u64 mapping;
	pcw_u32 dev;	  /* sb->s_dev (MAJOR << 20 | MINOR) */
	pcw_u32 nr_pages; /* pages armed from it */
	char path[PCW_PATH_LEN];
};

/* One recorded fault inside a watched page (filled by the die notifier). */
struct pcw_rec_hit {
	pcw_u64 time_ns; /* CLOCK_REALTIME (fast, NMI-safe clock) */
	pcw_u64 mono_ns; /* CLOCK_MONOTONIC, same clock as dmesg timestamps */
	pcw_u64 addr;	 /* fault address: FAR_EL1 / CR2 */
	pcw_u64 pc;
	pcw_u64 lr; /* arm64 x30; x86: 0 */
	pcw_u64 sp;
	pcw_u64 esr; /* arm64 ESR_EL1; x86: page-fault error code */
	pcw_u64 pfn;
	pcw_u64 offset; /* addr - page vaddr */
	pcw_u32 slot;	/* index into pages[] */
	pcw_u32 pid;
	pcw_u32 cpu;
	pcw_u32 is_write;
	char comm[16];
	char pc_sym[PCW_SYM_LEN]; /* "%pS" of pc */
	/* v2 */
	pcw_u64 seq;	   /* 1-based number of this hit among all hits (ring position) */
	pcw_u32 mode;	   /* enum pcw_mode of the watch that caught it */
	pcw_u32 range;	   /* hwbp: index into ranges[] (slot is then PCW_NONE), else PCW_NONE */
	pcw_u32 flags;	   /* PCW_HIT_* */
	pcw_u32 nr_stack;  /* stack[] / stack_sym[] entries in use */
	pcw_u64 data_addr; /* address of before[0] / after[0]: addr rounded down to 16 */
	pcw_u8 before[PCW_HIT_BYTES];
	pcw_u8 after[PCW_HIT_BYTES];
	pcw_u64 stack[PCW_HIT_STACK];			  /* return addresses, innermost first */
	char stack_sym[PCW_HIT_STACK][PCW_STACK_SYM_LEN]; /* "%pS" of each */
};

struct pcw_record {
	pcw_u64 magic[2]; /* PCW_MAGIC0, PCW_MAGIC1 */
	pcw_u32 version;  /* PCW_RECORD_VERSION */
	pcw_u32 size;	  /* sizeof(struct pcw_record) */
	pcw_u32 arch;	  /* PCW_ARCH_* */
	pcw_u32 page_size;
	pcw_u64 self;	   /* virtual address of this record */
	pcw_u32 max_pages; /* PCW_MAX_PAGES */
	pcw_u32 nr_pages;  /* pages[] entries in use */
	pcw_u32 max_files;
	pcw_u32 nr_files;
	pcw_u32 max_hits;
	pcw_u32 nr_hits;  /* hits seen (saturates at PCW_NONE); v2: hit n (1-based) is in
			     hits[(n - 1) % max_hits] for the last max_hits of them (hits[].seq
			     says which); v1: only the first max_hits stored */
	pcw_u32 nr_armed; /* pages write-protected now (ranges: ranges[].state) */
	pcw_u32
	    panic_on_oops_saved; /* value before pcwatch set it; 0xffffffff = not set by pcwatch */
	pcw_u32 kdump_loaded;	 /* kexec_crash_loaded() at last arm */
	pcw_u32 reserved;
	char release[PCW_RELEASE_LEN + 7]; /* utsname()->release, NUL-padded to 72 */
	/* v2 */
	pcw_u32 max_ranges;	    /* PCW_MAX_RANGES */
	pcw_u32 nr_ranges;	    /* ranges[] entries in use */
	pcw_u32 max_bp;		    /* hardware data watchpoints the CPU offers (0: unknown) */
	pcw_u32 printk_suppressed;  /* hit lines not printed by the rate limit */
	pcw_u64 reprotect_count;    /* log mode: re-protections after a completed write */
	pcw_u64 reprotect_ns_max;   /* log mode: longest time a hit page stayed writable */
	pcw_u64 reprotect_ns_total; /* sum of those times (mean = total / count) */
	pcw_u64 reserved2[3];
	struct pcw_rec_hit hits[PCW_MAX_HITS];
	struct pcw_rec_file files[PCW_MAX_FILES];
	struct pcw_rec_range ranges[PCW_MAX_RANGES];
	struct pcw_rec_page pages[PCW_MAX_PAGES];
};

#endif /* PCWATCH_RECORD_H */
