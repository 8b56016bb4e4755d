#!/usr/bin/python3
"""check-stress.py RUN_DIR TARGET: judge a pcwatch-stress lab run (issue 10).

Prints PASS:/FAIL: lines and one "stress:" summary line.
  result    the guest's RESULT line is PASS (no hit, every disarm restored, file intact)
  restored  every "pcwatch: pfn .. pte .. restored (orig ..)" line rmmod printed names a
            recorded page, and (arm64, x86 4K originals) restored == orig
  linear-map  pcsleuth ptewalk --json on the vmcore, after rmmod and the deliberate crash,
            for every page recorded before rmmod (DIR/pcw-stress-pages.txt): the leaf is
            writable and (arm64, x86 4K originals) equals the recorded original entry; an
            x86 page whose 2M/1G original was split keeps its pfn and NX bit, with RW
  console   no WARNING / BUG / lockdep report / oops before the deliberate crash
"""
import json
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))
build = os.environ.get('PCSLEUTH_BUILD') or os.path.join(top, 'build', 'rel')

SPLAT = re.compile(r'WARNING:|BUG:|Oops|Call trace:|Call Trace:|lockdep|possible circular|'
                   r'possible recursive|INFO: task .* blocked|soft lockup|hard LOCKUP|'
                   r'self-detected stall|Unable to handle kernel|general protection fault|'
                   r'Internal error:|Kernel panic|UBSAN:|KASAN:|refcount_t:|bad page state|'
                   r'list_(add|del) corruption')
X86_RW, X86_PSE, X86_NX = 1 << 1, 1 << 7, 1 << 63
X86_PFN = 0x000ffffffffff000


def main(d, target):
    ok = True
    name = 'pcwatch/%s/stress' % target

    def res(cond, what, why=''):
        nonlocal ok
        if cond:
            print('PASS: %s/%s' % (name, what))
        else:
            ok = False
            print('FAIL: %s/%s%s' % (name, what, ': ' + why if why else ''))

    con = open(os.path.join(d, 'console.log'), 'rb').read().decode('utf-8', 'replace')
    con = con.replace('\r', '')
    m = re.findall(r'^LAB: RESULT pcwatch-stress (.*)$', con, re.M)
    res(bool(m) and m[-1] == 'PASS', 'result', m[-1] if m else 'no RESULT line')
    for line in re.findall(r'^LAB: stress: .*$', con, re.M):
        print(line[5:], file=sys.stderr)

    # console before the deliberate crash
    cut = con.find('LAB: crashing')
    before = con[:cut if cut >= 0 else len(con)]
    splats = [ln for ln in before.splitlines() if SPLAT.search(ln) and not ln.startswith('LAB:')]
    res(cut >= 0 and not splats, 'console',
        'no deliberate crash' if cut < 0 else 'splat: ' + '; '.join(splats[:3]))

    pages = []
    try:
        for ln in open(os.path.join(d, 'pcw-stress-pages.txt')):
            kv = dict(f.split('=', 1) for f in ln.split())
            pages.append({'pfn': int(kv['pfn'], 0), 'va': kv['va'], 'state': kv['state'],
                          'orig': int(kv['pte_orig'], 0), 'level': int(kv['level'])})
    except (OSError, KeyError, ValueError) as e:
        res(False, 'pages', 'pcw-stress-pages.txt: %s' % e)
        return 1
    res(len(pages) > 0 and all(p['state'] == 'armed' for p in pages), 'pages',
        '%d recorded, states %s' % (len(pages), sorted({p['state'] for p in pages})))
    arm64 = 'arm64' in target
    exact = {p['pfn'] for p in pages if arm64 or p['level'] == 1}
    bypfn = {p['pfn']: p for p in pages}

    # rmmod's own report of every entry it put back
    rest = re.findall(r'pcwatch: pfn (0x[0-9a-f]+) pte (0x[0-9a-f]+) restored \(orig (0x[0-9a-f]+)\)',
                      before[before.find('rmmod while armed'):])
    seen = {int(p, 16) for p, _, _ in rest}
    diff = [(p, r, o) for p, r, o in rest if int(p, 16) in exact and r != o]
    res(seen == set(bypfn) and not diff, 'restored',
        '%d restored lines for %d pages (%d missing), %d differ from orig%s' %
        (len(rest), len(pages), len(set(bypfn) - seen), len(diff),
         ': %s' % (diff[:2],) if diff else ''))

    # the linear map in the vmcore, after rmmod
    dumps = [f for f in sorted(os.listdir(d)) if f.startswith('vmcore.')]
    if not dumps:
        res(False, 'linear-map', 'no vmcore in %s' % d)
        return 1
    cmd = [os.path.join(build, 'pcsleuth'), 'ptewalk', os.path.join(d, dumps[0]),
           '-k', os.path.join(d, 'vmlinux'), '--json'] + [p['va'] for p in pages]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    try:
        walks = json.loads(r.stdout)
    except ValueError:
        res(False, 'linear-map', 'ptewalk exit %d: %s' % (r.returncode, r.stderr[-300:]))
        return 1
    bad, nexact, nsplit = [], 0, 0
    for p, w in zip(pages, walks):
        leaf = (w.get('levels') or [{}])[-1]
        raw = int(leaf.get('raw', '0'), 16)
        why = None
        if not w.get('mapped') or leaf.get('kind') not in ('page', 'block'):
            why = 'not mapped'
        elif not leaf.get('writable'):
            why = 'read-only'
        elif p['pfn'] in exact:
            nexact += 1
            if raw != p['orig']:
                why = 'entry 0x%016x, original 0x%016x' % (raw, p['orig'])
        else:
            nsplit += 1
            if (raw & X86_PFN) >> 12 != p['pfn'] or (raw & X86_NX) != (p['orig'] & X86_NX) \
                    or not raw & X86_RW:
                why = 'entry 0x%016x for pfn 0x%x, large original 0x%016x' % (raw, p['pfn'], p['orig'])
        if why:
            bad.append('%s: %s' % (p['va'], why))
    res(len(walks) == len(pages) and not bad, 'linear-map',
        '%d walks for %d pages; %d bad: %s' % (len(walks), len(pages), len(bad), '; '.join(bad[:3])))
    print('stress: %s: %d pages walked in %s after rmmod: %d equal to the original entry, '
          '%d split (x86, RW back), %d bad' % (target, len(walks), dumps[0], nexact, nsplit, len(bad)),
          file=sys.stderr)
    return 0 if ok else 1


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
