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
STATES = ['empty', 'armed', 'disarmed', 'stuck']
SOURCES = ['?', 'file', 'pfn', 'phys', 'va']
CHUNK = 4 << 20


def cstr(b):
    return b.split(b'\0', 1)[0].decode('utf-8', 'replace')


def unpack(st, fields, data, off):
    d = dict(zip(fields, st.unpack_from(data, off)))
    for k, v in d.items():
        if isinstance(v, bytes):
            d[k] = v.hex() if k == 'md5' else cstr(v)
    return d


def open_dump(path):
    k = kdumpfile.kdumpfile(path)
    k.attr['addrxlat.ostype'] = 'linux'
    return k


def vmcoreinfo_number(k, name):
    try:
        raw = k.attr['linux.vmcoreinfo.raw']
    except (KeyError, Exception):
        return None
    m = re.search(r'^NUMBER\(%s\)=(-?\w+)$' % re.escape(name), str(raw), re.M)
    return int(m.group(1), 0) if m else None


def phys_ranges(k):
    """RAM as (start, end): arm64 starts at PHYS_OFFSET, x86 at 0."""
    start = vmcoreinfo_number(k, 'PHYS_OFFSET') or 0
    if start < 0:
        start = 0
    try:
        end = (int(k.attr['max_pfn']) + 1) * int(k.attr['arch.page_size'])
    except Exception:
        end = start + (4 << 30)
    return start, end


def read_phys(k, addr, size):
    try:
        return k.read(kdumpfile.KDUMP_KPHYSADDR, addr, size)
    except Exception:
        return None


def vtop(k, va):
    ctx, sysx = k.get_addrxlat_ctx(), k.get_addrxlat_sys()
    import addrxlat
    fa = addrxlat.FullAddress(addrxlat.KVADDR, va)
    fa.conv(addrxlat.KPHYSADDR, ctx, sysx)
    return fa.addr


def scan(k):
    """Yield physical addresses of the magic (page by page where a chunk is not readable)."""
    start, end = phys_ranges(k)
    psz = int(k.attr['arch.page_size'])
    a = start
    while a < end:
        n = min(CHUNK, end - a)
        data = read_phys(k, a, n)
        if data is None:
            for p in range(a, a + n, psz):
                d = read_phys(k, p, psz)
                if d is None:
                    continue
                i = d.find(MAGIC)
                while i >= 0:
                    yield p + i
                    i = d.find(MAGIC, i + 1)
        else:
            i = data.find(MAGIC)
            while i >= 0:
                yield a + i
                i = data.find(MAGIC, i + 1)
        a += n


def find_record(k):
    for pa in scan(k):
        hdr = read_phys(k, pa, HDR.size)
        if hdr is None:
            continue
        h = unpack(HDR, HDR_FIELDS, hdr, 0)
        try:
            if vtop(k, h['self']) == pa:
                return h['self'], pa
        except Exception:
            continue
    return None, None


def read_record(k, va):
    hdr = k.read(kdumpfile.KDUMP_KVADDR, va, HDR.size)
    h = unpack(HDR, HDR_FIELDS, hdr, 0)
    if hdr[:16] != MAGIC:
        raise ValueError('no pcwatch magic at 0x%x' % va)
    if h['version'] != 1:
        raise ValueError('unknown record version %d' % h['version'])
    data = k.read(kdumpfile.KDUMP_KVADDR, va, h['size'])
    off = HDR.size
    hits = []
    for i in range(h['max_hits']):
        if i < h['nr_hits']:
            hits.append(unpack(HIT, HIT_FIELDS, data, off))
        off += HIT.size
    files = []
    for i in range(h['max_files']):
        if i < h['nr_files']:
            files.append(unpack(FILE, FILE_FIELDS, data, off))
        off += FILE.size
    pages = []
    for i in range(h['nr_pages']):
        p = unpack(PAGE, PAGE_FIELDS, data, off + i * PAGE.size)
        p['slot'] = i
        p['state'] = STATES[p['state']] if p['state'] < len(STATES) else p['state']
        p['source'] = SOURCES[p['source']] if p['source'] < len(SOURCES) else p['source']
        pages.append(p)
    del h['magic0'], h['magic1']
    return {'header': h, 'hits': hits, 'files': files, 'pages': pages}


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
    how = 'address given'
    if addr is None:
        addr, pa = find_record(k)
        if addr is None:
            sys.stderr.write('pcwatch-read: no pcwatch record in %s\n' % paths[0])
            return 1
        how = 'magic scan (phys 0x%x)' % pa
    rec = read_record(k, addr)
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
