# Helpers shared by the standalone tests (imported by /usr/bin/python3 scripts).
import glob, hashlib, json, os, subprocess, sys

TOP = os.environ.get("PCSLEUTH_TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PCSLEUTH_BUILD") or os.path.join(TOP, "build", "rel")
PCS = os.path.join(BUILD, "pcsleuth")
CACHE = os.environ.get("PCSLEUTH_CACHE") or os.path.expanduser("~/.cache/pcsleuth")
# the per-kernel cache of the dump's BTF and kallsyms off: a test sees what the dump
# holds (t-pcsleuth-nok turns a private one on to test it)
os.environ["PCSLEUTH_KERNEL_CACHE"] = "off"
TARGETS = os.environ.get("PCSLEUTH_TARGETS", "bookworm-arm64 bookworm-amd64 bullseye-arm64 trixie-amd64").split()


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


def ensure(target, scenario, capture=None):
    """Directory of a lab run, or (None, reason)."""
    key = (target, scenario, capture)
    if key in _ensured:
        return _ensured[key]
    ens = os.path.join(TOP, "tests", "lab", "ensure")
    envkey = "PCSLEUTH_LABDIR_%s_%s%s" % (target, scenario, "_" + capture if capture else "")
    if os.environ.get(envkey):
        r = (os.environ[envkey], None)
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


def truth(d):
    with open(os.path.join(d, "truth.json")) as f:
        return json.load(f)


def dump(d, t, kind):
    """Path of vmcore.KIND in d, or None."""
    name = t.get("dumps", {}).get(kind) or ("vmcore." + kind)
    p = os.path.join(d, name)
    return p if os.path.exists(p) else None


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
