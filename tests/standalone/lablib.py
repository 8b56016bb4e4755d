# Helpers shared by the standalone tests (imported by /usr/bin/python3 scripts).
import glob, hashlib, json, os, platform, re, shutil, subprocess, sys

TOP = os.environ.get("PCSLEUTH_TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PCSLEUTH_BUILD") or os.path.join(TOP, "build", "rel")
PCS = os.path.join(BUILD, "pcsleuth")
CACHE = os.environ.get("PCSLEUTH_CACHE") or os.path.expanduser("~/.cache/pcsleuth")
# the per-kernel cache of the dump's BTF and kallsyms off: a test sees what the dump
# holds (t-pcsleuth-nok turns a private one on to test it)
os.environ["PCSLEUTH_KERNEL_CACHE"] = "off"


def default_targets():
    """The lab's default targets (tests/lab/default-targets, one per line, # comments), then
    those of $LAB_EXTRA_TARGETS."""
    with open(os.path.join(TOP, "tests", "lab", "default-targets")) as f:
        names = [w for line in f if not line.startswith("#") for w in line.split()]
    return names + os.environ.get("LAB_EXTRA_TARGETS", "").split()


TARGETS = os.environ["PCSLEUTH_TARGETS"].split() if "PCSLEUTH_TARGETS" in os.environ else default_targets()


def tag_of(target):
    """Test-name suffix of a lab target: the architecture for bookworm targets (names as
    before the coverage matrix), else the whole target name (bullseye-arm64, ...)."""
    return target.split("-")[-1] if target.startswith("bookworm-") else target


def out(kind, name, why=None):
    print("%s: %s%s" % (kind, name, (": " + why) if why else ""), flush=True)


def PASS(name):
    out("PASS", name)


def FAIL(name, why):
    out("FAIL", name, why)


def SKIP(name, why):
    out("SKIP", name, why)


SAN_REPORT = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def release_binary():
    """(path, None) of a release (non-sanitizer) pcsleuth built for the tests in
    build/release-test (incremental; $PCSLEUTH_LIVE_BIN overrides), or (None, why)."""
    b = os.environ.get("PCSLEUTH_LIVE_BIN")
    if b:
        return b, None
    bdir = os.path.join(TOP, "build", "release-test")
    p = subprocess.run(["nice", "-n", "10", "make", "-C", TOP, "BUILD=" + bdir,
                        os.path.join(bdir, "pcsleuth"), "-j2"], capture_output=True, text=True)
    if p.returncode:
        return None, "release build failed: " + p.stderr[-300:]
    return os.path.join(bdir, "pcsleuth"), None


# libkdumpfile 0.5.1's own kdump_free() reads memory it freed (docs/upstream-libkdumpfile.md);
# every teardown hits it, so valgrind checks ignore errors under kdump_free only.
VALGRIND_SUPP = "".join("{\n kdump_free-%s\n Memcheck:%s\n ...\n fun:kdump_free\n}\n" % (k, k)
                        for k in ("Addr1", "Addr2", "Addr4", "Addr8", "Addr16", "Cond", "Value8"))


def run_valgrind(binary, args, timeout=900):
    """Run a release pcsleuth under valgrind memcheck; (rc, stdout, stderr), rc 99 on any
    memory error outside libkdumpfile's teardown."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".supp", delete=False) as f:
        f.write(VALGRIND_SUPP)
    try:
        p = subprocess.run(["valgrind", "-q", "--error-exitcode=99", "--suppressions=" + f.name,
                            binary] + args, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -999, "", "TIMEOUT after %ds" % timeout
    finally:
        os.unlink(f.name)


def run(args, timeout=300, input=None):
    """Run pcsleuth; returns (rc, stdout, stderr). rc < 0 / >= 128: crashed; a sanitizer
    report (whatever the exit status) is rc -998, so no test can take it for an answer."""
    try:
        p = subprocess.run([PCS] + args, capture_output=True, text=True, timeout=timeout,
                           input=input)
        if any(w in p.stderr for w in SAN_REPORT):
            return -998, p.stdout, "SANITIZER REPORT (exit %d): %s" % (p.returncode, p.stderr[-1500:])
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -999, "", "TIMEOUT after %ds" % timeout


def run_json(args, timeout=300):
    rc, o, e = run(args + ["--json"], timeout)
    try:
        return rc, json.loads(o), e
    except ValueError:
        return rc, None, e + "\n(stdout not JSON: %r)" % o[:200]


_ensured = {}
# the start of ensure()'s reason when the target cannot capture the scenario at all
CAPTURE_UNSUPPORTED = "capture unsupported"


def _header(path, key):
    """Value of a `# KEY: value` header line (scenario) or a KEY="value" line (target), or None."""
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r'#\s*%s:\s*(\S+)' % re.escape(key), line) or \
                    re.match(r'%s="?(.*?)"?\s*$' % re.escape(key), line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return None


def capture_unsupported(target, scenario, capture=None):
    """Why TARGET cannot capture SCENARIO (kdump: the target file's LAB_NO_KDUMP), or None."""
    lab = os.path.join(TOP, "tests", "lab")
    cap = capture or _header(os.path.join(lab, "scenarios", scenario + ".sh"), "lab-capture") or "kdump"
    why = _header(os.path.join(lab, "targets", target), "LAB_NO_KDUMP") if cap == "kdump" else None
    return "%s: %s has no kdump capture: %s" % (CAPTURE_UNSUPPORTED, target, why) if why else None


def unsupported(why):
    """Is an ensure() reason a target's known capture limit (a SKIP, not a FAIL)?"""
    return bool(why) and why.startswith(CAPTURE_UNSUPPORTED)


def no_run(name, why):
    """Report test NAME whose lab run ensure() could not give: a SKIP only for a target's
    known capture limit; a lab run that failed is a failure of the test that needs it."""
    (SKIP if unsupported(why) else FAIL)(name, why)


def ensure(target, scenario, capture=None):
    """Directory of a lab run, or (None, reason)."""
    key = (target, scenario, capture)
    if key in _ensured:
        return _ensured[key]
    ens = os.path.join(TOP, "tests", "lab", "ensure")
    envkey = "PCSLEUTH_LABDIR_%s_%s%s" % (target, scenario, "_" + capture if capture else "")
    if os.environ.get(envkey):
        r = (os.environ[envkey], None)
    elif capture_unsupported(target, scenario, capture):
        r = (None, capture_unsupported(target, scenario, capture))
    elif not os.access(ens, os.X_OK):
        r = (None, "tests/lab/ensure not available")
    else:
        try:
            p = subprocess.run([ens, target, scenario] + (["--capture", capture] if capture else []),
                               capture_output=True, text=True, timeout=3600)
        except subprocess.TimeoutExpired:
            p = None
        if p is None or p.returncode != 0:
            why = "timeout" if p is None else (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
            r = (None, "lab could not produce %s/%s: %s" % (target, scenario, why))
        else:
            d = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
            r = (d, None) if os.path.isdir(d) else (None, "lab printed no directory for %s/%s" % key[:2])
    _ensured[key] = r
    return r


def differing(c):
    """A truth corruption narrowed to the bytes that changed. A byte the stray writer writes may
    equal the old one (1 in 256 per byte; seen on bookworm-arm64-64k: before 0037, after 00e5),
    and pcsleuth rightly reports changed bytes only."""
    b, a = bytes.fromhex(c.get("before") or ""), bytes.fromhex(c.get("after") or "")
    if len(b) != c["length"] or len(a) != c["length"] or a == b:
        return c
    idx = [i for i in range(len(a)) if a[i] != b[i]]
    lo, hi = idx[0], idx[-1] + 1
    return dict(c, offset=c["offset"] + lo, length=hi - lo, before=b[lo:hi].hex(), after=a[lo:hi].hex())


def truth(d):
    with open(os.path.join(d, "truth.json")) as f:
        return json.load(f)


# On a target whose makedumpfile refuses its kernel (LAB_KDUMP_COPY in its target file), the
# capture kernel copies /proc/vmcore: vmcore.elf-copy holds every page of the first kernel, so
# it stands in for the -d 1 dumps. A filtered (-d 31) dump does not exist there (no_dump()).
STAND_IN = {"kdump-d1": "elf-copy", "elf-d1": "elf-copy"}


def dump(d, t, kind):
    """Path of vmcore.KIND in d (or of its stand-in, STAND_IN), or None."""
    for k in (kind, STAND_IN.get(kind)):
        name = k and (t.get("dumps", {}).get(k) or ("vmcore." + k))
        if name and os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    return None


def dumps(d, t, kinds):
    """[(KIND, path)] of the dumps of KINDS in d, one entry per file: where a stand-in
    serves several kinds it is listed once, under its own kind (elf-copy)."""
    out, seen = [], set()
    for kind in kinds:
        p = dump(d, t, kind)
        if p in seen:
            continue
        seen.add(p)
        real = os.path.basename(p)[len("vmcore."):] if p else kind
        out.append((real, p))
    return out


def no_dump(t, kind):
    """Why the lab run of truth T has no dump of KIND by design (a SKIP reason), or None."""
    if dump_copy_target(t.get("target")) and kind not in STAND_IN and kind not in ("elf-copy", "qemu-elf"):
        return "%s makes no %s dump: %s; its capture kernel copies /proc/vmcore (vmcore.elf-copy)" % (
            t["target"], kind, dump_copy_target(t["target"]))
    return None


def missing_dump(name, t, kind):
    """Report test NAME whose lab run has no dump of KIND: a SKIP where the target cannot
    make one (no_dump()), else a FAIL (the lab should have made it)."""
    why = no_dump(t, kind)
    (SKIP if why else FAIL)(name, why or "lab made no vmcore.%s" % kind)


def copy_dump(src, dst):
    """Copy a dump for a test to change, keeping its holes (an ELF copy of /proc/vmcore is
    mostly holes)."""
    subprocess.run(["cp", "--sparse=always", src, dst], check=True)


def dump_copy_target(target):
    """The target file's LAB_KDUMP_COPY reason (its kdump is an ELF copy of /proc/vmcore), or None."""
    if not target:
        return None
    return _header(os.path.join(TOP, "tests", "lab", "targets", target), "LAB_KDUMP_COPY")


def no_large_folio(target):
    """The target file's LAB_NO_LARGE_FOLIO reason (its tmpfs makes no large folio, so the
    standalone-folio run is not made), or None."""
    return _header(os.path.join(TOP, "tests", "lab", "targets", target), "LAB_NO_LARGE_FOLIO")


def find_ref(d, tfile):
    """A host copy of a guest file whose md5 equals the truth's, or None."""
    path = tfile["path"]
    rel = path[len("/data/"):] if path.startswith("/data/") else os.path.basename(path)
    cands = [os.path.join(d, "data", rel), os.path.join(d, rel)]
    cands += sorted(glob.glob(os.path.join(CACHE, "data-*", rel)), key=os.path.getmtime, reverse=True)
    for c in cands:
        if os.path.isfile(c):
            if tfile.get("md5") is None:
                return c
            with open(c, "rb") as f:
                if hashlib.md5(f.read()).hexdigest() == tfile["md5"]:
                    return c
    return None


def one_line_error(rc, err):
    """A clear failure: non-zero, not a crash, exactly one non-empty stderr line."""
    lines = [l for l in err.splitlines() if l.strip()]
    if rc == 0:
        return "exit 0"
    if rc < 0 or rc >= 128:
        return "crashed/hung (rc %d): %s" % (rc, err[-300:])
    if len(lines) != 1:
        return "%d stderr lines: %r" % (len(lines), err[-400:])
    return None


# --- the live scenarios' payload (t-pcsleuth-live, t-pcsleuth-live-report) ----------------------
HOST_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), "?")
ARM64_BUILD = os.environ.get("PCSLEUTH_ARM64_BUILD", "build/arm64")


def _host_payload(binary, root):
    """The live scenarios' payload (LAB_PAYLOAD=root) from a host build binary:
    root/payload/{bin/pcsleuth (wrapper), lib/pcsleuth.bin, lib/<closure>, lib/<loader>}."""
    lib = os.path.join(root, "payload", "lib")
    os.makedirs(lib)
    os.makedirs(os.path.join(root, "payload", "bin"))
    shutil.copy(binary, os.path.join(lib, "pcsleuth.bin"))
    loader = None
    for line in subprocess.run(["ldd", binary], capture_output=True, text=True).stdout.splitlines():
        m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)", line)
        if not m:
            continue
        path = m.group(1)
        shutil.copy(os.path.realpath(path), os.path.join(lib, os.path.basename(path)))
        if "ld-linux" in os.path.basename(path):
            loader = os.path.basename(path)
    if not loader:
        return "no ELF interpreter in ldd's output"
    w = os.path.join(root, "payload", "bin", "pcsleuth")
    with open(w, "w") as f:
        f.write("#!/bin/sh\nexec /payload/lib/%s --library-path /payload/lib "
                "/payload/lib/pcsleuth.bin \"$@\"\n" % loader)
    os.chmod(w, 0o755)
    return None


def _arm64_payload(root):
    """The arm64 build of `make arm64` bundled by scripts/arm64-payload (binary, library
    closure and loader taken from the cross root), moved into the layout of make_payload:
    root/payload/{bin/pcsleuth (wrapper), lib/pcsleuth.bin, lib/<closure>, lib/<loader>}.
    Returns None or why not."""
    if os.geteuid() != 0:
        return "needs root (scripts/build-arm64 enters the cross root with chroot)"
    p = subprocess.run(["nice", "-n", "10", os.path.join(TOP, "scripts", "build-arm64"), ARM64_BUILD],
                       capture_output=True, text=True, cwd=TOP)
    if p.returncode:
        return "scripts/build-arm64 exit %d: %s" % (p.returncode, p.stderr.strip()[-300:])
    bundle = os.path.join(root, "bundle")
    p = subprocess.run([os.path.join(TOP, "scripts", "arm64-payload"), ARM64_BUILD, bundle],
                       capture_output=True, text=True, cwd=TOP)
    src = os.path.join(bundle, "opt", "pcsleuth")
    loader = "ld-linux-aarch64.so.1"
    if p.returncode or not os.path.exists(os.path.join(src, "lib", loader)):
        return "scripts/arm64-payload exit %d: %s" % (p.returncode, p.stderr.strip()[-300:])
    lib = os.path.join(root, "payload", "lib")
    os.makedirs(os.path.join(root, "payload", "bin"))
    shutil.move(os.path.join(src, "lib"), lib)
    shutil.move(os.path.join(src, "bin", "pcsleuth"), os.path.join(lib, "pcsleuth.bin"))
    shutil.rmtree(bundle)
    w = os.path.join(root, "payload", "bin", "pcsleuth")
    with open(w, "w") as f:
        f.write("#!/bin/sh\nexec /payload/lib/%s --library-path /payload/lib --argv0 pcsleuth "
                "/payload/lib/pcsleuth.bin \"$@\"\n" % loader)
    os.chmod(w, 0o755)
    return None


def live_payload_unsupported(target):
    """Why no pcsleuth payload can be made for target here, or None: the host's own
    architecture (a release build), or arm64 on an x86_64 host (make arm64)."""
    if target.endswith("-" + HOST_ARCH) or (target.endswith("-arm64") and HOST_ARCH == "amd64"):
        return None
    return "payload is a %s build; %s needs its own (PCSLEUTH_LIVE_BIN)" % (HOST_ARCH, target)


def make_live_payload(target, root):
    """root/payload/{bin/pcsleuth,lib/...} for target (live.sh's /payload/bin/pcsleuth): a
    release build of the host's architecture, or the arm64 build of scripts/build-arm64 in
    $PCSLEUTH_ARM64_BUILD (default build/arm64; needs root). Returns None or why not."""
    if target.endswith("-" + HOST_ARCH):
        binary, why = release_binary()
        return "release build: " + why if why else _host_payload(binary, root)
    return _arm64_payload(root)
