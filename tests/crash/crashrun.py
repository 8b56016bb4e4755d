# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the crash-extension tests: run crash non-interactively with
pcmd5.so loaded and parse the extension's output (its own columns)."""
import os
import re
import subprocess
import time

TOP = os.environ.get("PCSLEUTH_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PCSLEUTH_BUILD") or os.path.join(TOP, "build", "san")


def host_arch():
    return os.uname().machine


def crash_cmd(arch):
    """Command prefix running a crash that reads ARCH dumps on this host."""
    if arch in ("amd64", "x86_64") and host_arch() == "x86_64":
        return ["crash"]
    if arch in ("arm64", "aarch64"):
        if host_arch() == "aarch64":
            return ["crash"]
        return [os.path.join(TOP, "tests", "lab", "crash-arm64")]
    raise RuntimeError("no crash for %s dumps on this host" % arch)


def extension(arch):
    if (arch in ("amd64", "x86_64") and host_arch() == "x86_64") or \
       (arch in ("arm64", "aarch64") and host_arch() == "aarch64"):
        return os.path.join(BUILD, "pcmd5.so")
    return os.path.join(BUILD, "arm64", "pcmd5.so")


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
    p = subprocess.run(crash_cmd(arch) + ["-s", "--no_scroll", vmlinux, vmcore],
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
    p = subprocess.Popen(crash_cmd(arch) + ["-s", "--no_scroll", vmlinux, vmcore],
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
