#!/usr/bin/python3
"""check-seed.py RUN_DIR: verify a pcwatch-seed lab run (issue 3, test 1).

Prints PASS:/FAIL: lines.  The console and the vmcore's dmesg must show the
pcwatch HIT and the oops with the stray writer's function in the call trace;
the capture record, read from every vmcore by the independent reader
(pcwatch-read.py, python3-libkdumpfile), must list the hit at the truth's pfn
and offset.
"""
import json
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def main(d):
    ok = True
    name = 'pcwatch/seed'

    def res(cond, what, why=''):
        nonlocal ok
        if cond:
            print('PASS: %s/%s' % (name, what))
        else:
            ok = False
            print('FAIL: %s/%s%s' % (name, what, ': ' + why if why else ''))

    truth = json.load(open(os.path.join(d, 'truth.json')))
    facts = {}
    for f in truth.get('facts', []):
        kv = f.split(None, 1)
        facts[kv[0]] = kv[1] if len(kv) > 1 else ''
    name = 'pcwatch/%s/seed' % truth.get('target', '?')
    fn = (truth.get('writer') or {}).get('function') or 'stray_ip_newid'
    want_pfn = int(facts['pcwatch_expected_pfn'], 0) if 'pcwatch_expected_pfn' in facts else None
    want_off = int(facts.get('pcwatch_expected_offset', '0x6a6'), 0)
    corr = [c for c in truth.get('corruption', []) if c.get('index') == 3]
    if corr and want_pfn is not None:
        res(corr[0].get('pfn') == want_pfn, 'truth-pfn', 'truth corruption pfn %s, writer pfn %s'
            % (corr[0].get('pfn'), want_pfn))

    for log in ('console.log', 'dmesg.txt'):
        p = os.path.join(d, log)
        text = open(p, errors='replace').read() if os.path.exists(p) else ''
        hit = re.search(r'pcwatch: HIT #1: write at (0x[0-9a-f]+) = watched pfn (0x[0-9a-f]+) \+ '
                        r'(0x[0-9a-f]+)', text)
        res(hit is not None, '%s-hit' % log, 'no "pcwatch: HIT" line')
        if hit:
            res(int(hit.group(2), 16) == want_pfn and int(hit.group(3), 16) == want_off,
                '%s-hit-where' % log, 'pfn %s +%s, expected 0x%x +0x%x' % (
                    hit.group(2), hit.group(3), want_pfn or 0, want_off))
        trace = text.split('Call trace:', 1)[1][:600] if 'Call trace:' in text else \
            text.split('Call Trace:', 1)[1][:600] if 'Call Trace:' in text else ''
        rip = re.search(r'(pc : |RIP: 0010:)(\S+)', text)
        res(fn in trace or (rip is not None and fn in rip.group(2)), '%s-backtrace' % log,
            '%s not in the oops' % fn)

    dumps = sorted(f for f in os.listdir(d) if f.startswith('vmcore.'))
    res(bool(dumps), 'vmcores', 'none in %s' % d)
    for v in dumps:
        r = subprocess.run(['/usr/bin/python3', os.path.join(here, 'pcwatch-read.py'), '--json',
                            os.path.join(d, v)], capture_output=True, text=True)
        if r.returncode:
            res(False, '%s-record' % v, r.stderr.strip()[-300:])
            continue
        rec = json.loads(r.stdout)
        hits = rec['hits']
        good = (len(hits) >= 1 and hits[0]['pfn'] == want_pfn and hits[0]['offset'] == want_off
                and fn in hits[0]['pc_sym'] and hits[0]['is_write'] == 1)
        res(good, '%s-record' % v, 'hits %s, expected pfn 0x%x +0x%x by %s' % (
            json.dumps(hits)[:300], want_pfn or 0, want_off, fn))
        page = [p for p in rec['pages'] if p['pfn'] == want_pfn]
        res(bool(page) and page[0]['state'] == 'armed' and page[0]['hits'] >= 1
            and page[0]['index'] == 3, '%s-record-page' % v, json.dumps(page)[:300])
        print('%s: record found by %s; %d pages armed' % (v, rec['found']['how'],
                                                        rec['header']['nr_armed']),
              file=sys.stderr)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
