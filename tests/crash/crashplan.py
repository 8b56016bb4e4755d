# SPDX-License-Identifier: GPL-2.0-or-later
"""One crash session per dump for the three crash tests.

t-crash-ext, t-crash-pcrefs and t-crash-pcverify open the same lab dumps; a
crash start-up costs seconds natively and ~45 s or more for the arm64 crash
under qemu-user. session(TARGET, SCENARIO, DUMP) runs, in ONE interactive crash
session, every command any of the three tests needs on that dump (the commands
each test would run for it, given the same environment), and stores the
transcript (crashrun.shared_session, keyed by the pcmd5.so build, crash, the
dump and the inputs): whichever test comes first pays for the session, the
others read its transcript. Each test still builds its own command list and
checks its own outputs; a command it needs that the session lacks is a failure.

The command paths (reference files, data.img, data.tar) must be the same in
every test for the transcripts to be shared, so the tests read a lab run
through rundir(): a stable private copy (hard links) of the cached run under
$PCSLEUTH_CACHE/crash-runs/TARGET/SCENARIO/KEY/, made once per lab run, with
the reference tree from tests/lab/mkdata.py in ref/. The lab may replace its
cached run meanwhile; the links keep the files."""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crashrun  # noqa: E402

TOP = crashrun.TOP
sys.path.insert(0, os.path.join(TOP, "tests", "standalone"))
from lablib import differing  # noqa: E402,F401  (the truth narrowed to the changed bytes)

# trixie-amd64 (6.12): trixie's crash 8.0.6 in a private trixie root (crashrun.OWN_CRASH)
# trixie-arm64, trixie-arm64-lpa2, trixie-arm64-16k (6.12 built for 52-bit VA): trixie's
# crash:arm64 8.0.6 under qemu-user on the QEMU dump-guest-memory dump (makedumpfile refuses
# these kernels)
# trixie-arm64 (48-bit VA at run time): crash needs `-m phys_offset=... -m max_physmem_bits=48`
# (crashrun.machdep_args, from `pcsleuth info`); without them it stops after ~3 min with a seek
# error in the linear map. trixie-arm64-16k: crash 8.0.6 refuses it at start-up (~20-80 s; the
# test SKIPs with crash's error, docs/lab.md). Not by default (PCSLEUTH_CRASH_TARGETS asks for
# it): trixie-arm64-lpa2 (five levels), where crash ran 17 min without reaching its prompt.
EXT_TARGETS = ("bookworm-amd64 bookworm-arm64 bullseye-arm64 trixie-amd64 trixie-arm64"
               " trixie-arm64-16k bookworm-arm64-64k")
# Targets whose only dump is QEMU's (the lab run of SCENARIO+qemu: tests/lab/ensure
# TARGET SCENARIO --capture qemu), opened once with every command in one session.
QEMU_ONLY = ("trixie-arm64", "trixie-arm64-lpa2", "trixie-arm64-16k")
PCREFS_TARGETS = "bookworm-amd64 bookworm-arm64 bullseye-arm64 trixie-amd64 bookworm-arm64-64k"
PCVERIFY_TARGETS = "bookworm-amd64 bookworm-arm64 trixie-amd64"

FIRST_TASK = ("((struct task_struct *)((char *)init_task.tasks.next"
              " - (unsigned long)&((struct task_struct *)0)->tasks))")
PID1 = ["p/x %s->%s" % (FIRST_TASK, m) for m in ("pid", "mm", "mm->start_code")]


def targets(default):
    """PCSLEUTH_CRASH_TARGETS, else DEFAULT and LAB_EXTRA_TARGETS (tests/lab/default-targets):
    an extra target gets t-crash-ext and t-crash-pcrefs, as bullseye-arm64 does."""
    if "PCSLEUTH_CRASH_TARGETS" in os.environ:
        return os.environ["PCSLEUTH_CRASH_TARGETS"].split()
    extra = os.environ.get("LAB_EXTRA_TARGETS", "").split() if default in (EXT_TARGETS, PCREFS_TARGETS) else []
    return default.split() + [t for t in extra if t not in default.split() and t not in NO_CRASH]


# Lab targets whose dumps crash cannot open (above): an extra lab target of these gets no crash test.
NO_CRASH = ("trixie-arm64-lpa2",)


def arch_of(target):
    return "arm64" if "arm64" in target.split("-") else "amd64"


def every_dump(target):
    """Does t-crash-ext open every dump of TARGET by default? Yes on the bookworm targets of
    both architectures and trixie's (native crash, or the arm64 reference target); the other
    arm64 targets (bullseye-arm64, bookworm-arm64-64k) run crash under qemu-user, ~30-60 s a
    session: their stray-write kdump -d 1 dump only, which every command of the test reads."""
    return target in ("bookworm-amd64", "bookworm-arm64") or target in crashrun.OWN_CRASH


def ext_dumps(target):
    """[(scenario, dump)] t-crash-ext opens on TARGET, in its order."""
    if target not in targets(EXT_TARGETS):
        return []
    if target in QEMU_ONLY:
        return [("stray-write+qemu", "vmcore.qemu-elf")]
    asked = "PCSLEUTH_CRASH_SCENARIOS" in os.environ
    out = []
    for sc in os.environ.get("PCSLEUTH_CRASH_SCENARIOS", "stray-write standalone-folio").split():
        if not every_dump(target) and not asked:
            # bullseye, 64K (bookworm's crash under qemu-user): the stray-write kdump
            # -d 1 dump only, unless scenarios are asked for
            if sc == "stray-write":
                out.append((sc, "vmcore.kdump-d1"))
        elif sc == "stray-write":
            out += [(sc, d) for d in ("vmcore.kdump-d31", "vmcore.kdump-d1", "vmcore.elf-d1")]
        else:  # large folios: the kdump -d 1 dump is enough
            out.append((sc, "vmcore.kdump-d1"))
    return out


def pcrefs_dumps(target):
    if target not in targets(PCREFS_TARGETS):
        return []
    return [("stray-write", "vmcore.kdump-d1")] + (
        [("stray-write", "vmcore.kdump-d31")] if arch_of(target) == "amd64" else [])


def pcverify_dumps(target):
    if target not in targets(PCVERIFY_TARGETS):
        return []
    return [("stray-write", "vmcore.kdump-d1"), ("stray-write", "vmcore.kdump-d31"),
            ("redirect-slot", "vmcore.kdump-d1")]


def ensure(target, scenario):
    """The lab's cached run directory (tests/lab/ensure)."""
    env = os.environ.get("PCSLEUTH_LABDIR_%s_%s" % (target, scenario))
    if env:
        return env
    args = [target, scenario]
    if scenario.endswith("+qemu"):  # the run directory's name, e.g. stray-write+qemu
        args = [target, scenario[:-5], "--capture", "qemu"]
    p = subprocess.run([os.path.join(TOP, "tests", "lab", "ensure")] + args,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("tests/lab/ensure %s %s failed: %s" % (target, scenario, p.stderr[-1500:]))
    return p.stdout.strip().splitlines()[-1]


def _cache():
    return os.environ.get("PCSLEUTH_CACHE") or os.path.expanduser("~/.cache/pcsleuth")


def rundir(target, scenario):
    """A stable private copy of the lab run (see the module's comment)."""
    d = os.path.realpath(ensure(target, scenario))
    base = os.path.join(_cache(), "crash-runs", target, scenario)
    os.makedirs(base, exist_ok=True)
    own = os.path.join(base, os.path.basename(d))
    with open(os.path.join(base, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # copies of other lab runs of this target/scenario go once unused for 2 h
        for n in os.listdir(base):
            p = os.path.join(base, n)
            if n.startswith(".") or p == own:
                continue
            try:
                if time.time() - os.stat(os.path.join(p, ".used")).st_mtime > 7200:
                    shutil.rmtree(p, ignore_errors=True)
            except OSError:
                shutil.rmtree(p, ignore_errors=True)
        if not os.path.exists(os.path.join(own, ".complete")):
            tmp = own + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            os.makedirs(tmp)
            for name in os.listdir(d):
                src, dst = os.path.join(d, name), os.path.join(tmp, name)
                if os.path.islink(src):
                    os.symlink(os.path.realpath(src), dst)
                elif os.path.isfile(src):
                    os.link(src, dst)
            subprocess.run([sys.executable, os.path.join(TOP, "tests", "lab", "mkdata.py"),
                            os.path.join(tmp, "ref")], check=True, stdout=subprocess.DEVNULL)
            open(os.path.join(tmp, ".complete"), "w").close()
            shutil.rmtree(own, ignore_errors=True)
            os.rename(tmp, own)
        with open(os.path.join(own, ".used"), "w"):
            pass
    return own


def stray_facts(d, truth):
    """What t-crash-ext derives from the truth: (path, vaddr, pfn, index)."""
    corr = truth["corruption"][0] if truth.get("corruption") else None
    path = corr["path"] if corr else truth["files"][0]["path"]
    tfile = next(f for f in truth["files"] if f["path"] == path)
    vaddr = corr["vaddr"] if corr else None
    pfn = corr["pfn"] if corr else tfile["pages"][0]["pfn"]
    index = corr["index"] if corr else tfile["pages"][0]["index"]
    return path, vaddr, pfn, index


def ext_inode_mapping(vmcore, vmlinux, path):
    """(inode, mapping) of PATH from `pcsleuth md5 --json`, or None."""
    exe = os.path.join(crashrun.BUILD, "pcsleuth")
    p = subprocess.run([exe, "md5", vmcore, "-k", vmlinux, path, "--json"],
                       capture_output=True, text=True)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return None, "pcsleuth md5: exit %d, no JSON: %s" % (p.returncode, p.stderr[-500:])
    fobj = doc.get("file") if isinstance(doc, dict) else None
    if fobj and fobj.get("inode") and fobj.get("mapping"):
        return (fobj["inode"], fobj["mapping"]), None
    return None, str(doc)[:300]


def full_dump(scenario, dumpname):
    """Is this the dump t-crash-ext runs its whole list on (help, ptewalk -D, pcmd5 -i/-m)?"""
    return scenario.startswith("stray-write") and dumpname in ("vmcore.kdump-d1", "vmcore.qemu-elf")


def ext_commands(d, truth, scenario, dumpname, by_addr):
    """t-crash-ext's commands on this dump, except those that need pid 1's mm."""
    path, vaddr, pfn, index = stray_facts(d, truth)
    ref = os.path.join(d, "ref", os.path.basename(path))
    filtered = dumpname.endswith("d31")
    cmds = ["pcmd5 -r %s %s" % (ref, path)]
    if not filtered:
        cmds += ["ptewalk %s" % vaddr if vaddr else "ptewalk -D 0",
                 "pgdump -r %s -x %d -p %#x" % (ref, index, pfn)]
    if full_dump(scenario, dumpname):
        cmds += ["help pcmd5", "help pgdump", "help ptewalk",
                 "ptewalk -D 0x006800022277d713", "ptewalk -D 0x00e000022277d793"]
        if by_addr:
            cmds += ["pcmd5 -H sha256 -i %s" % by_addr[0], "pcmd5 -m %s" % by_addr[1]]
    if filtered:
        cmds += PID1
    elif vaddr:
        cmds.append("vtop %s" % vaddr)
    return cmds


def ext_user_commands(user):
    """t-crash-ext's commands for pid 1's address space (user = (mm, address)).
    crash 8.0.2's vtop needs mm_struct.mmap (gone with 6.1's maple tree), but
    rd -u translates with crash's own uvtop."""
    return ["set 1", "rd -u -64 %x 8" % user[1], "ptewalk -c 1 %x" % user[1],
            "ptewalk -m %x %x" % user]


def gdb_value(text):
    """The value of crash's `p/x EXPR` output ("$1 = 0x1")."""
    for line in (text or "").splitlines():
        if line.startswith("$") and " = " in line:
            try:
                return int(line.split(" = ", 1)[1].strip().rstrip(","), 0)
            except ValueError:
                return None
    return None


def pid1_user(outputs):
    """(mm, start_code) of pid 1 from the PID1 commands' outputs, or None."""
    vals = [gdb_value(outputs.get(c)) for c in PID1]
    return (vals[1], vals[2]) if vals[0] == 1 and vals[1] and vals[2] else None


def pcverify_commands(d, dumpname):
    img, tar = os.path.join(d, "data.img"), os.path.join(d, "data.tar")
    if dumpname.endswith("d31"):
        return ["pcverify -r %s -a /data" % tar]
    return ["pcverify -j -r %s -a /data" % img, "pcverify -j -r %s -a /data" % tar,
            "pcverify -r %s -a /data" % img]


def pcrefs_commands(pfn):
    return ["pcrefs -j -d 2 -p %#x" % pfn, "help pcrefs"]


def json_in(text):
    """The JSON document in a crash command's output."""
    text = text or ""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        return json.loads(text[start:end + 1])
    except ValueError:
        return None


def num(v):
    return int(v, 0) if isinstance(v, str) else v


def walk_refs(refs):
    for r in refs:
        yield r
        yield from walk_refs(r.get("holders", []))


def pcrefs_followups(target, doc, fallback_vaddr):
    """Commands that depend on pcrefs' JSON: crash's own search for the page's
    linear-map address, kmem -s of every slab object named, phys_base (amd64) or
    kimage_voffset (arm64),
    search -p (arm64 targets other than bookworm: crash 8.0.2's search -k does
    not cover 5.10's randomised linear map)."""
    lm = num(doc["range"]["vaddr"]) if doc and doc.get("range") else num(fallback_vaddr)
    objs = sorted({num(r["object"]) for r in walk_refs((doc or {}).get("refs", []))
                   if r.get("kind") == "slab" and r.get("object")})
    cmds = ["search -k %x" % lm] + ["kmem -s %x" % o for o in objs]
    if arch_of(target) == "amd64":
        cmds.append("p/x phys_base")
    if arch_of(target) == "arm64":
        cmds.append("p/x kimage_voffset")
    if arch_of(target) == "arm64" and not target.startswith("bookworm-"):
        cmds.append("search -p %x" % lm)
    return cmds


def session(target, scenario, dumpname, d=None, timeout=3600):
    """The shared crash session on one dump: a dict with "outputs" (command ->
    output), "load", "wall", "ready", "cached", plus "dir" (the run copy),
    "truth" and "by_addr" (t-crash-ext's inode and mapping, or None, "why")."""
    so, why = crashrun.prepare_extension(crashrun.crash_for(target))
    if so is None:
        raise RuntimeError(why)
    d = d or rundir(target, scenario)
    truth = json.load(open(os.path.join(d, "truth.json")))
    vmcore, vmlinux = os.path.join(d, dumpname), os.path.join(d, "vmlinux")
    if not os.path.exists(vmcore):
        raise RuntimeError("%s missing" % vmcore)
    ext = (scenario, dumpname) in ext_dumps(target)
    refs = (scenario, dumpname) in pcrefs_dumps(target)
    verify = (scenario, dumpname) in pcverify_dumps(target)
    by_addr, why = None, None
    static = []
    if verify:
        static += pcverify_commands(d, dumpname)
    if refs:
        static += pcrefs_commands(truth["corruption"][0]["pfn"])
    if ext:
        if full_dump(scenario, dumpname):
            by_addr, why = ext_inode_mapping(vmcore, vmlinux, stray_facts(d, truth)[0])
        static += ext_commands(d, truth, scenario, dumpname, by_addr)
    user_part = ext and not dumpname.endswith("d31")
    if user_part:
        static += PID1

    def script(s):
        done = set()

        def run(cmds):
            for c in cmds:
                if c not in done:
                    done.add(c)
                    s.run(c)
        run(static)
        if refs:
            out = dict(zip(s.commands, s.outputs))
            doc = json_in(out[pcrefs_commands(truth["corruption"][0]["pfn"])[0]])
            run(pcrefs_followups(target, doc, truth["corruption"][0]["vaddr"]))
        if user_part:  # last: `set 1` changes crash's context
            out = dict(zip(s.commands, s.outputs))
            user = pid1_user(out)
            if user:
                run(ext_user_commands(user))

    res = crashrun.shared_session(crashrun.crash_for(target), vmlinux, vmcore, script,
                                  {"target": target, "scenario": scenario, "dump": dumpname,
                                   "static": static, "ext": ext, "refs": refs, "verify": verify},
                                  timeout=timeout)
    res.update({"dir": d, "truth": truth, "by_addr": by_addr, "by_addr_why": why})
    return res


def open_failure(text):
    """crash's own error lines when crash exited before its first command (it could not open
    the dump), from a Session error's text; None for any other failure."""
    if "crash exited" not in text or "during 'extend " not in text:
        return None
    errs = [ln.strip() for ln in text.splitlines()
            if ln.startswith("crash: ") or ln.startswith("WARNING: ")]
    if errs:
        return " / ".join(errs)
    status = text.split("crash exited (status ", 1)[1].split(")", 1)[0]
    return "crash exited with status %s before its prompt, printing no error" % status


def outputs(sess, cmds):
    """The session's outputs of CMDS, in order; a missing one is an error."""
    missing = [c for c in cmds if c not in sess["outputs"]]
    if missing:
        raise RuntimeError("the crash session on this dump has no output for %s (commands: %s)"
                           % (missing, list(sess["outputs"])))
    return [sess["outputs"][c] for c in cmds]
