#!/usr/bin/python3
"""pcwatch-read: find and print the pcwatch capture record in a vmcore.

An independent reader (python3-libkdumpfile only, no pcsleuth code): it finds
the record by scanning physical memory for the 16-byte magic and accepts a
candidate only if the record's `self` field, translated through the dump's
page tables, lands on the candidate (stale copies of the module image fail
that test).  --addr skips the scan (e.g. the address from the
"pcwatch: record at" line of the kernel log).  Layout: docs/capture-record.md.

Usage: pcwatch-read.py VMCORE [--addr 0xVA] [--json]
"""
import json
import re
import struct
import sys

import kdumpfile

MAGIC = struct.pack('<QQ', 0x0048435441574350, 0x010044524f434552)
HDR = struct.Struct('<2Q4IQ10I72s')
HIT = struct.Struct('<9Q4I16s128s')
FILE = struct.Struct('<3Q2I256s')
PAGE = struct.Struct('<10Q16s6I')
HDR_FIELDS = ('magic0 magic1 version size arch page_size self max_pages nr_pages max_files '
              'nr_files max_hits nr_hits nr_armed panic_on_oops_saved kdump_loaded reserved '
              'release').split()
HIT_FIELDS = ('time_ns mono_ns addr pc lr sp esr pfn offset slot pid cpu is_write comm '
              'pc_sym').split()
FILE_FIELDS = 'ino size mapping dev nr_pages path'.split()
PAGE_FIELDS = ('pfn vaddr paddr mapping ino index orig_pte armed_pte restored_pte arm_time_ns '
               'md5 state source file hits pte_level folio_order').split()
# version 2 (capture-kmod/pcwatch_record.h): fields appended to the header, hits and pages;
# ranges[] between files[] and pages[]
HDR2 = struct.Struct(HDR.format + '4I6Q')
HIT2 = struct.Struct(HIT.format + 'Q4IQ16s16s8Q' + '96s' * 8)
RANGE2 = struct.Struct('<7Q8I')
PAGE2 = struct.Struct(PAGE.format + '2I')
HDR2_FIELDS = HDR_FIELDS + ('max_ranges nr_ranges max_bp printk_suppressed reprotect_count '
                            'reprotect_ns_max reprotect_ns_total r0 r1 r2').split()
HIT2_FIELDS = HIT_FIELDS + (['seq', 'mode', 'range', 'flags', 'nr_stack', 'data_addr', 'before',
                             'after'] + ['stack%d' % i for i in range(8)] +
                            ['stack_sym%d' % i for i in range(8)])
RANGE2_FIELDS = ('vaddr paddr pfn mapping ino index arm_time_ns len state source file hits '
                 'then_panic nr_bp reserved').split()
PAGE2_FIELDS = PAGE_FIELDS + ['mode', 'reserved']
MODES = ['panic', 'log', 'hwbp']
STATES = ['empty', 'armed', 'disarmed', 'stuck']
SOURCES = ['?', 'file', 'pfn', 'phys', 'va']


def cstr(b):
    return b.split(b'\0', 1)[0].decode('utf-8', 'replace')


def unpack(st, fields, data, off):
    d = dict(zip(fields, st.unpack_from(data, off)))
    for k, v in d.items():
        if isinstance(v, bytes):
            d[k] = v.hex() if k in ('md5', 'before', 'after') else cstr(v)
    return d


def open_dump(path):
    k = kdumpfile.kdumpfile(path)
    k.attr['addrxlat.ostype'] = 'linux'
    return k


def vmci(k, key):
    """A VMCOREINFO value: SYMBOL() in hex, everything else as written (0x.. or decimal)."""
    try:
        v = str(k.attr['linux.vmcoreinfo.lines'][key]).strip()
    except (KeyError, Exception):
        return None
    return int(v, 16) if key.startswith('SYMBOL(') else int(v, 0)


def phys_ranges(k):
    """RAM as (start, end): arm64 starts at PHYS_OFFSET, x86 at 0."""
    start = vmci(k, 'NUMBER(PHYS_OFFSET)') or 0
    if start < 0 or start >= 1 << 63:  # randomized linear map: 6.1 writes it signed, 5.10 in hex
        start = 0
    try:
        end = (int(k.attr['max_pfn']) + 1) * int(k.attr['arch.page_size'])
    except Exception:
        end = start + (4 << 30)
    return start, end


def read_phys(k, addr, size):
    try:
        return k.read(kdumpfile.KDUMP_MACHPHYSADDR, addr, size)
    except Exception:
        return None


class PageTables:
    """Kernel page-table walk (arm64 4K/16K/64K granules, x86_64) from VMCOREINFO, reading MACHPHYSADDR only:
    libkdumpfile 0.5.1 cannot translate vmalloc/module addresses of arm64 dumps."""

    def __init__(self, k):
        self.k = k
        pgd = vmci(k, 'SYMBOL(swapper_pg_dir)')
        voff = vmci(k, 'NUMBER(kimage_voffset)')
        if pgd is not None and voff is not None:
            self.arch = 'aarch64'
            self.root = pgd - voff
            # the VA size the kernel runs with: TCR_EL1.T1SZ, else the configured VA_BITS (a
            # kernel built for 52 bits runs with 48 and four levels on a CPU without LPA2)
            t1sz = vmci(k, 'NUMBER(TCR_EL1_T1SZ)')
            va_bits = 64 - t1sz if t1sz else (vmci(k, 'NUMBER(VA_BITS)') or 48)
            # the granule: 4K, 16K or 64K pages, each table level resolves shift - 3 bits
            self.page_shift = (vmci(k, 'PAGESIZE') or 4096).bit_length() - 1
            bits = self.page_shift - 3
            nlev = (va_bits - self.page_shift + bits - 1) // bits
            self.shifts = [self.page_shift + bits * i for i in range(nlev - 1, -1, -1)]
            self.widths = [va_bits - self.shifts[0]] + [bits] * (nlev - 1)
            self.addr_mask = 0x0000ffffffffffff & ~((1 << self.page_shift) - 1)
        else:
            top = vmci(k, 'SYMBOL(init_top_pgt)') or pgd
            if top is None:
                raise ValueError('no swapper_pg_dir / init_top_pgt in VMCOREINFO')
            self.arch = 'x86_64'
            self.root = top - 0xffffffff80000000 + (vmci(k, 'NUMBER(phys_base)') or 0)
            l5 = vmci(k, 'NUMBER(pgtable_l5_enabled)') or 0
            self.shifts = [48, 39, 30, 21, 12] if l5 else [39, 30, 21, 12]
            self.widths = [9] * len(self.shifts)
            self.page_shift = 12
            self.addr_mask = 0x000ffffffffff000

    def vtop(self, va):
        table = self.root
        for i, sh in enumerate(self.shifts):
            idx = (va >> sh) & ((1 << self.widths[i]) - 1)
            raw = read_phys(self.k, table + 8 * idx, 8)
            if raw is None:
                raise ValueError('cannot read table entry at 0x%x' % (table + 8 * idx))
            e = struct.unpack('<Q', raw)[0]
            last = i == len(self.shifts) - 1
            if self.arch == 'aarch64':
                if not e & 1:
                    raise ValueError('not mapped: 0x%x (level %d entry 0x%x)' % (va, i, e))
                leaf = last or not e & 2
            else:
                if not e & 1:
                    raise ValueError('not mapped: 0x%x (level %d entry 0x%x)' % (va, i, e))
                leaf = last or (sh in (30, 21) and e & 0x80)
            if leaf:
                return (e & self.addr_mask & ~((1 << sh) - 1)) | (va & ((1 << sh) - 1))
            table = e & self.addr_mask
        raise ValueError('walk fell through')

    def read(self, va, size):
        out = b''
        while size:
            pg = 1 << self.page_shift
            n = min(size, pg - (va & (pg - 1)))
            d = read_phys(self.k, self.vtop(va), n)
            if d is None:
                raise ValueError('page of 0x%x not in the dump' % va)
            out += d
            va += n
            size -= n
        return out


def scan(k):
    """Yield physical addresses of the magic, page by page.  (libkdumpfile 0.5.1 may crash
    on page reads that follow a failed multi-page read of a dump with excluded pages.)"""
    start, end = phys_ranges(k)
    psz = int(k.attr['arch.page_size'])
    for p in range(start, end, psz):
        d = read_phys(k, p, psz)
        if d is None:
            continue
        i = d.find(MAGIC)
        while i >= 0:
            yield p + i
            i = d.find(MAGIC, i + 1)


def find_record(k, pt):
    for pa in scan(k):
        hdr = read_phys(k, pa, HDR.size)
        if hdr is None:
            continue
        h = unpack(HDR, HDR_FIELDS, hdr, 0)
        try:
            if pt.vtop(h['self']) == pa:
                return h['self'], pa
        except Exception:
            continue
    return None, None


def read_record(pt, va):
    hdr = pt.read(va, HDR.size)
    h = unpack(HDR, HDR_FIELDS, hdr, 0)
    if hdr[:16] != MAGIC:
        raise ValueError('no pcwatch magic at 0x%x' % va)
    if h['version'] not in (1, 2):
        raise ValueError('unknown record version %d' % h['version'])
    v2 = h['version'] == 2
    hst, hitst, pagest = (HDR2, HIT2, PAGE2) if v2 else (HDR, HIT, PAGE)
    hf, hitf, pagef = (HDR2_FIELDS, HIT2_FIELDS, PAGE2_FIELDS) if v2 else (HDR_FIELDS, HIT_FIELDS,
                                                                            PAGE_FIELDS)
    data = pt.read(va, h['size'])
    h = unpack(hst, hf, data, 0)
    off = hst.size
    hits = []
    for i in range(h['max_hits']):
        hit = unpack(hitst, hitf, data, off)
        off += hitst.size
        if v2:
            # a ring: hit n (1-based) is in hits[(n - 1) % max_hits]; empty slots have seq 0
            if hit['seq']:
                hit['mode'] = MODES[hit['mode']] if hit['mode'] < len(MODES) else hit['mode']
                hit['stack'] = [hit.pop('stack%d' % j) for j in range(8)][:hit['nr_stack']]
                hit['stack_sym'] = [hit.pop('stack_sym%d' % j) for j in range(8)][:hit['nr_stack']]
                hits.append(hit)
        elif i < h['nr_hits']:
            hits.append(hit)
    hits.sort(key=lambda x: x.get('seq', 0))
    files = []
    for i in range(h['max_files']):
        if i < h['nr_files']:
            files.append(unpack(FILE, FILE_FIELDS, data, off))
        off += FILE.size
    ranges = []
    if v2:
        for i in range(h['max_ranges']):
            if i < h['nr_ranges']:
                r = unpack(RANGE2, RANGE2_FIELDS, data, off)
                r['state'] = STATES[r['state']] if r['state'] < len(STATES) else r['state']
                ranges.append(r)
            off += RANGE2.size
    pages = []
    for i in range(h['nr_pages']):
        p = unpack(pagest, pagef, data, off + i * pagest.size)
        p['slot'] = i
        p['state'] = STATES[p['state']] if p['state'] < len(STATES) else p['state']
        p['source'] = SOURCES[p['source']] if p['source'] < len(SOURCES) else p['source']
        if v2:
            p['mode'] = MODES[p['mode']] if p['mode'] < len(MODES) else p['mode']
        pages.append(p)
    del h['magic0'], h['magic1']
    return {'header': h, 'hits': hits, 'files': files, 'ranges': ranges, 'pages': pages}


def main(argv):
    args = argv[1:]
    as_json = '--json' in args
    addr = None
    if '--addr' in args:
        addr = int(args[args.index('--addr') + 1], 0)
    paths = [a for i, a in enumerate(args) if not a.startswith('--') and
             (i == 0 or args[i - 1] != '--addr')]
    if len(paths) != 1:
        sys.stderr.write(__doc__)
        return 2
    k = open_dump(paths[0])
    pt = PageTables(k)
    how = 'address given'
    if addr is None:
        addr, pa = find_record(k, pt)
        if addr is None:
            sys.stderr.write('pcwatch-read: no pcwatch record in %s\n' % paths[0])
            return 1
        how = 'magic scan (phys 0x%x)' % pa
    rec = read_record(pt, addr)
    rec['found'] = {'va': addr, 'how': how}
    if as_json:
        json.dump(rec, sys.stdout, indent=1)
        print()
        return 0
    h = rec['header']
    print('record 0x%x (%s) version %d size %d release %s' % (addr, how, h['version'], h['size'],
                                                             h['release']))
    print('armed %d entries %d files %d hits %d kdump_loaded %d' % (
        h['nr_armed'], h['nr_pages'], h['nr_files'], h['nr_hits'], h['kdump_loaded']))
    for f in rec['files']:
        print('file ino %d size %d pages %d %s' % (f['ino'], f['size'], f['nr_pages'], f['path']))
    for h in rec['hits']:
        print('hit addr 0x%x pfn 0x%x offset 0x%x pc 0x%x %s comm %s pid %d cpu %d write %d' % (
            h['addr'], h['pfn'], h['offset'], h['pc'], h['pc_sym'], h['comm'], h['pid'],
            h['cpu'], h['is_write']))
    for p in rec['pages']:
        print('page %d %s pfn 0x%x va 0x%x ino %d index %d pte 0x%016x -> 0x%016x md5 %s hits %d'
              % (p['slot'], p['state'], p['pfn'], p['vaddr'], p['ino'], p['index'],
                 p['orig_pte'], p['armed_pte'], p['md5'], p['hits']))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
