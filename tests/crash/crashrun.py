# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the crash-extension tests: run crash non-interactively with
pcmd5.so loaded and parse the extension's output (its own columns)."""
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.environ.get("PCSLEUTH_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PCSLEUTH_BUILD") or os.path.join(TOP, "build", "san")


def host_arch():
    return os.uname().machine


# Lab targets whose kernel bookworm's crash 8.0.2 cannot read: their release's crash runs in a
# private root of that release (the script), and pcmd5.so is built there against that crash's
# defs.h, as BUILD/<target>/pcmd5.so. The functions below take such a target's name where they
# otherwise take an arch (crash_for).
OWN_CRASH = {"trixie-amd64": os.path.join(TOP, "scripts", "crash-trixie"),
             # trixie's crash:arm64 8.0.6 under qemu-user, pcmd5.so cross-built against its defs.h
             "trixie-arm64": os.path.join(TOP, "scripts", "crash-trixie-arm64"),
             "trixie-arm64-lpa2": os.path.join(TOP, "scripts", "crash-trixie-arm64"),
             "trixie-arm64-16k": os.path.join(TOP, "scripts", "crash-trixie-arm64")}
# Where each OWN_CRASH script's --ext BUILD puts pcmd5.so, under BUILD.
OWN_EXT = {"trixie-amd64": "trixie-amd64/pcmd5.so",
           "trixie-arm64": "trixie-arm64/arm64/pcmd5.so",
           "trixie-arm64-lpa2": "trixie-arm64/arm64/pcmd5.so",
           "trixie-arm64-16k": "trixie-arm64/arm64/pcmd5.so"}


def crash_for(target):
    """What names TARGET's crash for the functions below: the target if it has its own
    crash (OWN_CRASH), else its arch."""
    if target in OWN_CRASH:
        return target
    return "arm64" if "arm64" in target.split("-") else "amd64"


def crash_cmd(arch):
    """Command prefix running a crash that reads ARCH dumps on this host (ARCH may be a
    target of OWN_CRASH)."""
    if arch in OWN_CRASH and "arm64" in arch:
        return [OWN_CRASH[arch]]  # qemu-aarch64-static on the host's file system
    if arch in OWN_CRASH:
        # the script bind-mounts the build tree holding the extension into its root
        return ["env", "CRASH_TRIXIE_BINDS=" + os.path.dirname(extension(arch)), OWN_CRASH[arch]]
    if arch in ("amd64", "x86_64") and host_arch() == "x86_64":
        return ["crash"]
    if arch in ("arm64", "aarch64"):
        if host_arch() == "aarch64":
            return ["crash"]
        return [os.path.join(TOP, "tests", "lab", "crash-arm64")]
    raise RuntimeError("no crash for %s dumps on this host" % arch)


def emulated(arch):
    """Does ARCH's crash run under qemu-user on this host?"""
    return crash_cmd(arch)[0] not in ("crash", "env")


INDEX_DIR = "crash-vmlinux"


def session_vmlinux(arch, vmlinux):
    """The vmlinux crash opens for ARCH: VMLINUX itself where crash runs natively; under
    qemu-user, a copy of it with a .gdb_index section. crash's gdb otherwise builds its
    symbol tables from the whole DWARF through the emulator at every start-up (62-102 s a
    session for bookworm-arm64's vmlinux, 22 s with the index). The index is made once per
    vmlinux by the host's gdb (gdb-add-index) and kept under
    $PCSLEUTH_CACHE/crash-vmlinux/KEY/; it adds a section and changes nothing else in the
    file (its build ID stays). Where it cannot be made, crash opens VMLINUX (slower) and
    stderr says why."""
    if not emulated(arch):
        return vmlinux
    st = os.stat(vmlinux)
    ident = [os.path.realpath(vmlinux), st.st_size, st.st_mtime_ns]
    key = hashlib.sha256(json.dumps(ident).encode()).hexdigest()[:24]
    cache = os.environ.get("PCSLEUTH_CACHE") or os.path.expanduser("~/.cache/pcsleuth")
    d = os.path.join(cache, INDEX_DIR, key)
    out = os.path.join(d, "vmlinux")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, ".lock"), "w") as lockf:
        fcntl.flock(lockf, fcntl.LOCK_EX)
        if os.path.exists(out):
            return out
        tmp = os.path.join(d, "vmlinux.tmp")
        shutil.copyfile(vmlinux, tmp)
        env = dict(os.environ, OBJCOPY=os.environ.get("CRASH_INDEX_OBJCOPY",
                                                      "aarch64-linux-gnu-objcopy"))
        try:
            p = subprocess.run(["gdb-add-index", tmp], capture_output=True, text=True, env=env)
            why = None if p.returncode == 0 else "exit %d: %s" % (p.returncode, p.stderr[-300:])
        except OSError as e:
            why = str(e)
        if why is None and not has_section(tmp, ".gdb_index"):
            why = "no .gdb_index section after it"
        if why is not None:
            os.unlink(tmp)
            print("crashrun: gdb-add-index %s failed (%s): crash reads the DWARF itself"
                  % (vmlinux, why), file=sys.stderr, flush=True)
            return vmlinux
        with open(os.path.join(d, "source"), "w") as f:
            json.dump(ident, f)
        os.rename(tmp, out)
    return out


_machdep = {}


def machdep_args(vmcore):
    """The --machdep options crash needs to read VMCORE, as `pcsleuth info` gives them
    ("crash_machdep": a 52-bit VA arm64 kernel run with 48-bit VA, where crash keeps the
    lowered PHYS_OFFSET), as a list of arguments; [] when it needs none."""
    if vmcore not in _machdep:
        p = subprocess.run([os.path.join(BUILD, "pcsleuth"), "info", "--json", vmcore],
                           capture_output=True, text=True)
        try:
            words = json.loads(p.stdout).get("crash_machdep", "").split()
        except ValueError:
            words = []  # an unreadable dump: crash says why itself
        _machdep[vmcore] = words
    return _machdep[vmcore]


def crash_argv(arch, vmlinux, vmcore):
    """The command line of a batch crash session on VMCORE."""
    md = machdep_args(vmcore) if "arm64" in arch else []
    return crash_cmd(arch) + ["-s", "--no_scroll"] + md + [session_vmlinux(arch, vmlinux), vmcore]


def has_section(path, name):
    """Does the ELF file PATH have a section called NAME?"""
    p = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True)
    return p.returncode == 0 and (" %s " % name) in p.stdout


def extension(arch):
    if arch in OWN_CRASH:
        return os.path.join(BUILD, OWN_EXT[arch])
    if (arch in ("amd64", "x86_64") and host_arch() == "x86_64") or \
       (arch in ("arm64", "aarch64") and host_arch() == "aarch64"):
        return os.path.join(BUILD, "pcmd5.so")
    return os.path.join(BUILD, "arm64", "pcmd5.so")


_prepared = {}


def prepare_extension(arch):
    """(path of ARCH's pcmd5.so, None), or (None, why it is not there). For a target of
    OWN_CRASH: builds it (incrementally, once per process) in that target's root; without
    root privileges the root cannot be used and `why` starts with "SKIP"."""
    if arch not in OWN_CRASH:
        so = extension(arch)
        return (so, None) if os.path.exists(so) else (None, "%s missing (make SAN=1)" % so)
    if arch not in _prepared:
        if os.geteuid() != 0:
            _prepared[arch] = (None, "SKIP: %s's crash runs in a private root (%s): needs root "
                               "(mmdebstrap, unshare, chroot)" % (arch, OWN_CRASH[arch]))
        else:
            p = subprocess.run([OWN_CRASH[arch], "--ext", BUILD], capture_output=True, text=True)
            so = extension(arch)
            if p.returncode != 0 or not os.path.exists(so):
                _prepared[arch] = (None, "%s --ext failed (exit %d): %s" % (
                    OWN_CRASH[arch], p.returncode, p.stderr[-1500:]))
            else:
                _prepared[arch] = (so, None)
    return _prepared[arch]


# crash has no echo command: `eval` of a recognisable number delimits outputs.
MARK_BASE = 0x5ca1ab1e0000


def _marker(i):
    return "eval 0x%x" % (MARK_BASE + i), "hexadecimal: %x" % (MARK_BASE + i)


def run_crash(arch, vmlinux, vmcore, commands, extend=True, timeout=900):
    """Run crash with commands on stdin; return (list of per-command outputs,
    load output, wall seconds). Each command's output is delimited by an echo
    marker so it can be split reliably."""
    lines = []
    if extend:
        lines.append("extend %s" % extension(arch))
    lines.append(_marker(0)[0])
    for i, c in enumerate(commands, 1):
        lines.append(c)
        lines.append(_marker(i)[0])
    lines.append("exit")
    start = time.monotonic()
    p = subprocess.run(crash_argv(arch, vmlinux, vmcore),
                       input="\n".join(lines) + "\n", capture_output=True,
                       text=True, errors="replace", timeout=timeout)
    wall = time.monotonic() - start
    out = p.stdout
    parts = []
    pos = 0
    for i in range(len(commands) + 1):
        m = out.find(_marker(i)[1], pos)
        if m < 0:
            raise RuntimeError("crash output lacks marker %d (exit %d)\nstdout tail:\n%s\nstderr tail:\n%s"
                               % (i, p.returncode, out[-3000:], p.stderr[-3000:]))
        start = out.rfind("\n", 0, m) + 1
        parts.append(out[pos:start])
        b = out.find("binary:", m)
        pos = out.find("\n", b) + 1 if b >= 0 else m
    return parts[0], parts[1:], wall, p.stderr


ROW = re.compile(r"^\s*(\d+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+"
                 r"([0-9a-f]+)\s+(\d+)\s+(\S+)\s+(\S+)")
RANGE = re.compile(r"^\s+\+(0x[0-9a-f]+)\.\.\+(0x[0-9a-f]+) \((\d+) bytes?\)")
BYTES = re.compile(r"^\s+(dump|ref) (0x[0-9a-f]+): ([0-9a-f ]+)$")
SUMMARY = re.compile(r"^(md5|sha256): (.*)$")


def parse_pcmd5(text):
    """Rows (dicts like the JSON schema's page rows) and the summary dict."""
    rows, summary = [], None
    cur = None
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            status = m.group(8)
            cur = {
                "index": int(m.group(1)),
                "offset": int(m.group(2), 16),
                "page": int(m.group(3), 16),
                "pfn": int(m.group(4), 16),
                "paddr": int(m.group(5), 16),
                "vaddr": int(m.group(6), 16),
                "folio_order": int(m.group(7)),
                "status": "present" if status == "DIFFERS" else status,
                "differs": status == "DIFFERS",
                "hash": None if m.group(9) == "-" else m.group(9),
                "diffs": [],
            }
            rows.append(cur)
            continue
        m = RANGE.match(line)
        if m and cur is not None:
            cur["diffs"].append({"offset": int(m.group(1), 16), "length": int(m.group(3)),
                                 "vmcore": "", "ref": ""})
            continue
        m = BYTES.match(line)
        if m and cur is not None and cur["diffs"]:
            key = "vmcore" if m.group(1) == "dump" else "ref"
            cur["diffs"][-1][key] += m.group(3).replace(" ", "")
            continue
        m = SUMMARY.match(line)
        if m:
            f = m.group(2).split()
            summary = {"hash_algo": m.group(1)}
            for k, v in zip(f[0::2], f[1::2]):
                summary[k.replace("-", "_")] = int(v)
    return rows, summary


LEVEL = re.compile(r"^(\w+)\[(\d+)\]  ENTRY PHYSADDR ([0-9a-f]+).*  VALUE ([0-9a-f]+)")
FIELD = re.compile(r"^    (\S+)\s+\[(\d+)(?::(\d+))?\]\s+(0x[0-9a-f]+|0)\b")


def parse_ptewalk(text):
    """[(raw, entry_paddr, index, [(field name, value)...]) per level]."""
    levels = []
    for line in text.splitlines():
        m = LEVEL.match(line)
        if m:
            levels.append((int(m.group(4), 16), int(m.group(3), 16), int(m.group(2)), []))
            continue
        m = FIELD.match(line)
        if m and levels:
            levels[-1][3].append((m.group(1), int(m.group(4), 16)))
    return levels


def parse_ptewalk_paddr(text):
    """The PHYSADDR line of ptewalk (None when not mapped)."""
    for line in text.splitlines():
        if line.startswith("PHYSADDR: ") and "not mapped" not in line:
            return int(line.split()[1], 16)
    return None


def run_crash_timed(arch, vmlinux, vmcore, commands, extend=True, timeout=900):
    """Like run_crash, but stream the output and return the seconds from start
    until each marker appeared: [ready (after start-up and extend), after
    command 1, ...]. Valid only if crash flushes its output per command."""
    lines = []
    if extend:
        lines.append("extend %s" % extension(arch))
    lines.append(_marker(0)[0])
    for i, c in enumerate(commands, 1):
        lines.append(c)
        lines.append(_marker(i)[0])
    lines.append("exit")
    start = time.monotonic()
    p = subprocess.Popen(crash_argv(arch, vmlinux, vmcore),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, errors="replace")
    p.stdin.write("\n".join(lines) + "\n")
    p.stdin.close()
    stamps = []
    for line in p.stdout:
        if len(stamps) <= len(commands) and _marker(len(stamps))[1] in line:
            stamps.append(time.monotonic() - start)
    p.wait(timeout=timeout)
    stamps.append(time.monotonic() - start)  # exit
    return stamps


class Session:
    """One interactive crash session: commands go in one at a time, each
    followed by an `eval` marker, and its output is read up to that marker, so
    a later command may depend on an earlier one's output. Records every
    command and output in order (the transcript)."""

    def __init__(self, arch, vmlinux, vmcore, extend=True, timeout=3600):
        self.timeout = timeout
        self.commands, self.outputs = [], []
        self.n = 0
        self._err = tempfile.TemporaryFile("w+", errors="replace")
        self.start = time.monotonic()
        self.p = subprocess.Popen(crash_argv(arch, vmlinux, vmcore),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self._err, text=True, errors="replace", bufsize=1)
        self._lines = []
        self._cv = threading.Condition()
        self._eof = False
        threading.Thread(target=self._reader, daemon=True).start()
        self.load = self._send("extend %s" % extension(arch) if extend else None)
        self.ready = time.monotonic() - self.start

    def _reader(self):
        for line in self.p.stdout:
            with self._cv:
                self._lines.append(line)
                self._cv.notify()
        with self._cv:
            self._eof = True
            self._cv.notify()

    def _send(self, command):
        mark, want = _marker(self.n)
        self.n += 1
        self.p.stdin.write((command + "\n" if command else "") + mark + "\n")
        self.p.stdin.flush()
        out, seen = [], False
        deadline = time.monotonic() + self.timeout
        while True:
            with self._cv:
                while not self._lines and not self._eof:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self.close()
                        raise RuntimeError("crash: no answer to %r within %d s" % (command, self.timeout))
                    self._cv.wait(left)
                if not self._lines:
                    raise RuntimeError("crash exited (status %s) during %r\nstdout tail:\n%s\n"
                                       "stderr tail:\n%s" % (self.p.poll(), command,
                                                             "".join(out)[-3000:], self.stderr()[-3000:]))
                line = self._lines.pop(0)
            if not seen and want in line:
                seen = True
                continue
            if seen:
                if "binary:" in line:
                    return "".join(out)
                continue
            out.append(line)

    def run(self, command):
        """The output of one command (crash's prompt lines included, if any)."""
        o = self._send(command)
        self.commands.append(command)
        self.outputs.append(o)
        return o

    def stderr(self):
        self._err.seek(0)
        return self._err.read()

    def close(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write("exit\n")
                self.p.stdin.close()
                self.p.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self.p.kill()
                self.p.wait()
        return time.monotonic() - self.start


def _file_id(path):
    st = os.stat(path)
    return [os.path.realpath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def crash_identity(arch):
    """What identifies the crash binary that would run."""
    cmd = crash_cmd(arch)
    if cmd == ["crash"]:
        exe = subprocess.run(["sh", "-c", "command -v crash"], capture_output=True,
                             text=True).stdout.strip()
        return _file_id(exe) if exe else cmd
    if arch in OWN_CRASH:
        script = [OWN_CRASH[arch], "--root"]
    else:
        script = [os.path.join(TOP, "tests", "lab", "crash-arm64-sysroot"),
                  os.environ.get("CRASH_ARM64_SUITE", "bookworm")]
    root = subprocess.run(script, capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]
    return cmd + _file_id(os.path.join(root, "usr", "bin", "crash"))


SESSION_DIR = "crash-sessions"


def shared_session(arch, vmlinux, vmcore, script, inputs, timeout=3600):
    """Run script(session) in ONE crash session on vmcore, or reuse the
    transcript of an earlier identical session: the result is keyed by the
    pcmd5.so build (its bytes), the crash binary, the dump and vmlinux (file
    identity), `inputs` (everything the script's commands are derived from,
    JSON-serialisable) and the source of the script's module and of this one.
    The first caller runs crash under a lock, later callers (other tests of
    the same build) read the stored transcript. Returns a dict with
    "load", "outputs" (command -> output, in order), "wall" (seconds of the
    session that made it), "ready" (start-up + extend) and "cached" (bool).
    PCSLEUTH_CRASH_SESSION_CACHE=0 always runs crash (and stores nothing)."""
    import inspect
    mod = inspect.getmodule(script)
    h = hashlib.sha256()
    for part in (_sha256_file(extension(arch)), crash_identity(arch), _file_id(vmcore),
                 _file_id(vmlinux), inputs, script.__qualname__,
                 _sha256_file(mod.__file__) if mod else None, _sha256_file(__file__)):
        h.update(json.dumps(part, sort_keys=True).encode() + b"\0")
    key = h.hexdigest()[:24]
    use_cache = os.environ.get("PCSLEUTH_CRASH_SESSION_CACHE", "1") != "0"
    d = os.path.join(BUILD, SESSION_DIR)
    path = os.path.join(d, key + ".json")
    lockf = None
    if use_cache:
        os.makedirs(d, exist_ok=True)
        lockf = open(os.path.join(d, key + ".lock"), "w")
        fcntl.flock(lockf, fcntl.LOCK_EX)
    try:
        if use_cache and os.path.exists(path):
            with open(path) as f:
                t = json.load(f)
            os.utime(path)
            return {"load": t["load"], "outputs": dict(zip(t["commands"], t["outputs"])),
                    "wall": t["wall"], "ready": t["ready"], "cached": True, "key": key}
        s = Session(arch, vmlinux, vmcore, timeout=timeout)
        try:
            script(s)
        finally:
            wall = s.close()
        t = {"vmcore": vmcore, "load": s.load, "commands": s.commands, "outputs": s.outputs,
             "wall": wall, "ready": s.ready, "stderr": s.stderr()[-20000:]}
        if use_cache:
            _prune(d)
            tmp = path + ".tmp%d" % os.getpid()
            with open(tmp, "w") as f:
                json.dump(t, f)
            os.rename(tmp, path)
        return {"load": t["load"], "outputs": dict(zip(t["commands"], t["outputs"])),
                "wall": wall, "ready": s.ready, "cached": False, "key": key}
    finally:
        if lockf:
            lockf.close()


def _prune(d, days=3):
    """Transcripts unused for DAYS days go (their dumps or builds are gone)."""
    now = time.time()
    for n in os.listdir(d):
        p = os.path.join(d, n)
        try:
            if now - os.stat(p).st_mtime > days * 86400:
                os.unlink(p)
        except OSError:
            pass
